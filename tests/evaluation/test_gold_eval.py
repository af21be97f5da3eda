"""The CI eval job: the whole pipeline over the whole gold set, the model's HTTP replayed from the
cassettes recorded from the embedded model (`make record-eval`), scored, and gated on the committed
baseline report. A changed prompt or schema makes every case a stale-cassette error here."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import evaluation as ev
from summarizer.local import MODEL_NAME

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
CASSETTES = ROOT / "evals" / "cassettes"
BASELINE = ROOT / "evals" / "baseline.report.json"


@pytest.fixture(scope="module")
def cases() -> list[ev.Case]:
    return ev.load_dataset(GOLD)


def test_gold_set_has_thirty_hand_labeled_cases(cases):
    labeled = [c for c in cases if c.gold is not None]
    assert len(labeled) >= 30
    assert (GOLD / "SOURCES.tsv").read_text().count("\n") >= len(cases)


@pytest.mark.xfail(
    strict=True,
    reason="the first live recording (session 1) covered 27 of the 33 gold cases before the session ended; "
    "complete it with `make record-eval`, then remove this mark",
)
def test_the_baseline_covers_the_whole_gold_set(cases):
    baseline = ev.load_report(BASELINE)
    assert {c.id for c in baseline.cases} == {c.id for c in cases if c.gold is not None}


def test_replayed_eval_does_not_regress_below_the_baseline(cases, tmp_path):
    baseline = ev.load_report(BASELINE)
    covered = {c.id for c in baseline.cases}
    run = ev.run_eval([c for c in cases if c.id in covered], dataset="evals/gold", model=MODEL_NAME,
                      cassettes=CASSETTES, max_attempts=baseline.options.max_attempts)  # fmt: skip
    stale = [r.id for r in run.cases if r.error_type == "StaleCassette"]
    assert not stale, f"cassettes do not match the current prompt/schema for {stale}: run `make record-eval`"
    assert run.options.prompt_version == baseline.options.prompt_version
    report = ev.score_run(run, cases)
    assert ev.check_baseline(report, baseline) == []
    # Replay is deterministic: the same answers give the same scores as the live run did.
    assert report.totals == {k: v for k, v in baseline.totals.items() if not k.startswith("cost.latency")} | {
        k: v for k, v in report.totals.items() if k.startswith("cost.latency")
    }
    thresholds = ev.thresholds_from_pyproject(ROOT / "pyproject.toml")
    assert ev.check_thresholds(report, thresholds) == []
