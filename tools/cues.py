"""Code's cues against a dataset's gold labels, rule by rule: for every gold figure, the kind cue that
speaks at the figure's place in its evidence (`kind_cue_named`) against the gold kind, and the window
the period rules read there (`figure_window_named`, given the gold kind and the article's reporting
period) against the gold period by the eval's overlap rule (`periods_agree`). No model is called.

    python -m tools.cues DATASET_DIR [--json PATH] [--misses]

Per rule: how often it decided (fired), how often gold agrees, and the accuracy; for kinds also the
figures no cue spoke for, the accuracy where a cue speaks and its coverage; for periods the accuracy
over all figures.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from summarizer.evaluation import load_dataset
from summarizer.evaluation.scoring import periods_agree
from summarizer.finding import find
from summarizer.finding.kinds import kind_cue_named
from summarizer.finding.periods import figure_window_named, reporting_period
from summarizer.text import normalize_ws

NO_CUE = "(no cue)"


def measure(dataset: str | Path, misses: list[str] | None = None) -> dict[str, Any]:
    """The rule tables of one dataset's gold figures; a figure the rules read unlike gold is appended
    to `misses` as one line, when it is given."""
    kind_fired: Counter[str] = Counter()
    kind_right: Counter[str] = Counter()
    period_fired: Counter[str] = Counter()
    period_right: Counter[str] = Counter()
    figures = unplaced = 0
    for case in load_dataset(dataset):
        if case.gold is None:
            continue
        published = case.article.published
        reporting = reporting_period(find(case.article.text, published).sentences, published)
        for g in case.gold.metrics:
            figures += 1
            sentence, written = normalize_ws(g.evidence), normalize_ws(g.as_written)
            at = sentence.find(written)
            if at < 0:
                unplaced += 1
                continue
            end = at + len(written)
            named = kind_cue_named(sentence, at, end)
            rule = named[1] if named else NO_CUE
            kind_fired[rule] += 1
            kind_right[rule] += named is not None and named[0] == g.kind
            window, source = figure_window_named(sentence, at, end, published, kind=g.kind, reporting=reporting)
            proposed = g.model_copy(
                update={"period_start": window[0] if window else None, "period_end": window[1] if window else None}
            )
            ok = periods_agree(g, proposed)
            period_fired[source] += 1
            period_right[source] += ok
            if misses is not None and named is not None and named[0] != g.kind:
                misses.append(f"{case.id}: kind {named[0]} ({rule}), gold {g.kind}: {written!r} | {sentence[:140]}")
            if misses is not None and not ok:
                got = f"{window[0]}..{window[1]}" if window else "none"
                misses.append(
                    f"{case.id}: period {got} ({source}), gold {g.period_start}..{g.period_end} ({g.kind}):"
                    f" {written!r} | {sentence[:140]}"
                )
    placed = figures - unplaced
    spoke = placed - kind_fired[NO_CUE]
    cue_right = sum(v for k, v in kind_right.items() if k != NO_CUE)
    return {
        "dataset": str(dataset),
        "figures": figures,
        "unplaced": unplaced,
        "kind": {
            "rules": _table(kind_fired, kind_right, skip=NO_CUE),
            "no_cue": kind_fired[NO_CUE],
            "fired": spoke,
            "right": cue_right,
            "accuracy_where_fired": _rate(cue_right, spoke),
            "coverage": _rate(spoke, placed),
        },
        "period": {
            "rules": _table(period_fired, period_right),
            "right": sum(period_right.values()),
            "accuracy": _rate(sum(period_right.values()), placed),
        },
    }


def _rate(k: int, n: int) -> float:
    return round(k / n, 4) if n else 0.0


def _table(fired: Counter[str], right: Counter[str], skip: str | None = None) -> dict[str, dict[str, Any]]:
    return {
        rule: {"fired": n, "agrees": right[rule], "accuracy": _rate(right[rule], n)}
        for rule, n in sorted(fired.items(), key=lambda r: (-r[1], r[0]))
        if rule != skip
    }


def render(result: dict[str, Any]) -> str:
    """The tables as text."""
    kind, period = result["kind"], result["period"]
    lines = [
        f"{result['dataset']}: {result['figures']} gold figures ({result['unplaced']} not found in their evidence)"
    ]
    lines += ["", f"{'kind rule':<24}{'fired':>7}{'agrees':>8}{'accuracy':>10}"]
    lines += [f"{r:<24}{v['fired']:>7}{v['agrees']:>8}{v['accuracy']:>10.3f}" for r, v in kind["rules"].items()]
    lines += [
        f"{NO_CUE:<24}{kind['no_cue']:>7}",
        f"{'where a cue fires':<24}{kind['fired']:>7}{kind['right']:>8}{kind['accuracy_where_fired']:>10.3f}"
        f"   coverage {kind['coverage']:.3f}",
        "",
        f"{'period rule':<24}{'fired':>7}{'agrees':>8}{'accuracy':>10}",
    ]
    lines += [f"{r:<24}{v['fired']:>7}{v['agrees']:>8}{v['accuracy']:>10.3f}" for r, v in period["rules"].items()]
    lines.append(f"{'all figures':<24}{sum(v['fired'] for v in period['rules'].values()):>7}"
                 f"{period['right']:>8}{period['accuracy']:>10.3f}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.cues", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", help="a dataset folder (articles/ and labels/)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON to PATH")
    parser.add_argument("--misses", action="store_true", help="also list the figures a rule reads unlike gold")
    args = parser.parse_args(argv)
    misses: list[str] | None = [] if args.misses else None
    result = measure(args.dataset, misses)
    print(render(result))
    for line in misses or []:
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
