"""Synthetic data: same seed, same bytes; and it looks like a real centre's year."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pytest

from jixiao.errors import JixiaoError
from jixiao.records.calendar import working_day_table
from jixiao.records.schema import arrow_schema
from jixiao.records.synth import synthesize


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "demo"
    synthesize(out, cases=40_000, tickets=8_000, ratings=20_000, seed=11, chunk_size=15_000)
    return out


def test_same_seed_same_files(tmp_path: Path, demo: Path) -> None:
    again = synthesize(
        tmp_path / "again", cases=40_000, tickets=8_000, ratings=20_000, seed=11, chunk_size=15_000
    )
    assert _digest(again.out_dir) == _digest(demo)
    other = synthesize(
        tmp_path / "other", cases=40_000, tickets=8_000, ratings=20_000, seed=12, chunk_size=15_000
    )
    assert _digest(other.out_dir)["cases.parquet"] != _digest(demo)["cases.parquet"]


def test_files_follow_the_canonical_schema(demo: Path) -> None:
    import pyarrow.parquet as pq

    for table in ("items", "cases", "hotline_calls", "hotline_tickets", "ratings"):
        schema = pq.read_schema(demo / f"{table}.parquet")
        assert schema.names == arrow_schema(table).names
        assert [f.type for f in schema] == [f.type for f in arrow_schema(table)]


_CON = duckdb.connect()
_CON.register("cal", working_day_table(2023, 2024))


def _q(sql: str) -> tuple:
    return _CON.execute(sql).fetchone()


def test_cases_are_realistic(demo: Path) -> None:
    cases = f"read_parquet('{demo}/cases.parquet')"
    items = f"read_parquet('{demo}/items.parquet')"
    n_items, n_depts, n_halls = _q(
        f"SELECT count(*), count(DISTINCT department), count(DISTINCT hall) FROM {items}"
    )
    assert 200 <= n_items <= 500 and n_depts == 25 and n_halls >= 3
    (on_holiday,) = _q(
        f"SELECT count(*) FROM {cases} c JOIN cal ON cal.day = CAST(c.accepted_at AS DATE) "
        "WHERE NOT cal.working"
    )
    assert on_holiday == 0
    (outside_hours,) = _q(
        f"SELECT count(*) FROM {cases} WHERE hour(accepted_at) < 9 OR hour(accepted_at) >= 18"
    )
    assert outside_hours == 0
    online, late, open_, early, refused, withdrawn = _q(
        f"""SELECT avg((channel = 'online')::INT),
                   avg((CAST(completed_at AS DATE) > promised_deadline)::INT)
                       FILTER (WHERE completed_at IS NOT NULL),
                   avg((completed_at IS NULL)::INT),
                   count(*) FILTER (WHERE completed_at < accepted_at),
                   avg((result = 'refused')::INT), avg((result = 'withdrawn')::INT)
            FROM {cases}"""
    )
    assert 0.35 <= online <= 0.8
    assert 0.01 <= late <= 0.1
    assert 0.001 <= open_ <= 0.05
    assert early == 0
    assert 0.01 <= refused <= 0.05 and 0.005 <= withdrawn <= 0.03
    # Open cases are the ones not finished by the year's end.
    (open_early,) = _q(
        f"SELECT count(*) FROM {cases} WHERE completed_at IS NULL AND accepted_at < '2023-11-01'"
    )
    assert open_early == 0
    # Seasonality: the Spring Festival month is quieter than December.
    feb, dec = _q(
        f"SELECT avg((month(accepted_at) = 2)::INT), avg((month(accepted_at) = 12)::INT) "
        f"FROM {cases}"
    )
    assert feb < dec
    (bad_item,) = _q(
        f"SELECT count(*) FROM {cases} c ANTI JOIN {items} i USING (item_id, department, hall)"
    )
    assert bad_item == 0


def test_hotline_and_ratings_are_realistic(demo: Path) -> None:
    calls = f"read_parquet('{demo}/hotline_calls.parquet')"
    tickets = f"read_parquet('{demo}/hotline_tickets.parquet')"
    ratings = f"read_parquet('{demo}/ratings.parquet')"
    cases = f"read_parquet('{demo}/cases.parquet')"
    (n_calls,) = _q(f"SELECT count(*) FROM {calls}")
    assert n_calls == round(8_000 * 1.4)
    (answer_rate,) = _q(f"SELECT avg(answered::INT) FROM {calls} WHERE channel = 'phone'")
    assert 0.9 <= answer_rate <= 0.99
    direct, closed, not_followed = _q(
        f"""SELECT avg((handling = 'direct')::INT),
                   avg((closed_at IS NOT NULL)::INT) FILTER (WHERE handling = 'dispatched'),
                   avg((followup = '未回访')::INT) FROM {tickets}"""
    )
    assert 0.3 <= direct <= 0.7 and 0.9 <= closed < 1 and 0 < not_followed < 0.2
    (bad_dispatch,) = _q(
        f"SELECT count(*) FROM {tickets} WHERE handling = 'dispatched' "
        "AND (department IS NULL OR due_at <= dispatched_at OR dispatched_at < received_at)"
    )
    assert bad_dispatch == 0
    linked, orphan, too_early = _q(
        f"""SELECT avg((t.call_id IS NOT NULL)::INT),
                   count(*) FILTER (WHERE t.call_id IS NOT NULL AND c.call_id IS NULL),
                   count(*) FILTER (WHERE t.received_at < c.received_at
                                    OR t.received_at > c.received_at + INTERVAL 5 MINUTE
                                    OR NOT c.valid)
            FROM {tickets} t LEFT JOIN {calls} c USING (call_id)"""
    )
    assert linked > 0.8  # tickets are registered from valid calls
    assert orphan == 0 and too_early == 0
    (twice,) = _q(
        f"SELECT count(*) FROM (SELECT call_id FROM {tickets} WHERE call_id IS NOT NULL "
        "GROUP BY 1 HAVING count(*) > 1)"
    )
    assert twice == 0
    defaulted, bad, rectified, unknown_case = _q(
        f"""SELECT avg(defaulted::INT), count(*) FILTER (WHERE level <= 2),
                   count(rectified_at) FILTER (WHERE level <= 2),
                   (SELECT count(*) FROM {ratings} r ANTI JOIN {cases} c USING (case_id))
            FROM {ratings}"""
    )
    assert 0.3 <= defaulted <= 0.8
    assert 0 < rectified < bad  # some bad ratings are never rectified
    assert unknown_case == 0
    levels = {r[0] for r in _CON.execute(f"SELECT DISTINCT level FROM {ratings}").fetchall()}
    assert levels == {1, 2, 3, 4, 5}


def test_bad_parameters_are_chinese_errors(tmp_path: Path) -> None:
    with pytest.raises(JixiaoError, match="年份"):
        synthesize(tmp_path, cases=10, tickets=0, ratings=0, year=2030)
    with pytest.raises(JixiaoError, match="办件数量须大于 0"):
        synthesize(tmp_path, cases=0, tickets=0, ratings=5)
    with pytest.raises(JixiaoError, match="不能为负数"):
        synthesize(tmp_path, cases=-1, tickets=0, ratings=0)


def test_memory_is_bounded_by_chunk_size_not_rows() -> None:
    # The generator holds one chunk of each table at a time; this checks the chunking logic.
    from jixiao.records.synth import _chunks

    assert _chunks(10, 4) == [(0, 4), (4, 4), (8, 2)]
    assert np.sum([n for _, n in _chunks(1_000_003, 100_000)]) == 1_000_003
