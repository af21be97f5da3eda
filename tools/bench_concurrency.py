"""Batch throughput against a loopback OpenAI-compatible server that answers after a fixed delay.

    python -m tools.bench_concurrency [--articles 32] [--delay 1.0] [--out evals/bench]

`summarize_many()` briefs the same number of articles at concurrency 1, 4, 8 and 16 with the
default (grounded) strategy; the server sleeps `delay` seconds per request, so the speedup over
concurrency 1 is what the library's own overhead and locking leave of the ideal. Real HTTP, real
sockets; the answers are test doubles (this measures the library, not a model).
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from summarizer import read_article, summarize_many
from summarizer.finding import find
from summarizer.strategies.grounded.questions import task_variables
from summarizer.text import write_atomic
from tests.conftest import SEED
from tests.scripted_server import Reply, ScriptedServer


def answers(text: str, published: date | None) -> dict[str, dict]:
    """A schema-conforming answer to each question of the grounded strategy, by the answer's name."""
    found = find(text, published)
    brief = {"company": {"name": "Alibaba Group", "ticker": "BABA"},
             "thesis": "Alibaba is being re-rated as an AI-infrastructure company.",
             "catalysts": {f"T{i}": None for i in range(1, len(found.timings) + 1)}}  # fmt: skip
    kinds = set(task_variables(found)["kind_ids"])
    labels = {f"F{i}": {"name": "figure"} | ({"kind": "other"} if i in kinds else {})
              for i in range(1, len(found.figures) + 1)}  # fmt: skip
    return {"BriefAnswer": brief, "RiskCall": {"category": "none", "risk": ""}, "FigureLabels": labels}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_concurrency")
    parser.add_argument("--articles", type=int, default=32)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--out", default="evals/bench")
    args = parser.parse_args(argv)
    a = read_article(SEED)
    by_tool = {name: Reply(arguments, delay=args.delay) for name, arguments in answers(a.text, a.published).items()}
    rows = []
    for concurrency in (1, 4, 8, 16):
        with ScriptedServer([], by_tool=by_tool, choice_delay=args.delay) as srv:
            t0 = time.perf_counter()
            out = summarize_many([a.text] * args.articles, concurrency=concurrency, published=a.published,
                                 base_url=srv.base_url, model="m")  # fmt: skip
            wall = time.perf_counter() - t0
        assert all(o.ok for o in out), [str(o.error) for o in out if not o.ok][:1]
        rows.append({"concurrency": concurrency, "articles": args.articles, "wall_s": round(wall, 2),
                     "articles_per_s": round(args.articles / wall, 2)})  # fmt: skip
    base = rows[0]["articles_per_s"]
    for r in rows:
        r["speedup"] = round(r["articles_per_s"] / base, 2)
    table = "| concurrency | articles | wall s | articles/s | speedup |\n|---|---|---|---|---|\n" + "\n".join(
        f"| {r['concurrency']} | {r['articles']} | {r['wall_s']} | {r['articles_per_s']} | {r['speedup']}x |"
        for r in rows
    )
    calls = 3 + len(find(a.text, a.published).risk_sentences)
    note = (
        f"Loopback server answering each request after {args.delay} s; {calls} requests per brief (grounded: "
        "the brief, the stance, each risk sentence, the figures).\n\n"
    )
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / "concurrency.json", json.dumps({"delay_s": args.delay, "rows": rows}, indent=2) + "\n")
    write_atomic(out_dir / "concurrency.md", note + table + "\n")
    print(note + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
