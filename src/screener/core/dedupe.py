"""Group applications that come from the same person; never merge them away.

Signals, strongest first: the same email (case and spaces ignored); the same LinkedIn or
GitHub profile (the URL's slug, however the URL is written); the same phone (parsed with
``phonenumbers`` in the row's country, else the US) *and* a similar name or near-identical
answers; a similar name *and* near-identical answers. Names are alike when close in spelling or
when one first name is a nickname of the other (Bob/Robert, from the ``nicknames`` list) with
the same last name. One weak signal alone — two people called Jo Smith, a household phone, the
same copy-pasted cover letter — never groups anyone. In a group the newest submission is the
primary; each row says which signals joined it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from screener.core.normalize import normalize_text

NAME_SIMILAR = 85
ANSWERS_SIMILAR = 90
MIN_ANSWER_CHARS = 40
MAX_BLOCK = 50  # a block larger than this (a template opening shared by many) is not paired
_SMALL_BLOCK = 6
DEFAULT_REGION = "US"
# A profile URL shared by more rows than this is a placeholder or a company page: only rows
# whose names are alike are grouped by it.
_PROFILE_BLOCK = 3
_PROFILE = re.compile(r"(?:^|[/.@\s])(linkedin\.com/in|github\.com)/([^/?#\s]+)", re.IGNORECASE)
_PLACEHOLDER_SLUGS = frozenset({
    "", "in", "n", "na", "n-a", "none", "null", "nil", "no", "yes", "me", "profile", "user", "username",
    "yourname", "your-name", "your_name", "yourprofile", "your-profile", "name", "firstname-lastname",
    "firstnamelastname", "john-doe", "johndoe", "example", "test", "xxx", "linkedin", "github",
    # github.com paths that are not a user
    "orgs", "features", "about", "login", "join", "pricing", "topics", "explore", "settings", "sponsors",
})
_PROFILE_SITES = {"linkedin.com/in": "LinkedIn", "github.com": "GitHub"}
_COUNTRY_NAMES = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US",
    "america": "US", "canada": "CA", "united kingdom": "GB", "uk": "GB", "u.k.": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "great britain": "GB", "britain": "GB", "ireland": "IE",
    "australia": "AU", "new zealand": "NZ", "india": "IN", "germany": "DE", "deutschland": "DE",
    "france": "FR", "spain": "ES", "españa": "ES", "italy": "IT", "netherlands": "NL", "the netherlands": "NL",
    "belgium": "BE", "switzerland": "CH", "austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK",
    "finland": "FI", "poland": "PL", "portugal": "PT", "brazil": "BR", "brasil": "BR", "mexico": "MX",
    "méxico": "MX", "argentina": "AR", "china": "CN", "japan": "JP", "south korea": "KR", "korea": "KR",
    "singapore": "SG", "philippines": "PH", "pakistan": "PK", "nigeria": "NG", "south africa": "ZA",
    "kenya": "KE", "egypt": "EG", "israel": "IL", "turkey": "TR", "ukraine": "UA", "romania": "RO",
}


@dataclass
class Groups:
    """Per applicant (aligned with the input): the group's primary id ("" when alone) and why."""

    group: np.ndarray
    why: np.ndarray
    size: np.ndarray


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.why: dict[tuple[int, int], str] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, why: str) -> None:
        self.why.setdefault((min(a, b), max(a, b)), why)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_NANP = frozenset({"US", "CA"})
# Possessive runs (*+): the leading spaces and punctuation were split every way, in quadratic time.
_PLAIN_PHONE = re.compile(r"\s*+(?:\+?1[\s.-]?)?[\s().-]*+\d[\d\s().-]*+")


def _phone_key(phone: str, region: str = DEFAULT_REGION) -> str:
    """The phone's national number (``5550100147``: no country code, trunk ``0``, extension or
    punctuation) when ``phonenumbers`` reads it as a possible number (in ``region`` unless it
    starts with +), else its digits; the last ten of them, seven at least. Without the country
    code a number written with and without it is one key even when the region is a guess (a
    phone alone never groups anyone, so two countries' same number costs nothing)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return ""
    if region in _NANP and _PLAIN_PHONE.fullmatch(phone):
        # A North American number written plainly: its national number is its ten digits
        # (after a country code 1), as phonenumbers reads it, at a hundredth of the cost.
        national = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        if len(national) == 10 and national[0] in "23456789":
            return national
    import phonenumbers  # lazily: only grouping needs it

    if _INTERNATIONAL.fullmatch(phone):
        # "+44 20 7946 0958": the country code is a prefix of the digits (the codes are prefix-
        # free), the rest the national number; phonenumbers then only checks the length, at a
        # quarter of what parsing costs. Equal to parsing on the 22,435 such numbers of the 100k
        # benchmark export.
        found = _international_key(digits, phonenumbers)
        if found is not None:
            return found
    try:
        parsed = phonenumbers.parse(phone, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        digits = phonenumbers.national_significant_number(parsed)
    return digits[-10:] if len(digits) >= 7 else ""


_INTERNATIONAL = re.compile(r"\s*\+\s*\d[\d .-]*\d\s*")


def _international_key(digits: str, phonenumbers: Any) -> str | None:
    """``_phone_key`` of a number written "+<country code> <national number>" (``digits``: all
    of its digits), or None when no country code begins it."""
    for size in (1, 2, 3):
        if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    if not national:
        return None
    number = phonenumbers.PhoneNumber(country_code=int(digits[:size]), national_number=int(national))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros:  # as parsing records them (Italy's leading zero, and any other)
        number.italian_leading_zero = True
        number.number_of_leading_zeros = zeros
    if phonenumbers.is_possible_number(number):
        digits = phonenumbers.national_significant_number(number)
    return digits[-10:] if len(digits) >= 7 else ""


def phone_keys(phones: pd.Series, regions: pd.Series | None = None) -> np.ndarray:
    """``_phone_key`` of each phone (with each row's region), parsed once per distinct pair."""
    phones = phones.reset_index(drop=True).astype(str)
    regs = (regions.reset_index(drop=True).astype(str) if regions is not None
            else pd.Series([DEFAULT_REGION] * len(phones), dtype=object))
    cache: dict[tuple[str, str], str] = {}
    out = []
    for phone, region in zip(phones.tolist(), regs.tolist(), strict=True):
        key = (phone, region)
        found = cache.get(key)
        if found is None:
            found = cache[key] = _phone_key(phone, region)
        out.append(found)
    return np.array(out, dtype=object)


def phone_region(country: str) -> str:
    """The phone region (ISO 3166 code) a country answer names ("United Kingdom", "gb", "USA"),
    else ""."""
    text = " ".join(country.strip().casefold().split())
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        import phonenumbers

        code = text.upper().replace("UK", "GB")
        return code if code in phonenumbers.SUPPORTED_REGIONS else ""
    return _COUNTRY_NAMES.get(text, "")


def profile_key(value: str) -> str:
    """A LinkedIn or GitHub profile URL as ``linkedin.com/in:slug`` (scheme, www, country
    subdomain, trailing slash, query and case ignored), else "" (placeholders too)."""
    from urllib.parse import unquote

    for found in _PROFILE.finditer(value):
        slug = unquote(found.group(2)).strip().casefold()
        if slug not in _PLACEHOLDER_SLUGS and len(slug) >= 2 and re.search(r"[a-z0-9]", slug):
            return f"{found.group(1).casefold()}:{slug}"
    return ""


def profile_why(key: str) -> str:
    return f"same {_PROFILE_SITES.get(key.partition(':')[0], 'profile')} profile"


@dataclass
class Keys:
    """What grouping needs of each row, without the answers' text: a million rows fit in memory."""

    ids: np.ndarray
    email: np.ndarray
    phone: np.ndarray
    names: list[str]  # normalised
    profile: np.ndarray  # ``profile_key`` of the row's profile URL ("" without one)
    heads: np.ndarray  # the first and last 40 characters of the case-folded answers ("" if short)
    tails: np.ndarray
    long: np.ndarray  # answers of at least MIN_ANSWER_CHARS characters
    submitted: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def fold_answers(answers: pd.Series) -> pd.Series:
    """Answers as they are compared: case folded (accents and spacing matter little here)."""
    return answers.reset_index(drop=True).astype(str).str.casefold()


def keys(ids: pd.Series, emails: pd.Series, phones: pd.Series, names: pd.Series, answers: pd.Series,
         submitted: pd.Series, profiles: pd.Series | None = None, regions: pd.Series | None = None) -> Keys:
    """What grouping needs of each row; ``profiles``: the row's profile URL(s) (``profile_key``
    reads them), ``regions``: each phone's region (``phone_region``; "" for the default)."""
    return folded_keys(ids, emails, phones, names, fold_answers(answers), submitted, profiles, regions)


def folded_keys(ids: pd.Series, emails: pd.Series, phones: pd.Series, names: pd.Series, texts: pd.Series,
                submitted: pd.Series, profiles: pd.Series | None = None, regions: pd.Series | None = None) -> Keys:
    """``keys`` from the answers already folded (``fold_answers``)."""
    long_enough = texts.str.len() >= MIN_ANSWER_CHARS
    n = len(texts)
    profile = (profiles.reset_index(drop=True).astype(str).map(profile_key).to_numpy(dtype=object)
               if profiles is not None else np.array([""] * n, dtype=object))
    return Keys(
        ids=ids.reset_index(drop=True).astype(str).to_numpy(dtype=object),
        email=emails.reset_index(drop=True).astype(str).str.strip().str.casefold().to_numpy(dtype=object),
        phone=phone_keys(phones, regions),
        names=normalize_text(names.reset_index(drop=True).astype(str)).tolist(),
        profile=profile,
        heads=texts.str.slice(0, 40).where(long_enough, "").to_numpy(dtype=object),
        tails=texts.str.slice(-40).where(long_enough, "").to_numpy(dtype=object),
        long=long_enough.to_numpy(dtype=bool),
        submitted=submitted.reset_index(drop=True).astype(str).to_numpy(dtype=object),
    )


def concat(parts: list[Keys]) -> Keys:
    """The keys of several consecutive pieces of an export, as one."""
    def join(name: str) -> np.ndarray:
        arrays = [getattr(p, name) for p in parts]
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=object)

    return Keys(ids=join("ids"), email=join("email"), phone=join("phone"),
                names=[n for p in parts for n in p.names], profile=join("profile"),
                heads=join("heads"), tails=join("tails"),
                long=join("long").astype(bool), submitted=join("submitted"))


def group_duplicates(
    ids: pd.Series,
    emails: pd.Series,
    phones: pd.Series,
    names: pd.Series,
    answers: pd.Series,
    submitted: pd.Series,
    profiles: pd.Series | None = None,
    regions: pd.Series | None = None,
) -> Groups:
    """Group rows by person. ``submitted`` is sortable text (ISO UTC) used to find the newest;
    ``profiles`` and ``regions`` as for ``keys``."""
    texts = fold_answers(answers)  # folded once: the keys and the comparisons both read it
    return group(folded_keys(ids, emails, phones, names, texts, submitted, profiles, regions), texts.tolist())


# The blocks grouping pairs rows in: rows sharing a key of one kind may be compared.
BLOCK_KINDS = ("email", "phone", "profile", "first+head", "first+tail", "last+head", "last+tail")
Inert = Mapping[str, AbstractSet[str]]  # per kind, keys whose block is too large to pair (of a larger population)


def block_keys(k: Keys) -> dict[str, np.ndarray]:
    """Per kind of block (``BLOCK_KINDS``), each row's key ("" for none)."""
    tokens = [name.split() for name in k.names]
    firsts = pd.Series([t[0] if t else "" for t in tokens], dtype=object)
    lasts = pd.Series([t[-1] if t else "" for t in tokens], dtype=object)
    heads, tails = pd.Series(k.heads, dtype=object), pd.Series(k.tails, dtype=object)
    out = {"email": k.email, "phone": k.phone, "profile": k.profile}
    for part_name, part in (("first", firsts), ("last", lasts)):
        for edge_name, edge in (("head", heads), ("tail", tails)):
            key = (part + "|" + edge).where((part != "") & (edge != ""), "")
            out[f"{part_name}+{edge_name}"] = key.to_numpy(dtype=object)
    return out


def _kind_blocks(keys: np.ndarray, inert: Inert | None, kind: str) -> list[tuple[str, list[int]]]:
    """``_blocks`` of one kind, without the keys ``inert`` says are too large to pair."""
    blocks = _blocks(pd.Series(keys, dtype=object))
    gone = inert.get(kind) if inert else None
    return [(key, members) for key, members in blocks if not gone or key not in gone]


def answer_pairs(k: Keys, inert: Inert | None = None) -> Iterator[tuple[str, int, int]]:
    """The pairs whose answers may be compared, with the signal that brings them together:
    "phone" (any pair sharing a phone), or "name" (alike names sharing an answer's opening or
    ending, a pair at most once). ``inert``: blocks too large to pair in a larger population
    that ``k`` is a part of (the nightly store's), left out as they would be there."""
    keys = block_keys(k)
    for _key, members in _kind_blocks(keys["phone"], inert, "phone"):
        if len(members) <= MAX_BLOCK:
            for a, b in combinations(members, 2):
                yield "phone", a, b
    # Near-identical answers share their opening or their ending; a typo in one part of a name
    # still leaves the other part to meet on. Blocking on both keeps the pairs few.
    # A pair can meet in up to four blocks; its answers are compared once.
    compared: set[tuple[int, int]] = set()
    for kind in BLOCK_KINDS[3:]:
        for _key, members in _kind_blocks(keys[kind], inert, kind):
            if len(members) > MAX_BLOCK:
                continue
            for a, b in _alike_name_pairs(members, k.names):
                if (a, b) not in compared:
                    compared.add((a, b))
                    yield "name", a, b


def answer_candidates(k: Keys, pairs: Iterable[tuple[str, int, int]] | None = None) -> np.ndarray:
    """Rows whose answers ``group`` may compare (given ``pairs``, the list of ``answer_pairs(k)``
    when the caller keeps it for ``group``): only their text needs to be at hand."""
    wanted = np.zeros(len(k), dtype=bool)
    for _signal, a, b in answer_pairs(k) if pairs is None else pairs:
        wanted[a] = wanted[b] = True
    return wanted & k.long


def group(k: Keys, texts: Sequence[str] | Mapping[int, str],
          pairs: Iterable[tuple[str, int, int]] | None = None, inert: Inert | None = None) -> Groups:
    """Group rows by person from their ``keys`` and the folded answers (``fold_answers``) of at
    least the ``answer_candidates`` rows, by position; ``pairs`` saves enumerating
    ``answer_pairs(k, inert)`` again; ``inert`` as for ``answer_pairs``."""
    n = len(k)
    ids = k.ids
    uf = _UnionFind(n)
    names_list = k.names

    def names_alike(a: int, b: int) -> bool:
        return _names_alike(names_list[a], names_list[b])

    def answers_alike(a: int, b: int) -> bool:
        return bool(k.long[a] and k.long[b] and texts_alike(texts[a], texts[b]))

    for _key, members in _blocks(pd.Series(k.email, dtype=object)):
        first = members[0]
        for other in members[1:]:
            uf.union(first, other, "same email")
    _join_profiles(k, uf, inert)
    for signal, a, b in answer_pairs(k, inert) if pairs is None else pairs:
        if signal == "phone":
            if names_alike(a, b):
                uf.union(a, b, "same phone and name")
            elif answers_alike(a, b):
                uf.union(a, b, "same phone and near-identical answers")
        elif uf.find(a) != uf.find(b) and answers_alike(a, b):
            uf.union(a, b, "similar name and near-identical answers")

    roots = np.array([uf.find(i) for i in range(n)], dtype=np.int64)
    sizes = np.bincount(roots, minlength=n)[roots] if n else np.zeros(0, dtype=np.int64)
    order = pd.DataFrame({"root": roots, "submitted": k.submitted, "pos": np.arange(n)})
    newest = order.sort_values(["root", "submitted", "pos"], kind="stable").groupby("root")["pos"].last()
    primary_pos = newest.reindex(roots).to_numpy()
    group_ids = np.where(sizes > 1, ids[primary_pos] if n else ids, "").astype(object)
    return Groups(group=group_ids, why=_row_reasons(uf, sizes), size=np.where(sizes > 1, sizes, 0))


def _join_profiles(k: Keys, uf: _UnionFind, inert: Inert | None = None) -> None:
    """Rows with the same profile URL: all of a small block; of a larger one (a placeholder or a
    company page many pasted) only those with alike names. A slug that is only a name
    (``kavyapatel``, ``k-banerjee``) joins nobody: a namesake may type the same guess."""
    for key, members in _kind_blocks(k.profile, inert, "profile"):
        if len(members) > MAX_BLOCK:
            continue
        why = profile_why(key)
        slug = re.sub(r"[\W_]", "", key.partition(":")[2])
        for a, b in combinations(members, 2):
            if slug in _name_slugs(k.names[a]) or slug in _name_slugs(k.names[b]):
                continue
            if len(members) <= _PROFILE_BLOCK or _names_alike(k.names[a], k.names[b]):
                uf.union(a, b, why)


def _name_slugs(name: str) -> set[str]:
    """The profile slugs a name alone gives (punctuation left out): ``kavyapatel``,
    ``patelkavya``, ``kpatel``, ``kavyap``, ``kavya``, ``patel``."""
    tokens = [t for t in (re.sub(r"[\W_]", "", t) for t in name.split()) if t]
    if not tokens:
        return set()
    first, last = tokens[0], tokens[-1]
    return {"".join(tokens), first + last, last + first, first[0] + last, first + last[0], last + first[0],
            first, last}


def _row_reasons(uf: _UnionFind, sizes: np.ndarray) -> np.ndarray:
    """Each grouped row's own reasons: the signals of the pairs it is part of (a row joined by
    its phone says so, not the email that joined two others of its group)."""
    reasons: dict[int, list[str]] = {}
    for (a, b), why in sorted(uf.why.items()):
        for end in (a, b):
            found = reasons.setdefault(end, [])
            if why not in found:
                found.append(why)
    return np.array(["; ".join(reasons.get(i, [])) if s > 1 else "" for i, s in enumerate(sizes.tolist())],
                    dtype=object)


def _alike_name_pairs(members: list[int], names_list: list[str]) -> list[tuple[int, int]]:
    """The pairs of a block whose names are alike, in block order. Most blocks are a pair or
    three, compared one by one; a larger block is scored at once (rapidfuzz cdist, in C)."""
    if len(members) <= _SMALL_BLOCK:
        return [(a, b) for a, b in combinations(members, 2) if _names_alike(names_list[a], names_list[b])]
    block = [names_list[m] for m in members]
    sims = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SIMILAR, dtype=np.uint8)
    alike = np.triu(sims, 1) > 0
    # A nickname only makes two names alike under one last name: only those pairs are asked.
    by_last: dict[str, list[int]] = {}
    for i, name in enumerate(block):
        first, _, rest = name.partition(" ")
        if first and rest:
            by_last.setdefault(rest.split()[-1], []).append(i)
    for same in by_last.values():
        firsts: dict[str, list[int]] = {}
        for i in same:
            firsts.setdefault(block[i].partition(" ")[0], []).append(i)
        if len(firsts) < 2:
            continue
        for first, those in firsts.items():  # each first name against its nicknames present
            for other in _nicknames(first) & firsts.keys():
                if other != first:
                    for i in those:
                        for j in firsts[other]:
                            alike[min(i, j), max(i, j)] = True
    return [(members[int(i)], members[int(j)]) for i, j in zip(*np.nonzero(alike), strict=True)]


def texts_alike(a: str, b: str) -> bool:
    """Two folded answers (``fold_answers``), each long enough to compare, are near-identical."""
    return fuzz.ratio(a, b, score_cutoff=ANSWERS_SIMILAR) >= ANSWERS_SIMILAR


def names_alike(a: str, b: str) -> bool:
    """Whether grouping takes two normalised names for one person's (``_names_alike``)."""
    return _names_alike(a, b)


def _names_alike(a: str, b: str) -> bool:
    """Close in spelling (rapidfuzz), or the same last name with one first name a nickname of
    the other (Bob and Robert Jenkins)."""
    if not a or not b:
        return False
    return fuzz.token_sort_ratio(a, b) >= NAME_SIMILAR or _nicknames_alike(a, b)


def _nicknames_alike(a: str, b: str) -> bool:
    first_a, _, last_a = a.partition(" ")
    first_b, _, last_b = b.partition(" ")
    if not last_a or not last_b or first_a == first_b:
        return False
    if last_a.split()[-1] != last_b.split()[-1]:
        return False
    return first_b in _nicknames(first_a) or first_a in _nicknames(first_b)


@lru_cache(maxsize=65536)
def _nicknames(first: str) -> frozenset[str]:
    """A first name's nicknames and the names it is a nickname of (the curated ``nicknames``
    list), case folded; loaded on first use."""
    return frozenset(n.casefold() for n in (*_namer().nicknames_of(first), *_namer().canonicals_of(first)))


@lru_cache(maxsize=1)
def _namer() -> Any:
    from nicknames import NickNamer  # lazily: only grouping needs it

    return NickNamer()


def _blocks(keys: pd.Series) -> list[tuple[str, list[int]]]:
    """Positions sharing a non-empty key, for keys held by more than one row (sorted by key)."""
    values = keys.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, sort=True)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    ends = np.r_[starts[1:], len(order)]
    out = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start < 2:
            continue
        key = uniques[sorted_codes[start]]
        if key == "":
            continue
        out.append((str(key), order[start:end].tolist()))
    return out
