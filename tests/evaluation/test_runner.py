"""The runner's cassette mode: record per case, replay without a model, and name a stale cassette."""

from __future__ import annotations

import shutil

from summarizer.evaluation import load_dataset, run_eval

from ..conftest import GOOD_DRAFT, SEED
from ..scripted_server import FakeModel, Reply


def _dataset(root):
    (root / "articles").mkdir(parents=True)
    shutil.copy(SEED, root / "articles" / "seed.txt")
    return root


def test_record_then_replay_then_stale(tmp_path):
    data = _dataset(tmp_path / "d")
    cassettes = tmp_path / "cassettes"
    with FakeModel([Reply(GOOD_DRAFT, prompt_tokens=777)]) as srv:
        recorded = run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                            cassettes=cassettes, record=True)  # fmt: skip
    assert recorded.cases[0].status == "ok" and (cassettes / "single" / "seed.yaml").is_file()

    # Replay: the endpoint is gone, the answer comes from the cassette, with its recorded usage.
    replayed = run_eval(load_dataset(data), dataset="d", strategy="single", model="m", cassettes=cassettes)
    assert replayed.options.endpoint == "cassettes"
    assert replayed.cases[0].status == "ok" and replayed.cases[0].prompt_tokens == 777
    assert replayed.cases[0].prediction == recorded.cases[0].prediction

    # A changed request (here: the article) matches no recorded answer: named, not a mystery.
    article = data / "articles" / "seed.txt"
    article.write_text(article.read_text().replace("34%", "35%"))
    stale = run_eval(load_dataset(data), dataset="d", strategy="single", model="m", cassettes=cassettes)
    assert stale.cases[0].error_type == "StaleCassette"
    assert "make record-eval" in (stale.cases[0].error or "")


def test_a_change_to_the_finding_code_is_never_served_a_cached_prediction(tmp_path, monkeypatch):
    from summarizer.evaluation import runner

    data = _dataset(tmp_path / "d")
    cache = tmp_path / "cache"
    with FakeModel([Reply(GOOD_DRAFT)]) as srv:
        first = run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                         cache_dir=cache)  # fmt: skip
        again = run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                         cache_dir=cache)  # fmt: skip
        assert len(srv.requests) == 1 and again.cases[0].cached and not first.cases[0].cached
        monkeypatch.setattr(runner, "code_version", lambda: "another-finder")
        srv.replies.append(Reply(GOOD_DRAFT))
        changed = run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                           cache_dir=cache)  # fmt: skip
    assert not changed.cases[0].cached and len(srv.requests) == 2


def test_the_code_version_changes_with_the_finding_code(tmp_path):
    from pathlib import Path

    from summarizer.evaluation import runner

    package = Path(runner.__file__).resolve().parents[1]
    copy = tmp_path / "summarizer"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = runner.code_version(copy)
    assert before == runner.code_version(package)
    figures = copy / "finding" / "figures.py"
    figures.write_text(figures.read_text() + "\n# another reading\n")
    runner.code_version.cache_clear()
    assert runner.code_version(copy) != before


def test_the_cache_key_covers_the_endpoint_and_the_recorded_answers(tmp_path):
    data = _dataset(tmp_path / "d")
    cassettes, cache = tmp_path / "cassettes", tmp_path / "cache"
    with FakeModel([Reply(GOOD_DRAFT, prompt_tokens=777)]) as srv:
        run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                 cassettes=cassettes, record=True)  # fmt: skip

    def replay():
        return run_eval(load_dataset(data), dataset="d", strategy="single", model="m", cassettes=cassettes,
                        cache_dir=cache).cases[0]  # fmt: skip

    assert not replay().cached and replay().cached
    # The same request answered differently (a re-recorded cassette): the new answer, not the cached one.
    cassette = cassettes / "single" / "seed.yaml"
    cassette.write_text(cassette.read_text().replace("777", "778"))
    changed = replay()
    assert not changed.cached and changed.prompt_tokens == 778

    # Another endpoint serving the same model name is another prediction.
    with FakeModel([Reply(GOOD_DRAFT), Reply(GOOD_DRAFT)]) as a, FakeModel([Reply(GOOD_DRAFT)]) as b:
        for srv in (a, a, b):
            run_eval(load_dataset(data), dataset="d", strategy="single", base_url=srv.base_url, model="m",
                     cache_dir=cache)  # fmt: skip
    assert (len(a.requests), len(b.requests)) == (1, 1)


def test_replay_asks_in_the_mode_a_cassette_was_recorded_in(tmp_path):
    import json

    import yaml

    from summarizer.evaluation.runner import recorded_bodies, recorded_mode

    def cassette(*bodies):
        path = tmp_path / f"c{len(list(tmp_path.iterdir()))}.yaml"
        interactions = [
            {"request": {"method": "POST", "body": json.dumps(b) if b is not None else None}} for b in bodies
        ]
        path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}))
        return recorded_bodies(path.read_bytes())

    ask = {"model": "m", "messages": [{"role": "user", "content": "Tone?"}], "max_tokens": 1}  # a choice first
    schema = {"type": "json_schema", "json_schema": {"name": "A", "schema": {"type": "object"}}}
    assert recorded_mode(cassette(None, ask, {**ask, "grammar": "%llguidance {}\nstart: %json {}"})) == "grammar"
    assert recorded_mode(cassette(ask, {**ask, "tools": [], "tool_choice": {}})) == "tools"
    assert recorded_mode(cassette({**ask, "response_format": schema})) == "json_schema"
    assert recorded_mode(cassette({**ask, "response_format": {"type": "json_object"}})) == "json"
    assert recorded_mode(cassette(ask)) is None
