"""Time expressions and the windows they mean, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.finding.timing import forward_looking, future_timing, resolve, timings_in

PUB = date(2026, 1, 4)  # a Sunday


@pytest.mark.parametrize(
    ("text", "published", "window"),
    [
        ("in February", PUB, (date(2026, 2, 1), date(2026, 2, 28))),
        ("in February", None, (None, None)),
        ("in February 2027", None, (date(2027, 2, 1), date(2027, 2, 28))),
        ("on July 17", date(2012, 7, 12), (date(2012, 7, 17), date(2012, 7, 17))),
        ("by January 11", date(2006, 12, 12), (date(2006, 12, 12), date(2007, 1, 11))),
        ("in the fourth quarter", date(2013, 9, 17), (date(2013, 10, 1), date(2013, 12, 31))),
        ("in the first quarter", date(2013, 11, 17), (date(2014, 1, 1), date(2014, 3, 31))),
        ("in the first quarter of 2008", None, (date(2008, 1, 1), date(2008, 3, 31))),
        ("in the second half of this year", date(2009, 2, 9), (date(2009, 7, 1), date(2009, 12, 31))),
        ("this quarter", date(2007, 11, 19), (date(2007, 10, 1), date(2007, 12, 31))),
        ("next month", PUB, (date(2026, 2, 1), date(2026, 2, 28))),
        ("this week", date(2010, 1, 26), (date(2010, 1, 25), date(2010, 1, 31))),
        ("this year", PUB, (date(2026, 1, 1), date(2026, 12, 31))),
        ("on Friday", date(2009, 2, 6), (date(2009, 2, 6), date(2009, 2, 6))),  # the same day
        ("on Tuesday", PUB, (date(2026, 1, 6), date(2026, 1, 6))),  # two days ahead
        ("On Friday", PUB, (date(2026, 1, 2), date(2026, 1, 2))),  # two days back, not six ahead
        ("in fiscal 1988", date(1987, 2, 26), (None, None)),  # fiscal years differ by company
    ],
)
def test_windows(text, published, window):
    assert resolve(text, published) == window


def test_timings_are_found_with_their_words_and_not_inside_other_words():
    found = [t.text for t in timings_in("Lenovo, in a separate note, expects results in February.", 0, PUB)]
    assert found == ["in February"]


def test_a_dateline_is_not_a_timing():
    assert timings_in("Jan 30 (Reuters) - PayPal plans to cut jobs this year.", 0, date(2024, 1, 30))[0].text == (
        "this year"
    )


def test_the_future_timing_of_a_sentence_skips_what_is_already_past():
    t = future_timing("On Friday the stock rose; results are due in February.", 0, PUB)
    assert t is not None and t.text == "in February"


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Shares may rise.", []),
        ("The deal may close in May.", ["in May"]),
        ("Results are due May 30.", ["May 30"]),
        ("May 2004 was its best month.", ["May 2004"]),
    ],
)
def test_the_verb_may_is_not_the_month(sentence, found):
    assert [t.text for t in timings_in(sentence, 0, None)] == found


def test_only_a_sentence_that_looks_ahead_can_date_a_catalyst():
    assert forward_looking("The company will report results in February.")
    assert forward_looking("Shareholders have until January 27 to accept.")
    assert not forward_looking("Passenger numbers rose 8.1% in January.")
