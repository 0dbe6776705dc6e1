"""A project's first run over an export too large to hold in memory, read in two passes as
``stream.py`` scores one (issue 17).

A nightly run reads a large export whole only when it must. Its first run must score everyone,
so on an export over the streaming threshold (``stream.threshold_bytes``) into an empty store:

1. The first pass (``stream.first_pass``) keeps, per row, only keys: the entry ids, the
   duplicate-grouping keys, the text keys of the text-quality answers and the submission column.
   From them come the order slash dates are read in, everyone's copy counts and the rows whose
   answers grouping may compare.
2. The second pass reads the export again a piece at a time: each piece's entries are stored,
   scored with those copy counts and their records kept (``scored.score_and_save``); only the
   folded answers of the rows grouping may compare are kept in memory.
3. The helper process is ended, and duplicates are grouped over everyone from the keys
   (``regroup.everyone_from``) and stored.

The store then holds what a run that read the export whole would have stored (the tests compare
the two). An export this cannot read in pieces (not a UTF-8 CSV, or an entry in more than one
version) is read whole, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.app import regroup, scored, stream
from screener.app.parallel import Helper
from screener.app.timings import Timings
from screener.core import dedupe
from screener.core.columns import FieldMatch
from screener.core.matching import copy_counts
from screener.core.normalize import SlashEvidence
from screener.core.providers import DateOrder
from screener.core.rubric import Rubric
from screener.core.scoring import answers_text, date_evidence, decide_date_order, submitted_times
from screener.data.load import LoadReport, load_export_chunks
from screener.data.store import Store


@dataclass
class FirstPass:
    """What the first pass over the export found, and how to read it again."""

    chunks: Any  # data.load.ExportChunks: ``again()`` reads the export a second time
    mapping: dict[str, FieldMatch]
    keys: dedupe.Keys
    quality: dict[str, np.ndarray]  # per text-quality criterion, each row's text key
    dates: pd.DataFrame  # the submission column (and line numbers) of every row
    version: tuple[int, int]  # the export's size and time, to see it change between the passes

    @property
    def report(self) -> LoadReport:
        report: LoadReport = self.chunks.report
        return report

    def columns(self) -> pd.DataFrame:
        """No rows, the export's columns: enough to check which the rubric finds."""
        return pd.DataFrame(columns=list(self.report.columns))


def wanted(store: Store, export: Path) -> bool:
    """Whether to read ``export`` in pieces: a first run over an export above the threshold."""
    return stream.wanted(export, "csv") and store.is_empty()


def first_pass(export: Path, rubric: Rubric, encoding: str | None, helper: Helper | None,
               timings: Timings) -> FirstPass | None:
    """The first pass, or None (having read nothing, or only the keys) when the export cannot be
    read in pieces or holds an entry in more than one version."""
    window = min(32 * 1024 * 1024, max(16, stream.threshold_bytes() // 8))
    version = stream.version_of(export)
    chunks = load_export_chunks(export, chunk_rows=stream.chunk_rows(), encoding=encoding, window_bytes=window)
    if not chunks.streamed:
        return None
    with timings.phase("read the export (keys)"):
        keys, quality, dates, mapping = stream.first_pass(chunks, rubric, None, helper)
    if pd.Series(keys.ids.astype(str)).duplicated().any():
        return None  # one applicant per entry needs every version of an entry at once
    return FirstPass(chunks, mapping, keys, quality, dates, version)


def ingest(store: Store, rubric: Rubric, read: FirstPass, run_id: int, now: str, helper: Helper | None,
           timings: Timings) -> tuple[SlashEvidence | None, list[str], DateOrder | None]:
    """Store, score and group everyone in the export ``read`` found, inside the run's
    transaction. Returns the slash-date evidence of the export, the entries scored (in export
    order), and how slash dates were read."""
    keys, mapping = read.keys, read.mapping
    found = date_evidence(read.dates, rubric, mapping)
    evidence = found[1] if found else None
    order = decide_date_order(found[0], evidence, rubric) if found and evidence else None
    keys.submitted = submitted_times(read.dates, rubric, mapping, order)
    read.dates = read.dates.iloc[0:0]
    with timings.phase("count copies"):
        copies = {cid: copy_counts(k) for cid, k in read.quality.items()}
        pairs = list(dedupe.answer_pairs(keys))
        candidates = dedupe.answer_candidates(keys, pairs)
    texts: dict[int, str] = {}
    entries: list[str] = []
    data_columns = [c for c in read.report.columns if not str(c).startswith("_")]
    n, at = len(keys), 0
    with timings.phase(f"store and score {n:,} entries"):
        chunks = read.chunks.again()
        for frame in chunks:
            m = len(frame)
            if at + m > n or [c for c in frame.columns if not str(c).startswith("_")] != data_columns:
                raise stream.changed_while_read(str(chunks.report.path))
            if not m:
                continue
            frame = frame.assign(_entry=keys.ids[at : at + m])
            hashes = scored.content_hashes(frame, data_columns)
            cells = frame[data_columns].to_numpy(dtype=object).tolist()
            ids = [str(e) for e in frame["_entry"].tolist()]
            payload = (json.dumps(dict(zip(data_columns, values, strict=True)), ensure_ascii=False)
                       for values in cells)
            store.upsert_entries(zip(ids, hashes, payload, strict=True), run_id, now, {})
            del cells
            piece = {cid: (read.quality[cid][at : at + m], c[at : at + m]) for cid, c in copies.items()}
            entries += scored.score_and_save(store, rubric, frame.assign(_sha=hashes), piece, run_id, helper, order)
            here = np.flatnonzero(candidates[at : at + m])
            if here.size:
                folded = dedupe.fold_answers(answers_text(frame.iloc[here], rubric, mapping)).tolist()
                texts.update(zip((at + here).tolist(), folded, strict=True))
            at += m
        if at != n or stream.version_of(Path(chunks.report.path)) != read.version:
            raise stream.changed_while_read(str(chunks.report.path))
    if helper is not None:
        helper.close()  # all is scored: its memory is better given to grouping everyone
    with timings.phase("duplicate groups"):
        groups, roots = regroup.everyone_from(keys, texts, pairs)
        del texts, pairs
    with timings.phase("store the groups"):
        regroup.store_everyone(store, keys, groups.group, groups.why, roots, regroup.basis(rubric, mapping, order),
                               fresh=True)
    return evidence, entries, order
