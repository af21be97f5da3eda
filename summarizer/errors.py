"""The one exception tree of the library: every failure a caller can meet is a SummarizerError."""

from __future__ import annotations

from dataclasses import dataclass


class SummarizerError(Exception):
    """Root of every error this library raises on purpose."""


class InputError(SummarizerError, ValueError):
    """The input cannot be summarized as given."""


class EmptyInputError(InputError):
    """Empty or whitespace-only text."""


class BinaryInputError(InputError):
    """The input is a binary file, not text."""


class UndecodableInputError(InputError):
    """The input bytes are not valid UTF-8."""


class NotAnArticleError(InputError):
    """The text names no company and prints no figure: there is nothing a brief could say."""


class InputTooLongError(InputError):
    """The article does not fit the model's context window."""

    def __init__(self, message: str, *, estimated_tokens: int, context_tokens: int) -> None:
        super().__init__(message)
        self.estimated_tokens = estimated_tokens
        self.context_tokens = context_tokens


class ConfigurationError(SummarizerError):
    """Settings are missing or contradictory (endpoint, model, key)."""


class CouldNotEvaluate(SummarizerError):
    """An eval cannot say whether the candidate is better or worse: a case it was asked for does not
    exist, a floor names no figure, or answers it needs are not recorded. Not a regression."""


class LocalModelError(SummarizerError):
    """The embedded model could not be assembled, verified or started."""


class PromptError(SummarizerError):
    """A prompt template is missing or was rendered with a missing variable."""


@dataclass
class Usage:
    """Token usage summed over every attempt of one call. `prompt_tokens` counts whole prompts;
    `cached_tokens` the part of them the endpoint said it took from its prompt cache (0 where it says
    nothing), so `prompt_tokens - cached_tokens` were evaluated."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def evaluated_tokens(self) -> int:
        return self.prompt_tokens - self.cached_tokens


@dataclass
class FailedAttemptInfo:
    """What one rejected attempt returned and why it was rejected."""

    attempt: int
    error: str
    completion: str | None = None


class EndpointError(SummarizerError):
    """The model endpoint failed (connection, timeout, HTTP error) after the client's retries."""

    def __init__(self, message: str, *, endpoint: str, attempts: int, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.attempts = attempts
        self.usage = usage or Usage()


class ExtractionError(SummarizerError):
    """The model's output broke the brief's rules on every attempt.

    `failures` holds each attempt's validation error and raw output; `usage` the tokens spent.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        usage: Usage,
        failures: list[FailedAttemptInfo] | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage
        self.failures: list[FailedAttemptInfo] = failures or []
