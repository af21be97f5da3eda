"""The event a forward-looking sentence announces, read from its clause (sentences written for the test)."""

from __future__ import annotations

import pytest

from summarizer.finding.events import event_phrase, sentence_like


@pytest.mark.parametrize(
    ("sentence", "date_text", "event", "rule"),
    [
        ("Northwind Foods is scheduled to report its third-quarter results on May 2.", "on May 2",
         "third-quarter results", "reports"),
        ("The retailer will release full-year sales figures next Tuesday, the company said.", "next Tuesday",
         "full-year sales figures", "reports"),
        ("The sale of the cement unit is subject to approval by European regulators.", None,
         "approval by European regulators", "subject-to"),
        ("Investors' patience will be tested with the release of annual results in March.", "in March",
         "release of annual results", "noun-of"),
        ("The bank plans to close 40 branches by June, which will cut 300 jobs.", "by June",
         "close 40 branches", "will-verb"),
        ("Shareholders are expected to vote on the merger at a meeting in October.", "in October",
         "vote on the merger at a meeting", "noun-of"),
    ],
)  # fmt: skip
def test_the_event_is_the_phrase_its_clause_names(sentence, date_text, event, rule):
    assert event_phrase(sentence, date_text) == (event, rule)


def test_a_sentence_that_announces_nothing_gives_no_event():
    assert event_phrase("Shares of the miner fell 4% on Friday.", "on Friday") is None
    assert event_phrase("Profit rose sharply last year.", "last year") is None


def test_a_sentence_is_not_an_event_but_a_name_is():
    s = "The company will report first-quarter results on Feb 1."
    assert sentence_like(s, s) and sentence_like("The company is due to report its results.", s)
    assert not sentence_like("first-quarter results", s) and not sentence_like("a vote on the merger", s)
