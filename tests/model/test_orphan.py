"""A client killed without its exit handlers (SIGKILL) does not leave the embedded server running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

CLIENT = """
import sys
from summarizer.model.local import LocalServer
s = LocalServer().start()
print(s._proc.pid, flush=True)
sys.stdin.read()
"""


@pytest.mark.live
def test_the_server_exits_when_its_client_is_killed():
    client = subprocess.Popen([sys.executable, "-c", CLIENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert client.stdout is not None
    server = int(client.stdout.readline())
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.kill(server, signal.SIGKILL)
    pytest.fail("the llama.cpp server outlived its killed client")
