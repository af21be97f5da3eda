"""The plan of one brief: the article in parts that fit the model's context, each part's questions
with their messages. An article longer than the context is read in parts; a part whose questions
still do not fit is refused before any call."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import InputTooLongError
from ...finding import Findings
from ...prompts import load_prompt
from .. import CHARS_PER_TOKEN, Request, estimated_tokens
from .questions import Part, Question, plan_parts, questions

# Room the grounded prompt needs beside the article: instructions, question, answer.
OVERHEAD_TOKENS = 1600
MIN_PART_CHARS = 2000


@dataclass
class PartPlan:
    part: Part
    questions: list[Question]
    messages: list[list[dict[str, str]]]


@dataclass
class Plan:
    request: Request
    found: Findings
    parts: list[PartPlan]


def plan(found: Findings, request: Request) -> Plan:
    """The parts of the article and each part's questions with their messages."""
    endpoint, max_tokens = request.endpoint, request.max_tokens
    template = load_prompt(request.prompt)
    budget = None
    if endpoint.context_tokens:
        budget = int((endpoint.context_tokens - max_tokens - OVERHEAD_TOKENS) * CHARS_PER_TOKEN)
        if budget < MIN_PART_CHARS:
            raise InputTooLongError(
                f"the model's context ({endpoint.context_tokens} tokens) leaves no room for an article beside "
                f"the prompt and {max_tokens} tokens of answer",
                estimated_tokens=0,
                context_tokens=endpoint.context_tokens,
            )
    while True:
        parts, worst = [], 0
        for part in plan_parts(found, budget):
            qs = questions(found, part)
            msgs = [
                template.messages(task=q.task, published=request.published, title=request.title, **q.variables)
                for q in qs
            ]
            for q, ms in zip(qs, msgs, strict=True):
                worst = max(worst, estimated_tokens(ms, q.model.model_json_schema(), max_tokens))
            parts.append(PartPlan(part, qs, msgs))
        if not endpoint.context_tokens or worst <= endpoint.context_tokens:
            return Plan(request, found, parts)
        if budget is None or budget <= MIN_PART_CHARS:
            raise InputTooLongError(
                f"the article is too long for the model's context: about {worst} tokens with the "
                f"prompt and room for the answer, the context holds {endpoint.context_tokens}",
                estimated_tokens=worst,
                context_tokens=endpoint.context_tokens,
            )
        budget = max(MIN_PART_CHARS, int(budget * 0.8))  # a part's questions did not fit: smaller parts
