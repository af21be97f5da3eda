"""Speed benchmark of the embedded model: the summarizer against the hardware's own limit.

For each article it measures, in one run on this machine:
- the summarizer's wall time, prompt and completion tokens (as the server reports them), and the
  prompt tokens the server really evaluated (its log: the rest came from its prompt cache);
- the hardware limit for those tokens: prompt-processing and generation rates of the same GGUF,
  measured directly with llama.cpp (`llama_cpp.Llama`, same threads and context) right before,
  on a prompt as long as the article's and a generation after it:
  `limit = evaluated_prompt_tokens / pp_rate + completion_tokens / gen_rate`;
- wall / limit (the summarizer's overhead over the bare model), and evaluated prompt tokens /
  article tokens (how often the article is read, summed over all calls).

    python -m tools.bench [--strategy grounded] [--out evals/bench] [ARTICLE ...]

With `--long DIR` it runs the long earnings-call transcripts of DIR (`*.transcript.txt`) instead,
each against its `*.reference_summary.txt`: wall time, calls, tokens, and how many of the distinct
numbers in the reference bullets the brief's figures hold (value or range end within 0.5%).

    python -m tools.bench --long ../shared/long [--only KMI_q2_2021]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer import Article, Summary, read_article, strategies, summarize
from summarizer.finding.figures import figures_in
from summarizer.model import local
from summarizer.text import close, write_atomic

DEFAULT_ARTICLES = [
    "evals/gold/articles/alibaba-2026-01-04.txt",
    "evals/gold/articles/reutersnews-0009.txt",
    "evals/gold/articles/reutersnews-0021.txt",
]
_EVAL = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
_GEN = re.compile(r"\beval time =\s*([\d.]+) ms /\s*(\d+) runs")


def hardware_rates(gguf: Path, text: str, n_ctx: int, n_threads: int, gen_tokens: int = 96) -> dict[str, float]:
    """Prompt-processing and generation tokens/s of the bare model on this machine, for a prompt of
    `text` and a generation right after it (no grammar, no server)."""
    from llama_cpp import Llama

    llm = Llama(model_path=str(gguf), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, verbose=False)
    try:
        tokens = llm.tokenize(text.encode())
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(tokens)
        pp_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(gen_tokens):
            llm.eval([llm.sample(temp=0.0)])  # one token at a time after the prompt, as a server generates
        gen_s = time.perf_counter() - t0
        generated = gen_tokens
    finally:
        llm.close()
    return {"prompt_tokens": len(tokens), "pp_rate": len(tokens) / pp_s, "gen_rate": generated / gen_s}


def _server_timings(log: str) -> tuple[int, int]:
    """(prompt tokens evaluated, tokens generated) summed over the requests in a server log."""
    evaluated = sum(int(m.group(2)) for m in _EVAL.finditer(log))
    generated = sum(int(m.group(2)) for m in _GEN.finditer(log))
    return evaluated, generated


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


def _timed_brief(article: Article, gguf: Path, result: dict[str, Any]) -> tuple[Summary, float, int]:
    """The brief of `article` from a freshly started embedded server: (summary, wall seconds, prompt
    tokens the server really evaluated, from its log)."""
    n_ctx = result["n_ctx"]
    with local.LocalServer(gguf=gguf, n_ctx=n_ctx, n_threads=result["threads"]) as server:
        before = len(server.log_text())
        t0 = time.perf_counter()
        s = summarize(article.text, published=article.published, title=article.title, base_url=server.base_url,
                      model=server.model_name, strategy=result["strategy"], context_tokens=n_ctx)  # fmt: skip
        wall = time.perf_counter() - t0
        evaluated, _generated = _server_timings(server.log_text()[before:])
    return s, wall, evaluated


def _preamble(result: dict[str, Any]) -> str:
    return (
        f"Strategy `{result['strategy']}`, model `{result['model']}`, {result['threads']} threads, "
        f"context {result['n_ctx']}, {result['created']}.\n\n"
    )


def bench(paths: list[str], strategy: str) -> dict[str, Any]:
    gguf = local.resolve_gguf()
    result = _new_result(strategy)
    rows = result["rows"]
    for path in paths:
        article = read_article(path)
        # The hardware's rates, measured on a prompt of the article's own size, with nothing else running.
        rates = hardware_rates(gguf, article.text, result["n_ctx"], result["threads"])
        s, wall, evaluated = _timed_brief(article, gguf, result)
        article_tokens = rates["prompt_tokens"]
        limit = evaluated / rates["pp_rate"] + s.run.completion_tokens / rates["gen_rate"]
        rows.append(
            {
                "article": Path(path).stem,
                "article_tokens": article_tokens,
                "wall_s": round(wall, 1),
                "calls": s.run.attempts,
                "prompt_tokens": s.run.prompt_tokens,
                "prompt_tokens_evaluated": evaluated,
                "completion_tokens": s.run.completion_tokens,
                "pp_rate": round(rates["pp_rate"], 1),
                "gen_rate": round(rates["gen_rate"], 1),
                "limit_s": round(limit, 1),
                "wall_over_limit": round(wall / limit, 2),
                "evaluated_over_article": round(evaluated / article_tokens, 2),
                "metrics": len(s.brief.metrics),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    return result


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
    gguf = local.resolve_gguf()
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
        s, wall, evaluated = _timed_brief(article, gguf, result)
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
                "prompt_tokens_evaluated": evaluated,
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


def to_markdown(result: dict[str, Any]) -> str:
    return _table(result, [
        ("article", "{article}"), ("article tok", "{article_tokens}"), ("wall s", "{wall_s}"), ("calls", "{calls}"),
        ("prompt tok (evaluated)", "{prompt_tokens} ({prompt_tokens_evaluated})"),
        ("completion tok", "{completion_tokens}"), ("pp tok/s", "{pp_rate}"), ("gen tok/s", "{gen_rate}"),
        ("limit s", "{limit_s}"), ("wall / limit", "{wall_over_limit}"),
        ("evaluated / article", "{evaluated_over_article}"),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", default=DEFAULT_ARTICLES)
    parser.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY)
    parser.add_argument("--out", default="evals/bench", help="where bench-<strategy>.{json,md} go")
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
    result = bench(args.articles, args.strategy)
    write_atomic(out / f"bench-{args.strategy}.json", json.dumps(result, indent=2) + "\n")
    write_atomic(out / f"bench-{args.strategy}.md", to_markdown(result))
    print(to_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
