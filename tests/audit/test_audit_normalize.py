"""Normalisation keeps an exact map from every normalised character to the original one."""

from __future__ import annotations

import random

import opencc
import pytest

from jixiao.audit import audit_text
from jixiao.audit import normalize as norm_mod
from jixiao.audit.normalize import normalize

_T2S = opencc.OpenCC("t2s")
_PIECES = [
    "服務(wù)",
    "關(guān)於",
    "辦結",
    "１２３４５",
    "９９．５４％",
    "2023 年",
    "共 31873 宗",
    "1 099 518件",
    "1,099,518件",
    "１，２３４．５６万元",
    "1，000件",
    "（三）",
    "\n",
    "\t",
    "，",
    "整體支出",
    "(UI)",
    "(a)",
    "abc def",
]


def _consistent(original: str) -> None:
    n = normalize(original)
    assert len(n.source) == len(n.text)
    assert n.source == sorted(n.source)
    for i, ch in enumerate(n.text):
        o = original[n.source[i]]
        half = o.translate(norm_mod._FULLWIDTH)
        assert ch in (o, half, _T2S.convert(o), _T2S.convert(half)), (i, ch, o)


@pytest.mark.parametrize("seed", range(30))
def test_offset_map_is_exact(seed: int) -> None:
    rng = random.Random(seed)
    _consistent("".join(rng.choice(_PIECES) for _ in range(40)))


def test_residue_spaces_and_fullwidth_are_removed() -> None:
    n = normalize(
        "湛江市人民政府行政服務(wù)中心 2023 年办结率９９．５４ ％，共 1 099 518 件。(UI)"
    )
    assert n.text == "湛江市人民政府行政服务中心2023年办结率99.54%，共1099518件。(UI)"


def test_fullwidth_thousands_separator_is_removed() -> None:
    original = "合计１，２３４．５６万元，其中1，000件，共12，3456件，第2023，2024年"
    n = normalize(original)
    # Only a "，" between digit groups of exactly three is a separator; clause commas stay.
    assert n.text == "合计1234.56万元，其中1000件，共12，3456件，第2023，2024年"
    _consistent(original)
    assert original[n.source[n.text.index("234.56")]] == "２"


def test_length_changing_conversion_falls_back_per_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Growing:
        """A converter whose phrase table changes length, as a few OpenCC entries might."""

        def convert(self, s: str) -> str:
            return s.replace("乾隆", "乾隆帝") if len(s) > 1 else _T2S.convert(s)

    monkeypatch.setattr(norm_mod, "_converter", lambda: Growing())
    n = normalize("乾隆年間，服務中心辦結率99%。")
    assert len(n.text) == len(n.source)
    # Character by character the phrase context is lost (乾 → 干), but figures and offsets hold.
    assert n.text == "干隆年间，服务中心办结率99%。"


def test_finding_column_is_in_the_original_line() -> None:
    text = "前言\n進駐辦事大廳的1124個事項中, 326個事項實現(xiàn)了即來即辦,占比率達３０％。"
    (f,) = audit_text(text).findings
    line = text.split("\n")[1]
    assert f.line == 2
    assert line[f.column - 1 : f.column + 2] == "３０％"
    assert f.stated == "30%"
