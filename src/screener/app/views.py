"""Turn a ranked table into what people ask for: a shortlist and the list of who was left out
and why, one applicant's explanation, comparisons, duplicate groups, and blind versions of each."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from screener.core.columns import FieldMatch
from screener.core.errors import UsageError
from screener.core.matching import why_not
from screener.core.rubric import KINDS, Criterion, KeywordSpec, LevelSpec, Rubric
from screener.core.scoring import ScoreResult, max_points
from screener.core.versions import Version
from screener.data.load import LoadReport

IDENTITY_COLUMNS = ("name", "email", "phone")
# Columns that hold no free text: never redacted (a date or a hash is not a phone number).
_STRUCTURAL_COLUMNS = frozenset({
    "rank", "id", "row", "line", "score", "bucket", "must_pass", "must_unknown", "must_fail", "reasons",
    "submitted_at", "late", "late_why", "duplicate_group", "duplicate_why", "rubric", "rubric_sha256",
    "left_out_because",
    "first_seen_run", "first_seen_at", "versions", "decision", "decided_at", "test_entry", "test_entry_why",
})
REDACTED = "[redacted]"

# Applicant text is long and hostile, so redaction takes time linear in it (a cell of " 1." x
# 10,000 once took 87 s): a pattern is tried once per run of the characters it is made of, never
# again from inside the run (look-behinds), and takes runs whole (possessive ``*+``, ``++``).
# An email address. It starts where a run of local-part characters does (or where the last one
# ended): any later start in the run would reach the same "@".
_EMAIL_RE = re.compile(r"('*+)[\w.!#$%&*+/=?^`{|}~-][\w.!#$%&'*+/=?^`{|}~-]*+@[\w-]++(?:\.[\w-]++)++")
_EMAIL_START_RE = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~-])" + _EMAIL_RE.pattern)
# A web address: with a scheme or www. (to the next space), or a bare domain followed by a path
# (linkedin.com/in/x): ``_url_host`` finds the domain in the run of host characters before a "/".
_URL_RE = re.compile(r"\b(?:(?:https?|ftp)://|www\.)\S+", re.IGNORECASE)
_HOST_RUN_RE = re.compile(r"(?<![\w.-])[\w.-]++(?=/)")
_TLD_RE = re.compile(r"[a-z]{2,}", re.IGNORECASE)
_NON_SPACE_RE = re.compile(r"\S*")
# Seven or more digits with phone punctuation between them: +1 (555) 010-0199, 555-0100. A run of
# those characters holds at most one (``_phone_in_run``), and a run shorter than seven none.
_PHONE_RUN_RE = re.compile(r"[\d\s().\-/]{7,}")
_DATE_LIKE_RE = re.compile(r"\d{4}\s*[-/–]\s*\d{1,4}(?:\s*[-/]\s*\d{1,2})?|\d{1,2}/\d{1,2}/\d{2,4}")
_INCOMPLETE = ("incomplete", "draft", "saved", "partial")


def redact(text: str, identity: tuple[str, ...] = ()) -> str:
    """``text`` with the applicant's own ``identity`` strings (see ``identity_parts``) and any
    email address, web address or phone number replaced by ``[redacted]``."""
    if not text:
        return text
    for part in identity:
        if part in text:
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", REDACTED, text)
    return _redact_patterns(text)


def identity_parts(name: str = "", email: str = "", phone: str = "") -> tuple[str, ...]:
    """What to look for in an applicant's free text: the whole name, email and phone, and each
    word of the name of two letters or more, as typed and Capitalised; longest first. The
    case matters so that a surname such as None or True does not blank out
    screener's own words ("none of the listed choices") and so give the name away."""
    parts = {v.strip() for v in (name, email, phone) if v and v.strip()}
    email = email.strip()
    if email:
        parts.update({email.lower(), email.upper()})
    for word in str(name).split():
        if sum(ch.isalnum() for ch in word) >= 2:
            parts.update({word, word[:1].upper() + word[1:]})
    return tuple(sorted(parts, key=len, reverse=True))


def _redact_patterns(text: str) -> str:
    if "@" in text:
        text = _redact_emails(text)
    if "/" in text:
        text = _redact_bare_urls(text)  # before _URL_RE: the leftmost address wins, as in one pattern
    if "/" in text or "www." in text.casefold():
        text = _URL_RE.sub(REDACTED, text)
    if sum(ch.isdigit() for ch in text) >= 7:
        text = _redact_phones(text)
    return text


def _redact_emails(text: str) -> str:
    out: list[str] = []
    done = 0
    while (found := _EMAIL_RE.match(text, done) or _EMAIL_START_RE.search(text, done)) is not None:
        out += (text[done:found.start()], found[1], REDACTED)  # leading apostrophes are quotes
        done = found.end()
    return "".join(out) + text[done:] if out else text


def _word(ch: str) -> bool:
    """Whether ``ch`` is a regular-expression word character (``\\w``)."""
    return ch.isalnum() or ch == "_"


def _redact_bare_urls(text: str) -> str:
    """Each ``host.tld/path`` replaced: the host's labels of word characters and ``-`` between
    single dots, starting at a word boundary, the last label two letters or more."""
    out: list[str] = []
    done = pos = 0
    while (run := _HOST_RUN_RE.search(text, pos)) is not None:
        pos = run.end()
        start = _url_host(text, run.start(), pos)
        if start is not None:
            tail = _NON_SPACE_RE.match(text, pos)  # the path, to the next space
            out += (text[done:start], REDACTED)
            done = pos = tail.end() if tail else pos
    return "".join(out) + text[done:] if out else text


def _url_host(text: str, lo: int, hi: int) -> int | None:
    """Where the leftmost host ending at ``hi`` starts in the run ``text[lo:hi]``, if one does."""
    dot = text.rfind(".", lo, hi)
    if dot < 0 or not _TLD_RE.fullmatch(text, dot + 1, hi):
        return None
    double = text.rfind("..", lo, dot + 1)  # no empty label: the host starts after the last ".."
    for at in range(lo if double < 0 else double + 2, dot):
        ch = text[at]
        if ch != "." and _word(ch) != (at > 0 and _word(text[at - 1])):  # at a word boundary
            return at
    return None


def _redact_phones(text: str) -> str:
    out: list[str] = []
    done = 0
    for run in _PHONE_RUN_RE.finditer(text):
        span = _phone_in_run(text, run.start(), run.end())
        if span is not None and _phone_or_date(text[span[0]:span[1]]) == REDACTED:
            out += (text[done:span[0]], REDACTED)
            done = span[1]
    return "".join(out) + text[done:] if out else text


def _word_or_dot(ch: str) -> bool:
    return ch == "." or _word(ch)


def _phone_in_run(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The leftmost longest phone-like span of the run ``text[lo:hi]`` of phone characters: an
    optional ``+`` and ``(``, a digit, five or more run characters and a digit, with no word
    character or dot on either side; found in one pass over the run."""
    last = hi - 1
    while last >= lo and not (text[last].isdecimal() and (last + 1 == len(text) or not _word_or_dot(text[last + 1]))):
        last -= 1
    for first in range(lo, last - 5):
        if text[first].isdecimal():
            for start in (first - 2, first - 1, first):
                if start >= 0 and text[start:first] in ("+(", "+", "(", "") and (
                        start == 0 or not _word_or_dot(text[start - 1])):
                    return start, last + 1
    return None


def _phone_or_date(found: str) -> str:
    if sum(ch.isdigit() for ch in found) < 7 or _DATE_LIKE_RE.fullmatch(found.strip()):
        return found
    return REDACTED


# Columns that point at a row of the export (its position, its line, its raw text, its exact
# submission time): anyone holding the export could map a pseudonym back by them.
_SOURCE_COLUMNS = ("row", "line", "raw", "submitted_at", "source", "source_file")
_LINE_REFERENCE = re.compile(r"\bline \d+ (?=repaired)")


def blind_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without identity: the name, email and phone columns are dropped, and so is
    whatever points at a row of the export (row number, line, raw text, submission time:
    ``_SOURCE_COLUMNS``); every free-text cell (evidence, knockouts) loses whatever echoes the
    applicant's name, email or phone, and any email address, web address or phone number.
    The id stays for ``pseudonymize`` to replace."""
    present = [c for c in IDENTITY_COLUMNS if c in table.columns]
    n = len(table)

    def column(name: str) -> list[str]:
        if name not in table.columns:
            return [""] * n
        values = table[name].astype(object)
        return ["" if v is None or v != v else str(v) for v in values.tolist()]

    identities = [identity_parts(*who) for who in zip(column("name"), column("email"), column("phone"), strict=True)]
    out = table.drop(columns=[*present, *(c for c in _SOURCE_COLUMNS if c in table.columns)])
    if "id" in out and "line" in table:
        # A row that could not be read and has no id read from it is named by its line, which
        # becomes its pseudonym (``pseudonymize``); the line itself is not shown.
        out["id"] = [f"unreadable line {line}" if (v is None or v != v or str(v) == "") and line == line else v
                     for v, line in zip(out["id"].tolist(), table["line"].tolist(), strict=True)]
    for name in ("reasons", "left_out_because"):
        if name in out:  # "line 4 repaired: ..." points at the row in the export
            out[name] = out[name].astype(object).map(
                lambda v: _LINE_REFERENCE.sub("", v) if isinstance(v, str) else v)
    for name in out.columns:
        if name in _STRUCTURAL_COLUMNS or str(name).endswith((".points", ".status")):
            continue
        if pd.api.types.is_numeric_dtype(out[name]) or pd.api.types.is_bool_dtype(out[name]):
            continue
        values = out[name].to_numpy(dtype=object)
        # Evidence repeats a lot ("blank answer"): the patterns run once per distinct text.
        generic = {v: _redact_patterns(v) for v in set(values) if isinstance(v, str) and v}
        cleaned = []
        for value, parts in zip(values, identities, strict=True):
            if not isinstance(value, str) or not value:
                cleaned.append(value)
                continue
            if any(part in value for part in parts):
                cleaned.append(redact(value, parts))
            else:
                cleaned.append(generic[value])
        out[name] = pd.Series(cleaned, index=out.index, dtype=object)
    return out


def rejected_table(report: LoadReport, *, blind: bool = False, rubric: Rubric | None = None) -> pd.DataFrame:
    """Rows the loader could not read, with why and their raw text, so nothing is lost; with the
    ``rubric``, also the applicant's id, name and email read from the fields that line up
    (``unreadable_identity``), so a person can follow up.

    With ``blind`` the raw text, name and email are left out; the line number (and the id) still
    point at the row in the export."""
    who = [unreadable_identity(r.raw, report.columns, rubric) for r in report.rejected]
    table = pd.DataFrame(
        {
            "line": [r.line for r in report.rejected],
            "id": [w[0] for w in who],
            "name": [w[1] for w in who],
            "email": [w[2] for w in who],
            "reason": [r.reason for r in report.rejected],
            "raw": [" | ".join(r.raw) for r in report.rejected],
        },
        columns=["line", "id", "name", "email", "reason", "raw"],
    )
    if rubric is None:
        table = table.drop(columns=["id", "name", "email"])
    return table.drop(columns=[c for c in ("raw", "name", "email") if c in table]) if blind else table


def unreadable_identity(raw: tuple[str, ...], columns: list[str], rubric: Rubric | None) -> tuple[str, str, str]:
    """(id, name, email) of a row that could not be read, from the fields that line up with the header.

    A row with extra (or missing) fields lines up from the left up to its break and from the
    right after it. The email tells which side the identity fields are on: read from the left when
    the email column there holds an email (the break is after it), else from the right when that
    does; with neither, nothing is guessed. A row that is not split into fields gives nothing."""
    if rubric is None or len(raw) < 2 or not columns:
        return "", "", ""
    from screener.core.providers import map_rubric

    who = rubric.applicant
    mapping = map_rubric(columns, rubric)
    position = {c: i for i, c in enumerate(columns)}

    def at(field: str | None) -> int | None:
        match = mapping.get(field) if field else None
        return position.get(match.column) if match is not None and match.column is not None else None

    shift = len(raw) - len(columns)
    email_at = at(who.email)
    offset: int | None = None
    if email_at is None:
        offset = None
    elif email_at < len(raw) and _EMAIL_RE.fullmatch(raw[email_at].strip()):
        offset = 0
    elif 0 <= email_at + shift < len(raw) and _EMAIL_RE.fullmatch(raw[email_at + shift].strip()):
        offset = shift
    if offset is None:
        return "", "", ""

    def read(field: str | None) -> str:
        index = at(field)
        return raw[index + offset].strip() if index is not None and 0 <= index + offset < len(raw) else ""

    name = " ".join(part for part in (read(f) for f in who.name) if part)
    return read(who.id), name, read(who.email)


def shortlist_split(table: pd.DataFrame, *, top: int | None, min_score: float | None, include_knockouts: bool,
                    include_late: bool, exclude_decided: bool = False, since: str | None = None,
                    since_run: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shortlist and everyone left out with why. Older submissions of a duplicate group and
    entries never submitted are left out first, then test entries (core/testentry.py), must-have
    failures and late ones."""
    if table.empty:
        return table, table.assign(left_out_because=[])
    reason = np.full(len(table), "", dtype=object)

    def exclude(mask: np.ndarray, why: str | np.ndarray) -> None:
        nonlocal reason
        reason = np.where((reason == "") & mask, why, reason)

    def said(mask: np.ndarray, prefix: str, column: str) -> np.ndarray:
        """``prefix`` + the column's text in the rows of ``mask`` (most rows have none to say)."""
        out = np.full(len(table), "", dtype=object)
        rows = np.flatnonzero(mask)
        out[rows] = (prefix + table[column].iloc[rows].astype(str)).to_numpy(dtype=object)
        return out

    # An entry's status has a handful of values: each read once.
    status, statuses = pd.factorize(table.get("entry_status", pd.Series([""] * len(table))).astype(str))
    incomplete = np.array([str(s).strip().casefold() in _INCOMPLETE for s in statuses] + [False], dtype=bool)
    exclude(incomplete[status], "incomplete entry (never submitted)")
    if "test_entry" in table:  # stored records scored before test entries were flagged have none
        why = table.get("test_entry_why", pd.Series([""] * len(table))).astype(str).to_numpy(dtype=object)
        exclude((table["test_entry"].astype(str) == "yes").to_numpy(),
                np.where(why != "", "test entry: " + why, "test entry").astype(object))
    group = table["duplicate_group"].astype(str)
    older = ((group != "") & (group != table["id"].astype(str))).to_numpy(dtype=bool)
    exclude(older, said(older, "older submission: the newest is ", "duplicate_group"))
    if not include_knockouts:
        failed = (table["bucket"] == "fail").to_numpy(dtype=bool)
        exclude(failed, said(failed, "failed a must-have: ", "knockouts"))
    if not include_late:
        exclude((table["late"] == "yes").to_numpy(), "submitted after the deadline")
    if exclude_decided and "decision" in table:
        decided = (table["decision"].astype(str) != "").to_numpy()
        exclude(decided, "already decided: " + table["decision"].astype(str).to_numpy(dtype=object))
    if since is not None:
        exclude((table["first_seen_at"].astype(str) < since).to_numpy(), f"first seen before: {since}")
    if since_run is not None:
        exclude((table["first_seen_run"].astype(int) < since_run).to_numpy(), "not new in the latest run")
    if min_score is not None:
        scores = table["adjusted_score"] if "adjusted_score" in table else table["score"]
        exclude((scores.astype(float) < min_score).to_numpy(), f"score below {min_score:g}")
    if top is not None:
        eligible = np.cumsum(reason == "")
        exclude((reason == "") & (eligible > top), f"ranked below the top {top}")
    chosen = table[reason == ""].reset_index(drop=True)
    left = table[reason != ""].copy()
    # Answers in a language the rubric does not name score low for that alone: a person reads them.
    reader = needs_reader(left["reasons"]) if "reasons" in left else pd.Series([""] * len(left), dtype=object)
    why = reason[reason != ""]
    why = np.where(reader.to_numpy(dtype=object) != "", why + "; needs a reader of " + reader.to_numpy(dtype=object),
                   why)
    left.insert(1, "left_out_because", why)
    return chosen, left.reset_index(drop=True)


_READER = re.compile(r"^needs a reader of ([^;]+)")


def needs_reader(reasons: pd.Series) -> pd.Series:
    """Per row, the language a reader of its answers needs ("Chinese"), from the reasons the
    scoring wrote first ("needs a reader of Chinese; ..."), else "". Only the rows whose reasons
    start so are read with the pattern: most do not, and a left-out file has them all."""
    text = reasons.astype(str)
    found = pd.Series("", index=reasons.index, dtype=object)
    flagged = text.str.startswith("needs a reader of ").to_numpy(dtype=bool)
    if flagged.any():
        found[flagged] = text[flagged].str.extract(_READER, expand=False).fillna("").astype(object)
    return found


def find_in_table(table: pd.DataFrame, key: str) -> int:
    """The position in a ranked table of the applicant named by id, email or row number."""
    wanted = key.strip()
    by_id = np.flatnonzero(table["id"].astype(str).to_numpy() == wanted)
    if by_id.size:
        return int(by_id[0])
    by_email = np.flatnonzero(table["email"].astype(str).str.strip().str.casefold().to_numpy()
                              == wanted.casefold())
    if by_email.size == 1:
        return int(by_email[0])
    if by_email.size > 1:
        ids = ", ".join(table["id"].iloc[by_email].astype(str))
        raise UsageError(f"{by_email.size} applicants use the email {wanted} (ids {ids}); name one by id.")
    digits = wanted.removeprefix("row").removeprefix("#").strip(" :-")
    if digits.isdigit():
        by_row = np.flatnonzero(table["row"].to_numpy() == int(digits))
        if by_row.size:
            return int(by_row[0])
    raise UsageError(f"No applicant has the id, email or row number '{wanted}'. "
                     "Run 'screener score EXPORT --all' to see the ids.")


def describe_rule(crit: Criterion) -> str:
    """The rule in words, for ``explain``: its kind's ``describe`` in ``rubric.KINDS``."""
    kind = KINDS.get(crit.kind)
    return kind.describe(crit.spec, crit.fields) if kind else crit.kind


def explanation(result: ScoreResult, position: int, *, blind: bool = False
                ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One applicant: header facts and every criterion with the rule, the answer, points, why.

    With ``blind`` the name is left out, and the answers and evidence lose whatever echoes the
    applicant's name, email or phone (as in ``blind_table``)."""
    row = result.table.iloc[position]
    answers = result.answers.iloc[position]
    scale = max_points(result.rubric)
    header = {k: row[k] for k in ("rank", "id", "name", "score", "bucket", "row", "line",
                                 "submitted_at", "late", "duplicate_group", "duplicate_why", "rubric",
                                 "rubric_sha256")}
    header.update({k: row[k] for k in ("test_entry", "test_entry_why") if k in row.index})
    header.update(store_facts(row))
    header["late_why"] = row["late_why"] if "late_why" in row.index else ""
    header["reader"] = needs_reader(pd.Series([row.get("reasons", "")])).iloc[0]
    # Each field read once: criteria name the fields they read ("fields"); the text is in "answers".
    header["answers"] = []
    seen: set[str] = set()
    criteria = []
    for crit in result.rubric.criteria:
        read = [f for f in crit.fields if f in answers.index]
        if isinstance(crit.spec, LevelSpec) and crit.spec.subject_field:
            read.append(crit.spec.subject_field)
        for name in read:
            if name not in seen:
                seen.add(name)
                match = result.mapping.get(name)
                header["answers"].append({"field": name, "column": match.column if match is not None else None,
                                          "text": str(answers.get(name, ""))})
        answer = " / ".join(str(answers[f]) for f in crit.fields if f in answers.index)
        if isinstance(crit.spec, LevelSpec) and crit.spec.subject_field:
            answer += f" / {answers.get(crit.spec.subject_field, '')}"
        criteria.append({
            "fields": read,
            "id": crit.id,
            "label": crit.label,
            "must": crit.must,
            "rule": describe_rule(crit),
            "answer": answer if answer.strip(" /") else "(blank)" if crit.fields else "—",
            "points": float(row[f"{crit.id}.points"]),
            "max": scale[crit.id],
            "status": row[f"{crit.id}.status"],
            "evidence": row[f"{crit.id}.evidence"] + _missing_terms(crit, answers, row[f"{crit.id}.points"],
                                                                    scale[crit.id]),
            "reason": "" if row[f"{crit.id}.status"] == "pass" else _reason(result, position, crit),
            "group": result.rubric.groups.get(crit.group, crit.group),
        })
    groups: dict[str, list[float]] = {}
    for entry in criteria:
        if entry["group"] and entry["max"] > 0:
            got = groups.setdefault(entry["group"], [0.0, 0.0])
            got[0] += entry["points"]
            got[1] += entry["max"]
    header["groups"] = [(name, round(got, 2), round(most, 2)) for name, (got, most) in groups.items()]
    if blind:
        parts = identity_parts(*(str(row.get(c, "")) for c in IDENTITY_COLUMNS))
        header["name"] = ""
        for entry in criteria:
            entry["answer"] = redact(str(entry["answer"]), parts)
            entry["evidence"] = redact(str(entry["evidence"]), parts)
        for item in header["answers"]:
            item["text"] = redact(item["text"], parts)
        header.update({k: redact(str(header[k]), parts) for k in _STORE_NOTES if k in header})
    return header, criteria


# What the project's store adds to an applicant's record (``Store.current_table``): a person's
# adjustment (points, the adjusted score, why, who and when) and the latest decision.
STORE_FIELDS = ("adjustment", "adjusted_score", "adjustment_note", "adjusted_by", "adjusted_at", "decision",
                "decision_note", "decided_at")


_STORE_NOTES = ("adjustment_note", "decision_note")  # typed by a reviewer: --blind redacts them as answers


def store_facts(row: pd.Series) -> dict[str, Any]:
    """The ``STORE_FIELDS`` ``row`` has (none from an export), missing values as "" (and 0 points)."""
    out: dict[str, Any] = {}
    for name in STORE_FIELDS:
        if name in row.index:
            value = row[name]
            blank = value is None or (isinstance(value, float) and value != value)
            if name in ("adjustment", "adjusted_score"):
                out[name] = 0.0 if blank or value == "" else float(value)
            else:
                out[name] = "" if blank else str(value)
    return out


def _missing_terms(crit: Criterion, answers: pd.Series, points: float, most: float) -> str:
    """For a keywords criterion short of full marks: why each term missing was not found."""
    spec = crit.spec
    if not isinstance(spec, KeywordSpec) or points >= most:
        return ""
    text = "\n".join(str(answers[f]) for f in crit.fields if f in answers.index)
    if not text.strip():
        return ""
    notes = why_not(text, [(t.text, t.variants) for t in spec.terms], spec.languages, spec.fuzzy,
                    spec.fuzzy_min_length)
    return f" · not found: {_grouped(notes)}" if notes else ""


_NOT_IN = ": not in the answer"


def _grouped(notes: str) -> str:
    """``why_not``'s "a: not in the answer; b: not in the answer; c: negated ('…')" said once
    for the terms sharing that plain reason: "a, b: not in the answer; c: negated ('…')". A
    reason holding "; " of its own ("61% alike; a typo needs 88%") stays with its term."""
    items = re.split(r"; (?=[^;]*: |…$)", notes)
    plain = [item.removesuffix(_NOT_IN) for item in items if item.endswith(_NOT_IN)]
    if len(plain) < 2:
        return notes
    rest = [item for item in items if not item.endswith(_NOT_IN)]
    return "; ".join([", ".join(plain) + _NOT_IN, *rest])


def _reason(result: ScoreResult, position: int, crit: Criterion) -> str:
    outcome = next(o for o in result.outcomes if o.criterion.id == crit.id)
    return str(outcome.reason[result.order[position]])


def mapping_rows(result_mapping: dict[str, FieldMatch], rubric: Rubric) -> list[dict[str, Any]]:
    used: dict[str, list[str]] = {name: [] for name in rubric.fields}
    for crit in rubric.criteria:
        for name in crit.fields:
            used.setdefault(name, []).append(crit.id)
        if isinstance(crit.spec, LevelSpec) and crit.spec.subject_field:
            used.setdefault(crit.spec.subject_field, []).append(crit.id)
    who = rubric.applicant
    roles = {who.id: "applicant id", who.email: "email", who.phone: "phone",
             who.submitted_at: "submitted at", who.status: "entry status"}
    for name in who.name:
        roles[name] = "name"
    rows = []
    for name, match in result_mapping.items():
        users = used.get(name) or []
        label = ", ".join(users) if users else roles.get(name, "identity" if name in who.other else "—")
        rows.append({"field": name, "column": match.column, "method": match.method, "score": match.score,
                     "candidate": match.candidate, "used_by": label})
    return rows


def comparison(table: pd.DataFrame, rubric: Rubric, positions: list[int], *, blind: bool) -> list[dict[str, Any]]:
    """For each applicant: header facts and, per criterion id, (points, status, evidence)."""
    scale = max_points(rubric)
    out = []
    for pos in positions:
        row = table.iloc[pos]
        cells = {c.id: (float(row[f"{c.id}.points"]), str(row[f"{c.id}.status"]), str(row[f"{c.id}.evidence"]),
                        scale[c.id]) for c in rubric.criteria}
        header = {"rank": int(row["rank"]), "id": str(row["id"]), "score": float(row["score"]),
                  "bucket": str(row["bucket"]), "late": str(row["late"]),
                  "name": "" if blind else str(row.get("name", "")),
                  "duplicate_group": str(row.get("duplicate_group", "") or ""),
                  "test_entry": str(row.get("test_entry", "") or ""), **store_facts(row)}
        if blind:
            who = identity_parts(str(row.get("name", "")), str(row.get("email", "")), str(row.get("phone", "")))
            cells = {k: (p, st, redact(ev, who), m) for k, (p, st, ev, m) in cells.items()}
            header.update({k: redact(str(header[k]), who) for k in _STORE_NOTES if k in header})
        out.append({"header": header, "cells": cells})
    return out


def pseudonym(entry_id: str, secret: str) -> str:
    """A stable pseudonymous id: a keyed hash (HMAC-SHA256) of the real id with the project's
    secret, so it cannot be reversed or guessed without the secret, and stays the same across
    runs. ``screener reveal`` maps it back for someone who holds the secret."""
    import base64
    import hashlib
    import hmac

    digest = hmac.new(secret.encode("utf-8"), str(entry_id).encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest).decode("ascii")[:8]


def pseudonymize(table: pd.DataFrame, secret: str) -> pd.DataFrame:
    """Replace every applicant id in a (blind) table with its pseudonym."""
    out = table.copy()
    ids = {str(i): pseudonym(str(i), secret) for i in out["id"]} if "id" in out else {}
    if "duplicate_group" in table:
        ids.update({str(g): pseudonym(str(g), secret) for g in table["duplicate_group"] if str(g)})
    for col in ("id", "duplicate_group"):
        if col in out:
            out[col] = [ids.get(str(v), str(v)) if str(v) and v == v else "" for v in out[col].tolist()]
    if "left_out_because" in out:
        out["left_out_because"] = [
            re.sub(r"(the newest is )(\S+)", lambda m: m.group(1) + ids.get(m.group(2), m.group(2)), str(v))
            for v in out["left_out_because"].tolist()]
    return out


def reveal(table: pd.DataFrame, wanted: str, secret: str) -> int:
    """The position of the applicant whose pseudonym is ``wanted``."""
    for pos, entry in enumerate(table["id"].astype(str).tolist()):
        if pseudonym(entry, secret) == wanted.strip():
            return pos
    raise UsageError(f"No applicant here has the pseudonym '{wanted}' under this project's secret.")


def with_unreadable(left: pd.DataFrame, report: LoadReport, rubric: Rubric | None = None) -> pd.DataFrame:
    """The left-out table plus the rows the loader could not read, so nobody disappears: each
    named (id, name, email) from the fields that line up when the ``rubric`` says which they are.
    Integer columns the unreadable rows have no value in stay integers (blank there), not 11.0."""
    unread = rejected_table(report, rubric=rubric)
    if not len(unread):
        return left
    unread = unread.rename(columns={"reason": "left_out_because"})
    unread["left_out_because"] = "could not be read: " + unread["left_out_because"]
    whole = [c for c in left.columns if pd.api.types.is_integer_dtype(left[c]) and c not in unread.columns]
    both = pd.concat([left, unread], ignore_index=True)
    for col in whole:
        both[col] = pd.Series([int(v) if v == v else "" for v in both[col].tolist()], index=both.index, dtype=object)
    return both


def find(table: pd.DataFrame, key: str, secret: Callable[[], str]) -> int:
    """An applicant by id, email, row number, or a --blind pseudonym (under ``secret()``)."""
    try:
        return find_in_table(table, key)
    except UsageError:
        if key.strip().startswith("P-"):
            return reveal(table, key, secret())
        raise


def explain(result: ScoreResult, key: str, *, blind: bool, secret: Callable[[], str],
            versions: Mapping[str, Sequence[Version]] | None = None
            ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``explanation`` of the applicant named by ``key``; blind, with pseudonymous ids. ``versions``
    (``core/versions.py``): the earlier versions of entries, listed under the header's "versions"."""
    header, criteria = explanation(result, find(result.table, key, secret), blind=blind)
    header["versions"] = [{"row": v.row, "line": v.line, "updated": v.updated, "changed": list(v.changed)}
                          for v in (versions or {}).get(str(header["id"]), ())]
    if blind:
        header["id"] = pseudonym(str(header["id"]), secret())
        if header.get("duplicate_group"):
            header["duplicate_group"] = pseudonym(str(header["duplicate_group"]), secret())
        # Nothing that points at a row of the export (as ``blind_table``): no row, line or time.
        header.update(row=None, line=None, submitted_at="")
        for version in header["versions"]:
            version.update(row=None, line=None, updated="")
    return header, criteria


def compare(table: pd.DataFrame, rubric: Rubric, keys: list[str], *, blind: bool, secret: Callable[[], str]
            ) -> list[dict[str, Any]]:
    """``comparison`` of 2 to 5 applicants named by id, email, row number or pseudonym."""
    if not 2 <= len(keys) <= 5:
        raise UsageError(f"Compare 2 to 5 applicants; {len(keys)} given.")
    columns = comparison(table, rubric, [find(table, key, secret) for key in keys], blind=blind)
    if blind:
        for col in columns:
            col["header"]["id"] = pseudonym(col["header"]["id"], secret())
            if col["header"]["duplicate_group"]:
                col["header"]["duplicate_group"] = pseudonym(col["header"]["duplicate_group"], secret())
    return columns


def id_order(value: Any) -> tuple[int, int, str]:
    """A sort key for ids: whole numbers by value first (26 before 135 before 1011), then the
    rest as text."""
    text = str(value).strip()
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def duplicate_rows(table: pd.DataFrame, secret: str | None = None) -> list[dict[str, Any]]:
    """Every application grouped as the same person as another, group by group, with why;
    with ``secret`` (--blind), ids pseudonymous and no name or email."""
    if not len(table):
        return []
    show: Callable[[Any], str] = (lambda v: pseudonym(str(v), secret)) if secret is not None else str
    grouped = table[table["duplicate_group"].astype(str) != ""]
    grouped = grouped.sort_values(["submitted_at", "id"], kind="stable", key=lambda c: c.map(id_order))
    # Groups in the order of their ids as shown: numbers as numbers (26, 135, 1011), then the rest.
    groups = {str(g): members for g, members in grouped.groupby(grouped["duplicate_group"].astype(str), sort=False)}
    rows = []
    for group in sorted(groups, key=lambda g: id_order(show(g))):
        members = groups[group]
        # One primary per group: the member whose id is the group's (the first, should an id repeat).
        primary = next((i for i, v in enumerate(members["id"].astype(str)) if v == str(group)), None)
        for i, (_, member) in enumerate(members.iterrows()):
            rows.append({"group": show(group), "id": show(member["id"]), "primary": i == primary,
                         "name": "" if secret is not None else member["name"],
                         "email": "" if secret is not None else member["email"],
                         "submitted_at": member["submitted_at"], "score": float(member["score"]),
                         "why": member["duplicate_why"]})
    return rows


def rubric_summary(rubric: Rubric) -> tuple[list[tuple[str, str]], list[tuple[str, ...]]]:
    """Facts about a valid rubric and a row per criterion, for ``screener rubric validate``."""
    scale = max_points(rubric)
    facts = [
        ("rubric", f"{rubric.name} — {rubric.title}"),
        ("file", rubric.path),
        ("sha256", rubric.sha256),
        ("criteria", f"{len(rubric.criteria)} ({sum(c.must for c in rubric.criteria)} must-haves)"),
        ("deadline", rubric.deadline.describe() if rubric.deadline else "none"),
    ]
    rows: list[tuple[str, ...]] = [(c.id, c.kind, c.group or "—", f"{scale[c.id]:.1f}", "yes" if c.must else "",
                                    c.label) for c in rubric.criteria]
    return facts, rows


def reason_counts(left: pd.DataFrame) -> str:
    """'565 failed a must-have, 553 ranked below the top 10, …' — details after ':' folded together."""
    counts = left["left_out_because"].astype(str).str.replace(r":.*", "", regex=True).value_counts()
    return ", ".join(f"{n} {reason}" for reason, n in counts.items())
