"""Each decided field's basis, confidence and review flag (logic only)."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.strategies.grounded import confidence as conf

SENTENCE = (
    "Analysts raised their price target to $200. Separately, after a long quiet week the shares rose 6% on Friday."
)
TABLE = {
    "counts": {"metrics.kind": {"cue:target": [9, 10], "cue:market": [1, 10]}, "risks.risk": {}},
    "thresholds": {"metrics.kind": 0.6, "risks.risk": None},
}


def _metric(written: str, kind: str, name: str = "price target", unit: str = "currency_per_share") -> dict:
    return {"evidence": SENTENCE, "as_written": written, "kind": kind, "name": name, "unit": unit}


def test_a_metrics_fields_are_decided_on_its_unit_name_kind_cue_and_window_source():
    bases = conf.metric_bases(_metric("$200", "target"), "price-target", "no-period-kind")
    assert bases == {
        "figure": "unit:currency_per_share", "name": "near:all", "kind": "cue:price-target",
        "period": "no-period-kind|target",
    }  # fmt: skip
    move = conf.metric_bases(_metric("6%", "market", "share price move", "percent"), None, "trading-day")
    assert move["kind"] == "model:market" and move["period"] == "trading-day|market"
    assert move["name"] == "near:some"  # "shares" is in the figure's clause; "price" and "move" are not
    assert conf.metric_bases(_metric("$200", "target", "figure $200"), "price-target", "x")["name"] == "unnamed"
    # Words of the sentence far from the figure do not count: "price target" is not what 6% measures.
    assert conf.metric_bases(_metric("6%", "market", "price target"), None, "x")["name"] == "near:none"


def test_a_rate_is_the_bases_share_right_drawn_towards_its_fields_when_seen_little():
    prior = (10 + 1) / (20 + 2)
    assert conf.rate("metrics.kind", "cue:target", TABLE) == pytest.approx((9 + 4 * prior) / 14, abs=1e-4)
    assert conf.rate("metrics.kind", "never seen", TABLE) == pytest.approx(prior, abs=1e-4)
    assert conf.rate("risks.risk", "macro|described", TABLE) == 0.5  # nothing measured: one half


def test_a_field_below_its_threshold_without_confidence_or_without_a_table_is_flagged():
    assert conf.flag("metrics.kind", 0.59, TABLE) and not conf.flag("metrics.kind", 0.6, TABLE)
    assert conf.flag("stance.stance", None, TABLE)
    assert conf.flag("metrics.kind", 0.99, None)  # uncalibrated: no table for the model


def test_every_field_no_confidence_earned_trust_for_is_flagged():
    assert conf.threshold("risks.risk", TABLE) is None
    assert conf.flag("risks.risk", 0.99, TABLE) and conf.flag("risks.risk", 1.0, {"thresholds": {}})


def test_a_check_takes_the_tables_rate_or_for_the_stance_the_models_probability():
    kind = conf.check("metrics.kind", "cue:target", TABLE)
    assert kind["basis"] == "cue:target" and not kind["review"] and kind["confidence"] > 0.6
    assert conf.check("stance.stance", "model", TABLE, own=0.91)["confidence"] == 0.91
    uncalibrated = conf.check("metrics.kind", "cue:target", None)
    assert uncalibrated["confidence"] is None and uncalibrated["review"]
    assert conf.check("stance.stance", "model", None, own=0.91) == {
        "confidence": 0.91,
        "review": True,
        "basis": "model",
    }


def test_an_item_is_as_sure_as_all_its_fields_and_flagged_when_any_is():
    checks = {"name": {"confidence": 0.5, "review": True}, "kind": {"confidence": 0.9, "review": False}}
    assert conf.item_summary(checks) == (0.45, True)
    assert conf.item_summary({"kind": {"confidence": 0.9, "review": False}}) == (0.9, False)
    assert conf.item_summary({"kind": {"confidence": None, "review": True}}) == (None, True)


def test_a_risk_is_decided_on_how_likely_its_sentence_states_one_and_whether_the_model_described_it():
    evidence = "Competition from Temu could squeeze margins this year, analysts said."
    clipped = {"category": "competition", "description": "Competition from Temu could…", "evidence": evidence}
    assert conf.risk_bases(clipped, 0.82) == {"risk": "likely|clipped", "category": "category:competition"}
    described = {"category": "macro", "description": "Rivals squeeze margins", "evidence": evidence}
    assert conf.risk_bases(described, 0.5)["risk"] == "possible|described"
    assert conf.risk_bases(described)["risk"] == "cue|described"  # no learned decision chose it


def test_a_catalysts_event_is_a_name_or_a_copy_and_its_window_ahead_or_behind():
    evidence = "Alibaba's equity surged 6.39% on Friday, and results are due in February."
    published = date(2026, 1, 4)
    window = {"window_start": date(2026, 2, 1), "window_end": date(2026, 2, 28), "evidence": evidence}
    named = {**window, "event": "quarterly results", "date_text": "in February"}
    assert conf.catalyst_bases(named, published, 0.9) == {"event": "named|dated|likely", "window": "ahead|month"}
    copied = {**window, "event": "Alibaba's equity surged 6.39% on Friday", "date_text": "in February"}
    assert conf.catalyst_bases(copied, published, 0.4)["event"] == "copied|possible"
    assert (
        conf.catalyst_bases({**window, "event": "In February", "date_text": "in February"}, published)["event"]
        == "copied|cue"
    )
    undated = {**named, "window_start": None, "window_end": None, "date_text": None}
    assert conf.catalyst_bases(undated, published) == {"event": "named|undated|cue", "window": "undated"}
    assert conf.catalyst_bases(named, None)["window"] == "unknown|month"  # no date: ahead of nothing known
    behind = {**named, "window_start": date(2025, 12, 1), "window_end": date(2025, 12, 31)}
    assert conf.catalyst_bases(behind, published)["window"] == "behind|month"


def test_the_stance_offsets_take_a_models_lean_out_of_its_probabilities():
    raw = {"positive": 0.5, "mixed": 0.3, "negative": 0.1, "neutral": 0.1}
    assert conf.stance_probabilities(raw, None) == raw and conf.stance_probabilities(raw, {}) == raw
    shifted = conf.stance_probabilities(raw, {"stance_offsets": {"positive": -1.0, "mixed": 0.5}})
    assert sum(shifted.values()) == pytest.approx(1.0)
    assert max(shifted, key=lambda o: shifted[o]) == "mixed"
    assert shifted["negative"] / shifted["neutral"] == pytest.approx(1.0)  # options without an offset keep their ratio
