"""Read one export file (CSV, JSON, JSON Lines or XLSX) into a table of strings, with a report.

Every data cell comes back as the exact text the applicant typed (``NA``, ``None``, ``007`` stay
as they are; missing is ``""``). Records that cannot be read safely are not dropped silently:
they go to ``LoadReport.rejected`` with the line they start on, and everything else that was
decided on the user's behalf (a guessed encoding, a renamed column, skipped blank lines) is
written to ``LoadReport.notes``. Problems that make the whole file unreadable raise
``InputError`` with one sentence naming the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import hashlib
import itertools
import json
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.core.errors import InputError

__all__ = ["FORMATS", "ExportChunks", "LoadReport", "RejectedRow", "detect_format", "load_export", "load_export_chunks"]

FORMATS = ("csv", "json", "jsonl", "xlsx")

# How many bytes of the file the format sniffer looks at.
_HEAD_BYTES = 64 * 1024
# Objects nested deeper than this are kept as one JSON-text cell instead of more columns.
_MAX_FLATTEN_DEPTH = 20
# An unterminated quote makes the csv module read to the end of the file; after it we re-read
# from the next line. Past this many such restarts the rest of the file is rejected in one go,
# so a hostile file cannot make loading quadratic.
_MAX_EOF_RESTARTS = 20
# csv.field_size_limit takes a C long, which is 32 bits on Windows.
_CSV_FIELD_LIMIT_MAX = min(sys.maxsize, 2**31 - 1)

_JSON_WRAPPER_KEYS = ("value", "entries", "data", "items", "results")
_RESERVED_COLUMNS = ("_row", "_line")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}

# Characters str.splitlines() breaks on but the csv module does not treat as line ends.
_EXTRA_LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# JSON may spell a lone UTF-16 surrogate ("\\ud800"), which is no character: no file can hold it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{4,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Codecs charset-normalizer may answer that are plausible for a form export. Anything else
# (mac_*, EBCDIC, DOS code pages, ...) is almost always a misdetection of short Latin text.
_SENSIBLE_GUESSES = frozenset(
    [f"cp{n}" for n in range(1250, 1259)]
    + [f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 7, 9, 10, 13, 14, 15, 16)]
    + ["koi8-r", "koi8-u", "cp874", "tis-620"]
    + ["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "cp936"]
    + ["shift_jis", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp949", "iso2022_kr"]
    + ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF binary)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class RejectedRow:
    """A record that was not loaded, kept whole so nothing is lost."""

    line: int  # CSV/JSON Lines: physical line the record starts on; JSON array: entry index;
    # XLSX: sheet row number. All 1-based.
    reason: str  # one sentence, e.g. "has 14 fields but the header has 12"
    raw: tuple[str, ...]  # the raw cells, or a 1-tuple with the raw text


@dataclass
class LoadReport:
    """What ``load_export`` read and every decision it took on the user's behalf."""

    path: str
    format: str  # "csv" | "json" | "jsonl" | "xlsx"
    encoding: str | None  # codec actually used; None for xlsx
    encoding_guessed: bool  # True when it came from detection, not BOM/strict UTF-8/--encoding
    provider: str | None  # "cognito" | "google" | "typeform" | "jotform" | "msforms" | None
    delimiter: str | None  # CSV only
    sheet: str | None  # XLSX only
    rows: int  # data rows loaded into the frame
    columns: list[str]  # data columns (without _row/_line)
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


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
    _check_readable(p, name)
    if fmt is not None:
        fmt = _normalise_fmt(fmt, name)
        auto = False
    else:
        fmt = _sniff(_read_head(p, name), p, name)
        auto = True

    if fmt == "xlsx":
        return _load_xlsx(p, name, max_cell_chars, encoding)

    data = _read_bytes(p, name)
    if _blank(data):
        raise InputError(f"{name} is empty.")
    _refuse_binary(data[:_HEAD_BYTES], name, fmt)
    text, codec, guessed, notes = _decode(data, encoding, name)
    del data
    if _blank(text):
        raise InputError(f"{name} is empty.")
    if guessed:
        _refuse_binary_text(text, name)

    report = LoadReport(
        path=name,
        format=fmt,
        encoding=codec,
        encoding_guessed=guessed,
        provider=None,
        delimiter=None,
        sheet=None,
        rows=0,
        columns=[],
        notes=notes,
    )
    if fmt == "csv":
        # Hand over the only reference, so the text is freed once it is split into lines.
        holder = [text]
        del text
        frame = _load_csv(holder, name, report, max_cell_chars)
    elif fmt == "jsonl":
        frame = _load_jsonl(text, name, report, max_cell_chars)
    else:
        frame = _load_json(text, name, report, max_cell_chars, allow_jsonl=auto)
    report.rows = len(frame)
    report.provider = _detect_provider(report.columns)
    return frame, report


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
        return ExportChunks(replace(self.report, rows=0, columns=[], rejected=[], notes=[]), self._make,
                            streamed=self.streamed, why_whole=self.why_whole, sha256=self.sha256)


# Bytes of a CSV read at a time by load_export_chunks.
WINDOW_BYTES = 32 * 1024 * 1024


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
    _check_readable(p, name)
    head = _read_head(p, name)
    fmt = _normalise_fmt(fmt, name) if fmt is not None else _sniff(head, p, name)
    codec, why_whole, sha256 = _streamable_codec(p, name, head, fmt, encoding, window_bytes)
    if codec is not None:
        skip = _leading_boms(head, encoding, codec)
        report = LoadReport(path=name, format="csv", encoding=codec, encoding_guessed=False, provider=None,
                            delimiter=None, sheet=None, rows=0, columns=[])
        return ExportChunks(report, lambda into: _csv_windows(p, name, into, chunk_rows, max_cell_chars,
                                                              window_bytes, skip), streamed=True, sha256=sha256)

    def slices(into: LoadReport) -> Iterator[pd.DataFrame]:
        # Read whole only when iterated: a caller may only want to know that it cannot stream.
        frame, loaded = load_export(path, encoding=encoding, fmt=fmt, max_cell_chars=max_cell_chars)
        vars(into).update(vars(loaded))
        for lo in range(0, max(len(frame), 1), chunk_rows):
            yield frame.iloc[lo : lo + chunk_rows].reset_index(drop=True)

    return ExportChunks(LoadReport(path=name, format=fmt, encoding=None, encoding_guessed=False, provider=None,
                                   delimiter=None, sheet=None, rows=0, columns=[]),
                        slices, streamed=False, why_whole=why_whole)


def _leading_boms(head: bytes, encoding: str | None, codec: str) -> int:
    """Bytes of byte-order marks at the top that ``load_export`` drops: all of them when it found
    the encoding itself, else one (two for an explicit utf-8-sig, which drops one itself)."""
    n = 0
    while head.startswith(codecs.BOM_UTF8, 3 * n):
        n += 1
    return 3 * (n if encoding is None else min(n, 2 if codec == "utf-8-sig" else 1))


def _streamable_codec(p: Path, name: str, head: bytes, fmt: str, encoding: str | None,
                      window_bytes: int) -> tuple[str | None, str, str]:
    """The codec name ``load_export`` would report when the file can be read in windows: a CSV
    larger than a window, in UTF-8 from end to end (checked first, a block at a time), with an
    even number of quote characters. An odd number means a quote is never closed, and reading
    in windows would carry the rest of the file from one window to the next: such a file is
    read whole, as before. Returns (codec, "", SHA-256 of the bytes read for the check) or
    (None, why it must be read whole, "")."""
    if fmt != "csv":
        return None, f"it is {fmt.upper()}, not CSV", ""
    if _blank(head):
        return None, "it starts with blank space", ""
    not_utf8 = (None, "it is not UTF-8", "")
    if _utf16_without_bom(head) or head.startswith(
            (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return not_utf8
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            return not_utf8
        if codec not in ("utf-8", "utf-8-sig"):
            return not_utf8
    else:
        codec = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    _refuse_binary(head, name, fmt)
    try:
        if p.stat().st_size <= window_bytes:
            return None, "it is small", ""
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        quotes = 0
        digest = hashlib.sha256()  # the audit log records it: the file need not be read again for it
        with p.open("rb") as handle:
            while block := handle.read(16 * 1024 * 1024):
                decoder.decode(block)
                digest.update(block)
                quotes += block.count(b'"')  # the byte 0x22 occurs in UTF-8 only as the quote
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return not_utf8  # load_export decides (mixed or guessed encodings) and words any error
    if quotes % 2:
        return None, "a quote in it is never closed", ""
    return codec, "", digest.hexdigest()


def _csv_windows(p: Path, name: str, report: LoadReport, chunk_rows: int, cap: int,
                 window_bytes: int, skip: int) -> Iterator[pd.DataFrame]:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    parser: _CsvParser | None = None
    delimiter = ","
    pending = ""  # the last physical line of the text so far, perhaps incomplete
    carry: list[str] = []  # lines not parsed yet: a record still open, or the top of the file
    offset = 0  # file lines before carry[0]
    yielded = False
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
            begin = 0
            if parser is None:
                top = 0
                while top < len(window) and not window[top].strip():
                    top += 1
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
            if final:
                parser.finish()
                report.provider = _detect_provider(report.columns)
            if len(parser.rows) >= chunk_rows or (final and (parser.rows or not yielded)):
                report.rows += len(parser.rows)
                yielded = True
                yield parser.take_frame()
            if final:
                return


def detect_format(path: str | Path) -> str:
    """Return "csv", "json", "jsonl" or "xlsx" for an export, judged by its content first.

    Raises ``InputError`` when the file is missing, empty, or clearly not an export (an
    image, a PDF, a ZIP archive that is not a workbook, ...).
    """
    p = Path(path)
    name = str(path)
    _check_readable(p, name)
    return _sniff(_read_head(p, name), p, name)


# --------------------------------------------------------------------------------------------
# Files, format sniffing and binary refusal
# --------------------------------------------------------------------------------------------


def _check_readable(p: Path, name: str) -> None:
    try:
        if p.is_dir():
            raise InputError(f"{name} is a folder, not an export file.")
        if not p.exists():
            raise InputError(f"{name} does not exist.")
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None


def _read_bytes(p: Path, name: str, limit: int | None = None) -> bytes:
    try:
        with p.open("rb") as fh:
            return fh.read() if limit is None else fh.read(limit)
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder, not an export file.") from None
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None


def _read_head(p: Path, name: str) -> bytes:
    head = _read_bytes(p, name, _HEAD_BYTES)
    # A file of only whitespace may be longer than the head; then check it all.
    if _blank(head) and (len(head) < _HEAD_BYTES or _blank(_read_bytes(p, name))):
        raise InputError(f"{name} is empty.")
    return head


def _blank(content: bytes | str) -> bool:
    """True for empty or whitespace-only content, without copying a large file to find out."""
    return not content[:_HEAD_BYTES].strip() and not content.strip()


def _normalise_fmt(fmt: str, name: str) -> str:
    key = fmt.strip().lower().lstrip(".")
    key = {"ndjson": "jsonl", "tsv": "csv", "txt": "csv", "xlsm": "xlsx"}.get(key, key)
    if key not in FORMATS:
        raise InputError(
            f"Unknown format {fmt!r} for {name}; expected one of {', '.join(FORMATS)}."
        )
    return key


def _sniff(head: bytes, p: Path, name: str) -> str:
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(p, name)
    if head.startswith(_OLE2_MAGIC):
        raise InputError(
            f"{name} is a password-protected XLSX or an old .xls workbook; save it as an "
            "unprotected .xlsx or as CSV."
        )
    _refuse_binary(head, name, None)
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    text = _head_text(head).lstrip("\ufeff \t\r\n")
    if _looks_like_json(text):
        if text.startswith("{") and _looks_like_json_lines(text):
            return "jsonl"
        return "json"
    if suffix == ".json":
        return "json"  # so the user gets a JSON error message, not CSV nonsense
    return "csv"


def _zip_kind(p: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        raise InputError(f"{name} is a damaged ZIP or XLSX file and cannot be read.") from None
    if "xl/workbook.xml" in names or any(n.startswith("xl/workbook") for n in names):
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        raise InputError(
            f"{name} is an OpenDocument spreadsheet (.ods), not an XLSX workbook; save it as "
            ".xlsx or CSV."
        )
    raise InputError(f"{name} is a ZIP archive, not a CSV, JSON or XLSX export.")


def _refuse_binary(head: bytes, name: str, fmt: str | None) -> None:
    """Raise if the head of the file is plainly not text."""
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE2_MAGIC):
        if head.startswith(_ZIP_MAGIC):
            what = "an XLSX workbook or another ZIP file"
        else:
            what = "an .xls workbook or a password-protected XLSX"
        raise InputError(f"{name} is {what}, not a {fmt.upper() if fmt else 'text'} export.")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"{name} looks like {what}, not a CSV, JSON or XLSX export.")
    if _utf16_without_bom(head) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    first_line = head.split(b"\n", 1)[0]
    if b"\x00" in first_line:
        raise InputError(
            f"{name} is not a CSV, JSON or XLSX export (its first line holds binary data)."
        )


def _refuse_binary_text(text: str, name: str) -> None:
    """A guessed single-byte decoding accepts anything; refuse text that is mostly controls."""
    sample = text[:8192]
    controls = len(_C0_CONTROLS.findall(sample))
    if controls > 2 and controls > len(sample) // 100:
        raise InputError(
            f"{name} is not a CSV, JSON or XLSX export (it holds binary data, not text)."
        )


def _head_text(head: bytes) -> str:
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    utf16 = _utf16_without_bom(head)
    if utf16:
        return head.decode(utf16, errors="ignore")
    # Only the first characters matter for sniffing; latin-1 maps every byte.
    return head.decode("latin-1")


def _looks_like_json(text: str) -> bool:
    # "[Name],Email" or "{Name}" are CSV headers; a JSON document continues with a value.
    if not text or text[0] not in "[{":
        return False
    rest = text[1:].lstrip(" \t\r\n")
    if text[0] == "[":
        return not rest or rest[0] in '{["]'
    return not rest or rest[0] in '"}'


def _looks_like_json_lines(text: str) -> bool:
    lines = [ln.strip() for ln in text.split("\n")[:20] if ln.strip()]
    if not lines or lines[0] == "{":
        return False  # pretty-printed JSON starts with "{" alone on its line
    whole = sum(1 for ln in lines if ln.startswith("{") and ln.endswith("}"))
    return whole >= 2


def _utf16_without_bom(head: bytes) -> str | None:
    """Name the UTF-16 byte order of BOM-less text that is mostly ASCII, else None."""
    sample = head[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    # The first character must show the pattern too: a text file never starts with NUL.
    if sample[0] and not sample[1] and odd.count(0) >= 0.4 * len(odd) and (
        even.count(0) <= 0.02 * len(even)
    ):
        return "utf-16-le"
    if sample[1] and not sample[0] and even.count(0) >= 0.4 * len(even) and (
        odd.count(0) <= 0.02 * len(odd)
    ):
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------


def _decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str, bool, list[str]]:
    """Return (text, codec, guessed, notes); text has no leading BOM."""
    notes: list[str] = []
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"Unknown encoding {encoding!r} given for {name}.") from None
        text = _strict_decode(data, codec, name)
        if text.startswith("\ufeff"):
            text = text[1:]
        elif data.startswith(codecs.BOM_UTF8) and codec not in ("utf-8", "utf-8-sig"):
            notes.append(
                f"the file starts with a UTF-8 byte-order mark but was decoded as {codec} "
                "because an encoding was given"
            )
        return text, codec, False, notes

    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict_decode(data, codec, name).lstrip("\ufeff"), codec, False, notes

    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        text = _strict_decode(data, utf16, name)
        notes.append(f"decoded as {utf16} (guessed); pass --encoding to override")
        return text, utf16, True, notes

    try:
        return data.decode("utf-8"), "utf-8", False, notes
    except UnicodeDecodeError as err:
        bad_line = _line_of_offset(data, err.start, "utf-8")

    mixed = _decode_mixed(data, name, notes)
    if mixed is not None:
        return mixed
    guess = _guess_codec(data)
    if guess is None:
        raise InputError(
            f"{name} is not UTF-8 (the first bad byte is on line {bad_line}) and its encoding "
            "could not be guessed; pass --encoding."
        )
    codec, text = guess
    notes.append(f"decoded as {codec} (guessed); pass --encoding to override")
    return text, codec, True, notes


def _decode_mixed(data: bytes, name: str, notes: list[str]) -> tuple[str, str, bool, list[str]] | None:
    """Decode a file that is UTF-8 except for some lines (a row pasted from an old spreadsheet).

    Decoding it all in a guessed codec would garble every UTF-8 line ("Müller" -> "MÃ¼ller"),
    so each line is decoded on its own, and the lines that are not UTF-8 are named in a note.
    Returns None when the file is not mixed.
    """
    lines = data.split(b"\n")
    utf8_lines = 0
    other: list[int] = []
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8_lines += 1
    if not utf8_lines or not other:
        return None
    guess = _guess_codec(b"\n".join(lines[i] for i in other))
    if guess is None:
        first = other[0] + 1
        raise InputError(
            f"{name} is UTF-8 except for some lines (the first is line {first}) whose encoding could "
            "not be guessed; save the file as UTF-8."
        )
    codec = guess[0]
    odd = set(other)
    texts = [_strict_decode(line, codec, name) if number in odd else line.decode("utf-8")
             for number, line in enumerate(lines)]
    shown = ", ".join(str(i + 1) for i in other[:10]) + (f" and {len(other) - 10} more" if len(other) > 10 else "")
    lines_word = "line" if len(other) == 1 else "lines"
    notes.append(
        f"{lines_word} {shown} {'is' if len(other) == 1 else 'are'} not UTF-8 like the rest of the file; "
        f"read {'it' if len(other) == 1 else 'them'} as {codec} (guessed); check "
        f"{'it' if len(other) == 1 else 'them'}, or save the file as UTF-8"
    )
    return "\n".join(texts), f"utf-8+{codec}", True, notes


def _strict_decode(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = _line_of_offset(data, err.start, codec)
        raise InputError(
            f"{name} cannot be decoded as {codec}: byte 0x{data[err.start]:02x} on line {line} "
            "is invalid; pass the right --encoding."
        ) from None
    except (UnicodeError, LookupError) as err:
        raise InputError(f"{name} cannot be decoded as {codec}: {err}.") from None


def _line_of_offset(data: bytes, offset: int, codec: str) -> int:
    prefix = data[:offset].decode(codec, errors="replace")
    if "\n" not in prefix and "\r" in prefix:
        return prefix.count("\r") + 1
    return prefix.count("\n") + 1


def _guess_codec(data: bytes) -> tuple[str, str] | None:
    """Guess (codec, text) for non-UTF-8 bytes: cp1252 unless the text is clearly not Latin."""
    try:
        as_cp1252: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    if as_cp1252 is not None and not _looks_non_latin(as_cp1252):
        return "cp1252", as_cp1252

    from charset_normalizer import from_bytes  # imported lazily: only the guessing path needs it

    best = from_bytes(data).best()
    guess = None
    if best is not None:
        try:
            guess = codecs.lookup(best.encoding).name
        except LookupError:
            guess = None
    if guess in _SENSIBLE_GUESSES and guess != "cp1252":
        try:
            return guess, data.decode(guess)
        except UnicodeDecodeError:
            pass
    return ("cp1252", as_cp1252) if as_cp1252 is not None else None


def _looks_non_latin(text: str) -> bool:
    """True when non-ASCII characters come in long runs, as CJK or Cyrillic bytes do in cp1252.

    Western text has its accented letters alone or in pairs between ASCII letters ("Müller",
    "Größe"); GBK or cp1251 text read as cp1252 turns every word into a run like "ÖÐÎÄ".
    """
    sample = text[:200_000]
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii < 8:
        return False
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(sample))
    return in_runs > non_ascii // 2


# --------------------------------------------------------------------------------------------
# Headers, provider, frame
# --------------------------------------------------------------------------------------------


def _ordinal(n: int) -> str:
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
    return words[n - 1] if n <= len(words) else f"{n}th"


def _clean_headers(raw: Iterable[str], notes: list[str]) -> list[str]:
    """Strip names, name untitled columns ``column_N`` and rename duplicates ``Name__2``."""
    names: list[str] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for position, value in enumerate(raw, start=1):
        base = value.strip()
        if not base:
            base = f"column_{position}"
            notes.append(f"named the untitled column {position} '{base}'")
        counts[base] = counts.get(base, 0) + 1
        candidate = base
        if base in seen or base in _RESERVED_COLUMNS:
            n = max(counts[base], 2)
            candidate = f"{base}__{n}"
            while candidate in seen:
                n += 1
                candidate = f"{base}__{n}"
            if base in _RESERVED_COLUMNS and counts[base] == 1:
                notes.append(f"renamed the column '{base}' to '{candidate}' (the name is reserved)")
            else:
                notes.append(
                    f"renamed the {_ordinal(counts[base])} '{base}' column to '{candidate}'"
                )
        seen.add(candidate)
        names.append(candidate)
    return names


def _detect_provider(columns: list[str]) -> str | None:
    folded = {c.casefold() for c in columns}
    if "entry_status" in folded:
        return "cognito"
    if "start time" in folded and "completion time" in folded:
        return "msforms"
    if "submit date (utc)" in folded or "token" in folded:
        return "typeform"
    if "submission date" in folded:
        return "jotform"
    if "timestamp" in folded:
        return "google"
    if any(c.endswith("_id") for c in folded):
        return "cognito"
    return None


def _frame(
    rows: list[list[str]] | list[tuple[str, ...]],
    columns: list[str],
    row_numbers: list[int],
    line_numbers: list[int],
) -> pd.DataFrame:
    # dtype=object keeps plain Python str cells (pandas 3 would otherwise infer its str dtype).
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.insert(0, "_line", np.array(line_numbers, dtype=np.int64))
    frame.insert(0, "_row", np.array(row_numbers, dtype=np.int64))
    return frame


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


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


def _csv_start(lines: list[str], report: LoadReport) -> tuple[int, int, str]:
    """Skip leading blank lines, read a ``sep=`` line, choose the delimiter: (begin, skipped, delimiter)."""
    notes = report.notes
    begin = 0
    while begin < len(lines) and not lines[begin].strip():
        begin += 1
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


def _load_csv(
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
                    reason = _too_long_reason(fields, self.columns, cap)
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
                reason = f"has {_plural(len(fields), 'field')} but the header has {ncols}"
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
        self.columns = _clean_headers(fields, self.report.notes)
        self.report.columns = self.columns

    def finish(self) -> None:
        if self.columns is None:
            raise InputError(f"{self.name} is empty.")
        notes = self.report.notes
        if self.skipped_blank:
            notes.append(f"skipped {_plural(self.skipped_blank, 'blank line')}")
        if self.empty_rows:
            notes.append(f"skipped {_plural(self.empty_rows, 'row')} with no values")

    def take_frame(self) -> pd.DataFrame:
        """The rows read since the last call, as a frame (see ``load_export``)."""
        frame = _frame(self.rows, self.columns or [], self.row_numbers, self.line_numbers)
        self.rows, self.row_numbers, self.line_numbers = [], [], []
        return frame


def _too_long_reason(cells: Iterable[str], columns: list[str], cap: int) -> str:
    for column, cell in zip(columns, cells, strict=False):
        if len(cell) > cap:
            return (
                f"its '{column}' cell has {len(cell):,} characters, more than the limit of "
                f"{cap:,}"
            )
    return f"has a cell longer than {cap:,} characters"


# --------------------------------------------------------------------------------------------
# JSON and JSON Lines
# --------------------------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else type(value).__name__


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return _dumps(value)


def _json_cell(value: Any) -> str:
    if isinstance(value, list):
        if not value:
            return ""
        if not any(isinstance(v, (list, dict)) for v in value):
            return ", ".join(_json_scalar(v) for v in value if v is not None)
        if all(
            isinstance(v, dict) and v.get("Name") is not None
            and not isinstance(v["Name"], (list, dict))
            for v in value
        ):
            # Cognito file uploads: [{"ContentType","Id","Name","Size","File"}, ...]
            return ", ".join(_json_scalar(v["Name"]) for v in value)
        return _dumps(value)
    if isinstance(value, dict):
        return _dumps(value) if value else ""
    return _json_scalar(value)


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, str], depth: int, deep: list[bool]
             ) -> None:
    for key, value in obj.items():
        name = str(key).replace(".", "_")
        if prefix:
            name = f"{prefix}_{name}"
        if name in out:
            n = 2
            while f"{name}__{n}" in out:
                n += 1
            name = f"{name}__{n}"
        if isinstance(value, dict) and value:
            if depth >= _MAX_FLATTEN_DEPTH:
                deep[0] = True
                out[name] = _dumps(value)
            else:
                _flatten(value, name, out, depth + 1, deep)
        else:
            out[name] = _json_cell(value)


class _RecordBuilder:
    """Collects flattened JSON records and turns them into the frame."""

    def __init__(self, report: LoadReport, cap: int) -> None:
        self.report = report
        self.cap = cap
        self.records: list[dict[str, str]] = []
        self.row_numbers: list[int] = []
        self.line_numbers: list[int] = []
        self.keys: dict[str, None] = {}
        self.deep = [False]
        self.surrogates = False  # set when the JSON text spells a surrogate escape
        self.replaced: list[int] = []

    def add(self, entry: Any, row: int, line: int, raw: str | None = None) -> None:
        if not isinstance(entry, dict):
            self.reject(line, f"is a JSON {_json_type(entry)}, not an object", entry, raw)
            return
        flat: dict[str, str] = {}
        try:
            _flatten(entry, "", flat, 1, self.deep)
        except RecursionError:
            self.reject(line, "is nested too deeply to read", None, raw or "<too deeply nested>")
            return
        if self.surrogates and any(_SURROGATE.search(k) or _SURROGATE.search(v) for k, v in flat.items()):
            flat = {_SURROGATE.sub("\ufffd", k): _SURROGATE.sub("\ufffd", v) for k, v in flat.items()}
            self.replaced.append(line)
        if any(len(v) > self.cap for v in flat.values()):
            self.reject(line, _too_long_reason(flat.values(), list(flat), self.cap), entry, raw)
            return
        for key in flat:
            if key not in self.keys:
                self.keys[key] = None
        self.records.append(flat)
        self.row_numbers.append(row)
        self.line_numbers.append(line)

    def reject(self, line: int, reason: str, entry: Any, raw: str | None) -> None:
        if raw is None:
            try:
                raw = _dumps(entry)
            except (RecursionError, ValueError, TypeError):
                raw = repr(entry)[:1000]
        if self.surrogates:
            raw, reason = _SURROGATE.sub("\ufffd", raw), _SURROGATE.sub("\ufffd", reason)
        self.report.rejected.append(RejectedRow(line, reason, (raw,)))

    def frame(self) -> pd.DataFrame:
        if self.replaced:
            where = ", ".join(map(str, self.replaced[:10])) + (
                f" and {len(self.replaced) - 10} more" if len(self.replaced) > 10 else "")
            unit = "line" if self.report.format == "jsonl" else "record"
            self.report.notes.append(
                f"replaced lone UTF-16 surrogates (\\ud800-\\udfff escapes, which are not characters) "
                f"with U+FFFD in {_plural(len(self.replaced), unit)}: {where}"
            )
        keys = list(self.keys)
        columns = _clean_headers(keys, self.report.notes)
        rows = [tuple(rec.get(k, "") for k in keys) for rec in self.records]
        if self.deep[0]:
            self.report.notes.append(
                f"kept objects nested more than {_MAX_FLATTEN_DEPTH} levels deep as JSON text"
            )
        self.report.columns = columns
        return _frame(rows, columns, self.row_numbers, self.line_numbers)


def _json_error(err: Exception, name: str) -> InputError:
    if isinstance(err, json.JSONDecodeError):
        return InputError(
            f"{name}: invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}."
        )
    if isinstance(err, RecursionError):
        return InputError(f"{name}: the JSON is nested too deeply to read.")
    return InputError(f"{name}: invalid JSON: {err}.")  # e.g. an int of more than 4300 digits


def _load_json(
    text: str, name: str, report: LoadReport, cap: int, *, allow_jsonl: bool
) -> pd.DataFrame:
    try:
        document = json.loads(text)
    except (RecursionError, ValueError) as err:
        if (
            allow_jsonl
            and isinstance(err, json.JSONDecodeError)
            and err.msg == "Extra data"
            and text.lstrip().startswith("{")
        ):
            report.format = "jsonl"
            report.notes.append("the file holds one JSON object per line; read it as JSON Lines")
            return _load_jsonl(text, name, report, cap)
        raise _json_error(err, name) from None

    builder = _RecordBuilder(report, cap)
    builder.surrogates = _SURROGATE_ESCAPE.search(text) is not None
    entries: list[Any] | None = None
    if isinstance(document, list):
        entries = document
    elif isinstance(document, dict):
        key = _wrapper_key(document)
        if key is not None:
            entries = document[key]
            report.notes.append(f"read the records from the '{key}' array")
        else:
            builder.add(document, 1, 1)
    else:
        raise InputError(
            f"{name} holds a single JSON {_json_type(document)}, not records (objects)."
        )
    if entries is not None:
        for index, entry in enumerate(entries, start=1):
            builder.add(entry, index, index)
    return builder.frame()


def _wrapper_key(document: dict[str, Any]) -> str | None:
    """The key holding the records in {"value": [...]} and similar API envelopes, if any."""
    for key in _JSON_WRAPPER_KEYS:
        value = document.get(key)
        if not isinstance(value, list):
            continue
        if any(isinstance(v, dict) for v in value):
            return key
        if not value:
            # {"value": [], "@odata.context": ...} or {"items": [], "total_items": 0}; a record
            # with an empty checkbox array has text fields beside it.
            others = [v for k, v in document.items() if k != key and not k.startswith(("@", "$"))]
            if all(v is None or isinstance(v, (int, float)) for v in others):
                return key
    return None


def _load_jsonl(text: str, name: str, report: LoadReport, cap: int) -> pd.DataFrame:
    builder = _RecordBuilder(report, cap)
    builder.surrogates = _SURROGATE_ESCAPE.search(text) is not None
    blank = 0
    record = 0
    # Split on \n only: JSON strings cannot hold a raw newline but may hold U+2028.
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            blank += 1
            continue
        record += 1
        raw = line.rstrip("\r")
        try:
            entry = json.loads(stripped)
        except json.JSONDecodeError as err:
            report.rejected.append(
                RejectedRow(number, f"is not valid JSON (column {err.colno}: {err.msg})", (raw,))
            )
            continue
        except RecursionError:
            report.rejected.append(RejectedRow(number, "is nested too deeply to read", (raw,)))
            continue
        except ValueError as err:
            report.rejected.append(RejectedRow(number, f"is not valid JSON ({err})", (raw,)))
            continue
        builder.add(entry, record, number, raw)
    if text.endswith("\n"):
        blank -= 1  # the empty piece after the final newline is not a blank line
    if blank > 0:
        report.notes.append(f"skipped {_plural(blank, 'blank line')}")
    return builder.frame()


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _xlsx_cell(value: Any, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value += dt.timedelta(seconds=1)
        value = value.replace(microsecond=0, tzinfo=None)
        if number_format and value.time() == dt.time(0) and not _has_time_part(number_format):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _has_time_part(number_format: str) -> bool:
    # Excel stores dates as datetimes; the cell's format says whether a time was shown.
    unquoted = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format).lower()
    return "h" in unquoted or "s" in unquoted


def _load_xlsx(
    p: Path, name: str, cap: int, encoding: str | None
) -> tuple[pd.DataFrame, LoadReport]:
    from openpyxl import load_workbook  # imported lazily: slow to import, only XLSX needs it

    report = LoadReport(
        path=name,
        format="xlsx",
        encoding=None,
        encoding_guessed=False,
        provider=None,
        delimiter=None,
        sheet=None,
        rows=0,
        columns=[],
    )
    if encoding is not None:
        report.notes.append("ignored the given encoding: an XLSX workbook carries its own")
    try:
        with warnings.catch_warnings(), p.open("rb") as fh:
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(fh, read_only=True, data_only=True)
            try:
                frame = _read_worksheet(workbook, name, report, cap)
            finally:
                workbook.close()
    except InputError:
        raise
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(
            f"{name} is not a readable XLSX workbook (damaged or encrypted): "
            f"{type(err).__name__}: {err}."
        ) from None
    report.rows = len(frame)
    report.provider = _detect_provider(report.columns)
    return frame, report


def _read_worksheet(workbook: Any, name: str, report: LoadReport, cap: int) -> pd.DataFrame:
    sheets = workbook.worksheets
    if not sheets:
        raise InputError(f"{name} has no worksheets.")
    sheet = sheets[0]
    report.sheet = sheet.title
    if len(sheets) > 1:
        others = ", ".join(f"'{s.title}'" for s in sheets[1:])
        report.notes.append(f"read the first worksheet '{sheet.title}'; the workbook also has {others}")
    # The dimension stored in the file can be wrong; without this, cells beyond it are dropped.
    sheet.reset_dimensions()

    header: list[str] | None = None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    line_numbers: list[int] = []
    ncols = 0
    empty = 0
    record = 0
    for sheet_row, cells in enumerate(sheet.iter_rows(), start=1):
        values = [
            _xlsx_cell(c.value, c.number_format if isinstance(c.value, dt.datetime) else None)
            for c in cells
        ]
        if not any(values):
            if header is not None:
                empty += 1
            continue
        if header is None:
            header = values
            ncols = len(header)
            continue
        record += 1
        if len(values) > ncols:
            extra = [i for i in range(ncols, len(values)) if values[i]]
            if extra:
                from openpyxl.utils import get_column_letter

                report.rejected.append(
                    RejectedRow(
                        sheet_row,
                        f"has a value in column {get_column_letter(extra[0] + 1)}, beyond the "
                        f"header's {_plural(ncols, 'column')}",
                        tuple(values),
                    )
                )
                continue
            del values[ncols:]
        elif len(values) < ncols:
            values.extend([""] * (ncols - len(values)))
        if any(len(v) > cap for v in values):
            report.rejected.append(
                RejectedRow(sheet_row, _too_long_reason(values, header, cap), tuple(values))
            )
            continue
        rows.append(values)
        row_numbers.append(record)
        line_numbers.append(sheet_row)
    if header is None:
        raise InputError(f"{name} is empty (its first worksheet '{sheet.title}' has no values).")
    # Formatted but blank cells at the end of the header row are not columns, unless some
    # row has a value under them.
    while ncols and not header[ncols - 1].strip() and not any(r[ncols - 1] for r in rows):
        ncols -= 1
    if ncols < len(header):
        header = header[:ncols]
        for values in rows:
            del values[ncols:]
    columns = _clean_headers(header, report.notes)
    if empty:
        report.notes.append(f"skipped {_plural(empty, 'empty row')}")
    report.columns = columns
    return _frame(rows, columns, row_numbers, line_numbers)
