"""One embedded server per machine: commands started at once share it, and it goes when none uses it.

Marked `live`: real processes, the real embedded model (`make test` runs them after the replayed
suite). The model's answers are not checked here, only who served them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import SEED

SHORT = Path(__file__).resolve().parents[2] / "evals" / "gold" / "articles" / "reuters21578-0004.txt"
CLIENT = """
import sys
from summarizer.model.local import shared_server
s = shared_server()
print(s.pid, flush=True)
sys.stdin.read()
"""


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    # A cache of its own (the model file linked in): no other test's server is found.
    return env | {"SUMMARIZER_CACHE_DIR": str(cache)}


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    from summarizer.model.local import assemble_model

    models = tmp_path / "cache" / "models"
    models.mkdir(parents=True)
    gguf = assemble_model()
    for f in (gguf, gguf.with_suffix(".sha256")):
        (models / f.name).symlink_to(f)
    return tmp_path / "cache"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _servers(cache: Path) -> list[str]:
    return sorted(p.parent.name for p in (cache / "servers").glob("*/server.json"))


@pytest.mark.live
def test_a_desk_and_a_brief_started_at_once_share_one_embedded_server(cache: Path, tmp_path: Path):
    env = _env(cache)
    port = _port()
    desk = subprocess.Popen(
        [sys.executable, "-m", "summarizer.cli", "desk", "--port", str(port), "--no-token", "--data", str(tmp_path / "d")],
        env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the desk did not start"
                time.sleep(0.5)
        paste = json.dumps({"text": SEED.read_text(), "editor": "test"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/articles", data=paste,
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            aid = json.loads(answer.read())["id"]
        brief = subprocess.run([sys.executable, "-m", "summarizer.cli", "brief", "--json", str(SHORT)],
                               env=env, capture_output=True, text=True, timeout=1800)  # fmt: skip
        assert brief.returncode == 0, brief.stderr
        deadline = time.monotonic() + 1800
        while True:  # the desk's draft, drafted beside the brief
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles/{aid}", timeout=30) as answer:
                status = json.loads(answer.read())["status"]
            if status not in ("queued", "drafting"):
                break
            assert time.monotonic() < deadline
            time.sleep(1)
        assert status == "ready"
    finally:
        desk.terminate()
        _, desk_log = desk.communicate(timeout=60)
    said = desk_log + brief.stderr
    started = re.findall(r"starting the embedded model \S+ on 127\.0\.0\.1:(\d+)", said)
    used = re.findall(
        r"using the embedded model \S+ on 127\.0\.0\.1:(\d+) \(pid \d+, started by another command\)", said
    )
    assert len(started) == 1 and used == started, said  # one started it, the other found it
    assert len(_servers(cache)) <= 1


@pytest.mark.live
def test_the_server_exits_once_no_process_uses_it_even_a_killed_one(cache: Path):
    env = _env(cache)
    first = subprocess.Popen([sys.executable, "-c", CLIENT], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)  # fmt: skip
    second = subprocess.Popen([sys.executable, "-c", CLIENT], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    assert first.stdout is not None and second.stdout is not None
    server = int(first.stdout.readline())
    assert int(second.stdout.readline()) == server  # the second found the first's server
    first.kill()  # no exit handler runs: its lease is left behind, naming a dead process
    first.wait()
    time.sleep(10)
    os.kill(server, 0)  # still serving the second
    second.stdin.close()  # type: ignore[union-attr]
    second.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            assert _servers(cache) == []
            return
        time.sleep(0.5)
    os.kill(server, 9)
    pytest.fail("the embedded server outlived every process that used it")
