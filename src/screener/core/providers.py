"""What screener knows about each form provider's exports, and the defaults that follow from it.

The provider is told from the header set (``detect``). What it decides for the user:

- **Times written without a zone** (``naive_zone``): Typeform writes UTC (its "Submit Date (UTC)"
  header says so); Cognito, Google Forms, Jotform and Microsoft Forms write the form account's
  local time, which the export does not state, so the rubric's zone applies. A zone written in
  the value itself (``Z``, ``+02:00``) always wins, then one stated by the header, then
  ``--export-timezone``, then the rubric's ``deadline.export_timezone``,
  then the provider's own (Typeform: UTC), then ``deadline.timezone``, else UTC.
- **Identity columns** (``column_defaults``): the headers providers give the entry id, a name
  written in one column ("Full Name", "Name"), the email and the submission time, tried when
  none of the rubric's own candidates is found.
- **Day or month first** (``date_order``), per date column: the rubric's ``deadline.day_first``
  when written; else the column's own values (a first number above 12 anywhere means day first,
  a second one above 12 month first; both is an inconsistent column, said so); else the
  provider's known format (Cognito: M/D/YYYY); else the order is not known, and a date that
  reads as two different days (09/06/2020) is left unread, with one note for the column.
- **Multi-select answers**: how each provider joins the choices (``Provider.choices``, shown by
  ``screener inspect``); ``normalize.split_items`` reads every one of those forms.

The zone is decided from the submission column's header alone, so every piece of an export
(and every stored entry) reads its times the same way whatever other columns travel with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from screener.core.columns import Default, FieldMatch, header_key, map_fields

if TYPE_CHECKING:
    from screener.core.normalize import SlashEvidence
    from screener.core.rubric import Deadline, Rubric, ZoneOverride


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    submitted: tuple[str, ...]  # the headers of its submission time, most likely first
    utc: bool  # writes its times in UTC (else the form account's local time, unstated)
    choices: str  # how a multi-select answer is written
    # Writes slash dates month first (M/D/YYYY) whatever the account: only Cognito is known to
    # (its documented export text is "1/14/2026 10:41 AM"); Google Forms writes the account's
    # locale, Typeform and Jotform ISO dates, which are never ambiguous.
    month_first: bool = False


PROVIDERS: dict[str, Provider] = {p.key: p for p in (
    Provider("cognito", "Cognito Forms", ("Entry_DateSubmitted", "Date Submitted"), False,
             "one cell, choices joined by ', '", month_first=True),
    Provider("google", "Google Forms", ("Timestamp",), False, "one cell, choices joined by ', '"),
    Provider("typeform", "Typeform", ("Submit Date (UTC)", "Submitted At"), True,
             "one column per choice (older exports) or one cell joined by ','"),
    Provider("jotform", "Jotform", ("Submission Date",), False, "one cell, one choice per line"),
    Provider("msforms", "Microsoft Forms", ("Completion time",), False, "one cell, each choice followed by ';'"),
)}

# Identity columns by the headers providers give them (matched exactly or ignoring case and
# punctuation): Typeform's '#' and 'Token', Jotform's 'Submission ID', Microsoft Forms' 'ID';
# a name in one column (Jotform's Full Name, Cognito's entries view, Microsoft Forms, a Google
# question); Google's 'Email address'.
ID_HEADERS = ("#", "Token", "Submission ID", "ID", "Entry_Number", "Response ID")
NAME_HEADERS = ("Full Name", "Name", "Your name", "Your full name", "Applicant name", "Name_FirstAndLast")
EMAIL_HEADERS = ("Email", "Email address", "Your email", "Email_Address")
SUBMITTED_HEADERS = tuple(dict.fromkeys(h for p in PROVIDERS.values() for h in p.submitted))


def detect(columns: list[str]) -> str | None:
    """The provider whose export has these headers (a key of ``PROVIDERS``), or None."""
    folded = {c.casefold() for c in columns}
    if "entry_status" in folded:
        return "cognito"
    if "start time" in folded and "completion time" in folded:
        return "msforms"
    if "submit date (utc)" in folded or "token" in folded:
        return "typeform"
    if "submission date" in folded:
        return "jotform"
    if "timestamp" in folded:
        return "google"
    if any(c.endswith("_id") for c in folded):
        return "cognito"
    return None


def _by_header(header: str | None) -> Provider | None:
    """The provider whose submission column this header is."""
    if not header:
        return None
    key = header_key(header)
    return next((p for p in PROVIDERS.values() if any(header_key(h) == key for h in p.submitted)), None)


_UTC_IN_HEADER = re.compile(r"(?<![a-z])utc(?![a-z])")


def states_utc(header: str | None) -> bool:
    """Whether a header says its times are UTC ("Submit Date (UTC)", "created_utc")."""
    return header is not None and _UTC_IN_HEADER.search(header.casefold()) is not None


@dataclass(frozen=True)
class NaiveZone:
    """The zone times written without one are read in, and why, in words."""

    zone: str
    why: str
    overruled: str = ""  # a zone the person gave that the header overrules, in a sentence


def submission_header(columns: list[str]) -> str | None:
    """The column holding a provider's submission time, by its known header, if there is one."""
    keys = {header_key(c): c for c in reversed(columns)}
    return next((keys[header_key(h)] for h in SUBMITTED_HEADERS if header_key(h) in keys), None)


def naive_zone(header: str | None, deadline: Deadline | None, override: ZoneOverride | None = None,
               provider: str | None = None) -> NaiveZone:
    """The zone for times without one in the submission column ``header`` (None: no such
    column), given the rubric's ``deadline`` and the ``override`` given for the run (the
    rubric's ``zone_override``). ``provider`` (``detect`` over every column) only names the
    provider in ``why`` when the header does not: the zone itself follows from the header."""
    own = _by_header(header)
    known = own or PROVIDERS.get(provider or "")
    stated = deadline.export_timezone if deadline and deadline.export_timezone_stated else None
    if header and states_utc(header):
        why = (f"{own.label} writes UTC: header '{header}'" if own and own.utc
               else f"the header '{header}' says so")
        given = override.zone if override else stated
        source = override.source if override else "the rubric's deadline.export_timezone"
        overruled = (f"{source} {given} is not used for '{header}': its header says the times are UTC"
                     if given and given != "UTC" else "")
        return NaiveZone("UTC", why, overruled)
    if override:
        return NaiveZone(override.zone, override.source)
    if stated:
        return NaiveZone(stated, "rubric deadline.export_timezone")
    if own and own.utc:
        return NaiveZone("UTC", f"{own.label} writes UTC: column '{header}'")
    account = (f"; {known.label} writes the account's local time and does not say which"
               if known and not known.utc else "")
    if deadline:
        return NaiveZone(deadline.timezone, "rubric deadline.timezone" + account)
    return NaiveZone("UTC", "no zone given: no --export-timezone and no deadline in the rubric" + account)


def column_defaults(rubric: Rubric) -> dict[str, Default]:
    """For the rubric's identity fields, the headers providers give them (see ``map_fields``)."""
    who = rubric.applicant
    out: dict[str, Default] = {}
    if who.id:
        out[who.id] = Default(ID_HEADERS)
    if who.name:  # a name in one column stands for the whole name, when no part of it is found
        out[who.name[0]] = Default(NAME_HEADERS, unless=who.name[1:])
    if who.email:
        out[who.email] = Default(EMAIL_HEADERS)
    if who.submitted_at:
        out[who.submitted_at] = Default(SUBMITTED_HEADERS)
    return out


def map_rubric(columns: list[str], rubric: Rubric) -> dict[str, FieldMatch]:
    """``map_fields`` for the rubric's fields, with the providers' identity headers as defaults."""
    return map_fields(columns, rubric.fields, column_defaults(rubric))


@dataclass(frozen=True)
class DateOrder:
    """How a date column's slash dates are read: ``day_first`` True (D/M/YYYY), False (M/D/YYYY)
    or None (not known: a date that reads as two different days is left unread); ``why`` in
    words; ``notes``, sentences about the column worth telling the person (at most two)."""

    day_first: bool | None
    why: str
    notes: tuple[str, ...] = ()


_DAY_FIRST_FIX = ("if the export writes dates day first, add 'day_first: true' to the rubric's deadline "
                  "('day_first: false' for month first)")


def date_order(header: str | None, evidence: SlashEvidence, stated: bool | None = None) -> DateOrder:
    """The order of the slash dates in the column ``header``, from the rubric's ``deadline.day_first``
    (``stated``; None when the rubric does not say), else the column's ``evidence`` over the whole
    export (``normalize.slash_evidence``), else the provider's known format, else not known."""
    if stated is not None:
        return DateOrder(stated, "the rubric's deadline day_first: " + ("true" if stated else "false"))
    name = f"'{header}'" if header else "the date column"
    if evidence.day_first and not evidence.month_first:
        return DateOrder(True, f"day first: values such as '{evidence.day_example}' (first number above 12)")
    if evidence.month_first and not evidence.day_first:
        return DateOrder(False, f"month first: values such as '{evidence.month_example}' (second number above 12)")
    notes: list[str] = []
    mixed = bool(evidence.day_first and evidence.month_first)
    if mixed:
        notes.append(f"{name} is inconsistent: {evidence.day_first} date(s) can only be day first (such as "
                     f"'{evidence.day_example}') and {evidence.month_first} only month first (such as "
                     f"'{evidence.month_example}')")
    own = _by_header(header)
    if own is not None and own.month_first:
        if mixed or evidence.either:
            notes.append(f"{name} is read month first (M/D/YYYY), as {own.label} writes dates; {_DAY_FIRST_FIX}")
        return DateOrder(False, f"month first: {own.label} writes M/D/YYYY", tuple(notes))
    if mixed:
        notes[-1] += ("; each is read the only way it can be, and any that reads as two different days is "
                      "left unread")
    return DateOrder(None, "not known: no value has a number above 12 and the provider's format is not known",
                     tuple(notes))
