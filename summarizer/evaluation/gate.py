"""Gates and comparisons: thresholds, the committed baseline, and `eval compare`."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError
from .report import REPORT_FORMAT_VERSION, Report
from .scoring import LOWER_IS_BETTER


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


def thresholds_from_pyproject(path: Path = Path("pyproject.toml"), strategy: str | None = None) -> dict[str, float]:
    """`[tool.summarizer.eval.fail_under]` of the pyproject in the working folder, if any: its plain
    entries apply to every run, its `[...fail_under.<strategy>]` table to that strategy's runs."""
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("tool", {}).get("summarizer", {}).get("eval", {}).get("fail_under", {})
    out = {str(k): float(v) for k, v in table.items() if not isinstance(v, dict)}
    if strategy is not None and isinstance(table.get(strategy), dict):
        out.update({str(k): float(v) for k, v in table[strategy].items()})
    return out


def check_thresholds(report: Report, thresholds: dict[str, float]) -> list[str]:
    """Lines naming each figure below its threshold (above, for cost figures); empty when all pass."""
    failures = []
    for key, limit in sorted(thresholds.items()):
        if key.startswith("calibration.") and key.endswith(".unflagged_accuracy") and key not in report.totals:
            continue  # every item flagged: nothing unflagged can be wrong
        if key not in report.totals:
            raise ConfigurationError(f"unknown eval figure {key!r}; known: {', '.join(sorted(report.totals))}")
        value = report.totals[key]
        worse = value > limit if key in LOWER_IS_BETTER else value < limit
        if worse:
            relation = "above" if key in LOWER_IS_BETTER else "below"
            failures.append(f"{key} = {value:.4f} is {relation} the threshold {limit:.4f}")
    return failures


def check_baseline(report: Report, baseline: Report, tolerance: float = 0.0) -> list[str]:
    """Lines naming each quality figure that fell below the baseline by more than `tolerance`."""
    failures = []
    for key, base in sorted(baseline.totals.items()):
        if key in LOWER_IS_BETTER or key not in report.totals:
            continue
        if report.totals[key] < base - tolerance:
            failures.append(f"{key} fell to {report.totals[key]:.4f} from the baseline {base:.4f}")
    return failures


@dataclass
class Comparison:
    deltas: list[tuple[str, float, float, float]]  # key, a, b, b - a
    worse_cases: list[tuple[str, str]]  # case id, what got worse


def compare_reports(a: Report, b: Report) -> Comparison:
    deltas = [(k, a.totals[k], b.totals[k], b.totals[k] - a.totals[k]) for k in a.totals if k in b.totals]
    a_cases = {c.id: c for c in a.cases}
    worse = []
    for cb in b.cases:
        ca = a_cases.get(cb.id)
        if ca is None:
            continue
        what = []
        if ca.status == "ok" and cb.status != "ok":
            what.append(f"status {ca.status} -> {cb.status}")
        for field in ("metrics", "catalysts", "risks"):
            ma, mb = ca.scores[field]["matched"], cb.scores[field]["matched"]
            if mb < ma:
                what.append(f"{field} matched {ma} -> {mb}")
        if ca.scores["stance"]["ok"] and not cb.scores["stance"]["ok"]:
            what.append("stance now wrong")
        if what:
            worse.append((cb.id, ", ".join(what)))
    return Comparison(deltas=deltas, worse_cases=worse)


def load_report(path: Path) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != REPORT_FORMAT_VERSION:
        raise ConfigurationError(
            f"{path}: report format version {data.get('version')}, this build reads {REPORT_FORMAT_VERSION}; "
            "score its run again with `summarizer eval --rescore RUN`"
        )
    return Report.model_validate(data)
