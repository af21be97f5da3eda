"""Endpoint faults against a real HTTP server on loopback that injects each one.

Each is retried with bounded backoff, then raised as a typed error naming the cause, the endpoint
and the attempts; the API key never appears in the error."""

from __future__ import annotations

import time

import pytest

from summarizer import EndpointError, ExtractionError, summarize

from ..conftest import GOOD_DRAFT
from ..scripted_server import Reply, ScriptedServer

KEY = "sk-test-secret-0123456789"


def test_429_with_retry_after_is_waited_for_then_succeeds(seed_text):
    with ScriptedServer([Reply(status=429, headers={"Retry-After": "1"}), Reply(GOOD_DRAFT)]) as srv:
        t0 = time.perf_counter()
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", api_key=KEY)
        waited = time.perf_counter() - t0
    assert s.brief.metrics[0].value == 34 and len(srv.requests) == 2
    assert waited >= 1.0  # the server's Retry-After, not the client's shorter default backoff


@pytest.mark.parametrize("status", [500, 503])
def test_a_passing_server_error_is_retried(seed_text, status):
    with ScriptedServer([Reply(status=status), Reply(GOOD_DRAFT)]) as srv:
        s = summarize(seed_text, strategy="single", base_url=srv.base_url, model="m")
    assert s.run.attempts == 1 and len(srv.requests) == 2


@pytest.mark.parametrize(("reply", "cause"), [(Reply(status=503), "HTTP 503"), (Reply(status=429), "HTTP 429")])
def test_a_persistent_fault_names_cause_endpoint_and_attempts(seed_text, reply, cause):
    with ScriptedServer([], default=reply) as srv, pytest.raises(EndpointError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", api_key=KEY, http_retries=2)
    err = info.value
    assert err.endpoint == srv.base_url and err.attempts == 3 and len(srv.requests) == 3
    assert cause in str(err) and srv.base_url in str(err) and "after 3 HTTP attempt(s)" in str(err)
    assert KEY not in str(err) and KEY not in repr(err.__cause__)


def test_a_timeout_is_retried_then_named(seed_text):
    with ScriptedServer([], default=Reply(GOOD_DRAFT, delay=1.5)) as srv, pytest.raises(EndpointError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", timeout=0.3, http_retries=1)
    assert info.value.attempts == 2 and "APITimeoutError" in str(info.value)


def test_a_refused_connection_is_retried_then_named(seed_text):
    with ScriptedServer([]) as srv:
        url = srv.base_url  # the server is gone once the block ends: the port refuses
    with pytest.raises(EndpointError) as info:
        summarize(seed_text, strategy="single", base_url=url, model="m", http_retries=2)
    assert info.value.attempts == 3 and "APIConnectionError" in str(info.value) and url in str(info.value)


def test_malformed_tool_call_json_is_retried_by_the_model_then_typed(seed_text):
    broken = ScriptedServer([], default=Reply('{"company": {"name": "Alib', completion_tokens=7))
    with broken as srv, pytest.raises(ExtractionError) as info:
        summarize(seed_text, strategy="single", base_url=srv.base_url, model="m", max_attempts=3)
    assert info.value.attempts == 3 and info.value.usage.completion_tokens == 21


def test_the_embedded_engine_is_never_asked_for_a_forced_tool_call(monkeypatch):
    from summarizer.model.endpoint import resolve_endpoint

    for name in ("OPENAI_BASE_URL", "SUMMARIZER_MODE", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    embedded = resolve_endpoint()
    assert embedded.embedded and embedded.mode_for("tools") == "json_schema"  # its server parses no tool call
    assert embedded.mode_for("json_schema") == "grammar"  # the schema as a one-line JSON grammar
    remote = resolve_endpoint(base_url="http://127.0.0.1:9/v1", model="m")
    assert remote.mode_for("tools") == "tools" and remote.mode_for("json_schema") == "json_schema"
    assert resolve_endpoint(base_url="http://127.0.0.1:9/v1", model="m", mode="json").mode_for("tools") == "json"
