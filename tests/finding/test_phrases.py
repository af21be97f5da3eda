"""Phrases the kind cues and the period rules share: results words, whose move a move is, and a span
of months ended on a date."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.finding.phrases import RESULTS, market_move, move_subject, periods_ended


def subject(sentence: str, move: str) -> str | None:
    at = sentence.index(move)
    return move_subject(sentence, at, at + len(move))


@pytest.mark.parametrize(
    ("sentence", "move", "whose"),
    [
        ("Shares of the insurer fell 4.2% in afternoon trading.", "fell", "market"),
        ("The yen weakened as the dollar rose 0.6% against it.", "rose", "market"),
        ("Treasury yields climbed to 4.6%.", "climbed", "market"),
        ("The FTSE 100 index slipped 0.3%.", "slipped", "market"),
        ("Revenue rose 6% and the shares climbed 3%.", "rose", "result"),
        ("Shares fell 5% after the company said orders dropped 9%.", "dropped", "result"),
        ("Shares fell 5% on Monday, and they are down 30% this year.", "down", "market"),
        ("Premiums written climbed 6%.", "climbed", "result"),
        ("The euro zone economy grew 0.2% in the quarter.", "grew", "result"),  # an economy is no currency
        ("Its market share rose to 21%.", "rose", "result"),  # a share of a market is no share
        ("They sank 8% by the close.", "sank", None),
        ("They are expected to report revenue up 4%.", "up", "result"),
        # What a move is "in" is its subject.
        ("Investors took fright after a 7% slide in the stock.", "slide", "market"),
        ("The shares jumped on a 9% rise in quarterly sales.", "rise", "result"),
    ],
)  # fmt: skip
def test_a_move_is_the_market_s_when_its_subject_is(sentence, move, whose):
    assert subject(sentence, move) == whose


def test_a_sentence_reports_a_market_move_when_the_market_makes_one():
    assert market_move("Shares of the miner were 2% higher in early trading.")
    assert market_move("The stock closed at $41.20.")
    assert market_move("The shares added 2% by midday.")
    assert not market_move("The chief executive added that revenue rose 5%.")
    assert not market_move("They are expected to report revenue up 4%.")
    assert not market_move("The stock trades at nine times earnings.")  # a standing valuation


@pytest.mark.parametrize(
    ("sentence", "published", "forward", "months", "window"),
    [
        ("in the quarter ended Dec. 31", date(2026, 2, 3), False, 3, (date(2025, 10, 1), date(2025, 12, 31))),
        ("in the three months to 31 December 2004", None, False, 3, (date(2004, 10, 1), date(2004, 12, 31))),
        ("in the quarter that ends March 31", date(2026, 2, 3), True, 3, (date(2026, 1, 1), date(2026, 3, 31))),
        ("in the quarter that ended March 31", date(2026, 2, 3), True, 3, (date(2025, 1, 1), date(2025, 3, 31))),
        ("for the six months to June", date(2025, 8, 1), False, 6, (date(2025, 1, 1), date(2025, 6, 30))),
        ("in the nine months ending September 2025", None, False, 9, (date(2025, 1, 1), date(2025, 9, 30))),
        ("for the year to end-March", date(2025, 5, 20), False, 12, (date(2024, 4, 1), date(2025, 3, 31))),
        ("for the 12 months ended June 30, 2024", None, False, 12, (date(2023, 7, 1), date(2024, 6, 30))),
    ],
)  # fmt: skip
def test_a_span_of_months_ends_with_the_month_it_names(sentence, published, forward, months, window):
    assert [(m, w) for _, m, w in periods_ended(sentence, published, forward=forward)] == [(months, window)]


def test_a_span_without_its_year_needs_the_publication_date():
    assert list(periods_ended("in the quarter ended Dec. 31", None)) == []
    assert list(periods_ended("year to date", date(2025, 5, 20))) == []


def test_results_words_are_the_financial_statement_s():
    assert RESULTS.search("EBITDA margin widened")
    assert RESULTS.search("earnings per share of 40 cents")
    assert not RESULTS.search("The chief executive resigned.")
