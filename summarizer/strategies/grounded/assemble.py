"""The brief put together by code: figures as code read them with the model's names, quotes as the
article's sentences, the company the text names, and the thesis cleaned."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ...finding import Findings
from ...finding.company import UNNAMED, names_company
from ...text import normalize_ws
from .answers import Answers
from .thesis import clean_thesis, replace_names, untag


def _company(found: Findings, answers: Answers, title: str | None) -> tuple[dict[str, Any], set[str]]:
    """The brief's company: the one the parts' answers name most often among those the text names
    (the first part's on a tie); when none is named, UNNAMED rather than a guess. Also each name a
    part brought from outside the text (the guesses)."""
    source = " ".join([title or "", *found.sentences])
    calls = [o.company for o in answers.overviews]  # type: ignore[attr-defined]
    named = [c for c in calls if names_company(c.name, c.ticker, source)]
    if named:
        names = [c.name for c in named]
        company = next(c for c in named if c.name == max(names, key=lambda n: (names.count(n), -names.index(n))))
        data = company.model_dump()
    else:
        data = {"name": UNNAMED, "ticker": None, "isin": None}
    guesses = {c.name for c in calls if c not in named and c.name.strip() and c.name != data["name"]}
    return data, guesses


def assemble(found: Findings, answers: Answers, published: date | None, title: str | None = None) -> dict[str, Any]:
    """The brief's data: figures as code read them with the model's names; quotes are sentences."""
    metrics = []
    for i, f in enumerate(found.figures, 1):
        label = answers.labels.get(i)
        metrics.append(
            {
                "name": normalize_ws(label.name).lower() if label and label.name.strip() else f"figure {f.as_written}",
                "value": f.value,
                "value_high": f.value_high,
                "qualifier": f.qualifier,
                "unit": f.unit,
                "currency": f.currency,
                "period": label.period if label and label.period else None,
                "kind": label.kind if label else "other",
                "as_written": f.as_written,
                "evidence": found.sentences[f.sentence],
            }
        )
    risks = []
    for i, s in enumerate(found.risk_sentences, 1):
        call = answers.risks.get(i)
        if call is None or call.category == "none":
            continue
        description = untag(call.description) or f"{call.category} risk"
        risks.append({"description": description, "category": call.category, "evidence": found.sentences[s]})
    catalysts = []
    for i, t in enumerate(found.timings, 1):
        ev = answers.events.get(i)
        if ev is None or not ev.event or ev.event.strip().lower() in ("null", "none", "n/a"):
            continue
        catalysts.append(
            {
                "event": untag(ev.event),
                "date_text": t.text,
                "window_start": t.start,
                "window_end": t.end,
                "evidence": found.sentences[t.sentence],
            }
        )
    first = answers.overviews[0]
    company, guesses = _company(found, answers, title)
    ticker = (company.get("ticker") or "").strip()
    if not re.fullmatch(r"[A-Z0-9.\-]{1,10}", ticker) or re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", ticker):
        company["ticker"] = None  # an ISIN, a name or a sentence is not a ticker
    isin = (company.get("isin") or "").strip()
    printed = re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", isin) and isin in " ".join(found.sentences)
    company["isin"] = isin if printed else None
    return {
        "company": company,
        "published": published,
        "thesis": clean_thesis(replace_names(answers.thesis or first.thesis, guesses)),  # type: ignore[attr-defined]
        "stance": answers.stance,
        "metrics": metrics,
        "risks": risks,
        "catalysts": catalysts,
    }
