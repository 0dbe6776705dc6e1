"""Find rubric keywords and phrases in a column of answers, word-bounded and fuzzy, by column.

A text column is tokenised once into a flat array of token ids (``TokenIndex``). Each keyword
is matched against the column's *vocabulary* of distinct tokens (exactly, by prefix, or with
rapidfuzz at the rubric's threshold), and the hits are mapped back to rows with numpy. Nothing
here loops over applicants: the cost grows with the number of distinct words, not rows×terms.

Matching is on whole tokens, so ``PM`` never matches inside ``5pm`` and ``Tform`` never
matches inside ``platform``; a phrase matches only as consecutive tokens of one answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from screener.normalize import normalize_text

TOKEN_RE = re.compile(r"[^\W_]+")


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


@dataclass
class TokenIndex:
    """All tokens of one text column: ``rows[i]`` is the row of the i-th token, ``codes[i]`` its id."""

    n_rows: int
    rows: np.ndarray
    codes: np.ndarray
    vocab: np.ndarray
    word_counts: np.ndarray
    blank: np.ndarray
    _lookup: dict[str, int] = field(default_factory=dict, repr=False)
    _word_cache: dict[tuple[str, bool, int, int], np.ndarray] = field(default_factory=dict, repr=False)

    def word_scores(self, word: str, prefix: bool, fuzzy: int, min_length: int) -> np.ndarray:
        """Similarity 0-100 of ``word`` to every vocabulary token (0 = no match)."""
        key = (word, prefix, fuzzy, min_length)
        cached = self._word_cache.get(key)
        if cached is not None:
            return cached
        scores = np.zeros(len(self.vocab), dtype=np.uint8)
        if len(self.vocab):
            if prefix:
                starts = pd.Index(self.vocab, dtype=object).str.startswith(word)
                scores[np.asarray(starts, dtype=bool)] = 100
            else:
                if fuzzy < 100 and len(word) >= min_length:
                    matrix = process.cdist(
                        [word], self.vocab, scorer=fuzz.ratio, processor=None,
                        score_cutoff=fuzzy, dtype=np.uint8, workers=-1,
                    )
                    scores = np.asarray(matrix[0], dtype=np.uint8)
                    # Fuzzy matches are for typos of long words; never for short tokens.
                    too_short = _lengths(self.vocab) < min_length
                    scores[too_short] = 0
                exact = self._lookup_id(word)
                if exact is not None:
                    scores[exact] = 100
        self._word_cache[key] = scores
        return scores

    def _lookup_id(self, word: str) -> int | None:
        if not self._lookup and len(self.vocab):
            self._lookup = {token: i for i, token in enumerate(self.vocab.tolist())}
        return self._lookup.get(word)


def _lengths(vocab: np.ndarray) -> np.ndarray:
    return np.fromiter((len(v) for v in vocab), dtype=np.int32, count=len(vocab))


def build_index(texts: pd.Series) -> TokenIndex:
    """Tokenise a column of answers once."""
    normalised = normalize_text(texts.reset_index(drop=True))
    token_lists = [TOKEN_RE.findall(text) for text in normalised.tolist()]
    counts = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    flat = [token for tokens in token_lists for token in tokens]
    if flat:
        codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
        vocab = np.asarray(uniques, dtype=object)
    else:
        codes, vocab = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    return TokenIndex(
        n_rows=len(texts),
        rows=np.repeat(np.arange(len(texts), dtype=np.int64), counts),
        codes=np.asarray(codes, dtype=np.int64),
        vocab=vocab,
        word_counts=counts,
        blank=counts == 0,
    )


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


def find(index: TokenIndex, patterns: list[Pattern], fuzzy: int, min_length: int) -> Hits:
    """Rows where any of ``patterns`` occurs; the earliest occurrence is the evidence."""
    n_tokens = len(index.codes)
    best_pos = np.full(index.n_rows, n_tokens, dtype=np.int64)
    best_len = np.zeros(index.n_rows, dtype=np.int64)
    best_score = np.zeros(index.n_rows, dtype=np.int64)
    for pattern in patterns:
        if not pattern.words or n_tokens == 0:
            continue
        k = len(pattern.words)
        at = np.full(n_tokens, 100, dtype=np.int64)
        for offset, word in enumerate(pattern.words):
            is_last = offset == k - 1
            scores = index.word_scores(word, pattern.prefix and is_last, fuzzy, min_length)
            if offset == 0:
                at = scores[index.codes].astype(np.int64)
            else:
                shifted = np.zeros(n_tokens, dtype=np.int64)
                same_row = index.rows[offset:] == index.rows[:-offset]
                shifted[:-offset] = np.where(same_row, scores[index.codes[offset:]], 0)
                at = np.minimum(at, shifted)
        positions = np.flatnonzero(at)
        if positions.size == 0:
            continue
        rows = index.rows[positions]
        first_rows, first_idx = np.unique(rows, return_index=True)
        first_pos = positions[first_idx]
        better = first_pos < best_pos[first_rows]
        target = first_rows[better]
        best_pos[target] = first_pos[better]
        best_len[target] = k
        best_score[target] = at[first_pos[better]]
    hit = best_pos < n_tokens
    matched = np.full(index.n_rows, "", dtype=object)
    if hit.any():
        rows = np.flatnonzero(hit)
        text = index.vocab[index.codes[best_pos[rows]]]
        for offset in range(1, int(best_len[rows].max())):
            longer = best_len[rows] > offset
            extra = index.vocab[index.codes[np.minimum(best_pos[rows] + offset, n_tokens - 1)]]
            text = np.where(longer, text + " " + extra, text)
        matched[rows] = text
    return Hits(hit=hit, matched=matched, score=np.where(hit, best_score, 0))
