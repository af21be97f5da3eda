"""`summarizer calibrate`: a replayed run over labeled articles in, a confidence table for that model
out, which the library then uses for that model's briefs; another model gets no table and says so.
Nested cross-validation keeps the reported figures off the articles each table was fitted on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import evaluation as ev
from summarizer.calibration import CalibrationError, find_table, write_table
from summarizer.cli import main
from summarizer.evaluation.calibrate import CalibrationDataError, choose_threshold, held_out
from summarizer.model.local import MODEL_NAME
from summarizer.render import to_markdown

ROOT = Path(__file__).resolve().parents[2]
GOLD, CASSETTES = ROOT / "evals" / "gold", ROOT / "evals" / "cassettes"
CASES = ["bbc-0001", "bbc-0003", "bbc-0008", "reuters21578-0001"]


@pytest.fixture
def tables(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tables"
    monkeypatch.setenv("SUMMARIZER_CALIBRATION", str(folder))
    return folder


def _replay(out: Path, only: list[str]) -> ev.Evaluation:
    return ev.evaluate(GOLD, out=out, model=MODEL_NAME, cassettes=CASSETTES, only=only, cache=False)


def test_a_table_fitted_from_a_replayed_run_is_used_for_that_model_and_no_other(tmp_path, tables, capsys):
    run = _replay(tmp_path / "runs", CASES).written[0]
    assert main(["calibrate", "--run", str(run), "--dataset", str(GOLD)]) == 0
    said = capsys.readouterr().out
    assert f"calibrated grounded {ev.RunFile.load(run).options.prompt_version} {MODEL_NAME}" in said
    assert "fields" in said and "(held out)" in said
    (written,) = tables.glob("*.json")
    table = json.loads(written.read_text())
    assert (table["model"], table["cases"], table["dataset"]) == (MODEL_NAME, 4, str(GOLD))
    assert set(table["counts"]) >= {"metrics.kind", "metrics.name", "risks.category"} and table["code"]
    assert table["held_out"]["fields"]["n"] > 0 and table["folds"] == 4
    # The packaged learned decisions chose these articles' risks and catalysts after training on their
    # labels: a table fitted on them would vouch in-sample, so those fields stay unfitted and flagged.
    assert table["not_fitted"] == ["catalysts.event", "risks.risk"]
    assert "risks.risk" not in table["counts"] and table["thresholds"]["risks.risk"] is None
    assert "not fitted: its learned decision was trained on these labels" in said

    # The library now calibrates this model's briefs with the user's table, not the packaged one.
    brief = _replay(tmp_path / "again", ["bbc-0002"]).run.cases[0].prediction
    assert brief is not None and brief.calibration is not None and "(4 articles)" in brief.calibration
    assert all(m.checks["kind"].confidence is not None for m in brief.metrics)
    assert brief.risks and all(r.checks["risk"].confidence is None and r.checks["risk"].review for r in brief.risks)

    # Another model has no table: its briefs would be uncalibrated, and the Markdown says so.
    assert find_table("grounded", table["prompt"], "another-model") is None
    uncalibrated = brief.model_copy(update={"calibration": None})
    assert "Uncalibrated" in to_markdown(uncalibrated)


def test_nested_folds_report_each_article_with_a_table_that_never_saw_it():
    rows = [{"case": f"a{i}", "key": "metrics.kind", "basis": "cue:market" if i % 2 else "model:other", "own": None,
             "right": bool(i % 2)} for i in range(10)]  # fmt: skip
    out = held_out(rows, folds=5)
    assert sorted(r["case"] for r in out) == sorted(r["case"] for r in rows)
    # The market cue is always right and the model never: a fold's table trusts the cue and flags the model.
    assert all(r["flagged"] != r["right"] for r in out)
    assert choose_threshold([r | {"confidence": 0.5} for r in rows]) is None  # half right: nothing earns trust


def test_fields_a_learned_decision_chose_are_fitted_only_on_labels_it_never_saw():
    from summarizer.evaluation.calibrate import trained_on
    from summarizer.learning import Decisions

    cases = ev.load_dataset(GOLD)
    weights = {"classes": [False, True], "intercept": [0.0], "weights": {}, "threshold": 0.5}
    seen = Decisions({"labels": [cases[0].gold_digest], "decisions": {"risk": weights, "catalyst": weights}})
    assert trained_on(cases[:2], "any", seen) == ["risks.risk", "catalysts.event"]
    assert trained_on(cases[1:3], "any", seen) == []  # none of these labels taught it
    assert trained_on(cases, "any", None) == []


def test_stance_offsets_fitted_on_labels_turn_a_models_constant_lean_into_the_labels_choice():
    from summarizer.evaluation.calibrate import fit_stance_offsets, with_offsets

    # The model leans "positive" whatever the article; where the article is mixed, "mixed" comes second.
    leaning = {"positive": 0.6, "mixed": 0.25, "negative": 0.1, "neutral": 0.05}
    plain = {"positive": 0.9, "mixed": 0.04, "negative": 0.03, "neutral": 0.03}
    rows = [{"case": f"m{i}", "key": "stance.stance", "basis": "model", "own": 0.6, "right": False,
             "truth": "mixed", "raw": leaning} for i in range(6)]  # fmt: skip
    rows += [{"case": f"p{i}", "key": "stance.stance", "basis": "model", "own": 0.9, "right": True,
              "truth": "positive", "raw": plain} for i in range(6)]  # fmt: skip
    offsets = fit_stance_offsets(rows)
    assert offsets["mixed"] > offsets["positive"] and offsets["mixed"] > 0
    again = with_offsets(rows, offsets)
    assert all(r["right"] for r in again)  # both kinds of article now get their label's stance
    assert fit_stance_offsets(rows[:4]) == {}  # too few labels to fit on: no offsets


def test_a_run_without_per_field_bases_or_without_labels_cannot_be_calibrated(tmp_path):
    run = ev.RunFile.load(next((ROOT / "evals" / "runs").glob("*-single.run.json")))
    with pytest.raises(CalibrationDataError, match="per-field bases"):
        ev.calibrate(run, ev.load_dataset(GOLD), dataset=str(GOLD))
    with pytest.raises(CalibrationDataError, match="nothing to calibrate"):
        ev.calibrate(run.model_copy(update={"cases": []}), [], dataset="x")
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(CalibrationError, match="not a confidence table"):
        write_table({"strategy": "s", "prompt": "p", "model": "m", "counts": {}}, bad)
