"""The Markdown brief: values as an editor writes them, quotes with their figure in bold."""

from __future__ import annotations

import copy

from summarizer import Brief
from summarizer.render import to_markdown

from .conftest import GOOD_BRIEF, GOOD_METRIC

BUDGET = "The company has earmarked an investment budget exceeding $50 billion for the expansion of its cloud and AI infrastructure over the coming years."
UPSIDE = "The consensus average price target stands near $205, implying additional upside potential of 30 to 40 percent from current levels."


def _brief(*metrics: dict) -> Brief:
    data = copy.deepcopy(GOOD_BRIEF)
    data["metrics"] = [GOOD_METRIC | m for m in metrics]
    return Brief.model_validate(data)


def test_large_values_are_written_with_their_scale_word():
    md = to_markdown(
        _brief(
            {"value": 5e10, "qualifier": "more_than", "unit": "currency", "currency": "USD",
             "as_written": "exceeding $50 billion", "evidence": BUDGET},
            {"value": 1.35e11, "value_high": 1.4e11, "qualifier": "range", "unit": "currency", "currency": "INR",
             "as_written": "Rs 13,500-14,000 crore", "evidence": "It expects revenue of Rs 13,500-14,000 crore."},
            {"value": 2.28e6, "qualifier": "approximately", "unit": "count", "as_written": "approximately 2.28 million",
             "evidence": "Filings reveal the issuance of approximately 2.28 million RSUs."},
        )
    )  # fmt: skip
    assert "| more than 50 billion USD |" in md
    assert "| 135 billion–140 billion INR |" in md
    assert "| about 2.28 million |" in md
    assert "**exceeding $50 billion**" in md


def test_small_values_and_percent_ranges_keep_their_digits():
    md = to_markdown(
        _brief(
            {},
            {"value": 30, "value_high": 40, "qualifier": "range", "as_written": "30 to 40 percent", "evidence": UPSIDE},
            {"value": 205, "qualifier": "approximately", "unit": "currency_per_share", "currency": "USD",
             "as_written": "near $205", "evidence": UPSIDE},
        )
    )  # fmt: skip
    assert "| 34% |" in md and "| 30–40% |" in md and "| about 205 USD/share |" in md


def test_items_flagged_for_review_are_listed_first_least_sure_first(good_brief):
    from summarizer.render import to_check, to_markdown
    from summarizer.schema import Brief

    good_brief["metrics"][0] |= {"confidence": 0.62, "review": True}
    good_brief["risks"][0] |= {"confidence": 0.4, "review": True}
    good_brief |= {"stance_confidence": 0.97, "stance_review": False}
    brief = Brief.model_validate(good_brief)
    assert to_check(brief) == [
        "risk: Cloud growth may prove unsustainable. (40% sure)",
        "figure 34% (cloud division revenue growth, year over year, reported) (62% sure)",
    ]
    md = to_markdown(brief)
    assert md.index("**Check first:**") < md.index("## Figures")
    assert "Check first" not in to_markdown(Brief.model_validate({**good_brief, "metrics": [], "risks": []}))
