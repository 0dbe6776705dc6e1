"""Multi-select answers are split into the choices the applicant made, not at every comma: an
option holding a comma inside brackets stays whole (Google Forms joins choices with ", "), and
a JSON export's list is never split again (tests/data/real/make_choices.py makes the files)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, cli

REAL = DATA / "real"

RUBRIC = """\
rubric: choices
title: Tools
fields:
  entry_id: Entry_Number
  name: [Full name]
  first_name: Name_First
  last_name: Name_Last
  email: [Email Address, Email]
  tools: ["Which tools have you used?", Tools]
applicant:
  id: entry_id
  name: [first_name, last_name]
  email: email
criteria:
  - id: tools
    label: Project tools
    kind: choice
    field: tools
    combine: sum
    options: {Jira: 0.25, Asana: 0.25, "Microsoft Project": 0.5, Budgeting: 0.5}
    weight: 4
"""


def _tools(tmp_path: Path, export: Path) -> dict[str, dict[str, object]]:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    run = cli("score", str(export), "--rubric", str(rubric), "--format", "json", "-o", "-")
    assert run.code == 0, run.stderr
    return {row["email"]: row["criteria"]["tools"] for row in json.loads(run.stdout)}


def test_an_option_with_a_comma_in_brackets_stays_one_choice(tmp_path: Path) -> None:
    tools = _tools(tmp_path, REAL / "choices_google.csv")
    ana = tools["ana@example.com"]
    assert ana["evidence"] == "chose Jira, Asana, Microsoft Project"  # no "online)" left over
    assert tools["ben@example.com"]["evidence"] == "chose Microsoft Project"
    # An option the rubric does not list is shown whole, brackets and all.
    assert tools["chen@example.com"]["evidence"] == ("none of the listed choices "
                                                     "(also: 'Trello, Other [whiteboard, sticky notes]')")


def test_a_json_list_is_never_split_again(tmp_path: Path) -> None:
    tools = _tools(tmp_path, REAL / "choices_cognito.json")
    ana = tools["ana@example.com"]
    # "Budgeting, forecasting" is one item of the list: it names Budgeting once, and no
    # "forecasting" is left over as an unlisted choice.
    assert ana["evidence"] == "chose Jira, Budgeting"
    assert "also" not in str(ana["evidence"])
