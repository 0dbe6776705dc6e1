"""The front door: every command that scores or reads scored applicants comes through here.

``screen`` is the pipeline: find the rubric, start the helper process for a large export, load
the export, score it (criteria, identities, duplicate groups, rank), or hand a large CSV output
to the two-pass streamed score, and append the command's entry to the audit log. ``ranked``
does the same for commands that also read the nightly store; ``shortlist`` cuts a ranking
(the nightly job is ``nightly.run_project``). The library never prints: sentences for the person come
out through ``tell`` and progress through ``progress``; the CLI decides how to show them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screener.app import config as project_config
from screener.app.coverage import check_strict, unreadable_musts
from screener.core.errors import ScreenerError, UsageError
from screener.core.rubric import Rubric

if TYPE_CHECKING:
    import pandas as pd

    from screener.core.columns import FieldMatch
    from screener.core.rubric import Deadline, ZoneOverride
    from screener.core.scoring import ScoreResult
    from screener.core.versions import Version
    from screener.data.load import LoadReport

Tell = Callable[[str, str], None]
"""``tell(sentence, kind)``: a sentence for the person running the command; ``kind`` is "note"
(by the way), "warning" (something they should act on) or "done" (what was written where)."""

Progress = Callable[[int, str, bool], contextlib.AbstractContextManager[Callable[[str], None]]]
"""``progress(steps, label, worth_showing)``: a context giving the callable ticked once per step
(named by its argument); ``steps`` 0 is a phase with no count, such as reading the export."""

READING_SHOWN_BYTES = 1 << 20
"""Reading an export this large or larger is shown as a phase of its own (``progress``)."""


def _silent(_sentence: str, _kind: str) -> None:
    return None


@contextlib.contextmanager
def _no_progress(_steps: int, _label: str, _show: bool) -> Iterator[Callable[[str], None]]:
    yield lambda _step: None


@dataclass
class Screening:
    """Applicants scored against one rubric, ranked: from an export or from the project's store."""

    rubric: Rubric
    table: pd.DataFrame  # one row per applicant in rank order (a streamed score: id, bucket, score, knockouts)
    source: str  # the export, or the store
    report: LoadReport | None = None  # what loading the export found (None: from the store)
    result: ScoreResult | None = None  # the whole score of an export read in memory
    streamed_to: str | None = None  # a streamed score wrote its CSV here itself
    input_sha256: str = ""
    versions: dict[str, list[Version]] = field(default_factory=dict)  # earlier versions of entries, by id


def load_rubric(explicit: str | Path | None, tell: Tell = _silent) -> Rubric:
    """The rubric named, or found as ``config.find_rubric`` says; its warnings told."""
    from screener.core.rubric import load_rubric as read

    path, _how = project_config.find_rubric(None if explicit is None else str(explicit))
    rubric = read(path)
    for warning in rubric.warnings:
        tell("warning: " + warning, "warning")
    return rubric


def zone_override(zone: str | None, source: str = "--export-timezone") -> ZoneOverride | None:
    """``--export-timezone ZONE``, checked: an unknown zone name is a usage error, in one sentence."""
    if zone is None:
        return None
    import zoneinfo

    from screener.core.escape import visible
    from screener.core.rubric import ZoneOverride

    name = zone.strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"{source} '{visible(zone)}' is not a time zone name; use one like America/New_York, "
                         "Europe/Berlin or UTC.") from None
    return ZoneOverride(name, source)


def _with_zone(rubric: Rubric, override: ZoneOverride | None) -> Rubric:
    """``rubric`` reading times written without a zone in ``override`` (``core/providers.py``
    says when that applies)."""
    import dataclasses

    return rubric if override is None else dataclasses.replace(rubric, zone_override=override)


STANDARD_INPUT = "standard input"


def screen(export: str | Path, rubric: str | Path | Rubric | None = None, *, encoding: str | None = None,
           export_timezone: str | None = None, tell: Tell = _silent, progress: Progress = _no_progress,
           audit: str | None = None, stream_to: str | None = None, blind_secret: str | None = None,
           rejected_hint: bool = True, strict: bool = False) -> Screening:
    """``_screen``; the export "-" is read from standard input (csvkit's convention): copied to a
    private temporary file first, since formats are told by their bytes and a large CSV is read
    twice, and named "standard input" in every message and in the audit log. ``export_timezone``
    is ``--export-timezone``: the zone of times written without one (checked by ``zone_override``)."""
    options: dict[str, Any] = {"encoding": encoding, "progress": progress, "stream_to": stream_to,
                               "blind_secret": blind_secret, "rejected_hint": rejected_hint, "strict": strict,
                               "zone": zone_override(export_timezone)}
    from screener.data.load import limits

    # Standard input, and a pipe named by a descriptor (/dev/stdin, <(...) as /dev/fd/63), can
    # be read only once: copied first (within the export size limit), so that the loader, the
    # second pass of a large CSV and the audit log's hash all read the same bytes.
    if str(export) != "-" and not limits.is_stream(Path(export), str(export)):
        return _screen(export, rubric, tell=tell, audit=audit, **options)
    import sys
    import tempfile

    from screener.data import auditlog

    shown = STANDARD_INPUT if str(export) == "-" else str(export)
    with tempfile.TemporaryDirectory(prefix="screener-stdin-") as folder:
        path = Path(folder) / STANDARD_INPUT
        with open(path, "xb") as copy:
            os.chmod(path, 0o600)
            watch = limits.LineWatch(shown, limits.max_export_bytes(), None)
            with contextlib.ExitStack() as stack:
                source = sys.stdin.buffer if str(export) == "-" else stack.enter_context(open(export, "rb"))
                for block in iter(lambda: source.read(1 << 20), b""):
                    watch.feed(block)
                    copy.write(block)

        def named(text: str) -> str:
            return text.replace(str(path), shown)

        try:
            screening = _screen(path, rubric, tell=lambda text, kind: tell(named(text), kind), audit=None,
                                **options)
        except ScreenerError as err:
            err.args = (named(str(err.args[0])), *err.args[1:]) if err.args else err.args
            raise
        # The loader hashed the bytes it read; a streamed score may not have: then the copy is read.
        screening.input_sha256 = screening.input_sha256 or auditlog.file_sha256(path)
    screening.source = shown
    if audit:
        record_audit(audit, screening)
    return screening


def _screen(export: str | Path, rubric: str | Path | Rubric | None = None, *, encoding: str | None = None,
            zone: ZoneOverride | None = None, tell: Tell = _silent, progress: Progress = _no_progress,
            audit: str | None = None, stream_to: str | None = None, blind_secret: str | None = None,
            rejected_hint: bool = True, strict: bool = False) -> Screening:
    """Load ``export``, score every applicant against ``rubric`` and rank them; with ``strict``,
    refuse an export a must-have's columns are missing from (``check_strict``).

    ``audit`` names the command whose decisions go to the audit log. With ``stream_to`` (a CSV
    destination, "-" for stdout) an export too large to hold is scored in two passes straight
    to that file (``blind_secret``: as --blind writes it; told when done), and only what ranking
    and the audit log need comes back. ``rejected_hint`` adds "use --rejected FILE" to the unread-rows warning;
    ``zone`` is the zone given for times written without one."""
    from screener.app import parallel, stream
    from screener.core import scoring
    from screener.data import load

    export = Path(export)
    rubric_obj = _with_zone(rubric if isinstance(rubric, Rubric) else load_rubric(rubric, tell), zone)
    if stream_to is not None and stream.wanted(export, "csv"):
        streamed = _screen_streamed(export, rubric_obj, stream_to, encoding=encoding, tell=tell,
                                    blind_secret=blind_secret, rejected_hint=rejected_hint, strict=strict)
        if streamed is not None:
            if audit:
                record_audit(audit, streamed)
            return streamed
    # The helper is started first: it imports and reads word lists while we read the export.
    size = parallel.file_size(export)
    with parallel.helper_for(size, rubric_obj.languages) as helper:
        with progress(0, f"reading {export.name}", size >= READING_SHOWN_BYTES):
            frame, report = load.load_export(export, encoding=encoding)
        _tell_load(tell, report, rejected_hint)
        frame, earlier = latest_versions(frame, rubric_obj, tell)
        report.superseded = sum(len(v) for v in earlier.values())
        label = f"scoring {len(frame)} applicants"
        with progress(len(rubric_obj.criteria), label, report.rows >= 2000) as tick:
            result = scoring.score(frame, rubric_obj, progress=_ticks(tick, rubric_obj, helper is not None),
                                   submit=parallel.submitter(helper))
    _tell_scoring(tell, result.notes, result.mapping, rubric_obj, export, result.table)
    if strict:
        check_strict(result.mapping, rubric_obj, export)
    mark_repaired(result.table, report, result.mapping, rubric_obj)
    screening = Screening(rubric_obj, result.table, str(export), report=report, result=result, versions=earlier,
                          input_sha256=report.sha256)
    if audit:
        record_audit(audit, screening)
    return screening


def _ticks(tick: Callable[[str], None], rubric: Rubric, helper: bool) -> Callable[[str], None]:
    """``tick``; with a helper process, each step also says how many free-text criteria the
    helper is still scoring. The helper's criteria are ticked as it finishes each, from the
    thread reading its progress (``parallel.Helper``), between the criteria scored here."""
    if not helper:
        return tick
    from screener.core.rubric import KINDS

    away = {c.id for c in rubric.criteria if c.kind in KINDS and KINDS[c.kind].free_text}
    done: set[str] = set()

    def step(name: str) -> None:
        done.add(name)
        left = len(away - done)
        tick(f"{name}; {left} free-text criteria in a second process" if left else name)

    return step


def latest_versions(frame: pd.DataFrame, rubric: Rubric, tell: Tell = _silent
                    ) -> tuple[pd.DataFrame, dict[str, list[Version]]]:
    """``frame`` with one row per entry id, the latest version of each (``core/versions.py``), and
    the earlier versions by entry id; told in a note when an entry appears more than once."""
    from screener.core import versions
    from screener.core.providers import map_rubric
    from screener.core.scoring import entry_ids

    columns = [c for c in frame.columns if not str(c).startswith("_")]
    mapping = map_rubric(columns, rubric)
    found = mapping.get(rubric.applicant.id or "")
    if found is None or found.column is None:
        return frame, {}  # every id is derived from the row's content, and unique
    given = frame[found.column].astype(str).str.strip()
    if not given[given != ""].duplicated().any():  # the usual export: nothing to collapse
        return frame, {}
    done = versions.collapse(frame, entry_ids(frame, rubric, mapping), versions.updated_column(columns))
    text = versions.note(done)
    if text:
        tell(f"note: {text}", "note")
    return done.frame, done.versions


def _screen_streamed(export: Path, rubric: Rubric, dest: str, *, encoding: str | None, tell: Tell,
                     blind_secret: str | None, rejected_hint: bool, strict: bool = False) -> Screening | None:
    """``screen`` of an export too large to hold, written to the CSV ``dest`` in two passes
    (stream.py); None, with a note, when the export cannot be read that way."""
    from screener.app import parallel, stream

    try:
        with parallel.helper_for(parallel.file_size(export), rubric.languages) as helper:
            check = (lambda mapping: check_strict(mapping, rubric, export)) if strict else None
            done = stream.score_to_csv(export, rubric, dest, encoding=encoding, blind_secret=blind_secret,
                                       helper=helper, check=check)
    except stream.NotStreamable as why:
        tell(f"note: {export} is larger than {_size(stream.threshold_bytes())} but is read whole, "
             f"which needs more memory: {why}.", "note")
        return None
    _tell_load(tell, done.report, rejected_hint)
    _tell_scoring(tell, done.notes, done.mapping, rubric, export, done.table)
    if dest != "-":
        tell(f"Wrote {len(done.table)} applicants to {dest} (read in two passes: the export is "
             f"larger than {_size(stream.threshold_bytes())}).", "done")
    return Screening(rubric, done.table, str(export), report=done.report, streamed_to=dest,
                     input_sha256=done.input_sha256)


def ranked(export: Path | None, rubric: str | None = None, *, encoding: str | None = None, config: str | None = None,
           export_timezone: str | None = None, tell: Tell = _silent, progress: Progress = _no_progress) -> Screening:
    """The ranked applicants: scored from ``export``, or the project's store without one."""
    if export is not None:
        return screen(export, rubric, encoding=encoding, export_timezone=export_timezone, tell=tell,
                      progress=progress)
    if export_timezone is not None:
        raise UsageError(ZONE_NEEDS_EXPORT)
    from screener.app import nightly
    from screener.core.rubric import load_rubric as read

    project = project_config.load_config(config)
    rubric_obj = read(project.rubric)
    table, last = nightly.store_ranking(project, rubric_obj)
    # What went in, for the audit log: the export of the store's last run (its hash was taken
    # then), not the store file, which changes with every decision.
    return Screening(rubric_obj, table, str(project.store), input_sha256=str((last or {}).get("input_sha256") or ""))


def stored_explanation(key: str, *, config: str | None = None, secret: Callable[[], str]) -> ScoreResult:
    """The score of the applicant named by ``key`` in the project's store, as ``explain`` reads it
    (``nightly.stored_result``): with the adjustment and decision a person recorded."""
    from screener.app import nightly, views

    screening = ranked(None, config=config)
    position = views.find(screening.table, key, secret)
    return nightly.stored_result(project_config.load_config(config), screening.rubric, screening.table, position)


def record_audit(command: str, screening: Screening, selected: set[str] | None = None, *,
                 store: Path | None = None, extra: dict[str, Any] | None = None) -> None:
    """Append this command's decisions to the audit log (see 'screener log'): beside ``store``, or
    the store of the project in the working directory."""
    from screener.data import auditlog

    rubric = screening.rubric
    export = Path(screening.source)
    if rubric.zone_override is not None:  # it changes who is late: a replay needs it
        extra = {**(extra or {}), "export_timezone": rubric.zone_override.zone}
    entry = auditlog.record(command, rubric_name=rubric.name, rubric_sha256=rubric.sha256,
                            rubric_path=rubric.path, input_path=str(export),
                            input_sha256=screening.input_sha256 or auditlog.file_sha256(export),
                            table=screening.table, selected=selected, extra=extra)
    auditlog.append(auditlog.default_path(store or project_config.project_store()), entry)


NEED_CUT = "Say how to cut the shortlist: --top N, --min-score S, or both."
ZONE_NEEDS_EXPORT = ("--export-timezone says how to read an export's times; the store holds times already read. "
                     "Give the export too, or leave the option out.")
STORE_ONLY = "--new, --since and --exclude-decided read the store; leave out the export."


@dataclass
class Shortlist:
    """A ranking cut in two: who is shortlisted and everyone left out, with the reason."""

    chosen: pd.DataFrame
    left: pd.DataFrame
    title: str
    report: LoadReport | None = None  # what reading the export found (None: from the store)


def shortlist(export: Path | None, *, top: int | None, min_score: float | None, rubric: str | None = None,
              encoding: str | None = None, export_timezone: str | None = None, config: str | None = None,
              include_knockouts: bool = False, include_late: bool = False, new: bool = False, since: str | None = None,
              exclude_decided: bool = False, blind: bool = False, tell: Tell = _silent,
              progress: Progress = _no_progress, strict: bool = False) -> Shortlist:
    """Cut the ranking of ``export`` (or of the project's store without one): the best ``top``
    and/or everyone at ``min_score`` or more; everyone else is left out with the reason, the
    rows that could not be read included. From an export, the cut goes to the audit log."""
    from screener.app import views

    if top is None and min_score is None and export is not None:
        raise UsageError(NEED_CUT)
    if export is not None and (new or since or exclude_decided):
        raise UsageError(STORE_ONLY)
    if export is None and top is None and min_score is None:
        # The nightly run's own cut (screener.toml): what its summary says this command writes.
        project = project_config.load_config(config)
        top, min_score = project.top, project.min_score
        include_knockouts = include_knockouts or project.include_knockouts
        include_late = include_late or project.include_late
    if export is None:
        screening = ranked(None, config=config, export_timezone=export_timezone)
        table = screening.table
        # "New" is the latest batch: entries first seen in the most recent run that added any.
        since_run = int(table["first_seen_run"].max()) if new and len(table) else None
        chosen, left = views.shortlist_split(
            table, top=top, min_score=min_score, include_knockouts=include_knockouts, include_late=include_late,
            exclude_decided=exclude_decided, since=_since(since), since_run=since_run)
        cut = {"top": top, "min_score": min_score, "include_knockouts": include_knockouts,
               "include_late": include_late, "new": new, "since": since, "exclude_decided": exclude_decided}
        record_audit("shortlist", screening, selected=set(chosen["id"].astype(str)),
                     store=Path(screening.source), extra={"from": "store", "cut": cut})
    else:
        screening = screen(export, rubric, encoding=encoding, export_timezone=export_timezone, tell=tell,
                           progress=progress, rejected_hint=False, strict=strict)
        chosen, left = views.shortlist_split(screening.table, top=top, min_score=min_score,
                                             include_knockouts=include_knockouts, include_late=include_late)
        record_audit("shortlist", screening, selected=set(chosen["id"].astype(str)),
                     extra={"cut": {"top": top, "min_score": min_score, "include_knockouts": include_knockouts,
                                    "include_late": include_late}})
        assert screening.report is not None
        left = views.with_unreadable(left, screening.report, screening.rubric)
    if blind:
        secret = project_config.blind_secret(config)
        chosen = views.pseudonymize(views.blind_table(chosen), secret)
        left = views.pseudonymize(views.blind_table(left), secret)
    return Shortlist(chosen, left, screening.rubric.title, screening.report)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import datetime

    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").strftime("%Y-%m-%dT00:00:00Z")
    except ValueError:
        raise UsageError(f"--since should be a date like 2020-06-20, not '{value}'.") from None


def records_line(report: LoadReport) -> str:
    """'14 records: 12 scored (2 recovered), 2 unreadable' — every record of the export is one or
    the other (or an earlier version of an entry, said when there are some), so the counts
    always add up to the first."""
    unreadable = len(report.rejected)
    scored = report.rows - report.superseded
    earlier = f", {report.superseded} earlier versions of an entry" if report.superseded else ""
    return (f"{report.rows + unreadable} records: {scored} scored ({len(report.repaired)} recovered){earlier}, "
            f"{unreadable} unreadable")


def mark_repaired(table: pd.DataFrame, report: LoadReport, mapping: dict[str, FieldMatch], rubric: Rubric) -> None:
    """Say in a repaired row's evidence how it was read: its ``reasons`` and the evidence of every
    criterion reading a merged column end with the loader's note ("line 14 repaired: …")."""
    if not report.repaired or "line" not in table:
        return
    lines = table["line"].tolist()
    where = {line: i for i, line in enumerate(lines)}
    for fixed in report.repaired:
        i = where.get(fixed.line)
        if i is None:
            continue  # an earlier version of an entry, not scored
        columns = ["reasons"] + [f"{c.id}.evidence" for c in rubric.criteria
                                 if any(mapping.get(f) is not None and mapping[f].column in fixed.columns
                                        for f in c.fields)]
        for col in columns:
            if col in table:
                text = str(table.at[table.index[i], col] or "")
                table.at[table.index[i], col] = f"{text}; {fixed.note}" if text else fixed.note


def _tell_load(tell: Tell, report: LoadReport, hint: bool) -> None:
    for text in report.notes:
        tell(f"note: {report.path}: {text}", "note")
    for fixed in report.repaired[:10]:
        tell(f"note: {report.path}: {fixed.note} (a number with thousands separators written without quotes)",
             "note")
    if len(report.repaired) > 10:
        tell(f"note: … and {len(report.repaired) - 10} more rows repaired", "note")
    if report.rejected:
        keep = " (use --rejected FILE to keep them)" if hint else ""
        tell(f"warning: {len(report.rejected)} rows of {report.path} could not be read and are not scored{keep}:",
             "warning")
        for row in report.rejected[:10]:
            tell(f"  line {row.line}: {row.reason}", "warning")
        if len(report.rejected) > 10:
            tell(f"  … and {len(report.rejected) - 10} more", "warning")


def _tell_scoring(tell: Tell, notes: list[str], mapping: dict[str, FieldMatch], rubric: Rubric,
                  export: Path, table: pd.DataFrame) -> None:
    """Scoring's notes, a warning for rubric fields no column was found for, and a loud one
    for each must-have such a field weakens (``unreadable_musts``)."""
    for text in notes:
        tell(f"note: {text}", "note")
    missing = [m.field for m in mapping.values() if not m.found and rubric.reads(m.field)]
    if missing:
        tell(f"warning: no column found for {', '.join(missing)}; criteria reading them are "
             f"'unknown'. Run 'screener inspect {export}' to see the columns.", "warning")
    for text in unreadable_musts(mapping, rubric, export, table):
        tell(f"WARNING: {text}", "alarm")


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n / 2**10:,.0f} KiB" if n >= 2**10 else f"{n} bytes"



@dataclass
class Inspection:
    """What screener reads in an export, for ``screener inspect``."""

    facts: list[tuple[str, str]]
    columns: list[tuple[str, str, list[str]]]  # name, filled/all, up to three examples
    mapping: list[dict[str, Any]]  # the rubric's fields and the columns they map to
    rejected: list[tuple[int, str]]  # line, reason


def inspect(export: Path, rubric: str | None = None, *, encoding: str | None = None,
            export_timezone: str | None = None, tell: Tell = _silent) -> Inspection:
    """Format, encoding, provider, columns with examples, the zone times without one are read in
    and why, and the rubric's mapping (when a rubric is found; one named that cannot be read is
    an error)."""
    from screener.app import views
    from screener.core.errors import RubricError
    from screener.core.providers import map_rubric, submission_header
    from screener.data import load

    zone = zone_override(export_timezone)
    frame, report = load.load_export(export, encoding=encoding)
    facts = [
        ("file", str(report.path)),
        ("format", report.format + (f" (sheet {report.sheet})" if report.sheet else "")),
        ("encoding", (report.encoding or "—") + (" (guessed)" if report.encoding_guessed else "")),
        ("provider", report.provider or "not recognised"),
        ("rows", f"{report.rows} read" + (f" ({len(report.repaired)} recovered)" if report.repaired else "")
         + f", {len(report.rejected)} could not be read"),
        ("columns", str(len(report.columns))),
    ]
    if report.delimiter:
        facts.insert(3, ("delimiter", repr(report.delimiter)))
    for text in report.notes:
        facts.append(("note", text))
    columns = []
    for name in report.columns:
        values = frame[name].astype(str)
        filled = values.str.strip() != ""
        examples = list(dict.fromkeys(v.replace("\n", " ")[:60] for v in values[filled].head(50)))[:3]
        columns.append((name, f"{int(filled.sum())}/{len(values)}", examples))
    mapping: list[dict[str, Any]] = []
    rubric_obj: Rubric | None = None
    try:
        rubric_obj = _with_zone(load_rubric(rubric, tell), zone)
    except RubricError as err:
        if rubric is not None:
            raise
        tell(f"note: no rubric mapping shown: {err}", "warning")
    header = submission_header(report.columns)
    if rubric_obj is not None:
        facts.append(("rubric", f"{rubric_obj.name} ({rubric_obj.path})"))
        fields = map_rubric(report.columns, rubric_obj)
        mapping = views.mapping_rows(fields, rubric_obj)
        found = fields.get(rubric_obj.applicant.submitted_at or "")
        header = found.column if found else None
    facts += _time_facts(frame, report.provider, header, rubric_obj.deadline if rubric_obj else None, zone)
    return Inspection(facts, columns, mapping, [(r.line, r.reason) for r in report.rejected])


def _time_facts(frame: pd.DataFrame, provider: str | None, header: str | None, deadline: Deadline | None,
                zone: ZoneOverride | None) -> list[tuple[str, str]]:
    """What ``inspect`` says of the provider's defaults: the zone times without one are read in
    and why (and whether the submission times state their own), and how it writes multi-select answers."""
    from screener.core.normalize import has_zone
    from screener.core.providers import PROVIDERS, naive_zone

    chosen = naive_zone(header, deadline, zone, provider)
    text = f"read as {chosen.zone} ({chosen.why})"
    if header is not None:
        values = [v for v in frame[header].astype(str).str.strip().tolist() if v]
        own = sum(map(has_zone, values))
        if own:
            text += f"; {own} of {len(values)} values in '{header}' state their own zone, which wins"
    facts = [("times without a zone", text)]
    if chosen.overruled:
        facts.append(("note", chosen.overruled))
    if header is not None:  # day or month first: decided over the whole column (providers.date_order)
        from screener.core.normalize import slash_evidence
        from screener.core.providers import date_order

        evidence = slash_evidence(frame[header].astype(str))
        if evidence.day_first or evidence.month_first or evidence.either:
            order = date_order(header, evidence, deadline.day_first if deadline else None)
            facts.append(("day or month first", f"'{header}': {order.why}"))
            facts.extend(("note", note) for note in order.notes)
    known = PROVIDERS.get(provider or "")
    if known is not None:
        facts.append(("multi-select", f"{known.label} writes {known.choices}; screener splits on commas, "
                      "semicolons, '|' and line breaks, keeping whole a rubric option that holds one"))
    return facts
