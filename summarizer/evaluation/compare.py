"""Differences that are real: each figure's interval by bootstrap over the cases, a paired bootstrap
test between two reports of the same cases, and the cases behind every difference.

A figure over 33 cases moves by 0.03 when one case flips, so a difference is stated with its 95%
interval: the figure is recomputed on `RESAMPLES` resamples of the cases (drawn with replacement, the
same draws for both reports when paired) and the interval holds the middle 95% of the results. A
drop is significant when its interval excludes zero. The cases behind a difference are those whose
own change moves the figure: each is put back to its baseline scores in turn and the figure
recomputed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from .report import CaseScore, Report
from .scoring import LOWER_IS_BETTER, totals_of

RESAMPLES = 1000
LEVEL = 0.95
SEED = 20261202  # resamples are drawn the same way on every run: the same reports give the same verdict
EPS = 1e-9
# Cost figures the baseline sets a ceiling on; latency only when both runs called a model.
COST_CEILINGS = ("cost.prompt_tokens_mean", "cost.completion_tokens_mean", "cost.attempts_mean")
LATENCY = "cost.latency_s_mean"
LATENCY_SLACK_S = 1.0  # latency differences below this are noise, whatever the baseline
REPLAYED = "cassettes"


def better_when(key: str) -> str:
    """ "lower" or "higher": the direction in which the figure `key` is better."""
    return "lower" if key in LOWER_IS_BETTER else "higher"


def _quantiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    tail = (1 - LEVEL) / 2
    lo = values[int(tail * (len(values) - 1))]
    hi = values[round((1 - tail) * (len(values) - 1))]
    return round(lo, 4), round(hi, 4)


def _draws(n: int) -> list[list[int]]:
    rng = random.Random(SEED)
    return [[rng.randrange(n) for _ in range(n)] for _ in range(RESAMPLES)]


def bootstrap_intervals(cases: Sequence[CaseScore]) -> dict[str, tuple[float, float]]:
    """Each headline figure's 95% interval over resamples of the cases."""
    if not cases:
        return {}
    samples: dict[str, list[float]] = {}
    for draw in _draws(len(cases)):
        for key, value in totals_of([cases[i] for i in draw]).items():
            samples.setdefault(key, []).append(value)
    return {k: _quantiles(v) for k, v in samples.items()}


@dataclass
class Difference:
    """One figure of two reports over their common cases."""

    key: str
    a: float
    b: float
    low: float  # the 95% interval of b - a
    high: float
    p: float  # two-sided paired bootstrap p-value of "no difference"
    better_cases: list[str] = field(default_factory=list)
    worse_cases: list[str] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return round(self.b - self.a, 4)

    @property
    def better(self) -> str:
        return better_when(self.key)

    @property
    def worse(self) -> bool:
        return self.delta < -EPS if self.better == "higher" else self.delta > EPS

    @property
    def improved(self) -> bool:
        return self.delta > EPS if self.better == "higher" else self.delta < -EPS

    @property
    def significant(self) -> bool:
        return self.low > EPS or self.high < -EPS

    def describe(self) -> str:
        arrow = "↑" if self.better == "higher" else "↓"
        text = (
            f"{self.key} ({arrow} better) {self.a:.4f} → {self.b:.4f} ({self.delta:+.4f}, 95% interval "
            f"[{self.low:+.4f}, {self.high:+.4f}], p={self.p:.2f})"
        )
        if self.worse_cases:
            text += f"; worse in {_names(self.worse_cases)}"
        if self.better_cases:
            text += f"; better in {_names(self.better_cases)}"
        return text


def _names(ids: list[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


@dataclass
class Comparison:
    """Report B (the candidate) against report A (the baseline), paired on their common cases."""

    a: Report
    b: Report
    common: list[str]
    only_a: list[str]
    only_b: list[str]
    differences: list[Difference]
    gold_edited: list[str]  # common cases whose gold label differs between the two reports
    identity: dict[str, tuple[str, str]]  # what decided the figures and differs: name -> (a, b)

    def difference(self, key: str) -> Difference | None:
        return next((d for d in self.differences if d.key == key), None)

    def regressions(self, tolerance: float = 0.0, cost_tolerance: float = 0.1) -> list[Difference]:
        """Quality figures worse beyond their interval and by more than `tolerance`; cost figures with a
        ceiling (tokens, calls, and latency, which is compared only when neither run is a replay) worse
        beyond their interval and by more than `cost_tolerance` of the baseline's."""
        out = []
        for d in self.differences:
            if not (d.worse and d.significant):
                continue
            if d.key.startswith("cost."):
                slack = LATENCY_SLACK_S if d.key == LATENCY else 0.0
                if d.key in (*COST_CEILINGS, LATENCY) and abs(d.delta) > max(cost_tolerance * abs(d.a), slack) + EPS:
                    out.append(d)
            elif abs(d.delta) > tolerance + EPS:
                out.append(d)
        return out

    def not_significant(self) -> list[Difference]:
        """Figures that moved (either way) within their interval."""
        return [d for d in self.differences if (d.worse or d.improved) and not d.significant]

    def cases_by_scorer(self) -> dict[str, tuple[list[str], list[str]]]:
        """For every scorer (the group of its figures): the cases that improved and those that got
        worse on any of its figures."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        for d in self.differences:
            better, worse = out.setdefault(d.key.split(".", 1)[0], ([], []))
            better += [c for c in d.better_cases if c not in better]
            worse += [c for c in d.worse_cases if c not in worse]
        return out

    def what_changed(self) -> str:
        """What decided the figures and differs between the reports: "prompt a → b; code c → d"."""
        return "; ".join(f"{k} {a} → {b}" for k, (a, b) in self.identity.items() if k != "cases") or "nothing"

    def warnings(self) -> list[str]:
        """What makes the two reports less than comparable, one line each."""
        out = []
        if self.only_a or self.only_b:
            out.append(
                f"different case sets: compared on the {len(self.common)} common cases"
                + (f"; only in the baseline: {_names(self.only_a)}" if self.only_a else "")
                + (f"; only in the candidate: {_names(self.only_b)}" if self.only_b else "")
            )
        if self.gold_edited:
            out.append(f"gold label edited since the baseline: {_names(self.gold_edited)}")
        return out


def influence(a_cases: dict[str, CaseScore], b_cases: list[CaseScore], key: str, total: float) -> dict[str, float]:
    """How much each case's change moved the figure `key`: B's total minus B's total with that case put
    back to its scores in A."""
    out = {}
    for i, case in enumerate(b_cases):
        if case.scores == a_cases[case.id].scores:
            continue
        restored = [*b_cases[:i], a_cases[case.id], *b_cases[i + 1 :]]
        value = totals_of(restored).get(key)
        if value is not None:
            out[case.id] = total - value
    return out


def identity_of(report: Report) -> dict[str, str]:
    """What decided the report's figures; for reports that predate the record, what their options tell."""
    o = report.options
    told = {"prompt": f"{o.prompt}@{o.prompt_version}", "model": o.model, "endpoint": o.endpoint,
            "strategy": o.strategy, "code": o.code_version or "unknown"}  # fmt: skip
    return told | report.identity


def compare_reports(a: Report, b: Report) -> Comparison:
    """B against A over their common cases: each common figure's difference with its paired interval,
    p-value and the cases behind it."""
    a_by_id = {c.id: c for c in a.cases}
    b_by_id = {c.id: c for c in b.cases}
    common = [c.id for c in b.cases if c.id in a_by_id]
    ca = [a_by_id[i] for i in common]
    cb = [b_by_id[i] for i in common]
    ta, tb = totals_of(ca), totals_of(cb)
    replayed = REPLAYED in (a.options.endpoint, b.options.endpoint)
    keys = [k for k in ta if k in tb and not (replayed and k == LATENCY)]  # a replay's latency is no model's
    deltas: dict[str, list[float]] = {k: [] for k in keys}
    if common:
        for draw in _draws(len(common)):
            ra, rb = totals_of([ca[i] for i in draw]), totals_of([cb[i] for i in draw])
            for k in keys:
                if k in ra and k in rb:
                    deltas[k].append(rb[k] - ra[k])
    differences = []
    for k in keys:
        low, high = _quantiles(deltas[k]) if deltas[k] else (0.0, 0.0)
        n = len(deltas[k]) or 1
        p = min(1.0, 2 * min(sum(d <= EPS for d in deltas[k]) / n, sum(d >= -EPS for d in deltas[k]) / n))
        d = Difference(key=k, a=round(ta[k], 4), b=round(tb[k], 4), low=low, high=high, p=round(p, 3))
        if d.worse or d.improved:
            moved = influence(a_by_id, cb, k, tb[k])
            up = [c for c, v in moved.items() if v > EPS]
            down = [c for c, v in moved.items() if v < -EPS]
            d.better_cases, d.worse_cases = (up, down) if d.better == "higher" else (down, up)
        differences.append(d)
    ia, ib = identity_of(a), identity_of(b)
    identity = {
        k: (ia.get(k, "unknown"), ib.get(k, "unknown")) for k in sorted(set(ia) | set(ib)) if ia.get(k) != ib.get(k)
    }
    gold_edited = [i for i in common if a_by_id[i].gold and b_by_id[i].gold and a_by_id[i].gold != b_by_id[i].gold]
    return Comparison(
        a=a,
        b=b,
        common=common,
        only_a=[c.id for c in a.cases if c.id not in b_by_id],
        only_b=[c.id for c in b.cases if c.id not in a_by_id],
        differences=differences,
        gold_edited=gold_edited,
        identity=identity,
    )


def cases_pulling_down(report: Report, key: str, most: int = 5) -> list[str]:
    """The cases without which the figure `key` would be best (leave-one-out), worst first."""
    cases = report.cases
    if key not in report.totals or len(cases) < 2:
        return []
    total = report.totals[key]
    lift = {}
    for i, c in enumerate(cases):
        value = totals_of([*cases[:i], *cases[i + 1 :]]).get(key)
        if value is not None:
            lift[c.id] = (value - total) if better_when(key) == "higher" else (total - value)
    return [c for c, v in sorted(lift.items(), key=lambda kv: -kv[1]) if v > EPS][:most]
