"""Drafting in the background: queued articles are briefed by the library, a few at a time.

The queue lives in the database, not in memory: on start, articles left `queued` or `drafting` by a
stopped server are drafted again, so a restart loses no work. Every database call runs in a worker
thread, off the event loop. Each draft records its stage, when it began and how long it is expected to
take (this desk's recent seconds per figure times the figures found), for the pages' progress.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from typing import Any

from ..api import asummarize
from ..errors import SummarizerError
from ..finding import check_article, find
from .review import fresh_marks
from .store import Conflict, Store, now

log = logging.getLogger("summarizer")


class Drafter:
    def __init__(self, store: Store, *, concurrency: int = 1, options: dict[str, Any] | None = None) -> None:
        self.store = store
        self.options = options or {}
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.tasks: set[asyncio.Task[None]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def resume(self) -> int:
        """Start on the running event loop, and queue again what a stopped server left queued or half
        drafted; how many."""
        self.loop = asyncio.get_running_loop()
        ids = await asyncio.to_thread(self.store.ids_with_status, "queued", "drafting")
        for aid in ids:
            await asyncio.to_thread(self.store.set_status, aid, "queued", stage="queued again after a restart")
            self.submit(aid)
        return len(ids)

    def submit(self, aid: str) -> None:
        """Draft the article soon; callable from any thread of the server."""
        assert self.loop is not None, "resume() starts the drafter"
        self.loop.call_soon_threadsafe(self._spawn, aid)

    def _spawn(self, aid: str) -> None:
        task = asyncio.get_running_loop().create_task(self._draft(aid))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def stop(self) -> None:
        for t in list(self.tasks):
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _draft(self, aid: str) -> None:
        async with self.slots:
            store = self.store
            row = await asyncio.to_thread(store.get, aid)
            if row.status not in ("queued", "drafting"):
                return  # drafted or failed meanwhile (a second submit of the same article)
            published = date.fromisoformat(row.published) if row.published else None
            t0, started = time.monotonic(), now()
            try:
                await asyncio.to_thread(store.set_status, aid, "drafting", stage="finding figures", started=started)
                found = await asyncio.to_thread(find, row.text, published)
                check_article(found)
                n = len(found.figures)
                per_figure = await asyncio.to_thread(store.seconds_per_figure)
                expected = round(per_figure * max(n, 1) + (time.monotonic() - t0), 1) if per_figure else None
                await asyncio.to_thread(store.set_status, aid, "drafting", stage=f"asking the model about {n} figures",
                                        started=started, expected=expected)  # fmt: skip
                summary = await asummarize(row.text, published=published, title=row.title, **self.options)
            except asyncio.CancelledError:
                raise  # the server is stopping: the article stays `drafting` and is drafted again on start
            except SummarizerError as exc:
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                await asyncio.to_thread(store.set_status, aid, "failed", reason=reason)
                return
            except Exception as exc:  # a bug must not stop the queue; the reason is kept with the article
                log.exception("drafting %s failed", aid)
                reason = f"internal error: {type(exc).__name__}: {exc}"
                await asyncio.to_thread(store.set_status, aid, "failed", reason=reason)
                return
            brief = summary.brief.model_dump(mode="json")
            run = summary.run.model_dump(mode="json") | {"figures": n, "seconds": round(time.monotonic() - t0, 2)}
            try:
                await asyncio.to_thread(store.drafted, aid, brief, fresh_marks(brief), run, version=row.version)
            except Conflict as exc:
                log.warning("%s", exc)
