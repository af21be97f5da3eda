"""Fixtures shared by the strategies' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from summarizer.finding import find


@pytest.fixture
def found(seed_text):
    """What code finds in the seed article."""
    return find(seed_text, date(2026, 1, 4))


def assert_seed_brief(brief: Any, found: Any, risky: int) -> None:
    """The seed's brief as both grounded strategies assemble it from the scripted answers (every
    figure named "Figure Number i", the risk in sentence `risky` of category execution, "in February"
    dating quarterly results): numbers and quotes from code, tags out of the thesis."""
    # Numbers come from code: the seed's figures, exactly as its gold label reads them.
    values = [(m.value, m.value_high, m.unit) for m in brief.metrics]
    assert (34.0, None, "percent") in values and (50e9, None, "currency") in values
    assert (30.0, 40.0, "percent") in values and (155.74, None, "currency_per_share") in values
    assert [m.name for m in brief.metrics][:2] == ["figure number 1", "figure number 2"]  # lowercased
    for m in brief.metrics:
        assert m.as_written in m.evidence and m.evidence in found.sentences
    (cat,) = brief.catalysts  # a null event is no catalyst
    assert (cat.event, cat.date_text, str(cat.window_start), str(cat.window_end)) == (
        "quarterly results", "in February", "2026-02-01", "2026-02-28",
    )  # fmt: skip
    assert "in February" in cat.evidence
    (risk,) = brief.risks  # category "none" is no risk
    assert risk.evidence == found.sentences[risky] and risk.category == "execution"
    assert brief.thesis.endswith("grew 34%.")  # tags are not part of the thesis


def assert_one_prefix_then_a_choice(requests: list[dict[str, Any]], found: Any) -> list[dict[str, Any]]:
    """The three requests of the seed's brief: one system message (the tagged article, boilerplate
    left out), the stance as a one-token choice second, the figures schema with one required key per
    tag. Returns the two tool definitions."""
    systems = {r["messages"][0]["content"] for r in requests}
    assert len(requests) == 3 and len(systems) == 1
    system = next(iter(systems))
    assert "[13] " in system and "600 million [F3]" in system and "in February [T" in system
    assert "Buy or Sell" not in system  # boilerplate is not shown
    choice = requests[1]  # the stance: one generated token with its alternatives' probabilities, no tool
    assert "tools" not in choice and choice["max_tokens"] == 1 and choice["logprobs"] is True
    tools = [r["tools"][0]["function"] for r in requests if "tools" in r]
    assert [t["name"] for t in tools] == ["BriefAnswer", "FigureLabels"]
    # One required key per tag: the model has to consider every candidate.
    keys = [f"F{i}" for i in range(1, len(found.figures) + 1)]
    assert list(tools[1]["parameters"]["properties"]) == keys
    assert sorted(tools[1]["parameters"]["required"]) == sorted(keys)
    return tools
