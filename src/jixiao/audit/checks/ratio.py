"""AUD-RATIO / AUD-RATE-RANGE: a stated rate against the numerator and denominator printed
beside it ("受理94837件，办结94398件，办结率99.54%", "1124个事项中…326个…占比30%").

Only a rate whose numerator and denominator can be told apart with confidence is checked; before
an inconsistency is reported, every other reading of the figures in the sentence (another pair,
a sum as numerator or denominator, a complement 1 − a/b) is tried, and any reading that fits
clears it. That keeps false alarms rare at the cost of a few missed errors, which the mutation
benchmark counts.
"""

from __future__ import annotations

import itertools
import math
import re

from jixiao.audit.context import Doc, Sentence, show
from jixiao.audit.figures import Figure
from jixiao.audit.intervals import Interval
from jixiao.audit.result import Issue

_LABEL = re.compile(
    r"(?P<label>[\u4e00-\u9fff“”\"]{0,14}?)(?P<kind>率|比例|比重|占比|占)"
    r"(?:为|达|达到|是|约为|高达|仅为|:|分别为)?$"
)
_CHANGE = re.compile(
    r"(增长|增加|减少|下降|提高|提升|降低|上升|同比|环比|增幅|降幅|减幅|增速|下滑)"
)
# Rates that cannot exceed 100 %: a share of a whole.
_CAPPED = (
    "办结率",
    "满意率",
    "接通率",
    "回复率",
    "覆盖率",
    "进驻率",
    "占比",
    "好评率",
    "合格率",
    "达标率",
    "及时率",
    "办理率",
    "申办率",
    "回访率",
    "答复率",
    "知晓率",
    "利用率",
)
_BASE_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}中")
# Rates measured by a survey or a call system: they are checked only against a figure named by
# the same word ("满意98份，满意率98%"), never against the nearest volume ("接待5万人次，日均200
# 人次，满意率99%").
_STEM_ONLY = (
    "满意率",
    "满意度",
    "好评率",
    "差评率",
    "接通率",
    "知晓率",
    "投诉率",
    "回访率",
    "合格率",
    "正确率",
    "准确率",
    "评价率",
)


def _ratio(num: Interval, den: Interval) -> Interval | None:
    q = num.div(den)
    return q.scale(100.0) if q else None


# Rates defined as a complement, 1 − a/b: a compression or saving of time or money.
_COMPLEMENT = re.compile(r"(压缩|节约|节省|缩减|缩短|减少|下降|降低|提速)")


def _fits(num: Interval, den: Interval, rate: Interval, complement: bool = False) -> bool:
    q = _ratio(num, den)
    if q is None:
        return False
    if q.meets(rate):
        return True
    if not complement:
        return False
    comp = Interval(100.0 - q.hi, 100.0 - q.lo)
    return comp.meets(rate)


def _alternatives(figs: list[Figure], rate: Interval, complement: bool) -> bool:
    figs = figs[-8:]
    for a, b in itertools.permutations(figs, 2):
        if _fits(a.interval, b.interval, rate, complement):
            return True
    for a, b, c in itertools.permutations(figs, 3):
        if _fits(a.interval, b.interval + c.interval, rate):
            return True
        if _fits(a.interval + b.interval, c.interval, rate):
            return True
    return False


def _stem(label: str) -> str:
    label = label.strip('“”"')
    return label[-2:] if len(label) >= 2 else ""


def _truncated(exact: float, stated: Figure) -> bool:
    k = 10**stated.decimals
    return math.isclose(math.floor(exact * k + 1e-9) / k, stated.num, abs_tol=1e-9)


def _rate_issue(num: Figure, den: Figure, rate: Figure, label: str) -> Issue:
    exact = num.value / den.value * 100
    expected = show(exact, rate)
    severity = "warning" if _truncated(exact, rate) else "error"
    extra = "（按截尾取值，未四舍五入）" if severity == "warning" else ""
    return Issue(
        code="AUD-RATIO",
        severity=severity,
        message=(
            f"{label or '比率'}与所列数字不符：{num.raw} ÷ {den.raw} = {expected}，"
            f"文中写作 {rate.raw}{extra}"
        ),
        start=rate.start,
        end=rate.end,
        stated=rate.raw,
        expected=expected,
    )


def _check_sentence(doc: Doc, s: Sentence, out: list[Issue]) -> list[tuple[Figure, str]]:
    """Check the rates of one sentence; return the rates that had no figures to check with."""
    unchecked: list[tuple[Figure, str]] = []
    figs = s.figures
    last_pct = -1
    for idx, p in enumerate(figs):
        if p.kind != "percent":
            continue
        prev_pct, last_pct = last_pct, idx
        if p.bound:
            continue
        lm = _LABEL.search(p.left)
        if not lm or _CHANGE.search(p.left):
            continue
        label = lm.group("label") + lm.group("kind")
        if lm.group("kind") == "率" and any(label.endswith(c) for c in _CAPPED) and p.num > 100:
            out.append(
                Issue(
                    "AUD-RATE-RANGE",
                    "error",
                    f"{label}不可能超过100%，文中写作 {p.raw}",
                    p.start,
                    p.end,
                    stated=p.raw,
                    expected="≤100%",
                )
            )
            continue
        cands = [f for f in figs[:idx] if f.kind not in ("percent", "score") and not f.bound]
        if not cands:
            unchecked.append((p, label))
            continue
        stem = _stem(lm.group("label")) if lm.group("kind") == "率" else ""
        # "按时办结率": the numerator follows 按时办结, the denominator follows plain 办结.
        full = lm.group("label").strip('“”"')[-4:] if stem else ""
        num: Figure | None = None
        if stem:
            for key in dict.fromkeys((full, stem)):
                num = next((f for f in reversed(cands) if key in f.left), None)
                if num is not None:
                    break
        if num is None and any(label.endswith(w) for w in _STEM_ONLY):
            continue  # a survey's rate: the volumes beside it are not its numerator
        if num is None:
            recent = [f for f in figs[prev_pct + 1 : idx] if f in cands]
            if not recent:
                unchecked.append((p, label))
                continue
            num = recent[-1]
        before = [f for f in cands if f.start < num.start and f.compatible(num)]
        den = None
        for f in before:
            if _BASE_AFTER.match(doc.text[f.end : f.end + 5]):
                den = f
        if den is None:
            # Without a "X中" base the denominator must sit in the same stretch as the
            # numerator (no other rate between them): "受理A件，办结B件，办结率C%".
            pcts = [f.start for f in figs[:idx] if f.kind == "percent"]
            seg_lo = max([q for q in pcts if q < num.start], default=-1)
            same_seg = [f for f in before if f.start > seg_lo]
            den = same_seg[-1] if same_seg else None
            if den is None and stem and full != stem and full in num.left:
                den = next((f for f in reversed(before) if stem in f.left), None)
        if den is None or den.value <= 0:
            continue
        complement = bool(_COMPLEMENT.search(label))
        if _fits(num.interval, den.interval, p.interval, complement):
            continue
        same = [f for f in cands if f.compatible(num)]
        if _alternatives(same, p.interval, complement):
            continue
        out.append(_rate_issue(num, den, p, label))
    return unchecked


# Named rates whose two figures usually sit in another sentence of the same report (the
# staffing section states posts and staff; the rate follows pages later).
_DOC_KPIS = [
    (
        "在职人员控制率",
        re.compile(r"(在职|在岗|在编在岗)(人员|人数)?(数)?(为|是|有)?$"),
        re.compile(r"(编制|编制数)(为|是|有)?$"),
    ),
]


def _doc_kpi(doc: Doc, p: Figure, label: str, out: list[Issue]) -> None:
    for name, num_re, den_re in _DOC_KPIS:
        if not label.endswith(name):
            continue
        nums = {f.value: f for f in doc.figures if f.kind == "count" and num_re.search(f.left)}
        dens = {f.value: f for f in doc.figures if f.kind == "count" and den_re.search(f.left)}
        if len(nums) != 1 or len(dens) != 1:
            return
        (num,) = nums.values()
        (den,) = dens.values()
        if den.value <= 0 or _fits(num.interval, den.interval, p.interval):
            return
        issue = _rate_issue(num, den, p, name)
        nl, dl = doc.line_of(num.start), doc.line_of(den.start)
        issue.message += f"（{num.raw}见第{nl}行，{den.raw}见第{dl}行）"
        out.append(issue)


_NUMTXT = r"\d+(?:\.\d+)?"
_FORMULA = re.compile(
    rf"(?<![\d.])(?P<one>1\s*-\s*)?\(?(?P<a>{_NUMTXT})\s*[/÷]\s*(?P<b>{_NUMTXT})\)?"
    rf"\s*(?:[×x*]\s*100%)?\s*[=≈]\s*(?P<r>{_NUMTXT})%"
)
_PP = re.compile(
    rf"由(?P<a>{_NUMTXT})%(?:提高|提升|上升|增长|下降|降低|减少)(?:到|至)(?P<b>{_NUMTXT})%[，,]?"
    rf"(?:提高|提升|上升|增长|下降|降低|减少)了?(?P<d>{_NUMTXT})个百分点"
)


def _printed(t: str) -> Interval:
    d = len(t.split(".")[1]) if "." in t else 0
    h = 0.5 * 10.0**-d
    return Interval(float(t) - h, float(t) + h)


def _exact(t: str) -> Interval:
    """Operands of a written formula: integers are counts (exact), decimals are rounded."""
    return _printed(t) if "." in t else Interval.exact(float(t))


def _formulas(doc: Doc, out: list[Issue]) -> None:
    """A written formula, "176544/177321=99.56%", "1-9153/20342=55%"; and "由A%提高到B%，
    提高C个百分点" (B − A = C percentage points)."""
    text = doc.text
    seen: set[int] = set()
    for slash in re.finditer("[/÷]", text):
        # Search a window around each division sign: the pattern has no literal prefix, and
        # scanning the whole text with it is slow.
        m = _FORMULA.search(text, max(0, slash.start() - 30), slash.start() + 40)
        if m is None or m.start() in seen:
            continue
        seen.add(m.start())
        q = _ratio(_exact(m.group("a")), _exact(m.group("b")))
        if q is None:
            continue
        exact = float(m.group("a")) / float(m.group("b")) * 100
        if m.group("one"):
            q = Interval(100.0 - q.hi, 100.0 - q.lo)
            exact = 100.0 - exact
        r = _printed(m.group("r"))
        if q.meets(r):
            continue
        dec = max(2, len(m.group("r").split(".")[1]) if "." in m.group("r") else 0)
        expected = f"{exact:.{dec}f}%"
        out.append(
            Issue(
                "AUD-RATIO",
                "error",
                f"算式不成立：{m.group(0).split('=')[0].split('≈')[0]} = {expected}，"
                f"文中写作 {m.group('r')}%",
                m.start("r"),
                m.end(),
                stated=m.group("r") + "%",
                expected=expected,
            )
        )
    if "百分点" in text:
        for m in _PP.finditer(text):
            a, b, d = (_printed(m.group(k)) for k in "abd")
            change = b - a
            span = Interval(
                min(abs(change.lo), abs(change.hi)), max(abs(change.lo), abs(change.hi))
            )
            if span.meets(d):
                continue
            exact = abs(float(m.group("b")) - float(m.group("a")))
            dec = max(len(m.group(k).split(".")[1]) if "." in m.group(k) else 0 for k in "abd")
            expected = f"{exact:.{dec}f}个百分点"
            out.append(
                Issue(
                    "AUD-RATIO",
                    "error",
                    f"百分点差不符：{m.group('b')}% − {m.group('a')}% = {expected}，"
                    f"文中写作 {m.group('d')}个百分点",
                    m.start("d"),
                    m.end(),
                    stated=m.group("d") + "个百分点",
                    expected=expected,
                )
            )


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    for s in doc.sentences:
        for p, label in _check_sentence(doc, s, out):
            _doc_kpi(doc, p, label, out)
    _formulas(doc, out)
    return out
