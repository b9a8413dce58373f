"""The .docx renderer: official document style (GB/T 9704) with Chinese fonts set for East Asian
text. python-docx sets only w:ascii/w:hAnsi from ``font.name``; Word then shows Chinese in the
default font, so every style and run also gets ``w:eastAsia`` (and loses the theme-font
attributes, which would override it)."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.reports.fmt import score_text
from jixiao.reports.model import (
    Chart,
    Heading,
    Paragraph,
    Report,
    Run,
    ScoreTable,
    Table,
    split_runs,
)


@cache
def style() -> dict[str, Any]:
    text = resources.files("jixiao.reports").joinpath("style.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_parent: Any, east_asia: str, latin: str) -> None:
    """Set the fonts of a style or run, East Asian included (see the module docstring)."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _style_fonts(doc: Any, name: str, east_asia: str, size: float, bold: bool = False) -> None:
    st = doc.styles[name]
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(st.element, east_asia, style()["fonts"]["latin"])


def _setup(doc: Any) -> None:
    s = style()
    page = s["page"]
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
    sec.top_margin, sec.bottom_margin = Mm(page["margin_top_mm"]), Mm(page["margin_bottom_mm"])
    sec.left_margin, sec.right_margin = Mm(page["margin_left_mm"]), Mm(page["margin_right_mm"])
    f, z = s["fonts"], s["sizes"]
    _style_fonts(doc, "Normal", f["body"], z["body"])
    pf = doc.styles["Normal"].paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(s["line_spacing_pt"])
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(z["body"] * s["first_line_indent_chars"])
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _style_fonts(doc, "Title", f["title"], z["title"])
    _style_fonts(doc, "Heading 1", f["heading1"], z["heading1"])
    _style_fonts(doc, "Heading 2", f["heading2"], z["heading2"])
    for name in ("Title", "Heading 1", "Heading 2"):
        p = doc.styles[name].paragraph_format
        p.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.space_before = p.space_after = Pt(0)
    doc.styles["Title"].paragraph_format.line_spacing = Pt(36)
    doc.styles["Title"].paragraph_format.first_line_indent = Pt(0)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The default template draws a border under Title; official documents have none.
    ppr = doc.styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for name in ("Heading 1", "Heading 2"):
        p = doc.styles[name].paragraph_format
        p.line_spacing = Pt(s["line_spacing_pt"])
        p.first_line_indent = Pt(z["body"] * s["first_line_indent_chars"])
        p.keep_with_next = True
    _footer_page_number(sec)


def _field(run_parent: Any, instr: str) -> None:
    """A Word field (PAGE) as the fldChar begin / instrText / separate / end sequence."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("end", None)):
        r = run_parent.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
        _font_run(r, style()["fonts"]["footer"], style()["sizes"]["footer"])


def _footer_page_number(sec: Any) -> None:
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    r = p.add_run("— ")
    _font_run(r, style()["fonts"]["footer"], style()["sizes"]["footer"])
    _field(p, "PAGE")
    r = p.add_run(" —")
    _font_run(r, style()["fonts"]["footer"], style()["sizes"]["footer"])


def _font_run(
    run: Any, east_asia: str, size: float | None = None, bold: bool | None = None
) -> None:
    set_fonts(run._r, east_asia, style()["fonts"]["latin"])
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _add_runs(p: DocxParagraph, runs: list[Run], east_asia: str, size: float | None = None) -> None:
    hl = style()["highlight"]
    for r in runs:
        run = p.add_run(r.text)
        _font_run(run, east_asia, size)
        if r.kind != "text":
            run.font.highlight_color = getattr(WD_COLOR_INDEX, hl[r.kind])


def _table(doc: Any, t: Table) -> None:
    s = style()
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.first_line_indent = Pt(0)
    _font_run(cap.add_run(t.caption), s["fonts"]["heading1"], s["sizes"]["caption"])
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total_w = 156.0
    widths = t.widths or [1.0] * len(t.header)
    scale = total_w / sum(widths)
    for i, (cells, row) in enumerate(zip(table.rows, [t.header, *t.rows], strict=True)):
        for j, (cell, text) in enumerate(zip(cells.cells, row, strict=True)):
            cell.width = Mm(widths[j] * scale)
            _cell_text(cell, text, s["sizes"]["table"], bold=i == 0, center=i == 0 or j > 0)


def _cell_text(cell: Any, text: str, size: float, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    for k, line in enumerate(text.split("\n")):
        if k:
            p = cell.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _add_runs(p, split_runs(line), style()["fonts"]["table"], size)
        if bold:
            for r in p.runs:
                r.font.bold = True


def _chart(doc: Any, c: Chart) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.add_run().add_picture(io.BytesIO(c.png), width=Mm(min(c.width_mm, 156)))
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.first_line_indent = Pt(0)
    _font_run(cap.add_run(c.caption), style()["fonts"]["heading1"], style()["sizes"]["caption"])


def score_table_docx(doc: Any, st: ScoreTable) -> None:
    """The attachment: the official score table on a landscape page, parents merged."""
    s = style()
    sec = doc.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin = Mm(28), Mm(26)
    sec.left_margin, sec.right_margin = Mm(37), Mm(35)
    head = doc.add_paragraph()
    head.paragraph_format.first_line_indent = Pt(0)
    _font_run(head.add_run("附件"), s["fonts"]["heading1"], s["sizes"]["heading1"])
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    _font_run(title.add_run(st.title), s["fonts"]["title"], 18)
    cols = ["一级指标", "二级指标", "三级指标", "分值", "自评分", "指标解释", "指标说明"]
    widths = [20, 20, 28, 12, 12, 55, 78]
    n = len(st.rows)
    table = doc.add_table(rows=n + 2, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = s["sizes"]["score_table"]
    # python-docx's table.cell() rebuilds the whole grid on every call (quadratic in the table);
    # take the grid once, write every text, then merge with the same cell objects.
    grid = [list(row.cells) for row in table.rows]
    for j, (c, w) in enumerate(zip(cols, widths, strict=True)):
        for row in grid:
            row[j].width = Mm(w)
        _cell_text(grid[0][j], c, size, bold=True, center=True)
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for i, r in enumerate(st.rows, start=1):
        if r.level1_span:
            _cell_text(grid[i][0], r.level1, size, center=True)
            if r.level1_span > 1:
                merges.append(((i, 0), (i + r.level1_span - 1, 0)))
        if r.depth >= 3 and r.level2_span:
            _cell_text(grid[i][1], r.level2, size, center=True)
            if r.level2_span > 1:
                merges.append(((i, 1), (i + r.level2_span - 1, 1)))
        # A leaf higher in the tree spans the level columns below it.
        first = {1: 0, 2: 1, 3: 2}[r.depth]
        if first < 2:
            merges.append(((i, first), (i, 2)))
        _cell_text(grid[i][first], r.level3, size, center=True)
        _cell_text(grid[i][3], score_text(r.weight), size, center=True)
        shown = score_text(r.score) if r.score is not None else "未评分"
        _cell_text(grid[i][4], shown, size, center=True)
        _cell_text(grid[i][5], r.explanation, size)
        _cell_text(grid[i][6], r.note, size)
    last = n + 1
    _cell_text(grid[last][0], "总分", size, bold=True, center=True)
    _cell_text(grid[last][3], score_text(st.total_weight), size, bold=True, center=True)
    _cell_text(grid[last][4], score_text(st.total_score), size, bold=True, center=True)
    grade = f"等级：{st.grade}" + ("" if st.complete else "（有指标未评分，总分为暂计数）")
    _cell_text(grid[last][5], grade, size, bold=True)
    merges += [((last, 0), (last, 2)), ((last, 5), (last, 6))]
    for (a, b), (c, d) in merges:
        grid[a][b].merge(grid[c][d])


def render_docx(report: Report, path: Path) -> Path:
    s = style()
    doc = Document()
    _setup(doc)
    title = doc.add_paragraph(style="Title")
    _add_runs(title, [Run(report.title)], s["fonts"]["title"])
    doc.add_paragraph()
    for b in report.blocks:
        if isinstance(b, Heading):
            p = doc.add_paragraph(style=f"Heading {b.level}")
            key = "heading1" if b.level == 1 else "heading2"
            _add_runs(p, [Run(b.number + b.text)], s["fonts"][key])
        elif isinstance(b, Paragraph):
            p = doc.add_paragraph()
            _add_runs(p, [Run(b.number), *b.runs] if b.number else b.runs, s["fonts"]["body"])
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Chart):
            _chart(doc, b)
    doc.add_paragraph()
    for text in (report.unit_name, report.signature_date):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(s["sizes"]["body"] * 2)
        _add_runs(p, split_runs(text), s["fonts"]["body"])
    score_table_docx(doc, report.score_table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
