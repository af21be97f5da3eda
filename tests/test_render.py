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


def _check(confidence: float | None, review: bool, basis: str = "") -> dict:
    return {"confidence": confidence, "review": review, "basis": basis}


def test_each_item_says_which_field_to_check_and_a_trusted_item_is_done(good_brief):
    from summarizer.render import to_check

    trusted = {f: _check(0.97, False) for f in ("figure", "name", "kind", "period")}
    doubtful = trusted | {"kind": _check(0.62, True, "model:reported"), "name": _check(0.4, True, "own")}
    good_brief["metrics"] = [
        good_brief["metrics"][0] | {"checks": doubtful, "confidence": 0.23, "review": True},
        good_brief["metrics"][0] | {"as_written": "year-over-year", "value": None, "checks": trusted,
                                    "confidence": 0.89, "review": False},
    ][:1]  # fmt: skip
    good_brief["risks"][0] |= {
        "checks": {"risk": _check(0.91, False), "category": _check(0.3, True, "category:macro")},
        "review": True,
    }
    good_brief |= {"calibration": "grounded abc model, fitted on evals/gold (33 articles)"}
    brief = Brief.model_validate(good_brief)
    assert to_check(brief) == [
        "risk: Cloud growth may prove unsustainable.: category? 30%",
        "figure 34% (cloud division revenue growth, year over year, reported): name? 40%, kind? 62%",
    ]
    md = to_markdown(brief)
    assert "| name? 40%, kind? 62% |" in md and "[category? 30%]" in md
    good_brief["metrics"][0] |= {"checks": trusted, "confidence": 0.89, "review": False}
    md = to_markdown(Brief.model_validate(good_brief))
    assert "| reported | latest quarter | ✓ |" in md, md


def test_an_uncalibrated_brief_says_so_instead_of_listing_every_item(good_brief):
    unknown = {f: _check(None, True) for f in ("figure", "name", "kind", "period")}
    good_brief["metrics"][0] |= {"checks": unknown, "review": True}
    md = to_markdown(Brief.model_validate(good_brief | {"calibration": None}))
    assert "Uncalibrated" in md and "summarizer calibrate" in md and "Check first" not in md
    assert "| figure? , kind? , name? , period? |" not in md and "figure?, kind?, name?, period?" in md


def test_the_catalysts_of_an_article_without_a_date_are_said_to_need_a_check(good_brief):
    assert good_brief["catalysts"]
    dated = to_markdown(Brief.model_validate(good_brief))
    assert "no publication date" not in dated
    undated = to_markdown(Brief.model_validate(good_brief | {"published": None}))
    assert "The article has no publication date: nothing shows these lie ahead of it" in undated
