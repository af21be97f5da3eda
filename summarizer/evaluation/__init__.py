"""The eval harness: datasets of articles with gold briefs, runs, scores, reports and gates.

`evaluate()` is the whole job in one call; the rest are its parts."""

from .calibrate import calibrate
from .ci import to_junit, to_summary
from .compare import Comparison, Difference, bootstrap_intervals, compare_reports
from .dataset import Case, DatasetError, load_dataset, load_gold
from .evaluate import Evaluation, evaluate
from .gate import (
    Check,
    CouldNotEvaluate,
    check_baseline,
    check_thresholds,
    eval_settings,
    load_report,
    parse_thresholds,
    thresholds_from_pyproject,
)
from .grid import grid, to_grid_markdown
from .report import Report, print_table, to_html, to_markdown
from .runner import CaseResult, RunFile, run_eval
from .scoring import score_run

__all__ = [
    "Case",
    "CaseResult",
    "Check",
    "Comparison",
    "CouldNotEvaluate",
    "DatasetError",
    "Difference",
    "Evaluation",
    "Report",
    "RunFile",
    "bootstrap_intervals",
    "calibrate",
    "check_baseline",
    "check_thresholds",
    "compare_reports",
    "eval_settings",
    "evaluate",
    "grid",
    "load_dataset",
    "load_gold",
    "load_report",
    "parse_thresholds",
    "print_table",
    "run_eval",
    "score_run",
    "thresholds_from_pyproject",
    "to_grid_markdown",
    "to_html",
    "to_junit",
    "to_markdown",
    "to_summary",
]
