"""Issue 14, items 2 and 7: day and month are never swapped silently, and raw control characters
never reach a terminal or a spreadsheet cell.

Fixtures: tests/data/real/make_dates_controls.py (Google Forms exports from a day-first account,
one fully ambiguous, a Cognito one, and a hostile one with ESC, OSC/BEL, NUL, U+202E and C1 CSI).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA, cli, run_process, under_a_terminal
from screener.core.normalize import parse_datetime, slash_evidence
from screener.core.providers import date_order

REAL = DATA / "real"
RUBRIC = REAL / "dates_rubric.yaml"
DAY_FIRST = REAL / "dates_dayfirst_google.csv"
AMBIGUOUS = REAL / "dates_ambiguous_google.csv"
COGNITO = REAL / "dates_ambiguous_cognito.csv"
HOSTILE = REAL / "controls_hostile.csv"
RAW_CONTROLS = (b"\x1b", b"\x07", b"\x00", "\u202e".encode(), "\x9b".encode())


def _rows(*args: object, env: dict[str, str] | None = None) -> tuple[dict[str, dict], str]:
    run = cli("score", *map(str, args), "--format", "json", "-o", "-", env=env)
    assert run.code == 0, run.stderr
    return {r["id"]: r for r in json.loads(run.stdout)}, run.stderr


def _rubric(tmp_path: Path, day_first: str) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(RUBRIC.read_text(encoding="utf-8").replace(
        "  timezone: Europe/London\n", f"  timezone: Europe/London\n  day_first: {day_first}\n"), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# The rule, one step at a time


def test_the_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    copy = tmp_path / "make_dates_controls.py"
    shutil.copy(REAL / "make_dates_controls.py", copy)
    done = subprocess.run([sys.executable, str(copy)], capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    for name in ("dates_dayfirst_google.csv", "dates_ambiguous_google.csv", "dates_ambiguous_cognito.csv",
                 "controls_hostile.csv", "dates_rubric.yaml", "cognito_rubric.yaml"):
        assert (tmp_path / name).read_bytes() == (REAL / name).read_bytes(), name


def test_slash_evidence_counts_each_kind_and_iso_says_nothing() -> None:
    found = slash_evidence(pd.Series(["09/06/2020 14:30", "26/06/2020", "06/06/2020", "2020-06-09", "6/13/2020",
                                      "x", ""]))
    assert (found.day_first, found.month_first, found.either) == (1, 1, 1)
    assert (found.day_example, found.month_example, found.either_example) == ("26/06/2020", "6/13/2020",
                                                                                "09/06/2020 14:30")


@pytest.mark.parametrize(("values", "header", "stated", "expected"), [
    (["09/06/2020", "26/06/2020"], "Timestamp", None, True),  # a first number above 12 decides
    (["09/06/2020", "6/26/2020"], "Timestamp", None, False),  # a second number above 12 decides
    (["09/06/2020", "26/06/2020"], "Timestamp", False, False),  # the rubric wins over the values
    (["09/06/2020"], "Entry_DateSubmitted", None, False),  # Cognito's known M/D/YYYY
    (["09/06/2020"], "Timestamp", None, None),  # Google writes the account's locale: not known
    (["2020-06-09"], "Submit Date (UTC)", None, None),  # ISO: nothing to decide, nothing said
])
def test_date_order_follows_rubric_then_values_then_provider(values: list[str], header: str, stated: bool | None,
                                                            expected: bool | None) -> None:
    assert date_order(header, slash_evidence(pd.Series(values)), stated).day_first is expected


def test_an_inconsistent_column_is_said_so_and_never_read_against_itself() -> None:
    order = date_order("Timestamp", slash_evidence(pd.Series(["26/06/2020", "6/26/2020", "09/06/2020"])))
    assert order.day_first is None and "inconsistent" in order.notes[0]
    parsed = parse_datetime(pd.Series(["26/06/2020", "6/26/2020", "09/06/2020"]), "UTC", dayfirst=order.day_first)
    assert parsed.value.notna().tolist() == [True, True, False]  # each read the only way it can be
    assert parsed.ambiguous.tolist() == [False, False, True]
    assert "9 June written day first or 6 September written month first" in parsed.note.iloc[2]


# ------------------------------------------------------------------------------------------------
# Through the CLI


def test_one_day_above_12_decides_a_day_first_column() -> None:
    rows, err = _rows(DAY_FIRST, "--rubric", RUBRIC)
    # 09/06/2020 14:30 in London is 9 June (13:30 UTC), never 6 September (which would be late).
    assert (rows["ana@example.com"]["submitted_at"], rows["ana@example.com"]["late"]) == ("2020-06-09T13:30:00Z", "no")
    assert rows["ben@example.com"]["submitted_at"] == "2020-06-26T09:00:00Z"
    assert (rows["chen@example.com"]["late"], rows["chen@example.com"]["late_why"]) == ("yes", "")
    assert rows["dara@example.com"]["submitted_at"] == "2020-06-12T22:59:00Z"
    assert "either" not in err and "two different days" not in err


def test_an_ambiguous_column_is_said_once_and_late_is_unknown_with_the_reason(tmp_path: Path) -> None:
    rows, err = _rows(AMBIGUOUS, "--rubric", RUBRIC)
    for who in ("ana@example.com", "ben@example.com"):
        assert (rows[who]["submitted_at"], rows[who]["late"]) == ("", "unknown")
        assert "written day first or" in rows[who]["late_why"]
    assert rows["ana@example.com"]["late_why"].startswith("'09/06/2020 14:30:00' is 9 June written day first or "
                                                           "6 September written month first")
    assert (rows["chen@example.com"]["submitted_at"], rows["chen@example.com"]["late"]) == ("2020-06-06T07:15:00Z",
                                                                                           "no")  # same both ways
    assert rows["dara@example.com"]["late"] == "no"  # ISO is never ambiguous
    notes = [line for line in err.splitlines() if "two different days" in line]
    assert len(notes) == 1 and "2 date(s) in 'Timestamp'" in notes[0] and "day_first: true" in notes[0]
    # Flagged, not left out as late: the shortlist keeps them, with the reason beside 'late'.
    short, left = tmp_path / "short.csv", tmp_path / "left.csv"
    assert cli("shortlist", AMBIGUOUS, "--rubric", RUBRIC, "--top", "10", "-o", short, "--left-out", left).code == 0
    chosen = {r["id"]: r for r in csv.DictReader(io.StringIO(short.read_text(encoding="utf-8-sig")))}
    assert chosen["ana@example.com"]["late"] == "unknown" and chosen["ana@example.com"]["late_why"]
    assert "deadline" not in left.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("day_first", "ana", "late"), [
    ("true", "2020-06-09T13:30:00Z", "no"),
    ("false", "2020-09-06T13:30:00Z", "yes"),
])
def test_the_rubric_day_first_wins(tmp_path: Path, day_first: str, ana: str, late: str) -> None:
    rows, err = _rows(AMBIGUOUS, "--rubric", _rubric(tmp_path, day_first))
    assert (rows["ana@example.com"]["submitted_at"], rows["ana@example.com"]["late"]) == (ana, late)
    assert "two different days" not in err


def test_cognito_s_known_format_decides_with_a_note() -> None:
    rows, err = _rows(COGNITO, "--rubric", REAL / "cognito_rubric.yaml")
    assert rows["1"]["submitted_at"] == "2020-06-09T18:30:00Z"  # 6/9/2020 2:30 PM New York: 9 June
    assert "read month first (M/D/YYYY), as Cognito Forms writes dates" in err


def test_a_streamed_export_decides_over_the_whole_column_not_per_piece(tmp_path: Path) -> None:
    # One row per piece: alone, 09/06/2020 reads either way; the whole column says day first.
    whole, streamed = tmp_path / "whole.csv", tmp_path / "streamed.csv"
    assert cli("score", DAY_FIRST, "--rubric", RUBRIC, "-f", "csv", "-o", whole).code == 0
    run = cli("score", DAY_FIRST, "--rubric", RUBRIC, "-f", "csv", "-o", streamed,
              env={"SCREENER_STREAM_BYTES": "100", "SCREENER_CHUNK_ROWS": "1"})
    assert run.code == 0 and "two passes" in run.stderr, run.stderr
    assert streamed.read_bytes() == whole.read_bytes()
    assert "two different days" not in run.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(streamed.read_text(encoding="utf-8-sig")))}
    assert rows["ana@example.com"]["submitted_at"] == "2020-06-09T13:30:00Z"


def test_a_nightly_run_decides_over_the_whole_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    (tmp_path / "exports").mkdir(exist_ok=True)
    first = tmp_path / "exports" / "a.csv"
    shutil.copy(DAY_FIRST, first)
    assert cli("run").code == 0
    # The next export adds one entry whose date reads either way: only it is scored tonight.
    second = tmp_path / "exports" / "b.csv"
    second.write_text(DAY_FIRST.read_text(encoding="utf-8") +
                      "05/06/2020 10:00:00,eli@example.com,Eli New,4,Agile roadmap.\n", encoding="utf-8")
    stamp = first.stat().st_mtime + 10
    os.utime(second, (stamp, stamp))
    assert cli("run").code == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        (tmp_path / "out" / "shortlist.csv").read_text(encoding="utf-8-sig")))}
    assert (rows["eli@example.com"]["submitted_at"], rows["eli@example.com"]["late"]) == ("2020-06-05T09:00:00Z",
                                                                                         "no")


# ------------------------------------------------------------------------------------------------
# Control characters in data outputs


def test_a_csv_file_holds_no_nul_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    run = cli("score", HOSTILE, "--rubric", RUBRIC, "-f", "csv", "-o", out)
    assert run.code == 0
    data = out.read_bytes()
    assert b"\x00" not in data
    assert "Fay Null\u2400Byte" in data.decode("utf-8")
    assert b"\x1b[2J" in data  # a file keeps the exact text otherwise
    assert "1 cell(s) held a NUL byte" in run.stderr


def test_an_xlsx_file_holds_control_pictures(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "out.xlsx"
    run = cli("score", HOSTILE, "--rubric", RUBRIC, "-f", "xlsx", "-o", out)
    assert run.code == 0 and "2 cell(s) held" in run.stderr
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    names = {str(row[header.index("name")]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Fay Null\u2400Byte" in names
    assert "Eve\u241b[2J\u241b]0;PWNED\u2407 \u202eMallory\x9b31m" in names
    assert not any("_x00" in n for n in names)


def test_a_pipe_gets_the_exact_text_but_no_nul() -> None:
    done = run_process("score", HOSTILE, "--rubric", RUBRIC, "-f", "csv", "-o", "-")
    assert done.returncode == 0
    assert "\x1b]0;PWNED\x07" in done.stdout and "\x00" not in done.stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "xlsx"])
def test_stdout_on_a_terminal_gets_every_format_escaped(fmt: str) -> None:
    out = under_a_terminal("score", HOSTILE, "--rubric", RUBRIC, "-f", fmt, "-o", "-")
    assert not [raw for raw in RAW_CONTROLS if raw in out], fmt
    if fmt == "csv":
        assert b"Eve\\x1b[2J\\x1b]0;PWNED\\x07 \\u202eMallory\\x9b31m" in out


def test_explain_report_and_inspect_say_why_late_is_unknown(tmp_path: Path) -> None:
    run = cli("explain", AMBIGUOUS, "ana@example.com", "--rubric", RUBRIC)
    assert run.code == 0 and "late unknown: '09/06/2020 14:30:00' is 9 June" in " ".join(run.stdout.split())
    page = tmp_path / "report.html"
    assert cli("report", AMBIGUOUS, "--rubric", RUBRIC, "-o", page).code == 0
    assert "Late or not is unknown for 2" in page.read_text(encoding="utf-8")
    shown = " ".join(cli("inspect", DAY_FIRST, "--rubric", RUBRIC).stdout.split())
    assert "day or month first" in shown and "day first: values such as '26/06/2020 10:00:00'" in shown
