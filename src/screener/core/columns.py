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


def map_fields(columns: list[str], fields: dict[str, tuple[str, ...]]) -> dict[str, FieldMatch]:
    """Choose a column for every field. Stronger methods are tried for all fields first, so a
    fuzzy guess for one field never steals a column another field names exactly."""
    result: dict[str, FieldMatch] = {}
    taken: set[str] = set()
    keys = {col: header_key(col) for col in columns}
    lowered = {col: col.casefold() for col in columns}

    def exact(candidate: str) -> tuple[str, float] | None:
        return (candidate, 100.0) if candidate in columns and candidate not in taken else None

    def normalised(candidate: str) -> tuple[str, float] | None:
        want = header_key(candidate)
        for col in columns:
            if col not in taken and want and keys[col] == want:
                return col, 100.0
        return None

    def pattern(candidate: str) -> tuple[str, float] | None:
        if not any(ch in candidate for ch in "*?["):
            return None
        want = candidate.casefold()
        for col in columns:
            if col not in taken and fnmatch.fnmatchcase(lowered[col], want):
                return col, 100.0
        return None

    def fuzzy(candidate: str) -> tuple[str, float] | None:
        want = header_key(candidate)
        if len(want) < 4 or any(ch in candidate for ch in "*?["):
            return None
        best: tuple[str, float] | None = None
        for col in columns:
            if col in taken:
                continue
            score = fuzz.ratio(want, keys[col])
            if score >= FUZZY_HEADER_THRESHOLD and (best is None or score > best[1]):
                best = (col, score)
        return best

    for method, finder in (("exact", exact), ("normalised", normalised), ("pattern", pattern),
                           ("fuzzy", fuzzy)):
        for field_name, candidates in fields.items():
            if field_name in result:
                continue
            for candidate in candidates:
                found = finder(candidate)
                if found:
                    column, score = found
                    result[field_name] = FieldMatch(field_name, column, method, round(score, 1),
                                                    candidate)
                    taken.add(column)
                    break
    for field_name, candidates in fields.items():
        if field_name not in result:
            result[field_name] = FieldMatch(field_name, None, "missing", 0.0, ", ".join(candidates))
    return {name: result[name] for name in fields}
