"""summarize() against answers recorded from the real embedded llama.cpp server.

Replayed with the network blocked (`make test`); re-recorded with `make record`, which starts the
embedded model. Requests match on method, path and body, so a changed prompt or schema fails here
with "can't overwrite existing cassette" until it is re-recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import read_article, summarize
from summarizer.model.local import MODEL_NAME
from summarizer.text import contains_verbatim

ARTICLES = Path(__file__).resolve().parent.parent / "evals" / "gold" / "articles"


@pytest.mark.vcr
def test_seed_article_brief(endpoint):
    a = read_article(ARTICLES / "alibaba-2026-01-04.txt")
    s = summarize(a.text, published=a.published, title=a.title, base_url=endpoint, model=MODEL_NAME, strategy="single")
    brief = s.brief
    assert brief.company.name.startswith("Alibaba")
    assert brief.published is not None and brief.published.isoformat() == "2026-01-04"
    assert brief.metrics, "the seed article has ten figures; the model found none"
    for m in brief.metrics:  # validated already; restated here as what an editor relies on
        assert m.as_written in m.evidence and contains_verbatim(a.text, m.evidence)
    assert s.run.prompt_tokens > 0 and s.run.completion_tokens > 0 and s.run.attempts >= 1
