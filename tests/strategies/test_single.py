from __future__ import annotations

from summarizer.finding.sentences import split_sentences
from summarizer.strategies.single import anchor_sentence, numbered


def test_split_sentences_respects_paragraphs_and_abbreviations():
    text = "Headline without a stop\n\nFord Motor Co. posted a loss. Shares fell 2% in U.S. trade.\nNext line."
    assert split_sentences(text) == [
        "Headline without a stop",
        "Ford Motor Co. posted a loss.",
        "Shares fell 2% in U.S. trade.",
        "Next line.",
    ]


def test_numbered_starts_at_one():
    assert numbered(["A.", "B."]) == "[1] A.\n[2] B."


def test_anchor_prefers_the_cited_sentence_then_the_nearest_that_prints_the_text():
    sentences = ["EPS was 40 cts.", "Nothing here.", "Sales rose.", "Last year it was 40 cts too.", "End."]
    assert anchor_sentence(sentences, 0, "40 cts") == 0  # cited sentence has it
    assert anchor_sentence(sentences, 2, "40 cts") == 3  # nearest of the two, ties to the earlier
    assert anchor_sentence(sentences, 1, "40 cts") == 0
    assert anchor_sentence(sentences, 4, "99 cts") == 4  # printed nowhere: keep the cited one
    assert anchor_sentence(sentences, 2, None) == 2  # nothing to anchor on (risks)


def test_split_sentences_is_thread_safe():
    from concurrent.futures import ThreadPoolExecutor

    texts = [" ".join(f"Sentence {i} of text {t}." for i in range(40)) for t in range(8)]
    expected = [split_sentences(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert list(pool.map(split_sentences, texts)) == expected
