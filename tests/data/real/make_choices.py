"""Write the multi-select fixtures of tests/test_choices_real.py (deterministic; run from anywhere):

- choices_google.csv: a Google Forms export whose checkbox question has an option holding a
  comma inside brackets, "Microsoft Project (desktop, online)", joined with ", " as Google does;
- choices_cognito.json: a Cognito JSON export where the same question is a list, one item of
  which holds a comma ("Budgeting, forecasting" is one option a list must never split).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOOGLE = [
    ("6/20/2020 10:02:11", "ana@example.com", "Ana Silva", "Jira, Microsoft Project (desktop, online), Asana"),
    ("6/21/2020 18:40:53", "ben@example.com", "Ben Okafor", "Microsoft Project (desktop, online)"),
    ("6/22/2020 09:15:00", "chen@example.com", "Chen Wei", "Trello, Other [whiteboard, sticky notes]"),
    ("6/23/2020 21:05:30", "dara@example.com", "Dara Byrne", "Asana"),
]

COGNITO = [
    {"Entry": {"Number": 1, "DateSubmitted": "2020-06-20T14:02:11Z"},
     "Name": {"First": "Ana", "Last": "Silva"}, "Email": "ana@example.com",
     "Tools": ["Jira", "Budgeting, forecasting"]},
    {"Entry": {"Number": 2, "DateSubmitted": "2020-06-21T09:00:00Z"},
     "Name": {"First": "Ben", "Last": "Okafor"}, "Email": "ben@example.com",
     "Tools": ["Budgeting"]},
]


def main() -> None:
    with (HERE / "choices_google.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Timestamp", "Email Address", "Full name", "Which tools have you used?"])
        out.writerows(GOOGLE)
    (HERE / "choices_cognito.json").write_text(json.dumps(COGNITO, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")


if __name__ == "__main__":
    main()
