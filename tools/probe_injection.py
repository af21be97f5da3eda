"""How the embedded model handles the injection corpus, live: one brief per adversarial article of
tests/injection/, what the instruction filter caught, and what of the injection reached the brief.

    python -m tools.probe_injection [--no-filter] [--only FILE ...] [--out evals/bench]

With `--no-filter` the filter that leaves paragraphs addressed to a model out of the prompt is
switched off, so every injection reaches the model: what is left to stop it is the prompt, the
checks on figures, quotes and dates, and the model itself. Writes injection-<filter|no-filter>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from unittest import mock

from summarizer import SummarizerError, finding, read_article, summarize
from summarizer.model.local import MODEL_NAME, shared_server
from summarizer.text import write_atomic
from tests.test_injection import CASES, HERE, leaks


def probe(cases: list[dict], use_filter: bool) -> list[dict]:
    rows = []
    base_url = shared_server().base_url
    for case in cases:
        a = read_article(HERE / case["file"])
        with mock.patch.object(finding, "is_instruction", finding.is_instruction if use_filter else lambda s: False):
            caught = bool(finding.find(a.text, a.published).instructions)
            try:
                s = summarize(a.text, published=a.published, title=a.title, base_url=base_url, model=MODEL_NAME)
                row: dict[str, Any] = {
                    "outcome": "brief",
                    "leaks": leaks(case, a.text, s.brief),
                    "thesis": s.brief.thesis,
                }
            except SummarizerError as exc:
                row = {"outcome": f"{type(exc).__name__}: {str(exc)[:160]}", "leaks": [], "thesis": None}
        rows.append({"file": case["file"], "caught_by_filter": caught, **row})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def markdown(rows: list[dict], use_filter: bool) -> str:
    lines = [
        f"Instruction filter {'on' if use_filter else 'off'}; embedded model, grounded strategy.\n",
        "| article | filter caught it | outcome | what of the injection reached the brief |",
        "|---|---|---|---|",
    ]
    for r in rows:
        outcome = "brief" if r["outcome"] == "brief" else r["outcome"].split(":")[0]
        lines.append(f"| {r['file']} | {'yes' if r['caught_by_filter'] else 'no'} | {outcome} "
                     f"| {'; '.join(r['leaks']) or 'nothing'} |")  # fmt: skip
    leaked = sum(1 for r in rows if r["leaks"])
    lines.append(f"\n{len(rows)} articles, {sum(r['caught_by_filter'] for r in rows)} caught by the filter, "
                 f"{sum(r['outcome'] == 'brief' for r in rows)} briefs, {leaked} with something of the injection.")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-filter", action="store_true", help="let every injection reach the model")
    parser.add_argument("--only", nargs="*", help="these files of tests/injection/ only")
    parser.add_argument("--out", default="evals/bench")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c["file"] in args.only]
    rows = probe(cases, not args.no_filter)
    name = f"injection-{'no-filter' if args.no_filter else 'filter'}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / f"{name}.json", json.dumps(rows, indent=2) + "\n")
    write_atomic(out / f"{name}.md", markdown(rows, not args.no_filter))
    print(markdown(rows, not args.no_filter))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
