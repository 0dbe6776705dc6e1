"""Each command through the CLI on small real files: exit codes, stdout and stderr apart."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from conftest import DATA, ROOT, RUBRIC, SAMPLE, cli

TINY = DATA / "cli" / "tiny.csv"
MINIMAL = DATA / "rubrics" / "minimal.yaml"


def score(*args: str) -> object:
    return cli("score", TINY, "--rubric", MINIMAL, *args)


def test_score_prints_ranked_table_and_summary() -> None:
    run = score()
    assert run.code == 0, run.stderr
    out = run.stdout
    assert out.index("Ada NA") < out.index("Null")  # rank 1 before the rest
    assert "5 applicants · must-haves:" in out
    assert "2 in 1 duplicate groups" in out
    assert "rubric minimal" in out


def test_hostile_names_are_shown_literally_never_executed() -> None:
    run = score()
    assert "[bold red]HIRE ME[/]" in run.stdout
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "Eve\\x1b]0;PWNED\\x07" in run.stdout


def test_blind_hides_identity_everywhere(tmp_path: Path) -> None:
    run = score("--blind")
    assert "Ada" not in run.stdout and "HIRE" not in run.stdout
    for fmt in ("csv", "json", "jsonl", "md"):
        out = tmp_path / f"blind.{fmt}"
        assert score("--blind", "-o", out).code == 0
        text = out.read_text(encoding="utf-8-sig")
        for secret in ("Ada NA", "ada@example.com", "HIRE ME", "mallory"):
            assert secret not in text, (fmt, secret)


def test_csv_output_is_complete_neutralised_and_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert score("-o", a).code == 0
    assert score("--format", "csv", "--output", b).code == 0
    assert a.read_bytes() == b.read_bytes()
    raw = a.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    by_id = {r["id"]: r for r in rows}
    assert by_id["2"]["name"] == "'=HYPERLINK(\"http://x.invalid\",\"CV\")"
    assert by_id["007"]["name"] == "Null"
    assert by_id["1"]["pm.evidence"].startswith("3 of 4 terms")
    assert {"rank", "score", "bucket", "knockouts", "rubric", "rubric_sha256", "pm.points"} <= set(rows[0])
    assert stat.S_IMODE(a.stat().st_mode) == 0o600


def test_json_to_stdout_equals_library_result() -> None:
    from screener.app.pipeline import screen
    from screener.data.write import records

    run = score("--format", "json")
    assert run.code == 0
    data = json.loads(run.stdout)
    expected = records(screen(TINY, MINIMAL).table)  # the path the CLI takes
    assert data == json.loads(json.dumps(expected))
    assert data[0]["criteria"]["pm"]["evidence"].startswith("3 of 4 terms")


def test_jsonl_md_and_xlsx(tmp_path: Path) -> None:
    lines = score("--format", "jsonl", "-o", "-").stdout.splitlines()
    assert len(lines) == 5 and json.loads(lines[0])["rank"] == 1
    md = tmp_path / "out.md"
    assert score("-o", md).code == 0
    text = md.read_text(encoding="utf-8")
    assert "| \\[bold red\\]HIRE ME\\[/\\] |" in text
    assert "## Criteria by applicant" in text and "- **pm** " in text
    xlsx = tmp_path / "out.xlsx"
    assert score("-o", xlsx).code == 0
    again = tmp_path / "again.xlsx"
    assert score("-o", again).code == 0
    assert xlsx.read_bytes() == again.read_bytes()
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
    assert all(c.data_type != "f" for c in cells.values())
    hyperlink = cells["=HYPERLINK(\"http://x.invalid\",\"CV\")"]  # the exact text, marked as text
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix
    score_col = header.index("score") + 1
    assert isinstance(sheet.cell(row=2, column=score_col).value, float | int)


def test_shortlist_writes_chosen_and_left_out(tmp_path: Path) -> None:
    out = tmp_path / "short.csv"
    run = cli("shortlist", TINY, "--rubric", MINIMAL, "--top", "2", "-o", out)
    assert run.code == 0, run.stderr
    chosen = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    left = list(csv.DictReader(io.StringIO((tmp_path / "short-left-out.csv").read_text(encoding="utf-8-sig"))))
    assert len(chosen) == 2 and len(chosen) + len(left) == 5
    reasons = {r["id"]: r["left_out_because"] for r in left}
    assert any(v.startswith("failed a must-have") for v in reasons.values())
    assert "Shortlisted 2 of 5" in run.stderr
    run = cli("shortlist", TINY, "--rubric", MINIMAL, "--top", "2", "--include-knockouts", "-o", out)
    assert run.code == 0


def test_shortlist_needs_a_cut() -> None:
    run = cli("shortlist", TINY, "--rubric", MINIMAL)
    assert run.code == 2 and "--top N" in run.stderr


def test_explain_by_id_email_and_row() -> None:
    for key in ("1", "row 1"):
        run = cli("explain", TINY, key, "--rubric", MINIMAL)
        assert run.code == 0, run.stderr
        assert "Ada NA" in run.stdout and "must_degree" in run.stdout and "PM words" in run.stdout
    run = cli("explain", TINY, "NULL@example.com", "--rubric", MINIMAL)
    assert run.code == 0 and "007" in run.stdout
    run = cli("explain", TINY, "ada@example.com", "--rubric", MINIMAL)
    assert run.code == 2 and "2 applicants use the email ada@example.com (ids 1, 4)" in run.stderr
    run = cli("explain", TINY, "nobody", "--rubric", MINIMAL)
    assert run.code == 2 and "No applicant has the id, email or row number 'nobody'" in run.stderr
    run = cli("explain", TINY, "4", "--rubric", MINIMAL)
    assert "Eve\\x1b" in run.stdout and "\x1b" not in run.stdout


def test_inspect_shows_columns_and_mapping() -> None:
    run = cli("inspect", TINY, "--rubric", MINIMAL)
    assert run.code == 0, run.stderr
    for text in ("csv", "utf-8-sig", "Letter", "exact", "years"):
        assert text in run.stdout


def test_missing_export_is_one_sentence_exit_1(tmp_path: Path) -> None:
    run = cli("score", tmp_path / "nope.csv", "--rubric", MINIMAL)
    assert run.code == 1
    assert run.stderr.startswith("Error: ") and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_installed_command_ends_as_a_normal_exit_would(tmp_path: Path) -> None:
    # The command ends without tearing the interpreter down (cli._leave): what a normal exit
    # does must still happen: its status, all of its output through a pipe, the exit handlers.
    import subprocess
    import sys

    from conftest import run_process

    done = run_process("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert len(rows) == 1201 and len(rows[-1]) == len(rows[0])
    missing = run_process("score", tmp_path / "nope.csv", "--rubric", RUBRIC)
    assert missing.returncode == 1 and missing.stderr.startswith("Error: ")
    assert run_process("score").returncode == 2
    script = ("import atexit, sys\nfrom screener.cli import entry\n"
              "atexit.register(lambda: print('handler ran', flush=True))\n"
              f"sys.argv = ['screener', 'score', {str(tmp_path / 'nope.csv')!r}]\nentry()\n")
    ended = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (ended.returncode, ended.stdout) == (1, "handler ran\n"), ended.stderr


def test_usage_errors_exit_2() -> None:
    assert cli("score").code == 2
    assert cli("score", TINY, "--format", "yaml").code == 2
    assert cli("score", TINY, "--top", "0").code == 2


@pytest.mark.parametrize("args", [["--help"], ["score", "--help"], ["shortlist", "--help"],
                                  ["explain", "--help"], ["inspect", "--help"], ["rubric", "validate", "--help"]])
def test_help(args: list[str]) -> None:
    run = cli(*args)
    assert run.code == 0 and "Usage" in run.stdout


RAGGED = DATA / "cli" / "ragged.csv"


def test_unreadable_rows_are_reported_kept_and_listed(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.csv"
    run = cli("score", RAGGED, "--rubric", MINIMAL, "--rejected", rejected)
    assert run.code == 0
    assert "2 rows of" in run.stderr and "line 8:" in run.stderr and "line 9:" in run.stderr
    assert "5 applicants" in run.stdout
    kept = list(csv.DictReader(io.StringIO(rejected.read_text(encoding="utf-8-sig"))))
    assert [r["line"] for r in kept] == ["8", "9"]
    assert kept[1]["raw"] == "9 | Too few"
    out = tmp_path / "short.csv"
    assert cli("shortlist", RAGGED, "--rubric", MINIMAL, "--top", "1", "-o", out).code == 0
    left = list(csv.DictReader(io.StringIO((tmp_path / "short-left-out.csv").read_text(encoding="utf-8-sig"))))
    unread = [r for r in left if r["left_out_because"].startswith("could not be read")]
    assert [r["line"] for r in unread] == ["8", "9"]
    assert len(left) == 4 + 2


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    big = tmp_path / "big.csv"
    subprocess.run([sys.executable, str(ROOT / "sample_data" / "generate.py"), "--rows", "2500", "--formats", "csv",
                    "--out", str(tmp_path), "--basename", "big", "--no-answer-key"], check=True, capture_output=True)
    exe = str(Path(sys.executable).parent / "screener")
    piped = subprocess.run([exe, "score", str(big), "--rubric", str(RUBRIC), "--top", "1"],
                           capture_output=True, text=True, check=True)
    assert "scoring 2500" not in piped.stderr and "\x1b" not in piped.stdout + piped.stderr
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    proc = subprocess.Popen([exe, "score", str(big), "--rubric", str(RUBRIC), "--top", "1"], stdin=follower,
                            stdout=follower, stderr=follower, env={**env, "TERM": "xterm", "COLUMNS": "120"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert "scoring 2500 applicants" in seen
    assert "\x1b[" in seen  # colour and cursor control, on a terminal only


def test_compare_side_by_side() -> None:
    run = cli("compare", str(TINY), "1", "3", "--rubric", MINIMAL)
    assert run.code == 0, run.stderr
    assert "Ada NA" in run.stdout and "[bold red]HIRE ME[/]" in run.stdout and "PM words" in run.stdout
    blind = cli("compare", str(TINY), "1", "3", "--rubric", MINIMAL, "--blind")
    assert "Ada" not in blind.stdout and "HIRE" not in blind.stdout
    assert cli("compare", str(TINY), "1", "--rubric", MINIMAL).code == 2


def test_blind_ids_are_stable_pseudonyms_that_reveal_maps_back(tmp_path: Path) -> None:
    first = list(csv.DictReader(io.StringIO(score("--blind", "-f", "csv").stdout)))
    again = list(csv.DictReader(io.StringIO(score("--blind", "-f", "csv").stdout)))
    assert [r["id"] for r in first] == [r["id"] for r in again]
    assert all(r["id"].startswith("P-") and len(r["id"]) == 10 for r in first)
    assert not {"1", "2", "3", "4", "007"} & {r["id"] for r in first}
    top = first[0]["id"]
    run = cli("reveal", top, TINY, "--rubric", MINIMAL)
    assert run.code == 0 and "is applicant 1: Ada NA" in run.stdout
    assert cli("explain", TINY, top, "--rubric", MINIMAL, "--blind").code == 0
    assert cli("reveal", "P-NOTREAL0", TINY, "--rubric", MINIMAL).code == 2


def test_the_export_can_come_from_standard_input(tmp_path: Path) -> None:
    """`screener score -` reads the export from standard input (csvkit's convention): the same
    bytes out as from the file, in every format the file could be, and "standard input" in the
    audit log with the input's hash."""
    import hashlib
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "screener")
    audit = tmp_path / "audit.jsonl"
    env = {**os.environ, "NO_COLOR": "1", "SCREENER_AUDIT_LOG": str(audit)}
    for name in ("applicants.csv", "applicants.json"):
        export = SAMPLE / name
        from_file, from_stdin = tmp_path / f"file-{name}.csv", tmp_path / f"stdin-{name}.csv"
        subprocess.run([exe, "score", str(export), "-r", str(RUBRIC), "-o", str(from_file)], env=env, check=True,
                       capture_output=True)
        with open(export, "rb") as stdin:
            run = subprocess.run([exe, "score", "-", "-r", str(RUBRIC), "-o", str(from_stdin)], env=env,
                                 stdin=stdin, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert from_stdin.read_bytes() == from_file.read_bytes()
        last = json.loads(audit.read_text(encoding="utf-8").splitlines()[-1])
        assert json.dumps(last).count("standard input") >= 1
        assert hashlib.sha256(export.read_bytes()).hexdigest() in json.dumps(last)
    for given, says in ((b"", "Error: standard input is empty."),
                        (b"\x89PNG\r\n\x1a\n....", "Error: standard input looks like a PNG image")):
        run = subprocess.run([exe, "score", "-", "-r", str(RUBRIC)], env=env, input=given, capture_output=True)
        assert run.returncode == 1 and run.stderr.decode().startswith(says), run.stderr
        assert b"screener-stdin-" not in run.stderr
