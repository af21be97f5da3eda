"""Score a run against gold and render the report: terminal table, JSON, Markdown, HTML."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, Field

from ..schema import Brief
from . import scoring
from .dataset import Case
from .judge import JudgeResult
from .runner import CaseResult, RunFile, RunOptions

Judge = Callable[[Case, str], JudgeResult]

REPORT_FORMAT_VERSION = 1

# Figures where lower is better; every other headline figure is better when higher.
LOWER_IS_BETTER = {
    "cost.latency_s_mean",
    "cost.prompt_tokens_mean",
    "cost.completion_tokens_mean",
    "cost.attempts_mean",
}


class CaseScore(BaseModel):
    id: str
    status: str
    error: str | None = None
    metrics_matched: int = 0
    metrics_predicted: int = 0
    metrics_gold: int = 0
    metric_pairs: list[tuple[int, int]] = Field(default_factory=list)
    catalysts_matched: int = 0
    catalysts_predicted: int = 0
    catalysts_gold: int = 0
    risks_matched: int = 0
    risks_predicted: int = 0
    risks_gold: int = 0
    thesis_similarity: float = 0.0
    judge_score: int | None = None
    judge_reasons: str | None = None
    stance_ok: bool = False
    evidence_verbatim: tuple[int, int] = (0, 0)
    numbers_in_article: tuple[int, int] = (0, 0)
    latency_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 0


class Report(BaseModel):
    version: int = REPORT_FORMAT_VERSION
    run_created: str
    dataset: str
    options: RunOptions
    cases_total: int
    cases_scored: int
    totals: dict[str, float]
    cases: list[CaseScore]


def _rate(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _share(pairs: list[tuple[int, int]]) -> float:
    n = sum(b for _, b in pairs)
    return sum(a for a, _ in pairs) / n if n else 1.0


def score_case(case: Case, result: CaseResult) -> tuple[CaseScore, scoring.MetricScore | None]:
    gold = case.gold
    assert gold is not None
    pred = result.prediction
    cs = CaseScore(
        id=case.id, status=result.status, error=result.error, latency_s=result.latency_s,
        prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens, attempts=result.attempts,
        metrics_gold=len(gold.metrics), catalysts_gold=len(gold.catalysts), risks_gold=len(gold.risks),
    )  # fmt: skip
    if pred is None:
        return cs, None
    m = scoring.score_metrics(gold.metrics, pred.metrics)
    c, _ = scoring.score_catalysts(gold.catalysts, pred.catalysts)
    r, _ = scoring.score_risks(gold.risks, pred.risks)
    cs.metrics_matched, cs.metrics_predicted, cs.metric_pairs = m.prf.matched, m.prf.predicted, m.pairs
    cs.catalysts_matched, cs.catalysts_predicted = c.matched, c.predicted
    cs.risks_matched, cs.risks_predicted = r.matched, r.predicted
    cs.thesis_similarity = round(scoring.thesis_similarity(gold.thesis, pred.thesis), 4)
    cs.stance_ok = gold.stance == pred.stance
    cs.evidence_verbatim = scoring.evidence_verbatim(pred, case.article.text)
    cs.numbers_in_article = scoring.numbers_in_article(pred, case.article.text)
    return cs, m


def score_run(run: RunFile, cases: list[Case], judge: Judge | None = None) -> Report:
    """Score every case of the run that has gold; cases with no prediction count as predicting nothing.

    `judge(case, predicted_thesis)`, when given, grades each predicted thesis 1-5 with its reasons."""
    by_id = {c.id: c for c in cases}
    scored: list[CaseScore] = []
    metric_prf = scoring.PRF()
    cat_prf = scoring.PRF()
    risk_prf = scoring.PRF()
    names: list[float] = []
    kind: list[bool] = []
    period: list[bool] = []
    qualifier: list[bool] = []
    for result in run.cases:
        case = by_id.get(result.id)
        if case is None or case.gold is None:
            continue
        cs, m = score_case(case, result)
        if judge is not None and result.prediction is not None:
            verdict = judge(case, result.prediction.thesis)
            cs.judge_score, cs.judge_reasons = verdict.score, verdict.reasons
        scored.append(cs)
        metric_prf += scoring.PRF(cs.metrics_matched, cs.metrics_predicted, cs.metrics_gold)
        cat_prf += scoring.PRF(cs.catalysts_matched, cs.catalysts_predicted, cs.catalysts_gold)
        risk_prf += scoring.PRF(cs.risks_matched, cs.risks_predicted, cs.risks_gold)
        if m is not None:
            names += m.name_similarity
            kind += m.kind_ok
            period += m.period_ok
            qualifier += m.qualifier_ok
    n = len(scored) or 1
    valid = [c for c in scored if c.status == "ok"]
    totals = {
        "schema.valid_rate": len(valid) / n,
        "metrics.precision": metric_prf.precision,
        "metrics.recall": metric_prf.recall,
        "metrics.f1": metric_prf.f1,
        "metrics.name_similarity": statistics.fmean(names) if names else 0.0,
        "metrics.name_rate": _rate([s >= scoring.NAME_OK for s in names]),
        "metrics.kind_rate": _rate(kind),
        "metrics.period_rate": _rate(period),
        "metrics.qualifier_rate": _rate(qualifier),
        "catalysts.precision": cat_prf.precision,
        "catalysts.recall": cat_prf.recall,
        "catalysts.f1": cat_prf.f1,
        "risks.precision": risk_prf.precision,
        "risks.recall": risk_prf.recall,
        "risks.f1": risk_prf.f1,
        "thesis.similarity": sum(c.thesis_similarity for c in scored) / n,
        "stance.accuracy": sum(c.stance_ok for c in scored) / n,
        **_judge_total(scored, judged=judge is not None),
        "faithfulness.evidence_verbatim": _share([c.evidence_verbatim for c in valid]),
        "faithfulness.numbers_in_article": _share([c.numbers_in_article for c in valid]),
        "cost.latency_s_mean": statistics.fmean(c.latency_s for c in scored) if scored else 0.0,
        "cost.prompt_tokens_mean": statistics.fmean(c.prompt_tokens for c in scored) if scored else 0.0,
        "cost.completion_tokens_mean": statistics.fmean(c.completion_tokens for c in scored) if scored else 0.0,
        "cost.attempts_mean": statistics.fmean(c.attempts for c in scored) if scored else 0.0,
    }
    return Report(
        run_created=run.created,
        dataset=run.dataset,
        options=run.options,
        cases_total=len(run.cases),
        cases_scored=len(scored),
        totals={k: round(v, 4) for k, v in totals.items()},
        cases=scored,
    )


def _judge_total(scored: list[CaseScore], *, judged: bool) -> dict[str, float]:
    """Mean judge score scaled to 0..1 (a case without a prediction scores 0); absent when no judge ran."""
    if not judged:
        return {}
    scaled = [(c.judge_score - 1) / 4 if c.judge_score else 0.0 for c in scored]
    return {"thesis.judge_score": sum(scaled) / (len(scaled) or 1)}


# ---- rendering -------------------------------------------------------------------------------

_GROUPS = ["schema", "metrics", "catalysts", "risks", "thesis", "stance", "faithfulness", "cost"]


def grouped(totals: dict[str, float]) -> list[tuple[str, list[tuple[str, float]]]]:
    out = []
    for g in _GROUPS:
        rows = [(k.split(".", 1)[1], v) for k, v in totals.items() if k.split(".", 1)[0] == g]
        if rows:
            out.append((g, rows))
    return out


def _fmt(key: str, v: float) -> str:
    return f"{v:.1f}" if key.startswith(("latency", "prompt_tokens", "completion_tokens")) else f"{v:.3f}"


def to_markdown(report: Report) -> str:
    o = report.options
    lines = [
        f"# Eval report: {report.dataset}",
        "",
        f"Model `{o.model}` via {o.endpoint}, strategy `{o.strategy}`, prompt `{o.prompt}` version "
        f"`{o.prompt_version}`, up to {o.max_attempts} attempts. {report.cases_scored} cases scored; run of "
        f"{report.run_created}.",
        "",
        "| field | figure | value |",
        "|---|---|---|",
    ]
    for group, rows in grouped(report.totals):
        for name, v in rows:
            lines.append(f"| {group} | {name} | {_fmt(name, v)} |")
    lines += [
        "",
        "## Cases",
        "",
        "| case | status | metrics matched/pred/gold | catalysts | risks | thesis sim | stance | s | tokens in/out | attempts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in report.cases:
        lines.append(
            f"| {c.id} | {c.status} | {c.metrics_matched}/{c.metrics_predicted}/{c.metrics_gold} | "
            f"{c.catalysts_matched}/{c.catalysts_predicted}/{c.catalysts_gold} | "
            f"{c.risks_matched}/{c.risks_predicted}/{c.risks_gold} | {c.thesis_similarity:.2f} | "
            f"{'ok' if c.stance_ok else '–'} | {c.latency_s:.0f} | {c.prompt_tokens}/{c.completion_tokens} | {c.attempts} |"
        )
    failures = [c for c in report.cases if c.error]
    if failures:
        lines += ["", "## Failures", ""]
        for c in failures:
            lines.append(f"- **{c.id}** ({c.status}): {(c.error or '')[:300]}")
    return "\n".join(lines) + "\n"


def print_table(report: Report, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(stderr=False)
    table = Table(title=f"{report.dataset}: {report.cases_scored} cases, {report.options.model}")
    table.add_column("field")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for group, rows in grouped(report.totals):
        for i, (name, v) in enumerate(rows):
            table.add_row(group if i == 0 else "", name, _fmt(name, v))
        table.add_section()
    console.print(table)


_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    (Path(__file__).parent / "report.html.j2").read_text(encoding="utf-8")
)


def to_html(report: Report, run: RunFile, cases: list[Case]) -> str:
    """A self-contained page: totals, then each case with gold and predicted figures side by side."""
    by_id = {c.id: c for c in cases}
    results = {r.id: r for r in run.cases}
    views = []
    for cs in report.cases:
        case = by_id[cs.id]
        gold: Brief = case.gold  # type: ignore[assignment]
        pred = results[cs.id].prediction
        pred_of_gold = dict(cs.metric_pairs)
        rows = []
        for i, g in enumerate(gold.metrics):
            j = pred_of_gold.get(i)
            rows.append({"gold": g, "pred": pred.metrics[j] if (pred and j is not None) else None})
        matched_preds = {j for _, j in cs.metric_pairs}
        extra = [p for j, p in enumerate(pred.metrics) if j not in matched_preds] if pred else []
        views.append({"score": cs, "case": case, "gold": gold, "pred": pred, "rows": rows, "extra": extra})
    return _HTML.render(report=report, groups=grouped(report.totals), views=views, fmt=_fmt)
