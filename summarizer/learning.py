"""Decisions learned from labels: whether a sentence states a risk, whether it announces a catalyst,
and a risk's category, each a logistic regression over features of the sentence that code reads.

Every gold label is a set of training examples: each shown sentence of its article is a risk's
sentence or not (a gold risk quotes it), a catalyst's or not, and a risk's sentence has the gold
category. `train()` fits one model per decision on a labeled folder (scikit-learn, the `learn`
extra) and chooses, on probabilities held out by article (five folds), the probability from which a
sentence is taken (the best F1 there). The labels it was trained on are listed by digest, so that a
confidence table is never fitted in-sample on what the decisions chose (`evaluation.calibrate`). The fitted models are plain JSON, `{feature: weight}` per class, so using
them (`Decisions.probability`) needs no scikit-learn:

    {"features": "words-1", "dataset": ..., "cases": ..., "gold_digest": ..., "labels": [each label's digest],
     "code": ..., "created": ...,
     "decisions": {"risk": {"classes": [false, true], "intercept": [...], "weights": {"w=probe": [...]},
                             "threshold": 0.4, "held_out": {...}}, ...}}

A decisions file is looked up like a confidence table: `$SUMMARIZER_DECISIONS` (a file), else
`decisions.json` in the user's data folder (where `summarizer learn` writes), else the file shipped
with the package. Features are words of the sentence alone, no model's: the same file serves every
model.
"""

from __future__ import annotations

import collections
import itertools
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from .errors import InputError
from .text import normalize_ws, write_atomic

if TYPE_CHECKING:
    from .evaluation.dataset import Case
    from .finding import Findings

ENV = "SUMMARIZER_DECISIONS"
PACKAGED = ("summarizer.strategies.grounded", "decisions.json")
FEATURES = "words-1"
DECISIONS = ("risk", "catalyst", "category")
USED = ("risk", "catalyst")  # what the grounded strategy decides by them (a risk's category stays the model's)
C = 0.5  # inverse regularisation strength: few articles, many words
MIN_WEIGHT = 0.0005  # smaller weights are left out of the file (their sum moves a probability by < 0.01)
FOLDS = 5  # held-out probabilities: articles in this many groups


class DecisionsError(InputError):
    """A decisions file that cannot be read, or a folder that cannot train one."""


# -- features ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z][a-z'-]*|\d+(?:[.,]\d+)*%?|[$€£¥]")
_NEGATION = re.compile(r"\b(?:not|no|never|without|n't)\b", re.I)
_QUOTE = re.compile(r"[\"“”]")
_MODAL = re.compile(r"\b(?:could|may|might|would|should)\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|plans?|planned|expects?|expected|scheduled|slated|due|set to|aims?|intends?|pending|"
    r"subject to|upcoming|next|later)\b",
    re.I,
)


def _words(sentence: str) -> list[str]:
    out = []
    for w in _WORD.findall(sentence.lower()):
        out.append("<num>" if w[0].isdigit() else "<cur>" if w in "$€£¥" else w)
    return out


def article_features(found: Findings) -> dict[int, dict[str, float]]:
    """What a learned decision reads of each shown sentence of an article: its words and word pairs,
    and what code found in it (figures, timings, a word of trouble, a modal or future verb, a quote, a
    negation), with where it stands among the shown sentences."""
    from .finding.risks import risk_sentences

    shown = [k for k in range(len(found.sentences)) if k not in found.boilerplate]
    n_figures = collections.Counter(f.sentence for f in found.figures)
    timed = {t.sentence for t in found.timings}
    out = {}
    for rank, i in enumerate(shown):
        s = found.sentences[i]
        words = _words(s)
        feats: dict[str, float] = {}
        for w in words:
            feats[f"w={w}"] = 1.0
        for a, b in itertools.pairwise(words):
            feats[f"b={a}_{b}"] = 1.0
        feats["figures"] = min(n_figures[i], 4) / 4
        feats["timing"] = float(i in timed)
        feats["trouble"] = float(bool(risk_sentences([s])))
        feats["modal"] = float(bool(_MODAL.search(s)))
        feats["future"] = float(bool(_FUTURE.search(s)))
        feats["quote"] = float(bool(_QUOTE.search(s)))
        feats["negation"] = float(bool(_NEGATION.search(s)))
        feats["first"] = float(rank == 0)
        feats["position"] = rank / max(1, len(shown) - 1)
        feats["long"] = min(len(words), 60) / 60
        out[i] = feats
    return out


# -- using a fitted file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decisions:
    """Fitted decisions (the JSON above)."""

    data: dict[str, Any]

    def has(self, decision: str) -> bool:
        return decision in self.data.get("decisions", {})

    def probabilities(self, decision: str, feats: dict[str, float]) -> dict[Any, float]:
        """Each class's probability for one example."""
        model = self.data["decisions"][decision]
        classes, weights = model["classes"], model["weights"]
        scores = list(model["intercept"])
        for name, value in feats.items():
            for k, w in enumerate(weights.get(name, ())):
                scores[k] += w * value
        if len(classes) == 2 and len(scores) == 1:  # binary: one score for the second class
            p = 1 / (1 + math.exp(-scores[0]))
            return {classes[0]: 1 - p, classes[1]: p}
        top = max(scores)
        exp = [math.exp(x - top) for x in scores]
        return {c: e / sum(exp) for c, e in zip(classes, exp, strict=True)}

    def probability(self, decision: str, feats: dict[str, float]) -> float:
        """A yes/no decision's probability of yes."""
        return self.probabilities(decision, feats)[True]

    def threshold(self, decision: str) -> float:
        return float(self.data["decisions"][decision].get("threshold", 0.5))

    @property
    def name(self) -> str:
        return decisions_id(self.data)


def decisions_id(data: dict[str, Any]) -> str:
    """Fitted decisions as a run names them: features, the data they were fitted on and when."""
    return (
        f"{data.get('features')} fitted on {data.get('dataset')} ({data.get('cases')} articles, {data.get('created')})"
    )


def user_path() -> Path:
    """Where the user's decisions live (and `summarizer learn` writes)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    from platformdirs import user_data_dir

    return Path(user_data_dir("summarizer")) / "decisions.json"


@lru_cache(maxsize=8)
def _read(text: str, where: str) -> Decisions:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecisionsError(f"{where}: not a decisions file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), dict):
        raise DecisionsError(f"{where}: not a decisions file (no decisions)")
    return Decisions(data)


def load_decisions(path: Path | None = None) -> Decisions | None:
    """The user's fitted decisions, else the packaged ones; None when there are neither."""
    path = path or user_path()
    if path.is_file():
        return _read(path.read_text(encoding="utf-8"), str(path))
    if os.environ.get(ENV):
        raise DecisionsError(f"${ENV} names {path}, which is not a file")
    packaged = resources.files(PACKAGED[0]).joinpath(PACKAGED[1])
    return _read(packaged.read_text(encoding="utf-8"), PACKAGED[1]) if packaged.is_file() else None


# -- examples from labels ---------------------------------------------------------------------------


def same_sentence(evidence: str, sentence: str) -> bool:
    """Whether a label's evidence quotes this sentence (whole, or a long part of it)."""
    e, s = normalize_ws(evidence), normalize_ws(sentence)
    if len(e) >= 20 and (e in s or (len(s) >= 20 and s in e)):
        return True
    return fuzz.ratio(e, s) >= 90


@dataclass
class Example:
    case: str
    sentence: int
    feats: dict[str, float]
    risk: bool
    catalyst: bool
    category: str | None


def examples(cases: Sequence[Case]) -> list[Example]:
    """One example per shown sentence of every labeled article."""
    from .finding import find

    out = []
    for case in cases:
        if case.gold is None:
            continue
        found = find(case.article.text, case.article.published)
        for i, feats in article_features(found).items():
            s = found.sentences[i]
            risks = [r for r in case.gold.risks if same_sentence(r.evidence, s)]
            catalyst = any(same_sentence(k.evidence, s) for k in case.gold.catalysts)
            out.append(Example(case.id, i, feats, bool(risks), catalyst, risks[0].category if risks else None))
    return out


def _target(e: Example, decision: str) -> Any:
    return e.category if decision == "category" else getattr(e, decision)


def _rows(data: Sequence[Example], decision: str) -> list[Example]:
    return [e for e in data if e.category] if decision == "category" else list(data)


def fit_one(data: Sequence[Example], decision: str) -> dict[str, Any]:
    """One decision's logistic regression, as JSON weights."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise DecisionsError("training decisions needs scikit-learn: pip install 'summarizer[learn]'") from None
    rows = _rows(data, decision)
    y = [_target(e, decision) for e in rows]
    if len(set(y)) < 2:
        raise DecisionsError(f"the labels hold a single class for {decision}: nothing to learn")
    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([e.feats for e in rows])
    model = LogisticRegression(
        C=C, max_iter=500, class_weight="balanced", solver="liblinear" if decision != "category" else "lbfgs"
    )
    model.fit(x, y)
    coef = model.coef_
    names = vec.get_feature_names_out()
    weights = {
        str(n): [round(float(coef[k, j]), 5) for k in range(coef.shape[0])]
        for j, n in enumerate(names)
        if any(abs(coef[k, j]) >= MIN_WEIGHT for k in range(coef.shape[0]))
    }
    classes = [c.item() if hasattr(c, "item") else c for c in model.classes_]
    return {"classes": classes, "intercept": [round(float(b), 5) for b in model.intercept_], "weights": weights}


def held_out(data: Sequence[Example], decision: str, folds: int = FOLDS) -> list[tuple[Example, dict[Any, float]]]:
    """Each example's class probabilities from a model fitted without its article (`folds` groups of
    articles, each left out in turn)."""
    articles = sorted({e.case for e in data})
    out = []
    for k in range(min(folds, len(articles))):
        left = set(articles[k::folds])
        train = [e for e in data if e.case not in left]
        model = Decisions({"decisions": {decision: fit_one(train, decision)}})
        out += [(e, model.probabilities(decision, e.feats)) for e in _rows(data, decision) if e.case in left]
    return out


def best_threshold(scored: Sequence[tuple[bool, float]]) -> tuple[float, float]:
    """The probability from which a yes is taken that gives the best F1 on `scored` (truth,
    probability), and that F1."""
    best = (0.5, 0.0)
    for t in sorted({round(p, 3) for _, p in scored}):
        tp = sum(1 for y, p in scored if p >= t and y)
        taken = sum(1 for _, p in scored if p >= t)
        n = sum(1 for y, _ in scored if y)
        f1 = 2 * tp / (taken + n) if taken + n else 0.0
        if f1 > best[1]:
            best = (t, f1)
    return best


def train(cases: Sequence[Case], dataset: str, code: str = "", decisions: Sequence[str] = USED) -> dict[str, Any]:
    """The `decisions` fitted on the labeled cases, each with its threshold and held-out figures."""
    from .evaluation.dataset import labels_digest

    data = examples(cases)
    labeled = [c for c in cases if c.gold is not None]
    if len(labeled) < 2:
        raise DecisionsError(f"{dataset}: learning needs at least two labeled articles, it has {len(labeled)}")
    out: dict[str, Any] = {}
    for decision in decisions:
        model = fit_one(data, decision)
        scored = held_out(data, decision)
        if decision == "category":
            right = sum(max(p, key=lambda c: p[c]) == e.category for e, p in scored)
            model["held_out"] = {"accuracy": round(right / max(1, len(scored)), 4), "n": len(scored)}
        else:
            pairs = [(bool(_target(e, decision)), p[True]) for e, p in scored]
            t, f1 = best_threshold(pairs)
            model["threshold"] = t
            model["held_out"] = {"f1": round(f1, 4), "n": len(pairs), "positives": sum(y for y, _ in pairs)}
        out[decision] = model
    return {
        "features": FEATURES,
        "dataset": dataset,
        "cases": len(labeled),
        "gold_digest": labels_digest(labeled),
        "labels": sorted(c.gold_digest or "" for c in labeled),
        "code": code,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "decisions": out,
    }


def write_decisions(data: dict[str, Any], path: Path) -> Path:
    if path.is_dir():
        path = path / "decisions.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    return path
