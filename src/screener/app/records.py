"""The record of what people and screener did: a person's decision (reviewed, advanced,
declined, hold) or score adjustment, kept in the project's store and audit log, and the audit
log read back or pruned. screener itself never decides.

A decision is never lost to a fault from outside: a nightly run holding the store is waited
for (the person is told), and the audit-log record is kept in the store with the decision until
it is appended (a full disk or unwritable log is said, and the next command appends it)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screener.app.config import load_config, project_store
from screener.app.nightly import now_utc
from screener.core.errors import UsageError
from screener.data import auditlog
from screener.data.store import Store, refuse_link, store_faults

DECISIONS = ("reviewed", "advanced", "declined", "hold")


Waiting = Callable[[str], None]


def _no_wait(_sentence: str) -> None:
    return None


def _waiting(store: Store, tell: Waiting) -> Callable[[], None]:
    """What the person is told when a long nightly run holds the store: the command waits."""
    def say() -> None:
        tell(f"The store {store.path} is being written by another screener command (a nightly run?); waiting "
             "for it to finish, then this is recorded (Ctrl-C gives up without recording).")
    return say


def record_decision(applicant: str, decision: str, note: str = "", *, config: str | None = None,
                    tell: Waiting = _no_wait) -> Recorded:
    """Store a person's ``decision`` on ``applicant``, and its audit-log record (kept in the
    store until appended). A long run holding the store is waited for (``tell`` says so)."""
    if decision not in DECISIONS:
        raise UsageError(f"The decision should be one of {', '.join(DECISIONS)}, not '{decision}'.")
    project = load_config(config)
    who = os.environ.get("SCREENER_USER") or getpass.getuser()
    _refuse_links(project.store)
    with store_faults(project.store), Store(project.store, create=False) as store:
        _known(store, applicant, project.store)
        with store.transaction(waiting=_waiting(store, tell)):
            when = now_utc()
            store.add_decision(applicant, decision, note, when)
            store.stage_audit(auditlog.default_path(project.store), {
                "ts": when, "command": "status", "applicant": applicant, "decision": decision, "note": note,
                "who": who})
        problem = auditlog.flush(store)
    return Recorded(when, who, problem)


@dataclass
class Recorded:
    when: str
    who: str
    problem: str = ""  # recorded in the store, but the audit log could not be appended: one sentence


@dataclass
class Adjustment:
    points: float
    who: str
    when: str
    problem: str = ""  # recorded in the store, but the audit log could not be appended: one sentence


def record_adjustment(applicant: str, points: str, note: str, *, config: str | None = None,
                      tell: Waiting = _no_wait) -> Adjustment:
    """Store a person's adjustment of ``applicant``'s score by ``points`` (as typed: +10, -5) with
    the reason, in the store and the audit log (kept in the store until appended)."""
    if not note.strip():
        raise UsageError("An adjustment needs a reason: add --note \"...\".")
    try:
        delta = float(points)
    except ValueError:
        raise UsageError(f"Points should be a number like +10 or -5, not '{points}'.") from None
    if not -100 <= delta <= 100 or delta != delta:
        raise UsageError("Points should be between -100 and +100.")
    project = load_config(config)
    who = os.environ.get("SCREENER_USER") or getpass.getuser()
    _refuse_links(project.store)
    with store_faults(project.store), Store(project.store, create=False) as store:
        _known(store, applicant, project.store)
        with store.transaction(waiting=_waiting(store, tell)):
            when = now_utc()
            store.add_adjustment(applicant, delta, note.strip(), who, when)
            store.stage_audit(auditlog.default_path(project.store), {
                "ts": when, "command": "adjust", "applicant": applicant, "points": delta, "note": note.strip(),
                "who": who})
        problem = auditlog.flush(store)
    return Adjustment(delta, who, when, problem)


def _refuse_links(store: Path) -> None:
    """Before anything is recorded: the audit log and its key are not links planted there."""
    log = auditlog.default_path(store)
    for path in (log, log.with_name(auditlog.KEY_NAME)):
        refuse_link(path)


def _known(store: Store, applicant: str, path: object) -> None:
    if not store.has_entry(applicant):
        raise UsageError(f"No applicant with the id '{applicant}' in {path}.")


def log_path(path: Path | None = None) -> Path:
    """The audit log: ``path``, else beside the project's store, else in the user's data folder."""
    return path or auditlog.default_path(project_store())


def log_entries(path: Path) -> list[dict[str, Any]]:
    """Every record of the audit log at ``path``, oldest first."""
    return auditlog.read(path)


def prune_log(path: Path, days: int) -> tuple[int, int]:
    """Delete the records older than ``days`` days: (kept, removed)."""
    return auditlog.prune(path, days)
