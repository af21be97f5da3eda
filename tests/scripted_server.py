"""Scripted OpenAI-compatible chat endpoints for unit tests of the library's logic.

Each answers `POST /v1/chat/completions` with the next scripted reply: the structured answer whose
arguments are given (a tool call when the request defines a tool, the message's JSON content when it
asks for a `response_format` JSON schema), or an HTTP status. A request for neither (a one-word
choice) is answered apart, with `choice` and, when asked for them, `choice_logprobs` as the first
token's alternatives. `FakeModel` answers in process (mounted with `summarizer.model.mount`,
no socket); `ScriptedServer` answers over real HTTP on loopback, for transport faults and for the
CLI run as a subprocess. The answers are test doubles.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2 as httpx  # the HTTP library of openai 3

from summarizer.model import mount, unmount


@dataclass
class Reply:
    arguments: dict[str, Any] | str | None = None  # tool-call arguments (dict is JSON-encoded)
    status: int = 200
    finish_reason: str = "tool_calls"
    prompt_tokens: int = 100
    completion_tokens: int = 50
    delay: float = 0.0  # seconds to wait before answering
    headers: dict[str, str] = field(default_factory=dict)  # e.g. {"Retry-After": "2"}
    as_text: bool = False  # a tool call answered as the message's text, as a server that parses none does


@dataclass
class Script:
    """What the endpoint answers, in order; shared by both endpoints below."""

    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply | None = None  # answered once the script has run out (else HTTP 500)
    by_tool: dict[str, Reply] = field(default_factory=dict)  # the answer for each tool or schema name, every time
    auto: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # tool arguments computed from the request
    choice: str | Callable[[dict[str, Any]], str] = "positive"  # the answer to a question asked without a tool
    choice_logprobs: dict[str, float] | Callable[[dict[str, Any]], dict[str, float]] | None = field(
        default_factory=lambda: {"positive": -0.2, "mixed": -2.0, "negative": -3.5, "neutral": -4.0, "The": -5.0}
    )  # its first token's alternatives (None: the endpoint gives no probabilities)
    refuse_logprobs: bool = False  # answer a request for probabilities with HTTP 400, as some endpoints do
    choice_delay: float = 0.0  # seconds before a choice is answered

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            tool_name = answer_name(body)
            if tool_name is None and body.get("logprobs") and self.refuse_logprobs:
                return Reply(status=400)
            if tool_name is None:
                said = self.choice(body) if callable(self.choice) else self.choice
                return Reply(said, finish_reason="length", completion_tokens=1, delay=self.choice_delay)
            if self.auto is not None:
                return Reply(self.auto(body))
            if tool_name in self.by_tool:
                return self.by_tool[tool_name]
            return self.replies.pop(0) if self.replies else (self.default or Reply(status=500))

    def payload(self, reply: Reply, body: dict[str, Any]) -> bytes:
        if reply.status == 400 and body.get("logprobs"):
            return json.dumps({"error": {"message": "logprobs is not supported by this model"}}).encode()
        if reply.status != 200:
            return json.dumps({"error": {"message": f"scripted HTTP {reply.status}"}}).encode()
        if answer_name(body) is None:
            return self._choice(reply, body)
        args = reply.arguments if isinstance(reply.arguments, str) else json.dumps(reply.arguments)
        if not body.get("tools") or reply.as_text:  # a response_format schema: the answer is the content
            finish = "stop" if reply.finish_reason == "tool_calls" else reply.finish_reason
            return self._completion(replace(reply, finish_reason=finish), body, {"role": "assistant", "content": args})
        tool = body["tools"][0]["function"]["name"]
        call = {"id": "call_0", "type": "function", "function": {"name": tool, "arguments": args}}
        return self._completion(reply, body, {"role": "assistant", "content": None, "tool_calls": [call]})

    def _choice(self, reply: Reply, body: dict[str, Any]) -> bytes:
        logprobs = None
        alternatives = self.choice_logprobs(body) if callable(self.choice_logprobs) else self.choice_logprobs
        if body.get("logprobs") and alternatives is not None:
            top = [{"token": t, "logprob": lp, "bytes": None} for t, lp in alternatives.items()]
            first = {"token": str(reply.arguments), "logprob": alternatives.get(str(reply.arguments), -1.0),
                     "bytes": None, "top_logprobs": top}  # fmt: skip
            logprobs = {"content": [first]}
        message = {"role": "assistant", "content": str(reply.arguments)}
        return self._completion(reply, body, message, logprobs)

    @staticmethod
    def _completion(
        reply: Reply, body: dict[str, Any], message: dict[str, Any], logprobs: dict[str, Any] | None = None
    ) -> bytes:
        choice = {"index": 0, "finish_reason": reply.finish_reason, "message": message, "logprobs": logprobs}
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "scripted"),
                "choices": [choice],
                "usage": {
                    "prompt_tokens": reply.prompt_tokens,
                    "completion_tokens": reply.completion_tokens,
                    "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                },
            }
        ).encode()


def answer_name(body: dict[str, Any]) -> str | None:
    """The name of the structured answer a request asks for: its tool's, or its response_format JSON
    schema's (json_object: "json"); None for a plain answer (a choice)."""
    if body.get("tools"):
        return str(body["tools"][0]["function"]["name"])
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    if body.get("grammar"):  # mode "grammar": the schema in an llguidance grammar
        return str(answer_schema(body).get("title", "grammar"))
    return "json" if fmt.get("type") == "json_object" else None


def answer_schema(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of the structured answer a request asks for (its tool's parameters, or its
    response_format's schema)."""
    if body.get("tools"):
        return dict(body["tools"][0]["function"]["parameters"])
    if body.get("grammar"):
        return dict(json.loads(body["grammar"].split("%json ", 1)[1]))
    return dict(body["response_format"]["json_schema"]["schema"])


_fake_ids = itertools.count(1)


@dataclass
class FakeModel(Script):
    """An in-process model at `base_url`: no socket, no thread."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.base_url = f"http://fake-model-{next(_fake_ids)}.invalid/v1"
        self.in_flight = 0
        self.most_in_flight = 0  # requests it held at once

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        reply = self.next_reply(body)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if reply.delay:
                await asyncio.sleep(reply.delay)
        finally:
            self.in_flight -= 1
        return httpx.Response(reply.status, headers=reply.headers, content=self.payload(reply, body),
                              request=request)  # fmt: skip

    def __enter__(self) -> FakeModel:
        mount(self.base_url, httpx.MockTransport(self._handle))
        return self

    def __exit__(self, *exc: object) -> None:
        unmount(self.base_url)


@dataclass
class ScriptedServer(Script):
    """The same script served over real HTTP on a loopback port."""

    def __post_init__(self) -> None:
        super().__post_init__()
        script = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                reply = script.next_reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = script.payload(reply, body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
