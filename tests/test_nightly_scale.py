"""Nightly runs at scale (issue 17): a run regroups only the duplicates its new and changed
entries touch, and what it stores equals a regroup of everyone; it writes the shortlist and
leaves the left-out file to ``screener shortlist``."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RUBRIC, SAMPLE, run_process

GENERATOR = SAMPLE / "generate.py"
SHARED_PHONE = "(312) 555-0199"


@pytest.fixture(scope="module")
def export20k(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """20,000 applicants from the sample's generator (599 planted duplicate groups)."""
    out = tmp_path_factory.mktemp("gen")
    subprocess.run([sys.executable, str(GENERATOR), "--rows", "20000", "--seed", "11", "--formats", "csv",
                    "--out", str(out), "--no-answer-key"], check=True, capture_output=True)
    with (out / "applicants.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    done = run_process("init", "--rubric", str(RUBRIC), "--exports", "exports/*.csv", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def _night(folder: Path, name: str, header: list[str], rows: list[list[str]], stamp: int) -> dict:
    path = folder / "exports" / f"{name}.csv"
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *rows])
    os.utime(path, (stamp, stamp))
    done = run_process("run", cwd=folder)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(folder / "screener.db") as db:
        return json.loads(db.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def _groups(folder: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(folder / "screener.db") as db:
        return {e: (g, w) for e, g, w in db.execute("SELECT entry_id, group_id, group_why FROM entries")}


def test_nightly_groups_equal_a_regroup_of_everyone_at_20k(tmp_path: Path, export20k: list[list[str]]) -> None:
    header, body = export20k[0], [r[:] for r in export20k[1:]]
    at = {name: header.index(name) for name in header}

    def person(row: list[str], first: str, last: str, phone: str) -> None:
        row[at["Name_First"]], row[at["Name_Last"]], row[at["Phone"]] = first, last, phone

    # Night 1: 16,000 applicants, 45 of them "Jo Smith" on one phone (grouped: same phone and name).
    for i in range(100, 145):
        person(body[i], "Jo", "Smith", SHARED_PHONE)
    nightly = _project(tmp_path / "nightly")
    first = _night(nightly, "n1", header, body[:16000], 1000)
    assert first["new"] == 16000
    jo = str(body[100][at["PyImageSearchTechnicalProjectMa_Id"]])
    assert _groups(nightly)[jo][1].startswith("same phone and name")
    by_email = [e for e, (_g, why) in _groups(nightly).items() if "same email" in why]
    assert len(by_email) > 40
    # Night 2: 2,000 more; ten of them on the shared phone (the block grows past dedupe.MAX_BLOCK,
    # 50, and no longer pairs anyone); 20 new ones with the e-mail of an earlier applicant; and
    # 30 applicants grouped by e-mail change their address (their groups split).
    for i in range(16000, 16010):
        person(body[i], "Jo", "Smyth", SHARED_PHONE)
    ids = {row[at["PyImageSearchTechnicalProjectMa_Id"]]: n for n, row in enumerate(body)}
    for k, i in enumerate(range(16010, 16030)):
        body[i][at["Email"]] = body[k * 7][at["Email"]]
    for k, entry in enumerate(sorted(by_email, key=int)[:30]):
        body[ids[entry]][at["Email"]] = f"moved{k}@example.org"
    second = _night(nightly, "n2", header, body[:18000], 2000)
    assert second["new"] == 2000 and second["changed"] == 30
    assert _groups(nightly)[jo] == ("", "")  # the phone block is too large to pair now
    # Night 3: the last 2,000; eight of the shared-phone people give their own numbers (the block
    # is small enough to pair again) and one "Jo Smith" becomes "Joanna Smith".
    for k, i in enumerate(range(100, 108)):
        body[i][at["Phone"]] = f"(312) 555-{1000 + k}"
    body[120][at["Name_First"]] = "Joanna"
    third = _night(nightly, "n3", header, body, 3000)
    assert third["new"] == 2000 and third["changed"] == 9
    # Each night regroups what it touched, not everyone.
    assert 0 < second["regrouped"] < 18000 / 2 and 0 < third["regrouped"] < 20000 / 2, (second, third)

    once = _project(tmp_path / "once")
    _night(once, "all", header, body, 1000)
    nightly_groups, once_groups = _groups(nightly), _groups(once)
    assert nightly_groups.keys() == once_groups.keys()
    differ = {e: (nightly_groups[e], once_groups[e]) for e in once_groups if nightly_groups[e] != once_groups[e]}
    assert differ == {}
    still = str(body[130][at["PyImageSearchTechnicalProjectMa_Id"]])  # on the shared phone all along
    assert once_groups[still][1].startswith("same phone and name") and once_groups[jo] == ("", "")
    assert sum(1 for g, _w in once_groups.values() if g) > 1000


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / "applicants.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_a_second_night_logs_who_changed_and_times_its_phases(tmp_path: Path) -> None:
    header, body = _sample_rows()
    project = _project(tmp_path / "p")
    _night(project, "n1", header, body[:1000], 1000)
    path = project / "exports" / "n2.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *body])
    os.utime(path, (2000, 2000))
    done = run_process("run", "--timings", cwd=project)
    assert done.returncode == 0, done.stderr
    # Each phase with its time and the peak memory so far, then the total.
    phases = [line.split()[0] for line in done.stderr.splitlines() if " s   peak " in line]
    assert phases[0] == "open" and phases[-1] == "total" and "duplicate" in phases, done.stderr
    assert "left out: " in done.stdout and "screener shortlist" in done.stdout
    records = [json.loads(line) for line in (project / "screener-audit.jsonl").read_text().splitlines()]
    first, second = records[-2], records[-1]
    assert len(first["decisions"]) == 1000 and "unchanged" not in first
    # The second run lists those it scored and those who entered or left the shortlist; the
    # counts are of everyone, and the rest are as the first run's record says.
    with sqlite3.connect(project / "screener.db") as db:
        scored = {e for (e,) in db.execute("SELECT entry_id FROM scores WHERE run_id = 2")}
        shortlists = [json.loads(s) for (s,) in db.execute("SELECT shortlist FROM runs ORDER BY id")]
    moved = set(shortlists[0]) ^ set(shortlists[1])
    assert {d["id"] for d in second["decisions"]} == scored | moved
    assert second["unchanged"] == 1200 - len(scored | moved) and second["unchanged_since_run"] == 1
    assert second["counts"]["applicants"] == 1200
    assert not (project / "out" / "shortlist-left-out.csv").exists()


def _stored(folder: Path) -> dict[str, tuple]:
    """Per entry: its stored record's score, row, line, late mark and reasons, and its group."""
    with sqlite3.connect(folder / "screener.db") as db:
        rows = db.execute("SELECT e.entry_id, s.record, e.group_id, e.group_why FROM entries e JOIN scores s "
                          "ON s.entry_id = e.entry_id AND s.content_sha256 = e.content_sha256").fetchall()
    out = {}
    for entry, record, group, why in rows:
        r = json.loads(record)
        out[entry] = (r["score"], r["row"], r["line"], r["late"], r["submitted_at"], r["reasons"], group, why)
    return out


@pytest.mark.parametrize("how", ["appended", "re-sorted", "stored entry again", "dates decided by new rows"])
def test_reading_only_the_appended_rows_gives_what_reading_everything_gives(tmp_path: Path, how: str) -> None:
    header, body = _sample_rows()
    at = {name: header.index(name) for name in header}
    first, then = [r[:] for r in body[:900]], [r[:] for r in body]
    if how == "dates decided by new rows":
        # Night 1's dates say nothing of their order; a new row's 13/06/2020 makes them all day first.
        for row in first + then:
            row[at["Entry_DateSubmitted"]] = "06/05/2020 10:00"
        then[1000][at["Entry_DateSubmitted"]] = "13/06/2020 10:00"
    if how == "re-sorted":
        then = then[::-1]
    if how == "stored entry again":  # an update of entry 3 exported as a row of its own, at the end
        again = then[2][:]
        again[at["WhyAreYouAGreatFitForThisRole"]] += " I also led the Jira migration."
        again[at["Entry_DateUpdated"]] = "2020-07-01T10:00:00Z"
        then.append(again)
    nightly = _project(tmp_path / "nightly")
    _night(nightly, "n1", header, first, 1000)
    path = nightly / "exports" / "n2.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *then])
    os.utime(path, (2000, 2000))
    done = run_process("run", cwd=nightly)
    assert done.returncode == 0, done.stderr
    only_new = "read only the 300 rows added after the 900" in done.stdout
    assert only_new == (how in ("appended", "dates decided by new rows")), done.stdout
    once = _project(tmp_path / "once")
    (once / "exports").mkdir(exist_ok=True)
    (once / "exports" / "all.csv").write_bytes(path.read_bytes())
    assert run_process("run", cwd=once).returncode == 0
    nightly_rows, once_rows = _stored(nightly), _stored(once)
    if how == "re-sorted":
        # Entries not scored again keep the row and line they were scored at; and which signal a
        # group's reasons name on which member follows the store's order (first seen), which the
        # other project saw reversed: the groups themselves are the same.
        nightly_rows = {e: (r[0], *r[3:7]) for e, r in nightly_rows.items()}
        once_rows = {e: (r[0], *r[3:7]) for e, r in once_rows.items()}
    assert nightly_rows.keys() == once_rows.keys()
    differ = {e: (nightly_rows[e], once_rows[e]) for e in once_rows if nightly_rows[e] != once_rows[e]}
    assert differ == {}, "\n".join(f"{e}: {a} | {b}" for e, (a, b) in differ.items())
    if how == "dates decided by new rows":
        assert once_rows["1"][4].startswith("2020-05-06")  # 6 May, read day first


def test_a_missing_export_is_one_sentence(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    done = run_process("run", "--export", str(tmp_path / "gone.csv"), cwd=project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("gone.csv does not exist.")
