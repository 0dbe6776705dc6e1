"""The history store (SQLite): entries and their versions, scores by rubric hash, runs, decisions.

One transaction per run; WAL mode so readers never block the nightly writer; the schema is
versioned and migrated forward; values are JSON text, never pickles. The file is created 0600,
whole (a new store appears only once its schema is written), and never through a link.

Faults from outside are said in one sentence each (``store_faults``): a store that fails
``PRAGMA quick_check`` on opening, or is empty, is refused before anything is written to it; a
read-only store, a full disk or a store busy beyond the wait are named with what was kept.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.core.errors import (
    LinkRefusedError,
    LockedError,
    ScreenerError,
    StoreDamagedError,
    StoreError,
    WriteFailedError,
)
from screener.data.write import fsync_path, make_private_folders

# The files SQLite keeps beside the store.
SIDE_FILES = ("-wal", "-shm", "-journal")

SCHEMA_VERSION = 5

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
    # Replies to applicants (app/replies.py): the decision each one answered, who and when.
    4: """
    CREATE TABLE replies (
        id INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        decision_id INTEGER NOT NULL,
        decision TEXT NOT NULL,
        who TEXT NOT NULL,
        replied_at TEXT NOT NULL
    );
    CREATE INDEX replies_decision ON replies(decision_id)
    """,
    # What a nightly run needs without reading whole records back (issue 17): the facts that
    # rank and cut in columns of their own; each scored entry's text keys in a table indexed by
    # key, so that copies are counted in SQL; and duplicate grouping's keys and blocks, so that
    # a new entry is compared only with those it shares a block with.
    5: """
    CREATE TABLE facts (
        rubric_sha256 TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        score REAL NOT NULL,
        bucket TEXT NOT NULL,
        late TEXT NOT NULL,
        test_entry TEXT NOT NULL,
        test_entry_why TEXT NOT NULL,
        entry_status TEXT NOT NULL,
        knockouts TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        PRIMARY KEY (rubric_sha256, entry_id, content_sha256)
    ) WITHOUT ROWID;
    INSERT INTO facts SELECT rubric_sha256, entry_id, content_sha256, score, bucket,
        COALESCE(json_extract(record, '$.late'), ''), COALESCE(json_extract(record, '$.test_entry'), ''),
        COALESCE(json_extract(record, '$.test_entry_why'), ''), COALESCE(json_extract(record, '$.entry_status'), ''),
        COALESCE(json_extract(record, '$.knockouts'), ''), COALESCE(json_extract(record, '$.name'), ''),
        COALESCE(json_extract(record, '$.email'), ''), COALESCE(json_extract(record, '$.submitted_at'), '')
        FROM scores;
    CREATE INDEX entries_facts ON entries(entry_id, content_sha256, first_seen_run, first_seen_at, group_id, group_why);
    CREATE TABLE copy_keys (
        rubric_sha256 TEXT NOT NULL,
        criterion TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        key TEXT NOT NULL,
        copies INTEGER NOT NULL,
        PRIMARY KEY (rubric_sha256, criterion, entry_id)
    ) WITHOUT ROWID;
    CREATE INDEX copy_keys_key ON copy_keys(rubric_sha256, criterion, key);
    INSERT OR REPLACE INTO copy_keys
        SELECT s.rubric_sha256, j.key, s.entry_id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
        FROM entries e JOIN scores s ON s.entry_id = e.entry_id AND s.content_sha256 = e.content_sha256,
        json_each(s.text_keys) j WHERE s.text_keys IS NOT NULL;
    CREATE TABLE group_keys (
        entry_id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        profile TEXT NOT NULL,
        name TEXT NOT NULL,
        head TEXT NOT NULL,
        tail TEXT NOT NULL,
        long INTEGER NOT NULL,
        submitted TEXT NOT NULL,
        cluster INTEGER NOT NULL
    );
    CREATE INDEX group_keys_cluster ON group_keys(cluster);
    CREATE TABLE blocks (
        block INTEGER NOT NULL,
        entry_id TEXT NOT NULL,
        PRIMARY KEY (block, entry_id)
    ) WITHOUT ROWID;
    CREATE INDEX blocks_entry ON blocks(entry_id)
    """,
}


def _version(db: sqlite3.Connection) -> int:
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return 0
    row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


_PART = 500  # values bound in one statement (SQLite allows 32,766; fewer keep each query plan simple)


def _parts(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _PART):
        yield values[start:start + _PART]


def _loads_all(documents: Iterable[str]) -> list[Any]:
    """Many JSON documents parsed as one array: one call into the parser, not one per row."""
    return json.loads("[" + ",".join(documents) + "]")


def reason(err: OSError) -> str:
    """An operating-system error in words: 'the disk is full', 'the file system is read-only'..."""
    known = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
             errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
             errno.EPERM: "the operation is not permitted", errno.EFBIG: "the file would be too large",
             errno.EIO: "an input/output error on the disk", errno.EISDIR: "it is a folder"}
    return known.get(err.errno or 0, (err.strerror or str(err)).lower())


def refuse_link(path: Path) -> None:
    """Refuse ``path`` when it is a symbolic link, a hard link (more than one name) or not a
    regular file: screener never writes through a link it did not make. Missing is fine."""
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise LinkRefusedError(f"{path} is a symbolic link, and screener never writes through a link it did "
                               "not make: remove the link and run again.")
    if not stat.S_ISREG(info.st_mode):
        raise WriteFailedError(f"Cannot write {path}: it is not a regular file; remove it or give another path.")
    if info.st_nlink > 1:
        raise LinkRefusedError(f"{path} is a hard link ({info.st_nlink} names for one file), and screener never "
                               "writes into a file shared with another name: remove it and run again.")


def open_own(path: Path, flags: int, what: str = "") -> int:
    """``os.open`` for writing a file screener owns (created 0600): never through a symbolic or
    hard link, never a FIFO or device (it would block); faults said in one sentence, ``what``
    naming the file ("the audit log")."""
    refuse_link(path)
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600)
    except OSError as err:
        if err.errno == errno.ELOOP:
            refuse_link(path)  # a link planted since the check above
            raise LinkRefusedError(f"{path} is a symbolic link, and screener never writes through a link it "
                                   "did not make: remove the link and run again.") from None
        raise WriteFailedError(f"Cannot write {what + ' ' if what else ''}{path}: {reason(err)}.") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(fd)
        refuse_link(path)
        raise LinkRefusedError(f"{path} changed into a link while screener opened it; nothing was written.")
    return fd


def _read_only(path: Path) -> bool:
    """The store, or its folder, cannot be written (a read-only file system or file)."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def _store_error(path: Path, err: sqlite3.DatabaseError) -> ScreenerError:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return LockedError(f"The store {path} is busy (another screener command is writing it); nothing was "
                           "recorded: run the command again.")
    if "readonly" in text or "read-only" in text or _read_only(path):
        return WriteFailedError(f"The store {path} is read-only; nothing was recorded: make it writable and run "
                                "the command again.")
    if "full" in text:
        return WriteFailedError(f"The disk holding the store {path} is full; nothing was recorded (the store is "
                                "as it was): free some space and run the command again.")
    if "disk i/o" in text or "unable to open" in text:
        return WriteFailedError(f"The store {path} cannot be read or written ({err}); nothing was recorded: "
                                "check the disk and the folder's permissions, then run the command again.")
    return StoreDamagedError(f"The store {path} is damaged ({err}); screener wrote nothing to it: restore it "
                             "from a backup, or move it away to start a new store.")


@contextlib.contextmanager
def store_faults(path: Path) -> Iterator[None]:
    """SQLite's faults from outside screener (a damaged page, a read-only file, a full disk) as
    one sentence each, naming the store; a programming error stays a bug."""
    try:
        yield
    except sqlite3.DatabaseError as err:
        if type(err) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
            raise
        raise _store_error(path, err) from None


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fsync_path(folder)


class Store:
    """An open store. Use as a context manager; ``transaction()`` wraps each run's changes.

    ``create``: make a new store when there is none. ``new_store``: an empty (0-byte) file at
    ``path`` is replaced by a new store; without it an empty store is refused (its history is
    gone, and screener will not pretend otherwise)."""

    def __init__(self, path: Path, *, create: bool = True, new_store: bool = False, check_later: bool = False) -> None:
        """``check_later``: the store's check runs in a thread on its own connection (SQLite works
        without Python's lock), and ``transaction()`` waits for its verdict before anything is
        committed; the nightly run reads its export and does its work meanwhile."""
        self.path = path
        self._check: threading.Thread | None = None
        self._verdict: list[str | sqlite3.DatabaseError] = []
        for name in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
            refuse_link(name)
        with store_faults(path):
            if not path.exists():
                if not create:
                    raise StoreError(f"There is no store at {path} yet; run 'screener run' first.")
                self._create(path, replace=False)
            elif path.stat().st_size == 0:
                if not new_store:
                    raise StoreDamagedError(
                        f"The store {path} is empty (0 bytes): its history is gone. Restore it from a backup, or "
                        "run 'screener run --new-store' to start a new store in its place.")
                self._create(path, replace=True)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            try:
                if check_later and _version(self.db) == SCHEMA_VERSION:
                    self._check = threading.Thread(target=self._quick_check, name="screener-store-check", daemon=True)
                    self._check.start()
                else:
                    self._verdict.append(self._quick_check_on(self.db))
                    self._checked()
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self.db.execute("PRAGMA synchronous=FULL")
                self._migrate()
            except BaseException:
                self.db.close()
                raise

    @staticmethod
    def _create(path: Path, *, replace: bool) -> None:
        """Write a new store beside ``path`` and move it there whole (0600, never through a link):
        a store is never seen without its schema."""
        try:
            make_private_folders(path.parent)
        except OSError as err:
            raise WriteFailedError(f"Cannot create the store {path}: {reason(err)}.") from None
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        for name in (tmp, *(tmp.with_name(tmp.name + side) for side in SIDE_FILES)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)  # left by a run killed while it made a store
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                Store._migrate_db(db, tmp)
            finally:
                db.close()  # the last connection folds the WAL into the file
            fsync_path(tmp)
            if replace:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # fails when another command made the store meanwhile
                except FileExistsError:
                    pass
                os.unlink(tmp)
            _fsync_folder(path.parent)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise WriteFailedError(f"Cannot create the store {path}: {reason(err)}.") from None
        except sqlite3.DatabaseError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @staticmethod
    def _quick_check_on(db: sqlite3.Connection) -> str:
        found = db.execute("PRAGMA quick_check").fetchone()
        return "no answer" if found is None else str(found[0])

    def _quick_check(self) -> None:
        """In the check's thread: the verdict of ``PRAGMA quick_check`` on a connection of its own
        (or the error SQLite raised, raised again by ``_checked`` where ``store_faults`` names it)."""
        from urllib.parse import quote

        try:
            own = sqlite3.connect("file:" + quote(str(self.path.resolve())) + "?mode=ro", uri=True, timeout=30)
            try:
                self._verdict.append(self._quick_check_on(own))
            finally:
                own.close()
        except sqlite3.DatabaseError as err:
            self._verdict.append(err)

    def _checked(self) -> None:
        """Wait for the store's check; a damaged store is refused here, before any commit."""
        if self._check is not None:
            self._check.join()
            self._check = None
        found = self._verdict[0] if self._verdict else "no answer"
        if isinstance(found, BaseException):
            raise found
        if found != "ok":
            raise StoreDamagedError(
                f"The store {self.path} is damaged ({found}); screener wrote nothing to it: restore it from a "
                "backup, or move it away to start a new store.")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._check is not None:
            self._check.join()
            self._check = None
        self.db.close()

    def _version(self) -> int:
        return _version(self.db)

    def _migrate(self) -> None:
        self._migrate_db(self.db, self.path)

    @staticmethod
    def _migrate_db(db: sqlite3.Connection, path: Path) -> None:
        current = _version(db)
        if current > SCHEMA_VERSION:
            raise StoreError(f"The store {path} was written by a newer screener (schema {current}); "
                             "upgrade screener to read it.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextlib.contextmanager
    def transaction(self, waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """One write transaction. With ``waiting``, a store another command is writing (a long
        nightly run) is waited for as long as it takes, ``waiting()`` called once first so that
        the person knows; without it, SQLite's 30 s wait and then a ``LockedError``.

        The store's check, when still running in its thread (``check_later``), is waited for
        before the commit rather than before the first write: a damaged store is refused with
        the transaction rolled back, so nothing is written to it either way."""
        pending = self._check is not None
        if not pending:
            self._checked()
        if waiting is None:
            self.db.execute("BEGIN IMMEDIATE")
        else:
            self._begin_waiting(waiting)
        try:
            yield
            if pending:
                self._checked()
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            if pending:  # a damaged store is said to be damaged, whatever the writes met
                self._checked()
            raise
        self.db.execute("COMMIT")

    def _begin_waiting(self, waiting: Callable[[], None]) -> None:
        told = False
        self.db.execute("PRAGMA busy_timeout = 1000")
        try:
            while True:
                try:
                    self.db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as err:
                    if "locked" not in str(err) and "busy" not in str(err):
                        raise
                if not told:
                    waiting()
                    told = True
                    self.db.execute("PRAGMA busy_timeout = 60000")
        finally:
            self.db.execute("PRAGMA busy_timeout = 30000")

    def committed(self, run_id: int, outcome: str) -> bool:
        """Whether run ``run_id`` reads back finished with ``outcome`` through a new connection:
        what the next command will see, not this connection's own view (a WAL file removed
        during the run leaves this connection seeing a commit that nobody else does)."""
        from urllib.parse import quote

        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        try:
            fresh = sqlite3.connect(uri, uri=True, timeout=30)
            try:
                row = fresh.execute("SELECT outcome, finished_at FROM runs WHERE id=?", (run_id,)).fetchone()
            finally:
                fresh.close()
        except sqlite3.DatabaseError:
            return False
        return row is not None and row[0] == outcome and row[1] is not None

    def checkpoint(self) -> None:
        """Fold the WAL into the store file (from this connection's own view of it)."""
        self.db.execute("PRAGMA wal_checkpoint(FULL)").fetchone()

    # -- meta: the outputs a run wrote, audit-log records not yet appended --------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def stage_audit(self, log: Path, entry: dict[str, Any]) -> str:
        """Keep an audit-log record in the store (inside the caller's transaction) until it is
        appended to ``log``: a decision is never left unaudited by a failed append."""
        (count,) = self.db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'audit_pending:%'").fetchone()
        last = self.db.execute("SELECT MAX(key) FROM meta WHERE key LIKE 'audit_pending:%'").fetchone()[0]
        number = int(str(last).rsplit(":", 1)[1]) + 1 if count and last else 1
        key = f"audit_pending:{number:012d}"
        self.set_meta(key, json.dumps({"log": str(log), "entry": entry}, ensure_ascii=False))
        return key

    def pending_audit(self) -> list[tuple[str, Path, dict[str, Any]]]:
        """The audit-log records kept in the store and not yet appended, oldest first."""
        rows = self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'audit_pending:%' ORDER BY key")
        out = []
        for key, value in rows.fetchall():
            held = json.loads(value)
            out.append((str(key), Path(held["log"]), held["entry"]))
        return out

    def drop_audit(self, key: str) -> None:
        with self.transaction():
            self.set_meta(key, None)

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
        return dict(self.db.execute("SELECT entry_id, content_sha256 FROM entries INDEXED BY entries_facts"))

    def upsert_entries(self, rows: Iterable[tuple[str, str, str]], run_id: int, now: str,
                       known: dict[str, str] | None = None) -> tuple[int, int]:
        """Insert new entries and new versions of changed ones (history kept). Returns (new, changed).
        ``known``: ``entry_hashes()`` as the caller read them in this transaction (a copy is kept)."""
        known = dict(known) if known is not None else self.entry_hashes()
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

    def entry_ids(self) -> list[str]:
        """Every entry, in store order."""
        found = self.db.execute("SELECT rowid, entry_id FROM entries INDEXED BY entries_facts").fetchall()
        return [str(i) for _rowid, i in sorted(found)]

    def entry_data(self, entry_id: str) -> dict[str, Any] | None:
        """The latest version's answers of one entry, by column (None for an unknown id)."""
        row = self.db.execute("SELECT data FROM entries WHERE entry_id = ?", (entry_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def set_groups(self, groups: Iterable[tuple[str, str, str]]) -> None:
        self.db.executemany("UPDATE entries SET group_id=?, group_why=? WHERE entry_id=?",
                            ((g, w, i) for i, g, w in groups))

    def content_sha256(self, entry_id: str) -> str | None:
        row = self.db.execute("SELECT content_sha256 FROM entries WHERE entry_id=?", (entry_id,)).fetchone()
        return None if row is None else str(row[0])

    def has_entry(self, entry_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM entries WHERE entry_id=?", (entry_id,)).fetchone() is not None

    # -- scores -------------------------------------------------------------------------------

    def save_scores(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """(entry, content sha256, rubric sha256, run, score, bucket, record JSON, then the facts
        ranking, the cut and replies read without the record: late, test entry and why, entry
        status, knockouts, name, e-mail, submission time)."""
        rows = list(rows)
        self.db.executemany("INSERT OR REPLACE INTO scores (entry_id, content_sha256, rubric_sha256, run_id, score, "
                            "bucket, record) VALUES (?, ?, ?, ?, ?, ?, ?)", (r[:7] for r in rows))
        self.db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            ((r[2], r[0], r[1], r[4], r[5], *r[7:]) for r in rows))

    # -- text keys: how many sent the same text ------------------------------------------------

    def save_copy_keys(self, rubric_sha256: str, rows: Iterable[tuple[str, str, str, int]]) -> None:
        """(criterion, entry, text key, copies it was scored with): each entry's latest under this rubric."""
        self.db.executemany("INSERT OR REPLACE INTO copy_keys VALUES (?, ?, ?, ?, ?)",
                            ((rubric_sha256, c, e, k, n) for c, e, k, n in rows))

    def _in(self, sql: str, values: Iterable[Any], *before: Any) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql`` (its ``{marks}`` the placeholders of an IN list) over ``values``,
        bound a part at a time after the parameters ``before``."""
        for part in _parts(list(values)):
            yield from self.db.execute(sql.format(marks=",".join("?" * len(part))), (*before, *part))

    def copy_keys_of(self, rubric_sha256: str, criterion: str, entries: Iterable[str]) -> dict[str, tuple[str, int]]:
        """The stored (text key, copies) of ``entries`` that have one."""
        return {e: (k, int(n)) for e, k, n in self._in(
            "SELECT entry_id, key, copies FROM copy_keys WHERE rubric_sha256=? AND criterion=? AND entry_id IN "
            "({marks})", entries, rubric_sha256, criterion)}

    def key_counts(self, rubric_sha256: str, criterion: str, keys: Iterable[str]) -> dict[str, int]:
        """How many entries hold each of ``keys`` (0 for a key nobody holds)."""
        wanted = sorted({k for k in keys if k})
        return dict.fromkeys(wanted, 0) | {k: int(n) for k, n in self._in(
            "SELECT key, COUNT(*) FROM copy_keys WHERE rubric_sha256=? AND criterion=? AND key IN ({marks}) "
            "GROUP BY key", wanted, rubric_sha256, criterion)}

    def key_holders(self, rubric_sha256: str, criterion: str, keys: Iterable[str]) -> list[tuple[str, str, int]]:
        """(entry, key, copies it was scored with) of every entry holding one of ``keys``."""
        return [(str(e), str(k), int(n)) for e, k, n in self._in(
            "SELECT entry_id, key, copies FROM copy_keys WHERE rubric_sha256=? AND criterion=? AND key IN ({marks})",
            sorted({k for k in keys if k}), rubric_sha256, criterion)]

    def has_copy_keys(self, rubric_sha256: str) -> set[str]:
        """The criteria with text keys kept under this rubric."""
        return {str(c) for (c,) in self.db.execute(
            "SELECT DISTINCT criterion FROM copy_keys WHERE rubric_sha256=?", (rubric_sha256,))}

    def copy_facts(self, rubric_sha256: str, entries: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
        """Per entry (of ``entries``, else all), per criterion: how many *others* hold its text key now."""
        query = ("SELECT c.entry_id, c.criterion, n.holders - 1 FROM copy_keys c JOIN (SELECT criterion, key, "
                 "COUNT(*) AS holders FROM copy_keys WHERE rubric_sha256=?1 AND key != '' GROUP BY criterion, key) n "
                 "ON n.criterion = c.criterion AND n.key = c.key WHERE c.rubric_sha256=?1")
        out: dict[str, dict[str, int]] = {}
        if entries is None:
            rows: Iterable[tuple[Any, ...]] = self.db.execute(query, (rubric_sha256,))
        else:
            wanted = list(entries)
            rows = [row for crit in self.has_copy_keys(rubric_sha256) for row in self._in(
                "SELECT entry_id, criterion, (SELECT COUNT(*) FROM copy_keys o WHERE o.rubric_sha256 = "
                "c.rubric_sha256 AND o.criterion = c.criterion AND o.key = c.key) - 1 FROM copy_keys c "
                "WHERE c.rubric_sha256=? AND c.criterion=? AND c.key != '' AND c.entry_id IN ({marks})",
                wanted, rubric_sha256, crit)]
        for entry, crit, others in rows:
            out.setdefault(str(entry), {})[str(crit)] = int(others)
        return out

    # -- duplicate grouping's keys and blocks -----------------------------------------------------

    def save_group_keys(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """(entry, email, phone, profile, name, head, tail, long, submitted, cluster)."""
        self.db.executemany("INSERT OR REPLACE INTO group_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def clear_group_keys(self) -> None:
        self.db.execute("DELETE FROM group_keys")
        self.db.execute("DELETE FROM blocks")

    _GROUP_KEYS = ("SELECT g.entry_id, g.email, g.phone, g.profile, g.name, g.head, g.tail, g.long, g.submitted, "
                   "g.cluster FROM group_keys g")

    def group_keys(self, clusters: Iterable[int] | None = None) -> list[tuple[Any, ...]]:
        """(entry, email, phone, profile, name, head, tail, long, submitted, cluster) in store
        order (the order duplicate grouping reads entries in), of ``clusters`` or of everyone."""
        if clusters is None:
            return self.db.execute(self._GROUP_KEYS + " JOIN entries e ON e.entry_id = g.entry_id "
                                   "ORDER BY e.rowid").fetchall()
        return self._in_store_order(self._in(self._GROUP_KEYS + " WHERE g.cluster IN ({marks})",
                                             sorted(set(clusters))))

    def group_keys_of(self, entries: list[str]) -> list[tuple[Any, ...]]:
        """``group_keys`` rows of ``entries`` (those that have one), in store order."""
        return self._in_store_order(self._in(self._GROUP_KEYS + " WHERE g.entry_id IN ({marks})", entries))

    def _in_store_order(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows whose first value is an entry id, sorted as the entries are in the store."""
        found = list(rows)
        order = self.entry_order([r[0] for r in found])
        return sorted(found, key=lambda r: order[r[0]])

    def block_sizes(self, blocks: Iterable[int]) -> dict[int, int]:
        """How many entries are in each of ``blocks`` (absent: none)."""
        return {int(b): int(n) for b, n in self._in(
            "SELECT block, COUNT(*) FROM blocks WHERE block IN ({marks}) GROUP BY block", sorted(set(blocks)))}

    def entry_order(self, entries: list[str]) -> dict[str, int]:
        """Each entry's place in the store (its rowid)."""
        return dict(self._in("SELECT entry_id, rowid FROM entries WHERE entry_id IN ({marks})", entries))

    def clusters_of(self, entries: Iterable[str]) -> dict[str, int]:
        return dict(self._in("SELECT entry_id, cluster FROM group_keys WHERE entry_id IN ({marks})", entries))

    def set_clusters(self, rows: Iterable[tuple[int, str]]) -> None:
        """(cluster, entry): the cluster each entry is in now."""
        self.db.executemany("UPDATE group_keys SET cluster=? WHERE entry_id=?", rows)

    def set_blocks(self, entries: Iterable[str], rows: Iterable[tuple[int, str]]) -> None:
        """Replace the blocks of ``entries`` with ``rows`` (block, entry)."""
        self.db.executemany("DELETE FROM blocks WHERE entry_id=?", ((e,) for e in entries))
        self.db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", rows)

    def replace_blocks(self, rows: Iterable[tuple[int, str]]) -> None:
        """Everyone's blocks (block, entry), best given in block order: the index by entry is
        built again once they are in, instead of kept up to date row by row."""
        self.db.execute("DELETE FROM blocks")
        self.db.execute("DROP INDEX IF EXISTS blocks_entry")
        self.db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", rows)
        self.db.execute("CREATE INDEX blocks_entry ON blocks(entry_id)")

    def blocks_of(self, entries: Iterable[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for block, entry in self._in("SELECT block, entry_id FROM blocks WHERE entry_id IN ({marks})", entries):
            out.setdefault(str(entry), []).append(int(block))
        return out

    def block_members(self, blocks: Iterable[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for block, entry in self._in("SELECT block, entry_id FROM blocks WHERE block IN ({marks})",
                                     sorted(set(blocks))):
            out.setdefault(int(block), []).append(str(entry))
        return out

    def data_of(self, entries: Iterable[str]) -> dict[str, str]:
        """The latest answers (JSON text) of ``entries``."""
        return dict(self._in("SELECT entry_id, data FROM entries WHERE entry_id IN ({marks})", entries))

    def answers_frame(self, entries: list[str]) -> pd.DataFrame:
        """The latest answers of ``entries`` (all stored), a row each in the order given; a
        column one of them lacks is blank there."""
        data = self.data_of(entries)
        return pd.DataFrame([json.loads(data[e]) for e in entries], dtype=object).fillna("")

    def positions(self, entries: list[str]) -> dict[str, tuple[int, int]]:
        """Each entry's row and line in the export when its current version was last scored."""
        return {str(entry): (int(row or 0), int(line or 0)) for entry, row, line in self._in(
            "SELECT s.entry_id, json_extract(s.record, '$.row'), json_extract(s.record, '$.line') FROM scores s "
            "JOIN entries e ON e.entry_id = s.entry_id AND e.content_sha256 = s.content_sha256 "
            "WHERE s.entry_id IN ({marks}) ORDER BY s.run_id", entries)}

    def unscored(self, rubric_sha256: str, among: Iterable[str] | None = None) -> list[str]:
        """Entries (of ``among``, or all) whose current version has no score under this rubric,
        in store order."""
        # Read from the covering index, not the table (whose rows hold the answers), then sorted.
        query = ("SELECT e.rowid, e.entry_id FROM entries e INDEXED BY entries_facts WHERE NOT EXISTS (SELECT 1 FROM "
                 "scores s WHERE s.entry_id = e.entry_id AND s.content_sha256 = e.content_sha256 AND "
                 "s.rubric_sha256 = ?)")
        found = (self.db.execute(query, (rubric_sha256,)).fetchall() if among is None
                 else list(self._in(query + " AND e.entry_id IN ({marks})", sorted(set(among)), rubric_sha256)))
        return [str(i) for _rowid, i in sorted(found)]

    def missing_copy_keys(self, rubric_sha256: str, criterion: str) -> list[str]:
        """Entries with a current score under this rubric but no text key for ``criterion``
        (scored before keys were kept): the next run scores them again."""
        return [str(i) for (i,) in self.db.execute(
            "SELECT e.entry_id FROM entries e JOIN scores s ON s.entry_id = e.entry_id AND s.content_sha256 = "
            "e.content_sha256 AND s.rubric_sha256 = ?1 WHERE NOT EXISTS (SELECT 1 FROM copy_keys c WHERE "
            "c.rubric_sha256 = ?1 AND c.criterion = ?2 AND c.entry_id = e.entry_id)", (rubric_sha256, criterion))]

    def is_empty(self) -> bool:
        """No entry yet: the project's first run."""
        return self.db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None

    def has_scores(self, rubric_sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM scores WHERE rubric_sha256=? LIMIT 1", (rubric_sha256,)).fetchone() \
            is not None

    def ranking(self, rubric_sha256: str) -> pd.DataFrame:
        """What ranking and the shortlist cut read of every entry with a current score, without
        its record: id, score, bucket, late, test entry, status, knockouts, duplicate group, first
        seen, adjustment and latest decision (as ``current_table`` gives them), in no set order:
        ranking orders by bucket, score and id, and ids are unique (the sort SQLite would do for
        store order took a sixth of the query)."""
        rows = self.db.execute(
            "SELECT e.entry_id, f.score, f.bucket, f.late, f.test_entry, f.entry_status, f.knockouts, e.group_id, "
            "e.first_seen_run, e.first_seen_at FROM facts f JOIN entries e INDEXED BY entries_facts "
            "ON e.entry_id = f.entry_id AND e.content_sha256 = f.content_sha256 WHERE f.rubric_sha256 = ?",
            (rubric_sha256,)).fetchall()
        names = ("id", "score", "bucket", "late", "test_entry", "entry_status", "knockouts", "duplicate_group",
                 "first_seen_run", "first_seen_at")
        table = pd.DataFrame.from_records(rows, columns=list(names))
        if table.empty:
            return table
        moves, facts = self._adjusted(), self._decided()
        entries = table["id"]
        scores = table["score"].to_numpy(dtype=float)
        # Adjusted and decided entries are few: the others' adjusted score is their score (rounded
        # to cents when stored, so rounding again changes nothing; any that is not, rounded here).
        adjustment = np.zeros(len(table))
        adjusted = np.clip(scores, 0.0, 100.0)
        redo = set(np.flatnonzero(np.round(scores, 2) != scores).tolist())
        if moves:
            redo.update(np.flatnonzero(entries.isin(list(moves)).to_numpy()).tolist())
        ids = entries.tolist() if redo else []
        for at in sorted(redo):
            move = float(moves[ids[at]][0]) if ids[at] in moves else 0.0
            adjustment[at] = round(move, 2)
            adjusted[at] = round(min(100.0, max(0.0, float(scores[at]) + move)), 2)
        table["adjustment"] = adjustment
        table["adjusted_score"] = adjusted
        decision = np.full(len(table), "", dtype=object)
        if facts:
            decided = np.flatnonzero(entries.isin(list(facts)).to_numpy())
            decision[decided] = [facts[e][0] for e in entries.iloc[decided].tolist()]
        table["decision"] = decision
        return table

    def _decided(self) -> dict[str, tuple[str, str, str]]:
        return {i: (d, n, at) for i, d, n, at in self.db.execute(
            "SELECT entry_id, decision, note, decided_at FROM decisions WHERE id IN "
            "(SELECT MAX(id) FROM decisions GROUP BY entry_id)")}

    def _adjusted(self) -> dict[str, tuple[float, str, str, str]]:
        return {i: (p, n, w, at) for i, p, n, w, at in self.db.execute(
            "SELECT entry_id, SUM(points), GROUP_CONCAT(note, ' | '), GROUP_CONCAT(who, ', '), MAX(adjusted_at) "
            "FROM adjustments GROUP BY entry_id")}

    def current_table(self, rubric_sha256: str, entries: Iterable[str] | None = None) -> pd.DataFrame:
        """Every entry's current scored record under this rubric (or only those of ``entries``),
        one row each in store order, with the store's facts as columns: duplicate group, first
        seen, versions, the latest decision and the sum of adjustments; ``_copies``: per row,
        per text-quality criterion, how many others sent the same text now."""
        decided, adjusted = self._decided(), self._adjusted()
        query = ("SELECT e.entry_id, s.record, e.first_seen_run, e.first_seen_at, e.version, e.group_id, "
                 "e.group_why FROM entries e JOIN scores s ON s.entry_id = e.entry_id "
                 "AND s.content_sha256 = e.content_sha256 AND s.rubric_sha256 = ?")
        if entries is None:
            rows = self.db.execute(query + " ORDER BY e.rowid", (rubric_sha256,)).fetchall()
            copies = self.copy_facts(rubric_sha256)
        else:
            rows = self._in_store_order(self._in(query + " AND e.entry_id IN ({marks})", entries, rubric_sha256))
            copies = self.copy_facts(rubric_sha256, [r[0] for r in rows])
        if not rows:
            return pd.DataFrame()
        table = pd.DataFrame(_loads_all(r[1] for r in rows))
        entries_, _records, first_run, first_at, versions, groups, whys = (list(c) for c in zip(*rows, strict=True))
        facts = [decided.get(e, ("", "", "")) for e in entries_]
        moves = [adjusted.get(e, (0.0, "", "", "")) for e in entries_]
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
        if copies:
            extra["_copies"] = [copies.get(e, {}) for e in entries_]
        return pd.concat([table, pd.DataFrame(extra, index=table.index)], axis=1)

    # -- decisions ----------------------------------------------------------------------------

    def add_decision(self, entry_id: str, decision: str, note: str, when: str) -> None:
        """Inside the caller's transaction (``transaction(waiting=...)``)."""
        self.db.execute("INSERT INTO decisions (entry_id, decision, note, decided_at) VALUES (?, ?, ?, ?)",
                        (entry_id, decision, note, when))

    def add_adjustment(self, entry_id: str, points: float, note: str, who: str, when: str) -> None:
        """Inside the caller's transaction (``transaction(waiting=...)``)."""
        self.db.execute("INSERT INTO adjustments (entry_id, points, note, who, adjusted_at) VALUES (?, ?, ?, ?, ?)",
                        (entry_id, points, note, who, when))

    # -- replies ------------------------------------------------------------------------------

    def all_decisions(self) -> list[tuple[int, str, str, str]]:
        """Every decision as (id, entry, decision, decided_at), oldest first."""
        return [(int(i), str(e), str(d), str(at)) for i, e, d, at in self.db.execute(
            "SELECT id, entry_id, decision, decided_at FROM decisions ORDER BY id")]

    def answered_decisions(self) -> set[int]:
        """The ids of the decisions a reply was recorded for."""
        return {int(i) for (i,) in self.db.execute("SELECT DISTINCT decision_id FROM replies")}

    def add_reply(self, entry_id: str, decision_id: int, decision: str, who: str, when: str) -> None:
        """Inside the caller's transaction (``transaction(waiting=...)``)."""
        self.db.execute("INSERT INTO replies (entry_id, decision_id, decision, who, replied_at) VALUES (?, ?, ?, ?, ?)",
                        (entry_id, decision_id, decision, who, when))

    def reply_groups(self, rubric_sha256: str) -> list[tuple[str, str, str]]:
        """(id, duplicate group, test-entry mark) of each entry with a current score under this
        rubric, in store order: enough to count those nobody has decided on."""
        return [(str(i), str(g or ""), str(t or "")) for i, g, t in self.db.execute(
            "SELECT e.entry_id, e.group_id, f.test_entry FROM facts f JOIN entries e INDEXED BY entries_facts "
            "ON e.entry_id = f.entry_id AND e.content_sha256 = f.content_sha256 WHERE f.rubric_sha256 = ? "
            "ORDER BY e.rowid", (rubric_sha256,))]

    def reply_facts(self, rubric_sha256: str, entries: Iterable[str]) -> list[dict[str, str]]:
        """Per entry of ``entries`` with a current score under this rubric, in store order, only
        what answering it needs (from the ``facts`` table, not whole records): id, duplicate
        group, first seen, name, e-mail, test-entry mark and its reason, and the submission time."""
        rows = sorted(self._in(
            "SELECT e.rowid, e.entry_id, e.group_id, e.first_seen_at, f.name, f.email, f.test_entry, "
            "f.test_entry_why, f.submitted_at FROM facts f JOIN entries e INDEXED BY entries_facts "
            "ON e.entry_id = f.entry_id AND e.content_sha256 = f.content_sha256 WHERE f.rubric_sha256 = ? "
            "AND e.entry_id IN ({marks})", sorted(set(entries)), rubric_sha256))
        names = ("id", "duplicate_group", "first_seen_at", "name", "email", "test_entry", "test_entry_why",
                 "submitted_at")
        return [dict(zip(names, ("" if v is None else str(v) for v in row[1:]), strict=True)) for row in rows]
