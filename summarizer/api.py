"""`summarize()` and `asummarize()`: one article in, one validated brief and the run's facts out.

The front door knows strategies only by name (`summarizer.strategies`): it reads the input, resolves
the endpoint, lets the strategy plan (bad input is refused before any model call), gives it a
`ModelClient`, and reports what the run spent. With no endpoint configured, the embedded llama.cpp
server is started on the first request.
"""

from __future__ import annotations

import time
from datetime import date
from typing import TypedDict, Unpack

from pydantic import BaseModel, Field

from . import strategies
from .article import plain_text
from .model import DEFAULT_HTTP_RETRIES, DEFAULT_TIMEOUT, ModelClient, run_sync
from .model.endpoint import resolve_endpoint
from .schema import Brief
from .strategies import DEFAULT_STRATEGY, Request

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_MAX_TOKENS = 2048


class RunInfo(BaseModel):
    """The facts of one summarizer call."""

    model: str
    endpoint: str
    mode: str
    strategy: str = "single"
    prompt: str
    prompt_version: str
    prompt_tokens: int  # whole prompts, summed over the calls
    cached_tokens: int = 0  # of those, what the endpoint took from its prompt cache (where it tells)
    completion_tokens: int
    latency_s: float  # wall time of the model calls
    attempts: int  # completions the model gave (calls, retries included)
    # Each option choice read from token probabilities (the stance, one per part of the article): every
    # option's probability as the model gave it, before a confidence table's offsets.
    choices: list[dict[str, float]] = Field(default_factory=list)

    @property
    def evaluated_tokens(self) -> int:
        """Prompt tokens the endpoint evaluated (those not taken from its cache)."""
        return self.prompt_tokens - self.cached_tokens


class Summary(BaseModel):
    """A validated brief with the facts of the run that produced it."""

    brief: Brief
    run: RunInfo


def _coerce_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class Options(TypedDict, total=False):
    """The options of `summarize()`, `asummarize()` and `summarize_many()`.

    published: the article's date (a date or "YYYY-MM-DD"); relative timings resolve against it.
    title: the headline. model, base_url, api_key, mode, context_tokens: the endpoint (default: the
    environment, else the embedded model; mode: "json_schema", "tools" or "json", default each
    strategy's own). strategy: a registered strategy.
    prompt: the prompt folder (default: the strategy's). max_attempts: answers per question before
    giving up. max_tokens: room for one answer. timeout, http_retries: per HTTP request.
    """

    published: date | str | None
    title: str | None
    model: str | None
    base_url: str | None
    api_key: str | None
    mode: str | None
    strategy: str
    prompt: str | None
    max_attempts: int
    max_tokens: int
    timeout: float
    context_tokens: int | None
    http_retries: int


async def asummarize(text: str, **options: Unpack[Options]) -> Summary:
    """Summarize one article into a validated Brief.

    Raises InputError subclasses for bad input, ExtractionError when the model's output broke the
    brief's rules on every attempt, EndpointError when the endpoint failed. `strategy` names a
    registered strategy ("grounded", the default: code finds figures and dates, the model answers
    small questions about them; "single": one call for the whole brief). See `Options`.
    """
    return await _summarize(text, **options)


def summarize(text: str, **options: Unpack[Options]) -> Summary:
    """`asummarize()` run to completion: the same options, result and errors."""
    return run_sync(_summarize(text, **options))


async def _summarize(
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
    timeout: float = DEFAULT_TIMEOUT,
    context_tokens: int | None = None,
    http_retries: int = DEFAULT_HTTP_RETRIES,
) -> Summary:
    how = strategies.get(strategy)
    text = plain_text(text) if isinstance(text, str) else text
    endpoint = resolve_endpoint(
        base_url=base_url, api_key=api_key, model=model, mode=mode, context_tokens=context_tokens
    )
    prompt = prompt or how.default_prompt
    request = Request(text=text, published=_coerce_date(published), title=title, prompt=prompt, endpoint=endpoint,
                      max_attempts=max_attempts, max_tokens=max_tokens)  # fmt: skip
    plan = how.prepare(request)
    async with ModelClient(endpoint, timeout=timeout, http_retries=http_retries) as client:
        t0 = time.perf_counter()
        with client.typed_errors():
            brief = await how.brief(plan, client)
    return Summary(
        brief=brief,
        run=RunInfo(
            model=endpoint.model,
            endpoint=endpoint.name,
            mode=endpoint.mode_for(how.mode),
            strategy=how.name,
            prompt=prompt,
            prompt_version=how.version(prompt),
            prompt_tokens=client.usage.prompt_tokens,
            cached_tokens=client.usage.cached_tokens,
            completion_tokens=client.usage.completion_tokens,
            latency_s=round(time.perf_counter() - t0, 3),
            attempts=client.completions,
            choices=[dict(c.probabilities) for c in client.choices],
        ),
    )
