"""The AUD-SUM message says “相差末位一个单位” only when that is true (QA F21)."""

from __future__ import annotations

from jixiao.audit import audit_text


def _sum_findings(text: str) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in audit_text(text).findings if f.code == "AUD-SUM"]


def test_two_units_apart_is_not_called_one_unit() -> None:
    # 2.1 + 1.2 = 3.3 against 3.5: two units of the last digit. A count after 其中 stays a
    # warning (categories may overlap or be listed in part), but not as a rounding slip.
    ((severity, message),) = _sum_findings(
        "全年共受理各类办件3.5万件，其中窗口受理2.1万件、网上受理1.2万件。"
    )
    assert severity == "warning"
    assert "末位一个单位" not in message
    assert "3.3万件" in message and "3.5万件" in message


def test_one_unit_apart_says_so() -> None:
    ((severity, message),) = _sum_findings(
        "全年接听群众来电13772宗，收到留言819宗，转派工单17282宗，共31874宗。"
    )
    assert severity == "warning"
    assert "相差末位一个单位" in message
