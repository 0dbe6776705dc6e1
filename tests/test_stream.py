"""A large export is scored in two passes (stream.py) to the same CSV, byte for byte, that
scoring it in memory writes; the thresholds are lowered here so small files take that path."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, RUBRIC, SAMPLE, cli, start_harness, wait_for

SMALL = {"SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "7"}


def _score(export: Path, out: Path, rejected: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    run = cli("score", export, "--format", "csv", "--output", out, "--rejected", rejected, env=env)
    return run.code, run.stderr


def _without_ids(tmp_path: Path) -> Path:
    """60 sample rows, a third without a form id; two of those share an email and time, so their
    content-derived ids need the "-2" suffix though they sit in different pieces."""
    rows = list(csv.reader(io.StringIO((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig"), newline="")))
    head, body = rows[0], [r[:] for r in rows[1:61]]
    when = head.index("Entry_DateSubmitted")
    for i in range(0, 60, 3):
        body[i][0] = ""
    body[30][head.index("Email")] = body[3][head.index("Email")]
    body[30][when] = body[3][when]
    path = tmp_path / "no_ids.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([head, *body])
    return path


@pytest.mark.parametrize("name", ["sample", "everything", "ragged", "formulas", "dupes", "bom_crlf", "no_ids"])
def test_two_passes_write_the_same_bytes_as_one(in_tmp: Path, name: str) -> None:
    export = {
        "sample": SAMPLE / "applicants.csv",
        # Rejected rows, unread dates, formulas, and a quote never closed: read whole after all.
        "everything": DATA / "hostile" / "everything.csv",
        "ragged": DATA / "cli" / "ragged.csv",  # rows with too many or too few fields
        "formulas": DATA / "hostile" / "formulas.csv",
        "dupes": DATA / "dupes" / "dupes.csv",  # duplicate groups across pieces
        "bom_crlf": DATA / "exports" / "cognito_utf8_bom_crlf.csv",
        "no_ids": None,
    }[name] or _without_ids(in_tmp)
    assert export.stat().st_size > 200
    code, whole_err = _score(export, in_tmp / "whole.csv", in_tmp / "whole-rej.csv")
    assert code == 0, whole_err
    # Pieces of 7 rows; of 100 for the 1,200-row sample (still twelve pieces).
    env = {**SMALL, "SCREENER_CHUNK_ROWS": "100"} if name == "sample" else SMALL
    code, streamed_err = _score(export, in_tmp / "streamed.csv", in_tmp / "streamed-rej.csv", env=env)
    assert code == 0, streamed_err
    assert (in_tmp / "streamed.csv").read_bytes() == (in_tmp / "whole.csv").read_bytes()
    assert (in_tmp / "streamed-rej.csv").read_bytes() == (in_tmp / "whole-rej.csv").read_bytes()
    if name == "everything":
        assert "is read whole, which needs more memory: a quote in it is never closed." in streamed_err
        assert "two passes" not in streamed_err
        return
    assert "read in two passes" in streamed_err
    # The same notes, warnings and counts; only the line that says what was written differs
    # (it says how the export was read).
    def said(err: str) -> list[str]:
        return [line for line in err.splitlines() if not line.startswith("Wrote ")]

    assert said(whole_err) == said(streamed_err)


def test_the_audit_log_records_the_same_decisions(in_tmp: Path, _audit_log_in_tmp: Path) -> None:
    export = SAMPLE / "applicants.csv"
    assert _score(export, in_tmp / "a.csv", in_tmp / "ra.csv")[0] == 0
    assert _score(export, in_tmp / "b.csv", in_tmp / "rb.csv", env={**SMALL, "SCREENER_CHUNK_ROWS": "100"})[0] == 0
    whole, streamed = (json.loads(line) for line in _audit_log_in_tmp.read_text(encoding="utf-8").splitlines())
    assert whole["decisions"] == streamed["decisions"] and len(whole["decisions"]) == 1200
    assert whole["counts"] == streamed["counts"] and whole["input"] == streamed["input"]


def test_to_stdout_without_a_byte_order_mark(in_tmp: Path) -> None:
    export = DATA / "dupes" / "dupes.csv"
    whole = cli("score", export, "--format", "csv", "--output", "-")
    streamed = cli("score", export, "--format", "csv", "--output", "-", env=SMALL)
    assert whole.code == streamed.code == 0
    assert streamed.stdout == whole.stdout and not streamed.stdout.startswith("\ufeff")


def test_a_file_not_in_utf8_is_read_whole(in_tmp: Path) -> None:
    export = DATA / "hostile" / "mixed_encodings.csv"
    code, err = _score(export, in_tmp / "out.csv", in_tmp / "rej.csv", env={**SMALL, "SCREENER_STREAM_BYTES": "10"})
    assert code == 0, err
    assert "two passes" not in err and (in_tmp / "out.csv").exists()


def test_a_broken_header_fails_in_one_sentence_and_keeps_the_previous_output(in_tmp: Path) -> None:
    good = SAMPLE / "applicants.csv"
    out = in_tmp / "out.csv"
    assert _score(good, out, in_tmp / "rej.csv", env={**SMALL, "SCREENER_CHUNK_ROWS": "300"})[0] == 0
    before = out.read_bytes()
    broken = in_tmp / "broken.csv"
    broken.write_bytes(b'Id,"Name\n' + b"x" * 5000 + b"\n1,2\n")
    code, err = _score(broken, out, in_tmp / "rej.csv", env=SMALL)
    assert code == 1 and "header on line 1 is not valid CSV" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert not [p for p in os.listdir(in_tmp) if p.startswith(".out.csv")]


def test_an_export_without_rows_gets_the_header(in_tmp: Path) -> None:
    export = in_tmp / "header.csv"
    export.write_text((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig").splitlines()[0] + "\n",
                      encoding="utf-8")
    assert _score(export, in_tmp / "whole.csv", in_tmp / "r1.csv")[0] == 0
    code, err = _score(export, in_tmp / "streamed.csv", in_tmp / "r2.csv", env={"SCREENER_STREAM_BYTES": "10"})
    assert code == 0 and "Wrote 0 applicants" in err and "two passes" in err
    assert (in_tmp / "streamed.csv").read_bytes() == (in_tmp / "whole.csv").read_bytes()
    assert (in_tmp / "streamed.csv").read_text(encoding="utf-8-sig").startswith("rank,id,")


@pytest.mark.parametrize("change", ["a row added", "a column renamed"])
def test_an_export_that_changes_between_the_passes_writes_nothing(in_tmp: Path, change: str) -> None:
    export = in_tmp / "export.csv"
    export.write_bytes((DATA / "dupes" / "dupes.csv").read_bytes())
    out = in_tmp / "out.csv"
    ready = in_tmp / "ready"
    proc = start_harness("score", export, "-f", "csv", "-o", out, env={**SMALL, "SCREENER_RUBRIC": str(RUBRIC)},
                         faults=("--pause-after", "screener.app.stream:first_pass", "--ready", str(ready)))
    wait_for(ready.exists, "the first pass to end")  # the command waits between the passes
    if change == "a row added":
        with export.open("a", encoding="utf-8") as handle:
            handle.write("99,Late,Row,late@example.com,,A late row.,Submitted,6/30/2020 9:00 AM\n")
    else:
        text = export.read_text(encoding="utf-8-sig")
        export.write_text(text.replace("WhyAreYouAGreatFitForThisRole", "WhyAreYouAGreatFitForThisRolX", 1),
                          encoding="utf-8-sig")
    _out, err = proc.communicate("", timeout=60)  # closing standard input lets it go on
    assert proc.returncode == 1, err
    assert "changed while it was being read" in err and "nothing was written" in err and "Traceback" not in err
    assert not out.exists()


def test_rubric_warnings_are_printed_once_when_a_large_export_is_read_whole(in_tmp: Path) -> None:
    rubric = in_tmp / "warn.yaml"
    text = RUBRIC.read_text(encoding="utf-8")
    assert "label: CS/engineering degree" in text
    rubric.write_text(text.replace("label: CS/engineering degree", "label: CS/engineering degree (young)", 1),
                      encoding="utf-8")
    export = DATA / "hostile" / "mixed_encodings.csv"
    run = cli("score", export, "--rubric", rubric, "-f", "csv", "-o", in_tmp / "o.csv",
              env={"SCREENER_STREAM_BYTES": "10"})
    assert run.code == 0, run.stderr
    assert run.stderr.count("warning: ") >= 1
    warnings = [line for line in run.stderr.splitlines() if "young" in line]
    assert len(warnings) == 1, run.stderr
    assert "read whole, which needs more memory: it is not UTF-8." in run.stderr


def test_no_room_for_the_temporary_file_is_one_sentence(in_tmp: Path) -> None:
    # A file-size limit makes the spool's writes fail as a full disk would (Python ignores SIGXFSZ).
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    out = in_tmp / "out.csv"
    env = {**os.environ, **SMALL, "SCREENER_RUBRIC": str(RUBRIC), "NO_COLOR": "1", "TMPDIR": str(in_tmp)}
    exe = Path(sys.executable).parent / "screener"
    done = subprocess.run([str(exe), "score", str(SAMPLE / "applicants.csv"), "-f", "csv", "-o", str(out)],
                          env=env, capture_output=True, text=True, preexec_fn=limit, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    err = " ".join(done.stderr.split())
    assert "Cannot write the temporary file that holds the scored rows" in err and "Set TMPDIR" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("export", [SAMPLE / "applicants.csv", DATA / "dupes" / "dupes.csv"], ids=["sample", "dupes"])
def test_blind_output_is_the_same_in_two_passes(in_tmp: Path, export: Path) -> None:
    runs = []
    for name, env in (("whole", None), ("streamed", {**SMALL, "SCREENER_CHUNK_ROWS": "100"})):
        run = cli("score", export, "--blind", "-f", "csv", "-o", in_tmp / f"{name}.csv",
                  "--rejected", in_tmp / f"{name}-rej.csv", env=env)
        assert run.code == 0, run.stderr
        runs.append(run)
    assert "two passes" in runs[1].stderr
    whole, streamed = (in_tmp / "whole.csv").read_bytes(), (in_tmp / "streamed.csv").read_bytes()
    assert streamed == whole
    text = whole.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "name" not in header and "email" not in header and "phone" not in header
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert all(r["id"].startswith("P-") for r in rows)  # pseudonyms, not the export's ids
    assert any(r["duplicate_group"].startswith("P-") for r in rows)


@pytest.mark.parametrize("setting", ["SCREENER_STREAM_BYTES", "SCREENER_CHUNK_ROWS"])
def test_a_bad_setting_is_one_sentence_and_exit_2(in_tmp: Path, setting: str) -> None:
    env = {**SMALL, setting: "lots"}
    run = cli("score", DATA / "dupes" / "dupes.csv", "-f", "csv", "-o", in_tmp / "out.csv", env=env)
    assert run.code == 2, run.stderr
    assert f"{setting} must be a number of" in run.stderr and "'lots'" in run.stderr
    assert "unexpected problem" not in run.stderr and not (in_tmp / "out.csv").exists()
