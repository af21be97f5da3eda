"""Every gold label: parses, validates against its article (verbatim evidence, as_written inside the
evidence, values matching the figures), and its catalyst windows resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from summarizer import read_article
from summarizer.evaluation import load_gold
from summarizer.text import contains_verbatim

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"
LABELS = sorted((GOLD / "labels").glob("*.yaml"))
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def test_every_article_has_a_label_and_a_source():
    articles = {p.stem for p in (GOLD / "articles").glob("*.txt")}
    assert articles == {p.stem for p in LABELS}
    sources = {line.split("\t")[0] for line in (GOLD / "SOURCES.tsv").read_text().splitlines()[1:]}
    assert sources == articles


@pytest.mark.parametrize("label", LABELS, ids=[p.stem for p in LABELS])
def test_gold_label(label: Path):
    assert label.read_text().startswith("# yaml-language-server: $schema=../brief.schema.json")
    article = read_article(GOLD / "articles" / f"{label.stem}.txt")
    brief = load_gold(label, article)  # raises with the file, field and rule on any violation
    assert brief.published == article.published, "published must be the article header's date"
    for m in brief.metrics:
        assert contains_verbatim(article.text, m.evidence) and contains_verbatim(m.evidence, m.as_written)
    for c in brief.catalysts:
        if c.window_start is None:
            continue
        if article.published is None:  # only absolute dates resolve without a publication date
            assert c.date_text and _YEAR.search(c.date_text), f"{c.event}: relative timing without a date"
        assert c.window_start <= c.window_end
    raw = yaml.safe_load(label.read_text())
    assert set(raw) == {"company", "published", "thesis", "stance", "metrics", "risks", "catalysts"}
    decided = {"confidence", "review", "stance_confidence", "stance_review"}  # produced briefs only
    assert not decided & set(raw)
    for m, written in zip(brief.metrics, raw["metrics"], strict=True):
        assert {"period_start", "period_end"} <= set(written), f"{m.name}: the window is labeled, null or not"
        assert not decided & set(written)
        if m.period_start is None:
            continue
        assert m.period is not None and m.period_end is not None and m.period_start <= m.period_end
        if article.published is None:  # only a period the article dates itself resolves without a date
            assert _YEAR.search(m.period) or _YEAR.search(m.evidence), f"{m.name}: relative period without a date"
        else:  # a window never starts after the article was published (a forecast's may end later)
            assert m.period_start <= article.published or m.kind in ("guidance", "estimate", "target"), m.name


def test_the_seed_label_is_the_spec_worked_example():
    spec = (GOLD.parents[2] / "shared" / "spec" / "brief.md").read_text(encoding="utf-8")
    example = yaml.safe_load(spec.split("```yaml", 1)[1].split("```", 1)[0])
    label = yaml.safe_load((GOLD / "labels" / "alibaba-2026-01-04.yaml").read_text(encoding="utf-8"))
    assert label["metrics"] == example["metrics"]
