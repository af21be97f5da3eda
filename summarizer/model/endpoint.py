"""Where requests go: an OpenAI-compatible endpoint from arguments or the environment, or the
embedded llama.cpp server when none is configured."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from ..errors import ConfigurationError
from . import local

ModeName = Literal["json_schema", "grammar", "tools", "json"]
# json_schema: `response_format` with the answer's JSON schema (OpenAI, vLLM, llama.cpp's server);
# grammar: the same schema as a llama.cpp grammar (llguidance) for the JSON on one line (llama.cpp's
# server; the embedded engine's default); tools: a forced tool call; json: `response_format`
# json_object, the schema written into the prompt.
MODES: tuple[ModeName, ...] = ("json_schema", "grammar", "tools", "json")


_EMBEDDED_MODES = {"json_schema": "grammar", "tools": "json_schema"}


def embedded_mode(preferred: str) -> ModeName:
    """The mode the embedded engine is asked in for a strategy that prefers `preferred`: never forced
    tool calls, which it answers as plain text (llama.cpp's server parses no tool call of this model),
    and a schema as a one-line JSON grammar, which spares the tokens of indented lines."""
    return _EMBEDDED_MODES.get(preferred, preferred)  # type: ignore[return-value]


@dataclass(frozen=True)
class Endpoint:
    """Where requests go. Embedded: the local llama.cpp server, started on the first request."""

    base_url: str | None  # None for the embedded server
    api_key: str
    model: str
    mode: ModeName | None  # None: each strategy asks in its own mode
    context_tokens: int | None

    @property
    def embedded(self) -> bool:
        return self.base_url is None

    @property
    def name(self) -> str:
        return self.base_url or "embedded"

    def mode_for(self, preferred: str) -> ModeName:
        """The mode to ask in: the endpoint's own when set, else `preferred` (a strategy's); on the
        embedded engine, `embedded_mode(preferred)`."""
        if self.mode is not None:
            return self.mode
        if self.embedded:
            return embedded_mode(preferred)
        return preferred  # type: ignore[return-value]

    def url(self) -> str:
        """The base URL to call, starting the embedded server if this is it."""
        return self.base_url or local.shared_server().base_url


def resolve_endpoint(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    context_tokens: int | None = None,
) -> Endpoint:
    """Arguments win over the environment (OPENAI_BASE_URL, OPENAI_API_KEY, SUMMARIZER_MODEL,
    SUMMARIZER_MODE, SUMMARIZER_CONTEXT_TOKENS); with no base URL the embedded model is started."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or None
    model = model or os.environ.get("SUMMARIZER_MODEL") or None
    mode = mode or os.environ.get("SUMMARIZER_MODE") or None
    if mode is not None and mode not in MODES:
        raise ConfigurationError(f"mode {mode!r} is not one of {sorted(MODES)}")
    env_ctx = os.environ.get("SUMMARIZER_CONTEXT_TOKENS")
    if context_tokens is None and env_ctx:
        context_tokens = int(env_ctx)
    if base_url is None:
        return Endpoint(
            base_url=None,
            api_key=api_key or "local",
            model=model or local.embedded_model_name(),
            mode=mode,
            context_tokens=context_tokens or local.embedded_n_ctx(),
        )
    if model is None:
        raise ConfigurationError(f"an endpoint is set ({base_url}) but no model: pass model= or set SUMMARIZER_MODEL")
    return Endpoint(
        base_url=base_url,
        api_key=api_key or "unused",
        model=model,
        mode=mode,
        context_tokens=context_tokens,
    )
