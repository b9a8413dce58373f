"""The three published sample reports: their real errors are found, their correct figures pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import AuditResult, Finding, audit_file

# The same path as tests/conftest.py's SAMPLES, computed here so that the file also runs under
# a bare ``pytest`` (where the repository root is not importable).
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "reports"
S000 = SAMPLES / "000_504f7d3480954e38.txt"
S001 = SAMPLES / "001_563fc51549caec68.txt"
S004 = SAMPLES / "004_40f8865dc0c7c8d3.txt"


def _at(result: AuditResult, code: str, line: int) -> list[Finding]:
    return [f for f in result.findings if f.code == code and f.line == line]


def test_000_share_of_instant_items_is_wrong() -> None:
    r = audit_file(S000)
    (f,) = _at(r, "AUD-RATIO", 66)
    assert f.stated == "30%" and f.expected == "29.00%"
    assert f.severity == "error"
    # The column points into the ORIGINAL traditional text, residue included.
    line = S000.read_text(encoding="utf-8").split("\n")[65]
    assert line[f.column - 1 : f.column + 2] == "30%"


def test_001_year_on_year_rate_divided_by_this_year() -> None:
    r = audit_file(S001)
    (f,) = _at(r, "AUD-YOY-BASE", 12)
    assert f.stated == "14.64%" and f.expected == "12.77%"
    # Line 10's rate is correct (244.08 / 689.02 = 35.42 %) and raises nothing.
    assert not [g for g in r.findings if g.line == 10]


def test_001_staff_control_rate_contradicts_posts() -> None:
    r = audit_file(S001)
    (f,) = _at(r, "AUD-RATIO", 39)
    assert f.expected == "110.00%"


@pytest.mark.parametrize(
    ("path", "lines"),
    [
        # 000: 1052/1124=94%, 191/1124=17%, 1-9153/20342=55%, 94398/94837=99.54%,
        # 2789.27/(2704.04+127.13)=99%, 4.43/6.82=65%, 57.95/66.81=87%, 27/27=100%,
        # 编制27名(25+2), 5.5万余/5.7万余=97.22%.
        (S000, [8, 44, 60, 61, 62, 68, 73]),
        # 004: 143.06+295.33=438.39, 6+1=7, 522+569+490=1581, 176544/177321=99.56%,
        # 1098798/1099518=99.93%, 22476/22699=99.02%, 13772+819+17282=31873.
        (S004, [19, 109, 111, 125]),
    ],
)
def test_correct_figures_raise_nothing(path: Path, lines: list[int]) -> None:
    r = audit_file(path)
    flagged = {f.line for f in r.findings if f.code.startswith(("AUD-RATIO", "AUD-SUM"))}
    assert not flagged & set(lines)


def test_000_title_year_is_not_the_evaluated_year() -> None:
    r = audit_file(S000)
    (f,) = _at(r, "AUD-YEAR", 1)
    assert (f.column, f.stated, f.expected) == (1, "2017年", "2018年")
    # The notice of 2019 and the signature date of 2019 are normal for a 2018 report.
    assert not [g for g in r.findings if g.code.startswith("AUD-YEAR") and g.line != 1]


def test_004_section_number_skips_then_repeats() -> None:
    r = audit_file(S004)
    (f,) = [g for g in r.findings if g.code == "AUD-NUMBERING"]
    assert (f.line, f.stated, f.expected) == (61, "(三)", "(二)")


def test_004_spending_labelled_with_last_year() -> None:
    r = audit_file(S004)
    (f,) = _at(r, "AUD-YEAR-MIX", 55)
    assert f.severity == "warning" and f.stated == "2022年"


def test_004_evaluation_team_formed_before_the_year_ended() -> None:
    r = audit_file(S004)
    (f,) = _at(r, "AUD-YEAR-DATE", 59)
    assert f.severity == "warning"


def test_001_score_table_adds_up() -> None:
    # 19 + 30 + 27 + 18 = 94: the stream-layout table is read and raises nothing.
    r = audit_file(S001)
    assert not [g for g in r.findings if g.code.startswith("AUD-SCORE")]
    mutated = S001.read_text(encoding="utf-8").replace("\t94\n", "\t95\n")
    from jixiao.audit import audit_text

    m = audit_text(mutated)
    assert [g.code for g in m.findings if g.code.startswith("AUD-SCORE")] == ["AUD-SCORE-SUM"]


def test_exact_codes_per_sample() -> None:
    got = {
        p.name[:3]: sorted((f.code, f.line) for f in audit_file(p).findings)
        for p in (S000, S001, S004)
    }
    assert got == {
        "000": [("AUD-NOTICE", 3), ("AUD-RATIO", 66), ("AUD-YEAR", 1)],
        "001": [("AUD-RATIO", 39), ("AUD-YOY-BASE", 12)],
        "004": [("AUD-NUMBERING", 61), ("AUD-YEAR-DATE", 59), ("AUD-YEAR-MIX", 55)],
    }


def test_corrected_samples_are_clean() -> None:
    import yaml

    from jixiao.audit import audit_text

    corrections = yaml.safe_load(
        (Path(__file__).parent / "data" / "corrections.yaml").read_text(encoding="utf-8")
    )
    for name, subs in corrections.items():
        text = (SAMPLES / name).read_text(encoding="utf-8")
        for old, new in subs:
            assert text.count(old) == 1, (name, old)
            text = text.replace(old, new)
        r = audit_text(text, name=name)
        assert r.verdict == "clean", [(f.code, f.line, f.message) for f in r.findings]
