"""Decision methods side by side on articles nobody tuned on: for each decision the grounded
strategy makes about a sentence, code's cue, the model's recorded answers, and a classifier learned
from the training labels (`summarizer.learning`), optionally with sentence embeddings beside the words.

    python -m tools.decisions --train evals/gold --test evals/test --run RUN [--embeddings EMB.npz] [--json PATH]

Decisions, per shown sentence of every test article:
- risk: does a gold risk quote this sentence? Cue: a word of trouble (`finding.risks`). Model: the
  run's brief kept it as a risk (the model gave it a category, asked about the sentences the run
  asked about).
- catalyst: does a gold catalyst quote it? Cue: a timing in a sentence that looks ahead
  (`finding.timing`). Model: the run's brief has a catalyst from it.
- category: for each gold risk's sentence, its category. Model: the category of the run's risk from
  that sentence (where it kept one).

Figures: precision, recall and F1 of the yes answers (accuracy for the category); for methods with
probabilities, how well they separate right from wrong (ROC AUC) and the F1 at the threshold chosen
on the training set's held-out probabilities. `--embeddings`: an .npz of L2-normalised sentence
vectors per article, named "<train|test folder name>__<case id>", rows in `find()`'s sentence order.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from summarizer.evaluation import load_dataset
from summarizer.evaluation.runner import RunFile
from summarizer.learning import Decisions, Example, best_threshold, examples, fit_one, held_out, same_sentence


def _prf(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(1 for y, p in pairs if y and p)
    taken, n = sum(p for _, p in pairs), sum(y for y, _ in pairs)
    precision, recall = (tp / taken if taken else 0.0), (tp / n if n else 0.0)
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(2 * tp / (taken + n), 3) if taken + n else 0.0,
        "taken": taken,
        "gold": n,
    }


def _auc(pairs: list[tuple[bool, float]]) -> float | None:
    from sklearn.metrics import roc_auc_score

    ys = [y for y, _ in pairs]
    return round(float(roc_auc_score(ys, [p for _, p in pairs])), 3) if 0 < sum(ys) < len(ys) else None


def _model_answers(run: RunFile, test: list[Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """What the run's briefs decided per (case, sentence): risk, its category, catalyst."""
    from summarizer.finding import find

    out: dict[tuple[str, int], dict[str, Any]] = {}
    by_id = {c.id: c for c in run.cases}
    for case in test:
        result = by_id.get(case.id)
        if result is None or result.prediction is None:
            continue
        found = find(case.article.text, case.article.published)
        for i, s in enumerate(found.sentences):
            risks = [r for r in result.prediction.risks if same_sentence(r.evidence, s)]
            out[(case.id, i)] = {
                "risk": bool(risks),
                "category": risks[0].category if risks else None,
                "catalyst": any(same_sentence(k.evidence, s) for k in result.prediction.catalysts),
            }
    return out


def _with_embeddings(data: list[Example], vectors: Any, prefix: str) -> list[Example]:
    out = []
    for e in data:
        row = vectors[f"{prefix}__{e.case}"][e.sentence]
        feats = dict(e.feats) | {f"e{k}": float(v) for k, v in enumerate(row)}
        out.append(Example(e.case, e.sentence, feats, e.risk, e.catalyst, e.category))
    return out


def _learned(train: list[Example], test: list[Example], decision: str) -> dict[str, Any]:
    model = Decisions({"decisions": {decision: fit_one(train, decision)}})
    if decision == "category":
        rows = [e for e in test if e.category]
        right = sum(max(p := model.probabilities(decision, e.feats), key=p.__getitem__) == e.category for e in rows)
        return {"accuracy": round(right / max(1, len(rows)), 3), "n": len(rows)}
    t, _ = best_threshold([(bool(getattr(e, decision)), p[True]) for e, p in held_out(train, decision)])
    scored = [(bool(getattr(e, decision)), model.probability(decision, e.feats)) for e in test]
    return {**_prf([(y, p >= t) for y, p in scored]), "auc": _auc(scored), "threshold": t}


def measure(train_dir: str, test_dir: str, run_path: str | None, embeddings: str | None) -> dict[str, Any]:
    train_cases, test_cases = load_dataset(train_dir), load_dataset(test_dir)
    train, test = examples(train_cases), examples(test_cases)
    model = _model_answers(RunFile.load(Path(run_path)), test_cases) if run_path else {}
    vectors = None
    if embeddings:
        import numpy as np

        vectors = np.load(embeddings)
        train_e = _with_embeddings(train, vectors, Path(train_dir).name)
        test_e = _with_embeddings(test, vectors, Path(test_dir).name)
    table: dict[str, dict[str, Any]] = {}
    cue_of = {"risk": "trouble", "catalyst": "timing"}
    for decision in ("risk", "catalyst"):
        row: dict[str, Any] = {}
        row["cue"] = _prf([(getattr(e, decision), e.feats[cue_of[decision]] > 0) for e in test])
        if model:
            answered = [e for e in test if (e.case, e.sentence) in model]
            row["model"] = _prf([(getattr(e, decision), model[(e.case, e.sentence)][decision]) for e in answered])
        row["learned (words)"] = _learned(train, test, decision)
        if vectors is not None:
            row["learned (words + embeddings)"] = _learned(train_e, test_e, decision)
        table[decision] = row
    row = {}
    if model:
        said = [
            (e.category, model[(e.case, e.sentence)]["category"])
            for e in test
            if e.category and model.get((e.case, e.sentence), {}).get("category")
        ]
        row["model"] = {"accuracy": round(sum(a == b for a, b in said) / max(1, len(said)), 3), "n": len(said)}
    row["learned (words)"] = _learned(train, test, "category")
    if vectors is not None:
        row["learned (words + embeddings)"] = _learned(train_e, test_e, "category")
    table["category"] = row
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="evals/gold")
    ap.add_argument("--test", default="evals/test")
    ap.add_argument("--run", help="a run file of the test split (the model's recorded answers)")
    ap.add_argument("--embeddings", help="an .npz of sentence embeddings for both folders")
    ap.add_argument("--json", help="write the table as JSON here")
    args = ap.parse_args(argv)
    table = measure(args.train, args.test, args.run, args.embeddings)
    for decision, row in table.items():
        for method, f in row.items():
            print(f"{decision:9} {method:30} " + "  ".join(f"{k} {v}" for k, v in f.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
