"""Test entries: the form owner trying the form ("Test Test", "please ignore", the company's own
e-mail). They are kept and scored like everyone, marked ``test_entry`` with the reason, and left
out of shortlists with the reason "test entry".

One strong signal is enough: test text in a short answer ("please ignore", "test entry", "this
is a test", "just testing") or lorem ipsum anywhere; an e-mail at one of the rubric's
``applicant.internal_domains``; a name made only of test words ("Test Test", "asdf", "Foo Bar").
A weak signal counts only with a second one: a name with one test word beside a real one (a
person may be called Maria Test), a placeholder name (John Doe), keyboard mash in a short answer
("asdf"), an e-mail such as ``test@…`` or at a placeholder domain (example.com).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from screener.core.normalize import Distinct, distinct

_TEST_WORDS = frozenset({"test", "testing", "tester", "asdf", "asdfg", "qwerty", "foo", "bar", "dummy", "xxx"})
_ALONE_STRONG = frozenset({"asdf", "asdfg", "qwerty", "xxx"})  # a test name even alone
_PLACEHOLDER_NAMES = frozenset({"john doe", "jane doe", "max mustermann", "erika mustermann"})
_PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.org", "example.net", "test.com", "mailinator.com"})
_TEST_LOCAL = re.compile(r"(?:test|testing|asdf|foo)[._+-]?\d*")
# Test text in an answer of at most _SHORT words; lorem ipsum in any answer. Keyboard mash
# ("asdf") is weak: a real applicant may type it into a required field they had nothing for.
_TEST_TEXT = re.compile(r"\b(?:please ignore|ignore this|test entry|test submission|this is a test|"
                        r"just testing|testing the form)\b")
_MASH = re.compile(r"\b(?:asdf|qwer|jkl)\w*\b")
_LOREM = re.compile(r"\blorem ipsum\b")
_SHORT = 20
_SHORT_CHARS = 400  # no answer of _SHORT words is longer than this (a 20-letter word each)
_WORD = re.compile(r"[^\W\d_]+")


# What a name or an answer must hold (in lower case) to give any signal: the others are not read
# further. A long answer can only be lorem ipsum.
_NAME_HINTS = ("test", "asdf", "qwerty", "foo", "bar", "dummy", "xxx", "doe", "mustermann")
_ANSWER_HINTS = ("ignore", "test", "lorem", "asdf", "qwer", "jkl")


def _per_value(values: Distinct, read: Callable[[str], str], hints: tuple[str, ...],
               long_hints: tuple[str, ...] | None = None) -> np.ndarray:
    """``read`` of each distinct value (``values``: a column's ``distinct``) holding one of
    ``hints`` (of ``long_hints`` when it is longer than ``_SHORT_CHARS``, if given); "" for the
    others."""

    def hinted(value: str) -> str:
        wanted = hints if long_hints is None or len(value) <= _SHORT_CHARS else long_hints
        low = value.lower()
        return read(value) if any(h in low for h in wanted) else ""

    codes, texts = values
    results = [hinted(text) for text in texts]
    return np.array(results, dtype=object)[codes] if len(codes) else np.zeros(0, dtype=object)


def _name_signal(name: str) -> str:
    """"strong", "weak" or ""."""
    words = _WORD.findall(name.casefold())
    if not words:
        return ""
    tests = [w for w in words if w in _TEST_WORDS]
    if len(tests) == len(words) and (len(words) >= 2 or words[0] in _ALONE_STRONG):
        return "strong"
    if tests or " ".join(words) in _PLACEHOLDER_NAMES:
        return "weak"
    return ""


def _answer_signal(text: str) -> str:
    """"strong", "weak" or ""."""
    folded = " ".join(text.casefold().split())
    if not folded:
        return ""
    if _LOREM.search(folded):
        return "strong"
    if len(folded.split()) > _SHORT:
        return ""
    return "strong" if _TEST_TEXT.search(folded) else "weak" if _MASH.search(folded) else ""


def flag(names: Sequence[str], emails: Sequence[str], answers: Sequence[Distinct],
         internal_domains: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Per row: "yes"/"no", and why ("test name; test answers; company e-mail"; "" when no).
    ``answers``: the free-text answers to read, each field's column as text (``astype(str)``)
    taken apart by ``normalize.distinct``."""
    n = len(names)
    names = [str(v) for v in names]
    emails = [str(v).strip().casefold() for v in emails]
    name_sig = _per_value(distinct(pd.Series(names, dtype=object)), _name_signal, _NAME_HINTS)
    answer_test = np.zeros(n, dtype=bool)
    answer_mash = np.zeros(n, dtype=bool)
    for column in answers:
        # Only short answers can be test text (a long one only by lorem ipsum): most are not read.
        signal = _per_value(column, _answer_signal, _ANSWER_HINTS, ("lorem",))
        answer_test |= signal == "strong"
        answer_mash |= signal == "weak"
    domains = {d.casefold() for d in internal_domains}
    local = [e.rpartition("@")[0] for e in emails]
    domain = [e.rpartition("@")[2] if "@" in e else "" for e in emails]
    internal = np.array([bool(d) and (d in domains or any(d.endswith("." + x) for x in domains))
                         for d in domain], dtype=bool) if domains else np.zeros(n, dtype=bool)
    placeholder_mail = np.array([bool(d) and (d in _PLACEHOLDER_DOMAINS or _TEST_LOCAL.fullmatch(lo) is not None)
                                 for lo, d in zip(local, domain, strict=True)], dtype=bool)
    strong_name = name_sig == "strong"
    weak_name = name_sig == "weak"
    strong = strong_name | answer_test | internal
    weak = weak_name.astype(int) + placeholder_mail.astype(int) + answer_mash.astype(int)
    flagged = strong | (weak >= 2)
    why = np.full(n, "", dtype=object)
    for mask, word in ((strong_name | weak_name, "test name"), (answer_test | answer_mash, "test answers"),
                       (internal, "company e-mail"), (placeholder_mail & flagged, "test e-mail")):
        hit = mask & flagged
        why[hit] = np.where(why[hit] == "", word, why[hit] + "; " + word)
    return np.where(flagged, "yes", "no").astype(object), why
