"""Run every conformance case in data/cases.yaml: codes that must and must not be found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import Finding, audit_text

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "cases.yaml").read_text(encoding="utf-8")
)


def _matches(spec: str, findings: list[Finding]) -> bool:
    code, _, sev = spec.partition(":")
    return any(f.code == code and (not sev or f.severity == sev) for f in findings)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case.get("must") or case.get("must_not"), "a case must assert something"
    result = audit_text(case["text"], name=case["id"])
    shown = [(f.code, f.severity, f.line, f.message) for f in result.findings]
    for spec in case.get("must", []):
        assert _matches(spec, result.findings), f"missing {spec}: {shown}"
    for spec in case.get("must_not", []):
        assert not _matches(spec, result.findings), f"unexpected {spec}: {shown}"


def test_case_ids_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 90
