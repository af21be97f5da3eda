"""Eval datasets: a folder of articles with, optionally, their gold briefs.

Layout (any folder in this shape works, with no code change):

    DIR/articles/<id>.txt    the article, optionally with the header block (title/published/source/origin)
    DIR/labels/<id>.yaml     its gold brief (shared/spec/brief.md); a case without one is predicted, not scored
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..article import Article, read_article
from ..errors import InputError
from ..schema import Brief


class DatasetError(InputError):
    """A dataset folder is missing, empty, or holds a gold label that does not validate."""


class UnknownCaseError(DatasetError):
    """A case asked for by name is not in the dataset."""


@dataclass(frozen=True)
class Case:
    id: str
    article: Article
    gold: Brief | None
    path: Path

    @property
    def gold_digest(self) -> str | None:
        """A short hash of the gold label as validated: it changes when the label is edited."""
        if self.gold is None:
            return None
        # What a produced brief adds (per-field checks, the table named) is not part of a label.
        added: dict[str, Any] = {
            "calibration": True,
            **{g: {"__all__": {"checks"}} for g in ("metrics", "risks", "catalysts")},
        }
        return hashlib.sha256(self.gold.model_dump_json(exclude=added).encode()).hexdigest()[:12]


def labels_digest(cases: Iterable[Case]) -> str:
    """A short hash of the labels a table or a learned decision was fitted on: it changes when any of
    them is edited, added or removed."""
    return hashlib.sha256("".join(c.gold_digest or "" for c in cases).encode()).hexdigest()[:12]


def load_gold(label: Path, article: Article) -> Brief:
    """Parse and validate one gold label against its article (verbatim evidence, numbers, windows)."""
    try:
        data = yaml.safe_load(label.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DatasetError(f"{label}: not valid YAML: {exc}") from None
    try:
        return Brief.model_validate(data, context={"article": article.text, "published": article.published})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DatasetError(f"{label}: {where}: {first['msg']} ({exc.error_count()} error(s))") from None


def load_dataset(directory: str | Path, *, only: list[str] | None = None) -> list[Case]:
    """Every case of the folder, or the cases named in `only` (a name the folder lacks is a
    DatasetError)."""
    root = Path(directory)
    articles = root / "articles"
    if not articles.is_dir():
        raise DatasetError(f"{root} is not a dataset: it has no articles/ folder (see the README's dataset format)")
    paths = sorted(articles.glob("*.txt"))
    unknown = sorted(set(only or []) - {p.stem for p in paths})
    if unknown:
        raise UnknownCaseError(f"{root} has no case {', '.join(unknown)} (no articles/<id>.txt)")
    cases = []
    for path in paths:
        cid = path.stem
        if only and cid not in only:
            continue
        article = read_article(path)
        label = root / "labels" / f"{cid}.yaml"
        gold = load_gold(label, article) if label.is_file() else None
        cases.append(Case(id=cid, article=article, gold=gold, path=path))
    if not cases:
        raise DatasetError(f"{root}/articles has no matching .txt articles")
    return cases
