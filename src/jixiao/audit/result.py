"""Findings and the audit result, with the stable JSON shape of ``jixiao audit --format json``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass
class Issue:
    """A finding as a check produces it: positions are in the normalised text."""

    code: str
    severity: str
    message: str
    start: int
    end: int
    stated: str | None = None
    expected: str | None = None


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    line: int
    column: int
    excerpt: str
    stated: str | None = None
    expected: str | None = None
    # Original character offsets of the flagged span (for in-place highlighting); not in JSON.
    offset: int = 0
    length: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("offset")
        d.pop("length")
        return d


@dataclass
class AuditResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    text: str = ""  # the original text that was audited (for the HTML view)
    readable: bool = True

    @property
    def verdict(self) -> str:
        """``error`` / ``warning`` / ``clean``; ``unreadable`` when the file had no text."""
        if not self.readable:
            return "unreadable"
        sev = {f.severity for f in self.findings}
        if "error" in sev:
            return "error"
        if "warning" in sev:
            return "warning"
        return "clean"

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
