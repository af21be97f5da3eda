"""The brief put together by code: figures as code read them with the model's names, quotes as the
article's sentences, the company the text names, and the thesis cleaned."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from stdnum import isin

from ...calibration import table_id
from ...finding import Findings
from ...finding.company import UNNAMED, names_company
from ...finding.events import event_phrase, sentence_like
from ...finding.figures import Figure
from ...finding.kinds import kind_cue_named
from ...finding.names import figure_name
from ...finding.periods import Window, describe, figure_window_named, reporting_period
from ...finding.timing import dates_a_report
from ...model import Choice
from ...text import normalize_ws, similarity
from . import confidence as conf
from .answers import NAME_MAX_CHARS, Answers, Label
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


def assemble(
    found: Findings,
    answers: Answers,
    published: date | None,
    title: str | None = None,
    *,
    table: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The brief's data: figures as code read them with the model's names; quotes are sentences. Every
    decided field carries its confidence, review flag and basis from `table`, the confidence table
    fitted for the model in use (`confidence`; None: uncalibrated, every field flagged), and each item
    and the stance their own."""
    company, guesses = _company(found, answers, title)
    reporting = reporting_period(found.sentences, published)
    thesis = answers.thesis or answers.overviews[0].thesis  # type: ignore[attr-defined]
    stance = _stance(answers, table)
    said = Counter(_plain_name(label.name, found.figures[i - 1]) for i, label in answers.labels.items())
    metrics = [
        _metric(found, f, answers.labels.get(i), published, reporting, table, said)
        for i, f in enumerate(found.figures, 1)
    ]
    risks, catalysts = _risks(found, answers), _catalysts(found, answers, published)
    for risk, s in risks:
        _decided(risk, "risks", conf.risk_bases(risk, found.scores.get("risk", {}).get(s)), table)
    for catalyst, s in catalysts:
        named_by = catalyst.pop("named_by")
        p = found.scores.get("catalyst", {}).get(s)
        _decided(catalyst, "catalysts", conf.catalyst_bases(catalyst, published, p, named_by), table)
        if published is None:  # nothing says it lies ahead of the article: an editor checks
            catalyst["checks"]["window"]["review"] = catalyst["review"] = True
    stance_check = conf.check("stance.stance", "model", table, own=stance.confidence)
    return {
        "company": _identifiers(company, " ".join(found.sentences)),
        "published": published,
        "thesis": clean_thesis(replace_names(thesis, guesses)),
        "stance": stance.option,
        "stance_confidence": stance_check["confidence"],
        "stance_review": stance_check["review"],
        "calibration": None if table is None else table_id(table),
        "metrics": metrics,
        "risks": [r for r, _ in risks],
        "catalysts": [c for c, _ in catalysts],
    }


def _stance(answers: Answers, table: dict[str, Any] | None) -> Choice:
    """The stance the parts chose, with the table's per-option offsets applied to its probabilities."""
    stance = answers.stance
    if not stance.probabilities:
        return stance
    p = conf.stance_probabilities(stance.probabilities, table)
    best = max(p, key=lambda o: p[o])
    return Choice(best, round(p[best], 4), p)


def _decided(item: dict[str, Any], group: str, bases: dict[str, str], table: dict[str, Any] | None) -> None:
    """Put each field's check on `item`, and the item's confidence and review flag."""
    item["checks"] = {f: conf.check(f"{group}.{f}", basis, table) for f, basis in bases.items()}
    item["confidence"], item["review"] = conf.item_summary(item["checks"])


def _metric(
    found: Findings,
    f: Figure,
    label: Label | None,
    published: date | None,
    reporting: Window,
    table: dict[str, Any] | None,
    said: Counter[str] | None = None,
) -> dict[str, Any]:
    """A figure as code read it, named by its clause (`finding.names`) or by the model's label, its
    kind the words around it signal (else the label's), its period the window code reads around it;
    each field checked on what decided it, read at the figure's own span. The model's name stands
    when every word of it is in the figure's clause and it did not give the same name to
    `REPEATED` figures or more (`said` counts its names); else the clause's name, where it has one."""
    sentence = found.sentences[f.sentence]
    # The cue nearest the figure decides its kind; without one, the model's reading stands.
    cue = kind_cue_named(sentence, f.start, f.end)
    kind = cue[0] if cue else (label.kind if label else None) or "other"
    name = _plain_name(label.name, f) if label and label.name.strip() else ""
    read = figure_name(sentence, f.start, f.end, f.unit)
    named_by = "model"
    if read and (
        conf.name_basis(name, f.as_written, sentence, f.start) != "near:all" or (said or Counter())[name] >= REPEATED
    ):
        name, named_by = read, "clause"
    window, rule = figure_window_named(sentence, f.start, f.end, published, kind=kind, reporting=reporting)
    metric = {
        "name": name or f"figure {f.as_written}",
        "value": f.value,
        "value_high": f.value_high,
        "qualifier": f.qualifier,
        "unit": f.unit,
        "currency": f.currency,
        "period": describe(window) if window else None,
        "period_start": window[0] if window else None,
        "period_end": window[1] if window else None,
        "kind": kind,
        "as_written": f.as_written,
        "evidence": sentence,
    }
    bases = conf.metric_bases(metric, cue[1] if cue else None, rule, f.start, named_by=named_by)
    _decided(metric, "metrics", bases, table)
    return metric


REPEATED = 3  # a name the model gave this many figures is a copy, not a reading of each


_DANGLING = re.compile(r"(?:[\s,;:(-]+|\s+(?:and|or|of|the|a|an|for|in|on|to|by|with|from|at|its|their|'s))+$", re.I)


_ASIDE = re.compile(r"\s*\([^)]*(?:\)|$)")  # "(in millions of pounds, £1.97bn)", "(f7)", an unclosed "(percent"
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u2018\u2019]+")  # words of another script a small model slips in


def _plain_name(said: str, f: Figure) -> str:
    """What the model said a figure measures, as a name: whole words (a constrained server may cut it),
    lowercase, without tags, asides in parentheses, another script's words, the figure and its unit."""
    name = _ASIDE.sub("", untag(_whole_words(said)))
    name = normalize_ws(_NOT_LATIN.sub(" ", name)).lower().strip(" ,;:-")
    return _without_unit(_DANGLING.sub("", name) or name, f)


def _whole_words(name: str) -> str:
    """A name a constrained server cut at its maximum length ("growth of income linked to AI products
    and "), without the word it may have cut and the words left dangling."""
    if len(name) < NAME_MAX_CHARS or " " not in name.strip():
        return name
    kept = name if name.endswith(" ") else name.rsplit(" ", 1)[0]
    return _DANGLING.sub("", kept) or kept


def _without_unit(name: str, f: Figure) -> str:
    """The name without the figure's number and unit as code read them, which a model may copy
    ("34% cloud revenue growth", "price target (currency_per_share usd)"): they are the brief's own
    fields."""
    unit = {
        f.unit,
        f.unit.replace("_", " "),
        *(f"{u} {f.currency.lower()}" for u in (f.unit, f.unit.replace("_", " ")) if f.currency),
    }
    for u in sorted(unit, key=len, reverse=True):
        name = re.sub(rf"\s*\([^)]*\b{re.escape(u)}\b[^)]*\)|\s+{re.escape(u)}$", "", name)
    written = f.as_written.lower()
    if written and written in name and name.strip() != written:
        name = normalize_ws(name.replace(written, " ")).strip(" ,;:-")
    return name.strip() or name


def _risks(found: Findings, answers: Answers) -> list[tuple[dict[str, Any], int]]:
    """Every risk sentence the model gave a category, with its description. Of several risks the model
    described alike, the one whose sentence the description fits best keeps it; the others are
    described by their own sentence, shortened (no two descriptions alike). Each with its sentence's
    index."""
    risks, where = [], []
    for i, s in enumerate(found.risk_sentences, 1):
        call = answers.risks.get(i)
        if call is None or call.category == "none":
            continue
        description = as_threat(untag(call.risk)) or f"{call.category} risk"
        risks.append({"description": description, "category": call.category, "evidence": found.sentences[s]})
        where.append(s)
    keys = [normalize_ws(r["description"]).lower() for r in risks]
    best = {key: max((r for r, k in zip(risks, keys, strict=True) if k == key), key=_fit) for key in set(keys)}
    for r, key in zip(risks, keys, strict=True):
        if best[key] is not r:
            r["description"] = _clip(r["evidence"])
    return list(zip(risks, where, strict=True))


_REPORTED = re.compile(
    r"^(?:the\s+(?:article|sentence|text|report|story)|it|this)\s+(?:also\s+)?"
    r"(?:states?|says?|said|notes?|noted|mentions?|reports?|suggests?|indicates?|highlights?|implies?|warns?)"
    r"\s+(?:that\s+)?",
    re.I,
)


def as_threat(description: str) -> str:
    """A risk stated as the threat itself, not as what the article says ("The article states that
    profits fell" is "Profits fell")."""
    text = _REPORTED.sub("", description.strip())
    return text[:1].upper() + text[1:] if text else text


def _clip(sentence: str, words: int = 16) -> str:
    """A sentence cut to its first `words` words, as a stand-in description."""
    parts = normalize_ws(sentence).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _fit(risk: dict[str, Any]) -> float:
    return similarity(risk["description"], risk["evidence"])


def _catalysts(found: Findings, answers: Answers, published: date | None) -> list[tuple[dict[str, Any], int]]:
    """Every timing the model named an event for, with the window code read (and its sentence's
    index); not a timing that dates what was said or done ("said on Tuesday"). An "event" the model
    wrote as a sentence is replaced by the one its clause names (`finding.events`) where code reads
    one; a catalyst that repeats another (sentence, event and window) is left out."""
    catalysts: list[tuple[dict[str, Any], int]] = []
    for i, t in enumerate(found.timings, 1):
        event = answers.events.get(i)
        if event is None or not event.strip() or event.strip().lower() in ("null", "none", "n/a"):
            continue
        event = untag(event)
        if t.text and _only_date(event, t.text):
            continue  # the date phrase names no event
        sentence = found.sentences[t.sentence]
        if t.text and dates_a_report(sentence, t, published):
            continue
        named_by = "model"
        if sentence_like(event, sentence) and (read := event_phrase(sentence, t.text or None)) is not None:
            event, named_by = read[0], "clause"
        catalyst = {"event": event, "date_text": t.text or None, "window_start": t.start, "window_end": t.end,
                    "evidence": sentence, "named_by": named_by}  # fmt: skip
        key = (sentence, event.lower(), t.start, t.end)
        if all((c["evidence"], c["event"].lower(), c["window_start"], c["window_end"]) != key for c, _ in catalysts):
            catalysts.append((catalyst, t.sentence))
    return catalysts


def _only_date(event: str, date_text: str) -> bool:
    """An "event" that says nothing but its date ("in February", "on February 1")."""
    words = set(re.findall(r"[a-z0-9]+", event.lower())) - {"in", "on", "by", "the", "of", "date"}
    return words <= set(re.findall(r"[a-z0-9]+", date_text.lower()))


_ISIN = re.compile(r"\b[A-Z]{2}[A-Z0-9]{9}[0-9]\b")


def _identifiers(company: dict[str, Any], text: str) -> dict[str, Any]:
    """The company with a ticker only when it looks like one, and the ISIN the text prints (one only)."""
    ticker = (company.get("ticker") or "").strip()
    if not re.fullmatch(r"[A-Z0-9.\-]{1,10}", ticker) or _ISIN.fullmatch(ticker):
        company["ticker"] = None  # an ISIN, a name or a sentence is not a ticker
    isins = {code for code in _ISIN.findall(text) if isin.is_valid(code)}  # its check digit holds
    company["isin"] = isins.pop() if len(isins) == 1 else None  # read by code: the one ISIN the text prints
    return company
