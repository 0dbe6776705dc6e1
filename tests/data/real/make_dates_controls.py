"""Write the fixtures of tests/test_dates_controls.py (deterministic; run from anywhere):

- dates_dayfirst_google.csv: a Google Forms export from a day-first (en-GB) account. Most
  timestamps read either way (09/06/2020 14:30:00 is 9 June, never 6 September); one,
  26/06/2020, can only be day first, and it decides the whole column.
- dates_ambiguous_google.csv: the same form where every slash timestamp reads either way
  (06/06/2020 reads the same both ways; one ISO time): the order cannot be told.
- dates_ambiguous_cognito.csv: a Cognito export whose dates all read either way: Cognito's
  known M/D/YYYY applies, and a note says so.
- controls_hostile.csv: a Google Forms export whose answers hold ESC[2J, an OSC title ended by
  BEL, a NUL, U+202E and a C1 CSI (U+009B).
- dates_rubric.yaml / cognito_rubric.yaml: the rubrics they are scored with (deadline
  2020-06-26 23:59 in London).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = ["Timestamp", "Email Address", "Full name", "How many years have you managed projects?",
          "Why are you a good fit?"]

DAY_FIRST = [
    ("09/06/2020 14:30:00", "ana@example.com", "Ana Silva", "5", "Agile delivery and stakeholder work."),
    ("26/06/2020 10:00:00", "ben@example.com", "Ben Okafor", "3", "Roadmap planning for robotics teams."),
    ("01/07/2020 08:15:00", "chen@example.com", "Chen Wei", "7", "Agile coach; stakeholder updates weekly."),
    ("12/06/2020 23:59:00", "dara@example.com", "Dara Byrne", "2", "I like projects."),
]

AMBIGUOUS = [
    ("09/06/2020 14:30:00", "ana@example.com", "Ana Silva", "5", "Agile delivery and stakeholder work."),
    ("05/06/2020 10:00:00", "ben@example.com", "Ben Okafor", "3", "Roadmap planning for robotics teams."),
    ("06/06/2020 08:15:00", "chen@example.com", "Chen Wei", "7", "Agile coach; stakeholder updates weekly."),
    ("2020-06-20 11:00:00", "dara@example.com", "Dara Byrne", "2", "I like projects."),
]

COGNITO_HEADER = ["Acme_Id", "Name_First", "Name_Last", "Email", "YearsOfExperience", "WhyAreYouAGreatFit",
                  "Entry_Status", "Entry_DateSubmitted"]
COGNITO = [
    ("1", "Ana", "Silva", "ana@example.com", "5", "Agile delivery.", "Submitted", "6/9/2020 2:30 PM"),
    ("2", "Ben", "Okafor", "ben@example.com", "3", "Roadmap planning.", "Submitted", "7/1/2020 9:00 AM"),
]

HOSTILE = [
    ("20/06/2020 10:00:00", "eve@example.com", "Eve\x1b[2J\x1b]0;PWNED\x07 \u202eMallory\x9b31m", "4",
     "Agile\x00 stakeholder \u202eroadmap\x9b31m"),
    ("21/06/2020 11:00:00", "fay@example.com", "Fay Null\x00Byte", "6", "Agile roadmap."),
]

RUBRIC = """\
rubric: dates-controls
title: Project Manager (dates and controls fixture)
fields:
  submitted_at: Timestamp
  email: Email Address
  name: Full name
  years: "How many years have you managed projects?"
  letter: "Why are you a good fit?"
applicant:
  id: email
  name: [name]
  email: email
  submitted_at: submitted_at
  answers: [letter]
deadline:
  at: "2020-06-26 23:59"
  timezone: Europe/London
criteria:
  - id: years
    label: Three years of project management
    kind: number
    field: years
    min: 3
    weight: 10
  - id: methods
    label: PM methods in the letter
    kind: keywords
    field: letter
    match: count
    cap: 3
    terms: [agile, stakeholder, roadmap]
    weight: 10
"""

COGNITO_RUBRIC = """\
rubric: dates-cognito
title: Project Manager (Cognito dates fixture)
fields:
  entry_id: "*_Id"
  first_name: Name_First
  last_name: Name_Last
  email: Email
  years: YearsOfExperience
  status: Entry_Status
  submitted_at: Entry_DateSubmitted
applicant:
  id: entry_id
  name: [first_name, last_name]
  email: email
  status: status
  submitted_at: submitted_at
deadline:
  at: "2020-06-26 23:59"
  timezone: America/New_York
criteria:
  - id: years
    label: Three years of project management
    kind: number
    field: years
    min: 3
    weight: 10
"""


def _csv(name: str, header: list[str], rows: list[tuple[str, ...]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def main() -> None:
    _csv("dates_dayfirst_google.csv", HEADER, DAY_FIRST)
    _csv("dates_ambiguous_google.csv", HEADER, AMBIGUOUS)
    _csv("dates_ambiguous_cognito.csv", COGNITO_HEADER, COGNITO)
    _csv("controls_hostile.csv", HEADER, HOSTILE)
    (HERE / "dates_rubric.yaml").write_text(RUBRIC, encoding="utf-8")
    (HERE / "cognito_rubric.yaml").write_text(COGNITO_RUBRIC, encoding="utf-8")


if __name__ == "__main__":
    main()
