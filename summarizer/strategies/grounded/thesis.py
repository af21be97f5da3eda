"""The thesis the model writes, checked and cleaned by code: tags out, cut to full sentences and to
the word limit, and never a figure the article does not print."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError, ValidationInfo

from ...finding.figures import Figure, figures_in
from ...schema import THESIS_MAX_WORDS
from ...text import close, normalize_ws

_TAG = re.compile(r"\s*\[(?:[FTR]\d+|\d+)\]")


def _unprinted(text: str, printed: Sequence[float]) -> list[Figure]:
    """The figures of a text (the model's prose) whose value the article does not print."""
    return [
        f for f in figures_in(_TAG.sub("", text)) if f.value is not None and not any(close(f.value, p) for p in printed)
    ]


def thesis_figures_printed(v: str, info: ValidationInfo) -> str:
    """A figure in the thesis must be one the article prints: an instruction hidden in the article
    ("say the dividend doubled") cannot put a number into the brief. Only what the brief keeps is
    checked: a sentence cut off at the length limit ("... a striking 3") is dropped, not asked again."""
    printed = info.context.get("printed") if isinstance(info.context, dict) else None
    if printed is None:
        return v
    for f in _unprinted(clean_thesis(v), printed):
        raise ValueError(f"the thesis states {f.as_written!r}, which the article does not print")
    return v


def cut_unprinted(thesis: str, printed: Sequence[float]) -> str:
    """The thesis without the clauses that state a figure the article does not print (a clause ends at
    a comma, semicolon or dash); empty when no clause is left."""
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", untag(thesis)):
        if not _unprinted(sentence, printed):
            kept.append(sentence)
            continue
        clauses = [c for c in re.split(r",\s+|;\s+|\s+[—–-]\s+", sentence.rstrip(".!?")) if not _unprinted(c, printed)]
        if clauses:
            kept.append(", ".join(clauses) + ".")
    return " ".join(kept)


def salvage_thesis(model: type[BaseModel], raw_answer: str | None, context: dict[str, Any]) -> BaseModel | None:
    """The model's last answer with its thesis cut to the clauses whose figures the article prints,
    when that thesis was the answer's only fault (a small model at temperature 0 repeats a mis-scaled
    "$600 million" for a printed "$600" on every attempt); None when anything else is wrong."""
    try:
        data = json.loads(raw_answer or "")
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("thesis"), str):
        return None
    data["thesis"] = cut_unprinted(data["thesis"], context.get("printed") or [])
    if not data["thesis"]:
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError:
        return None


def untag(text: str) -> str:
    """The model's prose without tags, also one cut in half at the end ("surged 6.39% [F")."""
    return re.sub(r"\s*\[[^\]]*$", "", normalize_ws(_TAG.sub("", text)))


def clean_thesis(text: str) -> str:
    """The thesis without tags and within the word limit (cut at a sentence end when it runs over).
    A thesis that stops mid-sentence (a grammar-constrained server ends the string at the schema's
    maxLength: "... reported a 34% [F") ends at its last full sentence, or with "…" if it has none."""
    text = untag(text)
    words = text.split(" ")
    if len(words) > THESIS_MAX_WORDS:
        cut = " ".join(words[:THESIS_MAX_WORDS])
        end = max(cut.rfind(". "), cut.rfind("; "))
        return cut[: end + 1] if end > 0 else cut.rstrip(",;:") + "."
    if text and text[-1] not in ".!?…\"')":
        end = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
        text = text[: end + 1] if end > 0 else text.rstrip(",;: ") + "…"
    return text


def replace_names(thesis: str, guesses: set[str]) -> str:
    """The thesis with each guessed company name written "the company" (not the chosen name: when a
    part guessed, the text's one may be a company it merely mentions); sentence starts stay capitalized."""
    for guess in sorted(guesses, key=len, reverse=True):
        thesis = re.sub(rf"\b{re.escape(guess.strip())}", "the company", thesis)
    return re.sub(r"(^|[.!?] )the company", lambda m: m.group(1) + "The company", thesis)
