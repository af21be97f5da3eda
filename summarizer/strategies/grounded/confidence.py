"""How sure the brief is of each decision, and which ones an editor should check.

A metric's name, kind and period, a risk or a catalyst are decided from signals code can name: which
cue (or the model) gave the kind, where the period window came from, the risk's category, whether a
timing lies ahead of the article. Each signal has a measured rate of being right on the labeled gold
set (`calibration.json`, written by `python -m tools.calibrate` from a replayed run), and that rate
is the item's confidence. The stance's confidence is the model's own probability for the option it
chose (None when the endpoint gives no probabilities).

An item is flagged for review when its confidence is below its decision's threshold (also in
`calibration.json`): the lowest confidence at which the items kept unflagged were right at least
`TRUSTED` of the time on the gold set. Where no threshold reaches that, every item of the decision
is flagged: an unflagged item is one an editor may trust. A stance with no probability is flagged.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from ...finding.kinds import kind_cue
from ...text import normalize_ws

TRUSTED = 0.95  # the share of unflagged items that should be right
SMOOTHING = 4.0  # a signal seen n times counts as n + SMOOTHING items, the extra at its decision's rate
DECISIONS = ("metrics", "risks", "catalysts", "stance")


def metric_signal(metric: dict[str, Any], reporting: tuple[date, date] | None) -> str:
    """What a metric was decided on: the kind's source ("cue:target", or "model:other" when no cue
    spoke) and the window's ("clause", "reporting": the article's reporting period, or "none"); a
    name that is empty or the figure itself is "unnamed"."""
    evidence, written = metric["evidence"], metric["as_written"]
    if mere_figure(metric["name"], written):
        return "unnamed"
    at = evidence.find(written)
    cue = kind_cue(evidence, at, at + len(written)) if at >= 0 else None
    source = f"cue:{cue}" if cue else f"model:{metric['kind']}"
    start, end = metric.get("period_start"), metric.get("period_end")
    if start is None:
        window = "none"
    elif reporting is not None and (start, end) == reporting:
        window = "reporting"
    else:
        window = "clause"
    return f"{source}|{window}"


def mere_figure(name: str, as_written: str) -> bool:
    """A name that says nothing but the figure ("3bn yuan", "$50 billion figure", "figure 3bn")."""
    words = re.sub(r"[^a-z]+", " ", name.lower().replace(as_written.lower(), " ")).split()
    return not [w for w in words if w not in {"figure", "amount", "value", "number", "the", "of", "a", "an"}]


def risk_signal(risk: dict[str, Any]) -> str:
    """A risk was decided on its category, and described by the model or by its own sentence cut
    short ("clipped": the model described it like another risk)."""
    description = normalize_ws(risk["description"]).rstrip("…")
    clipped = normalize_ws(risk["evidence"]).startswith(description)
    return f"{risk['category']}|{'clipped' if clipped else 'described'}"


def catalyst_signal(catalyst: dict[str, Any], published: date | None) -> str:
    """A catalyst was decided on its timing: ahead of the article or not, and how wide its window is;
    an event that is not a name ("copied": a clause of its sentence, or the date phrase itself) is
    its own signal."""
    if copied_event(catalyst.get("event", ""), catalyst.get("date_text", ""), catalyst.get("evidence", "")):
        return "copied"
    start, end = catalyst.get("window_start"), catalyst.get("window_end")
    if start is None or end is None:
        return "undated"
    ahead = "ahead" if published is None or start > published else "behind"
    days = (end - start).days
    width = "day" if days < 1 else "month" if days <= 31 else "quarter" if days <= 92 else "longer"
    return f"{ahead}|{width}"


def copied_event(event: str, date_text: str, evidence: str) -> bool:
    """An event that names nothing: the date phrase itself ("in February"), or a clause of six words
    or more copied from its sentence."""
    e = normalize_ws(event).lower().strip(" .")
    if not e or e == normalize_ws(date_text).lower() or e in ("null", "none"):
        return True
    return len(e.split()) >= 6 and e in normalize_ws(evidence).lower()


@cache
def table(strategy: str = "grounded") -> dict[str, Any]:
    """The measured rates and thresholds of `strategy` (empty when it has none: every confidence is
    then its decision's prior)."""
    path = resources.files(__package__).joinpath("calibration.json")
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get(strategy, {}))
    except FileNotFoundError:
        return {}


def rate(decision: str, signal: str, rates: dict[str, Any] | None = None) -> float:
    """The smoothed share right of the items of `decision` decided on `signal`."""
    data = rates if rates is not None else table()
    counts = data.get("counts", {}).get(decision, {})
    right, n = sum(r for r, _ in counts.values()), sum(k for _, k in counts.values())
    prior = (right + 1) / (n + 2)
    r, k = counts.get(signal, (0, 0))
    return round((r + SMOOTHING * prior) / (k + SMOOTHING), 4)


def threshold(decision: str, rates: dict[str, Any] | None = None) -> float | None:
    """The confidence from which items of `decision` go unflagged; None when no confidence earned
    that on the gold set (or nothing was measured)."""
    data = rates if rates is not None else table()
    value = data.get("thresholds", {}).get(decision)
    return None if value is None else float(value)


def flag(decision: str, confidence: float | None, rates: dict[str, Any] | None = None) -> bool:
    """Whether an item of `decision` with `confidence` should be checked by an editor: always, when
    its decision has no threshold."""
    limit = threshold(decision, rates)
    return confidence is None or limit is None or confidence < limit
