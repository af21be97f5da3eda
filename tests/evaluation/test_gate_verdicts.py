"""What the eval gate says when it cannot evaluate, when a gold label changes, and when a difference is
within its interval: the recorded answers of the embedded model (evals/cassettes/, re-recorded by
`make record-eval`) and the committed baselines, replayed or re-scored; no model is called."""

from __future__ import annotations

import hashlib
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from summarizer import evaluation as ev
from summarizer.cli import main
from summarizer.prompts import load_prompt

from ..scripted_server import FakeModel

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
CASSETTES = ROOT / "evals" / "cassettes"
BASELINES = ROOT / "evals" / "baselines"
# The run the grounded baseline was scored from: its predictions, re-scored against an edited gold set.
BASELINE_RUN = ROOT / "evals" / "runs" / "20261203T040452-grounded.run.json"


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def changed_prompt(tmp_path, monkeypatch):
    """The grounded prompt with one more sentence, in a copy of the prompt folders."""
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    system = prompts / "grounded" / "system.j2"
    system.write_text(system.read_text(encoding="utf-8") + "\nBe brief.\n", encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_PROMPTS", str(prompts))
    load_prompt.cache_clear()
    yield prompts
    load_prompt.cache_clear()


def test_a_prompt_change_cannot_be_evaluated_from_the_recorded_answers(changed_prompt, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # the repository's floors and baselines apply
    before = _digest(BASELINES)
    code = main(["-q", "eval", "--strategy", "grounded", "--cassettes", str(CASSETTES), "--no-cache",
                 "--out", str(tmp_path / "runs"), "--junit", str(tmp_path / "eval.xml")])  # fmt: skip
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 4
    assert out[-1].startswith("eval grounded: could not evaluate: 33 cases have no recorded answer (alibaba-2026-01-04")
    assert "make record-eval STRATEGY=grounded" in out[-1]
    assert "regression" not in out[-1] and "FAILED" not in out[-1]
    xml = (tmp_path / "eval.xml").read_text()
    assert xml.count('message="no recorded answer"') == 33 * 9  # every case's every scorer, an error
    assert _digest(BASELINES) == before


def test_a_case_without_recorded_answers_is_named_and_not_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    recorded, unrecorded = "bbc-0001", "sentivent-0015"
    (tmp_path / "cassettes" / "single").mkdir(parents=True)  # a cassette folder holding one case only
    shutil.copy(CASSETTES / "single" / f"{recorded}.yaml", tmp_path / "cassettes" / "single")
    code = main(["-q", "eval", "--strategy", "single", "--cassettes", str(tmp_path / "cassettes"), "--dataset",
                 str(GOLD), "--case", recorded, "--case", unrecorded, "--out", str(tmp_path / "runs"), "--no-cache",
                 "--no-baseline"])  # fmt: skip
    verdict = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 4
    assert verdict.startswith(f"eval single: could not evaluate: 1 cases have no recorded answer ({unrecorded})")
    run = ev.RunFile.load(next((tmp_path / "runs").glob("*.run.json")))
    missing = next(c for c in run.cases if c.id == unrecorded)
    assert missing.error_type == "MissingCassette" and missing.latency_s == 0.0  # never run


def test_an_unknown_case_or_figure_stops_the_job_before_any_model_call(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with FakeModel([]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        base = ["eval", "--strategy", "single", "--dataset", str(GOLD), "--out", str(tmp_path / "runs")]
        assert main([*base, "--case", "no-such-case"]) == 4
        assert "could not evaluate: " in capsys.readouterr().err
        assert main([*base, "--case", "bbc-0001", "--fail-under", "metrics.F1=0.5"]) == 4
        err = capsys.readouterr().err
        assert "could not evaluate: unknown eval figure 'metrics.F1'" in err and "metrics.f1" in err
    assert srv.requests == []
    assert not (tmp_path / "runs").exists()


@pytest.fixture(scope="module")
def flipped() -> ev.Evaluation:
    """The grounded baseline's predictions scored against gold where one right stance was relabeled."""
    return _flipped()


def _flipped(thresholds: dict[str, float] | None = None) -> ev.Evaluation:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold"
        shutil.copytree(GOLD, gold)
        label = gold / "labels" / "bbc-0003.yaml"
        data = yaml.safe_load(label.read_text(encoding="utf-8"))
        assert data["stance"] == "negative"
        data["stance"] = "mixed"
        label.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return ev.evaluate(
            gold, rescore=BASELINE_RUN, save=False, baseline=BASELINES / "grounded.report.json",
            thresholds=thresholds if thresholds is not None else {},
        )  # fmt: skip


def test_a_one_case_change_within_the_interval_is_not_significant(flipped):
    diff = flipped.comparison.difference("stance.accuracy")
    assert diff.delta == pytest.approx(-1 / 33, abs=1e-4)
    assert diff.low < 0 <= diff.high and not diff.significant
    assert diff.worse_cases == ["bbc-0003"]
    assert flipped.status == "passed"
    assert "figures moved within their interval, not significant (cases bbc-0003)" in flipped.verdict
    assert "gold label edited since the baseline: bbc-0003" in flipped.verdict
    assert flipped.comparison.what_changed().startswith("gold fd5f7d30bba8 → ")  # nothing else changed
    assert ";" not in flipped.comparison.what_changed()


def test_a_flipped_gold_label_names_its_case_in_the_verdict():
    floors = ev.thresholds_from_pyproject(ROOT / "pyproject.toml", "grounded")
    # The gold set's own floors, and one on the stance left unflagged (as a test split's floors have).
    result = _flipped(floors | {"calibration.stance_stance.unflagged_accuracy": 0.95})
    assert result.status == "failed" and result.exit_status == 3
    # The stance floor and the floor on what is not flagged (that stance was not): both name the case.
    assert result.verdict.startswith("eval grounded: FAILED: 2 of")
    assert "stance.accuracy = 0.6061 is below the floor 0.6300; worse than the baseline in bbc-0003" in result.verdict
    assert (
        "calibration.stance_stance.unflagged_accuracy = 0.9412 is below the floor 0.9500; worse than the baseline "
        "in bbc-0003" in result.verdict
    )
    assert "gold label edited since the baseline: bbc-0003" in result.verdict
    # In CI: the case's stance and calibration tests fail, no other test does; the summary lists both.
    root = ET.fromstring(ev.to_junit(result))
    failed = sorted(
        f"{t.get('classname')}:{t.get('name')}" for t in root.iter("testcase") if t.find("failure") is not None
    )
    assert failed == [
        "eval.grounded.bbc-0003:calibration", "eval.grounded.bbc-0003:stance",
        "eval.grounded.checks:floor calibration.stance_stance.unflagged_accuracy >= 0.95",
        "eval.grounded.checks:floor stance.accuracy >= 0.63",
    ]  # fmt: skip
    summary = ev.to_summary(result)
    assert "**Regressions**" in summary and "| stance | – | bbc-0003 |" in summary


def test_four_cases_worse_the_same_way_are_a_regression():
    """Beyond the interval: four right stances of 22 made wrong is a significant drop (three are not:
    a resample misses all three one time in 23)."""
    base = ev.load_report(BASELINES / "grounded.report.json")
    worse = base.model_copy(deep=True)
    right = [c for c in worse.cases if c.scores["stance"]["ok"]][:4]
    for c in right:
        c.scores["stance"]["ok"] = False
    comp = ev.compare_reports(base, worse)
    diff = comp.difference("stance.accuracy")
    assert diff.significant and diff.high < 0
    assert [d.key for d in comp.regressions()] == ["stance.accuracy"]
    assert diff.worse_cases == [c.id for c in right]


def test_compare_warns_on_different_case_sets(capsys):
    first18 = ROOT / "evals" / "runs" / "20261124T130708-grounded.report.json"
    code = main(["eval", "compare", str(first18), str(BASELINES / "grounded.report.json")])
    captured = capsys.readouterr()
    assert code in (0, 3)
    assert "warning: different case sets: compared on the 18 common cases; only in the candidate: " in captured.err
    changed = captured.out.split("Changed from A to B: ")[1].split("\n")[0]
    assert "gold unknown → fd5f7d30bba8" in changed and "prompt grounded@e050d6ed40fb → grounded@" in changed


def test_a_grid_of_prompt_folders_shows_the_one_without_recorded_answers(changed_prompt, tmp_path, capsys):
    """Two prompt folders side by side: the committed grounded prompt and a copy with one more sentence."""
    shutil.copytree(ROOT / "prompts" / "grounded", changed_prompt / "grounded-committed")
    code = main(["-q", "eval", "grid", "--strategy", "grounded", "--prompt", "grounded-committed", "--prompt",
                 "grounded", "--cassettes", str(CASSETTES), "--dataset", str(GOLD), "--case", "bbc-0008",
                 "--case", "reutersnews-0024", "--out", str(tmp_path / "grid"), "--no-cache"])  # fmt: skip
    table = capsys.readouterr().out
    assert code == 0
    assert table.startswith("| figure | `grounded · prompt grounded-committed` | `grounded · prompt grounded` |")
    row = next(line for line in table.splitlines() if line.startswith("| metrics.f1 |"))
    assert row.endswith("| could not evaluate: 2 cases have no recorded answer |")
    assert 0.5 < float(row.split("|")[2].split()[0]) <= 1.0  # the committed prompt's figure, replayed
