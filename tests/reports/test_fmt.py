from __future__ import annotations

import datetime as dt

import pytest

from jixiao.reports.fmt import (
    cn_numeral,
    date_cn,
    fixed2,
    heading_number,
    money,
    notice_cn,
    percent,
    quantity,
    score_text,
)


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")]
)
def test_cn_numeral(n: int, text: str) -> None:
    assert cn_numeral(n) == text


def test_heading_numbers() -> None:
    assert [heading_number(lv, 2) for lv in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_money_and_percent_round_half_up() -> None:
    assert money(933.085) == "933.09万元"
    assert money(0.125) == "0.13万元"
    assert percent(99.5649) == "99.56%"
    assert percent(100) == "100.00%"
    assert fixed2(-0.001) == "0.00"


def test_quantity_counts_and_units() -> None:
    assert quantity(177321, "件") == "177321件"
    assert quantity(10, "人") == "10人"
    assert quantity(2225038.16, "元") == "2225038.16元"


def test_dates_and_notice() -> None:
    assert date_cn(dt.date(2024, 9, 10)) == "2024年9月10日"
    assert date_cn("2005-11") == "2005年11月"
    assert notice_cn("《关于开展2023年度绩效自评的通知》", "廉财绩〔2024〕4号") == (
        "《关于开展2023年度绩效自评的通知》（廉财绩〔2024〕4号）"
    )


def test_score_text() -> None:
    assert score_text(94.0) == "94"
    assert score_text(4.5) == "4.5"
    assert score_text(3.25) == "3.25"
