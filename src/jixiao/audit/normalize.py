"""Normalise report text before reading figures, keeping a map back to the original.

Reports arrive in traditional characters, with full-width digits, spaces inside numbers and
units (``2023 年``, ``92.42 %``) and, in scraped copies, pinyin left behind by a broken
conversion (``服務(wù)``). Every later step reads the normalised text; every finding is reported
at the original line and column through :attr:`NormalizedText.source`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

# Full-width forms that matter for reading figures. Chinese clause punctuation (，。、；：)
# is kept: the readers treat "，" and "," alike, and the excerpt stays recognisable.
_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"}
_FULLWIDTH.update(
    {ord(c): ord(c) - 0xFEE0 for c in "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"}
)
_FULLWIDTH.update(
    {ord(c): ord(c) - 0xFEE0 for c in "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"}
)
_FULLWIDTH.update(
    {
        ord("％"): ord("%"),
        ord("（"): ord("("),
        ord("）"): ord(")"),
        ord("．"): ord("."),
        ord("［"): ord("["),
        ord("］"): ord("]"),
        ord("＋"): ord("+"),
        ord("－"): ord("-"),
        ord("＝"): ord("="),
        ord("／"): ord("/"),
        ord("＜"): ord("<"),
        ord("＞"): ord(">"),
        ord("\u3000"): ord(" "),
        ord("\u00a0"): ord(" "),
        ord("\u2009"): ord(" "),
        ord("\u202f"): ord(" "),
        ord("\r"): ord(" "),
        ord("\u2236"): ord(":"),  # ratio sign sometimes typed for a colon
        ord("\u2212"): ord("-"),  # minus sign in a written formula "1 − 9153/20342"
    }
)

_FW_RE = re.compile("[" + re.escape("".join(chr(k) for k in _FULLWIDTH)) + "]")


def _fw_one(m: re.Match[str]) -> str:
    return chr(_FULLWIDTH[ord(m.group(0))])


_CJK = "\u4e00-\u9fff"
# Pinyin left after a character by a broken traditional/simplified conversion: "務(wù)",
# "據(jù)", "關(guān)". A syllable is an optional initial, vowels (tone-marked or plain) and an
# optional nasal ending; it must follow a CJK character directly.
_PINYIN = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,4}(?:ng|n|r)?"
)
_RESIDUE = re.compile(rf"(?<=[{_CJK}])\(({_PINYIN})\)")
_TONED = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")

# Spaces that are typesetting, not content: between a digit and a CJK character or % (either
# order: "2023 年", "4 号", "92.42 %", "共 31873 宗"), before a decimal point, and between two
# CJK characters ("组 长", "投   入"). Spaces between two words of Latin text are kept, and so
# are tabs: they separate the cells of a score table. A literal " +" scan with a test of the
# two neighbours is several times faster than one regex with look-behinds.
_SPACES = re.compile(" +")
_CJK_PUNCT = set("%‰〔〕《》“”、，。；：()（）【】")
_GROUP_HINT = re.compile(r"\d[ ,，]\d\d\d")


def _is_c(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in _CJK_PUNCT


def _joinable(before: str, after: str) -> bool:
    if before.isdigit():
        return after in "%." or _is_c(after)
    return _is_c(before) and (after.isdigit() or _is_c(after))


# Thousands separators and grouping spaces inside a number: "1,099,518", "1 099 518", and the
# full-width comma typed with full-width digits, "１，２３４．５６" (QA F20). A "，" counts only
# between groups of exactly three digits, so clause commas between figures ("12，3456") stay.
_DIGIT_GROUPS = re.compile(r"(?<![\d.])\d{1,3}(?:[ ,，]\d{3})+(?![\d])(?:\.\d+)?")


@dataclass
class NormalizedText:
    """The normalised text and, for each of its characters, the offset in the original."""

    original: str
    text: str
    source: list[int]
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        for m in re.finditer("\n", self.original):
            starts.append(m.end())
        self._line_starts = starts

    def orig_offset(self, pos: int) -> int:
        """Original offset of normalised position ``pos`` (clamped to the text)."""
        if not self.source:
            return 0
        if pos >= len(self.source):
            return self.source[-1] + 1
        return self.source[max(pos, 0)]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        a = self.orig_offset(start)
        b = self.source[end - 1] + 1 if 0 < end <= len(self.source) else self.orig_offset(end)
        return a, max(a, b)

    def line_col(self, orig_offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an original offset."""
        i = bisect.bisect_right(self._line_starts, orig_offset) - 1
        return i + 1, orig_offset - self._line_starts[i] + 1

    def original_line(self, line: int) -> str:
        lines = self.original.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def position(self, pos: int) -> tuple[int, int]:
        return self.line_col(self.orig_offset(pos))


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    """Traditional → simplified, guaranteed to keep the length.

    OpenCC's t2s tables map one character to one character in all but a handful of phrase
    entries, so converting the whole text normally keeps every offset. When a line changes
    length we convert that line character by character (keeping a character whose own
    conversion is not one character long), so the offset map stays exact.
    """
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed: list[str] = []
    for line in lines:
        c = conv.convert(line)
        if len(c) != len(line):
            chars = []
            for ch in line:
                cc = conv.convert(ch)
                chars.append(cc if len(cc) == 1 else ch)
            c = "".join(chars)
        fixed.append(c)
    return "\n".join(fixed)


def _is_residue(m: re.Match[str]) -> bool:
    syl = m.group(1)
    # A tone mark makes it certain; a plain syllable of 2+ letters is accepted too, since
    # neutral-tone residue exists, but one bare letter "(a)" is an ordinary list label.
    return bool(_TONED.search(syl)) or len(syl) >= 2


def normalize(original: str) -> NormalizedText:
    """Return the normalised text with a per-character map to ``original``."""
    # Step 1: length-preserving character mapping (full-width forms, odd spaces). A regex over
    # the few characters to change is several times faster than str.translate on CJK text.
    text = _FW_RE.sub(_fw_one, original)
    # Step 2: deletions. Collect the spans to drop, then rebuild text and map in one pass.
    drop: list[tuple[int, int]] = []
    for m in _RESIDUE.finditer(text):
        if _is_residue(m):
            drop.append((m.start(), m.end()))
    n = len(text)
    for m in _SPACES.finditer(text):
        a, b = m.start(), m.end()
        if a and b < n and _joinable(text[a - 1], text[b]):
            drop.append((a, b))
    groups = _DIGIT_GROUPS.finditer(text) if _GROUP_HINT.search(text) else ()
    for m in groups:
        seg = m.group(0)
        base = m.start()
        for i, ch in enumerate(seg):
            if ch in " ,，":
                drop.append((base + i, base + i + 1))
    drop.sort()
    pieces: list[str] = []
    source: list[int] = []
    pos = 0
    for a, b in drop:
        if a < pos:
            a = pos
        if a >= b:
            continue
        pieces.append(text[pos:a])
        source.extend(range(pos, a))
        pos = b
    pieces.append(text[pos:])
    source.extend(range(pos, len(text)))
    joined = "".join(pieces)
    # Step 3: traditional → simplified after the residue is gone, so that phrase entries see
    # whole words ("服務中心"); length-preserving, see _t2s.
    return NormalizedText(original=original, text=_t2s(joined), source=source)
