"""Briefs through batch files: the requests written as an OpenAI Batch input file are the online
path's requests, and the briefs built from an output file are the online path's briefs.

The unit tests answer each request of a written file with the scripted endpoint's answers (test
doubles, `tests/scripted_server.py`), the same answers the online path gets from `FakeModel`, and
compare. `test_recorded_*` replays the files in tests/fixtures/batch/: the seed and one short gold
article, written by `write_requests()` and each request answered by the embedded model, one at a
time, round after round (`python -m tools.record_batch`, also run by `make record`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer import summarize
from summarizer.article import read_article
from summarizer.batchfile import (
    BatchFileError,
    manifest_path,
    read_output,
    read_results,
    write_requests,
)
from summarizer.cli import main
from summarizer.schema import Brief
from summarizer.strategies.grounded import asked as find

from .conftest import ROOT
from .scripted_server import FakeModel, Reply, Script
from .strategies.conftest import seed_replies

EXAMPLE = ROOT / "examples" / "alibaba-2026-01-04.txt"
SHORT_GOLD = ROOT / "evals" / "gold" / "articles" / "reutersnews-0024.txt"
RECORDED = ROOT / "tests" / "fixtures" / "batch"
NAME = EXAMPLE.stem


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "articles"
    src.mkdir()
    shutil.copy(EXAMPLE, src)
    return src


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def answered(lines: list[dict[str, Any]], script: Script, *, statuses: dict[str, int] | None = None) -> str:
    """A batch output file: each request's body answered by `script` as the scripted endpoint
    answers it online (`statuses`: an HTTP status instead, by custom_id)."""
    out = []
    for n, line in enumerate(lines, 1):
        body, status = line["body"], (statuses or {}).get(line["custom_id"])
        reply = script.next_reply(body) if status is None else Reply(status=status)
        status = reply.status
        answer = json.loads(script.payload(reply, body)) if status == 200 else None
        error = None if status == 200 else {"code": str(status), "message": f"HTTP {status}"}
        response = {"status_code": status, "request_id": f"r{n}", "body": answer or {"error": error}}
        out.append(json.dumps({"id": f"b{n}", "custom_id": line["custom_id"], "response": response, "error": error}))
    return "\n".join(out) + "\n"


def seed_script() -> Script:
    a = read_article(EXAMPLE)
    return Script(seed_replies(find(a.text, a.published)))


def online(replies: list[Reply], **options: Any) -> tuple[Any, FakeModel]:
    """The seed briefed online from the scripted answers; the requests the model got."""
    a = read_article(EXAMPLE)
    with FakeModel(replies, **options) as srv:
        s = summarize(a.text, published=a.published, title=a.title, base_url=srv.base_url, model="m")
    return s, srv


def test_the_written_requests_are_exactly_what_the_online_path_sends(folder, tmp_path):
    a = read_article(EXAMPLE)
    _, srv = online(seed_replies(find(a.text, a.published)))
    written = write_requests(folder, tmp_path / "requests.jsonl", model="m")
    lines = lines_of(tmp_path / "requests.jsonl")
    assert [line["body"] for line in lines] == srv.requests  # every question, in the online order
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}
    ids = [line["custom_id"] for line in lines]
    assert len(set(ids)) == len(ids) == written.requests
    assert ids[:2] == [f"{NAME}/p1/q1-brief/1", f"{NAME}/p1/q2-stance/1"] and ids[2].startswith(f"{NAME}/p1/q3-risk-R1")
    stance = lines[1]["body"]
    assert (stance["max_tokens"], stance["logprobs"], stance["top_logprobs"]) == (1, True, 20)
    assert "response_format" not in stance and lines[0]["body"]["response_format"]["type"] == "json_schema"
    manifest = json.loads(manifest_path(tmp_path / "requests.jsonl").read_text())
    assert manifest["settings"]["model"] == "m" and list(manifest["articles"]) == [NAME]


def test_briefs_built_from_the_output_equal_the_online_briefs(folder, tmp_path):
    summary, _ = online(seed_script().replies)
    requests = tmp_path / "requests.jsonl"
    write_requests(folder, requests, model="m")
    (tmp_path / "results.jsonl").write_text(answered(lines_of(requests), seed_script()))
    out = tmp_path / "briefs"
    result = read_results(folder, requests, [tmp_path / "results.jsonl"], out, next_requests=tmp_path / "next.jsonl")
    assert (result.done, result.failed, result.next_requests) == ([NAME], [], 0)
    assert not (tmp_path / "next.jsonl").exists()
    record = json.loads((out / f"{NAME}.json").read_text())
    assert Brief.model_validate(record["brief"]) == summary.brief
    assert record["source"].endswith(EXAMPLE.name) and record["run"]["endpoint"] == "batch"
    # The stance was read from the first token's probabilities, as online.
    assert record["brief"]["stance"] == summary.brief.stance and summary.brief.stance_confidence is not None
    assert record["brief"]["stance_confidence"] == summary.brief.stance_confidence
    assert (record["run"]["attempts"], record["run"]["prompt_tokens"]) == (
        summary.run.attempts,
        summary.run.prompt_tokens,
    )
    # A second read skips what is briefed.
    again = read_results(folder, requests, [tmp_path / "results.jsonl"], out)
    assert again.skipped == [NAME] and again.done == []


def test_an_answer_that_broke_a_rule_is_asked_again_in_the_next_round_as_instructor_asks_online(folder, tmp_path):
    a = read_article(EXAMPLE)
    found = find(a.text, a.published)
    bad = Reply({"category": "weather", "risk": "rain"})  # not a risk category
    replies = seed_replies(found)
    summary, srv = online([replies[0], bad, *replies[1:]])
    reask = srv.requests[3]  # brief, stance, the first risk, its re-ask
    assert reask["messages"][-1]["content"].startswith("Correct your JSON ONLY RESPONSE")

    requests = tmp_path / "requests.jsonl"
    write_requests(folder, requests, model="m")
    (tmp_path / "results-1.jsonl").write_text(answered(lines_of(requests), Script([replies[0], bad, *replies[2:]])))
    out, next1 = tmp_path / "briefs", tmp_path / "round2.jsonl"
    r1 = read_results(folder, requests, [tmp_path / "results-1.jsonl"], out, next_requests=next1)
    assert (r1.done, r1.waiting, r1.next_requests) == ([], [NAME], 1)
    (line,) = lines_of(next1)
    assert line["custom_id"] == f"{NAME}/p1/q3-risk-R1/2" and line["body"] == reask

    (tmp_path / "results-2.jsonl").write_text(answered([line], Script([replies[1]])))
    r2 = read_results(folder, requests, [tmp_path / "results-1.jsonl", tmp_path / "results-2.jsonl"], out)
    assert r2.done == [NAME] and r2.next_requests == 0
    record = json.loads((out / f"{NAME}.json").read_text())
    assert Brief.model_validate(record["brief"]) == summary.brief
    assert record["run"]["attempts"] == summary.run.attempts


def test_a_failed_or_missing_answer_is_sent_again_and_a_refused_request_fails_the_article(folder, tmp_path):
    requests = tmp_path / "requests.jsonl"
    write_requests(folder, requests, model="m")
    lines = lines_of(requests)
    figures, stance = lines[-1]["custom_id"], lines[1]["custom_id"]
    output = answered(lines[:-1], seed_script(), statuses={stance: 500})  # the figures' line is missing
    (tmp_path / "results.jsonl").write_text(output)
    nxt = tmp_path / "next.jsonl"
    r = read_results(folder, requests, [tmp_path / "results.jsonl"], tmp_path / "out", next_requests=nxt)
    assert r.waiting == [NAME]
    assert [(x["custom_id"], x["body"]) for x in lines_of(nxt)] == [
        (stance, lines[1]["body"]),
        (figures, lines[-1]["body"]),
    ]

    (tmp_path / "bad.jsonl").write_text(answered(lines, seed_script(), statuses={figures: 400}))
    r = read_results(folder, requests, [tmp_path / "bad.jsonl"], tmp_path / "out")
    assert r.failed == [NAME] and r.next_requests == 0
    error = json.loads((tmp_path / "out" / f"{NAME}.error.json").read_text())
    assert error["error_type"] == "EndpointError" and "HTTP 400" in error["error"]


def test_a_long_document_asks_its_thesis_in_the_second_round_from_the_parts_theses(tmp_path):
    from .strategies.test_long import TRANSCRIPT, conforming

    if not TRANSCRIPT.is_file():
        pytest.skip("../shared/long is not beside the repo")
    src = tmp_path / "articles"
    src.mkdir()
    shutil.copy(TRANSCRIPT, src)
    a = read_article(TRANSCRIPT)
    with FakeModel([], auto=conforming) as srv:
        summary = summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192)
    requests = tmp_path / "requests.jsonl"
    write_requests(src, requests, model="m", context_tokens=8192)
    lines = lines_of(requests)
    assert not any("/thesis/" in x["custom_id"] for x in lines)
    (tmp_path / "r1.jsonl").write_text(answered(lines, Script([], auto=conforming)))
    nxt = tmp_path / "next.jsonl"
    r1 = read_results(src, requests, [tmp_path / "r1.jsonl"], tmp_path / "out", next_requests=nxt)
    (thesis,) = lines_of(nxt)
    assert thesis["custom_id"] == f"{TRANSCRIPT.stem}/thesis/1" and r1.waiting == [TRANSCRIPT.stem]
    assert thesis["body"] == srv.requests[-1]  # the online path's last question
    (tmp_path / "r2.jsonl").write_text(answered([thesis], Script([], auto=conforming)))
    read_results(src, requests, [tmp_path / "r1.jsonl", tmp_path / "r2.jsonl"], tmp_path / "out")
    record = json.loads((tmp_path / "out" / f"{TRANSCRIPT.stem}.json").read_text())
    assert Brief.model_validate(record["brief"]) == summary.brief


def test_an_article_changed_since_the_requests_were_written_is_not_briefed_from_their_answers(folder, tmp_path):
    requests = tmp_path / "requests.jsonl"
    write_requests(folder, requests, model="m")
    (tmp_path / "results.jsonl").write_text(answered(lines_of(requests), seed_script()))
    article = folder / EXAMPLE.name
    article.write_text(article.read_text().replace("Alibaba", "Alibaba Group", 1))
    r = read_results(folder, requests, [tmp_path / "results.jsonl"], tmp_path / "out")
    assert r.failed == [NAME]
    assert "changed since the requests were written" in (tmp_path / "out" / f"{NAME}.error.json").read_text()


def test_bad_files_are_refused_with_a_clear_error(folder, tmp_path):
    requests = tmp_path / "requests.jsonl"
    with pytest.raises(BatchFileError, match="no manifest"):
        read_results(folder, requests, [], tmp_path / "out")
    write_requests(folder, requests, model="m")
    (tmp_path / "results.jsonl").write_text('{"custom_id": "x", "response": null, "error": null}\nnot json\n')
    with pytest.raises(BatchFileError, match=r"results.jsonl:2: not a batch output line"):
        read_output([tmp_path / "results.jsonl"])
    manifest = manifest_path(requests)
    manifest.write_text(manifest.read_text().replace('"prompt_version": "', '"prompt_version": "old'))
    with pytest.raises(BatchFileError, match="prompt version old"):
        read_results(folder, requests, [], tmp_path / "out")


def test_the_cli_writes_the_requests_and_reads_the_briefs(folder, tmp_path, capsys):
    requests, results, out = tmp_path / "requests.jsonl", tmp_path / "results.jsonl", tmp_path / "out"
    assert main(["batch", "write", str(folder), "--out", str(requests), "--model", "m"]) == 0
    results.write_text(answered(lines_of(requests), seed_script()))
    argv = ["batch", "read", str(folder), "--requests", str(requests), "--output", str(results), "--out", str(out)]
    assert main(argv) == 0
    assert (out / f"{NAME}.json").is_file()
    err = capsys.readouterr().err
    assert "6 requests for 1 article(s)" in err and "1 briefed, 0 skipped" in err
    assert main(["batch", "read", str(folder), "--requests", str(tmp_path / "none.jsonl"), "--output", str(results),
                 "--out", str(out)]) == 2  # fmt: skip
    assert "no manifest beside" in capsys.readouterr().err


def test_recorded_output_of_the_embedded_model_gives_the_briefs(tmp_path):
    """The recorded rounds replayed: every article briefed and valid, nothing left to ask."""
    outputs = sorted(RECORDED.glob("results-*.jsonl"))
    assert outputs, "record with `python -m tools.record_batch`"
    requests = RECORDED / "requests.jsonl"
    # The recorded requests are still the ones this summarizer writes.
    write_requests(RECORDED / "articles", tmp_path / "requests.jsonl")
    assert lines_of(tmp_path / "requests.jsonl") == lines_of(requests)
    out = tmp_path / "out"
    r = read_results(RECORDED / "articles", requests, outputs, out, next_requests=tmp_path / "next.jsonl")
    assert (sorted(r.done), r.failed, r.next_requests) == (sorted([EXAMPLE.stem, SHORT_GOLD.stem]), [], 0)
    answers = [x for o in outputs for x in lines_of(o)]
    for name, article in ((NAME, EXAMPLE), (SHORT_GOLD.stem, SHORT_GOLD)):
        record = json.loads((out / f"{name}.json").read_text())
        brief = Brief.model_validate(record["brief"], context={"article": read_article(article).text})
        assert (
            brief.metrics and brief.stance_confidence is not None and brief.published == read_article(article).published
        )
        # The run's facts are the responses' usage, summed.
        usage = [x["response"]["body"]["usage"] for x in answers if x["custom_id"].startswith(f"{name}/")]
        run = record["run"]
        assert (run["attempts"], run["prompt_tokens"], run["completion_tokens"], run["cached_tokens"]) == (
            len(usage), sum(u["prompt_tokens"] for u in usage), sum(u["completion_tokens"] for u in usage),
            sum(u["prompt_tokens_details"]["cached_tokens"] for u in usage),
        )  # fmt: skip
        assert run["model"] == json.loads(manifest_path(requests).read_text())["settings"]["model"]
    assert "Alibaba" in json.loads((out / f"{NAME}.json").read_text())["brief"]["company"]["name"]
