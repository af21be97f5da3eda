"""summarize()'s own logic against a scripted OpenAI-compatible server on loopback (real HTTP)."""

from __future__ import annotations

import asyncio
import copy
import json

import pytest

from summarizer import (
    ConfigurationError,
    EmptyInputError,
    EndpointError,
    ExtractionError,
    InputTooLongError,
    asummarize,
    summarize,
)
from summarizer.prompts import load_prompt
from summarizer.strategies.single import BriefDraft

from .conftest import GOOD_BRIEF, GOOD_DRAFT, as_draft
from .scripted_server import FakeModel, Reply


def _bad_draft() -> dict:
    """The metric's figure, "35%", is printed nowhere in the article."""
    bad = as_draft(GOOD_BRIEF)
    bad["metrics"][0] |= {"value": 35, "as_written": "35%"}
    return bad


def test_a_valid_answer_gives_a_brief_and_the_run_facts(seed_text):
    with FakeModel([Reply(GOOD_DRAFT, prompt_tokens=1200, completion_tokens=300)]) as srv:
        s = summarize(
            seed_text, strategy="single", published="2026-01-04", base_url=srv.base_url, model="m1", api_key="sk-test"
        )
    assert s.brief.company.ticker == "BABA"
    assert (s.run.attempts, s.run.prompt_tokens, s.run.completion_tokens) == (1, 1200, 300)
    assert s.run.model == "m1" and s.run.endpoint == srv.base_url and s.run.mode == "tools"
    assert s.run.prompt_version == load_prompt("single").version(BriefDraft)
    req = srv.requests[0]
    assert req["tool_choice"]["function"]["name"] == req["tools"][0]["function"]["name"]
    assert req["temperature"] == 0
    assert "<article>\n[1] Alibaba’s, Pivot\n[2] " in req["messages"][-1]["content"]


def test_a_rule_broken_goes_back_to_the_model_and_usage_is_summed(seed_text):
    replies = [Reply(_bad_draft(), prompt_tokens=1000, completion_tokens=200), Reply(GOOD_DRAFT)]
    with FakeModel(replies) as srv:
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m")
    assert s.run.attempts == 2
    assert (s.run.prompt_tokens, s.run.completion_tokens) == (1100, 250)
    retry_messages = json.dumps(srv.requests[1]["messages"])
    assert "as_written '35%' does not appear in its evidence" in retry_messages
    assert "metrics[0] (sentence [" in retry_messages


def test_after_the_last_attempt_the_caller_gets_a_typed_error_with_attempts_and_usage(seed_text):
    with FakeModel([Reply(_bad_draft()) for _ in range(3)]) as srv, pytest.raises(ExtractionError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", max_attempts=3)
    err = info.value
    assert err.attempts == 3 and len(err.failures) == 3
    assert (err.usage.prompt_tokens, err.usage.completion_tokens) == (300, 150)
    assert "does not appear in its evidence" in err.failures[-1].error
    assert err.failures[0].completion is not None and '"as_written": "35%"' in err.failures[0].completion
    assert "\n" not in str(err)


def test_an_endpoint_that_answers_tool_calls_as_text_is_told_which_mode_to_ask_in(seed_text):
    with FakeModel([Reply(GOOD_DRAFT, as_text=True) for _ in range(2)]) as srv, pytest.raises(ExtractionError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", max_attempts=2)
    assert "No tool calls" in str(info.value) and "ask in mode json or json_schema" in str(info.value)
    with FakeModel([Reply(_bad_draft()) for _ in range(2)]) as srv, pytest.raises(ExtractionError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", max_attempts=2)
    assert "mode json" not in str(info.value)  # a rule broken is no matter of mode


def test_malformed_tool_arguments_count_as_a_failed_attempt(seed_text):
    with FakeModel([Reply('{"company": {"name": "Alib'), Reply(GOOD_DRAFT)]) as srv:
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m")
    assert s.run.attempts == 2


def test_truncated_output_is_an_extraction_error(seed_text):
    truncated = FakeModel([Reply('{"company": ', finish_reason="length")])
    with truncated as srv, pytest.raises(ExtractionError, match="max_tokens"):
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", max_attempts=1)


def test_http_errors_become_endpoint_errors_naming_the_endpoint(seed_text, monkeypatch):
    with FakeModel([Reply(status=500) for _ in range(5)]) as srv, pytest.raises(EndpointError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", api_key="sk-secret-123")
    assert srv.base_url in str(info.value) and "HTTP 500" in str(info.value)
    assert "sk-secret-123" not in str(info.value)


def test_refused_connection_is_an_endpoint_error(seed_text):
    with FakeModel([]) as srv:
        url = srv.base_url
    with pytest.raises(EndpointError, match="failed"):
        summarize(seed_text, strategy="single", base_url=url, model="m", timeout=5)


def test_empty_text_is_refused_before_any_request():
    with FakeModel([]) as srv, pytest.raises(EmptyInputError):
        summarize("  \n ", base_url=srv.base_url, model="m")
    assert srv.requests == []


def test_text_longer_than_the_context_is_refused_before_any_request(seed_text):
    with FakeModel([]) as srv, pytest.raises(InputTooLongError) as info:
        summarize(seed_text * 20, strategy="single", base_url=srv.base_url, model="m", context_tokens=8192)
    assert info.value.context_tokens == 8192 and info.value.estimated_tokens > 8192
    assert srv.requests == []


def test_an_endpoint_without_a_model_is_a_configuration_error(seed_text, monkeypatch):
    monkeypatch.delenv("SUMMARIZER_MODEL", raising=False)
    with pytest.raises(ConfigurationError, match="SUMMARIZER_MODEL"):
        summarize(seed_text, strategy="single", base_url="http://127.0.0.1:9/v1")


def test_environment_configures_the_endpoint(seed_text, monkeypatch):
    with FakeModel([Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
        s = summarize(seed_text, strategy="single")
    assert s.run.model == "env-model" and srv.requests[0]["model"] == "env-model"


def test_published_argument_wins_over_the_model(seed_text):
    answer = copy.deepcopy(GOOD_DRAFT) | {"published": "05.01.2026"}
    with FakeModel([Reply(answer)]) as srv:
        s = summarize(seed_text, strategy="single", published="2026-01-04", base_url=srv.base_url, model="m")
    assert s.brief.published.isoformat() == "2026-01-04"


def test_async_twin_gives_the_same_result(seed_text):
    with FakeModel([Reply(_bad_draft()), Reply(GOOD_DRAFT)]) as srv:
        s = asyncio.run(asummarize(seed_text, strategy="single", base_url=srv.base_url, model="m"))
    assert s.run.attempts == 2 and s.brief.metrics[0].value == 34


def test_a_sentence_number_that_does_not_exist_goes_back_to_the_model(seed_text):
    wrong = copy.deepcopy(GOOD_DRAFT)
    wrong["risks"][0]["sentence"] = 500
    with FakeModel([Reply(wrong), Reply(GOOD_DRAFT)]) as srv:
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m")
    assert s.run.attempts == 2
    assert "risks[0].sentence 500 does not exist" in json.dumps(srv.requests[1]["messages"])
    assert s.brief.risks[0].evidence == GOOD_BRIEF["risks"][0]["evidence"]


def test_a_figure_is_quoted_from_the_sentence_that_prints_it(seed_text):
    """The model cites a neighbouring sentence; code quotes the one where "34%" is printed."""
    off_by_two = copy.deepcopy(GOOD_DRAFT)
    off_by_two["metrics"][0]["sentence"] -= 2
    off_by_two["catalysts"][0]["sentence"] += 3
    with FakeModel([Reply(off_by_two)]) as srv:
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m")
    assert s.run.attempts == 1
    assert s.brief.metrics[0].evidence == GOOD_BRIEF["metrics"][0]["evidence"]
    assert s.brief.catalysts[0].evidence == GOOD_BRIEF["catalysts"][0]["evidence"]


def test_bad_input_is_refused_before_the_embedded_model_starts(seed_text, monkeypatch):
    from summarizer.model import local

    for var in ("OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_CONTEXT_TOKENS"):
        monkeypatch.delenv(var, raising=False)

    def no_start() -> None:
        raise AssertionError("the embedded server was started for input that cannot be summarized")

    monkeypatch.setattr(local, "shared_server", no_start)
    with pytest.raises(EmptyInputError):
        summarize(" \n")
    with pytest.raises(InputTooLongError, match=f"holds {local.DEFAULT_N_CTX}"):
        summarize(seed_text * 20, strategy="single")
