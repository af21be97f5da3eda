"""Many articles at once: bounded concurrency, each result kept as soon as it exists.

`summarize_many()` returns one outcome per input. `brief_folder()` summarizes every `*.txt` of a
folder into `OUT/<name>.json` (the brief and the run's facts), each written atomically the moment it
is done; a failure is written to `OUT/<name>.error.json` with its reason and the batch goes on. A
second run skips every article whose brief exists, so an interrupted batch loses nothing written.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from .api import Options, Summary, asummarize
from .article import read_article
from .errors import SummarizerError
from .model import run_sync
from .text import write_atomic

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
    **options: Unpack[Options],
) -> list[Outcome]:
    """Summarize every text with at most `concurrency` requests in flight; one failure stops nothing.

    `texts` is a list (ids are positions, "0", "1", ...) or a dict of id to text. `options` go to
    `summarize()` (model, base_url, published, ...). Outcomes come back in input order; `on_done` sees
    each as it completes.
    """
    items = dict(texts) if isinstance(texts, dict) else {str(i): t for i, t in enumerate(texts)}
    return run_sync(_run(items, lambda _id, text: asummarize(text, **options), concurrency, on_done))


async def _run(
    items: dict[str, Any],
    work: Callable[[str, Any], Awaitable[Summary]],
    concurrency: int,
    on_done: Callable[[Outcome], None] | None,
) -> list[Outcome]:
    """Every item through `work` with at most `concurrency` in flight, outcomes in input order."""
    slots = asyncio.Semaphore(max(1, concurrency))

    async def one(item_id: str, item: Any) -> Outcome:
        async with slots:
            try:
                outcome = Outcome(id=item_id, summary=await work(item_id, item))
            except SummarizerError as exc:
                outcome = Outcome(id=item_id, error=exc)
        if on_done:
            on_done(outcome)
        return outcome

    return list(await asyncio.gather(*(one(i, item) for i, item in items.items())))


@dataclass
class FolderResult:
    done: list[str]
    skipped: list[str]
    failed: list[str]


def folder_articles(source: Path) -> list[Path]:
    """The `*.txt` articles of a folder, sorted; a SummarizerError for no folder or no article."""
    if not source.is_dir():
        raise SummarizerError(f"{source} is not a folder")
    articles = sorted(source.glob("*.txt"))
    if not articles:
        raise SummarizerError(f"{source} has no .txt articles")
    return articles


def save_outcome(out: Path, outcome: Outcome, source: Path) -> None:
    """Write `OUT/<id>.json` (the brief and the run's facts) atomically, removing an earlier error
    file; or `OUT/<id>.error.json` with the reason of a failure."""
    error_file = out / f"{outcome.id}.error.json"
    if outcome.summary is not None:
        record = {"version": BATCH_FORMAT_VERSION, "source": str(source)}
        record |= json.loads(outcome.summary.model_dump_json())
        write_atomic(out / f"{outcome.id}.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        error_file.unlink(missing_ok=True)
    else:
        err = outcome.error
        record = {
            "version": BATCH_FORMAT_VERSION,
            "source": str(source),
            "error_type": type(err).__name__,
            "error": str(err),
            "attempts": getattr(err, "attempts", None),
        }
        write_atomic(error_file, json.dumps(record, indent=1) + "\n")


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
    articles = folder_articles(source)
    out.mkdir(parents=True, exist_ok=True)
    todo = {p.stem: p for p in articles if not (out / f"{p.stem}.json").is_file()}
    skipped = [p.stem for p in articles if p.stem not in todo]
    if on_plan:
        on_plan(len(todo), len(skipped))

    async def work(_id: str, path: Path) -> Summary:
        article = read_article(path)
        return await asummarize(article.text, published=article.published, title=article.title, **options)

    def keep(outcome: Outcome) -> None:
        save_outcome(out, outcome, todo[outcome.id])
        if on_done:
            on_done(outcome)

    outcomes = run_sync(_run(todo, work, concurrency, keep))
    return FolderResult(
        done=[o.id for o in outcomes if o.ok],
        skipped=skipped,
        failed=[o.id for o in outcomes if not o.ok],
    )
