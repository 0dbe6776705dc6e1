"""Map the rubric's logical fields onto an export's columns: exact, normalised, pattern, section
prefix or fuzzy, then a provider's known header for an identity field still missing.

Form exports name the same question differently (``Name_First``, ``Name.First``,
``First name``; a Cognito internal name, ``Experience_FieldOfStudy`` inside a section, or the
question's full text), so a field lists candidate columns and the first candidate found wins.
Each mapping says how it was found and how sure it is, which ``screener inspect`` shows.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_HEADER_THRESHOLD = 85.0


@dataclass(frozen=True)
class FieldMatch:
    field: str
    column: str | None
    method: str  # "exact" | "normalised" | "pattern" | "section prefix" | "fuzzy" | "provider default" | "missing"
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


# The parts Cognito splits a Name or Address field into (``Name_First``, ``Location_City``), and
# the ``_Label`` of a choice with separate values: after such a part, the ``_`` does not end a
# section name but a field's name, so a bare part names no field.
SUBFIELD_PARTS = frozenset(header_key(p) for p in (
    "First", "Middle", "Last", "Title", "Prefix", "Suffix", "MiddleInitial", "FirstAndLast", "Line1",
    "Line2", "Line3", "City", "State", "PostalCode", "Country", "CountryCode", "Label"))


def _section_key(column: str, want: str) -> bool:
    """Whether ``column`` is ``Section_`` + a name whose ``header_key`` is ``want``: one or
    more leading ``_``-separated parts (a Cognito section, ``Experience_FieldOfStudy``) before
    the name. Only a Cognito internal name has sections: every part capitalised (or a digit, or
    the blank before ``_1Name``), so ``cover_letter`` is no ``letter`` in a section ``cover``.
    A name that is a bare sub-field part (``Name_First``) is not one."""
    parts = column.split("_")
    if not all(not p or p[0].isupper() or p[0].isdigit() for p in parts):
        return False
    for start in range(1, len(parts)):
        if not header_key("".join(parts[:start])):
            continue  # the leading "_" of a name that starts with a digit, not a section
        rest = parts[start:]
        if header_key("".join(rest)) == want:
            return not (len(rest) == 1 and want in SUBFIELD_PARTS)
    return False


def _find_section(candidate: str, columns: _Columns) -> tuple[str, float] | None:
    """The first column that is the candidate inside a section (``Contact_Email`` for
    ``Email``). Globs are left to the pattern method."""
    want = header_key(candidate)
    if not want or _has_wildcard(candidate):
        return None
    for col in columns.names:
        if col not in columns.taken and "_" in col and _section_key(col, want):
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
    ("section prefix", _find_section),
    ("fuzzy", _find_fuzzy),
)


@dataclass(frozen=True)
class Default:
    """Headers form providers give an identity field, tried when none of the field's own
    candidates is found (exactly, else ignoring case and punctuation)."""

    headers: tuple[str, ...]
    unless: tuple[str, ...] = ()  # fields whose column makes this one unneeded (a name in parts)


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


def map_fields(columns: list[str], fields: dict[str, tuple[str, ...]],
               defaults: Mapping[str, Default] | None = None) -> dict[str, FieldMatch]:
    """Choose a column for every field. Stronger methods are tried for all fields first, so a
    fuzzy guess for one field never steals a column another field names exactly. A field still
    without a column then tries its ``defaults`` (see ``providers.column_defaults``)."""
    result: dict[str, FieldMatch] = {}
    available = _Columns(columns)
    for method, finder in _METHODS:
        for field_name, candidates in fields.items():
            if field_name in result:
                continue
            match = _claim_column(field_name, candidates, available, method, finder)
            if match is not None:
                result[field_name] = match
    for field_name, default in (defaults or {}).items():
        if field_name in fields and field_name not in result and not any(f in result for f in default.unless):
            for finder in (_find_exact, _find_normalised):
                match = _claim_column(field_name, default.headers, available, "provider default", finder)
                if match is not None:
                    result[field_name] = match
                    break
    for field_name, candidates in fields.items():
        if field_name not in result:
            result[field_name] = FieldMatch(field_name, None, "missing", 0.0, ", ".join(candidates))
    return {name: result[name] for name in fields}
