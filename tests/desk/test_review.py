"""The review page's logic without a server: where items stand in the article, and the article as
HTML with its highlights."""

from __future__ import annotations

import re

import pytest

from summarizer.desk.publish import article_html
from summarizer.desk.review import (
    EditError,
    figure_at,
    items,
    locate,
    published_brief,
    set_field,
    spans,
    without_decisions,
)

from ..conftest import GOOD_BRIEF


def test_a_quote_is_found_whatever_its_whitespace():
    text = "First line.\nThe company  reported\n34% growth. Last."
    assert locate(text, "The company reported 34% growth.") == (12, 45)
    assert locate(text, "not there") is None


def test_the_article_as_html_keeps_every_character_and_escapes_it(seed_text):
    text = seed_text + "\n<script>alert(1)</script> & <!-- x -->"
    html = str(article_html(text, spans(GOOD_BRIEF, text)))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;!-- x --&gt;" in html
    pieces = re.findall(r'data-start="(\d+)"[^>]*>(.*?)</(?:span|mark)>', html, re.S)
    starts = [int(s) for s, _ in pieces]
    assert starts == sorted(starts) and starts[0] == 0
    unescaped = "".join(p for _, p in pieces)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        unescaped = unescaped.replace(entity, char)
    assert unescaped == text


def test_every_item_is_highlighted_and_the_figure_inside_its_quote(seed_text):
    found = spans(GOOD_BRIEF, seed_text)
    roles = {(s.item, s.role) for s in found}
    assert roles == {("metrics/0", "quote"), ("metrics/0", "figure"), ("risks/0", "risk"),
                     ("catalysts/0", "quote"), ("catalysts/0", "date")}  # fmt: skip
    figure = next(s for s in found if s.role == "figure")
    assert seed_text[figure.start : figure.end] == "34%"


def test_items_flagged_for_review_come_first_then_the_article_order(seed_text):
    brief = {**GOOD_BRIEF, "catalysts": [{**GOOD_BRIEF["catalysts"][0], "review": True}]}
    marks = {"metrics": ["pending"], "risks": ["pending"], "catalysts": ["pending"]}
    assert [r["key"] for r in items(brief, seed_text, marks)] == ["catalysts/0", "metrics/0", "risks/0"]
    assert [r["key"] for r in items(GOOD_BRIEF, seed_text, marks)] == ["metrics/0", "catalysts/0", "risks/0"]


@pytest.mark.parametrize(("pick", "value", "unit"), [("$205", 205, "currency_per_share"), ("30 to 40", 30, "percent")])
def test_a_selection_is_read_as_the_figure_it_touches(seed_text, pick, value, unit):
    start = seed_text.index(pick)
    got = figure_at(seed_text, start, start + len(pick))
    assert (got["value"], got["unit"]) == (value, unit) and got["evidence"] in seed_text


def test_a_selection_outside_the_article_is_refused(seed_text):
    with pytest.raises(EditError, match="outside the article"):
        figure_at(seed_text, len(seed_text) - 2, len(seed_text) + 5)


def test_an_item_the_editor_decided_on_is_no_longer_flagged_and_keeps_its_place(seed_text):
    flagged = {**GOOD_BRIEF, "catalysts": [{**GOOD_BRIEF["catalysts"][0], "review": True, "confidence": 0.4}]}
    pending = {"metrics": ["pending"], "risks": ["pending"], "catalysts": ["pending"]}
    accepted = {**pending, "catalysts": ["accepted"]}
    assert [r["flagged"] for r in items(flagged, seed_text, pending)] == [True, False, False]
    after = items(flagged, seed_text, accepted)
    assert [r["key"] for r in after] == ["catalysts/0", "metrics/0", "risks/0"]  # the order stays put
    assert [r["flagged"] for r in after] == [False, False, False]
    assert published_brief(flagged, accepted)["catalysts"][0]["review"] is False
    assert published_brief(flagged, {**pending, "catalysts": ["edited"]})["catalysts"][0]["review"] is False
    assert published_brief(flagged, pending)["catalysts"][0]["review"] is True
    clean = without_decisions(published_brief(flagged, pending) | {"stance_confidence": 0.8})
    assert "stance_confidence" not in clean and "confidence" not in clean["catalysts"][0]
    assert "review" not in clean["catalysts"][0]


@pytest.mark.parametrize(
    ("typed", "value"), [("600,000,000", 6e8), ("600 million", 6e8), ("$1.5bn", 1.5e9), ("", None)]
)
def test_a_corrected_value_is_read_as_the_editor_types_it(good_brief, typed, value):
    marks = {"metrics": ["pending"], "risks": ["pending"], "catalysts": ["pending"]}
    set_field(good_brief, marks, "metrics/0/value", typed)
    assert good_brief["metrics"][0]["value"] == value and marks["metrics"] == ["edited"]


def test_a_value_that_is_no_number_is_refused(good_brief):
    marks = {"metrics": ["pending"], "risks": ["pending"], "catalysts": ["pending"]}
    with pytest.raises(EditError, match="'lots' is not a number"):
        set_field(good_brief, marks, "metrics/0/value", "lots")
