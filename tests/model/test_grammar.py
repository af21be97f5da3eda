"""Mode "grammar": the answer's schema sent to llama.cpp's server as an llguidance grammar for JSON on
one line, over real HTTP to a scripted endpoint (its answers are test doubles)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from summarizer.model import ModelClient, resolve_endpoint, run_sync
from summarizer.model.client import COMPACT_JSON, compact_grammar
from summarizer.model.endpoint import embedded_mode

from ..scripted_server import Reply, ScriptedServer

ASK = [{"role": "system", "content": "The article."}, {"role": "user", "content": "Name it. Answer in JSON."}]


class Named(BaseModel):
    name: str


def test_a_json_schema_request_becomes_a_one_line_grammar_of_the_same_schema():
    schema = Named.model_json_schema()
    body = {
        "model": "m",
        "messages": ASK,
        "response_format": {"type": "json_schema", "json_schema": {"name": "Named", "schema": schema}},
    }
    sent = compact_grammar(body)
    assert "response_format" not in sent and sent["messages"] == ASK
    head, grammar_schema = sent["grammar"].split("%json ", 1)
    assert head == "%llguidance {}\nstart: "
    assert json.loads(grammar_schema) == {**schema, "x-guidance": COMPACT_JSON}
    assert COMPACT_JSON["whitespace_flexible"] is False


def test_requests_without_a_json_schema_go_unchanged():
    choice = {"model": "m", "messages": ASK, "max_tokens": 1, "logprobs": True}
    assert compact_grammar(choice) is choice
    json_object = {**choice, "response_format": {"type": "json_object"}}
    assert compact_grammar(json_object) is json_object


def _ask(srv: ScriptedServer, mode: str) -> Named:
    async def go() -> Named:
        async with ModelClient(resolve_endpoint(base_url=srv.base_url, model="m", mode=mode), http_retries=0) as c:
            return await c.create(Named, ASK, max_retries=0, max_tokens=64)

    return run_sync(go())


def test_in_mode_grammar_the_endpoint_receives_the_grammar_and_the_answer_is_validated():
    with ScriptedServer([Reply({"name": "net profit"})]) as srv:
        answer = _ask(srv, "grammar")
    assert answer.name == "net profit"
    (body,) = srv.requests
    assert "response_format" not in body and body["grammar"].startswith("%llguidance")
    assert json.loads(body["grammar"].split("%json ", 1)[1])["x-guidance"] == COMPACT_JSON


def test_in_mode_json_schema_the_endpoint_receives_the_standard_form():
    with ScriptedServer([Reply({"name": "net profit"})]) as srv:
        _ask(srv, "json_schema")
    (body,) = srv.requests
    assert "grammar" not in body and body["response_format"]["type"] == "json_schema"


def test_the_embedded_engine_asks_a_schema_as_a_grammar_and_never_a_forced_tool_call():
    assert embedded_mode("json_schema") == "grammar"
    assert embedded_mode("tools") == "json_schema"
    assert embedded_mode("json") == "json"
