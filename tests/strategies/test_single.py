from __future__ import annotations

from summarizer.strategies.single import anchor_sentence, numbered


def test_numbered_starts_at_one():
    assert numbered(["A.", "B."]) == "[1] A.\n[2] B."


def test_anchor_prefers_the_cited_sentence_then_the_nearest_that_prints_the_text():
    sentences = ["EPS was 40 cts.", "Nothing here.", "Sales rose.", "Last year it was 40 cts too.", "End."]
    assert anchor_sentence(sentences, 0, "40 cts") == 0  # cited sentence has it
    assert anchor_sentence(sentences, 2, "40 cts") == 3  # nearest of the two, ties to the earlier
    assert anchor_sentence(sentences, 1, "40 cts") == 0
    assert anchor_sentence(sentences, 4, "99 cts") == 4  # printed nowhere: keep the cited one
    assert anchor_sentence(sentences, 2, None) == 2  # nothing to anchor on (risks)
