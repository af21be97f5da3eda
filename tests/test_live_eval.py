"""A live candidate: the embedded model over the two shortest gold cases, via the CLI as a CI job runs
it, compared with main's committed grounded baseline, which it leaves untouched.

Marked `live` (`make live`): minutes of the embedded model on a CPU."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASELINES = ROOT / "evals" / "baselines"
SHORTEST = ("reutersnews-0024", "bbc-0008")  # the two shortest gold articles


@pytest.mark.live
def test_a_live_candidate_is_compared_with_the_baseline_without_touching_it(tmp_path):
    before = {p.name: p.read_bytes() for p in BASELINES.iterdir()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    cases = [arg for case in SHORTEST for arg in ("--case", case)]
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "eval", "--strategy", "grounded", *cases, "--no-cache",
         "--out", str(tmp_path / "runs"), "--summary", str(tmp_path / "summary.md"),
         "--junit", str(tmp_path / "eval.xml")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=3600,
    )  # fmt: skip
    assert proc.returncode in (0, 3), proc.stderr  # passed or a regression: evaluated either way
    verdict = proc.stdout.strip().splitlines()[-1]
    assert verdict.startswith(("eval grounded: passed: ", "eval grounded: FAILED: "))
    assert "different case sets: compared on the 2 common cases" in verdict
    run = json.loads(next((tmp_path / "runs").glob("*.run.json")).read_text())
    assert run["options"]["endpoint"] == "embedded" and run["options"]["cassettes"] is None
    assert [c["id"] for c in run["cases"]] == sorted(SHORTEST)
    assert all(c["status"] == "ok" for c in run["cases"]), [c["error"] for c in run["cases"]]
    report = json.loads(next((tmp_path / "runs").glob("*.report.json")).read_text())
    assert report["identity"]["endpoint"] == "embedded" and report["identity"]["code"] != "unknown"
    assert "2 common cases" in (tmp_path / "summary.md").read_text()
    assert {p.name: p.read_bytes() for p in BASELINES.iterdir()} == before
