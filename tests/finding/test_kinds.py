"""The kind the words nearest a figure signal."""

from __future__ import annotations

import pytest

from summarizer.finding.kinds import kind_cue


def cue(sentence: str, figure: str):
    at = sentence.index(figure)
    return kind_cue(sentence, at, at + len(figure))


@pytest.mark.parametrize(
    ("sentence", "figure", "kind"),
    [
        ("The consensus average price target stands near $205.", "$205", "target"),
        ("Analysts on average were expecting $1.25 a share.", "$1.25", "estimate"),
        ("Microsoft shares fell 1% in after-hours trading.", "1%", "market"),
        ("They climbed 57% last year.", "57%", "market"),
        ("The company expects revenue of $4.2 billion next year.", "$4.2 billion", "guidance"),
        ("UnitedHealth said it would buy a 90 percent stake in Amil.", "90 percent", "other"),
        ("ING agreed to pay $619 million to settle the allegations.", "$619 million", "other"),
        ("Revenue for the quarter was $36.7 billion.", "$36.7 billion", "reported"),
        ("Passenger numbers rose 8.1% in January.", "8.1%", "reported"),
        ("Analysts polled by Thomson Reuters, however, forecast earnings of $2.08 a share.", "$2.08", "estimate"),
        ("Lenovo posted a better-than-expected 88 percent rise in profit.", "88 percent", "reported"),
        ("The average rating of the 36 analysts surveyed by FactSet is buy.", "36", "other"),
        (
            "The company plans to invest $5 billion over three years, which should reassure analysts.",
            "$5 billion",
            "guidance",
        ),
    ],
)
def test_the_nearest_cue_names_the_kind(sentence, figure, kind):
    assert cue(sentence, figure) == kind


def test_a_figure_with_no_cue_gets_no_proposal():
    assert cue("It came to 42 in the end.", "42") is None
