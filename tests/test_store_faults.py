"""Faults from outside screener lose nothing and never say "bug" (issue 16): planted links, a
full disk, a read-only or damaged or emptied store, an unwritable audit log, standard output
that cannot be written, a store held by a long run, a WAL file removed mid-run, and a run
killed between its commit and its outputs. Every case runs the real ``screener`` executable."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DATA, RUBRIC, cli, run_process, start_harness, wait_for
from test_nightly import write_export

EXE = str(Path(sys.executable).parent / "screener")
TINY = DATA / "cli" / "tiny.csv"
MINIMAL = DATA / "rubrics" / "minimal.yaml"


def _init(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    made = run_process("init", "--rubric", RUBRIC, "--exports", "exports/*.csv", cwd=folder)
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _init(tmp_path / "project")


def one_sentence(stderr: str) -> str:
    """The error: one line, no traceback, not a bug."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "no message on stderr"
    assert "Traceback" not in stderr and "bug" not in stderr.lower(), stderr
    return lines[-1]


def shortlist_ids(folder: Path) -> list[str]:
    text = (folder / "out" / "shortlist.csv").read_text(encoding="utf-8-sig")
    return [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))]


def left_out_ids(folder: Path) -> set[str]:
    """Ids in the left-out file (none when there is no file: a nightly run does not write it)."""
    path = folder / "out" / "shortlist-left-out.csv"
    if not path.exists():
        return set()
    text = path.read_text(encoding="utf-8-sig")
    return {row["id"] for row in csv.DictReader(io.StringIO(text, newline="")) if row.get("rank")}


def store_state(store: Path) -> tuple[str, set[str], list[str]]:
    """(integrity_check, every entry id, the last finished run's shortlist), read as a new reader."""
    with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        entries = {i for (i,) in db.execute("SELECT entry_id FROM entries")}
        row = db.execute("SELECT shortlist FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
                         ).fetchone()
    return check, entries, json.loads(row[0]) if row else []


def assert_consistent(folder: Path, *, exact: bool = True) -> None:
    """The store is sound, every id in the outputs is one it knows, and (``exact``) the shortlist
    is the store's last run's."""
    check, entries, last = store_state(folder / "screener.db")
    assert check == "ok"
    listed = shortlist_ids(folder)
    assert set(listed) <= entries and left_out_ids(folder) <= entries
    if exact:
        assert listed == last


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``where`` (root only); the test is skipped, saying why, where it cannot be mounted."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to simulate a full or read-only disk: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def remount(where: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True, capture_output=True)


# -- 1. planted links -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["screener.db.lock", "out/screener.log", "screener-audit.jsonl", "screener.db",
                                  "screener.db-wal"])
def test_a_planted_symlink_is_refused_and_its_target_untouched(project: Path, tmp_path: Path, name: str) -> None:
    write_export(project / "exports" / "a.csv", 30)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = project / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim)
    run = run_process("run", cwd=project)
    assert run.returncode == 77, run.stderr
    said = one_sentence(run.stderr)
    assert "symbolic link" in said and name.rsplit("/", 1)[-1] in said
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (project / "out" / "shortlist.csv").exists()


def test_a_hard_linked_lock_is_refused_and_never_truncated(project: Path, tmp_path: Path) -> None:
    write_export(project / "exports" / "a.csv", 30)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    os.link(victim, project / "screener.db.lock")
    run = run_process("run", cwd=project)
    assert run.returncode == 77 and "hard link" in one_sentence(run.stderr)
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_status_refuses_a_symlinked_audit_log_before_recording(project: Path, tmp_path: Path) -> None:
    write_export(project / "exports" / "a.csv", 30)
    assert run_process("run", cwd=project).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (project / "screener-audit.jsonl").unlink()
    (project / "screener-audit.jsonl").symlink_to(victim)
    top = shortlist_ids(project)[0]
    status = run_process("status", top, "advanced", cwd=project)
    assert status.returncode == 77 and "symbolic link" in one_sentence(status.stderr)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    with contextlib.closing(sqlite3.connect(project / "screener.db")) as db:
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0


# -- 3. outputs and the store agree --------------------------------------------------------------

# How much room is left decides where the run fails: in the store (200 KiB), at the commit
# (12,000 KiB), or appending the audit log after the commit (15,500 KiB).
@pytest.mark.parametrize("free_kib", [200, 12000, 15500])
def test_a_full_disk_leaves_outputs_that_match_the_store(tmp_path: Path, free_kib: int) -> None:
    with tmpfs(tmp_path / "disk", "40m") as disk:
        folder = _init(disk / "project")
        small = write_export(tmp_path / "exports" / "a.csv", 100)
        assert run_process("run", "--export", small, cwd=folder).returncode == 0
        filler = disk / "filler"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with filler.open("wb") as handle:
            handle.truncate(0)
            handle.write(b"\0" * max(0, free - free_kib * 1024))
        big = write_export(tmp_path / "exports" / "b.csv", 1200)
        run = run_process("run", "--export", big, cwd=folder)
        assert run.returncode in (0, 74), run.stderr
        if run.returncode == 74:
            said = one_sentence(run.stderr)
            assert "full" in said or "space" in said
        assert_consistent(folder)
        for entry in shortlist_ids(folder)[:3]:  # what the shortlist lists, a person can decide on
            filler.unlink(missing_ok=True)
            assert run_process("status", entry, "reviewed", cwd=folder).returncode == 0
        filler.unlink(missing_ok=True)
        again = run_process("run", "--export", big, cwd=folder)
        assert again.returncode in (0, 4), again.stderr
        assert_consistent(folder)
        check, entries, _last = store_state(folder / "screener.db")
        assert len(entries) == 1200


def test_a_run_killed_between_commit_and_outputs_is_repaired_by_the_next(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 100)
    assert run_process("run", cwd=project).returncode == 0
    big = write_export(project / "exports" / "b.csv", 300)
    os.utime(big, (os.stat(big).st_mtime + 10,) * 2)
    ready = project / "ready"
    proc = start_harness("run", cwd=project, faults=("--pause-after", "screener.app.nightly:_check_commit",
                                                     "--ready", str(ready)))
    wait_for(ready.exists, "the run to have committed")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert_consistent(project, exact=False)  # yesterday's outputs: ids the store knows
    again = run_process("run", cwd=project)
    assert again.returncode == 4, again.stderr  # nothing new to score, but the outputs are written
    assert_consistent(project)
    logged = [json.loads(line) for line in (project / "screener-audit.jsonl").read_text().splitlines()]
    assert [e.get("run_id") for e in logged] == [1, 2]  # the killed run's record, appended by the next


# -- 5. faults outside screener: one sentence and a documented code ------------------------------

def test_a_read_only_store_is_said_in_one_sentence(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "32m") as disk:
        folder = _init(disk / "project")
        assert run_process("run", "--export", write_export(tmp_path / "a.csv", 40), cwd=folder).returncode == 0
        top = shortlist_ids(folder)[0]
        remount(disk, "ro")
        try:
            status = run_process("status", top, "advanced", cwd=folder)
            assert status.returncode == 74 and "read-only" in one_sentence(status.stderr)
            run = run_process("run", "--export", write_export(tmp_path / "b.csv", 60), cwd=folder)
            assert run.returncode == 74 and "read-only" in one_sentence(run.stderr)
        finally:
            remount(disk, "rw")
        assert run_process("status", top, "advanced", cwd=folder).returncode == 0


def test_a_damaged_store_is_refused_and_not_written(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 300)
    assert run_process("run", cwd=project).returncode == 0
    store = project / "screener.db"
    top = shortlist_ids(project)[0]
    with store.open("r+b") as handle:  # a page in the middle of the file turned to noise
        page = 4096
        handle.seek(page * (store.stat().st_size // page // 2))
        handle.write(bytes(range(256)) * (page // 256))
    before = sha(store)
    for args in (("status", top, "advanced"), ("adjust", top, "+5", "--note", "seen"), ("run",)):
        done = run_process(*args, cwd=project)
        assert done.returncode == 65, (args, done.stderr)
        assert "damaged" in one_sentence(done.stderr)
        assert sha(store) == before


def test_an_empty_store_is_refused_unless_new_store(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 40)
    assert run_process("run", cwd=project).returncode == 0
    (project / "screener.db").write_bytes(b"")
    run = run_process("run", cwd=project)
    assert run.returncode == 65
    said = one_sentence(run.stderr)
    assert "empty" in said and "--new-store" in said
    assert run_process("status", "1", "hold", cwd=project).returncode == 65
    fresh = run_process("run", "--new-store", cwd=project)
    assert fresh.returncode == 0, fresh.stderr
    assert "40 new" in fresh.stdout


def test_an_unwritable_audit_log_folder_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    run = run_process("score", TINY, "--rubric", MINIMAL, cwd=tmp_path,
                      env={"SCREENER_AUDIT_LOG": str(blocker / "screener-audit.jsonl")})
    assert run.returncode == 74 and "audit log" in one_sentence(run.stderr)


def _limited(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_failed_audit_append_after_the_commit_is_said_and_recorded_next_run(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 60)
    assert run_process("run", cwd=project).returncode == 0
    log = project / "screener-audit.jsonl"
    filler = json.dumps({"ts": "2999-01-01T00:00:00Z", "command": "note", "decisions": []}) + "\n"
    with log.open("a", encoding="utf-8") as handle:  # a log larger than the file-size limit below
        handle.write(filler * (6 * 1024 * 1024 // len(filler)))
    limit = log.stat().st_size + 10  # the store and outputs fit; the run's audit record does not
    later = write_export(project / "exports" / "b.csv", 80)
    os.utime(later, (os.stat(later).st_mtime + 10,) * 2)
    env = {**os.environ, "NO_COLOR": "1"}
    run = subprocess.run([EXE, "run"], cwd=project, env=env, capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: _limited(limit), check=False)
    assert run.returncode == 74, run.stderr
    said = one_sentence(run.stderr)
    assert "audit log" in said and "kept in the store" in said
    assert "run 2: ok" in run.stdout  # the run itself is saved and said
    assert_consistent(project)
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [e.get("run_id") for e in logged if e["command"] == "run"] == [1]
    top = shortlist_ids(project)[0]
    assert run_process("status", top, "hold", cwd=project).returncode == 0  # the next command appends it
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [e.get("run_id") for e in logged if e["command"] == "run"] == [1, 2]
    assert logged[-1]["command"] == "status" and logged[-1]["decision"] == "hold"


def test_standard_output_that_cannot_be_written_is_one_sentence(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 30)
    assert run_process("run", cwd=project).returncode == 0
    top = shortlist_ids(project)[0]
    env = {**os.environ, "NO_COLOR": "1"}
    with open("/dev/full", "w", encoding="utf-8") as full:
        for args in (["log"], ["status", top, "advanced"]):
            done = subprocess.run([EXE, *args], cwd=project, env=env, stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=60, check=False)
            assert done.returncode == 74, done.stderr
            assert "standard output" in one_sentence(done.stderr)
    with contextlib.closing(sqlite3.connect(project / "screener.db")) as db:
        assert db.execute("SELECT decision FROM decisions").fetchall() == [("advanced",)]


def test_status_waits_for_a_long_run_and_keeps_the_decision(project: Path, tmp_path: Path) -> None:
    write_export(project / "exports" / "a.csv", 60)
    assert run_process("run", cwd=project).returncode == 0
    top = shortlist_ids(project)[0]
    later = write_export(project / "exports" / "b.csv", 200)
    os.utime(later, (os.stat(later).st_mtime + 10,) * 2)
    ready = project / "ready"
    runner = start_harness("run", cwd=project, faults=("--pause-after", "screener.app.nightly:_ingest",
                                                       "--ready", str(ready)))
    wait_for(ready.exists, "the run to hold the write transaction")
    said = tmp_path / "status.err"
    with said.open("w", encoding="utf-8") as err:
        status = subprocess.Popen([EXE, "status", top, "advanced", "--note", "call"], cwd=project,
                                  env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"}, stdout=subprocess.PIPE,
                                  stderr=err, text=True)
        wait_for(lambda: "waiting" in said.read_text(encoding="utf-8"), "status to say it waits")
        assert status.poll() is None  # still waiting, nothing lost
        out, errs = runner.communicate("", timeout=120)
        assert runner.returncode == 0, errs
        status.communicate(timeout=120)
    assert status.returncode == 0, said.read_text(encoding="utf-8")
    with contextlib.closing(sqlite3.connect(project / "screener.db")) as db:
        assert db.execute("SELECT entry_id, decision FROM decisions").fetchall() == [(top, "advanced")]


# -- 6. silent losses -----------------------------------------------------------------------------

def test_a_wal_removed_during_the_run_is_never_reported_as_saved(project: Path) -> None:
    write_export(project / "exports" / "a.csv", 60)
    assert run_process("run", cwd=project).returncode == 0
    later = write_export(project / "exports" / "b.csv", 160)
    os.utime(later, (os.stat(later).st_mtime + 10,) * 2)
    ready = project / "ready"
    proc = start_harness("run", cwd=project, faults=("--pause-after", "screener.app.nightly:_ingest",
                                                     "--ready", str(ready)))
    wait_for(ready.exists, "the run to be mid-transaction")
    (project / "screener.db-wal").unlink()
    out, err = proc.communicate("", timeout=120)
    _check, entries, last = store_state(project / "screener.db")
    if proc.returncode == 0:  # said "ok": then a new reader sees the run
        assert "run 2: ok" in out and len(entries) == 160
    else:
        assert proc.returncode == 74 and "did not reach the store" in one_sentence(err)
    assert_consistent(project)


# -- 7. identity in the audit log ----------------------------------------------------------------

def test_ids_that_are_emails_are_logged_as_keyed_hashes(tmp_path: Path) -> None:
    rubric = tmp_path / "by-email.yaml"
    rubric.write_text(MINIMAL.read_text(encoding="utf-8").replace("  id: ref", "  id: mail"), encoding="utf-8")
    checked = cli("rubric", "validate", rubric)
    assert checked.code == 0 and "reads a contact column" in checked.stderr
    log = tmp_path / "audit" / "screener-audit.jsonl"
    for blind in ((), ("--blind",)):
        run = run_process("score", TINY, "--rubric", rubric, *blind, cwd=tmp_path,
                          env={"SCREENER_AUDIT_LOG": str(log)})
        assert run.returncode == 0, run.stderr
    text = log.read_text(encoding="utf-8")
    assert "@" not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert all(d["id"].startswith("C-") for d in first["decisions"])
    assert first["decisions"] == second["decisions"]  # the same key: the same applicant, the same hash
    assert (log.parent / "screener-audit.key").stat().st_mode & 0o777 == 0o600
