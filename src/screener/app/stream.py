"""Score an export too large to hold in memory, in two passes over the file, to a CSV file that
is byte for byte the one ``screener score --format csv`` writes from memory.

Most of a score is per row; three things depend on everyone: how many others sent the same
text (boilerplate), who is the same person (duplicates) and the rank. So:

1. The first pass reads the export a window at a time (``load_export_chunks``) and keeps, per
   row, only keys: the ids, the duplicate-grouping keys and the text keys of the text-quality
   answers. From them come everyone's copy counts and the rows whose answers grouping may
   compare (about half, on realistic data).
2. The second pass reads it again and scores each piece with those copy counts. Each row's CSV
   cells are written at once to an anonymous temporary file (0600, unlinked as it is created);
   only its score, bucket and id stay in memory, with the folded answers of the candidate rows.
3. Duplicates are grouped over everyone, the rows ranked, and the CSV assembled in rank order
   from the temporary file, the rank and the duplicate columns filled in, written atomically.

Peak memory is the keys plus one piece, not the file: a million applicants fit in a few GiB.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.app import views
from screener.app.config import env_int
from screener.app.parallel import Helper, submitter
from screener.core import dedupe
from screener.core.columns import FieldMatch
from screener.core.errors import InputError, OutputError
from screener.core.matching import copy_counts, text_keys
from screener.core.providers import DateOrder, map_rubric
from screener.core.rubric import QualitySpec, Rubric
from screener.core.scoring import (
    ScoreResult,
    Started,
    answers_text,
    date_notes,
    date_order,
    identities,
    rank_order,
    score,
    start_score,
    submitted_times,
)
from screener.data.load import LoadReport, load_export_chunks
from screener.data.write import CSV_CHUNK_ROWS, csv_header, csv_rows, write_bytes

# An export larger than this many bytes is scored in two passes (SCREENER_STREAM_BYTES overrides).
STREAM_BYTES = 256 * 1024 * 1024
# Rows scored at a time in the second pass (SCREENER_CHUNK_ROWS overrides).
CHUNK_ROWS = 25_000
# The columns that need everyone: filled in when the rows are put in rank order.
_RANK, _GROUP, _WHY = "rank", "duplicate_group", "duplicate_why"


class NotStreamable(Exception):
    """The export cannot be read in windows; ``str()`` says why, in words."""


@dataclass
class Streamed:
    """What the command reports after a streamed score."""

    report: LoadReport
    mapping: dict[str, FieldMatch]
    table: pd.DataFrame  # id, bucket, score, knockouts in rank order: what the audit log records
    input_sha256: str = ""
    notes: list[str] = field(default_factory=list)


def threshold_bytes() -> int:
    return env_int("SCREENER_STREAM_BYTES", STREAM_BYTES, lowest=1, what="a number of bytes")


def chunk_rows() -> int:
    return env_int("SCREENER_CHUNK_ROWS", CHUNK_ROWS, lowest=1, what="a number of rows")


def wanted(export: Path, fmt: str) -> bool:
    """Whether ``screener score`` should stream: a CSV output of a large export."""
    try:
        return fmt == "csv" and export.is_file() and export.stat().st_size > threshold_bytes()
    except OSError:
        return False


def score_to_csv(export: Path, rubric: Rubric, dest: str, *, encoding: str | None = None,
                 blind_secret: str | None = None, progress: Callable[[str], None] | None = None,
                 helper: Helper | None = None, check: Callable[[dict[str, Any]], None] | None = None) -> Streamed:
    """Score ``export`` to the CSV file ``dest`` (or stdout for "-") in two passes; with
    ``blind_secret``, as ``--blind`` writes it (identity dropped and redacted, ids pseudonymous).
    Raises ``NotStreamable``, having read nothing, when the export cannot be read in windows (or,
    having read it once, when it holds an entry in more than one version).
    With a ``helper`` (parallel.py) each piece's free-text criteria are scored in that process;
    ``check`` is given the rubric's mapping onto the columns before anything is written."""
    # Windows of 32 MiB, or smaller when the threshold is lowered (tests read small files in many).
    window = min(32 * 1024 * 1024, max(16, threshold_bytes() // 8))
    rows = chunk_rows()
    before = version_of(export)
    first = load_export_chunks(export, chunk_rows=rows, encoding=encoding, window_bytes=window)
    if not first.streamed:
        raise NotStreamable(first.why_whole)
    keys, quality, dates, mapping = first_pass(first, rubric, progress, helper)
    if check is not None:  # e.g. --strict: the columns are known now, and nothing is written yet
        check(mapping)
    # Day or month first is decided over the whole submission column, not piece by piece, so the
    # submission times are read once the first pass has the whole column.
    dates_order = date_order(dates, rubric, mapping)
    keys.submitted = submitted_times(dates, rubric, mapping, dates_order)
    if pd.Series(keys.ids.astype(str)).duplicated().any():
        # One applicant per entry (core/versions.py) needs every version of an entry at once.
        raise NotStreamable("some entries appear in more than one version, and only the latest of each is scored")
    report = first.report
    n = len(keys)
    copies = {cid: copy_counts(k) for cid, k in quality.items()}
    pairs = list(dedupe.answer_pairs(keys))  # kept: grouping at the end walks them again
    candidates = dedupe.answer_candidates(keys, pairs)
    second = first.again()
    with _spool() as spool:
        try:
            kept = _second_pass(second, rubric, mapping, copies, candidates, spool, n, progress,
                                list(report.columns), blind_secret, helper, dates_order)
        except Exception:
            if version_of(export) != before:  # whatever broke, the export changing is the reason to give
                raise changed_while_read(str(export)) from None
            raise
        if version_of(export) != before:
            raise changed_while_read(str(export))
        groups = dedupe.group(keys, kept.texts, pairs)
        ranked = pd.DataFrame({"id": kept.ids, "bucket": kept.bucket, "score": kept.score})
        order = rank_order(ranked)
        group_ids = groups.group
        if blind_secret is not None:
            group_ids = np.array([views.pseudonym(g, blind_secret) if g else "" for g in group_ids.tolist()],
                                 dtype=object)
        write_bytes(_assemble(spool, kept, group_ids, groups.why, order, to_stdout=dest == "-"), dest)
    table = pd.DataFrame({"id": kept.ids[order], "bucket": kept.bucket[order], "score": kept.score[order],
                          "knockouts": kept.knockouts[order]})
    return Streamed(report=report, mapping=mapping, table=table,
                    notes=date_notes(dates, rubric, mapping, dates_order),
                    input_sha256=first.sha256)


@contextlib.contextmanager
def _spool() -> Iterator[Any]:
    """An unnamed temporary file (0600, unlinked as it is created) for the scored rows."""
    try:
        handle = tempfile.TemporaryFile(prefix="screener-")
    except OSError as err:
        raise OutputError(f"Cannot create a temporary file in {tempfile.gettempdir()} ({err.strerror or err}); "
                          "set TMPDIR to a folder screener may write to.") from None
    with handle:
        yield handle


def version_of(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:  # gone or unreadable: changed, as far as this run can tell
        return -1, -1
    return info.st_size, info.st_mtime_ns


def changed_while_read(name: str) -> InputError:
    return InputError(f"{name} changed while it was being read (it is read twice); nothing was written. "
                      "Run again once the export is complete.")


def first_pass(chunks: Any, rubric: Rubric, progress: Callable[[str], None] | None, helper: Helper | None = None
                ) -> tuple[dedupe.Keys, dict[str, np.ndarray], pd.DataFrame, dict[str, FieldMatch]]:
    mapping: dict[str, FieldMatch] | None = None
    parts: list[dedupe.Keys] = []
    quality: dict[str, list[np.ndarray]] = {}
    dates: list[pd.DataFrame] = []
    seen: dict[str, int] = {}
    # The text keys of a piece are computed by the helper while this process reads the next.
    previous: Callable[[], dict[str, np.ndarray]] | None = None
    for frame in chunks:
        if mapping is None:
            mapping = map_rubric([c for c in frame.columns if not str(c).startswith("_")], rubric)
        wanted = [(crit.id, _column(mapping, crit.fields[0], frame)) for crit in rubric.criteria
                  if isinstance(crit.spec, QualitySpec)]
        texts = frame[list(dict.fromkeys(col for _cid, col in wanted if col))]
        keys_of_piece = submitter(helper if wanted else None)(quality_keys, texts, wanted)
        people = identities(frame, rubric, mapping, fallback_seen=seen, times=False)  # read whole, below
        parts.append(dedupe.keys(people["id"], people["email"], people["phone"], people["name"],
                                 people["answers"], people["submitted_at"], people["profile"],
                                 people["phone_region"]))
        dates.append(_dates_frame(frame, rubric, mapping))
        del frame, people
        if previous is not None:
            _add_keys(quality, previous())
        previous = keys_of_piece
        if progress:
            progress(f"read {sum(len(p) for p in parts)} rows")
    if previous is not None:
        _add_keys(quality, previous())
    assert mapping is not None  # load_export_chunks yields at least one frame
    keys = dedupe.concat(parts)
    return (keys, {cid: np.concatenate(v) for cid, v in quality.items()},
            pd.concat(dates, ignore_index=True), mapping)


def quality_keys(texts: pd.DataFrame, wanted: list[tuple[str, str | None]]) -> dict[str, np.ndarray]:
    """Per text-quality criterion id, each row's ``text_key`` of the column it reads ("" without one)."""
    return {cid: text_keys(texts[col]) if col else np.full(len(texts), "", dtype=object) for cid, col in wanted}


def _add_keys(quality: dict[str, list[np.ndarray]], got: dict[str, np.ndarray]) -> None:
    for cid, keys in got.items():
        quality.setdefault(cid, []).append(keys)


def _column(mapping: dict[str, FieldMatch], name: str, frame: pd.DataFrame) -> str | None:
    match = mapping.get(name)
    return match.column if match is not None and match.column in frame else None


def _dates_frame(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch]) -> pd.DataFrame:
    """The submission column and line numbers: all ``date_notes`` needs."""
    name = rubric.applicant.submitted_at
    column = _column(mapping, name, frame) if name else None
    keep = ["_line"] + ([column] if column else [])
    return frame[keep].copy()


@dataclass
class _Kept:
    """Per row (in file order) what ranking, the audit log and the final CSV need."""

    ids: np.ndarray
    bucket: np.ndarray
    score: np.ndarray
    knockouts: np.ndarray
    start: np.ndarray  # where the row's cells begin in the spool file
    split: np.ndarray  # bytes before the duplicate columns
    length: np.ndarray  # bytes in all
    header: list[str] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)


def _second_pass(chunks: Any, rubric: Rubric, mapping: dict[str, FieldMatch], copies: dict[str, np.ndarray],
                 candidates: np.ndarray, spool: Any, n: int, progress: Callable[[str], None] | None,
                 columns_first: list[str], blind_secret: str | None = None, helper: Helper | None = None,
                 order: DateOrder | None = None) -> _Kept:
    kept = _Kept(ids=np.empty(n, dtype=object), bucket=np.empty(n, dtype=object), score=np.zeros(n),
                 knockouts=np.empty(n, dtype=object),
                 start=np.zeros(n, dtype=np.int64), split=np.zeros(n, dtype=np.int64),
                 length=np.zeros(n, dtype=np.int64))
    seen: dict[str, int] = {}
    at = 0
    written = 0
    # A piece is started (its free-text criteria sent to the helper, the others scored here)
    # before the one before it is finished (ranked, rendered and spooled), so that the helper
    # works on one piece while this process works on the next.
    previous: tuple[Started, int] | None = None
    for frame in chunks:
        m = len(frame)
        if at + m > n or [c for c in frame.columns if not str(c).startswith("_")] != columns_first:
            raise changed_while_read(chunks.report.path)
        if not m:
            if not kept.header:  # an export without rows still gets the header line
                empty = score(frame, rubric, mapping=mapping, duplicates=False, date_order=order).table
                kept.header = list(_shown(empty, blind_secret).columns)
            continue
        started = start_score(frame, rubric, mapping=mapping, duplicates=False, fallback_seen=seen,
                              copies={cid: c[at : at + m] for cid, c in copies.items()},
                              submit=submitter(helper), date_order=order)
        wanted_here = np.flatnonzero(candidates[at : at + m])
        if wanted_here.size:
            folded = dedupe.fold_answers(answers_text(frame.iloc[wanted_here], rubric, mapping)).tolist()
            kept.texts.update(zip((at + wanted_here).tolist(), folded, strict=True))
        del frame
        if previous is not None:
            written += _spool_piece(kept, spool, previous[0].finish(), previous[1], blind_secret, written,
                                    chunks.report.path)
            if progress:
                progress(f"scored {at} of {n} rows")
        previous = (started, at)
        at += m
    if previous is not None:
        written += _spool_piece(kept, spool, previous[0].finish(), previous[1], blind_secret, written,
                                chunks.report.path)
        if progress:
            progress(f"scored {at} of {n} rows")
    if at != n:
        raise changed_while_read(chunks.report.path)
    spool.flush()
    return kept


def _spool_piece(kept: _Kept, spool: Any, result: ScoreResult, at: int, blind_secret: str | None, written: int,
                 path: str) -> int:
    """Keep what ranking needs of a scored piece (rows ``at``...) and append its rows' CSV cells
    to ``spool`` (``written`` bytes so far); the number of bytes appended."""
    table = result.table
    m = len(table)
    rows = at + result.order  # the file position of each row of the ranked piece
    kept.ids[rows] = table["id"].to_numpy(dtype=object)
    kept.bucket[rows] = table["bucket"].to_numpy(dtype=object)
    kept.score[rows] = table["score"].to_numpy(dtype=float)
    kept.knockouts[rows] = table["knockouts"].to_numpy(dtype=object)
    shown = _shown(table, blind_secret)
    columns = list(shown.columns)
    if not kept.header:
        kept.header = columns
    before = columns[1 : columns.index(_GROUP)]
    after = columns[columns.index(_WHY) + 1 :]
    # Each row: the cells before the duplicate columns, then the cells after them.
    heads = [line.encode("utf-8") for line in csv_rows(shown[before])]
    tails = [line.encode("utf-8") for line in csv_rows(shown[after])]
    sizes_head = np.fromiter(map(len, heads), dtype=np.int64, count=m)
    sizes = sizes_head + np.fromiter(map(len, tails), dtype=np.int64, count=m)
    kept.start[rows] = written + np.concatenate(([0], np.cumsum(sizes)[:-1]))
    kept.split[rows] = sizes_head
    kept.length[rows] = sizes
    try:
        spool.write(b"".join(h + t for h, t in zip(heads, tails, strict=True)))
    except OSError as err:
        raise OutputError(f"Cannot write the temporary file that holds the scored rows of "
                          f"{path} in {tempfile.gettempdir()} ({err.strerror or err}); it needs "
                          "about as much room as the output. Set TMPDIR to a folder with more room.") from None
    return int(sizes.sum())


def _shown(table: pd.DataFrame, blind_secret: str | None) -> pd.DataFrame:
    """A scored piece as the output shows it: as it is, or blind (see ``views.blind_table``)."""
    if blind_secret is None:
        return table
    return views.pseudonymize(views.blind_table(table), blind_secret)


def _assemble(spool: Any, kept: _Kept, group_ids: np.ndarray, whys: np.ndarray, order: np.ndarray, *,
              to_stdout: bool) -> Iterator[bytes]:
    """The CSV in rank order: each row's cells read back from the spool, the rank and the
    duplicate columns put in their places."""
    yield csv_header(kept.header, bom=not to_stdout)
    group_cells = [c.encode("utf-8") for c in csv_rows(pd.DataFrame({_GROUP: group_ids, _WHY: whys}))]
    fd = spool.fileno()
    for lo in range(0, len(order), CSV_CHUNK_ROWS):
        pieces = []
        for rank, pos in enumerate(order[lo : lo + CSV_CHUNK_ROWS].tolist(), start=lo + 1):
            cells = os.pread(fd, int(kept.length[pos]), int(kept.start[pos]))
            split = int(kept.split[pos])
            pieces.append(b"%d,%s,%s,%s\r\n" % (rank, cells[:split], group_cells[pos], cells[split:]))
        yield b"".join(pieces)
