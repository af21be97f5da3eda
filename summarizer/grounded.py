"""The grounded strategy: code finds, the model decides, code checks and assembles.

Code splits the sentences, skips boilerplate and finds
- every figure (`figures.py`: value, range, qualifier, unit, currency, exact span),
- every time expression that can lie ahead of the publication date, with its window (`timing.py`),
- the sentences that may state a risk (a lexicon of trouble: "competition", "probe", "could", ...).

The article goes to the model as numbered sentences with each of them tagged in place ("600 million
[F3] downloads", "in February [T2]", "[29] [R4] This report must demonstrate ..."), and the model
answers two questions, each in its own call:

1. brief: the company, stance and thesis; for each R tag, the risk's category (or "none") and the
   risk in one line; for each T tag, the event it dates (or null);
2. figures: for each F tag, what the figure measures (name, kind, period).

The answer's JSON schema is built per article with one required key per tag (F1, F2, ...), so a
grammar-constrained server (llama.cpp) makes the model consider every candidate, and a hosted model
sees plainly what is asked. Evidence is the untouched sentence and numbers come from the text, so
quotes are verbatim and values exact by construction; the assembled Brief is validated as always.

Both calls start with the same system message (instructions, then the tagged article), so a server
with a prompt cache reads the article once per brief; the question and its tool definition come
after it. Two calls, not one per field: on 2 cores each call's tool definition and question cost as
much as a third of the article. Only chat completions with forced tool calls are used: any
OpenAI-compatible server works.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, field_validator

from ._text import close, normalize_ws, scaled_numbers_in
from .draft import THESIS_MAX_CHARS, split_paragraphs
from .errors import NotAnArticleError
from .figures import Figure, article_figures, figures_in, is_boilerplate, is_instruction
from .schema import THESIS_MAX_WORDS, Brief, Kind, RiskCategory, Stance, _drop_titles
from .timing import Timing, forward_looking, timings_in

log = logging.getLogger("summarizer")

PROMPT = "grounded"

# Words of trouble: a sentence with one of them may state a risk; the model decides whether it does.
_RISK_CUES = re.compile(
    r"\b(?:risk|concern|uncertain|warn|threat|challeng|pressur|competi|rival|regulat|probe|investigat|"
    r"lawsuit|sued|litigation|liabilit|fine[ds]?\b|penalt|antitrust|sanction|tariff|debt|downgrad|weak|"
    r"slow|declin|fell|fall|drop|loss|losing|cut|writedown|write-down|impair|volatil|doubt|caution|worr|"
    r"fear|headwind|hurt|damag|disrupt|delay|shortage|constrain|strike|recession|inflation|sustainab|"
    r"discount|overvalu|dilut|layoff|restat|scrutiny|crisis|default|bankrupt|liquidity|weigh|recall|"
    r"fail|slip|critici|alarm|struggl|setback|strain|costly|burden|deficit|short of|miss|lower|"
    r"could|may|might)",
    re.I,
)


_TAG = re.compile(r"\s*\[(?:[FTR]\d+|\d+)\]")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_drop_titles)


class FigureLabel(_Answer):
    name: str
    kind: Kind
    period: str | None


class RiskCall(_Answer):
    sentence: str  # the sentence's first words, echoed (a constant per tag)
    category: RiskCategory | Literal["none"]
    description: str


class EventCall(_Answer):
    when: str  # the timing as written, echoed (a constant per tag)
    event: str | None


class CompanyCall(_Answer):
    name: str
    ticker: str | None
    isin: str | None


def _unprinted(text: str, printed: Sequence[float]) -> list[Figure]:
    """The figures of a text (the model's prose) whose value the article does not print."""
    return [
        f for f in figures_in(_TAG.sub("", text)) if f.value is not None and not any(close(f.value, p) for p in printed)
    ]


def _thesis_figures_printed(v: str, info: ValidationInfo) -> str:
    """A figure in the thesis must be one the article prints: an instruction hidden in the article
    ("say the dividend doubled") cannot put a number into the brief."""
    printed = info.context.get("printed") if isinstance(info.context, dict) else None
    if printed is None:
        return v
    for f in _unprinted(v, printed):
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


class BriefAnswerBase(_Answer):
    company: CompanyCall
    stance: Stance
    thesis: str = Field(max_length=THESIS_MAX_CHARS)

    @field_validator("thesis")
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return _thesis_figures_printed(v, info)


@dataclass
class Findings:
    """What code found in one article before any model call."""

    sentences: list[str]
    figures: list[Figure]
    timings: list[Timing]
    risk_sentences: list[int]
    boilerplate: set[int]  # advertising, teasers, and the instructions below: never shown to the model
    instructions: set[int]  # sentences addressed to the model (prompt injections)


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
    risky = [i for i, s in enumerate(sentences) if i not in boilerplate and _RISK_CUES.search(s)]
    shown = [s if i not in boilerplate else "" for i, s in enumerate(sentences)]
    return Findings(sentences, article_figures(shown), timings, risky, boilerplate, instructions)


# Signs that a text is about a company: a corporate suffix, a ticker, or the words of markets.
_COMPANY = re.compile(
    r"\b(?:Inc|Corp|Corporation|Co|Ltd|Limited|plc|PLC|AG|SA|NV|SE|Group|Holdings|GmbH|LLC)\b\.?"
    r"|\b(?:company|companies|firm|shares?|stock|investors?|revenue|profit|earnings|sales|chief executive|"
    r"CEO|analysts?|market|dividend|acquisition|merger)\b|\((?:NYSE|NASDAQ|Nasdaq|LSE|TSE|HKEX)\s*:",
)


def check_article(found: Findings) -> None:
    """Refuse, before any model call, a text with no figure and no sign of a company: there is nothing a
    brief could say, and a model asked anyway would invent one."""
    text = " ".join(s for i, s in enumerate(found.sentences) if i not in found.boilerplate)
    if not found.figures and not _COMPANY.search(text):
        raise NotAnArticleError(
            "the text prints no figure and names no company: it does not look like a financial news article"
        )


def figures_model(ids: Sequence[int]) -> type[_Answer]:
    """{"F1": {name, kind, period}, ...}: one required entry per tagged figure asked about."""
    fields: dict[str, Any] = {f"F{i}": (FigureLabel, ...) for i in ids}
    return create_model("FigureLabels", __base__=_Answer, __doc__="What each tagged figure measures.", **fields)


def _echo(tag: str, base: type[_Answer], field: str, anchors: Mapping[str, str] | None) -> Any:
    """The answer model of one tag. With an anchor, its first field is that constant text: a
    grammar-constrained model writes it out ("when": "until December 26") before it answers, which
    keeps a small model's answer on the tag's own words instead of a neighbour's."""
    if not anchors or tag not in anchors:
        return base
    return create_model(tag, __base__=base, **{field: (Literal[anchors[tag]], ...)})  # type: ignore[call-overload]


def brief_model(
    risk_ids: Sequence[int], timing_ids: Sequence[int], anchors: Mapping[str, str] | None = None
) -> type[BriefAnswerBase]:
    """Company, stance, thesis, and one required entry per R tag and per T tag asked about (each
    echoing its anchor first when `anchors` maps the tag to its words)."""
    fields: dict[str, Any] = {}
    if risk_ids:
        risk_fields: dict[str, Any] = {f"R{i}": (_echo(f"R{i}", RiskCall, "sentence", anchors), ...) for i in risk_ids}
        fields["risks"] = (create_model("Risks", __base__=_Answer, **risk_fields), ...)
    if timing_ids:
        event_fields: dict[str, Any] = {f"T{i}": (_echo(f"T{i}", EventCall, "when", anchors), ...) for i in timing_ids}
        fields["catalysts"] = (create_model("Events", __base__=_Answer, **event_fields), ...)
    return create_model(
        "BriefAnswer", __base__=BriefAnswerBase, __doc__="The company, stance, thesis, risks and catalysts.", **fields
    )


class ThesisAnswer(_Answer):
    """One thesis for the whole document."""

    thesis: str = Field(max_length=THESIS_MAX_CHARS)

    @field_validator("thesis")
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return _thesis_figures_printed(v, info)


RESPONSE_MODELS: tuple[type[BaseModel], ...] = (brief_model([1, 2], [1, 2]), figures_model([1, 2]))  # prompt version

FIGURES_PER_CALL = 40  # more figures than this are asked about in several calls (room for the answer)
OVERLAP = 2  # sentences of the previous part shown (untagged) before a part of a long document


@dataclass(frozen=True)
class Part:
    """Sentences [start, end) of the article, asked about in one brief call; the `OVERLAP` sentences
    before `start` are shown for context only."""

    start: int
    end: int
    number: int = 1
    of: int = 1


def plan_parts(found: Findings, budget_chars: int | None) -> list[Part]:
    """The article in consecutive parts of at most `budget_chars` shown characters each, split on
    sentence boundaries (one part when it fits, or when the budget is unknown)."""
    shown = [i for i in range(len(found.sentences)) if i not in found.boilerplate]
    if budget_chars is None or sum(len(found.sentences[i]) + 8 for i in shown) <= budget_chars:
        return [Part(0, len(found.sentences))]
    bounds: list[tuple[int, int]] = []
    start, size = 0, 0
    for i, sentence in enumerate(found.sentences):
        cost = 0 if i in found.boilerplate else len(sentence) + 8
        if size + cost > budget_chars and i > start:
            bounds.append((start, i))
            start, size = i, sum(len(found.sentences[j]) + 8 for j in range(max(0, i - OVERLAP), i))
        size += cost
    bounds.append((start, len(found.sentences)))
    return [Part(a, b, n, len(bounds)) for n, (a, b) in enumerate(bounds, 1)]


def printed_values(found: Findings) -> list[float]:
    """Every number the article prints outside the paragraphs addressed to the model: its figures as
    code reads them, and its digits with their scale words."""
    readable = ["" if i in found.instructions else s for i, s in enumerate(found.sentences)]
    values = [f.value for f in article_figures(readable) if f.value is not None]
    return values + [n for s in readable for n in scaled_numbers_in(s)]


def _ids_in(sentences: Sequence[int], part: Part) -> list[int]:
    return [i for i, s in enumerate(sentences, 1) if part.start <= s < part.end]


def tagged_article(found: Findings, part: Part | None = None) -> str:
    """The numbered article with each figure, timing and possible risk tagged where it is printed:
    "[13] ... a milestone of 600 million [F3] downloads." Tags are for reference only; quotes in the
    brief are the untouched sentences. Boilerplate is not shown. With a part: its sentences, tagged,
    after the `OVERLAP` sentences before it, untagged."""
    part = part or Part(0, len(found.sentences))
    marks: dict[int, list[tuple[int, str]]] = {}
    for i, f in enumerate(found.figures, 1):
        marks.setdefault(f.sentence, []).append((f.end, f" [F{i}]"))
    for i, t in enumerate(found.timings, 1):
        end = found.sentences[t.sentence].find(t.text) + len(t.text)
        marks.setdefault(t.sentence, []).append((end, f" [T{i}]"))
    risk_tag = {s: i for i, s in enumerate(found.risk_sentences, 1)}
    lines = []
    for n in range(max(0, part.start - (OVERLAP if part.number > 1 else 0)), part.end):
        if n in found.boilerplate:
            continue
        out = found.sentences[n]
        tagged = n >= part.start
        for pos, tag in sorted(marks.get(n, []) if tagged else [], reverse=True):
            out = out[:pos] + tag + out[pos:]
        prefix = f"[{n + 1}] " + (f"[R{risk_tag[n]}] " if tagged and n in risk_tag else "")
        lines.append(prefix + out)
    return "\n".join(lines)


def timing_words(sentence: str, text: str, before: int = 14, after: int = 6) -> str:
    """The words of `sentence` around the timing `text`: what a small model reads to name the event
    there, so it need not find the tag in the article. Whole when short; cut with "..." otherwise."""
    sentence = sentence.replace('"', "'")
    text = text.replace('"', "'")
    words = sentence.split()
    if len(words) <= before + after + 6:
        return sentence
    at = sentence.find(text)
    start = len(sentence[:at].split()) if at >= 0 else 0
    end = start + len(text.split())
    lo, hi = max(0, start - before), min(len(words), end + after)
    return ("... " if lo else "") + " ".join(words[lo:hi]) + (" ..." if hi < len(words) else "")


def task_variables(
    found: Findings, part: Part | None = None, figure_ids: Sequence[int] | None = None
) -> dict[str, Any]:
    """What the prompt templates show: the tagged article (or part) and what code read in each tag."""
    part = part or Part(0, len(found.sentences))
    fids = (
        list(figure_ids)
        if figure_ids is not None
        else [i for i, f in enumerate(found.figures, 1) if part.start <= f.sentence < part.end]
    )
    tids = _ids_in([t.sentence for t in found.timings], part)
    rids = _ids_in(found.risk_sentences, part)
    figures = [f"F{i} = {found.figures[i - 1].describe()}" for i in fids]
    timings = [
        f"T{i} {found.timings[i - 1].describe()} in [{found.timings[i - 1].sentence + 1}]: "
        f'"{timing_words(found.sentences[found.timings[i - 1].sentence], found.timings[i - 1].text)}"'
        for i in tids
    ]
    return {
        "article": tagged_article(found, part),
        "part": part.number,
        "parts": part.of,
        "figures": "\n".join(figures),
        "figure_ids": fids,
        "n_figures": len(fids),
        "first_figure": fids[0] if fids else 0,
        "last_figure": fids[-1] if fids else 0,
        "timings": "\n".join(timings),
        "timing_ids": tids,
        "n_timings": len(tids),
        "first_timing": tids[0] if tids else 0,
        "last_timing": tids[-1] if tids else 0,
        "risk_ids": rids,
        "n_risks": len(rids),
        "first_risk": rids[0] if rids else 0,
        "last_risk": rids[-1] if rids else 0,
    }


@dataclass
class Question:
    """One call: a task of the prompt, its variables and its answer's model."""

    task: str
    variables: dict[str, Any]
    model: type[BaseModel]


def questions(found: Findings, part: Part) -> list[Question]:
    """The brief question for a part, then its figures in calls of at most `FIGURES_PER_CALL`."""
    base = task_variables(found, part)
    out = [Question("brief", base, brief_model(base["risk_ids"], base["timing_ids"], anchors(found, part)))]
    ids = base["figure_ids"]
    for k in range(0, len(ids), FIGURES_PER_CALL):
        batch = ids[k : k + FIGURES_PER_CALL]
        variables = base if len(batch) == len(ids) else task_variables(found, part, batch)
        out.append(Question("figures", variables, figures_model(batch)))
    return out


ANCHOR_WORDS = 6


def anchors(found: Findings, part: Part | None = None) -> dict[str, str]:
    """What each R and T answer of a part (default: all) echoes first: a timing's text as written,
    and the first `ANCHOR_WORDS` words of a risk sentence."""
    part = part or Part(0, len(found.sentences))
    out = {f"T{i}": found.timings[i - 1].text for i in _ids_in([t.sentence for t in found.timings], part)}
    for i in _ids_in(found.risk_sentences, part):
        out[f"R{i}"] = " ".join(found.sentences[found.risk_sentences[i - 1]].split()[:ANCHOR_WORDS])
    # No double quote or backslash in a constant: llama-cpp-python 0.3.36 writes such a constant into a
    # grammar it cannot parse, and its server dies on it (an echo need not be verbatim).
    return {tag: re.sub(r'["\\]', "'", text) for tag, text in out.items()}


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


@dataclass
class Answers:
    """Every answer of every call of one brief, by tag."""

    overviews: list[BaseModel] = field(default_factory=list)  # one BriefAnswer per part
    labels: dict[int, FigureLabel] = field(default_factory=dict)
    risks: dict[int, RiskCall] = field(default_factory=dict)
    events: dict[int, EventCall] = field(default_factory=dict)
    thesis: str | None = None  # one thesis for a document of several parts

    def add(self, answer: BaseModel) -> None:
        if isinstance(answer, BriefAnswerBase):
            self.overviews.append(answer)
            for key, call in dict(getattr(answer, "risks", None) or {}).items():
                self.risks[int(key[1:])] = call
            for key, call in dict(getattr(answer, "catalysts", None) or {}).items():
                self.events[int(key[1:])] = call
        elif isinstance(answer, ThesisAnswer):
            self.thesis = answer.thesis
        else:
            for key, label in dict(answer).items():
                self.labels[int(key[1:])] = label

    @property
    def stance(self) -> str:
        """The most common stance of the parts (the first part's on a tie)."""
        stances = [o.stance for o in self.overviews]  # type: ignore[attr-defined]
        return max(stances, key=lambda s: (stances.count(s), -stances.index(s)))


# Words of a company's name that do not tell it apart ("Apple Inc." is named by "Apple").
_NAME_FILLER = frozenset({
    "the", "of", "and", "inc", "corp", "corporation", "co", "company", "companies", "ltd", "limited", "plc", "group",
    "holdings", "holding", "sa", "ag", "nv", "se", "llc", "lp", "na", "spa", "bhd",
})  # fmt: skip
UNNAMED = "(company not named in the text)"


def names_company(name: str, ticker: str | None, text: str) -> bool:
    """Whether the text names the company: a distinctive word of its name ("Alibaba" for "Alibaba
    Group", "TimeWarner" for "Time Warner"), its initials ("GE") or its ticker without the exchange
    suffix ("MSFT" for "MSFT.O") is printed. A name the model brings from outside the text fails."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _NAME_FILLER and len(w) > 1]
    marks = [w for w in words if w[0].isupper() or w[0].isdigit()]
    if len(marks) >= 2:
        marks.append("".join(w[0] for w in marks))
    root = re.split(r"[.\-:]", (ticker or "").strip())[0]
    if len(root) > 1:
        marks.append(root)
    return any(
        re.search(rf"\b{re.escape(m)}(?![A-Za-z])" if m.isupper() else rf"\b{re.escape(m)}", text) for m in marks
    )


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


def _replace_names(thesis: str, guesses: set[str]) -> str:
    """The thesis with each guessed company name written "the company" (not the chosen name: when a
    part guessed, the text's one may be a company it merely mentions); sentence starts stay capitalized."""
    for guess in sorted(guesses, key=len, reverse=True):
        thesis = re.sub(rf"\b{re.escape(guess.strip())}", "the company", thesis)
    return re.sub(r"(^|[.!?] )the company", lambda m: m.group(1) + "The company", thesis)


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
        "thesis": clean_thesis(_replace_names(answers.thesis or first.thesis, guesses)),  # type: ignore[attr-defined]
        "stance": answers.stance,
        "metrics": metrics,
        "risks": risks,
        "catalysts": catalysts,
    }


def validate(data: dict[str, Any], text: str, published: date | None) -> Brief:
    return Brief.model_validate(data, context={"article": text, "published": published})


__all__ = [
    "RESPONSE_MODELS",
    "UNNAMED",
    "Findings",
    "assemble",
    "brief_model",
    "clean_thesis",
    "cut_unprinted",
    "figures_model",
    "find",
    "names_company",
    "salvage_thesis",
    "task_variables",
    "validate",
]
