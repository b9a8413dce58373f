"""AUD-NUMBERING: section numbers that skip or repeat, per level and per parent.

Levels: 一、 → (一) → 1. / 1、 → (1). A heading is recognised only at the start of a line;
numbers inside a paragraph ("2.财务合规性。1.执行……") and cells of a table (lines with tabs)
are not headings. When a number skips and the next one repeats it — (一)(三)(三)(四) — the single
mistake is the first (三), which should be (二), and only that one is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.audit.context import Doc
from jixiao.audit.result import Issue

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_NUM = "[一二三四五六七八九十]{1,3}"
_PATTERNS = [
    (1, re.compile(rf"^ *({_CN_NUM})[、.](?![\d])")),
    (2, re.compile(rf"^ *\(({_CN_NUM})\)")),
    (3, re.compile(r"^ *(\d{1,2})(?:、|\.(?!\d))")),
    (4, re.compile(r"^ *\((\d{1,2})\)")),
]
# "4.12345工单办结率…": a list number glued to a figure reads like the decimal 4.12345. Such a
# line is a heading only when N is the number the list expects next (QA F32); see check().
_GLUED = re.compile(r"^ *(\d{1,2})\.(?=\d)")


def cn_to_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN.get(s)
    if s[0] == "十":
        rest = _CN.get(s[1]) if len(s) > 1 else 0
        return 10 + rest if rest is not None else None
    if len(s) == 2 and s[1] == "十":
        tens = _CN.get(s[0])
        return tens * 10 if tens else None
    if len(s) == 3 and s[1] == "十":
        tens, ones = _CN.get(s[0]), _CN.get(s[2])
        return tens * 10 + ones if tens and ones else None
    return None


def label(level: int, n: int) -> str:
    cn = "零一二三四五六七八九十"
    c = cn[n] if n <= 10 else ("十" + cn[n - 10] if n < 20 else str(n))
    return {1: f"{c}、", 2: f"({c})", 3: f"{n}.", 4: f"({n})"}[level]


@dataclass
class Heading:
    level: int
    n: int
    start: int
    end: int
    raw: str
    glued: bool = False  # "N." followed by digits: an item only if N is the expected number


def headings(doc: Doc) -> list[Heading]:
    out: list[Heading] = []
    pos = 0
    for line in doc.text.split("\n"):
        start = pos
        pos += len(line) + 1
        if "\t" in line or not line.strip():
            continue
        for level, rx in _PATTERNS:
            m = rx.match(line)
            if m:
                n = cn_to_int(m.group(1))
                if n is not None and n > 0:
                    lead = len(m.group(0)) - len(m.group(0).lstrip(" "))
                    out.append(Heading(level, n, start + lead, start + m.end(), m.group(0)))
                break
        else:
            g = _GLUED.match(line)
            if g and int(g.group(1)) > 0:
                lead = len(g.group(0)) - len(g.group(0).lstrip(" "))
                out.append(
                    Heading(3, int(g.group(1)), start + lead, start + g.end(), g.group(0), True)
                )
    return out


def check(doc: Doc) -> list[Issue]:
    hs = headings(doc)
    out: list[Issue] = []
    last: dict[int, int] = {}
    for i, h in enumerate(hs):
        if h.glued:
            # Item N only where the list expects N (after N-1, or as 1. before a 2.);
            # otherwise a decimal at the start of a line, not a heading: state untouched.
            prev = last.get(h.level)
            nxt = _next_same_level(hs, i)
            if h.n != (prev or 0) + 1 or (prev is None and (nxt is None or nxt.n != 2)):
                continue
        for k in list(last):
            if k > h.level:
                del last[k]
        prev = last.get(h.level)
        expected = (prev or 0) + 1
        if h.glued:
            last[h.level] = h.n
            continue
        severity = "error" if h.level <= 2 else "warning"
        if h.n == expected or (i == 0 and prev is None):
            # The first heading of an excerpt may be any number: the text may start mid-report.
            last[h.level] = h.n
            continue
        if prev is not None and h.n == 1 and h.level >= 3:
            # A new list under a heading the reader cannot see (a bold line, a table title).
            last[h.level] = 1
            continue
        nxt = _next_same_level(hs, i)
        if h.n > expected and nxt is not None and nxt.n == h.n:
            msg = (
                f"编号跳号：上一个同级标题是 {label(h.level, prev) if prev else '（无）'}，"
                f"此处应为 {label(h.level, expected)}，却写作 {h.raw.strip()}"
                f"（下一个同级标题又是 {label(h.level, h.n)}）"
            )
            last[h.level] = expected
        elif prev is not None and h.n == prev:
            msg = f"编号重复：{label(h.level, h.n)} 出现两次，此处应为 {label(h.level, expected)}"
            last[h.level] = h.n
        elif h.n > expected:
            msg = f"编号跳号：此处应为 {label(h.level, expected)}，却写作 {h.raw.strip()}"
            last[h.level] = h.n
        else:
            msg = (
                f"编号倒退：上一个同级标题是 {label(h.level, prev or 0)}，此处写作 {h.raw.strip()}"
            )
            last[h.level] = h.n
        out.append(
            Issue(
                "AUD-NUMBERING",
                severity,
                msg,
                h.start,
                h.end,
                stated=h.raw.strip(),
                expected=label(h.level, expected),
            )
        )
    return out


def _next_same_level(hs: list[Heading], i: int) -> Heading | None:
    level = hs[i].level
    for h in hs[i + 1 :]:
        if h.glued:
            continue
        if h.level < level:
            return None
        if h.level == level:
            return h
    return None
