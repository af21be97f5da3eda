"""Run the summarizer over a dataset and keep every raw prediction in a versioned run file.

Predictions are cached by everything that decides them: the article, the prompt version, the version
of the code that finds and assembles, the endpoint, the model, the strategy, the attempts and, when
replaying, the recorded answers' content. A second run, or re-scoring after a scorer change, calls no
model, and no change is ever served a stale prediction. With `cassettes=DIR` each case's HTTP is
recorded to (or replayed from) `DIR/<strategy>/<case>.yaml` with vcrpy, matched on method, path and
body; a case with no cassette is never run, and a request no cassette answers is named
(`NO_RECORDED_ANSWER`): the run could not evaluate that case.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from .. import strategies
from ..api import DEFAULT_MAX_ATTEMPTS, RunInfo, summarize
from ..calibration import find_table
from ..errors import EndpointError, ExtractionError, SummarizerError
from ..model import local, resolve_endpoint
from ..model.endpoint import embedded_mode
from ..prompts import load_prompt
from ..schema import Brief
from ..strategies import DEFAULT_STRATEGY
from ..text import write_atomic
from .dataset import Case

RUN_FORMAT_VERSION = 1
# The error types of a case whose answers are not recorded: the run could not evaluate it.
NO_RECORDED_ANSWER = frozenset({"StaleCassette", "MissingCassette"})


class CaseResult(BaseModel):
    id: str
    status: Literal["ok", "invalid", "error"]
    prediction: Brief | None = None
    run: RunInfo | None = None
    error: str | None = None
    error_type: str | None = None
    attempts: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of the prompt tokens, those the endpoint took from its cache (where it tells)
    completion_tokens: int = 0
    latency_s: float = 0.0
    last_completion: str | None = None
    cached: bool = False


class RunOptions(BaseModel):
    model: str
    endpoint: str
    strategy: str
    prompt: str
    prompt_version: str
    max_attempts: int
    concurrency: int
    code_version: str | None = None  # of the code that finds and assembles (absent in older runs)
    cassettes: str | None = None  # the folder the answers were replayed from or recorded to


class RunFile(BaseModel):
    """Everything a run produced; re-scorable without calling a model."""

    version: int = RUN_FORMAT_VERSION
    created: str
    dataset: str
    options: RunOptions
    wall_s: float = 0.0
    cases: list[CaseResult] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> RunFile:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != RUN_FORMAT_VERSION:
            raise SummarizerError(
                f"{path}: run format version {data.get('version')}, this build reads {RUN_FORMAT_VERSION}"
            )
        return cls.model_validate(data)


_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_version(package: Path = _PACKAGE) -> str:
    """A short hash of the code a prediction depends on besides the prompt: what finds (figures,
    timings, filters, ...), the strategies and the brief's rules."""
    h = hashlib.sha256()
    files = [*package.glob("finding/*.py"), *package.glob("strategies/**/*.py"), package / "schema.py"]
    for path in sorted([*files, package / "calibration.py"]):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def cassette_path(cassettes: Path, strategy: str, case_id: str) -> Path:
    return cassettes / strategy / f"{case_id}.yaml"


def cache_key(case: Case, options: RunOptions, where: str = "", answers: bytes = b"") -> str:
    """What decides a prediction: the article, prompt, code, endpoint (`where`: its URL), model,
    strategy, attempts, the recorded answers replayed (`answers`: the cassette's bytes) and the
    confidence table the model's briefs are calibrated with."""
    table = find_table(options.strategy, options.prompt_version, options.model)
    h = hashlib.sha256()
    for part in (case.article.text, str(case.article.published), case.article.title or "", options.prompt_version,
                 code_version(), options.endpoint, where, options.model, options.strategy, str(options.max_attempts),
                 hashlib.sha256(answers).hexdigest(), json.dumps(table, sort_keys=True)):  # fmt: skip
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def _cassette(path: Path | None, record: bool) -> AbstractContextManager[Any]:
    """`path` is the case's cassette, evals/cassettes/<strategy>/<case>.yaml."""
    if path is None:
        return nullcontext()
    try:
        import vcr
    except ImportError:
        raise SummarizerError("--cassettes needs vcrpy: pip install 'summarizer[dev]'") from None

    recorder = vcr.VCR(
        # A case already recorded is replayed and only the requests it lacks are recorded: a stopped run
        # resumes, and a question added to a strategy is asked alone.
        record_mode="new_episodes" if record else "none",
        match_on=["method", "path", "body"],
        filter_headers=["authorization", "x-api-key", "api-key"],
        decode_compressed_response=True,
    )
    return recorder.use_cassette(str(path))


def _predict(
    case: Case,
    options: RunOptions,
    base_url: str | None,
    cassettes: Path | None,
    record: bool,
    context: int | None,
    mode: str | None = None,
) -> CaseResult:
    t0 = time.perf_counter()
    try:
        with _cassette(cassette_path(cassettes, options.strategy, case.id) if cassettes else None, record):
            s = summarize(
                case.article.text,
                published=case.article.published,
                title=case.article.title,
                model=options.model,
                base_url=base_url,
                max_attempts=options.max_attempts,
                prompt=options.prompt,
                strategy=options.strategy,
                context_tokens=context,
                mode=mode,
            )
    except ExtractionError as exc:
        last = exc.failures[-1].completion if exc.failures else None
        return CaseResult(
            id=case.id, status="invalid", error=str(exc), error_type=type(exc).__name__, attempts=exc.attempts,
            prompt_tokens=exc.usage.prompt_tokens, cached_tokens=exc.usage.cached_tokens,
            completion_tokens=exc.usage.completion_tokens, latency_s=round(time.perf_counter() - t0, 3),
            last_completion=last,
        )  # fmt: skip
    except SummarizerError as exc:
        if _stale_cassette(exc):
            return _stale(case)
        usage = exc.usage if isinstance(exc, EndpointError) else None
        return CaseResult(
            id=case.id, status="error", error=str(exc), error_type=type(exc).__name__,
            attempts=getattr(exc, "attempts", 0), prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0, latency_s=round(time.perf_counter() - t0, 3),
        )  # fmt: skip
    except Exception as exc:
        if not _stale_cassette(exc):
            raise
        return _stale(case)
    return CaseResult(
        id=case.id, status="ok", prediction=s.brief, run=s.run, attempts=s.run.attempts,
        prompt_tokens=s.run.prompt_tokens, cached_tokens=s.run.cached_tokens, completion_tokens=s.run.completion_tokens,
        latency_s=s.run.latency_s,
    )  # fmt: skip


def _stale_cassette(exc: BaseException | None) -> bool:
    """vcrpy found no recorded answer for a request (raised inside the HTTP client, maybe wrapped)."""
    while exc is not None:
        if type(exc).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _stale(case: Case) -> CaseResult:
    return CaseResult(
        id=case.id,
        status="error",
        error_type="StaleCassette",
        error="no recorded answer matches this request (prompt or schema changed?): re-record with `make record-eval`",
    )


_TAG = re.compile(r"(\{[{%#].*?[}%#]\})", re.DOTALL)
_OPENS = re.compile(r"\{%-?\s*(if|for|macro|block|call|filter|raw)\b")
_CLOSES = re.compile(r"\{%-?\s*end")


def prompt_literals(prompt: str) -> list[str]:
    """The system template's fixed text outside any tag or block: every request it renders holds it."""
    system = load_prompt(prompt).source.split("\0", 1)[0]
    literals, depth = [], 0
    for i, piece in enumerate(_TAG.split(system)):
        if i % 2:  # a tag
            depth += 1 if _OPENS.match(piece) else -1 if _CLOSES.match(piece) else 0
        elif depth == 0 and len(piece.strip()) >= 20:
            literals.append(piece.strip())
    return literals


def recorded_bodies(cassette: bytes) -> list[dict[str, Any]]:
    """The JSON bodies of the requests a cassette (its bytes) recorded."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(cassette.decode("utf-8"), Loader=loader) or {}
    bodies = []
    for interaction in data.get("interactions", []):
        try:
            body = json.loads(interaction["request"]["body"])
        except (KeyError, TypeError, ValueError):
            continue
        if isinstance(body, dict):
            bodies.append(body)
    return bodies


def recorded_mode(bodies: list[dict[str, Any]]) -> str | None:
    """The mode a cassette's structured requests (`recorded_bodies`) were asked in (see
    `model.endpoint.MODES`): replay asks in it, so that its requests match those recorded. None when
    it holds no structured request."""
    for body in bodies:
        form = (body.get("response_format") or {}).get("type")
        if "grammar" in body:
            return "grammar"
        if "tools" in body:
            return "tools"
        if form == "json_schema":
            return "json_schema"
        if form == "json_object":
            return "json"
    return None


def answers_prompt(bodies: list[dict[str, Any]], literals: list[str]) -> bool:
    """Whether a cassette recorded a request (`recorded_bodies`) whose system message holds all of
    `literals`: when none does, the prompt changed since it was recorded and no recorded answer can
    match (checked before any request, without running the case)."""
    for body in bodies:
        messages = body.get("messages") or []
        system = next((m.get("content") for m in messages if m.get("role") == "system"), None)
        if isinstance(system, str) and all(lit in system for lit in literals):
            return True
    return False


def _missing(case: Case, path: Path) -> CaseResult:
    return CaseResult(
        id=case.id,
        status="error",
        error_type="MissingCassette",
        error=f"no recorded answers ({path} does not exist): record them with `make record-eval`",
    )


def run_eval(
    cases: list[Case],
    *,
    dataset: str,
    model: str | None = None,
    base_url: str | None = None,
    strategy: str = DEFAULT_STRATEGY,
    prompt: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    concurrency: int = 1,
    cache_dir: Path | None = None,
    cassettes: Path | None = None,
    record: bool = False,
    progress: Callable[[CaseResult], None] | None = None,
) -> RunFile:
    """Predict every case (from the cache when possible) and return the run file (not yet saved).
    `prompt` is a prompt folder (default: the strategy's)."""
    how = strategies.get(strategy)
    # Cassettes are recorded from the embedded model: replay asks with its name, context size and mode.
    context = local.DEFAULT_N_CTX if cassettes is not None else None
    if cassettes is not None and not record:
        base_url = base_url or "http://127.0.0.1:8000/v1"  # never contacted: vcrpy answers
        model = model or local.MODEL_NAME
        endpoint_name = "cassettes"
    else:
        ep = resolve_endpoint(base_url=base_url, model=model)
        base_url, model, endpoint_name = ep.base_url, ep.model, ep.name
    options = RunOptions(
        model=model,
        endpoint=endpoint_name,
        strategy=strategy,
        prompt=prompt or how.default_prompt,
        prompt_version=how.version(prompt),
        max_attempts=max_attempts,
        concurrency=1 if cassettes is not None else concurrency,
        code_version=code_version(),
        cassettes=str(cassettes) if cassettes is not None else None,
    )
    run = RunFile(created=datetime.now(UTC).isoformat(timespec="seconds"), dataset=dataset, options=options)
    results: dict[str, CaseResult] = {}
    todo = []
    keys = {}
    modes: dict[str, str] = {}
    literals = prompt_literals(options.prompt) if cassettes is not None and not record else []
    for case in cases:
        answers = b""
        if cassettes is not None:
            path = cassette_path(cassettes, strategy, case.id)
            answers = path.read_bytes() if path.is_file() else b""
            unanswered = None
            if not record and not path.is_file():  # nothing can answer it: never run
                unanswered = _missing(case, path)
            elif not record:
                bodies = recorded_bodies(answers)
                if answers_prompt(bodies, literals):  # replay asks as the cassette was recorded
                    modes[case.id] = recorded_mode(bodies) or embedded_mode(how.mode)
                else:
                    unanswered = _stale(case)
            if unanswered is not None:
                results[case.id] = unanswered
                if progress:
                    progress(unanswered)
                continue
        keys[case.id] = cache_key(case, options, base_url or "", answers)
        cached = _read_cache(cache_dir, case, keys[case.id]) if not record else None
        if cached is not None:
            results[case.id] = cached
            if progress:
                progress(cached)
        else:
            todo.append(case)
    if todo and base_url is None:
        # Start the embedded server once, before any cassette is open: its readiness probe is not model
        # HTTP. The cases then ask the embedded endpoint itself (base_url None), which finds it running.
        ep.url()
        context = context or local.embedded_n_ctx()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        futures = {
            pool.submit(_predict, c, options, base_url, cassettes, record, context, modes.get(c.id)): c for c in todo
        }
        for fut in as_completed(futures):
            case = futures[fut]
            result = fut.result()
            results[case.id] = result
            if result.status != "error" and not record:
                _write_cache(cache_dir, case, keys[case.id], result)
            if progress:
                progress(result)
    run.wall_s = round(time.perf_counter() - t0, 3)
    run.cases = [results[c.id] for c in cases]
    return run


def _read_cache(cache_dir: Path | None, case: Case, key: str) -> CaseResult | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"{case.id}-{key}.json"
    if not path.is_file():
        return None
    return CaseResult.model_validate_json(path.read_text(encoding="utf-8")).model_copy(update={"cached": True})


def _write_cache(cache_dir: Path | None, case: Case, key: str, result: CaseResult) -> None:
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(cache_dir / f"{case.id}-{key}.json", result.model_dump_json())
