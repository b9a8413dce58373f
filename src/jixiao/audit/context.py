"""What every check reads: the normalised text, its figures and its sentences, built once."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from jixiao.audit.figures import Figure, extract_figures, sentence_spans
from jixiao.audit.intervals import fmt_number
from jixiao.audit.normalize import NormalizedText


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Doc:
    norm: NormalizedText
    figures: list[Figure]
    sentences: list[Sentence]
    evaluated_year: int | None = None

    @property
    def text(self) -> str:
        return self.norm.text

    @classmethod
    def build(cls, norm: NormalizedText) -> Doc:
        text = norm.text
        figures = extract_figures(text)
        sentences = [Sentence(a, b, text[a:b]) for a, b in sentence_spans(text)]
        starts = [s.start for s in sentences]
        for f in figures:
            i = bisect.bisect_right(starts, f.start) - 1
            if i >= 0:
                sentences[i].figures.append(f)
        return cls(norm=norm, figures=figures, sentences=sentences)

    def line_of(self, pos: int) -> int:
        return self.norm.position(pos)[0]


def show(value: float, like: Figure) -> str:
    """Print a recomputed value in the unit and precision of the figure it is compared with."""
    if like.kind == "percent":
        return fmt_number(value, max(like.decimals, 2)) + "%"
    if like.kind == "money":
        if like.unit in ("元",) and "万" in like.raw:
            return fmt_number(value / 1e4, max(like.decimals, 2)) + "万元"
        if "亿" in like.raw:
            return fmt_number(value / 1e8, max(like.decimals, 2)) + "亿元"
        if "万" in like.raw:
            return fmt_number(value / 1e4, max(like.decimals, 2)) + "万"
        return fmt_number(value, max(like.decimals, 2)) + "元"
    if "万" in like.raw:
        return fmt_number(value / 1e4, max(like.decimals, 1)) + "万" + like.unit
    dec = like.decimals
    return fmt_number(value, dec) + like.unit
