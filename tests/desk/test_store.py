"""The desk's database: one opened by an earlier desk gains the columns it lacks, its rows intact."""

from __future__ import annotations

import sqlite3

from summarizer.desk.store import SCHEMA, Store

NEW_COLUMNS = ("origin", "started", "expected")


def test_a_database_of_an_earlier_desk_is_opened_with_its_articles(tmp_path):
    old = "\n".join(x for x in SCHEMA.splitlines() if x.split()[:1] not in ([c] for c in NEW_COLUMNS))
    assert all(f"{c} " not in old for c in NEW_COLUMNS)
    path = tmp_path / "desk.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(old)
        db.execute(
            "INSERT INTO articles (id, title, published, source, text, status, created, updated) "
            "VALUES ('a1', 'T', '2026-01-04', 'pasted', 'Acme rose 5%.', 'failed', 'x', 'x')"
        )
    store = Store(path)
    row = store.get("a1")
    assert (row.title, row.origin, row.started, row.expected, row.status) == ("T", None, None, None, "failed")
    assert store.all()[0]["id"] == "a1"
    aid = store.add("Acme fell 3%.", title=None, published=None, source="s", origin="o", editor="e")
    assert store.get(aid).origin == "o"
