"""AUD-SUM: a total against its parts.

Three phrasings are read: a total followed by its parts ("支出438.39万元，其中基本支出143.06万元，
项目支出295.33万元"; also 分别 / 包括 / 含, and parts in brackets "编制27名(事业编制25名,工勤2名)"),
parts followed by their total ("来电13772宗，留言819宗，工单17282宗，共31873宗"), and a written
sum "a+b+c=d". Parts after 其中 may run on into figures that are not parts (a carry-over after
the spending split), so any leading run of two or more parts that meets the total clears it.
A sum whose intervals cannot meet is an error, or a warning when the printed values differ by
at most one unit of the last digit (a slip; with decimals the rounding intervals usually absorb
it, so this concerns whole counts).
"""

from __future__ import annotations

import re

from jixiao.audit.context import Doc, Sentence, show
from jixiao.audit.figures import Figure
from jixiao.audit.intervals import Interval, sum_intervals
from jixiao.audit.result import Issue

_PARTS_START = re.compile(r"(其中|分别为|分别是|分别|包括|包含|含)")
_TOTAL_MARK = re.compile(
    r"^(共|合计|总计|共计|总共|累计|总计为|合计为|共计为|总数为|共有|总量为|合计约)"
)
_FORMULA = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?(?:\s*[+＋]\s*\d+(?:\.\d+)?)+)\s*[=＝]\s*(\d+(?:\.\d+)?)(?![\d.])"
)


# An amount introduced by a change phrase ("较上年增加33.10万元", "同比下降", "减少了") is a
# difference from last year, not a part of the total; yoy.py reads it (QA F26).
_CHANGE = re.compile(
    r"(((较|比|与)(上年|去年|上一年|上年度|上年同期|去年同期|\d{4}年)[\u4e00-\u9fff]{0,4}|同比)"
    r"(增加|减少|增长|下降|降低|上升|提高|多|少|减|增)了?|"
    r"(增加|减少|增长|下降|降低|上升|提高)了)(约)?$"
)


def _usable(f: Figure) -> bool:
    return not f.bound and f.kind != "score" and not _CHANGE.search(f.left)


def _judge(total: Figure, parts: list[Figure]) -> Issue | None:
    s = sum_intervals([p.interval for p in parts])
    if s.meets(total.interval):
        return None
    # A slip of one unit in the last digit (of the coarsest figure) is a warning; anything
    # more is an error. Measured between the printed values, not between the intervals: two
    # units apart (3.3 against 3.5) must not be called a one-unit rounding slip (QA F21).
    exact = sum(p.value for p in parts)
    unit = max([total.step, *[p.step for p in parts]])
    severity = "warning" if abs(total.value - exact) <= unit * 1.000001 else "error"
    expected = show(exact, total)
    shown = " + ".join(p.raw for p in parts)
    note = "（相差末位一个单位，可能是舍入）" if severity == "warning" else ""
    return Issue(
        code="AUD-SUM",
        severity=severity,
        message=f"分项之和与合计不符：{shown} = {expected}，文中合计写作 {total.raw}{note}",
        start=total.start,
        end=total.end,
        stated=total.raw,
        expected=expected,
    )


def _runs_fit(total: Figure, parts: list[Figure], leading: bool) -> tuple[bool, list[Figure]]:
    """Whether some run of ≥2 parts (leading or trailing) meets the total; else the closest run."""
    best: list[Figure] = parts
    best_gap = float("inf")
    n = len(parts)
    for k in range(2, n + 1):
        run = parts[:k] if leading else parts[n - k :]
        s = sum_intervals([p.interval for p in run])
        if s.meets(total.interval):
            return True, run
        gap = s.distance(total.interval)
        if gap < best_gap:
            best, best_gap = run, gap
    return False, best


def _single_part(total: Figure, part: Figure) -> Issue | None:
    if part.interval.lo <= total.interval.hi or (
        total.kind == "percent" and part.kind != "percent"
    ):
        return None
    return Issue(
        code="AUD-SUM",
        severity="error",
        message=f"“其中”部分 {part.raw} 大于总数 {total.raw}",
        start=part.start,
        end=part.end,
        stated=part.raw,
        expected=f"≤{total.raw}",
    )


def _after_total(doc: Doc, s: Sentence, prev: Sentence | None, out: list[Issue]) -> None:
    text = doc.text
    figs = [f for f in s.figures if _usable(f)]
    pairs: list[tuple[Figure, list[Figure], bool]] = []
    for i, t in enumerate(figs):
        nxt = figs[i + 1] if i + 1 < len(figs) else None
        between = text[t.end : nxt.start] if nxt else text[t.end : s.end]
        # Parts in brackets right after the total.
        if between.startswith("("):
            close = text.find(")", t.end)
            inner = [f for f in figs[i + 1 :] if f.end <= close and f.compatible(t)]
            if inner:
                pairs.append((t, inner, True))
                continue
        m = _PARTS_START.search(between)
        if m and nxt is not None and not re.search(r"[。；;]", between[: m.start()]):
            # The parts must follow the marker with no total-looking figure in between.
            parts = [f for f in figs[i + 1 :] if f.compatible(t)]
            if parts:
                pairs.append((t, parts, False))
    # "……！其中A项，B项" continuing the previous sentence.
    if prev is not None and s.text.lstrip().startswith("其中") and s.figures:
        first = next((f for f in figs), None)
        if first is not None:
            tot = [f for f in prev.figures if _usable(f) and f.compatible(first)]
            if tot:
                pairs.append((tot[-1], [f for f in figs if f.compatible(tot[-1])], False))
    for total, parts, bracketed in pairs:
        parts = [p for p in parts if p.start > total.start]
        if not parts:
            continue
        if len(parts) == 1:
            issue = _single_part(total, parts[0])
        else:
            ok, run = _runs_fit(total, parts, leading=True)
            issue = None if ok else _judge(total, run)
            if issue is not None and total.kind == "count" and not bracketed:
                # Counts after 其中 may overlap (网上办理 and 即办件 are both 办件) or leave
                # categories out; a money split (基本支出 + 项目支出) or a bracketed breakdown
                # is a partition.
                issue.severity = "warning"
                issue.message += "；若分项有交叉或未列全，请核对"
            if issue is not None and sum(p.value for p in run) < 0.5 * total.value:
                # Parts far short of the total may be a few named items of a longer list
                # ("其中不动产登记…，社保…"): say so, as a warning rather than an error.
                issue.severity = "warning"
                issue.message += "；若所列并非全部分项，请忽略"
        if issue is not None:
            out.append(issue)


def _before_total(doc: Doc, s: Sentence, out: list[Issue]) -> None:
    figs = [f for f in s.figures if _usable(f)]
    for i, t in enumerate(figs):
        if not _TOTAL_MARK.match(t.left) or len(t.left) > 8:
            continue
        # The total opens its clause ("，共31873宗"); a "共" followed by a verb and a noun
        # ("共接听群众来电13772宗") counts what follows, not what precedes.
        if any(ch in t.left for ch in "接受办进有启"):
            continue
        parts = [f for f in figs[:i] if f.compatible(t)]
        if len(parts) < 2:
            continue
        ok, _ = _runs_fit(t, parts, leading=False)
        if ok:
            continue
        issue = _judge(t, parts)
        if issue is not None:
            out.append(issue)


def _formulas(doc: Doc, out: list[Issue]) -> None:
    if "+" not in doc.text:
        return
    for m in _FORMULA.finditer(doc.text):
        terms = re.split(r"\s*[+＋]\s*", m.group(1))
        parts = [_bare(t) for t in terms]
        total_s = m.group(2)
        total = _bare(total_s)
        s = sum_intervals(parts)
        if s.meets(total):
            continue
        exact = sum(float(t) for t in terms)
        dec = max(len(t.split(".")[1]) if "." in t else 0 for t in [*terms, total_s])
        expected = f"{exact:.{dec}f}"
        out.append(
            Issue(
                "AUD-SUM",
                "error",
                f"算式不成立：{m.group(1)} = {expected}，文中写作 {total_s}",
                m.start(2),
                m.end(2),
                stated=total_s,
                expected=expected,
            )
        )


def _bare(t: str) -> Interval:
    dec = len(t.split(".")[1]) if "." in t else 0
    v = float(t)
    half = 0.5 * 10.0**-dec if dec else 0.0
    return Interval(v - half, v + half)


_INCOME = re.compile(r"收入(数|合计|总额|总计)?(是|为|共)?$")
_SPEND = re.compile(r"(?<!基本)(?<!项目)(?<!其中)支出(数|合计|总额|总计|决算数)?(是|为|共)?$")
_END_BAL = re.compile(
    r"(?<!上年)(?<!年初)(结余结转|结转结余|结转和结余|结余|结转)(资金)?(数|总额)?(是|为)?$"
)
_PRIOR_BAL = re.compile(
    r"(上年|年初|上年末)[\u4e00-\u9fff]{0,6}(结余|结转)[\u4e00-\u9fff]{0,4}(是|为)?$"
)


def _balance(s: Sentence, out: list[Issue]) -> None:
    """AUD-BALANCE: carry-over at year end = carry-over brought in + income − spending.

    Read only when one sentence states income, total spending and the year-end carry-over
    ("收入439.62万元，支出438.39万元，……结余结转资金为1.23万元"). Without the carry-over brought
    in, it may have been stated elsewhere, so a mismatch is then only a warning.
    """
    money = [f for f in s.figures if f.kind == "money" and not f.bound]
    inc = [f for f in money if _INCOME.search(f.left)]
    spend = [f for f in money if _SPEND.search(f.left)]
    prior = [f for f in money if _PRIOR_BAL.search(f.left)]
    end = [f for f in money if _END_BAL.search(f.left) and f not in prior]
    if len(inc) != 1 or len(spend) != 1 or len(end) != 1 or len(prior) > 1:
        return
    (i, sp, e) = (inc[0], spend[0], end[0])
    if e.start < sp.start:
        return  # the carry-over named before the spending is the one brought in
    calc = i.interval - sp.interval
    exact = i.value - sp.value
    how = f"{i.raw} − {sp.raw}"
    if prior:
        calc = prior[0].interval + calc
        exact += prior[0].value
        how = f"{prior[0].raw} + {how}"
    if calc.meets(e.interval):
        return
    expected = show(exact, e)
    out.append(
        Issue(
            code="AUD-BALANCE",
            severity="error" if prior else "warning",
            message=f"结转结余与收支不符：{how} = {expected}，文中写作 {e.raw}"
            + ("" if prior else "（句中未列年初结转，如另有年初结转请核对）"),
            start=e.start,
            end=e.end,
            stated=e.raw,
            expected=expected,
        )
    )


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    prev: Sentence | None = None
    for s in doc.sentences:
        if len(s.figures) >= 2 or (len(s.figures) == 1 and s.text.lstrip().startswith("其中")):
            _after_total(doc, s, prev, out)
            _before_total(doc, s, out)
            _balance(s, out)
        prev = s
    _formulas(doc, out)
    return out
