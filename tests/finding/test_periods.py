"""Period windows code reads around a figure: its clause's time expression, looking back for results
and market moves and ahead for forecasts; the article's reporting period; a year back for a
comparison base; nothing for kinds that cover no period."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.finding.periods import describe, figure_window, reporting_period

MONDAY = date(2026, 1, 5)


def window(sentence: str, figure: str, kind: str, published: date | None = MONDAY, reporting=None):
    at = sentence.index(figure)
    return figure_window(sentence, at, at + len(figure), published, kind=kind, reporting=reporting)


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "expected"),
    [
        ("On Friday, the stock surged 6.39%.", "6.39%", "market", (date(2026, 1, 2), date(2026, 1, 2))),
        ("Shares were down 2.5 percent in morning trading.", "2.5 percent", "market", (MONDAY, MONDAY)),
        ("The stock had appreciated more than 70% in 2025.", "70%", "market", (date(2025, 1, 1), date(2025, 12, 31))),
        ("Shares climbed 57% last year.", "57%", "market", (date(2025, 1, 1), date(2025, 12, 31))),
        ("They are still down 26 percent so far this year.", "26 percent", "market", (date(2026, 1, 1), MONDAY)),
        ("Sales rose 8.1% in December.", "8.1%", "reported", (date(2025, 12, 1), date(2025, 12, 31))),
        ("Third-quarter revenue was $36.7 billion.", "$36.7 billion", "reported",
         (date(2025, 7, 1), date(2025, 9, 30))),
        ("Revenue grew 18% to $62 billion in the quarter ended Dec. 31.", "$62 billion", "reported",
         (date(2025, 10, 1), date(2025, 12, 31))),
        ("Profit fell to $262 million from $577 million a year earlier in the third quarter.", "$577 million",
         "reported", (date(2024, 7, 1), date(2024, 9, 30))),
        ("It expects revenue of $5 billion for 2026, up 15 percent from 2025.", "15 percent", "guidance",
         (date(2026, 1, 1), date(2026, 12, 31))),
        ("LSE shares have more than tripled in the past two years.", "more than tripled", "market",
         (date(2024, 1, 7), MONDAY)),
        ("Shares have swung this year, falling to a low of 47.3 pence last month.", "47.3 pence", "market",
         (date(2025, 12, 1), date(2025, 12, 31))),
        ("It targets a margin of 11-12 percent for 2027-2029, against 10 percent this year.", "11-12 percent",
         "guidance", (date(2027, 1, 1), date(2029, 12, 31))),
        ("For the year to March 2026, a revenue rise of 3% to 3.5% is anticipated.", "3% to 3.5%", "guidance",
         (date(2025, 4, 1), date(2026, 3, 31))),
        ("Sales for the 12 months ended June 30, 2025 rose 4%.", "4%", "reported",
         (date(2024, 7, 1), date(2025, 6, 30))),
    ],
)  # fmt: skip
def test_the_clause_dates_the_figure(sentence, figure, kind, expected):
    assert window(sentence, figure, kind) == expected


def test_a_result_whose_clause_names_no_period_takes_the_reporting_period():
    q3 = (date(2025, 7, 1), date(2025, 9, 30))
    assert window("Revenue was $36.7 billion, down $4.1 billion.", "$36.7 billion", "reported", reporting=q3) == q3
    assert window("It bought a 90 percent stake.", "90 percent", "other", reporting=q3) is None
    annual = "Analysts put its estimated annual surcharge revenues at £160m."
    assert window(annual, "£160m", "estimate", reporting=q3) is None  # a year's figure is not the quarter's


@pytest.mark.parametrize("kind", ["target", "other"])
def test_targets_and_other_figures_cover_no_period(kind):
    assert window("In 2025 it paid a $5 billion fine.", "$5 billion", kind) is None


def test_without_a_date_only_what_the_words_date_resolves():
    assert window("On Friday, the stock surged 6.39%.", "6.39%", "market", published=None) is None
    assert window("Revenue rose 5% in 2004.", "5%", "reported", published=None) == (
        date(2004, 1, 1),
        date(2004, 12, 31),
    )


def test_the_reporting_period_is_named_in_the_lede():
    lede = ["Ford posted a third-quarter loss of $5.8 billion on Monday.", "Revenue fell."]
    assert reporting_period(lede, date(2006, 10, 23)) == (date(2006, 7, 1), date(2006, 9, 30))
    months = ["Profits jumped 76% for the three months to December, the firm said."]
    assert reporting_period(months, date(2005, 2, 1)) == (date(2004, 10, 1), date(2004, 12, 31))
    dated = ["Reporting its results for the three months to 31 December 2004, the airline made a profit."]
    assert reporting_period(dated, None) == (date(2004, 10, 1), date(2004, 12, 31))
    assert reporting_period(["The chief executive resigned on Friday."], MONDAY) is None


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
