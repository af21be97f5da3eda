"""A brief as Markdown an editor can paste: thesis, figures with their quotes, catalysts, risks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import Brief, Catalyst, Check, Metric, Risk

_QUALIFIER = {"approximately": "about ", "more_than": "more than ", "less_than": "less than "}


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _amount(v: float) -> str:
    """A value as an editor writes it: "50 billion", "2.28 million", "155.74", "2,500"."""
    for factor, word in _SCALES:
        if abs(v) >= factor:
            return f"{round(v / factor, 6):,.10g} {word}"
    return f"{v:,.10g}"


def figure_text(m: Metric) -> str:
    """A metric's value as an editor reads it: "more than 50 billion USD", "30–40%"."""
    if m.value is None:
        return m.as_written
    if m.qualifier == "range" and m.value_high is not None:
        shown = f"{_amount(m.value)}–{_amount(m.value_high)}"
    else:
        shown = f"{_QUALIFIER.get(m.qualifier, '')}{_amount(m.value)}"
    unit = {
        "percent": "%",
        "percentage_points": " pp",
        "basis_points": " bp",
        "currency": f" {m.currency}",
        "currency_per_share": f" {m.currency}/share",
        "multiple": "x",
    }.get(m.unit, "")
    return f"{shown}{unit}"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sure(confidence: float | None) -> str:
    return f" ({confidence:.0%} sure)" if confidence is not None else ""


def doubts(checks: Mapping[Any, Check]) -> list[tuple[str, float | None]]:
    """The fields of an item flagged for review with their confidences, least sure first."""
    flagged = sorted(((c.confidence, f) for f, c in checks.items() if c.review), key=lambda x: (x[0] or 0.0, x[1]))
    return [(f, c) for c, f in flagged]


def to_verify(checks: Mapping[Any, Check]) -> str:
    """The fields of an item an editor should check, least sure first: "kind? 62%, name? 40%"
    ("" when every field is trusted)."""
    return ", ".join(f"{f}?" + (f" {c:.0%}" if c is not None else "") for f, c in doubts(checks))


def _least(checks: Mapping[Any, Check], fallback: float | None) -> float:
    flagged = doubts(checks)
    return (flagged[0][1] or 0.0) if flagged else (fallback or 0.0)


def to_check(brief: Brief) -> list[str]:
    """What an editor should check first: every item with a field flagged for review, saying which
    fields, least sure first."""
    flagged: list[tuple[float, str]] = []
    if brief.stance_review:
        flagged.append((brief.stance_confidence or 0.0, f"stance {brief.stance}{_sure(brief.stance_confidence)}"))
    for m in brief.metrics:
        if m.review:
            fields = _fields(m)
            flagged.append((_least(m.checks, m.confidence), f"figure {m.as_written} ({m.name}, {m.kind}){fields}"))
    for r in brief.risks:
        if r.review:
            fields = _fields(r)
            flagged.append((_least(r.checks, r.confidence), f"risk: {r.description}{fields}"))
    for cat in brief.catalysts:
        if cat.review:
            fields = _fields(cat)
            flagged.append((_least(cat.checks, cat.confidence), f"catalyst: {cat.event}{fields}"))
    return [what for _, what in sorted(flagged, key=lambda x: x[0])]


def _fields(item: Metric | Risk | Catalyst) -> str:
    """ ": kind? 62%, name? 40%" for an item with per-field checks, " (62% sure)" for one without."""
    return f": {to_verify(item.checks)}" if item.checks else _sure(item.confidence)


def _mark(item: Metric | Risk | Catalyst) -> str:
    """An item's review state in a line: "✓" when every field is trusted, else the fields to check."""
    if not item.review:
        return "✓"
    return to_verify(item.checks) or "check"


def to_markdown(brief: Brief) -> str:
    c = brief.company
    ident = ", ".join(x for x in (c.ticker, c.isin) if x)
    lines = [f"# {c.name}" + (f" ({ident})" if ident else "")]
    meta = [f"Stance: **{brief.stance}**{_sure(brief.stance_confidence)}"]
    if brief.published:
        meta.append(f"published {brief.published.isoformat()}")
    lines += ["", " · ".join(meta), "", f"**Thesis.** {brief.thesis}", ""]
    if brief.calibration is None and any(m.checks for m in brief.metrics):
        lines += ["_Uncalibrated: no confidence table fits this model (`summarizer calibrate` fits one); "
                  "every field is flagged._", ""]  # fmt: skip
    else:
        check = to_check(brief)
        if check:
            lines += ["**Check first:**", "", *(f"- {_md_escape(x)}" for x in check), ""]

    lines.append("## Figures")
    if brief.metrics:
        lines += ["", "| figure | value | kind | period | check | quote |", "|---|---|---|---|---|---|"]
        for m in brief.metrics:
            quote = _md_escape(m.evidence).replace(m.as_written, f"**{m.as_written}**", 1)
            lines.append(
                f"| {_md_escape(m.name)} | {figure_text(m)} | {m.kind} | {_md_escape(m.period or '–')} | {_mark(m)} "
                f"| “{quote}” |"
            )
    else:
        lines += ["", "_No figures found._"]

    lines += ["", "## Catalysts", ""]
    if brief.catalysts and brief.published is None:
        lines += ["_The article has no publication date: nothing shows these lie ahead of it; check each._", ""]
    if brief.catalysts:
        for cat in brief.catalysts:
            when = cat.date_text or "no timing given"
            if cat.window_start and cat.window_end:
                span = cat.window_start.isoformat()
                if cat.window_end != cat.window_start:
                    span += f" to {cat.window_end.isoformat()}"
                when += f" ({span})"
            lines.append(f"- **{cat.event}**, {when} [{_mark(cat)}]. “{_md_escape(cat.evidence)}”")
    else:
        lines.append("_None found._")

    lines += ["", "## Risks", ""]
    if brief.risks:
        for r in brief.risks:
            lines.append(f"- {r.description} _{r.category}_ [{_mark(r)}]. “{_md_escape(r.evidence)}”")
    else:
        lines.append("_None found._")
    return "\n".join(lines) + "\n"
