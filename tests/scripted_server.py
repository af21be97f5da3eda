"""A scripted OpenAI-compatible chat server on loopback, for unit tests of the library's logic.

It answers `POST /v1/chat/completions` with the next scripted reply: a tool call whose arguments
are given, or an HTTP status. Real HTTP over a real socket; the answers are test doubles.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    arguments: dict[str, Any] | str | None = None  # tool-call arguments (dict is JSON-encoded)
    status: int = 200
    finish_reason: str = "tool_calls"
    prompt_tokens: int = 100
    completion_tokens: int = 50
    delay: float = 0.0  # seconds to wait before answering
    headers: dict[str, str] = field(default_factory=dict)  # e.g. {"Retry-After": "2"}


@dataclass
class ScriptedServer:
    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply | None = None  # answered once the script has run out (else HTTP 500)
    by_tool: dict[str, Reply] = field(default_factory=dict)  # the answer for each tool name, every time
    auto: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # tool arguments computed from the request

    def __post_init__(self) -> None:
        script = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with script._lock:
                    script.requests.append(body)
                    tool_name = (body.get("tools") or [{}])[0].get("function", {}).get("name")
                    if script.auto is not None:
                        reply = Reply(script.auto(body))
                    elif tool_name in script.by_tool:
                        reply = script.by_tool[tool_name]
                    else:
                        reply = script.replies.pop(0) if script.replies else (script.default or Reply(status=500))
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    payload = json.dumps({"error": {"message": f"scripted HTTP {reply.status}"}}).encode()
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                else:
                    args = reply.arguments if isinstance(reply.arguments, str) else json.dumps(reply.arguments)
                    tool = body["tools"][0]["function"]["name"]
                    payload = json.dumps(
                        {
                            "id": "chatcmpl-test",
                            "object": "chat.completion",
                            "created": 0,
                            "model": body.get("model", "scripted"),
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": reply.finish_reason,
                                    "message": {
                                        "role": "assistant",
                                        "content": None,
                                        "tool_calls": [
                                            {
                                                "id": "call_0",
                                                "type": "function",
                                                "function": {"name": tool, "arguments": args},
                                            }
                                        ],
                                    },
                                }
                            ],
                            "usage": {
                                "prompt_tokens": reply.prompt_tokens,
                                "completion_tokens": reply.completion_tokens,
                                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                            },
                        }
                    ).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._lock = threading.Lock()
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
