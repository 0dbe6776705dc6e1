"""The record of what people and screener did: a person's decision (reviewed, advanced,
declined, hold) or score adjustment, kept in the project's store and audit log, and the audit
log read back or pruned. screener itself never decides."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screener.app.config import load_config, project_store
from screener.app.nightly import now_utc
from screener.core.errors import UsageError
from screener.data import auditlog
from screener.data.store import Store

DECISIONS = ("reviewed", "advanced", "declined", "hold")


def record_decision(applicant: str, decision: str, note: str = "", *, config: str | None = None) -> str:
    """Store a person's ``decision`` on ``applicant``; when it was recorded (UTC)."""
    if decision not in DECISIONS:
        raise UsageError(f"The decision should be one of {', '.join(DECISIONS)}, not '{decision}'.")
    project = load_config(config)
    with Store(project.store, create=False) as store:
        _known(store, applicant, project.store)
        when = now_utc()
        store.add_decision(applicant, decision, note, when)
    return when


@dataclass
class Adjustment:
    points: float
    who: str
    when: str


def record_adjustment(applicant: str, points: str, note: str, *, config: str | None = None) -> Adjustment:
    """Store a person's adjustment of ``applicant``'s score by ``points`` (as typed: +10, -5) with
    the reason, in the store and the audit log."""
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
    with Store(project.store, create=False) as store:
        _known(store, applicant, project.store)
        when = now_utc()
        store.add_adjustment(applicant, delta, note.strip(), who, when)
    auditlog.append(auditlog.default_path(project.store), {
        "ts": when, "command": "adjust", "applicant": applicant, "points": delta, "note": note.strip(), "who": who})
    return Adjustment(delta, who, when)


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
