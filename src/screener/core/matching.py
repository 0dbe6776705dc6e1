"""Find rubric keywords and phrases in a column of answers, in any script, by column.

A text column is tokenised once (``TokenIndex``): each *distinct* answer is a document, and
the documents' tokens are one flat array of token ids. Tokens keep the case and letters the
applicant typed (for evidence and for short keywords matched as written); each token also has
a *folded* form (``words.fold``: case, width, accents, ł/ı/œ/æ/ø, Traditional Chinese) and
keywords are compared with the folded vocabulary: exactly, by the rubric's ``*`` prefix, by
stem and compound part when the rubric names its languages, with Korean endings, and with
rapidfuzz for typos that are not themselves common words. Positions come from an inverted
index (token id -> positions), phrases are consecutive-token checks on the same arrays, and
the hits are mapped back to rows with numpy: nothing loops over applicants.

How text becomes tokens:
- Chinese and Japanese characters are one token each (a keyword is the run of its characters,
  so it is found inside any sentence); a Hangul word is one token; the script changing is a
  token boundary (``用Jira管理`` → 用 Jira 管 理).
- Sentence and clause punctuation (. ! ? ; , : 。、 and a spaced dash) is a *break* token: a
  phrase never matches across it, and a negation's reach ends there.
- ``C++``, ``C#``, ``R&D``, ``AT&T`` stay whole; ``A.I.`` reads as ``AI``; ``road-map``,
  ``Node.js`` are split (a keyword written joined, ``roadmap``, also matches the parts).
- ``don't`` reads as ``do not``; a possessive ``'s`` is dropped.

A keyword of one or two letters (``PM``, ``C``, ``R``) matches only as written, case and all,
and never right after a number (``5 PM``). A match preceded by a negation or hedge in the same
clause ("no experience with Jira", "studying for the PMP", "没有用过Jira") or followed by one
(Japanese and Korean: "Jiraの経験はありません") is reported as negated.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screener.core import words
from screener.core.normalize import Distinct, distinct, normalize_one

__all__ = [
    "BREAK",
    "CJK_CHARS_PER_WORD",
    "Hits",
    "Pattern",
    "TokenIndex",
    "build_index",
    "compile_term",
    "copy_counts",
    "empty_hits",
    "find",
    "fold_text",
    "pattern_words",
    "reader_needed",
    "text_key",
    "text_keys",
    "tokens_of",
]

#: The token a sentence or clause break becomes (. ! ; , and line ends).
BREAK = "\x01"
#: The token a softer break becomes (: ? 、 and a spaced dash): a phrase does not cross it, but a
#: negation reaches over it ("Jira: never used", "Confluence？没听说过").
SOFT = "\x02"
_BREAKS = (BREAK, SOFT)
#: Chinese and Japanese text counts one word per this many characters (Chinese words average
#: 1.5-1.7 characters), so that a letter of the same substance counts like an English one.
CJK_CHARS_PER_WORD = 1.6

# What counts as a word for text keys (unchanged: stored keys must stay comparable).
_WORD_RE = re.compile(r"[^\W_]+")

_CJK = words.CJK_CHARS
_HANGUL = words.HANGUL_CHARS
# Non-ASCII documents (NFKC-normalised) are split by one regular expression: one Chinese or
# Japanese character, a Hangul run, a break character, NUL (between documents), or a run of
# other letters and digits with the punctuation ``_refine`` reads; anything else separates.
_COARSE_RE = re.compile(
    f"[{_CJK}]|[{_HANGUL}]+|[,;!\\n\\r。，；！?、？\\x00]|(?:[^\\W_{_CJK}{_HANGUL}]|[.'\\-&+#:’‘–—])+")
# What a coarse token of a non-ASCII document still needs before ``_refine`` reads it.
_QUOTES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-"})

# Coarse tokenising is a character table: separators become spaces, clause and sentence marks
# become a break, and the characters whose meaning depends on their neighbours (. ' - & + # :)
# stay inside the coarse token for ``_refine`` to read, once per distinct coarse token.
_KEEP = set(".'-&+#:\x00" + BREAK + SOFT)
_BREAK_CHARS = ",;!\n\r。，；！"
_SOFT_CHARS = "?、？"
_TABLE: dict[int, int | str | None] = {}
for _i in range(128):
    _c = chr(_i)
    if _c.isalnum() or _c in _KEEP:
        continue
    # One character for one: str.translate has a fast path for ASCII text mapped 1:1 to ASCII.
    # A break glued to a word ("end.", "Jira,") is split from it by _refine.
    _TABLE[_i] = BREAK if _c in _BREAK_CHARS else SOFT if _c in _SOFT_CHARS else " "
for _c in "。，；！":
    _TABLE[ord(_c)] = f" {BREAK} "
for _c in "、？":
    _TABLE[ord(_c)] = f" {SOFT} "
# The katakana long-vowel mark is written or left out at will (マネージメント, マネジメント).
_TABLE[ord("ー")] = ""
for _c in "「」『』【】《》〈〉・“”‘’«»¡¿·•…–—":
    _TABLE[ord(_c)] = " "
_TABLE[ord("’")] = "'"
_TABLE[ord("‘")] = "'"
_TABLE[ord("–")] = "-"
_TABLE[ord("—")] = "-"

# Documents are tokenised this many at a time, so the token strings of a million answers never
# all exist at once: only their int32 ids are kept.
_CHUNK_DOCS = 20_000
# Above this share of all tokens, scanning the token array beats gathering from the index.
_SCAN_SHARE = 8
# The inverted index is built for this many tokens at a time.
_POSTINGS_CHUNK = 1 << 24

_MARKS = re.compile(f"([{BREAK}{SOFT}])")
_SPACED_BREAK = f" {BREAK} "
_SPACED_SOFT = f" {SOFT} "
_INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}|(?:[^\W\d_]\.)+[^\W\d_]")
# Letters and digits are separate tokens (PRINCE2 = PRINCE 2, ISO27001 = ISO 27001); & joins
# letters (R&D), + and # stay at a word's end (C++, C#).
_PIECE = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)*(?:[+#]+(?![^\W\d_+#]))?|\d+(?:[+#]+(?![^\W_+#]))?")
_LETTER_HYPHEN = re.compile(r"(?<![^\W_])([^\W\d_])-(?=[^\W\d_])")
_CONTRACTION = re.compile(r"(?i)(ca|wo|[^\W_]+)n't$")
# From the start of the run only: trying every start in a long run of dots took quadratic time.
_TRAILING = re.compile(r"(?<![.:])[.:]+$")

_PRONOUNS = frozenset({"me", "us", "him", "her", "them"})

# How a keyword word matched a token, best first; the evidence names all but the first two.
EXACT, PREFIX, FOLDED, SPELLING, SCRIPT, OTHER_SCRIPT, ENDING, STEM, COMPOUND, TYPO = range(1, 11)
_HOW_LABEL = {FOLDED: "accent", SPELLING: "spelling", SCRIPT: "traditional", OTHER_SCRIPT: "other script",
              ENDING: "ending", STEM: "stem", COMPOUND: "compound", TYPO: "typo"}


def _refine(token: str) -> list[str]:
    """The fine tokens of a coarse token that holds punctuation (see the module docstring)."""
    if token in (BREAK, SOFT, "\x00"):
        return [token]
    if len(token) == 1 and token in _BREAK_CHARS + _SOFT_CHARS:
        return [BREAK if token in _BREAK_CHARS else SOFT]
    if token == "ー":  # the katakana long-vowel mark is written or left out at will
        return []
    if not token.isascii():
        token = token.translate(_QUOTES)
    if BREAK in token or SOFT in token:
        return [fine for part in _MARKS.split(token) if part for fine in (
            [part] if part in _BREAKS else [part] if part.isalpha() or part.isdigit() else _refine(part))]
    body = token.strip("'-.:")
    if not body:
        return [BREAK] if token[0] == "." else [SOFT] if token[0] in "-:" else []  # standing alone
    trailing = _TRAILING.search(token)
    trailing_break = SOFT if trailing and trailing.group(0)[0] == ":" else BREAK if trailing else ""
    if _INITIALISM.fullmatch(token):
        trailing_break = ""
    lowered = body.lower()
    if lowered.endswith("n't"):
        base = body[:-3]
        out = _refine_part({"ca": "can", "wo": "will", "sha": "shall"}.get(base.lower(), base)) + ["not"]
    elif lowered.endswith("'s"):
        out = _refine_part(body[:-2])
    else:
        out = [piece for part in body.split("'") for piece in _refine_part(part)]
    if trailing_break:
        out.append(trailing_break)
    return out


def _refine_part(part: str) -> list[str]:
    if not part:
        return []
    if _INITIALISM.fullmatch(part) or _INITIALISM.fullmatch(part + "."):
        return [part.replace(".", "")]
    out: list[str] = []
    for i, chunk in enumerate(re.split(r":(?!\d)", part)):
        if i:
            out.append(SOFT)
        out.extend(_pieces(_LETTER_HYPHEN.sub(r"\1", chunk)))
    return out


def _pieces(chunk: str) -> list[str]:
    """Letters and digits apart (PRINCE2 = PRINCE 2), except one or two letters glued to the
    digits after them, a code of its own: C1 (a licence or a level), PM2.5, A4, H1B."""
    found = list(_PIECE.finditer(chunk))
    out: list[str] = []
    i = 0
    while i < len(found):
        m = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (nxt is not None and nxt.start() == m.end() and len(m.group()) <= 2 and m.group().isalpha()
                and nxt.group()[:1].isdigit()):
            out.append(m.group() + nxt.group())
            i += 2
        else:
            out.append(m.group())
            i += 1
    return out


def fold_text(text: str) -> str:
    """A text's folded tokens joined by spaces, breaks left out: equal for two ways of writing
    the same words."""
    return " ".join(words.fold(t) for t in tokens_of(text) if t not in _BREAKS)


def _unmarked(text: str) -> str:
    """A non-ASCII text without the characters screener uses as markers (NUL, the breaks)."""
    return text.replace("\x00", " ").replace(BREAK, " ").replace(SOFT, " ")


def _split_coarse(text: str, fast: bool) -> list[str]:
    """Coarse tokens: an ASCII text (``fast``) by a character table and ``split`` (breaks are
    translated to one character, the table's fast path, and spaced out afterwards); any other
    NFKC-normalised and split by ``_COARSE_RE``."""
    if fast:
        return text.translate(_TABLE).replace(BREAK, _SPACED_BREAK).replace(SOFT, _SPACED_SOFT).split()
    return _COARSE_RE.findall(unicodedata.normalize("NFKC", text))


def _fine(token: str) -> list[str]:
    """The fine tokens of a coarse one: itself when it is all letters or all digits."""
    return [token] if (token.isalpha() or token.isdigit()) and token != "ー" else _refine(token)


# E-mail addresses and web links are not words of the answer: 'zhang.ai@163.com' says nothing
# of AI, nor 'linkedin.com/in/agile-pm' of Agile.
_LINKS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
                    r"|(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9\-_~/#=&%+]")
# _LINKS with an address starting only where a run of its characters does: every later start in
# the run reaches the same "@", and trying them all took time quadratic in the run.
_LINKS_START = re.compile(r"(?<![A-Za-z0-9._%+-])" + _LINKS.pattern)


def _without_links(text: str) -> str:
    out: list[str] = []
    done = 0
    # Where the last link ended, one may start inside a run: tried there first, as _LINKS.sub does.
    while (found := _LINKS.match(text, done) or _LINKS_START.search(text, done)) is not None:
        out += (text[done:found.start()], " ")
        done = found.end()
    return "".join(out) + text[done:] if out else text


def tokens_of(text: str) -> list[str]:
    """The tokens screener reads in one text, as written (breaks included), exactly as
    ``build_index`` tokenises an answer."""
    if "@" in text or "://" in text or "www." in text:
        text = _without_links(text)
    fast = _fast(text)
    return [fine for token in _split_coarse(text if fast else _unmarked(text), fast) for fine in _fine(token)]


@dataclass
class Pattern:
    """One way of writing a term, as folded words; the last word may be a prefix (``mentor*``).
    ``written`` holds the words as the rubric wrote them; ``as_written`` patterns (keywords of
    one or two letters) match only those."""

    words: tuple[str, ...]
    prefix: bool = False
    written: tuple[str, ...] = ()
    as_written: bool = False
    exact: bool = False  # each word only as it folds (no stem, compound or typo)
    how: int = 0  # at least this way of matching (SCRIPT: a Taiwan wording; OTHER_SCRIPT: スクラム)


def compile_term(text: str, languages: tuple[str, ...] = ()) -> list[Pattern]:
    """Every pattern a keyword stands for: as written; joined (``road map`` → ``roadmap``);
    Traditional-Chinese and Taiwan/Hong Kong wordings of a Chinese keyword; an abbreviation with
    '&' spaced out (``F & E``, its parts side by side as written); the older spellings and
    irregular plurals of ``languages`` (``words.spelling_variants``)."""
    stripped = text.strip()
    prefix = stripped.endswith("*")
    body = stripped.rstrip("*").strip()
    forms = [(body, 0), *((f, SCRIPT) for f in words.keyword_scripts(body)),
             *((f, OTHER_SCRIPT) for f in words.transliterations(body)),
             *((f, SPELLING if kind == "spelling" else STEM)
               for lang in languages for f, kind in words.spelling_variants(body, lang))]
    patterns: list[Pattern] = []
    seen: set[tuple[tuple[str, ...], bool]] = set()
    as_written = words.short_keyword(body)

    def add(written: list[str], how: int) -> None:
        written = [w for w in written if w not in (BREAK, SOFT, "\x00")]
        folded = tuple(words.fold(w) for w in written)
        if (folded, prefix) in seen:
            return
        seen.add((folded, prefix))
        patterns.append(Pattern(folded, prefix, tuple(written), as_written, how=how))

    for form, how in forms:
        written = tokens_of(form)
        add(written, how)
        clean = [w for w in written if w not in _BREAKS]
        latin = [w for w in clean if not words.is_cjk(w)]
        if len(clean) > 1 and len(latin) == len(clean) and all(w.isalpha() for w in clean):
            add(["".join(clean)], how)
    if _AMPERSAND.fullmatch(body):  # "R & D", "F & E": the two parts as written, side by side
        parts = tuple(body.split("&"))
        patterns.append(Pattern(tuple(words.fold(w) for w in parts), prefix, parts, True, exact=True))
    if not patterns:
        patterns.append(Pattern((), prefix, (), as_written))
    return patterns


_AMPERSAND = re.compile(r"[^\W\d_]{1,3}&[^\W\d_]{1,3}")


# --------------------------------------------------------------------------------------------
# Tokenising a column.


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


def _coarse(docs: list[str], vocab: _Vocabulary, fast: bool) -> tuple[np.ndarray, np.ndarray]:
    """Coarse token ids (int32, the documents one after another) and the count per document.

    The documents are joined with NUL, translated and split in one call; NUL is the only
    separator that stays a token (id -1), and marks where each document ends. ``fast``
    documents (all ``_fast``) split on whitespace; the others are NFKC-normalised first and
    split by ``_COARSE_RE`` (a Chinese or Japanese character is a token of its own).
    """
    flat = _split_coarse(" \x00 ".join(docs if fast else map(_unmarked, docs)), fast)
    vocab["\x00"] = -1
    codes = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int32, count=len(flat))
    del vocab["\x00"]
    breaks = np.flatnonzero(codes < 0)
    counts = np.diff(np.concatenate(([-1], breaks, [len(codes)]))) - 1
    return codes[codes >= 0], counts


class _Refiner:
    """Coarse token id -> fine token ids, extended as the coarse vocabulary grows."""

    def __init__(self) -> None:
        self.fine = _Vocabulary()
        self.flat: list[int] = []
        self.start: list[int] = []
        self.length: list[int] = []
        self.simple = True  # every coarse token so far is one fine token

    def extend(self, coarse: _Vocabulary) -> None:
        tokens = list(coarse)[len(self.start):]
        for token in tokens:
            fine = _fine(token)
            self.start.append(len(self.flat))
            self.length.append(len(fine))
            self.flat.extend(self.fine[t] for t in fine)
            if len(fine) != 1:
                self.simple = False

    def apply(self, codes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = np.asarray(self.flat, dtype=np.int32)
        start = np.asarray(self.start, dtype=np.int64)
        if self.simple:
            return flat[start[codes]], counts
        lengths = np.asarray(self.length, dtype=np.int64)[codes]
        total = int(lengths.sum())
        offsets = np.repeat(start[codes] - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        fine = flat[offsets]
        ends = np.cumsum(lengths)
        doc_end = np.cumsum(counts)
        bounds = np.concatenate(([0], ends))[np.concatenate(([0], doc_end))]
        return fine, np.diff(bounds)


def _ids(items: list[str]) -> tuple[np.ndarray, list[str]]:
    """Factorise a list of strings in first-seen order: (codes, distinct items)."""
    index: dict[str, int] = {}
    for item in dict.fromkeys(items):
        index[item] = len(index)
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    return codes, list(index)


@dataclass
class _Scores:
    """A keyword word's similarity (0-100) to every folded token, and how each matched."""

    score: np.ndarray
    how: np.ndarray


@dataclass
class TokenIndex:
    """All tokens of one text column, by document (distinct answer).

    ``doc_of_row[r]`` is row r's document; document d's tokens are
    ``codes[doc_start[d]:doc_start[d + 1]]`` (ids into ``vocab``, the tokens as written);
    ``fold_of[id]`` is the token's id in ``folded``.
    """

    n_rows: int
    doc_of_row: np.ndarray
    doc_start: np.ndarray
    codes: np.ndarray
    vocab: np.ndarray
    fold_of: np.ndarray
    folded: np.ndarray
    doc_words: np.ndarray  # words per document (breaks left out, CJK by CJK_CHARS_PER_WORD)
    languages: tuple[str, ...] = ()
    _lookup: dict[str, int] = field(default_factory=dict, repr=False)
    _word_cache: dict[tuple[str, bool, int, int, bool], _Scores] = field(default_factory=dict, repr=False)
    _postings: list[tuple[int, np.ndarray, np.ndarray]] | None = field(default=None, repr=False)
    _folded_lengths: np.ndarray | None = field(default=None, repr=False)
    _sorted: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _cues: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _surface_ids: dict[str, int] | None = field(default=None, repr=False)
    _written: list[str] | None = field(default=None, repr=False)
    written_of: dict[str, str] = field(default_factory=dict, repr=False)  # keyword word -> as written
    _numbers: np.ndarray | None = field(default=None, repr=False)
    _pronouns: np.ndarray | None = field(default=None, repr=False)
    _lower_docs: np.ndarray | None = field(default=None, repr=False)
    _stops: np.ndarray | None = field(default=None, repr=False)
    _break_positions: np.ndarray | None = field(default=None, repr=False)
    readers: np.ndarray | None = field(default=None, repr=False)  # see reader_needed, per document
    _cue_starts: np.ndarray | None = field(default=None, repr=False)
    _cjk: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_docs(self) -> int:
        return len(self.doc_start) - 1

    @property
    def word_counts(self) -> np.ndarray:
        """Number of words per row (Chinese and Japanese by ``CJK_CHARS_PER_WORD``)."""
        return self.doc_words[self.doc_of_row]

    @property
    def blank(self) -> np.ndarray:
        """Rows with no words at all."""
        return self.word_counts == 0

    @property
    def break_id(self) -> int:
        found = self._lookup_surface(BREAK)
        return -1 if found is None else found

    @property
    def soft_id(self) -> int:
        found = self._lookup_surface(SOFT)
        return -1 if found is None else found

    def few_distinct(self, share: float, least: int) -> np.ndarray:
        """Per row: the number of different words of an answer of at least ``least`` words
        where that number is below ``share`` of its words ("asdf asdf asdf …"), else -1. An
        answer's first words mostly show variety enough, and only the others are counted whole."""
        per_doc = np.full(self.n_docs, -1, dtype=np.int64)
        skip = [i for i in (self.break_id, self.soft_id) if i >= 0]
        candidates = np.flatnonzero(self.doc_words >= least)
        for lo in range(0, len(candidates), _CHUNK_DOCS):
            docs = candidates[lo : lo + _CHUNK_DOCS]
            starts, ends = self.doc_start[docs], self.doc_start[docs + 1]
            need = np.ceil(self.doc_words[docs] * share).astype(np.int64)  # this many different: varied
            heads = np.minimum(ends, starts + need + need // 2 + 8)
            few = self._distinct_in(starts, heads, skip) < need
            if few.any():
                found = self._distinct_in(starts[few], ends[few], skip)
                low = found < need[few]
                per_doc[docs[few][low]] = found[low]
        return per_doc[self.doc_of_row]

    def _distinct_in(self, starts: np.ndarray, ends: np.ndarray, skip: list[int]) -> np.ndarray:
        """Per span ``codes[starts[i]:ends[i]]``: how many different token ids it holds, ``skip``
        left out. Counted at once for all spans, in a hash table (pandas.unique) of (span, id)."""
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(len(starts), dtype=np.int64)
        span = np.repeat(np.arange(len(starts), dtype=np.int64), lens)
        codes = self.codes[np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)].astype(np.int64)
        if skip:
            kept = ~np.isin(codes, skip)
            span, codes = span[kept], codes[kept]
        width = len(self.vocab) + 1
        pairs = pd.unique(span * width + codes)
        return np.bincount(pairs // width, minlength=len(starts))

    def cjk_tokens(self) -> np.ndarray:
        """Per surface token: whether it is a Chinese or Japanese character."""
        if self._cjk is None:
            self._cjk = np.fromiter(map(words.is_cjk, self.vocab.tolist()), dtype=bool, count=len(self.vocab))
        return self._cjk

    def doc_of_position(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.doc_start, positions, side="right") - 1

    def positions(self, scores: np.ndarray) -> np.ndarray:
        """Sorted positions of the tokens whose (surface vocabulary) score is not 0."""
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

    # ---------------------------------------------------------------- keyword words

    def word_match(self, word: str, prefix: bool, fuzzy: int, min_length: int,
                   written: str | None = None, guard: bool = True) -> _Scores:
        """How ``word`` (folded) matches every token as written. With ``written`` only that
        spelling (and its plural with s) matches; without ``guard`` a typo may be a common word
        (inside a phrase whose other words match, "project manger" is a typo)."""
        if written is not None:
            key = (written, prefix, fuzzy, min_length, True)
            cached = self._word_cache.get(key)
            if cached is None:
                score = np.zeros(len(self.vocab), dtype=np.uint8)
                for form in (written, written + "s"):
                    found = self._lookup_surface(form)
                    if found is not None:
                        score[found] = 100
                cached = self._word_cache[key] = _Scores(score, np.where(score > 0, EXACT, 0).astype(np.uint8))
            return cached
        key = (word if guard else word + "\x00", prefix, fuzzy, min_length, False)
        if key not in self._word_cache:
            self.prefetch([(word, prefix)], fuzzy, min_length, guard)
        return self._word_cache[key]

    def exact_match(self, word: str) -> _Scores:
        """The tokens that fold to ``word`` exactly (no stem, compound or typo)."""
        key = ("=" + word, False, 100, 0, False)
        if key not in self._word_cache:
            score = np.zeros(len(self.folded), dtype=np.uint8)
            found = self._lookup_folded(word)
            if found is not None:
                score[found] = 100
            surface = score[self.fold_of] if len(self.folded) else score
            self._word_cache[key] = _Scores(surface, np.where(surface > 0, EXACT, 0).astype(np.uint8))
        return self._word_cache[key]

    def remember(self, patterns: Iterable[Pattern]) -> None:
        """Note how the rubric wrote each keyword word, so that a match written otherwise
        (zespol for zespół) is labelled as folded in the evidence."""
        for p in patterns:
            for w, written in zip(p.words, p.written, strict=False):
                self.written_of.setdefault(w, written.casefold())

    def prefetch(self, pairs: Iterable[tuple[str, bool]], fuzzy: int, min_length: int, guard: bool = True) -> None:
        """Compute ``word_match`` for several (folded word, prefix) pairs at once: rapidfuzz is given
        all the fuzzy words in one ``cdist`` call, which costs little more than one word alone."""
        suffix = "" if guard else "\x00"
        todo = [(w, p) for w, p in dict.fromkeys(pairs)
                if (w + suffix, p, fuzzy, min_length, False) not in self._word_cache]
        if not todo:
            return
        n = len(self.folded)
        typos = self._typos([w for w, p in todo if not p], fuzzy, min_length, guard) if n else {}
        for word, prefix in todo:
            score = np.zeros(n, dtype=np.uint8)
            how = np.zeros(n, dtype=np.uint8)
            if n:
                self._fill(word, prefix, typos.get(word), score, how)
            surface_how = how[self.fold_of]
            self._mark_folded(word, surface_how)
            self._word_cache[(word + suffix, prefix, fuzzy, min_length, False)] = _Scores(
                score[self.fold_of], surface_how)

    def _mark_folded(self, word: str, how: np.ndarray) -> None:
        """Exact matches of the folded word that were written otherwise than the keyword, more
        than by case or width: 'traditional' for Chinese characters, 'accent' for the rest."""
        written = self.written_of.get(word, word)
        if word.isdigit():  # "five" for 5 is read as a number, not an accent
            return
        for i in np.flatnonzero(how == EXACT).tolist():
            surface = self.vocab[i]
            if surface.casefold() != written and unicodedata.normalize("NFKC", surface).casefold() != written:
                how[i] = SCRIPT if words.is_cjk(surface) else FOLDED

    def _fill(self, word: str, prefix: bool, typo: np.ndarray | None, score: np.ndarray, how: np.ndarray) -> None:
        """Mark, in the folded vocabulary, the tokens ``word`` matches, weakest way first so that
        the strongest way wins."""
        def mark(ids: np.ndarray | list[int], value: int, kind: int) -> None:
            score[ids] = value
            how[ids] = kind

        if typo is not None:
            hit = np.flatnonzero(typo)
            score[hit] = typo[hit]
            how[hit] = TYPO
        langs = self.languages
        if word and not words.is_cjk(word) and not words.is_hangul(word):
            if set(langs) & words.COMPOUNDING and len(word) >= 4:
                mark(self._compounds(word), 100, COMPOUND)
            stemmed = [lang for lang in langs if lang in words.STEMMED]
            if stemmed and len(word) >= 3 and not prefix:
                mark(self._same_stem(word, stemmed), 100, STEM)
        if prefix:
            mark(self._with_prefix(word), 100, PREFIX)
        elif word and words.is_hangul(word):
            mark(self._korean_typos(word), 90, TYPO)
            mark(self._korean_endings(word), 100, ENDING)
        exact = self._lookup_folded(word)
        if exact is not None:
            mark([exact], 100, EXACT)

    def _korean_endings(self, word: str) -> np.ndarray:
        """Hangul words that are ``word`` with a particle or verb ending (관리를, 관리했습니다),
        not another word that starts the same way (팀버랜드 is not 팀)."""
        ids = self._with_prefix(word)
        if ids.size == 0:
            return ids
        n = len(word)
        keep = [i for i, t in zip(ids.tolist(), self.folded[ids].tolist(), strict=True)
                if len(t) > n and t[n] in words.KOREAN_ENDINGS]
        return np.array(keep, dtype=np.int64)

    def _korean_typos(self, word: str) -> np.ndarray:
        """Hangul words that are ``word`` with one vowel mistyped (``words.hangul_vowel_typo``)."""
        if len(word) < 3:
            return np.zeros(0, dtype=np.int64)
        ids = self._with_prefix(word[0])
        keep = [i for i, t in zip(ids.tolist(), self.folded[ids].tolist(), strict=True)
                if words.hangul_vowel_typo(word, t)]
        return np.array(keep, dtype=np.int64)

    def _typos(self, candidates: list[str], fuzzy: int, min_length: int, guard: bool) -> dict[str, np.ndarray]:
        """Per word: similarity of the folded tokens that look like a typo of it: rapidfuzz ratio
        ≥ ``fuzzy`` for words of ``min_length`` letters or more, or (words of four letters or
        more) one swap, insertion, deletion or change with the first letter kept (Jria, Scurm,
        budjet). With ``guard``, a token that is a common word of its own (``words.common_in``:
        lunch, manger, retos) is never a typo."""
        if fuzzy >= 100:
            return {}
        typed = [w for w in candidates if len(w) >= 4 and w.isalpha() and w.isascii() or
                 len(w) >= 4 and w.isalpha() and not words.is_cjk(w) and not words.is_hangul(w)]
        if not typed:
            return {}
        n = len(self.folded)
        lengths = self._lengths()
        near = np.zeros(n, dtype=bool)
        for a in {len(w) for w in typed}:
            # fuzz.ratio of lengths a and b is at most 100 * (1 - |a - b| / (a + b)).
            near |= (np.abs(lengths - a) <= 1) | (100.0 * (1.0 - np.abs(lengths - a) / (lengths + a)) + 1e-9 >= fuzzy)
        ids = np.flatnonzero(near & (lengths >= 4))
        found: dict[str, np.ndarray] = {}
        if ids.size == 0:
            return found
        tokens = self.folded[ids].tolist()
        # One thread: rapidfuzz's thread pool costs more than it saves on a column's vocabulary,
        # and on a busy machine its waiting threads take the CPU from the work.
        ratio = process.cdist(typed, tokens, scorer=fuzz.ratio, processor=None, score_cutoff=fuzzy,
                              dtype=np.uint8, workers=1)
        edits = process.cdist(typed, tokens, scorer=OSA.distance, processor=None, score_cutoff=1,
                              dtype=np.int32, workers=1)
        first = np.array([t[:1] for t in tokens], dtype=object)
        for i, w in enumerate(typed):
            by_ratio = (ratio[i] > 0) & (len(w) >= min_length)
            by_edit = (edits[i] <= 1) & (first == w[0])
            scores = np.zeros(n, dtype=np.uint8)
            for j in np.flatnonzero(by_ratio | by_edit).tolist():
                token = tokens[j]
                if token == w or not token.isalpha() or (guard and words.common_in(token, self.languages)):
                    continue
                scores[ids[j]] = max(1, min(99, int(fuzz.ratio(w, token))))
            found[w] = scores
        return found

    def _lengths(self) -> np.ndarray:
        if self._folded_lengths is None:
            self._folded_lengths = np.fromiter(map(len, self.folded), dtype=np.int64, count=len(self.folded))
        return self._folded_lengths

    def _with_prefix(self, word: str) -> np.ndarray:
        """Ids of the folded tokens that start with ``word`` (a range of the sorted vocabulary)."""
        if self._sorted is None:
            order = np.array(sorted(range(len(self.folded)), key=self.folded.__getitem__), dtype=np.int64)
            self._sorted = (order, self.folded[order])
        order, ordered = self._sorted
        lo, hi = np.searchsorted(ordered, np.array([word, word + "\U0010ffff"], dtype=object), side="left")
        return order[lo:hi]

    def _compounds(self, word: str) -> np.ndarray:
        """Folded tokens with ``word`` as their first part (and at least 3 more letters):
        ``Projektmanagementerfahrung`` has ``Projektmanagement``. As the last part a keyword is
        the head of another thing (``Buchführung`` is bookkeeping, not ``Führung``), so not."""
        ids = self._with_prefix(word)
        if ids.size == 0:
            return ids
        ids = ids[self._lengths()[ids] >= len(word) + 3]
        # A capital where the keyword ends is a name, not a compound: TeamViewer, JavaScript.
        surface = np.flatnonzero(np.isin(self.fold_of, ids))
        named = {int(self.fold_of[i]) for i in surface.tolist()
                 if len(self.vocab[i]) > len(word) and self.vocab[i][len(word)].isupper()
                 and not self.vocab[i].isupper()}
        return np.array([i for i in ids.tolist() if i not in named], dtype=np.int64) if named else ids

    def _same_stem(self, word: str, languages: list[str]) -> np.ndarray:
        """Folded tokens with the stem of ``word`` in one of ``languages`` (only tokens sharing its
        first three letters are stemmed). Stemmers read letters with their accents (Polish,
        Turkish, German), so each side is also stemmed as written, in lower case."""
        ids = self._with_prefix(word[:3])
        if ids.size == 0:
            return ids
        tokens = self.folded[ids].tolist()
        written = self._written_forms()
        as_written = [written[i] for i in ids.tolist()]
        keyword_written = self.written_of.get(word, word)
        keep = []
        for lang in languages:
            target = words.stem(word, lang)
            target_written = words.fold(words.stem(keyword_written, lang))
            for i, t, w in zip(ids.tolist(), tokens, as_written, strict=True):
                if words.stem(t, lang) == target or words.fold(words.stem(w, lang)) == target_written:
                    keep.append(i)
        return np.array(sorted(set(keep)), dtype=np.int64)

    def _written_forms(self) -> list[str]:
        """Per folded token: the first way it was written, in lower case."""
        if self._written is None:
            forms = [""] * len(self.folded)
            for surface, f in zip(self.vocab.tolist(), self.fold_of.tolist(), strict=True):
                if not forms[f]:
                    forms[f] = surface.casefold()
            self._written = forms
        return self._written

    def _lookup_folded(self, word: str) -> int | None:
        if not self._lookup and len(self.folded):
            self._lookup = {token: i for i, token in enumerate(self.folded.tolist())}
        return self._lookup.get(word)

    def _lookup_surface(self, token: str) -> int | None:
        if self._surface_ids is None:
            self._surface_ids = {t: i for i, t in enumerate(self.vocab.tolist())}
        return self._surface_ids.get(token)

    # ---------------------------------------------------------------- negation

    def cue_marks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions where a "before" cue ends, positions where an "after" cue starts, positions
        of contrast words), each sorted. Cues that begin a "not a cue" sequence ("not only",
        "不错") are left out. Sentence breaks also end a negation's reach (``_closed``)."""
        if self._cues is None:
            before, after, not_cues = words.negation_cues(self.languages)
            excluded = _merged([self._occurrences(c)[0] for c in not_cues])
            ends, begins = [], []
            for cue in before:
                start, stop = self._occurrences(cue)
                keep = ~np.isin(start, excluded)
                ends.append(stop[keep])
                begins.append(start[keep])
            starts = []
            for cue in after:
                start, _stop = self._occurrences(cue)
                starts.append(start[~np.isin(start, excluded)])
            scope = [self._occurrences(w)[1] for w in words.contrast_words()]
            all_ends = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
            all_begins = np.concatenate(begins) if begins else np.zeros(0, dtype=np.int64)
            # Per cue end (sorted, unique): where the longest cue ending there begins.
            order = np.lexsort((all_begins, all_ends))
            uniq, first = np.unique(all_ends[order], return_index=True)
            self._cue_starts = all_begins[order][first]
            self._cues = (uniq, _merged(starts), _merged(scope))
        return self._cues

    def _closed(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Per pair: whether a sentence break or a contrast word lies strictly between ``lo`` and
        ``hi`` (the break positions are sorted already: no merge of big arrays)."""
        if self._break_positions is None:
            brk = self.break_id
            self._break_positions = np.flatnonzero(self.codes == brk) if brk >= 0 else np.zeros(0, dtype=np.int64)
        closed = np.zeros(lo.size, dtype=bool)
        for marks in (self._break_positions, self.cue_marks()[2]):
            if marks.size:
                closed |= np.searchsorted(marks, lo, side="right") != np.searchsorted(marks, hi, side="left")
        return closed

    def _occurrences(self, cue: str) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) positions of a cue written as folded tokens separated by spaces."""
        parts = cue.split()
        empty = np.zeros(0, dtype=np.int64)
        if not parts or len(self.codes) == 0:
            return empty, empty
        pos = self.positions(self._cue_ids(parts[0]))
        for offset, part in enumerate(parts[1:], start=1):
            if pos.size == 0:
                break
            nxt = pos + offset
            inside = nxt < len(self.codes)
            ok = np.zeros(pos.size, dtype=bool)
            ok[inside] = self._cue_ids(part)[self.codes[nxt[inside]]] > 0
            pos = pos[ok]
        return pos, pos + len(parts) - 1

    def _cue_ids(self, part: str) -> np.ndarray:
        """Per surface token: whether it is the cue word ``part`` (a Hangul cue: begins with it)."""
        folded_hit = np.zeros(len(self.folded), dtype=np.uint8)
        if words.is_hangul(part):
            folded_hit[self._with_prefix(part)] = 1
        else:
            found = self._lookup_folded(part)
            if found is not None:
                folded_hit[found] = 1
        return folded_hit[self.fold_of] if len(self.folded) else folded_hit

    def negated(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Per match (first and last token positions): whether a negation or hedge reaches it.
        A cue reaches 6 words (Chinese and Japanese: 8 characters) back, and a cue after the
        match 5 words (14 characters) on, within the sentence and before any contrast word."""
        if start.size == 0:
            return np.zeros(0, dtype=bool)
        return self.cue_before(start)[0] | self.cue_after(start, end)

    def cue_before(self, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whether a "before" cue reaches each match, where that cue begins)."""
        before, _after, _scope = self.cue_marks()
        if before.size == 0 or start.size == 0:
            return np.zeros(start.size, dtype=bool), start
        cjk = self.cjk_tokens()
        doc_start = self.doc_start[self.doc_of_position(start)]
        i = np.searchsorted(before, start, side="left") - 1
        cue = np.where(i >= 0, before[np.maximum(i, 0)], -1)
        reach = np.where(cjk[self.codes[np.maximum(start - 1, 0)]], 8, 6)
        near = (i >= 0) & (cue >= doc_start) & (start - cue <= reach)
        reached = near.copy()
        reached[near] = ~self._closed(cue[near], start[near])
        assert self._cue_starts is not None
        cue_start = self._cue_starts[np.maximum(i, 0)]
        return reached, np.where(reached, cue_start, start)

    def cue_after(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        _before, after, _scope = self.cue_marks()
        if after.size == 0 or start.size == 0:
            return np.zeros(start.size, dtype=bool)
        cjk = self.cjk_tokens()
        doc_end = self.doc_start[self.doc_of_position(start) + 1]
        j = np.searchsorted(after, end, side="right")
        cue = np.where(j < after.size, after[np.minimum(j, after.size - 1)], -1)
        nxt = np.minimum(end + 1, len(self.codes) - 1)
        reach = np.where(cjk[self.codes[nxt]] | cjk[self.codes[end]], 14, 5)
        near = (j < after.size) & (cue < doc_end) & (cue > end) & (cue - end <= reach)
        reached = near.copy()
        reached[near] = ~self._closed(end[near], cue[near])
        return reached

    def after_number(self, start: np.ndarray) -> np.ndarray:
        """Per position: whether the token before it (same answer) is a number (``5 PM``)."""
        prev = start - 1
        ok = (prev >= 0) & (prev >= self.doc_start[self.doc_of_position(start)])
        if self._numbers is None:
            self._numbers = np.fromiter((t.isdigit() for t in self.vocab.tolist()), dtype=bool, count=len(self.vocab))
        out = np.zeros(start.size, dtype=bool)
        out[ok] = self._numbers[self.codes[prev[ok]]]
        return out

    def before_pronoun(self, end: np.ndarray) -> np.ndarray:
        """Per position: whether the next token (same answer) is an object pronoun (``PM me``)."""
        nxt = end + 1
        ok = nxt < self.doc_start[self.doc_of_position(end) + 1]
        if self._pronouns is None:
            self._pronouns = np.fromiter((t.lower() in _PRONOUNS for t in self.vocab.tolist()), dtype=bool,
                                         count=len(self.vocab))
        out = np.zeros(end.size, dtype=bool)
        out[ok] = self._pronouns[self.codes[nxt[ok]]]
        return out

    def lower_case_docs(self) -> np.ndarray:
        """Per document: whether it has no capital letter at all (case says nothing there)."""
        if self._lower_docs is None:
            upper = np.fromiter((t != t.lower() for t in self.vocab.tolist()), dtype=bool, count=len(self.vocab))
            has = np.zeros(self.n_docs, dtype=bool)
            if upper.any() and len(self.codes):
                has[np.unique(self.doc_of_position(np.flatnonzero(upper[self.codes])))] = True
            self._lower_docs = ~has
        return self._lower_docs

    def stopword_tokens(self) -> np.ndarray:
        """Per surface token: whether it is one of the most common words of the rubric's
        languages (a phrase may skip up to two of them: "gestión de los proyectos")."""
        if self._stops is None:
            stops: set[str] = set()
            for lang in self.languages:
                if lang in words.STEMMED:
                    stops |= words.stopwords(lang)
                elif lang == "zh":
                    stops |= {"的", "之"}  # 项目的管理 is 项目管理
            folded = np.fromiter((t in stops for t in self.folded.tolist()), dtype=bool, count=len(self.folded))
            self._stops = folded[self.fold_of] if len(self.folded) else folded
        return self._stops


# An answer's language is told from its first words: this many tokens of each.
_READER_WINDOW = 60


def reader_needed(index: TokenIndex) -> np.ndarray:
    """Per row: the name of the language a reader needs ("Spanish") when the answer is in a
    language the rubric does not name, else "". Chinese, Japanese and Korean are told by their
    script; the others by the share of each language's most common words (``words.PROFILED``)
    among the answer's first ``_READER_WINDOW`` tokens. Nothing is flagged when the rubric names
    no language."""
    if index.readers is not None:
        return index.readers[index.doc_of_row]
    out = np.full(index.n_docs, "", dtype=object)
    index.readers = out
    if not index.languages or index.n_docs == 0 or len(index.codes) == 0:
        return out[index.doc_of_row]
    lens = np.minimum(np.diff(index.doc_start), _READER_WINDOW)
    total = int(lens.sum())
    pos = np.repeat(index.doc_start[:-1] - np.cumsum(lens) + lens, lens) + np.arange(total)
    doc = np.repeat(np.arange(index.n_docs), lens)
    tok = index.codes[pos]
    del pos
    vocab = index.vocab.tolist()

    def count(weight: np.ndarray) -> np.ndarray:
        return np.bincount(doc, weights=weight[tok], minlength=index.n_docs)

    kana = count(np.fromiter((bool(t) and "\u3040" <= t[0] <= "\u30ff" for t in vocab), bool, len(vocab)))
    han = count(index.cjk_tokens()) - kana
    hangul = count(np.fromiter(map(words.is_hangul, vocab), bool, len(vocab)))
    seen = np.maximum(lens - count(np.fromiter((t in _BREAKS for t in vocab), bool, len(vocab))), 1)
    script = np.where(kana * 10 >= np.maximum(han, 1), "ja", "zh")
    by_script = np.where(han + kana >= seen * 0.5, script, np.where(hangul >= seen * 0.5, "ko", ""))
    # Each different common word counts 6 for its language; one shared by k languages, 6 // k
    # for each (so "I am … I am" is not German: one word, counted once).
    owners = words.profile_words()
    folded_owners = [owners.get(t, ()) for t in index.folded.tolist()]
    common = np.array([bool(o) for o in folded_owners], dtype=bool)
    folded_tok = index.fold_of[tok] if len(index.fold_of) else tok
    keep = common[folded_tok] if len(common) else np.zeros(tok.size, dtype=bool)
    pairs = np.sort(doc[keep] * max(len(common), 1) + folded_tok[keep])
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if pairs.size else pairs
    pair_doc, pair_word = pairs // max(len(common), 1), pairs % max(len(common), 1)
    stacked = np.array([np.bincount(pair_doc, weights=np.array(
        [6 // len(o) if lang in o else 0 for o in folded_owners], dtype=np.float64)[pair_word],
        minlength=index.n_docs) for lang in words.PROFILED])
    named = [i for i, lang in enumerate(words.PROFILED) if lang in index.languages]
    own = stacked[named].max(axis=0) if named else np.zeros(index.n_docs)
    best_lang = np.array(words.PROFILED, dtype=object)[np.argmax(stacked, axis=0)]
    best = stacked.max(axis=0)
    by_words = np.where((best >= 12) & (best >= seen * 0.6) & (best > 2 * own), best_lang, "")
    code = np.where(by_script != "", by_script, by_words)
    foreign = (code != "") & ~np.isin(code, list(index.languages))
    names = np.array([words.language_name(c) if c else "" for c in code.tolist()], dtype=object)
    out[foreign] = names[foreign]
    return out[index.doc_of_row]


def _merged(parts: list[np.ndarray]) -> np.ndarray:
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def text_key(normalised: str) -> str:
    """A stable 64-bit key of a normalised answer: equal answers share it across runs (it is
    stored), so copies of one text can be counted without keeping the text."""
    return hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def text_keys(texts: pd.Series) -> np.ndarray:
    """Per row, the ``text_key`` of its normalised text ("" for an answer without words)."""
    codes, raw = distinct(texts.reset_index(drop=True))
    normalised = (normalize_one(t) for t in raw)
    keys = np.array([text_key(d) if _WORD_RE.search(d) else "" for d in normalised], dtype=object)
    return keys[codes] if len(codes) else np.zeros(0, dtype=object)


def copy_counts(keys: np.ndarray) -> np.ndarray:
    """Per row, how many *other* rows have the same non-blank text key (0 for blank rows)."""
    series = pd.Series(keys, dtype=object)
    counts = series.map(series[series != ""].value_counts())
    return np.where(series == "", 0, counts.fillna(1).to_numpy(dtype=float) - 1).astype(np.int64)


def build_index(texts: pd.Series, *, languages: tuple[str, ...] = (), found: Distinct | None = None) -> TokenIndex:
    """Tokenise a column of answers once, each distinct answer once (``found``: ``distinct`` of
    ``texts``, when the caller has it)."""
    doc_of_row, docs = distinct(texts.reset_index(drop=True)) if found is None else found
    docs = [_without_links(d) if "@" in d or "://" in d or "www." in d else d for d in docs]
    # Documents are numbered ASCII ones first, so that those go in large joined batches.
    fast = np.fromiter(map(_fast, docs), dtype=bool, count=len(docs))
    order = np.argsort(~fast, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    docs = [docs[i] for i in order.tolist()]
    n_fast = int(fast.sum())
    coarse = _Vocabulary()
    refiner = _Refiner()
    code_parts: list[np.ndarray] = []
    count_parts: list[np.ndarray] = []
    for lo, hi, quick in ((0, n_fast, True), (n_fast, len(docs), False)):
        for begin in range(lo, hi, _CHUNK_DOCS):
            codes, counts = _coarse(docs[begin : min(begin + _CHUNK_DOCS, hi)], coarse, quick)
            refiner.extend(coarse)
            codes, counts = refiner.apply(codes, counts)
            code_parts.append(codes)
            count_parts.append(counts)
    del docs, coarse
    codes = np.empty(sum(len(part) for part in code_parts), dtype=np.int32)
    at = 0
    while code_parts:  # copy part by part, freeing each, so two copies never coexist
        part = code_parts.pop(0)
        codes[at : at + len(part)] = part
        at += len(part)
    counts = np.concatenate(count_parts) if count_parts else np.zeros(0, dtype=np.int64)
    doc_start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=doc_start[1:])
    surface = list(refiner.fine)
    vocab_arr = np.empty(len(surface), dtype=object)
    vocab_arr[:] = surface
    fold_of, folded = _ids([words.fold(t) for t in surface])
    folded_arr = np.empty(len(folded), dtype=object)
    folded_arr[:] = folded
    doc_words = _doc_words(codes, doc_start, surface)
    return TokenIndex(
        n_rows=len(texts),
        doc_of_row=renumber[doc_of_row],
        doc_start=doc_start,
        codes=codes,
        vocab=vocab_arr,
        fold_of=fold_of,
        folded=folded_arr,
        doc_words=doc_words,
        languages=tuple(languages),
    )


def _doc_words(codes: np.ndarray, doc_start: np.ndarray, surface: list[str]) -> np.ndarray:
    """Words per document: breaks do not count; Chinese and Japanese characters count
    ``1 / CJK_CHARS_PER_WORD`` each, rounded up. A word weighs 8 and a character 5, so only the
    tokens that weigh less than 8 (breaks, characters) are visited."""
    counts = np.diff(doc_start)
    short = np.fromiter((8 if t in _BREAKS else 3 if words.is_cjk(t) else 0 for t in surface), dtype=np.int8,
                        count=len(surface))
    if len(codes) == 0 or not short.any():
        return counts
    missing = np.zeros(len(counts), dtype=np.int64)
    for lo in range(0, len(codes), _POSTINGS_CHUNK):
        lighter = short[codes[lo : lo + _POSTINGS_CHUNK]]
        at = np.flatnonzero(lighter)
        docs = np.searchsorted(doc_start, at + lo, side="right") - 1
        missing += np.bincount(docs, weights=lighter[at], minlength=len(counts)).astype(np.int64)
    return -(-(counts * 8 - missing) // 8)


# --------------------------------------------------------------------------------------------
# Finding terms.


@dataclass
class Hits:
    """Where one term was found: per row, whether, what text, and how similar (100 = exact).
    ``how`` says how the words matched ("" exact, or "stem", "traditional", "typo", …);
    ``negated`` rows mention the term only under a negation or hedge (``hit`` is False there,
    and ``matched`` shows the negated words)."""

    hit: np.ndarray
    matched: np.ndarray
    score: np.ndarray
    how: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    negated: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def empty_hits(n_rows: int) -> Hits:
    """Nothing found in any of ``n_rows`` rows (``how`` left empty: what is combined into it
    keeps the evidence in ``matched``)."""
    return Hits(
        hit=np.zeros(n_rows, dtype=bool),
        matched=np.full(n_rows, "", dtype=object),
        score=np.zeros(n_rows, dtype=np.int64),
        negated=np.zeros(n_rows, dtype=bool),
    )


def pattern_words(patterns: Iterable[Pattern]) -> list[tuple[str, bool]]:
    """The (folded word, prefix) pairs ``find`` looks up for ``patterns``."""
    return [(w, p.prefix and i == len(p.words) - 1) for p in patterns if not p.as_written
            for i, w in enumerate(p.words)]


def _split_variants(index: TokenIndex, pattern: Pattern) -> list[Pattern]:
    """A one-word keyword written joined (``roadmap``, ``NodeJS``) also matches two consecutive
    tokens that make it up (``road map``, ``road-map``, ``Node.js``) when both are words of the
    column."""
    if len(pattern.words) != 1 or pattern.prefix or pattern.as_written:
        return []
    word = pattern.words[0]
    if len(word) < 5 or words.is_cjk(word) or words.is_hangul(word):
        return []
    out = []
    for cut in range(2, len(word) - 1):
        left, right = word[:cut], word[cut:]
        if index._lookup_folded(left) is not None and index._lookup_folded(right) is not None:
            out.append(Pattern((left, right), False, (left, right), exact=True))
    return out


def _word_at(index: TokenIndex, pattern: Pattern, i: int, fuzzy: int, min_length: int) -> _Scores:
    last = i == len(pattern.words) - 1
    if pattern.as_written:
        return index.word_match(pattern.words[i], False, fuzzy, min_length, written=pattern.written[i])
    # Chinese and Japanese characters match exactly (a typo of one character is another
    # character), and so do the short words of a phrase.
    if pattern.exact:
        return index.exact_match(pattern.words[i])
    phrase = len(pattern.words) > 1
    exact_only = phrase and (words.is_cjk(pattern.words[i]) or len(pattern.words[i]) < 3)
    return index.word_match(pattern.words[i], pattern.prefix and last, 100 if exact_only else fuzzy, min_length,
                            guard=not phrase)


def _without_stopwords(index: TokenIndex, pattern: Pattern) -> list[Pattern]:
    """A phrase of the rubric's languages also matches without its most common words
    ("gestión de proyectos" in "gestionando proyectos"), when two words or more are left."""
    if len(pattern.words) < 3 or not index.languages:
        return []
    stops: set[str] = set()
    for lang in index.languages:
        if lang in words.STEMMED:
            stops |= words.stopwords(lang)
    kept = [(w, t) for w, t in zip(pattern.words, pattern.written, strict=False) if w not in stops]
    if len(kept) < 2 or len(kept) == len(pattern.words):
        return []
    return [Pattern(tuple(w for w, _t in kept), pattern.prefix, tuple(t for _w, t in kept))]


@dataclass
class _Found:
    """Occurrences of one pattern: first and last token positions, similarity, how, document."""

    pos: np.ndarray
    end: np.ndarray
    score: np.ndarray
    how: np.ndarray
    doc: np.ndarray

    def keep(self, mask: np.ndarray) -> _Found:
        return _Found(self.pos[mask], self.end[mask], self.score[mask], self.how[mask], self.doc[mask])


def _first_word(index: TokenIndex, pattern: Pattern, fuzzy: int, min_length: int) -> _Found | None:
    first = _word_at(index, pattern, 0, fuzzy, min_length)
    pos = index.positions(first.score)
    score = first.score[index.codes[pos]].astype(np.int64)
    how = first.how[index.codes[pos]].astype(np.int64)
    if pattern.as_written and len(pattern.words) == 1:
        # In an answer written all in lower case, case says nothing: "i was the pm".
        folded = index.word_match(pattern.words[0], False, 100, min_length)
        extra = index.positions(folded.score)
        extra = extra[index.lower_case_docs()[index.doc_of_position(extra)]]
        extra = np.setdiff1d(extra, pos)
        if extra.size:
            pos = np.concatenate([pos, extra])
            score = np.concatenate([score, np.full(extra.size, 100, dtype=np.int64)])
            how = np.concatenate([how, np.full(extra.size, EXACT, dtype=np.int64)])
            order = np.argsort(pos, kind="stable")
            pos, score, how = pos[order], score[order], how[order]
    if pos.size == 0:
        return None
    return _Found(pos, pos.copy(), score, how, index.doc_of_position(pos))


def _next_words(index: TokenIndex, pattern: Pattern, found: _Found, fuzzy: int, min_length: int) -> _Found:
    """Extend each occurrence of a phrase's first word with its following words, one token
    after another in the same answer; with the rubric's languages, up to two of their most
    common words may come between ("Conduzo reuniões de status")."""
    codes = index.codes
    stops = index.stopword_tokens() if index.languages and not pattern.exact else None
    doc_end = index.doc_start[found.doc + 1]
    for offset in range(1, len(pattern.words)):
        scores = _word_at(index, pattern, offset, fuzzy, min_length)
        cur = found.end
        got = np.zeros(cur.size, dtype=np.int64)
        kind = np.zeros(cur.size, dtype=np.int64)
        at = cur.copy()
        skippable = np.ones(cur.size, dtype=bool)
        for step in range(1, 4 if stops is not None else 2):
            nxt = cur + step
            inside = (nxt < doc_end) & (got == 0) & skippable
            idx = np.flatnonzero(inside)
            value = scores.score[codes[nxt[idx]]]
            hit = value > 0
            got[idx[hit]] = value[hit]
            kind[idx[hit]] = scores.how[codes[nxt[idx[hit]]]]
            at[idx[hit]] = nxt[idx[hit]]
            if stops is None:
                break
            # Only a common word may be skipped to reach the next one.
            skippable[idx[~hit]] = stops[codes[nxt[idx[~hit]]]]
            skippable[idx[hit]] = False
        keep = got > 0
        found = _Found(found.pos[keep], at[keep], np.minimum(found.score[keep], got[keep]),
                       np.maximum(found.how[keep], kind[keep]), found.doc[keep])
        doc_end = doc_end[keep]
        if found.pos.size == 0:
            break
    return found


def _occurrences(index: TokenIndex, pattern: Pattern, fuzzy: int, min_length: int) -> _Found | None:
    found = _first_word(index, pattern, fuzzy, min_length)
    if found is None:
        return None
    if len(pattern.words) > 1:
        found = _next_words(index, pattern, found, fuzzy, min_length)
    if pattern.how:
        found.how = np.maximum(found.how, pattern.how)
    if pattern.as_written:
        # "5 PM" is a time and "PM me" a verb: neither is a project manager.
        found = found.keep(~index.after_number(found.pos) & ~index.before_pronoun(found.end))
    return found if found.pos.size else None


def find(index: TokenIndex, patterns: list[Pattern], fuzzy: int, min_length: int) -> Hits:
    """Rows where any of ``patterns`` occurs; the earliest occurrence is the evidence, and an
    occurrence reached by a negation counts only where the row has no other."""
    n_tokens = len(index.codes)
    best = _Best(index.n_docs, n_tokens)
    negated = _Best(index.n_docs, n_tokens)
    if n_tokens:
        index.remember(patterns)
        index.prefetch(pattern_words(patterns), fuzzy, min_length)
    every = list(patterns)
    for pattern in patterns:
        every.extend(_split_variants(index, pattern))
        every.extend(_without_stopwords(index, pattern))
    for pattern in every:
        if not pattern.words or n_tokens == 0:
            continue
        found = _occurrences(index, pattern, fuzzy, min_length)
        if found is None:
            continue
        neg = index.negated(found.pos, found.end)
        best.offer(found.keep(~neg))
        negated.offer(found.keep(neg))
    return _hits(index, best, negated)


def _hits(index: TokenIndex, best: _Best, negated: _Best) -> Hits:
    """Per row: the earliest occurrence not negated, or else the earliest negated one (shown
    from its negation on)."""
    n_tokens, n_docs = len(index.codes), index.n_docs
    hit_doc = best.pos < n_tokens
    neg_doc = (negated.pos < n_tokens) & ~hit_doc
    doc_text = np.full(n_docs, "", dtype=object)
    doc_how = np.full(n_docs, "", dtype=object)
    for source, rows in ((best, hit_doc), (negated, neg_doc)):
        if not rows.any():
            continue
        docs = np.flatnonzero(rows)
        start, stop = source.pos[docs], source.end[docs]
        if source is negated:
            _reached, start = index.cue_before(start)
        doc_text[docs] = _surface(index, start, stop - start + 1)
        doc_how[docs] = _HOW_NAMES[source.how[docs]]
    doc = index.doc_of_row
    hit = hit_doc[doc]
    neg = neg_doc[doc]
    score = np.where(hit_doc, best.score, 0)[doc]
    return Hits(hit=hit, matched=doc_text[doc], score=score, how=doc_how[doc], negated=neg)


_HOW_NAMES = np.array(["", *[_HOW_LABEL.get(k, "") for k in range(EXACT, TYPO + 1)]], dtype=object)


class _Best:
    """Per document, the earliest occurrence offered so far."""

    def __init__(self, n_docs: int, n_tokens: int) -> None:
        self.pos = np.full(n_docs, n_tokens, dtype=np.int64)
        self.end = np.zeros(n_docs, dtype=np.int64)
        self.score = np.zeros(n_docs, dtype=np.int64)
        self.how = np.zeros(n_docs, dtype=np.int64)

    def offer(self, found: _Found) -> None:
        if found.pos.size == 0:
            return
        first_docs, first_idx = np.unique(found.doc, return_index=True)
        first_pos = found.pos[first_idx]
        better = first_pos < self.pos[first_docs]
        target = first_docs[better]
        chosen = first_idx[better]
        self.pos[target] = first_pos[better]
        self.end[target] = found.end[chosen]
        self.score[target] = found.score[chosen]
        self.how[target] = found.how[chosen]


def _surface(index: TokenIndex, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The tokens from ``start`` (``length`` of them) as written, joined the way the script
    writes them: no space between Chinese or Japanese characters, breaks left out."""
    if start.size == 0:
        return np.zeros(0, dtype=object)
    codes, vocab, cjk = index.codes, index.vocab, index.cjk_tokens()
    brk, soft = index.break_id, index.soft_id
    last = len(codes) - 1
    first = codes[start]
    text = vocab[first].astype(object)
    prev_cjk = cjk[first]
    for offset in range(1, int(length.max())):
        longer = length > offset
        code = codes[np.minimum(start + offset, last)]
        now_cjk = cjk[code]
        add = longer & (code != brk) & (code != soft)
        sep = np.where(prev_cjk & now_cjk, "", " ")
        text = np.where(add, text + sep + vocab[code], text)
        prev_cjk = np.where(add, now_cjk, prev_cjk)
    return text


def why_not(answer: str, terms: list[tuple[str, tuple[str, ...]]], languages: tuple[str, ...], fuzzy: int,
            min_length: int, limit: int = 6) -> str:
    """For one answer, why each term that was not found was not: negated, or the nearest word
    the answer has and what it would have needed ("'Jria' is 75% like Jira; a typo needs 88%"),
    or nothing like it. ``terms`` are (term, its ways of writing) pairs; found terms are left out."""
    index = build_index(pd.Series([answer], dtype=object), languages=languages)
    folded = [t for t in index.folded.tolist() if t not in _BREAKS]
    notes = []
    for term, variants in terms:
        patterns = [p for v in variants for p in compile_term(v, languages)]
        hits = find(index, patterns, fuzzy, min_length)
        if bool(hits.hit[0]):
            continue
        if bool(hits.negated[0]):
            notes.append(f"{term}: negated ('{hits.matched[0]}')")
            continue
        notes.append(f"{term}: {_nearest(index, patterns, folded, fuzzy, min_length)}")
        if len(notes) >= limit:
            notes.append("…")
            break
    return "; ".join(notes)


def _nearest(index: TokenIndex, patterns: list[Pattern], folded: list[str], fuzzy: int, min_length: int) -> str:
    if any(p.as_written for p in patterns):
        shown = "', '".join(" ".join(p.written) for p in patterns)
        return f"not written as '{shown}' (short keywords match only as written)"
    words_ = [w for p in patterns for w in p.words if not words.is_cjk(w)]
    if not words_ or not folded:
        return "not in the answer"
    best = process.extractOne(words_[0], folded, scorer=fuzz.ratio) if len(words_) == 1 else None
    if best is None or best[1] < 60:
        return "not in the answer"
    token, similarity = best[0], int(best[1])
    if len(words_[0]) < min_length and similarity < 100:
        return f"nearest word '{token}' ({similarity}% alike; words under {min_length} letters need one slip at most)"
    if similarity >= fuzzy and words.common_in(token, index.languages):
        return f"nearest word '{token}' is a word of its own, not read as a typo"
    return f"nearest word '{token}' ({similarity}% alike; a typo needs {fuzzy}%)"
