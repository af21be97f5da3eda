"""A desk served over real HTTP on a loopback port, in a thread of the test process."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import uvicorn

from summarizer.desk import create_app


class DeskServer:
    """`with DeskServer(data_dir, options=...) as desk:` then `desk.url`, `desk.http` (a client)."""

    def __init__(
        self, data: Path, *, token: str | None = None, concurrency: int = 1, roots: tuple[Path, ...] = (),
        **options: Any,
    ) -> None:  # fmt: skip
        self.app = create_app(data, token=token, concurrency=concurrency, options=options, roots=roots)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning", timeout_graceful_shutdown=3)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> DeskServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the desk did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.url, timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=20)

    def wait(self, aid: str, *, until: tuple[str, ...] = ("ready", "failed"), timeout: float = 60) -> dict[str, Any]:
        """The article's state once its status is one of `until`."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.http.get(f"/api/articles/{aid}").json()
            if state["status"] in until:
                return state
            if time.monotonic() > deadline:
                raise TimeoutError(f"article {aid} still {state['status']} after {timeout} s")
            time.sleep(0.05)
