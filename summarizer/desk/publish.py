"""What leaves the desk: the published brief as Markdown, JSON or a self-contained HTML page, the
corrected brief as a gold label, and what the editor changed against the model's draft, counted
the way the eval harness counts it."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..article import read_article
from ..evaluation.dataset import load_gold
from ..evaluation.scoring import (
    NAME_OK,
    score_catalysts,
    score_metrics,
    score_risks,
    thesis_similarity,
)
from ..render import figure_text, to_markdown
from ..schema import Brief, Metric
from ..text import write_atomic
from .review import Span, spans

# What a published brief and a gold label leave out: the model's confidences and review flags.
WITHOUT_DECISIONS: dict[str, Any] = {
    "stance_confidence": True, "stance_review": True, "calibration": True,
    **{
        group: {"__all__": {"confidence": True, "review": True, "checks": True}}
        for group in ("metrics", "risks", "catalysts")
    },
}  # fmt: skip

templates = Environment(loader=PackageLoader("summarizer.desk"), autoescape=select_autoescape(["html"]))
templates.filters["figure"] = lambda item: figure_text(Metric.model_construct(**item))
# A number as an editor types it: digits with thousands separators, no exponent ("600,000,000").
templates.filters["plain"] = lambda v: "" if v is None else f"{v:,.6f}".rstrip("0").rstrip(".")


def article_html(text: str, marks: list[Span]) -> Markup:
    """The article as HTML text with its highlights as <mark> elements; everything else escaped.

    Every piece carries `data-start`, its offset in the article, so a selection in the page maps
    back to the article's characters."""
    cuts = sorted({0, len(text), *(s.start for s in marks), *(s.end for s in marks)})
    parts = []
    for a, b in pairwise(cuts):
        covering = [s for s in marks if s.start <= a and b <= s.end]
        piece = escape(text[a:b])
        if not covering:
            parts.append(Markup('<span data-start="{}">{}</span>').format(a, piece))
            continue
        roles = sorted({s.role for s in covering})
        # The innermost highlight (the figure or date inside a quote) decides what a click selects.
        first = min(covering, key=lambda s: (s.end - s.start, s.item))
        keys = " ".join(dict.fromkeys([first.item, *(s.item for s in covering)]))
        parts.append(
            Markup('<mark data-start="{}" data-items="{}" class="{}" id="{}">{}</mark>').format(
                a, keys, " ".join(roles), f"at-{a}", piece
            )
        )
    return Markup("").join(parts)


def page_html(brief: Brief, text: str, *, title: str | None = None) -> str:
    """A self-contained page of the brief beside its article, each figure a link to its sentence."""
    data = brief.model_dump(mode="json")
    found = spans(data, text)
    anchor = {s.item: f"at-{s.start}" for s in sorted(found, key=lambda s: -s.start)}
    return templates.get_template("export.html").render(
        brief=brief, data=data, article=article_html(text, found), anchor=anchor, title=title or brief.company.name
    )


def markdown(brief: Brief) -> str:
    return to_markdown(brief)


def publishable(brief: Brief) -> dict[str, Any]:
    """The brief as published JSON and as a gold label: what the editor approved, no confidences or flags."""
    return brief.model_dump(mode="json", exclude=WITHOUT_DECISIONS)


def write_gold(
    directory: Path, case_id: str, text: str, brief: Brief, *, title: str | None, published: date | None,
    source: str | None, origin: str | None = None,
) -> tuple[Path, Path]:  # fmt: skip
    """The article and its corrected brief in the eval dataset layout, checked by the gold loader."""
    articles, labels = directory / "articles", directory / "labels"
    articles.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    header = [
        f"title: {(title or brief.company.name).splitlines()[0]}",
        f"published: {published.isoformat() if published else 'unknown'}",
        f"source: {source or 'desk'}",
        f"origin: {origin or 'summarizer desk'}",
    ]
    article_path, label_path = articles / f"{case_id}.txt", labels / f"{case_id}.yaml"
    write_atomic(article_path, "\n".join(header) + "\n\n" + text.strip("\n") + "\n")
    label = publishable(brief)
    body = yaml.safe_dump(label, sort_keys=False, allow_unicode=True, width=120)
    write_atomic(label_path, "# Corrected at the summarizer desk.\n" + body)
    load_gold(label_path, read_article(article_path))  # the eval's own check; raises DatasetError
    return article_path, label_path


def changes(draft: Brief, edited: Brief) -> dict[str, Any]:
    """The editor's brief taken as gold and the model's draft as the prediction: the harness's counts."""
    m = score_metrics(edited.metrics, draft.metrics)
    cat, _ = score_catalysts(edited.catalysts, draft.catalysts)
    risk, _ = score_risks(edited.risks, draft.risks)
    figures = {
        "kept": m.prf.matched,
        "removed": m.prf.predicted - m.prf.matched,
        "added": m.prf.gold - m.prf.matched,
        "kind_changed": m.kind_ok.count(False),
        "period_changed": m.period_ok.count(False),
        "renamed": sum(s < NAME_OK for s in m.name_similarity),
    }
    return {
        "metrics": figures,
        "metrics_f1": round(m.prf.f1, 4),
        "risks": {"kept": risk.matched, "removed": risk.predicted - risk.matched, "added": risk.gold - risk.matched},
        "catalysts": {"kept": cat.matched, "removed": cat.predicted - cat.matched, "added": cat.gold - cat.matched},
        "thesis_similarity": round(thesis_similarity(edited.thesis, draft.thesis), 4),
        "stance_changed": edited.stance != draft.stance,
    }
