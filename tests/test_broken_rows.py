"""Rows broken by a comma the export did not quote (issue 14): an unquoted number with thousands
separators is mended when only one merge fits, and said so; any other broken row is still named
(id, name, email from the fields that line up) wherever the unreadable rows are listed, and
every command's counts add up: scored + unreadable = records."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, RUBRIC, cli

BROKEN = DATA / "exports" / "broken_rows.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_fixture_is_what_its_script_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_broken_rows", BROKEN.with_name("make_broken_rows.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert BROKEN.read_bytes() == ("\ufeff" + module.text()).encode("utf-8")


def test_score_recovers_unquoted_amounts_and_counts_every_record(in_tmp: Path) -> None:
    run = cli("score", BROKEN, "--all")
    assert run.code == 0, run.stderr
    assert "12 records: 10 scored (2 recovered), 2 unreadable" in run.stdout
    assert "line 4 repaired: '$95' and '000' read as one field '$95,000'" in run.stderr
    assert "line 7 repaired: '1', '200' and '000' read as one field '1,200,000'" in run.stderr
    assert "line 9: has 26 fields but the header has 25; an unquoted comma inside a number could be mended" \
        in run.stderr
    assert "line 11: has 26 fields but the header has 25\n" in run.stderr


def test_recovered_rows_are_scored_with_the_repair_in_their_evidence(in_tmp: Path) -> None:
    run = cli("score", BROKEN, "--format", "json", "-o", "-")
    assert run.code == 0, run.stderr
    people = {p["id"]: p for p in json.loads(run.stdout)}
    assert sorted(people, key=int) == ["1", "2", "3", "4", "5", "6", "7", "9", "11", "12"]
    maya, tomas = people["3"], people["6"]
    assert maya["name"] == "Maya Chen" and maya["line"] == 4
    assert maya["reasons"].endswith("line 4 repaired: '$95' and '000' read as one field '$95,000'")
    assert tomas["reasons"].endswith("line 7 repaired: '1', '200' and '000' read as one field '1,200,000'")
    # The columns after the mended one are read in their places: the same scores as an unbroken twin.
    assert maya["score"] == people["11"]["score"]
    assert "repaired" not in people["11"]["reasons"]
    assert "12 records: 10 scored (2 recovered), 2 unreadable." in run.stderr


def test_rejected_file_names_the_applicants_of_unreadable_rows(in_tmp: Path) -> None:
    run = cli("score", BROKEN, "--rejected", "rejected.csv", "--format", "csv", "-o", "ranked.csv")
    assert run.code == 0, run.stderr
    rows = _rows(in_tmp / "rejected.csv")
    assert [(r["line"], r["id"], r["name"], r["email"]) for r in rows] == [
        ("9", "8", "Grace Okafor", "grace.okafor@example.com"),
        ("11", "10", "Liam O'Brien", "liam.obrien@example.com"),
    ]
    assert "Business |  Economics" in rows[1]["raw"]
    assert "12 records: 10 scored (2 recovered), 2 unreadable." in run.stderr
    blind = cli("score", BROKEN, "--blind", "--rejected", "rejected-blind.csv", "--format", "csv", "-o", "b.csv")
    assert blind.code == 0, blind.stderr
    assert list(_rows(in_tmp / "rejected-blind.csv")[0]) == ["line", "id", "reason"]


def test_shortlist_left_out_names_unreadable_rows_with_whole_numbers(in_tmp: Path) -> None:
    run = cli("shortlist", BROKEN, "--top", "3")
    assert run.code == 0, run.stderr
    assert "12 records: 10 scored (2 recovered), 2 unreadable." in run.stderr
    left = _rows(in_tmp / "shortlist-left-out.csv")
    unread = [r for r in left if r["left_out_because"].startswith("could not be read")]
    assert [(r["line"], r["id"], r["name"], r["email"]) for r in unread] == [
        ("9", "8", "Grace Okafor", "grace.okafor@example.com"),
        ("11", "10", "Liam O'Brien", "liam.obrien@example.com"),
    ]
    # Integer columns stay integers beside the unreadable rows' blanks (not 11.0).
    for column in ("rank", "row", "line", "must_pass", "must_unknown", "must_fail"):
        values = [r[column] for r in left]
        assert all(v == "" or v.isdigit() for v in values), (column, values)
    assert [r["row"] for r in unread] == ["", ""]


def _without_identity(folder: Path) -> Path:
    """The fixture plus two rows cut short before their email: nothing lines up to name them."""
    path = folder / "cut.csv"
    path.write_text(BROKEN.read_text(encoding="utf-8-sig") + "13,Zed\r\n14,Zoe\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [lambda folder: BROKEN, _without_identity])
def test_blind_gives_every_unreadable_row_its_own_pseudonym(in_tmp: Path, make: Callable[[Path], Path]) -> None:
    export = make(in_tmp)
    run = cli("shortlist", export, "--top", "3", "--blind")
    assert run.code == 0, run.stderr
    left = _rows(in_tmp / "shortlist-left-out.csv")
    assert "name" not in left[0] and "raw" not in left[0]
    ids = [r["id"] for r in left]
    assert all(i.startswith("P-") for i in ids), ids
    assert len(set(ids)) == len(ids)
    unread = [r for r in left if r["left_out_because"].startswith("could not be read")]
    assert len(unread) == (2 if export == BROKEN else 4)
    text = (in_tmp / "shortlist-left-out.csv").read_text(encoding="utf-8-sig")
    assert "Okafor" not in text and "@example.com" not in text


def test_rows_with_nothing_lined_up_are_listed_unnamed(in_tmp: Path) -> None:
    export = _without_identity(in_tmp)
    run = cli("score", export, "--rejected", "rejected.csv", "--format", "csv", "-o", "ranked.csv")
    assert run.code == 0, run.stderr
    assert "14 records: 10 scored (2 recovered), 4 unreadable." in run.stderr
    rows = {r["line"]: r for r in _rows(in_tmp / "rejected.csv")}
    assert (rows["14"]["id"], rows["14"]["name"], rows["14"]["email"]) == ("", "", "")
    assert rows["14"]["reason"] == "has 2 fields but the header has 25"


def test_repair_needs_exactly_one_merge_of_numbers() -> None:
    from screener.data.load.csv import _repair

    assert _repair(["1", "x", "$95", "000", "y"], 4) == (["1", "x", "$95,000", "y"], [(2, 4)])
    assert _repair(["6", "1", "200", "000", "y"], 3) == (["6", "1,200,000", "y"], [(1, 4)])
    assert _repair(["9", "€1", "250.50", "y"], 3) == (["9", "€1,250.50", "y"], [(1, 3)])
    assert _repair(["9", "€1", "25", "y"], 3) == ""  # '25' is not a thousands group
    ambiguous = _repair(["12", "500", "000", "y"], 3)
    assert isinstance(ambiguous, str) and "more than one place" in ambiguous
    assert _repair(["Business", " Economics", "9"], 2) == ""  # not a number: not guessed
    assert _repair(["a", "b"], 2) == ""
    assert RUBRIC.exists()


def test_nightly_run_counts_and_names_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    (tmp_path / "exports").mkdir(exist_ok=True)
    (tmp_path / "exports" / "applicants.csv").write_bytes(BROKEN.read_bytes())
    run = cli("run")
    assert run.code == 3, run.stderr  # done, but some rows could not be read
    assert "12 records: 10 read (2 recovered), 2 unreadable" in run.stdout
    log = (tmp_path / "out" / "screener.log").read_text(encoding="utf-8")
    assert "rows 10," in log and "recovered 2, unreadable 2," in log
    assert "unreadable rows: listed in" in run.stdout
    unread = [(r["line"], r["id"], r["name"]) for r in _rows(tmp_path / "out" / "unreadable.csv")]
    assert unread == [("9", "8", "Grace Okafor"), ("11", "10", "Liam O'Brien")]


def test_a_file_read_a_window_at_a_time_is_mended_the_same() -> None:
    from screener.data.load import load_export, load_export_chunks

    frame, whole = load_export(BROKEN)
    chunks = load_export_chunks(BROKEN, chunk_rows=3, window_bytes=500)
    frames = list(chunks)
    windowed = chunks.report
    assert sum(len(f) for f in frames) == len(frame) == whole.rows == windowed.rows == 10
    assert windowed.repaired == whole.repaired and [r.line for r in whole.repaired] == [4, 7]
    assert whole.repaired[0].columns == ("DesiredSalary",)
    assert windowed.rejected == whole.rejected
    assert frame.loc[frame["_line"] == 4, "DesiredSalary"].tolist() == ["$95,000"]
    assert frame.loc[frame["_line"] == 7, "ProjectManagementCertifications"].tolist() == ["PMP"]
    second = chunks.again()  # the second pass of a streamed score counts them once, not twice
    assert sum(len(f) for f in second) == 10 and second.report.repaired == whole.repaired


def test_report_says_the_counts_too(in_tmp: Path) -> None:
    run = cli("report", BROKEN, "-o", "report.html")
    assert run.code == 0, run.stderr
    assert "12 records: 10 scored (2 recovered), 2 unreadable." in run.stderr


def test_inspect_counts_the_recovered_rows(in_tmp: Path) -> None:
    run = cli("inspect", BROKEN)
    assert run.code == 0, run.stderr
    assert "10 read (2 recovered), 2 could not be read" in run.stdout
