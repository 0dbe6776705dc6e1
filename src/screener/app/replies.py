"""Answering applicants: the reply templates, who is owed a reply and by when, and the replies
written for a person to send (a mail-merge CSV, one .eml per applicant, or one mbox). screener
never sends mail itself.

A reply is owed for a person's latest outcome decision (advanced, declined or hold; a
"reviewed" mark is not one) until a reply to that decision is recorded (``reply --mark-sent``
or ``status ID --replied``). A duplicate group is one person: the group's latest outcome
decision, one reply, to the newest submission's address. Nobody is declined by screener:
applicants without a decision are counted as awaiting one, with the date they must hear by,
and no reply is written for them. Test entries and addresses screener cannot write to are set
apart and listed, never dropped.

Promises (screener.toml): an advance within ``advance_reply_business_days`` business days of
the application (Monday to Friday; public holidays are not known), every other answer within
``reply_days_after_close`` days after the close (the rubric's deadline).

Every value from an applicant is hostile: it is made one line of printable text before it goes
into a header or the body, and e-mail headers are made by the standard library's ``email``
package, which refuses or encodes anything that would start another header.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import mailbox
import os
import re
import string
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from screener.app.config import ProjectConfig, load_config
from screener.core.errors import ConfigError, OutputError, RubricError, ScreenerError, StoreError, UsageError
from screener.core.rubric import Rubric, load_rubric
from screener.data import auditlog
from screener.data.store import Store, refuse_link, store_faults
from screener.data.write import atomic_write, make_private_folders, render

DECISIONS = ("advanced", "declined", "hold")  # the decisions an applicant is told about
TEMPLATE_FILES = {"advanced": "advance.md", "declined": "decline.md", "hold": "hold.md"}
FORMATS = ("csv", "eml", "mbox")
BATCH_KEY = "reply_batch"  # store meta: the decisions the last 'screener reply' wrote replies for

PLACEHOLDERS = {
    "first_name": "the first word of the applicant's name",
    "name": "the applicant's name as typed",
    "position": "the position (screener.toml 'position', else the rubric's title)",
    "contact": "where applicants write back (screener.toml 'contact')",
    "applicant_id": "the form's entry id",
    "decision_by": "'by <date>' (the close plus reply_days_after_close), or 'as soon as we have decided'",
}

# The default templates 'screener init' writes to templates/; the advance's questions come from
# what the posting leaves open: start date, hours, pay, a project story, tools, an interview slot.
# One line per paragraph: mail clients wrap it to the reader's window.
DEFAULT_TEMPLATES = {
    "advance.md": """\
Subject: Your application for {position}: next steps

Hello {first_name},

Thank you for applying for the {position} role. I have read your application myself, and I would like to get to know you better.

Could you answer these questions by replying to this e-mail?

1. When could you start? We hope for the end of June or early July, and can be flexible for the right person.
2. Are you looking for full-time or part-time work, and which hours suit you? The role is fully remote with flexible hours.
3. What pay do you expect? Pay is based on experience, with an optional performance bonus.
4. Tell me about one project you led from the first idea to launch: its scope, budget and timeline, and what you did when something blocked the team.
5. Which project-management software have you chosen or rolled out for a team, and why?
6. Which times in the coming week would suit you for a video interview?

If anything is unclear, write to {contact}.

Best regards,
The hiring team
""",  # noqa: E501 - one line per paragraph
    "decline.md": """\
Subject: Your application for {position}

Hello {first_name},

Thank you for applying for the {position} role and for the time you put into your application. A person read every application, and we have decided not to move forward with yours this time.

If you would like someone to look at your application again, or to know more about how applications were assessed, write to {contact}.

We wish you every success.

Best regards,
The hiring team
""",  # noqa: E501 - one line per paragraph
    "hold.md": """\
Subject: Your application for {position}: still under review

Hello {first_name},

Thank you for applying for the {position} role. We have not decided on your application yet: it is still being considered, and you will hear from us again {decision_by}.

If you have questions in the meantime, write to {contact}.

Best regards,
The hiring team
""",  # noqa: E501 - one line per paragraph
}


class TemplateError(RubricError):
    """A reply template cannot be used: each problem as ``file:line: what is wrong`` (exit 1)."""


@dataclass(frozen=True)
class Template:
    path: str
    subject: str
    body: str

    def fill(self, values: dict[str, str]) -> tuple[str, str]:
        """The subject and body with the placeholders filled (checked when the template was read)."""
        return self.subject.format_map(values), self.body.format_map(values)


def _line_problems(text: str, where: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [f"{where}: a '{{' or '}}' without its pair; write {{{{ or }}}} for a brace itself."]
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    problems = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            problems.append(f"{where}: unknown placeholder {{{written}}}; the known ones are {known}.")
    return problems


def parse_template(text: str, path: str) -> Template:
    """A template's subject (its first line, ``Subject: …``) and body (after the blank line);
    every placeholder is checked: an unknown one, or a lone brace, is ``file:line``."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lower().startswith("subject:"):
        raise TemplateError(f"{path}:{(first or 0) + 1}: the first line should be the subject, "
                            "e.g. 'Subject: Your application for {position}'.")
    problems = []
    for number, line in enumerate(lines[first:], start=first + 1):
        problems += _line_problems(line, f"{path}:{number}")
    if problems:
        raise TemplateError(problems[0] if len(problems) == 1 else f"{len(problems)} problems in {path}:",
                            problems if len(problems) > 1 else [])
    subject = lines[first].split(":", 1)[1].strip()
    body = "\n".join(lines[first + 1:]).strip("\n") + "\n"
    return Template(path, subject, body)


def load_templates(folder: Path, tell: Callable[[str], None] | None = None) -> dict[str, Template]:
    """The template of each decision from ``folder``; a missing file is the built-in text (and
    ``tell`` says so). Every template's problems are raised together."""
    found: dict[str, Template] = {}
    problems: list[str] = []
    for decision, name in TEMPLATE_FILES.items():
        path = folder / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if tell is not None:
                tell(f"{path} does not exist: the built-in {decision} text is used ('screener init' writes "
                     "editable templates).")
            found[decision] = parse_template(DEFAULT_TEMPLATES[name], f"(built-in) {name}")
            continue
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"The reply template {path} cannot be read ({err}); it should be UTF-8 text.") from None
        try:
            found[decision] = parse_template(text, str(path))
        except TemplateError as err:
            problems += err.problems or [str(err)]
    if problems:
        raise TemplateError(problems[0] if len(problems) == 1 else f"{len(problems)} problems in the reply templates:",
                            problems if len(problems) > 1 else [])
    return found


def write_default_templates(folder: Path) -> list[Path]:
    """Write the default templates into ``folder`` (created 0700); a template that exists holds
    someone's wording and is kept. Returns the files written."""
    written = []
    for name, text in DEFAULT_TEMPLATES.items():
        path = folder / name
        if path.exists():
            continue
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# Who is owed a reply, and by when.


def add_business_days(day: date, days: int) -> date:
    """``days`` business days (Monday to Friday) after ``day``; holidays are not known."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def one_line(value: Any, limit: int = 200) -> str:
    """An applicant's value as one line of printable text: line breaks and other control or
    format characters (bidi overrides, zero-width marks) become spaces or go."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    out = []
    for char in text:
        kind = unicodedata.category(char)
        if kind in ("Zl", "Zp") or char in "\r\n\t\v\f":
            out.append(" ")
        elif kind[0] != "C":
            out.append(char)
    return " ".join("".join(out).split())[:limit]


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


def usable_email(value: Any) -> str:
    """The address when it is one screener can write to (one plain address, nothing else), else ''."""
    text = "" if value is None else str(value).strip()
    if len(text) > 254 or _EMAIL.fullmatch(text) is None:
        return ""
    return text


@dataclass(frozen=True)
class Reply:
    """One reply owed: to the entry ``entry`` (a duplicate group's newest submission), for the
    decision ``decision_id``; ``set_apart`` says why none is written (a test entry, no address)."""

    entry: str
    members: tuple[str, ...]
    name: str
    email: str
    decision: str
    decision_id: int
    decided_at: str
    due: date | None
    set_apart: str = ""


@dataclass(frozen=True)
class ReplyRules:
    advance_business_days: int = 4
    days_after_close: int = 21


@dataclass
class Owed:
    """The replies owed (oldest due first), who awaits a decision, and the promises."""

    replies: list[Reply]
    today: date
    rules: ReplyRules
    close: str = ""  # the rubric's deadline in words; '' when it has none
    decide_by: date | None = None  # the close plus days_after_close
    awaiting: int = 0  # people (groups) with no outcome decision, or on hold; test entries not counted
    on_hold: int = 0
    answered: int = 0  # people whose latest outcome decision was answered
    test_entries: int = 0  # test entries without an outcome decision: nobody to answer, counted here

    def waiting_words(self) -> str:
        tests = f"; {self.test_entries} test entries not counted" if self.test_entries else ""
        return f"{self.awaiting} ({self.on_hold} on hold{tests})"

    def overdue(self, reply: Reply) -> bool:
        return reply.due is not None and self.today > reply.due

    @property
    def to_write(self) -> list[Reply]:
        return [r for r in self.replies if not r.set_apart]

    @property
    def set_apart(self) -> list[Reply]:
        return [r for r in self.replies if r.set_apart]

    @property
    def n_overdue(self) -> int:
        return sum(self.overdue(r) for r in self.replies)

    @property
    def awaiting_overdue(self) -> bool:
        return self.decide_by is not None and self.awaiting > 0 and self.today > self.decide_by

    def decision_by_words(self) -> str:
        if self.decide_by is None:
            return "as soon as we have decided"
        return "by " + self.decide_by.strftime("%A %d %B %Y").replace(" 0", " ")


def _day(value: Any, zone: ZoneInfo) -> date | None:
    text = one_line(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _why_apart(primary: dict[str, str], test: bool, address: str) -> str:
    """Why no reply is written for this person ('' when one is)."""
    if test:
        detail = one_line(primary.get("test_entry_why"))
        return "test entry" + (f": {detail}" if detail else "")
    if address:
        return ""
    return "no usable e-mail address" + ("" if one_line(primary.get("email")) else " (blank)")


def owed_replies(rows: list[dict[str, str]], decisions: list[tuple[int, str, str, str]], answered: set[int],
                 rubric: Rubric, rules: ReplyRules, today: date | None = None) -> Owed:
    """Who is owed a reply, from each current entry's facts (``Store.reply_facts``), every
    decision ``(id, entry, decision, decided_at)`` and the decision ids already answered."""
    zone = ZoneInfo(rubric.deadline.timezone) if rubric.deadline is not None else ZoneInfo("UTC")
    today = today or datetime.now(zone).date()
    close_day = rubric.deadline.at.date() if rubric.deadline is not None else None
    decide_by = close_day + timedelta(days=rules.days_after_close) if close_day is not None else None
    latest: dict[str, tuple[int, str, str]] = {}
    for number, entry, decision, when in decisions:
        if decision in DECISIONS and number > latest.get(entry, (0, "", ""))[0]:
            latest[entry] = (number, decision, when)
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(str(row.get("duplicate_group") or "") or str(row["id"]), []).append(row)
    owed = Owed([], today, rules, rubric.deadline.describe() if rubric.deadline is not None else "", decide_by)
    for key, members in groups.items():
        primary = next((m for m in members if str(m["id"]) == key), members[-1])
        found = [latest[str(m["id"])] for m in members if str(m["id"]) in latest]
        test = str(primary.get("test_entry", "")) == "yes"
        if not found:
            owed.awaiting += 0 if test else 1
            owed.test_entries += 1 if test else 0
            continue
        number, decision, when = max(found)
        if decision == "hold" and not test:
            owed.awaiting += 1
            owed.on_hold += 1
        if number in answered:
            owed.answered += 1
            continue
        if decision == "advanced":
            applied = _day(primary.get("submitted_at"), zone) or _day(primary.get("first_seen_at"), zone)
            due = add_business_days(applied, rules.advance_business_days) if applied is not None else None
        else:
            due = decide_by
        address = usable_email(primary.get("email"))
        why = _why_apart(primary, test, address)
        owed.replies.append(Reply(key, tuple(str(m["id"]) for m in members), one_line(primary.get("name")),
                                  address or one_line(primary.get("email")), decision, number, str(when), due, why))
    owed.replies.sort(key=lambda r: (r.due is None, r.due or date.max, r.decision_id))
    return owed


# --------------------------------------------------------------------------------------------
# The project: reading the store, writing the replies, recording them as sent.


def rules_of(config: ProjectConfig) -> ReplyRules:
    return ReplyRules(config.advance_reply_business_days, config.reply_days_after_close)


@contextlib.contextmanager
def _project_store(config: ProjectConfig) -> Iterator[Store]:
    with store_faults(config.store), Store(config.store, create=False) as store:
        yield store


def _owed_in(store: Store, config: ProjectConfig, rubric: Rubric) -> Owed:
    """``owed_replies`` over the store: the facts of the groups someone decided on are read;
    the others (most of a large store) are only counted, as ``owed_replies`` counts them."""
    everyone = store.reply_groups(rubric.sha256)
    if not everyone and store.last_run() is not None:
        raise StoreError(f"The store {config.store} has no scores under the current rubric ({rubric.short_hash}); "
                         "run 'screener run' first.")
    decisions = store.all_decisions()
    decided = {entry for _n, entry, decision, _when in decisions if decision in DECISIONS}
    keys = [group or entry for entry, group, _test in everyone]
    read = {key for (entry, _g, _t), key in zip(everyone, keys, strict=True) if entry in decided}
    facts = store.reply_facts(rubric.sha256, [e for (e, _g, _t), key in zip(everyone, keys, strict=True)
                                              if key in read]) if read else []
    owed = owed_replies(facts, decisions, store.answered_decisions(), rubric, rules_of(config))
    # A group's primary is the member whose id names it, else its last member (``owed_replies``).
    named: dict[str, bool] = {}
    last: dict[str, bool] = {}
    for (entry, _group, test), key in zip(everyone, keys, strict=True):
        if key not in read:
            (named if entry == key else last)[key] = test == "yes"
    tests = sum(named.get(key, is_test) for key, is_test in last.items()) + sum(
        is_test for key, is_test in named.items() if key not in last)
    owed.test_entries += tests
    owed.awaiting += len(last.keys() | named.keys()) - tests
    return owed


def project_owed(config: str | None = None) -> Owed:
    """The replies owed in the project's store (``screener status`` without arguments)."""
    project = load_config(config)
    rubric = load_rubric(project.rubric)
    with _project_store(project) as store:
        return _owed_in(store, project, rubric)


def summary_line(owed: Owed) -> str:
    """One line for the nightly run's summary."""
    oldest = next((r.due for r in owed.replies if r.due is not None), None)
    parts = [f"replies: {len(owed.replies)} owed ({owed.n_overdue} overdue"
             + (f", oldest due {oldest.isoformat()}" if oldest is not None else "") + ")"]
    if owed.set_apart:
        parts.append(f"{len(owed.set_apart)} set apart (test entries, no usable e-mail)")
    if owed.decide_by is None:
        parts.append(f"{owed.awaiting} awaiting a decision (no close date: the rubric has no deadline)")
    else:
        parts.append(f"{owed.awaiting} awaiting a decision, to hear by {owed.decide_by.isoformat()}"
                     + (" (overdue)" if owed.awaiting_overdue else ""))
    return "; ".join(parts) + "; 'screener status' lists them"


def nightly_line(config: str | None = None) -> str:
    """The replies line of a nightly run's summary; a problem reading them is said, never fatal."""
    try:
        return summary_line(project_owed(config))
    except ScreenerError as err:  # the run itself is done and saved: this line only says so
        return f"replies: could not be counted ({err})"


def run_line(store: Store, config: ProjectConfig, rubric: Rubric) -> str:
    """``nightly_line`` from the store the run has open (it is not opened and checked again)."""
    try:
        return summary_line(_owed_in(store, config, rubric))
    except ScreenerError as err:
        return f"replies: could not be counted ({err})"


def status_lines(owed: Owed, limit: int = 25) -> list[str]:
    """``screener status`` without arguments: the replies owed, oldest first, then who waits."""
    lines = [f"Replies owed: {len(owed.replies)} ({owed.n_overdue} overdue), oldest first"
             + (":" if owed.replies else ".")]
    for reply in owed.replies[:limit]:
        due = "due date unknown (no deadline in the rubric)" if reply.due is None else f"due {reply.due.isoformat()}"
        late = f", {(owed.today - reply.due).days} days overdue" if reply.due and owed.overdue(reply) else ""
        apart = f" — set apart: {reply.set_apart}" if reply.set_apart else ""
        lines.append(f"  {reply.entry}  {reply.decision}  {due}{late}  {reply.name}{apart}")
    if len(owed.replies) > limit:
        lines.append(f"  … and {len(owed.replies) - limit} more ('screener reply' writes them all).")
    rules = owed.rules
    lines.append(f"Promises: an advance within {rules.advance_business_days} business days of the application "
                 f"(Monday to Friday, holidays not counted); every other answer within {rules.days_after_close} "
                 "days after the close" + (f" ({owed.close})." if owed.close else
                                            ": the rubric has no deadline, so those due dates are unknown."))
    if owed.decide_by is not None:
        lines.append(f"Awaiting a decision: {owed.waiting_words()}, to hear by "
                     f"{owed.decide_by.isoformat()}" + (" — overdue." if owed.awaiting_overdue else "."))
    else:
        lines.append(f"Awaiting a decision: {owed.waiting_words()}; no close date to count from.")
    lines.append(f"Answered: {owed.answered}. screener never declines anyone itself: record a decision with "
                 "'screener status ID declined', then 'screener reply' writes the reply.")
    return lines


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    replies: int = 0
    set_apart: int = 0
    set_apart_file: Path | None = None
    owed: Owed | None = None
    removed: int = 0  # .eml files of an earlier batch removed from the folder

    def removed_note(self) -> str:
        return f"; {self.removed} .eml files of an earlier batch removed" if self.removed else ""


def _sender(config: ProjectConfig) -> Address:
    raw = config.reply_from or config.contact
    name, addr = parseaddr(raw)
    if not raw or not usable_email(addr):
        raise ConfigError(f"{config.path}: set reply_from = \"Hiring team <jobs@example.com>\" (the From: of the "
                          "replies); .eml and mbox files need it.")
    user, domain = addr.rsplit("@", 1)
    return Address(display_name=one_line(name), username=user, domain=domain)


def _values(reply: Reply, config: ProjectConfig, rubric: Rubric, owed: Owed) -> dict[str, str]:
    position = config.position or rubric.title.split(" — ")[0].split(" - ")[0].strip()
    return {"first_name": (reply.name.split() or [""])[0], "name": reply.name, "position": position,
            "contact": config.contact, "applicant_id": one_line(reply.entry), "decision_by": owed.decision_by_words()}


def _message(reply: Reply, subject: str, body: str, sender: Address) -> EmailMessage:
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = Address(display_name=one_line(reply.name), addr_spec=reply.email)
    msg["Subject"] = one_line(subject, limit=300)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.domain)
    msg["X-Unsent"] = "1"  # mail clients open the file as a draft to send
    msg.set_content(body)
    return msg


def _file_name(reply: Reply) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", reply.entry)[:40]
    if safe != reply.entry:
        import hashlib

        safe += "-" + hashlib.sha256(reply.entry.encode("utf-8")).hexdigest()[:8]
    return f"{reply.decision}-{safe}.eml"


def _write_mbox(path: Path, messages: list[EmailMessage]) -> None:
    """One mbox, made beside ``path`` (0600) and renamed into place whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        box = mailbox.mbox(tmp, create=False)
        try:
            for msg in messages:
                box.add(msg)
            box.flush()
        finally:
            box.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"Cannot write {path}: {err.strerror or err}.") from None


_EML_NAME = re.compile(r"(?:advanced|declined|hold)-[A-Za-z0-9_-]{1,60}\.eml")


def _remove_earlier_eml(folder: Path) -> int:
    """Remove the .eml files an earlier ``reply`` wrote here (its names only): the folder then
    holds exactly the replies owed now, and none already sent is sent twice."""
    removed = 0
    for path in folder.iterdir():
        if _EML_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            try:
                path.unlink()
            except OSError as err:
                raise OutputError(f"Cannot remove the earlier reply {path}: {err.strerror or err}.") from None
            removed += 1
    return removed


def _mail_merge_table(filled: list[tuple[Reply, str, str]]) -> pd.DataFrame:
    """One row per reply for a mail merge: e-mail, subject, body first (spreadsheet-safe when written)."""
    rows = [{"email": r.email, "subject": subject, "body": body, "name": r.name, "id": r.entry,
             "decision": r.decision, "due": r.due.isoformat() if r.due else ""} for r, subject, body in filled]
    return pd.DataFrame(rows, columns=["email", "subject", "body", "name", "id", "decision", "due"])


def _set_apart_table(replies: list[Reply]) -> pd.DataFrame:
    return pd.DataFrame({"id": [r.entry for r in replies], "name": [r.name for r in replies],
                         "email": [r.email for r in replies], "decision": [r.decision for r in replies],
                         "due": [r.due.isoformat() if r.due else "" for r in replies],
                         "why": [r.set_apart for r in replies]},
                        columns=["id", "name", "email", "decision", "due", "why"])


def write_replies(*, config: str | None = None, decision: str | None = None, fmt: str = "csv",
                  folder: str | None = None, tell: Callable[[str], None] | None = None) -> Written:
    """Write the replies owed (of one ``decision``, or all) as ``fmt`` into ``folder`` (default:
    the project's output folder/replies), the set-apart list beside them, and remember in the
    store which decisions were written (what ``--mark-sent`` records)."""
    if decision is not None and decision not in DECISIONS:
        raise UsageError(f"--decision should be one of {', '.join(DECISIONS)}, not '{one_line(decision)}'.")
    if fmt not in FORMATS:
        raise UsageError(f"--format should be one of {', '.join(FORMATS)}, not '{one_line(fmt)}'.")
    project = load_config(config)
    rubric = load_rubric(project.rubric)
    templates = load_templates(project.templates, tell)
    out = Path(folder) if folder else project.output / "replies"
    if out.exists() and not out.is_dir():
        raise OutputError(f"Cannot write the replies into {out}: it is a file; -o takes a folder.")
    with _project_store(project) as store:
        owed = _owed_in(store, project, rubric)
        chosen = [r for r in owed.replies if decision is None or r.decision == decision]
        writing = [r for r in chosen if not r.set_apart]
        if writing and not project.contact and any("{contact}" in t.subject + t.body for t in templates.values()):
            raise ConfigError(f"{project.path}: set contact = \"jobs@example.com\" (where applicants write back): "
                              "the templates use {contact}.")
        sender = _sender(project) if fmt != "csv" and writing else None
        done = Written(replies=len(writing), set_apart=len(chosen) - len(writing), owed=owed)
        try:
            make_private_folders(out)
        except OSError as err:
            raise OutputError(f"Cannot create the folder {out}: {err.strerror or err}.") from None
        filled = [(r, *templates[r.decision].fill(_values(r, project, rubric, owed))) for r in writing]
        if fmt == "csv":
            atomic_write(out / "replies.csv", render(_mail_merge_table(filled), "csv"))
            done.files.append(out / "replies.csv")
        elif fmt == "eml":
            done.removed = _remove_earlier_eml(out)
            for reply, subject, body in filled:
                assert sender is not None
                path = out / _file_name(reply)
                atomic_write(path, _message(reply, subject, body, sender).as_bytes(policy=policy.SMTP))
                done.files.append(path)
        else:
            messages = [_message(r, s, b, sender) for r, s, b in filled] if sender is not None else []
            _write_mbox(out / "replies.mbox", messages)
            done.files.append(out / "replies.mbox")
        done.set_apart_file = out / "replies-set-apart.csv"
        atomic_write(done.set_apart_file, render(_set_apart_table([r for r in chosen if r.set_apart]), "csv"))
        with store.transaction(waiting=_waiting(store, tell)):
            store.set_meta(BATCH_KEY, json.dumps({"at": _now(), "decisions": [r.decision_id for r in writing]}))
    return done


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _who() -> str:
    return os.environ.get("SCREENER_USER") or getpass.getuser()


def _waiting(store: Store, tell: Callable[[str], None] | None) -> Callable[[], None]:
    def say() -> None:
        if tell is not None:
            tell(f"The store {store.path} is being written by another screener command (a nightly run?); waiting "
                 "for it to finish (Ctrl-C gives up without recording).")
    return say


@dataclass
class Marked:
    entries: list[str]
    when: str
    who: str
    not_written: int = 0  # replies owed that the last 'screener reply' did not write
    problem: str = ""  # recorded in the store, but the audit log could not be appended


def _record(store: Store, project: ProjectConfig, replies: list[Reply], how: str,
            tell: Callable[[str], None] | None) -> Marked:

    log = auditlog.default_path(project.store)
    for path in (log, log.with_name(auditlog.KEY_NAME)):
        refuse_link(path)
    who = _who()
    with store.transaction(waiting=_waiting(store, tell)):
        when = _now()
        for reply in replies:
            store.add_reply(reply.entry, reply.decision_id, reply.decision, who, when)
        store.stage_audit(log, {"ts": when, "command": "reply", "how": how, "who": who,
                                "replied": [{"id": r.entry, "decision": r.decision, "decision_id": r.decision_id}
                                            for r in replies]})
    return Marked([r.entry for r in replies], when, who, problem=auditlog.flush(store))


def mark_sent(*, config: str | None = None, decision: str | None = None,
              tell: Callable[[str], None] | None = None) -> Marked:
    """Record as answered the replies the last ``screener reply`` wrote that are still owed (of
    one ``decision``, or all): in the store and the audit log."""
    project = load_config(config)
    rubric = load_rubric(project.rubric)
    with _project_store(project) as store:
        batch = store.get_meta(BATCH_KEY)
        if batch is None:
            raise UsageError("No replies have been written yet: run 'screener reply' first, send what it writes, "
                             "then 'screener reply --mark-sent'.")
        written = set(json.loads(batch).get("decisions", []))
        owed = _owed_in(store, project, rubric)
        chosen = [r for r in owed.to_write if decision is None or r.decision == decision]
        marking = [r for r in chosen if r.decision_id in written]
        done = _record(store, project, marking, "mark-sent", tell)
    done.not_written = len(chosen) - len(marking)
    return done


def mark_replied(applicant: str, *, config: str | None = None, tell: Callable[[str], None] | None = None) -> Marked:
    """Record that ``applicant`` (or the duplicate group it belongs to) was answered for their
    latest outcome decision (``screener status ID --replied``)."""
    project = load_config(config)
    rubric = load_rubric(project.rubric)
    with _project_store(project) as store:
        if not store.has_entry(applicant):
            raise UsageError(f"No applicant with the id '{one_line(applicant)}' in {project.store}.")
        owed = _owed_in(store, project, rubric)
        reply = next((r for r in owed.replies if applicant in r.members), None)
        if reply is None:
            decided = any(entry == applicant and decision in DECISIONS for _n, entry, decision, _at
                          in store.all_decisions())
            raise UsageError(f"No reply is owed to {one_line(applicant)}: " + (
                "their latest decision was answered already." if decided else "record an advanced, declined or "
                "hold decision first ('screener status ID declined')."))
        return _record(store, project, [reply], "status --replied", tell)


def report_rows(config: str | None = None) -> Owed | None:
    """The replies owed for the HTML report from the store; None when the project has none to read."""
    try:
        return project_owed(config)
    except (StoreError, ConfigError, RubricError):
        return None
