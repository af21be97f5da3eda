"""A grounded strategy's confidence table, measured on a run over labeled articles: for each kind
of decision and each signal it was decided on, how many items were right (gold holds them as
decided), and per decision the review threshold. Writes the run's strategy's entry of
`summarizer/strategies/grounded/calibration.json`.

How well the table predicts articles it was not measured on is estimated by leaving one article out
at a time: each article's items get confidences from a table of the other articles, and the
thresholds are chosen on those held-out confidences: per decision, the lowest threshold at which
the items kept unflagged were right at least `TRUSTED` of the time while at least `MIN_KEPT` of
them stay unflagged; where none does, none: every item of that decision is flagged.

    python -m tools.calibrate evals/runs/<run>.run.json [--dataset evals/gold]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from summarizer.evaluation import RunFile, load_dataset
from summarizer.evaluation.scoring import decisions_right
from summarizer.finding import find
from summarizer.finding.periods import reporting_period
from summarizer.strategies.grounded import confidence as conf
from summarizer.text import write_atomic

OUT = Path(conf.__file__).with_name("calibration.json")
MIN_KEPT = 0.10  # a threshold must leave at least this share of items unflagged
BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))


def items(run: RunFile, dataset: str) -> list[dict[str, Any]]:
    """Every decided item of every scored case: its article, decision, signal, confidence (stance:
    the model's), and whether it is right."""
    cases = {c.id: c for c in load_dataset(dataset)}
    out: list[dict[str, Any]] = []
    for result in run.cases:
        case = cases.get(result.id)
        if case is None or case.gold is None or result.prediction is None:
            continue
        pred, published = result.prediction, case.article.published
        found = find(case.article.text, published)
        reporting = reporting_period(found.sentences, published)
        right = decisions_right(case.gold, pred)
        signals = {
            "metrics": [conf.metric_signal(m.model_dump(), reporting) for m in pred.metrics],
            "risks": [conf.risk_signal(r.model_dump()) for r in pred.risks],
            "catalysts": [conf.catalyst_signal(c.model_dump(), published) for c in pred.catalysts],
        }
        for decision, sigs in signals.items():
            out += [{"case": case.id, "decision": decision, "signal": s, "right": ok}
                    for s, ok in zip(sigs, right[decision], strict=True)]  # fmt: skip
        out.append({"case": case.id, "decision": "stance", "signal": pred.stance,
                    "confidence": pred.stance_confidence, "right": right["stance"][0]})  # fmt: skip
    return out


def counts(rows: list[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
    table: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for r in rows:
        if r["decision"] == "stance":
            continue
        cell = table[r["decision"]].setdefault(r["signal"], [0, 0])
        cell[0] += int(r["right"])
        cell[1] += 1
    return {d: dict(sorted(cells.items())) for d, cells in sorted(table.items())}


def held_out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item with the confidence a table of the other articles gives it."""
    out = []
    for case in sorted({r["case"] for r in rows}):
        rates = {"counts": counts([r for r in rows if r["case"] != case])}
        for r in rows:
            if r["case"] == case:
                c = r.get("confidence") if r["decision"] == "stance" else conf.rate(r["decision"], r["signal"], rates)
                out.append(r | {"confidence": c})
    return out


def choose_threshold(rows: list[dict[str, Any]]) -> float | None:
    known = [r for r in rows if r["confidence"] is not None]
    for t in sorted({r["confidence"] for r in known}):
        kept = [r["right"] for r in known if r["confidence"] >= t]
        if len(kept) >= MIN_KEPT * len(rows) and sum(kept) >= conf.TRUSTED * len(kept):
            return float(t)
    return None  # no confidence earns trust: every item is flagged


def figures(rows: list[dict[str, Any]], thresholds: dict[str, float | None]) -> dict[str, Any]:
    """Per decision and in all: the accuracy of the unflagged items, the share flagged, accuracy by band."""
    out: dict[str, Any] = {}
    for decision in (*conf.DECISIONS, "all"):
        mine = [r for r in rows if decision in ("all", r["decision"])]
        flagged = [conf.flag(r["decision"], r["confidence"], {"thresholds": thresholds}) for r in mine]
        kept = [r["right"] for r, f in zip(mine, flagged, strict=True) if not f]
        bands = {}
        for lo, hi in BANDS:
            inside = [r["right"] for r in mine if r["confidence"] is not None and lo <= r["confidence"] < hi]
            bands[f"{lo:.2f}-{min(hi, 1.0):.2f}"] = [
                round(sum(inside) / len(inside), 4) if inside else None,
                len(inside),
            ]
        out[decision] = {
            "n": len(mine),
            "right": round(sum(r["right"] for r in mine) / len(mine), 4) if mine else None,
            "unflagged_accuracy": round(sum(kept) / len(kept), 4) if kept else None,
            "flagged_share": round(sum(flagged) / len(flagged), 4) if flagged else None,
            "by_band": bands,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="a run file (evals/runs/*.run.json)")
    parser.add_argument("--dataset", default="evals/gold")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    run = RunFile.model_validate_json(Path(args.run).read_text(encoding="utf-8"))
    rows = items(run, args.dataset)
    loo = held_out(rows)
    thresholds = {d: choose_threshold([r for r in loo if r["decision"] == d]) for d in conf.DECISIONS}
    table = {
        "run": Path(args.run).name,
        "dataset": args.dataset,
        "trusted": conf.TRUSTED,
        "counts": counts(rows),
        "thresholds": thresholds,
        "held_out": figures(loo, thresholds),
    }
    out = Path(args.out)
    tables = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    write_atomic(out, json.dumps(tables | {run.options.strategy: table}, indent=1) + "\n")
    print(json.dumps({"thresholds": thresholds, "held_out": table["held_out"]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
