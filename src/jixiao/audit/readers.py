"""Read a report file into plain text: .txt, .docx (paragraphs and tables), .pdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from jixiao.audit.core import audit_text
from jixiao.audit.result import AuditResult, Finding
from jixiao.errors import JixiaoError, Location

UNREADABLE_SCANNED = (
    "扫描件，无文字层：PDF 中没有可提取的文字，无法审核（请提供原始 Word 文件或文字版 PDF）"
)


class Unreadable(JixiaoError):
    """A file that exists but holds no text to audit (a scanned PDF, an empty file)."""


_CELL_LINE_END = re.compile(r"[。！？!?；;：:，,、]$")


def _read_txt(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JixiaoError(f"无法读取文件：{exc.strerror}", Location(file=str(path))) from exc
    for enc in ("utf-8-sig", "gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise JixiaoError("文本编码无法识别（试过 UTF-8、GB18030、Big5）", Location(file=str(path)))


def _read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocumentObject = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise JixiaoError(f"不是有效的 Word 文件：{exc}", Location(file=str(path))) from exc
    lines: list[str] = []
    # Body order matters (the score table sits after the narrative), so walk the body's
    # children rather than doc.paragraphs then doc.tables.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.replace("\n", "").replace("\t", " ") for c in row.cells]
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    # A row must stay one line, but the lines of a multi-line cell are separate statements:
    # glued together, "= 90.00%" and "12345热线…" read as "90.00%12345" (QA F28). Join them
    # with a sentence end unless the line already ends a clause.
    parts = [ln.strip() for ln in str(v).replace("\t", " ").splitlines()]
    out = ""
    for ln in (p for p in parts if p):
        if out and not _CELL_LINE_END.search(out):
            out += "。"
        out += ln
    return out


def _read_xlsx(path: Path) -> str:
    """A workbook (the score table and data table are filed as .xlsx): each sheet's rows as
    tab-separated lines, merged cells repeated in every cell they cover, as python-docx does
    for Word tables, so one reader serves both."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken package
        raise JixiaoError(f"不是有效的 Excel 文件：{exc}", Location(file=str(path))) from exc
    lines: list[str] = []
    for ws in wb.worksheets:
        fill: dict[tuple[int, int], object] = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    fill[(r, c)] = top
        lines.append(ws.title)
        for row in ws.iter_rows():
            cells = [_cell_text(fill.get((c.row, c.column), c.value)) for c in row]
            if any(cells):
                lines.append("\t".join(cells).rstrip("\t"))
        lines.append("")
    return "\n".join(lines)


def _broken_pdf(path: Path, library_text: str) -> JixiaoError:
    """A Chinese message for a PDF the library could not read.

    poppler's and pypdf's own messages are English and name no file, so they are not shown;
    only a password prompt is told apart, because the user can do something about it.
    """
    where = Location(file=str(path))
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        head = b""
    if not head:
        return JixiaoError(f"{path.name} 不是有效的 PDF 文件（文件是空的），无法审核", where)
    if b"%PDF-" not in head:
        return JixiaoError(
            f"{path.name} 不是有效的 PDF 文件（文件开头没有 PDF 标记），无法审核", where
        )
    if "password" in library_text.lower():
        return JixiaoError(f"{path.name} 是加密的 PDF 文件，需要密码才能读取，无法审核", where)
    return JixiaoError(f"{path.name} 文件已损坏（PDF 结构不完整），无法提取文字，无法审核", where)


def _read_pdf(path: Path) -> str:
    # pdftotext -layout keeps table rows on one line; pypdf is the fallback where poppler is
    # missing.
    exe = shutil.which("pdftotext")
    text = ""
    if exe:
        proc = subprocess.run(
            [exe, "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            raise _broken_pdf(path, proc.stderr.decode("utf-8", "replace"))
        text = proc.stdout.decode("utf-8", "replace")
    else:
        import pypdf

        try:
            reader = pypdf.PdfReader(str(path))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception as exc:
            raise _broken_pdf(path, str(exc)) from exc
    if not text.replace("\f", "").strip():
        raise Unreadable(UNREADABLE_SCANNED, Location(file=str(path)))
    return unwrap_layout(text)


_FOOTER = re.compile(r"^\s*(?:[—–-]\s*\d+\s*[—–-]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+)\s*$")
_CELL_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_ENDS_CLAUSE = re.compile(r"[。！？!?；;：:]$")


def unwrap_layout(text: str) -> str:
    """Undo the line wrapping of ``pdftotext -layout``, so that a sentence is one line again.

    A printed page wraps a paragraph wherever the line is full — inside a figure ("1077.96万\n元",
    "144.\n86") as often as not — and the auditor reads a relation within one sentence. In
    layout output a paragraph's first line is indented and its continuation lines start at the
    margin, while a table row has cells apart by two or more spaces; page footers ("—3—") and
    form feeds sit between pages. Rows become tab-separated lines (the score-table reader's
    format); continuation lines are joined to the line they continue. The text returned is what
    findings' lines and columns refer to.
    """
    out: list[str] = []
    joinable = False  # whether the last kept line is prose that may continue
    for raw in text.replace("\f", "\n\f\n").split("\n"):
        line = raw.rstrip()
        if line == "\f" or _FOOTER.match(line):
            continue  # page boundaries do not end a paragraph
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        body = line.lstrip(" ")
        indented = len(line) - len(body) >= 2
        if _CELL_GAP.search(body):
            out.append(_CELL_GAP.sub("\t", body))
            joinable = False
            continue
        if joinable and not indented:
            while out and out[-1] == "":
                out.pop()
            out[-1] += body
        else:
            out.append(body if indented else line)
        joinable = not _ENDS_CLAUSE.search(body)
    return "\n".join(out)


def read_text(path: str | Path) -> str:
    """The report's text; raises :class:`JixiaoError` (Chinese message) when it cannot."""
    p = Path(path)
    if not p.exists():
        raise JixiaoError("文件不存在", Location(file=str(p)))
    if not p.is_file():
        raise JixiaoError("不是文件（是目录或设备）", Location(file=str(p)))
    suffix = p.suffix.lower()
    if suffix == ".docx":
        text = _read_docx(p)
    elif suffix == ".pdf":
        text = _read_pdf(p)
    elif suffix in (".xlsx", ".xlsm"):
        text = _read_xlsx(p)
    elif suffix in (".txt", ".text", ".md", ""):
        text = _read_txt(p)
    elif suffix == ".doc":
        raise JixiaoError("不支持旧版 .doc 格式，请另存为 .docx 后再审核", Location(file=str(p)))
    else:
        raise JixiaoError(
            f"不支持的文件类型 {suffix}（支持 .txt、.docx、.pdf、.xlsx）", Location(file=str(p))
        )
    if not text.strip():
        raise Unreadable("文件中没有文字，无法审核", Location(file=str(p)))
    return text


def audit_file(path: str | Path) -> AuditResult:
    """Audit a file. A file without text comes back with verdict ``unreadable``, never clean."""
    try:
        text = read_text(path)
    except JixiaoError as exc:
        return AuditResult(
            file=str(path),
            findings=[
                Finding(
                    code="AUD-UNREADABLE",
                    severity="error",
                    message=exc.message,
                    line=0,
                    column=0,
                    excerpt="",
                )
            ],
            readable=False,
        )
    result = audit_text(text, name=str(path))
    return result
