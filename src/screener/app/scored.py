"""Scoring rows for the nightly store and keeping what was computed: each entry's record, the
facts ranking reads, and the text keys copies are counted by (``nightly`` for the rows a run
brings, ``bulk`` for a first run read in pieces)."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from screener.app.parallel import Helper, submitter
from screener.core.errors import StoreError
from screener.core.escape import visible
from screener.core.providers import DateOrder, map_rubric
from screener.core.rubric import Rubric
from screener.core.scoring import score
from screener.data.store import Store

# Columns that depend on the whole population, recomputed each run rather than stored.
POPULATION_COLUMNS = ("rank", "duplicate_group", "duplicate_why")


def content_hashes(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """SHA-256 of each row's cells joined with U+001F (rows joined in C, not column by column)."""
    cells = [frame[c].astype(str).tolist() for c in columns]
    rows = map("\x1f".join, zip(*cells, strict=True)) if cells else iter([""] * len(frame))
    return [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in rows]


def score_and_save(store: Store, rubric: Rubric, rows: pd.DataFrame, copies: dict[str, tuple[np.ndarray, np.ndarray]],
                   run_id: int, helper: Helper | None, dates_order: DateOrder | None) -> list[str]:
    """Score ``rows`` (``_entry`` and ``_sha`` columns beside the answers) and keep each one's
    record, ranking facts and text keys in the store, as run ``run_id``. ``copies``: per
    text-quality criterion, each row's text key and its number of copies among everyone.
    Returns the entries scored."""
    result = score(rows, rubric, mapping=map_rubric([c for c in rows.columns if not str(c).startswith("_")], rubric),
                   copies={cid: counts for cid, (_keys, counts) in copies.items()}, submit=submitter(helper),
                   duplicates=False, date_order=dates_order)
    table = result.table.drop(columns=[c for c in POPULATION_COLUMNS if c in result.table.columns])
    # result.order maps each ranked row back to its position in ``rows``.
    entries = rows["_entry"].to_numpy(dtype=object)[result.order]
    shas = rows["_sha"].astype(str).to_numpy(dtype=object)[result.order]
    columns = list(table.columns)
    saved = []
    for pos, values in enumerate(table.itertuples(index=False, name=None)):
        record = {c: v.item() if hasattr(v, "item") else v for c, v in zip(columns, values, strict=True)}
        entry = str(entries[pos])
        record["id"] = entry
        sha = str(shas[pos]) or stored_sha(store, entry)
        saved.append((entry, sha, rubric.sha256, run_id, float(record["score"]), record["bucket"],
                      json.dumps(record, ensure_ascii=False),
                      *(str(record.get(c, "")) for c in FACTS)))
    store.save_scores(saved)
    ids = rows["_entry"].astype(str).tolist()
    for outcome in result.outcomes:
        if outcome.criterion.id in copies and outcome.copies is not None:
            keys = copies[outcome.criterion.id][0]
            store.save_copy_keys(rubric.sha256, zip([outcome.criterion.id] * len(ids), ids, map(str, keys.tolist()),
                                                    (int(n) for n in outcome.copies.tolist()), strict=True))
    return ids


# The columns of a scored row kept beside its record (``Store.save_scores``), in order.
FACTS = ("late", "test_entry", "test_entry_why", "entry_status", "knockouts", "name", "email", "submitted_at")


def stored_sha(store: Store, entry: str) -> str:
    sha = store.content_sha256(entry)
    if sha is None:
        raise StoreError(f"Entry {visible(entry)} vanished from the store during the run.")
    return sha
