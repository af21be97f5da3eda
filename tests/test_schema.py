"""Every validator of the brief, on hand-built briefs against the seed article."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import Brief

SNAPSHOT = Path(__file__).parent / "snapshots" / "brief.schema.json"


def validate(data: dict[str, Any], article: str, published: date | None = date(2026, 1, 4)) -> Brief:
    return Brief.model_validate(data, context={"article": article, "published": published})


def errors_of(data: dict[str, Any], article: str, **kw: Any) -> str:
    with pytest.raises(ValidationError) as info:
        validate(data, article, **kw)
    return str(info.value)


def test_good_brief_validates(good_brief, seed_text):
    brief = validate(good_brief, seed_text)
    assert brief.metrics[0].value == 34
    assert brief.catalysts[0].window_end == date(2026, 2, 28)


def test_evidence_is_checked_whitespace_insensitively(good_brief, seed_text):
    m = good_brief["metrics"][0]
    m["evidence"] = m["evidence"].replace(" ", "\n  ")
    assert validate(good_brief, seed_text).metrics[0].as_written == "34%"


def test_paraphrased_metric_evidence_is_rejected(good_brief, seed_text):
    good_brief["metrics"][0]["evidence"] = "Alibaba's cloud computing division reported a 34% revenue increase."
    assert "metric evidence is not verbatim" in errors_of(good_brief, seed_text)


def test_paraphrased_risk_and_catalyst_evidence_are_rejected(good_brief, seed_text):
    good_brief["risks"][0]["evidence"] = "Growth might not last."
    good_brief["catalysts"][0]["evidence"] = "Results come in February."
    msg = errors_of(good_brief, seed_text)
    assert "risk evidence is not verbatim" in msg
    assert "catalyst evidence is not verbatim" in msg


def test_without_context_only_article_independent_rules_run(good_brief):
    good_brief["risks"][0]["evidence"] = "Not in any article."
    assert Brief.model_validate(good_brief).risks[0].evidence == "Not in any article."


def test_as_written_must_be_in_evidence(good_brief, seed_text):
    good_brief["metrics"][0]["as_written"] = "35%"
    assert "does not appear in its evidence" in errors_of(good_brief, seed_text)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(34, True), (34.1, True), (35, False), (0.34, False)],
)
def test_value_must_match_the_written_figure_within_half_a_percent(good_brief, seed_text, value, ok):
    good_brief["metrics"][0]["value"] = value
    if ok:
        validate(good_brief, seed_text)
    else:
        assert "does not match the figure as written" in errors_of(good_brief, seed_text)


def test_scale_words_apply_to_the_written_figure(seed_text):
    base = {
        "name": "investment budget",
        "value_high": None,
        "qualifier": "more_than",
        "unit": "currency",
        "currency": "USD",
        "period": None,
        "kind": "guidance",
        "as_written": "$50 billion",
        "evidence": "The company has earmarked an investment budget exceeding $50 billion for the expansion of "
        "its cloud and AI infrastructure over the coming years.",
    }
    from summarizer import Metric

    ctx = {"article": seed_text}
    assert Metric.model_validate({**base, "value": 50e9}, context=ctx).value == 50e9
    with pytest.raises(ValidationError, match="scale the written number"):
        Metric.model_validate({**base, "value": 50}, context=ctx)


def test_null_value_only_when_no_number_is_written(good_brief, seed_text):
    good_brief["metrics"][0]["value"] = None
    assert "value is null" in errors_of(good_brief, seed_text)
    good_brief["metrics"][0] |= {
        "as_written": "triple-digit percentage rate",
        "qualifier": "more_than",
        "evidence": "Within that segment, income specifically linked to AI products and services is expanding "
        "at a triple-digit percentage rate.",
    }
    assert validate(good_brief, seed_text).metrics[0].value is None


def test_value_high_only_with_range(good_brief, seed_text):
    good_brief["metrics"][0]["value_high"] = 40
    assert "value_high is set exactly when qualifier is 'range'" in errors_of(good_brief, seed_text)
    good_brief["metrics"][0] |= {
        "value": 30,
        "value_high": 40,
        "qualifier": "range",
        "as_written": "30 to 40 percent",
        "evidence": "The consensus average price target stands near $205, implying additional upside potential "
        "of 30 to 40 percent from current levels.",
    }
    assert validate(good_brief, seed_text).metrics[0].value_high == 40
    good_brief["metrics"][0]["value_high"] = None
    assert "value_high is set exactly" in errors_of(good_brief, seed_text)


def test_currency_code_only_with_currency_units(good_brief, seed_text):
    good_brief["metrics"][0]["currency"] = "USD"
    assert "currency is an ISO code when unit is currency" in errors_of(good_brief, seed_text)
    good_brief["metrics"][0] |= {
        "value": 155.74,
        "unit": "currency_per_share",
        "currency": None,
        "as_written": "$155.74",
        "evidence": "On Friday, Alibaba's equity surged 6.39%, closing at $155.74 per share.",
    }
    assert "currency is an ISO code" in errors_of(good_brief, seed_text)
    good_brief["metrics"][0]["currency"] = "usd"
    assert "string_pattern_mismatch" in errors_of(good_brief, seed_text)
    good_brief["metrics"][0]["currency"] = "USD"
    assert validate(good_brief, seed_text).metrics[0].currency == "USD"


def test_catalyst_windows_must_not_end_before_published(good_brief, seed_text):
    good_brief["catalysts"][0] |= {"window_start": "2025-02-01", "window_end": "2025-02-28"}
    assert "before the article's date 2026-01-04" in errors_of(good_brief, seed_text)
    # Without a published date (argument or brief) there is nothing to compare with.
    good_brief["published"] = None
    assert validate(good_brief, seed_text, published=None).catalysts[0].window_start == date(2025, 2, 1)


def test_catalyst_window_ends_come_together_and_in_order(good_brief, seed_text):
    good_brief["catalysts"][0]["window_end"] = None
    assert "set both window_start and window_end" in errors_of(good_brief, seed_text)
    good_brief["catalysts"][0] |= {"window_start": "2026-03-01", "window_end": "2026-02-01"}
    assert "window_start is after window_end" in errors_of(good_brief, seed_text)


def test_catalyst_date_text_must_be_in_its_evidence(good_brief, seed_text):
    good_brief["catalysts"][0]["date_text"] = "in March"
    assert "date_text 'in March' does not appear" in errors_of(good_brief, seed_text)


def test_thesis_is_at_most_sixty_words(good_brief, seed_text):
    good_brief["thesis"] = " ".join(["word"] * 61)
    assert "thesis has 61 words" in errors_of(good_brief, seed_text)
    good_brief["thesis"] = " ".join(["word"] * 60)
    validate(good_brief, seed_text)


def test_isin_must_be_printed_in_the_article(good_brief, seed_text):
    good_brief["company"]["isin"] = "US0378331005"
    assert "is not printed in the article" in errors_of(good_brief, seed_text)


def test_unknown_fields_and_enum_values_are_rejected(good_brief, seed_text):
    good_brief["metrics"][0]["certainty"] = 0.9
    good_brief["stance"] = "bullish"
    msg = errors_of(good_brief, seed_text)
    assert "extra_forbidden" in msg
    assert "stance" in msg


@pytest.mark.parametrize("name", ["brief", "brief_draft"])
def test_schema_snapshots_are_current(name):
    """The brief's schema is the contract and the draft's is sent to the model as the tool definition:
    a change to either shows up here, and in review, on purpose. Regenerate with `make schema`."""
    from summarizer.strategies.single import BriefDraft

    model = {"brief": Brief, "brief_draft": BriefDraft}[name]
    snapshot = SNAPSHOT.parent / f"{name}.schema.json"
    assert json.loads(snapshot.read_text()) == model.model_json_schema()


def test_gold_editor_schema_is_the_brief_schema():
    editor = SNAPSHOT.parent.parent.parent / "evals" / "gold" / "brief.schema.json"
    assert json.loads(editor.read_text()) == Brief.model_json_schema()


@pytest.mark.parametrize(
    ("period", "start", "end", "error"),
    [
        ("2025", "2025-01-01", "2025-12-31", None),
        ("latest quarter", None, None, None),
        ("2025", "2025-01-01", None, "set both period_start and period_end"),
        ("2025", "2025-12-31", "2025-01-01", "period_start is after period_end"),
        (None, "2025-01-01", "2025-12-31", "null when period is null"),
    ],
)
def test_a_period_window_is_whole_ordered_and_resolves_a_period(good_brief, period, start, end, error):
    good_brief["metrics"][0] |= {"period": period, "period_start": start, "period_end": end}
    if error is None:
        m = Brief.model_validate(good_brief).metrics[0]
        assert (m.period_start, m.period_end) == (
            date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None
        )  # fmt: skip
    else:
        with pytest.raises(ValidationError, match=error):
            Brief.model_validate(good_brief)


@pytest.mark.parametrize("confidence", [-0.1, 1.5])
def test_a_confidence_is_a_probability(good_brief, confidence):
    good_brief["risks"][0]["confidence"] = confidence
    with pytest.raises(ValidationError, match="confidence"):
        Brief.model_validate(good_brief)


def test_confidence_and_review_default_to_unknown_and_unflagged(good_brief):
    b = Brief.model_validate(good_brief)
    assert (b.stance_confidence, b.stance_review) == (None, False)
    assert all(x.confidence is None and not x.review for x in (*b.metrics, *b.risks, *b.catalysts))
