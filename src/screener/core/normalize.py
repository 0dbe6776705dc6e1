"""Turn human-typed form answers into values: numbers, ordered levels, yes/no, choices, dates.

Every public function takes a pandas Series of ``str`` ("" means blank) and returns results
aligned to its index. The text of each *distinct* value is read once and the results are
mapped back to the rows with ``pd.factorize`` codes, because exports have up to a million
rows but only a few distinct answers per column.

Each reading comes with a note saying how the text was read, so the scorer can show its
evidence. A note is "" for a blank answer and for an answer that says the value literally
("5", "7 years", "yes"); anything interpreted ("5+", "ten", "Master's degree") is explained.
Nothing is guessed silently: what cannot be read becomes NaN / NaT with a note saying so.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

__all__ = [
    "DEGREE_LEVELS",
    "MAX_YEARS",
    "ParsedDates",
    "ParsedLevels",
    "ParsedNumbers",
    "ParsedYesNo",
    "SlashEvidence",
    "has_zone",
    "normalize_text",
    "parse_datetime",
    "parse_level",
    "parse_number",
    "parse_yesno",
    "slash_evidence",
    "split_choices",
    "split_items",
    "unmatched_choices",
]

#: Longest career a years-of-experience answer may claim; more is read as a typo.
MAX_YEARS = 60.0

_ECHO_LIMIT = 40

T = TypeVar("T")


# --------------------------------------------------------------------------- result types


@dataclass
class ParsedNumbers:
    """``value``: float64, NaN when unknown. ``note``: how each answer was read."""

    value: pd.Series
    note: pd.Series


@dataclass
class ParsedLevels:
    """``value``: float64 index into the levels' order (NaN unknown); ``label``: level or ""."""

    value: pd.Series
    label: pd.Series
    note: pd.Series


@dataclass
class ParsedYesNo:
    """``value``: float64 1.0 (yes), 0.0 (no) or NaN; ``note``: how each answer was read."""

    value: pd.Series
    note: pd.Series


@dataclass
class ParsedDates:
    """``value``: tz-aware UTC timestamps (NaT unknown); ``note`` per row; ``notes`` per column."""

    value: pd.Series
    note: pd.Series
    notes: list[str] = field(default_factory=list)
    # Per row: a slash date that reads as two different days (09/06/2020) in a column whose
    # order is not known (``dayfirst=None``); left unread.
    ambiguous: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


# --------------------------------------------------------------------------- shared helpers


# A column's distinct values: (codes, texts) with row i's text at texts[codes[i]] (``distinct``).
Distinct = tuple[np.ndarray, list[str]]


def distinct(s: pd.Series) -> Distinct:
    """(codes, texts) with row i's text at texts[codes[i]]; missing values read as "". The one
    place screener takes a column's distinct values: answers repeat, so work done per distinct
    value and mapped back with the codes costs what the variety costs, not the row count."""
    return distinct_plain(s)[:2]


def distinct_plain(s: pd.Series) -> tuple[np.ndarray, list[str], bool]:
    """``distinct``, and whether every value was a str already (none missing): then the texts are
    the values themselves, as ``s.astype(str)`` would also give them."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = np.asarray(uniques, dtype=object)
    plain = pd.api.types.infer_dtype(values, skipna=False) == "string"  # all str (checked in C)
    texts = values.tolist() if plain else ["" if _is_missing(u) else str(u) for u in values.tolist()]
    missing = codes < 0
    if missing.any():
        plain = False
        if "" not in texts:
            texts.append("")
        codes = np.where(missing, texts.index(""), codes)
    return codes, texts, plain


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def per_distinct(s: pd.Series, read: Callable[[str], T], found: Distinct | None = None) -> tuple[np.ndarray, list[T]]:
    """(codes, results): ``read`` applied once per distinct text of ``s`` (see ``distinct``;
    ``found``: what it gave for ``s`` already)."""
    codes, texts = distinct(s) if found is None else found
    return codes, [read(text) for text in texts]


def _float_series(values: Sequence[float], codes: np.ndarray, s: pd.Series) -> pd.Series:
    column = np.asarray(values, dtype="float64")[codes]
    return pd.Series(column, index=s.index, name=s.name, dtype="float64")


def _str_series(values: Sequence[str], codes: np.ndarray, s: pd.Series) -> pd.Series:
    column = np.asarray(values, dtype=object)[codes]
    return pd.Series(column, index=s.index, name=s.name, dtype="str")


def _display(text: str) -> str:
    """The answer as a person typed it, whitespace collapsed, for echoing in notes."""
    return " ".join(text.split())


def _quote(text: str) -> str:
    """Quote an answer for a note, truncated so one long answer cannot flood a report."""
    shown = _display(text)
    if len(shown) > _ECHO_LIMIT:
        shown = shown[: _ECHO_LIMIT - 1] + "…"
    if "'" in shown and '"' not in shown:
        return f'"{shown}"'
    return f"'{shown}'"


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _amount(value: float, unit: str) -> str:
    return f"{_fmt(value)} {unit}{'' if value == 1 else 's'}"


# Combining marks (Unicode category Mn) met so far, and a pattern deleting them.
_MARKS: set[str] = set()
_CLASSIFIED: set[str] = set()
_MARK_RE: re.Pattern[str] | None = None


def _strip_marks(text: str) -> str:
    """Delete the characters of Unicode category Mn."""
    global _MARK_RE
    if text.isascii():
        return text
    chars = set(text)
    new = chars.difference(_CLASSIFIED)
    if new:
        marks = {ch for ch in new if unicodedata.category(ch) == "Mn"}
        _CLASSIFIED.update(new)
        if marks:
            _MARKS.update(marks)
            _MARK_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_MARKS)) + "]")
    if _MARK_RE is None or chars.isdisjoint(_MARKS):
        return text
    return _MARK_RE.sub("", text)


def normalize_one(text: str, strip_accents: bool = True) -> str:
    """One string normalised (NFKC, case-fold, accents dropped, whitespace collapsed, to a fixed
    point: NFKC and casefold do not commute for every character). ASCII text, whose NFKC and
    NFD forms are itself and whose case-fold is ``lower()``, takes a shortcut, and combining
    marks are deleted with one regular expression instead of a per-character loop."""
    if text.isascii():
        return " ".join(text.lower().split())
    current = text
    for _ in range(5):
        out = unicodedata.normalize("NFKC", current).casefold()
        if strip_accents:
            out = unicodedata.normalize("NFC", _strip_marks(unicodedata.normalize("NFD", out)))
        out = " ".join(out.split())
        if out == current:
            break
        current = out
    return current


def _key(text: str) -> str:
    """Normalised form used for matching: accents, case, width, curly quotes all folded."""
    return normalize_one(text.replace("’", "'").replace("‘", "'").replace("`", "'"))


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _phrase_pattern(phrase: str, suffix: str = "") -> str:
    """A regex for ``phrase`` bounded by non-word characters (CJK edges need no boundary)."""
    left = "" if _is_cjk(phrase[0]) else r"(?<!\w)"
    right = "" if _is_cjk(phrase[-1]) else r"(?!\w)"
    return left + re.escape(phrase) + suffix + right


# --------------------------------------------------------------------------- normalize_text


def normalize_text(s: pd.Series, *, strip_accents: bool = True) -> pd.Series:
    """NFKC, casefold, optionally drop accents, collapse whitespace, strip; per distinct value."""
    codes, texts = per_distinct(s, lambda t: normalize_one(t, strip_accents))
    return _str_series(texts, codes, s)


# --------------------------------------------------------------------------- parse_number

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# A handful of Spanish, French and German number words (accents already stripped).
# Spanish "once" (11) is left out: it is far more often the English word.
_OTHER_WORDS = {
    "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "quince": 15, "veinte": 20,
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "ein": 1, "eins": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwolf": 12, "zwoelf": 12, "zwanzig": 20,
    # Portuguese, Italian, Polish, Turkish (accents stripped; "um", "on" and "sei" are left out:
    # they are more often English words or other meanings).
    "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    "doze": 12, "vinte": 20, "due": 2, "quattro": 4, "cinque": 5, "sette": 7, "otto": 8,
    "dieci": 10, "jeden": 1, "jedna": 1, "jednego": 1, "dwa": 2, "dwie": 2, "trzy": 3,
    "cztery": 4, "piec": 5, "szesc": 6, "siedem": 7, "osiem": 8, "dziewiec": 9,
    "dziesiec": 10, "dwanascie": 12, "iki": 2, "uc": 3, "dort": 4, "bes": 5, "alti": 6,
    "altı": 6, "yedi": 7, "sekiz": 8, "dokuz": 9,
}  # fmt: skip
_WORD_VALUES = {**_EN_UNITS, **_EN_TENS, **_OTHER_WORDS}
_CJK_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_COMPOUND = (
    rf"(?:{_alternation(list(_EN_TENS))})"
    rf"(?:[\s-]+(?:{_alternation([w for w, v in _EN_UNITS.items() if 1 <= v <= 9])}))?"
)
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?)"
    rf"|(?P<word>\b(?:{_COMPOUND}|{_alternation(list(_EN_UNITS) + list(_OTHER_WORDS))})\b)"
    r"|(?P<cjk>[零〇一二两兩三四五六七八九十]+)(?![些点點])"
)

_MISSING = {
    "n/a", "na", "n.a.", "n.a", "n / a", "-", "--", "---", "?", "null", "unknown",
    "not applicable", "tbd", "prefer not to say", "no answer", "x",
}  # fmt: skip
_ZERO_ANSWERS = {
    "none", "no", "zero", "nil", "nothing", "no experience", "no experience yet",
    "ninguno", "ninguna", "nada", "sin experiencia", "aucun", "aucune", "keine", "无", "没有",
    "沒有", "無", "暂无", "暫無", "无经验", "無經驗", "没有经验", "沒有經驗", "nenhum", "nenhuma",
    "sem experiencia", "brak", "brak doswiadczenia", "yok", "hic", "hiç", "deneyimim yok",
    "keine erfahrung", "aucune experience", "nessuna", "nessuno", "없음", "없습니다", "なし", "ありません",
}  # fmt: skip
_LOWER_BOUND = (
    "more than", "over", "at least", "above", "min.", "min", "minimum", ">=", ">", "≥", "+",
    "mas de", "plus de", "au moins", "mehr als", "uber", "mindestens", "超过", "超過", "至少",
)  # fmt: skip
_APPROX = (
    "about", "around", "approx.", "approx", "approximately", "roughly", "circa", "ca.",
    "c.", "~", "≈", "nearly", "almost", "aprox.", "aprox", "aproximadamente", "environ",
    "etwa", "ungefahr", "cerca de", "大约", "大約", "约", "約",
)  # fmt: skip
_UPPER_BOUND = (
    "less than", "fewer than", "under", "below", "up to", "<=", "<", "≤", "menos de",
    "moins de", "weniger als", "unter", "不到", "少于", "少於",
)  # fmt: skip
_BETWEEN = ("between", "entre", "zwischen")

_HALF_AFTER = re.compile(r"\s*(?:and a half|y medio|et demi|et demie|und ein halb)\b")
_RANGE_SEP = re.compile(r"\s*(?:-|to\b|a\b|bis\b|~|至|到)\s*")
_BETWEEN_SEP = re.compile(r"\s*(?:-|and\b|to\b|y\b|et\b|und\b)\s*")
_PLUS_AFTER = re.compile(r"\s*(?:\+|plus\b|or more\b|or above\b|or over\b|o mas\b|ou plus\b|oder mehr\b|以上|多)")
_APPROX_AFTER = re.compile(r"\s*(?:or so\b|-?ish\b|左右)")
_UNIT = re.compile(
    r"\s*(?:"
    r"(?P<year>years?|yrs?|yoe|y|anos?|ans?|annees?|jahren?|jahre|anni|anno|lata|lat|roku?|yıl|yil|sene|jaar|jaren"
    r"|年間|年|년)"
    r"|(?P<month>months?|mos?|mths?|mnths?|meses|mes|mois|monaten?|monate|mesi|miesiecy|miesiace|miesiac|ay"
    r"|个月|個月|ヶ月|か月|カ月|개월|月)"
    r"|(?P<week>weeks?|wks?|semanas?|semaines?|wochen?|周|週)"
    r"|(?P<day>days?|dias?|jours?|tage?n?|天)"
    r")(?![a-z])\.?"
)
_COMBO_MONTHS = re.compile(r"\s*(?:,|and\b|y\b|et\b|und\b)?\s*")
_YEARS_PER = {"year": 1.0, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}
_REWRITES = (
    # 两年半 / 2年半 = 2.5 years; 半年 alone = half a year.
    # (from the start of a run of numerals: every start inside it took quadratic time)
    (re.compile(r"(?<![\d零〇一二两兩三四五六七八九十])([\d零〇一二两兩三四五六七八九十]+)\s*年半"),
     r"\1 and a half 年"),
    (re.compile(r"(?<![\d零〇一二两兩三四五六七八九十])半年"), "0.5 年"),
    (re.compile(r"\bhalf (?:a )?year\b"), "0.5 year"),
    (re.compile(r"\ba year\b"), "1 year"),
    (re.compile(r"\ba month\b"), "1 month"),
)


def _number_key(raw: str) -> str:
    # "½" must become ".5" before NFKC turns it into "1⁄2".
    text = re.sub(r"(\d)\s*½", r"\1.5", raw).replace("½", "0.5")
    text = _key(text)
    for dash in ("\u2013", "\u2014", "\u2012", "\u2212", "\u2015"):
        text = text.replace(dash, "-")
    return text


def _cjk_value(chars: str) -> float | None:
    if "十" not in chars:
        return float(_CJK_DIGITS[chars]) if len(chars) == 1 else None
    tens, _, ones = chars.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return float(_CJK_DIGITS[tens] if tens else 1) * 10 + (_CJK_DIGITS[ones] if ones else 0)


def _token_value(m: re.Match[str]) -> tuple[float | None, str]:
    """Value of a number token and how it was written: "digits", "comma", "word", "cjk"."""
    if m.group("num") is not None:
        digits = m.group("num")
        if "," in digits:
            whole, _, frac = digits.partition(",")
            if len(frac) == 3:  # thousands separator: "1,000"
                return float(whole + frac), "digits"
            return float(f"{whole}.{frac}"), "comma"
        return float(digits), "digits"
    if m.group("word") is not None:
        parts = re.split(r"[\s-]+", m.group("word"))
        return float(sum(_WORD_VALUES[p] for p in parts)), "word"
    return _cjk_value(m.group("cjk")), "cjk"


def _ends_with_phrase(prefix: str, phrases: Sequence[str]) -> bool:
    for phrase in phrases:
        if prefix.endswith(phrase):
            before = prefix[: len(prefix) - len(phrase)]
            if not before or not before[-1].isalnum() or not phrase[0].isalnum():
                return True
    return False


@dataclass
class _NumberReading:
    """One answer part-way through being read, left to right from its first number.

    ``pos`` is how far the text has been read; ``value`` is the number in the unit stated
    (``stated_in``) and ``years`` the same amount in years once the unit is known. ``literal``
    stays true only while the answer says its value plainly ("5", "7 years"), which earns an
    empty note. ``bound`` is "lower" ("5+"), "upper" ("less than 2") or "".
    """

    text: str
    prefix: str
    pos: int
    value: float
    literal: bool
    bound: str = ""
    reasons: list[str] = field(default_factory=list)
    stated_in: str = "year"
    years: float = math.nan


def _early_number(raw: str) -> tuple[float, str] | None:
    """The answers settled before looking for a number: blank, "n/a" and the like, "none"."""
    if not raw.strip():
        return math.nan, ""
    q = _quote(raw)
    text = _number_key(raw)
    bare = text.strip(" .!?")
    if text in _MISSING or bare in _MISSING:
        return math.nan, f"{q} gives no number"
    if bare in _ZERO_ANSWERS or bare.startswith("no experience"):
        return 0.0, f"read {q} as 0"
    return None


def _spell_out_phrases(text: str, raw: str) -> tuple[str, bool]:
    """``text`` with "half a year", "a year" and "a month" written as numbers, and whether
    anything (a "½" included) was rewritten: such an answer is interpreted, not literal."""
    rewritten = "½" in raw
    for pattern, replacement in _REWRITES:
        new = pattern.sub(replacement, text)
        rewritten = rewritten or new != text
        text = new
    return text, rewritten


def _first_number(raw: str, q: str) -> _NumberReading | tuple[float, str]:
    """Start reading at the answer's first number, or say why there is no usable one."""
    text, rewritten = _spell_out_phrases(_number_key(raw), raw)
    m = _TOKEN.search(text)
    value, kind = _token_value(m) if m is not None else (None, "")
    if m is None or value is None:
        return math.nan, f"could not read {q} as a number (unreadable)"
    prefix = text[: m.start()].strip()
    if prefix in ("-", "minus", "menos", "moins"):
        return math.nan, f"{q} is negative (unreadable)"
    reading = _NumberReading(
        text, prefix, m.end(), value, literal=kind == "digits" and not prefix and not rewritten
    )
    if kind == "comma":
        reading.reasons.append("decimal comma")
    return reading


def _read_words_before(reading: _NumberReading) -> None:
    """The words just before the number: an upper bound, a lower bound, or "about"."""
    if _ends_with_phrase(reading.prefix, _UPPER_BOUND):
        reading.bound = "upper"
    elif _ends_with_phrase(reading.prefix, _LOWER_BOUND):
        reading.bound = "lower"
    elif _ends_with_phrase(reading.prefix, _APPROX):
        reading.reasons.append("approximate")


def _read_half(reading: _NumberReading) -> None:
    """Add the half of "two and a half"."""
    half = _HALF_AFTER.match(reading.text, reading.pos)
    if half:
        reading.value += 0.5
        reading.pos = half.end()
        reading.literal = False


def _read_range(reading: _NumberReading) -> None:
    """A range ("3-5", "3 to 5", "between 3 and 5") counts as its lower end."""
    between = _ends_with_phrase(reading.prefix, _BETWEEN)
    separator = (_BETWEEN_SEP if between else _RANGE_SEP).match(reading.text, reading.pos)
    second = _TOKEN.match(reading.text, separator.end()) if separator else None
    if second is None:
        return
    upper, _ = _token_value(second)
    if upper is not None:
        reading.value = min(reading.value, upper)
        reading.reasons.append("lower end of the range")
        reading.pos = second.end()
        reading.literal = False


def _read_plus(reading: _NumberReading) -> None:
    """A plus after the number ("5+", "5 or more") makes it a minimum, unless a bound word came first."""
    plus = _PLUS_AFTER.match(reading.text, reading.pos)
    if plus:
        reading.bound = reading.bound or "lower"
        reading.pos = plus.end()


def _read_approx_after(reading: _NumberReading) -> None:
    """Words after the number ("4ish", "5 or so") that make it approximate."""
    after = _APPROX_AFTER.match(reading.text, reading.pos)
    if after:
        reading.reasons.append("approximate")
        reading.pos = after.end()


def _read_months_after_years(reading: _NumberReading) -> None:
    """Add the months of "5 years 6 months" or "2 years and 6 months" to the years."""
    combo = _COMBO_MONTHS.match(reading.text, reading.pos)
    months = _TOKEN.match(reading.text, combo.end()) if combo else None
    month_unit = _UNIT.match(reading.text, months.end()) if months else None
    if months is None or month_unit is None or month_unit.lastgroup != "month":
        return
    extra, _ = _token_value(months)
    if extra is not None:
        reading.reasons.append(f"{_amount(reading.value, 'year')} + {_amount(extra, 'month')}")
        reading.years += extra / 12
        reading.pos = month_unit.end()


def _read_unit(reading: _NumberReading, unit: str) -> None:
    """The unit after the number (a bare number is in ``unit``) and what may follow it."""
    reading.stated_in = "year" if unit == "years" else "month"
    reading.years = reading.value * _YEARS_PER[reading.stated_in]
    unit_match = _UNIT.match(reading.text, reading.pos)
    if unit_match is None:
        _read_approx_after(reading)
        return
    reading.stated_in = unit_match.lastgroup or reading.stated_in
    reading.years = reading.value * _YEARS_PER[reading.stated_in]
    reading.pos = unit_match.end()
    if reading.stated_in == "year":
        _read_months_after_years(reading)
    # After a unit both may follow, in this order: "5 years+ or so".
    _read_plus(reading)
    _read_approx_after(reading)


def _in_target_unit(reading: _NumberReading, unit: str) -> float:
    """The amount in ``unit``, explaining a conversion; an upper bound alone counts as 0."""
    result = reading.years if unit == "years" else reading.years * 12
    target_word = "year" if unit == "years" else "month"
    # "N years + M months" already says how the amount was made up.
    if reading.stated_in != target_word and not any("months" in r for r in reading.reasons):
        reading.reasons.append(f"{_amount(reading.value, reading.stated_in)} = {_fmt(result)} {unit}")
    if reading.bound == "lower":
        reading.reasons.append("the minimum stated")
    elif reading.bound == "upper":
        reading.reasons.append("only an upper bound is given; its lower end is 0")
        result = 0.0
    return result


def _number_note(reading: _NumberReading, q: str, result: float) -> str:
    """How the answer was read ("" when literal); text left over may hold more numbers."""
    rest = reading.text[reading.pos :]
    if _TOKEN.search(rest):
        reading.reasons.append("the first of several numbers")
    if reading.literal and not reading.reasons and not rest.strip(" .,;:!?()"):
        return ""
    note = f"read {q} as {_fmt(result)}"
    if reading.reasons:
        note += f" ({'; '.join(reading.reasons)})"
    return note


def _read_number(raw: str, unit: str) -> tuple[float, str]:
    early = _early_number(raw)
    if early is not None:
        return early
    q = _quote(raw)
    reading = _first_number(raw, q)
    if not isinstance(reading, _NumberReading):
        return reading
    _read_words_before(reading)
    _read_half(reading)
    _read_range(reading)
    _read_plus(reading)
    _read_unit(reading, unit)
    if not math.isfinite(reading.years) or reading.years > MAX_YEARS:
        return math.nan, f"{q} is more than {MAX_YEARS:g} years (unreadable)"
    result = _in_target_unit(reading, unit)
    return result, _number_note(reading, q, result)


def parse_number(s: pd.Series, unit: str = "years", found: Distinct | None = None) -> ParsedNumbers:
    """Read amounts such as ``5+``, ``3-5 years``, ``ten``, ``18 months`` in ``unit``.

    ``unit`` is "years" or "months"; months, weeks and days are converted. Ranges give their
    lower end; "5+", "over 5" and "at least 5" give 5; "less than N" (only an upper bound)
    gives 0; "none" and "no experience" give 0; "N/A", unreadable text, negative numbers and
    more than ``MAX_YEARS`` give NaN. When several numbers appear, the first is used.
    """
    if unit not in ("years", "months"):
        raise ValueError(f"unit must be 'years' or 'months', not {unit!r}")
    codes, results = per_distinct(s, lambda t: _read_number(t, unit), found)
    return ParsedNumbers(
        value=_float_series([v for v, _ in results], codes, s),
        note=_str_series([n for _, n in results], codes, s),
    )


# --------------------------------------------------------------------------- parse_level

DEGREE_LEVELS: dict[str, tuple[str, ...]] = {
    "none": ("none", "no degree"),
    "high school": (
        "high school", "secondary", "diploma", "GED", "A-levels", "A-level", "bachillerato",
        "高中",
    ),
    "associate": (
        "associate", "associate's", "AA", "AS", "A.A.", "A.S.", "AAS", "foundation degree",
        "大专",
    ),
    "bachelor": (
        "bachelor", "bachelor's", "BSc", "B.Sc", "B.Sc.", "BS", "BA", "B.A.", "B.S.", "BEng",
        "B.Eng", "B.Eng.", "B.Tech", "BTech", "undergraduate degree", "licenciatura",
        "licence", "学士", "本科",
    ),
    "master": (
        "master", "master's", "MSc", "M.Sc", "M.Sc.", "MS", "MA", "M.A.", "MBA", "MEng",
        "M.Eng", "M.Tech", "MTech", "M.S.", "maestría", "máster", "硕士", "研究生",
    ),
    "phd": ("phd", "ph.d.", "ph.d", "doctorate", "doctoral", "DPhil", "D.Phil.", "EdD",
            "doctorado", "博士"),
}  # fmt: skip

# Two-letter abbreviations such as "AS", "MA", "MS", "BA", "BS" are also ordinary words or
# states ("as", "Boston, MA"), so they count only as the whole answer or before one of these.
_ABBREVIATION_FOLLOWERS = r"\s*\(?\s*(?:degree|in|hons|honours|honors)\b"


@dataclass(frozen=True)
class _LevelMatcher:
    names: tuple[str, ...]
    anywhere: tuple[re.Pattern[str] | None, ...]
    whole: tuple[frozenset[str], ...]


def _levels_key(levels: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(synonyms)) for name, synonyms in levels.items())


@lru_cache(maxsize=64)
def _level_matcher(key: tuple[tuple[str, tuple[str, ...]], ...]) -> _LevelMatcher:
    names: list[str] = []
    anywhere: list[re.Pattern[str] | None] = []
    whole: list[frozenset[str]] = []
    for name, synonyms in key:
        patterns: list[str] = []
        whole_words: set[str] = set()
        for synonym in (name, *synonyms):
            k = _key(synonym)
            if not k:
                continue
            if re.fullmatch(r"[a-z]{2}", k):
                whole_words.add(k)
                patterns.append(r"(?<!\w)" + k + _ABBREVIATION_FOLLOWERS)
            elif len(k) >= 3 and k[-1].isalpha() and not _is_cjk(k[-1]):
                patterns.append(_phrase_pattern(k, suffix="(?:'s|s'|s|')?"))
            else:
                patterns.append(_phrase_pattern(k))
        names.append(name)
        anywhere.append(re.compile("|".join(patterns)) if patterns else None)
        whole.append(frozenset(whole_words))
    return _LevelMatcher(tuple(names), tuple(anywhere), tuple(whole))


def _read_level(raw: str, matcher: _LevelMatcher) -> tuple[float, str, str]:
    if not raw.strip():
        return math.nan, "", ""
    q = _quote(raw)
    text = _key(raw)
    # An answer made only of abbreviations ("MS", "(BS)", "BS/MS") names them all.
    words = set(re.findall(r"\w+", text)) - {"and"}
    if not words or not all(any(w in whole for whole in matcher.whole) for w in words):
        words = set()
    found = [
        i
        for i, (pattern, whole) in enumerate(zip(matcher.anywhere, matcher.whole, strict=True))
        if words & whole or (pattern is not None and pattern.search(text))
    ]
    if not found:
        return math.nan, "", f"could not read {q} as a level"
    best = max(found)
    label = matcher.names[best]
    note = f"read {q} as {label}"
    if len(found) > 1:
        note += f" (the highest of {', '.join(matcher.names[i] for i in found)})"
    return float(best), label, note


def parse_level(s: pd.Series, levels: Mapping[str, Sequence[str]] = DEGREE_LEVELS,
                found: Distinct | None = None) -> ParsedLevels:
    """Read answers as one of ``levels`` (ordered lowest first; name -> synonyms).

    Matching ignores case and accents and is word-bounded; the level's name counts as a
    synonym. Two-letter abbreviations ("MS", "BA") count only as the whole answer or when
    followed by "degree", "in" or "(Hons)". When several levels are named, the highest wins.
    """
    matcher = _level_matcher(_levels_key(levels))
    codes, results = per_distinct(s, lambda t: _read_level(t, matcher), found)
    return ParsedLevels(
        value=_float_series([v for v, _, _ in results], codes, s),
        label=_str_series([label for _, label, _ in results], codes, s),
        note=_str_series([n for _, _, n in results], codes, s),
    )


# --------------------------------------------------------------------------- parse_yesno

_YES = {"yes", "y", "true", "1", "1.0", "si", "oui", "ja", "是", "是的", "对", "對", "sure", "有", "可以",
        "可以的", "能", "行", "好", "sim", "tak", "evet", "はい", "예", "네",
        "yep", "yeah", "yup"}  # fmt: skip
_NO = {"no", "n", "false", "0", "0.0", "non", "nein", "否", "不", "不是", "nope", "nah", "没有", "沒有", "无", "無",
       "不能", "不可以", "不行", "nao", "nie", "hayir", "いいえ", "아니요", "아니오"}
_YES_PREFIX = ("yes", "si", "oui", "ja", "sure", "yep", "yeah", "yup", "是的", "是", "对", "對")
_NO_PREFIX = ("no", "nein", "nope", "nah", "不是", "否", "不")
_PREFIX_PATTERN = re.compile(rf"^(?P<word>{_alternation(_YES_PREFIX + _NO_PREFIX)})(?:[\s,.;:!()\-]|$)")


def _read_yesno(raw: str) -> tuple[float, str]:
    if not raw.strip():
        return math.nan, ""
    q = _quote(raw)
    text = _key(raw)
    bare = text.strip(" .!")
    if bare in _YES:
        return 1.0, "" if bare == "yes" else f"read {q} as yes"
    if bare in _NO:
        return 0.0, "" if bare == "no" else f"read {q} as no"
    m = _PREFIX_PATTERN.match(text)
    if m:
        if m.group("word") in _YES_PREFIX:
            return 1.0, f"read {q} as yes"
        return 0.0, f"read {q} as no"
    return math.nan, f"could not read {q} as yes or no"


def parse_yesno(s: pd.Series, found: Distinct | None = None) -> ParsedYesNo:
    """Read yes/no answers (also y/n, true/false, 1/0, sí, oui, ja, 是, "yes, ...")."""
    codes, results = per_distinct(s, _read_yesno, found)
    return ParsedYesNo(
        value=_float_series([v for v, _ in results], codes, s),
        note=_str_series([n for _, n in results], codes, s),
    )


# --------------------------------------------------------------------------- choices

# Starting where a run of spaces does (trying every start inside a long run took quadratic time),
# or at a mark right after the last separator's spaces.
_ITEM_SEPARATOR = re.compile(r"(?<!\s)\s*(?:\r\n|\r|\n|;|\||,)\s*|[;|,]\s*")
_NO_CHOICE = {"none", "n/a", "na", "n.a.", "-", "--", "nothing", "no", "none of the above"}


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def split_items(text: str) -> list[str]:
    """Split a multi-select answer into its choices; drop blanks. That reads every provider's
    way of joining choices: ", " (Google Forms, Cognito), "," (Typeform), "a;b;" (Microsoft
    Forms), one per line (Jotform, and a JSON export's list, which the loader writes so). An
    answer written one per line is split only at its line ends, and never inside brackets:
    "Microsoft Project (desktop, online)" is one choice."""
    if "\n" in text or "\r" in text:
        parts = _LINE_BREAK.split(text)
    elif "(" in text or "[" in text or "{" in text:
        parts = _split_outside_brackets(text)
    else:
        parts = _ITEM_SEPARATOR.split(text)
    return [item.strip() for item in parts if item.strip(" \t,;|")]


def _split_outside_brackets(text: str) -> list[str]:
    parts, start, closing = [], 0, []
    for i, ch in enumerate(text):
        if ch in _BRACKETS:
            closing.append(_BRACKETS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        elif not closing and ch in ",;|":
            parts.append(text[start:i])
            start = i + 1
    if closing:  # a bracket never closed: no brackets to respect
        return _ITEM_SEPARATOR.split(text)
    parts.append(text[start:])
    return parts


def _options_key(options: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(synonyms)) for name, synonyms in options.items())


@lru_cache(maxsize=64)
def _option_patterns(
    key: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[re.Pattern[str] | None, ...]:
    compiled: list[re.Pattern[str] | None] = []
    for name, synonyms in key:
        keys = {_key(x) for x in (name, *synonyms)} - {""}
        patterns = [_phrase_pattern(k) for k in sorted(keys, key=len, reverse=True)]
        compiled.append(re.compile("|".join(patterns)) if patterns else None)
    return tuple(compiled)


@lru_cache(maxsize=64)
def _whole_patterns(key: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """For the options whose name or a synonym holds a separator ("Budgeting, forecasting"): a
    pattern finding it whole in an answer (any case and spacing), with the option's position."""
    found = []
    for i, (name, synonyms) in enumerate(key):
        for phrase in (name, *synonyms):
            if _ITEM_SEPARATOR.search(phrase.strip()):
                pieces = re.split(r"(\s*[,;|]\s*|\s+)", phrase.strip())
                body = "".join(re.escape(p) if n % 2 == 0 else r"\s*" + re.escape(p.strip()) + r"\s*"
                               if p.strip() else r"\s+" for n, p in enumerate(pieces))
                found.append((i, re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)))
    return tuple(found)


def _match_items(raw: str, patterns: tuple[re.Pattern[str] | None, ...],
                 whole: tuple[tuple[int, re.Pattern[str]], ...] = ()) -> tuple[list[bool], str]:
    hits = [False] * len(patterns)
    unmatched: list[str] = []
    # An option that holds a separator is found whole first, and taken out before the split.
    for i, whole_option in whole:
        raw, found = whole_option.subn(",", raw)
        hits[i] = hits[i] or found > 0
    for item in split_items(raw):
        k = _key(item)
        matched = False
        for i, pattern in enumerate(patterns):
            if pattern is not None and pattern.search(k):
                hits[i] = True
                matched = True
        if not matched and k.strip(" .") not in _NO_CHOICE:
            unmatched.append(_display(item))
    return hits, ", ".join(unmatched)


def split_choices(s: pd.Series, options: Mapping[str, Sequence[str]], found: Distinct | None = None) -> pd.DataFrame:
    """One bool column per canonical option: does any item of the answer name it?

    An item names an option when it contains the option's name or one of its synonyms as a
    word-bounded phrase, ignoring case and accents ("Certified ScrumMaster (CSM)" names CSM).
    """
    key = _options_key(options)
    patterns, whole = _option_patterns(key), _whole_patterns(key)
    codes, results = per_distinct(s, lambda t: _match_items(t, patterns, whole), found)
    table = np.array([hits for hits, _ in results], dtype=bool).reshape(len(results), len(options))
    return pd.DataFrame(table[codes], index=s.index, columns=list(options), dtype=bool)


def unmatched_choices(s: pd.Series, options: Mapping[str, Sequence[str]], found: Distinct | None = None) -> pd.Series:
    """The items of each answer that name no option, joined with ", " ("" when none)."""
    key = _options_key(options)
    patterns, whole = _option_patterns(key), _whole_patterns(key)
    codes, results = per_distinct(s, lambda t: _match_items(t, patterns, whole), found)
    return _str_series([rest for _, rest in results], codes, s)


# --------------------------------------------------------------------------- parse_datetime

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_SLASH = re.compile(
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"
    r"(?:[T ]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (20000.0, 80000.0)


@dataclass(frozen=True)
class _DateReading:
    instant: datetime | None
    note: str = ""
    naive: bool = False
    serial: bool = False
    swapped_hint: str = ""  # "dayfirst" when D/M/Y was likely, "monthfirst" for the reverse
    ambiguous: bool = False  # reads as two different days, and the column's order is not known


def _offset(tz: str) -> timezone:
    if tz.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _localize(local: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """Attach ``zone``; for a repeated or skipped wall time take the earlier instant."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second:
        return first, ""
    # A wall time that does not survive the round trip was skipped by the clocks.
    gap = first.astimezone(zone).replace(tzinfo=None) != local
    why = "does not exist" if gap else "happens twice"
    return min(first, second), f"that local time {why} in {zone.key}; read as the earlier instant"


def _read_date(raw: str, zone: ZoneInfo, dayfirst: bool | None) -> _DateReading:
    text = raw.strip()
    if not text:
        return _DateReading(None)
    bad = f"could not read {_quote(raw)} as a date"
    try:
        m = _ISO.fullmatch(text)
        if m:
            fraction = (m.group("f") or "")[:6].ljust(6, "0")
            local = datetime(
                int(m.group("y")), int(m.group("mo")), int(m.group("d")),
                int(m.group("h") or 0), int(m.group("mi") or 0), int(m.group("s") or 0),
                int(fraction),
            )  # fmt: skip
            if m.group("tz"):
                return _DateReading(local.replace(tzinfo=_offset(m.group("tz"))).astimezone(UTC))
            instant, note = _localize(local, zone)
            return _DateReading(instant, note, naive=True)
        m = _SLASH.fullmatch(text)
        if m:
            a, b = int(m.group("a")), int(m.group("b"))
            if dayfirst is None:  # the column's order is not known: only one reading may stand
                if a != b and a <= 12 and b <= 12:
                    return _DateReading(None, _either_way(text, a, b, int(m.group("y"))), ambiguous=True)
                month, day = (b, a) if a > 12 else (a, b)
            else:
                month, day = (b, a) if dayfirst else (a, b)
            if month > 12:
                hint = "monthfirst" if dayfirst else "dayfirst"
                return _DateReading(None, bad, swapped_hint=hint)
            hour = int(m.group("h") or 0)
            ampm = (m.group("ampm") or "").replace(".", "").lower()
            if ampm:
                if not 1 <= hour <= 12:
                    return _DateReading(None, bad)
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            local = datetime(
                int(m.group("y")), month, day, hour, int(m.group("mi") or 0),
                int(m.group("s") or 0),
            )  # fmt: skip
            instant, note = _localize(local, zone)
            return _DateReading(instant, note, naive=True)
        if _SERIAL.fullmatch(text):
            days = float(text)
            if _SERIAL_RANGE[0] <= days <= _SERIAL_RANGE[1]:
                # Excel stores times as binary fractions of a day; round to the second.
                local = _EXCEL_EPOCH + timedelta(seconds=round(days * 86400))
                instant, note = _localize(local, zone)
                return _DateReading(instant, note, naive=True, serial=True)
    except (ValueError, OverflowError):
        pass
    return _DateReading(None, bad)


def _either_way(text: str, a: int, b: int, year: int) -> str:
    """Why a slash date is left unread: the two days it may be."""
    def day(d: int, m: int) -> str:
        return f"{d} {datetime(year, m, 1).strftime('%B')}"

    return (f"{_quote(text)} is {day(a, b)} written day first or {day(b, a)} written month first, "
            "and nothing says which")


# A date written with slashes: its two leading numbers, for telling the order (see slash_evidence).
_SLASH_HEAD = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{4}(?!\d)")


@dataclass(frozen=True)
class SlashEvidence:
    """What a column's slash dates say about their order: how many values can only be day first
    (the first number is above 12), only month first (the second is), or either way (both 12 or
    less and different: 09/06/2020), each with an example."""

    day_first: int = 0
    month_first: int = 0
    either: int = 0
    day_example: str = ""
    month_example: str = ""
    either_example: str = ""


def slash_evidence(s: pd.Series) -> SlashEvidence:
    """``SlashEvidence`` over every value of ``s`` (each distinct text looked at once). ISO dates,
    serial days and text say nothing about the order and are not counted."""
    codes, texts = distinct(s)
    rows = np.bincount(codes, minlength=len(texts)) if len(codes) else np.zeros(len(texts), dtype=np.int64)
    counts = {"day": 0, "month": 0, "either": 0}
    examples = {"day": "", "month": "", "either": ""}
    for text, n in zip(texts, rows.tolist(), strict=True):
        m = _SLASH_HEAD.match(text)
        if m is None or _SLASH.fullmatch(text.strip()) is None:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        kind = ("day" if a > 12 and b <= 12 else "month" if b > 12 and a <= 12
                else "either" if a != b and a <= 12 and b <= 12 else "")
        if kind:
            counts[kind] += int(n)
            examples[kind] = examples[kind] or text.strip()
    return SlashEvidence(counts["day"], counts["month"], counts["either"],
                         examples["day"], examples["month"], examples["either"])


def has_zone(text: str) -> bool:
    """Whether a timestamp states its own zone (``Z``, ``UTC``, ``+02:00``), which always wins."""
    m = _ISO.fullmatch(text.strip())
    return bool(m and m.group("tz"))


def parse_datetime(s: pd.Series, naive_tz: str, dayfirst: bool | None = False) -> ParsedDates:
    """Read timestamps into UTC; times without an offset are wall times in ``naive_tz``.

    Accepted, each tried explicitly: ISO 8601 with Z/offset; ISO without offset (date,
    minutes, seconds); M/D/YYYY with optional h:mm[:ss] [AM/PM] (D/M/YYYY when ``dayfirst``);
    Excel serial days (20000-80000). A slash date that only makes sense the other way round
    is not swapped: it is left unread and ``notes`` suggests the ``dayfirst`` setting.
    ``dayfirst=None`` says the column's order is not known (``providers.date_order``): a slash
    date is read only when one reading stands (26/06/2020, 6/26/2020, 06/06/2020); one that
    reads as two different days is left unread and marked in ``ambiguous``.
    """
    try:
        zone = ZoneInfo(naive_tz)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"unknown time zone {naive_tz!r}; use an IANA name") from err
    codes, readings = per_distinct(s, lambda t: _read_date(t, zone, dayfirst))
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    nat = np.iinfo(np.int64).min
    micros = np.array(
        [nat if r.instant is None else (r.instant - epoch) // timedelta(microseconds=1) for r in readings],
        dtype="int64",
    )
    column = pd.DatetimeIndex(micros[codes].view("datetime64[us]")).tz_localize("UTC")
    value = pd.Series(column, index=s.index, name=s.name)

    rows = np.bincount(codes, minlength=len(readings))

    def count(flag: Callable[[_DateReading], bool]) -> int:
        return int(sum(n for r, n in zip(readings, rows, strict=True) if flag(r)))

    notes: list[str] = []
    naive = count(lambda r: r.naive and not r.serial)
    if naive:
        notes.append(f"{naive} value(s) had no time zone; read as {naive_tz} local time")
    serial = count(lambda r: r.serial)
    if serial:
        notes.append(f"{serial} value(s) were Excel serial day numbers; read as days since 1899-12-30 in {naive_tz}")
    dayfirst_hint = count(lambda r: r.swapped_hint == "dayfirst")
    if dayfirst_hint:
        notes.append(
            f"{dayfirst_hint} value(s) look like day/month/year (first number above 12) and "
            "were left unread; if the export writes dates day first, add 'day_first: true' to the rubric's deadline"
        )
    monthfirst_hint = count(lambda r: r.swapped_hint == "monthfirst")
    if monthfirst_hint:
        notes.append(
            f"{monthfirst_hint} value(s) look like month/day/year (second number above 12) "
            "and were left unread; if the export writes dates month first, remove 'day_first: true' from the rubric"
        )
    return ParsedDates(
        value=value,
        note=_str_series([r.note for r in readings], codes, s),
        notes=notes,
        ambiguous=np.array([r.ambiguous for r in readings], dtype=bool)[codes] if len(codes) else
        np.zeros(0, dtype=bool),
    )
