"""A project's first run over an export too large to hold is read in two passes (app/bulk.py,
issue 17); what it stores must be what a run reading the export whole stores, and later nights
go on from it the same way."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RUBRIC, SAMPLE, run_process, start_harness, wait_for

# Every export counts as large, read in pieces of 97 rows.
PIECES = {"SCREENER_STREAM_BYTES": "2000", "SCREENER_CHUNK_ROWS": "97"}
KEYS_PHASE = "store and score "  # the second pass: only a run read in pieces has it


def _sample() -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / "applicants.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    done = run_process("init", "--rubric", str(RUBRIC), "--exports", "exports/*.csv", cwd=folder)
    assert done.returncode == 0, done.stderr
    (folder / "exports").mkdir(exist_ok=True)
    return folder


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]], stamp: int) -> Path:
    path = folder / "exports" / f"{name}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([header, *rows])
    os.utime(path, (stamp, stamp))
    return path


def _night(folder: Path, name: str, header: list[str], rows: list[list[str]], stamp: int,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    _write(folder, name, header, rows, stamp)
    done = run_process("run", "--timings", cwd=folder, env=env)
    assert done.returncode == 0, done.stderr
    return done


# What the two projects must hold alike: every table a run fills, but the run ids and times.
_TABLES = {
    "entries": "SELECT entry_id, version, content_sha256, data, group_id, group_why FROM entries",
    "versions": "SELECT entry_id, version, content_sha256, data FROM entry_versions",
    "scores": "SELECT entry_id, content_sha256, score, bucket, record FROM scores",
    "facts": "SELECT * FROM facts",
    "copy_keys": "SELECT * FROM copy_keys",
    "group_keys": "SELECT entry_id, email, phone, profile, name, head, tail, long, submitted FROM group_keys",
    "blocks": "SELECT * FROM blocks",
    "meta": "SELECT key, value FROM meta",
}


def _held(folder: Path) -> dict[str, set[tuple]]:
    with sqlite3.connect(folder / "screener.db") as db:
        held = {name: set(db.execute(sql)) for name, sql in _TABLES.items()}
        # A cluster is named by one of its members: compare who is with whom.
        members: dict[int, set[str]] = {}
        for entry, cluster in db.execute("SELECT entry_id, cluster FROM group_keys"):
            members.setdefault(cluster, set()).add(entry)
    held["clusters"] = {tuple(sorted(m)) for m in members.values()}
    return held


def _same(a: Path, b: Path) -> None:
    left, right = _held(a), _held(b)
    for table in left:
        assert left[table] == right[table], f"{table}: {sorted(left[table] ^ right[table])[:4]}"
    assert _shortlist(a) == _shortlist(b)


def _shortlist(folder: Path) -> list[list[str]]:
    """The shortlist file's cells, but when each entry was first seen (the run's time)."""
    with (folder / "out" / "shortlist.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    seen = header.index("first_seen_at")
    return [header, *([c for i, c in enumerate(row) if i != seen] for row in rows)]


@pytest.mark.parametrize("case", ["sample", "dates decided by the last piece", "an entry twice"])
def test_a_first_run_read_in_pieces_stores_what_a_whole_read_stores(tmp_path: Path, case: str) -> None:
    header, body = _sample()
    at = {name: header.index(name) for name in header}
    if case == "dates decided by the last piece":
        # Every date but one says nothing of the order; the 13/06 in the last piece makes them day first.
        for row in body:
            row[at["Entry_DateSubmitted"]] = "06/05/2020 10:00"
        body[1090][at["Entry_DateSubmitted"]] = "13/06/2020 10:00"
    if case == "an entry twice":  # an update of entry 3 exported as a row of its own: read whole
        again = body[2][:]
        again[at["WhyAreYouAGreatFitForThisRole"]] += " I also led the Jira migration."
        again[at["Entry_DateUpdated"]] = "2020-07-01T10:00:00Z"
        body.insert(1000, again)
    pieces, whole = _project(tmp_path / "pieces"), _project(tmp_path / "whole")
    first = _night(pieces, "n1", header, body[:1100], 1000, env=PIECES)
    assert (KEYS_PHASE in first.stderr) == (case != "an entry twice"), first.stderr
    assert KEYS_PHASE not in _night(whole, "n1", header, body[:1100], 1000).stderr
    _same(pieces, whole)
    if case == "dates decided by the last piece":
        with sqlite3.connect(pieces / "screener.db") as db:
            assert db.execute("SELECT value FROM meta WHERE key='dates_day_first'").fetchone() == ("true",)
    # The next night adds rows at the end: both projects read only those, and stay alike.
    for project in (pieces, whole):
        done = _night(project, "n2", header, body, 2000, env=PIECES)
        assert KEYS_PHASE not in done.stderr and "read only the" in done.stdout, done.stdout
    _same(pieces, whole)


def test_a_first_run_in_pieces_groups_planted_duplicates_as_a_whole_read(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--rows", "6000", "--seed", "23",
                    "--formats", "csv", "--out", str(out), "--no-answer-key"], check=True, capture_output=True)
    with (out / "applicants.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle))
    pieces, whole = _project(tmp_path / "pieces"), _project(tmp_path / "whole")
    assert KEYS_PHASE in _night(pieces, "n1", header, body, 1000,
                                env={"SCREENER_STREAM_BYTES": "100000", "SCREENER_CHUNK_ROWS": "1000"}).stderr
    _night(whole, "n1", header, body, 1000)
    _same(pieces, whole)
    with sqlite3.connect(pieces / "screener.db") as db:
        grouped = db.execute("SELECT count(*) FROM entries WHERE group_id != ''").fetchone()[0]
    assert grouped > 200


def test_an_export_that_changes_between_the_passes_saves_nothing(tmp_path: Path) -> None:
    header, body = _sample()
    project = _project(tmp_path / "p")
    export = _write(project, "n1", header, body, 1000)
    ready = tmp_path / "ready"
    proc = start_harness("run", cwd=project, env=PIECES,
                         faults=("--pause-after", "screener.app.stream:first_pass", "--ready", str(ready)))
    wait_for(ready.exists, "the first pass to end")
    with export.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(["99999", *body[0][1:]])
    _out, err = proc.communicate("", timeout=120)
    assert proc.returncode == 1, err
    assert "changed while it was being read" in err and "Traceback" not in err
    with sqlite3.connect(project / "screener.db") as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    assert not (project / "out" / "shortlist.csv").exists()
    # The next run, on the finished export, reads it in pieces and saves everyone.
    done = run_process("run", "--timings", cwd=project, env=PIECES)
    assert done.returncode == 0 and KEYS_PHASE in done.stderr, done.stderr
    with sqlite3.connect(project / "screener.db") as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (len(body) + 1,)


def test_a_first_run_in_pieces_lists_unreadable_rows_as_a_whole_read(tmp_path: Path) -> None:
    header, body = _sample()
    outputs = {}
    for name, env in (("pieces", PIECES), ("whole", None)):
        project = _project(tmp_path / name)
        # A row of 3 fields where the header has more, in the middle of the export.
        _write(project, "n1", header, [*body[:700], ["999", "Broken", "Row"], *body[700:]], 1000)
        done = run_process("run", "--timings", cwd=project, env=env)
        assert done.returncode == 3, done.stderr
        assert (KEYS_PHASE in done.stderr) == (name == "pieces"), done.stderr
        assert "1 could not be read" in done.stdout, done.stdout
        outputs[name] = (project / "out" / "unreadable.csv").read_text(encoding="utf-8-sig")
    assert "999" in outputs["pieces"] and outputs["pieces"] == outputs["whole"]
    _same(tmp_path / "pieces", tmp_path / "whole")


def test_a_rubric_changed_and_changed_back_scores_those_added_meanwhile(tmp_path: Path) -> None:
    """A night only looks up its own new entries when the last run left everyone scored under
    the rubric; entries added under another rubric are scored when the first comes back."""
    header, body = _sample()
    folder = tmp_path / "p"
    folder.mkdir()
    rubric = folder / "rubric.yaml"
    text = RUBRIC.read_text(encoding="utf-8")
    rubric.write_text(text, encoding="utf-8")
    assert run_process("init", "--rubric", str(rubric), "--exports", "exports/*.csv", cwd=folder).returncode == 0
    (folder / "exports").mkdir(exist_ok=True)
    _night(folder, "n1", header, body[:300], 1000)
    rubric.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    _night(folder, "n2", header, body[:400], 2000)
    rubric.write_text(text, encoding="utf-8")
    done = _night(folder, "n3", header, body[:450], 3000)
    # The 100 added under the other rubric and the 50 new (and any whose copied text the new
    # ones made boilerplate).
    scored = int(done.stdout.split("450 rows; 50 new, 0 changed, ")[1].split(" scored")[0])
    assert 150 <= scored < 200, done.stdout
    with sqlite3.connect(folder / "screener.db") as db:
        sha = db.execute("SELECT rubric_sha256 FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert db.execute("SELECT rubric_sha256 FROM runs WHERE id = 1").fetchone() == (sha,)
        missing = db.execute("SELECT COUNT(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE "
                             "s.entry_id = e.entry_id AND s.content_sha256 = e.content_sha256 AND "
                             "s.rubric_sha256 = ?)", (sha,)).fetchone()
    assert missing == (0,)
