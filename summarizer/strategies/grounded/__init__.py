"""The grounded strategy: code finds, the model decides, code checks and assembles.

Code splits the sentences, skips boilerplate and finds
- every figure (value, range, qualifier, unit, currency, exact span),
- every time expression that can lie ahead of the publication date, with its window,
- the sentences that may state a risk (a lexicon of trouble: "competition", "probe", "could", ...)

(all in `summarizer.finding`).

The article goes to the model as numbered sentences with each of them tagged in place ("600 million
[F3] downloads", "in February [T2]", "[29] [R4] This report must demonstrate ..."), and the model
answers these questions, each in its own call:

1. brief: the company (name and ticker) and thesis; for each T tag, the event it dates (or null);
2. stance: one word, read from the answer's token probabilities (`ModelClient.choose`), with its
   confidence where the endpoint gives probabilities (asked in words where it gives none);
3. risk, once per R tag, its sentence quoted: the risk's category (or "none") and the risk in one
   line;
4. figures: for each F tag, what the figure measures (its name), and its kind only where no cue of
   code speaks for it.

The model writes only what code cannot read: values, units, quotes, periods, windows and ISINs are
code's, never asked for nor echoed. Each metric, risk and catalyst then gets a confidence from the
signals it was decided on, measured on the gold set, and a review flag (`confidence`).

Every request of a brief starts with the same bytes: one system message (instructions, then the
tagged article); its question is the last message. The answer's JSON schema constrains decoding only
(`response_format` with a JSON schema, which llama.cpp, vLLM and OpenAI turn into a grammar or
structured output), with one required key per tag (F1, F2, ...), so the model considers every
candidate; nothing of it is added to the prompt. A server with a prompt cache therefore reads the
article once per brief, and each question costs its own tokens; a choice costs its question and one
generated token. Evidence is the untouched sentence and numbers come from the text, so quotes are
verbatim and values exact by construction; the assembled Brief is validated as always.

Modules: `plan` (parts and token budget), `questions` (the tagged article and each call's
variables), `answers` (the answer schemas, and answers collected by tag), `thesis` (checks and
cleaning of the model's prose), `assemble` (the brief from findings and answers); this module runs
the calls: per-question retries, salvage of a thesis, more room for a cut-off answer, the merge.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from ...calibration import find_table
from ...errors import EmptyInputError, ExtractionError, FailedAttemptInfo, Usage
from ...finding import Findings, check_article, find, printed_values
from ...learning import load_decisions
from ...model import ModelClient, completion_text
from ...prompts import load_prompt
from ...schema import Brief
from ...text import normalize_ws
from .. import Request, Strategy, register
from .answers import RESPONSE_MODELS, Answers, ThesisAnswer
from .assemble import assemble
from .candidates import candidates
from .plan import Plan, plan
from .thesis import salvage_thesis

log = logging.getLogger("summarizer")

PROMPT = "grounded"


class Grounded(Strategy):
    """Code finds, the model decides by reference, code checks and assembles."""

    name = "grounded"
    default_prompt = PROMPT
    mode = "json_schema"  # the schema constrains decoding; the questions say what to write

    def version(self, prompt: str | None = None) -> str:
        return load_prompt(prompt or self.default_prompt).version(*RESPONSE_MODELS)

    def prepare(self, request: Request) -> Plan:
        if not isinstance(request.text, str) or not request.text.strip():
            raise EmptyInputError("the article text is empty or whitespace only: there is nothing to summarize")
        found = asked(request.text, request.published)
        check_article(found)
        the_plan = plan(found, request)
        log.info(
            "asking %s about %s%s, %s and %s found in the article",
            request.endpoint.model, _count(len(found.sentences), "sentence"),
            f" in {len(the_plan.parts)} parts" if len(the_plan.parts) > 1 else "",
            _count(len(found.figures), "figure"), _count(len(found.timings), "timing"),
        )  # fmt: skip
        return the_plan

    async def brief(self, plan: Plan, model: ModelClient) -> Brief:
        request = plan.request
        context = answer_context(plan)
        answers = Answers()
        name = "brief"
        try:
            for part in plan.parts:
                for q, messages in zip(part.questions, part.messages, strict=True):
                    name = q.task
                    if q.options:
                        answers.add(await model.choose(messages, q.options))
                    else:
                        answers.add(await _ask(model, q.model, messages, context, request, name, self.mode), q.tag)
            if len(plan.parts) > 1:
                # One thesis for the whole: from the parts' theses, asked after the last part (its prefix is cached).
                name = "thesis"
                messages = thesis_messages(plan, answers)
                answers.add(await _ask(model, ThesisAnswer, messages, context, request, name, self.mode))
        except Exception as exc:
            translated = model.translate(exc)
            if isinstance(translated, ExtractionError):
                raise ExtractionError(
                    f"{name} question: {translated} (after {model.completions} completion(s))",
                    attempts=model.completions,
                    usage=model.usage,
                    failures=translated.failures,
                ) from exc
            raise
        return finish(plan, answers, self.name, attempts=model.completions, usage=model.usage)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def asked(text: str, published: date | None) -> Findings:
    """What code finds in an article, with the sentences the model is asked about as risks and
    catalysts chosen by the learned decisions in use (`learning.load_decisions`)."""
    return candidates(find(text, published), load_decisions())


def answer_context(plan: Plan) -> dict[str, Any]:
    """The validation context of every answer of a brief: the thesis may only state figures the
    article prints (injected paragraphs excluded)."""
    request = plan.request
    return {"article": request.text, "published": request.published, "printed": printed_values(plan.found)}


def thesis_messages(plan: Plan, answers: Answers) -> list[dict[str, str]]:
    """The question for one thesis of a document read in parts, from the parts' theses (asked after
    the last part, whose prefix it shares)."""
    request = plan.request
    theses = "\n".join(f"Part {i}: {o.thesis}" for i, o in enumerate(answers.overviews, 1))  # type: ignore[attr-defined]
    return load_prompt(request.prompt).messages(
        task="thesis", published=request.published, title=request.title, theses=theses,
        **plan.parts[-1].questions[0].variables,
    )  # fmt: skip


def finish(plan: Plan, answers: Answers, strategy: str, *, attempts: int, usage: Usage) -> Brief:
    """The brief assembled from every answer and validated; an ExtractionError when it breaks the rules."""
    request = plan.request
    table = find_table(strategy, GROUNDED.version(request.prompt), request.endpoint.model)
    data = assemble(plan.found, answers, request.published, request.title, table=table)
    try:
        return Brief.model_validate(data, context={"article": request.text, "published": request.published})
    except ValidationError as exc:
        raise ExtractionError(
            f"the assembled brief broke the rules: {normalize_ws(str(exc))[:400]}",
            attempts=attempts,
            usage=usage,
            failures=[FailedAttemptInfo(attempt=attempts, error=str(exc), completion=json.dumps(data, default=str))],
        ) from exc


async def _ask(
    model: ModelClient,
    response_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: dict[str, Any],
    request: Request,
    name: str,
    mode: str,
) -> BaseModel:
    """One question, its rule-breaking answers sent back by instructor; an answer cut off at max_tokens
    asked again with twice the room (while the context allows); a thesis stating a figure the article
    does not print, on every attempt, cut to the clauses it can stand by."""
    room = request.max_tokens
    for attempt in range(1, request.max_attempts + 1):
        try:
            return await model.create(
                response_model, messages, max_retries=request.max_attempts - 1, max_tokens=room, context=context,
                mode=mode,
            )  # fmt: skip
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, (openai.APIError, IncompleteOutputException)):
                raise
            kept = salvage_thesis(response_model, completion_text(exc.last_completion), context)
            if kept is None:
                raise
            log.info("the %s answer's thesis stated a figure the article does not print; that clause is cut", name)
            return kept
        except IncompleteOutputException:
            limit = (request.endpoint.context_tokens or 4 * request.max_tokens) // 2
            if attempt == request.max_attempts or room >= limit:
                raise
            room = min(2 * room, limit)
            log.info("the %s answer was cut off at max_tokens; asking again with %d", name, room)
    raise AssertionError("unreachable: the last attempt returns or raises")


GROUNDED = register(Grounded())

__all__ = ["GROUNDED", "PROMPT", "Findings", "Grounded", "answer_context", "asked", "finish", "thesis_messages"]
