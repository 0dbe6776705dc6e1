"""Form providers recognised, with their defaults: the zone of times written without one,
identity columns by the providers' own headers, multi-select answers, section prefixes; and
``--export-timezone``. Each provider's export is a tiny CSV shaped as it writes one
(see /work/shared/reference/export-formats.md), scored and inspected through the real CLI.

The deadline is 2020-06-26 23:59 in New York, i.e. before 2020-06-27 04:00 UTC. Every export
holds two applicants whose times have no zone: A at 02:30 and B at 05:00 on June 27, so
read as UTC A is on time and B late, as New York time both are late, and as Berlin time
(UTC+2) both are on time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import cli
from screener.core.columns import map_fields
from screener.core.providers import detect

RUBRIC = """\
rubric: providers
title: Provider defaults
fields:
  entry_id: [Ref, "*_Id"]
  first_name: [Name_First, First name]
  last_name: [Name_Last, Last name]
  email: Email
  submitted_at: [Entry_DateSubmitted, Submit Date (UTC), Timestamp, Submission Date]
  field_of_study: FieldOfStudy
  tools: Tools
applicant:
  id: entry_id
  name: [first_name, last_name]
  email: email
  submitted_at: submitted_at
deadline:
  at: "2020-06-26 23:59"
  timezone: America/New_York
{export_timezone}
criteria:
  - id: study
    label: Computer science
    kind: keywords
    field: field_of_study
    terms: [computer science]
    weight: 5
  - id: tools
    label: Tools
    kind: choice
    field: tools
    combine: sum
    options: {{Jira: 0.5, Asana: 0.25, "Budgeting, forecasting": 0.5}}
    weight: 5
"""

UTC_READING = {"A": "no", "B": "yes"}
NEW_YORK_READING = {"A": "yes", "B": "yes"}
BERLIN_READING = {"A": "no", "B": "no"}

EXPORTS = {
    # Classic Typeform CSV: '#' (the response token) first, times in UTC said by the header.
    "typeform": (
        "#,First name,Last name,Email,Field of study,Tools,Response Type,Start Date (UTC),Stage Date (UTC),"
        "Submit Date (UTC),Network ID,Tags\n"
        "tokA,Ada,Lovelace,ada@example.com,Computer Science,\"Jira,Asana\",completed,2020-06-27 02:20:00,,"
        "2020-06-27 02:30:00,n1,\n"
        "tokB,Bob,Byte,bob@example.com,History,Jira,completed,2020-06-27 04:50:00,,2020-06-27 05:00:00,n2,\n"
    ),
    # The newer Typeform export: 'Submitted At' and 'Token' last, no zone in the header.
    "typeform-new": (
        "First name,Last name,Email,Field of study,Tools,Submitted At,Token\n"
        "Ada,Lovelace,ada@example.com,Computer Science,\"Jira,Asana\",2020-06-27 02:30:00,tokA\n"
        "Bob,Byte,bob@example.com,History,Jira,2020-06-27 05:00:00,tokB\n"
    ),
    # Google Forms: 'Timestamp' first in the sheet's local time (M/D/YYYY), checkbox answers
    # joined by ", ", one name question.
    "google": (
        "Timestamp,Email address,Full Name,Field of study,Tools\n"
        "6/27/2020 2:30:00,ada@example.com,Ada Lovelace,Computer Science,\"Jira, Budgeting, forecasting\"\n"
        "6/27/2020 5:00:00,bob@example.com,Bob Byte,History,Asana\n"
    ),
    # Cognito (Excel/CSV, internal names): the form's id first, fields inside sections prefixed
    # with the section, Name split in parts, entry metadata last in US local time.
    "cognito": (
        "PyImageSearchTechnicalProjectMa_Id,Name_First,Name_Last,Contact_Email,Experience_FieldOfStudy,"
        "Experience_Tools,Entry_Status,Entry_DateCreated,Entry_DateSubmitted,Entry_DateUpdated\n"
        "1,Ada,Lovelace,ada@example.com,Computer Science,\"Jira, Budgeting, forecasting\",Submitted,"
        "6/27/2020 2:20 AM,6/27/2020 2:30 AM,6/27/2020 2:30 AM\n"
        "2,Bob,Byte,bob@example.com,History,Asana,Submitted,6/27/2020 4:50 AM,6/27/2020 5:00 AM,"
        "6/27/2020 5:00 AM\n"
    ),
    # Jotform: 'Submission Date' first, Full Name in one column, checkbox answers one per line.
    "jotform": (
        "Submission Date,Full Name,E-mail,Field of study,Tools,Submission ID\n"
        "2020-06-27 02:30:00,Ada Lovelace,ada@example.com,Computer Science,\"Jira\nBudgeting, forecasting\","
        "5012345678901234567\n"
        "2020-06-27 05:00:00,Bob Byte,bob@example.com,History,Asana,5012345678901234568\n"
    ),
    # Microsoft Forms: ID, Start time, Completion time, Email, Name; choices each followed by ';'.
    "msforms": (
        "ID,Start time,Completion time,Email,Name,Field of study,Tools\n"
        "1,6/27/2020 2:20:00 AM,6/27/2020 2:30:00 AM,ada@example.com,Ada Lovelace,Computer Science,Jira;Asana;\n"
        "2,6/27/2020 4:50:00 AM,6/27/2020 5:00:00 AM,bob@example.com,Bob Byte,History,Asana;\n"
    ),
}


def _files(tmp_path: Path, provider: str, export_timezone: str | None = None) -> tuple[Path, Path]:
    export = tmp_path / f"{provider}.csv"
    export.write_text(EXPORTS[provider], encoding="utf-8")
    rubric = tmp_path / "rubric.yaml"
    stated = f"  export_timezone: {export_timezone}" if export_timezone else ""
    rubric.write_text(RUBRIC.format(export_timezone=stated), encoding="utf-8")
    return export, rubric


def _scored(export: Path, rubric: Path, *args: str) -> tuple[dict[str, dict], str]:
    run = cli("score", export, "--rubric", rubric, "--format", "json", *args)
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)
    by_email = {row["email"]: row for row in rows}
    return {"A": by_email["ada@example.com"], "B": by_email["bob@example.com"]}, run.stderr


def _late(rows: dict[str, dict]) -> dict[str, str]:
    return {key: row["late"] for key, row in rows.items()}


def _inspect(export: Path, rubric: Path, *args: str) -> str:
    run = cli("inspect", export, "--rubric", rubric, *args)
    assert run.code == 0, run.stderr
    return " ".join(run.stdout.replace("│", " ").split())  # table rows read as "field column how"


# --------------------------------------------------------------------------------------------
# The zone of times written without one


@pytest.mark.parametrize(
    ("provider", "late", "why"),
    [
        ("typeform", UTC_READING, "read as UTC (Typeform writes UTC: header 'Submit Date (UTC)')"),
        ("typeform-new", UTC_READING, "read as UTC (Typeform writes UTC: column 'Submitted At')"),
        ("google", NEW_YORK_READING, "read as America/New_York (rubric deadline.timezone; Google Forms writes "
         "the account's local time and does not say which)"),
        ("cognito", NEW_YORK_READING, "read as America/New_York (rubric deadline.timezone; Cognito Forms writes "
         "the account's local time and does not say which)"),
        ("jotform", NEW_YORK_READING, "read as America/New_York (rubric deadline.timezone; Jotform writes "
         "the account's local time and does not say which)"),
        ("msforms", NEW_YORK_READING, "read as America/New_York (rubric deadline.timezone; Microsoft Forms "
         "writes the account's local time and does not say which)"),
    ],
)
def test_each_provider_reads_times_without_a_zone_as_it_writes_them(
        tmp_path: Path, provider: str, late: dict[str, str], why: str) -> None:
    export, rubric = _files(tmp_path, provider)
    rows, _ = _scored(export, rubric)
    assert _late(rows) == late
    assert f"times without a zone {why}" in _inspect(export, rubric)


def test_the_submission_time_is_written_in_utc(tmp_path: Path) -> None:
    rows, _ = _scored(*_files(tmp_path, "typeform"))
    assert rows["A"]["submitted_at"] == "2020-06-27T02:30:00Z"
    rows, _ = _scored(*_files(tmp_path, "google"))
    assert rows["A"]["submitted_at"] == "2020-06-27T06:30:00Z"  # 2:30 EDT


@pytest.mark.parametrize("provider", ["typeform-new", "google", "cognito", "jotform", "msforms"])
def test_the_rubrics_export_timezone_wins_over_the_providers_default(tmp_path: Path, provider: str) -> None:
    export, rubric = _files(tmp_path, provider, export_timezone="Europe/Berlin")
    rows, _ = _scored(export, rubric)
    assert _late(rows) == BERLIN_READING
    assert "times without a zone read as Europe/Berlin (rubric deadline.export_timezone)" in _inspect(export, rubric)


def test_a_zone_stated_by_the_header_wins_over_the_rubric_and_the_command_line(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path, "typeform", export_timezone="America/New_York")
    rows, stderr = _scored(export, rubric)
    assert _late(rows) == UTC_READING
    assert ("the rubric's deadline.export_timezone America/New_York is not used for 'Submit Date (UTC)': "
            "its header says the times are UTC") in stderr
    rows, stderr = _scored(export, rubric, "--export-timezone", "Europe/Berlin")
    assert _late(rows) == UTC_READING
    assert "--export-timezone Europe/Berlin is not used for 'Submit Date (UTC)'" in stderr
    shown = _inspect(export, rubric, "--export-timezone", "Europe/Berlin")
    assert "times without a zone read as UTC (Typeform writes UTC: header 'Submit Date (UTC)')" in shown
    assert "--export-timezone Europe/Berlin is not used" in shown


def test_a_zone_in_the_value_always_wins(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path, "cognito", export_timezone="America/New_York")
    # As a Cognito JSON export or an API pull writes them: ISO 8601 in UTC, with Z.
    export.write_text(EXPORTS["cognito"].replace("6/27/2020 2:30 AM,6/27/2020 2:30 AM",
                                                 "2020-06-27T02:30:00Z,6/27/2020 2:30 AM")
                      .replace("6/27/2020 5:00 AM,6/27/2020 5:00 AM", "2020-06-27T05:00:00.000Z,6/27/2020 5:00 AM"),
                      encoding="utf-8")
    for args in ((), ("--export-timezone", "Europe/Berlin")):
        rows, _ = _scored(export, rubric, *args)
        assert _late(rows) == UTC_READING
    shown = _inspect(export, rubric, "--export-timezone", "Europe/Berlin")
    assert ("times without a zone read as Europe/Berlin (--export-timezone); 2 of 2 values in "
            "'Entry_DateSubmitted' state their own zone, which wins") in shown


@pytest.mark.parametrize("provider", ["typeform-new", "google", "cognito", "jotform", "msforms"])
def test_export_timezone_on_the_command_line_wins_over_rubric_and_provider(tmp_path: Path, provider: str) -> None:
    export, rubric = _files(tmp_path, provider, export_timezone="America/New_York")
    rows, _ = _scored(export, rubric, "--export-timezone", "Europe/Berlin")
    assert _late(rows) == BERLIN_READING
    shown = _inspect(export, rubric, "--export-timezone", "Europe/Berlin")
    assert "times without a zone read as Europe/Berlin (--export-timezone)" in shown


def test_export_timezone_reaches_every_command_that_reads_an_export(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path, "google")
    berlin = ("--rubric", str(rubric), "--export-timezone", "Europe/Berlin")
    # Read as New York time both are late and left out; as Berlin time both are shortlisted.
    out = tmp_path / "short.csv"
    run = cli("shortlist", export, "--top", "5", "-o", out, "--rubric", rubric)
    assert run.code == 0, run.stderr
    assert "Shortlisted 0 of 2" in run.stderr
    run = cli("shortlist", export, "--top", "5", "-o", out, *berlin)
    assert run.code == 0, run.stderr
    assert "Shortlisted 2 of 2" in run.stderr
    run = cli("explain", export, "ada@example.com", *berlin)
    assert run.code == 0, run.stderr
    assert "submitted 2020-06-27T00:30:00Z" in run.stdout  # 02:30 in Berlin
    for command in (("duplicates", export), ("compare", export, "ada@example.com", "bob@example.com"),
                    ("report", export, "-o", tmp_path / "r.html")):
        run = cli(*command, *berlin)
        assert run.code == 0, (command, run.stderr)
    # The audit log keeps the zone: it changes who is late, so a replay needs it.
    records = Path(os.environ["SCREENER_AUDIT_LOG"]).read_text(encoding="utf-8").splitlines()
    shortlisted = [json.loads(line) for line in records if json.loads(line)["command"] == "shortlist"]
    assert [r.get("export_timezone") for r in shortlisted] == [None, "Europe/Berlin"]


@pytest.mark.parametrize("command", ["score", "inspect", "shortlist"])
def test_an_unknown_zone_is_one_sentence_and_a_usage_error(tmp_path: Path, command: str) -> None:
    export, rubric = _files(tmp_path, "google")
    extra = ("--top", "5", "-o", str(tmp_path / "s.csv")) if command == "shortlist" else ()
    run = cli(command, export, "--rubric", rubric, "--export-timezone", "Mars/Olympus_Mons", *extra)
    assert run.code == 2
    assert run.stderr.strip() == ("Error: --export-timezone 'Mars/Olympus_Mons' is not a time zone name; use one "
                                  "like America/New_York, Europe/Berlin or UTC.")
    assert run.stdout == ""


def test_export_timezone_is_on_the_shared_options(tmp_path: Path) -> None:
    for command in ("score", "shortlist", "explain", "inspect", "duplicates", "audit", "compare", "report",
                    "reveal"):
        run = cli(command, "--help")
        assert "--export-timezone" in run.stdout, command


# --------------------------------------------------------------------------------------------
# Identity columns, section prefixes and multi-select answers


def test_typeform_token_is_the_id_when_the_rubric_names_no_id_column(tmp_path: Path) -> None:
    rows, _ = _scored(*_files(tmp_path, "typeform"))
    assert (rows["A"]["id"], rows["A"]["name"]) == ("tokA", "Ada Lovelace")
    shown = _inspect(*_files(tmp_path, "typeform"))
    assert "entry_id # provider default" in shown


@pytest.mark.parametrize(("provider", "name_column", "email_column", "id_column"), [
    ("google", "Full Name", "Email address", None),
    ("jotform", "Full Name", None, "Submission ID"),
    ("msforms", "Name", None, None),  # its 'ID' is found by the rubric's own "*_Id" (normalised)
])
def test_a_name_in_one_column_and_the_providers_own_headers(
        tmp_path: Path, provider: str, name_column: str, email_column: str | None, id_column: str | None) -> None:
    export, rubric = _files(tmp_path, provider)
    rows, _ = _scored(export, rubric)
    assert rows["A"]["name"] == "Ada Lovelace"
    shown = _inspect(export, rubric)
    assert f"first_name {name_column} provider default" in shown
    if email_column:
        assert f"email {email_column} provider default" in shown
    if id_column:
        assert f"entry_id {id_column} provider default" in shown
    if provider == "jotform":  # 19 digits, kept as text
        assert rows["A"]["id"] == "5012345678901234567"


def test_cognito_section_prefixes_are_seen_past(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path, "cognito")
    rows, _ = _scored(export, rubric)
    ada = rows["A"]
    assert (ada["id"], ada["name"]) == ("1", "Ada Lovelace")
    assert ada["criteria"]["study"]["status"] == "pass"
    assert ada["criteria"]["tools"]["evidence"] == "chose Jira, Budgeting, forecasting"
    shown = _inspect(export, rubric)
    for text in ("email Contact_Email section prefix", "field_of_study Experience_FieldOfStudy section prefix",
                 "tools Experience_Tools section prefix", "first_name Name_First exact",
                 "entry_id PyImageSearchTechnicalProjectMa_Id pattern"):
        assert text in shown, text


@pytest.mark.parametrize(("provider", "points"), [
    ("typeform", {"A": 37.5, "B": 25.0}),       # "Jira,Asana"
    ("google", {"A": 50.0, "B": 12.5}),         # "Jira, Budgeting, forecasting": an option holding ", " kept whole
    ("cognito", {"A": 50.0, "B": 12.5}),
    ("jotform", {"A": 50.0, "B": 12.5}),        # one choice per line
    ("msforms", {"A": 37.5, "B": 12.5}),       # "Jira;Asana;"
])
def test_multi_select_answers_as_each_provider_joins_them(
        tmp_path: Path, provider: str, points: dict[str, float]) -> None:
    rows, _ = _scored(*_files(tmp_path, provider))
    assert {key: row["criteria"]["tools"]["points"] for key, row in rows.items()} == points
    assert "also:" not in rows["A"]["criteria"]["tools"]["evidence"]


def test_inspect_says_how_the_provider_writes_multi_select_answers(tmp_path: Path) -> None:
    assert "multi-select Jotform writes one cell, one choice per line" in _inspect(*_files(tmp_path, "jotform"))
    assert "multi-select Google Forms writes one cell, choices joined by ', '" in _inspect(*_files(tmp_path, "google"))


def test_provider_detection_covers_each_fixture() -> None:
    for provider, text in EXPORTS.items():
        assert detect(text.splitlines()[0].split(",")) == provider.split("-")[0]


# --------------------------------------------------------------------------------------------
# map_fields: section prefixes, without breaking what matched before


def test_section_prefix_matches_the_last_parts_after_exact_normalised_and_pattern() -> None:
    columns = ["APPROVALS_Id", "Details_Name_First", "Details_Name_Last", "Contact_Email", "Experience_FieldOfStudy",
               "Section__1NomeDoEmpreendimento", "Details_YourStore", "Details_YourStore_Label", "Entry_Status"]
    fields = {"id": ("*_Id",), "first": ("Name_First",), "last": ("Name_Last",), "email": ("Email",),
              "study": ("FieldOfStudy",), "nome": ("1NomeDoEmpreendimento",), "store": ("YourStore",),
              "status": ("Status",)}
    got = map_fields(columns, fields)
    assert {k: (m.column, m.method) for k, m in got.items()} == {
        "id": ("APPROVALS_Id", "pattern"),
        "first": ("Details_Name_First", "section prefix"),
        "last": ("Details_Name_Last", "section prefix"),
        "email": ("Contact_Email", "section prefix"),
        "study": ("Experience_FieldOfStudy", "section prefix"),
        "nome": ("Section__1NomeDoEmpreendimento", "section prefix"),
        "store": ("Details_YourStore", "section prefix"),
        "status": ("Entry_Status", "section prefix"),
    }


def test_a_name_part_is_no_section_and_stronger_methods_come_first() -> None:
    columns = ["Name_First", "Name_Last", "Location_City", "Email", "Contact_Email", "Form_Id"]
    got = map_fields(columns, {"first_name": ("Name_First",), "first": ("First",), "city": ("City",),
                               "email": ("Email",), "id": ("*_Id", "Id")})
    assert got["first_name"].column == "Name_First" and got["first_name"].method == "exact"
    # 'First' inside Name_First and 'City' inside Location_City are parts of a field, not fields
    # in a section.
    assert got["first"].column is None and got["city"].column is None
    assert (got["email"].column, got["email"].method) == ("Email", "exact")
    assert (got["id"].column, got["id"].method) == ("Form_Id", "pattern")


def test_export_timezone_without_an_export_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("duplicates", "--export-timezone", "Europe/Berlin")
    assert run.code == 2
    assert "--export-timezone says how to read an export's times" in run.stderr


@pytest.mark.parametrize("provider", ["typeform-new", "cognito"])
def test_a_streamed_score_reads_the_times_the_same_way(tmp_path: Path, provider: str) -> None:
    export, rubric = _files(tmp_path, provider)
    whole, streamed = tmp_path / "whole.csv", tmp_path / "streamed.csv"
    for out, env in ((whole, {}), (streamed, {"SCREENER_STREAM_BYTES": "64", "SCREENER_CHUNK_ROWS": "1"})):
        run = cli("score", export, "--rubric", rubric, "--export-timezone", "Europe/Berlin", "-o", out, env=env)
        assert run.code == 0, run.stderr
    assert "read in two passes" in run.stderr
    assert streamed.read_bytes() == whole.read_bytes()
    assert ",no," in whole.read_text(encoding="utf-8") and ",yes," not in whole.read_text(encoding="utf-8")
