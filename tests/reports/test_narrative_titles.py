"""A result's title and its text are two sentences in the report, never run together."""

from __future__ import annotations

from pathlib import Path

import yaml
from builders import make_evaluation, make_unit
from reading import docx_text

from jixiao.cli import main


def test_title_without_full_stop_gets_one(tmp_path: Path) -> None:
    ev = tmp_path / "evaluation.json"
    ev.write_text(make_evaluation().to_json(), encoding="utf-8")
    unit = tmp_path / "unit.yaml"
    data = make_unit().model_dump(mode="json", exclude_none=True)
    unit.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    narrative = tmp_path / "narrative.yaml"
    narrative.write_text(
        "results:\n"
        "  - {title: 一件事一次办, text: 全年办理一件事3000件。}\n"
        "  - {title: 深化“放管服”改革。, text: 进驻事项全部实现一窗受理。}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["report", str(ev), "--unit", str(unit), "--narrative", str(narrative)]
    try:
        main([*args, "-o", str(out), "--no-pdf"])
    except SystemExit as exc:
        assert not exc.code
    text = docx_text(out / "自评报告.docx")
    assert "一件事一次办。全年办理一件事3000件。" in text
    assert "深化“放管服”改革。进驻事项全部实现一窗受理。" in text
    assert "。。" not in text
