"""AUD-YOY / AUD-YOY-BASE: a year-on-year change rate against its base.

"决算数为933.10万元，较上年增加244.08万元，增长35.42%": last year was 933.10 − 244.08 = 689.02,
so the rate is 244.08 / 689.02. A common slip divides by this year's value instead; when the
stated rate fits that wrong base, the finding says so (AUD-YOY-BASE).
"""

from __future__ import annotations

import re

from jixiao.audit.context import Doc, show
from jixiao.audit.figures import Figure
from jixiao.audit.intervals import Interval
from jixiao.audit.result import Issue

_COMPARE = re.compile(r"(较|比|同比|与)(上年|去年|上一年|上年度|上年同期|去年同期|\d{4}年)")
_DELTA = re.compile(r"(增加|减少|增长|下降|降低|上升|提高|多|少|减|增)了?(约)?$")
_RATE = re.compile(r"(增加|减少|增长|下降|降低|上升|提高|增幅|降幅|减幅|减|增)(了|为|达)?(约)?$")
_DOWN = ("减少", "下降", "降低", "少", "减", "降幅", "减幅")
_LAST = re.compile(r"(上年|去年|上一年|上年度|上年同期|去年同期)[\u4e00-\u9fff]{0,6}(为|是|:)$")


def _pct(num: Interval, den: Interval) -> Interval | None:
    q = num.div(den)
    return q.scale(100.0) if q else None


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    for s in doc.sentences:
        if not _COMPARE.search(s.text):
            continue
        figs = [f for f in s.figures if not f.bound]
        for i, p in enumerate(figs):
            if p.kind != "percent":
                continue
            rm = _RATE.search(p.left)
            if not rm:
                continue
            down = rm.group(1) in _DOWN
            prior = [f for f in figs[:i] if f.kind not in ("percent", "score")]
            delta: Figure | None = None
            for f in reversed(prior):
                if _DELTA.search(f.left):
                    delta = f
                    break
            last = next(
                (f for f in reversed(prior) if _LAST.search(f.left) and not _DELTA.search(f.left)),
                None,
            )
            cur = None
            cands: list[Figure] = []
            if delta is not None:
                cands = [f for f in prior if f.start < delta.start and f.compatible(delta)]
                cands = [f for f in cands if f is not last]
                cur = cands[-1] if cands else None
            # The changed quantity is not always the figure right before the change ("预算
            # 5.00万元，实际支出4.20万元；预算较上年减少1.00万元"): any earlier figure of the
            # sentence that makes the rate come out right clears it.
            if (
                last is None
                and delta is not None
                and any(_explains(p, down, c, delta) for c in cands)
            ):
                continue
            issue = _judge(p, down, cur, delta, last)
            if issue is not None:
                out.append(issue)
    return out


def _explains(p: Figure, down: bool, cur: Figure, delta: Figure) -> bool:
    """Whether ``cur`` as this year's value makes the stated rate come out right."""
    base = cur.interval + delta.interval if down else cur.interval - delta.interval
    if base.lo <= 0:
        return False
    rate = _pct(delta.interval, base)
    return rate is not None and rate.meets(p.interval)


def _judge(
    p: Figure, down: bool, cur: Figure | None, delta: Figure | None, last: Figure | None
) -> Issue | None:
    if delta is not None and last is not None:
        base_iv, base_v = last.interval, last.value
        how = f"{delta.raw} ÷ 上年 {last.raw}"
    elif delta is not None and cur is not None:
        if down:
            base_iv, base_v = cur.interval + delta.interval, cur.value + delta.value
        else:
            base_iv, base_v = cur.interval - delta.interval, cur.value - delta.value
        sign = "+" if down else "−"
        how = f"{delta.raw} ÷ 上年（{cur.raw} {sign} {delta.raw}）"
    elif cur is not None and last is not None:
        return None
    else:
        return None
    if base_v <= 0:
        return None
    rate = _pct(delta.interval, base_iv)
    if rate is None or rate.meets(p.interval):
        return None
    exact = delta.value / base_v * 100
    expected = show(exact, p)
    if cur is not None and last is None:
        wrong = _pct(delta.interval, cur.interval)
        if wrong is not None and wrong.meets(p.interval):
            return Issue(
                code="AUD-YOY-BASE",
                severity="error",
                message=(
                    f"同比变动率用错基数：应以上年数为基数，{how} = {expected}；"
                    f"文中 {p.raw} 是以本年数 {cur.raw} 为基数算出的（{delta.raw} ÷ {cur.raw}）"
                ),
                start=p.start,
                end=p.end,
                stated=p.raw,
                expected=expected,
            )
    return Issue(
        code="AUD-YOY",
        severity="error",
        message=f"同比变动率与所列数字不符：{how} = {expected}，文中写作 {p.raw}",
        start=p.start,
        end=p.end,
        stated=p.raw,
        expected=expected,
    )
