"""The one model client: the openai client with instructor around it, built in one place for every
strategy, the judge and the tools; what it spent (completions, HTTP requests, tokens) counted from
instructor's completion hook; openai and instructor failures translated to this library's errors.

The client is async. `run_sync()` runs a coroutine to completion from synchronous code (in a worker
thread when the caller already runs an event loop), so `summarize()` and `asummarize()` share one
implementation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import ssl
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar

import httpx2 as httpx  # the HTTP library of openai 3
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, create_model

from ..errors import EndpointError, ExtractionError, FailedAttemptInfo, InputTooLongError, Usage
from ..text import normalize_ws
from .endpoint import Endpoint

# Connection errors, timeouts, 408/409/429 and 5xx are retried by the openai client with exponential
# backoff (0.5 s doubling, at most 8 s; a Retry-After of up to 60 s is honoured).
DEFAULT_HTTP_RETRIES = 2
DEFAULT_TIMEOUT = 600.0
_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "grammar": instructor.Mode.JSON_SCHEMA,  # sent as `json_schema`, rewritten by `CompactJSONTransport`
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
}

T = TypeVar("T")
# How many alternatives of the first answer token a choice reads (OpenAI allows at most 20).
TOP_LOGPROBS = 20

_MOUNTED: dict[str, httpx.AsyncBaseTransport] = {}


def mount(base_url: str, transport: httpx.AsyncBaseTransport) -> None:
    """Answer requests to `base_url` in process: every client built for that endpoint sends through
    `transport` instead of the network (an in-process model for tests, a custom transport)."""
    _MOUNTED[base_url.rstrip("/")] = transport


def unmount(base_url: str) -> None:
    _MOUNTED.pop(base_url.rstrip("/"), None)


# llama.cpp's server decodes a `response_format` schema under a grammar that lets the model lay its
# JSON out over indented lines, which it does, spending a token or more on each line's indentation.
# In mode "grammar" the schema goes as an llguidance grammar for the same JSON on one line: a request
# carrying `GRAMMAR_HEADER` is rewritten so by the client's transport (the header is not sent).
COMPACT_JSON = {"whitespace_flexible": False, "key_separator": ": ", "item_separator": ", "}
GRAMMAR_HEADER = "x-summarizer-grammar"


def compact_grammar(body: dict[str, Any]) -> dict[str, Any]:
    """A chat request for llama.cpp's server with its `json_schema` response format decoded as JSON on
    one line: the schema goes as an llguidance grammar (`grammar`) instead. Other requests unchanged."""
    form = body.get("response_format") or {}
    if form.get("type") != "json_schema":
        return body
    schema = {**form["json_schema"]["schema"], "x-guidance": COMPACT_JSON}
    out = {k: v for k, v in body.items() if k != "response_format"}
    out["grammar"] = "%llguidance {}\nstart: %json " + json.dumps(schema)
    return out


class CompactJSONTransport(httpx.AsyncBaseTransport):
    """Sends requests through `inner`; a chat request marked with `GRAMMAR_HEADER` goes with its
    answer's schema as a one-line JSON grammar (`compact_grammar`), unmarked."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if GRAMMAR_HEADER in request.headers:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in (GRAMMAR_HEADER, "content-length")}
            body = compact_grammar(json.loads(await request.aread()))
            request = httpx.Request(
                request.method, request.url, headers=headers, content=json.dumps(body).encode(),
                extensions=request.extensions,
            )  # fmt: skip
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to completion from synchronous code, also when the caller runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs ~30 ms, once per process."""
    return ssl.create_default_context()


def completion_text(completion: Any) -> str | None:
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


@dataclass(frozen=True)
class Choice:
    """The option a model chose and how sure it was: the option's probability among the options, from
    the answer's token probabilities; None when the endpoint gives no probabilities. `probabilities`
    holds every option's (empty without them)."""

    option: str
    confidence: float | None
    probabilities: Mapping[str, float] = field(default_factory=dict)


def option_probabilities(top: Sequence[Any], options: Sequence[str]) -> dict[str, float]:
    """The options' probabilities from the first answer token's alternatives (objects with `token`
    and `logprob`), renormalized over the options: a token counts for the one option it begins or
    spells out (case and spaces aside); a token that could begin several is no evidence. Empty when
    no alternative names an option."""
    mass = dict.fromkeys(options, 0.0)
    for alt in top:
        named = option_named(str(alt.token), options)
        if named is not None:
            mass[named] += math.exp(alt.logprob)
    total = sum(mass.values())
    return {o: p / total for o, p in mass.items()} if total > 0 else {}


def read_choice(completion: Any, options: Sequence[str]) -> Choice | None:
    """The option a one-token completion chose: from its first token's probabilities where it has
    them, else the option its words name; None when they name none."""
    choice = completion.choices[0]
    content = getattr(choice.logprobs, "content", None) if choice.logprobs is not None else None
    if content:
        probabilities = option_probabilities(content[0].top_logprobs or [], options)
        if probabilities:
            best = max(options, key=lambda o: probabilities[o])
            return Choice(best, round(probabilities[best], 4), probabilities)
    named = option_named(choice.message.content or "", options)
    return None if named is None else Choice(named, None)


def option_named(words: str, options: Sequence[str]) -> str | None:
    """The one option `words` begin or spell out (case and spaces aside); None for none or several."""
    word = words.strip().lower()
    fits = [o for o in options if word and (o.lower().startswith(word) or word.startswith(o.lower()))]
    return fits[0] if len(fits) == 1 else None


class ModelClient:
    """One endpoint's client for one piece of work (a brief, a verdict). Use as `async with`.

    `completions` counts the answers the model gave (instructor's attempts), `http` the HTTP requests
    sent (the client's own retries included), `usage` the tokens of every completion."""

    def __init__(
        self, endpoint: Endpoint, *, timeout: float = DEFAULT_TIMEOUT, http_retries: int = DEFAULT_HTTP_RETRIES
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.http_retries = http_retries
        self.completions = 0
        self.http = 0
        self.usage = Usage()
        self._raw: openai.AsyncOpenAI | None = None
        self._clients: dict[str, Any] = {}  # instructor's client for each mode asked in
        self._logprobs = True  # until the endpoint refuses them
        self.choices: list[Choice] = []  # each option chosen from token probabilities, in order

    async def __aenter__(self) -> ModelClient:
        url = await asyncio.to_thread(self.endpoint.url)  # starting the embedded server blocks
        transport = CompactJSONTransport(_MOUNTED.get(url.rstrip("/")) or httpx.AsyncHTTPTransport(verify=_tls()))
        self._raw = openai.AsyncOpenAI(
            base_url=url,
            api_key=self.endpoint.api_key,
            timeout=self.timeout,
            max_retries=self.http_retries,
            http_client=openai.DefaultAsyncHttpxClient(
                verify=_tls(), event_hooks={"request": [self._request]}, transport=transport
            ),
        )
        return self

    def _instructor(self, mode: str) -> Any:
        if mode not in self._clients:
            assert self._raw is not None
            client = instructor.from_openai(self._raw, mode=_MODES[mode])
            client.on("completion:response", self._completion)
            self._clients[mode] = client
        return self._clients[mode]

    async def __aexit__(self, *exc: object) -> None:
        if self._raw is not None:
            await self._raw.close()

    async def _request(self, _request: Any) -> None:
        self.http += 1

    def _completion(self, completion: Any) -> None:
        self.completions += 1
        used = getattr(completion, "usage", None)
        if used is not None:
            details = getattr(used, "prompt_tokens_details", None)
            self.usage = Usage(
                self.usage.prompt_tokens + int(getattr(used, "prompt_tokens", 0) or 0),
                self.usage.completion_tokens + int(getattr(used, "completion_tokens", 0) or 0),
                self.usage.cached_tokens + int(getattr(details, "cached_tokens", 0) or 0),
            )

    async def create(
        self,
        response_model: type[BaseModel],
        messages: list[dict[str, str]],
        *,
        max_retries: int,
        max_tokens: int,
        context: dict[str, Any] | None = None,
        mode: str | None = None,
    ) -> Any:
        """One structured answer at temperature 0, asked in the endpoint's mode, else `mode` (default
        "tools"; see `Endpoint.mode_for`): instructor sends a rule the answer broke back to the model
        up to `max_retries` times. Raises instructor's and openai's own exceptions (`translate()` turns
        them into this library's)."""
        if self._raw is None:
            raise RuntimeError("ModelClient.create() outside `async with`")
        asked = self.endpoint.mode_for(mode or "tools")
        return await self._instructor(asked).chat.completions.create(
            response_model=response_model,
            messages=messages,
            model=self.endpoint.model,
            max_retries=max_retries,
            context=context,
            temperature=0,
            max_tokens=max_tokens,
            extra_headers={GRAMMAR_HEADER: "1"} if asked == "grammar" else None,
        )

    async def choose(self, messages: list[dict[str, str]], options: Sequence[str]) -> Choice:
        """One of `options` as the answer to the question the messages end with, read from the
        probabilities of the answer's first token (`logprobs`, `top_logprobs`: OpenAI, vLLM and
        llama.cpp give them): one generated token after a prefix the server may have cached. Where the
        endpoint gives no probabilities, the answer's words name the option; where they name none, the
        question is asked again as a constrained choice. Either way the confidence is then None."""
        if self._raw is None:
            raise RuntimeError("ModelClient.choose() outside `async with`")
        kwargs: dict[str, Any] = {"model": self.endpoint.model, "messages": messages, "temperature": 0}
        response: Any = None
        if self._logprobs:
            try:
                response = await self._raw.chat.completions.create(
                    **kwargs, max_tokens=1, logprobs=True, top_logprobs=TOP_LOGPROBS
                )
            except openai.BadRequestError as exc:
                if "logprob" not in str(exc).lower():
                    raise
                self._logprobs = False  # this endpoint refuses them: ask in words from now on
        if response is None:
            response = await self._raw.chat.completions.create(**kwargs, max_tokens=4)
        self._completion(response)
        chosen = read_choice(response, options)
        if chosen is not None:
            if chosen.probabilities:
                self.choices.append(chosen)
            return chosen
        answer_model = create_model("Choice", answer=(Literal[tuple(options)], ...))  # type: ignore[arg-type]
        answer = await self.create(answer_model, messages, max_retries=1, max_tokens=16)
        return Choice(answer.answer, None)

    @contextlib.contextmanager
    def typed_errors(self) -> Iterator[None]:
        """Within the block, instructor's and openai's failures are raised as this library's."""
        try:
            yield
        except Exception as exc:
            translated = self.translate(exc)
            if translated is exc:
                raise
            raise translated from exc

    def translate(self, exc: BaseException) -> BaseException:
        """Instructor and openai failures as this library's typed errors; anything else unchanged."""
        if isinstance(exc, InstructorRetryException):
            cause = exc.__cause__
            if isinstance(cause, openai.APIError):
                return self._endpoint_error(cause)
            if isinstance(cause, IncompleteOutputException):
                exc = cause
            else:
                failures = [
                    FailedAttemptInfo(
                        attempt=f.attempt_number, error=str(f.exception), completion=completion_text(f.completion)
                    )
                    for f in exc.failed_attempts or []
                ]
                last = failures[-1].error if failures else str(exc)
                hint = ""
                if failures and all("No tool calls" in f.error for f in failures):
                    hint = " (the endpoint answers tool calls as text: ask in mode json or json_schema)"
                return ExtractionError(
                    f"the model's brief broke the rules on all {exc.n_attempts} attempts; last error: "
                    f"{normalize_ws(last)[:400]}{hint}",
                    attempts=exc.n_attempts,
                    usage=self.usage,
                    failures=failures,
                )
        if isinstance(exc, IncompleteOutputException):
            return ExtractionError(
                "the model's answer was cut off at max_tokens (finish_reason=length); raise max_tokens",
                attempts=max(self.completions, 1),
                usage=self.usage,
                failures=[
                    FailedAttemptInfo(attempt=max(self.completions, 1), error="output truncated",
                                      completion=completion_text(getattr(exc, "last_completion", None)))
                ],
            )  # fmt: skip
        if isinstance(exc, openai.APIError):
            return self._endpoint_error(exc)
        return exc

    def _endpoint_error(self, cause: openai.APIError) -> Exception:
        endpoint = self.endpoint
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
            f"the endpoint {endpoint.name} failed ({what}) after {self.http} HTTP attempt(s): {message[:200]}",
            endpoint=endpoint.name,
            attempts=self.http,
            usage=self.usage,
        )
