"""summarizer: LLM-assisted structured briefs of financial news, validated against the article."""

import logging

from .api import Options, RunInfo, Summary, asummarize, summarize
from .article import Article, parse_article, read_article
from .batch import Outcome, brief_folder, summarize_many
from .errors import (
    BinaryInputError,
    ConfigurationError,
    EmptyInputError,
    EndpointError,
    ExtractionError,
    FailedAttemptInfo,
    InputError,
    InputTooLongError,
    LocalModelError,
    NotAnArticleError,
    PromptError,
    SummarizerError,
    UndecodableInputError,
    Usage,
)
from .model import resolve_endpoint
from .schema import Brief, Catalyst, Company, Metric, Risk

logging.getLogger(__name__).addHandler(logging.NullHandler())  # the library is silent unless asked

__all__ = [
    "Article",
    "BinaryInputError",
    "Brief",
    "Catalyst",
    "Company",
    "ConfigurationError",
    "EmptyInputError",
    "EndpointError",
    "ExtractionError",
    "FailedAttemptInfo",
    "InputError",
    "InputTooLongError",
    "LocalModelError",
    "Metric",
    "NotAnArticleError",
    "Options",
    "Outcome",
    "PromptError",
    "Risk",
    "RunInfo",
    "SummarizerError",
    "Summary",
    "UndecodableInputError",
    "Usage",
    "asummarize",
    "brief_folder",
    "parse_article",
    "read_article",
    "resolve_endpoint",
    "summarize",
    "summarize_many",
]
