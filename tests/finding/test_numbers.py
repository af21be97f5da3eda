"""One number reader: the figure finder and the brief's number check read a written figure alike.

A table of written figures read by the finder; a property test that every figure the finder reads,
put in a metric as it reads it, passes the metric's checks; and the same over every article at hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from summarizer import read_article
from summarizer.finding.figures import Figure, figures_in
from summarizer.finding.numbers import number, numbers_in, scale, scaled_numbers_in
from summarizer.finding.sentences import split_sentences
from summarizer.schema import Metric

ROOT = Path(__file__).resolve().parents[2]
# The gold and injection articles, and the shared articles beside the repository where they are.
ARTICLES = sorted(ROOT.glob("evals/gold/articles/*.txt")) + sorted(ROOT.glob("tests/injection/*.txt"))
ARTICLES += sorted(ROOT.parent.glob("shared/articles/*.txt"))

Reading = tuple[str, float | None, float | None, str, str, str | None]


def _read(sentence: str) -> list[Reading]:
    return [(f.as_written, f.value, f.value_high, f.qualifier, f.unit, f.currency) for f in figures_in(sentence)]


# sentence -> (as_written, value, value_high, qualifier, unit, currency) of its one figure
WRITTEN: list[tuple[str, Reading]] = [
    # percentages, points and multiples
    ("Cloud revenue rose 34% in the latest quarter.", ("34%", 34, None, "exact", "percent", None)),
    ("Sales rose 12 per cent in the year.", ("12 per cent", 12, None, "exact", "percent", None)),
    ("Rates rose 5 pct on Tuesday.", ("5 pct", 5, None, "exact", "percent", None)),
    ("Upside of 30 to 40 percent remains.", ("30 to 40 percent", 30, 40, "range", "percent", None)),
    ("It targets a margin of 11-12 percent.", ("11-12 percent", 11, 12, "range", "percent", None)),
    ("Growth was 8-9% last year.", ("8-9%", 8, 9, "range", "percent", None)),
    ("Between 2 and 3 percent of sales.", ("Between 2 and 3 percent", 2, 3, "range", "percent", None)),
    ("Costs rose up to 10% in the quarter.", ("up to 10%", 10, None, "less_than", "percent", None)),
    ("Revenue rose nearly 3%.", ("nearly 3%", 3, None, "approximately", "percent", None)),
    ("The stock had gained more than 70% in 2025.", ("more than 70%", 70, None, "more_than", "percent", None)),
    ("The margin rose 1.5 percentage points.", ("1.5 percentage points", 1.5, None, "exact", "percentage_points", None)),
    ("The margin widened 50 basis points.", ("50 basis points", 50, None, "exact", "basis_points", None)),
    ("Rates rose 25 bps on Tuesday.", ("25 bps", 25, None, "exact", "basis_points", None)),
    ("The stock trades at 14.9 times forecast earnings.", ("14.9 times", 14.9, None, "exact", "multiple", None)),
    ("Sales grew twofold.", ("twofold", 2, None, "exact", "multiple", None)),
    ("Sales rose threefold.", ("threefold", 3, None, "exact", "multiple", None)),
    ("The index rose 120 points.", ("120 points", 120, None, "exact", "other", None)),
    # counts, scale words and number words
    ("Downloads passed 600 million.", ("600 million", 6e8, None, "exact", "count", None)),
    ("It issued approximately 2.28 million RSUs.",
     ("approximately 2.28 million", 2.28e6, None, "approximately", "count", None)),
    ("It will cut about 2,500 jobs.", ("about 2,500", 2500, None, "approximately", "count", None)),
    ("It will cut at least 500 jobs.", ("at least 500", 500, None, "more_than", "count", None)),
    ("It employs 12k engineers.", ("12k", 12_000, None, "exact", "count", None)),
    ("It expects to sell 1.2 to 1.4 million units.", ("1.2 to 1.4 million", 1.2e6, 1.4e6, "range", "count", None)),
    ("The forecast of eight analysts was beaten.", ("eight", 8, None, "exact", "count", None)),
    ("Margins rose twenty-five percent.", ("twenty-five percent", 25, None, "exact", "percent", None)),
    # Indian numbering
    ("Revenue was Rs 3,400 crore in the quarter.", ("Rs 3,400 crore", 3.4e10, None, "exact", "currency", "INR")),
    ("The scheme covers 5 lakh farmers.", ("5 lakh", 5e5, None, "exact", "count", None)),
    ("The plan costs ₹1.2 lakh crore.", ("₹1.2 lakh crore", 1.2e12, None, "exact", "currency", "INR")),
    ("It expects capex of Rs 13,500-14,000 crore.",
     ("Rs 13,500-14,000 crore", 1.35e11, 1.4e11, "range", "currency", "INR")),
    ("Profit was Rs. 450 crore.", ("Rs. 450 crore", 4.5e9, None, "exact", "currency", "INR")),
    ("Sales were INR 1,200 crore.", ("INR 1,200 crore", 1.2e10, None, "exact", "currency", "INR")),
    ("Capex will be Rs 1,20,000 crore.", ("Rs 1,20,000 crore", 1.2e12, None, "exact", "currency", "INR")),
    ("It plans to spend 1.5 lakh crore rupees on roads.",
     ("1.5 lakh crore rupees", 1.5e12, None, "exact", "currency", "INR")),
    ("The firm issued 10 crore shares.", ("10 crore", 1e8, None, "exact", "count", None)),
    ("Shares closed at Rs 250 on Friday.", ("Rs 250", 250, None, "exact", "currency_per_share", "INR")),
    ("It will spend ₹5,000 crore.", ("₹5,000 crore", 5e10, None, "exact", "currency", "INR")),
    ("He was paid Rs 3 lakh.", ("Rs 3 lakh", 3e5, None, "exact", "currency", "INR")),
    # ranges that share a scale, a currency or a subunit
    ("It guided to $1.2-1.4 billion in sales.", ("$1.2-1.4 billion", 1.2e9, 1.4e9, "range", "currency", "USD")),
    ("Sales will be $4.2-4.5 billion.", ("$4.2-4.5 billion", 4.2e9, 4.5e9, "range", "currency", "USD")),
    ("Sales will be €3bn-€4bn next year.", ("€3bn-€4bn", 3e9, 4e9, "range", "currency", "EUR")),
    ("Sales will be $8 billion to $11 billion.", ("$8 billion to $11 billion", 8e9, 1.1e10, "range", "currency", "USD")),
    ("Sales will be between $2 billion and $3 billion.",
     ("between $2 billion and $3 billion", 2e9, 3e9, "range", "currency", "USD")),
    ("Profit will be £10m-£12m.", ("£10m-£12m", 1e7, 1.2e7, "range", "currency", "GBP")),
    ("The deal is worth $2 to 3 billion.", ("$2 to 3 billion", 2e9, 3e9, "range", "currency", "USD")),
    ("Analysts expect 70 to 74 cents a share.", ("70 to 74 cents", 0.7, 0.74, "range", "currency_per_share", "USD")),
    ("Analysts expect 70-74 cents a share.", ("70-74 cents", 0.7, 0.74, "range", "currency_per_share", "USD")),
    ("Profit was 34 cts to 36 cts a share.", ("34 cts to 36 cts", 0.34, 0.36, "range", "currency_per_share", "USD")),
    # bn, m, k, B, tn
    ("Revenue was $4.2bn.", ("$4.2bn", 4.2e9, None, "exact", "currency", "USD")),
    ("Revenue was $11.1bn.", ("$11.1bn", 1.11e10, None, "exact", "currency", "USD")),
    ("Profit was £850m.", ("£850m", 8.5e8, None, "exact", "currency", "GBP")),
    ("It raised $1.5B in the offering.", ("$1.5B", 1.5e9, None, "exact", "currency", "USD")),
    ("It paid €500k in fines.", ("€500k", 5e5, None, "exact", "currency", "EUR")),
    ("Sales were 3.1bn euros.", ("3.1bn euros", 3.1e9, None, "exact", "currency", "EUR")),
    ("The market is worth $1.2tn.", ("$1.2tn", 1.2e12, None, "exact", "currency", "USD")),
    ("Profit was 170 mln dlrs.", ("170 mln dlrs", 1.7e8, None, "exact", "currency", "USD")),
    ("Sales reached 4.5 mln stg.", ("4.5 mln stg", 4.5e6, None, "exact", "currency", "GBP")),
    # currencies by symbol, code and word
    ("It earmarked a budget exceeding $50 billion.",
     ("exceeding $50 billion", 5e10, None, "more_than", "currency", "USD")),
    ("Revenue was US$3.2 billion.", ("US$3.2 billion", 3.2e9, None, "exact", "currency", "USD")),
    ("It raised €2.5 billion.", ("€2.5 billion", 2.5e9, None, "exact", "currency", "EUR")),
    ("Sales were EUR 3.2 billion.", ("EUR 3.2 billion", 3.2e9, None, "exact", "currency", "EUR")),
    ("Sales were £450 million.", ("£450 million", 4.5e8, None, "exact", "currency", "GBP")),
    ("Sales were GBP 450 million.", ("GBP 450 million", 4.5e8, None, "exact", "currency", "GBP")),
    ("Sales were ¥120 billion.", ("¥120 billion", 1.2e11, None, "exact", "currency", "JPY")),
    ("Sales were JPY 120 billion.", ("JPY 120 billion", 1.2e11, None, "exact", "currency", "JPY")),
    ("Profit was 300 billion yen.", ("300 billion yen", 3e11, None, "exact", "currency", "JPY")),
    ("Profit was 5 billion yuan.", ("5 billion yuan", 5e9, None, "exact", "currency", "CNY")),
    ("Revenue was HK$2.3 billion.", ("HK$2.3 billion", 2.3e9, None, "exact", "currency", "HKD")),
    ("Revenue was C$1.1 billion.", ("C$1.1 billion", 1.1e9, None, "exact", "currency", "CAD")),
    ("Revenue was A$900 million.", ("A$900 million", 9e8, None, "exact", "currency", "AUD")),
    ("It raised NZ$40 million.", ("NZ$40 million", 4e7, None, "exact", "currency", "NZD")),
    ("It raised S$1.2 billion.", ("S$1.2 billion", 1.2e9, None, "exact", "currency", "SGD")),
    ("Revenue was CHF 2.1 billion.", ("CHF 2.1 billion", 2.1e9, None, "exact", "currency", "CHF")),
    ("Revenue was 2.1 billion Swiss francs.", ("2.1 billion Swiss francs", 2.1e9, None, "exact", "currency", "CHF")),
    ("Loss was 12 mln Swiss francs.", ("12 mln Swiss francs", 1.2e7, None, "exact", "currency", "CHF")),
    ("It will buy back 1.5 billion euros of shares.", ("1.5 billion euros", 1.5e9, None, "exact", "currency", "EUR")),
    ("It sold a 2.7-billion-pound stake.", ("2.7-billion-pound", 2.7e9, None, "exact", "currency", "GBP")),
    ("It has roughly $3.2 billion in cash.",
     ("roughly $3.2 billion", 3.2e9, None, "approximately", "currency", "USD")),
    ("It lost less than $1 million.", ("less than $1 million", 1e6, None, "less_than", "currency", "USD")),
    # prices per share and subunits
    ("The stock closed at $155.74 per share.", ("$155.74", 155.74, None, "exact", "currency_per_share", "USD")),
    ("It earned 21 cents a share.", ("21 cents", 0.21, None, "exact", "currency_per_share", "USD")),
    ("It paid Twenty-one cents a share.", ("Twenty-one cents", 0.21, None, "exact", "currency_per_share", "USD")),
    ("Profit was 12 cts a share.", ("12 cts", 0.12, None, "exact", "currency_per_share", "USD")),
    ("Shares fell to 274.5 pence.", ("274.5 pence", 2.745, None, "exact", "currency_per_share", "GBP")),
    ("They were flat at 1,320p on Tuesday.", ("1,320p", 13.2, None, "exact", "currency_per_share", "GBP")),
    ("It paid a dividend of 5.5p.", ("5.5p", 0.055, None, "exact", "currency_per_share", "GBP")),
    # wire-copy fractions
    ("The stock closed at 72-5/8.", ("72-5/8", 72.625, None, "exact", "currency_per_share", "USD")),
    ("Rates rose 3-1/2 pct.", ("3-1/2 pct", 3.5, None, "exact", "percent", None)),
    ("Rates rose 4 1/2 pct.", ("4 1/2 pct", 4.5, None, "exact", "percent", None)),
    ("It sold 10-3/4 pct notes.", ("10-3/4 pct", 10.75, None, "exact", "percent", None)),
    ("The bid was $22-1/2 a share.", ("$22-1/2", 22.5, None, "exact", "currency_per_share", "USD")),
    ("The company's stock rose 1-1/4 points.", ("1-1/4 points", 1.25, None, "exact", "other", None)),
    ("The range is 5-1/2 to 6-1/4 pct.", ("5-1/2 to 6-1/4 pct", 5.5, 6.25, "range", "percent", None)),
    # quantities in words
    ("It sold half a million units.", ("half a million", 5e5, None, "exact", "count", None)),
    ("Inflation was half a percent.", ("half a percent", 0.5, None, "exact", "percent", None)),
    ("Rates rose by half a percentage point.", ("half a percentage point", 0.5, None, "exact", "percentage_points", None)),
    ("It raised half a billion dollars.", ("half a billion dollars", 5e8, None, "exact", "currency", "USD")),
    ("It expects more than double the revenue.", ("more than double", 2, None, "more_than", "multiple", None)),
    ("LSE shares have more than tripled in value.", ("more than tripled", 3, None, "more_than", "multiple", None)),
    ("Sales nearly doubled.", ("nearly doubled", 2, None, "approximately", "multiple", None)),
    ("The board approved a four-for-one stock split.", ("four-for-one", 4, None, "exact", "multiple", None)),
    ("The board approved a 2-for-1 split.", ("2-for-1", 2, None, "exact", "multiple", None)),
    ("AI income grows at a triple-digit percentage rate.",
     ("triple-digit percentage rate", None, None, "more_than", "percent", None)),
    # shares of a whole in words, as a percent
    ("It expects a third of its revenue from cloud.", ("a third", 33.33, None, "exact", "percent", None)),
    ("It derives more than half of its sales from groceries.",
     ("more than half", 50, None, "more_than", "percent", None)),
    ("Conditioned on two thirds of the stock being tendered.", ("two thirds", 66.67, None, "exact", "percent", None)),
    ("It holds roughly one third of the market.", ("roughly one third", 33.33, None, "approximately", "percent", None)),
    ("It has roughly a quarter of the country's users.",
     ("roughly a quarter", 25, None, "approximately", "percent", None)),
    ("It cut its work force by nearly half.", ("nearly half", 50, None, "approximately", "percent", None)),
    ("Three quarters of its sales are abroad.", ("Three quarters", 75, None, "exact", "percent", None)),
    # figures written as negative
    ("The margin was negative 3.5 percent.", ("negative 3.5 percent", -3.5, None, "exact", "percent", None)),
    ("Output fell minus 2 percent.", ("minus 2 percent", -2, None, "exact", "percent", None)),
    ("GDP changed -0.4% in the quarter.", ("-0.4%", -0.4, None, "exact", "percent", None)),
    ("The index changed −0.7% on Friday.", ("−0.7%", -0.7, None, "exact", "percent", None)),
    ("The rate was negative 50 basis points.", ("negative 50 basis points", -50, None, "exact", "basis_points", None)),
    ("Margins will be -5 to -3% next year.", ("-5 to -3%", -5, -3, "range", "percent", None)),
    ("Revenue was about -2%.", ("about -2%", -2, None, "approximately", "percent", None)),
]  # fmt: skip


def test_the_table_covers_at_least_eighty_written_figures():
    assert len(WRITTEN) >= 80


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It will install 5 lakh smart meters for Rs 900 crore.",
         [("5 lakh", 5e5, None, "exact", "count", None), ("Rs 900 crore", 9e9, None, "exact", "currency", "INR")]),
        ("It will hire 12k engineers and spend $850m.",
         [("12k", 12_000, None, "exact", "count", None), ("$850m", 8.5e8, None, "exact", "currency", "USD")]),
    ],
)  # fmt: skip
def test_a_scaled_amount_beside_money_is_money_unless_it_counts_things(sentence, expected):
    assert _read(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), WRITTEN, ids=[r[0] for _, r in WRITTEN])
def test_written_figures_are_read_exactly(sentence, expected):
    assert _read(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "It posted its first quarterly loss in 2-1/2 years.",  # a duration
        "He was at sector weight for the past 4 1/2 months.",  # a duration
        "It plans to restart dividends in the second half of this year.",  # a half of the year is a period
        "Results were respectable in a third quarter of high fuel costs.",  # an ordinal
        "It will take a year and a half, the company said.",
        "Hoya is more than half-owned by foreigners.",
        "It bought half a dozen rivals.",  # "half a" is a figure only before a scale or unit word
        "It was founded half a century ago.",
        "The shares rose 5/8.",  # a bare fraction is as often a date
    ],
)
def test_durations_bare_fractions_periods_and_ordinals_are_left_out(sentence):
    assert _read(sentence) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("34%", [34]),
        ("$50 billion", [50e9]),
        ("2.28 million", [2.28e6]),
        ("£1.13bn", [1.13e9]),
        ("$1.5m (£799,000)", [1.5e6, 799_000]),
        ("5.2 mln dlrs", [5.2e6]),
        ("12 cts a share", [0.12]),
        ("274.5 pence", [2.745]),
        ("2.7-billion-pound", [2.7e9]),
        ("$50+ billion", [50e9]),
        ("30 to 40 percent", [30, 40]),
        ("1,243 pence", [12.43]),
        ("mid 30s", []),
        ("4th qtr", []),
        ("triple-digit", []),
        ("per cent 20 percent", [20]),
        ("Rs 3,400 crore", [3.4e10]),
        ("5 lakh", [5e5]),
        ("₹1.2 lakh crore", [1.2e12]),
        ("Rs 1,20,000 crore", [1.2e12]),
        ("12k", [12e3]),
        ("$1.5B", [1.5e9]),
        ("$4.2bn", [4.2e9]),
        ("£850m", [8.5e8]),
        ("$1.2tn", [1.2e12]),
    ],
)
def test_scaled_numbers(text, expected):
    assert scaled_numbers_in(text) == pytest.approx(expected)


def test_numbers_in_keeps_numbers_as_printed():
    assert numbers_in("$1,234.5 and .5 and 7") == [1234.5, 0.5, 7]
    assert numbers_in("12,34,567 and 1,234,567") == [1234567, 1234567]


@pytest.mark.parametrize(
    ("token", "value"),
    [("1,234.5", 1234.5), ("twenty-five", 25), ("eight", 8), ("half a", 0.5), ("72-5/8", 72.625), ("4 1/2", 4.5)],
)
def test_number_reads_one_token(token, value):
    assert number(token) == value


@pytest.mark.parametrize(
    ("word", "factor"),
    [("bn", 1e9), ("B", 1e9), ("m", 1e6), ("k", 1e3), ("crore", 1e7), ("lakh", 1e5), ("lakh crore", 1e12), (None, 1)],
)
def test_scale_words(word, factor):
    assert scale(word) == factor


# Validator -------------------------------------------------------------------------------------------


def _metric(f: Figure, sentence: str) -> dict[str, Any]:
    return {
        "name": "x", "value": f.value, "value_high": f.value_high, "qualifier": f.qualifier, "unit": f.unit,
        "currency": f.currency, "period": None, "kind": "other", "as_written": f.as_written, "evidence": sentence,
    }  # fmt: skip


def _validates(sentence: str) -> None:
    for f in figures_in(sentence):
        try:
            Metric.model_validate(_metric(f, sentence))
        except ValidationError as exc:
            raise AssertionError(f"{f.describe()} of {sentence!r} is refused: {exc}") from None


@pytest.mark.parametrize(("sentence", "expected"), WRITTEN, ids=[r[0] for _, r in WRITTEN])
def test_every_figure_of_the_table_validates_as_a_metric(sentence, expected):
    _validates(sentence)


def _written(as_written: str, value: float | None, value_high: float | None = None, **kw: Any) -> dict[str, Any]:
    return {
        "name": "x", "value": value, "value_high": value_high, "qualifier": "range" if value_high else "exact",
        "unit": "currency", "currency": "USD", "period": None, "kind": "other", "as_written": as_written,
        "evidence": f"It was {as_written}.",
    } | kw  # fmt: skip


def test_a_wrong_scale_is_refused_with_the_same_message():
    with pytest.raises(ValidationError) as info:
        Metric.model_validate(_written("$50 billion", 50))
    assert (
        "value 50 does not match the figure as written ('$50 billion'); "
        "scale the written number by its unit word (million, billion)"
    ) in str(info.value)
    with pytest.raises(ValidationError) as info:
        Metric.model_validate(_written("$1.2-1.4 billion", 1.2e9, 1.4))
    assert "value_high 1.4 does not match the figure as written ('$1.2-1.4 billion')" in str(info.value)
    with pytest.raises(ValidationError) as info:
        Metric.model_validate(_written("$50 billion", None))
    assert "value is null but '$50 billion' gives a number" in str(info.value)


def test_a_figure_in_words_only_is_not_checked():
    # Gold labels read shares in words as percent ("two thirds" is 66.67); the finder reads no such share.
    Metric.model_validate(_written("two thirds", 66.67, unit="percent", currency=None))


# Property: what the finder reads, the validator accepts -----------------------------------------------

_DIGITS = st.one_of(
    st.integers(2, 999).map(str),
    st.integers(1_000, 9_999_999).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 999), st.integers(1, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(1, 99), st.integers(0, 99), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]:02},{t[2]:03}"),
    st.tuples(st.integers(1, 99), st.sampled_from(["1/2", "1/4", "3/4", "3/8", "5/8", "7/16"])).map(
        lambda t: f"{t[0]}-{t[1]}"
    ),
)
_NUMBER = st.one_of(_DIGITS, st.sampled_from(["eight", "twenty-five", "ninety-nine"]))
_PREFIX = st.sampled_from(["$", "US$", "€", "£", "¥", "₹", "Rs ", "Rs. ", "INR ", "EUR ", "CHF ", "HK$", "C$", "A$"])
_SCALE = st.sampled_from(
    [" billion", "bn", "B", " million", "m", " mln", "k", " thousand", " crore", " lakh", " lakh crore", " trillion"]
)
_SUFFIX = st.sampled_from([" dollars", " dlrs", " euros", " pounds", " yen", " yuan", " rupees", " Swiss francs"])
_SUBUNIT = st.sampled_from([" cents", " cts", " pence", "p"])
_UNIT = st.sampled_from(["%", " percent", " pct", " per cent", " percentage points", " basis points", " bps", " times"])
_QUALIFIER = st.sampled_from(["", "about ", "more than ", "up to ", "nearly ", "at least ", "roughly "])
_SIGN = st.sampled_from(["", "", "", "-", "negative ", "minus "])
_CONTEXT = st.sampled_from(
    ["Revenue was {} in the quarter.", "The company expects {} next year.", "Shares closed at {} a share.",
     "It said on Monday it would spend {}.", "Analysts see {}, the firm said."]
)  # fmt: skip


@st.composite
def _amount(draw: st.DrawFn, digits: bool = False) -> tuple[str, str]:
    """(written amount, the marker it shares in a range) for money, a percent or a count."""
    n = draw(_DIGITS if digits else _NUMBER)
    kind = draw(st.sampled_from(["prefix", "suffix", "subunit", "unit", "count"]))
    scale_word = draw(st.one_of(st.just(""), _SCALE)) if kind in ("prefix", "suffix", "count") else ""
    if kind == "prefix":
        pre = draw(_PREFIX)
        return f"{pre}{n}{scale_word}", scale_word
    marker = {"suffix": _SUFFIX, "subunit": _SUBUNIT, "unit": _UNIT, "count": st.just("")}[kind]
    tail = draw(marker)
    return f"{n}{scale_word}{tail}", f"{scale_word}{tail}"


@st.composite
def _figure_sentence(draw: st.DrawFn) -> str:
    written, shared = draw(_amount())
    form = draw(st.sampled_from(["single", "dash", "to", "between", "both"]))
    low = draw(_DIGITS)
    if form == "dash":
        written = f"{low}-{written}"
    elif form == "to":
        written = f"{low} to {written}"
    elif form == "between":
        written = f"between {low}{shared} and {written}"
    elif form == "both":
        written = f"{draw(_amount(digits=True))[0]} to {written}"
    return draw(_CONTEXT).format(draw(_QUALIFIER) + draw(_SIGN) + written)


@settings(max_examples=400, deadline=None, database=None)
@given(_figure_sentence())
def test_whatever_the_finder_reads_the_validator_accepts(sentence):
    _validates(sentence)


@pytest.mark.parametrize("path", ARTICLES, ids=[f"{p.parent.name}/{p.name}" for p in ARTICLES])
def test_every_figure_of_every_article_validates_as_a_metric(path):
    for sentence in split_sentences(read_article(path).text):
        _validates(sentence)
