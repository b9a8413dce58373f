"""Every command turns an unwritable output path into a Chinese message and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main


@pytest.mark.parametrize(
    "args",
    [
        ["template", "hunan-dept-2021", "-o", "{blocked}/facts.xlsx"],
        ["evaluate", "--example", "hunan-001", "--json", "{blocked}/sub/e.json"],
        ["synth", "--cases", "10", "--tickets", "0", "--ratings", "0", "-o", "{blocked}/s"],
        ["demo", "--out", "{blocked}/demo", "--cases", "100", "--no-pdf"],
    ],
)
def test_unwritable_output_is_a_chinese_error_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    blocked = tmp_path / "a-file"  # a file where the command needs a folder
    blocked.write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{blocked}", str(blocked)) for a in args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "无法读写" in err
    assert str(blocked) in err.replace("\n", "")
    assert "Traceback" not in err
