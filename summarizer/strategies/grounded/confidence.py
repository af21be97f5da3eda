"""How sure the brief is of each field it decided, and which fields an editor should check.

Every decided field has a basis: the signal code can name for how it was decided. A metric's figure
(its unit), name (read from its clause by code, or how many of the model's words the clause says), kind (the named cue that read
it, or the model's choice where no cue spoke) and period (the named rule that read its window, by
kind); a risk (its category, described or its sentence
cut short) and its category; a catalyst's event (a name, or words copied from its sentence) and
window (ahead of the article or not, and how wide). Each basis has a measured rate of being right on
a labeled set, and that rate is the field's confidence. The stance's confidence is the model's own
probability for the option it chose, after the table's per-option offsets take out the model's lean
toward one option (`stance_probabilities`).

A field is flagged for review when its confidence is below its field's threshold: the lowest
confidence at which the fields kept unflagged were right at least `TRUSTED` of the time on articles
the table was not fitted on. Where no threshold earns that, every such field is flagged. An item is
flagged when any of its fields is; its confidence is the product of its fields'.

Rates and thresholds come from a table fitted for one strategy, prompt version and model
(`summarizer calibrate`; `calibration.py`). With no table for the model in use, a field has no
confidence except the model's own probability, and every field is flagged: another model's rates
say nothing about this one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from ...schema import FIELDS
from ...text import normalize_ws

TRUSTED = 0.95  # the share of unflagged fields that should be right
SMOOTHING = 4.0  # a basis seen n times counts as n + SMOOTHING fields, the extra at its field's rate
# Each decided field, as "<items>.<field>" ("metrics.kind").
FIELD_KEYS = tuple(f"{group}.{field}" for group, fields in FIELDS.items() for field in fields)
_STOP = {"the", "of", "a", "an", "and", "or", "in", "on", "for", "to", "by", "at", "its", "per", "from", "with"}


def metric_bases(
    metric: dict[str, Any], cue: str | None, window: str, at: int | None = None, named_by: str = "model"
) -> dict[str, str]:
    """The basis of each field of a metric: `cue` is the name of the kind cue read at the figure's own
    span (`finding.kinds`; None when none spoke and the model chose), `window` the name of the rule
    that read its period window (`finding.periods`), with its kind; `at` is where the figure stands
    in its sentence (default: its first occurrence); `named_by` "clause" when its name is the one
    its clause gives (`finding.names`), "model" when it is the model's."""
    name = (
        "clause" if named_by == "clause" else name_basis(metric["name"], metric["as_written"], metric["evidence"], at)
    )
    return {
        "figure": f"unit:{metric['unit']}",
        "name": name,
        "kind": f"cue:{cue}" if cue else f"model:{metric['kind']}",
        "period": f"{window}|{metric['kind']}",
    }


NEAR_BEFORE, NEAR_AFTER = 60, 40  # the figure's clause, in characters before and after it


def name_basis(name: str, as_written: str, sentence: str, at: int | None = None) -> str:
    """How much of a name its figure's clause says: "unnamed" (the name says nothing but the figure),
    else the share of the name's words found within a few words of the figure ("near:all",
    "near:most" for half or more, "near:some", "near:none"). A name in the clause's own words is
    what the figure measures more often than one the model brought."""
    if mere_figure(name, as_written):
        return "unnamed"
    words = [w for w in re.findall(r"[a-z][a-z&'-]+", name.lower()) if w not in _STOP]
    if not words:
        return "unnamed"
    at = sentence.find(as_written) if at is None else at
    start = max(0, at) - NEAR_BEFORE if at >= 0 else 0
    clause = sentence[max(0, start) : (at + len(as_written) + NEAR_AFTER) if at >= 0 else len(sentence)]
    said = {w[:5] for w in re.findall(r"[a-z][a-z&'-]+", clause.lower())}
    share = sum(w[:5] in said for w in words) / len(words)
    return "near:all" if share == 1 else "near:most" if share >= 0.5 else "near:some" if share > 0 else "near:none"


def mere_figure(name: str, as_written: str) -> bool:
    """A name that says nothing but the figure ("3bn yuan", "$50 billion figure", "figure 3bn")."""
    words = re.sub(r"[^a-z]+", " ", name.lower().replace(as_written.lower(), " ")).split()
    return not [w for w in words if w not in {"figure", "amount", "value", "number", "the", "of", "a", "an"}]


def likelihood(p: float | None) -> str:
    """How likely the learned decision found an item's sentence: "likely" from `LIKELY`, "possible"
    below, "cue" when no learned decision chose it (code's word cues did)."""
    return "cue" if p is None else "likely" if p >= LIKELY else "possible"


LIKELY = 0.7


def risk_bases(risk: dict[str, Any], p: float | None = None) -> dict[str, str]:
    """A risk is decided on how likely its sentence states one (`p`, the learned decision's
    probability) and its category, and described by the model or by its own sentence cut short
    ("clipped": the model described it like another risk)."""
    description = normalize_ws(risk["description"]).rstrip("…")
    clipped = normalize_ws(risk["evidence"]).startswith(description)
    return {
        "risk": f"{likelihood(p)}|{'clipped' if clipped else 'described'}",
        "category": f"category:{risk['category']}",
    }


def catalyst_bases(
    catalyst: dict[str, Any], published: date | None, p: float | None = None, named_by: str = "model"
) -> dict[str, str]:
    """A catalyst's event is the model's name, words it copied from its sentence (or its date phrase),
    or the phrase code read from the sentence's clause (`named_by` "clause"), dated or not, in a
    sentence the learned decision found likely or possible (`p`); its window lies ahead of the article
    or not (unknown without a publication date), and is a day, a month, a quarter or longer."""
    copied = copied_event(catalyst.get("event", ""), catalyst.get("date_text") or "", catalyst.get("evidence", ""))
    start, end = catalyst.get("window_start"), catalyst.get("window_end")
    if start is None or end is None:
        window = "undated"
    else:
        ahead = "unknown" if published is None else "ahead" if start > published else "behind"
        days = (end - start).days
        width = "day" if days < 1 else "month" if days <= 31 else "quarter" if days <= 92 else "longer"
        window = f"{ahead}|{width}"
    dated = "undated" if start is None else "dated"
    event = f"clause|{dated}" if named_by == "clause" else "copied" if copied else f"named|{dated}"
    return {"event": f"{event}|{likelihood(p)}", "window": window}


def copied_event(event: str, date_text: str, evidence: str) -> bool:
    """An event that names nothing: the date phrase itself ("in February"), or a clause of six words
    or more copied from its sentence."""
    e = normalize_ws(event).lower().strip(" .")
    if not e or e == normalize_ws(date_text).lower() or e in ("null", "none"):
        return True
    return len(e.split()) >= 6 and e in normalize_ws(evidence).lower()


def stance_probabilities(raw: Mapping[str, float], table: dict[str, Any] | None) -> dict[str, float]:
    """The stance options' probabilities with the table's offsets added to their logarithms and
    renormalised: a model that leans toward one option whatever the article (this one says
    "positive" for most mixed articles) has the lean fitted on labels taken out. `raw` unchanged
    without offsets."""
    offsets = (table or {}).get("stance_offsets") or {}
    if not offsets or not raw:
        return dict(raw)
    scores = {o: math.log(max(p, 1e-6)) + float(offsets.get(o, 0.0)) for o, p in raw.items()}
    top = max(scores.values())
    total = sum(math.exp(v - top) for v in scores.values())
    return {o: math.exp(v - top) / total for o, v in scores.items()}


def rate(key: str, basis: str, table: dict[str, Any]) -> float:
    """The smoothed share right of the fields `key` decided on `basis`."""
    counts = table.get("counts", {}).get(key, {})
    right, n = sum(r for r, _ in counts.values()), sum(k for _, k in counts.values())
    prior = (right + 1) / (n + 2)
    r, k = counts.get(basis, (0, 0))
    return round((r + SMOOTHING * prior) / (k + SMOOTHING), 4)


def threshold(key: str, table: dict[str, Any]) -> float | None:
    """The confidence from which fields `key` go unflagged; None when no confidence earned that."""
    value = table.get("thresholds", {}).get(key)
    return None if value is None else float(value)


def flag(key: str, confidence: float | None, table: dict[str, Any] | None) -> bool:
    """Whether a field with `confidence` should be checked: always without a table, without a
    confidence, or when its field has no threshold."""
    if table is None or confidence is None:
        return True
    limit = threshold(key, table)
    return limit is None or confidence < limit


def field_confidence(key: str, basis: str, table: dict[str, Any] | None, own: float | None = None) -> float | None:
    """A field's confidence: `own`, the model's probability, where the field is a choice read from
    probabilities (the stance); else the table's rate for its basis (None without a table, or when
    the table leaves the field unfitted)."""
    if key == "stance.stance":
        return own
    if table is None or key in table.get("not_fitted", ()):
        return None
    return rate(key, basis, table)


def check(key: str, basis: str, table: dict[str, Any] | None, own: float | None = None) -> dict[str, Any]:
    """One field's check: its confidence (`field_confidence`), review flag and basis."""
    confidence = field_confidence(key, basis, table, own)
    return {"confidence": confidence, "review": flag(key, confidence, table), "basis": basis}


def item_summary(checks: dict[str, dict[str, Any]]) -> tuple[float | None, bool]:
    """An item's confidence (the product of its fields', None when one is unknown) and review flag
    (any field flagged)."""
    values = [c["confidence"] for c in checks.values()]
    confidence = None if any(v is None for v in values) else round(math.prod(values), 4)
    return confidence, any(c["review"] for c in checks.values())
