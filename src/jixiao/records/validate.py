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

# Cell values that mean "no value" in Chinese exports.
EMPTY_MARKERS = ("-", "--", "—", "——", "/", "无", "空", "NULL", "null", "None", "N/A", "#N/A")

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
    """One canonical column, computed in layers so that no expression is repeated.

    Layer 1 (over the staged source ``s``): ``raw`` (trimmed text, NULL when empty) and, for a
    typed source column, ``native``; layer 2: ``text`` (recoded); layer 3: ``value`` (the
    store's type); layer 4: ``problems``, conditions on the raw and typed columns.
    """

    column: Column
    raw: str
    native: str | None
    text: str
    value: str
    problems: list[tuple[str, str]]  # (SQL condition, reason)


def _r(name: str) -> str:
    return _ident(f"__r_{name}")


def _n(name: str) -> str:
    return _ident(f"__n_{name}")


def _x(name: str) -> str:
    return _ident(f"__x_{name}")


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
    """The layered expressions of one canonical column (see :class:`Typed`)."""
    header = source.columns.get(column.name)
    if header is None:
        return None
    table = source.table
    name = column.name
    src_type = source.types.get(header, "VARCHAR").upper()
    is_text = src_type == "VARCHAR"
    target = duckdb_type(column.type)
    label = column.label
    raw = f"NULLIF(TRIM(CAST(s.{_ident(header)} AS VARCHAR)), '')"
    if is_text:
        # Exports write an empty value as a dash or 无 as often as they leave the cell blank.
        # (For a yes/no column 无 means "no", so it stays a value there.)
        markers = [m for m in EMPTY_MARKERS if not (target == "BOOLEAN" and m == "无")]
        empty = ", ".join(map(_q, markers))
        raw = f"(CASE WHEN {raw} IN ({empty}) THEN NULL ELSE {raw} END)"
    native = None if is_text else f"s.{_ident(header)}"
    r, n, x, v = _r(name), _n(name), _x(name), _ident(name)
    codes = _codes(source, table, name, mapping)
    text = _case(f"jx_key({r})", codes, r)
    overridden = any(normalise(k) in mapping.values for k in (header, column.name, column.label))
    if codes and not overridden:
        # Values already in canonical form (all of the synthetic data, most system exports)
        # skip the recoding CASE.
        canonical = ", ".join(map(_q, sorted(set(codes.values()))))
        text = f"(CASE WHEN {r} IN ({canonical}) THEN {r} ELSE {text} END)"
    problems: list[tuple[str, str]] = []
    if target == "VARCHAR":
        value = x
        allowed = ENUMS.get(table, {}).get(name)
        if allowed:
            problems.append(
                (
                    f"{v} IS NOT NULL AND {v} NOT IN ({', '.join(map(_q, allowed))})",
                    f"{label}取值无法识别",
                )
            )
    elif target in ("INTEGER", "TINYINT", "SMALLINT", "BIGINT"):
        if is_text:
            value = (
                f"CASE WHEN regexp_full_match({x}, "
                "'-?\\d+(\\.0+)?\\s*(个)?(工作日|天|日|秒|次|级|星)?') "
                f"THEN try_cast(regexp_extract({x}, '^-?\\d+') AS {target}) END"
            )
        elif "INT" in src_type:
            value = f"try_cast({n} AS {target})"
        else:
            value = f"CASE WHEN {n} = floor({n}) THEN try_cast({n} AS {target}) END"
        problems.append((f"{r} IS NOT NULL AND {v} IS NULL", f"{label}不是整数"))
        problems.append((f"{v} < 0", f"{label}为负数"))
    elif target == "BOOLEAN":
        if src_type == "BOOLEAN":
            value = n
        elif is_text:
            bools = {k: ("true" if b else "false") for k, b in BOOL_VALUES.items()}
            whens = " ".join(f"WHEN {_q(k)} THEN {b}" for k, b in bools.items())
            value = f"(CASE jx_key({x}) {whens} ELSE NULL END)"
        else:
            value = f"({n} <> 0)"
        problems.append((f"{r} IS NOT NULL AND {v} IS NULL", f"{label}应为「是」或「否」"))
    elif target in ("TIMESTAMP", "DATE"):
        if "TIME ZONE" in src_type or "TZ" in src_type:
            ts = f"timezone({_q(TIMEZONE)}, CAST({n} AS TIMESTAMPTZ))"
        elif src_type.startswith("TIMESTAMP") or src_type == "DATE":
            ts = f"CAST({n} AS TIMESTAMP)"
        else:
            ts = f"jx_ts({x})"
        value = ts if target == "TIMESTAMP" else f"CAST({ts} AS DATE)"
        problems.append((f"{r} IS NOT NULL AND {v} IS NULL", f"{label}无法识别为日期时间"))
    else:  # pragma: no cover - the schema has no other types
        raise TypeError(target)
    if name == "level" and table == "ratings":
        problems.append((f"{v} IS NOT NULL AND {v} NOT BETWEEN 1 AND 5", f"{label}应为 1–5"))
    return Typed(column, raw, native, text, f"CAST({value} AS {target})", problems)


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
    present = {name: t for name, t in typed.items() if t}
    l1 = ["s.__row"]
    l2 = ["__row"]
    l3 = ["__row"]
    for name, t in present.items():
        l1.append(f"{t.raw} AS {_r(name)}")
        if t.native:
            l1.append(f"{t.native} AS {_n(name)}")
        l2 += [_r(name)] + ([_n(name)] if t.native else []) + [f"{t.text} AS {_x(name)}"]
        l3 += [_r(name), f"{t.value} AS {_ident(name)}"]
    for c in TABLES[table]:
        if c.name not in present:
            l3.append(f"CAST(NULL AS {duckdb_type(c.type)}) AS {_ident(c.name)}")
    problems = [
        f"CASE WHEN {cond} THEN {_q(why)} END" for t in present.values() for cond, why in t.problems
    ]
    typed_cols = ", ".join(_ident(c.name) for c in TABLES[table])
    first = (
        f"SELECT __row, {typed_cols}, {_problem_list(problems)} AS __p FROM ("
        f"SELECT {', '.join(l3)} FROM (SELECT {', '.join(l2)} FROM ("
        f"SELECT {', '.join(l1)} FROM {staged} s)))"
    )
    # Second stage: checks over typed values (missing fields, order, catalogue, deadlines).
    later: list[str] = ["t.__p"]
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
            continue  # filled from the catalogue; checked above, when the item is known
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
