"""The published .pdf: the report model as HTML (Jinja2, autoescaped) and CSS, laid out by
WeasyPrint with the CJK fonts of fonts-noto-cjk."""

from __future__ import annotations

import base64
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from jixiao.reports.fmt import score_text
from jixiao.reports.model import Chart, Heading, Paragraph, Report, Table, split_runs

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("jixiao.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _css() -> str:
    return resources.files("jixiao.reports").joinpath("templates/report.css").read_text("utf-8")


def _blocks(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for b in report.blocks:
        if isinstance(b, Heading):
            out.append({"kind": "heading", **asdict(b)})
        elif isinstance(b, Paragraph):
            out.append({"kind": "paragraph", **asdict(b)})
        elif isinstance(b, Table):
            out.append({"kind": "table", **asdict(b)})
        elif isinstance(b, Chart):
            data = base64.b64encode(b.png).decode("ascii")
            out.append({"kind": "chart", "caption": b.caption, "data": data})
    return out


def render_html(report: Report) -> str:
    return _ENV.get_template("report.html.j2").render(
        r=report,
        blocks=_blocks(report),
        st=report.score_table,
        signature=split_runs(report.signature_date),
        score_text=score_text,
    )


def render_pdf(report: Report, path: Path) -> Path:
    # Imported here: WeasyPrint loads Pango at import, which the docx/xlsx-only paths never need.
    from weasyprint import CSS, HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=render_html(report)).write_pdf(str(path), stylesheets=[CSS(string=_css())])
    return path
