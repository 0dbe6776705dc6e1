"""Answering applicants: reply templates, the replies owed and overdue, writing them as a
mail-merge CSV, .eml files or an mbox (parsed back with the standard email package), recording
them as sent, and hostile values that must not add a header."""

from __future__ import annotations

import csv
import email
import io
import json
import mailbox
import sqlite3
from datetime import date
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import RUBRIC, SAMPLE, cli

HEADER_AND_ROWS = list(csv.reader(io.StringIO((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig"),
                                              newline="")))
HEAD = HEADER_AND_ROWS[0]
# The first 60 sample rows hold two duplicate groups: 10 and 26 (Stephanie Taylor), and 30 and
# 49 (Christopher Hall, the same address written in capitals; 49 is the newer submission).
HOSTILE = {
    (3, "Name_First"): "Eve\r\nBcc: evil@attacker.example",  # id 4
    (3, "Name_Last"): "Smith\nX-Evil: 1",
    (4, "Email"): "rgarcia@hotmail.com\nBcc: evil@attacker.example",  # id 5: no usable address
    (2, "Name_First"): "Test",  # id 3: a test entry
    (2, "Name_Last"): "Test",
    (6, "Name_First"): "<script>alert(1)</script>",  # id 7
    (8, "Name_First"): '=HYPERLINK("http://evil.example","x")',  # id 9
}


def write_export(path: Path, n: int, edits: dict[tuple[int, str], str] | None = None) -> Path:
    head, body = HEAD, [r[:] for r in HEADER_AND_ROWS[1:n + 1]]
    for (row, column), value in (edits or {}).items():
        body[row][head.index(column)] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([head, *body])
    return path


def configure(project: Path, **settings: object) -> None:
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    with (project / "screener.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(lines) + "\n")


def use_rubric(project: Path, text: str) -> None:
    (project / "rubric.yaml").write_text(text, encoding="utf-8")
    config = (project / "screener.toml").read_text(encoding="utf-8")
    (project / "screener.toml").write_text(config.replace(f'rubric = "{RUBRIC}"', 'rubric = "rubric.yaml"'),
                                           encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    monkeypatch.setenv("SCREENER_USER", "maria")
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    return tmp_path


@pytest.fixture
def ran(project: Path) -> Path:
    """A project whose store holds the first 60 sample rows, some of them hostile."""
    write_export(project / "exports" / "a.csv", 60, HOSTILE)
    run = cli("run")
    assert run.code == 0, run.stderr
    configure(project, contact="jobs@example.com", reply_from="Hiring team <jobs@example.com>")
    return project


def decide(*pairs: tuple[str, str]) -> None:
    for applicant, decision in pairs:
        run = cli("status", applicant, decision)
        assert run.code == 0, run.stderr


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def parsed_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "Content-Type", "Content-Transfer-Encoding",
           "MIME-Version"}


def test_init_writes_templates_and_a_bad_placeholder_is_named_with_file_and_line(project: Path) -> None:
    for name in ("advance.md", "decline.md", "hold.md"):
        text = (project / "templates" / name).read_text(encoding="utf-8")
        assert text.startswith("Subject: ") and "{first_name}" in text
    advance = (project / "templates" / "advance.md").read_text(encoding="utf-8")
    assert "When could you start?" in advance and "full-time or part-time" in advance
    assert oct((project / "templates" / "advance.md").stat().st_mode & 0o777) == "0o600"
    decline = project / "templates" / "decline.md"
    lines = decline.read_text(encoding="utf-8").splitlines()
    lines[4] += " Your salary {salary} was too high."
    decline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hold = project / "templates" / "hold.md"
    hold.write_text("Subject: hi {name.__class__}\n\nA lone { brace\n", encoding="utf-8")
    write_export(project / "exports" / "a.csv", 30)
    assert cli("run").code == 0
    configure(project, contact="jobs@example.com")
    run = cli("reply")
    assert run.code == 1, run.stderr
    assert f"{decline}:5: unknown placeholder {{salary}}" in run.stderr
    assert f"{hold}:1: unknown placeholder {{name.__class__}}" in run.stderr
    assert f"{hold}:3: a '{{' or '}}' without its pair" in run.stderr
    assert "Traceback" not in run.stderr and "bug" not in run.stderr
    # init again keeps the edited templates
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv", "--force").code == 0
    assert "{salary}" in decline.read_text(encoding="utf-8")


def test_csv_replies_undecided_are_never_declined_and_mark_sent(ran: Path) -> None:
    status = cli("status")
    assert status.code == 0 and "Replies owed: 0 (0 overdue)" in status.stdout
    # 60 rows, two groups of two, one test entry: 57 people wait for a decision; nobody is declined by screener
    assert "Awaiting a decision: 57 (0 on hold; 1 test entries not counted)" in status.stdout
    decide(("14", "advanced"), ("15", "declined"), ("16", "hold"), ("17", "reviewed"))
    run = cli("reply")
    assert run.code == 0, run.stderr
    rows = csv_rows(ran / "out" / "replies" / "replies.csv")
    assert [r["id"] for r in rows] == ["14", "15", "16"]  # oldest due first: the advance
    assert list(rows[0])[:3] == ["email", "subject", "body"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["14"]["email"] == "chaudhry.sana@gmail.com"
    assert by_id["14"]["body"].startswith("Hello Sana,") and "jobs@example.com" in by_id["14"]["body"]
    assert by_id["15"]["subject"] == "Your application for Technical Project Manager"
    assert "by Friday 17 July 2020" in by_id["16"]["body"]  # 21 days after the close
    assert oct((ran / "out" / "replies" / "replies.csv").stat().st_mode & 0o777) == "0o600"
    # a decision recorded after the batch was written is not marked sent with it
    decide(("18", "declined"))
    sent = cli("reply", "--mark-sent")
    assert sent.code == 0, sent.stderr
    assert "Replies recorded as sent: 3" in sent.stderr and "1 owed were not in the last batch" in sent.stderr
    again = cli("reply")
    assert [r["id"] for r in csv_rows(ran / "out" / "replies" / "replies.csv")] == ["18"]
    assert again.code == 0
    with sqlite3.connect(ran / "screener.db") as db:
        stored = db.execute("SELECT entry_id, decision, who FROM replies ORDER BY entry_id").fetchall()
    assert stored == [("14", "advanced", "maria"), ("15", "declined", "maria"), ("16", "hold", "maria")]
    logged = [json.loads(line) for line in (ran / "screener-audit.jsonl").read_text().splitlines()]
    record = next(e for e in logged if e["command"] == "reply")
    assert record["who"] == "maria" and sorted(r["id"] for r in record["replied"]) == ["14", "15", "16"]
    assert "@" not in json.dumps(record)  # ids, never addresses
    # a new decision after the reply is owed again
    decide(("16", "declined"))
    assert "16  declined" in cli("status").stdout


def test_eml_and_mbox_parse_back_and_hostile_values_add_no_header(ran: Path) -> None:
    decide(("4", "advanced"), ("5", "declined"), ("3", "declined"), ("7", "hold"))
    run = cli("reply", "--format", "eml", "-o", "eml")
    assert run.code == 0, run.stderr
    files = sorted(p.name for p in (ran / "eml").glob("*.eml"))
    assert files == ["advanced-4.eml", "hold-7.eml"]
    message = parsed_eml(ran / "eml" / "advanced-4.eml")
    assert set(message.keys()) <= HEADERS and "Bcc" not in message and "X-Evil" not in message
    to = message["To"]
    assert len(to.addresses) == 1 and to.addresses[0].addr_spec == "orla.byrne19@yahoo.com"
    assert to.addresses[0].display_name == "Eve Bcc: evil@attacker.example Smith X-Evil: 1"
    assert str(message["From"]) == "Hiring team <jobs@example.com>"
    body = message.get_content()
    assert body.startswith("Hello Eve,") and "\r" not in message["Subject"]
    assert parsed_eml(ran / "eml" / "hold-7.eml").get_content().startswith("Hello <script>alert(1)</script>,")
    apart = {r["id"]: r for r in csv_rows(ran / "eml" / "replies-set-apart.csv")}
    assert set(apart) == {"3", "5"}
    assert apart["3"]["why"].startswith("test entry")
    assert apart["5"]["why"] == "no usable e-mail address"
    assert "set apart: 2" in run.stderr
    run = cli("reply", "--format", "mbox", "--decision", "advanced")
    assert run.code == 0, run.stderr
    box = mailbox.mbox(ran / "out" / "replies" / "replies.mbox",
                       factory=lambda f: email.message_from_binary_file(f, policy=policy.default))
    try:
        messages = list(box)
    finally:
        box.close()
    assert len(messages) == 1
    assert messages[0]["To"].addresses[0].addr_spec == "orla.byrne19@yahoo.com" and "Bcc" not in messages[0]
    assert "When could you start?" in messages[0].get_body(("plain",)).get_content()
    # status lists the set-apart ones too, never silently
    out = cli("status").stdout
    assert "set apart: test entry" in out and "set apart: no usable e-mail address" in out
    # after sending, the next batch holds only what is still owed: the sent advance's file is gone
    assert cli("reply", "--mark-sent").code == 0  # the last batch: the mbox of the advance
    again = cli("reply", "--format", "eml", "-o", "eml")
    assert again.code == 0 and "2 .eml files of an earlier batch removed" in again.stderr
    assert sorted(p.name for p in (ran / "eml").glob("*.eml")) == ["hold-7.eml"]


def test_a_duplicate_group_gets_one_reply_to_the_newest_address(ran: Path) -> None:
    decide(("30", "advanced"), ("49", "declined"), ("9", "declined"))  # the group's latest decision counts
    run = cli("reply")
    assert run.code == 0, run.stderr
    rows = csv_rows(ran / "out" / "replies" / "replies.csv")
    assert [(r["id"], r["email"], r["decision"]) for r in rows] == [("49", "CHRISTOPHER.HALL@GMAIL.COM", "declined"),
                                                                    ("9", "arjunchatterjee@gmail.com", "declined")]
    assert rows[1]["name"].startswith("'=HYPERLINK(")  # a spreadsheet never runs it
    assert rows[1]["body"].startswith('Hello =HYPERLINK("http://evil.example","x"),')
    assert cli("status", "30", "--replied").code == 0  # either member records it for the group
    assert "Replies owed: 1" in cli("status").stdout
    again = cli("status", "49", "--replied")
    assert again.code == 2 and "answered already" in again.stderr
    assert cli("status", "nobody", "--replied").code == 2
    assert cli("status", "49").code == 2  # an applicant needs a decision or --replied


def test_status_nightly_summary_and_report_count_owed_and_overdue(project: Path) -> None:
    # A close in the future: declines are not due yet; an advance is due 4 business days after
    # the application (8 June 2020, a Monday: due Friday 12 June), long past.
    use_rubric(project, RUBRIC.read_text(encoding="utf-8").replace('at: "2020-06-26 23:59"', 'at: "2099-06-26 23:59"'))
    write_export(project / "exports" / "a.csv", 60, HOSTILE)
    assert cli("run").code == 0
    decide(("10", "declined"), ("11", "advanced"), ("7", "declined"))
    status = cli("status")
    assert status.code == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0] == "Replies owed: 3 (1 overdue), oldest first:"
    assert lines[1].split()[:4] == ["11", "advanced", "due", "2020-06-12,"]
    assert "to hear by 2099-07-17." in status.stdout
    again = cli("run", "--export", str(project / "exports" / "a.csv"))
    assert again.code == 4
    assert "replies: 3 owed (1 overdue, oldest due 2020-06-12)" in again.stdout
    report = cli("report", "-o", "report.html")
    assert report.code == 0, report.stderr
    html = (project / "report.html").read_text(encoding="utf-8")
    section = html.split("<h2 id=replies>", 1)[1]
    assert section.startswith("Replies owed (3, 1 overdue)")
    assert "&lt;script&gt;" in section and "<script>" not in section
    blind = cli("report", "-o", "blind.html", "--blind")
    assert blind.code == 0
    assert "Angelica" not in (project / "blind.html").read_text(encoding="utf-8").split("<h2 id=replies>", 1)[1]


def test_without_a_deadline_the_due_date_is_unknown_not_guessed(project: Path) -> None:
    text = RUBRIC.read_text(encoding="utf-8")
    start = text.index("deadline:")
    use_rubric(project, text[:start] + text[text.index("groups:"):])
    write_export(project / "exports" / "a.csv", 30)
    assert cli("run").code == 0
    decide(("11", "declined"))
    status = cli("status").stdout
    assert "11  declined  due date unknown (no deadline in the rubric)" in status
    assert "the rubric has no deadline" in status and "no close date" in status


def test_reply_settings_are_checked(project: Path) -> None:
    config = (project / "screener.toml").read_text(encoding="utf-8")
    (project / "screener.toml").write_text(config.replace("advance_reply_business_days = 4",
                                                          'advance_reply_business_days = "four"'), encoding="utf-8")
    run = cli("status")
    assert run.code == 1 and "'advance_reply_business_days' should be a whole number" in run.stderr


def test_business_days_skip_weekends() -> None:
    from screener.app.replies import add_business_days, one_line, usable_email

    assert add_business_days(date(2020, 6, 8), 4) == date(2020, 6, 12)  # Monday -> Friday
    assert add_business_days(date(2020, 6, 12), 4) == date(2020, 6, 18)  # Friday -> Thursday
    assert add_business_days(date(2020, 6, 13), 1) == date(2020, 6, 15)  # Saturday -> Monday
    assert one_line("Eve\r\nBcc: x@y.z\u202e\x1b[31m") == "Eve Bcc: x@y.z[31m"
    assert usable_email(" a.b@example.com ") == "a.b@example.com"
    assert usable_email("a@b.com\nBcc: c@d.com") == usable_email("a@b") == usable_email("") == ""


def test_an_older_store_gets_the_replies_table(tmp_path: Path) -> None:
    from screener.data import store as store_mod

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        for version in (1, 2, 3):
            db.executescript(store_mod._MIGRATIONS[version] + ";")
        db.execute("INSERT INTO meta VALUES ('schema_version', '3')")
    with store_mod.Store(path) as opened:
        assert opened._version() == store_mod.SCHEMA_VERSION == 5
        assert opened.answered_decisions() == set()
        columns = [r[1] for r in opened.db.execute("PRAGMA table_info(replies)")]
        assert columns == ["id", "entry_id", "decision_id", "decision", "who", "replied_at"]


def test_init_from_a_posting_takes_the_promised_reply_times(project: Path) -> None:
    from screener.core.posting import find_reply_promises, read_posting

    text = (SAMPLE / "postings" / "technical-project-manager.md").read_text(encoding="utf-8")
    text = text.replace("within\n  3-4 business days", "within\n  2 business days").replace("three weeks", "ten days")
    assert "2 business days" in text and "ten days after the close" in text
    (project / "posting.md").write_text(text, encoding="utf-8")
    draft = cli("rubric", "draft", "posting.md")
    assert draft.code == 0, draft.stderr
    assert "#   advance_reply_business_days = 2\n#   reply_days_after_close = 10\n" in draft.stdout
    (project / "screener.toml").unlink()
    run = cli("init", "--from-posting", "posting.md", "--exports", "exports/*.csv")
    assert run.code == 0, run.stderr
    config = (project / "screener.toml").read_text(encoding="utf-8")
    assert "advance_reply_business_days = 2\n" in config and "reply_days_after_close = 10\n" in config
    chinese = (SAMPLE / "postings" / "original-zh.md").read_text(encoding="utf-8")
    found = find_reply_promises(read_posting(chinese, "md").lines)
    assert found is not None and (found.business_days, found.days_after_close) == (4, 21)
