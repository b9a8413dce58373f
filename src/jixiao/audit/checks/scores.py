"""AUD-SCORE-OVER / AUD-SCORE-SUM / AUD-SCORE-WEIGHT / AUD-SCORE-TOTAL / AUD-GRADE: the score table.

Two layouts are read. (A) one row per line with tab-separated cells and a header naming 分值 and
自评分 (得分) — what a .docx table becomes, merged cells repeated. (B) the cell stream of a scraped
table (sample 001): every cell starts a line with a tab, a cell may run over several lines, and
an indicator carries its weight in its name, "绩效目标合理性（2分）", followed by its score. In
(B) consecutive indicator cells before a score are the path from a higher level down to the leaf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.audit.context import Doc
from jixiao.audit.intervals import Interval, sum_intervals
from jixiao.audit.result import Issue

_WEIGHTED = re.compile(r"^(?P<name>.{1,30}?)\((?P<w>\d+(?:\.\d+)?)分\)\)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# A score cell saying the indicator is not scored yet. Only these words: another text in the
# score column may be a shifted cell of a badly extracted row, whose weight is not to be trusted.
_UNSCORED = re.compile(r"未评|待评|暂未|不适用")
_TOTAL = re.compile(r"^(总分|合计|总计|得分合计|综合得分|总得分)")
_GRADES = {
    "优秀": "优",
    "优": "优",
    "良好": "良",
    "良": "良",
    "中等": "中",
    "中": "中",
    "合格": "中",
    "及格": "中",
    "一般": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
}


def grade_for(score: float) -> str:
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    if score >= 60:
        return "中"
    return "差"


@dataclass
class Leaf:
    path: tuple[str, ...]
    weight: float
    score: float
    start: int
    end: int
    raw: str


@dataclass
class Table:
    leaves: list[Leaf] = field(default_factory=list)
    # Weights printed for inner nodes: path → (weight, start, end)
    inner: dict[tuple[str, ...], tuple[float, int, int]] = field(default_factory=dict)
    # Scores printed for inner nodes (subtotal rows): path → (score, start, end, raw)
    subtotal: dict[tuple[str, ...], tuple[float, int, int, str]] = field(default_factory=dict)
    total: tuple[float, int, int, str] | None = None
    total_weight: tuple[float, int, int] | None = None
    # Rows with a weight but no score yet (未评分): path → weight. They count in the weight
    # sums, not in the score sums (QA F17).
    unscored: dict[tuple[str, ...], float] = field(default_factory=dict)


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _dec(s: str) -> Interval:
    d = len(s.split(".")[1]) if "." in s else 0
    v = float(s)
    h = 0.5 * 10.0**-d if d else 0.0
    return Interval(v - h, v + h)


# --- layout (B): the cell stream -------------------------------------------------------


def _cells(text: str) -> list[tuple[str, int, int]]:
    """Cells of a scraped table: a line starting with a tab opens a cell, lines without a
    tab continue it (a cell's text wrapped in the source), and several tabs on one line
    separate several cells."""
    cells: list[tuple[str, int, int]] = []
    pos = 0
    cur: list[str] | None = None
    cur_start = 0
    cur_end = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if line.startswith("\t"):
            if cur is not None:
                cells.append(("".join(cur), cur_start, cur_end))
            parts = line.split("\t")[1:]
            # Several cells on one line: all but the last are complete.
            off = start + 1
            for p in parts[:-1]:
                cells.append((p, off, off + len(p)))
                off += len(p) + 1
            cur, cur_start, cur_end = [parts[-1]], off, start + len(line)
        elif cur is not None:
            if line.strip():
                cur.append(line)
                cur_end = start + len(line)
            else:
                # A blank line ends the cell: prose after a table is not part of its last cell.
                cells.append(("".join(cur), cur_start, cur_end))
                cur = None
    if cur is not None:
        cells.append(("".join(cur), cur_start, cur_end))
    return cells


def _stream_table(text: str) -> Table | None:
    cells = _cells(text)
    if not cells:
        return None
    table = Table()
    chain: list[tuple[str, float, int, int]] = []
    path: list[str] = []
    after_total = False
    for raw, a, b in cells:
        c = _clean(raw)
        if not c:
            continue
        m = _WEIGHTED.match(c)
        if m:
            chain.append((m.group("name"), float(m.group("w")), a, b))
            after_total = False
            continue
        if _TOTAL.match(c):
            after_total = True
            continue
        if _NUMBER.match(c):
            if after_total:
                table.total = (float(c), a, a + len(raw.strip()), c)
                after_total = False
                continue
            if not chain:
                continue
            k = len(chain)
            depth = max(len(path), k)
            prefix = path[: depth - k]
            names = [n for n, _, _, _ in chain]
            full = (*prefix, *names)
            for j in range(1, len(full)):
                node = full[:j]
                cw = chain[j - len(prefix) - 1] if j - 1 >= len(prefix) else None
                if cw is not None and node not in table.inner:
                    table.inner[node] = (cw[1], cw[2], cw[3])
            _name, w, _ca, _cb = chain[-1]
            off = raw.index(c[0]) if c[0] in raw else 0
            table.leaves.append(Leaf(full, w, float(c), a + off, a + off + len(c), c))
            path = list(full)
            chain = []
            continue
        # Any other cell (explanation, note) ends nothing: a weight cell is followed by its
        # score before the explanation.
    return table if table.leaves else None


# --- layout (A): header rows -----------------------------------------------------------


def _row_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    lines = text.split("\n")
    pos = 0
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for hi, line in enumerate(lines):
        if "\t" not in line or not any(w in line for w in ("分值", "权重", "标准分", "满分")):
            continue
        head = [_clean(c) for c in line.split("\t")]
        wcol = next(
            (i for i, c in enumerate(head) if c in ("分值", "权重", "标准分", "满分")), None
        )
        scol = next(
            (i for i, c in enumerate(head) if c in ("自评分", "得分", "自评得分", "评分")), None
        )
        if wcol is None or scol is None:
            continue
        name_cols = [i for i in range(min(wcol, scol)) if "指标" in head[i] or i < wcol]
        table = Table()
        for li in range(hi + 1, len(lines)):
            row = lines[li]
            if "\t" not in row:
                if row.strip():
                    break
                continue
            cells = row.split("\t")
            if len(cells) <= max(wcol, scol):
                continue
            names: list[str] = []
            for i in name_cols:
                n = _clean(cells[i])
                if n and (not names or names[-1] != n):
                    names.append(n)
            wtxt = _clean(cells[wcol]).removesuffix("分")
            stxt = _clean(cells[scol]).removesuffix("分")
            row_start = offsets[li]
            s_off = row_start + sum(len(c) + 1 for c in cells[:scol])
            if names and _TOTAL.match(names[0]):
                if _NUMBER.match(stxt):
                    table.total = (float(stxt), s_off, s_off + len(cells[scol]), stxt)
                if _NUMBER.match(wtxt):
                    table.total_weight = (float(wtxt), s_off, s_off + len(cells[scol]))
                continue
            if not names or not _NUMBER.match(wtxt):
                continue
            scored = _NUMBER.match(stxt) is not None
            if not scored and not _UNSCORED.search(stxt):
                continue
            stripped = []
            for n in names:
                m = _WEIGHTED.match(n)
                stripped.append(m.group("name") if m else n)
                if m:
                    node = tuple(stripped)
                    table.inner.setdefault(node, (float(m.group("w")), row_start, row_start + 1))
            if not scored:  # 未评分: the indicator exists and keeps its weight
                table.unscored[tuple(stripped)] = float(wtxt)
                continue
            leaf = Leaf(tuple(stripped), float(wtxt), float(stxt), s_off, s_off + len(stxt), stxt)
            table.leaves.append(leaf)
        # Rows whose path is a strict prefix of later rows are subtotals, not leaves.
        prefixes = {lf.path[:k] for lf in table.leaves for k in range(1, len(lf.path))}
        real: list[Leaf] = []
        for lf in table.leaves:
            if lf.path in prefixes:
                table.subtotal[lf.path] = (lf.score, lf.start, lf.end, lf.raw)
                table.inner.setdefault(lf.path, (lf.weight, lf.start, lf.end))
            else:
                real.append(lf)
        table.leaves = real
        if table.leaves:
            tables.append(table)
    return tables


# --- checks ----------------------------------------------------------------------------


def _check_table(t: Table, out: list[Issue]) -> float:
    for lf in t.leaves:
        if lf.score > lf.weight + 1e-9:
            out.append(
                Issue(
                    "AUD-SCORE-OVER",
                    "error",
                    f"指标“{lf.path[-1]}”自评分 {lf.raw} 超过其分值 {lf.weight:g}",
                    lf.start,
                    lf.end,
                    stated=lf.raw,
                    expected=f"≤{lf.weight:g}",
                )
            )
    # Inner weights against their children's weights.
    weighted = [(lf.path, lf.weight) for lf in t.leaves] + list(t.unscored.items())
    for node, (w, a, b) in t.inner.items():
        kids = [(p, lw) for p, lw in weighted if p[: len(node)] == node and len(p) > len(node)]
        direct: dict[tuple[str, ...], float] = {}
        for path, lw in kids:
            child = path[: len(node) + 1]
            if child in t.inner and child != path:
                direct[child] = t.inner[child][0]
            else:
                direct[child] = direct.get(child, 0.0) + lw
        if kids and abs(sum(direct.values()) - w) > 1e-6:
            out.append(
                Issue(
                    "AUD-SCORE-WEIGHT",
                    "warning",
                    f"“{node[-1]}”分值 {w:g} 与下级分值之和 {sum(direct.values()):g} 不符",
                    a,
                    b,
                    stated=f"{w:g}",
                    expected=f"{sum(direct.values()):g}",
                )
            )
    for node, (s, a, b, raw) in t.subtotal.items():
        kids = [lf for lf in t.leaves if lf.path[: len(node)] == node]
        got = sum(lf.score for lf in kids)
        if kids and abs(got - s) > 1e-6:
            out.append(
                Issue(
                    "AUD-SCORE-SUM",
                    "error",
                    f"“{node[-1]}”得分 {raw} 与下级得分之和 {got:g} 不符",
                    a,
                    b,
                    stated=raw,
                    expected=f"{got:g}",
                )
            )
    tops = {node: v for node, v in t.inner.items() if len(node) == 1}
    if tops and t.total is not None:
        wsum = sum(w for w, _, _ in tops.values())
        if abs(wsum - 100) > 1e-6:
            _, a, b = next(iter(tops.values()))
            out.append(
                Issue(
                    "AUD-SCORE-WEIGHT",
                    "warning",
                    f"一级指标分值合计 {wsum:g}，不是满分 100",
                    a,
                    b,
                    stated=f"{wsum:g}",
                    expected="100",
                )
            )
    total = sum(lf.score for lf in t.leaves)
    if t.total is not None:
        _v, a, b, raw = t.total
        if not _dec(raw).meets(Interval(total - 1e-9, total + 1e-9)):
            out.append(
                Issue(
                    "AUD-SCORE-SUM",
                    "error",
                    f"评分表总分 {raw} 与各指标自评分之和 {total:g} 不符",
                    a,
                    b,
                    stated=raw,
                    expected=f"{total:g}",
                )
            )
    return total


def _complete(t: Table) -> bool:
    """Whether a table without a total row holds every indicator, so that its scores' sum is
    the total score. A table can be cut short (a cell wrapped by a PDF's layout ends the row
    parse) and a partial sum taken as the total is a false error (QA F16); so only a table
    whose leaf weights make the full 100 points (or its printed total weight) counts."""
    full = t.total_weight[0] if t.total_weight is not None else 100.0
    return abs(sum(lf.weight for lf in t.leaves) - full) < 1e-6


_NARRATIVE_SCORE = re.compile(
    r"(自评得分|评价得分|综合得分|自评总分|得分|总分|自评分)(?:为|是|:|达)?(\d+(?:\.\d+)?)分"
)
_GRADE = re.compile(
    r"(等级|评价结果|评价等次|等次|评定为|评为|结果为|级别|档次)(?:为|是|:|评定为|评为)?[“\"]?"
    r"(优秀|良好|中等|不合格|较差|合格|及格|一般|优|良|中|差)"
)


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    tables = _row_tables(doc.text)
    if not tables:
        stream = _stream_table(doc.text)
        tables = [stream] if stream is not None else []
    table_total: float | None = None
    for table in tables:
        got = _check_table(table, out)
        if table.total is not None:
            table_total = table.total[0]
        elif table_total is None and len(tables) == 1 and _complete(table):
            table_total = got
    for i, s in enumerate(doc.sentences):
        sm = _NARRATIVE_SCORE.search(s.text)
        if not sm:
            gm = _GRADE.search(s.text)
            if gm and table_total is not None and "分" not in s.text[gm.end() : gm.end() + 3]:
                # A grade stated without its score: compare with the score table's total.
                _grade(table_total, f"{table_total:g}", gm, s.start, out)
            continue
        before = s.text[max(0, sm.start() - 4) : sm.start()]
        full = re.match(r"[(（]满分(\d+)分", s.text[sm.end() : sm.end() + 10])
        if re.search(r"(该项|此项|本项(?!目)|指标)", before) or (full and full.group(1) != "100"):
            continue  # one indicator's score, not the total
        score = float(sm.group(2))
        a, b = s.start + sm.start(2), s.start + sm.end()
        if score > 100:
            out.append(
                Issue(
                    "AUD-SCORE-OVER",
                    "error",
                    f"总分 {sm.group(2)} 分超过满分 100 分",
                    a,
                    b,
                    stated=sm.group(2),
                    expected="≤100",
                )
            )
        if table_total is not None and abs(table_total - score) > 1e-6:
            out.append(
                Issue(
                    "AUD-SCORE-TOTAL",
                    "error",
                    f"正文得分 {sm.group(2)} 分与评分表总分 {table_total:g} 分不符",
                    a,
                    b,
                    stated=sm.group(2),
                    expected=f"{table_total:g}",
                )
            )
        _prose_parts(doc, i, sm, full.group(1) if full else "100", out)
        gm = _GRADE.search(s.text)
        if gm:
            _grade(score, sm.group(2), gm, s.start, out)
    return out


_PARTS_MARK = re.compile(r"(其中|分别为|分别是|分别)")
_PART_MAX = re.compile(r"^[(（]满分(\d+(?:\.\d+)?)分")


def _prose_parts(doc: Doc, i: int, sm: re.Match[str], full: str, out: list[Issue]) -> None:
    """The total score against the level-1 scores listed after it in prose (AUD-SCORE-SUM).

    “得分96分（满分100分）…。其中：投入19分（满分20分）、过程30分（满分30分）…” — the parts
    follow 其中 / 分别 in the same sentence or open the next one. Scores are read with the
    score table's precision (a whole score is exact: points are awarded as printed; a decimal
    one stands for its rounding interval), and a total printed whole beside parts with
    decimals may be rounded. A list can be partial (“其中投入、过程两项得分…”): parts that sum
    below the total are an error when their full marks show the list is complete, a warning for
    three or more parts without full marks, and nothing for two.
    """
    s = doc.sentences[i]
    after = s.start + sm.end()
    mark = _PARTS_MARK.search(s.text, sm.end())
    span: tuple[int, int] | None = None
    if mark:
        span = (s.start + mark.end(), s.end)
    elif i + 1 < len(doc.sentences):
        nxt = doc.sentences[i + 1]
        head = _PARTS_MARK.match(nxt.text.lstrip())
        if head:
            span = (nxt.start + len(nxt.text) - len(nxt.text.lstrip()) + head.end(), nxt.end)
    if span is None:
        return
    text = doc.text
    parts = [
        f
        for f in doc.figures
        if span[0] <= f.start < span[1]
        and f.start >= after
        and f.kind == "score"
        and not f.bound
        and not f.rounded
        # a deduction or a full mark (满分20分) is not a part
        and not re.search(r"[扣减加]|满分|分值|权重", f.left)
    ]
    if len(parts) < 2:
        return
    maxima = [_PART_MAX.match(text[p.end : p.end + 12]) for p in parts]
    complete = all(maxima) and abs(sum(float(m.group(1)) for m in maxima if m) - float(full)) < 1e-6
    stated = sm.group(2)
    total = _dec(stated)
    if "." not in stated and any(p.decimals for p in parts):
        total = Interval(total.lo - 0.5, total.hi + 0.5)  # a whole total may be rounded
    got = sum_intervals([_dec(p.raw.removesuffix("分")) for p in parts])
    if got.meets(total):
        return
    severity = "error"
    note = ""
    if got.hi < total.lo and not complete:
        if len(parts) < 3:
            return  # two scores below the total: most likely a partial list
        severity, note = "warning", "（如只列出了部分指标，可忽略）"
    exact = sum(p.num for p in parts)
    shown = " + ".join(p.raw for p in parts)
    a = doc.sentences[i].start + sm.start(2)
    out.append(
        Issue(
            "AUD-SCORE-SUM",
            severity,
            f"各项得分之和与总分不符：{shown} = {exact:g}分，文中总分写作 {stated}分{note}",
            a,
            a + len(stated),
            stated=stated,
            expected=f"{exact:g}",
        )
    )


def _grade(score: float, shown: str, gm: re.Match[str], base: int, out: list[Issue]) -> None:
    stated = _GRADES[gm.group(2)]
    want = grade_for(score)
    if stated == want:
        return
    out.append(
        Issue(
            "AUD-GRADE",
            "error",
            f"得分 {shown} 分对应等级“{want}”（优≥90，良≥80，中≥60，差<60），"
            f"文中写作“{gm.group(2)}”",
            base + gm.start(2),
            base + gm.end(2),
            stated=gm.group(2),
            expected=want,
        )
    )
