"""Briefs through a batch engine: the requests of a folder's briefs as an OpenAI Batch input file,
the briefs built from its output file.

Every request of the grounded strategy is a plain chat completion, so a folder can be briefed by a
batch engine (OpenAI's Batch API, `vllm run-batch`) instead of online:

- `write_requests(FOLDER, requests.jsonl)` writes one line per question of every article,
  `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`, each body exactly what
  the online path sends (instructor builds it), and a manifest beside it
  (`requests.manifest.json`: the settings, and a fingerprint of each article's requests).
- `read_results(FOLDER, requests.jsonl, [results.jsonl, ...], OUT)` parses every answer with the
  same models, validation context and retries as online; a brief whose every answer passed is
  assembled, validated and written as `OUT/<name>.json`, a failure as `OUT/<name>.error.json` (as
  `brief_folder()` writes them). What is still to ask goes into the next round's input file: an
  answer that broke a rule re-asked in instructor's form, a request that failed or is missing sent
  again, a document read in parts its final thesis question. Its output is read with the others.

A custom_id names its article, part, question and attempt: `alibaba/p1/q3-risk-R2/1`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from instructor.core import IncompleteOutputException
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from instructor.v2.core.response_model import prepare_response_model
from instructor.v2.core.retry import _RETRYABLE_PARSE_ERRORS
from instructor.v2.core.templating import handle_templating  # type: ignore[attr-defined]
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, create_model

from .api import DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_TOKENS, RunInfo, Summary
from .article import read_article
from .batch import Outcome, folder_articles, save_outcome
from .errors import EndpointError, ExtractionError, FailedAttemptInfo, SummarizerError, Usage
from .model import Choice, Endpoint, completion_text
from .model import local as local_model
from .model.client import _MODES, TOP_LOGPROBS, read_choice
from .schema import Brief
from .strategies import Request
from .strategies.grounded import GROUNDED, answer_context, finish, thesis_messages
from .strategies.grounded.answers import Answers, ThesisAnswer
from .strategies.grounded.plan import Plan
from .strategies.grounded.thesis import salvage_thesis
from .text import normalize_ws, write_atomic

MANIFEST_VERSION = 1
URL = "/v1/chat/completions"
ENDPOINT_NAME = "batch"
# HTTP statuses a batch engine may answer for a request worth sending again.
_RETRYABLE_STATUS = {408, 409, 429}


class BatchFileError(SummarizerError):
    """A batch input, output or manifest file that cannot be read or does not fit the folder."""


@dataclass(frozen=True)
class Settings:
    """What the requests were written for: the model, its context (which decides how a long article
    is cut in parts), the room for one answer, the answers per question, the prompt."""

    model: str
    context_tokens: int | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    prompt: str = GROUNDED.default_prompt

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(
            base_url=None, api_key="", model=self.model, mode=None, context_tokens=self.context_tokens
        )  # never called: a batch engine answers


@dataclass(frozen=True)
class Line:
    """One request of a batch input file."""

    custom_id: str
    body: dict[str, Any]

    def json(self) -> str:
        return json.dumps({"custom_id": self.custom_id, "method": "POST", "url": URL, "body": self.body},
                          ensure_ascii=False)  # fmt: skip


@dataclass(frozen=True)
class Response:
    """One line of a batch output file: the endpoint's HTTP status and body, or the engine's error."""

    custom_id: str
    status: int | None
    body: dict[str, Any] | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.body is not None and not self.error

    @property
    def worth_retrying(self) -> bool:
        """A failure a second request may not meet: no answer, a 5xx, a timeout, a rate limit."""
        return not self.ok and (self.status is None or self.status >= 500 or self.status in _RETRYABLE_STATUS)


def manifest_path(requests: Path) -> Path:
    """The manifest beside a batch input file: requests.jsonl -> requests.manifest.json."""
    return requests.with_name(f"{requests.stem}.manifest.json")


def structured_body(
    model: str,
    response_model: type[BaseModel],
    messages: list[dict[str, str]],
    *,
    context: dict[str, Any] | None,
    mode: str,
    max_tokens: int,
) -> tuple[type[BaseModel], dict[str, Any]]:
    """The request body of one structured answer as `ModelClient.create()` sends it (instructor
    prepares it: the answer's schema as `response_format`, or a tool in tools mode), and the model
    its answer is parsed with."""
    handlers = mode_registry.get_handlers(Provider.OPENAI, _MODES[mode])
    kwargs: dict[str, Any] = {"messages": messages, "model": model, "temperature": 0, "max_tokens": max_tokens}
    prepared, body = handlers.request_handler(response_model=prepare_response_model(response_model), kwargs=kwargs)
    if handlers.message_converter is not None:
        body["messages"] = handlers.message_converter(body["messages"], autodetect_images=False)
    body = handle_templating(body, mode=_MODES[mode], provider=Provider.OPENAI, context=context)
    assert prepared is not None
    return prepared, body


def choice_body(model: str, messages: list[dict[str, str]], *, logprobs: bool = True) -> dict[str, Any]:
    """The request body of a choice as `ModelClient.choose()` sends it: one token and its
    alternatives' probabilities (four tokens in words where the endpoint refuses probabilities)."""
    body: dict[str, Any] = {"model": model, "messages": messages, "temperature": 0}
    if logprobs:
        return body | {"max_tokens": 1, "logprobs": True, "top_logprobs": TOP_LOGPROBS}
    return body | {"max_tokens": 4}


class _Waiting(Exception):
    """Answers still to come: the requests that ask for them."""

    def __init__(self, lines: list[Line]) -> None:
        super().__init__(f"{len(lines)} request(s) to send")
        self.lines = lines


class _Brief:
    """One article's brief from the responses at hand, asked as the online path asks: the same
    questions, parsing, re-asks, more room for a cut-off answer, salvage of a thesis."""

    def __init__(self, name: str, plan: Plan, settings: Settings, responses: dict[str, Response]) -> None:
        self.name, self.plan, self.settings, self.responses = name, plan, settings, responses
        self.context = answer_context(plan)
        self.completions = 0
        self.usage = Usage()

    def summary(self) -> Summary:
        """The validated brief; `_Waiting` while answers are missing, a SummarizerError on failure."""
        answers = self._answers()
        brief: Brief = finish(self.plan, answers, GROUNDED.name, attempts=self.completions, usage=self.usage)
        s = self.settings
        run = RunInfo(
            model=s.model, endpoint=ENDPOINT_NAME, mode=GROUNDED.mode, strategy=GROUNDED.name, prompt=s.prompt,
            prompt_version=GROUNDED.version(s.prompt), prompt_tokens=self.usage.prompt_tokens,
            cached_tokens=self.usage.cached_tokens, completion_tokens=self.usage.completion_tokens,
            latency_s=0.0, attempts=self.completions,
            choices=[dict(c.probabilities) for c in answers.stances if c.probabilities],
        )  # fmt: skip
        return Summary(brief=brief, run=run)

    def _answers(self) -> Answers:
        answers, waiting = Answers(), []
        for p, part in enumerate(self.plan.parts, 1):
            for i, (q, messages) in enumerate(zip(part.questions, part.messages, strict=True), 1):
                cid = f"{self.name}/p{p}/q{i}-{q.task}" + (f"-{q.tag}" if q.tag else "")
                try:
                    with self._question(q.task):
                        if q.options:
                            answers.add(self._choose(cid, messages, q.options))
                        else:
                            answers.add(self._ask(cid, q.model, messages, self.context), q.tag)
                except _Waiting as w:
                    waiting += w.lines
        if waiting:
            raise _Waiting(waiting)
        if len(self.plan.parts) > 1:
            with self._question("thesis"):
                messages = thesis_messages(self.plan, answers)
                answers.add(self._ask(f"{self.name}/thesis", ThesisAnswer, messages, self.context))
        return answers

    @contextlib.contextmanager
    def _question(self, task: str) -> Iterator[None]:
        """A question's failure named as the online path names it."""
        try:
            yield
        except ExtractionError as exc:
            raise ExtractionError(
                f"{task} question: {exc} (after {self.completions} completion(s))",
                attempts=self.completions, usage=self.usage, failures=exc.failures,
            ) from exc  # fmt: skip

    def _completion(self, custom_id: str, body: dict[str, Any]) -> ChatCompletion:
        """The answer to one request; `_Waiting` for it when it is missing or worth sending again."""
        r = self.responses.get(custom_id)
        if r is None or r.worth_retrying:
            raise _Waiting([Line(custom_id, body)])
        if not r.ok or not (r.body or {}).get("choices"):
            raise EndpointError(
                f"the batch engine answered {custom_id} with HTTP {r.status}: {normalize_ws(r.error or 'no answer')[:200]}",
                endpoint=ENDPOINT_NAME, attempts=self.completions, usage=self.usage,
            )  # fmt: skip
        completion = ChatCompletion.construct(**r.body)  # type: ignore[arg-type]
        self.completions += 1
        used = r.body.get("usage") or {}  # type: ignore[union-attr]
        cached = (used.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
        self.usage = Usage(
            self.usage.prompt_tokens + int(used.get("prompt_tokens") or 0),
            self.usage.completion_tokens + int(used.get("completion_tokens") or 0),
            self.usage.cached_tokens + int(cached),
        )
        return completion

    def _choose(self, custom_id: str, messages: list[dict[str, str]], options: Sequence[str]) -> Choice:
        """`ModelClient.choose()`: the option from the first token's probabilities, else from the
        answer's words, else asked again as a constrained choice."""
        model, n = self.settings.model, 1
        r = self.responses.get(f"{custom_id}/1")
        logprobs = not (r is not None and r.status == 400 and "logprob" in (r.error or "").lower())
        if not logprobs:
            n = 2  # the endpoint refuses probabilities: the question in words
        completion = self._completion(f"{custom_id}/{n}", choice_body(model, messages, logprobs=logprobs))
        chosen = read_choice(completion, options)
        if chosen is not None:
            return chosen
        answer_model = create_model("Choice", answer=(Literal[tuple(options)], ...))  # type: ignore[arg-type]
        answer = self._ask(custom_id, answer_model, messages, None, mode=self.settings.endpoint.mode or "tools",
                           attempts=2, grow=False, room=16, first=n + 1)  # fmt: skip
        return Choice(answer.answer, None)

    def _ask(
        self,
        custom_id: str,
        response_model: type[BaseModel],
        messages: list[dict[str, str]],
        context: dict[str, Any] | None,
        *,
        mode: str = GROUNDED.mode,
        attempts: int | None = None,
        grow: bool = True,
        room: int | None = None,
        first: int = 1,
    ) -> Any:
        """One structured answer as `ModelClient.create()` inside the grounded strategy's `_ask()`:
        `attempts` answers, each rule the last broke sent back in instructor's form; an answer cut off
        at max_tokens asked afresh with twice the room (`grow`); a thesis that states a figure the
        article does not print, on every attempt, cut to the clauses it can stand by."""
        s = self.settings
        attempts = attempts or s.max_attempts
        room = room or s.max_tokens
        limit = (s.context_tokens or 4 * s.max_tokens) // 2
        handlers = mode_registry.get_handlers(Provider.OPENAI, _MODES[mode])
        n = first
        for outer in range(1, (s.max_attempts if grow else 1) + 1):
            prepared, body = structured_body(s.model, response_model, messages, context=context, mode=mode,
                                             max_tokens=room)  # fmt: skip
            failures: list[FailedAttemptInfo] = []
            for inner in range(1, attempts + 1):
                completion = self._completion(f"{custom_id}/{n}", body)
                n += 1
                try:
                    return handlers.response_parser(
                        response=completion, response_model=prepared, validation_context=context, strict=True
                    )
                except IncompleteOutputException as exc:
                    if not grow or outer == s.max_attempts or room >= limit:
                        raise ExtractionError(
                            "the model's answer was cut off at max_tokens (finish_reason=length); raise max_tokens",
                            attempts=self.completions, usage=self.usage,
                            failures=[FailedAttemptInfo(self.completions, "output truncated",
                                                        completion_text(completion))],
                        ) from exc  # fmt: skip
                    room = min(2 * room, limit)
                    break
                except _RETRYABLE_PARSE_ERRORS as exc:
                    failures.append(FailedAttemptInfo(inner, str(exc), completion_text(completion)))
                    if inner < attempts:
                        body = handlers.reask_handler(
                            kwargs={**body, "messages": list(body["messages"])}, response=completion, exception=exc
                        )
                        continue
                    kept = salvage_thesis(response_model, completion_text(completion), context) if context else None
                    if kept is not None:
                        return kept
                    raise ExtractionError(
                        f"the model's brief broke the rules on all {attempts} attempts; last error: "
                        f"{normalize_ws(str(exc))[:400]}",
                        attempts=attempts, usage=self.usage, failures=failures,
                    ) from exc  # fmt: skip
        raise AssertionError("unreachable: the last attempt returns or raises")


def _plan(path: Path, settings: Settings) -> Plan:
    article = read_article(path)
    request = Request(text=article.text, published=article.published, title=article.title, prompt=settings.prompt,
                      endpoint=settings.endpoint, max_attempts=settings.max_attempts,
                      max_tokens=settings.max_tokens)  # fmt: skip
    plan: Plan = GROUNDED.prepare(request)
    return plan


def _first_round(name: str, plan: Plan, settings: Settings) -> list[Line]:
    """Every request an article's brief starts with (its questions, asked once)."""
    try:
        _Brief(name, plan, settings, {}).summary()
    except _Waiting as w:
        return w.lines
    raise AssertionError("a brief with no answers cannot be done")


def _fingerprint(lines: Iterable[Line]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.json().encode())
    return digest.hexdigest()[:16]


@dataclass
class Written:
    """What `write_requests()` wrote: the requests, the articles they brief, those refused (why)."""

    requests: int
    articles: list[str]
    refused: dict[str, str] = field(default_factory=dict)
    manifest: Path | None = None


def write_requests(
    source: Path,
    requests: Path,
    *,
    model: str | None = None,
    context_tokens: int | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    prompt: str | None = None,
) -> Written:
    """Write the first round of requests of every `*.txt` in `source` as a batch input file, and its
    manifest. `model` is the batch engine's model name (default: the embedded model, with its
    context); `context_tokens` decides how an article too long for it is read in parts. An article
    refused before any request (empty, not an article, too long) is listed with its reason."""
    if model is None:
        model, context_tokens = local_model.embedded_model_name(), context_tokens or local_model.embedded_n_ctx()
    settings = Settings(model, context_tokens, max_tokens, max_attempts, prompt or GROUNDED.default_prompt)
    lines: list[Line] = []
    articles: dict[str, dict[str, str]] = {}
    refused: dict[str, str] = {}
    for path in folder_articles(source):
        try:
            plan = _plan(path, settings)
        except SummarizerError as exc:
            refused[path.stem] = f"{type(exc).__name__}: {exc}"
            continue
        first = _first_round(path.stem, plan, settings)
        lines += first
        articles[path.stem] = {"source": path.name, "requests": _fingerprint(first)}
    if not lines:
        raise BatchFileError(
            f"no article of {source} can be briefed: " + "; ".join(f"{k}: {v}" for k, v in refused.items())
        )
    manifest = {
        "version": MANIFEST_VERSION,
        "strategy": GROUNDED.name,
        "prompt_version": GROUNDED.version(settings.prompt),
        "settings": {
            k: getattr(settings, k) for k in ("model", "context_tokens", "max_tokens", "max_attempts", "prompt")
        },
        "articles": articles,
        "refused": refused,
    }
    write_atomic(requests, "".join(line.json() + "\n" for line in lines))
    write_atomic(manifest_path(requests), json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return Written(len(lines), list(articles), refused, manifest_path(requests))


def read_manifest(requests: Path) -> tuple[Settings, dict[str, Any]]:
    """The settings and articles of a batch input file, from its manifest."""
    path = manifest_path(requests)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        settings = Settings(**data["settings"])
    except FileNotFoundError:
        raise BatchFileError(f"{path}: no manifest beside {requests} (write the requests with `batch write`)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise BatchFileError(f"{path}: not a batch manifest ({exc})") from None
    if data.get("version") != MANIFEST_VERSION:
        raise BatchFileError(
            f"{path}: manifest version {data.get('version')}, this summarizer reads {MANIFEST_VERSION}"
        )
    if data.get("prompt_version") != GROUNDED.version(settings.prompt):
        raise BatchFileError(
            f"{path}: the requests were written with prompt version {data.get('prompt_version')}, this summarizer "
            f"asks with {GROUNDED.version(settings.prompt)}: write the requests again"
        )
    return settings, data


def read_output(paths: Sequence[Path]) -> dict[str, Response]:
    """Every response of batch output files by custom_id; an answer wins over a failure, a later file
    over an earlier one."""
    responses: dict[str, Response] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BatchFileError(f"{path}: cannot be read ({exc.strerror})") from None
        for number, raw in enumerate(text.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                r = _response(json.loads(raw))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BatchFileError(f"{path}:{number}: not a batch output line ({exc})") from None
            if r.ok or r.custom_id not in responses or not responses[r.custom_id].ok:
                responses[r.custom_id] = r
    return responses


def _response(line: dict[str, Any]) -> Response:
    response = line.get("response") or {}
    body = response.get("body")
    status = response.get("status_code")
    error = line.get("error")
    message = None
    if error:
        message = str(error.get("message") or error) if isinstance(error, dict) else str(error)
    elif status != 200 and isinstance(body, dict):
        message = str((body.get("error") or {}).get("message") or body)
    return Response(str(line["custom_id"]), status, body if isinstance(body, dict) else None, message)


@dataclass
class ReadResult:
    """What `read_results()` did with each article of the batch: briefed, failed, still waiting for
    answers, skipped (its brief was already in OUT); and the requests of the next round."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    next_requests: int = 0


def read_results(
    source: Path,
    requests: Path,
    outputs: Sequence[Path],
    out: Path,
    *,
    next_requests: Path | None = None,
) -> ReadResult:
    """Brief every article of the batch written for `requests` from the `outputs` of its rounds into
    `out` (OUT/<name>.json, OUT/<name>.error.json); what is still to ask into `next_requests`."""
    settings, manifest = read_manifest(requests)
    responses = read_output(outputs)
    out.mkdir(parents=True, exist_ok=True)
    result, lines = ReadResult(), []
    for name, reason in manifest.get("refused", {}).items():
        if not (out / f"{name}.json").is_file():
            save_outcome(out, Outcome(name, error=SummarizerError(reason)), source / f"{name}.txt")
            result.failed.append(name)
    for name, entry in manifest["articles"].items():
        path = source / entry["source"]
        if (out / f"{name}.json").is_file():
            result.skipped.append(name)
            continue
        try:
            if not path.is_file():
                raise BatchFileError(f"{path}: the article is no longer in {source}")
            plan = _plan(path, settings)
            if _fingerprint(_first_round(name, plan, settings)) != entry["requests"]:
                raise BatchFileError(f"{name}: the article or the summarizer changed since the requests were written")
            outcome = Outcome(name, summary=_Brief(name, plan, settings, responses).summary())
        except _Waiting as w:
            lines += w.lines
            result.waiting.append(name)
            continue
        except SummarizerError as exc:
            outcome = Outcome(name, error=exc)
        save_outcome(out, outcome, path)
        (result.done if outcome.ok else result.failed).append(name)
    result.next_requests = len(lines)
    if next_requests is not None and lines:
        write_atomic(next_requests, "".join(line.json() + "\n" for line in lines))
    return result


__all__ = [
    "BatchFileError",
    "Line",
    "ReadResult",
    "Response",
    "Settings",
    "Written",
    "choice_body",
    "manifest_path",
    "read_manifest",
    "read_output",
    "read_results",
    "structured_body",
    "write_requests",
]
