"""Duplicate groups kept in the store and brought up to date by each nightly run, comparing a new
or changed entry only with the entries it shares a block with (issue 17).

Grouping (core/dedupe.py) pairs rows that share a block: an e-mail, a phone, a profile, or a
first or last name with an answer's opening or ending, and joins a pair when its signals agree
(the same e-mail; a shared phone with alike names or near-identical answers; ...). Whether a
pair is joined depends on the two rows alone, so a group is a connected part of the joined
pairs, and regrouping a few whole groups on their own gives what a regroup of everyone gives
for their entries, provided the blocks too large to pair in the whole store
(``dedupe.MAX_BLOCK``) are left out there as well (``inert``).

The store keeps each entry's grouping keys (``group_keys``), its blocks by a 64-bit hash
(``blocks``, indexed both ways) and its *cluster*: the group it is in (an entry alone is a
cluster of one), named by its first member's place in the store. A run regroups the clusters
of its new and changed entries (a changed entry's old cluster may split), of every entry they
could be joined with (everyone in a block with them, by name too for a name block), and of the
entries of any block whose size crossed ``MAX_BLOCK``; the clusters are then named again from
the groups found. That is a handful of groups per new entry, however large the store.

Everyone is regrouped (``full``) on the first run and whenever what the keys are read from
changes: the rubric, the export's columns, or the order its dates are read in (``basis``). The
tests compare the two ways on the sample and on a 20,000-applicant export with planted groups.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from screener.core import dedupe
from screener.core.columns import FieldMatch
from screener.core.packed import pack, unpack
from screener.core.providers import DateOrder
from screener.core.rubric import Rubric
from screener.core.scoring import answers_text, identities
from screener.data.store import Store

_BASIS = "grouping_basis"  # meta: what the stored grouping keys were read with


def basis(rubric: Rubric, mapping: dict[str, FieldMatch], order: DateOrder | None) -> str:
    """What the stored keys depend on: the rubric, the columns its fields were found in, and
    how slash dates are read. Any change regroups everyone."""
    columns = sorted((name, m.column or "") for name, m in mapping.items())
    probe = int(block_ids("probe", np.array(["screener"], dtype=object))[0])
    return hashlib.sha256(json.dumps([rubric.sha256, columns, repr(order), probe]).encode()).hexdigest()


def needs_full(store: Store, wanted: str) -> bool:
    return store.get_meta(_BASIS) != wanted


def block_ids(kind: str, keys: np.ndarray) -> np.ndarray:
    """The ids of blocks in the store: 64 bits of pandas' SipHash of kind and key, in C (a few
    milliseconds for 100,000 keys). ``basis`` includes the hash of a fixed word, so a pandas that
    hashed differently would regroup everyone instead of missing blocks."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    text = (kind + "\x1f" + pd.Series(keys, dtype=object)).to_numpy(dtype=object)
    return pd.util.hash_array(text, categorize=False).view(np.int64)


def _block_arrays(k: dedupe.Keys) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Per kind of block: the rows of ``k`` in one, and the id of the block each is in."""
    for kind, keys in dedupe.block_keys(k).items():
        at = np.flatnonzero(keys != "")
        yield kind, at, block_ids(kind, keys[at])


def _block_rows(k: dedupe.Keys) -> list[list[tuple[str, int]]]:
    """Per row, the (kind, id) of the blocks it is in."""
    out: list[list[tuple[str, int]]] = [[] for _ in range(len(k))]
    for kind, at, ids in _block_arrays(k):
        for pos, block in zip(at.tolist(), ids.tolist(), strict=True):
            out[pos].append((kind, block))
    return out


def _all_blocks(k: dedupe.Keys) -> Iterator[tuple[int, str]]:
    """(block, entry) of every row of ``k``, in block order: the rows of a whole population,
    built a kind at a time in arrays rather than a list per row."""
    found = [(ids, at) for _kind, at, ids in _block_arrays(k)]
    block = np.concatenate([ids for ids, _at in found]) if found else np.zeros(0, np.int64)
    row = np.concatenate([at for _ids, at in found]) if found else np.zeros(0, np.int64)
    order = np.lexsort((row, block))
    for lo in range(0, len(order), 100_000):
        part = order[lo : lo + 100_000]
        yield from zip(block[part].tolist(), (str(k.ids[r]) for r in row[part].tolist()), strict=True)


def keys_of(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch],
            order: DateOrder | None) -> tuple[dedupe.Keys, list[str]]:
    """Grouping keys of ``frame``'s rows (ids from its ``_entry`` column), and their folded answers."""
    people = identities(frame, rubric, mapping, date_order=order)
    texts = dedupe.fold_answers(people["answers"])
    k = dedupe.folded_keys(frame["_entry"].reset_index(drop=True), people["email"], people["phone"], people["name"],
                     texts, people["submitted_at"], people["profile"], people["phone_region"])
    return k, texts.tolist()


def _key_columns(k: dedupe.Keys) -> list[Any]:
    return [k.email, k.phone, k.profile, np.array(k.names, dtype=object), k.heads, k.tails, k.long, k.submitted]


def _keys_from_rows(rows: list[tuple[Any, ...]]) -> dedupe.Keys:
    """``Keys`` from ``Store.group_keys`` rows."""
    if not rows:
        empty = np.zeros(0, dtype=object)
        return dedupe.Keys(ids=empty, email=empty, phone=empty, names=[], profile=empty, heads=empty, tails=empty,
                           long=np.zeros(0, dtype=bool), submitted=empty)
    cols = list(zip(*rows, strict=True))

    def arr(i: int) -> np.ndarray:
        return np.array(cols[i], dtype=object)

    return dedupe.Keys(ids=arr(0), email=arr(1), phone=arr(2), profile=arr(3), names=[str(n) for n in cols[4]],
                       heads=arr(5), tails=arr(6), long=np.array(cols[7], dtype=bool), submitted=arr(8))


# -- everyone ------------------------------------------------------------------------------------

Full = tuple[list[str], Any, Any, list[Any], np.ndarray]  # entries, group, why, key columns (packed), cluster


def group_everyone(population: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch],
                   order: DateOrder | None) -> Full:
    """Groups over the whole population (in store order), with each row's keys and cluster:
    the helper process's task on a first run, or done here."""
    k, texts = keys_of(population, rubric, mapping, order)
    groups, roots = everyone_from(k, texts)
    return (k.ids.tolist(), pack(groups.group), pack(groups.why),
            [pack(c) if c.dtype == object else c for c in _key_columns(k)], roots)


def everyone_from(k: dedupe.Keys, texts: Sequence[str] | Mapping[int, str],
                  pairs: list[tuple[str, int, int]] | None = None) -> tuple[dedupe.Groups, np.ndarray]:
    """The groups of everyone in ``k`` and each row's cluster (its smallest member), from the
    folded answers of at least the rows ``dedupe.answer_candidates`` names."""
    pairs = list(dedupe.answer_pairs(k)) if pairs is None else pairs
    groups = dedupe.group(k, texts, pairs)
    del pairs
    return groups, _components(k.ids, groups.group)


def _components(ids: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Each row's group as the position of its first member (a row alone is its own)."""
    n = len(ids)
    codes, uniques = pd.factorize(pd.Series(np.where(group != "", group, ids), dtype=object))
    first = np.full(len(uniques), n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n, dtype=np.int64))
    return first[codes] if n else np.zeros(0, dtype=np.int64)


def save_everyone(store: Store, full: Full, wanted_basis: str) -> int:
    """Store what ``group_everyone`` found: keys, blocks, clusters and groups of every entry;
    how many entries that is."""
    entries, group, why, packed, roots = full
    group, why = unpack(group), unpack(why)
    columns = [unpack(c) for c in packed]
    k = dedupe.Keys(ids=np.array(entries, dtype=object), email=columns[0], phone=columns[1], profile=columns[2],
                    names=[str(n) for n in columns[3]], heads=columns[4], tails=columns[5],
                    long=np.asarray(columns[6], dtype=bool), submitted=columns[7])
    store_everyone(store, k, group, why, roots, wanted_basis)
    return len(entries)


def store_everyone(store: Store, k: dedupe.Keys, group: np.ndarray, why: np.ndarray, roots: np.ndarray,
                   wanted_basis: str, *, fresh: bool = False) -> None:
    """Keep the keys, blocks, clusters and groups of everyone (``k``, in store order). ``fresh``:
    the entries were all added by this run, so none has a group yet to clear."""
    entries = k.ids.tolist()
    rowids = store.entry_order(entries)
    cluster_ids = [rowids[entries[r]] for r in roots.tolist()]
    del rowids
    store.clear_group_keys()
    columns = _key_columns(k)
    store.save_group_keys(zip(entries, *(c.tolist() for c in columns[:6]), [int(x) for x in columns[6]],
                              columns[7].tolist(), cluster_ids, strict=True))
    del cluster_ids
    store.replace_blocks(_all_blocks(k))
    rows = zip(entries, group.tolist(), why.tolist(), strict=True)
    store.set_groups((e, g, w) for e, g, w in rows if g or w or not fresh)
    store.set_meta(_BASIS, wanted_basis)


# -- the entries a run brings ----------------------------------------------------------------------


def update(store: Store, rows: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch],
           order: DateOrder | None) -> int:
    """Bring the stored groups up to date for ``rows``: the current version of each new or
    changed entry (``_entry`` column). Returns how many entries were regrouped."""
    if rows.empty:
        return 0
    k, texts = keys_of(rows, rubric, mapping, order)
    entries = [str(e) for e in k.ids.tolist()]
    new_blocks = _block_rows(k)
    old_blocks = store.blocks_of(entries)
    touched = {b for bs in new_blocks for _kind, b in bs} | {b for bs in old_blocks.values() for b in bs}
    emails = {b for bs in new_blocks for kind, b in bs if kind == "email"}
    before = store.block_sizes(touched)
    store.set_blocks(entries, ((b, e) for e, bs in zip(entries, new_blocks, strict=True) for _kind, b in bs))
    after = store.block_sizes(touched)

    def inert(block: int, sizes: dict[int, int]) -> bool:
        return block not in emails and sizes.get(block, 0) > dedupe.MAX_BLOCK

    crossed = [b for b in touched if inert(b, before) != inert(b, after)]
    # A changed entry keeps its old cluster until it is regrouped (that cluster may split); a
    # new one starts its own.
    clusters = store.clusters_of(entries)
    rowids = store.entry_order(entries)
    own = {e: clusters.get(e, rowids[e]) for e in entries}
    store.save_group_keys(zip(entries, *(c.tolist() for c in _key_columns(k)[:6]), [int(x) for x in k.long],
                              k.submitted.tolist(), [own[e] for e in entries], strict=True))
    # Who each new key may be joined with: everyone in an e-mail or profile block with it; in a
    # phone block, those with alike names or near-identical answers; in a name block (a name with
    # an answer's opening or ending), those with alike names and near-identical answers.
    open_blocks = {b for bs in new_blocks for _kind, b in bs if not inert(b, after)}
    members = store.block_members([*open_blocks, *crossed])
    compared = {m for bs in new_blocks for kind, b in bs if kind not in _ALWAYS and b in open_blocks
                for m in members.get(b, [])}
    keys_of_others = {str(r[0]): r for r in store.group_keys_of(sorted(compared))}
    partners: set[str] = set()
    by_answers: list[tuple[int, str]] = []
    for pos, (entry, blocks) in enumerate(zip(entries, new_blocks, strict=True)):
        for kind, block in blocks:
            if block not in open_blocks:
                continue
            for other in members.get(block, []):
                if other == entry or other in partners:
                    continue
                if kind in _ALWAYS:
                    partners.add(other)
                    continue
                theirs = keys_of_others.get(other)
                alike = theirs is not None and dedupe.names_alike(k.names[pos], str(theirs[4]))
                if kind == "phone" and alike:
                    partners.add(other)
                elif (alike or kind == "phone") and k.long[pos] and theirs is not None and theirs[7]:
                    by_answers.append((pos, other))
    partners |= _alike_answers(store, by_answers, texts, rubric, mapping)
    # A block that became small enough to pair may join any of its members; one that became
    # too large may split the groups of all of them.
    partners.update(m for b in crossed for m in members.get(b, []))
    where = store.clusters_of(partners | set(entries))
    return _regroup(store, set(where.values()), rubric, mapping)


# Blocks whose members may all be joined (a profile block by rules of its own).
_ALWAYS = ("email", "profile")


def _alike_answers(store: Store, pairs: list[tuple[int, str]], texts: list[str], rubric: Rubric,
                   mapping: dict[str, FieldMatch]) -> set[str]:
    """The stored entries of ``pairs`` (a new row's position, a stored entry) whose answers are
    near-identical to the new row's (``texts``: the new rows' folded answers)."""
    if not pairs:
        return set()
    others = sorted({other for _pos, other in pairs})
    theirs = dict(zip(others, _folded(store, others, rubric, mapping), strict=True))
    return {other for pos, other in pairs if dedupe.texts_alike(texts[pos], theirs[other])}


def _folded(store: Store, entries: list[str], rubric: Rubric, mapping: dict[str, FieldMatch]) -> list[str]:
    """The folded answers (``dedupe.fold_answers``) of stored ``entries``, in the order given."""
    return dedupe.fold_answers(answers_text(store.answers_frame(entries), rubric, mapping)).tolist()


def _regroup(store: Store, clusters: set[int], rubric: Rubric, mapping: dict[str, FieldMatch]) -> int:
    """Group the entries of ``clusters`` again, as a regroup of everyone would."""
    rows = store.group_keys(clusters)
    if not rows:
        return 0
    k = _keys_from_rows(rows)
    inert = _inert(store, k)
    pairs = list(dedupe.answer_pairs(k, inert))
    wanted = np.flatnonzero(dedupe.answer_candidates(k, pairs))
    texts: dict[int, str] = {}
    if wanted.size:
        folded = _folded(store, [str(k.ids[i]) for i in wanted.tolist()], rubric, mapping)
        texts = dict(zip(wanted.tolist(), folded, strict=True))
    groups = dedupe.group(k, texts, pairs, inert)
    ids = [str(i) for i in k.ids.tolist()]
    store.set_groups(zip(ids, groups.group.tolist(), groups.why.tolist(), strict=True))
    # Each group found is a cluster, named by its first member's place in the store (the rows
    # are in store order).
    rowids = store.entry_order(ids)
    store.set_clusters((rowids[ids[first]], entry)
                       for entry, first in zip(ids, _components(k.ids, groups.group).tolist(), strict=True))
    return len(k)


def _inert(store: Store, k: dedupe.Keys) -> dict[str, set[str]]:
    """The blocks of ``k``'s rows that are too large to pair in the whole store."""
    out: dict[str, set[str]] = {}
    found: dict[int, tuple[str, str]] = {}
    for kind, keys in dedupe.block_keys(k).items():
        if kind == "email":
            continue
        distinct = np.array(sorted(set(keys.tolist()) - {""}), dtype=object)
        found.update(zip(block_ids(kind, distinct).tolist(), ((kind, key) for key in distinct.tolist()), strict=True))
    for block, size in store.block_sizes(found).items():
        if size > dedupe.MAX_BLOCK:
            kind, key = found[block]
            out.setdefault(kind, set()).add(key)
    return out
