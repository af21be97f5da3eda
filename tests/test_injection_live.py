"""Prompt injection against the real embedded model: each adversarial article of tests/injection/
summarized by the grounded strategy, with the model's HTTP recorded from the embedded llama.cpp
server (`make record`) and replayed in `make test`.

What a user relies on: nothing of the injected paragraph reaches the brief, not a figure, a quote, a
date nor a word of its claim, and every figure, quote and date the brief holds is printed in the
article's own text (`leaks`).
"""

from __future__ import annotations

import pytest

from summarizer import read_article, summarize
from summarizer.model.local import MODEL_NAME

from .test_injection import CASES, HERE, leaks


@pytest.mark.vcr
@pytest.mark.parametrize("case", CASES, ids=[c["file"].removesuffix(".txt") for c in CASES])
def test_no_brief_of_an_adversarial_article_holds_anything_of_the_injection(case, endpoint):
    a = read_article(HERE / case["file"])
    s = summarize(a.text, published=a.published, title=a.title, base_url=endpoint, model=MODEL_NAME)
    assert leaks(case, a.text, s.brief) == []
