"""The CI eval job: the whole pipeline over the whole gold set, for every strategy with a committed
baseline, the model's HTTP replayed from the cassettes recorded from the embedded model
(`make record-eval STRATEGY=...`), scored, and gated on the baseline report and the pyproject floors.
A changed prompt or schema makes every case a stale-cassette error here."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import evaluation as ev
from summarizer.model.local import MODEL_NAME
from summarizer.strategies import DEFAULT_STRATEGY

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
CASSETTES = ROOT / "evals" / "cassettes"
BASELINES = ROOT / "evals" / "baselines"
STRATEGIES = sorted(p.name.removesuffix(".report.json") for p in BASELINES.glob("*.report.json"))


@pytest.fixture(scope="module")
def cases() -> list[ev.Case]:
    return ev.load_dataset(GOLD)


def test_gold_set_has_thirty_hand_labeled_cases(cases):
    labeled = [c for c in cases if c.gold is not None]
    assert len(labeled) >= 30
    assert (GOLD / "SOURCES.tsv").read_text().count("\n") >= len(cases)


def test_the_default_strategy_has_a_baseline():
    assert DEFAULT_STRATEGY in STRATEGIES


# A live recording that ran out of session time before the last case: named here, so the gap is a
# strict expected failure that turns red the moment the recording is completed (then remove the entry).
INCOMPLETE: dict[str, str] = {}  # strategy -> why its baseline does not cover the gold set yet


@pytest.mark.parametrize(
    "strategy",
    [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=INCOMPLETE[s])) if s in INCOMPLETE else s
     for s in STRATEGIES],
)  # fmt: skip
def test_the_baseline_covers_the_whole_gold_set(cases, strategy):
    baseline = ev.load_report(BASELINES / f"{strategy}.report.json")
    assert baseline.options.strategy == strategy
    assert {c.id for c in baseline.cases} == {c.id for c in cases if c.gold is not None}


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_replayed_eval_does_not_regress_below_the_baseline(cases, strategy):
    baseline = ev.load_report(BASELINES / f"{strategy}.report.json")
    covered = {c.id for c in baseline.cases}
    run = ev.run_eval([c for c in cases if c.id in covered], dataset="evals/gold", model=MODEL_NAME, strategy=strategy,
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
    thresholds = ev.thresholds_from_pyproject(ROOT / "pyproject.toml", strategy)
    assert ev.check_thresholds(report, thresholds) == []
