"""The signature block is never left alone on a page of the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from builders import make_unit

from jixiao.engine.evaluate import evaluate
from jixiao.examples import example_path
from jixiao.facts.load import load_facts
from jixiao.frameworks import load_framework
from jixiao.reports.render import render_report


@pytest.mark.slow
def test_signature_keeps_company_on_its_page(tmp_path: Path) -> None:
    # The project report of the mof-project example ends so that, without the keep rule, the
    # signature fell alone on page 4.
    ev = evaluate(load_framework("mof-project-2020"), load_facts(example_path("mof-project")))
    unit = make_unit().model_copy(update={"project": "政务服务平台运维"})
    files = render_report(ev, unit, None, None, out_dir=tmp_path, pdf=True)
    pdf = next(p for p in files.all() if p.suffix == ".pdf")
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    for n in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if unit.name in lines and "2024年6月28日" in lines:  # the signature's page
            others = [ln for ln in lines if ln not in (unit.name, "2024年6月28日", f"—{n}—")]
            assert others, f"page {n} holds only the signature: {lines}"
