"""The `single` strategy: one call for the whole brief, the model citing sentences by number.

The article is shown to the model as numbered sentences. The model cites a sentence by its
number; code puts the sentence itself into `evidence`, so every quote is verbatim by
construction. The assembled Brief is then validated against the article as usual, and any rule it
breaks (a figure not in the cited sentence, a value that does not match the figure, a window before
the publication date) is raised here, inside the response model, so that instructor sends it back
to the model on the next attempt.

The validation context carries {"article": str, "published": date | None, "sentences": list[str]}.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import Field, PrivateAttr, ValidationError, ValidationInfo, model_validator

from ..errors import EmptyInputError, InputTooLongError
from ..finding.sentences import split_sentences
from ..model import ModelClient
from ..prompts import load_prompt
from ..schema import THESIS_MAX_CHARS, Brief, Company, Kind, Qualifier, RiskCategory, Stance, StrictModel, Unit
from ..text import contains_verbatim
from . import Request, Strategy, estimated_tokens, register

log = logging.getLogger("summarizer")


def numbered(sentences: list[str]) -> str:
    return "\n".join(f"[{i}] {s}" for i, s in enumerate(sentences, 1))


Sentence = Field(ge=1, description="Number of the article sentence that states it, e.g. 12 for [12].")


class MetricDraft(StrictModel):
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


class RiskDraft(StrictModel):
    """Something that could hurt the thesis, stated or clearly implied by the article."""

    description: str = Field(description="One short sentence.")
    category: RiskCategory
    sentence: int = Sentence


class CatalystDraft(StrictModel):
    """A dated or expected future event that could move the stock."""

    event: str = Field(description='The event, e.g. "quarterly results".')
    date_text: str | None = Field(description='Its timing as written in the sentence, e.g. "in February"; else null.')
    window_start: str | None = Field(description="First day the timing can mean, YYYY-MM-DD; null if no timing.")
    window_end: str | None = Field(description="Last day the timing can mean, YYYY-MM-DD.")
    sentence: int = Sentence


class BriefDraft(StrictModel):
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
        keeps the cited one, and validation then says so. This strategy has no confidence table:
        every item and the stance are flagged for review.
        """
        data = self.model_dump()
        for group, anchor in (("metrics", "as_written"), ("risks", None), ("catalysts", "date_text")):
            for item in data[group]:
                cited = item.pop("sentence") - 1
                text = item.get(anchor) if anchor else None
                item["evidence"] = sentences[anchor_sentence(sentences, cited, text)]
                item["review"] = True  # nothing measured how often this strategy's items are right
        data["stance_review"] = True
        return data

    @property
    def brief(self) -> Brief:
        if self._brief is None:
            raise RuntimeError("the draft was validated without sentences in its context")
        return self._brief


def anchor_sentence(sentences: list[str], cited: int, text: str | None) -> int:
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


@dataclass
class _Plan:
    messages: list[dict[str, str]]
    context: dict[str, Any]
    max_attempts: int
    max_tokens: int


class Single(Strategy):
    """The whole brief in one call: the article as numbered sentences, the answer a `BriefDraft`."""

    name = "single"
    default_prompt = "single"

    def version(self, prompt: str | None = None) -> str:
        return load_prompt(prompt or self.default_prompt).version(BriefDraft)

    def prepare(self, request: Request) -> _Plan:
        text, endpoint = request.text, request.endpoint
        if not isinstance(text, str) or not text.strip():
            raise EmptyInputError("the article text is empty or whitespace only: there is nothing to summarize")
        sentences = split_sentences(text)
        messages = load_prompt(request.prompt).messages(
            article=numbered(sentences), published=request.published, title=request.title
        )
        if endpoint.context_tokens:
            estimated = estimated_tokens(messages, BriefDraft.model_json_schema(), request.max_tokens)
            if estimated > endpoint.context_tokens:
                raise InputTooLongError(
                    f"the article is too long for the model's context: about {estimated} tokens with the "
                    f"prompt and room for the answer, the context holds {endpoint.context_tokens}",
                    estimated_tokens=estimated,
                    context_tokens=endpoint.context_tokens,
                )
        log.info("asking %s for the brief of %d sentences", endpoint.model, len(sentences))
        return _Plan(
            messages=messages,
            context={"article": text, "published": request.published, "sentences": sentences},
            max_attempts=request.max_attempts,
            max_tokens=request.max_tokens,
        )

    async def brief(self, plan: _Plan, model: ModelClient) -> Brief:
        draft = await model.create(
            BriefDraft,
            plan.messages,
            max_retries=plan.max_attempts - 1,
            max_tokens=plan.max_tokens,
            context=plan.context,
        )
        return draft.brief


register(Single())
