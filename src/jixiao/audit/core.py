"""Run every check over one text and turn the issues into findings at original positions."""

from __future__ import annotations

from collections.abc import Callable

from jixiao.audit.checks import counts, notices, numbering, ratio, scores, sums, years, yoy
from jixiao.audit.context import Doc
from jixiao.audit.normalize import normalize
from jixiao.audit.result import AuditResult, Finding, Issue

# years runs first: it sets the evaluated year that the notice check reads.
CHECKS: list[Callable[[Doc], list[Issue]]] = [
    years.check,
    ratio.check,
    sums.check,
    yoy.check,
    counts.check,
    numbering.check,
    scores.check,
    notices.check,
]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _excerpt(line_text: str, col: int, length: int, width: int = 24) -> str:
    a = max(0, col - 1 - width)
    b = min(len(line_text), col - 1 + length + width)
    pre = "…" if a > 0 else ""
    post = "…" if b < len(line_text) else ""
    return pre + line_text[a:b].strip("\t") + post


def to_finding(doc: Doc, issue: Issue) -> Finding:
    a, b = doc.norm.orig_span(issue.start, max(issue.end, issue.start + 1))
    line, col = doc.norm.line_col(a)
    line_text = doc.norm.original_line(line)
    return Finding(
        code=issue.code,
        severity=issue.severity,
        message=issue.message,
        line=line,
        column=col,
        excerpt=_excerpt(line_text, col, b - a),
        stated=issue.stated,
        expected=issue.expected,
        offset=a,
        length=b - a,
    )


def audit_text(text: str, name: str = "<文本>") -> AuditResult:
    """Audit one report's text; findings point at lines and columns of ``text`` itself."""
    doc = Doc.build(normalize(text))
    issues: list[Issue] = []
    for check in CHECKS:
        issues.extend(check(doc))
    seen: set[tuple[str, int, int]] = set()
    findings: list[Finding] = []
    for issue in issues:
        key = (issue.code, issue.start, issue.end)
        if key in seen:
            continue
        seen.add(key)
        findings.append(to_finding(doc, issue))
    findings.sort(key=lambda f: (f.line, f.column, _SEVERITY_ORDER.get(f.severity, 3), f.code))
    return AuditResult(file=name, findings=findings, text=text)
