"""OpenFisca-style YAML cases: one file per case in ``cases/``, run by this one runner.

A case names a framework (a shipped id, or an inline framework mapping), facts (inline in the
facts-file structure, or ``example: <name>``), and the expected results with a tolerance::

    framework: hunan-dept-2021
    facts: {year: 2021, facts: {staff_in_post: 11, ...}}
    expect:
      total: 94
      grade: 优
      complete: true
      nodes: {"1": 19}
      leaves:
        "1.2.1": {value: 110, score: 4, status: scored, reason_contains: [超编1人]}
      error_contains: [...]     # instead: evaluation must fail with a JixiaoError
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.engine.evaluate import evaluate
from jixiao.engine.result import LeafResult, NodeResult
from jixiao.errors import JixiaoError
from jixiao.examples import example_path
from jixiao.facts.load import facts_from_mapping, load_facts
from jixiao.frameworks import Framework, load_framework

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _framework(spec: Any) -> Framework:
    if isinstance(spec, str):
        return load_framework(spec)
    return Framework.model_validate(spec)


def _nodes(tree: list[NodeResult | LeafResult]) -> dict[str, NodeResult | LeafResult]:
    out: dict[str, NodeResult | LeafResult] = {}
    for n in tree:
        out[n.code] = n
        if isinstance(n, NodeResult):
            out.update(_nodes(n.children))
    return out


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case(case_path: Path) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    fw = _framework(case["framework"])
    if "example" in case:
        facts = load_facts(example_path(case["example"]))
    else:
        facts = facts_from_mapping(case["facts"], origin=case_path.name)
    expect = case["expect"]
    tol = float(case.get("tolerance", 0.005))
    if "error_contains" in expect:
        with pytest.raises(JixiaoError) as info:
            evaluate(fw, facts, case.get("year"))
        text = str(info.value)
        for part in expect["error_contains"]:
            assert part in text, f"{part!r} not in {text!r}"
        return
    ev = evaluate(fw, facts, case.get("year"))
    if "total" in expect:
        assert ev.total.score == pytest.approx(expect["total"], abs=tol)
    if "grade" in expect:
        assert ev.total.grade == expect["grade"]
    if "complete" in expect:
        assert ev.total.complete is expect["complete"]
    nodes = _nodes(ev.tree)
    for code, want in (expect.get("nodes") or {}).items():
        assert code in nodes, f"node {code} not in result"
        assert nodes[code].score == pytest.approx(want, abs=tol), code
    for code, want in (expect.get("leaves") or {}).items():
        assert code in nodes, f"leaf {code} not in result"
        leaf = nodes[code]
        assert isinstance(leaf, LeafResult), code
        for key in ("value", "score", "target"):
            if key in want:
                got = getattr(leaf, key)
                if want[key] is None:
                    assert got is None, (code, key, got)
                else:
                    assert got == pytest.approx(want[key], abs=tol), (code, key, got, leaf.reason)
        if "status" in want:
            assert leaf.status == want["status"], (code, leaf.status, leaf.reason)
        if "assumed" in want:
            assert leaf.rule.assumed is want["assumed"], code
        for part in want.get("reason_contains", []):
            assert part in leaf.reason, f"{code}: {part!r} not in {leaf.reason!r}"
        for name in want.get("missing", []):
            assert name in leaf.missing, (code, leaf.missing)
    for code in expect.get("problems", []):
        assert code in {p.code for p in ev.problems}, (code, ev.problems)


def test_cases_present() -> None:
    assert len(CASES) >= 12
