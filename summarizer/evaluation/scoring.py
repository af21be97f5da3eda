"""Scorers: small named functions from (gold, prediction, article) to numbers with an explanation.

Matching rules (shared/spec/brief.md, "How a predicted brief is scored"):

- Metrics: a prediction matches a gold metric when the units are equal, the values agree within
  0.5% relative (both null agree only when `as_written` agrees, ignoring case and whitespace), and
  `value_high` agrees the same way (both null agrees). Each gold metric matches at most one
  prediction: predictions are taken in order and each takes the matching gold metric whose name is
  most similar. Over matched pairs: name similarity (rapidfuzz token-set ratio, correct at
  >= NAME_OK), and the rates of equal kind, equal period (case and whitespace ignored; both null
  counts as equal) and equal qualifier.
- Catalysts: match when the event similarity is >= EVENT_OK and the windows are compatible: both
  windows null, or both set and overlapping. A window on one side only is not compatible.
- Risks: match when the description similarity is >= RISK_OK, or the evidence quotes are the same
  sentence (similarity >= EVIDENCE_SAME). One-to-one, greedy by best similarity.
- Thesis: token-set similarity to the gold thesis, 0..1.
- Faithfulness (against the article, not gold): share of predicted evidence quotes found verbatim,
  and share of predicted metric values that appear among the article's numbers (scale words applied,
  numbers written in words included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, utils

from .._text import close, contains_verbatim, normalize_ws, scaled_numbers_in
from ..schema import Brief, Catalyst, Metric, Risk

NAME_OK = 0.6
EVENT_OK = 0.5
RISK_OK = 0.5
EVIDENCE_SAME = 0.9


def similarity(a: str, b: str) -> float:
    """Token-set similarity in 0..1, ignoring case and punctuation."""
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100.0


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return close(a, b)


def metrics_match(gold: Metric, pred: Metric) -> bool:
    """The spec's metric match: unit, value and value_high agree."""
    if gold.unit != pred.unit:
        return False
    if gold.value is None and pred.value is None:
        if normalize_ws(gold.as_written).lower() != normalize_ws(pred.as_written).lower():
            return False
    elif not _same_number(gold.value, pred.value):
        return False
    return _same_number(gold.value_high, pred.value_high)


@dataclass
class PRF:
    """Counts for precision, recall and F1 (micro-averaged when added up)."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)


@dataclass
class MetricScore:
    prf: PRF
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, pred index)
    name_similarity: list[float] = field(default_factory=list)
    kind_ok: list[bool] = field(default_factory=list)
    period_ok: list[bool] = field(default_factory=list)
    qualifier_ok: list[bool] = field(default_factory=list)


def _period_equal(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return normalize_ws(a).lower() == normalize_ws(b).lower()


def score_metrics(gold: list[Metric], pred: list[Metric]) -> MetricScore:
    """Match predicted metrics to gold one-to-one and report P/R/F1 and per-pair agreement."""
    free = set(range(len(gold)))
    out = MetricScore(prf=PRF(predicted=len(pred), gold=len(gold)))
    for j, p in enumerate(pred):
        candidates = [i for i in free if metrics_match(gold[i], p)]
        if not candidates:
            continue
        i = max(candidates, key=lambda k: (similarity(gold[k].name, p.name), -k))
        free.discard(i)
        g = gold[i]
        out.pairs.append((i, j))
        out.name_similarity.append(similarity(g.name, p.name))
        out.kind_ok.append(g.kind == p.kind)
        out.period_ok.append(_period_equal(g.period, p.period))
        out.qualifier_ok.append(g.qualifier == p.qualifier)
    out.prf.matched = len(out.pairs)
    return out


def windows_compatible(a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None) -> bool:
    if a_start is None or a_end is None or b_start is None or b_end is None:
        return a_start is None and b_start is None
    return a_start <= b_end and b_start <= a_end


def catalysts_match(gold: Catalyst, pred: Catalyst) -> float:
    """Similarity of a matching pair, or 0.0 when they do not match."""
    if not windows_compatible(gold.window_start, gold.window_end, pred.window_start, pred.window_end):
        return 0.0
    s = similarity(gold.event, pred.event)
    return s if s >= EVENT_OK else 0.0


def risks_match(gold: Risk, pred: Risk) -> float:
    s = similarity(gold.description, pred.description)
    if s >= RISK_OK:
        return s
    e = fuzz.ratio(normalize_ws(gold.evidence), normalize_ws(pred.evidence)) / 100.0
    return e if e >= EVIDENCE_SAME else 0.0


def greedy_match(n_gold: int, n_pred: int, score: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """One-to-one pairs, best score first (ties by lower indices)."""
    pairs = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for (i, j), s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if s > 0 and i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return pairs


def score_catalysts(gold: list[Catalyst], pred: list[Catalyst]) -> tuple[PRF, list[tuple[int, int]]]:
    scores = {(i, j): catalysts_match(g, p) for i, g in enumerate(gold) for j, p in enumerate(pred)}
    pairs = greedy_match(len(gold), len(pred), scores)
    return PRF(len(pairs), len(pred), len(gold)), pairs


def score_risks(gold: list[Risk], pred: list[Risk]) -> tuple[PRF, list[tuple[int, int]]]:
    scores = {(i, j): risks_match(g, p) for i, g in enumerate(gold) for j, p in enumerate(pred)}
    pairs = greedy_match(len(gold), len(pred), scores)
    return PRF(len(pairs), len(pred), len(gold)), pairs


def thesis_similarity(gold: str, pred: str) -> float:
    return similarity(gold, pred)


def evidence_verbatim(pred: Brief, article: str) -> tuple[int, int]:
    """(quotes found verbatim in the article, quotes) over metrics, risks and catalysts."""
    quotes = (
        [m.evidence for m in pred.metrics] + [r.evidence for r in pred.risks] + [c.evidence for c in pred.catalysts]
    )
    return sum(contains_verbatim(article, q) for q in quotes), len(quotes)


def numbers_in_article(pred: Brief, article: str) -> tuple[int, int]:
    """(predicted metric values found among the article's numbers, predicted values). The article's
    numbers are its digits with their scale words, and the figures written in words ("eight
    analysts", "more than tripled")."""
    from ..draft import split_sentences
    from ..figures import figures_in

    available = scaled_numbers_in(article)
    for sentence in split_sentences(article):
        available += [v for f in figures_in(sentence) for v in (f.value, f.value_high) if v is not None]
    values = [v for m in pred.metrics for v in (m.value, m.value_high) if v is not None]
    return sum(any(close(abs(v), a) for a in available) for v in values), len(values)
