"""AUD-YEAR / AUD-YEAR-MIX / AUD-YEAR-DATE: the title year, the body's years and the year evaluated.

A report on year N is written in N+1 and answers a notice of N+1 ("开展2018年度……的通知》
(湛财评[2019]22号)"), so N+1 dates and notice years are normal. What is wrong: a title naming
another year than the one evaluated; a figure of the year's accounts labelled with another year
in a sentence that is otherwise about year N and adds up as one year; the evaluation's own work
dated before year N has ended.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from jixiao.audit.context import Doc
from jixiao.audit.result import Issue

_STRONG = [
    re.compile(r"评价年度[:：]?(\d{4})"),
    # "开展N年度……评价……的通知": the notice the report answers (a plan to "开展2024年度绩效
    # 目标申报" in a 2023 report is not one).
    re.compile(r"开展(\d{4})年度[^。\n]{0,40}?(?:评价|自评)[^。\n]{0,24}?通知"),
    re.compile(r"现将(\d{4})年度"),
    re.compile(r"(\d{4})年度[\u4e00-\u9fff]{0,30}(自评|自我评价|绩效评价|自我绩效评价)报告如下"),
]
_TITLE_YEAR = re.compile(r"(\d{4})年")
_SUBJECT_YEAR = re.compile(
    r"(\d{4})年(?:度)?(?:年末|年初)?(?:[\u4e00-\u9fff]{0,4})?(收入|支出|结余|结转|决算|预算)"
)
_COMPARE = re.compile(r"(较|比|同比|环比|上年|去年|分别|与|至|到|增长|减少|下降|增加)")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_EVAL_WORK = re.compile(
    r"(成立|布置|开展|报送|提交|完成|组织)[\u4e00-\u9fff]{0,12}(自评|自我评价|绩效评价|自我绩效评价)"
    r"|(自评|评价)(工作)?(领导)?小组"
)


def _strong_matches(doc: Doc) -> list[tuple[int, re.Match[str]]]:
    # The last pattern has no literal prefix and is slow to scan; run it only where the
    # literal "报告如下" occurs.
    found = [(i, m) for i, rx in enumerate(_STRONG[:3]) for m in rx.finditer(doc.text)]
    for anchor in re.finditer("报告如下", doc.text):
        m = _STRONG[3].search(doc.text, max(0, anchor.start() - 48), anchor.end())
        if m is not None:
            found.append((3, m))
    return found


def evaluated_year(doc: Doc) -> int | None:
    votes: Counter[int] = Counter()
    for _, m in _strong_matches(doc):
        votes[int(m.group(1))] += 1
    if votes:
        return votes.most_common(1)[0][0]
    title = _title_lines(doc)
    for _, line in title:
        m = _TITLE_YEAR.search(line)
        if m:
            return int(m.group(1))
    return None


def _title_lines(doc: Doc) -> list[tuple[int, str]]:
    """(offset, text) of the title lines: the short lines before the body starts."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in doc.text.split("\n"):
        start = pos
        pos += len(line) + 1
        s = line.strip()
        if not s:
            continue
        if len(s) > 60 or s.startswith(("根据", "按照", "一、", "(一)")) or "。" in s:
            break
        if "：" in s or ":" in s:
            # "评价年度：2023年度", "填报日期：…": form fields, not the title.
            continue
        out.append((start, line))
        if len(out) >= 3:
            break
    return out


_WITHIN = re.compile(r"(\d+)(日|天)(?:内|以内|之内)")


def _dates(doc: Doc, out: list[Issue]) -> None:
    """AUD-FIGURE for a date that does not exist; AUD-DATE-SPAN for "…后的20日内" contradicted by
    the two dates of the same sentence (budget approved 1月26日, published 2月9日: 14 days)."""
    for s in doc.sentences:
        if "月" not in s.text:
            continue
        found: list[tuple[dt.date, re.Match[str]]] = []
        for m in _DATE.finditer(s.text):
            try:
                found.append((dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m))
            except ValueError:
                out.append(
                    Issue(
                        "AUD-FIGURE",
                        "error",
                        f"日期不存在：{m.group(0)}",
                        s.start + m.start(),
                        s.start + m.end(),
                        stated=m.group(0),
                    )
                )
        wm = _WITHIN.search(s.text)
        if len(found) != 2 or wm is None:
            continue
        (d1, m1), (d2, m2) = found
        days = (d2 - d1).days
        limit = int(wm.group(1))
        if 0 <= days <= limit:
            continue
        msg = (
            f"{m1.group(0)}至{m2.group(0)}相隔 {days} 天，与“{wm.group(0)}”不符"
            if days >= 0
            else f"{m2.group(0)}早于{m1.group(0)}，与“{wm.group(0)}”的先后不符"
        )
        out.append(
            Issue(
                "AUD-DATE-SPAN",
                "error",
                msg,
                s.start + m2.start(),
                s.start + m2.end(),
                stated=wm.group(0),
                expected=f"{days}天",
            )
        )


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    _dates(doc, out)
    n = evaluated_year(doc)
    doc.evaluated_year = n
    if n is None:
        return out
    matches = _strong_matches(doc)
    # Title.
    strong = bool(matches)
    if strong:
        for start, line in _title_lines(doc):
            for m in _TITLE_YEAR.finditer(line):
                y = int(m.group(1))
                if y in (n, n + 1) or not (1990 <= y <= 2100):
                    continue
                out.append(
                    Issue(
                        "AUD-YEAR",
                        "error",
                        f"标题年份 {y} 年与评价年度 {n} 年度不符（通知与正文所评为 {n} 年度）",
                        start + m.start(1),
                        start + m.end(),
                        stated=f"{y}年",
                        expected=f"{n}年",
                    )
                )
    # Body phrases that name the year of this very report.
    for i, m in matches:
        if i >= 1:
            y = int(m.group(1))
            if y != n:
                out.append(
                    Issue(
                        "AUD-YEAR",
                        "error",
                        f"正文所称评价年度 {y} 年度与全文评价年度 {n} 年度不符",
                        m.start(1),
                        m.end(1),
                        stated=f"{y}年度",
                        expected=f"{n}年度",
                    )
                )
    for s in doc.sentences:
        _mixed_years(doc, s.start, s.text, n, out)
        _work_dates(s.start, s.text, n, out)
    return out


def _mixed_years(doc: Doc, base: int, text: str, n: int, out: list[Issue]) -> None:
    if text.count("年") < 3:
        return
    subjects = list(_SUBJECT_YEAR.finditer(text))
    if len(subjects) < 3:
        return
    years = [int(m.group(1)) for m in subjects]
    if years.count(n) < 2:
        return
    # Comparisons legitimately mix years; only a plain statement of one year's accounts counts.
    if _COMPARE.search(text):
        return
    for m, y in zip(subjects, years, strict=True):
        if y == n:
            continue
        out.append(
            Issue(
                "AUD-YEAR-MIX",
                "warning",
                f"同一句中其余收支数字均为 {n} 年，此处写作 {y} 年（“{m.group(0)}”），疑为年份笔误",
                base + m.start(1),
                base + m.end(1),
                stated=f"{y}年",
                expected=f"{n}年",
            )
        )


def _work_dates(base: int, text: str, n: int, out: list[Issue]) -> None:
    if "月" not in text or not _EVAL_WORK.search(text):
        return
    for m in _DATE.finditer(text):
        y = int(m.group(1))
        if y > n:
            continue
        out.append(
            Issue(
                "AUD-YEAR-DATE",
                "warning",
                f"自评工作日期 {m.group(0)} 早于评价年度 {n} 年结束，"
                f"{n} 年度的自评应在 {n + 1} 年进行",
                base + m.start(),
                base + m.end(),
                stated=m.group(0),
                expected=f"{n + 1}年",
            )
        )
