"""The figure finder: every figure in a sentence read exactly, and what is not a figure left out."""

from __future__ import annotations

import pytest

from summarizer.finding.figures import article_figures, figures_in
from summarizer.finding.filters import is_boilerplate


def _read(sentence: str) -> list[tuple[str, float | None, float | None, str, str, str | None]]:
    return [(f.as_written, f.value, f.value_high, f.qualifier, f.unit, f.currency) for f in figures_in(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Cloud revenue rose 34% in the latest quarter.", [("34%", 34, None, "exact", "percent", None)]),
        ("It earmarked a budget exceeding $50 billion.",
         [("exceeding $50 billion", 5e10, None, "more_than", "currency", "USD")]),
        ("Downloads passed 600 million.", [("600 million", 6e8, None, "exact", "count", None)]),
        ("It issued approximately 2.28 million RSUs.",
         [("approximately 2.28 million", 2.28e6, None, "approximately", "count", None)]),
        ("The stock closed at $155.74 per share.", [("$155.74", 155.74, None, "exact", "currency_per_share", "USD")]),
        ("Upside of 30 to 40 percent remains.", [("30 to 40 percent", 30, 40, "range", "percent", None)]),
        ("It targets a margin of 11-12 percent.", [("11-12 percent", 11, 12, "range", "percent", None)]),
        ("Sales will be $8 billion to $11 billion.",
         [("$8 billion to $11 billion", 8e9, 1.1e10, "range", "currency", "USD")]),
        ("Profit was 170 mln dlrs.", [("170 mln dlrs", 1.7e8, None, "exact", "currency", "USD")]),
        ("Shares fell to 274.5 pence.", [("274.5 pence", 2.745, None, "exact", "currency_per_share", "GBP")]),
        ("They were flat at 1,320p on Tuesday.", [("1,320p", 13.2, None, "exact", "currency_per_share", "GBP")]),
        ("It will buy back 1.5 billion euros of shares.",
         [("1.5 billion euros", 1.5e9, None, "exact", "currency", "EUR")]),
        ("Revenue was $11.1bn.", [("$11.1bn", 1.11e10, None, "exact", "currency", "USD")]),
        ("The margin widened 50 basis points.", [("50 basis points", 50, None, "exact", "basis_points", None)]),
        ("The stock trades at 14.9 times forecast earnings.",
         [("14.9 times", 14.9, None, "exact", "multiple", None)]),
        ("It will cut about 2,500 jobs.", [("about 2,500", 2500, None, "approximately", "count", None)]),
        ("AI income grows at a triple-digit percentage rate.",
         [("triple-digit percentage rate", None, None, "more_than", "percent", None)]),
        ("LSE shares have more than tripled in value.", [("more than tripled", 3, None, "more_than", "multiple", None)]),
        ("The forecast of eight analysts was beaten.", [("eight", 8, None, "exact", "count", None)]),
        ("Margins rose twenty-five percent.", [("twenty-five percent", 25, None, "exact", "percent", None)]),
        ("It paid Twenty-one cents a share.",
         [("Twenty-one cents", 0.21, None, "exact", "currency_per_share", "USD")]),
        ("Sales grew twofold.", [("twofold", 2, None, "exact", "multiple", None)]),
        ("A 102.9 mln dlr loss and 10.3 mln in costs.",
         [("102.9 mln dlr", 1.029e8, None, "exact", "currency", "USD"),
          ("10.3 mln", 1.03e7, None, "exact", "currency", "USD")]),
    ],
)  # fmt: skip
def test_figures_are_read_exactly(sentence, expected):
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The company was founded in 1999 and listed in 2014.",  # years
        "By 1130 GMT the shares had not traded.",  # clock time
        "The shares moved at 1:37 p.m. in New York.",  # clock time, not 37 pence
        "Results are due on March 5.",  # a day of the month
        "The 24-member index was flat.",  # a size, not a figure about the company
        "Japan's Nomura (8604.T) reported.",  # a ticker code
        "It is one of the largest banks.",  # "one of"
        "The deal will close in six months.",  # a duration
        "The case is Donziger v. Chevron, 16-1178.",  # a docket number
        "Tencent Holdings rose.",  # a number word inside a name is not ten cents
    ],
)
def test_what_is_not_a_figure_is_left_out(sentence):
    assert _read(sentence) == []


def test_a_change_from_one_figure_to_another_is_two_figures_not_a_range():
    assert _read("Margin rose from 10% to 12%.") == [
        ("10%", 10, None, "exact", "percent", None),
        ("12%", 12, None, "exact", "percent", None),
    ]


def test_a_conversion_beside_a_figure_is_the_same_figure():
    assert [f[0] for f in _read("Profit was about £138m ($259.8m).")] == ["about £138m"]


def test_boilerplate_sentences_and_repeated_figures_are_skipped():
    sentences = [
        "Revenue grew 12% to $4 billion.",
        "Alibaba: buy or sell? Our analysts give 3 reasons.",
        "($1 = 82.9930 Indian rupees)",
        "Again, revenue grew 12%.",
    ]
    assert is_boilerplate(sentences[1]) and is_boilerplate(sentences[2])
    assert [(f.sentence, f.as_written) for f in article_figures(sentences)] == [(0, "12%"), (0, "$4 billion")]
