"""The desk's database: articles, their briefs and every change, in one SQLite file (WAL mode).

Each call opens its own connection, so the web server's threads and the drafting worker never share
one. A brief is saved with optimistic concurrency: an edit names the version it was made on, and a
save over a newer version is refused with `Conflict` instead of overwriting it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import SummarizerError

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id        TEXT PRIMARY KEY,
    title     TEXT,
    published TEXT,
    source    TEXT,
    origin    TEXT,            -- the header's origin: line
    text      TEXT NOT NULL,
    status    TEXT NOT NULL,   -- queued, drafting, ready, failed
    stage     TEXT,            -- what drafting is doing now
    started   TEXT,            -- when drafting began
    expected  REAL,            -- seconds drafting is expected to take, from this desk's earlier drafts
    reason    TEXT,            -- why it failed
    draft     TEXT,            -- the model's brief, JSON, never changed
    brief     TEXT,            -- the editor's brief, JSON
    marks     TEXT,            -- per item: pending, accepted, rejected, edited, added
    version   INTEGER NOT NULL DEFAULT 0,
    approved  TEXT,            -- when the brief was approved for publishing
    created   TEXT NOT NULL,
    updated   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id),
    at         TEXT NOT NULL,
    editor     TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_article ON history(article_id, seq);
"""

STATUSES = ("queued", "drafting", "ready", "failed")
# Columns a database made by an earlier desk lacks, added on open.
ADDED_COLUMNS = {"origin": "TEXT", "started": "TEXT", "expected": "REAL"}
LIST_COLUMNS = (
    "id, title, published, source, status, stage, reason, started, expected, version, approved, created, updated"
)


class Conflict(SummarizerError):
    """The brief changed since the version an edit was made on."""


class NotFound(SummarizerError):
    """No article with this id."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Row:
    id: str
    title: str | None
    published: str | None
    source: str | None
    origin: str | None
    text: str
    status: str
    stage: str | None
    started: str | None
    expected: float | None
    reason: str | None
    draft: dict[str, Any] | None
    brief: dict[str, Any] | None
    marks: dict[str, list[str]] | None
    version: int
    approved: str | None
    created: str
    updated: str

    @classmethod
    def of(cls, r: sqlite3.Row) -> Row:
        data = dict(r)
        for key in ("draft", "brief", "marks"):
            data[key] = json.loads(data[key]) if data[key] else None
        return cls(**data)


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            have = {r["name"] for r in db.execute("PRAGMA table_info(articles)")}
            for name, kind in ADDED_COLUMNS.items():
                if name not in have:
                    db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def add(
        self, text: str, *, title: str | None, published: str | None, source: str | None, editor: str,
        origin: str | None = None,
    ) -> str:  # fmt: skip
        aid = uuid.uuid4().hex[:12]
        t = now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO articles (id, title, published, source, origin, text, status, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                (aid, title, published, source, origin, text, t, t),
            )
            self._log(db, aid, editor, "added", {"source": source})
        return aid

    def get(self, aid: str) -> Row:
        with self._db() as db:
            r = db.execute("SELECT * FROM articles WHERE id = ?", (aid,)).fetchone()
        if r is None:
            raise NotFound(f"no article {aid!r}")
        return Row.of(r)

    def all(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(f"SELECT {LIST_COLUMNS} FROM articles ORDER BY created, rowid").fetchall()
        return [dict(r) for r in rows]

    def ids_with_status(self, *statuses: str) -> list[str]:
        marks = ",".join("?" * len(statuses))
        with self._db() as db:
            rows = db.execute(f"SELECT id FROM articles WHERE status IN ({marks}) ORDER BY created, rowid", statuses)
            return [r["id"] for r in rows]

    def set_status(
        self, aid: str, status: str, *, stage: str | None = None, reason: str | None = None,
        started: str | None = None, expected: float | None = None,
    ) -> None:  # fmt: skip
        with self._tx() as db:
            db.execute(
                "UPDATE articles SET status = ?, stage = ?, reason = ?, started = ?, expected = ?, updated = ? "
                "WHERE id = ?",
                (status, stage, reason, started, expected, now(), aid),
            )
            if status == "failed":
                self._log(db, aid, "desk", "failed", {"reason": reason})

    def requeue(self, aid: str, *, version: int | None, editor: str) -> None:
        """Queue a failed article again, in one transaction: refused when it is not failed (another
        request queued it first) or, given `version`, when the article changed since."""
        with self._tx() as db:
            r = db.execute("SELECT version, status FROM articles WHERE id = ?", (aid,)).fetchone()
            if r is None:
                raise NotFound(f"no article {aid!r}")
            if r["status"] != "failed":
                raise Conflict(f"article {aid} is {r['status']}; only a failed article is drafted again")
            if version is not None and r["version"] != version:
                raise Conflict(f"article {aid} changed since (version {r['version']}, yours was {version}): reload it")
            db.execute(
                "UPDATE articles SET status = 'queued', stage = NULL, reason = NULL, version = version + 1, "
                "updated = ? WHERE id = ?",
                (now(), aid),
            )
            self._log(db, aid, editor, "redraft", {})

    def drafted(
        self, aid: str, brief: dict[str, Any], marks: dict[str, list[str]], run: dict[str, Any], *, version: int
    ) -> None:
        """The model's draft, begun on `version`: kept as drafted, and as the editor's first version.
        Raises Conflict when the article changed while it was drafted (queued again, or a brief saved)."""
        body = json.dumps(brief)
        with self._tx() as db:
            done = db.execute(
                "UPDATE articles SET status = 'ready', stage = NULL, reason = NULL, started = NULL, expected = NULL, "
                "draft = ?, brief = ?, marks = ?, version = version + 1, updated = ? "
                "WHERE id = ? AND version = ? AND status = 'drafting'",
                (body, body, json.dumps(marks), now(), aid, version),
            )
            if done.rowcount != 1:
                raise Conflict(f"article {aid} changed while it was drafted; this draft is not kept")
            self._log(db, aid, "desk", "drafted", run)

    def seconds_per_figure(self, last: int = 10) -> float | None:
        """How long this desk's recent drafts took per figure found, for an estimate of time left."""
        with self._db() as db:
            rows = db.execute(
                "SELECT detail FROM history WHERE action = 'drafted' ORDER BY seq DESC LIMIT ?", (last,)
            ).fetchall()
        runs = [json.loads(r["detail"]) for r in rows]
        timed = [(r["seconds"], r["figures"]) for r in runs if r.get("seconds") and r.get("figures")]
        if not timed:
            return None
        return sum(s for s, _ in timed) / sum(f for _, f in timed)

    def save(
        self,
        aid: str,
        *,
        version: int,
        editor: str,
        action: str,
        detail: dict[str, Any],
        brief: dict[str, Any] | None = None,
        marks: dict[str, list[str]] | None = None,
        approved: str | None = None,
    ) -> int:
        """Save an edit made on `version`; the new version. Raises Conflict when another save came first."""
        with self._tx() as db:
            r = db.execute("SELECT version, status FROM articles WHERE id = ?", (aid,)).fetchone()
            if r is None:
                raise NotFound(f"no article {aid!r}")
            if r["version"] != version:
                who = db.execute(
                    "SELECT editor, at FROM history WHERE article_id = ? ORDER BY seq DESC LIMIT 1", (aid,)
                ).fetchone()
                raise Conflict(
                    f"this brief was changed by {who['editor']} at {who['at']} (version {r['version']}, "
                    f"yours was {version}): reload it and make your change again"
                )
            sets = ["version = version + 1", "updated = ?"]
            args: list[Any] = [now()]
            if brief is not None:
                sets.append("brief = ?")
                args.append(json.dumps(brief))
            if marks is not None:
                sets.append("marks = ?")
                args.append(json.dumps(marks))
            sets.append("approved = ?")
            args.append(approved)
            db.execute(f"UPDATE articles SET {', '.join(sets)} WHERE id = ?", (*args, aid))
            self._log(db, aid, editor, action, detail)
        return version + 1

    def history(self, aid: str) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT seq, at, editor, action, detail FROM history WHERE article_id = ? ORDER BY seq", (aid,)
            ).fetchall()
        return [dict(r) | {"detail": json.loads(r["detail"])} for r in rows]

    @staticmethod
    def _log(db: sqlite3.Connection, aid: str, editor: str, action: str, detail: dict[str, Any]) -> None:
        db.execute(
            "INSERT INTO history (article_id, at, editor, action, detail) VALUES (?, ?, ?, ?, ?)",
            (aid, now(), editor, action, json.dumps(detail, default=str)),
        )
