"""The report of a scored run (per-case figures by scorer, headline totals) and its renderings:
terminal table, JSON, Markdown, HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, Field

from ..schema import Brief
from .dataset import Case
from .runner import RunFile, RunOptions

REPORT_FORMAT_VERSION = 2


class CaseScore(BaseModel):
    """One case's figures, by scorer name."""

    id: str
    status: str
    error: str | None = None
    error_type: str | None = None
    gold: str | None = None  # the gold label's digest: a change tells a gold edit from a prediction change
    scores: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def prf(self, group: str) -> str:
        """ "matched/predicted/gold" of a matching scorer."""
        f = self.scores.get(group, {})
        return f"{f.get('matched', 0)}/{f.get('predicted', 0)}/{f.get('gold', 0)}"


class Report(BaseModel):
    version: int = REPORT_FORMAT_VERSION
    run_created: str
    dataset: str
    options: RunOptions
    cases_total: int
    cases_scored: int
    totals: dict[str, float]
    # Each figure's 95% interval, by bootstrap over the cases: [low, high].
    intervals: dict[str, tuple[float, float]] = Field(default_factory=dict)
    # What decided the figures: gold (digest of every label), cases (digest of the ids), code, prompt,
    # model, endpoint, strategy.
    identity: dict[str, str] = Field(default_factory=dict)
    cases: list[CaseScore]


# ---- rendering -------------------------------------------------------------------------------

_GROUPS = ["schema", "metrics", "catalysts", "risks", "thesis", "stance", "calibration", "faithfulness", "cost"]


def grouped(totals: dict[str, float]) -> list[tuple[str, list[tuple[str, float]]]]:
    out = []
    for g in _GROUPS:
        rows = [(k.split(".", 1)[1], v) for k, v in totals.items() if k.split(".", 1)[0] == g]
        if rows:
            out.append((g, rows))
    return out


def _fmt(key: str, v: float) -> str:
    return (
        f"{v:.1f}"
        if key.startswith(("latency", "prompt_tokens", "evaluated_tokens", "completion_tokens"))
        else f"{v:.3f}"
    )


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
        "| case | status | metrics matched/pred/gold | catalysts | risks | thesis sim | stance | s | tokens in (evaluated)/out | attempts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in report.cases:
        cost = c.scores["cost"]
        lines.append(
            f"| {c.id} | {c.status} | {c.prf('metrics')} | {c.prf('catalysts')} | {c.prf('risks')} | "
            f"{c.scores['thesis']['similarity']:.2f} | {'ok' if c.scores['stance']['ok'] else '–'} | "
            f"{cost['latency_s']:.0f} | {cost['prompt_tokens']} ({cost.get('evaluated_tokens', cost['prompt_tokens'])})/"
            f"{cost['completion_tokens']} | {cost['attempts']} |"
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


def _side_by_side(gold: list[Any], pred: list[Any], pairs: list[Any]) -> list[dict[str, Any]]:
    """Rows of (gold item, its predicted match or None, pair index), then predictions gold lacks."""
    match = {int(i): (int(j), k) for k, (i, j) in enumerate(pairs)}
    rows = [{"gold": g, "pred": pred[match[i][0]] if i in match else None, "pair": match.get(i, (0, None))[1]}
            for i, g in enumerate(gold)]  # fmt: skip
    taken = {int(j) for _, j in pairs}
    return rows + [{"gold": None, "pred": p, "pair": None} for j, p in enumerate(pred) if j not in taken]


def _changes(evaluation: Any) -> dict[str, tuple[list[str], list[str]]]:
    """Per case: the scorers it did better and worse on than the baseline."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    comparison = getattr(evaluation, "comparison", None)
    if comparison is None:
        return out
    for group, (better, worse) in comparison.cases_by_scorer().items():
        for cid in better:
            out.setdefault(cid, ([], []))[0].append(group)
        for cid in worse:
            out.setdefault(cid, ([], []))[1].append(group)
    return out


def to_html(report: Report, run: RunFile, cases: list[Case], evaluation: Any = None) -> str:
    """A self-contained page: the verdict, the figures (against the baseline when there is one, with
    intervals), calibration, and each case with gold and predicted figures, risks and catalysts side
    by side, mismatched fields marked, filterable to the cases that changed."""
    from .scoring import FIELD_NAMES, NAME_OK

    by_id = {c.id: c for c in cases}
    results = {r.id: r for r in run.cases}
    changes = _changes(evaluation)
    views = []
    for cs in report.cases:
        case = by_id[cs.id]
        gold: Brief = case.gold  # type: ignore[assignment]
        pred = results[cs.id].prediction
        m = cs.scores["metrics"]
        figures = _side_by_side(gold.metrics, pred.metrics if pred else [], m["pairs"])
        for row in figures:
            k = row["pair"]
            row["bad"] = set() if k is None else {
                f for f, ok in (("name", m["name_similarity"][k] >= NAME_OK), ("kind", m["kind_ok"][k]),
                                ("period", m["period_ok"][k]), ("qualifier", m["qualifier_ok"][k])) if not ok
            }  # fmt: skip
        better, worse = changes.get(cs.id, ([], []))
        views.append({
            "score": cs, "case": case, "gold": gold, "pred": pred, "figures": figures, "better": better,
            "worse": worse,
            "risks": _side_by_side(gold.risks, pred.risks if pred else [], cs.scores["risks"]["pairs"]),
            "catalysts": _side_by_side(gold.catalysts, pred.catalysts if pred else [], cs.scores["catalysts"]["pairs"]),
        })  # fmt: skip
    calibration = sorted(
        {k.split(".")[1] for k in report.totals if k.startswith("calibration.")},
        key=lambda d: (*FIELD_NAMES, "fields").index(d) if d in (*FIELD_NAMES, "fields") else len(FIELD_NAMES) + 1,
    )
    bands = sorted({k.split(".")[2] for k in report.totals if k.startswith("calibration.") and "_band_" in k})
    comparison = getattr(evaluation, "comparison", None)
    return _HTML.render(
        report=report, groups=grouped(report.totals), views=views, fmt=_fmt, evaluation=evaluation,
        comparison=comparison, calibration=calibration, bands=bands,
        failing={c.name.split(" ", 1)[1] for c in getattr(evaluation, "checks", []) if not c.passed},
    )  # fmt: skip
