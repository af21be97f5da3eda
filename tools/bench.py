"""Speed benchmark of the embedded model: the summarizer beside a naive one-call brief, same server.

For each article, in one run on this machine, each brief from a freshly started embedded server
(nothing cached, nothing else running):
- the summarizer: wall time, calls, prompt tokens (whole prompts), the prompt tokens the server
  took from its prompt cache and those it evaluated, completion tokens;
- the peer: one instructor call asking for the whole brief at once (`PeerBrief`, JSON schema
  constrained, no retries, nothing read by code), the way a first attempt at the task is written;
- wall / peer wall, and evaluated prompt tokens / article tokens (how often the article is read).

    python -m tools.bench [--strategy grounded] [--out evals/bench] [ARTICLE ...]

With `--engines` it compares the embedded engines on the summarizer's own requests instead: each
request of the default strategy's plan sent as is to llama.cpp's own server (`xllamacpp`, the
default) and to llama-cpp-python's server (when it is installed), same GGUF, threads and context,
one engine after the other; each engine's structured-output form carries the same schema
(`json_schema` for llama.cpp's server; `json_object` with a `schema` for llama-cpp-python, which
refuses the other), so both decode under the same grammar (`bench-engines.{json,md}`).

    python -m tools.bench --engines [ARTICLE ...]

With `--long DIR` it runs the long earnings-call transcripts of DIR (`*.transcript.txt`) instead,
each against its `*.reference_summary.txt`: wall time, calls, tokens, and how many of the distinct
numbers in the reference bullets the brief's figures hold (value or range end within 0.5%).

    python -m tools.bench --long ../shared/long [--only KMI_q2_2021]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx2 as httpx
import instructor
import openai
from instructor.core import InstructorRetryException
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel

from summarizer import Article, Summary, read_article, strategies, summarize
from summarizer.finding.figures import figures_in
from summarizer.model import local
from summarizer.model.endpoint import Endpoint, embedded_mode
from summarizer.strategies import Request
from summarizer.text import close, write_atomic

DEFAULT_ARTICLES = [
    "evals/gold/articles/alibaba-2026-01-04.txt",
    "evals/gold/articles/reutersnews-0009.txt",
    "evals/gold/articles/reutersnews-0021.txt",
]


class PeerMetric(BaseModel):
    name: str
    value: float | None
    unit: str
    period: str | None
    quote: str


class PeerRisk(BaseModel):
    description: str
    category: str
    quote: str


class PeerCatalyst(BaseModel):
    event: str
    date: str | None
    quote: str


class PeerBrief(BaseModel):
    """The brief of a financial news article: the company, stance, thesis, every figure with its unit,
    period and verbatim quote, the risks, the dated catalysts."""

    company: str
    ticker: str | None
    stance: Literal["positive", "negative", "mixed", "neutral"]
    thesis: str
    metrics: list[PeerMetric]
    risks: list[PeerRisk]
    catalysts: list[PeerCatalyst]


def peer_brief(article: Article, base_url: str, model: str) -> dict[str, Any]:
    """One instructor call for the whole brief, what a naive implementation sends: its time and tokens,
    and whether its answer validated (a 1.5B model's often does not; the call is timed either way)."""
    client = instructor.from_openai(openai.OpenAI(base_url=base_url, api_key="local"), mode=instructor.Mode.JSON_SCHEMA)
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": "You are a financial editor. Write a brief of the news article as JSON."},
        {"role": "user", "content": f"Published: {article.published}\n\n{article.text}"},
    ]
    t0 = time.perf_counter()
    try:
        brief, completion = client.chat.completions.create_with_completion(
            model=model, response_model=PeerBrief, max_retries=0, temperature=0, max_tokens=2048, messages=messages
        )
        valid, metrics = True, len(brief.metrics)
    except InstructorRetryException as exc:
        completion, valid, metrics = exc.last_completion, False, 0
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 1), **_usage(completion.usage), "valid": valid, "peer_metrics": metrics}


def _usage(used: Any) -> dict[str, int]:
    details = getattr(used, "prompt_tokens_details", None)
    cached = int(getattr(details, "cached_tokens", 0) or 0)
    return {"prompt_tokens": used.prompt_tokens, "cached_tokens": cached,
            "evaluated_tokens": used.prompt_tokens - cached, "completion_tokens": used.completion_tokens}  # fmt: skip


def _new_result(strategy: str) -> dict[str, Any]:
    """A benchmark result with no rows yet: what was run, on which model, threads and context."""
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "strategy": strategy,
        "model": local.MODEL_NAME,
        "threads": os.cpu_count() or 1,
        "n_ctx": local.embedded_n_ctx(),
        "rows": [],
    }


def _server(result: dict[str, Any]) -> local.LocalServer:
    """A fresh embedded server of this run's own (nothing in its prompt cache)."""
    return local.LocalServer(n_ctx=result["n_ctx"], n_threads=result["threads"], parallel=1, shared=False)


def _timed_brief(article: Article, result: dict[str, Any]) -> tuple[Summary, float]:
    """The brief of `article` from a freshly started embedded server, asked as the embedded default asks
    it (`embedded_mode`): (summary, wall seconds)."""
    mode = embedded_mode(strategies.get(result["strategy"]).mode)
    with _server(result) as server:
        t0 = time.perf_counter()
        s = summarize(article.text, published=article.published, title=article.title, base_url=server.base_url,
                      model=server.model_name, strategy=result["strategy"], context_tokens=result["n_ctx"],
                      mode=mode)  # fmt: skip
        return s, time.perf_counter() - t0


def _article_tokens(base_url: str, text: str) -> int:
    response = httpx.post(base_url.removesuffix("/v1") + "/tokenize", json={"content": text}, timeout=60)
    return len(response.json()["tokens"])


def bench(paths: list[str], strategy: str) -> dict[str, Any]:
    result = _new_result(strategy)
    rows = result["rows"]
    for path in paths:
        article = read_article(path)
        s, wall = _timed_brief(article, result)
        with _server(result) as server:
            peer = peer_brief(article, server.base_url, server.model_name)
            article_tokens = _article_tokens(server.base_url, article.text)
        run = s.run
        rows.append(
            {
                "article": Path(path).stem,
                "article_tokens": article_tokens,
                "wall_s": round(wall, 1),
                "calls": run.attempts,
                "prompt_tokens": run.prompt_tokens,
                "cached_tokens": run.cached_tokens,
                "evaluated_tokens": run.evaluated_tokens,
                "completion_tokens": run.completion_tokens,
                "evaluated_over_article": round(run.evaluated_tokens / article_tokens, 2),
                "metrics": len(s.brief.metrics),
                "peer": peer,
                "wall_over_peer": round(wall / peer["wall_s"], 2),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    total, peer_total = sum(r["wall_s"] for r in rows), sum(r["peer"]["wall_s"] for r in rows)
    result["total"] = {"wall_s": round(total, 1), "peer_wall_s": round(peer_total, 1),
                       "wall_over_peer": round(total / peer_total, 2)}  # fmt: skip
    return result


def to_markdown(result: dict[str, Any]) -> str:
    out = _table(result, [
        ("article", "{article}"), ("article tok", "{article_tokens}"), ("wall s", "{wall_s}"), ("calls", "{calls}"),
        ("prompt tok", "{prompt_tokens}"), ("cached", "{cached_tokens}"), ("evaluated", "{evaluated_tokens}"),
        ("completion tok", "{completion_tokens}"), ("evaluated / article", "{evaluated_over_article}"),
        ("peer wall s", "{peer[wall_s]}"), ("peer evaluated", "{peer[evaluated_tokens]}"),
        ("peer completion", "{peer[completion_tokens]}"), ("peer valid", "{peer[valid]}"), ("wall / peer", "{wall_over_peer}"),
    ])  # fmt: skip
    t = result.get("total")
    if t:
        out += f"\nIn all: {t['wall_s']} s against the peer's {t['peer_wall_s']} s (ratio {t['wall_over_peer']}).\n"
    return out


# --- the engines, on the summarizer's own requests ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _llama_cpp_python(gguf: Path, n_ctx: int, threads: int) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server for `gguf`, stopped on exit."""
    port = _free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
           "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--n_threads_batch", str(threads)]  # fmt: skip
    with tempfile.TemporaryFile() as log, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT) as proc:
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not _ready(port):
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            proc.terminate()


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2):
            return True
    except OSError:
        return False


def _engine_requests(article: Article, n_ctx: int, engine: str) -> list[dict[str, Any]]:
    """The bodies of the default strategy's requests for `article`, in the engine's schema form."""
    how = strategies.get(strategies.DEFAULT_STRATEGY)
    endpoint = Endpoint(base_url="http://unused/v1", api_key="x", model="m", mode=None, context_tokens=n_ctx)
    request = Request(text=article.text, published=article.published, title=article.title,
                      prompt=how.default_prompt, endpoint=endpoint, max_attempts=1, max_tokens=2048)  # fmt: skip
    bodies = []
    for part in how.prepare(request).parts:
        for q, messages in zip(part.questions, part.messages, strict=True):
            body: dict[str, Any] = {"model": "m", "messages": messages, "temperature": 0, "max_tokens": 2048}
            if q.options:
                body.update(max_tokens=1, logprobs=True, top_logprobs=20)
            elif engine == "llama-cpp-python":
                body["response_format"] = {"type": "json_object", "schema": q.model.model_json_schema()}
            else:
                body["response_format"] = {"type": "json_schema",
                                           "json_schema": {"name": q.model.__name__, "schema": q.model.model_json_schema()}}  # fmt: skip
            bodies.append(body)
    return bodies


def _install_seconds(requirement: str) -> float | None:
    """Seconds to install `requirement` into a new virtualenv with pip's cache off (download and any
    build included), or None when it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "venv", tmp], check=True)
        t0 = time.perf_counter()
        done = subprocess.run([f"{tmp}/bin/pip", "install", "--no-cache-dir", "--quiet", requirement],
                              capture_output=True)  # fmt: skip
        return round(time.perf_counter() - t0, 1) if done.returncode == 0 else None


def bench_engines(paths: list[str], install: bool = False) -> dict[str, Any]:
    result = _new_result(strategies.DEFAULT_STRATEGY)
    gguf = local.resolve_gguf()
    engines: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
        "xllamacpp": lambda: _url_of(_server(result)),
    }
    if importlib.util.find_spec("llama_cpp") is not None:
        engines["llama-cpp-python"] = lambda: _llama_cpp_python(gguf, result["n_ctx"], result["threads"])
    for path in paths:
        article = read_article(path)
        for engine, start in engines.items():
            with start() as base_url:
                row: dict[str, Any] = {"article": Path(path).stem, "engine": engine, "calls": 0, "prompt_tokens": 0,
                                       "cached_tokens": 0, "completion_tokens": 0}  # fmt: skip
                t0 = time.perf_counter()
                for body in _engine_requests(article, result["n_ctx"], engine):
                    answer = httpx.post(base_url + "/chat/completions", json=body, timeout=1800)
                    answer.raise_for_status()
                    used = _usage(openai.types.CompletionUsage.model_validate(answer.json()["usage"]))
                    row["calls"] += 1
                    for key in ("prompt_tokens", "cached_tokens", "completion_tokens"):
                        row[key] += used[key]
                row["wall_s"] = round(time.perf_counter() - t0, 1)
                row["cache_reported"] = engine == "xllamacpp"  # llama-cpp-python's usage says nothing of its cache
            result["rows"].append(row)
            print(json.dumps(row), file=sys.stderr)
    if install:
        result["install_s"] = {"xllamacpp": _install_seconds("xllamacpp==2026.10.11549"),
                               "llama-cpp-python": _install_seconds("llama-cpp-python[server]==0.3.36")}  # fmt: skip
    return result


@contextlib.contextmanager
def _url_of(server: local.LocalServer) -> Iterator[str]:
    with server:
        yield server.base_url


def engines_markdown(result: dict[str, Any]) -> str:
    out = _table(result, [
        ("article", "{article}"), ("engine", "{engine}"), ("wall s", "{wall_s}"), ("calls", "{calls}"),
        ("prompt tok", "{prompt_tokens}"), ("cached (reported)", "{cached_tokens}"),
        ("completion tok", "{completion_tokens}"),
    ])  # fmt: skip
    if "install_s" in result:
        out += (
            "\nFresh install, pip cache off: " + ", ".join(f"{k} {v} s" for k, v in result["install_s"].items()) + "\n"
        )
    return out


# --- long transcripts -----------------------------------------------------------------------------


def reference_numbers(text: str) -> list[float]:
    """The distinct numbers of reference bullets (a range gives both ends)."""
    out: list[float] = []
    for line in text.splitlines():
        for f in figures_in(line):
            for v in (f.value, f.value_high):
                if v is not None and not any(close(v, o) for o in out):
                    out.append(v)
    return out


def bench_long(
    directory: str,
    strategy: str,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    only: Sequence[str] = (),
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Each transcript of `directory` (or the `only` ones), shortest first, summarized by the embedded
    model, timed, against its reference; `on_row` gets the result so far after each one (a stopped run
    keeps what it measured). The rows of `previous` for transcripts not run again are kept."""
    result = _new_result(strategy)
    rows = result["rows"]
    paths = sorted(Path(directory).glob("*.transcript.txt"), key=lambda p: p.stat().st_size)
    paths = [p for p in paths if not only or p.name.split(".")[0] in only]
    rerun = {p.name.split(".")[0] for p in paths}
    rows += [r for r in (previous or {}).get("rows", []) if r["transcript"] not in rerun]
    for path in paths:
        article = read_article(path)
        reference = reference_numbers(
            path.with_name(path.name.replace(".transcript.", ".reference_summary.")).read_text()
        )
        s, wall = _timed_brief(article, result)
        values = [v for m in s.brief.metrics for v in (m.value, m.value_high) if v is not None]
        found = [r for r in reference if any(close(r, v) for v in values)]
        rows.append(
            {
                "transcript": path.name.split(".")[0],
                "measured": datetime.now(UTC).isoformat(timespec="seconds"),
                "chars": len(article.text),
                "wall_s": round(wall, 1),
                "calls": s.run.attempts,
                "prompt_tokens": s.run.prompt_tokens,
                "prompt_tokens_evaluated": s.run.evaluated_tokens,
                "completion_tokens": s.run.completion_tokens,
                "metrics": len(s.brief.metrics),
                "risks": len(s.brief.risks),
                "catalysts": len(s.brief.catalysts),
                "reference_numbers": len(reference),
                "recovered": len(found),
                "missing": [r for r in reference if r not in found],
                "company": s.brief.company.name,
                "thesis": s.brief.thesis,
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
        rows.sort(key=lambda r: r["chars"])
        if on_row:
            on_row(result)
    return result


def _preamble(result: dict[str, Any]) -> str:
    return (
        f"Strategy `{result['strategy']}`, model `{result['model']}`, {result['threads']} threads, "
        f"context {result['n_ctx']}, {result['created']}.\n\n"
    )


def _table(result: dict[str, Any], columns: list[tuple[str, str]]) -> str:
    """The preamble, then one row per result row: (header, format of the row's cells) per column."""
    head = "| " + " | ".join(h for h, _ in columns) + " |\n|" + "---|" * len(columns) + "\n"
    lines = ["| " + " | ".join(cell.format_map(_Row(r)) for _, cell in columns) + " |" for r in result["rows"]]
    return _preamble(result) + head + "\n".join(lines) + "\n"


class _Row(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "not recorded"


def long_markdown(result: dict[str, Any]) -> str:
    return _table(result, [
        ("transcript", "{transcript}"), ("chars", "{chars}"), ("wall s", "{wall_s}"), ("calls", "{calls}"),
        ("prompt tok (evaluated)", "{prompt_tokens} ({prompt_tokens_evaluated})"),
        ("completion tok", "{completion_tokens}"), ("figures", "{metrics}"), ("risks", "{risks}"),
        ("catalysts", "{catalysts}"), ("reference numbers recovered", "{recovered} / {reference_numbers}"),
        ("company", "{company}"),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", default=DEFAULT_ARTICLES)
    parser.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY)
    parser.add_argument("--out", default="evals/bench", help="where bench-<strategy>.{json,md} go")
    parser.add_argument("--engines", action="store_true", help="compare the embedded engines (bench-engines.*)")
    parser.add_argument("--install", action="store_true", help="with --engines: also time each engine's fresh install")
    parser.add_argument("--long", metavar="DIR", help="run the long transcripts of DIR instead (long-<strategy>.*)")
    parser.add_argument("--only", nargs="+", default=(), metavar="NAME",
                        help="with --long: run these transcripts again (e.g. KMI_q2_2021), keep the other rows")  # fmt: skip
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.long:
        saved = out / f"long-{args.strategy}.json"

        def save(result: dict[str, Any]) -> None:
            write_atomic(saved, json.dumps(result, indent=2) + "\n")
            write_atomic(saved.with_suffix(".md"), long_markdown(result))

        previous = json.loads(saved.read_text()) if args.only and saved.is_file() else None
        print(long_markdown(bench_long(args.long, args.strategy, on_row=save, only=args.only, previous=previous)))
        return 0
    if args.engines:
        result = bench_engines(args.articles, install=args.install)
        write_atomic(out / "bench-engines.json", json.dumps(result, indent=2) + "\n")
        write_atomic(out / "bench-engines.md", engines_markdown(result))
        print(engines_markdown(result))
        return 0
    result = bench(args.articles, args.strategy)
    write_atomic(out / f"bench-{args.strategy}.json", json.dumps(result, indent=2) + "\n")
    write_atomic(out / f"bench-{args.strategy}.md", to_markdown(result))
    print(to_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
