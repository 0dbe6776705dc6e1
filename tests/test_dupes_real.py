"""Duplicates issue 14 found missed (a phone written two ways, one LinkedIn or GitHub profile
written two ways, Robert/Bob) and the people who must stay apart, on a small Cognito export
(tests/data/dupes/real_dupes.csv, made by make_real_dupes.py), through the CLI: in one pass,
in pieces and in a nightly run; with each row's own reason and one primary per group."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA, RUBRIC, cli
from screener.core import dedupe

EXPORT = DATA / "dupes" / "real_dupes.csv"

GROUPS = {"2": {"1", "2"}, "4": {"3", "4"}, "6": {"5", "6"}, "8": {"7", "8"}, "10": {"9", "10"},
          "13": {"11", "12", "13"}}
WHY = {
    "1": "same phone and name", "2": "same phone and name",  # Robert / Bob Jenkins
    "3": "same phone and name", "4": "same phone and name",  # an extension on one phone only
    "5": "same LinkedIn profile", "6": "same LinkedIn profile",
    "7": "same GitHub profile", "8": "same GitHub profile",
    "9": "similar name and near-identical answers", "10": "similar name and near-identical answers",  # Bill
    "11": "same email; same phone and name", "12": "same email", "13": "same phone and name",
}
APART = {"14", "15", "16", "17", "18", "19"}  # namesakes, a household phone, a copied letter


def _scored(tmp_path: Path, env: dict[str, str] | None = None) -> list[dict]:
    """Every scored row: as JSON, or in pieces (``env``) as CSV (JSON is written from one table)."""
    form = "csv" if env else "json"
    out = tmp_path / f"scored.{form}"
    run = cli("score", EXPORT, "--rubric", RUBRIC, "--format", form, "-o", out, env=env)
    assert run.code == 0, run.stderr
    assert ("read in two passes" in run.stderr) == bool(env), run.stderr
    text = out.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""))) if env else json.loads(text)


def _groups(rows: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in rows:
        if row["duplicate_group"]:
            found.setdefault(row["duplicate_group"], set()).add(str(row["id"]))
    return found


def test_the_fixture_is_what_its_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_real_dupes", DATA / "dupes" / "make_real_dupes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(module.HEADER)
    writer.writerows(module.rows())
    assert EXPORT.read_bytes() == buffer.getvalue().encode("utf-8-sig")
    assert 10 <= len(module.rows()) <= 20


@pytest.mark.parametrize("pieces", [False, True], ids=["whole", "two-passes"])
def test_each_missed_duplicate_is_grouped_and_nobody_else(tmp_path: Path, pieces: bool) -> None:
    env = {"SCREENER_STREAM_BYTES": "200", "SCREENER_CHUNK_ROWS": "4"} if pieces else None
    rows = _scored(tmp_path, env)
    assert _groups(rows) == GROUPS
    by_id = {str(r["id"]): r for r in rows}
    assert {i for i in APART if by_id[i]["duplicate_group"] or by_id[i]["duplicate_why"]} == set()
    assert {i: by_id[i]["duplicate_why"] for i in WHY} == WHY


def test_a_nightly_run_groups_them_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    (tmp_path / "exports").mkdir(exist_ok=True)
    (tmp_path / "exports" / "real_dupes.csv").write_bytes(EXPORT.read_bytes())
    run = cli("run", env={"SCREENER_WORKERS": "1"})
    assert run.code in (0, 3), run.stderr
    assert cli("shortlist", env={"SCREENER_WORKERS": "1"}).code == 0  # everyone else, from the store
    groups: dict[str, set[str]] = {}
    why: dict[str, str] = {}
    for name in ("shortlist.csv", "shortlist-left-out.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8-sig")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            if row.get("duplicate_group"):
                groups.setdefault(row["duplicate_group"], set()).add(row["id"])
                why[row["id"]] = row["duplicate_why"]
    assert groups == GROUPS and why == WHY


def test_exactly_one_primary_per_group_the_newest(tmp_path: Path) -> None:
    rows = _scored(tmp_path)
    for group, members in _groups(rows).items():
        primaries = [r for r in rows if r["duplicate_group"] == group and str(r["id"]) == group]
        assert len(primaries) == 1, group
        newest = max((r for r in rows if str(r["id"]) in members), key=lambda r: r["submitted_at"])
        assert str(newest["id"]) == group
    listing = cli("duplicates", EXPORT, "--rubric", RUBRIC)
    assert listing.code == 0, listing.stderr
    assert "6 groups, 13 applications" in listing.stdout
    assert listing.stdout.count("primary") == len(GROUPS)


@pytest.mark.parametrize(("applicant", "said", "not_said"), [
    ("13", "same phone and name", "same email"),   # joined by her phone, in a group an email made
    ("12", "same email", "same phone"),
    ("2", "same phone and name", "same email"),    # Bob, by Robert's phone
    ("6", "same LinkedIn profile", "same email"),
    ("14", None, "duplicate group"),                # a namesake stays alone
])
def test_explain_names_the_signal_that_joined_the_row(applicant: str, said: str | None, not_said: str) -> None:
    run = cli("explain", EXPORT, applicant, "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    head = " ".join(run.stdout.split("\n\n")[0].split())  # the header, its lines joined
    if said is not None:
        assert "duplicate group" in head and said in head, head
    assert not_said not in head, head


@pytest.mark.parametrize(("a", "b"), [
    ("https://www.linkedin.com/in/daniel-okoro-pm/", "linkedin.com/in/Daniel-Okoro-PM?trk=public_profile"),
    ("http://uk.linkedin.com/in/jane-doe-42", "https://www.linkedin.com/in/JANE-DOE-42/#about"),
    ("https://github.com/meichen-dev", "GitHub.com/MeiChen-Dev/"),
])
def test_profile_urls_written_two_ways_are_one_key(a: str, b: str) -> None:
    assert dedupe.profile_key(a) and dedupe.profile_key(a) == dedupe.profile_key(b)


@pytest.mark.parametrize("value", ["", "n/a", "none", "https://www.linkedin.com/in/", "linkedin.com/in/yourname",
                                   "https://www.linkedin.com/company/acme", "https://github.com/", "github.com/orgs"])
def test_placeholders_and_other_pages_are_no_profile(value: str) -> None:
    assert dedupe.profile_key(value) == ""


@pytest.mark.parametrize(("a", "b", "region"), [
    ("(555) 010-0147", "555-010-0147", "US"),
    ("(555) 010-0162 ext. 204", "555.010.0162", "US"),  # the digits alone differ: 5550100162204
    ("+1 555 010 0147", "555 010 0147", "US"),
    ("020 7946 0321", "+44 (0)20 7946 0321", "GB"),
    ("07700 900123", "+44 7700 900123", "US"),  # a wrong region still meets on the national number
])
def test_phones_written_two_ways_are_one_key(a: str, b: str, region: str) -> None:
    first, second = dedupe.phone_keys(pd.Series([a, b]), pd.Series([region, region])).tolist()
    assert first and first == second


def test_an_unreadable_phone_keeps_its_digits_and_a_short_one_none() -> None:
    assert dedupe._phone_key("12-34-56-78-90-12-34", "US") == "5678901234"  # too long: last ten digits
    assert dedupe._phone_key("call me", "US") == "" and dedupe._phone_key("0147", "US") == ""
    assert dedupe.phone_region("United Kingdom") == "GB" and dedupe.phone_region("de") == "DE"
    assert dedupe.phone_region(" USA ") == "US" and dedupe.phone_region("Atlantis") == ""
