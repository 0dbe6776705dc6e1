"""Kill loop: SIGKILL ``screener run`` at random moments on a growing export, then check that
nothing was lost and that the outputs match the store (issue 16).

    .venv/bin/python tests/soak/kill_loop.py [--seconds 240] [--seed 16]

Each round rewrites the export (more rows, a few answers changed), starts ``screener run`` and,
most rounds, kills it after a random delay (0 to 1.2 times a clean run's time); every fourth
round also starts ``screener status`` on a known applicant, which must wait for the run (or its
death) and record the decision. After every round:

- the store passes ``PRAGMA integrity_check``;
- every id in ``out/shortlist.csv`` and the left-out file is an entry of the store;
- the shortlist is the store's last finished run's, unless the store itself records that the
  last run's outputs were not put in place (killed between the commit and the renames): such
  "stale" outputs must be repaired by the next completed run, and are mismatches otherwise.

At the end a clean run must succeed, every requested decision must be in the store, and every
run saved as ok or partial must have its record in the audit log. The figures are printed;
the exit status is 1 when anything was lost or mismatched. Bounded: no round starts after
``--seconds`` (default 240), so the whole loop ends within five minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "applicants.csv"
RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"
EXE = str(Path(sys.executable).parent / "screener")
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "SCREENER_WORKERS": "1"}


def _rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def write_export(path: Path, head: list[str], body: list[list[str]], n: int, round_no: int) -> None:
    """The first ``n`` rows, with a few answers changed this round (new versions of entries)."""
    rows = [r[:] for r in body[:n]]
    years = head.index("YearsOfProjectManagementExperience")
    for k in range(3):
        rows[(round_no * 7 + k * 131) % n][years] = f"{(round_no + k) % 15} years"
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([head, *rows])
    tmp.replace(path)


def ids_in(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8-sig")
    return [r["id"] for r in csv.DictReader(io.StringIO(text, newline="")) if r.get("id")]


def state(project: Path) -> dict[str, object]:
    with contextlib.closing(sqlite3.connect(f"file:{project / 'screener.db'}?mode=ro", uri=True, timeout=30)) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        entries = {i for (i,) in db.execute("SELECT entry_id FROM entries")}
        last = db.execute("SELECT id, shortlist FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
                          ).fetchone()
        published = db.execute("SELECT value FROM meta WHERE key='outputs_published'").fetchone()
        saved = {i for (i,) in db.execute("SELECT id FROM runs WHERE outcome IN ('ok', 'partial')")}
        decisions = db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    return {"check": check, "entries": entries, "last_id": last[0] if last else None,
            "last_shortlist": json.loads(last[1]) if last else [],
            "published": json.loads(published[0]).get("run") if published else None,
            "saved": saved, "decisions": decisions}


def say(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


class Loop:
    """The project, the figures, and whether the outputs are known to be stale."""

    def __init__(self, project: Path, rng: random.Random) -> None:
        self.project = project
        self.rng = rng
        self.export = project / "exports" / "applicants.csv"
        self.head, self.body = _rows()
        self.n = 100
        self.stale = False
        self.clean_seconds = 1.0
        self.figures = {"rounds": 0, "kills": 0, "runs completed": 0, "stale outputs after a kill (store knew)": 0,
                        "stale outputs repaired by the next run": 0, "mismatches": 0, "unknown ids in outputs": 0,
                        "integrity failures": 0, "decisions asked": 0, "decisions recorded": 0,
                        "status failures": 0, "unaudited saved runs": 0, "unexpected exit codes": 0}

    def screener(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([EXE, *args], cwd=self.project, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)

    def start(self) -> bool:
        made = subprocess.run([EXE, "init", "--rubric", str(RUBRIC), "--exports", "exports/*.csv"],
                              cwd=self.project, env=ENV, capture_output=True, text=True, check=False)
        write_export(self.export, self.head, self.body, self.n, 0)
        started = time.monotonic()
        first = subprocess.run([EXE, "run"], cwd=self.project, env=ENV, capture_output=True, text=True,
                               check=False)
        self.clean_seconds = max(0.5, time.monotonic() - started)
        if made.returncode or first.returncode:
            say(made.stderr + first.stderr, err=True)
            return False
        self.figures["runs completed"] += 1
        return True

    def one_round(self, round_no: int) -> None:
        figures = self.figures
        figures["rounds"] += 1
        self.n = min(len(self.body), self.n + self.rng.choice((0, 10, 25, 50)))
        write_export(self.export, self.head, self.body, self.n, round_no)
        run = self.screener("run")
        status = None
        known = ids_in(self.project / "out" / "shortlist.csv")
        if round_no % 4 == 0 and known:
            figures["decisions asked"] += 1
            status = self.screener("status", self.rng.choice(known), "reviewed")
        kill = round_no % 5 != 0  # every fifth round runs to the end
        if kill:
            # A random moment, by design; a run that ends sooner is not waited for.
            with contextlib.suppress(subprocess.TimeoutExpired):
                run.wait(timeout=self.rng.uniform(0, 1.2 * self.clean_seconds))
        if kill and run.poll() is None:
            run.send_signal(signal.SIGKILL)
            figures["kills"] += 1
        _out, err = run.communicate(timeout=300)
        completed = run.returncode in (0, 3, 4)
        if completed:
            figures["runs completed"] += 1
        elif run.returncode != -signal.SIGKILL:
            figures["unexpected exit codes"] += 1
            say(f"round {round_no}: run exited {run.returncode}: {err.strip()[-300:]}", err=True)
        if status is not None:
            _o, status_err = status.communicate(timeout=300)
            if status.returncode != 0:
                figures["status failures"] += 1
                say(f"round {round_no}: status exited {status.returncode}: {status_err.strip()[-300:]}", err=True)
        self.check(round_no, completed)

    def check(self, round_no: int, completed: bool) -> None:
        figures = self.figures
        now = state(self.project)
        if now["check"] != "ok":
            figures["integrity failures"] += 1
        listed = ids_in(self.project / "out" / "shortlist.csv")
        left = ids_in(self.project / "out" / "shortlist-left-out.csv")
        entries = now["entries"]
        assert isinstance(entries, set)
        if not set(listed) <= entries or not set(left) <= entries:
            figures["unknown ids in outputs"] += 1
        if listed == now["last_shortlist"]:
            if self.stale:
                figures["stale outputs repaired by the next run"] += 1
            self.stale = False
            return
        known_stale = now["published"] is not None and now["published"] != now["last_id"]
        if completed or not known_stale:
            figures["mismatches"] += 1
            say(f"round {round_no}: outputs differ from run {now['last_id']}'s shortlist (completed={completed}, "
                f"published={now['published']})", err=True)
        elif not self.stale:
            figures["stale outputs after a kill (store knew)"] += 1
        self.stale = True

    def finish(self) -> int:
        """A last clean run; then what must never be lost. The number of store entries."""
        figures = self.figures
        final = subprocess.run([EXE, "run"], cwd=self.project, env=ENV, capture_output=True, text=True,
                               check=False)
        if final.returncode not in (0, 3, 4):
            figures["unexpected exit codes"] += 1
            say(f"final run exited {final.returncode}: {final.stderr.strip()[-300:]}", err=True)
        self.check(0, True)
        now = state(self.project)
        figures["decisions recorded"] = int(str(now["decisions"]))
        lines = (self.project / "screener-audit.jsonl").read_text(encoding="utf-8").splitlines()
        logged = {e.get("run_id") for e in map(json.loads, lines) if e.get("command") == "run"}
        saved = now["saved"]
        entries = now["entries"]
        assert isinstance(saved, set) and isinstance(entries, set)
        figures["unaudited saved runs"] = len(saved - logged)
        return len(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=240.0, help="start no round after this (default 240)")
    parser.add_argument("--seed", type=int, default=16)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="screener-kill-loop-") as folder:
        loop = Loop(Path(folder), random.Random(options.seed))
        if not loop.start():
            return 2
        began = time.monotonic()
        round_no = 0
        while time.monotonic() - began < options.seconds:
            round_no += 1
            loop.one_round(round_no)
        stored = loop.finish()
        say(f"kill loop: {time.monotonic() - began:.0f} s, final export {loop.n} rows, store {stored} entries, "
            f"a clean first run took {loop.clean_seconds:.2f} s")
    figures = loop.figures
    for name, value in figures.items():
        say(f"  {name}: {value}")
    bad = ("mismatches", "unknown ids in outputs", "integrity failures", "status failures", "unaudited saved runs",
           "unexpected exit codes")
    lost = any(figures[k] for k in bad) or figures["decisions recorded"] != figures["decisions asked"]
    return 1 if lost or stored != loop.n else 0


if __name__ == "__main__":
    sys.exit(main())
