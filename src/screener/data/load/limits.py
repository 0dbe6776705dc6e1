"""What an export may make screener read: the size limits, and which paths are read at all.

Each limit is a documented setting (README, "Security and data handling") read from the
environment when a file is read, so a test or a user with an unusual export can move it:

- ``SCREENER_MAX_EXPORT_BYTES`` (2 GiB): an export read whole (every export but a large UTF-8
  CSV scored to a CSV file, which is read in windows), counted as it is read.
- ``SCREENER_MAX_LINE_BYTES`` (16 MiB): one line of a CSV or JSON Lines export, or a quoted cell
  running over many, found while reading, before the rest of the line is read.
- ``SCREENER_MAX_XLSX_BYTES`` (1 GiB): a workbook's parts unpacked, together, and
  ``SCREENER_MAX_XLSX_RATIO`` (100): how many times its packed size a part over 1 MiB may
  unpack to. Both are read from the ZIP directory before anything is unpacked.

Only regular files are read, and a pipe or terminal named by a file descriptor (``/dev/stdin``,
``/dev/fd/N``, as ``<(…)`` gives), which is read once, whole: a named pipe or a device such as
``/dev/zero`` is refused, since it may never end or never start.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from screener.core.errors import InputError, UsageError
from screener.core.escape import visible

MAX_EXPORT_BYTES = 2 * 1024**3
MAX_LINE_BYTES = 16 * 1024**2
MAX_XLSX_BYTES = 1024**3
MAX_XLSX_RATIO = 100
# A part smaller than this unpacked is not held to the ratio (small XML compresses well).
XLSX_RATIO_FROM = 1024**2

# Bytes read at a time while counting and watching line lengths.
BLOCK_BYTES = 1024**2

# Paths that name a file descriptor this process already has: a pipe behind one is read once.
_DESCRIPTOR_PATH = re.compile(r"/dev/(?:stdin|fd/\d+)|/proc/(?:self|thread-self|\d+)/fd/\d+")


def setting(name: str, default: int) -> int:
    """The limit ``name`` from the environment (a whole number of at least 1), or ``default``;
    anything else is one sentence and exit 2 (as ``app.config.env_int``)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if re.fullmatch(r"[0-9]{1,18}", raw) is None or int(raw) < 1:
        raise UsageError(f"{name} must be a whole number of at least 1, not {visible(raw)!r}.")
    return int(raw)


def max_export_bytes() -> int:
    return setting("SCREENER_MAX_EXPORT_BYTES", MAX_EXPORT_BYTES)


def max_line_bytes() -> int:
    return setting("SCREENER_MAX_LINE_BYTES", MAX_LINE_BYTES)


def max_xlsx_bytes() -> int:
    return setting("SCREENER_MAX_XLSX_BYTES", MAX_XLSX_BYTES)


def max_xlsx_ratio() -> int:
    return setting("SCREENER_MAX_XLSX_RATIO", MAX_XLSX_RATIO)


def size_words(n: int) -> str:
    """``n`` bytes in words: "16 MiB", "2 GiB", "1,000 bytes"."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size:,} {unit}"
    return f"{n:,} bytes"


def is_stream(p: Path, name: str, what: str = "the export") -> bool:
    """True when ``p`` is a pipe or terminal named by a file descriptor (read it once, whole);
    False for a regular file. Anything else is refused in one sentence: a named pipe may wait
    for a writer forever, and a device such as /dev/zero never ends."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return False  # the caller says the file does not exist or cannot be read
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return False
    if (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)) and _DESCRIPTOR_PATH.fullmatch(name):
        return True
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise InputError(f"{name} is {kind}, not a file; save {what} to a file and give its path, or give - to read "
                     "standard input.")


class LineWatch:
    """Counts the bytes of a file as blocks of it are read and stops reading, in one sentence
    naming the file and line, at a line longer than ``line_limit`` (None: no line limit) or a
    file longer than ``total_limit``."""

    def __init__(self, name: str, total_limit: int, line_limit: int | None) -> None:
        self.name = name
        self.total_limit = total_limit
        self.line_limit = line_limit
        self.total = 0
        self.lines = 1  # the line the next byte is on
        self.run = 0  # bytes since the last line end

    def feed(self, block: bytes) -> None:
        self.total += len(block)
        if self.total > self.total_limit:
            raise InputError(
                f"{self.name} is larger than {size_words(self.total_limit)}, the most screener reads whole "
                "(SCREENER_MAX_EXPORT_BYTES); check that it is the export, or raise the limit.")
        if self.line_limit is None:
            return
        ends = [i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0]
        if not ends:
            self.run += len(block)
        else:
            self.run += min(ends)
            if self.run <= self.line_limit:
                self.lines += block.count(b"\n") or block.count(b"\r")
                self.run = len(block) - 1 - max(block.rfind(b"\n"), block.rfind(b"\r"))
        if self.run > self.line_limit:
            raise InputError(
                f"{self.name}: line {self.lines:,} is longer than {size_words(self.line_limit)} "
                "(SCREENER_MAX_LINE_BYTES), which no form export needs; check that it is the export, or "
                "raise the limit.")


def read_watched(read: Callable[[int], bytes], watch: LineWatch) -> bytes:
    """Everything ``read`` gives, a block at a time, each block shown to ``watch`` first."""
    block_size = min(BLOCK_BYTES, watch.line_limit or BLOCK_BYTES)
    blocks = []
    while block := read(block_size):
        watch.feed(block)
        blocks.append(block)
    return b"".join(blocks)
