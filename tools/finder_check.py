"""The figure finder alone against a dataset's gold labels: every figure code reads in each article
against every gold figure, matched by the eval's rule (unit, value, value_high). No model is called.

    python -m tools.finder_check [--dataset evals/gold] [--misses]
"""

from __future__ import annotations

import argparse
import json

from summarizer.evaluation import load_dataset
from summarizer.evaluation.scoring import PRF, score_metrics
from summarizer.finding import find
from summarizer.schema import Metric


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.finder_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="evals/gold")
    parser.add_argument("--misses", action="store_true", help="also list the gold figures the finder misses")
    args = parser.parse_args(argv)
    total = PRF()
    for case in load_dataset(args.dataset):
        if case.gold is None:
            continue
        found = find(case.article.text, case.article.published)
        read = [
            Metric.model_construct(name="", value=f.value, value_high=f.value_high, qualifier=f.qualifier,
                                   unit=f.unit, currency=f.currency, as_written=f.as_written, kind="other", period=None)
            for f in found.figures
        ]  # fmt: skip
        score = score_metrics(case.gold.metrics, read)
        total += score.prf
        if args.misses:
            hit = {i for i, _ in score.pairs}
            for i, g in enumerate(case.gold.metrics):
                if i not in hit:
                    print(f"{case.id}: missed {g.as_written!r} ({g.value} {g.unit})")
    print(json.dumps({"dataset": args.dataset, "matched": total.matched, "read": total.predicted,
                      "gold": total.gold, "precision": round(total.precision, 4), "recall": round(total.recall, 4),
                      "f1": round(total.f1, 4)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
