"""Confidence from the signals an item was decided on, and the review flag (logic only)."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.strategies.grounded import confidence as conf

SENTENCE = (
    "Analysts raised their price target to $200. Separately, after a long quiet week the shares rose 6% on Friday."
)
RATES = {
    "counts": {"metrics": {"cue:target|none": [9, 10], "cue:market|clause": [1, 10]}, "risks": {}},
    "thresholds": {"metrics": 0.6},
}


def _metric(written: str, kind: str, name: str = "price target", window=None) -> dict:
    start, end = window or (None, None)
    return {"evidence": SENTENCE, "as_written": written, "kind": kind, "name": name,
            "period_start": start, "period_end": end}  # fmt: skip


def test_a_metric_signal_names_the_kind_source_and_the_window_source():
    reporting = (date(2025, 10, 1), date(2025, 12, 31))
    assert conf.metric_signal(_metric("$200", "target"), reporting) == "cue:target|none"
    day = (date(2026, 1, 2), date(2026, 1, 2))
    assert conf.metric_signal(_metric("6%", "market", "share move", day), reporting) == "cue:market|clause"
    assert conf.metric_signal(_metric("6%", "market", "share move", reporting), reporting) == "cue:market|reporting"
    assert conf.metric_signal(_metric("$200", "target", name="figure $200"), reporting) == "unnamed"
    plain = {**_metric("42", "other"), "evidence": "It had 42."}
    assert conf.metric_signal(plain, None) == "model:other|none"


def test_a_rate_is_the_signals_share_right_drawn_towards_its_decisions_when_seen_little():
    prior = (10 + 1) / (20 + 2)
    assert conf.rate("metrics", "cue:target|none", RATES) == pytest.approx((9 + 4 * prior) / 14, abs=1e-4)
    assert conf.rate("metrics", "never seen", RATES) == pytest.approx(prior, abs=1e-4)
    assert conf.rate("risks", "macro|described", RATES) == 0.5  # nothing measured: one half


def test_an_item_below_its_decisions_threshold_or_without_confidence_is_flagged():
    assert conf.flag("metrics", 0.59, RATES) and not conf.flag("metrics", 0.6, RATES)
    assert conf.flag("stance", None, RATES)


def test_every_item_of_a_decision_no_confidence_earned_trust_for_is_flagged():
    assert conf.threshold("risks", RATES) is None
    assert conf.flag("risks", 0.99, RATES) and conf.flag("risks", 1.0, {"thresholds": {"risks": None}})


def test_a_risk_described_by_its_own_sentence_and_a_catalysts_timing_are_signals():
    evidence = "Competition from Temu could squeeze margins this year, analysts said."
    assert conf.risk_signal({"category": "competition", "description": "Competition from Temu could…",
                             "evidence": evidence}) == "competition|clipped"  # fmt: skip
    assert conf.risk_signal({"category": "competition", "description": "Rivals squeeze margins",
                             "evidence": evidence}) == "competition|described"  # fmt: skip
    published = date(2026, 1, 4)
    event = {"event": "quarterly results", "date_text": "in February", "evidence": "Results come in February."}
    february = {**event, "window_start": date(2026, 2, 1), "window_end": date(2026, 2, 28)}
    assert conf.catalyst_signal(february, published) == "ahead|month"
    assert conf.catalyst_signal({**event, "window_start": None, "window_end": None}, published) == "undated"


def test_an_event_that_is_its_date_phrase_or_a_copied_clause_is_its_own_signal():
    evidence = "Alibaba's equity surged 6.39% on Friday, and results are due in February."
    published = date(2026, 1, 4)
    window = {"window_start": date(2026, 2, 1), "window_end": date(2026, 2, 28), "evidence": evidence}
    copied = {**window, "event": "Alibaba's equity surged 6.39% on Friday", "date_text": "in February"}
    assert conf.catalyst_signal(copied, published) == "copied"
    assert conf.catalyst_signal({**window, "event": "In February", "date_text": "in February"}, published) == "copied"
    named = {**window, "event": "quarterly results", "date_text": "in February"}
    assert conf.catalyst_signal(named, published) == "ahead|month"
