"""The command line: parse, call the library, render. The only module importing typer.

Heavy libraries (pandas, numpy, rapidfuzz) are imported inside the commands so that
``screener --help`` stays fast.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from screener import __version__
from screener.core.errors import EXIT_BUG, EXIT_NOTHING_NEW, EXIT_PARTIAL, RubricError, ScreenerError, UsageError

app = typer.Typer(
    name="screener",
    help="Screen job applications exported from online forms: score them against a rubric, "
    "rank, explain and shortlist. screener ranks for human review; it never rejects anyone.",
    no_args_is_help=True,
    add_completion=False,
    # A crash must never print applicant data: no pretty tracebacks with local variables.
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rubric_app = typer.Typer(help="Check rubric files.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rubric_app, name="rubric")

_state: dict[str, bool] = {"debug": False, "no_color": False}


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    xlsx = "xlsx"


ExportArg = Annotated[Path, typer.Argument(help="The export: CSV, JSON, JSON Lines or XLSX.", show_default=False)]
RubricOpt = Annotated[
    str | None,
    typer.Option("--rubric", "-r", help="Rubric YAML. Default: $SCREENER_RUBRIC, screener.toml, "
                 "or the only rubric in ./rubrics.", show_default=False),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Text encoding of a CSV export (e.g. cp1252). Default: detected.",
                 show_default=False),
]
BlindOpt = Annotated[
    bool, typer.Option("--blind", help="Hide names, emails and phones in every output; show ids only.")
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file ('-' for stdout). The format follows "
                 "the extension unless --format is given.", show_default=False),
]
RejectedOpt = Annotated[
    str | None,
    typer.Option("--rejected", help="Also write the rows that could not be read (line, reason, raw text) "
                 "to this CSV file.", show_default=False),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"screener {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show a plain traceback on unexpected errors.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour, even on a terminal.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    _state["debug"] = debug
    _state["no_color"] = no_color


def _console(stderr: bool = False) -> Any:
    from screener import render

    return render.make_console(stderr=stderr, no_color=_state["no_color"])


@contextmanager
def _errors() -> Iterator[None]:
    """Every user error becomes one sentence on stderr and its exit code; a bug says so."""
    try:
        yield
    except ScreenerError as err:
        from screener import render

        details = err.problems if isinstance(err, RubricError) else []
        render.error(_console(stderr=True), str(err), details)
        raise typer.Exit(err.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as err:  # noqa: BLE001 - the one place bugs are reported
        if _state["debug"]:
            import traceback

            # The frames only: an exception's message can quote applicant data.
            sys.stderr.write("Traceback (most recent call last):\n" + "".join(traceback.format_tb(err.__traceback__)))
            sys.stderr.write(f"{type(err).__qualname__} (message withheld: it may hold applicant data)\n")
        from screener import render

        render.error(_console(stderr=True),
                     f"screener hit an unexpected problem ({type(err).__name__}). "
                     "This is a bug; run again with --debug to see where, and report it.")
        raise typer.Exit(EXIT_BUG) from None


def _load_rubric(explicit: str | None) -> Any:
    from screener.app.config import find_rubric
    from screener.core.rubric import load_rubric

    path, _how = find_rubric(explicit)
    rubric = load_rubric(path)
    if rubric.warnings:
        from screener import render

        for warning in rubric.warnings:
            render.note(_console(stderr=True), "warning: " + warning)
    return rubric


def _screen(export: Path, rubric_opt: str | None, encoding: str | None, *, show_progress: bool,
            rejected_hint: bool = True, rubric_obj: Any = None) -> Any:
    from screener import render
    from screener.app.parallel import file_size, helper_for
    from screener.core.scoring import score
    from screener.data.load import load_export

    rubric = rubric_obj if rubric_obj is not None else _load_rubric(rubric_opt)
    with helper_for(file_size(export)) as helper:  # started first: it imports while we read
        frame, report = load_export(export, encoding=encoding)
        if os.environ.get("SCREENER_TEST_CRASH") == "1":  # a test hook: prove a crash prints no applicant data
            raise RuntimeError(f"test crash: {frame.iloc[0].to_dict() if len(frame) else {}}")
        err = _console(stderr=True)
        _warn_load(err, report, rejected_hint)
        steps = len(rubric.criteria)
        label = f"scoring {report.rows} applicants"
        with render.progress(err, steps, label, show_progress and report.rows >= 2000) as tick:
            result = score(frame, rubric, progress=tick, helper=helper)
    _warn_scoring(err, result.notes, result.mapping, rubric, export)
    from screener.app.views import Screening

    return Screening(result, report)


def _warn_scoring(err: Any, notes: list[str], mapping: dict[str, Any], rubric: Any, export: Path) -> None:
    """Scoring's notes, and a warning for rubric fields no column was found for."""
    from screener import render

    for text in notes:
        render.note(err, f"note: {text}", style="dim")
    missing = [m.field for m in mapping.values() if not m.found and _is_used(m.field, rubric)]
    if missing:
        render.note(err, f"warning: no column found for {', '.join(missing)}; criteria reading them are "
                    f"'unknown'. Run 'screener inspect {export}' to see the columns.")


def _is_used(field: str, rubric: Any) -> bool:
    for crit in rubric.criteria:
        subject = getattr(crit.spec, "subject_field", None)
        if field in crit.fields or field == subject:
            return True
    return False


def _warn_load(err: Any, report: Any, hint: bool) -> None:
    from screener import render

    for text in report.notes:
        render.note(err, f"note: {report.path}: {text}", style="dim")
    if report.rejected:
        keep = " (use --rejected FILE to keep them)" if hint else ""
        render.note(err, f"warning: {len(report.rejected)} rows of {report.path} could not be read and are "
                    f"not scored{keep}:")
        for row in report.rejected[:10]:
            render.note(err, f"  line {row.line}: {row.reason}")
        if len(report.rejected) > 10:
            render.note(err, f"  … and {len(report.rejected) - 10} more")


def _resolve_format(fmt: Format | None, output: str | None, default: str) -> tuple[str, str | None]:
    from screener.data.write import format_for

    if output is None:
        return (fmt.value if fmt else default), None
    if fmt is None:
        return format_for(output, "csv" if default == "table" else default), output
    if fmt == Format.table:
        raise UsageError("--format table prints to the terminal; choose csv, json, jsonl, md or xlsx with --output.")
    return fmt.value, output


def _write(frame: Any, fmt: str, dest: str, title: str = "") -> None:
    from screener.data.write import render_chunks, write_bytes

    write_bytes(render_chunks(frame, fmt, to_stdout=dest == "-", title=title), dest)


def _write_rejected(report: Any, path: str | None, blind: bool = False) -> None:
    if path is None:
        return
    from screener.app.views import rejected_table

    _write(rejected_table(report, blind=blind), "csv", path)


@app.command()
def score(
    export: ExportArg,
    rubric: RubricOpt = None,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="table (terminal), csv, json, jsonl, md "
                                               "or xlsx.", show_default=False)] = None,
    output: OutputOpt = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many applicants the terminal table shows.")] = 25,
    show_all: Annotated[bool, typer.Option("--all", help="Show every applicant in the terminal table.")] = False,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    rejected: RejectedOpt = None,
) -> None:
    """Score every applicant against the rubric and print a ranked table (or write a file)."""
    with _errors():
        kind, dest = _resolve_format(fmt, output, "table")
        streamed, rubric_obj = _score_streamed(export, rubric, encoding, kind, dest, blind, rejected)
        if streamed:
            return
        screening = _screen(export, rubric, encoding, show_progress=True, rejected_hint=rejected is None,
                            rubric_obj=rubric_obj)
        result = screening.result
        _write_rejected(screening.report, rejected, blind=blind)
        _audit("score", screening.rubric, export, result.table)
        from screener.app import views
        from screener.app.views import output_table

        table = output_table(result, blind=blind)
        if blind:
            table = views.pseudonymize(table, _secret())
        if kind != "table":
            _write(table, kind, dest or "-", title=f"{result.rubric.title}: all applicants")
            if dest and dest != "-":
                from screener import render

                render.note(_console(stderr=True), f"Wrote {len(table)} applicants to {dest}.", style="green")
            return
        from screener import render

        shown = table if show_all else table.head(top)
        out = _console()
        rows = shown.to_dict("records")
        caption = "" if show_all or len(table) <= top else f"top {top} of {len(table)}; --all or --top N for more"
        render.ranking(out, rows, blind=blind, title=f"{result.rubric.title}", caption=caption)
        render.summary_line(out, result.summary(), extra=f"rubric {result.rubric.name} {result.rubric.short_hash}")


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n / 2**10:,.0f} KiB" if n >= 2**10 else f"{n} bytes"


def _score_streamed(export: Path, rubric: str | None, encoding: str | None, kind: str, dest: str | None,
                    blind: bool, rejected: str | None) -> tuple[bool, Any]:
    """``score`` of a large export to CSV in two passes without holding it (see stream.py):
    (done, the rubric if it was loaded); not done when the export cannot be read that way."""
    from screener.app import stream

    if not stream.wanted(export, kind):
        return False, None
    from screener import render
    from screener.app.parallel import file_size, helper_for

    rubric_obj = _load_rubric(rubric)
    err = _console(stderr=True)
    try:
        with helper_for(file_size(export)) as helper:
            done = stream.score_to_csv(export, rubric_obj, dest or "-", encoding=encoding,
                                       blind_secret=_secret() if blind else None, helper=helper)
    except stream.NotStreamable as why:
        render.note(err, f"note: {export} is larger than {_size(stream.threshold_bytes())} but is read whole, "
                    f"which needs more memory: {why}.", style="dim")
        return False, rubric_obj
    _warn_load(err, done.report, rejected is None)
    _warn_scoring(err, done.notes, done.mapping, rubric_obj, export)
    _write_rejected(done.report, rejected, blind=blind)
    _audit("score", rubric_obj, export, done.table, input_sha256=done.input_sha256)
    if dest and dest != "-":
        render.note(err, f"Wrote {len(done.table)} applicants to {dest} (read in two passes: the export is "
                    f"larger than {_size(stream.threshold_bytes())}).", style="green")
    return True, rubric_obj


StoreExportArg = Annotated[
    Path | None, typer.Argument(help="The export. Without it, the project's store.", show_default=False)
]
ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", "-c", help="Project config (default: screener.toml or screener.yaml here).",
                 show_default=False),
]


@app.command()
def shortlist(
    export: Annotated[Path | None, typer.Argument(help="The export. Without it, the project's store (filled by "
                                                  "'screener run') is used.", show_default=False)] = None,
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Keep the best N.", show_default=False)] = None,
    min_score: Annotated[float | None, typer.Option("--min-score", min=0, max=100,
                                                    help="Keep everyone scoring at least this.",
                                                    show_default=False)] = None,
    rubric: RubricOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Shortlist file ('-' for stdout). Default: "
                                               "shortlist.csv here (with an export) or in the project's output "
                                               "folder (from the store).", show_default=False)] = None,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="csv, json, jsonl, md or xlsx. Default: "
                                               "from the file name, else csv.", show_default=False)] = None,
    left_out: Annotated[str | None, typer.Option("--left-out", help="Where to list everyone left out and why. "
                                                 "Default: beside the shortlist, '-left-out' added.",
                                                 show_default=False)] = None,
    include_knockouts: Annotated[bool, typer.Option("--include-knockouts",
                                                    help="Keep applicants who failed a must-have.")] = False,
    include_late: Annotated[bool, typer.Option("--include-late", help="Keep applications sent after the "
                                               "deadline.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Only applicants first seen in the last run (store).")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Only applicants first seen on or after this date, "
                                              "YYYY-MM-DD (store).", show_default=False)] = None,
    exclude_decided: Annotated[bool, typer.Option("--exclude-decided", help="Leave out applicants with a "
                                                  "recorded decision (store).")] = False,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the best N (or everyone above a score) to a file, and everyone else with the reason."""
    with _errors():
        if top is None and min_score is None:
            raise UsageError("Say how to cut the shortlist: --top N, --min-score S, or both.")
        if fmt == Format.table:
            raise UsageError("A shortlist is a file: choose --format csv, json, jsonl, md or xlsx.")
        if export is not None and (new or since or exclude_decided):
            raise UsageError("--new, --since and --exclude-decided read the store; leave out the export.")
        from screener.app import views

        if export is None:
            project = _project(config)
            if output is None:
                output = str(project.output / ("shortlist." + (fmt.value if fmt else project.format)))
        kind, dest = _resolve_format(fmt, output or "shortlist.csv", "csv")
        assert dest is not None
        if left_out is None:
            left_out = "-" if dest == "-" else _companion(dest, kind)
        if export is None:
            from screener.app import nightly
            from screener.core.rubric import load_rubric

            rubric_obj = load_rubric(project.rubric)
            table = nightly.store_table(project, rubric_obj)
            # "New" is the latest batch: entries first seen in the most recent run that added any.
            since_run = int(table["first_seen_run"].max()) if new and len(table) else None
            chosen, left = views.shortlist_split(
                table, top=top, min_score=min_score, include_knockouts=include_knockouts,
                include_late=include_late, exclude_decided=exclude_decided, since=_since(since), since_run=since_run)
            title = rubric_obj.title
        else:
            screening = _screen(export, rubric, encoding, show_progress=True, rejected_hint=False)
            chosen, left = views.shortlist(screening.result, top=top, min_score=min_score,
                                           include_knockouts=include_knockouts, include_late=include_late)
            _audit("shortlist", screening.rubric, export, screening.result.table,
                   selected=set(chosen["id"].astype(str)))
            left = views.with_unreadable(left, screening.report)
            title = screening.rubric.title
        if blind:
            secret = _secret(config)
            chosen = views.pseudonymize(views.blind_table(chosen), secret)
            left = views.pseudonymize(views.blind_table(left), secret)
        _write(chosen, kind, dest, title=f"{title}: shortlist")
        if left_out != "-" or dest != "-":
            left_kind = kind if left_out == "-" else _format_of(left_out, kind)
            _write(left, left_kind, left_out, title=f"{title}: left out of the shortlist")
        from screener import render

        why = ""
        if len(left):
            why = _reason_counts(left)
        render.note(_console(stderr=True), f"Shortlisted {len(chosen)} of {len(chosen) + len(left)} into {dest}; "
                    f"{len(left)} left out, listed with the reason in {left_out}" + (f" ({why})." if why else "."),
                    style="green")


def _reason_counts(left: Any) -> str:
    """'565 failed a must-have, 553 ranked below the top 10, …' — details after ':' folded together."""
    counts = left["left_out_because"].astype(str).str.replace(r":.*", "", regex=True).value_counts()
    return ", ".join(f"{n} {reason}" for reason, n in counts.items())


def _audit(command: str, rubric_obj: Any, export: Path, table: Any, selected: set[str] | None = None,
           input_sha256: str = "") -> None:
    """Append this command's decisions to the audit log (see 'screener log'); ``input_sha256``
    when the export's hash is known already."""
    from screener.data import auditlog

    entry = auditlog.record(command, rubric_name=rubric_obj.name, rubric_sha256=rubric_obj.sha256,
                            rubric_path=rubric_obj.path, input_path=str(export),
                            input_sha256=input_sha256 or auditlog.file_sha256(export), table=table,
                            selected=selected)
    auditlog.append(auditlog.default_path(_project_store()), entry)


def _ranked(export: Path | None, rubric: str | None, encoding: str | None, config: str | None) -> Any:
    """(rubric, ranked table, source): scored from the export, or the project's store without one."""
    if export is None:
        from screener.app import nightly
        from screener.core.rubric import load_rubric

        project = _project(config)
        rubric_obj = load_rubric(project.rubric)
        return rubric_obj, nightly.store_table(project, rubric_obj), str(project.store)
    screening = _screen(export, rubric, encoding, show_progress=False)
    return screening.rubric, screening.result.table, str(export)


def _find(table: Any, key: str, config: str | None) -> int:
    """An applicant by id, email, row number, or a --blind pseudonym."""
    from screener.app import views

    try:
        return views.find_in_table(table, key)
    except UsageError:
        if key.strip().startswith("P-"):
            return views.reveal(table, key, _secret(config))
        raise


def _secret(config: str | None = None) -> str:
    """The key for --blind's pseudonyms: the project's blind_secret, else the user's own."""
    from screener.app.config import find_config, load_config, user_secret
    from screener.core.errors import ConfigError

    if config or find_config(Path.cwd()) is not None:
        try:
            project = load_config(config)
        except ConfigError:
            project = None
        if project is not None and project.blind_secret:
            return project.blind_secret
    return user_secret()


def _project_store() -> Path | None:
    """The store of the project in the working directory, if there is one and it reads."""
    from screener.app.config import find_config, load_config
    from screener.core.errors import ConfigError

    if find_config(Path.cwd()) is None:
        return None
    try:
        return load_config().store
    except ConfigError:
        return None


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import datetime

    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").strftime("%Y-%m-%dT00:00:00Z")
    except ValueError:
        raise UsageError(f"--since should be a date like 2020-06-20, not '{value}'.") from None


def _project(config: str | None) -> Any:
    from screener.app.config import load_config

    return load_config(config)


def _companion(dest: str, kind: str) -> str:
    path = Path(dest)
    return str(path.with_name(path.stem + "-left-out" + (path.suffix or "." + kind)))


def _format_of(path: str, default: str) -> str:
    from screener.data.write import format_for

    return format_for(path, default)


@app.command()
def explain(
    export: ExportArg,
    applicant: Annotated[str, typer.Argument(help="Applicant id, email or row number.", show_default=False)],
    rubric: RubricOpt = None,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Why an applicant got their score: every criterion, the rule, the answer read, the points."""
    with _errors():
        screening = _screen(export, rubric, encoding, show_progress=False)
        from screener import render
        from screener.app import views

        position = _find(screening.result.table, applicant, config=None)
        header, criteria = views.explanation(screening.result, position, blind=blind)
        if blind:
            header["id"] = views.pseudonym(str(header["id"]), _secret())
            if header.get("duplicate_group"):
                header["duplicate_group"] = views.pseudonym(str(header["duplicate_group"]), _secret())
        render.explain(_console(), header, criteria, blind=blind)


@app.command()
def inspect(
    export: ExportArg,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Show what screener reads in an export: format, encoding, columns, and the rubric's mapping."""
    with _errors():
        from screener import render
        from screener.app import views
        from screener.core.columns import map_fields
        from screener.data.load import load_export

        frame, report = load_export(export, encoding=encoding)
        facts = [
            ("file", str(report.path)),
            ("format", report.format + (f" (sheet {report.sheet})" if report.sheet else "")),
            ("encoding", (report.encoding or "—") + (" (guessed)" if report.encoding_guessed else "")),
            ("provider", report.provider or "not recognised"),
            ("rows", f"{report.rows} read, {len(report.rejected)} could not be read"),
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
        try:
            rubric_obj = _load_rubric(rubric)
        except RubricError as err:
            if rubric is not None:
                raise
            render.note(_console(stderr=True), f"note: no rubric mapping shown: {err}")
        else:
            facts.append(("rubric", f"{rubric_obj.name} ({rubric_obj.path})"))
            mapping = views.mapping_rows(map_fields(report.columns, rubric_obj.fields), rubric_obj)
        render.inspect(_console(), facts, columns, mapping, [(r.line, r.reason) for r in report.rejected])


@app.command("run")
def run_command(
    config: ConfigOpt = None,
    export: Annotated[Path | None, typer.Option("--export", help="Ingest this export instead of the newest "
                                                "match of the config's 'exports'.", show_default=False)] = None,
) -> None:
    """The nightly job: ingest the newest export, score what is new or changed, write the shortlist.

    Exit codes: 0 done, 3 done but some rows could not be read, 4 nothing new, 75 another run
    holds the lock, 1 bad input or config."""
    with _errors():
        from screener import render
        from screener.app import nightly

        project = _project(config)
        report = nightly.run(project, export=export)
        out = _console()
        lines = [
            f"run {report.run_id}: {report.outcome} — {report.export}",
            f"{report.rows} rows; {report.new} new, {report.changed} changed, {report.scored} scored"
            + (" (rubric changed or first run: everyone)" if report.rescored_all else "")
            + (f"; {report.rejected} could not be read (listed in the left-out file)" if report.rejected else ""),
        ]
        if report.outputs:
            lines.append(f"shortlist: {report.shortlisted} in {report.outputs[0]}; entered: "
                         f"{', '.join(report.entered) or 'nobody'}; left: {', '.join(report.left) or 'nobody'}")
        for note in report.notes:
            lines.append(note)
        for line in lines:
            render.note(out, line, style="")
        code = {"partial": EXIT_PARTIAL, "nothing new": EXIT_NOTHING_NEW}.get(report.outcome, 0)
        if code:
            raise typer.Exit(code)


@app.command()
def init(
    rubric: Annotated[str | None, typer.Option("--rubric", "-r", help="Rubric for the project (default: found "
                                               "as for 'score').", show_default=False)] = None,
    exports: Annotated[str, typer.Option("--exports", help="Where exports land: a file or a glob.")] = "exports/*.csv",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing screener.toml.")] = False,
) -> None:
    """Write a commented screener.toml here and print the crontab line that runs it nightly."""
    with _errors():
        import shlex
        import shutil
        import sys

        from screener.app.config import STARTER_CONFIG, find_rubric
        from screener.core.errors import ConfigError
        from screener.data.write import atomic_write, make_private_folders

        target = Path("screener.toml")
        if target.exists() and not force:
            raise ConfigError(f"{target.resolve()} already exists; pass --force to overwrite it.")
        rubric_path, _how = find_rubric(rubric)
        import secrets

        text = STARTER_CONFIG.format(rubric=str(rubric_path).replace("\\", "/"), exports=exports,
                                     secret=secrets.token_hex(16))
        atomic_write(target, text.encode("utf-8"))
        make_private_folders(Path(exports).parent)
        make_private_folders(Path("out"))  # cron's log redirect needs the folder to exist
        exe = shutil.which("screener") or str(Path(sys.executable).parent / "screener")
        here = shlex.quote(str(Path.cwd().resolve()))
        cron = f"30 2 * * * cd {here} && {shlex.quote(exe)} run >> {here}/out/cron.log 2>&1"
        from screener import render

        render.note(_console(stderr=True), f"Wrote {target.resolve()}. Add this line with 'crontab -e' to run "
                    "screener every night at 02:30:", style="green")
        typer.echo(cron)


@app.command()
def status(
    applicant: Annotated[str, typer.Argument(help="Applicant id (as in the shortlist).", show_default=False)],
    decision: Annotated[str, typer.Argument(help="reviewed, advanced, declined or hold.", show_default=False)],
    note: Annotated[str, typer.Option("--note", help="Why, for the record.")] = "",
    config: ConfigOpt = None,
) -> None:
    """Record a person's decision on an applicant (screener itself never decides)."""
    with _errors():
        from screener.app.nightly import now_utc
        from screener.data.store import Store

        choices = ("reviewed", "advanced", "declined", "hold")
        if decision not in choices:
            raise UsageError(f"The decision should be one of {', '.join(choices)}, not '{decision}'.")
        project = _project(config)
        with Store(project.store, create=False) as store:
            if not store.has_entry(applicant):
                raise UsageError(f"No applicant with the id '{applicant}' in {project.store}.")
            when = now_utc()
            store.add_decision(applicant, decision, note, when)
        from screener import render

        render.note(_console(), f"Recorded: {applicant} {decision} at {when}.", style="green")


@app.command()
def adjust(
    applicant: Annotated[str, typer.Argument(help="Applicant id (as in the shortlist).", show_default=False)],
    points: Annotated[str, typer.Argument(help="Points to add or take away, e.g. +10 or -5 (on the 0-100 scale).",
                                          show_default=False)],
    note: Annotated[str, typer.Option("--note", help="Why (required): kept with who and when.",
                                      show_default=False)] = "",
    config: ConfigOpt = None,
) -> None:
    """Record a person's adjustment to an applicant's score; outputs show it beside the computed score."""
    with _errors():
        import getpass

        from screener.app.nightly import now_utc
        from screener.data import auditlog
        from screener.data.store import Store

        if not note.strip():
            raise UsageError("An adjustment needs a reason: add --note \"...\".")
        try:
            delta = float(points)
        except ValueError:
            raise UsageError(f"Points should be a number like +10 or -5, not '{points}'.") from None
        if not -100 <= delta <= 100 or delta != delta:
            raise UsageError("Points should be between -100 and +100.")
        project = _project(config)
        who = os.environ.get("SCREENER_USER") or getpass.getuser()
        with Store(project.store, create=False) as store:
            if not store.has_entry(applicant):
                raise UsageError(f"No applicant with the id '{applicant}' in {project.store}.")
            when = now_utc()
            store.add_adjustment(applicant, delta, note.strip(), who, when)
        auditlog.append(auditlog.default_path(project.store), {
            "ts": when, "command": "adjust", "applicant": applicant, "points": delta, "note": note.strip(),
            "who": who})
        from screener import render

        render.note(_console(), f"Recorded: {applicant} {delta:+g} points by {who} at {when}.", style="green")


@app.command()
def reveal(
    pseudonym: Annotated[str, typer.Argument(help="A pseudonymous id from a --blind output (P-XXXXXXXX).",
                                             show_default=False)],
    export: StoreExportArg = None,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Map a --blind pseudonym back to the applicant (for the person allowed to see it)."""
    with _errors():
        from screener import render
        from screener.app import views

        _rubric, table, _source = _ranked(export, rubric, encoding, config)
        row = table.iloc[views.reveal(table, pseudonym, _secret(config))]
        render.note(_console(), f"{pseudonym} is applicant {row['id']}: {row.get('name', '')} "
                    f"<{row.get('email', '')}>, rank {row['rank']}, score {float(row['score']):.1f}.", style="")


@app.command()
def duplicates(
    export: StoreExportArg = None,
    rubric: RubricOpt = None,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List applications grouped as the same person, and why each was grouped."""
    with _errors():
        from screener import render
        from screener.app import views

        _rubric, table, _source = _ranked(export, rubric, encoding, config)
        rows = []
        if len(table):
            grouped = table[table["duplicate_group"].astype(str) != ""]
            grouped = grouped.sort_values(["duplicate_group", "submitted_at", "id"], kind="stable")
            for group, members in grouped.groupby("duplicate_group", sort=True):
                for _, member in members.iterrows():
                    show = (lambda v: views.pseudonym(str(v), _secret(config))) if blind else str
                    rows.append({"group": show(group), "id": show(member["id"]), "primary": member["id"] == group,
                                 "name": "" if blind else member["name"], "email": "" if blind else member["email"],
                                 "submitted_at": member["submitted_at"], "score": float(member["score"]),
                                 "why": member["duplicate_why"]})
        render.duplicates(_console(), rows, blind=blind)


@app.command()
def audit(
    export: StoreExportArg = None,
    self_id: Annotated[Path, typer.Option("--self-id", help="Self-identification file: an id column plus "
                                          "category columns (sex, race_ethnicity, age_band...). Never read by "
                                          "scoring.", show_default=False)] = ...,  # type: ignore[assignment]
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="The shortlist cut audited (default 50).",
                                            show_default=False)] = None,
    min_score: Annotated[float | None, typer.Option("--min-score", min=0, max=100, show_default=False,
                                                    help="Audit the cut at this score instead.")] = None,
    include_knockouts: Annotated[bool, typer.Option("--include-knockouts")] = False,
    include_late: Annotated[bool, typer.Option("--include-late")] = False,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="table, csv, json, jsonl, md or xlsx.",
                                               show_default=False)] = None,
    output: OutputOpt = None,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Adverse-impact report: selection and scoring rates per group and intersection, impact ratios."""
    with _errors():
        from screener import render
        from screener.app import audit as audit_mod
        from screener.app import views

        if top is None and min_score is None:
            top = 50
        _rubric, table, _source = _ranked(export, rubric, encoding, config)
        chosen, _left = views.shortlist_split(table, top=top, min_score=min_score,
                                              include_knockouts=include_knockouts, include_late=include_late)
        scores = table[["id", "score"]].assign(selected=table["id"].isin(set(chosen["id"])))
        groups, categories = audit_mod.read_self_id(self_id)
        result = audit_mod.impact_table(scores, groups, categories)
        cut = f"top {top}" if top is not None else ""
        cut += (" and " if cut and min_score is not None else "") + (f"score ≥ {min_score:g}" if min_score else "")
        kind, dest = _resolve_format(fmt, output, "table")
        if kind != "table":
            _write(result, kind, dest or "-", title=f"Adverse-impact audit ({cut})")
            return
        render.audit(_console(), result.to_dict("records"), cut=cut, median=result.attrs["median"],
                     audited=result.attrs["audited"], unmatched=result.attrs["unmatched"],
                     minimum=audit_mod.MIN_GROUP)


class NoticeFormat(StrEnum):
    md = "md"
    text = "text"


@app.command()
def notice(
    contact: Annotated[str, typer.Option("--contact", help="Where applicants ask for a human review "
                                         "(an email address or a web page).", show_default=False)] = ...,  # type: ignore[assignment]
    rubric: RubricOpt = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f", help="md or text.")] = NoticeFormat.md,
    retention_days: Annotated[int, typer.Option("--retention-days", min=1, help="How long data is kept.")] = 180,
    output: OutputOpt = None,
) -> None:
    """Write the plain-language notice applicants receive about this screening."""
    with _errors():
        from screener.app.notice import notice_markdown, notice_text
        from screener.data.write import write_bytes

        rubric_obj = _load_rubric(rubric)
        text = notice_markdown(rubric_obj, contact=contact, retention_days=retention_days)
        if fmt == NoticeFormat.text:
            text = notice_text(text)
        write_bytes(text.encode("utf-8"), output or "-")


@app.command()
def compare(
    items: Annotated[list[str], typer.Argument(help="[EXPORT] then 2 to 5 applicant ids, emails or row numbers. "
                                               "Without an export, the project's store.", show_default=False)],
    rubric: RubricOpt = None,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Show 2-5 applicants side by side, criterion by criterion, with the evidence."""
    with _errors():
        from screener import render
        from screener.app import views

        export = Path(items[0]) if items and Path(items[0]).is_file() else None
        keys = items[1:] if export is not None else items
        if not 2 <= len(keys) <= 5:
            raise UsageError(f"Compare 2 to 5 applicants; {len(keys)} given.")
        rubric_obj, table, _source = _ranked(export, rubric, encoding, config)
        positions = [_find(table, key, config) for key in keys]
        columns = views.comparison(table, rubric_obj, positions, blind=blind)
        if blind:
            for col in columns:
                col["header"]["id"] = views.pseudonym(col["header"]["id"], _secret(config))
        render.compare(_console(), columns, rubric_obj)


@app.command("log")
def log_command(
    show: Annotated[int | None, typer.Option("--show", help="Print record N (1 = oldest) in full, as JSON.",
                                             show_default=False)] = None,
    prune: Annotated[int | None, typer.Option("--prune", min=1, help="Delete records older than this many days "
                                              "(the retention period; 180 is the default policy).",
                                              show_default=False)] = None,
    path: Annotated[Path | None, typer.Option("--path", help="The audit log file (default: beside the project's "
                                              "store, else the user data folder).", show_default=False)] = None,
) -> None:
    """Show the audit log: every score, shortlist and run, with rubric and input hashes."""
    with _errors():
        import json

        from screener import render
        from screener.data import auditlog

        log_path = path or auditlog.default_path(_project_store())
        if prune is not None:
            kept, removed = auditlog.prune(log_path, prune)
            render.note(_console(stderr=True), f"Removed {removed} records older than {prune} days from {log_path}; "
                        f"{kept} kept.", style="green")
            return
        entries = auditlog.read(log_path)
        if show is not None:
            if not 1 <= show <= len(entries):
                raise UsageError(f"The audit log {log_path} has {len(entries)} records; --show takes 1 to "
                                 f"{len(entries)}.")
            typer.echo(json.dumps(entries[show - 1], ensure_ascii=False, indent=2))
            return
        render.audit_log(_console(), entries, str(log_path))


@app.command()
def report(
    export: StoreExportArg = None,
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write.")] = "report.html",
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Shortlist size shown.")] = 50,
    self_id: Annotated[Path | None, typer.Option("--self-id", help="Self-identification file for the "
                                                 "adverse-impact summary.", show_default=False)] = None,
    include_knockouts: Annotated[bool, typer.Option("--include-knockouts")] = False,
    include_late: Annotated[bool, typer.Option("--include-late")] = False,
    blind: BlindOpt = False,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write one self-contained HTML report: distribution, shortlist with evidence, knockouts, duplicates."""
    with _errors():
        from screener import render
        from screener.app import views
        from screener.app.report import render_report
        from screener.data.write import write_bytes

        rubric_obj, table, source = _ranked(export, rubric, encoding, config)
        chosen, left = views.shortlist_split(table, top=top, min_score=None, include_knockouts=include_knockouts,
                                             include_late=include_late)
        impact = None
        if self_id is not None:
            from screener.app import audit as audit_mod

            groups, categories = audit_mod.read_self_id(self_id)
            scores = table[["id", "score"]].assign(selected=table["id"].isin(set(chosen["id"])))
            impact = audit_mod.impact_table(scores, groups, categories)
        shown = views.pseudonymize(views.blind_table(table), _secret(config)) if blind else table
        if blind:
            chosen = views.pseudonymize(chosen, _secret(config))
        html = render_report(shown, rubric_obj, top=top, shortlist_ids=[str(i) for i in chosen["id"]], left=left,
                             source=source, audit=impact, blind=blind)
        write_bytes(html.encode("utf-8"), output)
        if output != "-":
            render.note(_console(stderr=True), f"Wrote {output}.", style="green")


@rubric_app.command("validate")
def rubric_validate(
    path: Annotated[str | None, typer.Argument(help="Rubric YAML (default: found as for 'score').",
                                               show_default=False)] = None,
) -> None:
    """Check a rubric and list every problem at once, each as file:line: what is wrong."""
    with _errors():
        from screener import render
        from screener.core.scoring import max_points

        rubric_obj = _load_rubric(path)
        scale = max_points(rubric_obj)
        facts = [
            ("rubric", f"{rubric_obj.name} — {rubric_obj.title}"),
            ("file", rubric_obj.path),
            ("sha256", rubric_obj.sha256),
            ("criteria", f"{len(rubric_obj.criteria)} ({sum(c.must for c in rubric_obj.criteria)} must-haves)"),
            ("deadline", rubric_obj.deadline.describe() if rubric_obj.deadline else "none"),
        ]
        rows = [(c.id, c.kind, c.group or "—", f"{scale[c.id]:.1f}", "yes" if c.must else "", c.label)
                for c in rubric_obj.criteria]
        out = _console()
        render.rubric_report(out, facts, rows)
        render.note(out, f"OK: {rubric_obj.path} is a valid rubric.", style="green")


def main() -> None:
    """Entry point of the ``screener`` command."""
    # Let `screener score ... | head` end quietly instead of raising BrokenPipeError.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="screener")
