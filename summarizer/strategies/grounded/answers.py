"""The answers the model gives, by tag: one JSON schema per article with one required key per tag
(F1, F2, ..., R1, ..., T1, ...), so a grammar-constrained server makes the model consider every
candidate; and `Answers`, every answer of one brief collected by tag."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator

from ...model import Choice
from ...schema import THESIS_MAX_CHARS, Kind, RiskCategory, Stance, StrictModel
from .thesis import thesis_figures_printed


class FigureName(StrictModel):
    name: str


class FigureLabel(FigureName):
    """A figure's name, and its kind where code found no cue for it."""

    kind: Kind


class RiskCall(StrictModel):
    sentence: str  # the sentence's first words, echoed (a constant per tag)
    category: RiskCategory | Literal["none"]
    description: str


class EventCall(StrictModel):
    when: str  # the timing as written, echoed (a constant per tag)
    event: str | None


class CompanyCall(StrictModel):
    name: str
    ticker: str | None
    isin: str | None


# The label the grounded strategy asks of every figure: its name, kind and period in words.
FullLabel = create_model(
    "FigureLabel", __base__=StrictModel, name=(str, ...), kind=(Kind, ...), period=(str | None, ...)
)


class _ThesisChecked(StrictModel):
    # A thesis may state only figures the article prints (each answer that carries one).
    @field_validator("thesis", check_fields=False)
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return thesis_figures_printed(v, info)


class BriefAnswerBase(_ThesisChecked):
    company: CompanyCall
    stance: Stance
    thesis: str = Field(max_length=THESIS_MAX_CHARS)


class ChoicesBriefAnswerBase(_ThesisChecked):
    """The brief answer when the stance is asked apart, as a choice."""

    company: CompanyCall
    thesis: str = Field(max_length=THESIS_MAX_CHARS)


BRIEF_ANSWERS = (BriefAnswerBase, ChoicesBriefAnswerBase)


def figures_model(ids: Sequence[int], kind_ids: Collection[int] | None = None) -> type[StrictModel]:
    """{"F1": {name, kind, period}, ...}: one required entry per tagged figure asked about. With
    `kind_ids` (the figures no cue speaks for): {"F1": {name}, "F2": {name, kind}, ...}."""
    if kind_ids is None:
        fields: dict[str, Any] = {f"F{i}": (FullLabel, ...) for i in ids}
    else:
        fields = {f"F{i}": (FigureLabel if i in kind_ids else FigureName, ...) for i in ids}
    return create_model("FigureLabels", __base__=StrictModel, __doc__="What each tagged figure measures.", **fields)


def _echo(tag: str, base: type[StrictModel], field: str, anchors: Mapping[str, str] | None) -> Any:
    """The answer model of one tag. With an anchor, its first field is that constant text: a
    grammar-constrained model writes it out ("when": "until December 26") before it answers, which
    keeps a small model's answer on the tag's own words instead of a neighbour's."""
    if not anchors or tag not in anchors:
        return base
    return create_model(tag, __base__=base, **{field: (Literal[anchors[tag]], ...)})  # type: ignore[call-overload]


def brief_model(
    risk_ids: Sequence[int],
    timing_ids: Sequence[int],
    anchors: Mapping[str, str] | None = None,
    *,
    stance: bool = True,
) -> type[StrictModel]:
    """Company, stance (unless it is asked apart), thesis, and one required entry per R tag and per T tag asked about (each
    echoing its anchor first when `anchors` maps the tag to its words)."""
    fields: dict[str, Any] = {}
    if risk_ids:
        risk_fields: dict[str, Any] = {f"R{i}": (_echo(f"R{i}", RiskCall, "sentence", anchors), ...) for i in risk_ids}
        fields["risks"] = (create_model("Risks", __base__=StrictModel, **risk_fields), ...)
    if timing_ids:
        event_fields: dict[str, Any] = {f"T{i}": (_echo(f"T{i}", EventCall, "when", anchors), ...) for i in timing_ids}
        fields["catalysts"] = (create_model("Events", __base__=StrictModel, **event_fields), ...)
    if stance:
        doc, base = "The company, stance, thesis, risks and catalysts.", BriefAnswerBase
    else:
        doc, base = "The company, thesis, risks and catalysts.", ChoicesBriefAnswerBase  # type: ignore[assignment]
    return create_model("BriefAnswer", __base__=base, __doc__=doc, **fields)


class ThesisAnswer(_ThesisChecked):
    """One thesis for the whole document."""

    thesis: str = Field(max_length=THESIS_MAX_CHARS)


STANCES: tuple[Stance, ...] = ("positive", "negative", "mixed", "neutral")
StanceChoice = create_model("StanceChoice", answer=(Stance, ...))  # the stance question, asked in words

# What each strategy asks, covered by its prompt version.
RESPONSE_MODELS: tuple[type[BaseModel], ...] = (brief_model([1, 2], [1, 2]), figures_model([1, 2]), StanceChoice)
CHOICES_RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    brief_model([1, 2], [1, 2], stance=False),
    figures_model([1, 2], [2]),
    StanceChoice,
)


@dataclass
class Answers:
    """Every answer of every call of one brief, by tag."""

    overviews: list[BaseModel] = field(default_factory=list)  # one BriefAnswer per part
    labels: dict[int, Any] = field(default_factory=dict)  # a FigureName, FigureLabel or FullLabel
    stances: list[Choice] = field(default_factory=list)  # one per part
    risks: dict[int, RiskCall] = field(default_factory=dict)
    events: dict[int, EventCall] = field(default_factory=dict)
    thesis: str | None = None  # one thesis for a document of several parts

    def add(self, answer: BaseModel | Choice) -> None:
        if isinstance(answer, Choice):
            self.stances.append(answer)
        elif isinstance(answer, BRIEF_ANSWERS):
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
    def stance(self) -> Choice:
        """The stance of the parts. Where every part's choice came with probabilities: the option most
        probable on average over the parts, its confidence that average. Else the most common of the
        stances the brief answers said (the first part's on a tie), else of the parts' choices in
        words; with no confidence."""
        if self.stances and all(c.probabilities for c in self.stances):
            mean: dict[str, float] = {}
            for c in self.stances:
                for option, p in c.probabilities.items():
                    mean[option] = mean.get(option, 0.0) + p / len(self.stances)
            best = max(mean, key=lambda o: mean[o])
            return Choice(best, round(mean[best], 4), mean)
        said = [o.stance for o in self.overviews if hasattr(o, "stance")] or [c.option for c in self.stances]
        return Choice(max(said, key=lambda s: (said.count(s), -said.index(s))), None)
