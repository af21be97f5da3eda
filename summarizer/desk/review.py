"""What the review page works on: the items of a brief, where each stands in its article, and the
edits an editor makes, each validated by the brief's own rules before it is saved."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..finding.figures import figures_in
from ..finding.sentences import split_sentences
from ..schema import Brief, Catalyst, Metric, Risk
from ..text import normalize_ws

GROUPS: dict[str, type[BaseModel]] = {"metrics": Metric, "risks": Risk, "catalysts": Catalyst}
MARKS = ("pending", "accepted", "rejected", "edited", "added")
TOP_FIELDS = ("thesis", "stance", "published", "company.name", "company.ticker", "company.isin")
# What an editor may set on an item: every field of the schema but the ones code reads from the quote.
CODE_READS = {"metrics": ("value", "value_high", "qualifier", "unit", "currency", "as_written", "evidence")}


class EditError(InputError):
    """An edit the brief's rules refuse; the message says why in one line."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    item: str  # "metrics/3"
    role: Literal["figure", "date", "quote", "risk"]


def locate(text: str, quote: str, start: int = 0) -> tuple[int, int] | None:
    """Where `quote` stands in `text`, whitespace-tolerant (quotes are verbatim up to whitespace)."""
    words = normalize_ws(quote).split(" ")
    if not words or not words[0]:
        return None
    m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, start)
    return (m.start(), m.end()) if m else None


def spans(brief: dict[str, Any], text: str, marks: dict[str, list[str]] | None = None) -> list[Span]:
    """Every highlight of a brief in its article: each item's quote, and within it the figure as
    written, the catalyst's date as written; a risk's quote is its highlight. Rejected items have none."""
    out: list[Span] = []
    for group in GROUPS:
        for i, item in enumerate(brief.get(group, [])):
            if marks and marks[group][i] == "rejected":
                continue
            key = f"{group}/{i}"
            where = locate(text, item["evidence"])
            if where is None:
                continue
            s, e = where
            out.append(Span(s, e, key, "risk" if group == "risks" else "quote"))
            inner = item.get("as_written") if group == "metrics" else item.get("date_text")
            if inner:
                got = locate(text[s:e], inner)
                if got:
                    out.append(Span(s + got[0], s + got[1], key, "figure" if group == "metrics" else "date"))
    return out


def items(brief: dict[str, Any], text: str, marks: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The brief's items in review order: those flagged for review first, then as the article tells them."""
    rows = []
    for group in GROUPS:
        for i, item in enumerate(brief.get(group, [])):
            where = locate(text, item["evidence"])
            rows.append(
                {"key": f"{group}/{i}", "group": group, "index": i, "item": item, "mark": marks[group][i],
                 "review": bool(item.get("review")), "at": where[0] if where else len(text)}
            )  # fmt: skip
    return sorted(rows, key=lambda r: (not r["review"], r["at"], r["key"]))


def fresh_marks(brief: dict[str, Any]) -> dict[str, list[str]]:
    return {g: ["pending"] * len(brief.get(g, [])) for g in GROUPS}


def published_brief(brief: dict[str, Any], marks: dict[str, list[str]]) -> dict[str, Any]:
    """The brief as published: rejected items left out."""
    out = copy.deepcopy(brief)
    for g in GROUPS:
        out[g] = [item for item, mark in zip(brief.get(g, []), marks[g], strict=True) if mark != "rejected"]
    return out


def validate(brief: dict[str, Any], text: str, published: date | None) -> Brief:
    """The brief's own rules, with the article: quotes verbatim, values the figures quoted, windows."""
    try:
        return Brief.model_validate(brief, context={"article": text, "published": published})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise EditError(f"{where}: {msg}" if where else msg) from None


def _item_key(path: str) -> tuple[str, int, str | None]:
    parts = path.split("/")
    if len(parts) not in (2, 3) or parts[0] not in GROUPS or not parts[1].isdigit():
        raise EditError(f"{path!r} names no item (use metrics/N, risks/N or catalysts/N, optionally /field)")
    return parts[0], int(parts[1]), parts[2] if len(parts) == 3 else None


def set_field(brief: dict[str, Any], marks: dict[str, list[str]], path: str, value: Any) -> None:
    """Set one field: `thesis`, `stance`, `company.name`..., or `metrics/3/kind`; or several fields of
    one item at once, `metrics/3` with {"period_start": ..., "period_end": ...} (a window is set whole)."""
    if isinstance(value, dict) and path.count("/") == 1:
        for name, v in value.items():
            set_field(brief, marks, f"{path}/{name}", v)
        return
    if path in TOP_FIELDS:
        head, _, tail = path.partition(".")
        if tail:
            brief[head][tail] = value
        else:
            brief[head] = value
        return
    group, i, name = _item_key(path)
    if i >= len(brief[group]):
        raise EditError(f"{group} has no item {i}")
    fields = GROUPS[group].model_fields
    if name is None or name not in fields:
        raise EditError(f"{group} items have no field {name!r}; they have {', '.join(fields)}")
    if name in CODE_READS.get(group, ()):
        raise EditError(f"{name} is read from the article by code; select the figure's words to add it instead")
    brief[group][i][name] = value
    marks[group][i] = "added" if marks[group][i] == "added" else "edited"


def set_mark(marks: dict[str, list[str]], path: str, mark: str) -> None:
    group, i, name = _item_key(path)
    if name is not None or i >= len(marks[group]):
        raise EditError(f"{path!r} names no item")
    if mark not in ("pending", "accepted", "rejected"):
        raise EditError(f"mark must be pending, accepted or rejected, not {mark!r}")
    marks[group][i] = mark


def figure_at(text: str, start: int, end: int) -> dict[str, Any]:
    """The figure an editor selected (character offsets into the article), read by code: value, unit,
    qualifier and quote; the editor names, kinds and dates it."""
    if not 0 <= start < end <= len(text):
        raise EditError("the selection is outside the article")
    for sentence in split_sentences(text):
        where = locate(text, sentence)
        if where is None or not (where[0] <= start and end <= where[1]):
            continue
        lo, hi = start - where[0], end - where[0]
        # offsets inside the sentence as written in the article (whitespace may differ from the split)
        in_article = text[where[0] : where[1]]
        for f in figures_in(in_article):
            if f.start < hi and lo < f.end:
                return {
                    "value": f.value, "value_high": f.value_high, "qualifier": f.qualifier, "unit": f.unit,
                    "currency": f.currency, "as_written": f.as_written, "evidence": sentence,
                }  # fmt: skip
        break
    picked = normalize_ws(text[start:end])[:60]
    raise EditError(f"no figure code can read in {picked!r}: select the number with its unit")
