"""The plain-language notice applicants receive: what is assessed, which answers are read, how
long data is kept, and how to ask for a human review. Built from the rubric, so it can never
describe a different screening than the one that runs."""

from __future__ import annotations

import re

from screener.core.rubric import Rubric

DEFAULT_RETENTION_DAYS = 180


def _columns(rubric: Rubric) -> list[str]:
    used: list[str] = []
    for crit in rubric.criteria:
        subject = getattr(crit.spec, "subject_field", None)
        names = [*crit.fields, *([subject] if subject else [])]
        for name in names:
            if name and name not in used:
                used.append(name)
    return used


def notice_markdown(rubric: Rubric, *, contact: str, retention_days: int = DEFAULT_RETENTION_DAYS) -> str:
    lines = [f"# How applications for {rubric.title} are screened", ""]
    lines += [
        "We use **screener**, an automated tool, to help us read every application in the same way. "
        "It scores each application against the requirements below and ranks them *for a person to review*. "
        "It does not reject anyone: people read the applications and make every decision.",
        "",
        "## What is assessed",
        "",
    ]
    for group_id, group_label in [*rubric.groups.items(), ("", "Other")]:
        crits = [c for c in rubric.criteria if (c.group or "") == group_id and (c.weight > 0 or c.must)]
        if not crits:
            continue
        lines.append(f"**{group_label}**")
        lines.append("")
        for crit in crits:
            kind = "requirement, checked" if crit.must else "considered"
            posting = f" — from the posting: “{crit.posting}”" if crit.posting else ""
            lines.append(f"- {crit.label} ({kind}){posting}")
        lines.append("")
    lines += ["## What information is used", ""]
    lines.append("Only your answers to these questions of the application form:")
    lines.append("")
    for name in _columns(rubric):
        columns = rubric.fields.get(name, ())
        shown = columns[0] if columns else name
        lines.append(f"- {_readable(shown)}")
    lines += [
        "",
        "Your name, email address, phone number, location and any photo are **not** used to score your "
        "application, and neither is any information about sex, race or ethnicity, age, disability, religion, "
        "nationality or family status. Reviewers can screen applications with names and contact details hidden.",
        "",
    ]
    if rubric.deadline:
        lines += ["## Deadline", "",
                  f"Applications sent after {rubric.deadline.describe()} are marked as late; they are kept and a "
                  "person decides whether to consider them.", ""]
    lines += [
        "## How long we keep it", "",
        f"We keep your application and its screening results for {retention_days} days after the hiring "
        "decision for this position, and a log of each screening run for the same period, then delete them.",
        "",
        "## Your choices", "",
        f"You can ask for your application to be reviewed by a person without the tool, ask what we hold about "
        f"you, or ask us to correct it: write to {contact}. Asking will not count against you.",
        "",
    ]
    return "\n".join(lines)


def _readable(column: str) -> str:
    """A Cognito-style internal name (``WhyAreYouAGreatFitForThisRole``) as words."""
    if " " in column:
        return column
    return " ".join(re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_", " ", column).split())


def notice_text(markdown: str) -> str:
    """The same notice as plain text (for an email body)."""
    text = re.sub(r"^#+ ", "", markdown, flags=re.M)
    text = text.replace("**", "").replace("*", "")
    return text
