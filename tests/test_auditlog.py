"""The audit log: every score, shortlist and run is recorded; a logged decision can be replayed."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import DATA, RUBRIC, SAMPLE, cli
from screener.data import auditlog

TINY = DATA / "cli" / "tiny.csv"
MINIMAL = DATA / "rubrics" / "minimal.yaml"


def test_score_and_shortlist_are_logged_without_names(tmp_path: Path) -> None:
    log = Path(os.environ["SCREENER_AUDIT_LOG"])
    assert cli("score", TINY, "--rubric", MINIMAL).code == 0
    assert cli("shortlist", TINY, "--rubric", MINIMAL, "--top", "2", "-o", tmp_path / "s.csv").code == 0
    entries = auditlog.read(log)
    assert [e["command"] for e in entries] == ["score", "shortlist"]
    first = entries[0]
    assert first["rubric"]["name"] == "minimal" and len(first["rubric"]["sha256"]) == 64
    assert first["input"]["sha256"] == auditlog.file_sha256(TINY)
    assert {d["id"] for d in first["decisions"]} == {"1", "2", "3", "4", "007"}
    assert any(d.get("knockouts") for d in first["decisions"])
    assert sum(d["selected"] for d in entries[1]["decisions"]) == 2
    text = log.read_text(encoding="utf-8")
    assert "Ada" not in text and "@example.com" not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    shown = cli("log")
    assert shown.code == 0 and "score" in shown.stdout and "shortlist" in shown.stdout
    one = cli("log", "--show", "1")
    assert json.loads(one.stdout)["command"] == "score"
    assert cli("log", "--show", "9").code == 2


def test_a_logged_decision_replays_to_the_same_result() -> None:
    log = Path(os.environ["SCREENER_AUDIT_LOG"])
    assert cli("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "-f", "csv", "-o", os.devnull).code == 0
    logged = auditlog.read(log)[-1]
    # Re-run from what the log names, after checking the inputs are the ones it hashed.
    source, rubric = Path(logged["input"]["path"]), Path(logged["rubric"]["path"])
    assert auditlog.file_sha256(source) == logged["input"]["sha256"]
    assert cli("score", source, "--rubric", rubric, "-f", "csv", "-o", os.devnull).code == 0
    replayed = auditlog.read(log)[-1]
    assert replayed["rubric"]["sha256"] == logged["rubric"]["sha256"]
    assert replayed["decisions"] == logged["decisions"]


def test_prune_removes_only_old_records() -> None:
    log = Path(os.environ["SCREENER_AUDIT_LOG"])
    old = (datetime.now(UTC) - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    auditlog.append(log, {"ts": old, "command": "score", "decisions": []})
    assert cli("score", TINY, "--rubric", MINIMAL).code == 0
    run = cli("log", "--prune", "180")
    assert run.code == 0 and "Removed 1 records" in run.stderr
    assert [e["command"] for e in auditlog.read(log)] == ["score"]
