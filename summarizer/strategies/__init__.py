"""Strategies: how a brief is drawn from an article, behind one small interface and a registry.

A strategy turns a `Request` into a plan before any model call (bad input is refused there), then
asks the model through a `ModelClient` and returns a validated `Brief`. The front door
(`summarize`, `asummarize`, `summarize_many`, the eval harness) knows strategies only by name:

    from summarizer.strategies import Strategy, register

    class Mine(Strategy):
        name = "mine"
        default_prompt = "mine"          # prompts/mine/{system,user}.j2
        def version(self, prompt=None): ...
        def prepare(self, request): ...
        async def brief(self, plan, model): ...

    register(Mine())

Built in: `grounded` (the default: code finds figures, dates and risk sentences, the model answers
small questions by reference, the stance is a choice read from token probabilities, every item
carries a confidence and review flag), `choices` (grounded, the figures asked their name and only
the kinds no cue gives) and `single` (one call for the whole brief).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..errors import ConfigurationError
from ..model import Endpoint, ModelClient
from ..schema import Brief

# A conservative characters-per-token ratio for context checks (English news runs ~4).
CHARS_PER_TOKEN = 3.0
DEFAULT_STRATEGY = "grounded"


@dataclass(frozen=True)
class Request:
    """One article to brief, and the limits of the work."""

    text: str
    published: date | None
    title: str | None
    prompt: str
    endpoint: Endpoint
    max_attempts: int
    max_tokens: int


class Strategy(ABC):
    """How a brief is drawn from an article."""

    name: ClassVar[str]
    default_prompt: ClassVar[str]  # the prompt folder used when the caller names none
    # How answers are asked for where the endpoint sets no mode: "tools" shows the model the answer's
    # schema as a tool definition; "json_schema" only constrains decoding with it (`response_format`).
    mode: ClassVar[str] = "tools"

    @abstractmethod
    def version(self, prompt: str | None = None) -> str:
        """A short hash of what the strategy sends: its prompt templates and response schemas."""

    @abstractmethod
    def prepare(self, request: Request) -> Any:
        """Everything before the first model call; refuses bad input with an InputError."""

    @abstractmethod
    async def brief(self, plan: Any, model: ModelClient) -> Brief:
        """Ask the model and return the validated brief; instructor's and openai's failures may
        propagate (the caller translates them), the strategy's own are ExtractionErrors."""


_REGISTRY: dict[str, Strategy] = {}


def register(strategy: Strategy) -> Strategy:
    """Make `strategy` available by its name (a later registration of the same name replaces it)."""
    _REGISTRY[strategy.name] = strategy
    return strategy


def unregister(name: str) -> None:
    """Remove a registered strategy (nothing happens when it is not registered)."""
    _REGISTRY.pop(name, None)


def get(name: str) -> Strategy:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ConfigurationError(f"strategy {name!r} is not one of {', '.join(names())}") from None


def names() -> tuple[str, ...]:
    """The registered strategies, the default first."""
    return tuple(sorted(_REGISTRY, key=lambda n: (n != DEFAULT_STRATEGY, n)))


def estimated_tokens(messages: list[dict[str, str]], schema: dict[str, Any], answer_tokens: int) -> int:
    """A conservative estimate of a request's context use: its messages, its response schema (which a
    tool definition adds to the prompt) and the room left for the answer."""
    chars = sum(len(m["content"]) for m in messages) + len(json.dumps(schema))
    return int(chars / CHARS_PER_TOKEN) + answer_tokens


from . import grounded, single  # noqa: E402  (the built-in strategies register themselves)

__all__ = [
    "DEFAULT_STRATEGY",
    "Request",
    "Strategy",
    "estimated_tokens",
    "get",
    "grounded",
    "names",
    "register",
    "single",
]
