"""Batches: bounded concurrency, one failure stops nothing, results written atomically, reruns resume,
and a process killed mid-batch loses nothing it had written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from summarizer import EmptyInputError
from summarizer.batch import brief_folder, summarize_many

from .conftest import GOOD_DRAFT, SEED
from .scripted_server import FakeModel, Reply, ScriptedServer


def _folder(root: Path, n: int) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        shutil.copy(SEED, root / f"a{i:02d}.txt")
    return root


def test_summarize_many_keeps_order_and_survives_a_bad_item(seed_text):
    with FakeModel([], default=Reply(GOOD_DRAFT)) as srv:
        out = summarize_many(
            [seed_text, "   ", seed_text], concurrency=2, base_url=srv.base_url, model="m", strategy="single"
        )
    assert [o.id for o in out] == ["0", "1", "2"]
    assert out[0].ok and out[2].ok and not out[1].ok
    assert isinstance(out[1].error, EmptyInputError)
    assert len(srv.requests) == 2


def test_summarize_many_runs_requests_concurrently(seed_text):
    with FakeModel([], default=Reply(GOOD_DRAFT, delay=0.5)) as srv:
        t0 = time.perf_counter()
        out = summarize_many([seed_text] * 4, concurrency=4, base_url=srv.base_url, model="m", strategy="single")
        elapsed = time.perf_counter() - t0
    assert all(o.ok for o in out)
    assert elapsed < 4 * 0.5  # four half-second answers overlapped instead of queuing


def test_brief_folder_writes_each_result_and_a_rerun_resumes(tmp_path):
    src = _folder(tmp_path / "in", 3)
    (src / "bad.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    with FakeModel([], default=Reply(GOOD_DRAFT)) as srv:
        first = brief_folder(src, out, concurrency=2, base_url=srv.base_url, model="m", strategy="single")
        assert sorted(first.done) == ["a00", "a01", "a02"] and first.failed == ["bad"]
        record = json.loads((out / "a00.json").read_text())
        assert record["version"] == 1 and record["brief"]["metrics"][0]["as_written"] == "34%"
        assert record["run"]["attempts"] == 1
        error = json.loads((out / "bad.error.json").read_text())
        assert error["error_type"] == "BinaryInputError" and "binary" in error["error"]
        requests_after_first = len(srv.requests)
        second = brief_folder(src, out, concurrency=2, base_url=srv.base_url, model="m", strategy="single")
    assert sorted(second.skipped) == ["a00", "a01", "a02"] and second.failed == ["bad"]
    assert len(srv.requests) == requests_after_first  # nothing done was asked again


def test_killing_a_batch_loses_nothing_written(tmp_path):
    n = 6
    src = _folder(tmp_path / "in", n)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    with ScriptedServer([], default=Reply(GOOD_DRAFT, delay=0.4)) as srv:  # the CLI runs as a subprocess
        env |= {"OPENAI_BASE_URL": srv.base_url, "SUMMARIZER_MODEL": "m"}
        cmd = [
            sys.executable,
            "-m",
            "summarizer.cli",
            "-q",
            "brief",
            str(src),
            "--out",
            str(out),
            "--concurrency",
            "1",
            "--strategy",
            "single",
        ]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(list(out.glob("a*.json"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        written = sorted(p.stem for p in out.glob("a*.json"))
        assert 2 <= len(written) < n, "the batch should have been killed part way"
        for p in out.glob("a*.json"):  # every file that exists is whole
            assert json.loads(p.read_text())["brief"]["company"]["name"] == "Alibaba Group"
        before = len(srv.requests)
        rerun = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.stem for p in out.glob("a*.json")) == [f"a{i:02d}" for i in range(n)]
    assert len(srv.requests) - before == n - len(written)  # only the unfinished ones were asked again
    for p in out.glob("a*.json"):
        json.loads(p.read_text())
