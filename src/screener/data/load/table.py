"""The table every loader produces and the report that goes with it.
``LoadReport`` and ``RejectedRow`` describe what was read; the rest turns a loader's records into
the frame: column names cleaned (untitled, duplicate and reserved names renamed, each with a
note), the form provider guessed from them, plain values written as cell text, and the frame of
strings with its ``_row`` and ``_line`` columns. Every other module of the package builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from screener.core import providers

FORMATS = ("csv", "json", "jsonl", "xlsx")

_RESERVED_COLUMNS = ("_row", "_line")


@dataclass(frozen=True)
class RejectedRow:
    """A record that was not loaded, kept whole so nothing is lost."""

    line: int  # CSV/JSON Lines: physical line the record starts on; JSON array: entry index;
    # XLSX: sheet row number. All 1-based.
    reason: str  # one sentence, e.g. "has 14 fields but the header has 12"
    raw: tuple[str, ...]  # the raw cells, or a 1-tuple with the raw text


@dataclass(frozen=True)
class RepairedRow:
    """A record read after merging fields an unquoted thousands separator had split (csv.py)."""

    line: int  # the physical line the record starts on, 1-based
    columns: tuple[str, ...]  # the columns whose cells were merged back
    note: str  # "line 14 repaired: '$95' and '000' read as one field '$95,000'"


@dataclass
class LoadReport:
    """What ``load_export`` read and every decision it took on the user's behalf."""

    path: str
    format: str  # "csv" | "json" | "jsonl" | "xlsx"
    encoding: str | None = None  # codec actually used; None for xlsx
    encoding_guessed: bool = False  # True when it came from detection, not BOM/strict UTF-8/--encoding
    provider: str | None = None  # "cognito" | "google" | "typeform" | "jotform" | "msforms" | None
    delimiter: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only
    rows: int = 0  # data rows loaded into the frame
    columns: list[str] = field(default_factory=list)  # data columns (without _row/_line)
    rejected: list[RejectedRow] = field(default_factory=list)
    repaired: list[RepairedRow] = field(default_factory=list)  # rows recovered (and loaded, in ``rows``)
    notes: list[str] = field(default_factory=list)
    superseded: int = 0  # of ``rows``, earlier versions of an entry (not scored: the latest is)
    sha256: str = ""  # of the bytes read, when the file was read whole (not XLSX): for the audit log


def _ordinal(n: int) -> str:
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
    return words[n - 1] if n <= len(words) else f"{n}th"


def clean_headers(raw: Iterable[str], notes: list[str]) -> list[str]:
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


def detect_provider(columns: list[str]) -> str | None:
    """The form provider these headers come from (``core.providers.detect``)."""
    return providers.detect(columns)


def make_frame(
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


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def too_long_reason(cells: Iterable[str], columns: list[str], cap: int) -> str:
    for column, cell in zip(columns, cells, strict=False):
        if len(cell) > cap:
            return (
                f"its '{column}' cell has {len(cell):,} characters, more than the limit of "
                f"{cap:,}"
            )
    return f"has a cell longer than {cap:,} characters"


def number_list(numbers: Sequence[int]) -> str:
    """The first ten numbers, comma-separated, and how many more there are: "3, 9 and 12 more"."""
    return ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


def scalar_text(value: Any) -> str | None:
    """A plain value as cell text: a str as it is, "" for None, "true"/"false", an int's digits, a
    float's repr without a trailing ".0"; None for any other value, which the caller words itself."""
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
    return None
