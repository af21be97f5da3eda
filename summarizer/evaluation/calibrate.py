"""Fitting a confidence table on a run over labeled articles, by nested cross-validation.

Each decided field of each predicted brief is a row: its field ("metrics.kind"), its basis (what
decided it, from the brief's checks), the model's own probability where the field is a choice read
from probabilities (the stance), and whether gold holds it right (`scoring.fields_right`).

Fitting a table on rows counts, per field and basis, the fields right; each field's threshold is
chosen on confidences each article gets from a table of the other articles (leave one article out):
the lowest at which the fields kept unflagged were right at least `TRUSTED` of the time while at
least `MIN_KEPT` of them stay unflagged; where none does, none (every such field is flagged).

What the report calls held out comes from nested cross-validation: the articles are split into
`FOLDS` folds; a table is fitted (counts and thresholds, with its own inner leave-one-out) on all
folds but one and applied to that one, whose fields it never saw. The table written is fitted on every
article; its held-out figures say how it does on articles it was not fitted on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ..errors import SummarizerError
from ..learning import Decisions, load_decisions
from ..strategies.grounded import confidence as conf
from .dataset import Case, labels_digest
from .runner import RunFile, code_version
from .scoring import DECISIONS, fields_right

MIN_KEPT = 0.10  # a threshold must leave at least this share of a field's rows unflagged
FOLDS = 5
MIN_STANCES = 8  # labeled stances with probabilities needed to fit the stance offsets
STANCE_STEPS, STANCE_RATE, STANCE_RIDGE = 2000, 0.1, 0.01
BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))

Row = dict[str, Any]  # {"case", "key", "basis", "own", "right"}; a stance's also "truth" and "raw" probabilities
# The fields whose item a learned decision chose (`summarizer learn`): a table fitted on the labels that
# decision was trained on would vouch for it in-sample, so there they get no rate and no threshold.
LEARNED = {"risks.risk": "risk", "catalysts.event": "catalyst"}


class CalibrationDataError(SummarizerError):
    """A run that cannot be calibrated on: no labeled case, or briefs without per-field bases."""


def field_rows(run: RunFile, cases: list[Case]) -> list[Row]:
    """Every decided field of every scored case of `run` that gold can judge."""
    by_id = {c.id: c for c in cases}
    rows: list[Row] = []
    for result in run.cases:
        case = by_id.get(result.id)
        if case is None or case.gold is None or result.prediction is None:
            continue
        pred = result.prediction
        right = fields_right(case.gold, pred)
        for group in DECISIONS[:3]:
            for item, fields in zip(getattr(pred, group), right[group], strict=True):
                for f, ok in fields.items():
                    if ok is None:
                        continue
                    if f not in item.checks:
                        raise CalibrationDataError(
                            f"{result.id}: its brief gives no per-field bases (drawn by another strategy or "
                            "an older version): run the dataset again to calibrate"
                        )
                    rows.append({"case": case.id, "key": f"{group}.{f}", "basis": item.checks[f].basis,
                                 "own": None, "right": bool(ok)})  # fmt: skip
        rows.append({"case": case.id, "key": "stance.stance", "basis": "model", "own": pred.stance_confidence,
                     "right": bool(right["stance"][0]["stance"]), "truth": case.gold.stance,
                     "raw": _mean(result.run.choices) if result.run is not None else None})  # fmt: skip
    if not rows:
        raise CalibrationDataError("the run has no labeled case with a brief: nothing to calibrate on")
    return rows


def _mean(choices: Sequence[dict[str, float]]) -> dict[str, float] | None:
    """The options' probabilities averaged over the parts' choices, as the strategy averages them."""
    if not choices:
        return None
    return {o: sum(c.get(o, 0.0) for c in choices) / len(choices) for o in choices[0]}


def fit_stance_offsets(rows: list[Row]) -> dict[str, float]:
    """Per-option offsets to the logarithms of the model's stance probabilities that make the labels
    most likely (multinomial likelihood, a small ridge; gradient descent on a convex loss). Empty with
    fewer than `MIN_STANCES` labeled articles whose stance came with probabilities."""
    pairs = [(r["raw"], r["truth"]) for r in rows if r["key"] == "stance.stance" and r.get("raw")]
    if len(pairs) < MIN_STANCES:
        return {}
    options = sorted(pairs[0][0])
    b = dict.fromkeys(options, 0.0)
    for _ in range(STANCE_STEPS):
        grad = dict.fromkeys(options, 0.0)
        for raw, truth in pairs:
            q = conf.stance_probabilities(raw, {"stance_offsets": b})
            for o in options:
                grad[o] += q[o] - (o == truth)
        for o in options:
            b[o] -= STANCE_RATE * (grad[o] / len(pairs) + STANCE_RIDGE * b[o])
    return {o: round(v, 4) for o, v in b.items()}


def with_offsets(rows: list[Row], offsets: dict[str, float]) -> list[Row]:
    """The stance rows decided again with `offsets` applied to their probabilities (own confidence and
    whether right); rows without probabilities and other fields unchanged."""
    if not offsets:
        return rows
    out = []
    for r in rows:
        if r["key"] == "stance.stance" and r.get("raw"):
            p = conf.stance_probabilities(r["raw"], {"stance_offsets": offsets})
            best = max(p, key=lambda o: p[o])
            r = r | {"own": round(p[best], 4), "right": best == r["truth"]}
        out.append(r)
    return out


def counts(rows: list[Row], not_fitted: Sequence[str] = ()) -> dict[str, dict[str, list[int]]]:
    table: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for r in rows:
        if r["key"] == "stance.stance" or r["key"] in not_fitted:
            continue
        cell = table[r["key"]].setdefault(r["basis"], [0, 0])
        cell[0] += int(r["right"])
        cell[1] += 1
    return {k: dict(sorted(cells.items())) for k, cells in sorted(table.items())}


def confidence(row: Row, table: dict[str, Any]) -> float | None:
    return conf.field_confidence(row["key"], row["basis"], table, row["own"])


def left_out(rows: list[Row], not_fitted: Sequence[str] = ()) -> list[Row]:
    """Each row with the confidence a table of the other articles gives it."""
    out = []
    for case in sorted({r["case"] for r in rows}):
        table = {"counts": counts([r for r in rows if r["case"] != case], not_fitted), "not_fitted": list(not_fitted)}
        out += [r | {"confidence": confidence(r, table)} for r in rows if r["case"] == case]
    return out


def choose_threshold(rows: list[Row]) -> float | None:
    """The lowest confidence from which the rows kept are right `TRUSTED` of the time, keeping at
    least `MIN_KEPT` of them; None when none does."""
    known = [r for r in rows if r["confidence"] is not None]
    for t in sorted({r["confidence"] for r in known}):
        kept = [r["right"] for r in known if r["confidence"] >= t]
        if len(kept) >= MIN_KEPT * len(rows) and sum(kept) >= conf.TRUSTED * len(kept):
            return float(t)
    return None


def fit(rows: list[Row], not_fitted: Sequence[str] = ()) -> dict[str, Any]:
    """Counts and thresholds fitted on `rows` (thresholds on their leave-one-article-out confidences);
    the fields `not_fitted` get neither."""
    offsets = fit_stance_offsets(rows)
    rows = with_offsets(rows, offsets)
    loo = left_out(rows, not_fitted)
    keys = sorted({r["key"] for r in rows}, key=conf.FIELD_KEYS.index)
    fitted = [k for k in keys if k not in not_fitted]
    return {
        "counts": counts(rows, not_fitted),
        "thresholds": {k: choose_threshold([r for r in loo if r["key"] == k]) if k in fitted else None for k in keys},
        "not_fitted": sorted(not_fitted),
        "stance_offsets": offsets,
    }


def held_out(rows: list[Row], folds: int = FOLDS, not_fitted: Sequence[str] = ()) -> list[Row]:
    """Each row with the confidence and flag of a table fitted on the other folds (nested: that
    table's thresholds come from its own leave-one-out)."""
    cases = sorted({r["case"] for r in rows})
    k = max(2, min(folds, len(cases)))
    fold_of = {c: i % k for i, c in enumerate(cases)}
    out = []
    for fold in range(k):
        table = fit([r for r in rows if fold_of[r["case"]] != fold], not_fitted)
        for r in with_offsets(rows, table["stance_offsets"]):
            if fold_of[r["case"]] == fold:
                c = confidence(r, table)
                out.append(r | {"confidence": c, "flagged": conf.flag(r["key"], c, table)})
    return out


def figures(rows: list[Row]) -> dict[str, Any]:
    """Per field and over every field: rows, share right, accuracy of the unflagged, share flagged,
    accuracy by confidence band."""
    out: dict[str, Any] = {}
    keys = sorted({r["key"] for r in rows}, key=conf.FIELD_KEYS.index)
    for key in (*keys, "fields"):
        mine = [r for r in rows if key in ("fields", r["key"])]
        kept = [r["right"] for r in mine if not r["flagged"]]
        bands = {}
        for lo, hi in BANDS:
            inside = [r["right"] for r in mine if r["confidence"] is not None and lo <= r["confidence"] < hi]
            bands[f"{lo:.2f}-{min(hi, 1.0):.2f}"] = [
                round(sum(inside) / len(inside), 4) if inside else None,
                len(inside),
            ]
        out[key] = {
            "n": len(mine),
            "right": round(sum(r["right"] for r in mine) / len(mine), 4),
            "unflagged_accuracy": round(sum(kept) / len(kept), 4) if kept else None,
            "flagged_share": round(sum(r["flagged"] for r in mine) / len(mine), 4),
            "by_band": bands,
        }
    return out


def trained_on(cases: list[Case], dataset: str, decisions: Decisions | None) -> list[str]:
    """The fields chosen by a learned decision trained on any of these labels (one of its labels, else
    the same digest or folder)."""
    if decisions is None:
        return []
    data = decisions.data
    if "labels" in data:
        seen = bool(set(data["labels"]) & {c.gold_digest for c in cases})
    else:
        seen = data.get("gold_digest") == labels_digest(cases) or data.get("dataset") == dataset
    return [key for key, d in LEARNED.items() if seen and decisions.has(d)]


def calibrate(
    run: RunFile, cases: list[Case], *, dataset: str, run_name: str = "", decisions: Decisions | None = None
) -> dict[str, Any]:
    """The confidence table of `run`'s strategy, prompt version and model, fitted on its labeled
    cases, with the held-out figures of nested cross-validation and where it came from. Fields chosen
    by `decisions` (default: the learned decisions briefs use) trained on these same labels are left
    unfitted: their confidence is unknown and they are always flagged."""
    rows = field_rows(run, cases)
    scored = sorted({r["case"] for r in rows})
    labeled = [c for c in cases if c.id in scored]
    digest = labels_digest(labeled)
    not_fitted = trained_on(labeled, dataset, load_decisions() if decisions is None else decisions)
    return {
        "strategy": run.options.strategy,
        "prompt": run.options.prompt_version,
        "model": run.options.model,
        "dataset": dataset,
        "cases": len(scored),
        "gold_digest": digest,
        "code": code_version(),
        "run": run_name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "trusted": conf.TRUSTED,
        **fit(rows, not_fitted),
        "folds": max(2, min(FOLDS, len(scored))),
        "held_out": figures(held_out(rows, not_fitted=not_fitted)),
    }
