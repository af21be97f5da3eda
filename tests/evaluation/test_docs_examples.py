"""docs/evals.md's examples run as written: every ```sh replay block, line by line, in a copy of the
repository's evals, prompts and pyproject (so nothing committed is rewritten), with `summarizer` on
the path; a line ending in `# exits N` must exit N, every other line 0. Then its Python example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "evals.md"
BLOCK = re.compile(r"^```(\w+) ?(replay)?\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks(language: str, replay_only: bool) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [m.group(3) for m in BLOCK.finditer(text) if m.group(1) == language and (m.group(2) or not replay_only)]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The parts of the repository the examples read, and `summarizer` on the path."""
    root = tmp_path_factory.mktemp("repo")
    for part in ("evals", "prompts"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("cache", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", root)
    bin_ = root / "bin"
    bin_.mkdir()
    shim = bin_ / "summarizer"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m summarizer.cli "$@"\n')
    shim.chmod(0o755)
    return root


def _run(line: str, repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{repo / 'bin'}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    env.pop("OPENAI_BASE_URL", None)
    return subprocess.run(["bash", "-c", line], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_the_docs_have_replay_examples():
    blocks = _blocks("sh", replay_only=True)
    assert len(blocks) >= 4
    assert any("eval grid" in b for b in blocks) and any("# exits 4" in b for b in blocks)


@pytest.mark.parametrize("index", range(len(_blocks("sh", replay_only=True))))
def test_each_replay_example_runs_as_written(repo, index):
    baselines = {p.name: p.read_bytes() for p in (ROOT / "evals" / "baselines").glob("*.json")}
    for line in _blocks("sh", replay_only=True)[index].splitlines():
        if not line.strip():
            continue
        expected = re.search(r"# exits (\d+)\s*$", line)
        done = _run(line, repo)
        assert done.returncode == (int(expected.group(1)) if expected else 0), (line, done.stdout[-2000:], done.stderr)
        if "eval" in line and "compare" not in line and "accept" not in line:
            assert done.stdout.strip().splitlines()[-1].startswith("eval ") or "| figure |" in done.stdout
    # The committed baselines are never written by the examples (they ran in the copy).
    assert {p.name: p.read_bytes() for p in (ROOT / "evals" / "baselines").glob("*.json")} == baselines


def test_the_python_example_runs_as_written(repo, monkeypatch):
    (example,) = [b for b in _blocks("python", replay_only=False) if "evaluate(" in b]
    monkeypatch.chdir(repo)
    scope: dict[str, object] = {}
    exec(compile(example, str(DOC), "exec"), scope)  # the documented example itself
    result = scope["result"]
    assert result.status == "passed" and result.report.intervals["metrics.f1"][0] <= result.report.totals["metrics.f1"]
