"""The append-only audit log: one JSON line per `score`, `shortlist` and `run`, with what went in
(rubric and input hashes) and what came out for every applicant id (bucket, score, knockouts).

It lives beside the project's store, or, outside a project, in the user's data folder
(platformdirs). Records are only removed on request (``screener log --prune``), keeping the
retention period (180 days by default). Names and emails are never written to it.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from screener import __version__
from screener.core.errors import InputError
from screener.data.write import atomic_write, make_private_folders

FILE_NAME = "screener-audit.jsonl"
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
           extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record for one command over a ranked table (ids, buckets, scores, knockout codes)."""
    decisions = []
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
    counts = table["bucket"].value_counts().to_dict() if len(table) else {}
    return {
        "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "screener": __version__,
        "rubric": {"name": rubric_name, "sha256": rubric_sha256, "path": rubric_path},
        "input": {"path": input_path, "sha256": input_sha256},
        "counts": {"applicants": len(table), **{str(k): int(v) for k, v in counts.items()}},
        **(extra or {}),
        "decisions": decisions,
    }


def append(path: Path, entry: dict[str, Any]) -> None:
    make_private_folders(path.parent)
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
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
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = read(path)
    kept = [e for e in entries if str(e.get("ts", "")) >= cutoff]
    if len(kept) != len(entries):
        atomic_write(path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept).encode("utf-8"))
    return len(kept), len(entries) - len(kept)
