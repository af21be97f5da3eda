"""Sentences as written: paragraphs, abbreviations, and threads that split at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from summarizer.finding.sentences import split_sentences


def test_split_sentences_respects_paragraphs_and_abbreviations():
    text = "Headline without a stop\n\nFord Motor Co. posted a loss. Shares fell 2% in U.S. trade.\nNext line."
    assert split_sentences(text) == [
        "Headline without a stop",
        "Ford Motor Co. posted a loss.",
        "Shares fell 2% in U.S. trade.",
        "Next line.",
    ]


def test_split_sentences_is_thread_safe():
    # Every text is new (nothing is served from the split cache) and its sentences are known by
    # construction, so a segmenter shared across threads that mixes up texts fails here.
    def text(rnd: int, t: int) -> str:
        return " ".join(f"Sentence {i} of text {t} in round {rnd}." for i in range(40))

    with ThreadPoolExecutor(max_workers=8) as pool:
        for rnd in range(5):
            texts = [text(rnd, t) for t in range(8)]
            got = list(pool.map(split_sentences, texts))
            assert got == [[f"Sentence {i} of text {t} in round {rnd}." for i in range(40)] for t in range(8)]
