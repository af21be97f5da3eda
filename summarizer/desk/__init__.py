"""The editor's desk: a local web app to draft, check and publish briefs (`summarizer desk`).

`create_app(data_dir)` is the ASGI app; `serve()` runs it with uvicorn. Briefs are drafted by the
library (`asummarize`) against any endpoint it supports, in the background; articles, briefs and
every change are kept in `data_dir/desk.sqlite3`.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .app import create_app

DEFAULT_PORT = 8765


def default_data_dir() -> Path:
    """Where the desk keeps its database and gold folder unless told otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("summarizer")) / "desk"


def serve(
    *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, data: str | Path | None = None, token: str | None = None,
    concurrency: int = 1, options: dict[str, Any] | None = None, log_level: str = "warning",
    roots: Sequence[str | Path] = (), hosts: Sequence[str] = (),
) -> None:  # fmt: skip
    """Run the desk until interrupted. Raises SummarizerError when the address cannot be served."""
    import socket

    import uvicorn

    from ..errors import SummarizerError

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be served ({exc.strerror})"
        raise SummarizerError(f"{host} port {port} {reason}: choose another with --port") from None

    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        hosts = [*hosts, host]
    elif host in ("0.0.0.0", "::"):
        hosts = [*hosts, socket.gethostname(), socket.getfqdn()]
    app = create_app(data or default_data_dir(), token=token, concurrency=concurrency, options=options,
                     roots=roots, hosts=hosts)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=3)


__all__ = ["DEFAULT_PORT", "create_app", "default_data_dir", "serve"]
