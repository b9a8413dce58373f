"""The report model: built once from the inputs, then written by each renderer.

A report is a title, an opening, a flat list of blocks (headings, paragraphs, tables, charts),
the score table, a signature, and the book of every figure it prints (the data table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

RunKind = Literal["text", "todo", "draft"]

_MARK = re.compile(r"(【(?:待填写|待补充数据|无法计算|未评分|系统草拟)[^】]*】)")


@dataclass
class Run:
    """A stretch of text; ``todo`` (【待填写：…】) and ``draft`` (【系统草拟，请核实】) are
    highlighted so that nobody files them by mistake."""

    text: str
    kind: RunKind = "text"


def split_runs(text: str) -> list[Run]:
    """Split a paragraph into plain runs and the highlighted 【…】 markers."""
    out: list[Run] = []
    for part in _MARK.split(text):
        if not part:
            continue
        if _MARK.fullmatch(part):
            out.append(Run(part, "draft" if part.startswith("【系统草拟") else "todo"))
        else:
            out.append(Run(part))
    return out


@dataclass
class Heading:
    level: int
    number: str
    text: str


@dataclass
class Paragraph:
    runs: list[Run]
    # Numbered items of level 3 and 4 (1. / （1）) are body paragraphs with a generated number.
    number: str = ""

    @property
    def text(self) -> str:
        return self.number + "".join(r.text for r in self.runs)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    # Relative column widths (the renderers scale them to the page).
    widths: list[float] = field(default_factory=list)


@dataclass
class Chart:
    caption: str
    png: bytes
    width_mm: float = 150.0


Block = Heading | Paragraph | Table | Chart


@dataclass
class Figure:
    """A number printed in the report, with where it came from (a row of the data table)."""

    key: str
    label: str
    value: float
    unit: str
    display: str
    source: str
    formula: str | None = None
    inputs: list[str] = field(default_factory=list)
    query: str | None = None


@dataclass
class ScoreRow:
    """One leaf of the score table with its parents; ``span`` counts rows a parent cell covers
    (0 on the rows it is merged into)."""

    level1: str
    level1_span: int
    level2: str
    level2_span: int
    level3: str
    depth: int
    weight: float
    score: float | None
    explanation: str
    note: str
    code: str


@dataclass
class ScoreTable:
    title: str
    rows: list[ScoreRow]
    total_weight: float
    total_score: float
    grade: str
    complete: bool


@dataclass
class Report:
    kind: Literal["dept", "project"]
    title: str
    unit_name: str
    year: int
    blocks: list[Block]
    score_table: ScoreTable
    figures: list[Figure]
    signature_date: str

    def text(self) -> str:
        """The report as plain text, one block per line (for tests and the auditor)."""
        out = [self.title]
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(b.number + b.text)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, Table):
                out.append(b.caption)
                out.append("\t".join(b.header))
                out.extend("\t".join(r) for r in b.rows)
            elif isinstance(b, Chart):
                out.append(b.caption)
        out.append(self.unit_name)
        out.append(self.signature_date)
        return "\n".join(out)
