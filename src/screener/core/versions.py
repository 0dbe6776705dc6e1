"""One applicant per entry: the versions of an entry an export holds, collapsed to the latest.

A Cognito webhook log posts an entry again when the applicant edits it (same entry number, a
later ``DateUpdated``), and a CSV re-export appended to an older one repeats its entry ids. Every
command scores each entry once: the **latest** version, the one with the greatest updated-at time
(ties, and rows without one, by position in the file: the later row wins). The earlier versions
are kept as versions of that entry (when each was updated, which answers differ from the
latest), never as applicants of their own or as duplicates of one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from screener.core.columns import header_key

# Headers of the time an entry was last changed, most likely first (Cognito's CSV/OData and its
# webhook JSON flattened, its entries view, Microsoft Forms, generic REST exports).
UPDATED_HEADERS = ("Entry_DateUpdated", "DateUpdated", "Date Updated", "Last modified time", "Updated At",
                   "updated_at", "Modified")
# Bookkeeping that changes with every post and says nothing about the answers.
_BOOKKEEPING = frozenset(header_key(h) for h in (
    *UPDATED_HEADERS, "Entry_Timestamp", "Entry_Version", "Entry_Action", "Entry_AdminLink", "$version", "$etag",
    "Entry_DateCreated"))


@dataclass(frozen=True)
class Version:
    """An earlier version of an entry: where it is in the export, when it was updated (as written)
    and the columns whose answers the latest version changed."""

    row: int
    line: int
    updated: str
    changed: tuple[str, ...]


@dataclass
class Collapsed:
    """``frame`` with one row per entry (the latest version), and the earlier versions per entry id."""

    frame: pd.DataFrame
    ids: np.ndarray  # each kept row's entry id
    versions: dict[str, list[Version]] = field(default_factory=dict)  # oldest first

    @property
    def repeated(self) -> int:
        """How many entries appeared in more than one version."""
        return len(self.versions)


def updated_column(columns: Sequence[str]) -> str | None:
    """The column holding each entry's updated-at time, if the export has one."""
    keyed = {header_key(str(c)): str(c) for c in columns if not str(c).startswith("_")}
    for header in UPDATED_HEADERS:
        found = keyed.get(header_key(header))
        if found is not None:
            return found
    return None


def version_order(ids: Sequence[str] | np.ndarray, updated: np.ndarray | None = None) -> np.ndarray:
    """Positions that put the rows of each repeated entry in version order (oldest first) within
    the slots that entry's rows take in the file; every other row stays where it is. ``updated``
    holds each row's updated-at time as int64 nanoseconds (NaT's minimum: older than any time)."""
    n = len(ids)
    order = np.arange(n)
    if n == 0:
        return order
    keys = pd.Series(np.asarray(ids, dtype=object).astype(str))
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any() or updated is None:
        return order
    for slots in keys[repeated].groupby(keys[repeated], sort=False).indices.values():
        positions = np.flatnonzero(repeated)[slots]
        ranked = sorted(positions.tolist(), key=lambda p: (int(updated[p]), p))
        order[positions] = ranked
    return order


def updated_times(frame: pd.DataFrame, column: str | None) -> np.ndarray | None:
    """Each row's updated-at time as int64 nanoseconds since the epoch (the minimum when unread);
    None without a column. Times without a zone are read as UTC: only their order matters here.
    Day or month first is told from the column's own values as for the submission time
    (``providers.date_order``); a date that reads as two different days stays unread."""
    if column is None or column not in frame:
        return None
    from screener.core.normalize import parse_datetime, slash_evidence
    from screener.core.providers import date_order

    texts = frame[column].astype(str).str.strip()
    values = parse_datetime(texts, "UTC", date_order(column, slash_evidence(texts)).day_first).value
    out = values.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return np.where(values.isna().to_numpy(), np.iinfo(np.int64).min, out)


def collapse(frame: pd.DataFrame, ids: Sequence[str] | np.ndarray, updated: str | None = None) -> Collapsed:
    """The latest version of each entry id of ``frame`` (rows in ``ids`` order), and the earlier ones.

    ``updated`` names the updated-at column (``updated_column``); without one the later row wins."""
    ids = np.asarray(ids, dtype=object).astype(str)
    keys = pd.Series(ids)
    if not keys.duplicated().any():
        return Collapsed(frame, ids.astype(object))
    order = version_order(ids, updated_times(frame, updated))
    ordered = frame.iloc[order].reset_index(drop=True)
    ordered_ids = ids[order]
    latest = ~pd.Series(ordered_ids).duplicated(keep="last").to_numpy()
    data = [c for c in frame.columns if not str(c).startswith("_") and header_key(str(c)) not in _BOOKKEEPING]
    last_at = {entry: pos for pos, entry in enumerate(ordered_ids.tolist())}
    versions: dict[str, list[Version]] = {}
    for pos in np.flatnonzero(~latest).tolist():
        entry = str(ordered_ids[pos])
        newest = last_at[entry]
        changed = tuple(c for c in data if str(ordered[c].iloc[pos]) != str(ordered[c].iloc[newest]))
        versions.setdefault(entry, []).append(Version(
            row=int(ordered["_row"].iloc[pos]) if "_row" in ordered else pos + 1,
            line=int(ordered["_line"].iloc[pos]) if "_line" in ordered else pos + 1,
            updated=str(ordered[updated].iloc[pos]).strip() if updated else "",
            changed=changed))
    kept = ordered[latest].reset_index(drop=True)
    return Collapsed(kept, ordered_ids[latest].astype(object), versions)


def note(collapsed: Collapsed) -> str | None:
    """The sentence that tells the person about repeated entries, or None."""
    n = collapsed.repeated
    if not n:
        return None
    entries = "1 entry" if n == 1 else f"{n} entries"
    return f"{entries} appeared in more than one version; the latest of each is scored (see 'screener explain ID')."
