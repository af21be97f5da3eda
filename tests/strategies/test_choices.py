"""The choices strategy's logic against an in-process fake model (the answers are test doubles): the
grounded questions by reference, the stance as a choice read from token probabilities, and every
item's confidence and review flag. The machinery it shares with the grounded strategy (retries,
salvage, more room) is tested on both in `test_grounded.py`."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from summarizer.finding import find
from summarizer.schema import Brief
from summarizer.strategies.grounded.answers import STANCES
from summarizer.strategies.grounded.questions import Part, questions, task_variables

from ..scripted_server import Reply
from .conftest import assert_one_prefix_then_a_choice, assert_seed_brief
from .test_grounded import _answer as grounded_answer
from .test_grounded import _labels as grounded_labels
from .test_grounded import _run as grounded_run


def _answer(found, **given: Any) -> dict[str, Any]:
    return grounded_answer(found, strategy="choices", **given)


def _labels(found, skip: int | None = None) -> dict[str, Any]:
    return grounded_labels(found, skip, strategy="choices")


def _run(seed_text, replies):
    return grounded_run(seed_text, replies, strategy="choices")


def test_three_questions_give_a_brief_whose_decisions_carry_their_confidence(seed_text, found):
    risky = found.risk_sentences[-1]
    answer = _answer(found, risks={risky: "execution"}, events={"in February": "quarterly results"})
    s, _ = _run(seed_text, [Reply(answer), Reply(_labels(found))])
    brief = s.brief
    assert isinstance(brief, Brief) and s.run.strategy == "choices" and s.run.attempts == 3
    # Summed over the three calls: the brief, the stance (one token), the figures.
    assert s.run.prompt_tokens == 300 and s.run.completion_tokens == 101
    # The stance is the option the first token's probabilities favour, with its probability.
    # (the fake's alternatives: positive -0.2, mixed -2.0, negative -3.5, neutral -4.0, "The" -5.0)
    expected = math.exp(-0.2) / sum(math.exp(x) for x in (-0.2, -2.0, -3.5, -4.0))
    assert brief.stance == "positive" and brief.stance_confidence == pytest.approx(expected, abs=1e-4)
    assert brief.stance_review is False
    assert all(x.confidence is not None for x in (*brief.metrics, *brief.risks, *brief.catalysts))
    assert_seed_brief(brief, found, risky)


def test_every_question_starts_with_the_same_system_message_so_the_article_is_read_once(seed_text, found):
    _, srv = _run(seed_text, [Reply(_answer(found)), Reply(_labels(found))])
    assert_one_prefix_then_a_choice(srv.requests, found)
    assert "one word: positive, negative, mixed or neutral" in srv.requests[1]["messages"][1]["content"]


def test_a_figure_is_asked_its_kind_only_where_no_cue_speaks_for_it():
    text = "Acme Corp has 42 offices in Europe. Its revenue rose 10% to $5 billion in 2025, the company said."
    found = find(text, date(2026, 1, 4))
    qs = questions(found, Part(0, len(found.sentences)), choices=True)
    assert [q.task for q in qs] == ["brief", "stance", "figures"] and qs[1].options == STANCES
    schema = qs[2].model.model_json_schema()
    asked = set(task_variables(found)["kind_ids"])
    assert asked == {1} and len(found.figures) == 3  # "42 offices": no cue speaks for it
    for i in range(1, len(found.figures) + 1):
        fields = schema["$defs"][schema["properties"][f"F{i}"]["$ref"].split("/")[-1]]["properties"]
        assert ("kind" in fields) == (i in asked) and "period" not in fields  # code reads every period


def test_a_name_does_not_repeat_the_unit_code_read(seed_text, found):
    labels = _labels(found)
    target = next(i for i, f in enumerate(found.figures, 1) if f.unit == "currency_per_share")
    labels[f"F{target}"]["name"] = "Price target (currency_per_share USD)"
    s, _ = _run(seed_text, [Reply(_answer(found)), Reply(labels)])
    assert s.brief.metrics[target - 1].name == "price target"
