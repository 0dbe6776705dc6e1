"""`screener rubric draft`: a rubric drafted from a job posting validates and scores at once, quotes
its posting lines, keeps must-haves apart from nice-to-haves, invents nothing, and never turns a
protected attribute into a criterion. Driven through the real CLI from a temporary folder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SAMPLE, cli, run_process

POSTINGS = SAMPLE / "postings"
EN_POSTING = POSTINGS / "technical-project-manager.md"
ZH_POSTING = POSTINGS / "original-zh.md"
EXPORT = SAMPLE / "applicants.csv"
EXPORT_ZH = SAMPLE / "applicants_zh.csv"

DATA_ENGINEER = """\
# Data Engineer — Example Analytics (March 2024)

We build pipelines for hospitals.

## Requirements
- 3+ years of Python experience
- Bachelor's degree in computer science or mathematics (or equivalent practical experience)
- Solid SQL and data modelling skills
- Required: experience with Apache Kafka

## Nice to have
- Experience with Airflow or Dagster
- Bonus: AWS certification

## Responsibilities
- Build and monitor reliable data pipelines
- Write clear documentation for analysts

## How to apply
- Send your CV by email.

Applications close on March 29, 2024 at 5:00 PM Pacific Time (PT).
"""


def draft(tmp: Path, posting: Path, *args: str, name: str = "draft.yaml") -> tuple[Path, Any]:
    out = tmp / name
    run = cli("rubric", "draft", posting, *args, "-o", out)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    return out, yaml.safe_load(out.read_text(encoding="utf-8"))


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def by_posting(rubric: Any, fragment: str) -> list[dict[str, Any]]:
    return [c for c in rubric["criteria"] if fragment in c["posting"]]


def validates_and_scores(rubric_path: Path, export: Path) -> list[dict[str, Any]]:
    run = cli("rubric", "validate", rubric_path)
    assert run.code == 0, run.stderr + run.stdout
    assert "is a valid rubric" in run.stdout
    run = cli("score", export, "--rubric", rubric_path, "--format", "json", "-o", "-")
    assert run.code == 0, run.stderr
    rows: list[dict[str, Any]] = json.loads(run.stdout)
    return rows


# ---------------------------------------------------------------------------------------------
# The real postings


@pytest.mark.parametrize("with_export", [True, False], ids=["with-export", "without-export"])
def test_english_posting_drafts_a_rubric_that_validates_and_scores(in_tmp: Path, with_export: bool) -> None:
    args = ("--export", str(EXPORT)) if with_export else ()
    path, rubric = draft(in_tmp, EN_POSTING, *args)
    rows = validates_and_scores(path, EXPORT)
    assert len(rows) == 1200
    assert rubric["language"] == "en"
    posting_text = EN_POSTING.read_text(encoding="utf-8")
    for crit in rubric["criteria"]:  # every criterion quotes a line of the posting
        assert crit["posting"] in posting_text, crit["posting"]
    degree = by_posting(rubric, "Bachelor's degree in computer science")
    either = next(c for c in degree if c["kind"] == "any_of")
    assert either["must"] is True
    parts = {c["id"]: c for c in degree if c["id"] in either["of"]}
    assert {c["kind"] for c in parts.values()} == {"level", "number"}
    level = next(c for c in parts.values() if c["kind"] == "level")
    assert level["min"] == "bachelor"
    assert [t if isinstance(t, str) else t["term"] for t in level["subject"]["terms"]] == ["computer science",
                                                                                          "engineering"]
    for line in ("Preferred: master's degree", "Preferred: professional project-management certification"):
        (crit,) = by_posting(rubric, line)
        assert not crit.get("must") and crit["weight"] < level["weight"]
    (cert,) = by_posting(rubric, "certification")
    assert cert["kind"] == "choice" and "PMP" in cert["options"]
    assert rubric["deadline"] == {"at": "2020-06-26 23:59", "timezone": "America/New_York"}
    text = path.read_text(encoding="utf-8")
    assert re.search(r'at: "2020-06-26 23:59"  # REVIEW: the year is from the posting\'s title', text)


def test_with_the_export_fields_are_the_real_headers_and_questions_are_linked(in_tmp: Path) -> None:
    path, rubric = draft(in_tmp, EN_POSTING, "--export", str(EXPORT))
    fields = rubric["fields"]
    assert fields["entry_id"] == "PyImageSearchTechnicalProjectMa_Id"
    assert fields["degree"] == "HighestLevelOfEducation" and fields["field_of_study"] == "FieldOfStudy"
    assert fields["certifications"] == "ProjectManagementCertifications"
    column_of = dict(fields)
    read = {column_of[c["field"]]: c for c in rubric["criteria"] if "field" in c and c.get("weight", 0) > 0}
    assert read["YearsOfProjectManagementExperience"]["kind"] == "number"
    assert read["HaveYouManagedOrMentoredATeam"]["kind"] == "yesno"
    assert "mentoring" in read["HaveYouManagedOrMentoredATeam"]["posting"]
    assert read["CanYouStartByEarlyJuly"]["posting"].startswith("As soon as possible")
    assert "software" in read["ProjectManagementToolsYouHaveUsed"]["posting"]
    keywords = [c for c in rubric["criteria"] if c["kind"] == "keywords"]
    assert keywords and all({column_of[f] for f in c["fields"]} == {
        "WhyAreYouAGreatFitForThisRole", "TellUsAboutAProjectYouLedFromIdeaToLaunch"} for c in keywords)
    text = path.read_text(encoding="utf-8")
    assert "FullTimeOrPartTime" not in fields.values() or "FullTimeOrPartTime" not in read
    assert re.search(r"# Not scored: the form's question \"FullTimeOrPartTime\".*Job details", text)


def test_chinese_posting_with_the_chinese_export(in_tmp: Path) -> None:
    path, rubric = draft(in_tmp, ZH_POSTING, "--export", str(EXPORT_ZH))
    rows = validates_and_scores(path, EXPORT_ZH)
    assert len(rows) == 120
    assert rubric["language"] == "zh"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c["id"]) for c in rubric["criteria"])
    assert any(re.search(r"[\u4e00-\u9fff]", c["label"]) for c in rubric["criteria"])
    assert rubric["fields"]["degree"] == "最高学历" and rubric["fields"]["entry_id"] == "编号"
    (nice,) = by_posting(rubric, "硕士学位优先")
    assert nice["kind"] == "level" and nice["min"] == "master" and not nice.get("must")
    either = next(c for c in by_posting(rubric, "(或同等工作经验)") if c["kind"] == "any_of")
    assert either["must"] is True
    terms = [t if isinstance(t, str) else t["term"] for c in rubric["criteria"] if c["kind"] == "keywords"
             for t in c["terms"]]
    assert {"预算", "里程碑", "深度学习"} <= set(terms)
    level = next(c for c in by_posting(rubric, "学士学位") if c["kind"] == "level")
    assert "學士" in level["levels"]["bachelor"]  # the export's Traditional answers read as the ladder's words
    # June 26 with no year stated: the deadline is left commented out for a person to complete.
    text = path.read_text(encoding="utf-8")
    assert "deadline" not in rubric
    assert "# REVIEW: the posting states no year" in text and '#   at: "YYYY-06-26 23:59"' in text


def test_chinese_posting_without_an_export(in_tmp: Path) -> None:
    path, rubric = draft(in_tmp, ZH_POSTING)
    validates_and_scores(path, EXPORT_ZH)
    assert rubric["language"] == "zh"


# ---------------------------------------------------------------------------------------------
# Rules, on postings written here


def test_must_have_and_nice_to_have_from_the_postings_own_words(in_tmp: Path) -> None:
    posting = write(in_tmp, "data-engineer.md", DATA_ENGINEER)
    path, rubric = draft(in_tmp, posting)
    validates_and_scores(path, EXPORT)
    (years,) = by_posting(rubric, "3+ years of Python")
    assert years["kind"] == "number" and years["min"] == 3 and years["must"] is True
    sql, kafka = by_posting(rubric, "SQL")[0], by_posting(rubric, "Kafka")[0]
    airflow, aws = by_posting(rubric, "Airflow")[0], by_posting(rubric, "AWS")[0]
    assert sql["kind"] == kafka["kind"] == airflow["kind"] == "keywords"
    assert not any(c.get("must") for c in (sql, kafka, airflow))  # keyword criteria are weighted, never knock-outs
    assert sql["weight"] == kafka["weight"] > airflow["weight"]  # must-haves weigh more than nice-to-haves
    assert aws["kind"] == "choice" and list(aws["options"]) == ["AWS"] and not aws.get("must")
    assert years["weight"] > aws["weight"]
    assert [c for c in rubric["criteria"] if "CV by email" in c["posting"]] == []  # "How to apply" is not scored
    text = path.read_text(encoding="utf-8")
    assert "# must-have: the posting says '3+ years'" in text
    assert "# nice to have: the posting says 'Bonus'" in text
    assert "# nice to have: listed under 'Nice to have'" in text


def test_or_equivalent_experience_becomes_an_any_of(in_tmp: Path) -> None:
    posting = write(in_tmp, "p.md", DATA_ENGINEER + "\n## More\n- Master's degree in statistics, or 4 years of "
                    "equivalent experience\n")
    _path, rubric = draft(in_tmp, posting)
    ids = {c["id"]: c for c in rubric["criteria"]}
    bachelor = next(c for c in by_posting(rubric, "Bachelor's degree") if c["kind"] == "any_of")
    assert bachelor["must"] is True and len(bachelor["of"]) == 2
    level, years = (ids[i] for i in bachelor["of"])
    assert level["kind"] == "level" and level["min"] == "bachelor" and years["kind"] == "number"
    assert years["min"] == 5 and years["weight"] == 0  # no number stated: a placeholder, marked for review
    master = next(c for c in by_posting(rubric, "Master's degree in statistics") if c["kind"] == "any_of")
    assert ids[master["of"][1]]["min"] == 4  # the number the posting states
    assert [t if isinstance(t, str) else t["term"] for t in ids[master["of"][0]]["subject"]["terms"]] == ["statistics"]


def test_deadline_with_its_time_zone(in_tmp: Path) -> None:
    _path, rubric = draft(in_tmp, write(in_tmp, "p.md", DATA_ENGINEER))
    assert rubric["deadline"] == {"at": "2024-03-29 17:00", "timezone": "America/Los_Angeles"}
    posting = write(in_tmp, "q.md", DATA_ENGINEER.replace("March 29, 2024 at 5:00 PM Pacific Time (PT)",
                                                          "29 March 2024, 18:00 CET"))
    _path, rubric = draft(in_tmp, posting, name="q.yaml")
    assert rubric["deadline"] == {"at": "2024-03-29 18:00", "timezone": "Europe/Berlin"}


def test_a_deadline_without_a_year_is_left_for_a_person(in_tmp: Path) -> None:
    text = DATA_ENGINEER.replace(" (March 2024)", "").replace("March 29, 2024", "March 29")
    path, rubric = draft(in_tmp, write(in_tmp, "p.md", text))
    assert "deadline" not in rubric
    written = path.read_text(encoding="utf-8")
    assert "# REVIEW: the posting states no year for this deadline" in written
    assert '#   at: "YYYY-03-29 17:00"' in written and "#   timezone: America/Los_Angeles" in written


def test_plain_text_posting(in_tmp: Path) -> None:
    text = """Support Engineer

Requirements:
* 2+ years supporting customers of a software product
* Excellent written English
* Familiarity with Linux and Bash

Preferred:
* ITIL certification

Send applications before 1 May 2025.
"""
    path, rubric = draft(in_tmp, write(in_tmp, "posting.txt", text))
    validates_and_scores(path, EXPORT)
    assert rubric["title"] == "Support Engineer"
    (years,) = by_posting(rubric, "2+ years")
    assert years["kind"] == "number" and years["min"] == 2 and years["must"] is True
    (itil,) = by_posting(rubric, "ITIL")
    assert itil["kind"] == "choice" and "ITIL" in itil["options"] and not itil.get("must")
    linux = by_posting(rubric, "Linux")[0]
    assert {"linux", "bash"} <= {t if isinstance(t, str) else t["term"] for t in linux["terms"]}
    assert rubric["deadline"]["at"] == "2025-05-01 23:59"
    assert "REVIEW: no time stated" in path.read_text(encoding="utf-8")


def test_html_posting(in_tmp: Path) -> None:
    html = """<!doctype html><html><head><title>UX Designer</title><style>li{color:red}</style></head>
<body><h1>UX Designer &amp; Researcher</h1>
<h2>What you&#39;ll do</h2><ul><li>Run <b>usability</b> studies with real users</li>
<li>Prototype new flows in Figma</li></ul>
<h2>Qualifications</h2><ul><li>Bachelor&rsquo;s degree in design or HCI</li>
<li>Nice to have: experience with accessibility audits</li></ul>
<p>Deadline: 2025-02-14 12:00 UTC</p></body></html>"""
    path, rubric = draft(in_tmp, write(in_tmp, "posting.html", html))
    validates_and_scores(path, EXPORT)
    assert rubric["title"] == "UX Designer & Researcher"
    (studies,) = by_posting(rubric, "usability")
    assert studies["posting"] == "Run usability studies with real users" and studies["kind"] == "keywords"
    (degree,) = by_posting(rubric, "degree in design")
    assert degree["kind"] == "level" and degree["must"] is True
    (a11y,) = by_posting(rubric, "accessibility")
    assert a11y["weight"] < by_posting(rubric, "Figma")[0]["weight"]
    assert rubric["deadline"] == {"at": "2025-02-14 12:00", "timezone": "UTC"}
    assert "color:red" not in path.read_text(encoding="utf-8")


def test_a_protected_attribute_never_becomes_a_criterion(in_tmp: Path) -> None:
    text = DATA_ENGINEER.replace("- Solid SQL", "- Must be under 35 years old\n- Native English speaker\n"
                                 "- Male candidates preferred\n- Solid SQL")
    path, rubric = draft(in_tmp, write(in_tmp, "p.md", text))
    validates_and_scores(path, EXPORT)
    for line in ("under 35", "Native English", "Male candidates"):
        assert by_posting(rubric, line) == []
    written = path.read_text(encoding="utf-8")
    assert '# Not a criterion: "Must be under 35 years old" mentions age' in written
    assert "'native english', a likely proxy for national origin" in written
    assert '# Not a criterion: "Male candidates preferred" mentions sex' in written


def test_a_protected_column_of_the_export_is_never_read(in_tmp: Path) -> None:
    export = write(in_tmp, "export.csv", "Id,Name,Email,Gender,DateOfBirth,YearsOfPythonExperience,"
                   "HighestDegree,Why do you want this job?\n"
                   + "".join(f"{i},Person {i},p{i}@example.com,x,1990-01-0{i % 9 + 1},{i % 7},Bachelor's degree,"
                             f"\"I build Kafka pipelines and write documentation for analysts every week, {i}.\"\n"
                             for i in range(1, 30)))
    path, rubric = draft(in_tmp, write(in_tmp, "p.md", DATA_ENGINEER), "--export", str(export))
    validates_and_scores(path, export)
    read = {rubric["fields"][f] for c in rubric["criteria"] for f in ([c["field"]] if "field" in c else c.get(
        "fields", [])) if isinstance(rubric["fields"][f], str)}
    assert not read & {"Gender", "DateOfBirth", "Name", "Email"}
    assert "YearsOfPythonExperience" in read and "HighestDegree" in read and "Why do you want this job?" in read
    assert rubric["applicant"]["id"] == "entry_id" and rubric["fields"]["entry_id"] == "Id"
    assert all(isinstance(columns, str) for columns in rubric["fields"].values())  # every field is a real header
    assert "# REVIEW: the form has no field-of-study question" in path.read_text(encoding="utf-8")


def test_nothing_is_invented(in_tmp: Path) -> None:
    # Every keyword and subject is a word of the posting, or an obvious abbreviation stated as such.
    from screener.core.draft import ABBREVIATIONS

    allowed = {a.casefold() for abbreviations in ABBREVIATIONS.values() for a in abbreviations}
    for posting in (EN_POSTING, write(in_tmp, "p.md", DATA_ENGINEER)):
        _path, rubric = draft(in_tmp, posting, name=posting.stem + ".yaml")
        source = re.sub(r"[-\s]+", " ", posting.read_text(encoding="utf-8").casefold())
        for crit in rubric["criteria"]:
            terms = crit.get("terms") or crit.get("subject", {}).get("terms", [])
            for term in terms:
                words = [term] if isinstance(term, str) else [term["term"], *term.get("synonyms", [])]
                for word in words:
                    assert word.casefold() in source or word.casefold() in allowed, (crit["id"], word)
            for option in crit.get("options", {}):
                assert option.casefold() in source, (crit["id"], option)


def test_every_guessed_line_is_marked_for_review(in_tmp: Path) -> None:
    path, rubric = draft(in_tmp, EN_POSTING)
    lines = path.read_text(encoding="utf-8").splitlines()
    start, end = lines.index("fields:"), lines.index("applicant:")
    field_lines = [line for line in lines[start + 1:end] if line.startswith("  ")]
    assert field_lines and all("# REVIEW: " in line for line in field_lines)
    for crit in rubric["criteria"]:
        if crit["kind"] == "keywords":
            assert any(line.strip().startswith("terms:") and "# REVIEW:" in line for line in lines)
    placeholder = [line for line in lines if line.strip().startswith("min: 5")]
    assert placeholder and all("# REVIEW: the posting does not say how many years" in line for line in placeholder)


def test_a_posting_without_bullets_is_refused_in_one_sentence(in_tmp: Path) -> None:
    posting = write(in_tmp, "prose.md", "# Baker\n\nWe need a baker who loves bread. Apply today.\n")
    run = cli("rubric", "draft", posting)
    assert run.code == 1
    assert "prose.md has no bullet list that could become criteria" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_an_unreadable_posting_names_the_file(in_tmp: Path) -> None:
    run = cli("rubric", "draft", in_tmp / "missing.md")
    assert run.code == 1 and "The posting" in run.stderr and "missing.md does not exist" in run.stderr
    (in_tmp / "folder").mkdir()
    run = cli("rubric", "draft", in_tmp / "folder")
    assert run.code == 1 and "is a folder" in run.stderr
    binary = in_tmp / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    run = cli("rubric", "draft", binary)
    assert run.code == 1 and "not a text file" in run.stderr


def test_stdout_by_default_and_no_overwrite_without_force(in_tmp: Path) -> None:
    posting = write(in_tmp, "p.md", DATA_ENGINEER)
    run = cli("rubric", "draft", posting)
    assert run.code == 0 and run.stdout.startswith("# Draft rubric made by 'screener rubric draft'")
    assert cli("rubric", "draft", posting, "-o", "-").stdout == run.stdout
    target = write(in_tmp, "rubric.yaml", "keep me\n")
    refused = cli("rubric", "draft", posting, "-o", target)
    assert refused.code == 1 and "already exists; pass --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert cli("rubric", "draft", posting, "-o", target, "--force").code == 0
    assert target.read_text(encoding="utf-8") == run.stdout


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    # Separate processes, so set iteration and hashing cannot make a difference.
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        done = run_process("rubric", "draft", EN_POSTING, "--export", EXPORT, "-o", tmp_path / name, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    zh = [run_process("rubric", "draft", ZH_POSTING, cwd=tmp_path).stdout for _ in range(2)]
    assert zh[0] == zh[1] and zh[0]


def test_documented_with_help() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "screener rubric draft" in readme
    run = cli("rubric", "draft", "--help")
    assert run.code == 0 and "--export" in run.stdout and "--force" in run.stdout
