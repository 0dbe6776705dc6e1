"""Write broken_rows.csv for tests/test_broken_rows.py (deterministic; run from anywhere).

A Cognito export with the header of sample_data/applicants.csv plus a salary question
(``DesiredSalary``, after the years of experience), 12 applicants on one line each, four of
them broken by a comma the export did not quote:

- line 4 (id 3, Maya Chen): DesiredSalary ``$95,000`` unquoted: one extra field, and only
  '$95' + '000' reads as one number -> repaired;
- line 7 (id 6, Tomás Ruiz): DesiredSalary ``1,200,000`` unquoted: two extra fields, only one
  way to merge -> repaired;
- line 9 (id 8, Grace Okafor): 12 years and ``500,000`` unquoted: '12,500' + '000' and
  '12' + '500,000' both read as numbers -> ambiguous, left unread;
- line 11 (id 10, Liam O'Brien): FieldOfStudy ``Business, Economics`` unquoted: not a number
  -> left unread, but the id, name and email before the break line up with the header.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = [
    "PyImageSearchTechnicalProjectMa_Id", "Name_First", "Name_Last", "Email", "Phone", "LinkedInProfile",
    "Location_City", "Location_State", "Location_Country", "HighestLevelOfEducation", "FieldOfStudy",
    "YearsOfProjectManagementExperience", "DesiredSalary", "ProjectManagementCertifications",
    "ProjectManagementToolsYouHaveUsed", "HaveYouManagedOrMentoredATeam", "CanYouStartByEarlyJuly",
    "FullTimeOrPartTime", "WhyAreYouAGreatFitForThisRole", "TellUsAboutAProjectYouLedFromIdeaToLaunch", "Resume",
    "Entry_Status", "Entry_DateCreated", "Entry_DateSubmitted", "Entry_DateUpdated",
]

PEOPLE = [
    # id, first, last, email, city, state, degree, field, years, salary, certs, tools, team
    ("1", "Ana", "Silva", "ana.silva@example.com", "Austin", "TX", "Master's degree", "Computer Science",
     "7", "90000", "PMP", "Jira, Confluence", "Yes"),
    ("2", "Ben", "Okoro", "ben.okoro@example.com", "Denver", "CO", "Bachelor's degree", "Engineering",
     "4", "80000", "Certified ScrumMaster (CSM)", "Asana, Trello", "Yes"),
    ("3", "Maya", "Chen", "maya.chen@example.com", "Seattle", "WA", "Master's degree", "Information Systems",
     "8", "$95,000", "PMP", "Jira, MS Project", "Yes"),
    ("4", "Dev", "Patel", "dev.patel@example.com", "Chicago", "IL", "Bachelor's degree", "Business Administration",
     "3", "70000", "None", "Trello", "No"),
    ("5", "Eva", "Novak", "eva.novak@example.com", "Boston", "MA", "PhD", "Physics",
     "5", "100000", "PRINCE2", "Jira", "Yes"),
    ("6", "Tomás", "Ruiz", "tomas.ruiz@example.com", "Miami", "FL", "Master's degree", "Industrial Engineering",
     "15", "1,200,000", "PMP", "Jira, Smartsheet", "Yes"),
    ("7", "Hana", "Sato", "hana.sato@example.com", "Portland", "OR", "Bachelor's degree", "Design",
     "2", "65000", "None", "Asana", "No"),
    ("8", "Grace", "Okafor", "grace.okafor@example.com", "Atlanta", "GA", "Master's degree", "Operations",
     "12", "500,000", "PMP", "MS Project", "Yes"),
    ("9", "Ivan", "Petrov", "ivan.petrov@example.com", "Phoenix", "AZ", "Bachelor's degree", "Mathematics",
     "6", "85000", "Certified ScrumMaster (CSM)", "Jira", "Yes"),
    ("10", "Liam", "O'Brien", "liam.obrien@example.com", "Dublin", "OH", "Bachelor's degree", "Business, Economics",
     "9", "88000", "PMP", "Jira, Asana", "Yes"),
    ("11", "Noor", "Haddad", "noor.haddad@example.com", "Dallas", "TX", "Master's degree", "Computer Science",
     "10", "110000", "PMP", "Jira, Confluence", "Yes"),
    ("12", "Olga", "Berg", "olga.berg@example.com", "Madison", "WI", "Associate degree", "Communications",
     "1", "60000", "None", "Trello", "No"),
]

# The cells written without the quotes a comma inside them needs.
UNQUOTED = {("3", "DesiredSalary"), ("6", "DesiredSalary"), ("8", "DesiredSalary"), ("10", "FieldOfStudy")}


def rows() -> list[list[str]]:
    out = []
    for n, (pid, first, last, email, city, state, degree, study, years, salary, certs, tools, team) in enumerate(
            PEOPLE):
        when = f"6/{10 + n}/2020 {9 + n % 3}:{(7 * n) % 60:02d} AM"
        out.append([
            pid, first, last, email, f"512-555-{1000 + n * 37:04d}", f"https://www.linkedin.com/in/{first.lower()}",
            city, state, "United States", degree, study, years, salary, certs, tools, team, "Yes", "Full-time",
            f"I have led delivery teams for {years} years and keep projects on schedule and on budget.",
            "I led the launch of a customer portal from the first sketch to general availability.",
            f"{first}-{last}-resume.pdf", "Submitted", when, when, when,
        ])
    return out


def text() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows():
        cells = list(row)
        marks = {}
        for column in HEADER:
            if (row[0], column) in UNQUOTED:
                at = HEADER.index(column)
                marks[f"@@{at}@@"] = cells[at]
                cells[at] = f"@@{at}@@"
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(cells)
        written = line.getvalue()
        for mark, value in marks.items():
            written = written.replace(mark, value)
        buffer.write(written)
    return buffer.getvalue()


if __name__ == "__main__":
    (HERE / "broken_rows.csv").write_bytes(("\ufeff" + text()).encode("utf-8"))
