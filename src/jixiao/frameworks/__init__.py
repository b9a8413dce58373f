"""Shipped indicator frameworks (YAML data) and the loader that validates them."""

from jixiao.frameworks.loader import list_frameworks, load_framework, shipped_ids
from jixiao.frameworks.model import DeclaredSlot, FactSpec, Framework, Leaf, Node

__all__ = [
    "DeclaredSlot",
    "FactSpec",
    "Framework",
    "Leaf",
    "Node",
    "list_frameworks",
    "load_framework",
    "shipped_ids",
]
