"""Candidates side by side: several strategies, prompt folders and models over one or more datasets (the gold
set the rules were fitted on and a test split nobody tunes on), one report each, and a grid of their figures
(rows are figures, columns are candidates)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .evaluate import Evaluation, evaluate
from .report import _fmt, grouped


@dataclass(frozen=True)
class Candidate:
    strategy: str
    model: str | None = None
    prompt: str | None = None  # a prompt folder; default: the strategy's
    dataset: str | None = None  # named in the column when the grid spans several datasets

    @property
    def name(self) -> str:
        return (
            self.strategy
            + (f" · prompt {self.prompt}" if self.prompt else "")
            + (f" · {self.model}" if self.model else "")
            + (f" · {self.dataset}" if self.dataset else "")
        )


def grid(
    candidates: list[Candidate], dataset: str | Path = "evals/gold", **options: Any
) -> list[tuple[Candidate, Evaluation]]:
    """Evaluate each candidate (the same `options` of `evaluate()` for all) on its dataset, else `dataset`."""
    return [
        (c, evaluate(c.dataset or dataset, strategy=c.strategy, model=c.model, prompt=c.prompt, **options))
        for c in candidates
    ]


def to_grid_markdown(results: list[tuple[Candidate, Evaluation]]) -> str:
    """A Markdown table: a row per headline figure, a column per candidate, the 95% interval beside
    each value (none where every resample gives the same value); a replay has no latency, and a
    candidate whose answers are not all recorded has no figures."""
    header = "| figure | " + " | ".join(f"`{c.name}`" for c, _ in results) + " |"
    lines = [header, "|---|" + "---|" * len(results)]
    reports = [e.report for _, e in results]
    keys = [f"{g}.{n}" for g, rows in grouped(reports[0].totals) for n, _ in rows] if reports else []
    for r in reports[1:]:
        keys += [k for k in r.totals if k not in keys]
    for key in keys:
        cells = []
        for _, e in results:
            r = e.report
            if e.unanswered:
                cells.append(f"could not evaluate: {len(e.unanswered)} cases have no recorded answer")
            elif key not in r.totals:
                cells.append("–")
            elif key.startswith("cost.latency") and r.options.endpoint == "cassettes":
                cells.append("(replayed)")
            else:
                v = r.totals[key]
                lo, hi = r.intervals.get(key, (v, v))
                cells.append(_fmt(key, v) + (f" [{_fmt(key, lo)}, {_fmt(key, hi)}]" if hi > lo else ""))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    cases = ", ".join(f"{r.cases_scored}" for r in reports)
    lines += [
        "",
        f"Cases scored per column: {cases}; prompts: " + ", ".join(r.identity.get("prompt", "?") for r in reports),
    ]
    return "\n".join(lines) + "\n"
