"""Read one export file (CSV, JSON, JSON Lines or XLSX) into a table of strings, with a report.

Every data cell comes back as the exact text the applicant typed (``NA``, ``None``, ``007`` stay
as they are; missing is ``""``). Records that cannot be read safely are not dropped silently:
they go to ``LoadReport.rejected`` with the line they start on, and everything else that was
decided on the user's behalf (a guessed encoding, a renamed column, skipped blank lines) is
written to ``LoadReport.notes``. Problems that make the whole file unreadable raise
``InputError`` with one sentence naming the file.

This module holds the entry points: it checks the file, picks the format, decodes the text and
hands it to the reader for that format (``csv``, ``json``, ``xlsx``), or streams a large UTF-8 CSV
in windows. The pieces sit below it: ``sniff`` and ``decode`` for bytes, ``table`` for the result.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd

from screener.core.errors import InputError
from screener.data.load.csv import WINDOW_BYTES, csv_windows, load_csv
from screener.data.load.decode import decode, leading_boms, streamable_codec
from screener.data.load.json import load_json, load_jsonl
from screener.data.load.sniff import (
    HEAD_BYTES,
    blank,
    check_readable,
    detect_format,
    normalise_fmt,
    read_head,
    read_stream,
    read_whole,
    refuse_binary,
    refuse_binary_text,
    sniff,
)
from screener.data.load.table import FORMATS, LoadReport, RejectedRow, detect_provider
from screener.data.load.xlsx import load_xlsx

__all__ = ["FORMATS", "ExportChunks", "LoadReport", "RejectedRow", "detect_format", "load_export", "load_export_chunks"]


def load_export(
    path: str | Path,
    *,
    encoding: str | None = None,
    fmt: str | None = None,
    max_cell_chars: int = 1_000_000,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read an export into a DataFrame of strings plus a ``LoadReport``.

    The frame starts with two int columns, ``_row`` (record number in file order, rejected
    records counted too) and ``_line`` (as ``RejectedRow.line``), followed by the data
    columns in file order, each holding Python ``str`` only.
    """
    if max_cell_chars < 1:
        raise ValueError("max_cell_chars must be at least 1")
    p = Path(path)
    name = str(path)
    stream = check_readable(p, name)
    auto = fmt is None
    if fmt is not None:
        fmt = normalise_fmt(fmt, name)
    data: bytes | None = None
    if stream:  # /dev/stdin or <(…): read once, whole, as standard input is
        fmt, data = read_stream(p, name, fmt)
    elif fmt is None:
        fmt = sniff(read_head(p, name), p, name)

    if fmt == "xlsx":
        return load_xlsx(p if data is None else io.BytesIO(data), name, max_cell_chars, encoding)

    if data is None:
        data = read_whole(p, name, fmt)
    digest = _hashing(data)
    if blank(data):
        raise InputError(f"{name} is empty.")
    refuse_binary(data[:HEAD_BYTES], name, fmt)
    text, codec, guessed, notes = decode(data, encoding, name)
    del data
    if blank(text):
        raise InputError(f"{name} is empty.")
    if guessed:
        refuse_binary_text(text, name)

    report = LoadReport(name, fmt, codec, encoding_guessed=guessed, notes=notes)
    if fmt == "csv":
        # Hand over the only reference, so the text is freed once it is split into lines.
        holder = [text]
        del text
        frame = load_csv(holder, name, report, max_cell_chars)
    elif fmt == "jsonl":
        frame = load_jsonl(text, name, report, max_cell_chars)
    else:
        frame = load_json(text, name, report, max_cell_chars, allow_jsonl=auto)
    report.rows = len(frame)
    report.provider = detect_provider(report.columns)
    report.sha256 = digest()
    return frame, report


def _hashing(data: bytes) -> Callable[[], str]:
    """What to call for the sha256 of ``data`` (the audit log records it), computed on a thread
    meanwhile: hashlib lets go of the interpreter lock over a large buffer, so it runs on another
    CPU while the text is decoded and parsed, instead of reading the file again afterwards."""
    found = hashlib.sha256()
    worker = threading.Thread(target=found.update, args=(data,), name="screener-export-hash", daemon=True)
    worker.start()

    def hexdigest() -> str:
        worker.join()
        return found.hexdigest()

    return hexdigest


class ExportChunks:
    """An export read a piece at a time (``load_export_chunks``): iterating gives frames shaped
    like ``load_export``'s, rows in file order; ``report`` is complete once iteration ends.
    ``streamed`` is known before: False means the whole file is read on the first iteration."""

    def __init__(self, report: LoadReport, frames: Callable[[LoadReport], Iterator[pd.DataFrame]], *,
                 streamed: bool, why_whole: str = "", sha256: str = "") -> None:
        self.report = report
        self.streamed = streamed  # False: the file is read whole (not a UTF-8 CSV, or small)
        self.why_whole = why_whole  # when not streamed: why, in words
        self.sha256 = sha256  # of the file's bytes, when the check before streaming read them all
        self._make = frames
        self._frames = frames(report)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return self._frames

    def again(self) -> ExportChunks:
        """The same export read once more from the top, without checking it again."""
        return ExportChunks(replace(self.report, rows=0, columns=[], rejected=[], repaired=[], notes=[]), self._make,
                            streamed=self.streamed, why_whole=self.why_whole, sha256=self.sha256)


def load_export_chunks(
    path: str | Path,
    *,
    chunk_rows: int = 50_000,
    encoding: str | None = None,
    fmt: str | None = None,
    max_cell_chars: int = 1_000_000,
    window_bytes: int = WINDOW_BYTES,
) -> ExportChunks:
    """Read an export in frames of about ``chunk_rows`` rows, so a file larger than memory can be
    screened. A UTF-8 CSV larger than ``window_bytes`` is read a window at a time and never held
    whole; anything else is read whole by ``load_export`` and handed out in slices. Either way
    the rows, line numbers, rejected records and notes are those ``load_export`` gives."""
    if chunk_rows < 1 or window_bytes < 1:
        raise ValueError("chunk_rows and window_bytes must be at least 1")
    p = Path(path)
    name = str(path)
    if check_readable(p, name):  # a pipe is read whole, once, when iterated
        return ExportChunks(LoadReport(name, normalise_fmt(fmt, name) if fmt else "csv"),
                            lambda into: _whole_in_slices(path, into, chunk_rows, encoding, fmt, max_cell_chars),
                            streamed=False, why_whole="it is a pipe, not a file")
    head = read_head(p, name)
    fmt = normalise_fmt(fmt, name) if fmt is not None else sniff(head, p, name)
    codec, why_whole, sha256 = streamable_codec(p, name, head, fmt, encoding, window_bytes)
    if codec is not None:
        skip = leading_boms(head, encoding, codec)
        return ExportChunks(LoadReport(name, "csv", codec),
                            lambda into: csv_windows(p, name, into, chunk_rows, max_cell_chars, window_bytes, skip),
                            streamed=True, sha256=sha256)

    return ExportChunks(LoadReport(name, fmt),
                        lambda into: _whole_in_slices(path, into, chunk_rows, encoding, fmt, max_cell_chars),
                        streamed=False, why_whole=why_whole)


def _whole_in_slices(path: str | Path, into: LoadReport, chunk_rows: int, encoding: str | None, fmt: str | None,
                     max_cell_chars: int) -> Iterator[pd.DataFrame]:
    # Read whole only when iterated: a caller may only want to know that it cannot stream.
    frame, loaded = load_export(path, encoding=encoding, fmt=fmt, max_cell_chars=max_cell_chars)
    vars(into).update(vars(loaded))
    for lo in range(0, max(len(frame), 1), chunk_rows):
        yield frame.iloc[lo : lo + chunk_rows].reset_index(drop=True)
