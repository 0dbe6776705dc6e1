"""The rubric: its model, and ``load_rubric(path)`` which validates a YAML file into it.

Every problem in a rubric is reported at once, each as ``file:line: sentence``, in words a
hiring manager can act on. The README's "Rubric format" section documents every key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from screener.core.errors import RubricError
from screener.core.words import LANGUAGES, short_keyword
from screener.core.yamlnodes import MAX_BYTES, Node, YamlProblem, read_yaml

MATCH_MODES = ("any", "all", "count")
DEFAULT_FUZZY = 88
DEFAULT_FUZZY_MIN_LENGTH = 5

# The built-in ladder for 'kind: level' without 'levels:'; normalize.DEGREE_LEVELS holds the
# ways of writing each (BSc, Master's, 博士 ...).
DEGREE_NAMES = ("none", "high school", "associate", "bachelor", "master", "phd")

# Words that name a protected attribute (or a direct stand-in for one). A criterion may not
# read a field whose logical name or export column contains one of them.
PROTECTED_WORDS = (
    "gender", "sex", "age", "birth", "dob", "nationality", "citizenship", "race", "ethnic",
    "religion", "religious", "marital", "married", "pregnan", "disabilit", "photo", "picture",
    "headshot", "name", "address", "zip", "postal", "veteran", "pronoun", "graduation", "family",
    "children", "pregnancy",
)

# Words that are not protected attributes but stand in for one; a criterion looking for them is
# allowed with a warning that names the posting line it came from.
PROXY_WORDS = {
    "native speaker": "national origin", "native english": "national origin", "mother tongue": "national origin",
    "young": "age", "youthful": "age", "recent graduate": "age", "recent grad": "age", "graduation year": "age",
    "digital native": "age", "energetic": "age", "overqualified": "age", "years young": "age",
    "culture fit": "background (vague 'fit' criteria)", "cultural fit": "background (vague 'fit' criteria)",
    "clean-shaven": "religion", "church": "religion", "married": "marital status", "maternity": "sex",
    "citizen": "national origin",
}


@dataclass(frozen=True)
class Term:
    """A keyword or phrase and the other ways of writing it; one hit per term, whichever."""

    text: str
    synonyms: tuple[str, ...] = ()
    fuzzy: int | None = None

    @property
    def variants(self) -> tuple[str, ...]:
        return (self.text, *self.synonyms)


@dataclass(frozen=True)
class Criterion:
    """One scored line of the rubric. Kind-specific settings live in ``spec``; ``kind`` names
    its entry in ``KINDS``."""

    id: str
    label: str
    posting: str
    kind: str
    weight: float
    must: bool
    group: str
    fields: tuple[str, ...]
    spec: Spec
    line: int = 0


@dataclass(frozen=True)
class Spec:
    """The settings of one kind of criterion: each kind in ``KINDS`` has its own subclass."""


@dataclass(frozen=True)
class KeywordSpec(Spec):
    terms: tuple[Term, ...]
    match: str = "any"
    cap: int = 0
    min_count: int = 1
    fuzzy: int = DEFAULT_FUZZY
    fuzzy_min_length: int = DEFAULT_FUZZY_MIN_LENGTH
    count_negated: bool = False  # "negated: count": a negated mention still earns the term
    languages: tuple[str, ...] = ()  # the rubric's 'language:' (set by load_rubric)


@dataclass(frozen=True)
class NumberSpec(Spec):
    unit: str = "years"
    min: float | None = None
    scale: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class LevelSpec(Spec):
    levels: tuple[tuple[str, tuple[str, ...]], ...]
    min: str | None = None
    scale: tuple[tuple[str, float], ...] = ()
    subject_field: str | None = None
    subject: KeywordSpec | None = None


@dataclass(frozen=True)
class ChoiceOption:
    name: str
    points: float
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class ChoiceSpec(Spec):
    options: tuple[ChoiceOption, ...]
    combine: str = "best"


@dataclass(frozen=True)
class YesNoSpec(Spec):
    expect: bool = True


@dataclass(frozen=True)
class QualitySpec(Spec):
    min_words: int = 30
    good_words: int = 120
    max_copies: int = 2
    languages: tuple[str, ...] = ()  # the rubric's 'language:' (set by load_rubric)


@dataclass(frozen=True)
class AnyOfSpec(Spec):
    of: tuple[str, ...]


@dataclass(frozen=True)
class Applicant:
    """Which logical fields identify a person: shown in outputs, hidden by --blind, never scored."""

    id: str | None = None
    name: tuple[str, ...] = ()
    email: str | None = None
    phone: str | None = None
    submitted_at: str | None = None
    status: str | None = None
    other: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # free text compared to spot the same person applying twice
    internal_domains: tuple[str, ...] = ()  # the posting company's own e-mail domains: test entries

    @property
    def identity_fields(self) -> tuple[str, ...]:
        found = [self.id, *self.name, self.email, self.phone, *self.other]
        return tuple(f for f in found if f)


@dataclass(frozen=True)
class Deadline:
    at: datetime  # aware, in ``timezone``
    timezone: str
    export_timezone: str  # 'export_timezone', else 'timezone'
    # The export writes slash dates as D/M/YYYY (True) or M/D/YYYY (False); None when the rubric
    # does not say, and each date column's own values decide (providers.date_order).
    day_first: bool | None = None
    export_timezone_stated: bool = False  # 'export_timezone' is written in the rubric

    def describe(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M ") + self.timezone


@dataclass(frozen=True)
class ZoneOverride:
    """The zone of times written without one, given for a run outside the rubric
    (``--export-timezone``); ``core/providers.py`` says when it applies."""

    zone: str  # an IANA name, checked by whoever made it
    source: str  # where it was given, as the person wrote it: "--export-timezone"


@dataclass(frozen=True)
class Rubric:
    name: str
    title: str
    path: str
    sha256: str
    fields: dict[str, tuple[str, ...]]
    applicant: Applicant
    criteria: tuple[Criterion, ...]
    groups: dict[str, str] = field(default_factory=dict)
    deadline: Deadline | None = None
    warnings: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # 'language:': stemming, compounds, negation cues, reader flags
    advice: tuple[str, ...] = ()  # notes for the rubric's author, shown by 'rubric validate'
    zone_override: ZoneOverride | None = None  # not from the file: see ``ZoneOverride``

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    def reads(self, field_name: str) -> bool:
        """Whether a criterion reads the logical field ``field_name``."""
        return any(field_name in crit.fields or field_name == getattr(crit.spec, "subject_field", None)
                   for crit in self.criteria)

    def fields_read(self, crit: Criterion) -> tuple[str, ...]:
        """The logical fields ``crit`` reads: its own, or for ``any_of`` those of its parts."""
        if isinstance(crit.spec, AnyOfSpec):
            parts = [c for c in self.criteria if c.id in crit.spec.of and c.id != crit.id]
            return tuple(dict.fromkeys(f for c in parts for f in self.fields_read(c)))
        return crit.fields

    def unreadable_musts(self, found: Callable[[str], bool]) -> list[tuple[Criterion, tuple[str, ...]]]:
        """The must-have criteria that read a field ``found`` has no column for, with those
        fields: applicants are 'unknown' on them wherever that field would have decided."""
        musts = [(c, [f for f in self.fields_read(c) if not found(f)]) for c in self.criteria if c.must]
        return [(c, tuple(missing)) for c, missing in musts if missing]

    def criterion(self, criterion_id: str) -> Criterion:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        raise KeyError(criterion_id)

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)


# --------------------------------------------------------------------------------------------
# Validation: a small schema walker over line-aware nodes.


class _Checker:
    """Collects problems as ``(line, sentence)`` while reading nodes."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self.advice: list[tuple[int, str]] = []  # shown by 'rubric validate' only

    def bad(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else node.line
        self.problems.append((line, message))

    def mapping(self, node: Node, where: str, allowed: Sequence[str]) -> dict[str, Node]:
        if node.kind != "map":
            self.bad(node, f"{where} should be a set of 'key: value' lines")
            return {}
        result: dict[str, Node] = {}
        for key, (line, value) in node.entries.items():
            if key not in allowed:
                hint = _closest(key, allowed)
                more = f"; did you mean '{hint}'?" if hint else f"; allowed: {', '.join(allowed)}"
                self.bad(line, f"{where} has an unknown setting '{key}'{more}")
                continue
            result[key] = value
        return result

    def text(self, node: Node | None, where: str, *, required: bool = False) -> str | None:
        if node is None:
            if required:
                self.bad(0, f"{where} is missing")
            return None
        if node.kind == "map":
            self.bad(node, f"{where} should be a piece of text; a header with ': ' in it must be quoted "
                           f"(\"Question: why?\")")
            return None
        if node.kind != "scalar" or node.text.strip() == "":
            self.bad(node, f"{where} should be a piece of text")
            return None
        return node.text.strip()

    def texts(self, node: Node | None, where: str) -> tuple[str, ...]:
        """A text or a list of texts."""
        if node is None:
            return ()
        if node.kind == "scalar":
            value = self.text(node, where)
            return (value,) if value else ()
        if node.kind == "list":
            out = []
            for item in node.items:
                value = self.text(item, f"each entry of {where}")
                if value:
                    out.append(value)
            return tuple(out)
        self.bad(node, f"{where} should be a text or a list of texts")
        return ()

    def number(
        self, node: Node | None, where: str, *, low: float | None = None, high: float | None = None
    ) -> float | None:
        if node is None:
            return None
        if node.kind == "scalar":
            try:
                value = float(node.text.replace("_", ""))
            except ValueError:
                value = math.nan
            if math.isfinite(value):
                if (low is not None and value < low) or (high is not None and value > high):
                    span = f"between {_fmt(low)} and {_fmt(high)}" if high is not None else (
                        f"at least {_fmt(low)}")
                    self.bad(node, f"{where} should be {span}, but it is {node.text}")
                    return None
                return value
        shown = node.text if node.kind == "scalar" else f"a {node.kind}"
        self.bad(node, f"{where} should be a number like 3 or 2.5, but it is '{shown}'")
        return None

    def boolean(self, node: Node | None, where: str, default: bool) -> bool:
        if node is None:
            return default
        value = node.text.strip().lower() if node.kind == "scalar" else ""
        if value in ("true", "yes"):
            return True
        if value in ("false", "no"):
            return False
        shown = f"'{node.text}'" if node.kind == "scalar" else f"a {node.kind}"
        self.bad(node, f"{where} should be true or false, but it is {shown}; write true or false")
        return default

    def choice(self, node: Node | None, where: str, options: Sequence[str], default: str) -> str:
        if node is None:
            return default
        value = node.text.strip().lower() if node.kind == "scalar" else ""
        if value in options:
            return value
        self.bad(node, f"{where} should be one of {', '.join(options)}")
        return default


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _closest(word: str, options: Sequence[str]) -> str | None:
    from difflib import get_close_matches

    found = get_close_matches(word, list(options), n=1, cutoff=0.7)
    return found[0] if found else None


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_TOP_KEYS = ("rubric", "title", "posting", "language", "fields", "applicant", "deadline", "groups", "criteria")
# The settings every criterion takes; each kind adds its own (``Kind.keys``, ``_CRIT_KEYS``).
_COMMON_KEYS = ("id", "label", "posting", "kind", "weight", "must", "group", "field", "fields")


@dataclass(frozen=True)
class _SpecInput:
    """What a kind's builder reads: the criterion's settings, and where to report problems."""

    nodes: dict[str, Node]  # the criterion's settings by key
    check: _Checker
    who: str  # "criterion 'pm_years'", to start each problem with
    item: Node  # the whole criterion, for problems about a missing setting
    fields: dict[str, tuple[str, ...]]  # the rubric's 'fields'
    must: bool


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric file; raise ``RubricError`` listing every problem."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise RubricError(f"The rubric {shown} does not exist.")
    if path.is_dir():
        raise RubricError(f"The rubric {shown} is a folder; give the path of a .yaml file.")
    _check_file(path, shown)
    try:
        root, yaml_problems = read_yaml(path)
    except YamlProblem as err:
        where = f"{shown}:{err.line}" if err.line else shown
        raise RubricError(f"The rubric {shown} cannot be read.", [f"{where}: {err.message}"]) from None
    except OSError as err:
        raise RubricError(f"The rubric {shown} cannot be read: {err.strerror}.") from None
    check = _Checker()
    check.problems.extend(yaml_problems)
    rubric = None
    if root is None:
        check.bad(1, "the rubric is empty")
    else:
        rubric = _build(root, check, shown)
    if check.problems:
        lines = [f"{shown}:{line}: {msg}" for line, msg in sorted(check.problems, key=lambda p: p[0])]
        count = len(lines)
        noun = "problem" if count == 1 else "problems"
        raise RubricError(f"The rubric {shown} has {count} {noun}.", lines)
    assert rubric is not None
    warnings = tuple(f"{shown}:{line}: {msg}" for line, msg in check.warnings)
    advice = tuple(f"{shown}:{line}: {msg}" for line, msg in check.advice)
    return Rubric(**{**rubric.__dict__, "warnings": warnings, "advice": advice})


def _check_file(path: Path, shown: str) -> None:
    """Refuse, before reading it, a rubric that is not a regular file (a named pipe may wait for a
    writer forever, /dev/zero never ends) or is larger than the cap."""
    import stat

    try:
        info = path.stat()
    except OSError as err:
        raise RubricError(f"The rubric {shown} cannot be read: {err.strerror}.") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device" if (
            stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)) else "not a regular file"
        raise RubricError(f"The rubric {shown} is {kind}; save the rubric to a .yaml file and give its path.")
    if info.st_size > MAX_BYTES:
        raise RubricError(f"The rubric {shown} cannot be read.",
                          [f"{shown}: the file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,}"])


def _build(root: Node, check: _Checker, shown: str) -> Rubric | None:
    top = check.mapping(root, "The rubric", _TOP_KEYS)
    name = check.text(top.get("rubric"), "'rubric' (the rubric's short name)")
    if "rubric" not in top:
        check.bad(root, "the rubric needs a short name, e.g. 'rubric: technical-project-manager'")
    title = check.text(top.get("title"), "'title'") or name or ""
    fields = _fields(top.get("fields"), check)
    if "fields" not in top:
        check.bad(root, "the rubric needs a 'fields' section mapping names to export columns")
    applicant = _applicant(top.get("applicant"), check, fields)
    groups = {}
    if "groups" in top:
        for key, (_line, node) in _entries(top["groups"], check, "'groups'"):
            groups[key] = check.text(node, f"the label of group '{key}'") or key
    deadline = _deadline(top.get("deadline"), check)
    languages = _languages(top.get("language"), check)
    criteria = [_with_languages(c, languages) for c in _criteria(top.get("criteria"), check, fields, applicant, groups)]
    if "criteria" not in top:
        check.bad(root, "the rubric needs a 'criteria' list")
    canonical = json.dumps(root.plain(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    if criteria and not any(c.weight > 0 for c in criteria):
        check.bad(top["criteria"], "no criterion has a weight above 0, so nobody could score points")
    return Rubric(
        name=name or "",
        title=title,
        path=shown,
        sha256=digest,
        fields=fields,
        applicant=applicant,
        criteria=tuple(criteria),
        groups=groups,
        deadline=deadline,
        languages=languages,
    )


def _languages(node: Node | None, check: _Checker) -> tuple[str, ...]:
    """'language: en' or 'language: [de, en]': the languages the answers are expected in."""
    if node is None:
        return ()
    codes = check.texts(node, "'language'")
    known = []
    for code in codes:
        lowered = code.strip().lower()
        if lowered in LANGUAGES:
            known.append(lowered)
        else:
            names = ", ".join(LANGUAGES)
            check.bad(node, f"'language' has '{code}', which screener does not know; use codes such as {names}")
    return tuple(dict.fromkeys(known))


def _with_languages(crit: Criterion, languages: tuple[str, ...]) -> Criterion:
    """The criterion with the rubric's languages in the settings of the kinds that read text."""
    spec = crit.spec
    if isinstance(spec, (KeywordSpec, QualitySpec)):
        spec = dataclasses.replace(spec, languages=languages)
    elif isinstance(spec, LevelSpec) and spec.subject is not None:
        spec = dataclasses.replace(spec, subject=dataclasses.replace(spec.subject, languages=languages))
    else:
        return crit
    return dataclasses.replace(crit, spec=spec)


def _entries(node: Node, check: _Checker, where: str) -> list[tuple[str, tuple[int, Node]]]:
    if node.kind != "map":
        check.bad(node, f"{where} should be a set of 'key: value' lines")
        return []
    return list(node.entries.items())


def _fields(node: Node | None, check: _Checker) -> dict[str, tuple[str, ...]]:
    fields: dict[str, tuple[str, ...]] = {}
    if node is None:
        return fields
    for key, (line, value) in _entries(node, check, "'fields'"):
        if not _ID_RE.match(key):
            check.bad(line, f"the field name '{key}' should be lower-case letters, digits and _")
            continue
        columns = check.texts(value, f"the columns of field '{key}'")
        if not columns:
            check.bad(line, f"field '{key}' names no export column")
        fields[key] = columns
    return fields


def _field_ref(
    node: Node | None, check: _Checker, fields: dict[str, tuple[str, ...]], where: str
) -> str | None:
    value = check.text(node, where)
    if value is None or node is None:
        return None
    if value not in fields:
        hint = _closest(value, list(fields))
        more = f" Did you mean '{hint}'?" if hint else " Add it under 'fields:'."
        check.bad(node, f"{where} names the field '{value}', which is not in 'fields'.{more}")
        return None
    return value


def _applicant(
    node: Node | None, check: _Checker, fields: dict[str, tuple[str, ...]]
) -> Applicant:
    if node is None:
        return Applicant()
    keys = ("id", "name", "email", "phone", "submitted_at", "status", "other", "answers", "internal_domains")
    spec = check.mapping(node, "'applicant'", keys)

    def one(key: str) -> str | None:
        return _field_ref(spec.get(key), check, fields, f"applicant '{key}'")

    def many(key: str) -> tuple[str, ...]:
        item = spec.get(key)
        if item is None:
            return ()
        names = check.texts(item, f"applicant '{key}'")
        for bad in (n for n in names if n not in fields):
            check.bad(item, f"applicant '{key}' names the field '{bad}', which is not in 'fields'")
        return tuple(n for n in names if n in fields)

    ident, email, phone = one("id"), one("email"), one("phone")
    contact = re.compile(r"e-?mail|phone|mobile|telefon|\btel\b", re.I)
    if ident is not None and (ident in (email, phone) or any(contact.search(c) for c in fields.get(ident, ()))):
        node_id = spec.get("id")
        check.advice.append((node_id.line if node_id is not None else 0, f"applicant 'id' is the field '{ident}', "
                             "which reads a contact column (e-mail or phone): outputs and --blind show the id, so "
                             "map 'id' to the form's entry number; the audit log stores a keyed hash of such ids"))
    return Applicant(
        id=ident, name=many("name"), email=email, phone=phone,
        submitted_at=one("submitted_at"), status=one("status"), other=many("other"),
        answers=many("answers"), internal_domains=_domains(spec.get("internal_domains"), check),
    )


_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")


def _domains(node: Node | None, check: _Checker) -> tuple[str, ...]:
    """applicant 'internal_domains': the company's own e-mail domains (``example.com``; an
    ``@`` before it is allowed), lower-cased; an entry from one of them is a test entry."""
    if node is None:
        return ()
    out = []
    for name in check.texts(node, "applicant 'internal_domains'"):
        domain = name.strip().lstrip("@").casefold()
        if _DOMAIN.fullmatch(domain):
            out.append(domain)
        else:
            check.bad(node, f"applicant 'internal_domains' holds '{name}', which is not an e-mail domain; "
                      "write domains such as example.com")
    return tuple(dict.fromkeys(out))


def _deadline(node: Node | None, check: _Checker) -> Deadline | None:
    if node is None:
        return None
    spec = check.mapping(node, "'deadline'", ("at", "timezone", "export_timezone", "day_first"))
    day_first = check.boolean(spec["day_first"], "deadline 'day_first'", False) if "day_first" in spec else None
    at_text = check.text(spec.get("at"), "deadline 'at'")
    if "at" not in spec:
        check.bad(node, "the deadline needs 'at', e.g. at: \"2020-06-26 23:59\"")
    tz_name = check.text(spec.get("timezone"), "deadline 'timezone'")
    if "timezone" not in spec:
        check.bad(node, "the deadline needs a 'timezone', e.g. timezone: America/New_York")
    export_tz = check.text(spec.get("export_timezone"), "deadline 'export_timezone'") or tz_name
    zones = {}
    for key, name in (("timezone", tz_name), ("export_timezone", export_tz)):
        if name is None or (key == "export_timezone" and "export_timezone" not in spec):
            continue
        try:
            zones[key] = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            where = spec.get(key) or node
            check.bad(where, f"'{name}' is not a time zone name; use one like America/New_York")
    if at_text is None:
        return None
    parsed = None
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(at_text, pattern)
            break
        except ValueError:
            continue
    if parsed is None:
        check.bad(spec["at"], f"deadline 'at' should look like \"2020-06-26 23:59\", not '{at_text}'")
        return None
    if len(at_text) == 10:  # a bare date means the whole day counts
        parsed = parsed.replace(hour=23, minute=59)
    if "timezone" not in zones:
        return None
    return Deadline(
        at=parsed.replace(tzinfo=zones["timezone"]),
        timezone=tz_name or "",
        export_timezone=export_tz or tz_name or "",
        day_first=day_first,
        export_timezone_stated="export_timezone" in spec,
    )


def _criteria(
    node: Node | None,
    check: _Checker,
    fields: dict[str, tuple[str, ...]],
    applicant: Applicant,
    groups: dict[str, str],
) -> list[Criterion]:
    if node is None:
        return []
    if node.kind != "list" or not node.items:
        check.bad(node, "'criteria' should be a list of criteria, each starting with '- id: ...'")
        return []
    result: list[Criterion] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(node.items, start=1):
        crit = _criterion(item, index, check, fields, applicant, groups)
        if crit is None:
            continue
        if crit.id in seen:
            check.bad(item, f"the criterion id '{crit.id}' is used twice (first on line {seen[crit.id]})")
            continue
        seen[crit.id] = item.line
        result.append(crit)
    _check_any_of(result, check)
    _warn_proxies(result, check)
    return result


def _warn_proxies(criteria: list[Criterion], check: _Checker) -> None:
    for crit in criteria:
        words: list[str] = [crit.label]
        spec = crit.spec
        for terms in (getattr(spec, "terms", ()), getattr(getattr(spec, "subject", None), "terms", ()) or ()):
            for term in terms:
                words.extend(term.variants)
        if isinstance(spec, ChoiceSpec):
            for option in spec.options:
                words.extend((option.name, *option.synonyms))
        text = " ".join(words).casefold()
        for proxy, stands_for in PROXY_WORDS.items():
            if re.search(rf"(?<![a-z]){re.escape(proxy)}(?![a-z])", text):
                source = f" (posting: \"{crit.posting}\")" if crit.posting else ""
                check.warnings.append((crit.line, f"criterion '{crit.id}' looks for '{proxy}', a likely proxy "
                                       f"for {stands_for}; check it is a real job requirement{source}"))


def _check_any_of(criteria: list[Criterion], check: _Checker) -> None:
    by_id = {c.id: c for c in criteria}
    for crit in criteria:
        if not isinstance(crit.spec, AnyOfSpec):
            continue
        for ref in crit.spec.of:
            if ref not in by_id:
                check.bad(crit.line, f"criterion '{crit.id}' lists '{ref}' in 'of', but no criterion has that id")
            elif isinstance(by_id[ref].spec, AnyOfSpec):
                check.bad(crit.line, f"criterion '{crit.id}' lists '{ref}', which is itself an any_of; "
                          "list its parts instead")
            elif ref == crit.id:
                check.bad(crit.line, f"criterion '{crit.id}' lists itself in 'of'")


def _criterion(
    item: Node,
    index: int,
    check: _Checker,
    fields: dict[str, tuple[str, ...]],
    applicant: Applicant,
    groups: dict[str, str],
) -> Criterion | None:
    before = len(check.problems)
    id_entry = item.entries.get("id") if item.kind == "map" else None
    early_id = id_entry[1].text.strip() if id_entry and id_entry[1].kind == "scalar" else ""
    spec_nodes = check.mapping(item, f"criterion '{early_id or index}'", _CRIT_KEYS)
    crit_id = check.text(spec_nodes.get("id"), f"criterion #{index} 'id'")
    if "id" not in spec_nodes:
        check.bad(item, f"criterion #{index} needs an 'id' (a short name like pm_years)")
    elif crit_id and not _ID_RE.match(crit_id):
        check.bad(spec_nodes["id"], f"the id '{crit_id}' should be lower-case letters, digits and _")
    who = f"criterion '{crit_id or index}'"
    kind = check.choice(spec_nodes.get("kind"), f"{who} 'kind'", tuple(KINDS), "")
    if "kind" not in spec_nodes:
        check.bad(item, f"{who} needs a 'kind': one of {', '.join(KINDS)}")
    for key, node in spec_nodes.items():
        if kind and key not in _COMMON_KEYS and key not in KINDS[kind].keys:
            check.bad(node, f"{who} is a '{kind}' criterion, which has no setting '{key}'")
    label = check.text(spec_nodes.get("label"), f"{who} 'label'") or crit_id or ""
    if "label" not in spec_nodes:
        check.bad(item, f"{who} needs a 'label' saying what it checks")
    posting = check.text(spec_nodes.get("posting"), f"{who} 'posting'") or ""
    weight = check.number(spec_nodes.get("weight"), f"{who} 'weight'", low=0, high=1000)
    must = check.boolean(spec_nodes.get("must"), f"{who} 'must'", False)
    group = check.text(spec_nodes.get("group"), f"{who} 'group'") or ""
    if group and groups and group not in groups:
        check.bad(spec_nodes["group"], f"{who} is in group '{group}', which 'groups' does not list")

    crit_fields = _criterion_fields(spec_nodes, kind, who, item, fields, check)
    field_node = spec_nodes.get("field") or spec_nodes.get("fields") or item
    _check_protected(who, field_node, crit_fields, fields, applicant, check)

    spec = KINDS[kind].build(_SpecInput(spec_nodes, check, who, item, fields, must)) if kind else None
    if weight is None and "weight" not in spec_nodes:
        weight = 0.0 if must else None
        if weight is None:
            check.bad(item, f"{who} needs a 'weight' (its points before the total is scaled to 100)")
    if len(check.problems) > before or spec is None or crit_id is None:
        return None
    return Criterion(
        id=crit_id, label=label, posting=posting, kind=kind, weight=weight or 0.0, must=must,
        group=group, fields=crit_fields, spec=spec, line=item.line,
    )


def _criterion_fields(spec_nodes: dict[str, Node], kind: str, who: str, item: Node,
                      fields: dict[str, tuple[str, ...]], check: _Checker) -> tuple[str, ...]:
    """The logical fields a criterion reads ('field' then 'fields'), each checked against 'fields'."""
    crit_fields: tuple[str, ...] = ()
    for key in ("field", "fields"):
        if key in spec_nodes:
            names = check.texts(spec_nodes[key], f"{who} '{key}'")
            for name in names:
                if name not in fields:
                    hint = _closest(name, list(fields))
                    more = f" Did you mean '{hint}'?" if hint else " Add it under 'fields:'."
                    check.bad(spec_nodes[key], f"{who} reads the field '{name}', which is not in 'fields'.{more}")
            crit_fields += names
    if kind and kind != "any_of" and not crit_fields:
        check.bad(item, f"{who} needs 'field:' (or 'fields:') naming what it reads")
    if kind == "any_of" and crit_fields:
        check.bad(item, f"{who} is an any_of; it reads its parts, not a field")
    return crit_fields


def _check_protected(
    who: str,
    item: Node,
    crit_fields: tuple[str, ...],
    fields: dict[str, tuple[str, ...]],
    applicant: Applicant,
    check: _Checker,
) -> None:
    identity = set(applicant.identity_fields)
    for name in crit_fields:
        if name in identity:
            check.bad(item, f"{who} reads '{name}', which identifies the applicant; "
                      "scoring never reads identity (name, email, phone...)")
            continue
        words = " ".join((name, *fields.get(name, ()))).lower()
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)
        for bad in PROTECTED_WORDS:
            if re.search(rf"(?<![a-z]){bad}", words):
                check.bad(item, f"{who} reads '{name}', which looks like a protected attribute "
                          f"('{bad}'); scoring must not use it")
                break


def _terms(node: Node | None, check: _Checker, where: str) -> tuple[Term, ...]:
    if node is None:
        return ()
    if node.kind != "list":
        check.bad(node, f"{where} should be a list")
        return ()
    terms = []
    for item in node.items:
        if item.kind == "scalar":
            text = check.text(item, f"each of {where}")
            if text:
                terms.append(Term(text))
            continue
        spec = check.mapping(item, f"a term in {where}", ("term", "synonyms", "fuzzy"))
        text = check.text(spec.get("term"), f"a term in {where}")
        if "term" not in spec:
            check.bad(item, f"a term in {where} needs 'term:'")
        synonyms = check.texts(spec.get("synonyms"), f"the synonyms of '{text}'")
        fuzzy = check.number(spec.get("fuzzy"), f"the fuzzy threshold of '{text}'", low=50, high=100)
        if text:
            terms.append(Term(text, synonyms, None if fuzzy is None else int(fuzzy)))
    for term in terms:
        for variant in term.variants:
            if not re.search(r"\w", variant):
                check.bad(node, f"{where} has '{variant}', which has no letters or digits to match")
    return tuple(terms)


def _keyword_spec(given: _SpecInput) -> KeywordSpec:
    spec, check, who, item = given.nodes, given.check, given.who, given.item
    terms = _terms(spec.get("terms"), check, f"{who} 'terms'")
    if not terms:
        check.bad(item, f"{who} needs 'terms': the keywords or phrases to look for")
    match = check.choice(spec.get("match"), f"{who} 'match'", MATCH_MODES, "any")
    cap_value = check.number(spec.get("cap"), f"{who} 'cap'", low=1)
    cap = int(cap_value) if cap_value else 0
    if match == "count" and not cap:
        cap = len(terms)
    if cap and terms and cap > len(terms):
        check.bad(spec["cap"], f"{who} 'cap' is {cap} but there are only {len(terms)} terms")
    min_count = check.number(spec.get("min_count"), f"{who} 'min_count'", low=1)
    fuzzy = check.number(spec.get("fuzzy"), f"{who} 'fuzzy'", low=50, high=100)
    min_len = check.number(spec.get("fuzzy_min_length"), f"{who} 'fuzzy_min_length'", low=1)
    negated = check.choice(spec.get("negated"), f"{who} 'negated'", ("ignore", "count"), "ignore")
    _warn_short(spec.get("terms"), terms, check, who)
    return KeywordSpec(
        terms=terms,
        match=match,
        cap=cap,
        min_count=int(min_count) if min_count else 1,
        fuzzy=int(fuzzy) if fuzzy is not None else DEFAULT_FUZZY,
        fuzzy_min_length=int(min_len) if min_len else DEFAULT_FUZZY_MIN_LENGTH,
        count_negated=negated == "count",
    )


def _warn_short(node: Node | None, terms: tuple[Term, ...], check: _Checker, who: str) -> None:
    """Keywords of one or two letters match only as written: say so, so that nobody is surprised
    that 'pm' misses "PM" or that "5 PM" is not a project manager."""
    for term in terms:
        for variant in term.variants:
            if short_keyword(variant):
                line = node.line if node is not None else 0
                check.advice.append((line, f"{who} has the keyword '{variant}' of {len(variant.strip())} "
                                 f"letter(s): it matches only as written ('{variant.strip()}', case and "
                                 f"all) and never right after a number; add longer synonyms to catch more"))


def _scale_points(
    node: Node | None, check: _Checker, where: str
) -> list[tuple[str, float, Node]]:
    """A scale is a map of (number or level) -> fraction of the weight, 0 to 1."""
    if node is None:
        return []
    out = []
    for key, (_line, value) in _entries(node, check, where):
        fraction = check.number(value, f"{where} value for {key}", low=0, high=1)
        if fraction is not None:
            out.append((key, fraction, value))
    return out


def _number_spec(given: _SpecInput) -> NumberSpec:
    spec, check, who, must, item = given.nodes, given.check, given.who, given.must, given.item
    unit = check.choice(spec.get("unit"), f"{who} 'unit'", ("years", "number"), "years")
    minimum = check.number(spec.get("min"), f"{who} 'min'", low=0)
    points = []
    for key, fraction, node in _scale_points(spec.get("scale"), check, f"{who} 'scale'"):
        try:
            points.append((float(key), fraction))
        except ValueError:
            check.bad(node, f"{who} 'scale' has '{key}', which is not a number")
    points.sort()
    if must and minimum is None:
        check.bad(item, f"{who} is a must-have, so it needs 'min' (the least acceptable number)")
    if minimum is None and not points:
        check.bad(item, f"{who} needs 'min' or a 'scale' to turn the number into points")
    return NumberSpec(unit=unit, min=minimum, scale=tuple(points))


def _level_spec(given: _SpecInput) -> LevelSpec:
    spec, check, who, fields, must = given.nodes, given.check, given.who, given.fields, given.must
    levels: list[tuple[str, tuple[str, ...]]] = []
    if "levels" in spec:
        for key, (_line, value) in _entries(spec["levels"], check, f"{who} 'levels'"):
            levels.append((key.lower(), tuple(s.lower() for s in check.texts(value, f"level '{key}'"))))
    names = [name for name, _ in levels] or list(DEGREE_NAMES)
    minimum = check.text(spec.get("min"), f"{who} 'min'")
    if minimum is not None:
        minimum = minimum.lower()
        if minimum not in names:
            check.bad(spec["min"], f"{who} 'min' is '{minimum}', which is not one of the levels: {', '.join(names)}")
    scale = []
    for key, fraction, node in _scale_points(spec.get("scale"), check, f"{who} 'scale'"):
        if key.lower() not in names:
            check.bad(node, f"{who} 'scale' has '{key}', which is not one of the levels: {', '.join(names)}")
        else:
            scale.append((key.lower(), fraction))
    if must and minimum is None:
        check.bad(spec.get("kind") or 0, f"{who} is a must-have, so it needs 'min' (the lowest acceptable level)")
    if minimum is None and not scale:
        check.bad(spec.get("kind") or 0, f"{who} needs 'min' or a 'scale' to turn the level into points")
    subject_field = None
    subject = None
    if "subject" in spec:
        sub = check.mapping(spec["subject"], f"{who} 'subject'", ("field", "terms", "fuzzy"))
        subject_field = _field_ref(sub.get("field"), check, fields, f"{who} subject 'field'")
        if "field" not in sub:
            check.bad(spec["subject"], f"{who} 'subject' needs 'field:' (e.g. field_of_study)")
        terms = _terms(sub.get("terms"), check, f"{who} subject 'terms'")
        if not terms:
            check.bad(spec["subject"], f"{who} 'subject' needs 'terms': the acceptable subjects")
        fuzzy = check.number(sub.get("fuzzy"), f"{who} subject 'fuzzy'", low=50, high=100)
        subject = KeywordSpec(terms=terms, fuzzy=int(fuzzy) if fuzzy is not None else DEFAULT_FUZZY)
    return LevelSpec(
        levels=tuple(levels), min=minimum, scale=tuple(scale),
        subject_field=subject_field, subject=subject,
    )


def _choice_spec(given: _SpecInput) -> ChoiceSpec:
    spec, check, who, item = given.nodes, given.check, given.who, given.item
    options = []
    node = spec.get("options")
    if node is None:
        check.bad(item, f"{who} needs 'options': each choice and the share of the weight it earns")
    else:
        for key, (_line, value) in _entries(node, check, f"{who} 'options'"):
            if value.kind == "scalar":
                points = check.number(value, f"{who} option '{key}'", low=0, high=1)
                synonyms: tuple[str, ...] = ()
            else:
                sub = check.mapping(value, f"{who} option '{key}'", ("points", "synonyms"))
                points = check.number(sub.get("points"), f"{who} option '{key}' 'points'", low=0, high=1)
                if "points" not in sub:
                    check.bad(value, f"{who} option '{key}' needs 'points' (0 to 1)")
                synonyms = check.texts(sub.get("synonyms"), f"{who} option '{key}' 'synonyms'")
            if points is not None:
                options.append(ChoiceOption(key, points, synonyms))
    combine = check.choice(spec.get("combine"), f"{who} 'combine'", ("best", "sum"), "best")
    return ChoiceSpec(options=tuple(options), combine=combine)


def _yesno_spec(given: _SpecInput) -> YesNoSpec:
    expect = given.check.choice(given.nodes.get("expect"), f"{given.who} 'expect'", ("yes", "no"), "yes")
    return YesNoSpec(expect=expect == "yes")


def _quality_spec(given: _SpecInput) -> QualitySpec:
    spec, check, who = given.nodes, given.check, given.who
    min_words = check.number(spec.get("min_words"), f"{who} 'min_words'", low=0)
    good_words = check.number(spec.get("good_words"), f"{who} 'good_words'", low=1)
    max_copies = check.number(spec.get("max_copies"), f"{who} 'max_copies'", low=1)
    result = QualitySpec(
        min_words=int(min_words) if min_words is not None else 30,
        good_words=int(good_words) if good_words is not None else 120,
        max_copies=int(max_copies) if max_copies is not None else 2,
    )
    if result.good_words < result.min_words:
        check.bad(spec.get("good_words") or 0, f"{who} 'good_words' should not be below 'min_words'")
    return result


def _any_of_spec(given: _SpecInput) -> AnyOfSpec:
    spec, check, who, item = given.nodes, given.check, given.who, given.item
    refs = check.texts(spec.get("of"), f"{who} 'of'")
    if len(refs) < 2:
        check.bad(item, f"{who} needs 'of': two or more criterion ids, any one of which is enough")
    return AnyOfSpec(of=refs)


# --------------------------------------------------------------------------------------------
# Each kind's rule in words, for ``explain`` (``fields``: the logical fields the criterion reads).


def _describe_keywords(spec: KeywordSpec, fields: tuple[str, ...]) -> str:
    terms = ", ".join(t.text for t in spec.terms[:8]) + (" …" if len(spec.terms) > 8 else "")
    how = {"any": "any of", "all": "all of", "count": f"count (full marks at {spec.cap}) of"}[spec.match]
    on = ", ".join(fields)
    return f"{how}: {terms} — in {on}, fuzzy ≥ {spec.fuzzy}"


def _describe_number(spec: NumberSpec, fields: tuple[str, ...]) -> str:
    parts = []
    if spec.min is not None:
        parts.append(f"at least {spec.min:g} {spec.unit}")
    if spec.scale:
        parts.append("scale " + ", ".join(f"{x:g}→{y:.0%}" for x, y in spec.scale))
    on = ", ".join(fields)
    return f"{on}: " + "; ".join(parts)


def _describe_level(spec: LevelSpec, fields: tuple[str, ...]) -> str:
    on = ", ".join(fields)
    rule = f"{on}: at least {spec.min}" if spec.min else f"{on}: by level"
    if spec.scale:
        rule += " (" + ", ".join(f"{k} {v:.0%}" for k, v in spec.scale) + ")"
    if spec.subject:
        rule += f"; {spec.subject_field} in " + ", ".join(t.text for t in spec.subject.terms)
    return rule


def _describe_choice(spec: ChoiceSpec, fields: tuple[str, ...]) -> str:
    on = ", ".join(fields)
    opts = ", ".join(f"{o.name} {o.points:.0%}" for o in spec.options)
    return f"{on} ({spec.combine}): {opts}"


def _describe_yesno(spec: YesNoSpec, fields: tuple[str, ...]) -> str:
    on = ", ".join(fields)
    return f"{on}: {'yes' if spec.expect else 'no'} wanted"


def _describe_quality(spec: QualitySpec, fields: tuple[str, ...]) -> str:
    on = ", ".join(fields)
    return (f"{on}: at least {spec.min_words} words (full marks at {spec.good_words}); "
            f"not copied from {spec.max_copies}+ others")


def _describe_any_of(spec: AnyOfSpec, fields: tuple[str, ...]) -> str:
    return "any one of: " + ", ".join(spec.of)


# --------------------------------------------------------------------------------------------
# The criterion kinds. Each is declared once, here; the validator, the scorer (which keeps each
# kind's evaluator in ``scoring._EVALUATORS``, keyed by name) and ``explain`` read this table.

S = TypeVar("S", bound=Spec)


@dataclass(frozen=True)
class Kind(Generic[S]):
    """One kind of criterion, as 'kind: NAME' in a rubric."""

    name: str
    spec: type[S]  # the class of ``Criterion.spec``
    keys: tuple[str, ...]  # its settings besides _COMMON_KEYS, in the order error messages list them
    build: Callable[[_SpecInput], S]  # the spec from the settings; reports problems to ``check``
    describe: Callable[[S, tuple[str, ...]], str]  # the rule in words, given the fields it reads
    free_text: bool = False  # tokenises free text: the slow kinds, scored in the helper process


_KIND_LIST: tuple[Kind[Any], ...] = (
    Kind(name="keywords", spec=KeywordSpec,
         keys=("terms", "match", "cap", "min_count", "fuzzy", "fuzzy_min_length", "negated"),
         build=_keyword_spec, describe=_describe_keywords, free_text=True),
    Kind(name="number", spec=NumberSpec, keys=("unit", "min", "scale"), build=_number_spec, describe=_describe_number),
    Kind(name="level", spec=LevelSpec, keys=("levels", "min", "scale", "subject"), build=_level_spec,
         describe=_describe_level),
    Kind(name="choice", spec=ChoiceSpec, keys=("options", "combine"), build=_choice_spec, describe=_describe_choice),
    Kind(name="yesno", spec=YesNoSpec, keys=("expect",), build=_yesno_spec, describe=_describe_yesno),
    Kind(name="text_quality", spec=QualitySpec, keys=("min_words", "good_words", "max_copies"),
         build=_quality_spec, describe=_describe_quality, free_text=True),
    # Scored from the outcomes of the criteria it lists, not from a field (see _check_any_of).
    Kind(name="any_of", spec=AnyOfSpec, keys=("of",), build=_any_of_spec, describe=_describe_any_of),
)
KINDS: dict[str, Kind[Any]] = {kind.name: kind for kind in _KIND_LIST}

# Every setting a criterion may have, for "unknown setting" messages: the common ones, then each
# kind's in the order of _KIND_LIST (a setting two kinds share is listed once).
_CRIT_KEYS = (*_COMMON_KEYS, *dict.fromkeys(key for kind in _KIND_LIST for key in kind.keys))
