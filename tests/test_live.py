"""One real brief of the seed article through the embedded model, via the CLI as a user runs it.

Marked `live`: `make test` runs it after the replayed suite, so cassettes can never hide a broken real
path (model assembly, the llama.cpp server, the HTTP round trip, validation, rendering)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import SEED


@pytest.mark.live
def test_embedded_model_briefs_the_seed_article():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "brief", "--json", str(SEED)],
        capture_output=True, text=True, env=env, timeout=1800,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)
    assert brief["company"]["name"] and brief["published"] == "2026-01-04"
    assert "embedded model ready" in proc.stderr or "using the embedded model" in proc.stderr
    assert "call(s)" in proc.stderr and "from the cache" in proc.stderr  # what the brief cost
    article = " ".join(SEED.read_text().split())
    for item in brief["metrics"] + brief["risks"] + brief["catalysts"]:
        assert " ".join(item["evidence"].split()) in article
