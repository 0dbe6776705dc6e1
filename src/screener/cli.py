"""The command line: parse, call the library, render. The only module importing typer.

Heavy libraries (pandas, numpy, rapidfuzz) are imported inside the commands so that
``screener --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from typer.core import TyperGroup

from screener import __version__
from screener.core.errors import (
    EXIT_BUG,
    EXIT_NOTHING_NEW,
    EXIT_PARTIAL,
    RubricError,
    ScreenerError,
    UsageError,
    WriteFailedError,
)

if TYPE_CHECKING:
    import pandas as pd

    from screener.app.pipeline import Progress, Tell
    from screener.render import Console

# -h is --help on every command (click's contexts hand it down from the group).
_HELP = {"help_option_names": ["-h", "--help"]}


class _Group(TyperGroup):
    """The top command group; ``--no-color`` and ``--debug`` belong to it, but a user writes them
    anywhere (``screener score x.csv --no-color``): they are moved before the command's name."""

    GLOBAL_FLAGS = ("--no-color", "--debug")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context
        end = args.index("--") if "--" in args else len(args)
        head = args[:end]
        flags = [a for a in head if a in self.GLOBAL_FLAGS]
        if flags and head[: len(flags)] != flags:
            args = [*flags, *(a for a in head if a not in self.GLOBAL_FLAGS), *args[end:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as err:
            err.message = _plain_words(err.message)
            raise


_WORDINGS = (  # the type checker's (pydantic's) phrasing, as a person would say it (compiled when needed)
    (r"^Value error, (.+) is not one of ((?:'[^']*'(?:, )?)+)\.$",  # the value as repr() wrote it
     lambda m: f"{m[1]} is not one of " + _either([c.strip("'") for c in m[2].split(", ")]) + "."),
    (r"^Input should be a valid integer.*$", lambda m: "it should be a whole number."),
    (r"^Input should be a valid number.*$", lambda m: "it should be a number."),
    (r"^Input should be greater than or equal to (\S+)$", lambda m: f"it should be {m[1]} or more."),
    (r"^Input should be less than or equal to (\S+)$", lambda m: f"it should be {m[1]} or less."),
    (r"^Input should be greater than (\S+)$", lambda m: f"it should be more than {m[1]}."),
    (r"^Input should be less than (\S+)$", lambda m: f"it should be less than {m[1]}."),
    (r"^Value error, (.*)$", lambda m: m[1]),
)


def _either(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]


def _plain_words(message: str) -> str:
    for pattern, say in _WORDINGS:
        found = re.match(pattern, message, re.S)
        if found:
            return say(found)
    return message


app = typer.Typer(
    cls=_Group,
    name="screener",
    help="Screen job applications exported from online forms: score them against a rubric, "
    "rank, explain and shortlist. screener ranks for human review; it never rejects anyone.",
    no_args_is_help=True,
    add_completion=True,
    # A crash must never print applicant data: no pretty tracebacks with local variables.
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=_HELP,
)
rubric_app = typer.Typer(help="List and check rubric files, or draft one from a job posting.", no_args_is_help=True,
                         rich_markup_mode=None, context_settings=_HELP)
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
ExportTimezoneOpt = Annotated[
    str | None,
    typer.Option("--export-timezone", help="Time zone of export times written without one (e.g. "
                 "Europe/Berlin). Default: as the form provider writes them, else the rubric's deadline zone.",
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
    typer.Option("--rejected", help="Also write the rows that could not be read (line, id, name, email, reason, raw "
                 "text) to this CSV file.", show_default=False),
]


StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="Stop with exit 1, before writing anything, when a must-have's columns are "
                 "missing from the export (everyone would be 'unknown' on it)."),
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


def _console(stderr: bool = False) -> Console:
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
    except BrokenPipeError:
        # Standard output closed early (`screener ... | head`) while SIGPIPE was ignored (a helper
        # process was running): end quietly with the status a shell gives a process SIGPIPE ends
        # (128 + 13). Not by raising SIGPIPE: the interpreter must end normally, or the helper's
        # semaphores are reported as leaked on stderr. Standard output is pointed at /dev/null
        # first, so that flushing it at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise typer.Exit(128 + getattr(signal, "SIGPIPE", 13)) from None
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


# Errors writing standard output that come from outside screener (a full disk, /dev/full).
_STDOUT_ERRNOS = {28, 5, 122, 27, 30}  # ENOSPC, EIO, EDQUOT, EFBIG, EROFS


@contextmanager
def _stdout_faults(done: str = "") -> Iterator[None]:
    """Standard output that cannot be written (a redirect to a full disk, /dev/full): one
    sentence saying what was done anyway, exit 74, never a bug. Flushed here, not at exit."""

    def fail(err: OSError) -> None:
        if isinstance(err, BrokenPipeError) or err.errno not in _STDOUT_ERRNOS:
            raise err
        from screener.data.store import reason

        devnull = os.open(os.devnull, os.O_WRONLY)  # the interpreter's own flush at exit must not fail again
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise WriteFailedError(f"Cannot write to standard output: {reason(err)}." + (f" {done}" if done else ""))

    try:
        yield
    except typer.Exit:
        try:
            sys.stdout.flush()
        except OSError as err:
            fail(err)
        raise
    except OSError as err:
        fail(err)
    try:
        sys.stdout.flush()
    except OSError as err:
        fail(err)


def _waiting_note() -> Callable[[str], None]:
    """A sentence on stderr while a command waits for the store."""
    from screener import render

    err = _console(stderr=True)
    return lambda sentence: render.note(err, sentence, style="yellow")


_STYLES = {"note": "dim", "warning": "yellow", "alarm": "bold red", "done": "green"}


def _tell() -> Tell:
    """Sentences from the library for the person: on stderr, styled by kind."""
    from screener import render

    err = _console(stderr=True)
    return lambda sentence, kind: render.note(err, sentence, style=_STYLES.get(kind, "yellow"))


def _progress() -> Progress:
    """A transient progress line on stderr, on a terminal only: reading a large export, then
    scoring it criterion by criterion."""
    from screener import render

    err = _console(stderr=True)
    return lambda steps, label, show: render.progress(err, steps, label, show)


def _resolve_format(fmt: Format | None, output: str | None, default: str) -> tuple[str, str | None]:
    from screener.data.write import format_for

    if output is None:
        return (fmt.value if fmt else default), None
    if fmt is None:
        return format_for(output, "csv" if default == "table" else default), output
    if fmt == Format.table:
        raise UsageError("--format table prints to the terminal; choose csv, json, jsonl, md or xlsx with --output.")
    return fmt.value, output


@contextmanager
def _folder_noted(dest: str) -> Iterator[None]:
    """Around a write to ``dest``: say so on stderr when it created the folder (a typo in ``-o``
    should not pass unseen)."""
    missing = None if dest == "-" or Path(dest).parent.exists() else Path(dest).parent
    yield
    if missing is not None and missing.is_dir():
        from screener import render

        render.note(_console(stderr=True), f"Created the folder {missing} for {dest}: it did not exist.", style="")


def _write(frame: pd.DataFrame, fmt: str, dest: str, title: str = "") -> None:
    """Write ``frame`` as ``fmt`` to ``dest`` ("-": stdout, escaped when it is a terminal); a
    note on stderr counts the cells whose NUL (or, in XLSX, other control) is written as ␀."""
    from screener.data.write import marked_cells, render_chunks, write_bytes

    # CSV counts its NULs while it renders (the whole text is not read twice); XLSX beforehand.
    marks = [marked_cells(frame, fmt) if fmt != "csv" else 0]
    with _folder_noted(dest):
        write_bytes(render_chunks(frame, fmt, to_stdout=dest == "-", title=title, marks=marks), dest)
    marked = marks[0]
    if marked:
        from screener import render

        what = "a NUL byte" if fmt == "csv" else "a NUL or another control character XLSX cannot hold"
        render.note(_console(stderr=True), f"{marked} cell(s) held {what}, written as a control picture "
                    "(NUL as \u2400): spreadsheets cut the text at a NUL.", style="")


def _write_rejected(report: Any, path: str | None, blind: bool = False, rubric: Any = None) -> None:
    if path is None or report is None:
        return
    from screener.app.views import rejected_table

    _write(rejected_table(report, blind=blind, rubric=rubric), "csv", path)


def _records_note(report: Any) -> None:
    """'N records: S scored (R recovered), X unreadable' on stderr (outputs own stdout)."""
    if report is not None:
        from screener import render
        from screener.app.pipeline import records_line

        render.note(_console(stderr=True), records_line(report) + ".", style="")


def _secret(config: str | None = None) -> str:
    from screener.app.config import blind_secret

    return blind_secret(config)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))  # the columns are named by strings


@app.command()
def score(
    export: Annotated[Path | None, typer.Argument(help="The export: CSV, JSON, JSON Lines or XLSX. Without it, the "
                                                  "project's store, with people's adjustments and decisions.",
                                                  show_default=False)] = None,
    rubric: RubricOpt = None,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="table (terminal), csv, json, jsonl, md "
                                               "or xlsx.", show_default=False)] = None,
    output: OutputOpt = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many applicants the terminal table shows.")] = 25,
    show_all: Annotated[bool, typer.Option("--all", help="Show every applicant in the terminal table.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Show every column of the terminal table, text wrapping "
                                       "(default: one line per applicant fitted to the terminal).")] = False,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    export_timezone: ExportTimezoneOpt = None,
    rejected: RejectedOpt = None,
    strict: StrictOpt = False,
    config: Annotated[str | None, typer.Option("--config", "-c", help="Project config, when there is no export "
                                               "(default: screener.toml or screener.yaml here).",
                                               show_default=False)] = None,
) -> None:
    """Score every applicant against the rubric and print a ranked table (or write a file);
    without an export, the ranking in the project's store, as people adjusted it."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        kind, dest = _resolve_format(fmt, output, "table")
        if export is None:
            from screener.app.config import find_config

            if config is None and find_config(Path.cwd()) is None:
                raise UsageError("Give the export to score: screener score applicants.csv (without one, score "
                                 "shows a project's store, and there is no screener.toml here).")
            if rubric or encoding or rejected or strict:
                raise UsageError("--rubric, --encoding, --rejected and --strict read an export; give it, or leave "
                                 "them out to see the project's store.")
            screening = pipeline.ranked(None, config=config, export_timezone=export_timezone)
        else:
            screening = pipeline.screen(export, rubric, encoding=encoding, export_timezone=export_timezone,
                                        tell=_tell(), progress=_progress(), audit="score",
                                        rejected_hint=rejected is None,
                                        stream_to=(dest or "-") if kind == "csv" else None,
                                        blind_secret=_secret(config) if blind and kind == "csv" else None,
                                        strict=strict)
        _write_rejected(screening.report, rejected, blind=blind, rubric=screening.rubric)
        if screening.streamed_to is not None:  # written already, and said so
            _records_note(screening.report)
            return
        table = views.blind_table(screening.table) if blind else screening.table
        if blind:
            table = views.pseudonymize(table, _secret(config))
        if kind != "table":
            _write(table, kind, dest or "-", title=f"{screening.rubric.title}: all applicants")
            if dest and dest != "-":
                render.note(_console(stderr=True), f"Wrote {len(table)} applicants to {dest}.", style="green")
            _records_note(screening.report)
            return
        shown = table if show_all else table.head(top)
        caption = "" if show_all or len(table) <= top else f"top {top} of {len(table)}; --all or --top N for more"
        out = _console()
        render.ranking(out, _records(shown), blind=blind, title=screening.rubric.title, caption=caption, wide=wide)
        from screener.core.scoring import table_summary

        render.summary_line(out, table_summary(screening.table),
                            extra=f"rubric {screening.rubric.name} {screening.rubric.short_hash}")
        if screening.report is not None:
            render.note(out, pipeline.records_line(screening.report), style="")


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
    top: Annotated[int | None, typer.Option("--top", "-n", min=1, help="Keep the best N. From the store, without "
                                            "--top or --min-score: the cut of the project's nightly run.",
                                            show_default=False)] = None,
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
    export_timezone: ExportTimezoneOpt = None,
    strict: StrictOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Write the best N (or everyone above a score) to a file, and everyone else with the reason."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        if top is None and min_score is None and export is not None:
            raise UsageError(pipeline.NEED_CUT)
        if fmt == Format.table:
            raise UsageError("A shortlist is a file: choose --format csv, json, jsonl, md or xlsx.")
        if export is not None and (new or since or exclude_decided):
            raise UsageError(pipeline.STORE_ONLY)
        if export is None and output is None:
            from screener.app.config import load_config

            project = load_config(config)
            output = str(project.output / ("shortlist." + (fmt.value if fmt else project.format)))
        kind, dest = _resolve_format(fmt, output or "shortlist.csv", "csv")
        assert dest is not None
        cut = pipeline.shortlist(export, top=top, min_score=min_score, rubric=rubric, encoding=encoding,
                                 export_timezone=export_timezone,
                                 config=config, include_knockouts=include_knockouts, include_late=include_late,
                                 new=new, since=since, exclude_decided=exclude_decided, blind=blind, tell=_tell(),
                                 progress=_progress(), strict=strict)
        if left_out is None:  # beside the shortlist; beside nothing when it goes to stdout: here
            left_out = _companion("shortlist." + kind if dest == "-" else dest, kind)
        if left_out == "-" and dest == "-":
            raise UsageError("The shortlist and the left-out list cannot both go to standard output; give "
                             "--left-out FILE (or -o FILE).")
        _write(cut.chosen, kind, dest, title=f"{cut.title}: shortlist")
        from screener.data.write import format_for

        left_kind = kind if left_out == "-" else format_for(left_out, kind)
        _write(cut.left, left_kind, left_out, title=f"{cut.title}: left out of the shortlist")
        why = views.reason_counts(cut.left) if len(cut.left) else ""
        def named(path: str) -> str:
            return "standard output" if path == "-" else path

        render.note(_console(stderr=True), f"Shortlisted {len(cut.chosen)} of {len(cut.chosen) + len(cut.left)} into "
                    f"{named(dest)}; {len(cut.left)} left out, listed with the reason in {named(left_out)}"
                    + (f" ({why})." if why else "."), style="green")
        _records_note(cut.report)


def _companion(dest: str, kind: str) -> str:
    path = Path(dest)
    return str(path.with_name(path.stem + "-left-out" + (path.suffix or "." + kind)))


@app.command()
def explain(
    items: Annotated[list[str], typer.Argument(help="[EXPORT] then the applicant's id, email or row number. "
                                               "Without an export, the project's store.", show_default=False)],
    rubric: RubricOpt = None,
    wide: Annotated[bool, typer.Option("--wide", help="Show every rule whole (default: shortened to one line "
                                       "ending in '…').")] = False,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Why an applicant got their score: every criterion, the rule, the answer read, the points
    (from the project's store: with a person's adjustment and decision)."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        if len(items) not in (1, 2):
            raise UsageError(f"Give the export and one applicant (or one applicant, from the store); {len(items)} "
                             "arguments given.")
        if len(items) == 1:
            if rubric or encoding or export_timezone:
                raise UsageError("--rubric, --encoding and --export-timezone read an export; give it too.")
            result = pipeline.stored_explanation(items[0], config=config, secret=lambda: _secret(config))
            versions = {}
        else:
            screening = pipeline.screen(Path(items[0]), rubric, encoding=encoding, export_timezone=export_timezone,
                                        tell=_tell(), progress=_progress())
            assert screening.result is not None
            result, versions = screening.result, screening.versions
        header, criteria = views.explain(result, items[-1], blind=blind, secret=lambda: _secret(config),
                                         versions=versions)
        render.explain(_console(), header, criteria, blind=blind, wide=wide)


@app.command()
def inspect(
    export: ExportArg,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
    export_timezone: ExportTimezoneOpt = None,
) -> None:
    """Show what screener reads in an export: format, encoding, columns, and the rubric's mapping."""
    with _errors():
        from screener import render
        from screener.app import pipeline

        found = pipeline.inspect(export, rubric, encoding=encoding, export_timezone=export_timezone, tell=_tell())
        render.inspect(_console(), found.facts, found.columns, found.mapping, found.rejected)


@app.command("run")
def run_command(
    config: ConfigOpt = None,
    export: Annotated[Path | None, typer.Option("--export", help="Ingest this export instead of the newest "
                                                "match of the config's 'exports'.", show_default=False)] = None,
    strict: StrictOpt = False,
    new_store: Annotated[bool, typer.Option("--new-store", help="Start a new store in place of an empty "
                                            "(0-byte) one; without it an empty store is refused.")] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print the time and peak memory of each phase "
                                          "on standard error.")] = False,
) -> None:
    """The nightly job: ingest the newest export, score what is new or changed, write the shortlist.

    Exit codes: 0 done, 3 done but some rows could not be read, 4 nothing new, 75 another run
    holds the lock, 1 bad input or config, 65 damaged or empty store, 74 a file could not be
    written (what was saved is said), 77 a planted link refused."""
    with _errors(), _stdout_faults("The run itself finished; 'screener log' and out/screener.log show it."):
        from screener import render
        from screener.app import nightly, replies

        report = nightly.run_project(config, export, strict=strict, new_store=new_store)
        out = _console()
        lines = [
            f"run {report.run_id}: {report.outcome} — {report.export}",
            f"{report.rows} rows; {report.new} new, {report.changed} changed, {report.scored} scored"
            + (" (rubric changed or first run: everyone)" if report.rescored_all else "")
            + (f"; {report.rejected} could not be read (listed in the left-out file)" if report.rejected else ""),
        ]
        if report.outcome != "nothing new":
            lines.append(f"{report.rows + report.rejected} records: {report.rows} read ({report.recovered} "
                         f"recovered), {report.rejected} unreadable")
        if report.outputs:
            lines.append(f"shortlist: {report.shortlisted} in {report.outputs[0]}; entered: "
                         f"{', '.join(report.entered) or 'nobody'}; left: {', '.join(report.left) or 'nobody'}")
            lines.append(f"left out: {report.left_out} (in the store; 'screener shortlist' writes them, with why, "
                         "to the left-out file)")
            lines += [f"unreadable rows: listed in {path}" for path in report.outputs[1:]]
        lines += [f"removed {path}: it was from an earlier run" for path in report.removed]
        lines += [*report.notes, report.replies or replies.nightly_line(config)]  # the replies owed and overdue
        if timings:
            err = _console(stderr=True)
            for line in report.timings.lines():
                render.note(err, line)
        for line in lines:
            render.note(out, line, style="bold red" if line.startswith("WARNING") else "")
        if report.problem:  # saved, but the audit log or the run log could not be written
            raise WriteFailedError(report.problem)
        code = {"partial": EXIT_PARTIAL, "nothing new": EXIT_NOTHING_NEW}.get(report.outcome, 0)
        if code:
            raise typer.Exit(code)


@app.command()
def init(
    rubric: Annotated[str | None, typer.Option("--rubric", "-r", help="Rubric for the project (default: found "
                                               "as for 'score').", show_default=False)] = None,
    template: Annotated[str | None, typer.Option("--template", "-t", help="Start from a bundled rubric (see "
                                                 "'screener rubric list'): copied into ./rubrics and named in "
                                                 "screener.toml.", show_default=False)] = None,
    from_posting: Annotated[Path | None, typer.Option("--from-posting", help="Start from a rubric drafted from "
                                                      "this job posting (as 'rubric draft' does; mapped onto the "
                                                      "newest export already in --exports).",
                                                      show_default=False)] = None,
    exports: Annotated[str, typer.Option("--exports", help="Where exports land: a file or a glob.")] = "exports/*.csv",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing screener.toml (and the rubric "
                                        "file --template writes).")] = False,
) -> None:
    """Write a commented screener.toml here (with --template, a bundled rubric too) and print the
    crontab line that runs it nightly."""
    with _errors(), _stdout_faults("screener.toml was written; run 'screener init --force' to print the "
                                   "crontab line again."):
        import shutil

        from screener import render
        from screener.app.config import init_project, template_rubric
        from screener.app.drafting import posting_rubric

        if template is not None and from_posting is not None:
            raise UsageError("Give either --template or --from-posting, not both.")
        exe = shutil.which("screener") or str(Path(sys.executable).parent / "screener")
        # A starting rubric written into the project: a bundled template or a draft from the posting.
        starter = (template_rubric(template) if template is not None
                   else posting_rubric(from_posting, exports) if from_posting is not None else None)
        made = init_project(rubric, exports, starter=starter, force=force, executable=exe)
        from screener.app.replies import write_default_templates

        write_default_templates(made.config.parent / "templates")  # the replies to applicants; edited ones kept
        wrote = f"Wrote {made.rubric} ({starter.origin}) and {made.config}" if starter else f"Wrote {made.config}"
        wrote += " (reply templates to edit in templates/)"
        render.note(_console(stderr=True), f"{wrote}. Add this line with 'crontab -e' to run "
                    "screener every night at 02:30:", style="green")
        typer.echo(made.cron)


@app.command()
def status(
    applicant: Annotated[str | None, typer.Argument(help="Applicant id (as in the shortlist). Without it: the "
                                                    "replies owed, oldest first.", show_default=False)] = None,
    decision: Annotated[str | None, typer.Argument(help="reviewed, advanced, declined or hold.",
                                                   show_default=False)] = None,
    note: Annotated[str, typer.Option("--note", help="Why, for the record.")] = "",
    replied: Annotated[bool, typer.Option("--replied", help="Record that the applicant was answered (for their "
                                          "latest decision).")] = False,
    config: ConfigOpt = None,
) -> None:
    """Record a person's decision on an applicant (screener itself never decides). While a nightly
    run writes the store, it waits (and says so) rather than lose the decision. Without arguments:
    the replies owed to applicants and how many are overdue."""
    if applicant is None or decision is None or replied:  # the replies owed, or one recorded as sent
        return _reply_status(applicant, decision, replied, config)
    with _errors(), _stdout_faults("The decision itself was recorded."):
        from screener import render
        from screener.app.records import record_decision

        done = record_decision(applicant, decision, note, config=config, tell=_waiting_note())
        render.note(_console(), f"Recorded: {applicant} {decision} at {done.when}.", style="green")
        if done.problem:
            raise WriteFailedError(done.problem)


def _reply_status(applicant: str | None, decision: str | None, replied: bool, config: str | None) -> None:
    """``status`` without a decision: the replies owed (no applicant) or one recorded as sent (--replied)."""
    with _errors(), _stdout_faults("The reply itself was recorded." if replied else ""):
        from screener import render
        from screener.app import replies

        if applicant is None or not replied or decision is not None:
            if applicant is not None or replied:
                raise UsageError("Give an applicant and a decision (screener status 142 advanced), an applicant "
                                 "and --replied, or nothing to see the replies owed.")
            out = _console()
            for line in replies.status_lines(replies.project_owed(config)):
                render.note(out, line, style="")
            return
        done = replies.mark_replied(applicant, config=config, tell=_waiting_note())
        render.note(_console(), f"Recorded: {applicant} replied at {done.when} by {done.who}.", style="green")
        if done.problem:
            raise WriteFailedError(done.problem)


class ReplyFormat(StrEnum):
    csv = "csv"
    eml = "eml"
    mbox = "mbox"


class ReplyDecision(StrEnum):
    advanced = "advanced"
    declined = "declined"
    hold = "hold"


@app.command()
def reply(
    decision: Annotated[ReplyDecision | None, typer.Option("--decision", "-d", help="Only replies to this decision: "
                                                           "advanced, declined or hold.", show_default=False)] = None,
    fmt: Annotated[ReplyFormat, typer.Option("--format", "-f", help="csv (mail merge: email, subject, body), eml "
                                             "(one file per applicant) or mbox (one file to import).",
                                             )] = ReplyFormat.csv,
    output: Annotated[str | None, typer.Option("--output", "-o", help="The folder to write into. Default: "
                                               "replies/ in the project's output folder.", show_default=False)] = None,
    mark_sent: Annotated[bool, typer.Option("--mark-sent", help="Record the replies the last 'screener reply' "
                                            "wrote as sent (in the store and the audit log); write nothing.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Write the replies still owed to applicants from the reply templates, for a person to send
    (screener never sends mail); --mark-sent records them as sent. Exit 1: a template or setting
    cannot be used (file:line), 2: a bad option."""
    with _errors(), _stdout_faults("The replies themselves were written or recorded."):
        from screener import render
        from screener.app import replies

        chosen = decision.value if decision is not None else None
        err = _console(stderr=True)
        if mark_sent:
            done = replies.mark_sent(config=config, decision=chosen, tell=_waiting_note())
            render.note(err, f"Replies recorded as sent: {len(done.entries)}, at {done.when} by {done.who}"
                        + (f"; {done.not_written} owed were not in the last batch written: run 'screener reply' "
                           "for them." if done.not_written else "."), style="green")
            if done.problem:
                raise WriteFailedError(done.problem)
            return
        written = replies.write_replies(config=config, decision=chosen, fmt=fmt.value, folder=output,
                                        tell=lambda sentence: render.note(err, sentence, style="yellow"))
        where = written.files[0].parent if written.files else output
        render.note(err, f"Replies written: {written.replies} ({fmt.value}) into {where}; set apart: "
                    f"{written.set_apart} (test entries, no usable e-mail), listed in {written.set_apart_file}"
                    f"{written.removed_note()}. Nothing was sent: send them, then run 'screener reply --mark-sent'.",
                    style="green")


# "-5" is a number here, not an option: click would otherwise reject it as an unknown option
# ("No such option: -5"), and `adjust 577 -5 --note ...` is how the README writes it.
@app.command(context_settings={**_HELP, "ignore_unknown_options": True})
def adjust(
    applicant: Annotated[str, typer.Argument(help="Applicant id (as in the shortlist).", show_default=False)],
    points: Annotated[str, typer.Argument(help="Points to add or take away, e.g. +10 or -5 (on the 0-100 scale).",
                                          show_default=False)],
    note: Annotated[str, typer.Option("--note", help="Why (required): kept with who and when.",
                                      show_default=False)] = "",
    config: ConfigOpt = None,
) -> None:
    """Record a person's adjustment to an applicant's score; outputs show it beside the computed score."""
    with _errors(), _stdout_faults("The adjustment itself was recorded."):
        from screener import render
        from screener.app.records import record_adjustment

        if points.startswith("--"):  # an option mistyped, taken for the points by ignore_unknown_options
            raise UsageError(f"No such option: {points}. The options are --note and --config.")
        done = record_adjustment(applicant, points, note, config=config, tell=_waiting_note())
        render.note(_console(), f"Recorded: {applicant} {done.points:+g} points by {done.who} at {done.when}.",
                    style="green")
        if done.problem:
            raise WriteFailedError(done.problem)


@app.command()
def reveal(
    pseudonym: Annotated[str, typer.Argument(help="A pseudonymous id from a --blind output (P-XXXXXXXX).",
                                             show_default=False)],
    export: StoreExportArg = None,
    rubric: RubricOpt = None,
    encoding: EncodingOpt = None,
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Map a --blind pseudonym back to the applicant (for the person allowed to see it)."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        table = pipeline.ranked(export, rubric, encoding=encoding, export_timezone=export_timezone, config=config,
                                tell=_tell()).table
        row = table.iloc[views.reveal(table, pseudonym, _secret(config))]
        render.note(_console(), f"{pseudonym} is applicant {row['id']}: {row.get('name', '')} "
                    f"<{row.get('email', '')}>, rank {row['rank']}, score {float(row['score']):.1f}.", style="")


@app.command()
def duplicates(
    export: StoreExportArg = None,
    rubric: RubricOpt = None,
    blind: BlindOpt = False,
    encoding: EncodingOpt = None,
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List applications grouped as the same person, and why each was grouped."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        table = pipeline.ranked(export, rubric, encoding=encoding, export_timezone=export_timezone, config=config,
                                tell=_tell(), progress=_progress()).table
        render.duplicates(_console(), views.duplicate_rows(table, _secret(config) if blind else None), blind=blind)


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
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Adverse-impact report: selection and scoring rates per group and intersection, impact ratios."""
    with _errors():
        from screener import render
        from screener.app import audit as audit_mod
        from screener.app import pipeline

        table = pipeline.ranked(export, rubric, encoding=encoding, export_timezone=export_timezone, config=config,
                                tell=_tell()).table
        result, cut = audit_mod.audit_cut(table, self_id, top=top, min_score=min_score,
                                          include_knockouts=include_knockouts, include_late=include_late)
        kind, dest = _resolve_format(fmt, output, "table")
        if kind != "table":
            _write(result, kind, dest or "-", title=f"Adverse-impact audit ({cut})")
            return
        render.audit(_console(), _records(result), cut=cut, median=result.attrs["median"],
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
        from screener.app.pipeline import load_rubric
        from screener.data.write import write_bytes

        text = notice_markdown(load_rubric(rubric, _tell()), contact=contact, retention_days=retention_days)
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
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Show 2-5 applicants side by side, criterion by criterion, with the evidence."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        export = Path(items[0]) if items and Path(items[0]).is_file() else None
        keys = items[1:] if export is not None else items
        if not 2 <= len(keys) <= 5:
            raise UsageError(f"Compare 2 to 5 applicants; {len(keys)} given.")
        screening = pipeline.ranked(export, rubric, encoding=encoding, export_timezone=export_timezone,
                                    config=config, tell=_tell(), progress=_progress())
        columns = views.compare(screening.table, screening.rubric, keys, blind=blind, secret=lambda: _secret(config))
        render.compare(_console(), columns, screening.rubric)


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
    with _errors(), _stdout_faults():
        import json

        from screener import render
        from screener.app import records

        log_path = records.log_path(path)
        if prune is not None:
            kept, removed = records.prune_log(log_path, prune)
            render.note(_console(stderr=True), f"Removed {removed} records older than {prune} days from {log_path}; "
                        f"{kept} kept.", style="green")
            return
        entries = records.log_entries(log_path)
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
    export_timezone: ExportTimezoneOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write one self-contained HTML report: distribution, shortlist with evidence, knockouts, duplicates."""
    with _errors():
        from screener import render
        from screener.app import pipeline, replies
        from screener.app.report import build_report
        from screener.data.write import write_bytes

        screening = pipeline.ranked(export, rubric, encoding=encoding, export_timezone=export_timezone,
                                    config=config, tell=_tell())
        html = build_report(screening.table, screening.rubric, source=screening.source, top=top,
                            self_id=str(self_id) if self_id is not None else None,
                            include_knockouts=include_knockouts, include_late=include_late,
                            blind_secret=_secret(config) if blind else None,
                            replies=replies.report_rows(config) if export is None else None)
        write_bytes(html.encode("utf-8"), output)
        if output != "-":
            render.note(_console(stderr=True), f"Wrote {output}.", style="green")
        _records_note(screening.report)


@rubric_app.command("list")
def rubric_list() -> None:
    """List the rubrics bundled with screener and those in ./rubrics here: name, title, language, criteria."""
    with _errors():
        from screener import render
        from screener.app.config import rubric_catalogue

        sections = rubric_catalogue()
        render.rubric_list(_console(), [(heading, [entry.cells() for entry in entries])
                                        for heading, entries in sections])


@rubric_app.command("validate")
def rubric_validate(
    path: Annotated[str | None, typer.Argument(help="Rubric YAML (default: found as for 'score').",
                                               show_default=False)] = None,
) -> None:
    """Check a rubric and list every problem at once, each as file:line: what is wrong."""
    with _errors():
        from screener import render
        from screener.app import pipeline, views

        tell = _tell()
        rubric_obj = pipeline.load_rubric(path, tell)
        for advice in rubric_obj.advice:
            tell("note: " + advice, "warning")
        facts, rows = views.rubric_summary(rubric_obj)
        out = _console()
        render.rubric_report(out, facts, rows)
        render.note(out, f"OK: {rubric_obj.path} is a valid rubric.", style="green")


@rubric_app.command("draft")
def rubric_draft(
    posting: Annotated[Path, typer.Argument(help="The job posting: Markdown, plain text or HTML.",
                                            show_default=False)],
    export: Annotated[Path | None, typer.Option("--export", "-e", help="An export of the application form: map "
                                                "the fields onto its headers and link its questions to the posting.",
                                                show_default=False)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="The rubric file to write ('-' or none: "
                                               "standard output).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    encoding: EncodingOpt = None,
) -> None:
    """Draft a commented rubric from a job posting; every line to check is marked '# REVIEW:'."""
    with _errors():
        from screener import render
        from screener.app.drafting import draft_to

        done = draft_to(posting, output or "-", export=export, force=force, encoding=encoding, tell=_tell())
        where = "standard output" if done.dest == "-" else done.dest
        render.note(_console(stderr=True), f"Drafted {done.criteria} criteria to {where}; {done.reviews} lines are "
                    "marked '# REVIEW:' for a person to check before it ranks anyone.", style="green")


def main() -> None:
    """Run the ``screener`` command line; ends with ``SystemExit`` like any click program."""
    # Let `screener score ... | head` end quietly instead of raising BrokenPipeError.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="screener")


def entry() -> None:
    """The installed ``screener`` command (and ``python -m screener``): ``main``, then the process
    ends without tearing the interpreter down (``_leave``). ``main`` itself is left as any click
    program's, for callers that run it inside their own process."""
    try:
        main()
    except SystemExit as done:
        _leave(done.code)
    _leave(0)


def _leave(code: object) -> None:
    """End the process with the status ``sys.exit(code)`` gives, at once.

    A normal exit frees every object one by one: after a 100,000-applicant score that is the
    tables, tokens and caches, about 0.2 s spent on memory the system reclaims whole anyway.
    What a normal exit must still do is done first: the exit handlers run (temporary folders,
    logging), and the standard streams are flushed (a failure to, status 120, as Python's own)."""
    import atexit

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said on it
            status = status or 120
    os._exit(status)
