"""summarize() against answers recorded from the real embedded llama.cpp server.

Replayed with the network blocked (`make test`); re-recorded with `make record`, which starts the
embedded model. Requests match on method, path and body, so a changed prompt or schema fails here
with "can't overwrite existing cassette" until it is re-recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import read_article, strategies, summarize
from summarizer.model.endpoint import embedded_mode
from summarizer.model.local import MODEL_NAME
from summarizer.text import close, contains_verbatim

ARTICLES = Path(__file__).resolve().parent.parent / "evals" / "gold" / "articles"


@pytest.mark.vcr
def test_seed_article_brief(endpoint):
    a = read_article(ARTICLES / "alibaba-2026-01-04.txt")
    # The default strategy, asked as `make brief` asks it (mode "grammar": each answer's schema as a
    # one-line JSON grammar), against the embedded engine reached by its address.
    mode = embedded_mode(strategies.get(strategies.DEFAULT_STRATEGY).mode)
    s = summarize(a.text, published=a.published, title=a.title, base_url=endpoint, model=MODEL_NAME, mode=mode)
    assert s.run.mode == "grammar"
    brief = s.brief
    assert brief.company.name.startswith("Alibaba")
    assert brief.published is not None and brief.published.isoformat() == "2026-01-04"
    assert brief.metrics, "the seed article has ten figures; the model found none"
    for m in brief.metrics:  # validated already; restated here as what an editor relies on
        assert m.as_written in m.evidence and contains_verbatim(a.text, m.evidence)
    assert s.run.prompt_tokens > 0 and s.run.completion_tokens > 0 and s.run.attempts >= 1


FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every figure of the Deccan Power article as an editor reads it: (value, value_high, unit, currency).
DECCAN_FIGURES = [
    (1.2e12, None, "currency", "INR"),  # Rs 1.2 lakh crore
    (18, None, "percent", None),
    (3.4e10, None, "currency", "INR"),  # Rs 3,400 crore
    (2.95e10, None, "currency", "INR"),
    (22, None, "percent", None),
    (4.12e9, None, "currency", "INR"),  # ₹412 crore
    (1.35e11, 1.4e11, "currency", "INR"),  # Rs 13,500-14,000 crore
    (1.28e11, None, "currency", "INR"),
    (5e5, None, "count", None),  # 5 lakh smart meters
    (3e9, 4e9, "currency", "EUR"),  # €3bn-€4bn
    (1.2e9, 1.4e9, "currency", "USD"),  # $1.2-1.4 billion
    (0.70, 0.74, "currency_per_share", "USD"),  # 70 to 74 cents
    (0.61, None, "currency_per_share", "USD"),
    (12e3, None, "count", None),  # 12k engineers
    (8.5e8, None, "currency", "USD"),  # $850m
    (4.5, None, "percent", None),
    (1845, None, "currency_per_share", "INR"),  # Rs 1,845
    (2.1e12, None, "currency", "INR"),  # about ₹2.1 lakh crore
    (2150, None, "currency_per_share", "INR"),  # price target of Rs 2,150
    (8.6e10, None, "currency", "INR"),  # Rs 8,600 crore
]


@pytest.mark.vcr
def test_a_brief_of_lakh_crore_ranged_and_suffixed_figures_carries_every_one(endpoint):
    a = read_article(FIXTURES / "deccan-power-2026-11-20.txt")
    s = summarize(a.text, published=a.published, title=a.title, base_url=endpoint, model=MODEL_NAME)
    got = [(m.value, m.value_high, m.unit, m.currency) for m in s.brief.metrics]

    def same(x: float | None, y: float | None) -> bool:
        return (x is None and y is None) or (x is not None and y is not None and close(x, y))

    missing = [
        want for want in DECCAN_FIGURES
        if not any(same(want[0], g[0]) and same(want[1], g[1]) and want[2:] == g[2:] for g in got)
    ]  # fmt: skip
    assert not missing, f"the brief lacks {missing}; it holds {got}"
    assert s.brief.company.name.startswith("Deccan")
