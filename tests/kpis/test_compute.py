"""compute_kpis on DuckDB against figures worked out by hand (see kpi_data for the stores)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.kpis.compute import compute_kpis
from jixiao.kpis.result import KpiReport, KpiValue


def whole(report: KpiReport) -> dict[str, KpiValue]:
    assert report.by == []
    out = {v.kpi: v for v in report.results}
    assert len(out) == len(report.results)  # one value per KPI without a cut
    return out


@pytest.fixture(scope="module")
def year(published_db: Path) -> dict[str, KpiValue]:
    return whole(compute_kpis(published_db, "2023-01-01", "2023-12-31"))


# KPI id → (numerator, denominator, rate rounded to 2 places), each chosen by hand in kpi_data.
PUBLISHED = {
    "item_entry_rate": (1124, 1202, 93.51),
    "max_one_visit_coverage": (1052, 1124, 93.59),
    "zero_visit_coverage": (191, 1124, 16.99),
    "instant_item_share": (326, 1124, 29.00),
    # 1 − 9153/20342 = 55.0044…%: numerator = days saved 20342 − 9153
    "time_limit_compression": (20342 - 9153, 20342, 55.00),
    "online_applicable_rate": (963, 1202, 80.12),
    "fully_online_item_rate": (1093, 1202, 90.93),
    "case_completion_rate": (176_544, 177_321, 99.56),
    "on_time_completion_rate": (176_000, 176_500, 99.72),
    "online_application_rate": (158_295, 177_321, 89.27),
    "online_completion_rate": (156_965, 177_321, 88.52),
    "hotline_valid_rate": (26_972, 37_400, 72.12),
    "hotline_answer_rate": (28_752, 30_000, 95.84),
    "hotline_answer_rate_15s": (25_000, 30_000, 83.33),
    "hotline_direct_answer_rate": (10_280, 26_972, 38.11),
    "hotline_ticket_completion_rate": (16_223, 16_692, 97.19),
    "hotline_satisfaction_rate": (22_000, 23_805, 92.42),
    "rating_satisfaction_rate": (38, 40, 95.00),
    "rating_satisfaction_rate_given": (8, 10, 80.00),
    "bad_rating_rectification_rate": (2, 2, 100.00),
    "bad_rating_rectified_on_time_rate": (1, 2, 50.00),
}


@pytest.mark.parametrize("kpi", sorted(PUBLISHED))
def test_published_rates_recompute(year: dict[str, KpiValue], kpi: str) -> None:
    num, den, rate = PUBLISHED[kpi]
    v = year[kpi]
    assert (v.numerator, v.denominator) == (num, den)
    assert v.value == pytest.approx(num * 100 / den, rel=1e-12)
    assert round(v.value, 2) == rate
    assert v.unit == "%"


def test_counts(year: dict[str, KpiValue]) -> None:
    assert year["case_count"].value == 177_321  # the 10 cases outside 2023 are left out
    assert year["case_count"].unit == "件"
    assert year["hotline_volume"].value == 37_400
    assert year["comprehensive_window_items"].value == 490
    assert year["comprehensive_window_items"].unit == "项"


def test_compression_mean_variant(year: dict[str, KpiValue]) -> None:
    # per item 1 − p/l over the 1124 entered items: (19,9)×110, (18,9)×51, (18,8)×963
    expected = (110 * (1 - 9 / 19) + 51 * (1 - 9 / 18) + 963 * (1 - 8 / 18)) / 1124
    v = year["time_limit_compression_mean"]
    assert v.denominator == 1124
    assert v.value == pytest.approx(expected * 100, rel=1e-9)
    assert "逐项平均" in (v.note or "")
    assert "总量口径" in (year["time_limit_compression"].note or "")


def test_every_kpi_has_its_sql(published_db: Path) -> None:
    r = compute_kpis(published_db, "2023-01-01", "2023-12-31")
    assert set(r.queries) == {v.kpi for v in r.results}
    assert "FILTER" in r.queries["case_completion_rate"]
    assert '"cases"' in r.queries["case_completion_rate"]
    assert r.backend == "duckdb" and r.start == "2023-01-01" and r.end == "2023-12-31"


def test_large_samples_are_not_flagged(year: dict[str, KpiValue]) -> None:
    assert not year["case_completion_rate"].small_sample
    assert year["case_completion_rate"].sample_size == 177_321
    # the compression denominator is days; its sample is the 1124 items
    assert year["time_limit_compression"].sample_size == 1124
    # 2 bad ratings and 10 given ratings are small samples; 40 ratings are not
    assert year["bad_rating_rectification_rate"].small_sample
    assert year["rating_satisfaction_rate_given"].small_sample
    assert not year["rating_satisfaction_rate"].small_sample


def test_parameters_change_the_definition(published_db: Path) -> None:
    r = whole(
        compute_kpis(
            published_db,
            "2023-01-01",
            "2023-12-31",
            kpis=[
                "hotline_answer_rate_15s",
                "bad_rating_rectified_on_time_rate",
                "rating_satisfaction_rate",
            ],
            params={
                "answer_threshold_seconds": 16,
                "rectification_days": 5,
                "satisfied_min_level": 4,
                "min_denominator": 2,
            },
        )
    )
    assert r["hotline_answer_rate_15s"].numerator == 25_010  # the 10 calls at 16 s now count
    # 5 working days after 2023-09-28 is 2023-10-11 (National Day + 调休): both rectified late
    assert r["bad_rating_rectified_on_time_rate"].numerator == 0
    assert not r["bad_rating_rectified_on_time_rate"].small_sample  # 2 ≥ min_denominator 2
    assert r["rating_satisfaction_rate"].numerator == 8  # 满意 and better: 6 + 2


def test_period_bounds_are_inclusive_days(published_db: Path) -> None:
    # the case accepted at 2024-01-01 00:00:00 belongs to 2024, the one at 23:59:59 to 2022
    r = whole(compute_kpis(published_db, "2024-01-01", "2024-01-01", kpis=["case_count"]))
    assert r["case_count"].value == 5
    r = whole(compute_kpis(published_db, "2022-12-31", "2022-12-31", kpis=["case_count"]))
    assert r["case_count"].value == 5


def test_completion_counts_only_up_to_period_end(published_db: Path) -> None:
    # 77 cases accepted on 31 Dec 2023 were completed on 3 Jan 2024: open at the period's end
    kpis = ["case_completion_rate", "case_count"]
    r = whole(compute_kpis(published_db, "2023-12-31", "2023-12-31", kpis=kpis))
    assert r["case_count"].value == 77
    assert (r["case_completion_rate"].numerator, r["case_completion_rate"].denominator) == (0, 77)
    # to 3 Jan they count as completed, as do the 5 cases accepted 1 Jan 00:00 (done 2 Jan)
    r = whole(compute_kpis(published_db, "2023-12-31", "2024-01-03", kpis=kpis))
    assert r["case_count"].value == 82
    assert r["case_completion_rate"].numerator == 82


def test_empty_period_is_an_error(published_db: Path) -> None:
    with pytest.raises(JixiaoError, match="没有任何记录"):
        compute_kpis(published_db, "2019-01-01", "2019-12-31")


def test_empty_period_allowed_gives_null_rates(published_db: Path) -> None:
    r = whole(
        compute_kpis(
            published_db,
            "2019-01-01",
            "2019-12-31",
            allow_empty=True,
            kpis=["case_completion_rate", "case_count"],
        )
    )
    v = r["case_completion_rate"]
    assert (v.numerator, v.denominator, v.value, v.small_sample) == (0, 0, None, True)
    assert r["case_count"].value == 0


def test_zero_denominator_without_an_error(cuts_db: Path) -> None:
    # the cuts store has no hotline records at all: null rates, counts of 0
    r = whole(compute_kpis(cuts_db, "2023-01-01", "2023-12-31"))
    for kpi in ("hotline_answer_rate", "hotline_direct_answer_rate", "hotline_satisfaction_rate"):
        assert r[kpi].value is None and r[kpi].denominator == 0 and r[kpi].small_sample
    assert r["hotline_volume"].value == 0
    # time-limit compression: i5 has a legal limit of 0 and is left out rather than divided by
    assert r["time_limit_compression"].denominator == 10 + 10 + 20
    assert r["time_limit_compression"].numerator == 5 + 5 + 0


def test_unknown_kpi_names_it(cuts_db: Path) -> None:
    with pytest.raises(JixiaoError, match="no_such_kpi"):
        compute_kpis(cuts_db, "2023-01-01", "2023-12-31", kpis=["no_such_kpi"])


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(JixiaoError, match="记录库不存在"):
        compute_kpis(tmp_path / "none.duckdb", "2023-01-01", "2023-12-31")


def test_bad_dates(cuts_db: Path) -> None:
    with pytest.raises(JixiaoError, match="不是有效日期"):
        compute_kpis(cuts_db, "2023-13-01", "2023-12-31")
    with pytest.raises(JixiaoError, match="晚于"):
        compute_kpis(cuts_db, "2023-12-31", "2023-01-01")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "bad.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE cases (case_id VARCHAR, accepted_at TIMESTAMP)")
    con.close()
    with pytest.raises(JixiaoError, match="completed_at"):
        compute_kpis(db, "2023-01-01", "2023-12-31", kpis=["case_completion_rate"])


def test_missing_table_is_reported_not_invented(tmp_path: Path) -> None:
    import duckdb
    from kpi_data import arrow_table, cuts_cases

    db = tmp_path / "only-cases.duckdb"
    con = duckdb.connect(str(db))
    con.register("src", arrow_table("cases", cuts_cases()))
    con.execute("CREATE TABLE cases AS SELECT * FROM src")
    con.close()
    r = compute_kpis(db, "2023-01-01", "2023-12-31")
    assert {v.kpi for v in r.results} == {
        "case_count",
        "case_completion_rate",
        "on_time_completion_rate",
        "online_application_rate",
        "online_completion_rate",
    }
    assert "没有「12345来电」表" in r.not_applicable["hotline_volume"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_denominator": "abc"}, "参数 min_denominator（小样本阈值）的值「abc」无效：应为整数"),
        (
            {"answer_threshold_seconds": "abc"},
            "参数 answer_threshold_seconds（接通时长阈值（秒））",
        ),
        ({"min_denominator": -5}, "不小于 0"),
        ({"rectification_days": 2.5}, "应为整数"),
        ({"satisfied_min_level": 6}, "取值 1–5"),
        ({"satisfied_min_level": True}, "应为整数"),
        ({"phone_channel": ""}, "应为文字"),
        ({"nosuch": 3}, "未知的参数「nosuch」；可用的参数：min_denominator（小样本阈值）"),
    ],
)
def test_parameters_are_checked_against_their_declaration(
    cuts_db: Path, params: dict, message: str
) -> None:
    """QA F9: the Python API (used by the web) validates parameters like the command does."""
    with pytest.raises(JixiaoError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compute_kpis(cuts_db, "2023-01-01", "2023-12-31", kpis=["case_count"], params=params)


def test_parameter_text_is_converted_to_its_type(published_db: Path) -> None:
    """Values arrive as text from a web form: '16' is the number 16, not the string."""
    r = whole(
        compute_kpis(
            published_db,
            "2023-01-01",
            "2023-12-31",
            kpis=["hotline_answer_rate_15s"],
            params={"answer_threshold_seconds": "16", "min_denominator": "2"},
        )
    )
    assert r["hotline_answer_rate_15s"].numerator == 25_010


RECT = ["bad_rating_rectification_rate", "bad_rating_rectified_on_time_rate"]


@pytest.fixture(scope="module")
def year_end_ratings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four bad ratings around the turn of 2023 (15 working days to rectify) and a good one:
    b1 rated Thu 28 Dec, rectified Wed 3 Jan 2024 (on time, but after the 2023 year end);
    b2 rated 20 Dec, rectified 29 Dec (on time); b3 rated 29 Dec, never rectified;
    b4 rated 1 Nov, rectified 25 Dec (late: 15 working days after 1 Nov is 22 Nov)."""
    import datetime as dt

    from kpi_data import write_store

    def rating(rid: str, rated: dt.datetime, level: int, rect: dt.datetime | None) -> dict:
        return dict(rating_id=rid, department="公安局", hall="市民中心", channel="pc",
                    rated_at=rated, level=level, defaulted=False, rectified_at=rect)  # fmt: skip

    rows = [
        rating("b1", dt.datetime(2023, 12, 28, 10), 1, dt.datetime(2024, 1, 3, 9)),
        rating("b2", dt.datetime(2023, 12, 20, 10), 2, dt.datetime(2023, 12, 29, 16)),
        rating("b3", dt.datetime(2023, 12, 29, 10), 2, None),
        rating("b4", dt.datetime(2023, 11, 1, 10), 1, dt.datetime(2023, 12, 25, 9)),
        rating("g1", dt.datetime(2023, 12, 28, 11), 5, None),
    ]
    return write_store(tmp_path_factory.mktemp("kpis") / "year_end.duckdb", {"ratings": rows})


def _num_den(v: KpiValue) -> tuple[float | None, float | None]:
    return v.numerator, v.denominator


def test_on_time_rectification_is_cut_at_the_period_end(year_end_ratings: Path) -> None:
    """QA F13: a December 差评 rectified in January is neither rectified nor rectified on time
    in the year's figures (it was counted on time but not rectified: 143 on time > 139)."""
    r = whole(compute_kpis(year_end_ratings, "2023-01-01", "2023-12-31", kpis=RECT))
    assert _num_den(r["bad_rating_rectification_rate"]) == (2, 4)  # b2, b4
    assert _num_den(r["bad_rating_rectified_on_time_rate"]) == (1, 4)  # b2 only
    # over December and January, b1 counts as rectified, and on time (b4 is outside the period)
    r = whole(compute_kpis(year_end_ratings, "2023-12-01", "2024-01-31", kpis=RECT))
    assert _num_den(r["bad_rating_rectification_rate"]) == (2, 3)  # b1, b2
    assert _num_den(r["bad_rating_rectified_on_time_rate"]) == (2, 3)  # b1, b2
    # a period ending on 2 Jan: b1 is still open at the end, so not yet counted either way
    r = whole(compute_kpis(year_end_ratings, "2023-12-01", "2024-01-02", kpis=RECT))
    assert _num_den(r["bad_rating_rectification_rate"]) == (1, 3)
    assert _num_den(r["bad_rating_rectified_on_time_rate"]) == (1, 3)


@pytest.mark.parametrize("by", [(), ("department",), ("month",)])
def test_on_time_rectified_never_exceeds_rectified(synth_db: Path, by: tuple[str, ...]) -> None:
    """On generated data, per group: the on-time ratings are a subset of the rectified ones."""
    r = compute_kpis(synth_db, "2023-01-01", "2023-12-31", by=by, kpis=RECT)
    groups: dict[tuple, dict[str, KpiValue]] = {}
    for v in r.results:
        groups.setdefault(tuple(sorted(v.group.items())), {})[v.kpi] = v
    assert groups
    for key, g in groups.items():
        done, on_time = g["bad_rating_rectification_rate"], g["bad_rating_rectified_on_time_rate"]
        assert on_time.denominator == done.denominator, key
        assert (on_time.numerator or 0) <= (done.numerator or 0), key


@pytest.fixture(scope="module")
def two_nouns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 items must enter, 3 of them entered; 1 more item entered without being on the list.
    6 calls, 5 valid; 4 tickets: one valid call never became a ticket, 2 answered directly."""
    import datetime as dt

    from kpi_data import write_store

    def item(i: int, must: bool, entered: bool) -> dict:
        return dict(item_id=f"I{i}", name=f"事项{i}", department="公安局", hall="市民中心",
                    must_enter=must, entered=entered, max_one_visit=True)  # fmt: skip

    items = [item(1, True, True), item(2, True, True), item(3, True, True), item(4, True, False)]
    items.append(item(5, False, True))
    day = dt.datetime(2023, 3, 1, 9)
    calls = [
        dict(call_id=f"C{i}", received_at=day, channel="phone", answered=True, valid=i < 5)
        for i in range(6)
    ]
    tickets = [
        dict(ticket_id=f"W{i}", call_id=f"C{i}", received_at=day, handling=h)
        for i, h in enumerate(["direct", "direct", "dispatched", "dispatched"])
    ]
    return write_store(
        tmp_path_factory.mktemp("kpis") / "nouns.duckdb",
        {"items": items, "hotline_calls": calls, "hotline_tickets": tickets},
    )


def test_numerators_and_denominators_say_what_they_count(two_nouns: Path) -> None:
    """QA F14: the counts differ by definition, and their labels say how."""
    ids = [
        "item_entry_rate",
        "max_one_visit_coverage",
        "hotline_valid_rate",
        "hotline_direct_answer_rate",
    ]
    r = whole(compute_kpis(two_nouns, "2023-01-01", "2023-12-31", kpis=ids))
    entry, cover = r["item_entry_rate"], r["max_one_visit_coverage"]
    assert (entry.numerator_label, entry.numerator) == ("已进驻的应进驻事项", 3)
    assert (entry.denominator_label, entry.denominator) == ("应进驻事项", 4)
    assert (cover.denominator_label, cover.denominator) == ("已进驻事项（含应进驻清单外的事项）", 4)
    assert cover.numerator == 4  # every entered item is 最多跑一次, the unlisted one too
    valid, direct = r["hotline_valid_rate"], r["hotline_direct_answer_rate"]
    assert (valid.numerator_label, valid.numerator, valid.denominator) == (
        "有效诉求来电和留言",
        5,
        6,
    )
    assert (direct.denominator_label, direct.denominator) == ("登记工单", 4)
    assert (direct.numerator_label, direct.numerator) == ("直接答复的工单", 2)
    assert "不是12345有效诉求率的分子" in (direct.note or "")
