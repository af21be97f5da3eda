"""Fixtures shared by the strategies' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from summarizer.strategies.grounded import asked
from summarizer.strategies.grounded.questions import task_variables

from ..scripted_server import Reply


@pytest.fixture
def found(seed_text):
    """What code finds in the seed article, with the sentences the learned decisions pick as risks
    and catalysts: what the grounded strategy asks about."""
    return asked(seed_text, date(2026, 1, 4))


THESIS = "Alibaba is being re-rated as an AI-infrastructure company: cloud revenue grew 34% [F1]."


def brief_answer(found: Any, events: dict[str, str] | None = None) -> dict[str, Any]:
    """The brief answer: the company, the thesis, every T tag answered (`events` maps a timing's text
    to its event; others null)."""
    events = events or {}
    answer: dict[str, Any] = {"company": {"name": "Alibaba Group", "ticker": "BABA"}, "thesis": THESIS}
    if found.timings:
        answer["catalysts"] = {f"T{i}": events.get(t.text) for i, t in enumerate(found.timings, 1)}
    return answer


def risk_replies(found: Any, risks: dict[int, str] | None = None) -> list[Reply]:
    """The answers to the risk questions, one per R tag in order: `risks` maps a sentence index to a
    category (others none)."""
    risks = risks or {}
    return [
        Reply({"category": risks.get(s, "none"), "risk": f"risk in sentence {s + 1}" if s in risks else ""})
        for s in found.risk_sentences
    ]


def figure_labels(found: Any, skip: int | None = None) -> dict[str, Any]:
    """Every figure named "Figure Number i" (but `skip`), its kind only where asked (no cue speaks)."""
    asked = set(task_variables(found)["kind_ids"])
    return {
        f"F{i}": {"name": f"Figure Number {i}"} | ({"kind": "reported"} if i in asked else {})
        for i in range(1, len(found.figures) + 1)
        if i != skip
    }


def seed_replies(
    found: Any,
    *,
    answer: dict[str, Any] | None = None,
    risks: dict[int, str] | None = None,
    labels: dict[str, Any] | None = None,
) -> list[Reply]:
    """The scripted answers of one brief of the seed, in the order asked (the stance is a choice,
    answered apart): the brief, each risk, the figures."""
    return [Reply(answer or brief_answer(found)), *risk_replies(found, risks), Reply(labels or figure_labels(found))]


def assert_seed_brief(brief: Any, found: Any, risky: int) -> None:
    """The seed's brief as both grounded strategies assemble it from the scripted answers (every
    figure named "Figure Number i", the risk in sentence `risky` of category execution, "in February"
    dating quarterly results): numbers and quotes from code, tags out of the thesis."""
    # Numbers come from code: the seed's figures, exactly as its gold label reads them.
    values = [(m.value, m.value_high, m.unit) for m in brief.metrics]
    assert (34.0, None, "percent") in values and (50e9, None, "currency") in values
    assert (30.0, 40.0, "percent") in values and (155.74, None, "currency_per_share") in values
    # The model's name, lowercased, where its clause names no measure ("figure number 2"); the clause's
    # name where it does and the model's words are not in it ("34% year-over-year revenue increase").
    assert [m.name for m in brief.metrics][:2] == ["year-over-year revenue growth", "figure number 2"]
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


def assert_one_prefix_then_questions(requests: list[dict[str, Any]], found: Any) -> list[dict[str, Any]]:
    """The requests of the seed's brief: one system message (the tagged article, boilerplate left
    out) and the question last; the stance as a one-token choice second; then one risk question per R
    tag and the figures, whose schema has one required key per tag. No tools: each answer's schema is
    a `response_format` only. Returns the schemas asked for."""
    systems = {r["messages"][0]["content"] for r in requests}
    assert len(requests) == 3 + len(found.risk_sentences) and len(systems) == 1
    assert all(len(r["messages"]) == 2 and r["messages"][1]["role"] == "user" for r in requests)
    system = next(iter(systems))
    assert "[13] " in system and "600 million [F3]" in system and "in February [T" in system
    assert "Buy or Sell" not in system  # boilerplate is not shown
    assert all("tools" not in r for r in requests)
    choice = requests[1]  # the stance: one generated token with its alternatives' probabilities
    assert "response_format" not in choice and choice["max_tokens"] == 1 and choice["logprobs"] is True
    schemas = [r["response_format"]["json_schema"] for r in requests if "response_format" in r]
    names = ["BriefAnswer", *["RiskCall"] * len(found.risk_sentences), "FigureLabels"]
    assert [s["name"] for s in schemas] == names
    # One required key per tag: the model has to consider every candidate.
    keys = [f"F{i}" for i in range(1, len(found.figures) + 1)]
    assert list(schemas[-1]["schema"]["properties"]) == keys
    assert sorted(schemas[-1]["schema"]["required"]) == sorted(keys)
    return schemas
