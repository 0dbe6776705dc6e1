"""The append-only audit log: one JSON line per `score`, `shortlist` and `run`, with what went in
(rubric and input hashes) and what came out for every applicant id (bucket, score, knockouts).

It lives beside the project's store, or, outside a project, in the user's data folder
(platformdirs). Records are only removed on request (``screener log --prune``), keeping the
retention period (180 days by default). Names and emails are never written to it: an
applicant id that looks like an e-mail address or a phone number (a rubric whose id field is the
e-mail column) is logged as a keyed hash, ``C-`` and 12 hex digits (HMAC-SHA256 with the key in
``screener-audit.key`` beside the log, 0600), the same for the same applicant in every record.

The log and its key are opened without following links (``store.open_own``); a failed append
is one sentence (``WriteFailedError``, exit 74), never a bug.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from screener import __version__
from screener.core.errors import InputError, ScreenerError, WriteFailedError
from screener.data.store import Store, open_own, reason, refuse_link
from screener.data.write import atomic_write, make_private_folders

FILE_NAME = "screener-audit.jsonl"
KEY_NAME = "screener-audit.key"
DEFAULT_RETENTION_DAYS = 180


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_path(store: Path | None) -> Path:
    if store is not None:
        return store.parent / FILE_NAME
    override = os.environ.get("SCREENER_AUDIT_LOG")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("screener")) / FILE_NAME


def record(command: str, *, rubric_name: str, rubric_sha256: str, rubric_path: str, input_path: str,
           input_sha256: str, table: pd.DataFrame, selected: set[str] | None = None,
           extra: dict[str, Any] | None = None, only: set[str] | None = None) -> dict[str, Any]:
    """The record for one command over a ranked table (ids, buckets, scores, knockout codes).
    ``only``: list only these applicants (a nightly run's: those it scored, and those who
    entered or left the shortlist); the counts are still of everyone, and ``unchanged`` says
    how many were not listed (as in the run's previous record)."""
    decisions = []
    everyone = len(table)
    counts = table["bucket"].value_counts().to_dict() if everyone else {}
    if only is not None:
        listed = table["id"].astype(str).isin(only).to_numpy()
        extra = {**(extra or {}), "unchanged": int(len(table) - listed.sum())}
        table = table[listed]
    # Plain lists, not itertuples: a 100,000-row table is logged in a tenth of the time.
    columns = [table[c].to_numpy(dtype=object).tolist() for c in ("id", "bucket", "knockouts")]
    scores = table["score"].to_numpy(dtype=float).tolist()
    n = len(scores)
    # A person's adjustment and latest decision (tables from the store) are part of what was decided.
    moved = (table["adjustment"].to_numpy(dtype=float).tolist() if "adjustment" in table else [0.0] * n)
    adjusted = (table["adjusted_score"].to_numpy(dtype=float).tolist() if "adjusted_score" in table else scores)
    decided = (["" if d is None or d != d else str(d) for d in table["decision"].tolist()]
               if "decision" in table else [""] * n)
    for ident, bucket, knockouts, points, move, after, decision in zip(*columns, scores, moved, adjusted, decided,
                                                                       strict=True):
        entry: dict[str, Any] = {"id": str(ident), "bucket": str(bucket), "score": points}
        if move and move == move:
            entry["adjusted_score"] = after
        if decision:
            entry["decision"] = decision
        if knockouts:
            entry["knockouts"] = str(knockouts).split("; ")
        if selected is not None:
            entry["selected"] = str(ident) in selected
        decisions.append(entry)
    return {
        "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "screener": __version__,
        "rubric": {"name": rubric_name, "sha256": rubric_sha256, "path": rubric_path},
        "input": {"path": input_path, "sha256": input_sha256},
        "counts": {"applicants": everyone, **{str(k): int(v) for k, v in counts.items()}},
        **(extra or {}),
        "decisions": decisions,
    }


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A phone number as people write one: 7 to 15 digits with a leading + or 0 or separators
# between them. A plain run of digits (Cognito's 1058, Jotform's 19-digit submission ids) is an id.
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,24}")


def contact_like(ident: str) -> bool:
    """Whether an applicant id looks like an e-mail address or a phone number."""
    text = ident.strip()
    if _EMAIL.fullmatch(text):
        return True
    if not _PHONE.fullmatch(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    if not 7 <= digits <= 15:
        return False
    return text.startswith(("+", "0", "(")) or digits != len(text)


def _key(path: Path) -> bytes:
    """The key of the log's keyed hashes, made on first need (0600, beside the log); it appears
    whole (written aside, then linked into place), so two commands never hash with different keys."""
    key_path = path.with_name(KEY_NAME)
    refuse_link(key_path)
    if not key_path.exists():
        aside = key_path.with_name(f".{KEY_NAME}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(aside)
        fd = open_own(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, "the audit log's key")
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
        except OSError as err:
            raise WriteFailedError(f"Cannot write the audit log's key {key_path}: {reason(err)}.") from None
        finally:
            os.close(fd)
        try:
            os.link(aside, key_path)
        except FileExistsError:
            pass  # another command made it first: its key is the key
        except OSError as err:
            raise WriteFailedError(f"Cannot write the audit log's key {key_path}: {reason(err)}.") from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(aside)
    refuse_link(key_path)
    fd = os.open(key_path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        return os.read(fd, 256).strip()
    finally:
        os.close(fd)


def pseudonymous(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    """``entry`` with every contact-like applicant id replaced by its keyed hash."""
    decisions = entry.get("decisions")
    ids = [str(d.get("id", "")) for d in decisions] if isinstance(decisions, list) else []
    applicant = entry.get("applicant")
    if not any(map(contact_like, ids)) and not (isinstance(applicant, str) and contact_like(applicant)):
        return entry
    key = _key(path)

    def hashed(ident: str) -> str:
        if not contact_like(ident):
            return ident
        digest = hmac.new(key, ident.strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()
        return "C-" + digest[:12].upper()

    out = dict(entry)
    if isinstance(applicant, str):
        out["applicant"] = hashed(applicant)
    if isinstance(decisions, list):
        out["decisions"] = [{**d, "id": hashed(str(d.get("id", "")))} if isinstance(d, dict) else d
                            for d in decisions]
    return out


def append(path: Path, entry: dict[str, Any]) -> None:
    """Append ``entry`` as one JSON line (fsynced), contact-like ids hashed. A failure is a
    ``WriteFailedError`` naming the log; nothing is written through a link."""
    try:
        make_private_folders(path.parent)
    except OSError as err:
        raise WriteFailedError(f"Cannot append to the audit log {path}: {reason(err)}.") from None
    line = (json.dumps(pseudonymous(entry, path), ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    fd = open_own(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, "the audit log")
    try:
        start = os.lseek(fd, 0, os.SEEK_END)
        written = 0
        try:
            while written < len(line):
                written += os.write(fd, line[written:])
            os.fsync(fd)
        except OSError as err:
            with contextlib.suppress(OSError):
                if os.fstat(fd).st_size == start + written:  # nobody appended since: no half line left
                    os.ftruncate(fd, start)
            raise WriteFailedError(f"Cannot append to the audit log {path}: {reason(err)}.") from None
    finally:
        os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    if not path.is_file():
        raise InputError(f"The audit log {path} is not a file; give the path of screener-audit.jsonl.")
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError(f"{path}:{number}: this audit log line is not valid JSON.") from None
    return out


def prune(path: Path, days: int, now: datetime | None = None) -> tuple[int, int]:
    """Remove records older than ``days``; returns (kept, removed). The file is rewritten atomically."""
    refuse_link(path)
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = read(path)
    kept = [e for e in entries if str(e.get("ts", "")) >= cutoff]
    if len(kept) != len(entries):
        atomic_write(path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept).encode("utf-8"))
    return len(kept), len(entries) - len(kept)


def flush(store: Store) -> str:
    """Append the audit-log records kept in the store (a run's, a decision's), oldest first;
    '' when all went, else the sentence saying which log could not be written (the rest stay
    in the store for the next command)."""
    for key, log, entry in store.pending_audit():
        try:
            append(log, entry)
        except ScreenerError as err:
            what = entry.get("command", "a")
            return (f"{err} The {what} record is kept in the store {store.path}, and the next command that "
                    "writes the audit log appends it.")
        store.drop_audit(key)
    return ""
