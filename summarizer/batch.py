"""Many articles at once: bounded concurrency, each result kept as soon as it exists.

`summarize_many()` returns one outcome per input. `brief_folder()` summarizes every `*.txt` of a
folder into `OUT/<name>.json` (the brief and the run's facts), each written atomically the moment it
is done; a failure is written to `OUT/<name>.error.json` with its reason and the batch goes on. A
second run skips every article whose brief exists, so an interrupted batch loses nothing written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._text import read_article, write_atomic
from .core import Summary, summarize
from .errors import SummarizerError

BATCH_FORMAT_VERSION = 1


@dataclass
class Outcome:
    """One input's result: a summary, or the typed error that stopped it."""

    id: str
    summary: Summary | None = None
    error: SummarizerError | None = None

    @property
    def ok(self) -> bool:
        return self.summary is not None


def summarize_many(
    texts: Iterable[str] | dict[str, str],
    *,
    concurrency: int = 4,
    on_done: Callable[[Outcome], None] | None = None,
    **options: Any,
) -> list[Outcome]:
    """Summarize every text with at most `concurrency` requests in flight; one failure stops nothing.

    `texts` is a list (ids are positions, "0", "1", ...) or a dict of id to text. `options` go to
    `summarize()` (model, base_url, published, ...). Outcomes come back in input order; `on_done` sees
    each as it completes.
    """
    items = dict(texts) if isinstance(texts, dict) else {str(i): t for i, t in enumerate(texts)}
    return _run(items, lambda _id, text: summarize(text, **options), concurrency, on_done)


def _run(
    items: dict[str, Any],
    work: Callable[[str, Any], Summary],
    concurrency: int,
    on_done: Callable[[Outcome], None] | None,
) -> list[Outcome]:
    outcomes: dict[str, Outcome] = {}

    def one(item_id: str, item: Any) -> Outcome:
        try:
            return Outcome(id=item_id, summary=work(item_id, item))
        except SummarizerError as exc:
            return Outcome(id=item_id, error=exc)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(one, i, item) for i, item in items.items()]
        for fut in as_completed(futures):
            outcome = fut.result()
            outcomes[outcome.id] = outcome
            if on_done:
                on_done(outcome)
    return [outcomes[i] for i in items]


@dataclass
class FolderResult:
    done: list[str]
    skipped: list[str]
    failed: list[str]


def brief_folder(
    source: Path,
    out: Path,
    *,
    concurrency: int = 4,
    on_done: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    **options: Any,
) -> FolderResult:
    """Brief every `*.txt` in `source` into `out`, skipping those already briefed there."""
    if not source.is_dir():
        raise SummarizerError(f"{source} is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    articles = sorted(source.glob("*.txt"))
    if not articles:
        raise SummarizerError(f"{source} has no .txt articles")
    todo = {p.stem: p for p in articles if not (out / f"{p.stem}.json").is_file()}
    skipped = [p.stem for p in articles if p.stem not in todo]
    if on_plan:
        on_plan(len(todo), len(skipped))

    def work(_id: str, path: Path) -> Summary:
        article = read_article(path)
        return summarize(article.text, published=article.published, title=article.title, **options)

    def keep(outcome: Outcome) -> None:
        error_file = out / f"{outcome.id}.error.json"
        if outcome.summary is not None:
            record = {"version": BATCH_FORMAT_VERSION, "source": str(todo[outcome.id])}
            record |= json.loads(outcome.summary.model_dump_json())
            write_atomic(out / f"{outcome.id}.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")
            error_file.unlink(missing_ok=True)
        else:
            err = outcome.error
            record = {
                "version": BATCH_FORMAT_VERSION,
                "source": str(todo[outcome.id]),
                "error_type": type(err).__name__,
                "error": str(err),
                "attempts": getattr(err, "attempts", None),
            }
            write_atomic(error_file, json.dumps(record, indent=1) + "\n")
        if on_done:
            on_done(outcome)

    outcomes = _run(todo, work, concurrency, keep)
    return FolderResult(
        done=[o.id for o in outcomes if o.ok],
        skipped=skipped,
        failed=[o.id for o in outcomes if not o.ok],
    )
