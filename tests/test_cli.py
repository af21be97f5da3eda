"""The CLI's contract: one line on stderr and a non-zero exit for bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.cli import build_parser, main

from .conftest import GOOD_DRAFT, SEED
from .scripted_server import Reply, ScriptedServer


def run_cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "summarizer.cli", *args], input=stdin, capture_output=True, env=full_env, timeout=120
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode != 0, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert fragment in lines[0]


def _commands(parser, path=()):
    """Every command path of the parser: (), ("brief",), ("eval",), ("eval", "compare"), ..."""
    yield path
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in action.choices.items():
            yield from _commands(sub, (*path, name))


@pytest.mark.parametrize("command", [" ".join(c) for c in _commands(build_parser())])
def test_every_command_prints_its_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command.split(), "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ") and "--help" in out and "%%" not in out


def test_missing_file(tmp_path):
    assert_one_line_error(run_cli("brief", str(tmp_path / "nope.txt")), "no such file")


def test_directory_instead_of_file(tmp_path):
    assert_one_line_error(run_cli("brief", str(tmp_path)), "is a folder: add --out DIR")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_or_whitespace_input(tmp_path, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    assert_one_line_error(run_cli("brief", str(f)), "empty or whitespace only")


def test_empty_stdin():
    assert_one_line_error(run_cli("brief", "-", stdin=b"\n"), "stdin is empty")


def test_binary_input(tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    assert_one_line_error(run_cli("brief", str(f)), "binary file")


def test_undecodable_input(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Der Umsatz stieg um 5 Prozent für Siemens.".encode("latin-1"))
    assert_one_line_error(run_cli("brief", str(f)), "not valid UTF-8")


def test_text_longer_than_the_context(tmp_path):
    f = tmp_path / "long.txt"
    f.write_text(SEED.read_text() * 30)
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZER_MODEL": "m", "SUMMARIZER_CONTEXT_TOKENS": "8192"}
    # One call for the whole brief (single): refused before any request. (The grounded strategy reads
    # a long text in parts instead: tests/test_long.py.)
    assert_one_line_error(run_cli("brief", "--strategy", "single", str(f), env=env), "too long for the model's context")


def test_text_that_is_not_an_article(tmp_path):
    f = tmp_path / "poem.txt"
    f.write_text("Roses are red, violets are blue.\n\nThe sea is calm tonight.\n")
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZER_MODEL": "m"}  # never contacted
    assert_one_line_error(run_cli("brief", str(f), env=env), "does not look like a financial news article")


def test_an_html_page_is_briefed_from_its_article(tmp_path):
    from summarizer import read_article
    from summarizer.strategies.grounded import asked as find

    from .scripted_server import ScriptedServer
    from .strategies.conftest import seed_replies

    page = Path(__file__).parent / "fixtures" / "alibaba-page.html"
    a = read_article(page)
    found = find(a.text, a.published)
    with ScriptedServer(seed_replies(found)) as srv:
        proc = run_cli(
            "-q", "brief", "--json", str(page), env={"OPENAI_BASE_URL": srv.base_url, "SUMMARIZER_MODEL": "m"}
        )
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert '"published": "2026-01-04"' in out and "34% year-over-year" in out


def test_bad_published_date(tmp_path):
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZER_MODEL": "m"}
    assert_one_line_error(run_cli("brief", str(SEED), "--published", "04.01.2026", env=env), "isoformat")


def test_unreachable_endpoint():
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "SUMMARIZER_MODEL": "m"}
    assert_one_line_error(run_cli("-q", "brief", str(SEED), env=env), "http://127.0.0.1:9/v1 failed")


def test_markdown_and_json_output(monkeypatch, capsys):
    with ScriptedServer([Reply(GOOD_DRAFT), Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        assert main(["-q", "brief", "--strategy", "single", str(SEED)]) == 0
        md = capsys.readouterr().out
        assert main(["-q", "brief", "--strategy", "single", "--json", str(SEED)]) == 0
        js = json.loads(capsys.readouterr().out)
    assert md.startswith("# Alibaba Group (BABA, US01609W1027)")
    assert "| cloud division revenue growth, year over year | 34% | reported | latest quarter |" in md
    assert "**34%**" in md and "in February (2026-02-01 to 2026-02-28)" in md
    assert js["metrics"][0]["as_written"] == "34%" and js["published"] == "2026-01-04"


def test_status_goes_to_stderr_not_stdout(monkeypatch, capsys):
    with ScriptedServer([Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        assert main(["brief", "--strategy", "single", "--json", str(SEED)]) == 0
    out, err = capsys.readouterr()
    json.loads(out)
    assert "prompt" in err and "1 call(s)" in err and "100 evaluated" in err  # what the brief cost, on stderr


def test_header_date_reaches_the_prompt(tmp_path, monkeypatch):
    with ScriptedServer([Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        assert main(["-q", "brief", "--strategy", "single", str(SEED)]) == 0
    user = srv.requests[0]["messages"][-1]["content"]
    assert "Publication date: 2026-01-04" in user and "Title: Alibaba" in user
    assert "title:" not in user  # the header block is metadata, not article text
