"""What a figure measures, read from its own clause (`finding.names`): sentences written for the test
in the ways finance English names a figure."""

from __future__ import annotations

import pytest

from summarizer.finding.names import figure_name


def _name(sentence: str, figure: str, unit: str = "currency") -> str | None:
    at = sentence.index(figure)
    return figure_name(sentence, at, at + len(figure), unit)


@pytest.mark.parametrize(
    ("sentence", "figure", "unit", "name"),
    [
        (
            "Quarterly net profit of 412 million euros beat forecasts.",
            "412 million euros",
            "currency",
            "quarterly net profit",
        ),
        ("Operating income rose 9 percent to $2.1 billion.", "9 percent", "percent", "operating income growth"),
        ("Operating income rose 9 percent to $2.1 billion.", "$2.1 billion", "currency", "operating income"),
        ("Shares of the lender slid 4.5 percent in early trading.", "4.5 percent", "percent", "share price decline"),
        ("The stock closed at 61.20 francs on Monday.", "61.20 francs", "currency_per_share", "share price"),
        ("It reported a 12% jump in subscribers for the period.", "12%", "percent", "subscribers growth"),
        ("The brewer posted a 7% sales decline in Europe.", "7%", "percent", "sales decline"),
        ("The group now holds a market share of 18 percent in Spain.", "18 percent", "percent", "market share"),
        ("Its profit came to $1.80 per share in the quarter.", "$1.80", "currency_per_share", "earnings per share"),
        ("The retailer agreed to buy a 35 percent stake in the chain.", "35 percent", "percent", "stake"),
    ],
)
def test_a_figure_is_named_by_the_measure_its_clause_says(sentence, figure, unit, name):
    assert _name(sentence, figure, unit) == name


def test_a_clause_without_a_measure_gives_no_name_and_the_figures_own_words_are_not_one():
    assert _name("The company was founded 120 years ago in Basel.", "120 years", "duration") is None
    # Another clause's measure is not this figure's: a semicolon ends the clause.
    assert _name("Revenue was flat; the group employs 9,000 people.", "9,000", "count") is None


def test_numbers_and_units_before_a_measure_are_not_part_of_its_name():
    assert _name("It swung to a 69 mln dlr loss in the prior year.", "69 mln dlr", "currency") == "loss"
