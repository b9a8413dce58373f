"""``jixiao report --batch``: two units that would share an output folder are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import make_evaluation, make_unit

from jixiao.cli import main


def test_same_name_in_both_layouts_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    (batch / "甲中心").mkdir(parents=True)
    unit = yaml.safe_dump(
        make_unit().model_dump(mode="json", exclude_none=True), allow_unicode=True
    )
    evaluation = make_evaluation().to_json()
    (batch / "甲中心" / "evaluation.json").write_text(evaluation, encoding="utf-8")
    (batch / "甲中心" / "unit.yaml").write_text(unit, encoding="utf-8")
    (batch / "甲中心.json").write_text(evaluation, encoding="utf-8")
    (batch / "甲中心.unit.yaml").write_text(unit, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["report", "--batch", str(batch), "-o", str(out), "--no-pdf"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "单位名称「甲中心」重复" in err and "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.docx"))
