"""Gates: floors (absolute thresholds), the baseline report (differences beyond their interval), and
the checks each gives, every failure naming the cases behind it."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, CouldNotEvaluate
from .compare import Comparison, cases_pulling_down
from .report import REPORT_FORMAT_VERSION, Report
from .scoring import FIELD_NAMES, LOWER_IS_BETTER, totals_of


@dataclass
class Check:
    """One gate's check: a floor, a baseline figure, or a case's scorer against the baseline."""

    name: str
    passed: bool
    message: str
    cases: list[str] = field(default_factory=list)  # the cases behind a failure


# Figures that exist only for some runs: calibration figures per field and band, the judge's grade.
_SOMETIMES = re.compile(
    rf"calibration\.({'|'.join((*FIELD_NAMES, 'fields'))})\.(unflagged_accuracy|flagged_share|accuracy_band_[a-z0-9_]+)"
    r"|thesis\.judge_score"
)


def known_figure(key: str) -> bool:
    """Whether `key` names a headline figure some run can have (checked before any model call)."""
    return key in totals_of([]) or bool(_SOMETIMES.fullmatch(key))


def parse_thresholds(items: list[str]) -> dict[str, float]:
    """`["metrics.f1=0.3", ...]` to a dict; a malformed item is a ConfigurationError."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise ConfigurationError(f"--fail-under takes FIELD=NUMBER (e.g. metrics.f1=0.3), got {item!r}")
    return out


def check_known(thresholds: dict[str, float]) -> None:
    """A floor on a figure no run has is a CouldNotEvaluate naming it and the figures there are."""
    unknown = sorted(k for k in thresholds if not known_figure(k))
    if unknown:
        raise CouldNotEvaluate(
            f"unknown eval figure {', '.join(map(repr, unknown))}; known: {', '.join(sorted(totals_of([])))} "
            "(and calibration.<decision>.<figure>)"
        )


def eval_settings(path: Path = Path("pyproject.toml")) -> dict[str, Any]:
    """`[tool.summarizer.eval]` of the pyproject in the working folder, if any."""
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("tool", {}).get("summarizer", {}).get("eval", {})
    return table if isinstance(table, dict) else {}


def thresholds_from_pyproject(
    path: Path = Path("pyproject.toml"), strategy: str | None = None, dataset: str = "gold"
) -> dict[str, float]:
    """`[tool.summarizer.eval.fail_under]` of the pyproject in the working folder, if any: its plain
    entries apply to every run; its `[...fail_under.<strategy>]` table's plain entries to that
    strategy's runs on the gold set, and a `[...fail_under.<strategy>.<dataset>]` table to its runs on
    the dataset of that folder name (a test split has floors of its own, not the gold set's)."""
    table = eval_settings(path).get("fail_under", {})
    assert isinstance(table, dict)
    out = {str(k): float(v) for k, v in table.items() if not isinstance(v, dict)}
    mine = table.get(strategy) if strategy is not None else None
    if isinstance(mine, dict):
        own = mine.get(dataset) if dataset != "gold" else None
        floors = own if isinstance(own, dict) else mine
        out.update({str(k): float(v) for k, v in floors.items() if not isinstance(v, dict)})
    return out


def check_thresholds(report: Report, thresholds: dict[str, float], comparison: Comparison | None = None) -> list[Check]:
    """One check per floor (a ceiling for figures better lower). A failure names the cases worse than
    the baseline on that figure, or else the cases that pull it down most."""
    check_known(thresholds)
    checks = []
    for key, limit in sorted(thresholds.items()):
        lower = key in LOWER_IS_BETTER
        name = f"floor {key} {'<=' if lower else '>='} {limit:g}"
        if key not in report.totals:  # e.g. no unflagged item: nothing unflagged can be wrong
            checks.append(Check(name, True, f"{key}: no such figure in this run, nothing to hold"))
            continue
        value = report.totals[key]
        if not (value > limit if lower else value < limit):
            checks.append(Check(name, True, f"{key} = {value:.4f}"))
            continue
        diff = comparison.difference(key) if comparison else None
        cases = (diff.worse_cases if diff else []) or cases_pulling_down(report, key)
        relation = "above the ceiling" if lower else "below the floor"
        message = f"{key} = {value:.4f} is {relation} {limit:.4f}"
        if diff and diff.worse_cases:
            message += f"; worse than the baseline in {', '.join(cases)}"
        elif cases:
            message += f"; pulled down most by {', '.join(cases)}"
        checks.append(Check(name, False, message, cases))
    return checks


def check_baseline(comparison: Comparison, tolerance: float = 0.0, cost_tolerance: float = 0.1) -> list[Check]:
    """One check per figure both reports have, failed when it got worse beyond its interval and the
    tolerance (tokens, calls and live latency: beyond `cost_tolerance` of the baseline)."""
    failing = {d.key for d in comparison.regressions(tolerance, cost_tolerance)}
    checks = []
    for d in comparison.differences:
        if d.key in failing:
            checks.append(Check(f"baseline {d.key}", False, "fell: " + d.describe(), d.worse_cases))
        else:
            checks.append(Check(f"baseline {d.key}", True, d.describe()))
    return checks


def load_report(path: Path) -> Report:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such report") from None
    if data.get("version") != REPORT_FORMAT_VERSION:
        raise ConfigurationError(
            f"{path}: report format version {data.get('version')}, this build reads {REPORT_FORMAT_VERSION}; "
            "score its run again with `summarizer eval --rescore RUN`"
        )
    return Report.model_validate(data)
