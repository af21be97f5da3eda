"""The command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __name__ as _pkg
from ._text import decode_input, parse_article
from .core import summarize
from .errors import ExtractionError, SummarizerError
from .render import to_markdown


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise SummarizerError(f"{path}: no such file")
    if p.is_dir():
        raise SummarizerError(f"{path} is a directory; give one article file (or - for stdin)")
    return p.read_bytes()


def _cmd_brief(args: argparse.Namespace) -> int:
    """Summarize one article file (or - for stdin) and print the brief."""
    name = "stdin" if args.path == "-" else args.path
    article = parse_article(decode_input(_read(args.path), name=name))
    summary = summarize(
        article.text,
        published=args.published or article.published,
        title=article.title,
        model=args.model,
        base_url=args.base_url,
        max_attempts=args.attempts,
    )
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
    brief.set_defaults(func=_cmd_brief)
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
