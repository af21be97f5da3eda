"""The model side: where requests go (`endpoint`), the one client that sends them (`client`), and
the embedded llama.cpp server used when nothing is configured (`local`)."""

from .client import (
    DEFAULT_HTTP_RETRIES,
    DEFAULT_TIMEOUT,
    Choice,
    ModelClient,
    completion_text,
    mount,
    run_sync,
    unmount,
)
from .endpoint import Endpoint, resolve_endpoint

__all__ = [
    "DEFAULT_HTTP_RETRIES",
    "DEFAULT_TIMEOUT",
    "Choice",
    "Endpoint",
    "ModelClient",
    "completion_text",
    "mount",
    "resolve_endpoint",
    "run_sync",
    "unmount",
]
