"""The brief, as `shared/spec/brief.md` defines it.

Docstrings and `Field(description=...)` are sent to the model as the tool definition, so they are
written as instructions to it. Notes for humans are `#` comments.

Validators that need the article read it from the validation context:
`Brief.model_validate(data, context={"article": text, "published": date | None})`.
Without a context only the article-independent rules run.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .finding.figures import figures_in
from .finding.numbers import scaled_numbers_in
from .text import close, contains_verbatim, normalize_ws

Qualifier = Literal["exact", "approximately", "more_than", "less_than", "range"]
Unit = Literal[
    "percent",
    "percentage_points",
    "basis_points",
    "currency",
    "currency_per_share",
    "count",
    "multiple",
    "other",
]
Kind = Literal["reported", "guidance", "estimate", "target", "market", "other"]
Stance = Literal["positive", "negative", "mixed", "neutral"]
RiskCategory = Literal[
    "competition",
    "regulation",
    "macro",
    "geopolitical",
    "execution",
    "valuation",
    "financial",
    "legal",
    "technology",
    "other",
]
CURRENCY_UNITS = ("currency", "currency_per_share")
THESIS_MAX_WORDS = 60
# Enforced by the grammar on servers that constrain output to the schema (llama.cpp): ~55 words.
THESIS_MAX_CHARS = THESIS_MAX_WORDS * 6


def _confidence() -> Any:
    # Produced briefs only (gold labels leave it out): the probability the item is right as decided.
    return Field(None, ge=0, le=1, description="Probability in 0..1 that this is right as decided; null if unknown.")


def _review() -> Any:
    return Field(False, description="True when an editor should check this item.")


def _checks() -> Any:
    # Produced briefs only: each field the brief decided, with its own confidence and review flag.
    return Field(default_factory=dict, description="Per field: how sure, and whether an editor should check it.")


def _ctx(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _check_verbatim(evidence: str, info: ValidationInfo, what: str) -> str:
    article = _ctx(info).get("article")
    if article is not None and not contains_verbatim(article, evidence):
        raise ValueError(
            f"{what} evidence is not verbatim in the article: {evidence[:120]!r}. "
            "Copy the sentence from the article character for character."
        )
    return evidence


def _verbatim(what: str) -> Any:
    """The validator of a model's `evidence`: a quote found in the article (`what` names the item)."""

    def check(cls: type[BaseModel], v: str, info: ValidationInfo) -> str:
        return _check_verbatim(v, info, what)

    return field_validator("evidence")(check)


def drop_titles(schema: dict[str, Any]) -> None:
    """Drop the per-field titles of a model's JSON schema."""
    # Pydantic's generated titles ("Window Start") repeat the field names; the schema is sent as the
    # tool definition, where every character costs prompt tokens on a small local model.
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class StrictModel(BaseModel):
    """Base of every model the brief or a model answer is made of: no extra keys, strings stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=drop_titles)


class Check(StrictModel):
    """One decided field of an item: how sure the brief is of it, whether an editor should check it,
    and what decided it."""

    # `basis` names the signal the confidence was measured on ("cue:market": a kind read from a cue,
    # "model:reported": the model's kind, "clause": a period read beside the figure, ...).
    confidence: float | None = Field(None, ge=0, le=1, description="Probability in 0..1 that the field is right.")
    review: bool = Field(True, description="True when an editor should check this field.")
    basis: str = Field("", description="What decided the field.")


MetricField = Literal["figure", "name", "kind", "period"]
RiskField = Literal["risk", "category"]
CatalystField = Literal["event", "window"]
FIELDS: dict[str, tuple[str, ...]] = {
    "metrics": ("figure", "name", "kind", "period"),
    "risks": ("risk", "category"),
    "catalysts": ("event", "window"),
    "stance": ("stance",),
}


class Company(StrictModel):
    """The one company the article is about."""

    name: str = Field(min_length=1, description='Name as commonly written, e.g. "Alibaba Group".')
    ticker: str | None = Field(description="Primary listing ticker when stated or unambiguous, else null.")
    isin: str | None = Field(
        description="ISIN only when the article prints one, else null.",
        pattern=r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$",
    )

    @field_validator("isin")
    @classmethod
    def _isin_printed(cls, v: str | None, info: ValidationInfo) -> str | None:
        article = _ctx(info).get("article")
        if v is not None and article is not None and v not in article:
            raise ValueError(f"isin {v!r} is not printed in the article; use null")
        return v


class Metric(StrictModel):
    """One quantitative figure about the company, its business or its stock."""

    name: str = Field(
        min_length=1,
        description="What is measured, short, lowercase, specific, "
        'e.g. "cloud division revenue growth, year over year".',
    )
    value: float | None = Field(
        description="The number scaled to its unit; null only when the article gives no number."
    )
    value_high: float | None = Field(description="Upper end of a range, only with qualifier range; else null.")
    qualifier: Qualifier
    unit: Unit
    currency: str | None = Field(
        description='ISO 4217 code such as "USD", only when unit is currency or currency_per_share; else null.',
        pattern=r"^[A-Z]{3}$",
    )
    period: str | None = Field(description='Time the figure covers, e.g. "latest quarter", "2025"; null if none.')
    period_start: date | None = Field(None, description="First day the period covers, YYYY-MM-DD; null if unresolved.")
    period_end: date | None = Field(None, description="Last day the period covers, YYYY-MM-DD; null if unresolved.")
    kind: Kind
    as_written: str = Field(
        min_length=1, description='The figure exactly as the article writes it, e.g. "$50 billion".'
    )
    evidence: str = Field(
        min_length=1, description="The whole sentence containing the figure, copied exactly from the article."
    )
    confidence: float | None = _confidence()
    review: bool = _review()
    checks: dict[MetricField, Check] = _checks()

    _evidence_verbatim = _verbatim("metric")

    @model_validator(mode="after")
    def _consistent(self) -> Metric:
        if not contains_verbatim(self.evidence, self.as_written):
            raise ValueError(f"as_written {self.as_written!r} does not appear in its evidence")
        if (self.value_high is not None) != (self.qualifier == "range"):
            raise ValueError("value_high is set exactly when qualifier is 'range'")
        if (self.currency is not None) != (self.unit in CURRENCY_UNITS):
            raise ValueError("currency is an ISO code when unit is currency or currency_per_share, else null")
        if (self.period_start is None) != (self.period_end is None):
            raise ValueError("set both period_start and period_end, or neither")
        if self.period_start is not None and self.period is None:
            raise ValueError("period_start and period_end resolve the period: null when period is null")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        # A figure with a number in digits must give one of the values it denotes: each number with its
        # scale word, or the figure finder's reading ("$1.2-1.4 billion" is 1.2e9 to 1.4e9, "72-5/8" 72.625).
        written = scaled_numbers_in(self.as_written)
        read = [x for f in figures_in(self.as_written) for x in (f.value, f.value_high) if x is not None]
        if re.search(r"\bflat\b", self.as_written, re.I):
            read.append(0.0)  # "flat to up 2 percent" is 0 to 2
        for label, v in (("value", self.value), ("value_high", self.value_high)):
            if v is not None and written and not any(close(abs(v), abs(w)) for w in written + read):
                raise ValueError(
                    f"{label} {v:g} does not match the figure as written ({self.as_written!r}); "
                    "scale the written number by its unit word (million, billion)"
                )
        if self.value is None and written:
            raise ValueError(f"value is null but {self.as_written!r} gives a number")
        return self


class Risk(StrictModel):
    """Something that could hurt the thesis, stated or clearly implied by the article."""

    description: str = Field(min_length=1, description="One short sentence.")
    category: RiskCategory
    evidence: str = Field(min_length=1, description="The sentence from the article stating it, copied verbatim.")
    confidence: float | None = _confidence()
    review: bool = _review()
    checks: dict[RiskField, Check] = _checks()

    _evidence_verbatim = _verbatim("risk")


class Catalyst(StrictModel):
    """A dated or expected future event that could move the stock."""

    event: str = Field(min_length=1, description='The event, e.g. "quarterly results".')
    date_text: str | None = Field(description='Its timing as written, e.g. "in February"; null if none.')
    window_start: date | None = Field(
        description="First day the timing can mean, YYYY-MM-DD; null when there is no timing."
    )
    window_end: date | None = Field(description="Last day the timing can mean, YYYY-MM-DD.")
    evidence: str = Field(min_length=1, description="The sentence from the article, copied verbatim.")
    confidence: float | None = _confidence()
    review: bool = _review()
    checks: dict[CatalystField, Check] = _checks()

    _evidence_verbatim = _verbatim("catalyst")

    @model_validator(mode="after")
    def _window(self) -> Catalyst:
        if (self.window_start is None) != (self.window_end is None):
            raise ValueError("set both window_start and window_end, or neither")
        if self.window_start and self.window_end and self.window_start > self.window_end:
            raise ValueError("window_start is after window_end")
        if self.date_text is not None and not contains_verbatim(self.evidence, self.date_text):
            raise ValueError(f"date_text {self.date_text!r} does not appear in its evidence")
        return self


class Brief(StrictModel):
    """A structured brief of one financial news article. Use only what the article says."""

    company: Company
    published: date | None = Field(description="Publication date (YYYY-MM-DD) from the dateline, else null.")
    thesis: str = Field(
        min_length=1,
        description="One or two sentences, at most 60 words: the article's central argument about the "
        "company or its stock, with the one or two figures that carry it. Not the headline; not advice.",
    )
    stance: Stance = Field(description="The article's tone toward the stock.")
    stance_confidence: float | None = _confidence()
    stance_review: bool = _review()
    calibration: str | None = Field(
        None,
        description="The confidence table the brief's confidences come from; null when none fits its model "
        "(uncalibrated: only the model's own probabilities, every field flagged).",
    )
    metrics: list[Metric] = Field(description="Every figure an editor would put in a brief, one per figure.")
    risks: list[Risk]
    catalysts: list[Catalyst]

    @field_validator("thesis")
    @classmethod
    def _thesis_length(cls, v: str) -> str:
        words = len(normalize_ws(v).split(" "))
        if words > THESIS_MAX_WORDS:
            raise ValueError(f"thesis has {words} words; at most {THESIS_MAX_WORDS}")
        return v

    @model_validator(mode="after")
    def _windows_after_published(self, info: ValidationInfo) -> Brief:
        published = _ctx(info).get("published") or self.published
        if published is None:
            return self
        for c in self.catalysts:
            if c.window_end is not None and c.window_end < published:
                raise ValueError(
                    f"catalyst {c.event!r} window ends {c.window_end} before the article's date {published}; "
                    "a catalyst is a future event"
                )
        return self


__all__ = ["CURRENCY_UNITS", "FIELDS", "Brief", "Catalyst", "Check", "Company", "Metric", "Risk"]
