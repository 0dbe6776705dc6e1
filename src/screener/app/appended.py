"""Reading only what was appended to the export since the last run.

Form providers export every entry each time, and most add new ones at the end: tonight's file
is last night's, byte for byte, with rows after it. When that is so (the first bytes of the
new file hash to what the last run read, which ended at the end of a line), the run reads the
header and the new bytes only, as if they were a file of their own, and numbers their rows and
lines as in the whole file. Anything else reads the whole export, as before: a re-sorted or
edited export, an encoding other than UTF-8, rows the last run could not read, new rows that
cannot be read as they are, a different rubric, a quoted header, or a new row for an entry
already stored (which version is the latest is decided over all of an entry's rows). The
order of slash dates is decided over the whole export either way: the evidence of the rows
read before is kept (``normalize.SlashEvidence``) and added to that of the new rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from screener.core.normalize import SlashEvidence
from screener.core.providers import map_rubric
from screener.core.rubric import Rubric
from screener.core.scoring import entry_ids
from screener.data.load import LoadReport, load_export
from screener.data.store import Store

_META = "export_seen"  # meta: what the last run read of its export


@dataclass
class Scan:
    """One pass over the export: its SHA-256, and what the last run read of it when the file
    starts with those bytes (``prefix`` the byte count, 0 when it does not)."""

    sha256: str
    size: int
    prefix: int = 0
    prefix_lines: int = 0
    header: bytes = b""


@dataclass
class Seen:
    """What a run read, kept for the next: the file's size and hash, its records (none
    unreadable), rows read after a repair, the slash-date evidence, the rubric and the codec."""

    size: int
    sha256: str
    rows: int
    recovered: int
    evidence: dict[str, Any] | None
    rubric: str
    encoding: str | None


def last_seen(store: Store) -> Seen | None:
    found = store.get_meta(_META)
    if found is None:
        return None
    try:
        return Seen(**json.loads(found))
    except (TypeError, ValueError):
        return None


def remember(store: Store, seen: Seen) -> None:
    store.set_meta(_META, json.dumps(dataclasses.asdict(seen)))


def forget(store: Store) -> None:
    store.set_meta(_META, None)


def scan(path: Path, seen: Seen | None) -> Scan:
    """The export's SHA-256 and, when its first ``seen.size`` bytes are what the last run read
    and end a line, how many lines they hold and the header line (one pass over the file)."""
    digest = hashlib.sha256()
    size = seen.size if seen is not None else 0
    done = lines = 0
    last = b""
    first = b""
    prefix_sha = ""
    with path.open("rb") as handle:
        while True:
            want = 1 << 20
            if size and done < size:
                want = min(want, size - done)
            chunk = handle.read(want)
            if not chunk:
                break
            if not first:
                first = chunk[:65536]
            digest.update(chunk)
            if size and done < size:
                lines += chunk.count(b"\n")
                last = chunk[-1:]
            done += len(chunk)
            if size and done == size:
                prefix_sha = digest.copy().hexdigest()
    whole = digest.hexdigest()
    if not size or done <= size or seen is None or prefix_sha != seen.sha256 or last != b"\n":
        return Scan(whole, done)
    header, newline, _rest = first.partition(b"\n")
    if not newline or b'"' in header:
        return Scan(whole, done)
    return Scan(whole, done, size, lines, header + b"\n")


def read_appended(path: Path, found: Scan, seen: Seen | None, store: Store, rubric: Rubric,
                  encoding: str | None) -> tuple[pd.DataFrame, LoadReport] | None:
    """The rows appended since the last run, numbered as in the whole file, or None when the
    whole export must be read (see the module's docstring)."""
    if (seen is None or not found.prefix or seen.rubric != rubric.sha256
            or (seen.encoding or "").replace("-", "").lower() not in ("utf8", "utf8sig", "ascii")):
        return None
    with path.open("rb") as handle:
        handle.seek(found.prefix)
        tail = handle.read()
    fd, name = tempfile.mkstemp(prefix=".screener-appended.", suffix=".csv", dir=store.path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(found.header + tail)
        frame, report = load_export(name, encoding=encoding, fmt="csv")
    finally:
        os.unlink(name)
    if report.format != "csv" or report.rejected or report.repaired:
        return None  # their notes would name lines of the piece read, not of the export
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    ids = [str(i) for i in entry_ids(frame, rubric, map_rubric(columns, rubric))]
    if store.entry_order(ids):
        return None  # a new version of a stored entry: its versions are ordered over the whole file
    frame["_row"] = frame["_row"] + seen.rows
    frame["_line"] = frame["_line"] + found.prefix_lines - 1
    report.path = str(path)
    return frame, report


def evidence_of(seen: Seen | None) -> SlashEvidence | None:
    return SlashEvidence(**seen.evidence) if seen is not None and seen.evidence is not None else None


def added(before: SlashEvidence | None, new: SlashEvidence | None) -> SlashEvidence | None:
    """The evidence of the rows read before and of the new ones, as if read in one pass."""
    if before is None or new is None:
        return new if before is None else before
    return SlashEvidence(before.day_first + new.day_first, before.month_first + new.month_first,
                         before.either + new.either, before.day_example or new.day_example,
                         before.month_example or new.month_example, before.either_example or new.either_example)
