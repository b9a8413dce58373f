"""Facts: the named numbers (and answers) a framework is evaluated on, each with its source."""

from jixiao.facts.model import Answer, DeclaredIndicator, Fact, FactSet, Source

__all__ = ["Answer", "DeclaredIndicator", "Fact", "FactSet", "Source"]
