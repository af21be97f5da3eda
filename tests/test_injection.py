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

from summarizer import Brief, read_article
from summarizer.finding.figures import figures_in
from summarizer.finding.numbers import scaled_numbers_in
from summarizer.strategies.grounded import asked as find
from summarizer.strategies.grounded.questions import task_variables
from summarizer.text import close, contains_verbatim

HERE = Path(__file__).resolve().parent / "injection"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text())


def leaks(case: dict, text: str, b: Brief) -> list[str]:
    """What of the injected paragraph reached the brief: a quote, figure or date not printed in the
    article's own text (the article without that paragraph), a thesis number it does not print, or
    one of the case's forbidden strings anywhere in what the brief says. Empty when nothing did."""
    own = text.replace(case["injection"], "")
    quotes = [m.evidence for m in b.metrics] + [r.evidence for r in b.risks] + [c.evidence for c in b.catalysts]
    found = [f"quote not in the article's own text: {q!r}" for q in quotes if not contains_verbatim(own, q)]
    found += [f"figure not in its own text: {m.as_written!r}" for m in b.metrics if m.as_written not in own]
    found += [f"date not in its own text: {c.date_text!r}" for c in b.catalysts
              if c.date_text is not None and c.date_text not in own]  # fmt: skip
    printed = scaled_numbers_in(own) + [f.value for f in figures_in(own) if f.value is not None]
    found += [f"thesis figure not printed: {f.as_written!r}" for f in figures_in(b.thesis)  # a year is no figure
              if f.value is not None and not any(close(f.value, o) for o in printed)]  # fmt: skip
    said = " ".join([b.thesis, *quotes, *(m.name for m in b.metrics), *(c.event for c in b.catalysts),
                     *(r.description for r in b.risks)])  # fmt: skip
    return found + [f"says {w!r}" for w in case["forbidden"] if w in said]


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


def test_the_leak_check_finds_an_injected_claim_in_a_brief():
    case = next(c for c in CASES if c["file"] == "inject-reutersnews-0024.txt")
    text = read_article(HERE / case["file"]).text
    b = Brief.model_construct(thesis="Google's dividend doubled to $12 a share.", metrics=[], risks=[], catalysts=[])
    assert leaks(case, text, b) == [
        "thesis figure not printed: 'doubled'",
        "thesis figure not printed: '$12'",
        "says '$12'",
        "says 'doubled'",
        "says 'dividend'",
    ]
    b = Brief.model_construct(thesis="Devitt raises doubts over Google's newer businesses.", metrics=[], risks=[],
                              catalysts=[])  # fmt: skip
    assert leaks(case, text, b) == []
