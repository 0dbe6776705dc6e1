"""Nightly runs and history: `screener run` as cron runs it, the store, incremental scoring,
duplicates, decisions, locking and crash safety."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, RUBRIC, SAMPLE, cli, run_process, start_harness, wait_for

EXE = str(Path(sys.executable).parent / "screener")
HEADER_AND_ROWS = list(csv.reader(io.StringIO((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig"),
                                              newline="")))


def write_export(path: Path, n: int, edits: dict[tuple[int, str], str] | None = None) -> Path:
    """The first ``n`` sample applications as a Cognito CSV, optionally with some answers changed."""
    head, body = HEADER_AND_ROWS[0], [r[:] for r in HEADER_AND_ROWS[1:n + 1]]
    for (row, column), value in (edits or {}).items():
        body[row][head.index(column)] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([head, *body])
    return path


def _newest(path: Path) -> Path:
    """``path`` made the newest export of its folder (what a run picks), without waiting for the clock."""
    stamp = max(p.stat().st_mtime for p in path.parent.iterdir()) + 10
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    run = cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv")
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("30 2 * * * cd ") and run.stdout.rstrip().endswith("run >> "
                                                                                    f"{tmp_path}/out/cron.log 2>&1")
    return tmp_path


def shortlist_ids(folder: Path) -> list[str]:
    text = (folder / "out" / "shortlist.csv").read_text(encoding="utf-8-sig")
    return [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))]


def counts(store: Path) -> dict:
    with sqlite3.connect(store) as db:
        return json.loads(db.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def test_init_writes_a_commented_config_and_refuses_to_overwrite(project: Path) -> None:
    text = (project / "screener.toml").read_text(encoding="utf-8")
    assert text.startswith("# screener project config") and 'exports = "exports/*.csv"' in text
    run = cli("init", "--rubric", RUBRIC)
    assert run.code == 1 and "already exists" in run.stderr


def test_second_run_on_the_same_export_scores_nothing(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 300)
    first = cli("run")
    assert first.code == 0, first.stderr
    assert "300 new, 0 changed, 300 scored" in first.stdout
    shortlist = (project / "out" / "shortlist.csv").read_bytes()
    second = cli("run")
    assert second.code == 4 and "nothing new" in second.stdout
    assert (project / "out" / "shortlist.csv").read_bytes() == shortlist


def test_appended_rows_only_are_scored_and_the_summary_names_who_moved(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 300)
    assert cli("run").code == 0
    _newest(write_export(project / "exports" / "b.csv", 320))  # the newest file wins
    run = cli("run")
    assert run.code == 0, run.stderr
    assert "320 rows; 20 new, 0 changed" in run.stdout
    got = counts(project / "screener.db")
    assert got["new"] == 20 and 20 <= got["scored"] < 300
    assert "entered:" in run.stdout and "left:" in run.stdout


def test_a_changed_entry_is_rescored_with_history_kept(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 50)
    assert cli("run").code == 0
    write_export(project / "exports" / "a.csv", 50, {(4, "YearsOfProjectManagementExperience"): "12 years"})
    run = cli("run")
    assert "0 new, 1 changed" in run.stdout
    with sqlite3.connect(project / "screener.db") as db:
        versions = db.execute("SELECT version, data FROM entry_versions WHERE entry_id='5' ORDER BY version").fetchall()
    assert [v for v, _ in versions] == [1, 2]
    assert "12 years" in versions[1][1] and "12 years" not in versions[0][1]


def test_changing_a_rubric_weight_rescores_everyone(project: Path) -> None:
    rubric = project / "rubric.yaml"
    rubric.write_text(RUBRIC.read_text(encoding="utf-8"), encoding="utf-8")
    config = (project / "screener.toml").read_text(encoding="utf-8")
    (project / "screener.toml").write_text(config.replace(f'rubric = "{RUBRIC}"', 'rubric = "rubric.yaml"'),
                                           encoding="utf-8")
    write_export(project / "exports" / "a.csv", 80)
    assert cli("run").code == 0
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("    weight: 10\n", "    weight: 12\n", 1),
                      encoding="utf-8")
    run = cli("run")
    assert run.code == 0 and "0 new, 0 changed, 80 scored" in run.stdout


def test_a_second_run_while_one_holds_the_lock_exits_75(project: Path) -> None:
    from screener.app.nightly import run_lock

    write_export(project / "exports" / "a.csv", 30)
    with run_lock(project / "screener.db"):
        proc = run_process("run", cwd=project)
    assert proc.returncode == 75
    assert "Another screener run is in progress" in proc.stderr
    assert run_process("run", cwd=project).returncode == 0


def test_two_runs_started_at_once_exactly_one_proceeds(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 400)
    ready = project / "ready"
    # Each run, once it holds the lock and has ingested the export, waits until told to go on.
    procs = [start_harness("run", cwd=project, faults=("--pause-after", "screener.app.nightly:_ingest",
                                                       "--ready", str(ready))) for _ in range(2)]
    wait_for(lambda: any(p.poll() is not None for p in procs), "one run to give up")
    outputs = [p.communicate("", timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 75], outputs
    assert any("Another screener run is in progress" in err for _out, err in outputs)


def test_a_run_killed_mid_way_leaves_store_and_shortlist_intact(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 200)
    assert run_process("run", cwd=project).returncode == 0
    before = (project / "out" / "shortlist.csv").read_bytes()
    _newest(write_export(project / "exports" / "b.csv", 400))
    ready = project / "ready"
    proc = start_harness("run", cwd=project, faults=("--pause-after", "screener.app.nightly:_ingest",
                                                     "--ready", str(ready)))
    wait_for(ready.exists, "the run to be mid-transaction")  # entries written, no output yet
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # reaped, its pipes closed
    with sqlite3.connect(project / "screener.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 200
    assert (project / "out" / "shortlist.csv").read_bytes() == before
    after = run_process("run", cwd=project)
    assert after.returncode == 0, after.stderr
    assert "400 rows; 200 new" in after.stdout


def test_run_as_cron_runs_it(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    write_export(project / "exports" / "a.csv", 120)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", f"HOME={elsewhere}", EXE, "run", "--config",
                           str(project / "screener.toml")], cwd=elsewhere, capture_output=True, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stderr
    log = (project / "out" / "screener.log").read_bytes()
    for stream in (proc.stdout, proc.stderr, log):
        assert b"\x1b" not in stream
    assert b"run 1 ok" in log
    assert b"@" not in log  # ids and counts only: no emails in the log
    assert list(elsewhere.iterdir()) == []  # nothing written where cron happened to be


def test_shortlist_from_the_store_new_and_decisions(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 600)
    assert cli("run").code == 0
    _newest(write_export(project / "exports" / "b.csv", 1200))
    assert cli("run").code == 0
    run = cli("shortlist", "--top", "50")
    assert run.code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO((project / "out" / "shortlist.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 50 and rows[0]["rank"] == "1"
    assert all(r["late"] != "yes" and r["bucket"] != "fail" for r in rows)
    new = cli("shortlist", "--top", "10", "--new", "-o", "new.csv")
    assert new.code == 0
    new_rows = list(csv.DictReader(io.StringIO((project / "new.csv").read_text(encoding="utf-8-sig"))))
    assert new_rows and all(int(r["first_seen_run"]) == 2 for r in new_rows)
    top = rows[0]["id"]
    assert cli("status", top, "advanced", "--note", "call on Monday").code == 0
    assert cli("status", "no-such-id", "hold").code == 2
    assert cli("status", top, "maybe").code == 2
    cli("shortlist", "--top", "5", "--exclude-decided", "-o", "undecided.csv")
    undecided = list(csv.DictReader(io.StringIO((project / "undecided.csv").read_text(encoding="utf-8-sig"))))
    assert top not in {r["id"] for r in undecided}
    left = (project / "undecided-left-out.csv").read_text(encoding="utf-8-sig")
    assert "already decided: advanced" in left
    since = cli("shortlist", "--top", "5", "--since", "2999-01-01", "-o", "none.csv")
    assert since.code == 0 and "Shortlisted 0 of" in since.stderr


def test_store_shortlist_without_a_config_says_how() -> None:
    run = cli("shortlist", "--top", "5")
    assert run.code == 1 and "screener init" in run.stderr


@pytest.mark.parametrize("key", ["1", "2020-06-01", "true", "rubric_path"])
def test_an_unknown_setting_of_any_type_is_named_in_one_sentence(tmp_path: Path, key: str) -> None:
    config = tmp_path / "screener.yaml"
    config.write_text(f"rubric: {RUBRIC}\nexports: exports/*.csv\n{key}: 5\n", encoding="utf-8")
    run = cli("run", "--config", config)
    assert run.code == 1, run.stderr
    named = {"1": "1", "2020-06-01": "2020-06-01", "true": "True", "rubric_path": "rubric_path"}[key]
    assert f"unknown setting(s) {named}; known:" in run.stderr and "bug" not in run.stderr


def test_duplicate_groups_on_a_fixture_with_known_answers(tmp_path: Path) -> None:
    out = tmp_path / "d.json"
    run = cli("score", DATA / "dupes" / "dupes.csv", "--rubric", RUBRIC, "-o", out)
    assert run.code == 0, run.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = {}
    for row in rows:
        if row["duplicate_group"]:
            groups.setdefault(row["duplicate_group"], set()).add(row["id"])
    assert groups == {"2": {"1", "2"}, "4": {"3", "4"}, "6": {"5", "6"}}
    why = {r["id"]: r["duplicate_why"] for r in rows}
    assert why["2"] == "same email"
    assert why["4"] == "same phone and name"
    assert why["6"] == "similar name and near-identical answers"
    listing = cli("duplicates", DATA / "dupes" / "dupes.csv", "--rubric", RUBRIC)
    assert listing.code == 0 and "3 groups, 6 applications" in listing.stdout


def test_the_printed_crontab_line_works_in_crons_environment(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 60)
    line = (project / "cron-line.txt")
    run = cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv", "--force")
    line.write_text(run.stdout, encoding="utf-8")
    fields = run.stdout.strip().split(" ", 5)
    assert fields[:5] == ["30", "2", "*", "*", "*"]
    proc = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", "/bin/sh", "-c", fields[5]],
                          cwd="/", capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    log = (project / "out" / "cron.log").read_bytes()
    assert b"run 1: ok" in log and b"\x1b" not in log


def test_adjustments_show_beside_the_computed_score_and_move_the_rank(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 200)
    assert cli("run").code == 0
    cli("shortlist", "--top", "200", "--include-knockouts", "--include-late", "-o", "all.csv")
    rows = list(csv.DictReader(io.StringIO((project / "all.csv").read_text(encoding="utf-8-sig"))))
    low = rows[-1]["id"]
    assert cli("adjust", low, "+10").code == 2  # a reason is required
    run = cli("adjust", low, "+100", "--note", "strong portfolio seen in interview", env={"SCREENER_USER": "maria"})
    assert run.code == 0 and "by maria" in run.stdout
    cli("shortlist", "--top", "200", "--include-knockouts", "--include-late", "-o", "all.csv")
    after = {r["id"]: r for r in csv.DictReader(io.StringIO((project / "all.csv").read_text(encoding="utf-8-sig")))}
    row = after[low]
    assert float(row["adjusted_score"]) == min(100.0, float(row["score"]) + 100)
    assert row["adjustment"] == "100.0" and row["adjusted_by"] == "maria"
    assert row["adjustment_note"] == "strong portfolio seen in interview"
    assert int(row["rank"]) < int(rows[-1]["rank"])
    logged = [json.loads(line) for line in (project / "screener-audit.jsonl").read_text().splitlines()]
    assert [e["command"] for e in logged] == ["run", "shortlist", "adjust", "shortlist"]
    assert logged[2]["who"] == "maria" and logged[2]["applicant"] == low
    # A shortlist from the store is logged like one from an export: the cut, who was selected,
    # and the person's adjustment beside the computed score.
    last = logged[-1]
    assert last["from"] == "store" and last["cut"]["top"] == 200
    assert last["input"]["sha256"] == logged[0]["input"]["sha256"]
    mine = next(d for d in last["decisions"] if d["id"] == low)
    assert mine["selected"] is True and mine["adjusted_score"] == float(row["adjusted_score"])
    assert "adjusted_score" not in next(d for d in logged[1]["decisions"] if d["id"] == low)
    header = next(csv.reader(io.StringIO((project / "all.csv").read_text(encoding="utf-8-sig"))))
    assert header[header.index("score") + 1 : header.index("score") + 3] == ["adjusted_score", "adjustment"]


def test_an_older_store_is_migrated_forward(tmp_path: Path) -> None:
    from screener.data import store as store_mod

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(store_mod._MIGRATIONS[1])
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with store_mod.Store(path) as opened:
        assert opened._version() == store_mod.SCHEMA_VERSION == 5
        columns = [r[1] for r in opened.db.execute("PRAGMA table_info(scores)")]
        assert columns[-1] == "text_keys"
        assert opened.db.execute("SELECT COUNT(*) FROM adjustments").fetchone()[0] == 0
        assert opened.db.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == 0
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(store_mod.StoreError, match="newer screener"):
        store_mod.Store(path)


def test_a_schema_4_store_keeps_its_scores_facts_and_text_keys(project: Path) -> None:
    """Migration 5 fills the facts and text-key tables from the stored records: a run after the
    upgrade scores nothing again and shortlists as before."""
    from screener.data import store as store_mod

    write_export(project / "exports" / "a.csv", 120)
    assert run_process("run", cwd=project).returncode == 0
    before = shortlist_ids(project)
    path = project / "screener.db"
    with sqlite3.connect(path) as db:  # the store as schema 4 left it: records and their text keys only
        keys = {e: json.loads(r) for e, r in db.execute("SELECT entry_id, record FROM scores")}
        for entry in keys:
            text = {c: [k, n] for c, k, n in db.execute(
                "SELECT criterion, key, copies FROM copy_keys WHERE entry_id=?", (entry,))}
            db.execute("UPDATE scores SET text_keys=? WHERE entry_id=?", (json.dumps(text), entry))
        for table in ("facts", "copy_keys", "group_keys", "blocks"):
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP INDEX entries_facts")
        db.execute("DELETE FROM meta WHERE key LIKE 'grouping_basis' OR key LIKE 'copy_keys_complete:%'")
        db.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
    with store_mod.Store(path) as opened:
        assert opened._version() == 5
        assert opened.db.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == len(keys)
        assert opened.db.execute("SELECT COUNT(DISTINCT entry_id) FROM copy_keys").fetchone()[0] == len(keys)
        name = opened.db.execute("SELECT name FROM facts WHERE entry_id='7'").fetchone()[0]
        assert name == keys["7"]["name"]
    (project / "exports" / "a.csv").write_bytes((project / "exports" / "a.csv").read_bytes() + b"\r\n")
    again = run_process("run", cwd=project)
    assert again.returncode == 4, again.stderr  # nothing new: nobody scored again
    assert "120 rows; 0 new, 0 changed, 0 scored" in again.stdout
    assert shortlist_ids(project) == before


def test_a_run_with_unreadable_rows_exits_3_and_lists_them(project: Path) -> None:
    path = write_export(project / "exports" / "a.csv", 40)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("999,Too,few\r\n")
    run = cli("run")
    assert run.code == 3, run.stderr
    assert "1 could not be read" in run.stdout and "unreadable rows: listed in" in run.stdout
    unreadable = (project / "out" / "unreadable.csv").read_text(encoding="utf-8-sig")
    assert "has 3 fields but the header has 24" in unreadable and "999" in unreadable
    # The next run without the broken line removes the list: it would no longer be true.
    _newest(write_export(project / "exports" / "b.csv", 40))
    again = cli("run")
    assert again.code in (0, 4), again.stderr
    assert not (project / "out" / "unreadable.csv").exists() and "removed" in again.stdout


def _by_id(path: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    # What scoring decides; not the history columns (first seen, versions) that differ by design.
    keep = ("score", "bucket", "rank", "knockouts", "reasons", "duplicate_group", "duplicate_why")
    return {r["id"]: {k: v for k, v in r.items() if k in keep or k.endswith((".points", ".status", ".evidence"))}
            for r in rows}


def test_nights_of_new_rows_give_what_one_full_run_gives(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Copy-pasted letters arrive night after night: the stored rows whose copy counts change keep
    # their scores unless their text becomes boilerplate, and their "same text as N" evidence is
    # recounted, so the outputs equal a single run on the last export.
    scored = []
    for night, rows in enumerate((400, 800, 1200), start=1):
        write_export(project / "exports" / f"night{night}.csv", rows)
        os.utime(project / "exports" / f"night{night}.csv", (night * 1000, night * 1000))
        run = cli("run")
        assert run.code == 0, run.stderr
        scored.append(counts(project / "screener.db")["scored"])
    full = project / "full"
    full.mkdir()
    monkeypatch.chdir(full)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    write_export(full / "exports" / "all.csv", 1200)
    assert cli("run").code == 0
    # Everyone else is written from the store, on request.
    assert not (full / "out" / "shortlist-left-out.csv").exists()
    for folder in (project, full):
        monkeypatch.chdir(folder)
        assert cli("shortlist").code == 0
    for name in ("shortlist.csv", "shortlist-left-out.csv"):
        nightly, once = _by_id(project / "out" / name), _by_id(full / "out" / name)
        assert nightly.keys() == once.keys()
        assert [i for i in once if nightly[i] != once[i]] == []
    # Only new rows and the few whose text crossed the boilerplate line were scored on nights 2 and 3.
    assert scored[0] == 400 and 400 <= scored[1] < 440 and 400 <= scored[2] < 440, scored
    left = (project / "out" / "shortlist-left-out.csv").read_text(encoding="utf-8-sig")
    assert "same text as" in left


@pytest.mark.parametrize("helper", [False, True])
def test_a_first_nightly_run_shows_the_duplicate_groups_in_its_outputs(project: Path, helper: bool) -> None:
    # With a helper process the groups are found while the stored records are read back; the
    # outputs of the same run must already carry them (not the store's groups from before).
    (project / "exports").mkdir(exist_ok=True)
    (project / "exports" / "dupes.csv").write_bytes((DATA / "dupes" / "dupes.csv").read_bytes())
    env = {"SCREENER_WORKERS": "2", "SCREENER_PARALLEL_BYTES": "0"} if helper else {"SCREENER_WORKERS": "1"}
    run = cli("run", env=env)
    assert run.code in (0, 3), run.stderr
    shortlisted = (project / "out" / "shortlist.csv").read_text(encoding="utf-8-sig")
    assert cli("shortlist", env=env).code == 0  # everyone, from the store
    assert (project / "out" / "shortlist.csv").read_text(encoding="utf-8-sig") == shortlisted
    groups: dict[str, set[str]] = {}
    why: dict[str, str] = {}
    for name in ("shortlist.csv", "shortlist-left-out.csv"):
        for row in csv.DictReader(io.StringIO((project / "out" / name).read_text(encoding="utf-8-sig"), newline="")):
            if row.get("duplicate_group"):
                groups.setdefault(row["duplicate_group"], set()).add(row["id"])
                why[row["id"]] = row["duplicate_why"]
    assert groups == {"2": {"1", "2"}, "4": {"3", "4"}, "6": {"5", "6"}}
    assert why["2"] == "same email" and why["4"] == "same phone and name"
    assert why["6"] == "similar name and near-identical answers"
