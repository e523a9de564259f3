"""SQLite persistence: JSON documents by kind and ID, in creation order, plus a key/value table.

One connection guarded by a lock serialises transactions, which keeps ``:memory:`` databases
(one per connection in SQLite) working and makes every operation atomic under concurrent
requests. File databases use WAL and survive restarts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Document = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    parent TEXT,
    body TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS documents_by_parent ON documents (kind, parent);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Transaction:
    """Reads and writes inside one SQLite transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def get(self, kind: str, doc_id: str) -> Document | None:
        """The document, or None."""
        row = self._db.execute("SELECT body FROM documents WHERE kind = ? AND id = ?", (kind, doc_id)).fetchone()
        return None if row is None else _load(row[0])

    def put(self, kind: str, doc_id: str, body: Document, parent: str | None = None) -> None:
        """Insert the document, or replace it in place (keeping its position in creation order)."""
        self._db.execute(
            "INSERT INTO documents (kind, id, parent, body) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, body = excluded.body",
            (kind, doc_id, parent, json.dumps(body, separators=(",", ":"))),
        )

    def delete(self, kind: str, doc_id: str) -> bool:
        """Remove the document; False if there was none."""
        cursor = self._db.execute("DELETE FROM documents WHERE kind = ? AND id = ?", (kind, doc_id))
        return cursor.rowcount > 0

    def all(self, kind: str, parent: str | None = None) -> list[Document]:
        """Every document of ``kind`` (only those under ``parent`` if given), oldest first."""
        if parent is None:
            rows = self._db.execute("SELECT body FROM documents WHERE kind = ? ORDER BY seq", (kind,))
        else:
            rows = self._db.execute(
                "SELECT body FROM documents WHERE kind = ? AND parent = ? ORDER BY seq", (kind, parent)
            )
        return [_load(body) for (body,) in rows]

    def count(self, kind: str) -> int:
        """How many documents of ``kind`` exist."""
        (number,) = self._db.execute("SELECT count(*) FROM documents WHERE kind = ?", (kind,)).fetchone()
        return int(number)

    def setting(self, key: str) -> str | None:
        """A stored setting, or None."""
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


class Store:
    """The emulator's database (a file path, or ``:memory:``)."""

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic unit of work: committed on success, rolled back on any exception."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _load(body: str) -> Document:
    loaded: Document = json.loads(body)
    return loaded
