"""The answers the model gives, by tag: one JSON schema per article with one required key per tag
(F1, F2, ..., R1, ..., T1, ...), so a grammar-constrained server makes the model consider every
candidate; and `Answers`, every answer of one brief collected by tag."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator

from ...model import Choice
from ...schema import THESIS_MAX_CHARS, Kind, RiskCategory, Stance, StrictModel
from .thesis import thesis_figures_printed

NAME_MAX_CHARS = 48  # a figure's name: a few words (the grammar of a constrained server ends it there)


class FigureName(StrictModel):
    name: str = Field(max_length=NAME_MAX_CHARS)


class FigureLabel(FigureName):
    """A figure's name, and its kind where code found no cue for it."""

    kind: Kind


class RiskCall(StrictModel):
    """Whether one sentence states a risk: its category (or none) and the risk in a sentence."""

    category: RiskCategory | Literal["none"]
    risk: str


class CompanyCall(StrictModel):
    name: str
    ticker: str | None


class _ThesisChecked(StrictModel):
    # A thesis may state only figures the article prints (each answer that carries one).
    @field_validator("thesis", check_fields=False)
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return thesis_figures_printed(v, info)


class BriefAnswerBase(_ThesisChecked):
    company: CompanyCall
    thesis: str = Field(max_length=THESIS_MAX_CHARS)


def figures_model(ids: Sequence[int], kind_ids: Collection[int] = ()) -> type[StrictModel]:
    """{"F1": {"name": ...}, "F2": {"name": ..., "kind": ...}, ...}: one required entry per tagged figure
    asked about, its kind only for `kind_ids` (the figures no cue of code speaks for)."""
    fields: dict[str, Any] = {f"F{i}": (FigureLabel if i in kind_ids else FigureName, ...) for i in ids}
    return create_model("FigureLabels", __base__=StrictModel, __doc__="What each tagged figure measures.", **fields)


def brief_model(timing_ids: Sequence[int]) -> type[StrictModel]:
    """Company, thesis, and one required entry per T tag asked about (the event it dates, or null)."""
    fields: dict[str, Any] = {}
    if timing_ids:
        event_fields: dict[str, Any] = {f"T{i}": (str | None, ...) for i in timing_ids}
        fields["catalysts"] = (create_model("Events", __base__=StrictModel, **event_fields), ...)
    return create_model("BriefAnswer", __base__=BriefAnswerBase, __doc__="The company, thesis and catalysts.", **fields)


class ThesisAnswer(_ThesisChecked):
    """One thesis for the whole document."""

    thesis: str = Field(max_length=THESIS_MAX_CHARS)


STANCES: tuple[Stance, ...] = ("positive", "negative", "mixed", "neutral")
StanceChoice = create_model("StanceChoice", answer=(Stance, ...))  # the stance question, asked in words

# What the strategy asks, covered by its prompt version.
RESPONSE_MODELS: tuple[type[BaseModel], ...] = (brief_model([1, 2]), RiskCall, figures_model([1, 2], [2]), StanceChoice)


@dataclass(frozen=True)
class Label:
    """What the model said a figure measures (its kind where it was asked one)."""

    name: str
    kind: Kind | None = None


@dataclass
class Answers:
    """Every answer of every call of one brief, by tag."""

    overviews: list[BaseModel] = field(default_factory=list)  # one BriefAnswer per part
    labels: dict[int, Label] = field(default_factory=dict)
    stances: list[Choice] = field(default_factory=list)  # one per part
    risks: dict[int, RiskCall] = field(default_factory=dict)
    events: dict[int, str | None] = field(default_factory=dict)
    thesis: str | None = None  # one thesis for a document of several parts

    def add(self, answer: BaseModel | Choice, tag: str | None = None) -> None:
        """Collect one answer (`tag`: the one tag it is about, for a question about one)."""
        if isinstance(answer, Choice):
            self.stances.append(answer)
        elif isinstance(answer, BriefAnswerBase):
            self.overviews.append(answer)
            for key, call in dict(getattr(answer, "catalysts", None) or {}).items():
                self.events[int(key[1:])] = call
        elif isinstance(answer, RiskCall) and tag is not None:
            self.risks[int(tag[1:])] = answer
        elif isinstance(answer, ThesisAnswer):
            self.thesis = answer.thesis
        else:
            for key, label in dict(answer).items():
                self.labels[int(key[1:])] = Label(label.name, getattr(label, "kind", None))

    @property
    def stance(self) -> Choice:
        """The stance of the parts. Where every part's choice came with probabilities: the option most
        probable on average over the parts, its confidence that average. Else the most common of the
        parts' choices in words (the first part's on a tie); with no confidence."""
        if self.stances and all(c.probabilities for c in self.stances):
            mean: dict[str, float] = {}
            for c in self.stances:
                for option, p in c.probabilities.items():
                    mean[option] = mean.get(option, 0.0) + p / len(self.stances)
            best = max(mean, key=lambda o: mean[o])
            return Choice(best, round(mean[best], 4), mean)
        said = [c.option for c in self.stances]
        return Choice(max(said, key=lambda s: (said.count(s), -said.index(s))), None)
