"""Tests for screener.core.normalize: reading human-typed answers as values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screener.core import normalize
from screener.core.normalize import (
    DEGREE_LEVELS,
    MAX_YEARS,
    normalize_text,
    parse_datetime,
    parse_level,
    parse_number,
    parse_yesno,
    split_choices,
    split_items,
    unmatched_choices,
)

NY = "America/New_York"


def one(value: str) -> pd.Series:
    return pd.Series([value], dtype="str")


def same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# --------------------------------------------------------------------------- parse_number

LOWER = "lower end of the range"
UPPER = "only an upper bound is given; its lower end is 0"
MIN = "the minimum stated"
NAN = math.nan

NUMBER_CASES = [
    # text, value, note
    ("5", 5.0, ""),
    ("5+", 5.0, f"read '5+' as 5 ({MIN})"),
    ("5 +", 5.0, f"read '5 +' as 5 ({MIN})"),
    ("+5", 5.0, f"read '+5' as 5 ({MIN})"),
    ("3-5 years", 3.0, f"read '3-5 years' as 3 ({LOWER})"),
    ("3 to 5", 3.0, f"read '3 to 5' as 3 ({LOWER})"),
    ("3\u20135", 3.0, f"read '3\u20135' as 3 ({LOWER})"),
    ("3 \u2014 5 yrs", 3.0, f"read '3 \u2014 5 yrs' as 3 ({LOWER})"),
    ("5-3", 3.0, f"read '5-3' as 3 ({LOWER})"),
    ("between 3 and 5", 3.0, f"read 'between 3 and 5' as 3 ({LOWER})"),
    ("ten", 10.0, "read 'ten' as 10"),
    ("Ten", 10.0, "read 'Ten' as 10"),
    ("twenty-five", 25.0, "read 'twenty-five' as 25"),
    ("twenty five years", 25.0, "read 'twenty five years' as 25"),
    ("twelve years", 12.0, "read 'twelve years' as 12"),
    ("10 yrs", 10.0, ""),
    ("10yrs", 10.0, ""),
    ("10 yrs.", 10.0, ""),
    ("7 years", 7.0, ""),
    ("7 Years", 7.0, ""),
    ("1.5 years", 1.5, ""),
    ("0", 0.0, ""),
    ("  4  ", 4.0, ""),
    ("about 4", 4.0, "read 'about 4' as 4 (approximate)"),
    ("~4", 4.0, "read '~4' as 4 (approximate)"),
    ("4ish", 4.0, "read '4ish' as 4 (approximate)"),
    ("over 10", 10.0, f"read 'over 10' as 10 ({MIN})"),
    ("more than 10", 10.0, f"read 'more than 10' as 10 ({MIN})"),
    ("at least 3", 3.0, f"read 'at least 3' as 3 ({MIN})"),
    ("5 or more years", 5.0, f"read '5 or more years' as 5 ({MIN})"),
    ("1,5 años", 1.5, "read '1,5 años' as 1.5 (decimal comma)"),
    ("6 months", 0.5, "read '6 months' as 0.5 (6 months = 0.5 years)"),
    ("18 months", 1.5, "read '18 months' as 1.5 (18 months = 1.5 years)"),
    ("5 years 6 months", 5.5, "read '5 years 6 months' as 5.5 (5 years + 6 months)"),
    ("2 years and 6 months", 2.5, "read '2 years and 6 months' as 2.5 (2 years + 6 months)"),
    ("1 year 1 month", 13 / 12, "read '1 year 1 month' as 1.083 (1 year + 1 month)"),
    ("1 month", 1 / 12, "read '1 month' as 0.08333 (1 month = 0.08333 years)"),
    ("½ year", 0.5, "read '½ year' as 0.5"),
    ("6 weeks", 6 / 52, "read '6 weeks' as 0.1154 (6 weeks = 0.1154 years)"),
    ("half a year", 0.5, "read 'half a year' as 0.5"),
    ("a year", 1.0, "read 'a year' as 1"),
    ("two and a half years", 2.5, "read 'two and a half years' as 2.5"),
    ("2\u00bd years", 2.5, "read '2\u00bd years' as 2.5"),
    ("less than 1", 0.0, f"read 'less than 1' as 0 ({UPPER})"),
    ("<1", 0.0, f"read '<1' as 0 ({UPPER})"),
    ("< 1 year", 0.0, f"read '< 1 year' as 0 ({UPPER})"),
    ("less than a year", 0.0, f"read 'less than a year' as 0 ({UPPER})"),
    ("under 2 years", 0.0, f"read 'under 2 years' as 0 ({UPPER})"),
    ("none", 0.0, "read 'none' as 0"),
    ("None", 0.0, "read 'None' as 0"),
    ("no experience", 0.0, "read 'no experience' as 0"),
    ("No experience yet.", 0.0, "read 'No experience yet.' as 0"),
    ("N/A", NAN, "'N/A' gives no number"),
    ("na", NAN, "'na' gives no number"),
    ("n/a", NAN, "'n/a' gives no number"),
    ("-", NAN, "'-' gives no number"),
    ("", NAN, ""),
    ("   ", NAN, ""),
    ("a few", NAN, "could not read 'a few' as a number (unreadable)"),
    ("several", NAN, "could not read 'several' as a number (unreadable)"),
    (
        "10+ years in IT, 4 as PM",
        10.0,
        f"read '10+ years in IT, 4 as PM' as 10 ({MIN}; the first of several numbers)",
    ),
    ("I have 5 years of experience", 5.0, "read 'I have 5 years of experience' as 5"),
    ("cinco años", 5.0, "read 'cinco años' as 5"),
    ("diez", 10.0, "read 'diez' as 10"),
    ("trois ans", 3.0, "read 'trois ans' as 3"),
    ("dix", 10.0, "read 'dix' as 10"),
    ("fünf Jahre", 5.0, "read 'fünf Jahre' as 5"),
    ("zehn", 10.0, "read 'zehn' as 10"),
    ("五年", 5.0, "read '五年' as 5"),
    ("十年", 10.0, "read '十年' as 10"),
    ("十五年", 15.0, "read '十五年' as 15"),
    ("二十年", 20.0, "read '二十年' as 20"),
    ("两年", 2.0, "read '两年' as 2"),
    ("三到五年", 3.0, f"read '三到五年' as 3 ({LOWER})"),
    ("十年以上", 10.0, f"read '十年以上' as 10 ({MIN})"),
    ("5年", 5.0, ""),
    ("-3", NAN, "'-3' is negative (unreadable)"),
    ("200", NAN, "'200' is more than 60 years (unreadable)"),
    ("61 years", NAN, "'61 years' is more than 60 years (unreadable)"),
    ("60", 60.0, ""),
    ("since 2015", NAN, "'since 2015' is more than 60 years (unreadable)"),
    ("１０", 10.0, ""),
    # Halves, number words and "none" in the languages applicants write.
    ("两年半", 2.5, "read '两年半' as 2.5"),
    ("2年半", 2.5, "read '2年半' as 2.5"),
    ("一年半", 1.5, "read '一年半' as 1.5"),
    ("半年", 0.5, "read '半年' as 0.5"),
    ("dez anos", 10.0, "read 'dez anos' as 10"),
    ("trzy lata", 3.0, "read 'trzy lata' as 3"),
    ("üç yıl", 3.0, "read 'üç yıl' as 3"),
    ("3년", 3.0, ""),
    ("brak", 0.0, "read 'brak' as 0"),
    ("暂无", 0.0, "read '暂无' as 0"),
    ("無經驗", 0.0, "read '無經驗' as 0"),
    ("nenhuma", 0.0, "read 'nenhuma' as 0"),
    ("worked on 3 projects", 3.0, "read 'worked on 3 projects' as 3"),
]


@pytest.mark.parametrize(("text", "value", "note"), NUMBER_CASES)
def test_parse_number(text: str, value: float, note: str) -> None:
    result = parse_number(one(text))
    assert same_float(result.value.iloc[0], value)
    assert result.note.iloc[0] == note


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        ("6 months", 6.0, ""),
        ("2 years", 24.0, "read '2 years' as 24 (2 years = 24 months)"),
        ("1-2 years", 12.0, f"read '1-2 years' as 12 ({LOWER}; 1 year = 12 months)"),
        ("3", 3.0, ""),
        ("61 years", NAN, "'61 years' is more than 60 years (unreadable)"),
    ],
)
def test_parse_number_in_months(text: str, value: float, note: str) -> None:
    result = parse_number(one(text), unit="months")
    assert same_float(result.value.iloc[0], value)
    assert result.note.iloc[0] == note


def test_parse_number_rejects_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit"):
        parse_number(one("5"), unit="decades")


def test_parse_number_truncates_long_answers_in_notes() -> None:
    text = "I have been working in this field for a very long time indeed"
    note = parse_number(one(text)).note.iloc[0]
    assert note == "could not read 'I have been working in this field for a…' as a number (unreadable)"


def test_parse_number_dtypes() -> None:
    result = parse_number(pd.Series(["5", "n/a"], dtype="str"))
    assert result.value.dtype == np.float64
    assert pd.api.types.is_string_dtype(result.note.dtype)


# --------------------------------------------------------------------------- parse_level

LEVEL_CASES = [
    # text, label
    ("None", "none"),
    ("No degree", "none"),
    ("High school", "high school"),
    ("High School Diploma", "high school"),
    ("Secondary school", "high school"),
    ("GED", "high school"),
    ("A-levels", "high school"),
    ("Bachillerato", "high school"),
    ("高中", "high school"),
    ("Associate", "associate"),
    ("Associate's degree", "associate"),
    ("Associate of Arts", "associate"),
    ("AA", "associate"),
    ("AS", "associate"),
    ("A.S.", "associate"),
    ("A.S. in Nursing", "associate"),
    ("AS degree", "associate"),
    ("AAS", "associate"),
    ("Foundation degree", "associate"),
    ("大专", "associate"),
    ("Bachelor", "bachelor"),
    ("Bachelor's degree", "bachelor"),
    ("Bachelor\u2019s degree", "bachelor"),
    ("Bachelors", "bachelor"),
    ("BSc", "bachelor"),
    ("BSc (Hons) Computing", "bachelor"),
    ("BS", "bachelor"),
    ("bs.", "bachelor"),
    ("(BS)", "bachelor"),
    ("BS in Computer Science", "bachelor"),
    ("BA", "bachelor"),
    ("BA (Hons)", "bachelor"),
    ("B.A.", "bachelor"),
    ("B.A. History", "bachelor"),
    ("B.S.", "bachelor"),
    ("BEng", "bachelor"),
    ("B.Eng", "bachelor"),
    ("B.Tech", "bachelor"),
    ("Undergraduate degree", "bachelor"),
    ("Licenciatura en Economía", "bachelor"),
    ("Licence", "bachelor"),
    ("学士", "bachelor"),
    ("本科", "bachelor"),
    ("Master", "master"),
    ("Master's degree", "master"),
    ("masters", "master"),
    ("MSc", "master"),
    ("MS", "master"),
    ("MS degree", "master"),
    ("MS in Data Science", "master"),
    ("MA", "master"),
    ("MA in English", "master"),
    ("MBA", "master"),
    ("MEng", "master"),
    ("M.Tech", "master"),
    ("M.S.", "master"),
    ("Maestría", "master"),
    ("maestria en finanzas", "master"),
    ("Máster", "master"),
    ("硕士", "master"),
    ("硕士学位", "master"),
    ("研究生", "master"),
    ("PhD", "phd"),
    ("Ph.D.", "phd"),
    ("Ph.D. in Physics", "phd"),
    ("Doctorate", "phd"),
    ("Doctoral degree", "phd"),
    ("DPhil", "phd"),
    ("EdD", "phd"),
    ("Doctorado", "phd"),
    ("博士", "phd"),
    ("BS/MS", "master"),
    ("BA and MA", "master"),
    ("Bachelor's, currently doing Master's", "master"),
]


@pytest.mark.parametrize(("text", "label"), LEVEL_CASES)
def test_parse_level(text: str, label: str) -> None:
    result = parse_level(one(text))
    assert result.label.iloc[0] == label
    assert result.value.iloc[0] == list(DEGREE_LEVELS).index(label)


@pytest.mark.parametrize(
    "text",
    [
        "Other",
        "N/A",
        "teams lead",
        "Bash scripting",
        "as soon as possible",
        "Boston, MA",
        "MS Office expert",
        "I was a BA for years",
        "BS-free zone",
        "mastering Excel",
        "bachelorette",
    ],
)
def test_parse_level_does_not_match_words_inside_words_or_bare_abbreviations(text: str) -> None:
    result = parse_level(one(text))
    assert math.isnan(result.value.iloc[0])
    assert result.label.iloc[0] == ""
    assert result.note.iloc[0] == f"could not read '{text}' as a level"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Master's degree", 'read "Master\'s degree" as master'),
        ("MS", "read 'MS' as master"),
        (
            "Bachelor's, currently doing Master's",
            "read \"Bachelor's, currently doing Master's\" as master (the highest of bachelor, master)",
        ),
        ("", ""),
        ("Other", "could not read 'Other' as a level"),
    ],
)
def test_parse_level_notes(text: str, note: str) -> None:
    assert parse_level(one(text)).note.iloc[0] == note


def test_parse_level_blank_is_unknown_without_note() -> None:
    result = parse_level(pd.Series(["", "  "], dtype="str"))
    assert result.value.isna().all()
    assert result.label.tolist() == ["", ""]
    assert result.note.tolist() == ["", ""]


def test_parse_level_custom_levels_use_their_order_and_names() -> None:
    levels = {"junior": ["jr", "entry"], "mid": ["intermediate"], "senior": ["sr", "lead"]}
    result = parse_level(pd.Series(["Sr.", "entry level", "Mid", "jr / lead", "?"]), levels)
    assert result.label.tolist() == ["senior", "junior", "mid", "senior", ""]
    assert result.value.tolist()[:4] == [2.0, 0.0, 1.0, 2.0]
    assert math.isnan(result.value.iloc[4])


def test_degree_levels_are_in_ascending_order() -> None:
    assert list(DEGREE_LEVELS) == ["none", "high school", "associate", "bachelor", "master", "phd"]


# --------------------------------------------------------------------------- parse_yesno

YESNO_CASES = [
    ("有", 1.0, "read '有' as yes"),
    ("没有", 0.0, "read '没有' as no"),
    ("可以", 1.0, "read '可以' as yes"),
    ("不确定", NAN, "could not read '不确定' as yes or no"),
    ("sim", 1.0, "read 'sim' as yes"),
    ("nie", 0.0, "read 'nie' as no"),
    ("yes", 1.0, ""),
    ("Yes", 1.0, ""),
    ("YES!", 1.0, ""),
    ("y", 1.0, "read 'y' as yes"),
    ("true", 1.0, "read 'true' as yes"),
    ("TRUE", 1.0, "read 'TRUE' as yes"),
    ("1", 1.0, "read '1' as yes"),
    ("Sí", 1.0, "read 'Sí' as yes"),
    ("si", 1.0, "read 'si' as yes"),
    ("oui", 1.0, "read 'oui' as yes"),
    ("Ja", 1.0, "read 'Ja' as yes"),
    ("是", 1.0, "read '是' as yes"),
    ("是的", 1.0, "read '是的' as yes"),
    ("对", 1.0, "read '对' as yes"),
    ("sure", 1.0, "read 'sure' as yes"),
    ("yep", 1.0, "read 'yep' as yes"),
    ("Yes, since 2019", 1.0, "read 'Yes, since 2019' as yes"),
    ("yes I can", 1.0, "read 'yes I can' as yes"),
    ("yes - happy to", 1.0, "read 'yes - happy to' as yes"),
    ("no", 0.0, ""),
    ("No.", 0.0, ""),
    ("n", 0.0, "read 'n' as no"),
    ("false", 0.0, "read 'false' as no"),
    ("0", 0.0, "read '0' as no"),
    ("non", 0.0, "read 'non' as no"),
    ("Nein", 0.0, "read 'Nein' as no"),
    ("否", 0.0, "read '否' as no"),
    ("不", 0.0, "read '不' as no"),
    ("nope", 0.0, "read 'nope' as no"),
    ("No, but I could relocate", 0.0, "read 'No, but I could relocate' as no"),
    ("", NAN, ""),
    ("maybe", NAN, "could not read 'maybe' as yes or no"),
    ("n/a", NAN, "could not read 'n/a' as yes or no"),
    ("yes/no", NAN, "could not read 'yes/no' as yes or no"),
    ("yesterday", NAN, "could not read 'yesterday' as yes or no"),
    ("nobody", NAN, "could not read 'nobody' as yes or no"),
    ("x" * 60, NAN, f"could not read '{'x' * 39}…' as yes or no"),
]


@pytest.mark.parametrize(("text", "value", "note"), YESNO_CASES)
def test_parse_yesno(text: str, value: float, note: str) -> None:
    result = parse_yesno(one(text))
    assert same_float(result.value.iloc[0], value)
    assert result.note.iloc[0] == note


# --------------------------------------------------------------------------- choices

CERTS = {
    "PMP": ["pmp", "project management professional"],
    "CSM": ["csm", "certified scrummaster", "scrum master"],
    "PRINCE2": ["prince2", "prince 2"],
}


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("PMP, CSM", ["PMP", "CSM"]),
        ("PMP,CSM", ["PMP", "CSM"]),
        ("PMP;CSM;", ["PMP", "CSM"]),
        ("PMP; CSM", ["PMP", "CSM"]),
        ("PMP\nCSM\r\nITIL", ["PMP", "CSM", "ITIL"]),
        ("PMP | CSM", ["PMP", "CSM"]),
        ("  PMP  ", ["PMP"]),
        ("", []),
        (" ; , ", []),
        ("Certified ScrumMaster (CSM)", ["Certified ScrumMaster (CSM)"]),
    ],
)
def test_split_items(text: str, items: list[str]) -> None:
    assert split_items(text) == items


CHOICE_CASES = [
    # text, PMP, CSM, PRINCE2, unmatched
    ("PMP, CSM", True, True, False, ""),
    ("Certified ScrumMaster (CSM); PMP;", True, True, False, ""),
    ("Project Management Professional\nPRINCE 2", True, False, True, ""),
    ("pmp | scrum master", True, True, False, ""),
    ("PMP-ish", True, False, False, ""),
    ("PMPs", False, False, False, "PMPs"),
    ("Other", False, False, False, "Other"),
    ("ITIL, Other, PMP", True, False, False, "ITIL, Other"),
    ("None", False, False, False, ""),
    ("n/a", False, False, False, ""),
    ("", False, False, False, ""),
    ("prínce2", False, False, True, ""),
]


@pytest.mark.parametrize(("text", "pmp", "csm", "prince2", "rest"), CHOICE_CASES)
def test_split_choices(text: str, pmp: bool, csm: bool, prince2: bool, rest: str) -> None:
    frame = split_choices(one(text), CERTS)
    assert list(frame.columns) == ["PMP", "CSM", "PRINCE2"]
    assert frame.dtypes.eq(bool).all()
    assert frame.iloc[0].tolist() == [pmp, csm, prince2]
    assert unmatched_choices(one(text), CERTS).iloc[0] == rest


def test_split_choices_none_can_be_an_option() -> None:
    frame = split_choices(pd.Series(["None", "PMP"]), {"PMP": ["pmp"], "None": ["none"]})
    assert frame.to_dict("list") == {"PMP": [False, True], "None": [True, False]}


def test_split_choices_without_options_has_no_columns() -> None:
    s = pd.Series(["a", "b"], index=[7, 3])
    frame = split_choices(s, {})
    assert frame.shape == (2, 0)
    assert frame.index.tolist() == [7, 3]


# --------------------------------------------------------------------------- parse_datetime


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


DATE_CASES = [
    ("2020-06-24T14:41:00.000Z", "2020-06-24 14:41:00"),
    ("2020-06-24T14:41:00.123456789Z", "2020-06-24 14:41:00.123456"),
    ("2020-06-24T10:41:00-04:00", "2020-06-24 14:41:00"),
    ("2020-06-24T10:41:00+0530", "2020-06-24 05:11:00"),
    ("2020-06-24 10:41:00 UTC", "2020-06-24 10:41:00"),
    ("2020-06-24T10:41:00", "2020-06-24 14:41:00"),
    ("2020-06-24 10:41:00", "2020-06-24 14:41:00"),
    ("2020-06-24 10:41", "2020-06-24 14:41:00"),
    ("2020-06-24", "2020-06-24 04:00:00"),
    ("2020-01-15 10:41", "2020-01-15 15:41:00"),
    ("6/24/2020 10:41 AM", "2020-06-24 14:41:00"),
    ("06/24/2020 10:41:05 AM", "2020-06-24 14:41:05"),
    ("6/24/2020 10:41 PM", "2020-06-25 02:41:00"),
    ("6/24/2020 22:41", "2020-06-25 02:41:00"),
    ("6/24/2020 12:15 PM", "2020-06-24 16:15:00"),
    ("6/24/2020", "2020-06-24 04:00:00"),
    ("43996.4451388889", "2020-06-14 14:41:00"),
    ("44008", "2020-06-26 04:00:00"),
    # The deadline: Friday 26 June 2020, 11:59 PM US Eastern (EDT, UTC-4).
    ("2020-06-26 23:59", "2020-06-27 03:59:00"),
    ("2020-06-26T23:59:59-04:00", "2020-06-27 03:59:59"),
    ("6/26/2020 11:59 PM", "2020-06-27 03:59:00"),
    ("6/27/2020 12:00 AM", "2020-06-27 04:00:00"),
    ("2020-06-27T03:59:30Z", "2020-06-27 03:59:30"),
    ("2020-06-27T04:00:00Z", "2020-06-27 04:00:00"),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_parse_datetime(text: str, expected: str) -> None:
    result = parse_datetime(one(text), NY)
    assert result.value.iloc[0] == utc(expected)
    assert result.note.iloc[0] == ""


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "13/6/2020",
        "6/24/20",
        "2020-02-30",
        "6/24/2020 13:00 PM",
        "6/24/2020 0:30 AM",
        "2020-06-24T25:00:00Z",
        "12345",
        "99999.5",
        "June 24, 2020",
    ],
)
def test_parse_datetime_unreadable(text: str) -> None:
    result = parse_datetime(one(text), NY)
    assert result.value.isna().iloc[0]
    assert result.note.iloc[0] == f"could not read '{text}' as a date"


def test_parse_datetime_blank_is_nat_without_note() -> None:
    result = parse_datetime(pd.Series(["", " "], dtype="str"), NY)
    assert result.value.isna().all()
    assert result.note.tolist() == ["", ""]
    assert result.notes == []


def test_parse_datetime_values_are_utc() -> None:
    result = parse_datetime(pd.Series(["2020-06-24T14:41:00Z", ""]), NY)
    assert isinstance(result.value.dtype, pd.DatetimeTZDtype)
    assert str(result.value.dt.tz) == "UTC"


def test_parse_datetime_deadline_comparison() -> None:
    # Accepted iff submitted before 2020-06-27 00:00 in New York.
    cutoff = pd.Timestamp("2020-06-27 00:00", tz=NY)
    texts = [
        "2020-06-26T23:59:59-04:00",
        "2020-06-27T00:00:00-04:00",
        "2020-06-27T03:59:30Z",
        "2020-06-27T04:00:00Z",
        "6/26/2020 11:59 PM",
        "6/27/2020 12:00 AM",
    ]
    result = parse_datetime(pd.Series(texts), NY)
    assert (result.value < cutoff).tolist() == [True, False, True, False, True, False]


def test_parse_datetime_does_not_swap_day_and_month() -> None:
    result = parse_datetime(pd.Series(["13/6/2020", "6/12/2020", "13/6/2020"]), NY)
    assert result.value.isna().tolist() == [True, False, True]
    assert result.value.iloc[1] == utc("2020-06-12 04:00")
    assert any("day_first: true" in n and n.startswith("2 value(s)") for n in result.notes)


def test_parse_datetime_dayfirst() -> None:
    result = parse_datetime(pd.Series(["13/6/2020 10:00", "6/12/2020", "6/13/2020"]), "Europe/London", dayfirst=True)
    assert result.value.iloc[0] == utc("2020-06-13 09:00")
    assert result.value.iloc[1] == utc("2020-12-06 00:00")
    assert pd.isna(result.value.iloc[2])
    assert any("month first" in n for n in result.notes)


def test_parse_datetime_column_notes() -> None:
    texts = ["2020-06-24 10:41", "6/24/2020 10:41 AM", "43996.5", "2020-06-24T14:41:00Z", ""]
    result = parse_datetime(pd.Series(texts), NY)
    assert result.notes == [
        "2 value(s) had no time zone; read as America/New_York local time",
        "1 value(s) were Excel serial day numbers; read as days since 1899-12-30 in America/New_York",
    ]


def test_parse_datetime_repeated_local_time_takes_the_earlier_instant() -> None:
    # 1 Nov 2020, 1:30 AM happens twice in New York (EDT, then EST).
    result = parse_datetime(one("11/1/2020 1:30 AM"), NY)
    assert result.value.iloc[0] == utc("2020-11-01 05:30")
    assert result.note.iloc[0] == ("that local time happens twice in America/New_York; read as the earlier instant")


def test_parse_datetime_skipped_local_time_takes_the_earlier_instant() -> None:
    # 8 Mar 2020, 2:30 AM does not exist in New York (clocks jump from 2:00 to 3:00).
    result = parse_datetime(one("2020-03-08 02:30"), NY)
    assert result.value.iloc[0] == utc("2020-03-08 06:30")
    assert "does not exist" in result.note.iloc[0]


def test_parse_datetime_unknown_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse_datetime(one("2020-06-24"), "Mars/Olympus_Mons")


# --------------------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    ("text", "expected", "expected_keep_accents"),
    [
        ("  Crème   Brûlée ", "creme brulee", "crème brûlée"),
        ("Straße", "strasse", "strasse"),
        ("ＦＵＬＬ　ｗｉｄｔｈ", "full width", "full width"),
        ("line\nbreak\ttab\u00a0nbsp", "line break tab nbsp", "line break tab nbsp"),
        ("Ñandú", "nandu", "ñandú"),
        ("ﬁle", "file", "file"),
        ("", "", ""),
        ("硕士", "硕士", "硕士"),
    ],
)
def test_normalize_text(text: str, expected: str, expected_keep_accents: str) -> None:
    assert normalize_text(one(text)).iloc[0] == expected
    assert normalize_text(one(text), strip_accents=False).iloc[0] == expected_keep_accents


# --------------------------------------------------------------------------- alignment

INDEX = pd.Index(["r9", "r2", "r5", "r1"], name="row")


def test_every_function_keeps_the_index() -> None:
    s = pd.Series(["5+", "", "yes", "5+"], index=INDEX, name="answer", dtype="str")
    outputs = [
        parse_number(s).value,
        parse_number(s).note,
        parse_level(s).value,
        parse_level(s).label,
        parse_level(s).note,
        parse_yesno(s).value,
        parse_yesno(s).note,
        parse_datetime(s, NY).value,
        parse_datetime(s, NY).note,
        split_choices(s, CERTS),
        unmatched_choices(s, CERTS),
        normalize_text(s),
    ]
    for output in outputs:
        assert output.index.equals(INDEX)


def test_values_line_up_with_rows() -> None:
    s = pd.Series(["ten", "3-5", "", "ten", "n/a"], index=[50, 40, 30, 20, 10])
    result = parse_number(s)
    assert result.value.to_dict() == pytest.approx({50: 10.0, 40: 3.0, 30: NAN, 20: 10.0, 10: NAN}, nan_ok=True)
    assert result.note[20] == "read 'ten' as 10"
    assert result.note[30] == ""


def test_empty_series() -> None:
    s = pd.Series([], dtype="str")
    assert parse_number(s).value.empty
    assert parse_level(s).label.empty
    assert parse_yesno(s).note.empty
    assert parse_datetime(s, NY).value.empty
    assert split_choices(s, CERTS).shape == (0, 3)
    assert unmatched_choices(s, CERTS).empty
    assert normalize_text(s).empty


def test_missing_values_are_read_as_blank() -> None:
    # The loader promises strings, but a stray None/NaN must not crash a run.
    s = pd.Series(["5", None, np.nan], dtype=object)
    result = parse_number(s)
    assert result.value.iloc[0] == 5.0
    assert result.value.iloc[1:].isna().all()
    assert result.note.iloc[1:].tolist() == ["", ""]


def test_categorical_input() -> None:
    s = pd.Series(pd.Categorical(["yes", "no", "yes"]), index=[3, 2, 1])
    assert parse_yesno(s).value.tolist() == [1.0, 0.0, 1.0]


# --------------------------------------------------------------------------- distinct values

ANSWERS = [case[0] for case in NUMBER_CASES] + [case[0] for case in LEVEL_CASES]


def test_parsing_a_column_equals_parsing_each_value_alone() -> None:
    rng = np.random.default_rng(0)
    column = pd.Series(rng.choice(np.array(ANSWERS, dtype=object), size=2000), dtype="str")
    number = parse_number(column)
    level = parse_level(column)
    yesno = parse_yesno(column)
    choices = split_choices(column, CERTS)
    for text in column.unique():
        rows = column == text
        alone = one(text)
        assert (number.note[rows] == parse_number(alone).note.iloc[0]).all()
        expected = parse_number(alone).value.iloc[0]
        assert number.value[rows].apply(lambda v, e=expected: same_float(v, e)).all()
        assert (level.label[rows] == parse_level(alone).label.iloc[0]).all()
        assert (yesno.note[rows] == parse_yesno(alone).note.iloc[0]).all()
        assert (choices[rows] == split_choices(alone, CERTS).iloc[0]).all().all()


@pytest.mark.parametrize(
    ("function", "reader", "args"),
    [
        (parse_number, "_read_number", ()),
        (parse_level, "_read_level", ()),
        (parse_yesno, "_read_yesno", ()),
        (parse_datetime, "_read_date", (NY,)),
        (split_choices, "_match_items", (CERTS,)),
        (normalize_text, "normalize_one", ()),
    ],
)
def test_each_distinct_value_is_read_once(monkeypatch: pytest.MonkeyPatch, function, reader: str, args: tuple) -> None:
    seen: list[str] = []
    original = getattr(normalize, reader)

    def counting(text, *rest):
        seen.append(text)
        return original(text, *rest)

    monkeypatch.setattr(normalize, reader, counting)
    s = pd.Series(["5+", "ten", "5+", "", "ten", "5+"] * 1000, dtype="str")
    function(s, *args)
    assert sorted(seen) == sorted(["5+", "ten", ""])


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_parse_number_is_total_and_bounded(texts: list[str]) -> None:
    result = parse_number(pd.Series(texts, dtype="str"))
    for value in result.value:
        assert math.isnan(value) or (math.isfinite(value) and 0.0 <= value <= MAX_YEARS)
    assert all(isinstance(n, str) for n in result.note)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("0123456789 .,-+~<>年十五yearsmonthtwenyabout")))))
def test_parse_number_is_bounded_on_number_like_text(texts: list[str]) -> None:
    years = parse_number(pd.Series(texts, dtype="str")).value
    months = parse_number(pd.Series(texts, dtype="str"), unit="months").value
    assert ((years >= 0) & (years <= MAX_YEARS) | years.isna()).all()
    assert ((months >= 0) & (months <= MAX_YEARS * 12) | months.isna()).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.integers(0, 720))
def test_explicit_units_convert_both_ways(years: int, months: int) -> None:
    s = pd.Series([f"{years} years", f"{months} months"], dtype="str")
    in_years = parse_number(s).value.tolist()
    in_months = parse_number(s, unit="months").value.tolist()
    assert in_years == pytest.approx([years, months / 12])
    assert in_months == pytest.approx([years * 12, months])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_parse_yesno_is_total(texts: list[str]) -> None:
    values = parse_yesno(pd.Series(texts, dtype="str")).value
    assert values.isin([0.0, 1.0]).sum() + values.isna().sum() == len(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_other_parsers_are_total(texts: list[str]) -> None:
    s = pd.Series(texts, dtype="str")
    levels = parse_level(s)
    assert (levels.value.isna() | levels.value.isin(range(len(DEGREE_LEVELS)))).all()
    split_choices(s, CERTS)
    unmatched_choices(s, CERTS)
    parse_datetime(s, NY)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/-:TZ .+APM")), max_size=30))
def test_parse_datetime_is_total_on_date_like_text(text: str) -> None:
    result = parse_datetime(one(text), NY)
    assert pd.isna(result.value.iloc[0]) or result.note.iloc[0] == "" or "earlier" in (result.note.iloc[0])


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60), st.booleans())
def test_normalize_text_is_idempotent(text: str, strip_accents: bool) -> None:
    once = normalize_text(one(text), strip_accents=strip_accents)
    twice = normalize_text(once, strip_accents=strip_accents)
    assert once.iloc[0] == twice.iloc[0]
    assert once.iloc[0] == once.iloc[0].strip()
    assert "  " not in once.iloc[0]
