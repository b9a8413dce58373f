"""The SQL that turns a staged source into canonical, typed columns and says what is wrong.

Every check is a column expression evaluated by DuckDB over the whole file at once; a row's
reasons are joined into one Chinese string (empty when the row is good).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from jixiao.records.headers import BOOL_VALUES, ENUMS, VALUE_CODES, normalise
from jixiao.records.mapping import Mapping
from jixiao.records.schema import TABLES, TIMEZONE, Column
from jixiao.records.sources import Source
from jixiao.records.store import duckdb_type

NAIVE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H时%M分%S秒",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日%H时%M分%S秒",
    "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%Y%m%d",
]
OFFSET_FORMATS = [
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M%z",
    "%Y/%m/%d %H:%M:%S%z",
]

# A row's problems, in Chinese; these strings are what the summary counts by.
DUPLICATE = "编号重复但内容不同"
UNKNOWN_ITEM = "事项编码不在事项目录中"
DEADLINE_OUT_OF_CALENDAR = "无法计算承诺办结日期：受理日期或期限超出法定节假日日历的覆盖年份"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """``jx_ts(text)``: parse the timestamp formats of Chinese exports to Asia/Shanghai time."""
    naive = "[" + ", ".join(_q(f) for f in NAIVE_FORMATS) + "]"
    offset = "[" + ", ".join(_q(f) for f in OFFSET_FORMATS) + "]"
    con.execute(
        f"""CREATE OR REPLACE TEMP MACRO jx_ts(s) AS
        CASE WHEN regexp_matches(s, '(Z|[+-]\\d{{2}}:?\\d{{2}})$')
             THEN timezone({_q(TIMEZONE)}, try_strptime(
                      regexp_replace(replace(s, 'T', ' '), 'Z$', '+00:00'), {offset}))
             ELSE try_strptime(s, {naive}) END"""
    )
    con.execute(
        "CREATE OR REPLACE TEMP MACRO jx_key(s) AS "
        "lower(replace(replace(replace(s, ' ', ''), '\u3000', ''), chr(9), ''))"
    )


@dataclass
class Typed:
    column: Column
    expr: str  # typed value, in the store's type
    problems: list[tuple[str, str]]  # (SQL condition, reason)


def _codes(source: Source, table: str, column: str, mapping: Mapping) -> dict[str, str]:
    codes = dict(VALUE_CODES.get(table, {}).get(column, {}))
    col = next(c for c in TABLES[table] if c.name == column)
    header = source.columns.get(column, "")
    for key in (normalise(header), normalise(column), normalise(col.label)):
        if key in mapping.values:
            # a mapping's code may itself be a built-in synonym (渠道: {柜台: 窗口})
            for src, dst in mapping.values[key].items():
                codes[src] = codes.get(normalise(dst), dst)
            break
    return codes


def _case(key: str, codes: dict[str, str], default: str) -> str:
    if not codes:
        return default
    whens = " ".join(f"WHEN {_q(k)} THEN {_q(v)}" for k, v in codes.items())
    return f"(CASE {key} {whens} ELSE {default} END)"


def typed_column(source: Source, column: Column, mapping: Mapping) -> Typed | None:
    """The typed expression of one canonical column over the staged source (``s``)."""
    header = source.columns.get(column.name)
    if header is None:
        return None
    table = source.table
    src_type = source.types.get(header, "VARCHAR").upper()
    x = f"s.{_ident(header)}"
    target = duckdb_type(column.type)
    label = column.label
    raw = f"NULLIF(TRIM(CAST({x} AS VARCHAR)), '')"
    codes = _codes(source, table, column.name, mapping)
    text = _case("jx_key(" + raw + ")", codes, raw)
    canonical = sorted(set(codes.values()))
    if codes and not any(normalise(header) in mapping.values for header in (header, column.name)):
        # Values already in canonical form (all of the synthetic data, most system exports)
        # skip the recoding CASE.
        text = f"(CASE WHEN {raw} IN ({', '.join(map(_q, canonical))}) THEN {raw} ELSE {text} END)"
    problems: list[tuple[str, str]] = []
    is_text = src_type == "VARCHAR"
    if target == "VARCHAR":
        expr = text
        allowed = ENUMS.get(table, {}).get(column.name)
        if allowed:
            problems.append(
                (
                    f"{expr} IS NOT NULL AND {expr} NOT IN ({', '.join(map(_q, allowed))})",
                    f"{label}取值无法识别",
                )
            )
    elif target in ("INTEGER", "TINYINT", "SMALLINT", "BIGINT"):
        if is_text:
            number = (
                f"CASE WHEN regexp_full_match({text}, "
                "'-?\\d+(\\.0+)?\\s*(个)?(工作日|天|日|秒|次|级|星)?') "
                f"THEN try_cast(regexp_extract({text}, '^-?\\d+') AS {target}) END"
            )
        elif "INT" in src_type:
            number = f"try_cast({x} AS {target})"
        else:
            number = f"CASE WHEN {x} = floor({x}) THEN try_cast({x} AS {target}) END"
        expr = number
        problems.append((f"{raw} IS NOT NULL AND {expr} IS NULL", f"{label}不是整数"))
        problems.append((f"{expr} < 0", f"{label}为负数"))
    elif target == "BOOLEAN":
        if src_type == "BOOLEAN":
            expr = x
        elif is_text:
            bools = {k: ("true" if v else "false") for k, v in BOOL_VALUES.items()}
            whens = " ".join(f"WHEN {_q(k)} THEN {v}" for k, v in bools.items())
            expr = f"(CASE jx_key({text}) {whens} ELSE NULL END)"
        else:
            expr = f"({x} <> 0)"
        problems.append((f"{raw} IS NOT NULL AND {expr} IS NULL", f"{label}应为「是」或「否」"))
    elif target in ("TIMESTAMP", "DATE"):
        if "TIME ZONE" in src_type or "TZ" in src_type:
            ts = f"timezone({_q(TIMEZONE)}, CAST({x} AS TIMESTAMPTZ))"
        elif src_type.startswith("TIMESTAMP") or src_type == "DATE":
            ts = f"CAST({x} AS TIMESTAMP)"
        else:
            ts = f"jx_ts({text})"
        expr = ts if target == "TIMESTAMP" else f"CAST({ts} AS DATE)"
        problems.append((f"{raw} IS NOT NULL AND {expr} IS NULL", f"{label}无法识别为日期时间"))
    else:  # pragma: no cover - the schema has no other types
        raise TypeError(target)
    if column.name == "level" and table == "ratings":
        problems.append((f"{expr} IS NOT NULL AND {expr} NOT BETWEEN 1 AND 5", f"{label}应为 1–5"))
    return Typed(column, f"CAST({expr} AS {target})", problems)


# Ordering rules between two timestamp columns of a table: (earlier, later, reason).
ORDER_RULES: dict[str, list[tuple[str, str, str]]] = {
    "cases": [("accepted_at", "completed_at", "办结时间早于受理时间")],
    "hotline_tickets": [
        ("received_at", "closed_at", "办结时间早于受理时间"),
        ("received_at", "dispatched_at", "派单时间早于受理时间"),
    ],
    "ratings": [("rated_at", "rectified_at", "整改时间早于评价时间")],
}


def checked_sql(source: Source, staged: str, mapping: Mapping, calendar: tuple[str, str]) -> str:
    """SELECT of ``__row``, every canonical column (typed) and ``__reasons`` for a source."""
    table = source.table
    typed = {c.name: typed_column(source, c, mapping) for c in TABLES[table]}
    select = ["s.__row"]
    problems: list[str] = []
    for name, t in typed.items():
        col = next(c for c in TABLES[table] if c.name == name)
        select.append(
            f"{t.expr if t else 'CAST(NULL AS ' + duckdb_type(col.type) + ')'} AS {_ident(name)}"
        )
        if t:
            problems += [f"CASE WHEN {cond} THEN {_q(why)} END" for cond, why in t.problems]
    first = f"SELECT {', '.join(select)}, {_problem_list(problems)} AS __p FROM {staged} s"
    # Second stage: checks over typed values (missing fields, order, catalogue, deadlines).
    later: list[str] = ["t.__p"]
    cols = [_ident(c.name) for c in TABLES[table]]
    joins = ""
    if table == "cases":
        cal, workdays = calendar
        joins = (
            " LEFT JOIN items i ON i.item_id = t.item_id"
            f" LEFT JOIN {cal} c1 ON c1.day = CAST(t.accepted_at AS DATE)"
            f" LEFT JOIN {workdays} c2 ON c2.ordinal = c1.ordinal + i.promised_limit_days"
        )
        computed = (
            "CASE WHEN i.promised_limit_days = 0 THEN CAST(t.accepted_at AS DATE) ELSE c2.day END"
        )
        fills = {
            "department": "COALESCE(t.department, i.department)",
            "hall": "COALESCE(t.hall, i.hall)",
            "promised_deadline": f"COALESCE(t.promised_deadline, {computed})",
        }
        cols = [
            fills.get(c.name, f"t.{_ident(c.name)}") + f" AS {_ident(c.name)}"
            for c in TABLES[table]
        ]
        later.append(
            f"CASE WHEN t.item_id IS NOT NULL AND i.item_id IS NULL THEN {_q(UNKNOWN_ITEM)} END"
        )
        later.append(
            "CASE WHEN t.promised_deadline IS NULL AND i.promised_limit_days IS NOT NULL "
            f"AND t.accepted_at IS NOT NULL AND ({computed}) IS NULL "
            f"THEN {_q(DEADLINE_OUT_OF_CALENDAR)} END"
        )
        value = {c.name: fills.get(c.name, f"t.{_ident(c.name)}") for c in TABLES[table]}
        for name in ("department", "hall"):
            label = next(c.label for c in TABLES[table] if c.name == name)
            later.append(
                f"CASE WHEN i.item_id IS NOT NULL AND {value[name]} IS NULL "
                f"THEN {_q('缺少' + label)} END"
            )
    else:
        cols = [f"t.{_ident(c.name)}" for c in TABLES[table]]
        value = {c.name: f"t.{_ident(c.name)}" for c in TABLES[table]}
    for c in TABLES[table]:
        if table == "cases" and c.name in ("department", "hall"):
            continue  # filled from the catalogue; checked below when the item is known
        if not c.nullable:
            later.append(
                f"CASE WHEN {value[c.name]} IS NULL AND NOT contains(coalesce(t.__p, ''), "
                f"{_q(c.label)}) THEN {_q('缺少' + c.label)} END"
            )
    for earlier, after, why in ORDER_RULES.get(table, []):
        later.append(f"CASE WHEN t.{after} < t.{earlier} THEN {_q(why)} END")
    if table == "items":
        later.append(
            "CASE WHEN t.promised_limit_days > t.legal_limit_days THEN '承诺时限超过法定时限' END"
        )
    return (
        f"SELECT t.__row, {', '.join(cols)}, concat_ws('；', {', '.join(later)}) AS __reasons "
        f"FROM ({first}) t{joins}"
    )


def _problem_list(problems: list[str]) -> str:
    if not problems:
        return "CAST(NULL AS VARCHAR)"
    return f"NULLIF(concat_ws('；', {', '.join(problems)}), '')"
