"""A drafted problem for a qualitative declared indicator names its achievement and reason."""

from __future__ import annotations

from jixiao.engine.evaluate import evaluate
from jixiao.examples import example_path
from jixiao.facts.load import load_facts
from jixiao.frameworks import load_framework
from jixiao.reports.figures import FigureBook
from jixiao.reports.problems import indicator_problems


def test_qualitative_declared_indicator_problem_has_its_figures() -> None:
    ev = evaluate(load_framework("mof-project-2020"), load_facts(example_path("mof-project")))
    book = FigureBook(ev)
    drafted = [p for p in indicator_problems(book) if p.startswith("群众办事便利度提升")]
    assert len(drafted) == 1
    text = drafted[0]
    assert "为定性指标，达成程度90.00%" in text and "该指标分值20分，自评18分" in text
    assert "自评说明：一窗通办" in text
    fig = next(f for f in book.figures if f.label == "群众办事便利度提升达成程度")
    assert fig.value == 90 and fig.unit == "%"
