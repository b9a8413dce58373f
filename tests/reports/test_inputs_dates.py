"""unit.yaml: the report of a year is filed after that year has ended."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import make_unit

from jixiao.errors import JixiaoError
from jixiao.reports.inputs import load_unit


def _write(tmp_path: Path, **changes: object) -> Path:
    data = make_unit().model_dump(mode="json", exclude_none=True)  # year 2023
    data.update(changes)
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("field", ["submission_date", "signature_date"])
def test_a_date_inside_the_evaluated_year_is_refused(tmp_path: Path, field: str) -> None:
    with pytest.raises(JixiaoError) as info:
        load_unit(_write(tmp_path, **{field: "2023-06-28"}))
    text = str(info.value)
    assert field in text and "2023年6月28日早于评价年度 2023 年结束" in text


def test_a_date_after_the_year_is_accepted(tmp_path: Path) -> None:
    unit = load_unit(_write(tmp_path, submission_date="2024-01-15", signature_date="2024-01-15"))
    assert unit.submission_date is not None and unit.submission_date.year == 2024
