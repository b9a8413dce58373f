"""SHA-256 of frozen files and of a whole submission.

A submission's hash is the SHA-256 of its manifest, which is the text ``sha256sum`` prints for
its files (one ``<hex>  <name>`` line per file, sorted by name), so that anyone can check the
published files with ``sha256sum -c SHA256SUMS`` and then the manifest against the shown hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(files: Iterable[tuple[str, str]]) -> str:
    """``sha256sum`` text for (name, sha256) pairs, sorted by name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(files))


def bundle_sha256(files: Iterable[tuple[str, str]]) -> str:
    return sha256_bytes(manifest(files).encode("utf-8"))
