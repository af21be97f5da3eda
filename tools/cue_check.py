"""What code proposes for each gold figure without a model, against gold: its kind from the cues
nearest it (how often a cue speaks, and how often it is right then), and its period window (the
eval's overlap rule), given the gold kind.

    python -m tools.cue_check [--dataset evals/gold] [--misses]
"""

from __future__ import annotations

import argparse
import json

from summarizer.evaluation import load_dataset
from summarizer.evaluation.scoring import periods_agree
from summarizer.finding import find
from summarizer.finding.kinds import kind_cue
from summarizer.finding.periods import figure_window, reporting_period
from summarizer.text import normalize_ws


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.cue_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="evals/gold")
    parser.add_argument("--misses", action="store_true", help="list the figures whose window disagrees")
    args = parser.parse_args(argv)
    right = null_right = total = spoke = cue_right = 0
    for case in load_dataset(args.dataset):
        if case.gold is None:
            continue
        reporting = reporting_period(find(case.article.text, case.article.published).sentences, case.article.published)
        for g in case.gold.metrics:
            sentence = normalize_ws(g.evidence)
            at = sentence.find(normalize_ws(g.as_written))
            w = figure_window(sentence, at, at + len(g.as_written), case.article.published,
                              kind=g.kind, reporting=reporting)  # fmt: skip
            proposed = g.model_copy(update={"period_start": w[0] if w else None, "period_end": w[1] if w else None})
            ok = periods_agree(g, proposed)
            cue = kind_cue(sentence, at, at + len(normalize_ws(g.as_written)))
            spoke += cue is not None
            cue_right += cue == g.kind
            right += ok
            null_right += g.period_start is None
            total += 1
            if args.misses and not ok:
                print(f"{case.id}: {g.as_written!r} gold {g.period!r} {g.period_start}..{g.period_end} "
                      f"code {w[0] if w else None}..{w[1] if w else None} | {sentence[:110]}")  # fmt: skip
    print(json.dumps({"dataset": args.dataset, "figures": total, "kind_cue_spoke": spoke,
                      "kind_cue_right_when_spoke": round(cue_right / max(spoke, 1), 4),
                      "window_right": round(right / total, 4), "all_null_right": round(null_right / total, 4)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
