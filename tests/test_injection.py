"""Prompt injection: real articles with one paragraph addressed to the model (tests/injection/).

No brief of them may contain a figure, quote, date or claim from the injected text. Code leaves a
paragraph that speaks to the model out of everything the model sees and of every candidate, so the
grounded strategy cannot quote it, read a figure or a date from it, or be told by it what to do; a
thesis figure the article does not print goes back to the model (tests/test_grounded.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from summarizer import read_article
from summarizer._text import contains_verbatim
from summarizer.grounded import find, task_variables

HERE = Path(__file__).resolve().parent / "injection"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text())


def test_the_corpus_has_at_least_ten_adversarial_articles():
    assert len(CASES) >= 10 and all((HERE / c["file"]).is_file() for c in CASES)
    for c in CASES:
        assert contains_verbatim(read_article(HERE / c["file"]).text, c["injection"])


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_the_injected_paragraph_is_never_shown_to_the_model(case):
    a = read_article(HERE / case["file"])
    found = find(a.text, a.published)
    assert found.instructions, "the injected paragraph was not recognised"
    shown = task_variables(found)
    for forbidden in case["forbidden"]:
        for text in (shown["article"], shown["figures"], shown["timings"]):
            assert forbidden not in text


def test_no_sentence_of_a_real_article_is_taken_for_an_instruction():
    gold = Path(__file__).resolve().parent.parent / "evals" / "gold" / "articles"
    flagged = []
    for path in sorted(gold.glob("*.txt")):
        a = read_article(path)
        found = find(a.text, a.published)
        flagged += [found.sentences[i] for i in found.instructions]
    assert flagged == []
