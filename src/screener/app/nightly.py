"""The nightly run: ingest the newest export into the store, score only what is new or changed,
regroup duplicates, and write the shortlist atomically — one run at a time.

Order matters for crash safety: the store's changes are made inside one transaction, the
shortlist (and the list of unreadable rows) is staged from that state (temporary files, fsynced)
and the run's audit-log record is kept in the store, all before the transaction commits; the
commit is then read back through a new connection, and only then are the staged outputs renamed
into place and the record appended to the audit log. A run killed or failing before the commit
leaves the previous store and files; one killed between the commit and the renames leaves
outputs whose every id the store knows, and the next run (which sees their publication was not
recorded) writes them again. An audit-log record that cannot be appended stays in the store
until a later command appends it.

Every file of the project screener writes here (the lock, the store, the run log, the audit
log) is opened without following a link it did not make (``store.open_own``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.app import appended, bulk, regroup, scored, views
from screener.app.config import ProjectConfig
from screener.app.coverage import check_strict, unreadable_musts
from screener.app.parallel import Helper, helper_for, submitter
from screener.app.parallel import settings as parallel_settings
from screener.app.timings import Timings
from screener.core import versions
from screener.core.errors import InputError, LockedError, OutputError, StoreError, WriteFailedError
from screener.core.escape import visible
from screener.core.matching import text_keys
from screener.core.normalize import SlashEvidence
from screener.core.providers import DateOrder, map_rubric
from screener.core.rubric import QualitySpec, Rubric, load_rubric
from screener.core.scoring import (
    BOILERPLATE,
    ScoreResult,
    boilerplate_evidence,
    date_evidence,
    decide_date_order,
    entry_ids,
    rank_order,
    score,
)
from screener.data import auditlog
from screener.data.load import load_export
from screener.data.load.sniff import check_readable
from screener.data.store import SIDE_FILES, Store, open_own, reason, refuse_link, store_faults
from screener.data.write import make_private_folders, render_chunks


@dataclass
class RunReport:
    run_id: int = 0
    outcome: str = ""  # "ok" | "nothing new" | "partial"
    export: str = ""
    rows: int = 0
    new: int = 0
    changed: int = 0
    scored: int = 0
    rejected: int = 0
    recovered: int = 0  # rows read after repairing an unquoted number (counted in rows)
    rescored_all: bool = False
    shortlisted: int = 0
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    input_sha256: str = ""
    shortlist: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = field(default=None, repr=False)  # the ranked population, for the audit log
    left_out: int = 0  # in the store, not shortlisted ('screener shortlist' writes them with why)
    removed: list[str] = field(default_factory=list)  # outputs of an earlier run that no longer match the store
    regrouped: int = 0  # entries whose duplicate group was worked out again
    rescored: list[str] = field(default_factory=list, repr=False)  # the entries scored by this run
    replies: str = ""  # the replies owed and overdue, one line (``replies.summary_line``)
    timings: Timings = field(default_factory=lambda: Timings(), repr=False)
    problem: str = ""  # saved, but something after the commit failed (the audit log, the run log): one sentence


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


LOG_NAME = "screener.log"


def lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


@contextlib.contextmanager
def run_lock(store_path: Path) -> Iterator[None]:
    """Hold ``<store>.lock`` for the whole run; a second run fails at once. The kernel drops the
    lock when the process dies, so a killed run never leaves a stale lock behind. The lock file
    is never opened through a link, and only written once it is held."""
    path = lock_path(store_path)
    try:
        make_private_folders(path.parent)
    except OSError as err:
        raise WriteFailedError(f"Cannot create the folder of the lock {path}: {reason(err)}.") from None
    fd = open_own(path, os.O_RDWR | os.O_CREAT, "the lock")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise LockedError(f"Another screener run is in progress (pid {visible(holder)} holds "
                              f"{path}); this run did nothing.") from None
        with contextlib.suppress(OSError):  # the holder's id only informs a second run; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def run_project(config: str | None = None, export: Path | None = None, *, strict: bool = False,
                new_store: bool = False) -> RunReport:
    """``run`` for the project config ``config`` (found as ``load_config`` finds it)."""
    from screener.app.config import load_config

    return run(load_config(config), export=export, strict=strict, new_store=new_store)


def run(config: ProjectConfig, *, export: Path | None = None, strict: bool = False,
        new_store: bool = False) -> RunReport:
    """One nightly run, with its audit-log record (kept in the store until appended). Raises
    ``LockedError`` when another run holds the lock; ``LinkRefusedError`` before anything is
    done when a file it writes is a planted link; with ``strict``, ``InputError`` before the
    store is touched when a must-have's columns are missing from the export. A failure after
    the commit (audit log, run log) is ``report.problem``: the run is saved."""
    started = time.monotonic()
    parallel_settings()  # a bad SCREENER_WORKERS is said before anything is read or locked
    log = auditlog.default_path(config.store)
    for path in (lock_path(config.store), config.store,
                 *(config.store.with_name(config.store.name + side) for side in SIDE_FILES),
                 config.output / LOG_NAME, log, log.with_name(auditlog.KEY_NAME)):
        refuse_link(path)
    timings = Timings()
    with run_lock(config.store), store_faults(config.store):
        report = _run_locked(config, export or config.newest_export(), strict, new_store, timings)
    report.timings = timings
    report.seconds = round(time.monotonic() - started, 2)
    try:
        _log(config, report)
    except WriteFailedError as err:
        report.problem = report.problem or (f"Run {report.run_id} was saved, but its line in the run log could "
                                            f"not be written: {err}")
    return report


def _run_locked(config: ProjectConfig, export: Path, strict: bool, new_store: bool, timings: Timings) -> RunReport:
    rubric = load_rubric(config.rubric)
    report = RunReport(export=str(export))
    with timings.phase("open the store"):
        # The store's check (``PRAGMA quick_check``) runs beside the run's work, and is waited
        # for before the commit.
        store = Store(config.store, new_store=new_store, check_later=True)
    with store:
        seen = appended.last_seen(store)
        if check_readable(export, str(export)):
            raise InputError(f"{export} is a pipe; 'screener run' reads an export file (it reads it twice).")
        with timings.phase("hash the export"):
            found = appended.scan(export, seen)
        input_sha = found.sha256
        report.input_sha256 = input_sha
        # Records an earlier command could not append go first: "recorded on the next run".
        report.problem = auditlog.flush(store)
        last = store.last_run()
        if (last and last["input_sha256"] == input_sha and last["rubric_sha256"] == rubric.sha256
                and last["outcome"] in ("ok", "nothing new", "partial") and _outputs_current(config, store, last)):
            report.outcome = "nothing new"
            report.notes.append("the export and rubric are the same as last run's")
            with store.transaction():
                report.run_id = store.start_run(now_utc(), str(export), input_sha, rubric.name, rubric.sha256)
                store.finish_run(report.run_id, now_utc(), report.outcome, {"rows": last["counts"].get("rows", 0)},
                                 last["shortlist"])
                if store.get_meta(_OUTPUTS) is not None:
                    store.set_meta(_OUTPUTS, json.dumps({"run": report.run_id}))
            report.rows = last["counts"].get("rows", 0)
            report.shortlisted = len(last["shortlist"])
            return report
        # Tonight's export is often last night's with rows added at the end: then only those are
        # read (app/appended.py).
        got = None
        if last and last["outcome"] in ("ok", "nothing new"):
            with timings.phase("read the new rows"):
                got = appended.read_appended(export, found, seen, store, rubric, config.encoding)
        # A helper process for a large export read whole (parallel.py), started first so that its
        # imports overlap reading; it is given work only when there is much to score or everyone
        # to group (a first run, a new rubric), and is otherwise left idle.
        with helper_for(0 if got else found.size, rubric.languages) as helper:
            # A first run over an export too large to hold is read in two passes (app/bulk.py).
            pieces = (bulk.first_pass(export, rubric, config.encoding, helper, timings)
                      if got is None and bulk.wanted(store, export) else None)
            before, earlier, repaired_before = None, 0, 0  # what the last run read, when only new rows are
            if pieces is not None:
                frame, load_report = pieces.columns(), pieces.report
            elif got is None:
                with timings.phase("read the export"):
                    frame, load_report = load_export(export, encoding=config.encoding)
            else:
                frame, load_report = got
                assert seen is not None
                before, earlier, repaired_before = appended.evidence_of(seen), seen.rows, seen.recovered
                report.notes.append(f"read only the {len(frame)} rows added after the {earlier} the last run read")
            report.rows = earlier + (len(pieces.keys) if pieces is not None else len(frame))
            report.rejected = len(load_report.rejected)
            report.recovered = repaired_before + len(load_report.repaired)
            _check_musts(rubric, frame, export, strict, report)
            staged: list[tuple[str, Path]] = []
            try:
                with store.transaction():
                    report.run_id = store.start_run(now_utc(), str(export), input_sha, rubric.name, rubric.sha256)
                    if pieces is not None:
                        evidence = _ingest_pieces(store, rubric, pieces, report, helper, timings)
                        pieces = None  # everyone's keys: not needed to rank
                    else:
                        evidence = _ingest(store, rubric, frame, report, helper, timings, before)
                    del frame
                    if report.rejected:  # the next run reads the whole export again
                        appended.forget(store)
                    else:
                        appended.remember(store, appended.Seen(
                            found.size, input_sha, report.rows, report.recovered,
                            dataclasses.asdict(evidence) if evidence is not None else None, rubric.sha256,
                            load_report.encoding))
                    with timings.phase("rank and cut"):
                        table = _ranked(store.ranking(rubric.sha256))
                        report.table = table
                        chosen_ids = _finish(config, store, table, report, last)
                    with timings.phase("shortlist rows"):
                        chosen = shortlist_rows(store, rubric, table, chosen_ids)
                    if report.outcome != "nothing new":
                        with timings.phase("audit record"):
                            # After a run under the same rubric, only who changed is listed.
                            since = last["id"] if last and last["rubric_sha256"] == rubric.sha256 else None
                            store.stage_audit(auditlog.default_path(config.store), auditlog.record(
                                "run", rubric_name=rubric.name, rubric_sha256=rubric.sha256, rubric_path=rubric.path,
                                input_path=str(export), input_sha256=input_sha, table=table,
                                selected=set(report.shortlist),
                                extra={"run_id": report.run_id, "outcome": report.outcome,
                                       **({"unchanged_since_run": since} if since else {})},
                                only=None if since is None else {*report.rescored, *report.entered, *report.left}))
                    with timings.phase("write the shortlist"):
                        unreadable = (views.rejected_table(load_report, rubric=rubric) if load_report.rejected
                                      else None)
                        staged = _stage_outputs(config, rubric, chosen, unreadable)
                timings.since_last("commit")
                with timings.phase("commit"):
                    _check_commit(store, report)
                _publish(config, staged, report)
                staged = []
                with store.transaction():
                    store.set_meta(_OUTPUTS, json.dumps({"run": report.run_id}))
            finally:
                for tmp, _path in staged:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
        report.problem = auditlog.flush(store) or report.problem
        with timings.phase("replies owed"):
            from screener.app.replies import run_line

            report.replies = run_line(store, config, rubric)
    return report


_OUTPUTS = "outputs_published"  # meta: the run whose outputs were last renamed into place


def _check_commit(store: Store, report: RunReport) -> None:
    """Read the run back through a new connection before saying it is done: a WAL file removed
    during the run would otherwise take the commit with it while the run said "ok"."""
    if store.committed(report.run_id, report.outcome):
        return
    with contextlib.suppress(Exception):
        store.checkpoint()  # this connection still holds the commit: fold it into the store file
    if not store.committed(report.run_id, report.outcome):
        raise WriteFailedError(
            f"Run {report.run_id} did not reach the store {store.path} (its write-ahead log {store.path}-wal was "
            "removed or could not be written during the run); the shortlist files were left as they were: run "
            "'screener run' again.")


def _stage_outputs(config: ProjectConfig, rubric: Rubric, chosen: pd.DataFrame,
                   unreadable: pd.DataFrame | None) -> list[tuple[str, Path]]:
    """The shortlist (and the rows of the export that could not be read, when there are any)
    written whole to temporary files beside them (fsynced, 0600), renamed only after the commit
    (``_publish``); on failure the run is not saved and nothing is replaced. Everyone else is in
    the store: ``screener shortlist`` writes them, with why, to the left-out file."""
    short_path, _left_path, bad_path = _output_paths(config)
    staged: list[tuple[str, Path]] = []
    outputs = [(short_path, chosen, f"{rubric.title}: shortlist")]
    if unreadable is not None:
        outputs.append((bad_path, unreadable, f"{rubric.title}: rows of the export that could not be read"))
    try:
        make_private_folders(config.output)
        for path, frame, title in outputs:
            if path.is_dir():
                raise OutputError(f"Cannot write {path}: it is a folder; the run was not saved.")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=config.output)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                for piece in render_chunks(frame, config.format, title=title):
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as err:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        where = staged[-1][1] if staged else config.output
        raise WriteFailedError(f"Cannot write {where}: {reason(err)}; the run was not saved (the store and the "
                               "shortlist files are as before): free some space and run again.") from None
    return staged


def _publish(config: ProjectConfig, staged: list[tuple[str, Path]], report: RunReport) -> None:
    """Rename the staged outputs into place (after the commit), then make the renames durable.
    A left-out file or a list of unreadable rows from an earlier run is removed: it no longer
    matches the store (``screener shortlist`` writes the left-out file again)."""
    short_path, left_path, bad_path = _output_paths(config)
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
        for path in (left_path, bad_path):
            if path not in {p for _tmp, p in staged} and path.is_file() and not path.is_symlink():
                os.unlink(path)
                report.removed.append(str(path))
    except OSError as err:
        raise WriteFailedError(
            f"Run {report.run_id} was saved in the store, but its outputs could not be put in place ({reason(err)}); "
            "run 'screener run' again to write them (nothing is lost).") from None
    with contextlib.suppress(OSError):
        dir_fd = os.open(short_path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    report.outputs = [str(path) for _tmp, path in staged]


def _check_musts(rubric: Rubric, frame: pd.DataFrame, export: Path, strict: bool, report: RunReport) -> None:
    """A must-have whose columns the export lacks: a loud note, or with ``strict`` a stop before
    the store is touched (yesterday's shortlist stays)."""
    mapping = map_rubric([c for c in frame.columns if not str(c).startswith("_")], rubric)
    if strict:
        check_strict(mapping, rubric, export)
    report.notes += [f"WARNING: {text}" for text in unreadable_musts(mapping, rubric, export)]


def _finish(config: ProjectConfig, store: Store, table: pd.DataFrame, report: RunReport,
            last: dict[str, Any] | None) -> list[str]:
    """Cut the shortlist from the ranked ``table`` and record the run (inside the run's
    transaction); the ids shortlisted, in rank order."""
    previous = last["shortlist"] if last else []
    chosen, left = views.shortlist_split(table, top=config.top, min_score=config.min_score,
                                         include_knockouts=config.include_knockouts, include_late=config.include_late)
    chosen_ids = [str(i) for i in chosen["id"]] if len(chosen) else []
    report.left_out = len(left)
    report.entered = [i for i in chosen_ids if i not in previous]
    report.left = [i for i in previous if i not in chosen_ids]
    report.shortlisted = len(chosen_ids)
    report.shortlist = chosen_ids
    changed_anything = report.new or report.changed or report.scored
    report.outcome = "partial" if report.rejected else ("ok" if changed_anything else "nothing new")
    store.finish_run(report.run_id, now_utc(), report.outcome,
                     {"rows": report.rows, "new": report.new, "changed": report.changed,
                      "scored": report.scored, "rejected": report.rejected, "regrouped": report.regrouped,
                      "entered": len(report.entered), "left": len(report.left)}, chosen_ids)
    return chosen_ids


def _outputs_current(config: ProjectConfig, store: Store, last: dict[str, Any]) -> bool:
    """The shortlist exists and was put in place by the last run (not left behind by a run
    killed between its commit and the renames)."""
    if not _output_paths(config)[0].exists():
        return False
    published = store.get_meta(_OUTPUTS)
    return published is None or json.loads(published).get("run") == last["id"]


def _output_paths(config: ProjectConfig) -> tuple[Path, Path, Path]:
    """The shortlist, the left-out file (``screener shortlist`` writes it) and the unreadable rows."""
    ext = "." + config.format
    return (config.output / f"shortlist{ext}", config.output / f"shortlist-left-out{ext}",
            config.output / f"unreadable{ext}")


def _ingest(store: Store, rubric: Rubric, frame: pd.DataFrame, report: RunReport, helper: Helper | None,
            timings: Timings, before: SlashEvidence | None = None) -> SlashEvidence | None:
    """Record new and changed entries (a later row of the same entry replaces an earlier one, with
    history kept), score what needs it, and bring the duplicate groups up to date. ``before``:
    the slash-date evidence of the rows the last run read, when ``frame`` holds only the rows
    added since. Returns the evidence of the whole export."""
    data_columns = [c for c in frame.columns if not str(c).startswith("_")]
    mapping = map_rubric(data_columns, rubric)
    with timings.phase("find what is new"):
        # Day or month first is decided over the whole export, not over the few rows scored tonight.
        found = date_evidence(frame, rubric, mapping)
        evidence = appended.added(before, found[1] if found else None)
        dates_order = decide_date_order(found[0], evidence, rubric) if found and evidence else None
        frame = frame.assign(_entry=entry_ids(frame, rubric, mapping))
        if frame["_entry"].duplicated().any():
            # The versions of an entry in version order (core/versions.py): its last row is the latest.
            order = versions.version_order(frame["_entry"].to_numpy(dtype=object),
                                           versions.updated_times(frame, versions.updated_column(data_columns)))
            frame = frame.iloc[order].reset_index(drop=True)
        hashes = scored.content_hashes(frame, data_columns)
        frame = frame.assign(_sha=hashes)
        # Only rows that may change the store are serialised: new or changed content, or an entry the
        # export holds more than once (its last row is the current version).
        known = store.entry_hashes()
        entries = frame["_entry"].tolist()
        repeated = frame["_entry"].duplicated(keep=False).to_numpy()
        touch = [i for i, (entry, sha) in enumerate(zip(entries, hashes, strict=True))
                 if repeated[i] or known.get(entry) != sha]
    with timings.phase("store new entries"):
        cells = frame.iloc[touch][data_columns].to_numpy(dtype=object).tolist() if touch else []
        payload = [json.dumps(dict(zip(data_columns, values, strict=True)), ensure_ascii=False) for values in cells]
        now = now_utc()
        report.new, report.changed = store.upsert_entries(
            zip([entries[i] for i in touch], [hashes[i] for i in touch], payload, strict=True), report.run_id, now,
            known)
        # The current version of each entry is its last row in the export.
        current = frame.drop_duplicates("_entry", keep="last").reset_index(drop=True)
        del frame
        fresh = current[[known.get(e) != h for e, h in zip(current["_entry"], current["_sha"], strict=True)]]
    report.rescored_all = not store.has_scores(rubric.sha256) and len(current) > 0
    wanted = regroup.basis(rubric, mapping, dates_order)
    everyone = regroup.needs_full(store, wanted)
    with timings.phase("what to score"):
        # After a run that left everyone scored under this rubric, only this run's new and
        # changed entries can lack a score: they are looked up, not everyone.
        since = None
        if store.get_meta(_SCORED_ALL) == rubric.sha256:
            since = [str(e) for e in fresh["_entry"]] if "_entry" in fresh else []
        todo = store.unscored(rubric.sha256, since)
        # Dates read the other way round change who is late: everyone is scored again.
        day_first = _day_first(dates_order)
        if store.get_meta(_DAY_FIRST) not in (None, day_first):
            todo = store.entry_ids()
            report.notes.append("the export's slash dates are now read " + (
                "day first" if day_first == "true" else "month first" if day_first == "false" else "neither way")
                + f" ({dates_order.why if dates_order else 'no date column'}): everyone was scored again")
        store.set_meta(_DAY_FIRST, day_first)
        rows = _rows_for(store, current, todo)
        rows, copies = _copies(store, rubric, mapping, current, rows)
    if len(rows) < _HELPED_ROWS and not everyone:
        helper = None  # the little there is to do is done here sooner
    grouped: Callable[[], regroup.Full] | None = None
    if everyone:
        population = _rows_for(store, current, store.entry_ids())
        columns = list(dict.fromkeys(m.column for m in mapping.values() if m.column is not None))
        columns = [c for c in columns if c in population] + ["_entry"]
        grouped = submitter(helper)(regroup.group_everyone, population[columns], rubric, mapping, dates_order)
        del population
    if len(rows):
        with timings.phase(f"score {len(rows):,} entries"):
            report.rescored = scored.score_and_save(store, rubric, rows, copies, report.run_id, helper, dates_order)
            report.scored = len(report.rescored)
    with timings.phase("duplicate groups"):
        if grouped is not None:
            report.regrouped = regroup.save_everyone(store, grouped(), wanted)
        else:
            report.regrouped = regroup.update(store, fresh, rubric, mapping, dates_order)
    store.set_meta(_SCORED_ALL, rubric.sha256)
    return evidence


_DAY_FIRST = "dates_day_first"  # meta: how the export's slash dates were read by the last run
_SCORED_ALL = "scored_all"  # meta: the rubric under which the last run left every entry scored


def _day_first(order: DateOrder | None) -> str:
    """How slash dates were read, as ``_DAY_FIRST`` keeps it: "true", "false" or "null"."""
    return json.dumps(order.day_first if order is not None else None)


def _ingest_pieces(store: Store, rubric: Rubric, pieces: bulk.FirstPass, report: RunReport, helper: Helper | None,
                   timings: Timings) -> SlashEvidence | None:
    """``_ingest`` for a first run read in two passes (``bulk``): everyone is new, scored and grouped."""
    evidence, report.rescored, order = bulk.ingest(store, rubric, pieces, report.run_id, now_utc(), helper, timings)
    report.new = report.scored = report.regrouped = len(report.rescored)
    report.rescored_all = bool(report.rescored)
    store.set_meta(_DAY_FIRST, _day_first(order))
    store.set_meta(_COMPLETE + rubric.sha256, "1")
    store.set_meta(_SCORED_ALL, rubric.sha256)
    return evidence

# Scoring fewer rows than this does not wait for the helper process (its start-up costs more).
_HELPED_ROWS = 5_000


def _rows_for(store: Store, current: pd.DataFrame, wanted: list[str]) -> pd.DataFrame:
    """The current answers of ``wanted`` entries, in store order: from the export where it
    holds them, else from the store (entries a newer export no longer has stay in)."""
    if not wanted:
        return current.iloc[0:0]
    order = store.entry_order(wanted)
    here = current[current["_entry"].isin(order)]
    have = set(here["_entry"])
    missing = [e for e in wanted if e not in have]
    parts = [here]
    if missing:
        extra = store.answers_frame(missing)
        extra["_entry"] = missing
        # Where the entry was in the export when it was last scored (0 for one never scored).
        at = store.positions(missing)
        extra["_row"] = [at.get(e, (0, 0))[0] for e in missing]
        extra["_line"] = [at.get(e, (0, 0))[1] for e in missing]
        extra["_sha"] = ""
        parts.append(extra)
    rows = pd.concat(parts, ignore_index=True).fillna("") if len(parts) > 1 else here.copy()
    rank = rows["_entry"].map(order).to_numpy()
    return rows.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


_COMPLETE = "copy_keys_complete:"  # meta, per rubric: every scored entry's text keys are in the store


def _copies(store: Store, rubric: Rubric, mapping: dict[str, Any], current: pd.DataFrame,
            rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Per text-quality criterion, the text key of each row to score and its number of copies
    among everyone in the store, counted in the store's key table: a new copy changes counts,
    not scores. Only rows whose text becomes, or stops being, boilerplate (``max_copies`` crossed)
    are scored again with the new rows; the "same text as N" evidence of the others is brought
    up to date when their rows are written (``shortlist_rows``). Returns the rows to score (those
    added) and {criterion: (keys, copies)} aligned with them."""
    quality = [c for c in rubric.criteria if isinstance(c.spec, QualitySpec)
               and (m := mapping.get(c.fields[0])) is not None and m.column is not None and m.column in current]
    if not quality:
        return rows, {}
    # Scores kept from before text keys were stored are redone once.
    complete = _COMPLETE + rubric.sha256
    if store.get_meta(complete) is None:
        redo = sorted({e for c in quality for e in store.missing_copy_keys(rubric.sha256, c.id)} - set(rows["_entry"]))
        if redo:
            rows = _rows_for(store, current, [*rows["_entry"], *redo])
        store.set_meta(complete, "1")
    flips: set[str] = set()
    keyed: dict[str, np.ndarray] = {}
    for crit in quality:
        spec = crit.spec
        assert isinstance(spec, QualitySpec)
        column = mapping[crit.fields[0]].column
        keys = text_keys(rows[column]) if column in rows else np.array([""] * len(rows), dtype=object)
        keyed[crit.id] = keys
        ids = rows["_entry"].astype(str).tolist()
        old = store.copy_keys_of(rubric.sha256, crit.id, ids)
        store.save_copy_keys(rubric.sha256, ((crit.id, e, str(k), 0) for e, k in zip(ids, keys.tolist(), strict=True)))
        moved = {str(k) for k in keys.tolist()} | {k for k, _n in old.values()}
        counts = store.key_counts(rubric.sha256, crit.id, moved)
        mine = set(ids)
        for entry, key, then in store.key_holders(rubric.sha256, crit.id, moved):
            if entry not in mine and (then >= spec.max_copies) != (counts[key] - 1 >= spec.max_copies):
                flips.add(entry)
    first = rows["_entry"].astype(str).tolist()
    if flips:
        rows = _rows_for(store, current, [*first, *sorted(flips)])
    ids = rows["_entry"].astype(str).tolist()
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for crit in quality:
        keys = keyed[crit.id]
        if flips:  # their texts did not change: their keys are the stored ones
            held = dict(zip(first, keys.tolist(), strict=True))
            held |= {e: k for e, (k, _n) in store.copy_keys_of(rubric.sha256, crit.id, sorted(flips)).items()}
            keys = np.array([held.get(e, "") for e in ids], dtype=object)
        counts = store.key_counts(rubric.sha256, crit.id, keys.tolist())
        copies = np.array([counts[k] - 1 if k else 0 for k in keys.tolist()], dtype=np.int64)
        out[crit.id] = (keys, copies)
    return rows, out


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """``Store.ranking`` (or ``current_table``) ranked: bucket, score, id — as ``screener score``
    ranks an export, a person's adjustment moving an applicant; the rank as the first column."""
    if table.empty:
        return table
    order = rank_order(table.assign(score=table["adjusted_score"]) if "adjusted_score" in table else table)
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def shortlist_rows(store: Store, rubric: Rubric, ranked: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The whole stored rows of ``ids`` (in the order given), ranked as in ``ranked``."""
    if not ids:
        return _population_table(store.current_table(rubric.sha256, []), ranked)
    return _population_table(store.current_table(rubric.sha256, ids), ranked).set_index("id", drop=False) \
        .loc[ids].reset_index(drop=True)


def _population_table(table: pd.DataFrame, ranked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stored rows (``Store.current_table``) as outputs show them: the "same text as N" evidence
    counted now, the rank (from ``ranked``, the whole ranking, when ``table`` holds only some
    rows), and a person's adjustment and decision beside the computed score."""
    if table.empty:
        return table
    if "_copies" in table:
        _current_copies(table)
        table = table.drop(columns="_copies")
    if ranked is None:
        table = _ranked(table)
    else:
        at = dict(zip(ranked["id"].astype(str), ranked["rank"].tolist(), strict=True))
        table.insert(0, "rank", [at[str(i)] for i in table["id"]])
        table = table.sort_values("rank", kind="stable").reset_index(drop=True)
    # What a person decided goes beside the computed score, where a reader of the file looks.
    human = [c for c in HUMAN_COLUMNS if c in table.columns]
    if human and "score" in table.columns:
        rest = [c for c in table.columns if c not in human]
        at_score = rest.index("score") + 1
        table = table[[*rest[:at_score], *human, *rest[at_score:]]]
    return table


HUMAN_COLUMNS = ("adjusted_score", "adjustment", "adjustment_note", "adjusted_by", "adjusted_at",
                 "decision", "decision_note", "decided_at")


def _current_copies(table: pd.DataFrame) -> None:
    """Bring "same text as N other applications" up to date: N is counted over the store now
    (``Store.copy_facts``), as a full rescore would count it."""
    kept = [k if isinstance(k, dict) else {} for k in table["_copies"].tolist()]
    for cid in sorted({c for k in kept for c in k}):
        column = f"{cid}.evidence"
        if column not in table:
            continue
        boiler = table[column].astype(str).str.startswith(BOILERPLATE).to_numpy()
        if not boiler.any():
            continue
        now = np.array([k.get(cid, 0) for k in kept], dtype=np.int64)
        evidence = table[column].to_numpy(dtype=object).copy()
        evidence[boiler] = boilerplate_evidence(now[boiler])
        table[column] = evidence


def stored_result(config: ProjectConfig, rubric: Rubric, table: pd.DataFrame, position: int) -> ScoreResult:
    """The applicant at ``position`` of the store's ranked ``table`` as ``explain`` reads a score:
    the stored row (points, evidence, adjustment, decision) with the answers and the reasons of
    its stored record scored again, its copy counts taken from the store's text keys."""
    entry = str(table.iloc[position]["id"])
    with Store(config.store, create=False) as store:
        data = store.entry_data(entry)
        counts = store.copy_facts(rubric.sha256, [entry]).get(entry, {})
    if data is None:
        raise StoreError(f"The store {config.store} has no answers for '{entry}'.")
    copies = {cid: np.array([n]) for cid, n in counts.items()}
    again = score(pd.DataFrame([data], dtype=object).fillna(""), rubric, copies=copies, duplicates=False)
    return ScoreResult(rubric=rubric, mapping=again.mapping, table=table.iloc[[position]].reset_index(drop=True),
                       answers=again.answers, outcomes=again.outcomes, order=again.order, notes=again.notes)


def store_table(config: ProjectConfig, rubric: Rubric) -> pd.DataFrame:
    """The ranked population from the store, for ``screener shortlist`` without an export."""
    return store_ranking(config, rubric)[0]


def store_ranking(config: ProjectConfig, rubric: Rubric) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """``store_table``, and the store's last finished run (``Store.last_run``; None before any)."""
    with Store(config.store, create=False) as store:
        table = _population_table(store.current_table(rubric.sha256))
        last = store.last_run()
        if table.empty and last is not None:
            raise StoreError(f"The store {config.store} has no scores under the current rubric "
                             f"({rubric.short_hash}); run 'screener run' first.")
    return table, last


def _log(config: ProjectConfig, report: RunReport) -> None:
    """One line per run in ``<output>/screener.log``: ids and counts only, never names or emails."""
    try:
        make_private_folders(config.output)
    except OSError as err:
        raise WriteFailedError(f"Cannot write {config.output / LOG_NAME}: {reason(err)}.") from None
    line = (f"{now_utc()} run {report.run_id} {report.outcome}: {visible(report.export)}; rows {report.rows}, "
            f"new {report.new}, changed {report.changed}, scored {report.scored}, recovered {report.recovered}, "
            f"unreadable {report.rejected}, "
            f"shortlisted {report.shortlisted} (entered {visible(','.join(report.entered)) or '-'}; "
            f"left {visible(','.join(report.left)) or '-'}) in {report.seconds}s\n")
    path = config.output / LOG_NAME
    fd = open_own(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, "the run log")
    try:
        os.write(fd, line.encode("utf-8"))
    except OSError as err:
        raise WriteFailedError(f"Cannot append to {path}: {reason(err)}.") from None
    finally:
        os.close(fd)
