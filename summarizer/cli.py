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
from .errors import ExtractionError, SummarizerError
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
        "%s via %s, prompt %s: %.1f s, %d prompt + %d completion tokens, %d attempt(s)",
        run.model, run.endpoint, run.prompt_version, run.latency_s,
        run.prompt_tokens, run.completion_tokens, run.attempts,
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
    """Run the summarizer over a dataset, score it against gold, write the run and its reports."""
    from rich.progress import Progress

    from . import evaluation as ev

    if args.eval_command == "compare":
        return _cmd_eval_compare(args)
    judge = None
    if args.judge:
        from .evaluation.judge import judge_thesis

        def judge(case: Any, thesis: str) -> Any:
            return judge_thesis(
                case.article.text, case.gold.thesis, thesis, model=args.judge_model or args.model,
                base_url=args.judge_base_url or args.base_url, cache_dir=Path(args.out) / "cache",
            )  # fmt: skip

    with Progress(transient=True, disable=args.quiet or bool(args.rescore)) as bar:
        task = bar.add_task("briefs", total=None)
        result = ev.evaluate(
            args.dataset, out=args.out, strategy=args.strategy, model=args.model, base_url=args.base_url,
            max_attempts=args.attempts, concurrency=args.concurrency, only=args.case or None,
            cache=not args.no_cache, cassettes=args.cassettes, record=args.record, rescore=args.rescore,
            judge=judge, thresholds=_thresholds(ev, args), baseline=args.baseline, tolerance=args.tolerance,
            html=args.html, progress=lambda _result: bar.advance(task),
        )  # fmt: skip
    ev.print_table(result.report)
    logging.getLogger(_pkg).info("wrote %s", ", ".join(str(p) for p in result.written))
    for line in result.regressions:
        print(f"summarizer: regression: {line}", file=sys.stderr)
    return 0 if result.passed else 3


def _thresholds(ev: Any, args: argparse.Namespace) -> dict[str, float]:
    """The floors of the pyproject in the working folder for the run's strategy, then --fail-under."""
    strategy = ev.RunFile.load(Path(args.rescore)).options.strategy if args.rescore else args.strategy
    return {**ev.thresholds_from_pyproject(strategy=strategy), **ev.parse_thresholds(args.fail_under)}


def _cmd_eval_compare(args: argparse.Namespace) -> int:
    from . import evaluation as ev

    a, b = (_report_of(ev, Path(p)) for p in (args.a, args.b))
    comp = ev.compare_reports(a, b)
    print(f"| figure | {args.a} | {args.b} | delta |\n|---|---|---|---|")
    for key, va, vb, d in comp.deltas:
        print(f"| {key} | {va:.4f} | {vb:.4f} | {d:+.4f} |")
    print(f"\nCases that got worse: {len(comp.worse_cases)}")
    for cid, what in comp.worse_cases:
        print(f"- {cid}: {what}")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description="Structured briefs of financial news.")
    parser.add_argument("-q", "--quiet", action="store_true", help="no status messages on stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    brief = sub.add_parser("brief", help=_cmd_brief.__doc__, description=_cmd_brief.__doc__)
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

    batch = sub.add_parser("batch", help=_cmd_batch.__doc__, description=_cmd_batch.__doc__)
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

    desk = sub.add_parser("desk", help=_cmd_desk.__doc__, description=_cmd_desk.__doc__)
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

    ev = sub.add_parser("eval", help=_cmd_eval.__doc__, description=_cmd_eval.__doc__)
    ev.add_argument(
        "--dataset", help=f"dataset folder: articles/*.txt, labels/*.yaml (default {DEFAULT_DATASET}, or the run's)"
    )
    ev.add_argument("--model", help="model name (default: $SUMMARIZER_MODEL, or the embedded model)")
    ev.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, or embedded)")
    ev.add_argument("--strategy", choices=strategies.names(), default=strategies.DEFAULT_STRATEGY,
                    help=f"extraction strategy (default: {strategies.DEFAULT_STRATEGY})")  # fmt: skip
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
    ev.add_argument("--baseline", metavar="REPORT", help="exit 3 when a quality figure falls below this report's")
    ev.add_argument("--tolerance", type=float, default=0.0, help="allowed drop below the baseline (default 0)")
    ev.add_argument("--judge", action="store_true", help="also grade each thesis with an LLM judge (prompts/judge)")
    ev.add_argument("--judge-model", help="the judge's model (default: --model / $SUMMARIZER_MODEL)")
    ev.add_argument("--judge-base-url", help="the judge's endpoint (default: --base-url / $OPENAI_BASE_URL)")
    ev.add_argument(
        "--cassettes", metavar="DIR", help="replay each case's HTTP from DIR/<strategy>/<case>.yaml (no model)"
    )
    ev.add_argument("--record", action="store_true", help="with --cassettes: record what they lack from the live model")
    ev.set_defaults(func=_cmd_eval, eval_command=None)
    ev_sub = ev.add_subparsers(dest="eval_command")
    cmp_ = ev_sub.add_parser("compare", help="per-figure deltas between two runs or reports, and worse cases")
    cmp_.add_argument("a", help="run file (*.run.json) or report (*.report.json)")
    cmp_.add_argument("b", help="run file or report to compare with A")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _status_to_stderr(quiet=args.quiet)
    try:
        return int(args.func(args))
    except ExtractionError as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return 1
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
