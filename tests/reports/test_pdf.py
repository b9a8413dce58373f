"""The published PDF: its extracted text (pdftotext) has the headings and figures, it embeds a
CJK font, and the page-number footer is there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from builders import make_evaluation, make_kpis, make_narrative, make_unit
from reading import PLACEHOLDER, allowed_numbers, stray_numbers

from jixiao.reports.render import ReportFiles, render_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    out = tmp_path_factory.mktemp("pdf")
    return render_report(make_evaluation(), make_unit(), make_narrative(), make_kpis(), out_dir=out)


def pdftext(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_pdf_text_has_headings_and_figures(files: ReportFiles) -> None:
    assert files.pdf is not None and files.pdf.read_bytes().startswith(b"%PDF")
    text = pdftext(files.pdf)
    flat = re.sub(r"\s+", "", text)
    headings = ("一、单位基本情况", "三、绩效自评情况", "七、存在问题", "（五）部门整体收支情况")
    assert all(h in flat for h in headings)
    assert "收入合计933.09万元，较上年增加244.08万元，增长35.42%" in flat
    assert "受理办件177321件，办结176544件，办结率99.56%" in flat
    assert "自评得分94分（满分100分），等级为“优”" in flat
    assert "部门整体支出绩效自评指标评分表" in flat and "社会公众或服务对象满意度" in flat
    assert "【系统草拟，请核实】" in flat
    # a glyph missing from the fonts would come out as U+FFFD or an empty box
    assert "\ufffd" not in text and "□" not in text


def test_pdf_embeds_a_cjk_font(files: ReportFiles) -> None:
    assert files.pdf is not None
    out = subprocess.run(
        ["pdffonts", str(files.pdf)], check=True, capture_output=True, text=True
    ).stdout
    cjk = [line for line in out.splitlines() if "CJK" in line]
    assert cjk, out
    assert all(line.split()[-5] == "yes" for line in cjk)  # the emb column


def test_pdf_pages_are_numbered(files: ReportFiles) -> None:
    assert files.pdf is not None
    pages = pdftext(files.pdf).split("\f")
    assert re.search(r"—\s*1\s*—", pages[0]) and re.search(r"—\s*2\s*—", pages[1])


def test_pdf_has_no_placeholder_and_no_stray_number(files: ReportFiles) -> None:
    assert files.pdf is not None
    text = pdftext(files.pdf)
    assert not PLACEHOLDER.search(text)
    ok = allowed_numbers(make_evaluation(), make_unit(), make_kpis())
    # A number broken at the end of a line comes out in two pieces: a piece is accepted only
    # as the head or tail of an allowed number.
    stray = [
        n
        for n in stray_numbers(text, ok)
        if not any(a.startswith(n) or a.endswith(n) for a in ok if len(a) > len(n))
    ]
    assert stray == []
