"""What code finds in an article before any model call: sentences, figures, timings, the sentences
that may state a risk, and the sentences no brief may draw on (boilerplate, text addressed to a
machine). Each kind has its own module; `find()` runs them all over one article."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import NotAnArticleError
from .company import speaks_of_a_company
from .figures import Figure, article_figures, figures_in
from .filters import is_boilerplate, is_instruction
from .numbers import scaled_numbers_in
from .risks import risk_sentences
from .sentences import split_paragraphs
from .timing import Timing, forward_looking, timings_in

log = logging.getLogger("summarizer")


@dataclass
class Findings:
    """What code found in one article before any model call."""

    sentences: list[str]
    figures: list[Figure]
    timings: list[Timing]
    risk_sentences: list[int]
    boilerplate: set[int]  # advertising, teasers, and the instructions below: never shown to the model
    instructions: set[int]  # sentences addressed to the model (prompt injections)
    # A learned decision's probability per sentence: {"risk": {i: p}, "catalyst": {i: p}} (`learning`).
    scores: dict[str, dict[int, float]] = field(default_factory=dict)


def find(text: str, published: date | None) -> Findings:
    paragraphs = split_paragraphs(text)
    sentences = [s for p in paragraphs for s in p]
    # A paragraph with one sentence addressed to the model is the injection's: all of it is left out.
    instructions: set[int] = set()
    i = 0
    for p in paragraphs:
        if any(is_instruction(s) for s in p):
            instructions.update(range(i, i + len(p)))
        i += len(p)
    if instructions:
        log.warning("%d sentence(s) address the model instead of readers and are left out", len(instructions))
    boilerplate = {i for i, s in enumerate(sentences) if is_boilerplate(s)} | instructions
    timings: list[Timing] = []
    seen: set[tuple[int, str]] = set()
    for i, s in enumerate(sentences):
        if i in boilerplate or not forward_looking(s):
            continue  # a timing in a sentence that only looks back dates history, not a catalyst
        for t in timings_in(s, i, published):
            # Only what can still lie ahead: a window that ended before publication is history.
            if published is not None and t.end is not None and t.end < published:
                continue
            if (i, t.text.lower()) not in seen:
                seen.add((i, t.text.lower()))
                timings.append(t)
    shown = [s if i not in boilerplate else "" for i, s in enumerate(sentences)]
    return Findings(
        sentences, article_figures(shown), timings, risk_sentences(sentences, boilerplate), boilerplate, instructions
    )


def check_article(found: Findings) -> None:
    """Refuse, before any model call, a text with no figure and no sign of a company: there is nothing a
    brief could say, and a model asked anyway would invent one."""
    text = " ".join(s for i, s in enumerate(found.sentences) if i not in found.boilerplate)
    if not found.figures and not speaks_of_a_company(text):
        raise NotAnArticleError(
            "the text prints no figure and names no company: it does not look like a financial news article"
        )


def printed_numbers(sentences: Sequence[str]) -> list[float]:
    """Every number the sentences print: each figure as code reads it (both ends of a range, figures
    in words such as "eight analysts" or "tripled"), and each number with its scale word."""
    values = [v for i, s in enumerate(sentences) for f in figures_in(s, i) for v in (f.value, f.value_high)]
    return [v for v in values if v is not None] + [n for s in sentences for n in scaled_numbers_in(s)]


def printed_values(found: Findings) -> list[float]:
    """Every number the article prints outside the paragraphs addressed to the model."""
    return printed_numbers(["" if i in found.instructions else s for i, s in enumerate(found.sentences)])


__all__ = ["Figure", "Findings", "Timing", "check_article", "find", "printed_numbers", "printed_values"]
