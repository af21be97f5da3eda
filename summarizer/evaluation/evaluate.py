"""`evaluate()`: the whole eval job in one call, for the CLI and the CI gate alike.

Check what can be checked before any model call (the cases asked for exist, every floor names a
figure, every case has recorded answers when replaying), predict every case (or load an earlier run
to score again), score it, write the run file and its reports into `out` (each file atomically),
compare it with the baseline report (never written here) and check the floors. The outcome is one
of three: passed, failed (a regression, each naming its cases) or could not evaluate (answers not
recorded: not a regression).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..api import DEFAULT_MAX_ATTEMPTS
from ..strategies import DEFAULT_STRATEGY
from ..text import write_atomic
from .compare import Comparison, compare_reports
from .dataset import Case, UnknownCaseError, load_dataset
from .gate import Check, CouldNotEvaluate, check_baseline, check_known, check_thresholds, load_report
from .report import Report, to_html, to_markdown
from .runner import NO_RECORDED_ANSWER, CaseResult, RunFile, run_eval
from .scoring import Judge, score_run


@dataclass
class Evaluation:
    """What one eval job produced: the run, its report, the files written and every regression."""

    run: RunFile
    report: Report
    cases: list[Case]
    run_path: Path
    written: list[Path] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    comparison: Comparison | None = None
    floors: int = 0

    @property
    def unanswered(self) -> list[str]:
        """The cases with no recorded answer (a stale or missing cassette): not evaluated."""
        return [r.id for r in self.run.cases if r.error_type in NO_RECORDED_ANSWER]

    @property
    def regressions(self) -> list[str]:
        return [c.message for c in self.checks if not c.passed]

    @property
    def status(self) -> str:
        """ "passed", "failed" or "could not evaluate"."""
        if self.unanswered:
            return "could not evaluate"
        return "failed" if self.regressions else "passed"

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def exit_status(self) -> int:
        """0 passed, 3 failed (a regression), 4 could not evaluate."""
        return {"passed": 0, "failed": 3}.get(self.status, 4)

    @property
    def verdict(self) -> str:
        """One line: the outcome, what was checked, over how many cases, and what stands out."""
        return verdict_line(self)


def evaluate(
    dataset: str | Path | None = None,
    *,
    out: str | Path = "evals/runs",
    strategy: str = DEFAULT_STRATEGY,
    prompt: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    concurrency: int = 1,
    only: list[str] | None = None,
    cache: bool = True,
    cassettes: str | Path | None = None,
    record: bool = False,
    rescore: str | Path | None = None,
    judge: Judge | None = None,
    thresholds: dict[str, float] | None = None,
    baseline: str | Path | None = None,
    tolerance: float = 0.0,
    cost_tolerance: float = 0.1,
    html: str | Path | None = None,
    progress: Callable[[CaseResult], None] | None = None,
    save: bool = True,
) -> Evaluation:
    """Run (or, with `rescore=RUN`, re-score without any model call) and gate one evaluation.

    `dataset` defaults to the run's own when re-scoring, else "evals/gold". Files go into `out`:
    `<stamp>-<strategy>.run.json` (not for a re-score), `.report.json` and `.report.md` beside it
    (named after the run), and the HTML report at `html`. `thresholds` ("metrics.f1": 0.9, ...) and
    `baseline` (a report file, only read) give the regressions; with `save=False` nothing is written.
    An unknown case or figure raises CouldNotEvaluate before any model call."""
    out = Path(out)
    check_known(thresholds or {})
    base = load_report(Path(baseline)) if baseline is not None else None
    if rescore is not None:
        run = RunFile.load(Path(rescore))
        cases = _load(dataset or run.dataset, only)
        stem = Path(rescore).name.removesuffix(".run.json")
    else:
        dataset = dataset or "evals/gold"
        cases = _load(dataset, only)
        run = run_eval(
            cases,
            dataset=str(dataset),
            model=model,
            base_url=base_url,
            strategy=strategy,
            prompt=prompt,
            max_attempts=max_attempts,
            concurrency=concurrency,
            cache_dir=out / "cache" if cache else None,
            cassettes=Path(cassettes) if cassettes is not None else None,
            record=record,
            progress=progress,
        )
        stamp, n = f"{run.created.replace(':', '').replace('-', '')[:15]}-{run.options.strategy}", 1
        stem = stamp
        while (out / f"{stem}.run.json").exists():  # two runs in one second keep both
            n += 1
            stem = f"{stamp}-{n}"
    report = score_run(run, cases, judge=judge)
    result = Evaluation(run=run, report=report, cases=cases, run_path=out / f"{stem}.run.json")
    if base is not None:
        result.comparison = compare_reports(base, report)
        result.checks += check_baseline(result.comparison, tolerance, cost_tolerance)
    result.floors = len(thresholds or {})
    result.checks = check_thresholds(report, thresholds or {}, result.comparison) + result.checks
    if save:
        out.mkdir(parents=True, exist_ok=True)
        files = {
            out / f"{stem}.report.json": report.model_dump_json(indent=1) + "\n",
            out / f"{stem}.report.md": to_markdown(report),
        }
        if rescore is None:
            files = {result.run_path: run.model_dump_json(indent=1)} | files
        if html is not None:
            files[Path(html)] = to_html(report, run, cases, result)
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
        result.written = list(files)
    return result


def _load(dataset: str | Path, only: list[str] | None) -> list[Case]:
    try:
        return load_dataset(dataset, only=only)
    except UnknownCaseError as exc:
        raise CouldNotEvaluate(str(exc)) from None


def _names(ids: list[str], most: int = 6) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def verdict_line(e: Evaluation) -> str:
    """ "eval grounded: passed: 10 floors and 40 baseline figures held over 33 cases; ..." """
    head = f"eval {e.run.options.strategy}:"
    if e.unanswered:
        return (
            f"{head} could not evaluate: {len(e.unanswered)} cases have no recorded answer "
            f"({_names(e.unanswered)}); record them with `make record-eval STRATEGY={e.run.options.strategy}`"
        )
    held = f"{e.floors} floors"
    if e.comparison is not None:
        held += f" and {len(e.comparison.differences)} baseline figures"
    failed = [c for c in e.checks if not c.passed]
    if failed:
        text = f"{head} FAILED: {len(failed)} of {len(e.checks)} checks ({held}) over {e.report.cases_scored} cases: "
        text += "; ".join(c.message for c in failed)
    else:
        text = f"{head} passed: {held} held over {e.report.cases_scored} cases"
    if e.comparison is not None:
        quiet = e.comparison.not_significant()
        if quiet:
            moved = sorted({c for d in quiet for c in (*d.worse_cases, *d.better_cases)})
            text += f"; {len(quiet)} figures moved within their interval, not significant" + (
                f" (cases {_names(moved)})" if moved else ""
            )
        text += "".join(f"; {w}" for w in e.comparison.warnings())
    return text
