"""The questions of one brief: the article tagged in place ("600 million [F3] downloads"), cut in
parts when it is longer than the context, and each part's questions with what code read in each tag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ...finding import Findings
from ...finding.kinds import kind_cue
from .answers import STANCES, RiskCall, StanceChoice, brief_model, figures_model

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
        sentence = found.sentences[t.sentence]
        end = sentence.find(t.text) + len(t.text) if t.text else len(sentence.rstrip(" .!?\"'”"))
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
    figures = [f"F{i} = {found.figures[i - 1].as_written} in [{found.figures[i - 1].sentence + 1}]" for i in fids]
    kind_ids = [i for i in fids if cue(found, i) is None]
    timings = [
        f"T{i} {found.timings[i - 1].describe()} in [{found.timings[i - 1].sentence + 1}]: "
        f'"{timing_words(found.sentences[found.timings[i - 1].sentence], found.timings[i - 1].text)}"'
        for i in tids
    ]
    return {
        "article": tagged_article(found, part),
        "part": part.number,
        "parts": part.of,
        "figure_ids": fids,
        "kind_ids": kind_ids,
        "kind_tags": ", ".join(f"F{i}" for i in kind_ids),
        "figures": "\n".join(figures),
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


def cue(found: Findings, i: int) -> str | None:
    """The kind the words around figure F`i` signal (None: no cue, the model is asked)."""
    f = found.figures[i - 1]
    return kind_cue(found.sentences[f.sentence], f.start, f.end)


@dataclass
class Question:
    """One call: a task of the prompt, its variables and its answer's model; for a choice among
    `options`, read from token probabilities, the model is what the answer is in words. `tag`: the
    one tag a question asks about (R3), if any."""

    task: str
    variables: dict[str, Any]
    model: type[BaseModel]
    options: tuple[str, ...] = ()
    tag: str | None = None


def questions(found: Findings, part: Part) -> list[Question]:
    """The brief question for a part, the stance as a choice (read from token probabilities), each
    possible risk's sentence on its own, then the part's figures in calls of at most
    `FIGURES_PER_CALL`, each figure asked its name, and its kind only where no cue of code speaks for
    it."""
    base = task_variables(found, part)
    out = [
        Question("brief", base, brief_model(base["timing_ids"])),
        Question("stance", base, StanceChoice, STANCES),
    ]
    for i in base["risk_ids"]:
        n = found.risk_sentences[i - 1]
        words = found.sentences[n].replace('"', "'")
        out.append(Question("risk", {**base, "risk_sentence": n + 1, "risk_words": words}, RiskCall, tag=f"R{i}"))
    ids = base["figure_ids"]
    for k in range(0, len(ids), FIGURES_PER_CALL):
        batch = ids[k : k + FIGURES_PER_CALL]
        variables = base if len(batch) == len(ids) else task_variables(found, part, batch)
        out.append(Question("figures", variables, figures_model(batch, variables["kind_ids"])))
    return out
