"""`summarize()` and `asummarize()`: one article in, one validated brief and the run's facts out.

Every backend goes through the `openai` client and `instructor`. With no endpoint configured,
the embedded llama.cpp server is started (see `local.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
import time
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from . import grounded, local
from ._text import normalize_ws, plain_text
from .draft import BriefDraft, numbered, split_sentences
from .errors import (
    ConfigurationError,
    EmptyInputError,
    EndpointError,
    ExtractionError,
    FailedAttemptInfo,
    InputTooLongError,
    Usage,
)
from .prompts import load_prompt
from .schema import Brief

log = logging.getLogger("summarizer")

ModeName = Literal["tools", "json"]
_MODES: dict[str, instructor.Mode] = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON}
DEFAULT_PROMPT = "brief"
# "grounded": code finds figures and dates, the model answers four small questions by reference
# (grounded.py). "single": one call for the whole brief (draft.py). The eval harness compares them.
STRATEGIES = ("grounded", "single")
DEFAULT_STRATEGY = "grounded"
PROMPTS = {"grounded": grounded.PROMPT, "single": DEFAULT_PROMPT}  # each strategy's default prompt folder
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_MAX_TOKENS = 2048
# Connection errors, timeouts, 408/409/429 and 5xx are retried by the openai client with exponential
# backoff (0.5 s doubling, at most 8 s; a Retry-After of up to 60 s is honoured).
DEFAULT_HTTP_RETRIES = 2
# A conservative characters-per-token ratio for the context pre-check (English news runs ~4).
_CHARS_PER_TOKEN = 3.0


class RunInfo(BaseModel):
    """The facts of one summarizer call."""

    model: str
    endpoint: str
    mode: str
    strategy: str = "single"
    prompt: str
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    attempts: int


class Summary(BaseModel):
    """A validated brief with the facts of the run that produced it."""

    brief: Brief
    run: RunInfo


@dataclass(frozen=True)
class Endpoint:
    """Where requests go. Embedded: the local llama.cpp server, started on the first request."""

    base_url: str | None  # None for the embedded server
    api_key: str
    model: str
    mode: ModeName
    context_tokens: int | None

    @property
    def embedded(self) -> bool:
        return self.base_url is None

    @property
    def name(self) -> str:
        return self.base_url or "embedded"

    def url(self) -> str:
        """The base URL to call, starting the embedded server if this is it."""
        return self.base_url or local.shared_server().base_url


def resolve_endpoint(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    context_tokens: int | None = None,
) -> Endpoint:
    """Arguments win over the environment (OPENAI_BASE_URL, OPENAI_API_KEY, SUMMARIZER_MODEL,
    SUMMARIZER_MODE, SUMMARIZER_CONTEXT_TOKENS); with no base URL the embedded model is started."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
    model = model or os.environ.get("SUMMARIZER_MODEL") or None
    mode = mode or os.environ.get("SUMMARIZER_MODE") or "tools"
    if mode not in _MODES:
        raise ConfigurationError(f"mode {mode!r} is not one of {sorted(_MODES)}")
    env_ctx = os.environ.get("SUMMARIZER_CONTEXT_TOKENS")
    if context_tokens is None and env_ctx:
        context_tokens = int(env_ctx)
    if base_url is None:
        return Endpoint(
            base_url=None,
            api_key=api_key or "local",
            model=model or local.embedded_model_name(),
            mode=mode,  # type: ignore[arg-type]
            context_tokens=context_tokens or local.embedded_n_ctx(),
        )
    if model is None:
        raise ConfigurationError(f"an endpoint is set ({base_url}) but no model: pass model= or set SUMMARIZER_MODEL")
    return Endpoint(
        base_url=base_url,
        api_key=api_key or "unused",
        model=model,
        mode=mode,  # type: ignore[arg-type]
        context_tokens=context_tokens,
    )


@dataclass
class _Request:
    messages: list[dict[str, str]]
    context: dict[str, Any]
    prompt: str
    prompt_version: str


def _coerce_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _prepare(
    text: str, *, published: date | None, title: str | None, prompt: str, endpoint: Endpoint, max_tokens: int
) -> _Request:
    if not isinstance(text, str) or not text.strip():
        raise EmptyInputError("the article text is empty or whitespace only: there is nothing to summarize")
    template = load_prompt(prompt)
    sentences = split_sentences(text)
    messages = template.messages(article=numbered(sentences), published=published, title=title)
    if endpoint.context_tokens:
        schema_chars = len(json.dumps(BriefDraft.model_json_schema()))
        prompt_chars = sum(len(m["content"]) for m in messages) + schema_chars
        estimated = int(prompt_chars / _CHARS_PER_TOKEN) + max_tokens
        if estimated > endpoint.context_tokens:
            raise InputTooLongError(
                f"the article is too long for the model's context: about {estimated} tokens with the "
                f"prompt and room for the answer, the context holds {endpoint.context_tokens}",
                estimated_tokens=estimated,
                context_tokens=endpoint.context_tokens,
            )
    log.info("asking %s for the brief of %d sentences", endpoint.model, len(sentences))
    return _Request(
        messages=messages,
        context={"article": text, "published": published, "sentences": sentences},
        prompt=prompt,
        prompt_version=template.version(BriefDraft),
    )


def _completion_text(completion: Any) -> str | None:
    """The model's raw answer in a completion: tool-call arguments, else message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments)
    content = getattr(message, "content", None)
    return None if content is None else str(content)


def _usage(total: Any) -> Usage:
    if total is None:
        return Usage()
    return Usage(
        prompt_tokens=int(getattr(total, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(total, "completion_tokens", 0) or 0),
    )


def _translate(exc: Exception, endpoint: Endpoint, attempts: int, http_requests: int) -> Exception:
    """Instructor and openai failures to this library's typed errors."""
    if isinstance(exc, InstructorRetryException):
        usage = _usage(exc.total_usage)
        cause = exc.__cause__
        if isinstance(cause, openai.APIError):
            return _endpoint_error(cause, endpoint, http_requests, usage)
        if isinstance(cause, IncompleteOutputException):
            exc = cause
        else:
            failures = [
                FailedAttemptInfo(
                    attempt=f.attempt_number, error=str(f.exception), completion=_completion_text(f.completion)
                )
                for f in exc.failed_attempts or []
            ]
            last = failures[-1].error if failures else str(exc)
            return ExtractionError(
                f"the model's brief broke the rules on all {exc.n_attempts} attempts; last error: "
                f"{normalize_ws(last)[:400]}",
                attempts=exc.n_attempts,
                usage=usage,
                failures=failures,
            )
    if isinstance(exc, IncompleteOutputException):
        return ExtractionError(
            "the model's answer was cut off at max_tokens (finish_reason=length); raise max_tokens",
            attempts=max(attempts, 1),
            usage=_usage(getattr(getattr(exc, "last_completion", None), "usage", None)),
            failures=[
                FailedAttemptInfo(attempt=max(attempts, 1), error="output truncated",
                                  completion=_completion_text(getattr(exc, "last_completion", None)))
            ],
        )  # fmt: skip
    if isinstance(exc, openai.APIError):
        return _endpoint_error(exc, endpoint, http_requests, Usage())
    return exc


def _endpoint_error(cause: openai.APIError, endpoint: Endpoint, attempts: int, usage: Usage) -> Exception:
    message = normalize_ws(str(getattr(cause, "message", None) or cause))
    if isinstance(cause, openai.BadRequestError) and "context" in message.lower():
        return InputTooLongError(
            f"the endpoint says the article is too long for the model's context: {message[:200]}",
            estimated_tokens=0,
            context_tokens=endpoint.context_tokens or 0,
        )
    status = getattr(cause, "status_code", None)
    what = f"HTTP {status}" if status else type(cause).__name__
    return EndpointError(
        f"the endpoint {endpoint.name} failed ({what}) after {attempts} HTTP attempt(s): {message[:200]}",
        endpoint=endpoint.name,
        attempts=attempts,
        usage=usage,
    )


def _finish(draft: BriefDraft, request: _Request, endpoint: Endpoint, attempts: int, t0: float) -> Summary:
    brief = draft.brief
    usage = _usage(getattr(draft, "_total_usage", None))
    return Summary(
        brief=brief,
        run=RunInfo(
            model=endpoint.model,
            endpoint=endpoint.name,
            mode=endpoint.mode,
            strategy="single",
            prompt=request.prompt,
            prompt_version=request.prompt_version,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            latency_s=round(time.perf_counter() - t0, 3),
            attempts=attempts,
        ),
    )


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs ~30 ms, once per process."""
    return ssl.create_default_context()


class _Counts:
    """What one call sent: completions the model answered (instructor's attempts) and HTTP requests
    (the client's own retries included)."""

    def __init__(self) -> None:
        self.completions = 0
        self.http = 0

    def completion(self, *_: Any, **__: Any) -> None:
        self.completions += 1

    def request(self, _request: Any) -> None:
        self.http += 1

    async def arequest(self, _request: Any) -> None:
        self.http += 1


def prompt_version(strategy: str = DEFAULT_STRATEGY, prompt: str | None = None) -> str:
    """The version of what a strategy sends: its templates and response schemas."""
    if strategy == "grounded":
        return load_prompt(prompt or grounded.PROMPT).version(*grounded.RESPONSE_MODELS)
    return load_prompt(prompt or DEFAULT_PROMPT).version(BriefDraft)


def _check_strategy(strategy: str) -> None:
    if strategy not in STRATEGIES:
        raise ConfigurationError(f"strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")


def _sync_client(endpoint: Endpoint, timeout: float, http_retries: int) -> tuple[openai.OpenAI, Any, _Counts]:
    """The openai client (closed by the caller), instructor around it, and the counters it feeds."""
    counts = _Counts()
    raw = openai.OpenAI(
        base_url=endpoint.url(),
        api_key=endpoint.api_key,
        timeout=timeout,
        max_retries=http_retries,
        http_client=openai.DefaultHttpxClient(verify=_tls(), event_hooks={"request": [counts.request]}),
    )
    client = instructor.from_openai(raw, mode=_MODES[endpoint.mode])
    client.on("completion:response", counts.completion)
    return raw, client, counts


# Room the grounded prompt needs beside the article: instructions, tool definition, question, answer.
_GROUNDED_OVERHEAD_TOKENS = 1600


def _grounded_plan(
    found: grounded.Findings, *, published: date | None, title: str | None, prompt: str, endpoint: Endpoint,
    max_tokens: int,
) -> list[tuple[grounded.Part, list[grounded.Question], list[list[dict[str, str]]]]]:  # fmt: skip
    """The parts of the article and each part's questions with their messages. An article longer than
    the context is read in parts; a part that still does not fit is refused before any call."""
    template = load_prompt(prompt)
    budget = None
    if endpoint.context_tokens:
        budget = int((endpoint.context_tokens - max_tokens - _GROUNDED_OVERHEAD_TOKENS) * _CHARS_PER_TOKEN)
        if budget < 2000:
            raise InputTooLongError(
                f"the model's context ({endpoint.context_tokens} tokens) leaves no room for an article beside "
                f"the prompt and {max_tokens} tokens of answer",
                estimated_tokens=0,
                context_tokens=endpoint.context_tokens,
            )
    while True:
        plan, worst = [], 0
        for part in grounded.plan_parts(found, budget):
            qs = grounded.questions(found, part)
            msgs = [template.messages(task=q.task, published=published, title=title, **q.variables) for q in qs]
            for q, ms in zip(qs, msgs, strict=True):
                chars = sum(len(m["content"]) for m in ms) + len(json.dumps(q.model.model_json_schema()))
                worst = max(worst, int(chars / _CHARS_PER_TOKEN) + max_tokens)
            plan.append((part, qs, msgs))
        if not endpoint.context_tokens or worst <= endpoint.context_tokens:
            return plan
        if budget is None or budget <= 2000:
            raise InputTooLongError(
                f"the article is too long for the model's context: about {worst} tokens with the "
                f"prompt and room for the answer, the context holds {endpoint.context_tokens}",
                estimated_tokens=worst,
                context_tokens=endpoint.context_tokens,
            )
        budget = max(2000, int(budget * 0.8))  # a part's questions did not fit: smaller parts


def _summarize_grounded(
    text: str,
    *,
    published: date | None,
    title: str | None,
    prompt: str,
    endpoint: Endpoint,
    max_attempts: int,
    max_tokens: int,
    timeout: float,
    http_retries: int,
) -> Summary:
    if not isinstance(text, str) or not text.strip():
        raise EmptyInputError("the article text is empty or whitespace only: there is nothing to summarize")
    found = grounded.find(text, published)
    grounded.check_article(found)
    plan = _grounded_plan(
        found, published=published, title=title, prompt=prompt, endpoint=endpoint, max_tokens=max_tokens
    )
    log.info(
        "asking %s about %d sentences%s, %d figures and %d timings found in the article",
        endpoint.model, len(found.sentences), f" in {len(plan)} parts" if len(plan) > 1 else "",
        len(found.figures), len(found.timings),
    )  # fmt: skip
    # The thesis may only state figures the article prints (injected paragraphs excluded).
    context = {"article": text, "published": published, "printed": grounded.printed_values(found)}
    raw, client, counts = _sync_client(endpoint, timeout, http_retries)
    t0 = time.perf_counter()
    answers = grounded.Answers()
    spent = Usage()
    name = "brief"

    def ask(model: type[BaseModel], messages: list[dict[str, str]]) -> BaseModel:
        nonlocal spent
        room = max_tokens
        for attempt in range(1, max_attempts + 1):
            try:
                answer = client.chat.completions.create(
                    response_model=model,
                    messages=messages,
                    model=endpoint.model,
                    max_retries=max_attempts - 1,
                    context=context,
                    temperature=0,
                    max_tokens=room,
                )
                break
            except InstructorRetryException as exc:
                # Every attempt broke a rule: when the only fault left is a thesis figure the article does
                # not print, the answer is kept and its thesis cut to the clauses it can stand by.
                if isinstance(exc.__cause__, (openai.APIError, IncompleteOutputException)):
                    raise
                kept = grounded.salvage_thesis(model, _completion_text(exc.last_completion), context)
                if kept is None:
                    raise
                log.info("the %s answer's thesis stated a figure the article does not print; that clause is cut", name)
                u = _usage(exc.total_usage)
                spent = Usage(spent.prompt_tokens + u.prompt_tokens, spent.completion_tokens + u.completion_tokens)
                return kept
            except IncompleteOutputException as exc:
                # Cut off at max_tokens: ask again with twice the room, while the context allows.
                limit = (endpoint.context_tokens or 4 * max_tokens) // 2
                if attempt == max_attempts or room >= limit:
                    raise  # its usage is added by the translation below
                cut = _usage(getattr(getattr(exc, "last_completion", None), "usage", None))
                spent = Usage(spent.prompt_tokens + cut.prompt_tokens, spent.completion_tokens + cut.completion_tokens)
                room = min(2 * room, limit)
                log.info("the %s answer was cut off at max_tokens; asking again with %d", name, room)
        u = _usage(getattr(answer, "_total_usage", None))
        spent = Usage(spent.prompt_tokens + u.prompt_tokens, spent.completion_tokens + u.completion_tokens)
        return answer

    try:
        for _part, qs, msgs in plan:
            for q, messages in zip(qs, msgs, strict=True):
                name = q.task
                answers.add(ask(q.model, messages))
        if len(plan) > 1:
            # One thesis for the whole: from the parts' theses, asked after the last part (its prefix is cached).
            name = "thesis"
            last_qs = plan[-1][1]
            theses = "\n".join(f"Part {i}: {o.thesis}" for i, o in enumerate(answers.overviews, 1))  # type: ignore[attr-defined]
            messages = load_prompt(prompt).messages(
                task="thesis", published=published, title=title, theses=theses, **last_qs[0].variables
            )
            answers.add(ask(grounded.ThesisAnswer, messages))
    except Exception as exc:
        translated = _translate(exc, endpoint, counts.completions, counts.http)
        if translated is exc:
            raise
        if isinstance(translated, ExtractionError):
            translated = ExtractionError(
                f"{name} question: {translated} (after {counts.completions} completion(s))",
                attempts=counts.completions,
                usage=Usage(spent.prompt_tokens + translated.usage.prompt_tokens,
                            spent.completion_tokens + translated.usage.completion_tokens),
                failures=translated.failures,
            )  # fmt: skip
        raise translated from exc
    finally:
        raw.close()
    data = grounded.assemble(found, answers, published, title)
    try:
        brief = grounded.validate(data, text, published)
    except ValidationError as exc:
        raise ExtractionError(
            f"the assembled brief broke the rules: {normalize_ws(str(exc))[:400]}",
            attempts=counts.completions,
            usage=spent,
            failures=[
                FailedAttemptInfo(attempt=counts.completions, error=str(exc), completion=json.dumps(data, default=str))
            ],
        ) from exc
    return Summary(
        brief=brief,
        run=RunInfo(
            model=endpoint.model,
            endpoint=endpoint.name,
            mode=endpoint.mode,
            strategy="grounded",
            prompt=prompt,
            prompt_version=prompt_version("grounded", prompt),
            prompt_tokens=spent.prompt_tokens,
            completion_tokens=spent.completion_tokens,
            latency_s=round(time.perf_counter() - t0, 3),
            attempts=counts.completions,
        ),
    )


def _create_kwargs(request: _Request, endpoint: Endpoint, max_attempts: int, max_tokens: int) -> dict[str, Any]:
    return {
        "response_model": BriefDraft,
        "messages": request.messages,
        "model": endpoint.model,
        "max_retries": max_attempts - 1,
        "context": request.context,
        "temperature": 0,
        "max_tokens": max_tokens,
    }


def summarize(
    text: str,
    *,
    published: date | str | None = None,
    title: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    strategy: str = DEFAULT_STRATEGY,
    prompt: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    timeout: float = 600.0,
    context_tokens: int | None = None,
    http_retries: int = DEFAULT_HTTP_RETRIES,
) -> Summary:
    """Summarize one article into a validated Brief.

    Raises InputError subclasses for bad input, ExtractionError when the model's output broke the
    brief's rules on every attempt, EndpointError when the endpoint failed. `strategy` is
    "grounded" (code finds figures and dates, the model answers small questions about them) or
    "single" (one call for the whole brief); `prompt` names the prompt folder (default: the strategy's).
    """
    _check_strategy(strategy)
    text = plain_text(text) if isinstance(text, str) else text
    published_d = _coerce_date(published)
    endpoint = resolve_endpoint(
        base_url=base_url, api_key=api_key, model=model, mode=mode, context_tokens=context_tokens
    )
    if strategy == "grounded":
        return _summarize_grounded(
            text, published=published_d, title=title, prompt=prompt or grounded.PROMPT, endpoint=endpoint,
            max_attempts=max_attempts, max_tokens=max_tokens, timeout=timeout, http_retries=http_retries,
        )  # fmt: skip
    prompt = prompt or DEFAULT_PROMPT
    request = _prepare(
        text, published=published_d, title=title, prompt=prompt, endpoint=endpoint, max_tokens=max_tokens
    )
    raw, client, counts = _sync_client(endpoint, timeout, http_retries)
    t0 = time.perf_counter()
    try:
        brief = client.chat.completions.create(**_create_kwargs(request, endpoint, max_attempts, max_tokens))
    except Exception as exc:
        translated = _translate(exc, endpoint, counts.completions, counts.http)
        if translated is exc:
            raise
        raise translated from exc
    finally:
        raw.close()
    return _finish(brief, request, endpoint, counts.completions, t0)


async def asummarize(
    text: str,
    *,
    published: date | str | None = None,
    title: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    strategy: str = DEFAULT_STRATEGY,
    prompt: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    timeout: float = 600.0,
    context_tokens: int | None = None,
    http_retries: int = DEFAULT_HTTP_RETRIES,
) -> Summary:
    """The async twin of `summarize()`, with the same arguments, result and errors."""
    _check_strategy(strategy)
    if strategy == "grounded":
        # Its questions go one after another (they share the prompt cache): run them in a worker thread.
        return await asyncio.to_thread(
            summarize, text, published=published, title=title, model=model, base_url=base_url, api_key=api_key,
            mode=mode, strategy=strategy, prompt=prompt, max_attempts=max_attempts, max_tokens=max_tokens,
            timeout=timeout, context_tokens=context_tokens, http_retries=http_retries,
        )  # fmt: skip
    text = plain_text(text) if isinstance(text, str) else text
    prompt = prompt or DEFAULT_PROMPT
    published_d = _coerce_date(published)
    endpoint = resolve_endpoint(
        base_url=base_url, api_key=api_key, model=model, mode=mode, context_tokens=context_tokens
    )
    request = _prepare(
        text, published=published_d, title=title, prompt=prompt, endpoint=endpoint, max_tokens=max_tokens
    )
    url = await asyncio.to_thread(endpoint.url)  # starting the embedded server blocks
    counts = _Counts()
    raw = openai.AsyncOpenAI(
        base_url=url,
        api_key=endpoint.api_key,
        timeout=timeout,
        max_retries=http_retries,
        http_client=openai.DefaultAsyncHttpxClient(verify=_tls(), event_hooks={"request": [counts.arequest]}),
    )
    client = instructor.from_openai(raw, mode=_MODES[endpoint.mode])
    client.on("completion:response", counts.completion)
    t0 = time.perf_counter()
    try:
        brief = await client.chat.completions.create(**_create_kwargs(request, endpoint, max_attempts, max_tokens))
    except Exception as exc:
        translated = _translate(exc, endpoint, counts.completions, counts.http)
        if translated is exc:
            raise
        raise translated from exc
    finally:
        await raw.close()
    return _finish(brief, request, endpoint, counts.completions, t0)
