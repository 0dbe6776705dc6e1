"""Issue 14, items 1 and 6: an entry posted again when the applicant edits it is one applicant
(the latest version scored, the earlier ones listed by 'explain'), and the form owner's test
entries are marked and left out of shortlists. Fixtures: tests/data/real/make_versions_tests.py."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import DATA, cli

REAL = DATA / "real"
RUBRIC = REAL / "rubric.yaml"
WEBHOOK = REAL / "webhook.json"
REEXPORT = REAL / "reexport.csv"


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _scored(tmp_path: Path, export: Path) -> tuple[list[dict], str]:
    out = tmp_path / "scored.json"
    run = cli("score", export, "--rubric", RUBRIC, "--format", "json", "-o", out)
    assert run.code == 0, run.stderr
    return json.loads(out.read_text(encoding="utf-8")), run.stderr


def test_the_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    import runpy

    copy = tmp_path / "make_versions_tests.py"
    shutil.copy(REAL / "make_versions_tests.py", copy)
    runpy.run_path(str(copy), run_name="__main__")
    for name in ("rubric.yaml", "webhook.json", "reexport.csv"):
        assert (tmp_path / name).read_bytes() == (REAL / name).read_bytes(), name


def test_an_edited_webhook_entry_is_one_applicant_and_the_latest_version_wins(tmp_path: Path) -> None:
    rows, stderr = _scored(tmp_path, WEBHOOK)
    ids = [r["id"] for r in rows]
    assert sorted(ids) == ["1", "2", "3", "4", "5", "6"]  # 8 posts, 6 entries
    by_id = {r["id"]: r for r in rows}
    assert by_id["2"]["email"] == "ben.okafor@gmail.com"  # the corrected e-mail, not the typo
    assert by_id["2"]["row"] == 8  # the update, the last post of the log
    assert by_id["2"]["criteria"]["years"]["evidence"].startswith("answered '5'")
    # Entry 4's update came first in the log: the greatest DateUpdated wins, not the position.
    assert by_id["4"]["row"] == 3 and by_id["4"]["criteria"]["years"]["evidence"].startswith("answered '7'")
    assert "2 entries appeared in more than one version; the latest of each is scored" in stderr
    assert all(r["duplicate_group"] == "" for r in rows)  # versions are not duplicates


def test_a_reexported_csv_entry_counts_once_and_the_later_row_wins(tmp_path: Path) -> None:
    rows, stderr = _scored(tmp_path, REEXPORT)
    assert sorted(r["id"] for r in rows) == ["11", "12", "13", "14", "15"]
    finn = next(r for r in rows if r["id"] == "12")
    assert finn["email"] == "finn.moss@gmail.com" and finn["row"] == 5
    assert "1 entry appeared in more than one version" in stderr


def test_an_updated_at_column_written_day_first_orders_the_versions(tmp_path: Path) -> None:
    # 01/07 (1 July) is after 02/06 (2 June) only when read day first, which the column's 26/06
    # says; read month first (7 January against 6 February) the other version would win.
    export = tmp_path / "edits.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Entry_Number", "Name_First", "Name_Last", "Email", "YearsOfExperience", "Date Updated"])
        out.writerow(["7", "Ada", "Lo", "ada@new.example", "2", "01/07/2020 08:00"])
        out.writerow(["7", "Ada", "Lo", "ada@old.example", "1", "02/06/2020 10:00"])
        out.writerow(["8", "Bo", "Ng", "bo@example.org", "4", "26/06/2020 09:00"])
    rows, _ = _scored(tmp_path, export)
    ada = next(r for r in rows if r["id"] == "7")
    assert ada["email"] == "ada@new.example" and ada["row"] == 1


def test_explain_lists_the_earlier_versions(tmp_path: Path) -> None:
    run = cli("explain", WEBHOOK, "2", "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "earlier version: row 2 (line 2), updated 2026-03-03T09:00:00.000Z" in text
    assert "the latest changed: Email, Resume, YearsOfExperience" in text
    alone = cli("explain", WEBHOOK, "1", "--rubric", RUBRIC)
    assert alone.code == 0 and "earlier version" not in alone.stdout


def test_shortlist_keeps_the_corrected_version_and_leaves_the_test_entry_out(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("shortlist", WEBHOOK, "--rubric", RUBRIC, "--top", "10")
    assert run.code == 0, run.stderr
    chosen, left = _csv(tmp_path / "shortlist.csv"), _csv(tmp_path / "shortlist-left-out.csv")
    assert sorted(r["id"] for r in chosen) == ["1", "2", "3", "4", "6"]
    assert next(r for r in chosen if r["id"] == "2")["email"] == "ben.okafor@gmail.com"
    assert [(r["id"], r["left_out_because"]) for r in left] == [
        ("5", "test entry: test name; test answers; company e-mail")]
    # A real person whose surname is Test is not a test entry.
    dana = next(r for r in chosen if r["id"] == "6")
    assert (dana["name"], dana["test_entry"], dana["test_entry_why"]) == ("Dana Test", "no", "")


def test_score_keeps_and_marks_test_entries(tmp_path: Path) -> None:
    rows, _ = _scored(tmp_path, REEXPORT)
    flags = {r["id"]: (r["test_entry"], r["test_entry_why"]) for r in rows}
    assert flags["13"] == ("yes", "test name; test e-mail")  # John Doe, test@example.com: two weak signals
    assert flags["14"] == ("no", "")  # Gia Test: a surname alone is not enough
    table = cli("score", REEXPORT, "--rubric", RUBRIC, "--all")
    assert table.code == 0 and "test entry" in table.stdout


def test_duplicates_does_not_list_versions() -> None:
    run = cli("duplicates", WEBHOOK, "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    assert "0 groups, 0 applications" in run.stdout


def test_a_bad_internal_domain_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUBRIC.read_text(encoding="utf-8").replace("[acmerobotics.com]", "[acmerobotics.com, not a domain]"),
                   encoding="utf-8")
    run = cli("rubric", "validate", bad)
    assert run.code == 1
    assert "bad.yaml:21: applicant 'internal_domains' holds 'not a domain', which is not an e-mail domain" in run.stderr


def test_the_nightly_run_flags_test_entries_and_stores_the_latest_version(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.json").code == 0
    (tmp_path / "exports").mkdir(exist_ok=True)
    shutil.copy(WEBHOOK, tmp_path / "exports" / "webhook.json")
    run = cli("run")
    assert run.code == 0, run.stderr
    assert cli("shortlist").code == 0  # the left-out file, from the store
    chosen, left = _csv(tmp_path / "out" / "shortlist.csv"), _csv(tmp_path / "out" / "shortlist-left-out.csv")
    assert sorted(r["id"] for r in chosen) == ["1", "2", "3", "4", "6"]
    assert [(r["id"], r["left_out_because"]) for r in left] == [
        ("5", "test entry: test name; test answers; company e-mail")]
    assert next(r for r in chosen if r["id"] == "4")["row"] == "3"  # Dee's update, posted first
    with sqlite3.connect(tmp_path / "screener.db") as db:
        stored = dict(db.execute("SELECT entry_id, data FROM entries").fetchall())
    assert json.loads(stored["2"])["Email"] == "ben.okafor@gmail.com"
    assert json.loads(stored["4"])["Resume"] == "dee_cv_v2.pdf"


@pytest.mark.parametrize(("name", "email", "answer", "expected"), [
    ("Test Test", "a.b@gmail.com", "I led agile teams.", "test name"),
    ("Dana Test", "dana.test@gmail.com", "I led agile teams.", ""),  # a surname alone: no
    ("John Doe", "john.doe@gmail.com", "I led agile teams.", ""),  # a placeholder name alone: no
    ("John Doe", "test@example.com", "I led agile teams.", "test name; test e-mail"),
    ("Maria Test", "maria@gmail.com", "asdf", "test name; test answers"),  # two weak signs
    ("Ann Lee", "ann@gmail.com", "asdf", ""),  # keyboard mash alone: no
    ("Ann Lee", "ann@gmail.com", "Please ignore, just checking", "test answers"),
    ("Ann Lee", "ann@gmail.com", "Please ignore the typo in my first e-mail. " * 5, ""),  # a long real answer
    ("Ann Lee", "ann@gmail.com", "word " * 100 + "Lorem ipsum dolor sit amet", "test answers"),
    ("Ann Lee", "ann@ACMErobotics.com", "I led agile teams.", "company e-mail"),
    ("Ann Lee", "ann@mail.acmerobotics.com", "I led agile teams.", "company e-mail"),
])
def test_the_test_entry_rule(name: str, email: str, answer: str, expected: str) -> None:
    import pandas as pd

    from screener.core.normalize import distinct
    from screener.core.testentry import flag

    flagged, why = flag([name], [email], [distinct(pd.Series([answer], dtype=object))], ["acmerobotics.com"])
    assert (flagged[0], why[0]) == ("yes" if expected else "no", expected)


def test_version_order_keeps_other_rows_in_place() -> None:
    import numpy as np

    from screener.core.versions import version_order

    ids = ["a", "b", "a", "c", "a"]
    updated = np.array([30, 5, 10, 7, 20], dtype=np.int64)  # a's versions: rows 2 (10), 4 (20), 0 (30)
    assert version_order(ids, updated).tolist() == [2, 1, 4, 3, 0]
    assert version_order(ids, None).tolist() == [0, 1, 2, 3, 4]  # no updated-at: the file's order
    ties = np.array([1, 0, 1, 0, 1], dtype=np.int64)
    assert version_order(ids, ties).tolist() == [0, 1, 2, 3, 4]  # ties: the later row is the later version
