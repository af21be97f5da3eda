"""Scorers: small named objects, each turning one case (gold, prediction, article, run facts) into
its own per-case figures and a run's cases into headline totals. `SCORERS` lists them in report
order; adding a measure is adding one scorer there. `score_run()` scores a whole run with them.

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
- Rules checked without gold: the share of predicted catalysts whose event is a sentence rather than
  a name (`catalysts.sentence_events`), and of predicted risks whose description another risk of the
  same brief already gives (`risks.shared_descriptions`); both better lower.
- Thesis: token-set similarity to the gold thesis, 0..1.
- Faithfulness (against the article, not gold): share of predicted evidence quotes found verbatim,
  and share of predicted metric values that appear among the article's numbers (scale words applied,
  numbers written in words included).
"""

from __future__ import annotations

import hashlib
import statistics
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from ..finding import printed_numbers
from ..finding.events import sentence_like
from ..finding.sentences import split_sentences
from ..schema import FIELDS, Brief, Catalyst, Metric, Risk
from ..text import close, contains_verbatim, normalize_ws, similarity
from .judge import JudgeResult
from .report import CaseScore, Report

if TYPE_CHECKING:
    from .dataset import Case
    from .runner import CaseResult, RunFile

NAME_OK = 0.6
EVENT_OK = 0.5
RISK_OK = 0.5
EVIDENCE_SAME = 0.9


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


def periods_agree(gold: Metric, pred: Metric) -> bool:
    """The spec's period agreement: the windows overlap by at least half of the longer one, or both
    are null."""
    g, p = (gold.period_start, gold.period_end), (pred.period_start, pred.period_end)
    if g[0] is None or g[1] is None or p[0] is None or p[1] is None:
        return g[0] is None and p[0] is None
    overlap = (min(g[1], p[1]) - max(g[0], p[0])).days + 1
    longer = max((g[1] - g[0]).days, (p[1] - p[0]).days) + 1
    return overlap >= longer / 2


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
        out.period_ok.append(periods_agree(g, p))
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
    """(predicted metric values found among the numbers the article prints, predicted values)."""
    available = printed_numbers(split_sentences(article))
    values = [v for m in pred.metrics for v in (m.value, m.value_high) if v is not None]
    return sum(any(close(abs(v), a) for a in available) for v in values), len(values)


# ---- scorers ---------------------------------------------------------------------------------

Figures = dict[str, Any]  # one scorer's per-case figures (JSON-able)


class Scorer(ABC):
    """One measure: per-case figures, then totals over the scored cases."""

    name: str  # the group of its figures in the totals ("metrics" gives "metrics.f1", ...)

    @abstractmethod
    def case(self, case: Case, result: CaseResult) -> Figures:
        """This measure's figures for one case (its prediction may be missing)."""

    @abstractmethod
    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        """Headline figures ("group.figure": value) over every scored case; `valid[i]` tells whether
        case i produced a valid brief."""


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


class SchemaValidity(Scorer):
    name = "schema"

    def case(self, case: Case, result: CaseResult) -> Figures:
        return {"valid": result.status == "ok"}

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        return {"schema.valid_rate": _rate([c["valid"] for c in cases])}


def _prf_totals(group: str, cases: Sequence[Figures]) -> dict[str, float]:
    prf = sum((PRF(c["matched"], c["predicted"], c["gold"]) for c in cases), PRF())
    return {f"{group}.precision": prf.precision, f"{group}.recall": prf.recall, f"{group}.f1": prf.f1}


class Metrics(Scorer):
    """Figures matched by unit and value; over matched pairs, how right the name, kind, period and
    qualifier are."""

    name = "metrics"

    def case(self, case: Case, result: CaseResult) -> Figures:
        gold = case.gold.metrics if case.gold else []
        if result.prediction is None:
            return {"matched": 0, "predicted": 0, "gold": len(gold), "pairs": []}
        m = score_metrics(gold, result.prediction.metrics)
        return {
            "matched": m.prf.matched, "predicted": m.prf.predicted, "gold": m.prf.gold, "pairs": m.pairs,
            "name_similarity": m.name_similarity, "kind_ok": m.kind_ok, "period_ok": m.period_ok,
            "qualifier_ok": m.qualifier_ok,
        }  # fmt: skip

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        names = [s for c in cases for s in c.get("name_similarity", [])]

        def flags(key: str) -> list[bool]:
            return [f for c in cases for f in c.get(key, [])]

        return _prf_totals("metrics", cases) | {
            "metrics.name_similarity": _mean(names),
            "metrics.name_rate": _rate([s >= NAME_OK for s in names]),
            "metrics.kind_rate": _rate(flags("kind_ok")),
            "metrics.period_rate": _rate(flags("period_ok")),
            "metrics.qualifier_rate": _rate(flags("qualifier_ok")),
        }


class Matched(Scorer):
    """One list of the brief (catalysts, risks) matched one-to-one with gold by `match`; with the
    share of its items that break a rule no gold is needed to check (`defect`, named `defect_name`)."""

    def __init__(
        self,
        name: str,
        match: Callable[[list[Any], list[Any]], tuple[PRF, list[tuple[int, int]]]],
        defect_name: str,
        defect: Callable[[list[Any]], int],
    ) -> None:
        self.name = name
        self.match = match
        self.defect_name = defect_name
        self.defect = defect

    def case(self, case: Case, result: CaseResult) -> Figures:
        gold = getattr(case.gold, self.name) if case.gold else []
        pred = getattr(result.prediction, self.name) if result.prediction else []
        prf, pairs = self.match(gold, pred)
        return {"matched": prf.matched, "predicted": prf.predicted, "gold": prf.gold, "pairs": pairs,
                "defects": self.defect(pred)}  # fmt: skip

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        predicted = sum(c["predicted"] for c in cases)
        defects = sum(c.get("defects", 0) for c in cases)
        return _prf_totals(self.name, cases) | {f"{self.name}.{self.defect_name}": defects / (predicted or 1)}


def sentence_events(catalysts: list[Catalyst]) -> int:
    """Catalysts whose event is a sentence rather than a name (`finding.events.sentence_like`)."""
    return sum(sentence_like(c.event, c.evidence) for c in catalysts)


def shared_descriptions(risks: list[Risk]) -> int:
    """Risks whose description another risk of the same brief already gives."""
    seen: set[str] = set()
    repeated = 0
    for r in risks:
        key = normalize_ws(r.description).lower().strip(" .")
        repeated += key in seen
        seen.add(key)
    return repeated


class Thesis(Scorer):
    name = "thesis"

    def case(self, case: Case, result: CaseResult) -> Figures:
        if result.prediction is None or case.gold is None:
            return {"similarity": 0.0}
        return {"similarity": round(thesis_similarity(case.gold.thesis, result.prediction.thesis), 4)}

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        return {"thesis.similarity": sum(c["similarity"] for c in cases) / (len(cases) or 1)}


class StanceAccuracy(Scorer):
    name = "stance"

    def case(self, case: Case, result: CaseResult) -> Figures:
        ok = result.prediction is not None and case.gold is not None and case.gold.stance == result.prediction.stance
        return {"ok": ok}

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        return {"stance.accuracy": sum(c["ok"] for c in cases) / (len(cases) or 1)}


def _share(pairs: Sequence[Sequence[int]]) -> float:
    n = sum(b for _, b in pairs)
    return sum(a for a, _ in pairs) / n if n else 1.0


class Faithfulness(Scorer):
    """Against the article, not gold: quotes verbatim, values among the numbers it prints."""

    name = "faithfulness"

    def case(self, case: Case, result: CaseResult) -> Figures:
        if result.prediction is None:
            return {"evidence_verbatim": (0, 0), "numbers_in_article": (0, 0)}
        return {
            "evidence_verbatim": evidence_verbatim(result.prediction, case.article.text),
            "numbers_in_article": numbers_in_article(result.prediction, case.article.text),
        }

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        ok = [c for c, v in zip(cases, valid, strict=True) if v]
        return {
            "faithfulness.evidence_verbatim": _share([c["evidence_verbatim"] for c in ok]),
            "faithfulness.numbers_in_article": _share([c["numbers_in_article"] for c in ok]),
        }


class Cost(Scorer):
    name = "cost"

    def case(self, case: Case, result: CaseResult) -> Figures:
        return {
            "latency_s": result.latency_s, "prompt_tokens": result.prompt_tokens,
            "evaluated_tokens": result.prompt_tokens - result.cached_tokens,
            "completion_tokens": result.completion_tokens, "attempts": result.attempts,
        }  # fmt: skip

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        keys = ("latency_s", "prompt_tokens", "completion_tokens", "attempts")
        out = {f"cost.{k}_mean": _mean([c.get(k, 0) for c in cases]) for k in keys}
        # Prompt tokens the endpoint evaluated (not from its cache); a case scored before they were
        # recorded counts its whole prompt.
        out["cost.evaluated_tokens_mean"] = _mean(
            [c.get("evaluated_tokens", c.get("prompt_tokens")) or 0 for c in cases]
        )
        return out


DECISIONS = ("metrics", "risks", "catalysts", "stance")
# The decided fields, as "<items>_<field>" in the calibration figures ("metrics_kind").
FIELD_NAMES = tuple(f"{group}_{f}" for group, fields in FIELDS.items() for f in fields)
# Confidence bands of the calibration figures: [low, high) in percent; "none" holds fields without one.
BANDS = ((0, 50), (50, 80), (80, 95), (95, 101))


def _band(confidence: float | None) -> str:
    if confidence is None:
        return "none"
    lo, hi = next((lo, hi) for lo, hi in BANDS if confidence * 100 < hi)
    return f"{lo}_{min(hi, 100)}"


def fields_right(gold: Brief, pred: Brief) -> dict[str, list[dict[str, bool | None]]]:
    """Whether each decided field of each predicted item is right, in the brief's order; None where
    the field has nothing to be right about (the name of a figure gold does not hold).

    A metric's figure is right when gold holds it (the spec's match), its name, kind and period as the
    metric scorer agrees them. A risk is right when it matches a gold risk, its category when it
    equals that risk's. A catalyst's event is right when it names a gold catalyst's event (similar
    enough, whatever the timing), its window when it agrees with that catalyst's."""
    m = score_metrics(gold.metrics, pred.metrics)
    metrics: list[dict[str, bool | None]] = [
        {"figure": False, "name": None, "kind": None, "period": None} for _ in pred.metrics
    ]
    for (_, j), name, kind, period in zip(m.pairs, m.name_similarity, m.kind_ok, m.period_ok, strict=True):
        metrics[j] = {"figure": True, "name": name >= NAME_OK, "kind": kind, "period": period}
    risks: list[dict[str, bool | None]] = [{"risk": False, "category": None} for _ in pred.risks]
    for i, j in score_risks(gold.risks, pred.risks)[1]:
        risks[j] = {"risk": True, "category": gold.risks[i].category == pred.risks[j].category}
    catalysts: list[dict[str, bool | None]] = [{"event": False, "window": None} for _ in pred.catalysts]
    events = {
        (i, j): s
        for i, g in enumerate(gold.catalysts)
        for j, p in enumerate(pred.catalysts)
        if (s := similarity(g.event, p.event)) >= EVENT_OK
    }
    for i, j in greedy_match(len(gold.catalysts), len(pred.catalysts), events):
        g, p = gold.catalysts[i], pred.catalysts[j]
        catalysts[j] = {
            "event": True,
            "window": windows_compatible(g.window_start, g.window_end, p.window_start, p.window_end),
        }
    return {
        "metrics": metrics,
        "risks": risks,
        "catalysts": catalysts,
        "stance": [{"stance": pred.stance == gold.stance}],
    }


def field_checks(pred: Brief) -> dict[str, list[dict[str, tuple[float | None, bool]]]]:
    """Each item's fields as (confidence, review): its own per-field checks, or, for a brief that
    gives none, the item's confidence and flag on each field."""
    out: dict[str, list[dict[str, tuple[float | None, bool]]]] = {}
    for group in ("metrics", "risks", "catalysts"):
        out[group] = [
            {f: (c.confidence, c.review) for f, c in x.checks.items()}
            or {f: (x.confidence, x.review) for f in FIELDS[group]}
            for x in getattr(pred, group)
        ]
    out["stance"] = [{"stance": (pred.stance_confidence, pred.stance_review)}]
    return out


class Calibration(Scorer):
    """Whether the brief's review flags and confidences can be trusted, per decided field (a metric's
    figure, name, kind and period; a risk and its category; a catalyst's event and window; the
    stance) and over every field: the accuracy of the fields not flagged (absent when every one is
    flagged), the share flagged, and the accuracy by confidence band. A field gold cannot judge (the
    name of a figure gold does not hold) is left out."""

    name = "calibration"

    def case(self, case: Case, result: CaseResult) -> Figures:
        gold, pred = case.gold, result.prediction
        if gold is None or pred is None:
            return {"items": []}
        right, checks = fields_right(gold, pred), field_checks(pred)
        items: list[tuple[str, float | None, bool, bool]] = []
        for group in DECISIONS:
            for rights, item in zip(right[group], checks[group], strict=True):
                for f, ok in rights.items():
                    if ok is not None and f in item:
                        items.append((f"{group}_{f}", item[f][0], item[f][1], ok))
        return {"items": items}

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        every = [(x[0], _band(x[1]), x[2], x[3]) for c in cases for x in c["items"]]
        out: dict[str, float] = {}
        for name in (*FIELD_NAMES, "fields"):
            items = [x for x in every if name in ("fields", x[0])]
            if not items:
                continue
            kept = [x[3] for x in items if not x[2]]
            if kept:  # with every field flagged there is no accuracy to state
                out[f"calibration.{name}.unflagged_accuracy"] = _rate(kept)
            out[f"calibration.{name}.flagged_share"] = _rate([x[2] for x in items])
            for band in sorted({x[1] for x in items}):
                out[f"calibration.{name}.accuracy_band_{band}"] = _rate([x[3] for x in items if x[1] == band])
        return out


SCORERS: tuple[Scorer, ...] = (
    SchemaValidity(), Metrics(), Matched("catalysts", score_catalysts, "sentence_events", sentence_events),
    Matched("risks", score_risks, "shared_descriptions", shared_descriptions), Thesis(), StanceAccuracy(),
    Calibration(), Faithfulness(), Cost(),
)  # fmt: skip
# Figures where lower is better; every other headline figure is better when higher.
LOWER_IS_BETTER = frozenset({
    "cost.latency_s_mean", "cost.prompt_tokens_mean", "cost.evaluated_tokens_mean", "cost.completion_tokens_mean",
    "cost.attempts_mean", "catalysts.sentence_events", "risks.shared_descriptions",
    *(f"calibration.{d}.flagged_share" for d in (*FIELD_NAMES, "fields")),
})  # fmt: skip


Judge = Callable[["Case", str], JudgeResult]


class JudgeScore(Scorer):
    """An LLM judge's 1-5 grade of each predicted thesis, with its reasons; 0..1 in the totals
    (a JudgeScore without a judge only adds up figures already graded)."""

    name = "judge"

    def __init__(self, judge: Judge | None = None) -> None:
        self.judge = judge

    def case(self, case: Case, result: CaseResult) -> Figures:
        if result.prediction is None or self.judge is None:
            return {"score": None, "reasons": None}
        verdict = self.judge(case, result.prediction.thesis)
        return {"score": verdict.score, "reasons": verdict.reasons}

    def totals(self, cases: Sequence[Figures], valid: Sequence[bool]) -> dict[str, float]:
        scaled = [(c["score"] - 1) / 4 if c["score"] else 0.0 for c in cases]
        return {"thesis.judge_score": sum(scaled) / (len(scaled) or 1)}


def _scorers(judge: JudgeScore | None) -> list[Scorer]:
    scorers = list(SCORERS)
    if judge is not None:
        scorers.insert(next(i for i, s in enumerate(scorers) if s.name == "faithfulness"), judge)
    return scorers


def totals_of(cases: Sequence[CaseScore]) -> dict[str, float]:
    """The headline figures over these scored cases (any subset or resample of a report's)."""
    judged = any("judge" in c.scores for c in cases)
    valid = [c.status == "ok" for c in cases]
    totals: dict[str, float] = {}
    for s in _scorers(JudgeScore() if judged else None):
        totals |= s.totals([c.scores[s.name] for c in cases], valid)
    return totals


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def score_run(run: RunFile, cases: list[Case], judge: Judge | None = None) -> Report:
    """Score every case of the run that has gold with every scorer (and the judge, when given);
    cases with no prediction count as predicting nothing. Each figure gets its bootstrap interval."""
    from .compare import bootstrap_intervals

    scorers = _scorers(JudgeScore(judge) if judge is not None else None)
    by_id = {c.id: c for c in cases}
    scored: list[CaseScore] = []
    for result in run.cases:
        case = by_id.get(result.id)
        if case is None or case.gold is None:
            continue
        figures = {s.name: s.case(case, result) for s in scorers}
        scored.append(
            CaseScore(
                id=case.id,
                status=result.status,
                error=result.error,
                error_type=result.error_type,
                gold=case.gold_digest,
                scores=figures,
            )
        )
    o = run.options
    return Report(
        run_created=run.created,
        dataset=run.dataset,
        options=o,
        cases_total=len(run.cases),
        cases_scored=len(scored),
        totals={k: round(v, 4) for k, v in totals_of(scored).items()},
        intervals=bootstrap_intervals(scored),
        identity={
            "gold": _digest([f"{c.id}:{c.gold}" for c in sorted(scored, key=lambda c: c.id)]),
            "cases": _digest(sorted(c.id for c in scored)),
            "code": o.code_version or "unknown",
            "prompt": f"{o.prompt}@{o.prompt_version}",
            "model": o.model,
            "endpoint": o.endpoint,
            "strategy": o.strategy,
            **_calibration_of(run),
        },
        cases=scored,
    )


def _calibration_of(run: RunFile) -> dict[str, str]:
    """The confidence table the run's briefs name ("none": uncalibrated), and whether it was fitted
    on the run's own dataset (then its calibration figures are in-sample, not held out)."""
    named = {c.prediction.calibration for c in run.cases if c.prediction is not None}
    if not named:
        return {}
    table = sorted(n or "none" for n in named)[0]
    fitted_here = f"fitted on {run.dataset} (" in table or f"fitted on {Path(run.dataset).name} (" in table
    return {"calibration": table, "calibration_in_sample": "yes" if fitted_here else "no"}
