"""The answers the model gives, by tag: one JSON schema per article with one required key per tag
(F1, F2, ..., R1, ..., T1, ...), so a grammar-constrained server makes the model consider every
candidate; and `Answers`, every answer of one brief collected by tag."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator

from ...schema import THESIS_MAX_CHARS, Kind, RiskCategory, Stance, StrictModel
from .thesis import thesis_figures_printed


class FigureLabel(StrictModel):
    name: str
    kind: Kind
    period: str | None


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


class BriefAnswerBase(StrictModel):
    company: CompanyCall
    stance: Stance
    thesis: str = Field(max_length=THESIS_MAX_CHARS)

    @field_validator("thesis")
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return thesis_figures_printed(v, info)


def figures_model(ids: Sequence[int]) -> type[StrictModel]:
    """{"F1": {name, kind, period}, ...}: one required entry per tagged figure asked about."""
    fields: dict[str, Any] = {f"F{i}": (FigureLabel, ...) for i in ids}
    return create_model("FigureLabels", __base__=StrictModel, __doc__="What each tagged figure measures.", **fields)


def _echo(tag: str, base: type[StrictModel], field: str, anchors: Mapping[str, str] | None) -> Any:
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
        fields["risks"] = (create_model("Risks", __base__=StrictModel, **risk_fields), ...)
    if timing_ids:
        event_fields: dict[str, Any] = {f"T{i}": (_echo(f"T{i}", EventCall, "when", anchors), ...) for i in timing_ids}
        fields["catalysts"] = (create_model("Events", __base__=StrictModel, **event_fields), ...)
    return create_model(
        "BriefAnswer", __base__=BriefAnswerBase, __doc__="The company, stance, thesis, risks and catalysts.", **fields
    )


class ThesisAnswer(StrictModel):
    """One thesis for the whole document."""

    thesis: str = Field(max_length=THESIS_MAX_CHARS)

    @field_validator("thesis")
    @classmethod
    def _thesis_figures(cls, v: str, info: ValidationInfo) -> str:
        return thesis_figures_printed(v, info)


RESPONSE_MODELS: tuple[type[BaseModel], ...] = (brief_model([1, 2], [1, 2]), figures_model([1, 2]))  # prompt version


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
