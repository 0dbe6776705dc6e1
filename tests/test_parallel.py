"""A large export is scored with a helper process (app/parallel.py) to the same bytes as without
it; the threshold is lowered here so small files use it, and the helper's work is logged (or made
to die or fail, and the main process does it instead) by faults.py, installed from the test."""

from __future__ import annotations

import csv
import io
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import faults
from conftest import DATA, RUBRIC, SAMPLE, cli, start_harness, wait_for

ONE = {"SCREENER_WORKERS": "1"}
HELPED = {"SCREENER_WORKERS": "2", "SCREENER_PARALLEL_BYTES": "0"}
EXPORTS = {
    "sample": SAMPLE / "applicants.csv",
    "everything": DATA / "hostile" / "everything.csv",  # rejected rows, formulas, unread dates
    "ragged": DATA / "cli" / "ragged.csv",
    "dupes": DATA / "dupes" / "dupes.csv",
    "json": SAMPLE / "applicants.json",
}


def _logged(log: Path, what: str) -> list[str]:
    """The helper process ids that logged ``what`` ("asked": took a request, "answered": did it)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [pid for pid, done in (line.split() for line in lines) if done == what]


def _requests(log: Path) -> list[str]:
    return _logged(log, "asked")


def _answered(log: Path) -> list[str]:
    return _logged(log, "answered")


def _pids(log: Path) -> set[int]:
    return {int(p) for p in _requests(log)}


@pytest.mark.parametrize("name", list(EXPORTS))
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_helper_changes_no_byte_of_the_output(in_tmp: Path, name: str, fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    export, log = EXPORTS[name], in_tmp / "helper.log"
    faults.install_pool("", str(log), monkeypatch.setattr)
    alone = cli("score", export, "-f", fmt, "-o", in_tmp / f"alone.{fmt}", "--rejected", in_tmp / "alone-rej.csv",
                env=ONE)
    assert alone.code == 0, alone.stderr
    assert not log.exists()
    helped = cli("score", export, "-f", fmt, "-o", in_tmp / f"helped.{fmt}", "--rejected", in_tmp / "helped-rej.csv",
                 env=HELPED)
    assert helped.code == 0, helped.stderr
    assert (in_tmp / f"helped.{fmt}").read_bytes() == (in_tmp / f"alone.{fmt}").read_bytes()
    assert (in_tmp / "helped-rej.csv").read_bytes() == (in_tmp / "alone-rej.csv").read_bytes()
    assert helped.stderr.replace("helped", "alone") == alone.stderr
    # One request (the free-text criteria), answered by another process than this one.
    assert len(_requests(log)) == len(_answered(log)) == 1 and os.getpid() not in _pids(log)


def test_the_terminal_table_and_shortlist_are_the_same_with_the_helper(in_tmp: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    export, log = SAMPLE / "applicants.csv", in_tmp / "helper.log"
    faults.install_pool("", str(log), monkeypatch.setattr)
    for args in (("score", export, "--all"), ("shortlist", export, "--top", "40", "-o", "short.csv")):
        alone = cli(*args, env=ONE)
        shown_alone = alone.stdout, (in_tmp / "short.csv").read_bytes() if args[0] == "shortlist" else b""
        helped = cli(*args, env=HELPED)
        shown_helped = helped.stdout, (in_tmp / "short.csv").read_bytes() if args[0] == "shortlist" else b""
        assert alone.code == helped.code == 0, helped.stderr
        assert shown_helped == shown_alone
    assert len(_requests(log)) == len(_answered(log)) == 2  # one request per command


def test_pieces_of_a_streamed_export_go_to_the_helper_one_by_one(in_tmp: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    export, log = SAMPLE / "applicants.csv", in_tmp / "helper.log"
    faults.install_pool("", str(log), monkeypatch.setattr)
    alone = cli("score", export, "-f", "csv", "-o", in_tmp / "alone.csv", env=ONE)
    small = {"SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "100"}
    streamed = cli("score", export, "-f", "csv", "-o", in_tmp / "streamed.csv",
                   env={**HELPED, **small})
    assert alone.code == streamed.code == 0, streamed.stderr
    assert "read in two passes" in streamed.stderr
    assert (in_tmp / "streamed.csv").read_bytes() == (in_tmp / "alone.csv").read_bytes()
    # 1,200 rows in pieces of 100, each sent twice (text keys, then the free-text criteria), one helper.
    assert len(_requests(log)) == len(_answered(log)) == 24 and len(_pids(log)) == 1


@pytest.mark.parametrize("how", ["die", "fail"])
@pytest.mark.parametrize("streamed", [False, True])
def test_a_helper_that_dies_or_fails_leaves_the_work_to_the_main_process(in_tmp: Path, how: str, streamed: bool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    export = DATA / "dupes" / "dupes.csv" if streamed else DATA / "hostile" / "everything.csv"
    small = {"SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "7"} if streamed else {}
    log = in_tmp / "helper.log"
    alone = cli("score", export, "-f", "csv", "-o", in_tmp / "alone.csv", env=ONE)
    faults.install_pool(how, str(log), monkeypatch.setattr)
    helped = cli("score", export, "-f", "csv", "-o", in_tmp / "helped.csv", env={**HELPED, **small})
    assert ("read in two passes" in helped.stderr) is streamed
    # The helper was asked: once before it died; every time when each request fails.
    asked = len(_requests(log))
    assert asked == 1 if how == "die" else (asked > 2 if streamed else asked == 1)
    assert _answered(log) == []
    assert alone.code == helped.code == 0, helped.stderr
    assert (in_tmp / "helped.csv").read_bytes() == (in_tmp / "alone.csv").read_bytes()
    assert "Traceback" not in helped.stderr
    if not streamed:
        assert helped.stderr.replace("helped", "alone") == alone.stderr


def _sample_export(path: Path, rows: int, skip: int = 0) -> None:
    lines = list(csv.reader(io.StringIO((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig"), newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([lines[0], *lines[1 + skip : rows + 1]])


@pytest.mark.parametrize("how", ["", "fail", "die"])
def test_nightly_runs_score_with_the_helper_to_the_same_outputs_and_store(tmp_path: Path, how: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Two nights: the second drops 100 of the first night's applications (they stay, from the
    # store) and adds 400, and must score only those (and the few whose text became
    # boilerplate), as without the helper: what it stores (text keys, groups) must be right.
    # With a helper that fails or dies, the main process does its work and nothing changes.
    outputs, scored = {}, {}
    log = tmp_path / "log"
    for label, env in (("alone", ONE), ("helped", HELPED)):
        if label == "helped":
            faults.install_pool(how, str(log), monkeypatch.setattr)
        folder = tmp_path / label
        (folder / "exports").mkdir(parents=True)
        monkeypatch.chdir(folder)
        assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
        for night, (rows, skip) in enumerate(((800, 0), (1200, 100)), start=1):
            export = folder / "exports" / f"night{night}.csv"
            _sample_export(export, rows, skip)
            os.utime(export, (night * 1000, night * 1000))
            run = cli("run", env=env)
            assert run.code == 0, run.stderr
        assert cli("shortlist", env=env).code == 0  # everyone left out, from the store
        outputs[label] = [_without_run_times(folder / "out" / name)
                          for name in ("shortlist.csv", "shortlist-left-out.csv")]
        with sqlite3.connect(folder / "screener.db") as db:
            scored[label] = db.execute("SELECT counts FROM runs ORDER BY id").fetchall()
            scored[label] += db.execute("SELECT count(*) FROM scores").fetchall()
            scored[label] += db.execute("SELECT * FROM copy_keys ORDER BY entry_id, criterion").fetchall()
            scored[label] += db.execute("SELECT * FROM group_keys ORDER BY entry_id").fetchall()
            scored[label] += db.execute("SELECT entry_id, group_id, group_why FROM entries "
                                        "ORDER BY entry_id").fetchall()
    assert outputs["helped"] == outputs["alone"]
    assert scored["helped"] == scored["alone"]
    assert len(outputs["helped"][0]) - 1 + len(outputs["helped"][1]) - 1 == 1200  # nobody left out of both
    # Night 1 hands the helper the free-text criteria of everyone and grouping everyone; night 2
    # scores its 400 rows here (fewer than nightly._HELPED_ROWS) and regroups only what they touch.
    assert len(_requests(log)) == {"": 2, "fail": 2, "die": 1}[how]
    assert len(_answered(log)) == (2 if how == "" else 0)
    header = outputs["helped"][1][0]
    groups = [row[header.index("duplicate_group")] for row in outputs["helped"][1][1:]]
    assert sum(1 for g in groups if g) >= 2  # the sample has people who applied twice


def _without_run_times(path: Path) -> list[list[str]]:
    """A nightly output's cells, but for the times of the run itself (first_seen_at and such)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    keep = [i for i, name in enumerate(rows[0]) if not name.endswith("_at") or name == "submitted_at"]
    assert len(keep) > 50 and len(rows) > 1
    return [[row[i] for i in keep] for row in rows]


@pytest.mark.parametrize(("name", "value"), [("SCREENER_WORKERS", "0"), ("SCREENER_WORKERS", "two"),
                                             ("SCREENER_PARALLEL_BYTES", "-1"), ("SCREENER_PARALLEL_BYTES", "8M"),
                                             ("SCREENER_STREAM_BYTES", "²")])
def test_a_bad_setting_is_one_sentence_and_exit_2(in_tmp: Path, name: str, value: str) -> None:
    run = cli("score", SAMPLE / "applicants.csv", "-f", "csv", "-o", in_tmp / "out.csv", env={name: value})
    assert run.code == 2, run.stderr
    assert name in run.stderr and repr(value) in run.stderr and "Traceback" not in run.stderr
    assert not (in_tmp / "out.csv").exists()


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return [int(c) for c in handle.read().split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"  # a zombie has ended
    except OSError:
        return False


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/task").exists() or sys.platform != "linux",
                                reason="reads /proc")


def _start(ready: Path, *faults_: str) -> subprocess.Popen[str]:
    """``screener score`` of the sample as a real process (in its own process group, as a
    terminal's foreground job is), the helper on and the export streamed in pieces of 100,
    pausing between the two passes until its standard input is closed (``ready`` then exists)."""
    env = {**HELPED, "SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "100"}
    return start_harness("score", SAMPLE / "applicants.csv", "-f", "csv", "-o", "out.csv", env=env, new_session=True,
                         faults=("--pause-after", "screener.app.stream:first_pass", "--ready", str(ready), *faults_))


def _children_soon(pid: int) -> list[int]:
    found: list[int] = []
    wait_for(lambda: found.extend(_children(pid)) or found, "the helper process to start")
    return found


@LINUX_PROC
@pytest.mark.parametrize("when", ["while the helper starts", "between the passes"])
def test_ctrl_c_ends_the_helper_too_and_prints_no_traceback(in_tmp: Path, when: str) -> None:
    ready = in_tmp / "ready"
    proc = _start(ready)
    children = _children_soon(proc.pid)  # the helper (and multiprocessing's resource tracker)
    if when == "between the passes":
        wait_for(ready.exists, "the first pass to end")
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the foreground group
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Traceback" not in err and "KeyboardInterrupt" not in err, err
    wait_for(lambda: not any(map(_alive, children)), "the helper to end", seconds=30)
    assert not (in_tmp / "out.csv").exists()


@LINUX_PROC
def test_a_helper_killed_mid_run_leaves_the_command_to_finish_alone(in_tmp: Path) -> None:
    # screener restores SIGPIPE's default (so `| head` ends quietly); writing to a helper that
    # has died must still not kill it: the work is done in the main process instead.
    alone = cli("score", SAMPLE / "applicants.csv", "-f", "csv", "-o", in_tmp / "alone.csv", env=ONE)
    assert alone.code == 0
    log, ready = in_tmp / "helper.log", in_tmp / "ready"
    proc = _start(ready, "--helper", "", "--helper-log", str(log))
    wait_for(ready.exists, "the first pass to end")  # the helper has done its text keys
    assert _requests(log), "the helper was never asked"
    os.kill(int(_requests(log)[0]), signal.SIGKILL)  # as the out-of-memory killer would
    # Standard input closed: the second pass goes on, and its pieces cannot go to the helper.
    _out, err = proc.communicate("", timeout=60)
    assert proc.returncode == 0, (proc.returncode, err)
    assert "Traceback" not in err
    assert (in_tmp / "out.csv").read_bytes() == (in_tmp / "alone.csv").read_bytes()


def test_a_script_without_a_main_guard_is_not_run_again_by_the_helper(tmp_path: Path) -> None:
    # "spawn" runs the program's __main__ again in the child unless it is kept from it; a script
    # or notebook using screener as a library need not guard its body.
    script = tmp_path / "unguarded.py"
    script.write_text("import os\n"
                      "from screener.app.parallel import Helper\n"
                      "print('body ran', flush=True)\n"
                      "helper = Helper()\n"
                      "print('helper is another process:', helper.submit(os.getpid)() != os.getpid(), flush=True)\n"
                      "helper.close()\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("body ran") == 1, run.stdout
    assert "helper is another process: True" in run.stdout


@given(st.lists(st.one_of(st.text(max_size=5), st.sampled_from(["pass", "fail", ""]), st.none(), st.booleans(),
                          st.integers(-2, 2), st.floats(allow_nan=True)), max_size=30))
def test_what_is_sent_between_the_processes_comes_back_the_same(values: list[object]) -> None:
    # Object arrays travel as distinct values and codes only when every value is a str: 1, 1.0
    # and True, or None and NaN, would otherwise come back as one another.
    import numpy as np

    from screener.core.packed import pack, unpack

    array = np.empty(len(values), dtype=object)
    array[:] = values
    back = unpack(pickle.loads(pickle.dumps(pack(array))))
    assert len(back) == len(values)
    for got, sent in zip(back.tolist(), values, strict=True):
        assert type(got) is type(sent)
        assert got == sent or (got != got and sent != sent)  # NaN is not equal to itself


@LINUX_PROC
def test_the_helper_ends_when_screener_is_killed(in_tmp: Path) -> None:
    # A pool's worker waits for work until told to stop; killed (the out-of-memory killer, a
    # cron timeout), screener cannot tell it, so the worker must notice its parent is gone.
    ready = in_tmp / "ready"
    proc = _start(ready)
    children = _children_soon(proc.pid)
    wait_for(ready.exists, "the first pass to end")
    proc.kill()
    proc.communicate(timeout=30)
    wait_for(lambda: not any(map(_alive, children)), "the helper to end after screener was killed", seconds=30)


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE") or shutil.which("bash") is None or shutil.which("head") is None,
                    reason="needs SIGPIPE, bash and head")
def test_a_streamed_score_piped_into_head_ends_quietly(in_tmp: Path) -> None:
    # The helper runs while the streamed CSV is written to stdout; a reader that stops early
    # (`| head -1`) must end screener as SIGPIPE always has: no traceback, no "bug".
    # The pipe is bash's, as a user's would be: made by this test process, a child forked here
    # for another reason could hold its reading end open and screener would never see it close.
    env = {**os.environ, **HELPED, "SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "100", "NO_COLOR": "1"}
    exe = Path(sys.executable).parent / "screener"
    line = '"$0" score "$1" -f csv | head -1; echo "status ${PIPESTATUS[0]}" >&2'
    done = subprocess.run(["bash", "-c", line, str(exe), str(SAMPLE / "applicants.csv")], env=env,
                          capture_output=True, timeout=120)
    err = done.stderr.decode("utf-8", "replace")
    assert done.stdout.startswith(b"rank,id,") and done.stdout.count(b"\n") == 1
    assert err.rstrip().endswith(f"status {128 + signal.SIGPIPE}"), err
    assert "Traceback" not in err and "bug" not in err, err
