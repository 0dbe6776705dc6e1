"""The nightly run: ingest the newest export into the store, score only what is new or changed,
regroup duplicates, and write the shortlist atomically — one run at a time.

Order matters for crash safety: the store's changes are made inside one transaction, the two
output files are staged from that state (temporary files, fsynced) and the run's audit-log
record is kept in the store, all before the transaction commits; the commit is then read back
through a new connection, and only then are the staged outputs renamed into place and the
record appended to the audit log. A run killed or failing before the commit leaves the previous
store and files; one killed between the commit and the renames leaves outputs whose every id the
store knows, and the next run (which sees their publication was not recorded) writes them again.
An audit-log record that cannot be appended stays in the store until a later command appends it.

Every file of the project screener writes here (the lock, the store, the run log, the audit
log) is opened without following a link it did not make (``store.open_own``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
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

from screener.app import views
from screener.app.config import ProjectConfig
from screener.app.coverage import check_strict, unreadable_musts
from screener.app.parallel import Helper, file_size, helper_for, submitter
from screener.app.parallel import settings as parallel_settings
from screener.core import dedupe, versions
from screener.core.errors import LockedError, OutputError, ScreenerError, StoreError, WriteFailedError
from screener.core.escape import visible
from screener.core.matching import copy_counts, text_keys
from screener.core.packed import pack, unpack
from screener.core.providers import DateOrder, map_rubric
from screener.core.rubric import QualitySpec, Rubric, load_rubric
from screener.core.scoring import (
    BOILERPLATE,
    ScoreResult,
    boilerplate_evidence,
    date_order,
    entry_ids,
    identities,
    rank_order,
    score,
)
from screener.data import auditlog
from screener.data.auditlog import file_sha256
from screener.data.load import LoadReport, load_export
from screener.data.store import SIDE_FILES, Store, open_own, reason, refuse_link, store_faults
from screener.data.write import make_private_folders, render_chunks

# Columns that depend on the whole population, recomputed each run rather than stored.
_POPULATION_COLUMNS = ("rank", "duplicate_group", "duplicate_why")


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
    with run_lock(config.store), store_faults(config.store):
        report = _run_locked(config, export or config.newest_export(), strict, new_store)
    report.seconds = round(time.monotonic() - started, 2)
    try:
        _log(config, report)
    except WriteFailedError as err:
        report.problem = report.problem or (f"Run {report.run_id} was saved, but its line in the run log could "
                                            f"not be written: {err}")
    return report


def flush_audit(store: Store) -> str:
    """Append the audit-log records kept in the store (a run's, a decision's), oldest first;
    '' when all went, else the sentence saying which log could not be written (the rest stay
    in the store for the next command)."""
    for key, log, entry in store.pending_audit():
        try:
            auditlog.append(log, entry)
        except ScreenerError as err:
            what = entry.get("command", "a")
            return (f"{err} The {what} record is kept in the store {store.path}, and the next command that "
                    "writes the audit log appends it.")
        store.drop_audit(key)
    return ""


def _content_hashes(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """SHA-256 of each row's cells joined with U+001F (rows joined in C, not column by column)."""
    cells = [frame[c].astype(str).tolist() for c in columns]
    rows = map("\x1f".join, zip(*cells, strict=True)) if cells else iter([""] * len(frame))
    return [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in rows]


def _run_locked(config: ProjectConfig, export: Path, strict: bool = False, new_store: bool = False) -> RunReport:
    rubric = load_rubric(config.rubric)
    report = RunReport(export=str(export))
    input_sha = file_sha256(export)
    report.input_sha256 = input_sha
    with Store(config.store, new_store=new_store) as store:
        # Records an earlier command could not append go first: "recorded on the next run".
        report.problem = flush_audit(store)
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
        # A helper process for a large export (parallel.py), started first so that its imports
        # overlap reading: it scores the free-text criteria of what needs scoring, and groups
        # duplicates over everyone while this process reads the stored records back.
        with helper_for(file_size(export), rubric.languages) as helper:
            frame, load_report = load_export(export, encoding=config.encoding)
            report.rows = len(frame)
            report.rejected = len(load_report.rejected)
            report.recovered = len(load_report.repaired)
            _check_musts(rubric, frame, export, strict, report)
            staged: list[tuple[str, Path]] = []
            try:
                with store.transaction():
                    report.run_id = store.start_run(now_utc(), str(export), input_sha, rubric.name, rubric.sha256)
                    regrouped = _ingest(store, rubric, frame, load_report, report, helper)
                    del frame
                    current = store.current_table(rubric.sha256)
                    _set_groups(store, current, regrouped())
                    table = _population_table(current)
                    report.table = table
                    chosen, left = _finish(config, rubric, store, table, load_report, report, last)
                    if report.outcome != "nothing new":
                        store.stage_audit(auditlog.default_path(config.store), auditlog.record(
                            "run", rubric_name=rubric.name, rubric_sha256=rubric.sha256, rubric_path=rubric.path,
                            input_path=str(export), input_sha256=input_sha, table=table,
                            selected=set(report.shortlist),
                            extra={"run_id": report.run_id, "outcome": report.outcome}))
                    staged = _stage_outputs(config, rubric, chosen, left)
                _check_commit(store, report)
                _publish(staged, report)
                staged = []
                with store.transaction():
                    store.set_meta(_OUTPUTS, json.dumps({"run": report.run_id}))
            finally:
                for tmp, _path in staged:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
        report.problem = flush_audit(store) or report.problem
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
                   left: pd.DataFrame) -> list[tuple[str, Path]]:
    """Both outputs written whole to temporary files beside them (fsynced, 0600), renamed only
    after the commit (``_publish``); on failure the run is not saved and nothing is replaced."""
    short_path, left_path = _output_paths(config)
    staged: list[tuple[str, Path]] = []
    try:
        make_private_folders(config.output)
        for path, frame, title in ((short_path, chosen, f"{rubric.title}: shortlist"),
                                   (left_path, left, f"{rubric.title}: left out of the shortlist")):
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


def _publish(staged: list[tuple[str, Path]], report: RunReport) -> None:
    """Rename the staged outputs into place (after the commit), then make the renames durable."""
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as err:
        raise WriteFailedError(
            f"Run {report.run_id} was saved in the store, but its outputs could not be put in place ({reason(err)}); "
            "run 'screener run' again to write them (nothing is lost).") from None
    if staged:
        with contextlib.suppress(OSError):
            dir_fd = os.open(staged[0][1].parent, os.O_RDONLY)
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


def _finish(config: ProjectConfig, rubric: Rubric, store: Store, table: pd.DataFrame, load_report: LoadReport,
            report: RunReport, last: dict[str, Any] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cut the shortlist and record the run (inside the run's transaction); the two outputs."""
    previous = last["shortlist"] if last else []
    chosen, left = _cut(config, rubric, table, load_report)
    chosen_ids = [str(i) for i in chosen["id"]] if len(chosen) else []
    report.entered = [i for i in chosen_ids if i not in previous]
    report.left = [i for i in previous if i not in chosen_ids]
    report.shortlisted = len(chosen_ids)
    report.shortlist = chosen_ids
    changed_anything = report.new or report.changed or report.scored
    report.outcome = "partial" if report.rejected else ("ok" if changed_anything else "nothing new")
    store.finish_run(report.run_id, now_utc(), report.outcome,
                     {"rows": report.rows, "new": report.new, "changed": report.changed,
                      "scored": report.scored, "rejected": report.rejected,
                      "entered": len(report.entered), "left": len(report.left)}, chosen_ids)
    return chosen, left


def _outputs_current(config: ProjectConfig, store: Store, last: dict[str, Any]) -> bool:
    """The outputs exist and were put in place by the last run (not left behind by a run killed
    between its commit and the renames)."""
    if not all(p.exists() for p in _output_paths(config)):
        return False
    published = store.get_meta(_OUTPUTS)
    return published is None or json.loads(published).get("run") == last["id"]


def _output_paths(config: ProjectConfig) -> tuple[Path, Path]:
    ext = "." + config.format
    return config.output / f"shortlist{ext}", config.output / f"shortlist-left-out{ext}"


def _ingest(store: Store, rubric: Rubric, frame: pd.DataFrame, load_report: LoadReport, report: RunReport,
            helper: Helper | None = None) -> Callable[[], Regrouped]:
    """Record new and changed entries (a later row of the same entry replaces an earlier one, with
    history kept), score what needs it, and start grouping duplicates over everyone: call what
    is returned for the groups."""
    data_columns = [c for c in frame.columns if not str(c).startswith("_")]
    mapping = map_rubric(data_columns, rubric)
    # Day or month first is decided over the whole export, not over the few rows scored tonight.
    dates_order = date_order(frame, rubric, mapping)
    frame = frame.assign(_entry=entry_ids(frame, rubric, mapping))
    if frame["_entry"].duplicated().any():
        # The versions of an entry in version order (core/versions.py): its last row is the latest.
        order = versions.version_order(frame["_entry"].to_numpy(dtype=object),
                                       versions.updated_times(frame, versions.updated_column(data_columns)))
        frame = frame.iloc[order].reset_index(drop=True)
    hashes = _content_hashes(frame, data_columns)
    frame = frame.assign(_sha=hashes)
    # Only rows that may change the store are serialised: new or changed content, or an entry the
    # export holds more than once (its last row is the current version).
    known = store.entry_hashes()
    entries = frame["_entry"].tolist()
    repeated = frame["_entry"].duplicated(keep=False).to_numpy()
    touch = [i for i, (entry, sha) in enumerate(zip(entries, hashes, strict=True))
             if repeated[i] or known.get(entry) != sha]
    cells = frame.iloc[touch][data_columns].to_numpy(dtype=object).tolist() if touch else []
    payload = [json.dumps(dict(zip(data_columns, values, strict=True)), ensure_ascii=False) for values in cells]
    now = now_utc()
    report.new, report.changed = store.upsert_entries(
        zip([entries[i] for i in touch], [hashes[i] for i in touch], payload, strict=True), report.run_id, now)
    # The current version of each entry is its last row in the export.
    current = frame.drop_duplicates("_entry", keep="last")
    stored_only = store.entries_data(exclude=set(current["_entry"]))
    if stored_only:
        # Entries no longer in the export stay in the population: nobody disappears.
        extra = pd.DataFrame([json.loads(d) for _i, d in stored_only], dtype=object).fillna("")
        extra["_entry"] = [i for i, _d in stored_only]
        extra["_row"] = 0
        extra["_line"] = 0
        population = pd.concat([current, extra], ignore_index=True).fillna("")
    else:
        population = current.reset_index(drop=True)
    scored = store.scored(rubric.sha256)
    todo = ~population["_entry"].isin(scored).to_numpy()
    report.rescored_all = not scored and len(population) > 0
    copies, keys = _copies(store, rubric, mapping, population, todo)
    if todo.any():
        subset = population[todo].reset_index(drop=True)
        result = score(subset, rubric,
                       mapping=map_rubric([c for c in subset.columns if not str(c).startswith("_")], rubric),
                       copies={cid: counts[todo] for cid, counts in copies.items()}, submit=submitter(helper),
                       date_order=dates_order)
        keyed = [(o.criterion.id, keys[o.criterion.id][todo][result.order], o.copies[result.order])
                 for o in result.outcomes if o.criterion.id in keys and o.copies is not None]
        table = result.table.drop(columns=list(_POPULATION_COLUMNS))
        # result.order maps each ranked row back to its position in the subset.
        entries = subset["_entry"].to_numpy(dtype=object)[result.order]
        shas = subset["_sha"].astype(str).to_numpy(dtype=object)[result.order] if "_sha" in subset else None
        rows = []
        columns = list(table.columns)
        for pos, values in enumerate(table.itertuples(index=False, name=None)):
            record = {c: v.item() if hasattr(v, "item") else v for c, v in zip(columns, values, strict=True)}
            entry = str(entries[pos])
            record["id"] = entry
            text_keys_json = json.dumps({cid: [str(keys[pos]), int(counts[pos])] for cid, keys, counts in keyed})
            sha = (str(shas[pos]) if shas is not None else "") or _stored_sha(store, entry)
            rows.append((entry, sha, rubric.sha256, report.run_id, float(record["score"]), record["bucket"],
                         json.dumps(record, ensure_ascii=False), text_keys_json if keyed else None))
        store.save_scores(rows)
        report.scored = len(rows)
    return _start_regroup(helper, rubric, population, mapping, dates_order)


def _stored_sha(store: Store, entry: str) -> str:
    sha = store.content_sha256(entry)
    if sha is None:
        raise StoreError(f"Entry {visible(entry)} vanished from the store during the run.")
    return sha


def _copies(store: Store, rubric: Rubric, mapping: dict[str, Any], population: pd.DataFrame,
            todo: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per text-quality criterion, each row's number of other applications with the same text,
    and each row's text key, counted over the whole population from stored text keys: only the
    rows in ``todo`` are normalised. Rows are added to ``todo`` (in place) whose text becomes, or stops being,
    boilerplate; the others keep their scores, and the "same text as N" evidence is brought up
    to date when the table is read (``_population_table``)."""
    quality = [c for c in rubric.criteria if isinstance(c.spec, QualitySpec)
               and (m := mapping.get(c.fields[0])) is not None and m.column is not None and m.column in population]
    out: dict[str, np.ndarray] = {}
    all_keys: dict[str, np.ndarray] = {}
    if not quality or not len(population):
        return out, all_keys
    entries = population["_entry"].astype(str).tolist()
    stored = store.text_keys(rubric.sha256)
    # Scores kept from before text keys were stored are redone once.
    todo |= np.array([any(c.id not in stored.get(e, {}) for c in quality) for e in entries], dtype=bool)
    rest = np.flatnonzero(~todo)
    for crit in quality:
        spec = crit.spec
        assert isinstance(spec, QualitySpec)
        keys = np.empty(len(population), dtype=object)
        fresh = np.flatnonzero(todo)
        if fresh.size:
            keys[fresh] = text_keys(population[mapping[crit.fields[0]].column].iloc[fresh])
        keys[rest] = [stored[entries[i]][crit.id][0] for i in rest]
        copies = copy_counts(keys)
        then = np.array([stored[entries[i]][crit.id][1] for i in rest], dtype=np.int64)
        flips = rest[(then >= spec.max_copies) != (copies[rest] >= spec.max_copies)]
        todo[flips] = True
        out[crit.id] = copies
        all_keys[crit.id] = keys
    return out, all_keys


Regrouped = tuple[list[str], np.ndarray, np.ndarray]  # entries, their duplicate group, why


def group_population(population: pd.DataFrame, rubric: Rubric, mapping: dict[str, Any],
                     order: DateOrder | None = None) -> Regrouped:
    """Duplicate groups over every entry of the population (in the helper process, or here);
    ``order``: how the export's slash dates are read (``scoring.date_order``)."""
    people = identities(population, rubric, mapping, date_order=order)
    groups = dedupe.group_duplicates(population["_entry"], people["email"], people["phone"], people["name"],
                                     people["answers"], people["submitted_at"], people["profile"],
                                     people["phone_region"])
    return population["_entry"].astype(str).tolist(), pack(groups.group), pack(groups.why)


def _start_regroup(helper: Helper | None, rubric: Rubric, population: pd.DataFrame,
                   mapping: dict[str, Any], order: DateOrder | None = None) -> Callable[[], Regrouped]:
    """Group duplicates, in the helper when there is one; only the columns grouping reads are
    used. Call what is returned for the groups."""
    columns = list(dict.fromkeys(m.column for m in mapping.values() if m.column is not None))
    columns += [c for c in ("_entry", "_row", "_line") if c in population]
    return submitter(helper)(group_population, population[columns], rubric, mapping, order)


def _set_groups(store: Store, table: pd.DataFrame, regrouped: Regrouped) -> None:
    """Store the new groups, and put them in ``table`` (read from the store before they were known)."""
    entries, group, why = regrouped[0], unpack(regrouped[1]), unpack(regrouped[2])
    store.set_groups(zip(entries, group.tolist(), why.tolist(), strict=True))
    if table.empty:
        return
    at = pd.Index(entries).get_indexer(pd.Index(table["id"].astype(str)))  # entries are unique
    known = at >= 0  # every scored entry is in the population; the store's value otherwise
    for column, values in (("duplicate_group", group), ("duplicate_why", why)):
        table[column] = np.where(known, values[np.maximum(at, 0)] if len(values) else "",
                                 table[column].to_numpy(dtype=object)).astype(object)


def _population_table(table: pd.DataFrame) -> pd.DataFrame:
    """All current entries (``Store.current_table``), ranked: bucket, score, id — as ``screener
    score`` ranks an export."""
    if table.empty:
        return table
    if "_text_keys" in table:
        _current_copies(table)
        table = table.drop(columns="_text_keys")
    # A person's adjustment moves an applicant; the computed score stays beside it.
    order = rank_order(table.assign(score=table["adjusted_score"]) if "adjusted_score" in table else table)
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    # What a person decided goes beside the computed score, where a reader of the file looks.
    human = [c for c in HUMAN_COLUMNS if c in table.columns]
    if human and "score" in table.columns:
        rest = [c for c in table.columns if c not in human]
        at = rest.index("score") + 1
        table = table[[*rest[:at], *human, *rest[at:]]]
    return table


HUMAN_COLUMNS = ("adjusted_score", "adjustment", "adjustment_note", "adjusted_by", "adjusted_at",
                 "decision", "decision_note", "decided_at")


def _current_copies(table: pd.DataFrame) -> None:
    """Bring "same text as N other applications" up to date: N is counted over the population
    now, from each record's stored text key, as a full rescore would count it."""
    kept = [k if isinstance(k, dict) else {} for k in table["_text_keys"].tolist()]
    for cid in sorted({c for k in kept for c in k}):
        column = f"{cid}.evidence"
        if column not in table:
            continue
        keys = np.array([k.get(cid, ["", 0])[0] for k in kept], dtype=object)
        boiler = table[column].astype(str).str.startswith(BOILERPLATE).to_numpy()
        if not boiler.any():
            continue
        now = copy_counts(keys)
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
        keys = store.text_keys(rubric.sha256)
    if data is None:
        raise StoreError(f"The store {config.store} has no answers for '{entry}'.")
    mine = keys.get(entry, {})
    copies = {cid: np.array([sum(1 for other, k in keys.items() if other != entry and k.get(cid, [None])[0] == key)])
              for cid, (key, _count) in mine.items() if key}
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


def _cut(config: ProjectConfig, rubric: Rubric, table: pd.DataFrame,
         load_report: LoadReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    chosen, left = views.shortlist_split(table, top=config.top, min_score=config.min_score,
                                         include_knockouts=config.include_knockouts, include_late=config.include_late)
    return chosen, views.with_unreadable(left, load_report, rubric)


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
