"""Reading CSV text into the table: the delimiter, the header, and each record or why it was rejected.
Finds the delimiter (a ``sep=`` line, else commas, semicolons or tabs counted outside quotes),
reads records that span lines, and lets a stray quote cost one line rather than the rest of the
file. ``load_csv`` reads decoded text whole; ``csv_windows`` reads a UTF-8 file a window of
bytes at a time, with the same rows, line numbers, rejections and notes.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from screener.core.errors import InputError
from screener.data.load.limits import max_line_bytes, size_words
from screener.data.load.table import (
    LoadReport,
    RejectedRow,
    RepairedRow,
    clean_headers,
    detect_provider,
    make_frame,
    plural,
    too_long_reason,
)

# An unterminated quote makes the csv module read to the end of the file; after it we re-read
# from the next line. Past this many such restarts the rest of the file is rejected in one go,
# so a hostile file cannot make loading quadratic.
_MAX_EOF_RESTARTS = 20

# csv.field_size_limit takes a C long, which is 32 bits on Windows.
_CSV_FIELD_LIMIT_MAX = min(sys.maxsize, 2**31 - 1)

_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}

# Characters str.splitlines() breaks on but the csv module does not treat as line ends.
_EXTRA_LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# Bytes of a CSV read at a time by load_export_chunks.
WINDOW_BYTES = 32 * 1024 * 1024

# A money amount or number written with thousands separators: "$95,000", "1,200,000", "€1,250.50".
# An unquoted one splits its cell in two or more at the commas (see _repair).
_THOUSANDS = re.compile(r"\s*[-+]?\s*[$€£¥]?\s*\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*")

# More extra fields than this is not a few unquoted amounts: the row is not repaired.
_MAX_REPAIR_EXTRA = 6


def load_csv(
    holder: list[str], name: str, report: LoadReport, max_cell_chars: int
) -> pd.DataFrame:
    lines = _split_lines(holder.pop())
    begin, skipped_blank, delimiter = _csv_start(lines, report)
    parser = _CsvParser(name, report, max_cell_chars, skipped_blank)
    # The parse allocates one list per record and nothing cyclic; pausing the cyclic GC
    # saves about a fifth of the load time on a 100k-row export.
    with _gc_paused():
        parser.feed(_iter_csv(lines, begin, delimiter), lines, 0)
    parser.finish()
    return parser.take_frame()


def csv_windows(p: Path, name: str, report: LoadReport, chunk_rows: int, cap: int,
                window_bytes: int, skip: int) -> Iterator[pd.DataFrame]:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    parser: _CsvParser | None = None
    delimiter = ","
    pending = ""  # the last physical line of the text so far, perhaps incomplete
    carry: list[str] = []  # lines not parsed yet: a record still open, or the top of the file
    offset = 0  # file lines before carry[0]
    yielded = False
    longest = max_line_bytes()
    with p.open("rb") as handle:
        handle.seek(skip)  # the byte-order marks
        while True:
            # A record that stays open makes the next read larger, so re-reading it stays linear.
            block = handle.read(max(window_bytes, sum(map(len, carry))))
            final = not block
            text = pending + decoder.decode(block, final=final)
            lines = _split_lines(text)
            pending = "" if final or not lines else lines.pop()
            window = carry + lines
            _check_line(name, pending, offset + len(window) + 1, longest, "line")
            begin = 0
            if parser is None:
                top = _blank_lines_at_top(window)
                if not final and top + 3 > len(window):
                    carry = window  # read on until the header and a line after it are in
                    continue
                if top >= len(window):
                    raise InputError(f"{name} is empty.")
                begin, skipped_blank, delimiter = _csv_start(window, report)
                parser = _CsvParser(name, report, cap, skipped_blank)
            with _gc_paused():
                at = parser.feed(_iter_csv(window, begin, delimiter, final, offset), window, offset)
            if at is None:
                carry, offset = [], offset + len(window)
            else:
                carry, offset = window[at:], offset + at
                _check_line(name, "".join(carry), offset + 1, longest, "the quoted cell opened on line")
            if final:
                parser.finish()
                report.provider = detect_provider(report.columns)
            if len(parser.rows) >= chunk_rows or (final and (parser.rows or not yielded)):
                report.rows += len(parser.rows)
                yielded = True
                yield parser.take_frame()
            if final:
                return


def _check_line(name: str, text: str, line: int, longest: int, what: str) -> None:
    """Stop reading at a line (or a record still open) longer than ``longest`` bytes in UTF-8."""
    if len(text) > longest or (4 * len(text) > longest and len(text.encode("utf-8", "surrogatepass")) > longest):
        raise InputError(
            f"{name}: {what} {line:,} is longer than {size_words(longest)} (SCREENER_MAX_LINE_BYTES), which no "
            "form export needs; check that it is the export, or raise the limit.")


def _blank_lines_at_top(lines: list[str]) -> int:
    top = 0
    while top < len(lines) and not lines[top].strip():
        top += 1
    return top


def _split_lines(text: str) -> list[str]:
    """Split into physical lines (ends kept) exactly as the csv module expects: \\r, \\n, \\r\\n."""
    lines = text.splitlines(keepends=True)
    if not any(ch in text for ch in _EXTRA_LINE_BREAKS):
        return lines
    # Glue back the pieces str.splitlines() cut at characters that are not line ends for csv.
    merged: list[str] = []
    pending = ""
    for piece in lines:
        pending += piece
        if pending.endswith(("\n", "\r")):
            merged.append(pending)
            pending = ""
    if pending:
        merged.append(pending)
    return merged


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _sniff_delimiter(header_line: str, next_line: str | None) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in (",", "\t", ";")}
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d, c in counts.items() if c == best]
    if len(tied) > 1 and next_line is not None:
        consistent = [d for d in tied if _count_outside_quotes(next_line, d) == best]
        if consistent:
            return consistent[0]
    return tied[0]


def _iter_csv(
    lines: list[str], begin: int, delimiter: str, final: bool = True, offset: int = 0
) -> Iterator[tuple[int, int, list[str] | None, str | None]]:
    """Yield (first_line, last_line, fields, error) per record, 1-based physical lines.

    On a csv error the record's first line is reported and reading restarts on the line
    after it, so one stray quote costs one line, not the rest of the file. When ``lines`` is
    not the end of the file (``final`` false), a record still open at its end is yielded with
    the error "carry": it is read again with the lines that follow. ``offset`` (file lines
    before ``lines``) is only added to the line numbers written into error messages.
    """
    base = begin  # lines consumed before the current reader
    eof_restarts = 0
    while base < len(lines):
        reader = csv.reader(
            itertools.islice(lines, base, None), delimiter=delimiter, quotechar='"', strict=True
        )
        prev = 0
        try:
            for fields in reader:
                end = reader.line_num
                yield base + prev + 1, base + end, fields, None
                prev = end
            return
        except csv.Error as err:
            first = base + prev + 1
            at_eof = base + reader.line_num >= len(lines)
            message = str(err)
            if at_eof and "end of data" in message and not final:
                yield first, len(lines), None, "carry"
                return
            if at_eof and "end of data" in message:
                eof_restarts += 1
                if eof_restarts > _MAX_EOF_RESTARTS:
                    yield first, len(lines), None, "rest"
                    return
                yield first, first, None, "eof"
            else:
                last = base + reader.line_num
                if last > first:
                    # A quote left open on one line swallows the lines after it up to the next quote.
                    message = (f"a quoted cell opened on line {first + offset} runs on to line {last + offset}, "
                               f"then {message}")
                yield first, first, None, message
            base = first


def _repair(fields: list[str], ncols: int) -> tuple[list[str], list[tuple[int, int]]] | str:
    """``fields`` (more than ``ncols``) merged back into ``ncols`` cells, and the (start, stop)
    pieces merged, when exactly one way to merge adjacent fields gives cells of which every merged
    one reads as a number with thousands separators ("$95" "000" -> "$95,000"). Else why not, to
    add to the reason the row is rejected: "" when no such merge fits, a sentence when several do."""
    extra = len(fields) - ncols
    if not 0 < extra <= _MAX_REPAIR_EXTRA:
        return ""
    n = len(fields)
    # joins[i][g]: fields[i..i+g] joined by commas read as one number; count[i][left]: the ways
    # (counted up to 2) to read fields[i:] with ``left`` more joins, filled from the end (no recursion).
    joins = [[g > 0 and i + g < n and bool(_THOUSANDS.fullmatch(",".join(fields[i:i + g + 1])))
              for g in range(extra + 1)] for i in range(n)]
    count = [[0] * (extra + 1) for _ in range(n + 1)]
    count[n][0] = 1
    for at in range(n - 1, -1, -1):
        for more in range(extra + 1):
            total = count[at + 1][more]
            for g in range(1, more + 1):
                if joins[at][g]:
                    total += count[at + g + 1][more - g]
            count[at][more] = min(total, 2)

    def ways(i: int, left: int) -> int:
        return count[i][left]

    found = ways(0, extra)
    if found == 0:
        return ""
    if found > 1:
        return ("; an unquoted comma inside a number could be mended in more than one place, so it was "
                "not guessed")
    merged: list[str] = []
    pieces: list[tuple[int, int]] = []
    i, left = 0, extra
    while i < n:
        if ways(i + 1, left) == 1:
            merged.append(fields[i])
            i += 1
            continue
        for g in range(1, left + 1):
            if joins[i][g] and ways(i + g + 1, left - g) == 1:
                merged.append(",".join(fields[i:i + g + 1]))
                pieces.append((i, i + g + 1))
                i, left = i + g + 1, left - g
                break
        else:  # pragma: no cover - ways() said there is exactly one
            return ""
    return merged, pieces


def _repair_note(line: int, fields: list[str], pieces: list[tuple[int, int]]) -> str:
    parts = []
    for start, stop in pieces:
        quoted = [f"'{f}'" for f in fields[start:stop]]
        joined = ", ".join(quoted[:-1]) + " and " + quoted[-1]
        parts.append(f"{joined} read as one field '{','.join(fields[start:stop])}'")
    return f"line {line} repaired: " + "; ".join(parts)


def _csv_start(lines: list[str], report: LoadReport) -> tuple[int, int, str]:
    """Skip leading blank lines, read a ``sep=`` line, choose the delimiter: (begin, skipped, delimiter)."""
    notes = report.notes
    begin = _blank_lines_at_top(lines)
    skipped_blank = begin

    delimiter: str | None = None
    first = lines[begin].rstrip("\r\n")
    match = re.fullmatch(r"\s*sep=(.)\s*", first)
    if match:
        delimiter = match.group(1)
        notes.append(f"used the 'sep={delimiter}' line at the top as the delimiter")
        begin += 1
    if delimiter is None:
        following = lines[begin + 1] if begin + 1 < len(lines) else None
        delimiter = _sniff_delimiter(first, following)
    if delimiter in (";", "\t"):
        notes.append(f"the columns are separated by {_DELIMITER_NAMES[delimiter]}")
    report.delimiter = delimiter
    old_limit = csv.field_size_limit()
    if old_limit < _CSV_FIELD_LIMIT_MAX:
        # Our own max_cell_chars check gives a better message than the csv module's limit.
        csv.field_size_limit(_CSV_FIELD_LIMIT_MAX)
    return begin, skipped_blank, delimiter


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _CsvParser:
    """The records of a CSV export, fed a window of lines at a time: the header first, then rows
    (kept until ``take_frame``), rejected records with their reasons, and blank-line counts."""

    def __init__(self, name: str, report: LoadReport, max_cell_chars: int, skipped_blank: int) -> None:
        self.name = name
        self.report = report
        self.cap = max_cell_chars
        self.skipped_blank = skipped_blank
        self.empty_rows = 0
        self.record = 0
        self.columns: list[str] | None = None
        self.rows: list[list[str]] = []
        self.row_numbers: list[int] = []
        self.line_numbers: list[int] = []

    def feed(self, records: Iterable[tuple[int, int, list[str] | None, str | None]], lines: list[str],
             offset: int) -> int | None:
        """Read ``records`` of ``lines`` (whose first line is file line ``offset + 1``). Returns the
        index in ``lines`` where a record still open at the end starts (error "carry"), else None."""
        rejected = self.report.rejected
        add_row, add_number, add_line = self.rows.append, self.row_numbers.append, self.line_numbers.append
        cap = self.cap
        for first_line, last_line, fields, error in records:
            if error == "carry":
                return first_line - 1
            if self.columns is None:
                self._header(first_line + offset, last_line - first_line + 1, fields, error)
                continue
            ncols = len(self.columns)
            if fields is not None and len(fields) == ncols:
                if not any(fields):
                    self.empty_rows += 1
                    continue
                self.record += 1
                # Cheap guard first: a cell can only be too long if its record's text is.
                if (last_line != first_line or len(lines[first_line - 1]) > cap) and max(map(len, fields)) > cap:
                    reason = too_long_reason(fields, self.columns, cap)
                    rejected.append(RejectedRow(first_line + offset, reason, tuple(fields)))
                    continue
                add_row(fields)
                add_number(self.record)
                add_line(first_line + offset)
            elif fields is None:
                self.record += 1
                raw_text = "".join(lines[first_line - 1 : last_line]).rstrip("\r\n")
                if error == "eof":
                    reason = (
                        f"opens a quote that is never closed; reading went on from line "
                        f"{first_line + offset + 1}"
                    )
                elif error == "rest":
                    reason = "starts a run of unterminated quotes; the rest of the file was not read"
                else:
                    reason = f"is not valid CSV ({error}); reading went on from line {first_line + offset + 1}"
                rejected.append(RejectedRow(first_line + offset, reason, (raw_text,)))
            elif not fields or (ncols > 1 and len(fields) == 1 and not fields[0].strip()):
                self.skipped_blank += 1
            elif not any(fields):
                self.empty_rows += 1
            else:
                self.record += 1
                repair = _repair(fields, ncols) if len(fields) > ncols else ""
                if not isinstance(repair, str) and max(map(len, repair[0])) <= cap:
                    merged, pieces = repair
                    self.report.repaired.append(RepairedRow(
                        first_line + offset,
                        tuple(self.columns[start - sum(b - a - 1 for a, b in pieces if b <= start)]
                              for start, _ in pieces),
                        _repair_note(first_line + offset, fields, pieces)))
                    add_row(merged)
                    add_number(self.record)
                    add_line(first_line + offset)
                    continue
                reason = f"has {plural(len(fields), 'field')} but the header has {ncols}"
                if isinstance(repair, str):
                    reason += repair
                rejected.append(RejectedRow(first_line + offset, reason, tuple(fields)))
        return None

    def _header(self, first_line: int, n_lines: int, fields: list[str] | None, error: str | None) -> None:
        if error is not None:
            raise InputError(
                f"{self.name}: the header on line {first_line} is not valid CSV "
                f"({'a quote is never closed' if error in ('eof', 'rest') else error})."
            )
        assert fields is not None
        if not "".join(fields).strip():
            self.skipped_blank += n_lines
            return
        if "\x00" in "".join(fields):
            raise InputError(f"{self.name} is not a CSV, JSON or XLSX export (its header holds binary data).")
        self.columns = clean_headers(fields, self.report.notes)
        self.report.columns = self.columns

    def finish(self) -> None:
        if self.columns is None:
            raise InputError(f"{self.name} is empty.")
        notes = self.report.notes
        if self.skipped_blank:
            notes.append(f"skipped {plural(self.skipped_blank, 'blank line')}")
        if self.empty_rows:
            notes.append(f"skipped {plural(self.empty_rows, 'row')} with no values")

    def take_frame(self) -> pd.DataFrame:
        """The rows read since the last call, as a frame (see ``load_export``)."""
        frame = make_frame(self.rows, self.columns or [], self.row_numbers, self.line_numbers)
        self.rows, self.row_numbers, self.line_numbers = [], [], []
        return frame
