"""Looking at an export's bytes before anything is decoded: what kind of file it is.
Checks that the path is a readable file and not empty, judges the format from the first bytes
(ZIP means a workbook, ``[`` or ``{`` JSON or JSON Lines, else CSV; ``detect_format``), and
refuses what is plainly not text: images, PDFs, archives, programs, old ``.xls`` workbooks. The
byte-order-mark table lives here, shared with the decoder.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from screener.core.errors import InputError
from screener.data.load.limits import (
    BLOCK_BYTES,
    LineWatch,
    is_stream,
    max_export_bytes,
    max_line_bytes,
    read_watched,
    size_words,
)
from screener.data.load.table import FORMATS

# How many bytes of the file the format sniffer looks at.
HEAD_BYTES = 64 * 1024

_C0_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

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

# Byte-order marks, each with the codec that decodes a file starting with it (and reports it) and
# the codec that decodes the bytes after it. UTF-32 first: its LE mark starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


def detect_format(path: str | Path) -> str:
    """Return "csv", "json", "jsonl" or "xlsx" for an export, judged by its content first.

    Raises ``InputError`` when the file is missing, empty, or clearly not an export (an
    image, a PDF, a ZIP archive that is not a workbook, ...).
    """
    p = Path(path)
    name = str(path)
    if check_readable(p, name):
        return read_stream(p, name, None)[0]  # a pipe is read once: this reads it all
    return sniff(read_head(p, name), p, name)


def check_readable(p: Path, name: str) -> bool:
    """Refuse a path that is no export file; True for a pipe named by a file descriptor, which
    is read once, whole (``read_stream``), False for a regular file (``limits.is_stream``)."""
    try:
        if p.is_dir():
            raise InputError(f"{name} is a folder, not an export file.")
        if not p.exists():
            raise InputError(f"{name} does not exist.")
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None
    return is_stream(p, name)


def _watch(name: str, fmt: str) -> LineWatch:
    # A JSON document may be one long line; CSV and JSON Lines are read line by line.
    return LineWatch(name, max_export_bytes(), max_line_bytes() if fmt in ("csv", "jsonl") else None)


def read_whole(p: Path, name: str, fmt: str) -> bytes:
    """A regular export file's bytes, within the limits (``limits``): its size is checked
    before reading, its lines as they are read."""
    watch = _watch(name, fmt)
    try:
        with p.open("rb") as fh:
            size = p.stat().st_size
            if size > watch.total_limit:
                raise InputError(
                    f"{name} is {size:,} bytes, more than {size_words(watch.total_limit)}, the most screener reads "
                    "whole (SCREENER_MAX_EXPORT_BYTES); check that it is the export, or raise the limit.")
            return read_watched(fh.read, watch)
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None


def read_stream(p: Path, name: str, fmt: str | None) -> tuple[str, bytes]:
    """The format (``fmt`` if given, else sniffed) and the bytes of a pipe or terminal named by a
    file descriptor (/dev/stdin, <(…)): read once, whole, within the limits, as standard input is."""
    try:
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            if blank(head) and len(head) < HEAD_BYTES:
                raise InputError(f"{name} is empty.")
            blocks = [head]
            if fmt is None and head.startswith(_ZIP_MAGIC):
                watch = _watch(name, "xlsx")
                watch.feed(head)
                blocks.append(read_watched(fh.read, watch))
                fmt = _zip_kind(io.BytesIO(b"".join(blocks)), name)
            else:
                fmt = fmt or sniff(head, p, name)
                watch = _watch(name, fmt)
                watch.feed(head)
                blocks.append(read_watched(fh.read, watch))
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None
    return fmt, b"".join(blocks)


def read_bytes(p: Path, name: str, limit: int | None = None) -> bytes:
    try:
        with p.open("rb") as fh:
            return fh.read() if limit is None else fh.read(limit)
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder, not an export file.") from None
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None


def read_head(p: Path, name: str) -> bytes:
    head = read_bytes(p, name, HEAD_BYTES)
    # A file of only whitespace may be longer than the head; then check it all, a block at a time.
    if blank(head) and (len(head) < HEAD_BYTES or _all_blank(p, name)):
        raise InputError(f"{name} is empty.")
    return head


def _all_blank(p: Path, name: str) -> bool:
    try:
        with p.open("rb") as fh:
            while block := fh.read(BLOCK_BYTES):
                if block.strip():
                    return False
    except OSError as err:
        raise InputError(f"{name} cannot be read: {err.strerror or err}.") from None
    return True


def blank(content: bytes | str) -> bool:
    """True for empty or whitespace-only content, without copying a large file to find out."""
    return not content[:HEAD_BYTES].strip() and not content.strip()


def normalise_fmt(fmt: str, name: str) -> str:
    key = fmt.strip().lower().lstrip(".")
    key = {"ndjson": "jsonl", "tsv": "csv", "txt": "csv", "xlsm": "xlsx"}.get(key, key)
    if key not in FORMATS:
        raise InputError(
            f"Unknown format {fmt!r} for {name}; expected one of {', '.join(FORMATS)}."
        )
    return key


def sniff(head: bytes, p: Path, name: str) -> str:
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(p, name)
    if head.startswith(_OLE2_MAGIC):
        raise InputError(
            f"{name} is a password-protected XLSX or an old .xls workbook; save it as an "
            "unprotected .xlsx or as CSV."
        )
    refuse_binary(head, name, None)
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


def _zip_kind(p: Path | BinaryIO, name: str) -> str:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                with zf.open("mimetype") as part:  # never unpacked whole: it may be a bomb
                    mimetype = part.read(100)
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


def refuse_binary(head: bytes, name: str, fmt: str | None) -> None:
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
    if utf16_without_bom(head) or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    first_line = head.split(b"\n", 1)[0]
    if b"\x00" in first_line:
        raise InputError(
            f"{name} is not a CSV, JSON or XLSX export (its first line holds binary data)."
        )


def refuse_binary_text(text: str, name: str) -> None:
    """A guessed single-byte decoding accepts anything; refuse text that is mostly controls."""
    sample = text[:8192]
    controls = len(_C0_CONTROLS.findall(sample))
    if controls > 2 and controls > len(sample) // 100:
        raise InputError(
            f"{name} is not a CSV, JSON or XLSX export (it holds binary data, not text)."
        )


def _head_text(head: bytes) -> str:
    for bom, _, after_bom in BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(after_bom, errors="ignore")
    utf16 = utf16_without_bom(head)
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


def utf16_without_bom(head: bytes) -> str | None:
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
