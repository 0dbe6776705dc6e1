"""Map the rubric's logical fields onto an export's columns: exact, normalised, pattern or fuzzy.

Form exports name the same question differently (``Name_First``, ``Name.First``,
``First name``; a Cognito internal name or the question's full text), so a field lists
candidate columns and the first candidate found wins. Each mapping says how it was found and
how sure it is, which ``screener inspect`` shows.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_HEADER_THRESHOLD = 85.0


@dataclass(frozen=True)
class FieldMatch:
    field: str
    column: str | None
    method: str  # "exact" | "normalised" | "pattern" | "fuzzy" | "missing"
    score: float
    candidate: str

    @property
    def found(self) -> bool:
        return self.column is not None


def header_key(text: str) -> str:
    """``Name.First``, ``Name_First`` and ``name first`` all become ``namefirst``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


class _Columns:
    """The export's columns as each method compares them, and those already given to a field."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.keys = {col: header_key(col) for col in names}
        self.lowered = {col: col.casefold() for col in names}
        self.taken: set[str] = set()


# A finder returns the free column a candidate names by one method, with its score, or None.
_Finder = Callable[[str, _Columns], tuple[str, float] | None]


def _has_wildcard(candidate: str) -> bool:
    return any(ch in candidate for ch in "*?[")


def _find_exact(candidate: str, columns: _Columns) -> tuple[str, float] | None:
    """The column spelled exactly as the candidate."""
    return (candidate, 100.0) if candidate in columns.names and candidate not in columns.taken else None


def _find_normalised(candidate: str, columns: _Columns) -> tuple[str, float] | None:
    """The first column whose ``header_key`` equals the candidate's (a blank key matches none)."""
    want = header_key(candidate)
    for col in columns.names:
        if col not in columns.taken and want and columns.keys[col] == want:
            return col, 100.0
    return None


def _find_pattern(candidate: str, columns: _Columns) -> tuple[str, float] | None:
    """For a candidate with ``*``, ``?`` or ``[``: the first column the glob matches, ignoring case."""
    if not _has_wildcard(candidate):
        return None
    want = candidate.casefold()
    for col in columns.names:
        if col not in columns.taken and fnmatch.fnmatchcase(columns.lowered[col], want):
            return col, 100.0
    return None


def _find_fuzzy(candidate: str, columns: _Columns) -> tuple[str, float] | None:
    """The closest column at or above ``FUZZY_HEADER_THRESHOLD`` (the first on a tie). Keys under
    four characters and globs are never guessed at: too many columns would look alike."""
    want = header_key(candidate)
    if len(want) < 4 or _has_wildcard(candidate):
        return None
    best: tuple[str, float] | None = None
    for col in columns.names:
        if col in columns.taken:
            continue
        score = fuzz.ratio(want, columns.keys[col])
        if score >= FUZZY_HEADER_THRESHOLD and (best is None or score > best[1]):
            best = (col, score)
    return best


# Strongest first: every field is tried by one method before any field tries the next.
_METHODS: tuple[tuple[str, _Finder], ...] = (
    ("exact", _find_exact),
    ("normalised", _find_normalised),
    ("pattern", _find_pattern),
    ("fuzzy", _find_fuzzy),
)


def _claim_column(
    field_name: str, candidates: tuple[str, ...], columns: _Columns, method: str, finder: _Finder
) -> FieldMatch | None:
    """The match for the first candidate ``finder`` places; its column is taken from then on."""
    for candidate in candidates:
        found = finder(candidate, columns)
        if found:
            column, score = found
            columns.taken.add(column)
            return FieldMatch(field_name, column, method, round(score, 1), candidate)
    return None


def map_fields(columns: list[str], fields: dict[str, tuple[str, ...]]) -> dict[str, FieldMatch]:
    """Choose a column for every field. Stronger methods are tried for all fields first, so a
    fuzzy guess for one field never steals a column another field names exactly."""
    result: dict[str, FieldMatch] = {}
    available = _Columns(columns)
    for method, finder in _METHODS:
        for field_name, candidates in fields.items():
            if field_name in result:
                continue
            match = _claim_column(field_name, candidates, available, method, finder)
            if match is not None:
                result[field_name] = match
    for field_name, candidates in fields.items():
        if field_name not in result:
            result[field_name] = FieldMatch(field_name, None, "missing", 0.0, ", ".join(candidates))
    return {name: result[name] for name in fields}
