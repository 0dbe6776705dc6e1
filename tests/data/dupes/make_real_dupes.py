"""Write real_dupes.csv: a small Cognito export (the bundled Technical Project Manager form's
columns) with the duplicates issue 14 found missed, and the people who must stay apart.

Run from anywhere: ``python tests/data/dupes/make_real_dupes.py``. Deterministic: no randomness,
no clock; the same file every time.

Grouped (id: why):
  1, 2      Robert / Bob Jenkins, one phone written "(555) 010-0147" and "555-010-0147"
  3, 4      Priya Raman, "(555) 010-0162 ext. 204" and "555.010.0162" (the digits alone differ)
  5, 6      Daniel / Dan Okoro, one LinkedIn profile written two ways, nothing else shared
  7, 8      Mei Chen / Chen Mei, one GitHub profile written two ways
  9, 10     William / Bill Hart, near-identical answers, no phone
  11-13     Grace Liu: 11 and 12 share an email; 13 only her phone (and name)
Apart:
  14, 15    two Michael Browns: same name and the same guessable name-only LinkedIn URL
  16, 17    Maria and Luis Gonzalez: one household phone, a placeholder LinkedIn URL each
  18, 19    Aisha Bello and Tom Fischer: the same copied cover letter, an empty LinkedIn URL
"""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = [
    "PyImageSearchTechnicalProjectMa_Id", "Name_First", "Name_Last", "Email", "Phone", "LinkedInProfile",
    "Location_City", "Location_State", "Location_Country", "HighestLevelOfEducation", "FieldOfStudy",
    "YearsOfProjectManagementExperience", "ProjectManagementCertifications", "ProjectManagementToolsYouHaveUsed",
    "HaveYouManagedOrMentoredATeam", "CanYouStartByEarlyJuly", "FullTimeOrPartTime",
    "WhyAreYouAGreatFitForThisRole", "TellUsAboutAProjectYouLedFromIdeaToLaunch", "Resume", "Entry_Status",
    "Entry_DateCreated", "Entry_DateSubmitted", "Entry_DateUpdated",
]

JENKINS_FIT = ("I have run agile delivery for a SaaS analytics team for seven years, owning the roadmap, "
               "the sprint cadence and the weekly stakeholder updates.")
JENKINS_FIT_2 = ("Seven years of running scrum teams taught me to keep scope honest: I write the risk register "
                 "first and I talk to customers every sprint.")
HART_FIT = ("I coordinated a migration of 40 internal services to Kubernetes, keeping a risk register and a "
            "public roadmap, and delivered two weeks early.")
BOILERPLATE = ("I am a highly motivated, results-driven professional with excellent communication skills and "
               "a proven track record of delivering projects on time and within budget.")


def person(i: int, first: str, last: str, email: str, phone: str, linkedin: str, city: str, state: str,
           country: str, fit: str, story: str, day: int, hour: str) -> list[str]:
    when = f"6/{day}/2020 {hour}"
    return [str(i), first, last, email, phone, linkedin, city, state, country, "Bachelor's degree",
            "Computer Science", "6", "PMP", "Jira, Confluence", "Yes", "Yes", "Full-time", fit, story,
            f"{first}_{last}_resume.pdf", "Submitted", when, when, when]


def rows() -> list[list[str]]:
    return [
        person(1, "Robert", "Jenkins", "robert.jenkins@gmail.com", "(555) 010-0147", "", "Austin", "TX",
               "United States", JENKINS_FIT, "Led the launch of a billing dashboard from discovery to GA in "
               "five months with a team of six engineers.", 10, "9:12 AM"),
        person(2, "Bob", "Jenkins", "bobjenkins.pm@outlook.com", "555-010-0147", "", "Austin", "TX",
               "United States", JENKINS_FIT_2, "I took a customer onboarding flow from a whiteboard sketch to "
               "production, cutting setup time from days to an hour.", 18, "8:40 PM"),
        person(3, "Priya", "Raman", "priya.raman@yahoo.com", "(555) 010-0162 ext. 204", "", "Columbus", "OH",
               "United States", "I have managed hardware and firmware schedules for IoT products and love "
               "turning fuzzy goals into plans.", "Shipped a connected thermostat line on time by splitting "
               "firmware work into two-week increments.", 11, "10:05 AM"),
        person(4, "Priya", "Raman", "praman.work@gmail.com", "555.010.0162", "", "Columbus", "OH", "United States",
               "Product-minded project manager: I keep engineers unblocked and executives informed without "
               "extra meetings.", "Ran the rollout of a new ticketing system to 300 support staff across "
               "three time zones.", 20, "7:31 AM"),
        person(5, "Daniel", "Okoro", "d.okoro@gmail.com", "", "https://www.linkedin.com/in/daniel-okoro-pm/",
               "Atlanta", "GA", "United States", "Certified Scrum Master with a background in QA; I measure "
               "delivery and fix process, not people.", "Moved a mobile team from quarterly to weekly releases "
               "over six months while halving crash rates.", 12, "1:15 PM"),
        person(6, "Dan", "Okoro", "dan@okoro.dev", "", "linkedin.com/in/Daniel-Okoro-PM?trk=public_profile",
               "Atlanta", "GA", "United States", "I help engineering teams plan realistically, and I am at my "
               "best when priorities shift weekly.", "Coordinated an API deprecation with forty partner "
               "companies without a single outage.", 22, "4:48 PM"),
        person(7, "Mei", "Chen", "mei.chen@protonmail.com", "", "https://github.com/meichen-dev", "Seattle", "WA",
               "United States", "Former backend engineer turned TPM: I read the code reviews and write the "
               "launch checklists.", "Led the search relaunch: indexing pipeline, relevance tests and a "
               "staged rollout to all users.", 9, "11:00 AM"),
        person(8, "Chen", "Mei", "chenmei88@gmail.com", "", "http://GitHub.com/MeiChen-Dev/", "Seattle", "WA",
               "United States", "I bring engineering depth and calm coordination to programs that cross "
               "many teams.", "Drove a data-center exit across nine teams with a shared milestone plan and "
               "weekly demos.", 19, "3:22 PM"),
        person(9, "William", "Hart", "will.hart@gmail.com", "", "", "Denver", "CO", "United States", HART_FIT,
               "From idea to launch: a self-service deploy portal used by every team within a quarter.",
               13, "9:45 AM"),
        person(10, "Bill", "Hart", "bhart@fastmail.com", "", "", "Denver", "CO", "United States",
               HART_FIT.replace("two weeks early", "two weeks ahead of schedule"),
               "From idea to launch: a self-service deploy portal used by every team within a quarter.",
               21, "6:02 PM"),
        person(11, "Grace", "Liu", "grace.liu@gmail.com", "(555) 010-0175", "", "San Jose", "CA",
               "United States", "Eight years of program management in payments; I keep compliance, "
               "engineering and sales on one plan.", "Launched card tokenization with three banks, from "
               "the first RFP to live traffic.", 8, "8:00 AM"),
        person(12, "Grace", "Liu", "GRACE.LIU@gmail.com ", "", "", "San Jose", "CA", "United States",
               "I run payments programs end to end and I am comfortable with regulators and engineers alike.",
               "Took a fraud-scoring service from prototype to every checkout in four months.", 15, "2:30 PM"),
        person(13, "Grace", "Liu", "gliu.tpm@outlook.com", "555-010-0175", "", "San Jose", "CA", "United States",
               "Payments program manager who writes crisp plans and crisper status updates.",
               "Migrated merchant payouts to a new ledger with zero reconciliation gaps.", 24, "10:10 AM"),
        person(14, "Michael", "Brown", "mbrown1987@gmail.com", "(555) 010-0111",
               "https://www.linkedin.com/in/michaelbrown/", "Chicago", "IL", "United States",
               "Construction project manager moving into software; I am used to hard deadlines.",
               "Delivered a 12-storey office fit-out on budget, coordinating eight subcontractors.", 14, "9:00 AM"),
        person(15, "Michael", "Brown", "michael.brown@hey.com", "(555) 010-0199",
               "linkedin.com/in/Michael-Brown", "Portland", "OR", "United States",
               "Agile coach for six years; I have trained twenty teams in scrum and kanban.",
               "Introduced kanban to a 60-person support organisation and cut ticket age by half.", 16, "5:55 PM"),
        person(16, "Maria", "Gonzalez", "maria.gonzalez@gmail.com", "(555) 010-0190",
               "https://www.linkedin.com/in/yourname", "Miami", "FL", "United States",
               "Healthcare IT project manager; HIPAA audits and EHR rollouts are my home ground.",
               "Rolled out a patient portal to eleven clinics with training for four hundred staff.", 12, "7:20 AM"),
        person(17, "Luis", "Gonzalez", "luisg@yahoo.com", "555-010-0190", "https://www.linkedin.com/in/yourname",
               "Miami", "FL", "United States", "Recent bootcamp graduate with a year of scrum master work at "
               "a startup.", "Organised the release of a volunteer-matching app built by a team of five.",
               23, "9:09 PM"),
        person(18, "Aisha", "Bello", "aisha.bello@gmail.com", "(555) 010-0133", "https://www.linkedin.com/in/",
               "Houston", "TX", "United States", BOILERPLATE, "Managed the rollout of a warehouse scanning "
               "system across four sites.", 17, "11:11 AM"),
        person(19, "Tom", "Fischer", "tom.fischer@gmx.net", "(555) 010-0134", "https://www.linkedin.com/in/",
               "Houston", "TX", "United States", BOILERPLATE, "Led a website redesign for a regional bank "
               "with a team of seven.", 25, "4:04 PM"),
    ]


def main() -> None:
    out = Path(__file__).with_name("real_dupes.csv")
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows())


if __name__ == "__main__":
    main()
