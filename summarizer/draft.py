"""What the model fills in: the brief with sentence numbers where the brief has quotes.

The article is shown to the model as numbered sentences. The model cites a sentence by its
number; code puts the sentence itself into `evidence`, so every quote is verbatim by
construction. The assembled Brief is then validated against the article as usual, and any rule it
breaks (a figure not in the cited sentence, a value that does not match the figure, a window before
the publication date) is raised here, inside the response model, so that instructor sends it back
to the model on the next attempt.

The validation context carries {"article": str, "published": date | None, "sentences": list[str]}.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, model_validator

from ._text import contains_verbatim
from .schema import THESIS_MAX_WORDS, Brief, Company, Kind, Qualifier, RiskCategory, Stance, Unit, _drop_titles

_local = threading.local()


def _segmenter() -> Any:
    """One pysbd segmenter per thread: a segmenter keeps the text it works on, so sharing one across
    threads mixes up concurrent articles' sentences."""
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return seg


_PARAGRAPH = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[list[str]]:
    """The sentences of each paragraph of `text`, as written (whitespace at the ends stripped)."""
    return [list(p) for p in _split_paragraphs(text)]


@lru_cache(maxsize=128)
def _split_paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    # Cached: a brief splits its article more than once (candidates, prompt, checks), and pysbd is slow.
    out: list[tuple[str, ...]] = []
    for paragraph in _PARAGRAPH.split(text):
        sentences = [s.strip() for s in _segmenter().segment(paragraph)] if paragraph.strip() else []
        if any(sentences):
            out.append(tuple(s for s in sentences if s))
    return tuple(out)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, as written (whitespace at the ends stripped), paragraph breaks respected."""
    return [s for paragraph in split_paragraphs(text) for s in paragraph]


def numbered(sentences: list[str]) -> str:
    return "\n".join(f"[{i}] {s}" for i, s in enumerate(sentences, 1))


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_drop_titles)


# Enforced by the grammar on servers that constrain output to the schema (llama.cpp): ~55 words.
THESIS_MAX_CHARS = THESIS_MAX_WORDS * 6

Sentence = Field(ge=1, description="Number of the article sentence that states it, e.g. 12 for [12].")


class MetricDraft(_Draft):
    """One quantitative figure about the company, its business or its stock."""

    name: str = Field(description="What is measured, short, lowercase, specific.")
    value: float | None = Field(description="The number scaled to its unit; null only when no number is given.")
    value_high: float | None = Field(description="Upper end of a range, only with qualifier range; else null.")
    qualifier: Qualifier
    unit: Unit
    currency: str | None = Field(description='ISO 4217 code like "USD" for currency units; else null.')
    period: str | None = Field(description='Time the figure covers, e.g. "latest quarter"; else null.')
    kind: Kind
    as_written: str = Field(description='Only the figure as printed in the sentence, e.g. "$50 billion".')
    sentence: int = Sentence


class RiskDraft(_Draft):
    """Something that could hurt the thesis, stated or clearly implied by the article."""

    description: str = Field(description="One short sentence.")
    category: RiskCategory
    sentence: int = Sentence


class CatalystDraft(_Draft):
    """A dated or expected future event that could move the stock."""

    event: str = Field(description='The event, e.g. "quarterly results".')
    date_text: str | None = Field(description='Its timing as written in the sentence, e.g. "in February"; else null.')
    window_start: str | None = Field(description="First day the timing can mean, YYYY-MM-DD; null if no timing.")
    window_end: str | None = Field(description="Last day the timing can mean, YYYY-MM-DD.")
    sentence: int = Sentence


class BriefDraft(_Draft):
    """A structured brief of one financial news article. Use only what the article says."""

    company: Company
    published: str | None = Field(description="Publication date YYYY-MM-DD, else null.")
    thesis: str = Field(
        description="One or two sentences, at most 50 words: the article's central argument about the company "
        "or its stock, with the one or two figures that carry it.",
        max_length=THESIS_MAX_CHARS,
    )
    stance: Stance = Field(description="The article's tone toward the stock.")
    metrics: list[MetricDraft] = Field(description="Every figure an editor would put in a brief, one per figure.")
    risks: list[RiskDraft]
    catalysts: list[CatalystDraft]

    _brief: Brief | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _assemble(self, info: ValidationInfo) -> BriefDraft:
        ctx = info.context if isinstance(info.context, dict) else {}
        sentences: list[str] | None = ctx.get("sentences")
        if sentences is None:
            return self
        problems = []
        for group in ("metrics", "risks", "catalysts"):
            for i, item in enumerate(getattr(self, group)):
                if item.sentence > len(sentences):
                    problems.append(
                        f"{group}[{i}].sentence {item.sentence} does not exist: the article has {len(sentences)}"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        try:
            data = self.to_brief_data(sentences)
            if ctx.get("published") is not None:
                data["published"] = ctx["published"]  # the caller's date wins over the model's reading
            self._brief = Brief.model_validate(data, context=ctx)
        except ValidationError as exc:
            raise ValueError(_explain(exc, self, sentences)) from None
        return self

    def to_brief_data(self, sentences: list[str]) -> dict[str, Any]:
        """The brief with each sentence number replaced by its sentence.

        A metric is anchored by its figure and a catalyst by its date as written: when the cited
        sentence does not contain them, the nearest sentence that does is the evidence. The number
        the model cites only breaks ties (a figure printed twice). A figure found in no sentence
        keeps the cited one, and validation then says so.
        """
        data = self.model_dump()
        for group, anchor in (("metrics", "as_written"), ("risks", None), ("catalysts", "date_text")):
            for item in data[group]:
                cited = item.pop("sentence") - 1
                text = item.get(anchor) if anchor else None
                item["evidence"] = sentences[_anchor(sentences, cited, text)]
        return data

    @property
    def brief(self) -> Brief:
        if self._brief is None:
            raise RuntimeError("the draft was validated without sentences in its context")
        return self._brief


def _anchor(sentences: list[str], cited: int, text: str | None) -> int:
    if not text or contains_verbatim(sentences[cited], text):
        return cited
    found = [i for i, s in enumerate(sentences) if contains_verbatim(s, text)]
    return min(found, key=lambda i: (abs(i - cited), i)) if found else cited


def _explain(exc: ValidationError, draft: BriefDraft, sentences: list[str]) -> str:
    """Brief's errors in the draft's terms: which item, which sentence, what is wrong."""
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        msg = err["msg"].removeprefix("Value error, ")
        if len(loc) >= 2 and loc[0] in ("metrics", "risks", "catalysts") and isinstance(loc[1], int):
            group, idx = str(loc[0]), loc[1]
            field = ".".join(str(p) for p in loc[2:])
            n = getattr(draft, group)[idx].sentence
            where = f"{group}[{idx}]" + (f".{field}" if field else "")
            lines.append(f"{where} (sentence [{n}]: {sentences[n - 1][:160]!r}): {msg}")
        else:
            lines.append(f"{'.'.join(str(p) for p in loc) or 'brief'}: {msg}")
    return "\n".join(lines)
