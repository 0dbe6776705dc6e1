"""Write the fixtures of tests/test_versions_tests.py (deterministic: run it again, same bytes).

- ``webhook.json``: a Cognito "Post JSON data to a website" log for Acme Robotics' Project
  Manager form. Entry 2 is posted twice: submitted, then edited (the e-mail typo fixed, a new CV,
  a later ``Entry.DateUpdated``). Entry 4's update reached the log before its original post
  (the greatest ``DateUpdated`` wins, not the later position). Entry 5 is the form owner's test
  ("Test Test", "please ignore", an @acmerobotics.com address); entry 6 is a real person whose
  surname is Test, and must not be flagged for it.
- ``reexport.csv``: a Cognito CSV export with no updated-at column to which a later export was
  appended, so entry 12 appears twice (the later row wins), and a placeholder entry ("John Doe",
  test@example.com: two weak signals).
- ``rubric.yaml``: the rubric both are scored with (``applicant.internal_domains``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUBRIC = """\
rubric: acme-project-manager
title: Project Manager — Acme Robotics (test fixture)
fields:
  entry_id: [Entry_Number, "*_Id"]
  first_name: Name_First
  last_name: Name_Last
  email: Email
  resume: Resume
  letter: WhyAreYouAGreatFit
  years: YearsOfExperience
  status: Entry_Status
  submitted_at: Entry_DateSubmitted
applicant:
  id: entry_id
  name: [first_name, last_name]
  email: email
  status: status
  submitted_at: submitted_at
  other: [resume]
  answers: [letter]
  internal_domains: [acmerobotics.com]
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

LETTER = {
    "ana": "I ran agile delivery for a robotics startup, kept every stakeholder aligned and owned the roadmap.",
    "ben": "Agile coach for five years; I write the roadmap with the stakeholder group every quarter.",
    "cy": "I have managed hardware projects with agile teams and reported to each stakeholder weekly.",
    "dee": "Stakeholder management and agile planning are what I do best, with a roadmap for every release.",
    "dana": "Eight years leading agile teams; I built the roadmap and kept each stakeholder informed.",
}


def _entry(number: int, first: str, last: str, email: str, cv: str, letter: str, years: str, submitted: str,
           updated: str, action: str = "Submit") -> dict:
    return {
        "Form": {"Id": "7", "InternalName": "ProjectManager", "Name": "Project Manager"},
        "Id": f"7-{number}",
        "Name": {"First": first, "Last": last, "FirstAndLast": f"{first} {last}"},
        "Email": email,
        "Resume": [{"ContentType": "application/pdf", "Id": f"F{number}-{cv}", "Name": cv, "Size": 1000,
                    "File": f"https://www.cognitoforms.com/file/{number}/{cv}"}] if cv else [],
        "WhyAreYouAGreatFit": letter,
        "YearsOfExperience": years,
        "Entry": {"Number": number, "Status": "Submitted", "Action": action, "DateCreated": submitted,
                  "DateSubmitted": submitted, "DateUpdated": updated, "Timestamp": updated},
    }


def webhook() -> list[dict]:
    return [
        _entry(1, "Ana", "Lima", "ana.lima@gmail.com", "ana_cv.pdf", LETTER["ana"], "6",
               "2026-03-02T14:00:00.000Z", "2026-03-02T14:00:00.000Z"),
        _entry(2, "Ben", "Okafor", "ben.okafor@gmial.com", "ben_cv_2019.pdf", LETTER["ben"], "2",
               "2026-03-03T09:00:00.000Z", "2026-03-03T09:00:00.000Z"),
        # Entry 4's update arrives before its original post.
        _entry(4, "Dee", "Park", "dee.park@outlook.com", "dee_cv_v2.pdf", LETTER["dee"], "7",
               "2026-03-04T10:00:00.000Z", "2026-03-06T08:30:00.000Z", action="Update"),
        _entry(3, "Cy", "Novak", "cy.novak@gmail.com", "cy_cv.pdf", LETTER["cy"], "4",
               "2026-03-04T11:00:00.000Z", "2026-03-04T11:00:00.000Z"),
        _entry(4, "Dee", "Park", "dee.park@outlook.com", "dee_cv.pdf", LETTER["dee"], "1",
               "2026-03-04T10:00:00.000Z", "2026-03-04T10:00:00.000Z"),
        _entry(5, "Test", "Test", "hiring@acmerobotics.com", "", "please ignore, checking the form works", "10",
               "2026-03-05T08:00:00.000Z", "2026-03-05T08:00:00.000Z"),
        _entry(6, "Dana", "Test", "dana.test@gmail.com", "dana_test_cv.pdf", LETTER["dana"], "8",
               "2026-03-05T12:00:00.000Z", "2026-03-05T12:00:00.000Z"),
        # Ben edits his entry: the e-mail typo fixed, a new CV, the years corrected.
        _entry(2, "Ben", "Okafor", "ben.okafor@gmail.com", "ben_cv_2026.pdf", LETTER["ben"], "5",
               "2026-03-03T09:00:00.000Z", "2026-03-07T16:45:00.000Z", action="Update"),
    ]


CSV_HEADER = ["ProjectManager_Id", "Name_First", "Name_Last", "Email", "Resume", "WhyAreYouAGreatFit",
              "YearsOfExperience", "Entry_Status", "Entry_DateSubmitted"]


def reexport() -> list[list[str]]:
    first = [
        ["11", "Eve", "Stone", "eve.stone@gmail.com", "eve_cv.pdf", LETTER["ana"], "5", "Submitted",
         "3/2/2026 9:00 AM"],
        ["12", "Finn", "Moss", "finn.moss@gmial.com", "finn_cv_old.pdf", LETTER["ben"], "3", "Submitted",
         "3/3/2026 10:00 AM"],
        ["13", "John", "Doe", "test@example.com", "", LETTER["cy"], "9", "Submitted", "3/3/2026 11:00 AM"],
        ["14", "Gia", "Test", "gia.r@yahoo.com", "gia_cv.pdf", LETTER["dee"], "6", "Submitted",
         "3/4/2026 8:00 AM"],
    ]
    appended = [
        ["12", "Finn", "Moss", "finn.moss@gmail.com", "finn_cv_new.pdf", LETTER["ben"], "4", "Submitted",
         "3/3/2026 10:00 AM"],
        ["15", "Hana", "Ito", "hana.ito@gmail.com", "hana_cv.pdf", LETTER["dana"], "7", "Submitted",
         "3/5/2026 1:00 PM"],
    ]
    return [CSV_HEADER, *first, *appended]


def main() -> None:
    (HERE / "rubric.yaml").write_text(RUBRIC, encoding="utf-8", newline="\n")
    (HERE / "webhook.json").write_text(json.dumps(webhook(), indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8", newline="\n")
    with (HERE / "reexport.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(reexport())


if __name__ == "__main__":
    main()
