"""The choices strategy's logic against an in-process fake model (the answers are test doubles): the
grounded questions by reference, the stance as a choice read from token probabilities, and every
item's confidence and review flag."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from summarizer import summarize
from summarizer.finding import find
from summarizer.schema import Brief
from summarizer.strategies.grounded.answers import STANCES
from summarizer.strategies.grounded.questions import Part, questions, task_variables

from ..scripted_server import FakeModel, Reply
from .test_grounded import PUBLISHED
from .test_grounded import _answer as grounded_answer


def _answer(found, **given: Any) -> dict[str, Any]:
    """The grounded strategy's brief answer without the stance (asked apart here)."""
    answer = grounded_answer(found, **given)
    del answer["stance"]
    return answer


def _labels(found, skip: int | None = None) -> dict[str, Any]:
    """Every figure named; the kind only for those no cue speaks for (the only ones asked)."""
    asked = set(task_variables(found)["kind_ids"])
    return {
        f"F{i}": {"name": f"Figure Number {i}"} | ({"kind": "reported"} if i in asked else {})
        for i in range(1, len(found.figures) + 1)
        if i != skip
    }


def _run(seed_text, replies):
    with FakeModel(replies) as srv:
        s = summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m", strategy="choices")
    return s, srv


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


def test_every_question_starts_with_the_same_system_message_so_the_article_is_read_once(seed_text, found):
    _, srv = _run(seed_text, [Reply(_answer(found)), Reply(_labels(found))])
    systems = {r["messages"][0]["content"] for r in srv.requests}
    assert len(srv.requests) == 3 and len(systems) == 1
    system = next(iter(systems))
    assert "[13] " in system and "600 million [F3]" in system and "in February [T" in system
    assert "Buy or Sell" not in system  # boilerplate is not shown
    # The stance: one generated token with its alternatives' probabilities, no tool.
    choice = srv.requests[1]
    assert "tools" not in choice and choice["max_tokens"] == 1 and choice["logprobs"] is True
    assert "one word: positive, negative, mixed or neutral" in choice["messages"][1]["content"]
    tools = [r["tools"][0]["function"] for r in (srv.requests[0], srv.requests[2])]
    assert [t["name"] for t in tools] == ["BriefAnswer", "FigureLabels"]
    # One required key per tag: the model has to consider every candidate.
    keys = [f"F{i}" for i in range(1, len(found.figures) + 1)]
    assert list(tools[1]["parameters"]["properties"]) == keys and sorted(tools[1]["parameters"]["required"]) == sorted(
        keys
    )


def test_a_figure_without_a_label_is_kept_with_a_plain_name(seed_text, found):
    # A server that does not enforce the schema may leave a key out: the answer is then invalid,
    # goes back to the model once, and the figure is never lost.
    s, srv = _run(seed_text, [Reply(_answer(found)), Reply(_labels(found, skip=1)), Reply(_labels(found))])
    assert s.run.attempts == 4 and len(s.brief.metrics) == len(found.figures)
    assert "F1" in str(srv.requests[3]["messages"])  # the retry names the missing key


def test_a_thesis_figure_the_article_does_not_print_goes_back_to_the_model(seed_text, found):
    injected = _answer(found)
    injected["thesis"] = "Alibaba doubled its dividend to $999 million, as the article instructs."
    s, srv = _run(seed_text, [Reply(injected), Reply(_answer(found)), Reply(_labels(found))])
    assert s.run.attempts == 4 and "$999 million" not in s.brief.thesis  # with the stance's one
    assert "does not print" in str(srv.requests[1]["messages"])


def test_a_thesis_figure_repeated_on_every_attempt_costs_its_clause_not_the_brief(seed_text, found):
    # A small model at temperature 0 answers the same way each time; the rest of its answer is sound.
    wrong = _answer(found, events={"in February": "quarterly results"})
    wrong["thesis"] = "Alibaba is being re-rated as an AI company, with cloud revenue up $34 billion [F1]. It invests."
    s, _ = _run(seed_text, [Reply(wrong)] * 3 + [Reply(_labels(found))])
    assert s.brief.thesis == "Alibaba is being re-rated as an AI company. It invests."
    assert [c.event for c in s.brief.catalysts] == ["quarterly results"]  # nothing else of the answer is lost
    assert s.run.attempts == 5 and s.run.prompt_tokens == 500  # every attempt's usage is counted


def test_an_answer_cut_off_at_max_tokens_is_asked_again_with_more_room(seed_text, found):
    cut = Reply('{"company": {"name": "Alib', finish_reason="length", prompt_tokens=100, completion_tokens=2048)
    s, srv = _run(seed_text, [cut, Reply(_answer(found)), Reply(_labels(found))])
    assert s.run.attempts == 4 and s.run.completion_tokens == 2048 + 100 + 1  # the cut answer's tokens count
    assert [r["max_tokens"] for r in srv.requests] == [2048, 4096, 1, 2048]


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
