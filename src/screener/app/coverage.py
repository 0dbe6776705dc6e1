"""What of the rubric an export can be read for: a must-have that reads a field the export has
no column for (a question renamed in the form) leaves applicants 'unknown' on it, which a person
must hear about loudly, and which ``--strict`` refuses before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from screener.core.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from screener.core.columns import FieldMatch
    from screener.core.rubric import Rubric


def unreadable_musts(mapping: dict[str, FieldMatch], rubric: Rubric, export: str | Path,
                     table: pd.DataFrame | None = None) -> list[str]:
    """A sentence per must-have reading a field this export has no column for (a question renamed
    in the form, say): applicants are 'unknown' on it, counted from ``table``'s knockouts."""
    def found(name: str) -> bool:
        match = mapping.get(name)
        return match is not None and match.found

    out = []
    for crit, fields in rubric.unreadable_musts(found):
        count = ": applicants are 'unknown' on it wherever that field would decide"
        if table is not None and "knockouts" in table:  # "<id> unknown (why)" (a streamed table has it too)
            unknown = table["knockouts"].astype(str).str.contains(f"{crit.id} unknown (", regex=False).sum()
            count = f": {int(unknown)} of {len(table)} applicants are 'unknown' on it"
        out.append(f"the must-have '{crit.label}' reads {', '.join(fields)}, and {export} has no column for "
                   f"{'it' if len(fields) == 1 else 'them'}{count}. Run 'screener inspect {export}' to see "
                   "the columns, and fix the rubric's 'fields'.")
    return out


def check_strict(mapping: dict[str, FieldMatch], rubric: Rubric, export: str | Path) -> None:
    """``--strict``: refuse, before anything is written, an export a must-have cannot be read in."""
    problems = unreadable_musts(mapping, rubric, export)
    if problems:
        raise InputError(f"Stopped (--strict): {problems[0]}")
