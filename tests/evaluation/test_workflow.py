"""The example CI workflow (.github/workflows/eval.yml) is valid YAML for GitHub Actions: the replay
gate on every push and pull request, the live candidate on demand, each running `summarizer eval`
with the options this build has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from summarizer.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "eval.yml"


def _load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _eval_commands(job: dict) -> list[list[str]]:
    out = []
    for step in job["steps"]:
        for line in step.get("run", "").replace("\\\n", " ").splitlines():
            if "summarizer eval" in line:
                line = re.sub(r"\$\{\{[^}]*\}\}", "grounded", line).replace("$cases", "--case bbc-0008")
                words = shlex.split(line)
                out.append(words[words.index("summarizer") + 1 :])
    return out


def test_the_workflow_has_a_replay_gate_on_every_change_and_a_live_candidate_on_demand():
    wf = _load()
    assert set(wf["on"]) == {"push", "pull_request", "workflow_dispatch"}
    jobs = wf["jobs"]
    assert set(jobs) == {"replay-gate", "live-candidate"}
    assert "if" not in jobs["replay-gate"]
    assert jobs["live-candidate"]["if"] == "github.event_name == 'workflow_dispatch'"
    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        assert all(("uses" in s) != ("run" in s) for s in job["steps"])  # each step runs or uses, not both
        assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in job["steps"])


def test_each_eval_command_parses_with_this_build():
    parser = build_parser()
    jobs = _load()["jobs"]
    replay = _eval_commands(jobs["replay-gate"])
    live = _eval_commands(jobs["live-candidate"])
    assert len(replay) == len(live) == 1
    for words in (*replay, *live):
        args = parser.parse_args(words)
        assert args.junit and args.summary
    assert parser.parse_args(replay[0]).cassettes == "evals/cassettes"
    assert parser.parse_args(live[0]).cassettes is None  # live: the embedded model
