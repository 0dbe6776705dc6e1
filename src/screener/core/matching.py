"""Find rubric keywords and phrases in a column of answers, word-bounded and fuzzy, by column.

A text column is normalised and tokenised once (``TokenIndex``): each *distinct* normalised
answer is a document, and the documents' tokens are one flat array of token ids. Each keyword
is matched against the column's *vocabulary* of distinct tokens (exactly, by prefix, or with
rapidfuzz at the rubric's threshold); the positions of the matching tokens come from an
inverted index (token id -> positions), phrases are consecutive-token checks on the same
arrays, and the hits are mapped back to rows with numpy. Nothing here loops over applicants:
the cost grows with the number of distinct words and of matching tokens, not rows×terms.

Matching is on whole tokens, so ``PM`` never matches inside ``5pm`` and ``Tform`` never
matches inside ``platform``; a phrase matches only as consecutive tokens of one answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from screener.core.normalize import distinct, normalize_one, normalize_text

TOKEN_RE = re.compile(r"[^\W_]+")

# In ASCII text the tokens of TOKEN_RE are the runs of [A-Za-z0-9]: turning every other ASCII
# character into a space and splitting on whitespace gives the same tokens, several times faster.
_ASCII_SEPARATORS = str.maketrans({chr(i): " " for i in range(128) if not chr(i).isalnum()})
_ASCII_SEPARATORS_KEEP_NUL: dict[int, int | str | None] = {**_ASCII_SEPARATORS, 0: 0}
# Documents are tokenised this many at a time, so the token strings of a million answers never
# all exist at once: only their int32 ids are kept.
_CHUNK_DOCS = 20_000
# Above this share of all tokens, scanning the token array beats gathering from the index.
_SCAN_SHARE = 8
# The inverted index is built for this many tokens at a time.
_POSTINGS_CHUNK = 1 << 24


@dataclass
class Pattern:
    """One way of writing a term, as normalised words; the last word may be a prefix (``mentor*``)."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


def compile_pattern(text: str) -> Pattern:
    """Normalise a rubric keyword the same way answers are normalised."""
    stripped = text.strip()
    prefix = stripped.endswith("*")
    normalised = normalize_text(pd.Series([stripped.rstrip("*")], dtype=object)).iloc[0]
    return Pattern(tuple(TOKEN_RE.findall(normalised)), prefix)


# --------------------------------------------------------------------------------------------
# Normalising and tokenising a column.

def _fast(doc: str) -> bool:
    """Whether a document can take the ASCII shortcut (NUL is kept out: it separates documents)."""
    return doc.isascii() and "\x00" not in doc


class _Vocabulary(dict[str, int]):
    """Token -> id; a token not seen before gets the next id as it is looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.next_id = 0

    def __missing__(self, token: str) -> int:
        self[token] = token_id = self.next_id
        self.next_id += 1
        return token_id


def _tokenise(docs: list[str], vocab: _Vocabulary, fast: bool) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (int32, the documents one after another) and the number of tokens per document.

    ``fast`` documents (all ``_fast``) are joined with NUL, translated and split in one call;
    NUL is the only separator that stays a token (id -1), and marks where each document ends.
    The others go through TOKEN_RE one at a time. New tokens are added to ``vocab``.
    """
    if fast:
        flat = " \x00 ".join(docs).translate(_ASCII_SEPARATORS_KEEP_NUL).split()
        vocab["\x00"] = -1
    else:
        lists = [TOKEN_RE.findall(doc) for doc in docs]
        flat = list(chain.from_iterable(lists))
    codes = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int32, count=len(flat))
    if not fast:
        return codes, np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    del vocab["\x00"]
    breaks = np.flatnonzero(codes < 0)
    counts = np.diff(np.concatenate(([-1], breaks, [len(codes)]))) - 1
    return codes[codes >= 0], counts


def _ids(items: list[str]) -> tuple[np.ndarray, list[str]]:
    """Factorise a list of strings in first-seen order: (codes, distinct items)."""
    index: dict[str, int] = {}
    for item in dict.fromkeys(items):
        index[item] = len(index)
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    return codes, list(index)


@dataclass
class TokenIndex:
    """All tokens of one text column, by document (distinct normalised answer).

    ``doc_of_row[r]`` is row r's document; document d's tokens are
    ``codes[doc_start[d]:doc_start[d + 1]]`` (ids into ``vocab``).
    """

    n_rows: int
    doc_of_row: np.ndarray
    doc_start: np.ndarray
    codes: np.ndarray
    vocab: np.ndarray
    _lookup: dict[str, int] = field(default_factory=dict, repr=False)
    doc_keys: np.ndarray | None = field(default=None, repr=False)  # see build_index(keys=True)
    _word_cache: dict[tuple[str, bool, int, int], np.ndarray] = field(default_factory=dict, repr=False)
    _postings: list[tuple[int, np.ndarray, np.ndarray]] | None = field(default=None, repr=False)
    _vocab_lengths: np.ndarray | None = field(default=None, repr=False)
    _sorted: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def n_docs(self) -> int:
        return len(self.doc_start) - 1

    @property
    def doc_counts(self) -> np.ndarray:
        return np.diff(self.doc_start)

    @property
    def word_counts(self) -> np.ndarray:
        """Number of words per row."""
        return self.doc_counts[self.doc_of_row]

    @property
    def blank(self) -> np.ndarray:
        """Rows with no words at all."""
        return self.word_counts == 0

    def copies(self) -> np.ndarray:
        """Per row: how many *other* rows have the same normalised text (0 for blank rows)."""
        rows_per_doc = np.bincount(self.doc_of_row, minlength=self.n_docs)
        copies = rows_per_doc[self.doc_of_row] - 1
        return np.where(self.blank, 0, copies)

    def row_keys(self) -> np.ndarray:
        """Per row: ``text_key`` of its normalised text ("" for blank rows); needs ``keys=True``."""
        if self.doc_keys is None:
            raise ValueError("this index was built without text keys")
        return self.doc_keys[self.doc_of_row]

    def distinct_words(self) -> np.ndarray:
        """Number of different words per row."""
        per_doc = np.zeros(self.n_docs, dtype=np.int64)
        bounds = self.doc_start
        for lo in range(0, self.n_docs, _CHUNK_DOCS):
            hi = min(lo + _CHUNK_DOCS, self.n_docs)
            base = int(bounds[lo])
            codes = self.codes[base : int(bounds[hi])].tolist()
            edges = (bounds[lo : hi + 1] - base).tolist()
            per_doc[lo:hi] = [len(set(codes[a:b])) for a, b in zip(edges[:-1], edges[1:], strict=True)]
        return per_doc[self.doc_of_row]

    def doc_of_position(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.doc_start, positions, side="right") - 1

    def positions(self, scores: np.ndarray) -> np.ndarray:
        """Sorted positions of the tokens whose vocabulary score is not 0."""
        ids = np.flatnonzero(scores)
        n_tokens = len(self.codes)
        if ids.size == 0 or n_tokens == 0:
            return np.zeros(0, dtype=np.int64)
        postings = self._index()
        sizes = [ptr[ids + 1] - ptr[ids] for _lo, _order, ptr in postings]
        if int(sum(int(s.sum()) for s in sizes)) * _SCAN_SHARE > n_tokens:
            return np.flatnonzero(scores[self.codes])
        pieces = []
        for (lo, order, ptr), size in zip(postings, sizes, strict=True):
            total = int(size.sum())
            if total:
                # The concatenated ranges order[ptr[i]:ptr[i + 1]] for every id i, without a loop.
                starts = np.repeat(ptr[ids] - np.cumsum(size) + size, size)
                pieces.append(order[starts + np.arange(total)].astype(np.int64) + lo)
        found = np.concatenate(pieces)
        if ids.size > 1:
            found.sort()
        return found

    def _index(self) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """The inverted index, by chunks of tokens: (first position, positions in the chunk sorted by
        token id and position, where each id's run starts). Chunks keep the sort's memory small."""
        if self._postings is None:
            n_vocab = len(self.vocab)
            postings = []
            for lo in range(0, len(self.codes), _POSTINGS_CHUNK):
                chunk = self.codes[lo : lo + _POSTINGS_CHUNK]
                keys = chunk.astype(np.uint16) if n_vocab <= 2**16 else chunk
                order = np.argsort(keys, kind="stable").astype(np.int32)  # a radix sort for 16-bit ids
                ptr = np.zeros(n_vocab + 1, dtype=np.int64)
                np.cumsum(np.bincount(chunk, minlength=n_vocab), out=ptr[1:])
                postings.append((lo, order, ptr))
            self._postings = postings
        return self._postings

    def word_scores(self, word: str, prefix: bool, fuzzy: int, min_length: int) -> np.ndarray:
        """Similarity 0-100 of ``word`` to every vocabulary token (0 = no match)."""
        key = (word, prefix, fuzzy, min_length)
        cached = self._word_cache.get(key)
        if cached is None:
            self.prefetch([(word, prefix)], fuzzy, min_length)
            cached = self._word_cache[key]
        return cached

    def prefetch(self, words: Iterable[tuple[str, bool]], fuzzy: int, min_length: int) -> None:
        """Compute ``word_scores`` for several (word, prefix) pairs at once: rapidfuzz is given all
        the fuzzy words in one ``cdist`` call, which costs little more than one word alone."""
        todo = [(w, p) for w, p in dict.fromkeys(words) if (w, p, fuzzy, min_length) not in self._word_cache]
        if not todo:
            return
        n = len(self.vocab)
        fuzzy_words = [w for w, p in todo if not p and n and fuzzy < 100 and len(w) >= min_length]
        fuzzy_scores: dict[str, np.ndarray] = {}
        if fuzzy_words:
            # Fuzzy matches are for typos of long words; never for short tokens. Only tokens whose
            # length lets fuzz.ratio reach the cutoff for some word are compared: with lengths a and
            # b the ratio is at most 100 * (1 - |a - b| / (a + b)).
            lengths = self._lengths()
            feasible = np.zeros(n, dtype=bool)
            for a in {len(w) for w in fuzzy_words}:
                feasible |= 100.0 * (1.0 - np.abs(lengths - a) / (lengths + a)) + 1e-9 >= fuzzy
            candidates = np.flatnonzero(feasible & (lengths >= min_length))
            matrix = np.zeros((len(fuzzy_words), 0), dtype=np.uint8)
            if candidates.size:
                matrix = process.cdist(
                    fuzzy_words, self.vocab[candidates].tolist(), scorer=fuzz.ratio, processor=None,
                    score_cutoff=fuzzy, dtype=np.uint8, workers=-1,
                )
            for i, w in enumerate(fuzzy_words):
                scores = np.zeros(n, dtype=np.uint8)
                scores[candidates] = matrix[i]
                fuzzy_scores[w] = scores
        for word, prefix in todo:
            if prefix:
                scores = np.zeros(n, dtype=np.uint8)
                if n:
                    scores[self._with_prefix(word)] = 100
            else:
                found = fuzzy_scores.get(word)
                scores = found if found is not None else np.zeros(n, dtype=np.uint8)
                exact = self._lookup_id(word) if n else None
                if exact is not None:
                    scores[exact] = 100
            self._word_cache[(word, prefix, fuzzy, min_length)] = scores

    def _lengths(self) -> np.ndarray:
        if self._vocab_lengths is None:
            self._vocab_lengths = np.fromiter(map(len, self.vocab), dtype=np.int64, count=len(self.vocab))
        return self._vocab_lengths

    def _with_prefix(self, word: str) -> np.ndarray:
        """Ids of the vocabulary tokens that start with ``word`` (a range of the sorted vocabulary)."""
        if self._sorted is None:
            order = np.array(sorted(range(len(self.vocab)), key=self.vocab.__getitem__), dtype=np.int64)
            self._sorted = (order, self.vocab[order])
        order, ordered = self._sorted
        # Tokens are letters and digits only, so U+10FFFF (a noncharacter) sorts after any ending.
        lo, hi = np.searchsorted(ordered, np.array([word, word + "\U0010ffff"], dtype=object), side="left")
        return order[lo:hi]

    def _lookup_id(self, word: str) -> int | None:
        if not self._lookup and len(self.vocab):
            self._lookup = {token: i for i, token in enumerate(self.vocab.tolist())}
        return self._lookup.get(word)


def text_key(normalised: str) -> str:
    """A stable 64-bit key of a normalised answer: equal answers share it across runs (it is
    stored), so copies of one text can be counted without keeping the text."""
    return hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def text_keys(texts: pd.Series) -> np.ndarray:
    """Per row, the ``text_key`` that ``build_index(texts, keys=True).row_keys()`` gives, without
    tokenising: "" for an answer without words."""
    codes, raw = distinct(texts.reset_index(drop=True))
    normalised = (normalize_one(t) for t in raw)
    keys = np.array([text_key(d) if TOKEN_RE.search(d) else "" for d in normalised], dtype=object)
    return keys[codes] if len(codes) else np.zeros(0, dtype=object)


def copy_counts(keys: np.ndarray) -> np.ndarray:
    """Per row, how many *other* rows have the same non-blank text key (0 for blank rows)."""
    series = pd.Series(keys, dtype=object)
    counts = series.map(series[series != ""].value_counts())
    return np.where(series == "", 0, counts.fillna(1).to_numpy(dtype=float) - 1).astype(np.int64)


def build_index(texts: pd.Series, *, keys: bool = False) -> TokenIndex:
    """Normalise and tokenise a column of answers once, each distinct answer once. With ``keys``,
    each document's ``text_key`` is kept too ("" for a document without words)."""
    raw_codes, raw_texts = distinct(texts.reset_index(drop=True))
    doc_of_raw, docs = _ids([normalize_one(t) for t in raw_texts])
    del raw_texts
    doc_keys = np.array([text_key(d) for d in docs], dtype=object) if keys else None
    # Documents are numbered ASCII ones first, so that those go in large joined batches.
    fast = np.fromiter(map(_fast, docs), dtype=bool, count=len(docs))
    order = np.argsort(~fast, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    docs = [docs[i] for i in order.tolist()]
    n_fast = int(fast.sum())
    vocab = _Vocabulary()
    code_parts: list[np.ndarray] = []
    count_parts: list[np.ndarray] = []
    for lo, hi, quick in ((0, n_fast, True), (n_fast, len(docs), False)):
        for begin in range(lo, hi, _CHUNK_DOCS):
            codes, counts = _tokenise(docs[begin : min(begin + _CHUNK_DOCS, hi)], vocab, quick)
            code_parts.append(codes)
            count_parts.append(counts)
    codes = np.empty(sum(len(part) for part in code_parts), dtype=np.int32)
    at = 0
    while code_parts:  # copy part by part, freeing each, so two copies never coexist
        part = code_parts.pop(0)
        codes[at : at + len(part)] = part
        at += len(part)
    counts = np.concatenate(count_parts) if count_parts else np.zeros(0, dtype=np.int64)
    doc_start = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(counts, out=doc_start[1:])
    vocab_arr = np.empty(len(vocab), dtype=object)
    vocab_arr[:] = list(vocab)
    if doc_keys is not None:
        doc_keys = np.where(counts == 0, "", doc_keys[order]).astype(object)
    return TokenIndex(
        n_rows=len(texts),
        doc_of_row=renumber[doc_of_raw][raw_codes],
        doc_start=doc_start,
        codes=codes,
        vocab=vocab_arr,
        _lookup=dict(vocab),  # a plain dict: looking a word up must not add it
        doc_keys=doc_keys,
    )


# --------------------------------------------------------------------------------------------
# Finding terms.


@dataclass
class Hits:
    """Where one term was found: per row, whether, what text, and how similar (100 = exact)."""

    hit: np.ndarray
    matched: np.ndarray
    score: np.ndarray


def empty_hits(n_rows: int) -> Hits:
    return Hits(
        hit=np.zeros(n_rows, dtype=bool),
        matched=np.full(n_rows, "", dtype=object),
        score=np.zeros(n_rows, dtype=np.int64),
    )


def pattern_words(patterns: Iterable[Pattern]) -> list[tuple[str, bool]]:
    """The (word, prefix) pairs ``find`` looks up for ``patterns``."""
    return [(w, p.prefix and i == len(p.words) - 1) for p in patterns for i, w in enumerate(p.words)]


def find(index: TokenIndex, patterns: list[Pattern], fuzzy: int, min_length: int) -> Hits:
    """Rows where any of ``patterns`` occurs; the earliest occurrence is the evidence."""
    n_tokens = len(index.codes)
    n_docs = index.n_docs
    best_pos = np.full(n_docs, n_tokens, dtype=np.int64)
    best_len = np.zeros(n_docs, dtype=np.int64)
    best_score = np.zeros(n_docs, dtype=np.int64)
    if n_tokens:
        index.prefetch(pattern_words(patterns), fuzzy, min_length)
    for pattern in patterns:
        if not pattern.words or n_tokens == 0:
            continue
        k = len(pattern.words)
        first = index.word_scores(pattern.words[0], pattern.prefix and k == 1, fuzzy, min_length)
        pos = index.positions(first)
        if pos.size == 0:
            continue
        at = first[index.codes[pos]].astype(np.int64)
        docs = index.doc_of_position(pos)
        if k > 1:
            end = index.doc_start[docs + 1]
            for offset in range(1, k):
                is_last = offset == k - 1
                scores = index.word_scores(pattern.words[offset], pattern.prefix and is_last, fuzzy, min_length)
                following = pos + offset
                inside = following < end  # the next token belongs to the same answer
                shifted = np.zeros(pos.size, dtype=np.int64)
                shifted[inside] = scores[index.codes[following[inside]]]
                at = np.minimum(at, shifted)
            keep = at > 0
            pos, at, docs = pos[keep], at[keep], docs[keep]
            if pos.size == 0:
                continue
        first_docs, first_idx = np.unique(docs, return_index=True)
        first_pos = pos[first_idx]
        better = first_pos < best_pos[first_docs]
        target = first_docs[better]
        best_pos[target] = first_pos[better]
        best_len[target] = k
        best_score[target] = at[first_idx[better]]

    hit_doc = best_pos < n_tokens
    doc_text = np.full(n_docs, "", dtype=object)
    if hit_doc.any():
        docs = np.flatnonzero(hit_doc)
        start = best_pos[docs]
        text = index.vocab[index.codes[start]]
        for offset in range(1, int(best_len[docs].max())):
            longer = best_len[docs] > offset
            extra = index.vocab[index.codes[np.minimum(start + offset, n_tokens - 1)]]
            text = np.where(longer, text + " " + extra, text)
        doc_text[docs] = text
    doc = index.doc_of_row
    hit = hit_doc[doc]
    matched = np.full(index.n_rows, "", dtype=object)
    rows = np.flatnonzero(hit)
    matched[rows] = doc_text[doc[rows]]
    score = np.zeros(index.n_rows, dtype=np.int64)
    score[rows] = best_score[doc[rows]]
    return Hits(hit=hit, matched=matched, score=score)
