"""The eval harness: datasets of articles with gold briefs, runs, scores, reports and gates.

`evaluate()` is the whole job in one call; the rest are its parts."""

from .dataset import Case, DatasetError, load_dataset, load_gold
from .evaluate import Evaluation, evaluate
from .gate import (
    Comparison,
    check_baseline,
    check_thresholds,
    compare_reports,
    load_report,
    parse_thresholds,
    thresholds_from_pyproject,
)
from .report import Report, print_table, to_html, to_markdown
from .runner import CaseResult, RunFile, run_eval
from .scoring import score_run

__all__ = [
    "Case",
    "CaseResult",
    "Comparison",
    "DatasetError",
    "Evaluation",
    "Report",
    "RunFile",
    "check_baseline",
    "check_thresholds",
    "compare_reports",
    "evaluate",
    "load_dataset",
    "load_gold",
    "load_report",
    "parse_thresholds",
    "print_table",
    "run_eval",
    "score_run",
    "thresholds_from_pyproject",
    "to_html",
    "to_markdown",
]
