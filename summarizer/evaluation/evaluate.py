"""`evaluate()`: the whole eval job in one call, for the CLI and the CI gate alike.

Load the dataset, predict every case (or load an earlier run to score again), score it, write the
run file and its reports into `out` (each file atomically), and check the floors and the baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..api import DEFAULT_MAX_ATTEMPTS
from ..strategies import DEFAULT_STRATEGY
from ..text import write_atomic
from .dataset import Case, load_dataset
from .gate import check_baseline, check_thresholds, load_report
from .report import Report, to_html, to_markdown
from .runner import CaseResult, RunFile, run_eval
from .scoring import Judge, score_run


@dataclass
class Evaluation:
    """What one eval job produced: the run, its report, the files written and every regression."""

    run: RunFile
    report: Report
    cases: list[Case]
    run_path: Path
    written: list[Path] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.regressions


def evaluate(
    dataset: str | Path | None = None,
    *,
    out: str | Path = "evals/runs",
    strategy: str = DEFAULT_STRATEGY,
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
    html: str | Path | None = None,
    progress: Callable[[CaseResult], None] | None = None,
    save: bool = True,
) -> Evaluation:
    """Run (or, with `rescore=RUN`, re-score without any model call) and gate one evaluation.

    `dataset` defaults to the run's own when re-scoring, else "evals/gold". Files go into `out`:
    `<stamp>-<strategy>.run.json` (not for a re-score), `.report.json` and `.report.md` beside it
    (named after the run), and the HTML report at `html`. `thresholds` ("metrics.f1": 0.9, ...) and
    `baseline` (a report file) give the regressions; with `save=False` nothing is written."""
    out = Path(out)
    if rescore is not None:
        run = RunFile.load(Path(rescore))
        cases = load_dataset(dataset or run.dataset, only=only)
        stem = Path(rescore).name.removesuffix(".run.json")
    else:
        dataset = dataset or "evals/gold"
        cases = load_dataset(dataset, only=only)
        run = run_eval(
            cases,
            dataset=str(dataset),
            model=model,
            base_url=base_url,
            strategy=strategy,
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
    if save:
        out.mkdir(parents=True, exist_ok=True)
        files = {
            out / f"{stem}.report.json": report.model_dump_json(indent=1) + "\n",
            out / f"{stem}.report.md": to_markdown(report),
        }
        if rescore is None:
            files = {result.run_path: run.model_dump_json(indent=1)} | files
        if html is not None:
            files[Path(html)] = to_html(report, run, cases)
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
        result.written = list(files)
    result.regressions = check_thresholds(report, thresholds or {})
    if baseline is not None:
        result.regressions += check_baseline(report, load_report(Path(baseline)), tolerance)
    return result
