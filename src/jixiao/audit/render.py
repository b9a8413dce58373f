"""Output of ``jixiao audit``: Rich text for the terminal, JSON, and a self-contained HTML page."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.audit.result import AuditResult

_VERDICT_ZH = {
    "error": "有错误",
    "warning": "有警告",
    "clean": "未发现问题",
    "unreadable": "无法读取",
}
_SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_text(results: Sequence[AuditResult], console: Console) -> None:
    for r in results:
        style = {"error": "bold red", "warning": "yellow", "clean": "green"}.get(r.verdict, "red")
        console.print(
            Text.assemble((r.file, "bold"), "：", (_VERDICT_ZH[r.verdict], style)), soft_wrap=True
        )
        if not r.findings:
            continue
        table = Table(show_header=True, header_style="bold", expand=False)
        table.add_column("位置", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("代码", no_wrap=True)
        table.add_column("说明", overflow="fold", ratio=3)
        table.add_column("原文", overflow="fold", ratio=2)
        for f in r.findings:
            where = f"{f.line}:{f.column}" if f.line else "—"
            table.add_row(
                where,
                Text(_SEV_ZH.get(f.severity, f.severity), style=_SEV_STYLE.get(f.severity, "")),
                f.code,
                Text(f.message),
                Text(f.excerpt),
            )
        console.print(table)
    n_err = sum(1 for r in results for f in r.findings if f.severity == "error")
    n_warn = sum(1 for r in results for f in r.findings if f.severity == "warning")
    console.print(
        f"共审核 {len(results)} 个文件：错误 {n_err} 处，警告 {n_warn} 处。", soft_wrap=True
    )


def to_json(results: Sequence[AuditResult]) -> str:
    if len(results) == 1:
        return results[0].to_json()
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
margin:2em;color:#222;line-height:1.7}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
.verdict-error{color:#b00020}.verdict-warning{color:#a66b00}.verdict-clean{color:#1b7f3b}
.verdict-unreadable{color:#b00020}
pre.report{white-space:pre-wrap;word-break:break-all;background:#fafafa;padding:1em;
border:1px solid #ddd;font-family:inherit}
mark{padding:0 .1em;border-radius:2px}
mark.error{background:#ffd6d9;outline:1px solid #e0002a}
mark.warning{background:#fff0c2;outline:1px solid #d19a00}
mark.info{background:#d9f0ff;outline:1px solid #2b8ccf}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
vertical-align:top}th{background:#f0f0f0}
.ln{color:#999;user-select:none}
"""


def _marked_text(r: AuditResult) -> str:
    spans = sorted(
        ((f.offset, f.offset + max(f.length, 1), i, f) for i, f in enumerate(r.findings) if f.line),
        key=lambda t: (t[0], -t[1]),
    )
    out: list[str] = []
    pos = 0
    text = r.text
    for a, b, i, f in spans:
        if a < pos:  # overlapping findings: the first one keeps the highlight
            continue
        out.append(html.escape(text[pos:a]))
        title = html.escape(f"{f.code}：{f.message}", quote=True)
        out.append(
            f'<mark id="f{i}" class="{html.escape(f.severity)}" title="{title}">'
            f"{html.escape(text[a:b])}</mark>"
        )
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def to_html(results: Sequence[AuditResult]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>绩效自评报告审核结果</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>绩效自评报告审核结果</h1>",
    ]
    for r in results:
        v = r.verdict
        parts.append(
            f"<h2>{html.escape(r.file)}："
            f'<span class="verdict-{v}">{html.escape(_VERDICT_ZH[v])}</span></h2>'
        )
        if r.findings:
            parts.append("<table><tr><th>位置</th><th>级别</th><th>代码</th><th>说明</th></tr>")
            for i, f in enumerate(r.findings):
                where = f'<a href="#f{i}">{f.line}:{f.column}</a>' if f.line else "—"
                parts.append(
                    f"<tr><td>{where}</td><td>{html.escape(_SEV_ZH.get(f.severity, f.severity))}"
                    f"</td><td>{html.escape(f.code)}</td><td>{html.escape(f.message)}</td></tr>"
                )
            parts.append("</table>")
        if r.text:
            parts.append(f'<pre class="report">{_marked_text(r)}</pre>')
    parts.append("</body></html>")
    return "\n".join(parts)
