"""End to end on the bundled sample export, as the README's quick start runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import RUBRIC, SAMPLE, cli, run_process

KEY = json.loads((SAMPLE / "answer_key.json").read_text(encoding="utf-8"))
FORMATS = ("csv", "json", "xlsx")


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    out = {}
    folder = tmp_path_factory.mktemp("sample")
    for fmt in FORMATS:
        target = folder / f"{fmt}.json"
        run = cli("score", SAMPLE / f"applicants.{fmt}", "--rubric", RUBRIC, "-o", target)
        assert run.code == 0, run.stderr
        out[fmt] = json.loads(target.read_text(encoding="utf-8"))
    return out


def test_quick_start_command_prints_the_ranking(tmp_path: Path) -> None:
    # As the README's first line runs it: from the repository, rubric found in ./rubrics.
    proc = run_process("score", "sample_data/applicants.csv", cwd=RUBRIC.parent.parent,
                       env={"SCREENER_RUBRIC": ""})
    assert proc.returncode == 0, proc.stderr
    assert "1200 applicants · must-haves:" in proc.stdout
    assert "top 25 of 1200" in proc.stdout
    assert "\x1b" not in proc.stdout + proc.stderr


def test_the_strongest_planted_candidates_rank_first(ranked: dict[str, list[dict]]) -> None:
    strong = {str(i) for i in KEY["strong"]}
    assert len(strong) >= 10
    top10 = [r["id"] for r in ranked["csv"][:10]]
    assert len(set(top10) & strong) >= 9, top10
    top15 = {r["id"] for r in ranked["csv"][:15]}
    assert len(top15 & strong) >= 12


def test_all_three_formats_give_the_same_ranking(ranked: dict[str, list[dict]]) -> None:
    def key(rows: list[dict]) -> list[tuple]:
        return [(r["id"], r["score"], r["bucket"], r["late"], r["name"], r["submitted_at"]) for r in rows]

    assert key(ranked["csv"]) == key(ranked["json"]) == key(ranked["xlsx"])
    assert len(ranked["csv"]) == KEY["rows"]


def test_late_entries_are_flagged_not_dropped(ranked: dict[str, list[dict]]) -> None:
    by_id = {r["id"]: r for r in ranked["csv"]}
    assert {r["id"] for r in ranked["csv"] if r["late"] == "yes"} == {str(i) for i in KEY["late"]}
    for entry in KEY["deadline_boundary"]["on_time_at_11_59_PM"]:
        assert by_id[str(entry)]["late"] == "no"
    for entry in KEY["deadline_boundary"]["late_at_12_00_AM"]:
        assert by_id[str(entry)]["late"] == "yes"


def test_surnames_that_look_like_missing_values_stay_names(ranked: dict[str, list[dict]]) -> None:
    for fmt in FORMATS:
        by_id = {r["id"]: r for r in ranked[fmt]}
        for surname, ids in KEY["special_surnames"].items():
            for entry in ids:
                assert by_id[str(entry)]["name"].endswith(" " + surname), (fmt, entry)


def test_duplicate_groups_match_the_planted_ones_exactly(ranked: dict[str, list[dict]]) -> None:
    groups: dict[str, set[int]] = {}
    for row in ranked["csv"]:
        if row["duplicate_group"]:
            groups.setdefault(row["duplicate_group"], set()).add(int(row["id"]))
    assert sorted(sorted(g) for g in groups.values()) == sorted(sorted(g) for g in KEY["duplicate_groups"])
    by_id = {r["id"]: r for r in ranked["csv"]}
    for entry, how in KEY["duplicate_match"].items():
        expected = {"email_case": "same email", "email_space": "same email", "name_phone": "same phone and name"}[how]
        assert expected in by_id[entry]["duplicate_why"], (entry, by_id[entry]["duplicate_why"])
    # The newest submission of a group is its primary.
    for group, members in groups.items():
        newest = max(members, key=lambda i: (by_id[str(i)]["submitted_at"], i))
        assert group == str(newest)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "xlsx"])
def test_outputs_are_byte_identical_across_runs(tmp_path: Path, fmt: str) -> None:
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for target in (a, b):
        assert cli("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "-o", target).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_shortlist_top_50_and_nobody_disappears(tmp_path: Path) -> None:
    out = tmp_path / "shortlist.csv"
    run = cli("shortlist", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "50", "-o", out)
    assert run.code == 0, run.stderr
    chosen = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    left = list(csv.DictReader(io.StringIO((tmp_path / "shortlist-left-out.csv").read_text(encoding="utf-8-sig"))))
    assert len(chosen) == 50
    assert all(r["bucket"] != "fail" and r["late"] != "yes" for r in chosen)
    ids = [r["id"] for r in chosen] + [r["id"] for r in left]
    assert sorted(ids) == sorted({*ids}) and len(ids) == KEY["rows"]
    reasons = {r["left_out_because"].split(":")[0] for r in left}
    assert {"failed a must-have", "ranked below the top 50", "submitted after the deadline"} <= reasons
    run = cli("shortlist", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--min-score", "60", "-o", out)
    chosen = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert chosen and all(float(r["score"]) >= 60 for r in chosen)


def test_explain_the_top_applicant(ranked: dict[str, list[dict]]) -> None:
    top = ranked["csv"][0]
    run = cli("explain", SAMPLE / "applicants.csv", top["id"], "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    for crit in top["criteria"]:
        assert crit in run.stdout
    assert f"score {top['score']:.1f} / 100" in run.stdout
    assert "by group: Skills and requirements" in run.stdout


def test_inspect_maps_every_rubric_field() -> None:
    run = cli("inspect", SAMPLE / "applicants.csv", "--rubric", RUBRIC)
    assert run.code == 0, run.stderr
    assert "cognito" in run.stdout and "utf-8-sig" in run.stdout and "1200 read" in run.stdout
    assert "not found" not in run.stdout
    run = cli("inspect", SAMPLE / "applicants.json", "--rubric", RUBRIC)
    assert "Name_First" in run.stdout and "not found" not in run.stdout
