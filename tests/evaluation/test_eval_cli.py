"""`summarizer eval` end to end on a dataset folder dropped in by a user, against a scripted endpoint."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

from summarizer.cli import main

from ..conftest import GOOD_BRIEF, GOOD_DRAFT, SEED
from ..scripted_server import FakeModel, Reply


@pytest.fixture(autouse=True)
def _outside_the_repo(tmp_path, monkeypatch):
    """Run where a user would: this repo's pyproject thresholds must not apply to their dataset."""
    monkeypatch.chdir(tmp_path)


def make_dataset(root: Path) -> Path:
    """Two articles, one labeled: the documented layout, nothing else."""
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    shutil.copy(SEED, root / "articles" / "seed.txt")
    shutil.copy(SEED, root / "articles" / "unlabeled.txt")
    (root / "labels" / "seed.yaml").write_text(yaml.safe_dump(GOOD_BRIEF, sort_keys=False))
    return root


def test_eval_run_rescore_and_compare(tmp_path, monkeypatch, capsys):
    data = make_dataset(tmp_path / "mydata")
    out = tmp_path / "runs"
    worse = copy.deepcopy(GOOD_DRAFT)
    worse["metrics"] = []
    with FakeModel([Reply(GOOD_DRAFT, prompt_tokens=900), Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        code = main(
            [
                "-q",
                "eval",
                "--strategy",
                "single",
                "--dataset",
                str(data),
                "--out",
                str(out),
                "--html",
                str(tmp_path / "r.html"),
            ]
        )
        # A second run against the same endpoint and model is served from the prediction cache: the
        # scripted model has no answer left, so a miss would be an endpoint error in the run file.
        assert main(["-q", "eval", "--strategy", "single", "--dataset", str(data), "--out", str(out)]) == 0
        assert len(srv.requests) == 2
    assert code == 0
    runs = sorted(out.glob("*.run.json"), key=lambda p: p.stat().st_mtime_ns)
    assert len(runs) == 2
    second = runs[1:]
    run = json.loads(runs[0].read_text())
    assert run["version"] == 1 and {c["id"] for c in run["cases"]} == {"seed", "unlabeled"}
    report = json.loads(runs[0].with_name(runs[0].name.replace(".run.json", ".report.json")).read_text())
    assert report["cases_scored"] == 1  # the unlabeled case is predicted, not scored
    assert report["totals"]["metrics.f1"] == 1.0 and report["totals"]["schema.valid_rate"] == 1.0
    assert "| metrics | f1 | 1.000 |" in runs[0].with_name(runs[0].name.replace(".run.json", ".report.md")).read_text()
    html = (tmp_path / "r.html").read_text()
    assert "<b>34%</b>" in html and "The company&#39;s cloud computing division" in html

    # Re-scoring calls no model: the endpoint is gone.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert main(["-q", "eval", "--strategy", "single", "--dataset", str(data), "--rescore", str(runs[0])]) == 0

    cases = json.loads(second[0].read_text())["cases"]
    assert [(c["status"], c["cached"]) for c in cases] == [("ok", True), ("ok", True)]

    # A threshold the run misses makes the command fail.
    capsys.readouterr()
    assert (
        main(
            [
                "-q",
                "eval",
                "--strategy",
                "single",
                "--dataset",
                str(data),
                "--rescore",
                str(runs[0]),
                "--fail-under",
                "risks.f1=1.1",
            ]
        )
        == 3
    )
    captured = capsys.readouterr()
    assert "regression: risks.f1 = 1.0000 is below the floor 1.1000" in captured.err
    assert captured.out.splitlines()[-1].startswith("eval single: FAILED: 1 of 1 checks (1 floors) over 1 cases")

    # compare: a worse run shows its deltas and the case that got worse.
    with FakeModel([Reply(worse, prompt_tokens=900), Reply(worse)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        assert (
            main(
                [
                    "-q",
                    "eval",
                    "--strategy",
                    "single",
                    "--dataset",
                    str(data),
                    "--out",
                    str(tmp_path / "runs2"),
                    "--no-cache",
                ]
            )
            == 0
        )
    worse_run = next((tmp_path / "runs2").glob("*.run.json"))
    capsys.readouterr()
    assert main(["eval", "compare", str(runs[0]), str(worse_run)]) == 3
    captured = capsys.readouterr()
    assert "| metrics.f1 | higher | 1.0000 | 0.0000 | -1.0000 | [-1.0000, -1.0000] | 0.00 |" in captured.out
    assert "| metrics | – | seed |" in captured.out  # no case improved, seed got worse
    assert "regression: metrics.f1 (↑ better) 1.0000 → 0.0000" in captured.err
    assert "worse in seed" in captured.err
    # The other way round, the same difference is an improvement: no regression.
    assert main(["eval", "compare", str(worse_run), str(runs[0])]) == 0
    assert "| metrics | seed | – |" in capsys.readouterr().out


def test_a_folder_that_is_not_a_dataset_is_one_line(tmp_path, capsys):
    assert main(["-q", "eval", "--strategy", "single", "--dataset", str(tmp_path)]) == 2
    assert "has no articles/ folder" in capsys.readouterr().err


def test_a_gold_label_that_breaks_the_rules_is_named(tmp_path, capsys):
    data = make_dataset(tmp_path / "d")
    bad = copy.deepcopy(GOOD_BRIEF)
    bad["metrics"][0]["evidence"] = "A sentence the article does not have."
    (data / "labels" / "seed.yaml").write_text(yaml.safe_dump(bad))
    assert main(["-q", "eval", "--strategy", "single", "--dataset", str(data)]) == 2
    assert "seed.yaml: metrics.0.evidence: Value error, metric evidence is not verbatim" in capsys.readouterr().err


def test_judge_grades_each_thesis_and_keeps_its_reasons(tmp_path, monkeypatch):
    data = make_dataset(tmp_path / "d")
    (data / "articles" / "unlabeled.txt").unlink()
    verdict = {"reasons": "Right argument, carries the 34% figure.", "score": 4}
    with FakeModel([Reply(GOOD_DRAFT), Reply(verdict)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        assert (
            main(
                [
                    "-q",
                    "eval",
                    "--strategy",
                    "single",
                    "--dataset",
                    str(data),
                    "--out",
                    str(tmp_path / "runs"),
                    "--judge",
                ]
            )
            == 0
        )
    judge_request = srv.requests[1]
    assert judge_request["tools"][0]["function"]["name"] == "Verdict"
    assert "Reference thesis (editor): " + GOOD_BRIEF["thesis"] in judge_request["messages"][-1]["content"]
    report = json.loads(next((tmp_path / "runs").glob("*.report.json")).read_text())
    assert report["totals"]["thesis.judge_score"] == 0.75
    assert report["cases"][0]["scores"]["judge"]["reasons"] == verdict["reasons"]
