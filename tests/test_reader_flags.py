"""An answer in a language the rubric does not name scores low for that alone: the shortlist's
left-out reasons and 'explain' say it needs a reader of that language."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import cli

RUBRIC = """\
rubric: reader
title: Reader flags
language: en
fields:
  entry_id: Ref
  name: Name
  letter: Letter
applicant:
  id: entry_id
  name: [name]
criteria:
  - id: methods
    label: PM methods
    kind: keywords
    field: letter
    terms: [agile, scrum, kanban, risk management]
    match: count
    cap: 2
    weight: 5
  - id: letter_quality
    label: Letter quality
    kind: text_quality
    field: letter
    min_words: 20
    good_words: 60
    weight: 1
"""

ENGLISH = ("I have led agile teams for six years, ran scrum ceremonies and kanban boards, and kept a risk "
           "register that the steering group read every week. ")
CHINESE = ("我有九年的项目管理经验，负责过多个跨部门的软件交付项目，熟悉敏捷开发和风险管理，"
           "曾带领二十人的团队按时按预算完成产品上线，并建立了团队的周报和里程碑制度。")


def _files(tmp_path: Path) -> tuple[Path, Path]:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Name", "Letter"])
        out.writerow(["1", "Ana Silva", ENGLISH * 3])
        out.writerow(["2", "Li Na", CHINESE])
        out.writerow(["3", "Ben Okafor", "I like computers."])
    return export, rubric


def test_the_left_out_reason_says_a_reader_is_needed(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path)
    run = cli("shortlist", str(export), "--rubric", str(rubric), "--top", "1", "-o", str(tmp_path / "short.csv"))
    assert run.code == 0, run.stderr
    with (tmp_path / "short-left-out.csv").open(encoding="utf-8-sig", newline="") as handle:
        left = {row["id"]: row["left_out_because"] for row in csv.DictReader(handle)}
    assert left["2"] == "ranked below the top 1; needs a reader of Chinese"
    assert left["3"] == "ranked below the top 1"


def test_explain_says_a_reader_is_needed(tmp_path: Path) -> None:
    export, rubric = _files(tmp_path)
    run = cli("explain", str(export), "2", "--rubric", str(rubric))
    assert run.code == 0, run.stderr
    assert "needs a reader of Chinese: the free-text answers are not in the rubric's language" in " ".join(
        run.stdout.split())
    other = cli("explain", str(export), "3", "--rubric", str(rubric))
    assert "needs a reader" not in other.stdout
