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
from ..finding.numbers import numbers_in, scaled_numbers_in
from ..finding.sentences import split_sentences
from ..render import doubts
from ..schema import Brief, Catalyst, Check, Metric, Risk
from ..text import close, normalize_ws, similarity

GROUPS: dict[str, type[BaseModel]] = {"metrics": Metric, "risks": Risk, "catalysts": Catalyst}
MARKS = ("pending", "accepted", "rejected", "edited", "added")
TOP_FIELDS = ("thesis", "stance", "published", "company.name", "company.ticker", "company.isin")
# What an editor may set on an item: every field of the schema but the ones code reads from the quote.
# The reading of a figure (value, its range, qualifier, the words as written) is corrected by the
# editor and checked against the article's words; its unit, currency and quote stay code's.
CODE_READS = {"metrics": ("unit", "currency", "evidence")}
# Fields the model decides with a measured confidence; a published brief and a gold label leave them out.
DECISION_FIELDS = ("confidence", "review", "checks")
TOP_DECISION_FIELDS = ("stance_confidence", "stance_review", "calibration")
# The words that make a figure more or less than, or about, its number ("surpassed 600 million").
QUALIFIER_CUES = {
    "more_than": r"\b(?:more than|over|above|exceed\w*|in excess of|at least|upwards? of|greater than|north of|"
    r"beyond|surpass\w*|top(?:s|ped)?)\b|\d\+",
    "less_than": r"\b(?:less than|under|below|up to|at most|fewer than|no more than|as much as|as many as|"
    r"shy of|short of|within)\b",
    "approximately": r"\b(?:about|approximately|approx|around|roughly|nearly|almost|some|near|close to|"
    r"closer to|estimated|circa|just over|just under)\b|~",
    "range": r"\b(?:between|to|and|from|flat)\b|\d\s?[-–—]\s?\d",
}


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


def flagged(item: dict[str, Any], mark: str) -> bool:
    """Whether an item is left to check: the model flagged it and the editor has not decided on it
    (accepted, edited, added or rejected items are no longer flagged)."""
    return bool(item.get("review")) and mark == "pending"


def items(brief: dict[str, Any], text: str, marks: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The brief's items in review order: those the model flagged first, then as the article tells them.

    The order is the model's and stays put while the editor works (an accepted item does not move);
    `flagged` says what is still left to check."""
    rows = []
    for group in GROUPS:
        for i, item in enumerate(brief.get(group, [])):
            where = locate(text, item["evidence"])
            left = flagged(item, marks[group][i])
            rows.append(
                {"key": f"{group}/{i}", "group": group, "index": i, "item": item, "mark": marks[group][i],
                 "review": bool(item.get("review")), "flagged": left, "checks": item.get("checks") or {},
                 "verify": to_verify(item) if left else [], "confidence": item.get("confidence"),
                 "at": where[0] if where else len(text)}
            )  # fmt: skip
    return sorted(rows, key=lambda r: (not r["review"], r["at"], r["key"]))


def to_verify(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of an item flagged for review, least sure first: [{"field": "kind", "confidence": 0.62}]."""
    checks = {f: Check.model_validate(c) for f, c in (item.get("checks") or {}).items()}
    return [{"field": f, "confidence": c} for f, c in doubts(checks)]


def fresh_marks(brief: dict[str, Any]) -> dict[str, list[str]]:
    return {g: ["pending"] * len(brief.get(g, [])) for g in GROUPS}


def published_brief(brief: dict[str, Any], marks: dict[str, list[str]]) -> dict[str, Any]:
    """The brief as the editor has it: rejected items left out, and no item flagged once the editor
    decided on it."""
    out = copy.deepcopy(brief)
    for g in GROUPS:
        kept = [(item, mark) for item, mark in zip(out.get(g, []), marks[g], strict=True) if mark != "rejected"]
        for item, mark in kept:
            item["review"] = flagged(item, mark)
        out[g] = [item for item, _ in kept]
    return out


def without_decisions(brief: dict[str, Any]) -> dict[str, Any]:
    """The brief as published and as gold: no confidence, no review flag (what the editor approved)."""
    out = copy.deepcopy(brief)
    for name in TOP_DECISION_FIELDS:
        out.pop(name, None)
    for g in GROUPS:
        for item in out.get(g, []):
            for name in DECISION_FIELDS:
                item.pop(name, None)
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
            brief[head][tail] = value if value != "" or tail == "name" else None
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
    if name in ("value", "value_high"):
        value = _number(value, f"{path}")
    brief[group][i][name] = value
    marks[group][i] = "added" if marks[group][i] == "added" else "edited"


def touched(path: str, value: Any) -> list[str]:
    """The fields an edit sets: ["thesis"], ["metrics/3/kind"], or each field of a whole-item set."""
    if isinstance(value, dict) and path.count("/") == 1:
        return [f"{path}/{name}" for name in value]
    return [path]


def check_rules(brief: dict[str, Any], text: str, published: date | None, title: str | None, paths: list[str]) -> None:
    """The rules of the brief's spec the schema cannot check by itself, on the fields an edit set
    (`paths`): raises EditError naming the field and the rule. The schema's own rules (verbatim quotes,
    values of the figures as written, ordered windows, ISINs printed, at most 60 words) run in `validate`."""
    for path in paths:
        if path in TOP_FIELDS:
            _check_top(brief, text, title, path)
            continue
        group, i, name = _item_key(path)
        item = brief[group][i]
        for field in [name] if name else list(item):
            _check_field(group, field, item, text, published, f"{group}.{i}.{field}")


def check_windows(brief: dict[str, Any], published: date | None) -> None:
    """Every catalyst of the brief is a future event: its window lies on or after the article's date."""
    for i, c in enumerate(brief.get("catalysts", [])):
        _check_field("catalysts", "window_start", c, "", published, f"catalysts.{i}.window_start")


# A ticker as articles print it: "(NYSE: BABA)", "Nasdaq:AAPL", "(ticker: 9988.HK)".
_PRINTED_TICKER = re.compile(
    r"\b(?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|HKEX|TSX|ASX|XETRA|Xetra|ticker|symbol)\s?:\s?([A-Z0-9]{1,6}(?:[.-][A-Z0-9]{1,4})?)\b"
)


def _check_top(brief: dict[str, Any], text: str, title: str | None, path: str) -> None:
    company = brief["company"]
    if path == "thesis":
        thesis = normalize_ws(brief["thesis"] or "")
        if len(split_sentences(thesis)) > 2:
            raise EditError("thesis: one or two sentences")
        if title and similarity(thesis, title) >= 0.8:
            raise EditError("thesis: the article's argument, not its headline restated")
        article = numbers_in(text)
        for n in numbers_in(thesis):
            if not any(close(n, a) for a in article):
                raise EditError(f"thesis: {n:g} is not a figure of the article (only what the article says)")
    elif path == "company.name":
        words = [w for w in re.findall(r"\w{3,}", company["name"] or "")]
        if words and not any(re.search(rf"\b{re.escape(w)}", text, re.I) for w in words):
            raise EditError(f"company.name: {company['name']!r} is not named in the article")
    elif path == "company.ticker" and company.get("ticker") is not None:
        ticker = company["ticker"]
        if not re.fullmatch(r"[A-Z0-9]{1,6}(?:[.-][A-Z0-9]{1,4})?", ticker):
            raise EditError(f"company.ticker: {ticker!r} is not a ticker (capitals and digits, as listed)")
        printed = set(_PRINTED_TICKER.findall(text))
        if printed and ticker not in printed:
            raise EditError(f"company.ticker: the article prints {', '.join(sorted(printed))}, not {ticker!r}")


def _check_field(group: str, field: str, item: dict[str, Any], text: str, published: date | None, where: str) -> None:
    if group == "metrics":
        if field == "name":
            name = item["name"] or ""
            if name != name.lower():
                raise EditError(f"{where}: a figure's name is lowercase ({name.lower()!r})")
            if len(name.split()) > 12:
                raise EditError(f"{where}: a figure's name is short (at most 12 words)")
        elif field in ("value", "value_high", "qualifier", "as_written"):
            _check_reading(item, where.rsplit(".", 1)[0])
    elif group == "risks" and field == "description":
        description = normalize_ws(item["description"] or "")
        if len(split_sentences(description)) > 1 or len(description.split()) > 30:
            raise EditError(f"{where}: one short sentence (at most 30 words)")
    elif group == "catalysts" and field in ("window_start", "window_end", "date_text"):
        start = item.get("window_start")
        if start is not None and item.get("date_text") is None:
            raise EditError(f"{where}: no timing is written (date_text is empty), so no window")
        if start is not None and published is not None and date.fromisoformat(str(start)) < published:
            raise EditError(
                f"{where}: a catalyst is a future event; its window starts on or after the article's date "
                f"{published.isoformat()}, not {start}"
            )


def _check_reading(m: dict[str, Any], where: str) -> None:
    """A corrected reading of a figure still says what the article's words say."""
    written, evidence = m.get("as_written") or "", m.get("evidence") or ""
    value, high, qualifier = m.get("value"), m.get("value_high"), m.get("qualifier")
    for label, v in (("value", value), ("value_high", high)):
        if v is not None and v < 0 and not re.search(r"-|−|minus|negative", written, re.I):
            raise EditError(
                f"{where}.{label}: the article does not write {written!r} as negative (magnitudes as written)"
            )
    if qualifier == "range" and value is not None and high is not None and high <= value:
        raise EditError(f"{where}.value_high: a range's upper end is above its lower end")
    if qualifier in QUALIFIER_CUES and qualifier != "exact":
        at = evidence.find(written) if written in evidence else -1
        near = evidence[max(0, at - 40) : at + len(written) + 25] if at >= 0 else written
        if not re.search(QUALIFIER_CUES[qualifier], near, re.I):
            raise EditError(f"{where}.qualifier: no word of {near.strip()!r} says {qualifier.replace('_', ' ')}")


def _number(value: Any, where: str) -> float | None:
    if value is None or isinstance(value, int | float):
        return value
    typed = str(value).strip().replace(",", "")
    if not typed:
        return None
    try:
        return float(typed)
    except ValueError:
        pass
    read = scaled_numbers_in(typed)  # "600 million", "$1.5bn"
    if len(read) != 1:
        raise EditError(f"{where}: {value!r} is not a number")
    return read[0]


def set_mark(marks: dict[str, list[str]], path: str, mark: str) -> None:
    group, i, name = _item_key(path)
    if name is not None or i >= len(marks[group]):
        raise EditError(f"{path!r} names no item")
    if mark not in ("pending", "accepted", "rejected"):
        raise EditError(f"mark must be pending, accepted or rejected, not {mark!r}")
    marks[group][i] = mark


def already_a_metric(brief: dict[str, Any], marks: dict[str, list[str]], metric: dict[str, Any]) -> None:
    """One metric per figure: a figure already in the brief (its words in the same quote) is refused."""
    for i, m in enumerate(brief["metrics"]):
        same = normalize_ws(m["evidence"]) == normalize_ws(metric["evidence"])
        if marks["metrics"][i] != "rejected" and same and m["as_written"] == metric["as_written"]:
            raise EditError(
                f"{metric['as_written']!r} is already a figure of the brief ({m['name']}): one metric per figure"
            )


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
                picked = normalize_ws(in_article[lo:hi]).strip(" ,.;:")
                # The editor's words when they hold the figure ("flat to up 2 percent"), else code's.
                written = picked if f.as_written in picked and picked in sentence else f.as_written
                return {
                    "value": f.value, "value_high": f.value_high, "qualifier": f.qualifier, "unit": f.unit,
                    "currency": f.currency, "as_written": written, "evidence": sentence,
                }  # fmt: skip
        break
    picked = normalize_ws(text[start:end])[:60]
    raise EditError(
        f"no figure code can read in {picked!r}: select the number with its unit (dates, years, quarter names "
        "and counts of days are not metrics)"
    )
