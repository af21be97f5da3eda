"""Candidates side by side: several strategies and models over one dataset, one report each, and a
grid of their figures (rows are figures, columns are candidates)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .evaluate import evaluate
from .report import Report, _fmt, grouped


@dataclass(frozen=True)
class Candidate:
    strategy: str
    model: str | None = None

    @property
    def name(self) -> str:
        return f"{self.strategy}" + (f" · {self.model}" if self.model else "")


def grid(
    candidates: list[Candidate], dataset: str | Path = "evals/gold", **options: Any
) -> list[tuple[Candidate, Report]]:
    """Evaluate each candidate (the same `options` of `evaluate()` for all) and return its report."""
    return [(c, evaluate(dataset, strategy=c.strategy, model=c.model, **options).report) for c in candidates]


def to_grid_markdown(results: list[tuple[Candidate, Report]]) -> str:
    """A Markdown table: a row per headline figure, a column per candidate, the 95% interval beside
    each value (none where every resample gives the same value); a replay has no latency."""
    header = "| figure | " + " | ".join(f"`{c.name}`" for c, _ in results) + " |"
    lines = [header, "|---|" + "---|" * len(results)]
    keys = [f"{g}.{n}" for g, rows in grouped(results[0][1].totals) for n, _ in rows] if results else []
    for _, r in results[1:]:
        keys += [k for k in r.totals if k not in keys]
    for key in keys:
        cells = []
        for _, r in results:
            if key not in r.totals:
                cells.append("–")
                continue
            if key.startswith("cost.latency") and r.options.endpoint == "cassettes":
                cells.append("(replayed)")
                continue
            v = r.totals[key]
            lo, hi = r.intervals.get(key, (v, v))
            cells.append(_fmt(key, v) + (f" [{_fmt(key, lo)}, {_fmt(key, hi)}]" if hi > lo else ""))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    cases = ", ".join(f"{r.cases_scored}" for _, r in results)
    lines += [
        "",
        f"Cases scored per column: {cases}; prompts: " + ", ".join(r.identity.get("prompt", "?") for _, r in results),
    ]
    return "\n".join(lines) + "\n"
