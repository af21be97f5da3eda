"""The CI eval job: `evaluate()` over the whole gold set, for every strategy with a committed
baseline, the model's HTTP replayed from the cassettes recorded from the embedded model
(`make record-eval STRATEGY=...`), scored, and gated on the baseline report and the pyproject floors.
A changed prompt or schema makes every case a stale-cassette error here ("could not evaluate").

Its JUnit XML and Markdown summary go to tests/artifacts/ (what a CI job shows), checked here."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from summarizer import evaluation as ev
from summarizer.model.local import MODEL_NAME
from summarizer.strategies import DEFAULT_STRATEGY

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
CASSETTES = ROOT / "evals" / "cassettes"
BASELINES = ROOT / "evals" / "baselines"
ARTIFACTS = ROOT / "tests" / "artifacts"
# A strategy's baseline on the gold set is <strategy>.report.json; on another dataset <strategy>-<dataset>.
STRATEGIES = sorted(p.name.removesuffix(".report.json") for p in BASELINES.glob("*.report.json") if "-" not in p.name)
TEST = ROOT / "evals" / "test"


@pytest.fixture(scope="module")
def cases() -> list[ev.Case]:
    return ev.load_dataset(GOLD)


def test_gold_set_has_thirty_hand_labeled_cases(cases):
    labeled = [c for c in cases if c.gold is not None]
    assert len(labeled) >= 30
    assert (GOLD / "SOURCES.tsv").read_text().count("\n") >= len(cases)


def test_the_default_strategy_has_a_baseline():
    assert DEFAULT_STRATEGY in STRATEGIES


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_baseline_covers_the_whole_gold_set(cases, strategy):
    baseline = ev.load_report(BASELINES / f"{strategy}.report.json")
    assert baseline.options.strategy == strategy
    assert {c.id for c in baseline.cases} == {c.id for c in cases if c.gold is not None}


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_replayed_eval_does_not_regress_below_the_baseline(strategy):
    baseline_path = BASELINES / f"{strategy}.report.json"
    baseline = ev.load_report(baseline_path)
    settings = ev.eval_settings(ROOT / "pyproject.toml")
    result = ev.evaluate(
        GOLD, strategy=strategy, model=MODEL_NAME, cassettes=CASSETTES, max_attempts=baseline.options.max_attempts,
        cache=False, save=False, baseline=baseline_path,
        thresholds=ev.thresholds_from_pyproject(ROOT / "pyproject.toml", strategy),
        tolerance=settings["tolerance"], cost_tolerance=settings["cost_tolerance"],
    )  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    junit, summary = ARTIFACTS / f"eval-{strategy}.junit.xml", ARTIFACTS / f"eval-{strategy}.summary.md"
    junit.write_text(ev.to_junit(result), encoding="utf-8")
    summary.write_text(ev.to_summary(result), encoding="utf-8")
    assert not result.unanswered, f"{result.verdict}"
    assert result.run.options.prompt_version == baseline.options.prompt_version
    assert result.regressions == [], result.verdict
    assert result.verdict.startswith(f"eval {strategy}: passed: ")
    # Replay is deterministic: the same answers give the same scores as the live run did.
    latency = {k for k in baseline.totals if k.startswith("cost.latency")}
    assert {k: v for k, v in result.report.totals.items() if k not in latency} == {
        k: v for k, v in baseline.totals.items() if k not in latency
    }

    # The CI's view: a test per case and scorer and per check, none failed; the summary's verdict and deltas.
    suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
    cases = suites[f"eval.{strategy}.cases"]
    assert len(cases) == int(cases.get("tests")) == 33 * len(result.report.cases[0].scores)
    checks = suites[f"eval.{strategy}.checks"]
    assert len(checks) == len(result.checks) == result.floors + len(result.comparison.differences)
    assert {s.get("failures") for s in suites.values()} == {s.get("errors") for s in suites.values()} == {"0"}
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"### {result.verdict}\n")
    assert "| metrics.f1 | ↑ | " in text and "| cost.prompt_tokens_mean | ↓ | " in text


def test_the_test_split_is_labeled_apart_from_the_gold_set(cases):
    test = ev.load_dataset(TEST)
    assert len(test) >= 13 and all(c.gold is not None for c in test)
    assert not {c.id for c in test} & {c.id for c in cases}, "an article is in both the gold set and the test split"
    assert not {c.article.text for c in test} & {c.article.text for c in cases}
    assert (TEST / "SOURCES.tsv").read_text().count("\n") == len(test) + 1


def test_replayed_test_split_holds_its_own_floors_and_baseline():
    """The test split (articles no rule, prompt or threshold was fitted on) gated like the gold set,
    on floors of its own: `[tool.summarizer.eval.fail_under.grounded.test]`."""
    strategy = DEFAULT_STRATEGY
    baseline_path = BASELINES / f"{strategy}-test.report.json"
    settings = ev.eval_settings(ROOT / "pyproject.toml")
    floors = ev.thresholds_from_pyproject(ROOT / "pyproject.toml", strategy, dataset="test")
    assert floors != ev.thresholds_from_pyproject(ROOT / "pyproject.toml", strategy)
    assert {"calibration.fields.unflagged_accuracy", "calibration.fields.flagged_share"} <= set(floors)
    result = ev.evaluate(
        TEST, strategy=strategy, model=MODEL_NAME, cassettes=CASSETTES, cache=False, save=False,
        baseline=baseline_path, thresholds=floors,
        tolerance=settings["tolerance"], cost_tolerance=settings["cost_tolerance"],
    )  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"eval-{strategy}-test.junit.xml").write_text(ev.to_junit(result), encoding="utf-8")
    (ARTIFACTS / f"eval-{strategy}-test.summary.md").write_text(ev.to_summary(result), encoding="utf-8")
    assert not result.unanswered, result.verdict
    assert result.regressions == [], result.verdict
    assert result.verdict.startswith(f"eval {strategy}: passed: "), result.verdict
