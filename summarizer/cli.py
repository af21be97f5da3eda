"""The command line: parse arguments, call the library, print."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from . import __name__ as _pkg
from . import strategies
from .api import DEFAULT_MAX_TOKENS, summarize
from .article import decode_input, parse_article
from .errors import CouldNotEvaluate, ExtractionError, SummarizerError
from .render import to_markdown

DEFAULT_DATASET = "evals/gold"  # the eval's default dataset, relative to the working folder


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise SummarizerError(f"{path}: no such file")
    if p.is_dir():
        raise SummarizerError(f"{path} is a folder: add --out DIR to brief every .txt in it")
    return p.read_bytes()


def _cmd_brief(args: argparse.Namespace) -> int:
    """Summarize one article file (or - for stdin) and print the brief; or a folder into --out."""
    if args.out:
        return _cmd_brief_folder(args)
    name = "stdin" if args.path == "-" else args.path
    article = parse_article(decode_input(_read(args.path), name=name))
    summary = summarize(
        article.text,
        published=args.published or article.published,
        title=article.title,
        model=args.model,
        base_url=args.base_url,
        max_attempts=args.attempts,
        strategy=args.strategy,
    )
    if args.html:
        from .desk.publish import page_html
        from .text import write_atomic

        write_atomic(Path(args.html), page_html(summary.brief, article.text, title=article.title))
    if args.json:
        print(summary.brief.model_dump_json(indent=2))
    else:
        print(to_markdown(summary.brief), end="")
    run = summary.run
    logging.getLogger(_pkg).info(
        "%s via %s, prompt %s: %.1f s, %d call(s), %d prompt tokens (%d from the cache, %d evaluated) + %d completion",
        run.model, run.endpoint, run.prompt_version, run.latency_s, run.attempts,
        run.prompt_tokens, run.cached_tokens, run.evaluated_tokens, run.completion_tokens,
    )  # fmt: skip
    return 0


def _cmd_brief_folder(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from .batch import brief_folder

    log = logging.getLogger(_pkg)
    with Progress(console=Console(stderr=True), transient=True, disable=args.quiet) as bar:
        task = bar.add_task("briefs", total=None)

        def plan(todo: int, skipped: int) -> None:
            bar.update(task, total=todo)
            if skipped:
                log.info("%d already briefed in %s, skipped", skipped, args.out)

        def done(outcome: Any) -> None:
            bar.advance(task)
            if outcome.error is not None:
                log.warning("%s failed: %s", outcome.id, outcome.error)

        result = brief_folder(
            Path(args.path), Path(args.out), concurrency=args.concurrency, on_done=done, on_plan=plan,
            model=args.model, base_url=args.base_url, max_attempts=args.attempts, strategy=args.strategy,
        )  # fmt: skip
    log.warning(
        "%d briefed, %d skipped (already done), %d failed (reasons in %s/*.error.json)",
        len(result.done), len(result.skipped), len(result.failed), args.out,
    )  # fmt: skip
    return 1 if result.failed else 0


def _cmd_batch(args: argparse.Namespace) -> int:
    """Brief a folder through a batch engine: write the requests, then read the briefs from its output."""
    from .batchfile import read_results, write_requests

    log = logging.getLogger(_pkg)
    if args.batch_command == "write":
        w = write_requests(Path(args.path), Path(args.out), model=args.model, context_tokens=args.context_tokens,
                           max_tokens=args.max_tokens, max_attempts=args.attempts)  # fmt: skip
        for name, reason in w.refused.items():
            log.warning("%s refused: %s", name, reason)
        log.warning(
            "%d requests for %d article(s) in %s (manifest %s)", w.requests, len(w.articles), args.out, w.manifest
        )
        return 0
    out = Path(args.out)
    r = read_results(Path(args.path), Path(args.requests), [Path(p) for p in args.output], out,
                     next_requests=Path(args.next) if args.next else None)  # fmt: skip
    log.warning(
        "%d briefed, %d skipped (already done), %d failed (reasons in %s/*.error.json), %d waiting for answers",
        len(r.done), len(r.skipped), len(r.failed), out, len(r.waiting),
    )  # fmt: skip
    if r.next_requests:
        if args.next:
            log.warning("%d request(s) of the next round in %s: send it, then read again with its output too",
                        r.next_requests, args.next)  # fmt: skip
        else:
            log.warning("%d request(s) still to send: add --next FILE to write them", r.next_requests)
    return 1 if r.failed else 0


def _cmd_desk(args: argparse.Namespace) -> int:
    """Serve the editor's desk: draft, check and publish briefs in the browser."""
    import secrets

    from .desk import default_data_dir, serve

    host = args.host or "127.0.0.1"
    if args.no_token and args.host is not None and host not in ("127.0.0.1", "localhost", "::1"):
        raise SummarizerError("--no-token is for loopback only: a desk on another address needs its token")
    token = (
        None if args.no_token else args.token or os.environ.get("SUMMARIZER_DESK_TOKEN") or secrets.token_urlsafe(18)
    )
    data = Path(args.data) if args.data else default_data_dir()
    roots = [Path(r) for r in args.root] or [data]
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{args.port}/" + (f"?token={token}" if token else "")
    logging.getLogger(_pkg).warning(
        "desk on %s (data in %s; folders read and gold written inside %s); Ctrl-C stops it",
        address, data, ", ".join(map(str, roots)),
    )  # fmt: skip
    options = {"model": args.model, "base_url": args.base_url, "strategy": args.strategy}
    serve(host=host, port=args.port, data=data, token=token, concurrency=args.concurrency, options=options,
          roots=roots, hosts=args.allow_host)  # fmt: skip
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    """Run the summarizer over a dataset, score it against gold, compare it with the strategy's
    baseline report (never written here) and print one verdict line; exit 0 passed, 3 a regression,
    4 could not evaluate."""
    from rich.progress import Progress

    from . import evaluation as ev

    if args.eval_command is not None:
        return int(args.eval_func(args))
    judge = None
    if args.judge:
        from .evaluation.judge import judge_thesis

        def judge(case: Any, thesis: str) -> Any:
            return judge_thesis(
                case.article.text, case.gold.thesis, thesis, model=args.judge_model or args.model,
                base_url=args.judge_base_url or args.base_url, cache_dir=Path(args.out) / "cache",
            )  # fmt: skip

    run = ev.RunFile.load(Path(args.rescore)) if args.rescore else None
    strategy = run.options.strategy if run else args.strategy
    dataset = args.dataset or (run.dataset if run else DEFAULT_DATASET)
    settings = ev.eval_settings()
    with Progress(transient=True, disable=args.quiet or bool(args.rescore)) as bar:
        task = bar.add_task("briefs", total=None)
        result = ev.evaluate(
            args.dataset, out=args.out, strategy=args.strategy, prompt=args.prompt, model=args.model,
            base_url=args.base_url,
            max_attempts=args.attempts, concurrency=args.concurrency, only=args.case or None,
            cache=not args.no_cache, cassettes=args.cassettes, record=args.record, rescore=args.rescore,
            judge=judge, thresholds=_thresholds(ev, args, strategy, dataset), baseline=_baseline(args, strategy, dataset),
            tolerance=args.tolerance if args.tolerance is not None else float(settings.get("tolerance", 0.0)),
            cost_tolerance=float(settings.get("cost_tolerance", 0.1)), html=args.html,
            progress=lambda _result: bar.advance(task),
        )  # fmt: skip
    if not args.quiet:
        ev.print_table(result.report)
    _write(args.junit, ev.to_junit(result))
    _write(args.summary, ev.to_summary(result))
    logging.getLogger(_pkg).info("wrote %s", ", ".join(str(p) for p in result.written))
    for line in result.regressions:
        print(f"summarizer: regression: {line}", file=sys.stderr)
    print(result.verdict)
    return result.exit_status


def _write(path: str | None, text: str) -> None:
    if path:
        from .text import write_atomic

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(Path(path), text)


def baseline_name(strategy: str, dataset: str | None) -> str:
    """The baseline file of a strategy on a dataset: `<strategy>.report.json` for the gold set,
    `<strategy>-<folder name>.report.json` for another ("grounded-test.report.json")."""
    name = Path(dataset or DEFAULT_DATASET).name
    return f"{strategy}.report.json" if name == Path(DEFAULT_DATASET).name else f"{strategy}-{name}.report.json"


def _baseline(args: argparse.Namespace, strategy: str, dataset: str) -> str | None:
    """--baseline, else the committed baseline of the strategy on the dataset when there is one (not with
    --no-baseline)."""
    if args.no_baseline:
        return None
    if args.baseline:
        return str(args.baseline)
    default = Path(args.baselines) / baseline_name(strategy, dataset)
    return str(default) if default.is_file() else None


def _thresholds(ev: Any, args: argparse.Namespace, strategy: str, dataset: str) -> dict[str, float]:
    """The floors of the pyproject in the working folder for the run's strategy and dataset, then --fail-under."""
    floors = ev.thresholds_from_pyproject(strategy=strategy, dataset=Path(dataset).name)
    return {**floors, **ev.parse_thresholds(args.fail_under)}


def _cmd_eval_compare(args: argparse.Namespace) -> int:
    """Per-figure deltas of B against A with their paired 95% intervals, the direction of better, and
    the cases that improved or got worse for every scorer; exit 3 when B regressed."""
    from . import evaluation as ev

    a, b = (_report_of(ev, Path(p)) for p in (args.a, args.b))
    comp = ev.compare_reports(a, b)
    for warning in comp.warnings():
        print(f"summarizer: warning: {warning}", file=sys.stderr)
    print(f"Changed from A to B: {comp.what_changed()}.\n")
    print(f"| figure | better | {args.a} | {args.b} | delta | 95% interval | p |\n|---|---|---|---|---|---|---|")
    for d in comp.differences:
        arrow = "higher" if d.better == "higher" else "lower"
        print(
            f"| {d.key} | {arrow} | {d.a:.4f} | {d.b:.4f} | {d.delta:+.4f} | [{d.low:+.4f}, {d.high:+.4f}] | {d.p:.2f} |"
        )
    print("\n| scorer | improved | got worse |\n|---|---|---|")
    for group, (better, worse) in comp.cases_by_scorer().items():
        print(f"| {group} | {', '.join(better) or '–'} | {', '.join(worse) or '–'} |")
    settings = ev.eval_settings()
    tolerance = args.tolerance if args.tolerance is not None else float(settings.get("tolerance", 0.0))
    regressions = comp.regressions(tolerance, float(settings.get("cost_tolerance", 0.1)))
    for d in regressions:
        print(f"summarizer: regression: {d.describe()}", file=sys.stderr)
    return 3 if regressions else 0


def _cmd_eval_accept(args: argparse.Namespace) -> int:
    """Make a report (or a run, scored) the baseline of its strategy on its dataset: the only command that
    writes one."""
    from . import evaluation as ev
    from .text import write_atomic

    report = _report_of(ev, Path(args.report))
    target = Path(args.baselines) / baseline_name(report.options.strategy, report.dataset)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, report.model_dump_json(indent=1) + "\n")
    print(f"{target}: baseline of {report.options.strategy} is now the run of {report.run_created} "
          f"({report.cases_scored} cases, prompt {report.identity.get('prompt', report.options.prompt_version)})")  # fmt: skip
    return 0


def _cmd_eval_grid(args: argparse.Namespace) -> int:
    """Several candidates (strategies × prompt folders × models) over one or more datasets (the gold set
    beside the test split), a Markdown grid of their figures."""
    from . import evaluation as ev
    from .evaluation.grid import Candidate

    datasets = args.grid_datasets or [DEFAULT_DATASET]
    candidates = [
        Candidate(s, m, p, d if len(datasets) > 1 else None)
        for m in (args.grid_models or [None])
        for p in (args.grid_prompts or [None])
        for s in args.grid_strategies
        for d in datasets
    ]
    results = ev.grid(
        candidates, datasets[0], out=args.out, cassettes=args.cassettes,
        max_attempts=args.attempts, only=args.case or None, cache=not args.no_cache, base_url=args.base_url,
    )  # fmt: skip
    print(ev.to_grid_markdown(results), end="")
    return 0


def _report_of(ev: Any, path: Path) -> Any:
    """A report file as is; a run file scored against the dataset it names."""
    if path.name.endswith(".run.json"):
        run = ev.RunFile.load(path)
        return ev.score_run(run, ev.load_dataset(run.dataset))
    return ev.load_report(path)


def _status_to_stderr(*, quiet: bool) -> None:
    """The library logs; the CLI shows the library's status lines on stderr (and nothing from others)."""
    logger = logging.getLogger(_pkg)
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("summarizer: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # it logs each failed attempt as ERROR


def _cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit a confidence table for a model on a labeled dataset (gold from the desk works too): from a
    stored run (--run), replayed answers (--cassettes) or a live run against the endpoint; the library
    then uses it for that strategy, prompt and model. Prints the held-out figures of each field."""
    from . import evaluation as ev
    from .calibration import table_id, write_table
    from .evaluation.calibrate import calibrate

    dataset = args.dataset or DEFAULT_DATASET
    if args.run:
        run = ev.RunFile.load(Path(args.run))
        dataset = args.dataset or run.dataset
        cases = ev.load_dataset(dataset)
        name = Path(args.run).name
    else:
        cases = ev.load_dataset(dataset)
        run = ev.run_eval(
            cases, dataset=dataset, model=args.model, base_url=args.base_url, strategy=args.strategy,
            prompt=args.prompt, concurrency=args.concurrency,
            cassettes=Path(args.cassettes) if args.cassettes else None,
        )  # fmt: skip
        name = ""
    table = calibrate(run, cases, dataset=dataset, run_name=name)
    written = write_table(table, Path(args.out) if args.out else None)
    fields = table["held_out"]
    print(f"calibrated {table_id(table)}: {written}")
    for key, f in fields.items():
        kept = "-" if f["unflagged_accuracy"] is None else f"{f['unflagged_accuracy']:.2f}"
        print(f"  {key:18} n={f['n']:5}  right {f['right']:.2f}  unflagged right {kept:>4}  "
              f"flagged {f['flagged_share']:.2f}  (held out)"
              + ("  not fitted: its learned decision was trained on these labels" if key in table["not_fitted"] else ""))  # fmt: skip
    return 0


def _cmd_learn(args: argparse.Namespace) -> int:
    """Train the learned decisions (is a sentence a risk's, a catalyst's; a risk's category) on a
    labeled dataset (gold from the desk works too); the grounded strategy then asks the model about
    the sentences they find likely. Calls no model. Prints each decision's held-out figure."""
    from . import evaluation as ev
    from .evaluation.runner import code_version
    from .learning import decisions_id, train, user_path, write_decisions

    dataset = args.dataset or DEFAULT_DATASET
    data = train(ev.load_dataset(dataset), dataset, code=code_version())
    written = write_decisions(data, Path(args.out) if args.out else user_path())
    print(f"learned {decisions_id(data)}: {written}")
    for name, d in data["decisions"].items():
        held = ", ".join(f"{k} {v}" for k, v in d["held_out"].items())
        print(f"  {name:9} {held}" + (f"  threshold {d['threshold']}" if "threshold" in d else "") + "  (held out)")
    return 0


def _add_command(sub: Any, name: str, command: Any) -> argparse.ArgumentParser:
    """A subcommand described by `command`'s docstring: as its description, and as its line in the
    parent's help, where argparse formats "%" (so escaped there)."""
    doc = command.__doc__ or ""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=doc.replace("%", "%%"), description=doc)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description="Structured briefs of financial news.")
    parser.add_argument("-q", "--quiet", action="store_true", help="no status messages on stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    brief = _add_command(sub, "brief", _cmd_brief)
    brief.add_argument("path", help="article file, or - for stdin")
    brief.add_argument("--json", action="store_true", help="print the validated brief as JSON")
    brief.add_argument("--published", help="publication date YYYY-MM-DD (overrides the file header)")
    brief.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL, or the embedded model)")
    brief.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    brief.add_argument("--attempts", type=int, default=3, help="attempts before giving up (default 3)")
    brief.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY,
                       help=f"grounded: code finds figures and dates, the model answers small questions; single: "
                       f"one call for the whole brief (default: {strategies.DEFAULT_STRATEGY})")  # fmt: skip
    brief.add_argument("--out", metavar="DIR", help="PATH is a folder: write OUT/<name>.json for each .txt")
    brief.add_argument("--concurrency", type=int, default=4, help="with --out: articles in flight (default 4)")
    brief.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page of the brief and article")
    brief.set_defaults(func=_cmd_brief)

    batch = _add_command(sub, "batch", _cmd_batch)
    batch_sub = batch.add_subparsers(dest="batch_command", required=True)
    bw = batch_sub.add_parser("write", help="write the requests of every .txt in FOLDER as an OpenAI Batch input file")
    bw.add_argument("path", metavar="FOLDER", help="folder of .txt articles")
    bw.add_argument(
        "--out", required=True, metavar="FILE", help="the batch input file (its manifest is written beside)"
    )
    bw.add_argument("--model", help="the batch engine's model name (default: the embedded model)")
    bw.add_argument("--context-tokens", type=int, help="the model's context: longer articles are read in parts")
    bw.add_argument("--max-tokens", type=int, default=DEFAULT_MAX_TOKENS, help="room for one answer")
    bw.add_argument("--attempts", type=int, default=3, help="answers per question before giving up (default 3)")
    br = batch_sub.add_parser("read", help="build the briefs from batch output files; write what is left to ask")
    br.add_argument("path", metavar="FOLDER", help="the folder the requests were written for")
    br.add_argument("--requests", required=True, metavar="FILE", help="the first round's input file (with manifest)")
    br.add_argument("--output", required=True, action="append", metavar="FILE",
                    help="a batch output file (repeatable: every round's so far)")  # fmt: skip
    br.add_argument("--out", required=True, metavar="DIR", help="write OUT/<name>.json (or .error.json) per article")
    br.add_argument("--next", metavar="FILE", help="write the next round's requests here (re-asks, retries, theses)")
    batch.set_defaults(func=_cmd_batch)

    desk = _add_command(sub, "desk", _cmd_desk)
    desk.add_argument("--host", help="listen on this address (default 127.0.0.1)")
    desk.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    desk.add_argument("--data", metavar="DIR", help="database and gold folder (default: the user's data folder)")
    desk.add_argument(
        "--token",
        help="the token every request carries (default $SUMMARIZER_DESK_TOKEN, else a new one, printed in the address)",
    )
    desk.add_argument(
        "--no-token", action="store_true", help="on loopback only: no token (any local program can use the desk)"
    )
    desk.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="DIR",
        help="folders are read and gold cases written only inside DIR (repeatable; default: the data folder)",
    )
    desk.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests for this Host name too (repeatable; loopback names always)",
    )
    desk.add_argument("--concurrency", type=int, default=1, help="articles drafted at once (default 1)")
    desk.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL, or the embedded model)")
    desk.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    desk.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY,
                      help=f"extraction strategy (default: {strategies.DEFAULT_STRATEGY})")  # fmt: skip
    desk.set_defaults(func=_cmd_desk)

    cal = _add_command(sub, "calibrate", _cmd_calibrate)
    cal.add_argument("--dataset", help="labeled dataset folder: articles/*.txt, labels/*.yaml (default: the run's)")
    cal.add_argument("--run", metavar="RUN", help="a stored run file (*.run.json) to fit on; calls no model")
    cal.add_argument("--cassettes", metavar="DIR", help="replay each case from DIR/<strategy>/<case>.yaml (no model)")
    cal.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL, or the embedded model)")
    cal.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    cal.add_argument("--strategy", choices=["grounded"], default="grounded", help="strategy (default grounded)")
    cal.add_argument("--prompt", help="prompt folder (default: the strategy's)")
    cal.add_argument("--concurrency", type=int, default=1, help="articles in flight at once (default 1)")
    cal.add_argument("--out", metavar="PATH",
                     help="a table file (*.json: the table is added or replaced) or folder (default: the user's tables)")  # fmt: skip
    cal.set_defaults(func=_cmd_calibrate)

    learn = _add_command(sub, "learn", _cmd_learn)
    learn.add_argument("--dataset", help=f"labeled dataset folder (default {DEFAULT_DATASET})")
    learn.add_argument(
        "--out", metavar="PATH", help="a decisions file or folder (default: the user's, or $SUMMARIZER_DECISIONS)"
    )
    learn.set_defaults(func=_cmd_learn)

    ev = _add_command(sub, "eval", _cmd_eval)
    ev.add_argument(
        "--dataset", help=f"dataset folder: articles/*.txt, labels/*.yaml (default {DEFAULT_DATASET}, or the run's)"
    )
    ev.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL, or the embedded model)")
    ev.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    ev.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY,
                    help=f"extraction strategy (default: {strategies.DEFAULT_STRATEGY})")  # fmt: skip
    ev.add_argument("--prompt", help="prompt folder under prompts/ or $SUMMARIZER_PROMPTS (default: the strategy's)")
    ev.add_argument("--attempts", type=int, default=3, help="attempts per article (default 3)")
    ev.add_argument("--concurrency", type=int, default=1, help="articles in flight at once (default 1)")
    ev.add_argument("--case", action="append", help="only this case id (repeatable)")
    ev.add_argument(
        "--out", default="evals/runs", help="where run files, reports and the cache go (also with --rescore)"
    )
    ev.add_argument("--no-cache", action="store_true", help="ignore cached predictions")
    ev.add_argument("--rescore", metavar="RUN", help="score an existing run file again; calls no model")
    ev.add_argument("--html", metavar="PATH", help="also write the self-contained HTML report here")
    ev.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="FIELD=N",
        help="exit 3 when FIELD (e.g. metrics.f1) is below N; adds to pyproject's thresholds",
    )
    ev.add_argument("--baseline", metavar="REPORT",
                    help="compare with this report (default: BASELINES/<strategy>.report.json when it exists)")  # fmt: skip
    ev.add_argument("--baselines", default="evals/baselines", help="folder of the baselines (default evals/baselines)")
    ev.add_argument("--no-baseline", action="store_true", help="compare with no baseline")
    ev.add_argument("--tolerance", type=float, default=None,
                    help="a quality figure's drop the baseline forgives, beyond its interval (default 0, or the "
                    "pyproject's tolerance)")  # fmt: skip
    ev.add_argument("--junit", metavar="PATH", help="also write JUnit XML: a test per case and scorer, and per check")
    ev.add_argument("--summary", metavar="PATH", help="also write the Markdown summary: verdict and deltas")
    ev.add_argument("--judge", action="store_true", help="also grade each thesis with an LLM judge (prompts/judge)")
    ev.add_argument("--judge-model", help="the judge's model (default: --model / $SUMMARIZER_MODEL)")
    ev.add_argument("--judge-base-url", help="the judge's endpoint (default: --base-url / $OPENAI_BASE_URL)")
    ev.add_argument(
        "--cassettes", metavar="DIR", help="replay each case's HTTP from DIR/<strategy>/<case>.yaml (no model)"
    )
    ev.add_argument("--record", action="store_true", help="with --cassettes: record what they lack from the live model")
    ev.set_defaults(func=_cmd_eval, eval_command=None)
    ev_sub = ev.add_subparsers(dest="eval_command")
    cmp_ = _add_command(ev_sub, "compare", _cmd_eval_compare)
    cmp_.add_argument("a", help="the baseline: run file (*.run.json) or report (*.report.json)")
    cmp_.add_argument("b", help="the candidate: run file or report to compare with A")
    cmp_.set_defaults(eval_func=_cmd_eval_compare)
    acc = _add_command(ev_sub, "accept", _cmd_eval_accept)
    acc.add_argument("report", help="report (*.report.json) or run file (*.run.json) to accept")
    acc.set_defaults(eval_func=_cmd_eval_accept)
    grd = _add_command(ev_sub, "grid", _cmd_eval_grid)
    grd.add_argument("--strategy", dest="grid_strategies", action="append", required=True,
                     choices=strategies.names(), help="a strategy (repeatable)")  # fmt: skip
    grd.add_argument("--model", dest="grid_models", action="append", help="a model (repeatable; default: the default)")
    grd.add_argument("--prompt", dest="grid_prompts", action="append",
                     help="a prompt folder (repeatable; default: each strategy's own)")  # fmt: skip
    grd.add_argument("--dataset", dest="grid_datasets", action="append",
                     help=f"dataset folder (repeatable: side by side; default {DEFAULT_DATASET})")  # fmt: skip
    grd.add_argument("--cassettes", metavar="DIR", help="replay each candidate from DIR/<strategy>/<case>.yaml")
    grd.add_argument("--case", action="append", help="only this case id (repeatable)")
    grd.add_argument("--out", default="evals/runs", help="where the run files and reports go")
    grd.add_argument("--no-cache", action="store_true", help="ignore cached predictions")
    grd.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    grd.add_argument("--attempts", type=int, default=3, help="attempts per article (default 3)")
    grd.set_defaults(eval_func=_cmd_eval_grid)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _status_to_stderr(quiet=args.quiet)
    try:
        return int(args.func(args))
    except ExtractionError as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return 1
    except CouldNotEvaluate as exc:
        print(f"summarizer: could not evaluate: {exc}", file=sys.stderr)
        return 4
    except SummarizerError as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a malformed --published date
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
