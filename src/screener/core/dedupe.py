"""Group applications that come from the same person; never merge them away.

Signals, strongest first: the same email (case and spaces ignored); the same phone *and* a
similar name or near-identical answers; a similar name *and* near-identical answers. One weak
signal alone — two people called Jo Smith, a household phone, the same copy-pasted cover
letter — never groups anyone. In a group the newest submission is the primary; the others
are listed under it with why they were grouped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from screener.core.normalize import normalize_text

NAME_SIMILAR = 85
ANSWERS_SIMILAR = 90
MIN_ANSWER_CHARS = 40
MAX_BLOCK = 50  # a block larger than this (a template opening shared by many) is not paired
_SMALL_BLOCK = 6


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


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-10:] if len(digits) >= 7 else ""


@dataclass
class Keys:
    """What grouping needs of each row, without the answers' text: a million rows fit in memory."""

    ids: np.ndarray
    email: np.ndarray
    phone: np.ndarray
    names: list[str]  # normalised
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
         submitted: pd.Series) -> Keys:
    return _keys(ids, emails, phones, names, fold_answers(answers), submitted)


def _keys(ids: pd.Series, emails: pd.Series, phones: pd.Series, names: pd.Series, texts: pd.Series,
          submitted: pd.Series) -> Keys:
    """``keys`` from the answers already folded (``fold_answers``)."""
    long_enough = texts.str.len() >= MIN_ANSWER_CHARS
    return Keys(
        ids=ids.reset_index(drop=True).astype(str).to_numpy(dtype=object),
        email=emails.reset_index(drop=True).astype(str).str.strip().str.casefold().to_numpy(dtype=object),
        phone=phones.reset_index(drop=True).astype(str).map(_phone_key).to_numpy(dtype=object),
        names=normalize_text(names.reset_index(drop=True).astype(str)).tolist(),
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
                names=[n for p in parts for n in p.names], heads=join("heads"), tails=join("tails"),
                long=join("long").astype(bool), submitted=join("submitted"))


def group_duplicates(
    ids: pd.Series,
    emails: pd.Series,
    phones: pd.Series,
    names: pd.Series,
    answers: pd.Series,
    submitted: pd.Series,
) -> Groups:
    """Group rows by person. ``submitted`` is sortable text (ISO UTC) used to find the newest."""
    texts = fold_answers(answers)  # folded once: the keys and the comparisons both read it
    return group(_keys(ids, emails, phones, names, texts, submitted), texts.tolist())


def answer_pairs(k: Keys) -> Iterator[tuple[str, int, int]]:
    """The pairs whose answers may be compared, with the signal that brings them together:
    "phone" (any pair sharing a phone), or "name" (alike names sharing an answer's opening or
    ending, a pair at most once)."""
    for _key, members in _blocks(pd.Series(k.phone, dtype=object)):
        if len(members) <= MAX_BLOCK:
            for a, b in combinations(members, 2):
                yield "phone", a, b
    # Near-identical answers share their opening or their ending; a typo in one part of a name
    # still leaves the other part to meet on. Blocking on both keeps the pairs few.
    tokens = [name.split() for name in k.names]
    firsts = pd.Series([t[0] if t else "" for t in tokens], dtype=object)
    lasts = pd.Series([t[-1] if t else "" for t in tokens], dtype=object)
    heads, tails = pd.Series(k.heads, dtype=object), pd.Series(k.tails, dtype=object)
    # A pair can meet in up to four blocks; its answers are compared once.
    compared: set[tuple[int, int]] = set()
    for part in (firsts, lasts):
        for edge in (heads, tails):
            key = (part + "|" + edge).where((part != "") & (edge != ""), "")
            for _key, members in _blocks(key):
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
          pairs: Iterable[tuple[str, int, int]] | None = None) -> Groups:
    """Group rows by person from their ``keys`` and the folded answers (``fold_answers``) of at
    least the ``answer_candidates`` rows, by position; ``pairs`` saves enumerating
    ``answer_pairs(k)`` again."""
    n = len(k)
    ids = k.ids
    uf = _UnionFind(n)
    names_list = k.names

    def names_alike(a: int, b: int) -> bool:
        return bool(names_list[a]) and fuzz.token_sort_ratio(names_list[a], names_list[b]) >= NAME_SIMILAR

    def answers_alike(a: int, b: int) -> bool:
        return bool(k.long[a] and k.long[b]
                    and fuzz.ratio(texts[a], texts[b], score_cutoff=ANSWERS_SIMILAR) >= ANSWERS_SIMILAR)

    for _key, members in _blocks(pd.Series(k.email, dtype=object)):
        first = members[0]
        for other in members[1:]:
            uf.union(first, other, "same email")
    for signal, a, b in answer_pairs(k) if pairs is None else pairs:
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
    reasons: dict[int, list[str]] = {}
    for (a, _b), why in sorted(uf.why.items()):
        found = reasons.setdefault(int(roots[a]), [])
        if why not in found:
            found.append(why)
    why_arr = np.array(["; ".join(reasons.get(int(r), [])) if s > 1 else "" for r, s in zip(roots, sizes, strict=True)],
                       dtype=object)
    return Groups(group=group_ids, why=why_arr, size=np.where(sizes > 1, sizes, 0))


def _alike_name_pairs(members: list[int], names_list: list[str]) -> list[tuple[int, int]]:
    """The pairs of a block whose names are alike, in block order. Most blocks are a pair or
    three, compared one by one; a larger block is scored at once (rapidfuzz cdist, in C)."""
    if len(members) <= _SMALL_BLOCK:
        return [(a, b) for a, b in combinations(members, 2)
                if fuzz.token_sort_ratio(names_list[a], names_list[b]) >= NAME_SIMILAR]
    block = [names_list[m] for m in members]
    sims = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SIMILAR, dtype=np.uint8)
    return [(members[int(i)], members[int(j)]) for i, j in zip(*np.nonzero(np.triu(sims, 1)), strict=True)]


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
