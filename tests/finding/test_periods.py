"""Period windows code reads around a figure: its clause's time expression, looking back for results
and market moves and ahead for forecasts; the article's reporting period; a year back for a
comparison base; nothing for kinds that cover no period. The sentences are written for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.finding.periods import describe, figure_window, figure_window_named, reporting_period

MONDAY = date(2026, 1, 5)


def window(sentence: str, figure: str, kind: str, published: date | None = MONDAY, reporting=None):
    at = sentence.index(figure)
    return figure_window(sentence, at, at + len(figure), published, kind=kind, reporting=reporting)


def source(sentence: str, figure: str, kind: str, published: date | None = MONDAY, reporting=None) -> str:
    at = sentence.index(figure)
    return figure_window_named(sentence, at, at + len(figure), published, kind=kind, reporting=reporting)[1]


Q2_2025, Q3_2025 = (date(2025, 4, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 9, 30))


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "expected", "rule"),
    [
        ("On Thursday the stock closed 4.1% higher.", "4.1%", "market", (date(2026, 1, 1), date(2026, 1, 1)),
         "clause"),
        ("The shares were down 1.8% in midday trading.", "1.8%", "market", (MONDAY, MONDAY), "trading-day"),
        ("The shares gained 45% during 2025.", "45%", "market", (date(2025, 1, 1), date(2025, 12, 31)), "clause"),
        ("The index lost 12% last year.", "12%", "market", (date(2025, 1, 1), date(2025, 12, 31)), "last-year"),
        ("The stock is up 9% so far this year.", "9%", "market", (date(2026, 1, 1), MONDAY), "to-date"),
        ("The stock has risen 14% since the start of the year.", "14%", "market", (date(2026, 1, 1), MONDAY),
         "to-date"),
        ("Same-store sales rose 3.5% in November.", "3.5%", "reported", (date(2025, 11, 1), date(2025, 11, 30)),
         "clause"),
        ("Second-quarter revenue came in at $2.4 billion.", "$2.4 billion", "reported", Q2_2025, "clause"),
        ("Operating profit rose 11% to $930 million in the quarter ended Nov. 30.", "$930 million", "reported",
         (date(2025, 9, 1), date(2025, 11, 30)), "quarter-ended"),
        ("Net income fell to $88 million in the fourth quarter from $140 million a year earlier.", "$140 million",
         "reported", (date(2024, 10, 1), date(2024, 12, 31)), "clause+year-back"),
        ("The company expects sales of $7 billion in 2026, up 9 percent from 2025.", "9 percent", "guidance",
         (date(2026, 1, 1), date(2026, 12, 31)), "clause"),
        ("Its shares have more than doubled in the past three years.", "more than doubled", "market",
         (MONDAY - timedelta(days=3 * 365 - 1), MONDAY), "trailing"),
        ("The shares hit a low of 212 pence last month.", "212 pence", "market",
         (date(2025, 12, 1), date(2025, 12, 31)), "last-month"),
        ("It aims for a return on equity of 14-15 percent for 2027-2028, up from 12 percent this year.",
         "14-15 percent", "guidance", (date(2027, 1, 1), date(2028, 12, 31)), "year-span"),
        ("For the year to March 2027, the group sees revenue growth of 4% to 5%.", "4% to 5%", "guidance",
         (date(2026, 4, 1), date(2027, 3, 31)), "months-ended"),
        ("Revenue for the nine months ended Sept. 30, 2025 rose 7%.", "7%", "reported",
         (date(2025, 1, 1), date(2025, 9, 30)), "months-ended"),
    ],
)  # fmt: skip
def test_the_clause_dates_the_figure(sentence, figure, kind, expected, rule):
    assert window(sentence, figure, kind) == expected
    assert source(sentence, figure, kind) == rule


def test_a_span_the_words_leave_open_has_no_window():
    assert window("Volumes fell 20% over the past few years.", "20%", "reported") is None
    assert window("Volumes fell 20% over the past several months.", "20%", "reported") is None
    assert window("Volumes fell 20% over the past two years.", "20%", "reported") == (date(2024, 1, 7), MONDAY)


def test_a_result_whose_clause_names_no_period_takes_the_reporting_period():
    assert window("EBITDA was $80 million, down $6 million.", "$80 million", "reported", reporting=Q3_2025) == Q3_2025
    assert source("EBITDA was $80 million.", "$80 million", "reported", reporting=Q3_2025) == "reporting"
    assert window("The tally was 80 by then.", "80", "reported", reporting=Q3_2025) is None  # no results words
    assert window("It bought a 30 percent stake.", "30 percent", "other", reporting=Q3_2025) is None
    annual = "Analysts put the unit's annual revenue at $900 million."
    assert window(annual, "$900 million", "estimate", reporting=Q3_2025) is None  # a year's figure is not the quarter's


@pytest.mark.parametrize("kind", ["target", "other"])
def test_targets_and_other_figures_cover_no_period(kind):
    assert window("In 2025 it paid a $5 billion fine.", "$5 billion", kind) is None
    assert source("In 2025 it paid a $5 billion fine.", "$5 billion", kind) == "no-period-kind"


def test_without_a_date_only_what_the_words_date_resolves():
    assert window("On Thursday the stock closed 4.1% higher.", "4.1%", "market", published=None) is None
    assert window("Revenue rose 5% in 2004.", "5%", "reported", published=None) == (
        date(2004, 1, 1),
        date(2004, 12, 31),
    )


def test_the_reporting_period_is_named_in_the_lede():
    lede = ["Acme Foods posted a second-quarter loss of $12 million on Tuesday.", "Sales fell."]
    assert reporting_period(lede, date(2025, 8, 5)) == Q2_2025
    months = ["Profit for the three months to September rose 8%, the brewer said."]
    assert reporting_period(months, date(2025, 10, 20)) == Q3_2025
    dated = ["The chain made a profit in the three months to 30 June 2024."]
    assert reporting_period(dated, None) == (date(2024, 4, 1), date(2024, 6, 30))
    assert reporting_period(["The chief financial officer stepped down on Friday."], MONDAY) is None


@pytest.mark.parametrize(
    "phrase",
    ["the quarter ended June 30", "the quarter ended Jun. 30", "the three months to 30 June", "the quarter to June",
     "the three months that ended on June 30, 2025"],
)  # fmt: skip
def test_figure_window_and_reporting_period_read_a_quarter_ended_alike(phrase):
    """One rule reads "the quarter ended <date>" for both: the window of a figure in the sentence and
    the article's reporting period."""
    sentence = f"Net income was $410 million in {phrase}."
    published = date(2025, 7, 24)
    assert reporting_period([sentence], published) == Q2_2025
    assert window(sentence, "$410 million", "reported", published=published) == Q2_2025


def test_a_quarter_ended_is_the_latest_such_quarter_unless_a_forecast_looks_ahead():
    published = date(2025, 6, 20)
    ended = "Net income was $410 million in the quarter ended June 30."
    assert window(ended, "$410 million", "reported", published=published) == (date(2024, 4, 1), date(2024, 6, 30))
    ending = "The company expects revenue of $2 billion for the quarter ending June 30."
    assert window(ending, "$2 billion", "guidance", published=published) == Q2_2025


def test_a_share_move_dates_a_market_figure_only_when_the_shares_move():
    """The trading day is read by the same rule as the kind cue's share move (`phrases.market_move`)."""
    assert window("Shares of the miner were 2% higher in early trading.", "2%", "market") == (MONDAY, MONDAY)
    assert window("They are expected to report revenue up 4%.", "4%", "market") is None
    assert window("The stock trades at nine times earnings.", "nine times", "market") is None


@pytest.mark.parametrize(
    ("w", "text"),
    [
        ((date(2026, 1, 2), date(2026, 1, 2)), "2026-01-02"),
        ((date(2025, 1, 1), date(2025, 12, 31)), "2025"),
        ((date(2025, 7, 1), date(2025, 9, 30)), "Q3 2025"),
        ((date(2025, 1, 1), date(2025, 1, 31)), "January 2025"),
        ((date(2025, 1, 1), date(2025, 3, 5)), "2025-01-01 to 2025-03-05"),
    ],
)
def test_a_window_is_described_as_an_editor_writes_it(w, text):
    assert describe(w) == text


_PIECES = ["Revenue rose", "shares fell", "analysts expect", "it plans", "on Friday", "in the third quarter",
           "for the quarter ended Dec. 31", "in 2025", "last year", "so far this year", "from", "a year earlier",
           "on November 8", "in the past two years", "next year", "by March", "fiscal 2026", "to"]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8),
    published=st.one_of(st.none(), st.dates(min_value=date(1980, 1, 1), max_value=date(2030, 12, 31))),
    kind=st.sampled_from(["reported", "guidance", "estimate", "market", "target", "other"]),
)
def test_any_clause_gives_no_window_or_an_ordered_one(words, published, kind):
    sentence = " ".join([*words[:4], "$5 billion", *words[4:]]) + "."
    w = window(sentence, "$5 billion", kind, published=published)
    assert w is None or w[0] <= w[1]
