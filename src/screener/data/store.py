"""The history store (SQLite): entries and their versions, scores by rubric hash, runs, decisions.

One transaction per run; WAL mode so readers never block the nightly writer; the schema is
versioned and migrated forward; values are JSON text, never pickles. The file is created 0600.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from screener.core.errors import StoreError
from screener.data.write import make_private_folders

SCHEMA_VERSION = 3

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        input_path TEXT,
        input_sha256 TEXT,
        rubric_name TEXT,
        rubric_sha256 TEXT,
        outcome TEXT,
        counts TEXT NOT NULL DEFAULT '{}',
        shortlist TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE entries (
        entry_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        content_sha256 TEXT NOT NULL,
        data TEXT NOT NULL,
        first_seen_run INTEGER NOT NULL REFERENCES runs(id),
        first_seen_at TEXT NOT NULL,
        updated_run INTEGER NOT NULL REFERENCES runs(id),
        group_id TEXT NOT NULL DEFAULT '',
        group_why TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE entry_versions (
        entry_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        content_sha256 TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (entry_id, version)
    );
    CREATE TABLE scores (
        entry_id TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        rubric_sha256 TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        score REAL NOT NULL,
        bucket TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (entry_id, content_sha256, rubric_sha256)
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        decision TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL
    );
    CREATE INDEX decisions_entry ON decisions(entry_id, id);
    """,
    2: """
    CREATE TABLE adjustments (
        id INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        points REAL NOT NULL,
        note TEXT NOT NULL,
        who TEXT NOT NULL,
        adjusted_at TEXT NOT NULL
    );
    CREATE INDEX adjustments_entry ON adjustments(entry_id, id);
    """,
    # Each score's text-quality keys and copy counts, JSON {criterion: [key, copies]}; NULL for
    # scores from before, which the next run redoes.
    3: """
    ALTER TABLE scores ADD COLUMN text_keys TEXT
    """,
}


def _loads_all(documents: Iterable[str]) -> list[Any]:
    """Many JSON documents parsed as one array: one call into the parser, not one per row."""
    return json.loads("[" + ",".join(documents) + "]")


class Store:
    """An open store. Use as a context manager; ``transaction()`` wraps each run's changes."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        if not path.exists():
            if not create:
                raise StoreError(f"There is no store at {path} yet; run 'screener run' first.")
            try:
                make_private_folders(path.parent)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError as err:
                raise StoreError(f"Cannot create the store {path}: {err.strerror or err}.") from None
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"The store {path} cannot be opened ({err}); is it a screener store?") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _version(self) -> int:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if not has_meta:
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self._version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"The store {self.path} was written by a newer screener (schema {current}); "
                             "upgrade screener to read it.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, started_at: str, input_path: str, input_sha256: str, rubric_name: str,
                  rubric_sha256: str) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (started_at, input_path, input_sha256, rubric_name, rubric_sha256, outcome)"
            " VALUES (?, ?, ?, ?, ?, 'running')",
            (started_at, input_path, input_sha256, rubric_name, rubric_sha256))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, finished_at: str, outcome: str, counts: dict[str, Any],
                   shortlist: list[str]) -> None:
        self.db.execute("UPDATE runs SET finished_at=?, outcome=?, counts=?, shortlist=? WHERE id=?",
                        (finished_at, outcome, json.dumps(counts, sort_keys=True), json.dumps(shortlist), run_id))

    def last_run(self, finished: bool = True) -> dict[str, Any] | None:
        where = "WHERE finished_at IS NOT NULL" if finished else ""
        row = self.db.execute(f"SELECT id, started_at, finished_at, input_path, input_sha256, rubric_name, "
                              f"rubric_sha256, outcome, counts, shortlist FROM runs {where} "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        keys = ("id", "started_at", "finished_at", "input_path", "input_sha256", "rubric_name",
                "rubric_sha256", "outcome", "counts", "shortlist")
        out = dict(zip(keys, row, strict=True))
        out["counts"] = json.loads(out["counts"])
        out["shortlist"] = json.loads(out["shortlist"])
        return out

    # -- entries ------------------------------------------------------------------------------

    def entry_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT entry_id, content_sha256 FROM entries"))

    def upsert_entries(self, rows: Iterable[tuple[str, str, str]], run_id: int, now: str) -> tuple[int, int]:
        """Insert new entries and new versions of changed ones (history kept). Returns (new, changed)."""
        known = self.entry_hashes()
        new = changed = 0
        for entry_id, sha, data in rows:
            old = known.get(entry_id)
            if old == sha:
                continue
            if old is None:
                new += 1
                version = 1
                self.db.execute(
                    "INSERT INTO entries (entry_id, version, content_sha256, data, first_seen_run, first_seen_at,"
                    " updated_run) VALUES (?, 1, ?, ?, ?, ?, ?)", (entry_id, sha, data, run_id, now, run_id))
            else:
                changed += 1
                (version,) = self.db.execute("SELECT version + 1 FROM entries WHERE entry_id=?",
                                             (entry_id,)).fetchone()
                self.db.execute("UPDATE entries SET version=?, content_sha256=?, data=?, updated_run=? "
                                "WHERE entry_id=?", (version, sha, data, run_id, entry_id))
            self.db.execute("INSERT INTO entry_versions VALUES (?, ?, ?, ?, ?)",
                            (entry_id, version, run_id, sha, data))
            known[entry_id] = sha
        return new, changed

    def entries_data(self, exclude: set[str] | None = None) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT entry_id, data FROM entries ORDER BY rowid").fetchall()
        return [(i, d) for i, d in rows if not exclude or i not in exclude]

    def set_groups(self, groups: Iterable[tuple[str, str, str]]) -> None:
        self.db.executemany("UPDATE entries SET group_id=?, group_why=? WHERE entry_id=?",
                            ((g, w, i) for i, g, w in groups))

    def content_sha256(self, entry_id: str) -> str | None:
        row = self.db.execute("SELECT content_sha256 FROM entries WHERE entry_id=?", (entry_id,)).fetchone()
        return None if row is None else str(row[0])

    def has_entry(self, entry_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM entries WHERE entry_id=?", (entry_id,)).fetchone() is not None

    # -- scores -------------------------------------------------------------------------------

    def scored(self, rubric_sha256: str) -> set[str]:
        """Entries whose current version has a score under this rubric."""
        return {i for (i,) in self.db.execute(
            "SELECT e.entry_id FROM entries e JOIN scores s ON s.entry_id = e.entry_id "
            "AND s.content_sha256 = e.content_sha256 AND s.rubric_sha256 = ?", (rubric_sha256,))}

    def text_keys(self, rubric_sha256: str) -> dict[str, dict[str, list[Any]]]:
        """Per entry with a current score: its text-quality keys and copy counts when scored,
        ``{criterion id: [text key, copies]}`` (entries scored before keys were kept are absent)."""
        rows = self.db.execute(
            "SELECT e.entry_id, s.text_keys FROM entries e JOIN scores s "
            "ON s.entry_id = e.entry_id AND s.content_sha256 = e.content_sha256 AND s.rubric_sha256 = ?",
            (rubric_sha256,)).fetchall()
        kept = [(i, k) for i, k in rows if k is not None]
        return dict(zip((i for i, _k in kept), _loads_all(k for _i, k in kept), strict=True))

    def save_scores(self, rows: Iterable[tuple[str, str, str, int, float, str, str, str | None]]) -> None:
        """(entry, content sha256, rubric sha256, run, score, bucket, record JSON, text keys JSON)."""
        self.db.executemany("INSERT OR REPLACE INTO scores (entry_id, content_sha256, rubric_sha256, run_id, score, "
                            "bucket, record, text_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def current_table(self, rubric_sha256: str) -> pd.DataFrame:
        """Every entry's current scored record under this rubric, one row each in store order, with
        the store's facts as columns: duplicate group, first seen, versions, the latest decision
        and the sum of adjustments."""
        decided = {i: (d, n, at) for i, d, n, at in self.db.execute(
            "SELECT entry_id, decision, note, decided_at FROM decisions WHERE id IN "
            "(SELECT MAX(id) FROM decisions GROUP BY entry_id)")}
        adjusted = {i: (p, n, w, at) for i, p, n, w, at in self.db.execute(
            "SELECT entry_id, SUM(points), GROUP_CONCAT(note, ' | '), GROUP_CONCAT(who, ', '), MAX(adjusted_at) "
            "FROM adjustments GROUP BY entry_id")}
        rows = self.db.execute(
            "SELECT e.entry_id, s.record, e.first_seen_run, e.first_seen_at, e.version, e.group_id, "
            "e.group_why, s.text_keys FROM entries e JOIN scores s ON s.entry_id = e.entry_id "
            "AND s.content_sha256 = e.content_sha256 AND s.rubric_sha256 = ? ORDER BY e.rowid",
            (rubric_sha256,)).fetchall()
        if not rows:
            return pd.DataFrame()
        table = pd.DataFrame(_loads_all(r[1] for r in rows))
        entries, _records, first_run, first_at, versions, groups, whys, keys = (
            list(c) for c in zip(*rows, strict=True))
        facts = [decided.get(e, ("", "", "")) for e in entries]
        moves = [adjusted.get(e, (0.0, "", "", "")) for e in entries]
        points = [round(float(m[0]), 2) for m in moves]
        adjusted_score = [round(min(100.0, max(0.0, float(s) + float(m[0]))), 2)
                          for s, m in zip(table["score"].tolist(), moves, strict=True)]
        extra = {
            "duplicate_group": groups, "duplicate_why": whys, "first_seen_run": first_run, "first_seen_at": first_at,
            "versions": versions, "decision": [f[0] for f in facts], "decision_note": [f[1] for f in facts],
            "decided_at": [f[2] for f in facts], "adjustment": points, "adjusted_score": adjusted_score,
            "adjustment_note": [m[1] for m in moves], "adjusted_by": [m[2] for m in moves],
            "adjusted_at": [m[3] for m in moves],
        }
        if any(k is not None for k in keys):
            extra["_text_keys"] = _loads_all(k or "{}" for k in keys)
        return pd.concat([table, pd.DataFrame(extra, index=table.index)], axis=1)

    # -- decisions ----------------------------------------------------------------------------

    def add_decision(self, entry_id: str, decision: str, note: str, when: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO decisions (entry_id, decision, note, decided_at) VALUES (?, ?, ?, ?)",
                            (entry_id, decision, note, when))

    def add_adjustment(self, entry_id: str, points: float, note: str, who: str, when: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO adjustments (entry_id, points, note, who, adjusted_at) VALUES (?, ?, ?, ?, ?)",
                            (entry_id, points, note, who, when))
