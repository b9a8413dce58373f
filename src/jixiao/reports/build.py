"""Build the report model from an evaluation, unit.yaml, narrative.yaml and a KPI report.

The prose is Chinese Jinja2 templates (``templates/*.txt.j2``) in a small line markup
("# " 一、, "## " （一）, "### " 1., "#### " （1）, "@chart" / "@table"). The numbering is generated
here, so no template types a section number; every figure comes through the figure book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

from jixiao.engine.result import Evaluation, LeafResult, NodeResult
from jixiao.errors import JixiaoError
from jixiao.kpis.result import KpiReport
from jixiao.reports import charts
from jixiao.reports.figures import FigureBook, fen, missing_data, todo
from jixiao.reports.fmt import date_cn, fixed2, heading_number, notice_cn, score_text
from jixiao.reports.inputs import Member, Narrative, Stage, UnitInfo
from jixiao.reports.kpitext import centre_groups, phrases
from jixiao.reports.model import (
    Block,
    Chart,
    Heading,
    Paragraph,
    Report,
    ScoreRow,
    ScoreTable,
    Table,
    split_runs,
)
from jixiao.reports.problems import draft_problems


def _finalize(value: Any) -> Any:
    # A None reaching the text is a template bug; fail loudly rather than print "None".
    if value is None:
        raise ValueError("template printed None")
    return value


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao.reports", "templates"),
        undefined=jinja2.StrictUndefined,
        # Block tags leave empty lines (ignored by the parser) rather than eating the newline
        # after a paragraph that ends in {% endif %}.
        trim_blocks=False,
        lstrip_blocks=True,
        autoescape=False,
        finalize=_finalize,
    )


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


def parse_markup(text: str, charts_: dict[str, Chart], tables: dict[str, Table]) -> list[Block]:
    """Turn the rendered template into blocks, numbering the headings as it goes."""
    blocks: list[Block] = []
    counters = [0, 0, 0, 0]
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("@chart "):
            c = charts_.get(line[7:].strip())
            if c is not None:
                blocks.append(c)
            continue
        if line.startswith("@table "):
            t = tables.get(line[7:].strip())
            if t is not None:
                blocks.append(t)
            continue
        m = re.match(r"^(#{1,4}) (.*)$", line)
        if m:
            level = len(m.group(1))
            counters[level - 1] += 1
            for i in range(level, 4):
                counters[i] = 0
            number = heading_number(level, counters[level - 1])
            body = m.group(2).strip()
            if level <= 2:
                blocks.append(Heading(level, number, body))
            else:
                blocks.append(Paragraph(split_runs(body), number=number))
            continue
        blocks.append(Paragraph(split_runs(line)))
    return blocks


# -- score table -------------------------------------------------------------------------------


def _label(node: NodeResult | LeafResult) -> str:
    return f"{node.name}（{score_text(node.weight)}分）"


def score_rows(evaluation: Evaluation) -> list[ScoreRow]:
    """Leaves in tree order with their level-1 and level-2 parents and the spans to merge."""
    flat: list[tuple[NodeResult | LeafResult | None, NodeResult | LeafResult | None, LeafResult]]
    flat = []

    def walk(
        node: NodeResult | LeafResult,
        l1: NodeResult | LeafResult | None,
        l2: NodeResult | LeafResult | None,
        depth: int,
    ) -> None:
        if depth == 1:
            l1 = node
        elif depth == 2:
            l2 = node
        if isinstance(node, LeafResult):
            flat.append((l1, l2 if depth >= 2 else None, node))
            return
        for ch in node.children:
            walk(ch, l1, l2 if depth >= 2 else None, depth + 1)

    for top in evaluation.tree:
        walk(top, None, None, 1)

    rows: list[ScoreRow] = []
    for i, (l1, l2, leaf) in enumerate(flat):
        prev = flat[i - 1] if i else None
        first1 = prev is None or prev[0] is not l1
        first2 = prev is None or prev[1] is not l2 or first1
        span1 = sum(1 for f in flat[i:] if f[0] is l1) if first1 else 0
        if first2:
            span2 = 0
            for f in flat[i:]:
                if f[0] is l1 and f[1] is l2:
                    span2 += 1
                else:
                    break
        else:
            span2 = 0
        depth = 1 if l1 is leaf else (2 if l2 is leaf else 3)
        rows.append(
            ScoreRow(
                level1=_label(l1) if l1 is not None else "",
                level1_span=span1,
                level2=_label(l2) if l2 is not None and l2 is not leaf else "",
                level2_span=span2,
                level3=_label(leaf),
                depth=depth,
                weight=leaf.max,
                score=leaf.score,
                explanation=leaf.explanation or "",
                note=leaf.note or leaf.formula or "",
                code=leaf.code,
            )
        )
    return rows


def score_table(evaluation: Evaluation, title: str) -> ScoreTable:
    return ScoreTable(
        title=title,
        rows=score_rows(evaluation),
        total_weight=evaluation.total.max,
        total_score=evaluation.total.score,
        grade=evaluation.total.grade,
        complete=evaluation.total.complete,
    )


# -- the template context ----------------------------------------------------------------------


@dataclass
class Inputs:
    evaluation: Evaluation
    unit: UnitInfo
    narrative: Narrative
    kpis: KpiReport | None


class Context:
    """Functions the templates call; each figure goes through the book."""

    def __init__(self, inp: Inputs, book: FigureBook) -> None:
        self.inp = inp
        self.book = book
        self._parents: dict[str, str] = {}
        for top in inp.evaluation.tree:
            self._index(top, None)

    def _index(self, node: NodeResult | LeafResult, parent: str | None) -> None:
        if parent:
            self._parents[node.code] = parent
        if isinstance(node, NodeResult):
            for ch in node.children:
                self._index(ch, node.name)

    def rate(self, leaf_name: str, num: str, den: str) -> str:
        """A rate stated beside its two facts: the evaluation's leaf value when it agrees with
        them (so the data table cites the evaluation), else the ratio of the two facts."""
        b = self.book
        leaf = b.leaf(leaf_name)
        a, d = b.fact_value(num), b.fact_value(den)
        usable = leaf is not None and leaf.value is not None and leaf.unit == "%"
        if usable and (a is None or d is None or (d and fixed2(a / d * 100) == fixed2(leaf.value))):
            return b.leaf_value(leaf)
        return b.ratio(leaf_name, leaf_name, num, den)

    def leaf_or_change(self, leaf_name: str, cur: str, prev: str) -> str:
        b = self.book
        a, p = b.fact_value(cur), b.fact_value(prev)
        if a is None or p is None:
            return missing_data(leaf_name)
        if p == 0:
            return f"【无法计算：{b.fact_label(prev)}为0】"
        change = (a - p) / p * 100
        leaf = b.leaf(leaf_name)
        if leaf is not None and leaf.value is not None and fixed2(leaf.value) == fixed2(change):
            return b.leaf_value(leaf)
        formula = (
            f"{leaf_name} =（{b.fact_label(cur)} − {b.fact_label(prev)}）÷ {b.fact_label(prev)}"
            " × 100%"
        )
        return b.calc(leaf_name, leaf_name, change, "%", formula, [cur, prev])

    def spending_completion(self) -> str:
        b = self.book
        e, i, c = (b.fact_value(n) for n in ("expenditure_total", "income_total", "carryover_prev"))
        if e is None or i is None or c is None:
            return missing_data("整体支出完成率")
        if i + c == 0:
            return "【无法计算：收入与结转合计为0】"
        leaf = b.leaf("整体支出完成率", "支出完成率")
        usable = leaf is not None and leaf.value is not None and leaf.unit == "%"
        if usable and fixed2(leaf.value) == fixed2(e / (i + c) * 100):
            return b.leaf_value(leaf)
        return b.calc(
            "spending_completion_rate",
            "整体支出完成率",
            e / (i + c) * 100,
            "%",
            "整体支出完成率 = 支出合计 ÷（收入合计 + 年初结转和结余）× 100%",
            ["expenditure_total", "income_total", "carryover_prev"],
        )

    def level1_scores(self) -> str:
        parts = []
        for node in self.inp.evaluation.tree:
            s = self.book.score(node.code, f"{node.name}得分", node.score, "评价结果")
            w = self.book.weight(node.code, node.name, node.weight)
            parts.append(f"{node.name}{fen(s)}（满分{w}分）")
        return "、".join(parts)

    def incomplete(self) -> str:
        t = self.inp.evaluation.total
        if t.complete:
            return ""
        names = []
        by_code = {leaf.code: leaf.name for leaf in self.book.leaves}
        for code in t.incomplete_leaves:
            names.append(by_code.get(code, code))
        if not names:
            names = [leaf.name for leaf in self.book.leaves if leaf.status != "scored"]
        return "以下指标缺少数据或无法计算，尚未评分，总分为暂计数：" + missing_data(
            "、".join(names)
        )

    def checklist(self) -> list[str]:
        out = []
        answers = {"partly": "部分符合", "no": "不符合"}
        for leaf in self.book.leaves:
            if not leaf.checklist:
                continue
            parent = self._parents.get(leaf.code)
            name = f"{parent}—{leaf.name}" if parent and parent != leaf.name else leaf.name
            weak = [p for p in leaf.checklist if p.answer in answers]
            unanswered = [p for p in leaf.checklist if p.answer is None]
            if weak:
                state = "；".join(
                    f"“{p.text.rstrip('。；;')}”{answers[p.answer or 'no']}" for p in weak
                )
            elif unanswered:
                state = todo("核查要点答复：" + "、".join(p.text for p in unanswered))
            else:
                state = "各项核查要点均符合"
            score = self.book.score(leaf.code, f"{leaf.name}自评分", leaf.score, "评价结果")
            full = self.book.weight(leaf.code, leaf.name, leaf.max)
            out.append(f"{name}：{state}，分值{full}分，自评{fen(score)}。")
        return out

    def leaves_table(self) -> Table:
        rows = []
        for leaf in self.book.leaves:
            value = self.book.leaf_value(leaf) if leaf.value is not None else "—"
            rows.append(
                [
                    leaf.name,
                    self.book.weight(leaf.code, leaf.name, leaf.max),
                    self.book.score(leaf.code, f"{leaf.name}自评分", leaf.score, "评价结果"),
                    value,
                ]
            )
        return Table(
            "各项指标自评得分", ["指标", "分值", "自评分", "完成值"], rows, [5, 1.5, 1.5, 2]
        )

    def section_count(self) -> str:
        n = len(self.inp.unit.sections)
        # A count read off the unit's own list of sections; recorded so the data table has it.
        from jixiao.reports.model import Figure

        shown = self.book.record(
            Figure(
                key="unit:sections",
                label="内设机构数",
                value=float(n),
                unit="个",
                display=f"{n}个",
                source="unit.yaml sections（按列出的内设机构计数）",
            )
        )
        return f"共{shown}{self.inp.unit.section_word}"

    def disclosure_days(self) -> int | None:
        d = self.inp.unit.disclosure
        if d.budget_approved and d.budget_published:
            return (d.budget_published - d.budget_approved).days
        return None

    def namespace(self) -> dict[str, Any]:
        ev, u, b = self.inp.evaluation, self.inp.unit, self.book
        return {
            "u": u,
            "n": self.inp.narrative,
            "year": ev.year,
            "notice": notice_cn(u.notice.title, u.notice.number),
            "fact": b.fact,
            "fact_value": b.fact_value,
            "has": b.has,
            "wanted": lambda leaf, *facts: (
                b.leaf(leaf) is not None or (bool(facts) and b.has(*facts))
            ),
            "yoy": b.yoy,
            "rate": self.rate,
            "leaf_or_change": self.leaf_or_change,
            "todo": todo,
            "date": date_cn,
            "member": lambda m: _member(m),
            "members": lambda ms: "、".join(_member(m) for m in ms),
            "span": _span,
            "section_count": self.section_count() if u.sections else "",
            "framework_name": f"《{ev.framework.name}》",
            "total_score": b.score("total", "自评总分", ev.total.score, "评价结果 总分"),
            "total_max": b.weight("total", "总分", ev.total.max),
            "grade": ev.total.grade,
            "level1_scores": self.level1_scores(),
            "incomplete": self.incomplete(),
            "spending_completion": self.spending_completion()
            if b.has("expenditure_total", "income_total", "carryover_prev")
            else "",
            "disclosure_days": self.disclosure_days(),
            "checklist": self.checklist(),
            "kpi_groups": centre_groups(b),
            "drafted_problems": [] if self.inp.narrative.problems else draft_problems(b),
            "project": u.project,
        }


def _member(m: Member) -> str:
    return f"{m.name}（{m.title}）" if m.title else m.name


def _span(s: Stage) -> str:
    if s.end and s.end != s.start:
        return f"{date_cn(s.start)}至{date_cn(s.end)}"
    return date_cn(s.start)


def _charts(inp: Inputs, book: FigureBook) -> dict[str, Chart]:
    out: dict[str, Chart] = {}
    leaves = book.leaves
    if leaves:
        png = charts.scores_chart([(lf.name, lf.max, lf.score) for lf in leaves])
        out["scores"] = Chart("各项指标自评分与分值", png)
    monthly = monthly_series(inp.evaluation, inp.kpis)
    if monthly:
        out["monthly"] = Chart("主要服务指标月度走势", charts.monthly_chart(monthly))
    return out


def kpi_targets(evaluation: Evaluation) -> dict[str, float]:
    """KPI id → the target of the leaf that is computed from it (if any)."""
    out: dict[str, float] = {}
    for leaf in evaluation.leaves():
        if leaf.target is None or leaf.unit != "%":
            continue
        for i in leaf.inputs:
            if i.source.kind == "kpi" and i.source.kpi:
                out.setdefault(i.source.kpi, float(leaf.target))
    return out


def monthly_series(
    evaluation: Evaluation, kpis: KpiReport | None, limit: int = 4
) -> list[tuple[str, list[str], list[float | None], float | None]]:
    if kpis is None:
        return []
    order = [k for g in phrases()["groups"] for k in g["kpis"]]
    by_kpi: dict[str, dict[str, float | None]] = {}
    labels: dict[str, str] = {}
    for v in kpis.results:
        if set(v.group) == {"month"} and v.unit == "%":
            by_kpi.setdefault(v.kpi, {})[v.group["month"]] = v.value
            labels[v.kpi] = v.label
    targets = kpi_targets(evaluation)
    chosen = sorted(
        (k for k in by_kpi if len(by_kpi[k]) >= 2),
        key=lambda k: (k not in targets, order.index(k) if k in order else 999),
    )[:limit]
    out = []
    for k in chosen:
        months = sorted(by_kpi[k])
        out.append((labels[k], months, [by_kpi[k][m] for m in months], targets.get(k)))
    return out


def _number_captions(blocks: list[Block]) -> None:
    """图1、图2 … and 表1、表2 … in order of appearance."""
    fig = tab = 0
    for b in blocks:
        if isinstance(b, Chart):
            fig += 1
            b.caption = f"图{fig} {b.caption}"
        elif isinstance(b, Table):
            tab += 1
            b.caption = re.sub(r"^表\d+ ", "", b.caption)
            b.caption = f"表{tab} {b.caption}"


def _check_kpi_period(kpis: KpiReport, year: int) -> None:
    """Service figures of another year must never be printed as this year's (a KPI file for a
    part of the year, e.g. January to June, is fine)."""
    start, end = kpis.start[:4], kpis.end[:4]
    if start != str(year) or end != str(year):
        raise JixiaoError(
            f"服务指标的统计期间（{kpis.start} 至 {kpis.end}）不在评价年度 {year} 年内：请用"
            f" jixiao kpis --year {year} 重新计算"
        )


def build_report(
    evaluation: Evaluation,
    unit: UnitInfo,
    narrative: Narrative | None = None,
    kpis: KpiReport | None = None,
) -> Report:
    if unit.year != evaluation.year:
        raise JixiaoError(
            f"单位信息中的评价年度（{unit.year}）与评价结果的年度（{evaluation.year}）不一致"
        )
    if kpis is not None:
        _check_kpi_period(kpis, evaluation.year)
    inp = Inputs(evaluation, unit, narrative or Narrative(), kpis)
    book = FigureBook(evaluation, kpis)
    ctx = Context(inp, book)
    kind = evaluation.framework.kind
    template = env().get_template("dept.txt.j2" if kind == "dept" else "project.txt.j2")
    ns = ctx.namespace()
    tables = {"leaves": ctx.leaves_table()}
    if kind == "project":
        tables.update(project_tables(ctx))
    text = template.render(**ns)
    blocks = parse_markup(text, _charts(inp, book), tables)
    _number_captions(blocks)
    if kind == "dept":
        title = f"{unit.name}{evaluation.year}年度部门整体支出绩效自评报告"
        st_title = f"{unit.name}{evaluation.year}年度部门整体支出绩效自评指标评分表"
    else:
        project = unit.project or ""
        title = f"{unit.name}{evaluation.year}年度{project}项目支出绩效自评报告"
        st_title = f"{unit.name}{evaluation.year}年度{project}项目支出绩效自评指标评分表"
    sig = unit.signature_date or unit.submission_date
    return Report(
        kind=kind,
        title=title,
        unit_name=unit.name,
        year=evaluation.year,
        blocks=blocks,
        score_table=score_table(evaluation, st_title),
        figures=book.figures,
        signature_date=date_cn(sig) if sig else todo("落款日期（unit.yaml 的 signature_date）"),
    )


def project_tables(ctx: Context) -> dict[str, Table]:
    """The project report's table of indicators: target and actual for each."""
    b = ctx.book
    rows = []
    for leaf in b.leaves:
        parent = ctx._parents.get(leaf.code, "")
        target = b.leaf_target(leaf) if leaf.target is not None else "—"
        actual = b.leaf_value(leaf) if leaf.value is not None else "—"
        rows.append(
            [
                parent,
                leaf.name,
                target,
                actual,
                b.weight(leaf.code, leaf.name, leaf.max),
                b.score(leaf.code, f"{leaf.name}自评分", leaf.score, "评价结果"),
            ]
        )
    return {
        "targets": Table(
            "绩效指标完成情况",
            ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评分"],
            rows,
            [2, 4, 2, 2, 1.2, 1.2],
        )
    }
