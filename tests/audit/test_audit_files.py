"""Real files in, real output out: .docx (with a score table), .pdf, a PDF without a text layer,
and the CLI's exit codes and JSON / HTML output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.audit import audit_file

WRONG_RATE = "2023年，综合服务窗口受理业务量22699件，办结22476件，办结率98.02%。"
RIGHT_RATE = "2023年，综合服务窗口受理业务量22699件，办结22476件，办结率99.02%。"


def _jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "audit", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("某中心2023年度部门整体支出绩效自评报告")
    d.add_paragraph("一、单位基本情况")
    d.add_paragraph(RIGHT_RATE)
    d.add_paragraph("二、绩效自评情况")
    d.add_paragraph(WRONG_RATE)
    t = d.add_table(rows=4, cols=4)
    rows = [
        ("一级指标", "三级指标", "分值", "自评分"),
        ("投入（40分）", "绩效目标合理性", "40", "38"),
        ("产出（60分）", "实际完成率", "60", "61"),
        ("合计", "", "100", "99"),
    ]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    d.save(str(path))
    return path


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    r = audit_file(_docx(tmp_path / "r.docx"))
    codes = {(f.code, f.severity) for f in r.findings}
    assert ("AUD-RATIO", "error") in codes
    assert ("AUD-SCORE-OVER", "error") in codes  # 61 > 60 in the Word table
    ratio = next(f for f in r.findings if f.code == "AUD-RATIO")
    assert "98.02%" in ratio.excerpt and ratio.stated == "98.02%"
    # The correct rate on the earlier line raises nothing.
    assert all(f.line != ratio.line - 2 for f in r.findings)


@pytest.mark.slow
def test_pdf_with_cjk_text(tmp_path: Path) -> None:
    from weasyprint import HTML

    # A narrow page wraps each sentence over several lines, often inside a figure; the reader
    # must join them again for the rate and its figures to meet.
    html = (
        "<html><head><style>@page { size: 70mm 160mm; margin: 8mm }"
        "p { text-indent: 2em }</style></head>"
        "<body style=\"font-family: 'Noto Sans CJK SC'\">"
        f"<p>一、单位基本情况</p><p>{RIGHT_RATE}</p><p>{WRONG_RATE}</p></body></html>"
    )
    pdf = tmp_path / "r.pdf"
    HTML(string=html).write_pdf(str(pdf))
    r = audit_file(pdf)
    assert r.verdict == "error"
    (f,) = [f for f in r.findings if f.code == "AUD-RATIO"]
    assert f.stated == "98.02%" and f.expected == "99.02%"


def test_unwrap_layout_joins_wrapped_lines_and_tabs_table_rows() -> None:
    from jixiao.audit.readers import unwrap_layout

    layout = (
        "     （二）支出完成率\n"
        "     2021年度实际支出1077.96万\n"
        "元，当年收入933.09万元，上年结转和结余144.\n"
        "86万元，整体支出完成率为100.00%。\n"
        "\n"
        "                —3—\n"
        "\f"
        "指标                 分值      自评分\n"
        "绩效目标合理性               2      2\n"
    )
    assert unwrap_layout(layout).rstrip("\n").split("\n") == [
        "（二）支出完成率",
        "2021年度实际支出1077.96万元，当年收入933.09万元，上年结转和结余144.86万元，"
        "整体支出完成率为100.00%。",
        "",
        "指标\t分值\t自评分",
        "绩效目标合理性\t2\t2",
    ]


def test_pdf_without_text_layer_is_unreadable(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    # A scan: the page is one image of printed lines, with no text operators at all.
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    for i in range(30):
        draw.text((120, 120 + 48 * i), "2023 ... 22699 ... 22476 ... 99.02%", fill=0)
    pdf = tmp_path / "scan.pdf"
    page.save(pdf, "PDF", resolution=150)
    r = audit_file(pdf)
    assert r.verdict == "unreadable"
    assert "扫描件" in r.findings[0].message and "无文字层" in r.findings[0].message
    p = _jixiao(str(pdf), "--format", "json")
    assert p.returncode == 2, p.stderr
    assert json.loads(p.stdout)["verdict"] == "unreadable"


def test_broken_pdf_is_named_in_chinese(tmp_path: Path) -> None:
    # QA F4: poppler's English "Syntax Warning: May not be a PDF file … Couldn't find trailer
    # dictionary" reached the user.
    from weasyprint import HTML

    not_pdf = tmp_path / "伪装.pdf"
    not_pdf.write_bytes(b"garbage\n")
    whole = tmp_path / "whole.pdf"
    HTML(string="<p>" + RIGHT_RATE + "</p>").write_pdf(str(whole))
    cut = tmp_path / "截断.pdf"
    cut.write_bytes(whole.read_bytes()[:300])  # the header survives, the xref table does not
    for pdf, words in ((not_pdf, "不是有效的 PDF 文件"), (cut, "文件已损坏")):
        r = audit_file(pdf)
        assert r.verdict == "unreadable"
        message = r.findings[0].message
        assert words in message and pdf.name in message, message
        assert not any(w in message for w in ("Syntax", "trailer", "xref")), message
    p = _jixiao(str(not_pdf), "--format", "json")
    assert p.returncode == 2, p.stderr
    data = json.loads(p.stdout)
    assert data["verdict"] == "unreadable"
    assert "不是有效的 PDF 文件" in data["findings"][0]["message"]


@pytest.mark.slow
def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(WRONG_RATE, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(RIGHT_RATE, encoding="utf-8")
    p = _jixiao(str(good))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "未发现问题" in p.stdout
    p = _jixiao(str(bad), "--format", "json")
    assert p.returncode == 1
    data = json.loads(p.stdout)
    assert data["verdict"] == "error"
    (f,) = data["findings"]
    assert set(f) == {
        "code",
        "severity",
        "message",
        "line",
        "column",
        "excerpt",
        "stated",
        "expected",
    }
    got = (f["code"], f["line"], f["stated"], f["expected"])
    assert got == ("AUD-RATIO", 1, "98.02%", "99.02%")
    assert WRONG_RATE[f["column"] - 1 :].startswith("98.02%")
    # A missing file among good ones: exit 2, the others still audited.
    p = _jixiao(str(good), str(tmp_path / "missing.txt"), "--format", "json")
    assert p.returncode == 2
    assert [d["verdict"] for d in json.loads(p.stdout)] == ["clean", "unreadable"]


def test_html_highlights_in_place_and_escapes(tmp_path: Path) -> None:
    src = tmp_path / "r.txt"
    src.write_text("<script>alert(1)</script>\n" + WRONG_RATE, encoding="utf-8")
    out = tmp_path / "r.html"
    p = _jixiao(str(src), "--format", "html", "-o", str(out))
    assert p.returncode == 1
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<mark id="f0" class="error"' in page
    assert page.split('<mark id="f0"', 1)[1].split(">", 1)[1].startswith("98.02%</mark>")
    assert "http" not in page  # self-contained: no external stylesheet or script


def test_text_output_to_file(tmp_path: Path) -> None:
    src = tmp_path / "r.txt"
    src.write_text(WRONG_RATE, encoding="utf-8")
    out = tmp_path / "r.out"
    p = _jixiao(str(src), "-o", str(out))
    assert p.returncode == 1
    text = out.read_text(encoding="utf-8")
    assert "AUD-RATIO" in text and "1:" in text


def test_xlsx_score_table_with_merged_cells(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["一级指标", "三级指标", "分值", "自评分"])
    ws.append(["投入（20分）", "绩效目标合理性", 10, 10])
    ws.append([None, "在职人员控制率", 10, 9])
    ws.append(["产出（80分）", "实际完成率", 80, 76])
    ws.append(["合计", None, 100, 96])  # 10 + 9 + 76 = 95
    ws.merge_cells("A2:A3")  # the level-1 name covers both of its rows
    path = tmp_path / "score.xlsx"
    wb.save(path)
    r = audit_file(path)
    codes = [(f.code, f.stated, f.expected) for f in r.findings]
    assert codes == [("AUD-SCORE-SUM", "96", "95")], codes
    # Without the merge filled in, 在职人员控制率 would sit under no parent and the weight of
    # 投入 (20 = 10 + 10) could not be checked; it is, and raises nothing.
    assert not [f for f in r.findings if f.code == "AUD-SCORE-WEIGHT"]


def test_xlsx_multiline_cell_lines_stay_apart(tmp_path: Path) -> None:
    """A data-table cell listing its inputs one per line (as jixiao's 数据表.xlsx does): glued
    together, “= 90.00%” and “12345热线…” read as the malformed “90.00%12345” (QA F28)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据表"
    ws.append(["序号", "数据项", "报告中的表述", "数值", "单位", "来源", "计算公式", "计算输入"])
    ws.append(
        [
            1,
            "12345热线接通率",
            "95.12%",
            95.11576,
            "%",
            "评价结果 指标 4.1.4",
            None,
            "12345热线接通率年度指标值（declared:4.1.4:target）= 90.00%\n"
            "12345热线接通率实际完成值（kpi.hotline_answer_rate）= 95.12%",
        ]
    )
    ws.append([2, "受理量", "22699件", 22699, "件", "服务记录", None, "受理22699件\n办结22476件"])
    path = tmp_path / "数据表.xlsx"
    wb.save(path)
    r = audit_file(path)
    assert r.verdict == "clean", [(f.code, f.message) for f in r.findings]
    # Each line is still read, as a sentence of its own: a wrong rate in one line is found.
    ws.append(
        [
            3,
            "办结率",
            "98.02%",
            98.02,
            "%",
            "服务记录",
            None,
            "说明\n受理22699件，办结22476件，办结率98.02%",
        ]
    )
    wb.save(path)
    r = audit_file(path)
    assert [f.code for f in r.findings if f.severity == "error"] == ["AUD-RATIO"], r.findings
