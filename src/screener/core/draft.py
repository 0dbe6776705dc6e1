"""Draft a rubric from a job posting: plain rules on the posting's text, no model, no network.

``draft_rubric(text, fmt=…)`` turns each bullet of the posting (read by ``core/posting.py``) into a
criterion that quotes it in ``posting:``, and returns the rubric as commented YAML text:

- **must-have or nice-to-have** from the posting's own words: a bullet saying "preferred",
  "bonus", "nice to have", "a plus" (优先, 加分) is nice to have; one saying "required",
  "must", "X+ years" (必须, 至少, X年以上), or listed under a heading such as "Requirements"
  (要求), is a must-have. Only criteria that read one answer directly (a degree, a number of
  years, a certification) are made ``must: true``; a keyword search of free text cannot show
  that something is missing, so those stay weighted. Must-haves weigh more than nice-to-haves.
- **what a bullet asks for**: a degree ("Bachelor's degree in X or Y", 学士学位) becomes a
  ``level`` criterion with the subjects named; "or equivalent experience" (同等经验) makes it
  an ``any_of`` with a years criterion; "N+ years of X" a ``number`` criterion; a
  certification a ``choice`` of the certifications the bullet names; everything else a
  ``keywords`` criterion over the free-text answers, its terms the bullet's own words (the
  posting's title words and words of five or more bullets left out: every applicant writes them).
- **the form**: given the export's columns (``columns``, from ``profile_columns``), fields are
  mapped onto its real headers with ``columns.map_fields`` (as ``screener inspect`` does), and
  each yes/no, number or choice question is linked to the posting line that shares its rarest
  words ("HaveYouManagedOrMentoredATeam" ↔ "Experience mentoring…"). Without an export the
  fields list header names and patterns a form would plausibly use.
- **the deadline** with its time zone when a line states one; a date without a year (and no
  year in the title) is written commented out.
- **protected attributes**: a bullet that mentions one (age, gender, nationality… as
  ``rubric.PROTECTED_WORDS``, or a proxy from ``rubric.PROXY_WORDS``) is never a criterion;
  a comment says so. No criterion reads a column whose header looks like one.

Every line a person should look at carries a ``# REVIEW:`` comment. The same input gives the same
bytes. No file is read or written here: ``app/drafting.py`` does that.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from screener.core.columns import map_fields
from screener.core.posting import (
    DeadlineFound,
    Line,
    Posting,
    RepliesFound,
    Section,
    find_reply_promises,
    plain,
    read_posting,
)
from screener.core.rubric import DEGREE_NAMES, PROTECTED_WORDS, PROXY_WORDS

if TYPE_CHECKING:
    import pandas as pd

REVIEW = "REVIEW: "
PLACEHOLDER_YEARS = 5  # a number of years the posting does not state; always marked for review

# Weights: (how the criterion reads the answer, the tier of its posting line) -> points.
# "direct": the answer the bullet asks for (degree, years, certification); "linked": a form
# question linked to a line by shared words; "keywords": words of the line in free-text answers.
WEIGHTS = {
    ("direct", "must"): 8, ("direct", "nice"): 4, ("direct", "responsibility"): 6, ("direct", "other"): 4,
    ("linked", "must"): 6, ("linked", "nice"): 3, ("linked", "responsibility"): 4, ("linked", "other"): 3,
    ("keywords", "must"): 5, ("keywords", "nice"): 2, ("keywords", "responsibility"): 3, ("keywords", "other"): 3,
}


class NoBullets(ValueError):
    """The posting has no bullet that could become a criterion."""


# ----------------------------------------------------------------------------------------------
# Columns of an export


@dataclass(frozen=True)
class Column:
    """One column of the export, as the draft sees it."""

    name: str
    kind: str  # "yesno" | "number" | "level" | "choice" | "text" | "short" | "date" | "empty"
    items: tuple[str, ...] = ()  # choice: the answers given, most frequent first
    unread: tuple[str, ...] = ()  # level: answers the degree ladder does not read


_NO_ANSWER = frozenset({"", "none", "n/a", "na", "n.a.", "-", "--", "nothing", "no", "none of the above", "other",
                        "无", "無", "暂无", "暫無", "没有", "沒有", "否", "尚无", "尚未取得", "不适用"})


def profile_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[Column]:
    """What each column holds, from its answers: yes/no, a number, a degree, a choice from a
    short list, free text, short text, dates, or nothing."""
    return [_profile(name, frame[name].astype(str)) for name in columns]


def _profile(name: str, values: pd.Series) -> Column:
    from screener.core.normalize import DEGREE_LEVELS, parse_level, parse_number, parse_yesno, split_items

    filled = values[values.str.strip() != ""]
    if filled.empty:
        return Column(name, "empty")
    distinct = filled.drop_duplicates()
    lengths = filled.str.len()
    if float(lengths.mean()) >= 60 or float(lengths.max()) >= 240:
        return Column(name, "text")
    if distinct.str.fullmatch(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?").mean() >= 0.8:
        return Column(name, "date")

    def share(read: pd.Series) -> float:
        return float(read.notna().mean())

    if len(distinct) <= 12 and share(parse_yesno(filled).value) >= 0.8:
        return Column(name, "yesno")
    levels = parse_level(distinct, DEGREE_LEVELS)
    if len(distinct) <= 30 and share(levels.value) >= 0.5:
        unread = tuple(sorted(str(v) for v, level in zip(distinct, levels.value, strict=True) if math.isnan(level)))
        return Column(name, "level", unread=unread)
    if share(parse_number(filled).value) >= 0.8 and float(lengths.mean()) <= 12:
        return Column(name, "number")
    counts: dict[str, int] = {}
    for answer in filled:
        for item in split_items(answer):
            counts[item] = counts.get(item, 0) + 1
    if len(counts) <= 30:
        items = sorted(counts, key=lambda k: (-counts[k], k))
        return Column(name, "choice", items=tuple(items))
    return Column(name, "short")


# ----------------------------------------------------------------------------------------------
# Fields: logical names, the headers a form would use, and roles

# Identity fields, tried in this order; never scored.
IDENTITY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry_id", ("*_Id", "Id", "ID", "#", "Entry_Number", "Submission ID", "Response ID", "编号", "序号", "編號")),
    ("first_name", ("Name_First", "First name", "Given name", "名", "名字")),
    ("last_name", ("Name_Last", "Last name", "Surname", "Family name", "姓", "姓氏")),
    ("full_name", ("Full name", "Name", "Your name", "Applicant name", "姓名")),
    ("email", ("Email", "Email address", "E-mail", "Your email", "电子邮件", "邮箱", "電子郵件")),
    ("phone", ("Phone", "Phone number", "Mobile", "电话", "手机", "手机号", "電話")),
    ("linkedin", ("LinkedInProfile", "LinkedIn", "*linkedin*")),
    ("city", ("Location_City", "City", "所在城市", "城市")),
    ("region", ("Location_State", "State", "Region", "省份")),
    ("country", ("Location_Country", "Country", "国家", "國家")),
    ("submitted_at", ("Entry_DateSubmitted", "Timestamp", "Submit Date (UTC)", "Submission Date", "Completion time",
                      "Submitted At", "提交时间", "提交時間", "填写时间")),
    ("entry_status", ("Entry_Status",)),
    ("resume", ("Resume", "CV", "*resume*", "简历", "簡歷")),
)
# Questions the posting's own bullets read directly, by the headers forms give them.
ROLES: dict[str, tuple[str, ...]] = {
    "degree": ("HighestLevelOfEducation", "Highest level of education", "Education", "Degree", "*education*",
               "*degree*", "最高学历", "学历", "*学历*", "*學歷*"),
    "field_of_study": ("FieldOfStudy", "Field of study", "Major", "*field*of*study*", "*major*", "专业", "*专业*",
                       "主修", "*專業*"),
    "certifications": ("Certifications", "*certif*", "*licen*", "*证书*", "*證書*", "*认证*"),
}
# Free-text questions a form would plausibly ask, without an export.
FREE_TEXT = {
    "en": (("cover_letter", ("Cover letter", "*cover*letter*", "Why*", "*motivation*")),
           ("experience_story", ("Tell*us*about*", "*describe*", "*example*"))),
    "zh": (("cover_letter", ("*为什么*", "*求职信*", "*自我介绍*", "*動機*", "*动机*")),
           ("experience_story", ("*讲讲*", "*讲述*", "*描述*", "*介绍一个*"))),
}


@dataclass
class Field:
    name: str
    candidates: tuple[str, ...]
    column: Column | None = None  # with an export: the column found
    how: str = ""  # how it was found (map_fields' method)
    review: str = ""


def protected_field(name: str, columns: Iterable[str]) -> str:
    """The protected word a field's name or columns hold, as ``rubric.load_rubric`` checks it
    (a criterion reading it would be refused), or ""."""
    words = " ".join((name, *columns)).lower()
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)
    for bad in PROTECTED_WORDS:
        if re.search(rf"(?<![a-z]){bad}", words):
            return bad
    return ""


# ----------------------------------------------------------------------------------------------
# Words


_EN_STOP = frozenset("""a an the and or of to in on for with by from as at into onto about through over under than
then so such that this these those it its their them our your you we they he she i me my be is are was were been being
have has had do does did will would can could should may might must shall not no nor both either each every all any
some other others own same very too also just only well out off again further once here there when where why how what
which who whom whose while until upon within without across among per via us if""".split())
# Words that say how much or how well, not what: never keywords on their own.
_GENERIC = frozenset("""experience experienced ability abilities able strong stronger excellent good great proven
solid deep demonstrated skill skills understanding knowledge familiarity proficiency proficient work working works
job role position
candidate candidates person people company companies member members every relevant related whole various etc
including include includes new current existing clear detailed high level using use used applying apply turning
turn make making keep keeping get take ensure help helps want wants need needs continue continues tie ties set
setting up top way ways thing things full possible takes done hold holds find finds write writes roll rolls
personal preferred preferably required requirement requirements plus bonus nice must year years minimum least
ideally desirable advantage optional inside outside based day daily regular regularly several many much more most
less least equivalent degree""".split())
# Obvious synonyms of posting words, stated as such in the draft (used for linking form
# questions to lines, never added as keywords).
_LINK_SYNONYMS = {"tool": "software", "tools": "software", "education": "degree", "certifications": "certification",
                  "certificate": "certification", "certificates": "certification"}
_QUESTION_WORDS = frozenset("""have you your are can do did what how why which tell us about please describe list
give share any ever currently yourself year years number many much""".split())


def _en_words(text: str) -> list[str]:
    """Lower-case words of English text; hyphenated words stay joined ('project-management')."""
    text = re.sub(r"\b(?:e\.g\.|i\.e\.|etc\.)", " ", text, flags=re.IGNORECASE)
    return re.findall(r"[A-Za-z][A-Za-z0-9+#]*(?:[-'’][A-Za-z0-9+#]+)*", text)


def _stem(word: str) -> str:
    from screener.core.words import fold, stem

    return stem(fold(word.lower()), "en")


def _header_words(header: str) -> list[str]:
    """``HaveYouManagedOrMentoredATeam`` -> have you managed or mentored a team."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", header)
    return [w.lower() for w in re.findall(r"[A-Za-z]+", spaced)]


_CJK_DIGITS = str.maketrans("一二三四五六七八九", "123456789")


def _link_keys(text: str, language: str, *, header: bool = False) -> set[str]:
    """What a line or a header is about, for linking the two: English word stems (without
    stop words), or Chinese character pairs."""
    if language in ("zh", "ja", "ko"):
        text = re.sub(r"\s+", "", zh_fold(text)).translate(_CJK_DIGITS)
        chunks = re.split(r"[^\w]|[和与及或并的在对为从你我他是否能]", text)
        pairs = {chunk[i:i + 2] for chunk in chunks for i in range(len(chunk) - 1)}
        return pairs - {"一个", "什么", "讲讲", "为什"}
    words = _header_words(text) if header else [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    keys = set()
    for word in words:
        if word in _EN_STOP or (header and word in _QUESTION_WORDS) or len(word) < 2:
            continue
        keys.add(_stem(word))
        if word in _LINK_SYNONYMS:
            keys.add(_stem(_LINK_SYNONYMS[word]))
    return keys


# ----------------------------------------------------------------------------------------------
# Bullets


@dataclass
class Bullet:
    line: Line
    section: Section
    tier: str  # "must" | "nice" | "responsibility" | "other"
    why: str  # why the tier, in words
    text: str  # the bullet without a leading "Preferred:" / "Required:"
    protected: str = ""  # the protected attribute or proxy it mentions, in words


_NICE = re.compile(r"\b(?:preferred|preferably|bonus|nice[- ]to[- ]have|a plus|is a plus|desirable|ideally|"
                   r"advantage(?:ous)?|optional)\b|优先|優先|加分|更佳|为佳|為佳", re.IGNORECASE)
_MUST = re.compile(r"\b(?:required|requires?|must|mandatory|essential|minimum|at least|\d+\s*\+\s*years?|"
                   r"\d+\s+or more years)\b|必须|必須|必需|须具备|須具備|至少|不少于|年以上", re.IGNORECASE)
_LEAD_MARKER = re.compile(r"^\s*(?:preferred|required|bonus|nice[- ]to[- ]have|must[- ]have|plus|optional)\s*[:：-]\s*",
                          re.IGNORECASE)

# Words in a posting line that name a protected attribute, beyond the field words of
# rubric.PROTECTED_WORDS (which also hold identity words such as 'name' and 'address': those
# are verbs and nouns of ordinary job text, so they are left to the field check).
_PROSE_PROTECTED = {
    "age": r"\bages?\b|\baged\b|years? old|year-old|\bunder \d\d years|\bbetween \d\d and \d\d\b",
    "gender": r"\bgenders?\b", "sex": r"\bsex\b|\bmale\b|\bfemale\b|\bm/f\b|\bwom[ae]n\b|\bmen\b",
    "birth": r"\bbirth|\bborn\b", "nationality": r"\bnationality", "citizenship": r"\bcitizenship",
    "race": r"\brace\b|\bracial", "ethnicity": r"\bethnic", "religion": r"\breligio",
    "marital status": r"\bmarital|\bmarried",
    "pregnancy": r"\bpregnan|\bmaternity", "disability": r"\bdisabilit|\bdisabled", "photo": r"\bphoto|\bheadshot",
    "family status": r"\bchildren\b|\bfamily status", "veteran status": r"\bveteran",
    "graduation year": r"\bgraduation year|\bclass of (?:19|20)\d\d",
}
_ZH_PROTECTED = {"age": "年龄|年齡|岁|歲", "gender": "性别|性別|男性|女性|男士|女士|限男|限女",
                 "nationality": "国籍|國籍|户籍|戶籍|户口|戶口|籍贯|籍貫", "ethnicity": "民族",
                 "marital status": "婚|生育|怀孕|懷孕", "religion": "宗教|信仰", "photo": "照片|相片|外貌|身高",
                 "disability": "残疾|殘疾"}


def protected_mention(text: str) -> str:
    """The protected attribute (or a likely proxy for one) a posting line mentions, in words, or ""."""
    folded = text.casefold()
    for attribute, pattern in _PROSE_PROTECTED.items():
        if re.search(pattern, folded):
            return attribute
    for attribute, pattern in _ZH_PROTECTED.items():
        if re.search(pattern, text):
            return attribute
    for proxy, stands_for in PROXY_WORDS.items():
        if re.search(rf"(?<![a-z]){re.escape(proxy)}(?![a-z])", folded):
            return f"'{proxy}', a likely proxy for {stands_for}"
    return ""


def _tier(line: Line, section: Section) -> tuple[str, str]:
    """Must-have, nice to have, a responsibility or other, and why, from the posting's words."""
    nice, must = _NICE.search(line.text), _MUST.search(line.text)
    heading = f"listed under '{section.heading}'" if section.heading else "in the posting"
    if nice:
        return "nice", f"nice to have: the posting says '{nice.group(0)}'"
    if must:
        return "must", f"must-have: the posting says '{must.group(0)}'"
    if section.role == "requirement":
        return "must", f"must-have: {heading}"
    if section.role == "nice":
        return "nice", f"nice to have: {heading}"
    if section.role == "responsibility":
        return "responsibility", f"a responsibility: {heading}"
    return "other", heading


def _bullets(posting: Posting) -> list[Bullet]:
    """The bullets that may become criteria: those of every section but the informational ones
    (job details, benefits, how to apply)."""
    out: list[Bullet] = []
    seen: set[str] = set()
    for section in posting.sections:
        if section.role == "info":
            continue
        for line in section.bullets:
            if not re.search(r"\w", line.text) or line.text in seen:
                continue  # an empty bullet, or the same line again: nothing new to score
            seen.add(line.text)
            text = _LEAD_MARKER.sub("", line.text).strip() or line.text
            tier, why = _tier(line, section)
            out.append(Bullet(line, section, tier, why, text, protected_mention(line.text)))
    return out


# ----------------------------------------------------------------------------------------------
# Keywords from a bullet's words


@dataclass(frozen=True)
class Term:
    text: str
    synonyms: tuple[str, ...] = ()  # obvious abbreviations or spellings out (ABBREVIATIONS)


# Abbreviations nobody would dispute, and their spellings out: added to a term as synonyms, and
# said so in the draft. Nothing else is added to the posting's words.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "computer science": ("CS", "comp sci"), "information technology": ("IT",), "artificial intelligence": ("AI",),
    "ai": ("artificial intelligence",), "machine learning": ("ML",), "ml": ("machine learning",),
    "user experience": ("UX",), "ux": ("user experience",), "quality assurance": ("QA",), "qa": ("quality assurance",),
    "key performance indicators": ("KPIs",), "kpis": ("key performance indicators",),
    "search engine optimization": ("SEO",), "seo": ("search engine optimization",),
    "project management professional": ("PMP",), "pmp": ("Project Management Professional",),
    "certified scrummaster": ("CSM",), "csm": ("Certified ScrumMaster",),
    "计算机科学": ("计算机",), "人工智能": ("AI",),
}


def with_abbreviations(term: str) -> Term:
    return Term(term, ABBREVIATIONS.get(term.casefold(), ()))


def _term_yaml(term: Term) -> str:
    if not term.synonyms:
        return _q(term.text)
    return f"{{term: {_q(term.text)}, synonyms: [{', '.join(_q(s) for s in term.synonyms)}]}}"


def _abbreviation_note(terms: Iterable[Term]) -> str:
    added = [f"{', '.join(t.synonyms)} for '{t.text}'" for t in terms if t.synonyms]
    return f"; the draft added the obvious abbreviations {'; '.join(added)}" if added else ""


def _weak_stems(posting: Posting, bullets: list[Bullet]) -> set[str]:
    """Stems every applicant writes anyway: the title's words, and words of five or more bullets."""
    weak = {_stem(w) for w in _en_words(posting.title) if len(w) > 1}
    counts: dict[str, int] = {}
    for bullet in bullets:
        for stem in {_stem(part) for w in _en_words(bullet.text) for part in re.split(r"[-'’]", w) if part}:
            counts[stem] = counts.get(stem, 0) + 1
    return weak | {stem for stem, n in counts.items() if n >= 5}


def _en_chunks(text: str) -> list[list[str]]:
    """The words of each stretch of text between punctuation marks ('s dropped)."""
    text = re.sub(r"\b(?:e\.g\.|i\.e\.|etc\.)", " ", text, flags=re.IGNORECASE)
    chunks = re.split(r"[,;:!?()\[\]{}\"“”/&|]|\.(?:\s|$)", text)
    return [[re.sub(r"['’]s$", "", w) for w in _en_words(chunk)] for chunk in chunks]


def _repeated_pairs(posting: Posting) -> set[str]:
    """Two words that stand together in two or more lines of the posting ('computer vision',
    'deep learning'): looked for as a phrase, not word by word."""
    counts: dict[str, int] = {}
    for text in dict.fromkeys(line.text for line in posting.lines):
        keys = set()
        for chunk in _en_chunks(text):
            words = [p for w in chunk for p in re.split(r"[-'’]", w) if p]
            for a, b in zip(words, words[1:], strict=False):
                if a.lower() not in _EN_STOP and b.lower() not in _EN_STOP:
                    keys.add(f"{_stem(a)} {_stem(b)}")
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 2}


def _en_terms(text: str, weak: set[str], pairs: set[str] = frozenset()) -> list[Term]:  # type: ignore[assignment]
    """The bullet's own words worth looking for: hyphenated compounds and pairs of words the
    posting repeats as phrases, other words alone (stemming finds their other forms); stop words,
    generic words and weak stems left out."""
    terms: list[Term] = []
    seen: set[str] = set()
    for words in _en_chunks(text):
        _chunk_terms(words, weak, pairs, terms, seen)
    return terms


def _chunk_terms(words: list[str], weak: set[str], pairs: set[str], terms: list[Term], seen: set[str]) -> None:
    i = 0
    while i < len(words):
        word, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
        if nxt and "-" not in word + nxt and f"{_stem(word)} {_stem(nxt)}" in pairs:
            parts, i = [word, nxt], i + 2
        else:
            parts, i = [p for p in re.split(r"[-'’]", word) if p], i + 1
        lowered = [p if p.isupper() and len(p) > 1 else p.lower() for p in parts]
        content = [p for p in lowered if p.lower() not in _EN_STOP and p.lower() not in _GENERIC]
        if not content or all(_stem(p) in weak for p in content):
            continue
        term = with_abbreviations(" ".join(lowered))
        key = " ".join(_stem(p) for p in lowered)
        if key not in seen and len(term.text) > 1:
            seen.add(key)
            terms.append(term)


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]")
# Chinese words that say how much or how well, or that any sentence has: never keywords.
_ZH_GENERIC = frozenset("""能力 经验 优秀 强大 强烈 良好 领域 工作 理解 体验 技能 公司 企业 成员 内部 一个 帮助 实现
获得 全部 最大 确保 有力 具有 具备 方面 一定 以上 要求 优先 加分 必须 至少 熟悉 掌握 了解 专业 相关 整个 过程 所有 任何
同时 这些 提供 进行 确定 当前 出现 产生 做出 详细 全面 用于 以便 能够 直到 他人 他们 我们 你们 自己 感到 是否 以及 并且
或者 包括 通过 为了 从而 等等 可以 需要 不断 取得 其全""".split())


def zh_fold(text: str) -> str:
    """Traditional Chinese characters made Simplified, one by one (as ``words.fold`` reads them)."""
    from screener.core.words import fold, is_cjk

    return "".join(fold(ch) if is_cjk(ch) else ch for ch in text)


def zh_words(text: str) -> list[str]:
    """Chinese text cut into words: the most probable split by wordfreq's Chinese word list (a
    unigram model, as jieba cuts); Latin words stay whole."""
    from screener.core.words import chinese_words

    freq = chinese_words()
    out: list[str] = []
    for run in _HAN_RUN.findall(zh_fold(text)):
        out += _segment(run, freq) if not run[0].isascii() else [run]
    return out


def _segment(run: str, freq: dict[str, float]) -> list[str]:
    unknown = math.log(1e-9)  # a character the list does not know as a word
    best = [0.0] + [-math.inf] * len(run)
    back = [0] * (len(run) + 1)
    for end in range(1, len(run) + 1):
        for size in range(1, min(6, end) + 1):
            piece = run[end - size:end]
            found = freq.get(piece)
            if found is None and size > 1:
                continue
            score = best[end - size] + (math.log(found) if found else unknown)
            if score > best[end]:
                best[end], back[end] = score, end - size
    pieces, end = [], len(run)
    while end > 0:
        pieces.append(run[back[end]:end])
        end = back[end]
    return pieces[::-1]


def _zh_pairs(posting: Posting) -> set[str]:
    """Two words that stand together in two or more places of the posting (计算机 视觉)."""
    counts: dict[str, int] = {}
    for line in posting.lines:
        words = zh_words(line.text)
        for a, b in zip(words, words[1:], strict=False):
            if len(a) > 1 and len(b) > 1:
                counts[a + b] = counts.get(a + b, 0) + 1
    return {pair for pair, n in counts.items() if n >= 2}


def _zh_terms(text: str, weak: set[str], pairs: set[str] = frozenset()) -> list[Term]:  # type: ignore[assignment]
    """The bullet's words (as ``zh_words`` cuts them) of two or more characters, less generic
    words, very common ones and weak ones; two words the posting repeats together as one."""
    from screener.core.words import chinese_words

    freq = chinese_words()
    words = zh_words(text)
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] + word in pairs:
            joined[-1] += word
        else:
            joined.append(word)
    terms: list[Term] = []
    for word in joined:
        if len(word) < 2 or word in _ZH_GENERIC or word in weak or freq.get(word, 0) > 1e-3:
            continue
        if word not in (t.text for t in terms):
            terms.append(with_abbreviations(word))
    return terms


def _zh_weak(posting: Posting, bullets: list[Bullet]) -> set[str]:
    """The title's words and words of five or more bullets."""
    title = re.sub(r"^.*[:：]", "", posting.title)
    counts: dict[str, int] = {}
    for bullet in bullets:
        for word in set(zh_words(bullet.text)):
            counts[word] = counts.get(word, 0) + 1
    return set(zh_words(title)) | {word for word, n in counts.items() if n >= 5}


# ----------------------------------------------------------------------------------------------
# What a bullet asks for: degree, years, certification

_LEVEL_WORDS = (
    ("phd", r"\bph\.?\s?d\b|\bdoctorate\b|\bdoctoral\b|博士"),
    ("master", r"\bmaster'?s?\b|\bm\.?sc\b|\bmba\b|\bmeng\b|硕士|碩士|研究生"),
    ("bachelor", r"\bbachelor'?s?\b|\bb\.?sc\b|\bb\.?a\.?\b(?= degree)|\bbeng\b|\bundergraduate degree\b|"
                 r"学士|學士|本科"),
    ("associate", r"\bassociate'?s? degree\b|大专|大專|专科|專科"),
    ("high school", r"\bhigh school\b|高中"),
)
_EQUIVALENT = re.compile(r"\bor\s+(?:an?\s+)?equivalent\b|\bequivalent\s+(?:\w+\s+){0,2}experience\b|同等|同等学力",
                         re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                 "九": 9, "十": 10}
_YEARS_EN = re.compile(r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
                       r"(?:\s*(?:-|–|to)\s*\d{1,2})?\s*(?:\+|plus)?\s*"
                       r"(?:or more\s+)?years?['’]?\s*(?:of\s+)?(?P<topic>[^,;.()]*)", re.IGNORECASE)
_YEARS_ZH = re.compile(r"(?P<n>\d{1,2}|[一二两兩三四五六七八九十])\s*年(?:以上)?(?:的)?(?P<topic>[^，,。；;（(]*?)经验")
_CERT = re.compile(r"\bcertif\w*|\blicen[cs]\w*|证书|證書|认证|認證|资格证|證照|证照", re.IGNORECASE)
_ACRONYM = re.compile(r"\b(?=[A-Z0-9-]*[A-Z]{2})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")
_RELATED = re.compile(r"\brelated\b|\brelevant\b|\bsimilar\b|\bequivalent\b|\bother\b|\betc\b|相关|相關|类似|類似|同等",
                      re.IGNORECASE)


_ANY_DEGREE = re.compile(r"\b(?:university|college|academic)\s+degree\b|\bdegree\s+in\b|大学学历|大學學歷|学位|學位",
                         re.IGNORECASE)


def degree_level(text: str) -> tuple[str, bool] | None:
    """The lowest degree a line names ("Bachelor's or Master's" -> bachelor) and True, or
    ("bachelor", False) for a degree named without its level ("a degree in physics")."""
    found = [name for name, pattern in _LEVEL_WORDS if re.search(pattern, text, re.IGNORECASE)]
    if found:
        return min(found, key=DEGREE_NAMES.index), True
    return ("bachelor", False) if _ANY_DEGREE.search(text) else None


def degree_subjects(text: str, language: str) -> tuple[list[str], bool]:
    """The subjects a degree line names, and whether it also accepts 'a related field'."""
    if language == "zh":
        m = re.search(r"^(?P<subjects>.*?)(?:的)?(?:学士|學士|硕士|碩士|博士|本科|研究生)", text)
        raw = m.group("subjects") if m else ""
        raw = re.sub(r"^[有具备须]+", "", raw)
        parts = re.split(r"[、，,/或和及与與]", raw)
    else:
        m = re.search(r"\b(?:degree|bachelor'?s?|master'?s?|ph\.?d|diploma)\s+(?:in|of)\s+(?P<subjects>[^;.(]*)", text,
                      re.IGNORECASE)
        raw = m.group("subjects") if m else ""
        parts = re.split(r",|/|\bor\b|\band\b", raw)
    related = bool(_RELATED.search(raw))
    subjects = []
    for part in parts:
        part = re.sub(r"^\s*(?:an?|the)\s+", "", part.strip(" -:"), flags=re.IGNORECASE).strip()
        if part and not _RELATED.search(part) and part.lower() not in ("field", "fields", "领域"):
            subjects.append(part if language == "zh" else part.lower())
    return subjects, related


def years_asked(text: str, language: str) -> tuple[int, str] | None:
    """'5+ years of project management experience' -> (5, 'project management')."""
    m = (_YEARS_ZH if language == "zh" else _YEARS_EN).search(text)
    if not m:
        return None
    n = m.group("n")
    number = int(n) if n.isdigit() else _NUMBER_WORDS.get(n.lower(), 0)
    topic = re.sub(r"\b(?:experience|professional|relevant|hands-on|work|working)\b", " ", m.group("topic"),
                   flags=re.IGNORECASE)
    topic = re.sub(r"\s+", " ", topic).strip()
    return number, re.sub(r"^(?:(?:in|with|of|as|on|using|doing)\s+)+", "", topic, flags=re.IGNORECASE)


def cert_topic(text: str, language: str) -> tuple[str, list[str]]:
    """The kind of certification a line asks for ('project management') and the ones it names (PMP)."""
    named = [a for a in _ACRONYM.findall(text) if a not in ("US", "UK", "EU", "AND", "OR")]
    if language == "zh":
        m = re.search(r"(?P<topic>[\u4e00-\u9fff]{2,8}?)(?:证书|證書|认证|認證|资格)", text)
        topic = re.sub(r"^(?:有|具有|持有|专业|專業|认证机构颁发的|相关)+", "", m.group("topic")) if m else ""
        topic = re.sub(r"^.*(?:颁发的|頒發的|的)", "", topic)
        topic = re.sub(r"^(?:专业|專業)", "", topic)
        return topic, named
    m = re.search(r"(?P<topic>(?:[\w-]+\s+){0,3})(?:certif\w*|licen[cs]\w*)", text, re.IGNORECASE)
    words = [w for w in re.split(r"[\s-]+", m.group("topic") if m else "") if w]
    keep = [w.lower() for w in words if w.lower() not in _EN_STOP and w.lower() not in _GENERIC
            and w.lower() not in ("professional", "recognized", "recognised", "accredited", "industry", "valid",
                                  "formal", "official", "preferred")]
    return " ".join(keep), named


# ----------------------------------------------------------------------------------------------
# The rubric being drafted


@dataclass
class Crit:
    id: str
    label: str
    posting: str
    kind: str
    group: str
    weight: float | None
    must: bool = False
    fields: tuple[str, ...] = ()
    settings: list[tuple[str, str, str]] = field(default_factory=list)  # key, YAML value, end-of-line comment
    notes: list[str] = field(default_factory=list)  # comment lines above it


@dataclass
class _State:
    posting: Posting
    language: str
    columns: list[Column] | None
    fields: dict[str, Field] = field(default_factory=dict)
    crits: list[Crit] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    groups: dict[str, str] = field(default_factory=dict)  # section heading -> group key
    used_columns: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # comment lines at the end of the criteria
    free_text: tuple[str, ...] = ()
    pairs: set[str] = field(default_factory=set)  # stems of word pairs the posting repeats

    def new_id(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")[:40].strip("_") or "criterion"
        if not base[0].isalpha():
            base = "c_" + base
        found, n = base, 2
        while found in self.ids:
            found, n = f"{base}_{n}", n + 1
        self.ids.add(found)
        return found

    def group(self, section: Section) -> str:
        if section.heading not in self.groups:
            base = {"requirement": "requirements", "nice": "preferred", "responsibility": "responsibilities"}.get(
                section.role) or re.sub(r"[^a-z0-9]+", "_", section.heading.lower()).strip("_")[:30].strip("_")
            if not base or not base[0].isalpha():
                base = f"section_{len(self.groups) + 1}"
            key, n = base, 2
            while key in self.groups.values():
                key, n = f"{base}_{n}", n + 1
            self.groups[section.heading] = key
        return self.groups[section.heading]


def _short(text: str, limit: int = 48) -> str:
    text = text.strip().rstrip(".;:。；：")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut and not re.search(r"[\u4e00-\u9fff]", cut):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:、，") + "…"


def _label(text: str, language: str) -> str:
    first = re.split(r"[;:；：]|(?<=\w)\.\s", text, maxsplit=1)[0]
    label = _short(first, 20 if language in ("zh", "ja", "ko") else 48)
    return label[:1].upper() + label[1:]


_LEVEL_LABELS = {"en": {"phd": "PhD", "master": "Master's degree", "bachelor": "Bachelor's degree",
                        "associate": "Associate degree", "high school": "High school"},
                 "zh": {"phd": "博士学位", "master": "硕士学位", "bachelor": "学士学位", "associate": "大专学历",
                        "high school": "高中学历"}}
_EQUIVALENT_LABELS = {"en": ("{level} or equivalent experience", "Equivalent experience (years)"),
                      "zh": ("{level}或同等经验", "同等工作经验（年数）")}


# ----------------------------------------------------------------------------------------------
# Fields


def _export_fields(state: _State) -> None:
    """Map identity and role fields onto the export's headers, as ``screener inspect`` does."""
    assert state.columns is not None
    by_name = {c.name: c for c in state.columns}
    wanted = dict(IDENTITY) | dict(ROLES)
    mapping = map_fields(list(by_name), wanted)
    for name, match in mapping.items():
        if match.column is None:
            continue
        column = by_name[match.column]
        if name in ROLES and column.kind in ("text", "empty", "date"):
            continue  # a long answer that merely mentions a degree is not the degree question
        review = f"{REVIEW}found by {match.method} match ({match.score:g}) of '{match.candidate}'" \
            if match.method == "fuzzy" else ""
        state.fields[name] = Field(name, (match.column,), column, match.method, review)
        state.used_columns.add(match.column)


_GUESSED = f"{REVIEW}header names a form would plausibly use; put your form's column first"


def _for_language(candidates: tuple[str, ...], language: str) -> tuple[str, ...]:
    """An English posting's form has English headers; a Chinese one's may have either."""
    return candidates if language in ("zh", "ja", "ko") else tuple(c for c in candidates if c.isascii())


def _guess_fields(state: _State, names: Iterable[str]) -> None:
    """Without an export: the headers a form would plausibly use, each list for review."""
    for name in names:
        if name in state.fields:
            continue
        candidates = dict(IDENTITY).get(name) or ROLES.get(name) or ()
        state.fields[name] = Field(name, _for_language(candidates, state.language), review=_GUESSED)


def _free_text_fields(state: _State) -> tuple[str, ...]:
    if state.columns is not None:
        names = []
        for n, column in enumerate((c for c in state.columns if c.kind == "text" and c.name not in state.used_columns),
                                   start=1):
            if protected_field("", [column.name]):
                continue
            base = _field_name(column.name, f"answer_{n}")
            name = _unique_field(state, base)
            state.fields[name] = Field(name, (column.name,), column)
            state.used_columns.add(column.name)
            names.append(name)
        if names:
            return tuple(names)
    language = "zh" if state.language in ("zh", "ja", "ko") else "en"
    for name, candidates in FREE_TEXT[language]:
        state.fields[name] = Field(name, candidates, review=f"{REVIEW}a guess at your form's free-text questions; "
                                   "list their headers")
    return tuple(name for name, _ in FREE_TEXT[language])


def _field_name(header: str, fallback: str) -> str:
    words = [w for w in _header_words(header) if w not in _EN_STOP and w not in _QUESTION_WORDS]
    name = "_".join(words[:4])
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name or "-") or not header.isascii():
        return fallback
    return name[:40].strip("_")


def _unique_field(state: _State, base: str) -> str:
    name, n = base, 2
    while name in state.fields:
        name, n = f"{base}_{n}", n + 1
    return name


def _column_field(state: _State, column: Column, fallback: str) -> str:
    for existing in state.fields.values():
        if existing.column is not None and existing.column.name == column.name:
            return existing.name
    name = _unique_field(state, _field_name(column.name, fallback))
    state.fields[name] = Field(name, (column.name,), column)
    state.used_columns.add(column.name)
    return name


# ----------------------------------------------------------------------------------------------
# Criteria


def _weight(how: str, tier: str) -> int:
    return WEIGHTS[(how, tier)]


def _degree(state: _State, bullet: Bullet, level: str, stated: bool = True) -> list[Crit]:
    """A degree line: a level criterion with the subjects named, and an any_of with a years
    criterion when the line accepts equivalent experience."""
    group, must = state.group(bullet.section), bullet.tier == "must"
    degree_field = _role_field(state, "degree")
    subjects, related = degree_subjects(bullet.text, state.language)
    base = f"{level}_degree" if level != "high school" else "high_school"
    label = _label(bullet.text, state.language)

    def level_crit(crit_id: str, weight: float, label: str) -> Crit:
        crit = Crit(crit_id, label, bullet.line.text, "level", group, weight, fields=(degree_field,))
        crit.notes.append(f"# {bullet.why}")
        crit.settings += [("field", degree_field, ""), *_level_settings(state, degree_field, level)]
        if not stated:
            crit.settings.append(("# min", "", f"{REVIEW}the posting says 'degree' without its level; "
                                  f"'{level}' is a placeholder"))
        return crit

    crit = level_crit(state.new_id(base), _weight("direct", bullet.tier), label)
    if subjects and _no_question(state, "field_of_study"):
        crit.settings.append(("# subject", "", f"{REVIEW}the form has no field-of-study question, so the subjects "
                              f"the posting names ({', '.join(subjects)}) are not checked"))
    elif subjects:
        study = _role_field(state, "field_of_study")
        terms = [with_abbreviations(s) for s in subjects]
        note = (f"{REVIEW}the posting also accepts 'a related field': add the subjects you count as related"
                if related else f"{REVIEW}the subjects the posting names") + _abbreviation_note(terms)
        crit.settings.append(("subject", f"{{field: {study}, terms: [{', '.join(map(_term_yaml, terms))}]}}", note))
    equivalent = _EQUIVALENT.search(bullet.text)
    if not equivalent:
        crit.must = must
        return [crit]
    alt = _equivalent_experience(state, bullet, group)
    words = "zh" if state.language == "zh" else "en"
    either_label = _EQUIVALENT_LABELS[words][0].format(level=_LEVEL_LABELS[words][level])
    either = Crit(state.new_id(f"{base}_or_experience"), either_label, bullet.line.text, "any_of", group, None,
                  must=must)
    either.notes.append(f"# {bullet.why}; '{equivalent.group(0).strip()}' makes it an any_of")
    either.settings.append(("of", f"[{crit.id}, {alt.id}]", ""))
    if not must:
        either.weight, crit.weight = crit.weight, 0
    return [either, crit, alt]


def _equivalent_experience(state: _State, bullet: Bullet, group: str) -> Crit:
    years_field = _years_field(state, bullet)
    years = years_asked(bullet.text, state.language)
    label = _EQUIVALENT_LABELS["zh" if state.language == "zh" else "en"][1]
    alt = Crit(state.new_id("equivalent_experience"), label, bullet.line.text, "number", group, 0,
               fields=(years_field,))
    alt.settings += [("field", years_field, ""), ("unit", "years", "")]
    alt.settings.append(("min", str(years[0] if years else PLACEHOLDER_YEARS), "" if years else
                         f"{REVIEW}the posting does not say how many years count as equivalent; "
                         f"{PLACEHOLDER_YEARS} is a placeholder"))
    alt.notes.append("# weight 0: counted only inside the any_of above, as the alternative to the degree")
    return alt


def _level_settings(state: _State, degree_field: str, level: str) -> list[tuple[str, str, str]]:
    """``min``, and a ``levels`` ladder when the export's degree answers need other ways of
    writing the built-in levels (Traditional Chinese 學士 for 学士)."""
    from screener.core.normalize import DEGREE_LEVELS

    column = state.fields[degree_field].column
    unread = tuple(u for u in (column.unread if column is not None else ()) if u.casefold() not in _NO_ANSWER)
    extra = _extra_level_words(unread)
    out = []
    if extra:
        ladder = []
        for name in DEGREE_NAMES:
            words = [*DEGREE_LEVELS.get(name, ()), *extra.get(name, ())]
            ladder.append(f"{_q(name)}: [{', '.join(_q(w) for w in dict.fromkeys(words))}]")
        added = ", ".join(_q(w) for ws in extra.values() for w in ws)
        out.append(("levels", "{" + ", ".join(ladder) + "}",
                    f"the built-in degree ladder, plus the export's answers {added} (another script of its words)"))
    out.append(("min", _q(level), ""))
    left = [u for u in unread if not any(u in ws for ws in extra.values())]
    if left:
        out.append(("# levels", "", f"{REVIEW}the export's answers {', '.join(map(_q, left))} are not read as a "
                    "degree; name them in a 'levels:' ladder (README, kind: level) if they should be"))
    return out


def _extra_level_words(unread: Iterable[str]) -> dict[str, list[str]]:
    """Answers the degree ladder reads once folded (Traditional -> Simplified Chinese)."""
    from screener.core.normalize import DEGREE_LEVELS

    extra: dict[str, list[str]] = {}
    for answer in unread:
        folded = zh_fold(answer)
        for name in DEGREE_NAMES:
            if any(word in folded for word in DEGREE_LEVELS.get(name, ()) if not word.isascii()):
                extra.setdefault(name, []).append(answer)
                break
    return extra


def _role_field(state: _State, role: str) -> str:
    if role not in state.fields:
        _guess_fields(state, [role])
    return role


def _years_field(state: _State, bullet: Bullet, topic: str = "") -> str:
    """The number column about years that best matches the line, else a guessed field."""
    if state.columns is not None:
        numbers = [c for c in state.columns if c.kind == "number" and not protected_field("", [c.name])]
        keys = _link_keys(f"{topic} {bullet.text}", state.language)
        scored = sorted(numbers, key=lambda c: (-len(keys & _link_keys(c.name, state.language, header=True)),
                                                state.columns.index(c)))  # type: ignore[union-attr]
        if scored:
            return _column_field(state, scored[0], "years")
    topic_words = [w.lower() for w in _en_words(topic) if w.lower() not in _EN_STOP] if state.language == "en" else []
    name = "years_" + "_".join(topic_words[:3]) if topic_words else "years_experience"
    name = re.sub(r"[^a-z0-9_]", "", name)
    if name not in state.fields:
        pattern = "*years*" + "*".join(topic_words[:3]) + "*" if topic_words else "*years*experience*"
        camel = "YearsOf" + "".join(w.capitalize() for w in topic_words[:3]) + "Experience"
        zh = ("*年数*", "*年限*", "*经验*") if state.language == "zh" else ()
        state.fields[name] = Field(name, (camel, pattern, "*years*", *zh), review=_GUESSED)
    return name


def _years(state: _State, bullet: Bullet, years: tuple[int, str]) -> list[Crit]:
    number, topic = years
    years_field = _years_field(state, bullet, topic)
    label = _label(bullet.text, state.language)
    crit = Crit(state.new_id(f"years_{topic}" if state.language == "en" and topic else "years"), label,
                bullet.line.text,
                "number", state.group(bullet.section), _weight("direct", bullet.tier), must=bullet.tier == "must",
                fields=(years_field,))
    crit.notes.append(f"# {bullet.why}")
    crit.settings += [("field", years_field, ""), ("unit", "years", ""), ("min", str(number), "")]
    return [crit]


def _certification(state: _State, bullet: Bullet) -> list[Crit]:
    topic, named = cert_topic(bullet.text, state.language)
    options: list[str] = []
    for option in (*named, topic):
        if option and option.casefold() not in {o.casefold() for o in options}:
            options.append(option)
    if not options:
        return []
    cert_field = _role_field(state, "certifications")
    crit = Crit(state.new_id("certification"), _label(bullet.text, state.language), bullet.line.text, "choice",
                state.group(bullet.section), _weight("direct", bullet.tier), must=bullet.tier == "must",
                fields=(cert_field,))
    crit.notes.append(f"# {bullet.why}")
    crit.settings += [("field", cert_field, ""), ("combine", "best", "")]
    column = state.fields[cert_field].column
    others = [item for item in (column.items if column else ()) if item.casefold() not in _NO_ANSWER
              and not any(o.casefold() in item.casefold() for o in options)]
    note = f"{REVIEW}the certifications the posting names; an answer naming one (any case) earns it"
    if others:
        note += f". The form's other answers, which the posting does not name: {', '.join(others[:8])}"
    crit.settings.append(("options", "{" + ", ".join(f"{_q(o)}: 1" for o in options) + "}", note))
    return [crit]


def _keywords(state: _State, bullet: Bullet, weak: set[str]) -> list[Crit]:
    if state.language == "zh":
        terms = _zh_terms(bullet.text, weak, state.pairs)
    else:
        terms = _en_terms(bullet.text, weak, state.pairs) or _en_terms(bullet.text, set(), state.pairs)
    terms = terms[:8]
    if not terms:
        state.notes.append(f"# No criterion for {_q(bullet.text)}: it has no word to look for in the answers.")
        return []
    if state.language == "zh":
        base = state.group(bullet.section)
    else:
        base = "_".join(w for t in terms[:3] for w in t.text.lower().split())
    crit = Crit(state.new_id(base), _label(bullet.text, state.language), bullet.line.text, "keywords",
                state.group(bullet.section), _weight("keywords", bullet.tier), fields=state.free_text)
    note = bullet.why
    if bullet.tier == "must":
        note += "; weighted rather than a must-have: a keyword search cannot show it is missing"
    crit.notes.append(f"# {note}")
    crit.settings.append(("fields", _flow(state.free_text), ""))
    cap = max(1, min(4, math.ceil(len(terms) / 2)))
    if len(terms) == 1:
        crit.settings.append(("match", "any", ""))
    else:
        crit.settings += [("match", "count", ""), ("cap", str(cap), f"full marks at {cap} of {len(terms)} terms")]
    crit.settings.append(("terms", f"[{', '.join(map(_term_yaml, terms))}]",
                          f"{REVIEW}the posting's own words; add the synonyms your applicants would write"
                          + _abbreviation_note(terms)))
    return [crit]


def _no_question(state: _State, role: str) -> bool:
    """With an export: whether its form has no question for ``role`` (degree, certifications...)."""
    if state.columns is None:
        return False
    if role == "years":
        return not any(c.kind == "number" and not protected_field("", [c.name]) for c in state.columns)
    return role not in state.fields


def _criteria_for(state: _State, bullet: Bullet, weak: set[str]) -> list[Crit]:
    if bullet.protected:
        state.notes.append(f"# Not a criterion: {_q(bullet.line.text)} mentions {bullet.protected}; "
                           "screening must not use it.")
        return []
    level, years = degree_level(bullet.text), years_asked(bullet.text, state.language)
    asks = ""
    if level:
        if not _no_question(state, "degree"):
            return _degree(state, bullet, *level)
        asks = "degree"
    elif years and years[0] > 0:
        if not _no_question(state, "years"):
            return _years(state, bullet, years)
        asks = "number of years"
    elif _CERT.search(bullet.text):
        if not _no_question(state, "certifications"):
            found = _certification(state, bullet)
            if found:
                return found
        else:
            asks = "certification"
    crits = _keywords(state, bullet, weak)
    for crit in crits if asks else ():
        crit.notes.append(f"# {REVIEW}the form has no {asks} question, so this is looked for in the free-text "
                          "answers; add the question to the form to check it directly")
    return crits


# ----------------------------------------------------------------------------------------------
# Form questions linked to posting lines


def _link_lines(posting: Posting, bullets: list[Bullet]) -> list[tuple[Line, Bullet | None, Section]]:
    """Every line of the posting a form question may be about (also those of sections that are
    not scored, such as 'Job details', so that a question about them is not linked elsewhere)."""
    by_line = {id(b.line): b for b in bullets}
    lines: list[tuple[Line, Bullet | None, Section]] = []
    for section in posting.sections:
        for line in [*section.bullets, *section.texts]:
            if not protected_mention(line.text):
                lines.append((line, by_line.get(id(line)), section))
    return lines


def _linked(state: _State, bullets: list[Bullet]) -> None:
    """Each yes/no, number or choice question no weighted criterion reads yet, linked to the
    posting line sharing its rarest words; those no scored line asks about are listed, not scored."""
    assert state.columns is not None
    candidates = _link_lines(state.posting, bullets)
    keys = [_link_keys(line.text + " " + section.heading, state.language) for line, _b, section in candidates]
    df: dict[str, int] = {}
    for ks in keys:
        for k in ks:
            df[k] = df.get(k, 0) + 1
    n = max(len(candidates), 1)
    scored = {state.fields[f].column.name for c in state.crits if (c.weight or 0) > 0  # type: ignore[union-attr]
              for f in c.fields if state.fields[f].column is not None}
    identity = {state.fields[name].candidates[0] for name, _ in IDENTITY if name in state.fields}
    for column in state.columns:
        if column.name in scored | identity or column.kind not in ("yesno", "number", "choice"):
            continue
        if protected_field("", [column.name]):
            state.notes.append(f"# Not scored: the form's question {_q(column.name)} looks like a protected "
                               f"attribute ('{protected_field('', [column.name])}').")
            continue
        header = _link_keys(column.name, state.language, header=True)
        best, best_score = -1, 0.0
        for i, ks in enumerate(keys):
            score = sum(math.log(n / df[k]) for k in header & ks)
            if score > best_score + 1e-9 or (best >= 0 and abs(score - best_score) <= 1e-9 and score > 0
                                             and len(ks) < len(keys[best])):
                best, best_score = i, score
        if best < 0 or best_score < math.log(n / 3):
            state.notes.append(f"# Not scored: the form's question {_q(column.name)} ({column.kind}); no posting "
                               "line asks about it.")
            continue
        line, bullet, section = candidates[best]
        if section.role == "info" or (bullet is not None and bullet.protected):
            state.notes.append(f"# Not scored: the form's question {_q(column.name)} ({column.kind}) is about "
                               f"{_q(line.text)}, under '{section.heading}', which states no requirement.")
            continue
        crit = _linked_crit(state, column, line, bullet, section)
        if crit is not None:
            state.crits.append(crit)


def _linked_crit(state: _State, column: Column, line: Line, bullet: Bullet | None, section: Section) -> Crit | None:
    tier = bullet.tier if bullet else ("responsibility" if section.role == "responsibility" else "other")
    name = _column_field(state, column, f"question_{len(state.fields) + 1}")
    label = _short(" ".join(_header_words(column.name)).capitalize() if column.name.isascii() else column.name, 40)
    crit = Crit(state.new_id(name), label, line.text, column.kind, state.group(section), _weight("linked", tier),
                fields=(name,))
    crit.notes.append(f"# {REVIEW}the form's question {_q(column.name)}, linked to this posting line by the words "
                      "they share: check that it is about this line")
    crit.settings.append(("field", name, ""))
    if column.kind == "yesno":
        crit.settings.append(("expect", "yes", f"{REVIEW}'yes' is taken to be the answer the posting wants"))
    elif column.kind == "number":
        crit.settings += [("unit", "years" if re.search(r"year|年", column.name, re.I) else "number", ""),
                          ("scale", f"{{0: 0, {PLACEHOLDER_YEARS}: 1}}",
                           f"{REVIEW}the posting states no number; full marks at {PLACEHOLDER_YEARS} is a placeholder")]
    else:
        items = [i for i in column.items if i.casefold() not in _NO_ANSWER][:20]
        if not items:
            return None
        named = [i for i in items if i.casefold() in line.text.casefold()]
        options = named or items
        note = ("the options the posting names" if named else
                f"{REVIEW}the posting names none of the form's options; each earns full points: rank them")
        crit.settings += [("combine", "best", ""),
                          ("options", "{" + ", ".join(f"{_q(o)}: 1" for o in options) + "}", note)]
    return crit


# ----------------------------------------------------------------------------------------------
# YAML text

_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON's syntax, which YAML reads), printable characters only."""
    quoted = json.dumps(plain(text), ensure_ascii=False).replace("\u2028", " ").replace("\u2029", " ")
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _comment(text: str) -> str:
    return _NOT_PRINTABLE.sub("", plain(text))


@dataclass(frozen=True)
class Draft:
    text: str
    criteria: int
    reviews: int
    language: str


def draft_rubric(text: str, *, fmt: str, source: str = "posting", columns: list[Column] | None = None,
                 export: str = "") -> Draft:
    """The rubric drafted from the posting ``text`` (``fmt``: "md", "text" or "html"), as YAML
    text. ``columns`` (from ``profile_columns``) are the export's, when one is given."""
    posting = read_posting(text, fmt)
    bullets = _bullets(posting)
    if not any(not b.protected for b in bullets):
        raise NoBullets(_no_bullets(posting))
    state = _State(posting, posting.language, columns)
    if columns is not None:
        _export_fields(state)
    else:
        _guess_fields(state, [name for name, _ in IDENTITY if name not in ("resume", "full_name")])
    state.free_text = _free_text_fields(state)
    state.pairs = _zh_pairs(posting) if state.language == "zh" else _repeated_pairs(posting)
    weak = _zh_weak(posting, bullets) if state.language == "zh" else _weak_stems(posting, bullets)
    for bullet in bullets:
        state.crits += _criteria_for(state, bullet, weak)
    if columns is not None:
        _linked(state, bullets)
        _unused_columns(state)
    if not any((c.weight or 0) > 0 for c in state.crits):
        raise NoBullets(_no_bullets(posting))
    out = _render(state, source, export)
    return Draft(out, len(state.crits), out.count(REVIEW), state.language)


def _no_bullets(posting: Posting) -> str:
    headings = [s.heading for s in posting.sections if s.heading]
    seen = f" (headings found: {', '.join(headings[:6])})" if headings else ""
    return ("has no bullet list that could become criteria" + seen + "; write each requirement on its own line "
            "starting with '- ', '* ' or '•' (or as <li> in HTML)")


def _unused_columns(state: _State) -> None:
    assert state.columns is not None
    for column in state.columns:
        if column.name in state.used_columns or column.kind in ("yesno", "number", "choice"):
            continue
        why = {"date": "dates", "empty": "no answers", "text": "free text", "short": "short text",
               "level": "degree-like answers"}.get(column.kind, column.kind)
        state.notes.append(f"# Not scored: {_q(column.name)} ({why}).")


def _render(state: _State, source: str, export: str) -> str:
    lines: list[str] = []
    add = lines.append
    posting = state.posting
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^[^:]{0,20}:\s*", "", posting.title).split("(")[0].lower()).strip("-")
    if not slug:
        slug = re.sub(r"[^a-z0-9]+", "-", source.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()).strip("-") or "draft"
    add(f"# Draft rubric made by 'screener rubric draft' from {_comment(source)}"
        + (f" and the headers of {_comment(export)}." if export else "."))
    add("# Every criterion quotes in 'posting' the line it comes from. Lines marked '# REVIEW:' need a")
    add("# person's judgement before this rubric ranks anyone; the README's \"Rubric format\" explains each key.")
    add(f"rubric: {_q(slug)}")
    add(f"title: {_q(posting.title or slug)}")
    url = _source_url(posting)
    if url:
        add(f"posting: {_q(url)}")
    add(f"language: {state.language}" + ("" if state.language == "en" else "  # from the script of the posting"))
    add("")
    _render_fields(state, add, export)
    _render_applicant(state, add)
    _render_deadline(posting.deadline, add)
    _render_replies(find_reply_promises(posting.lines), add)
    if state.groups:
        add("")
        add("groups:")
        for heading, key in state.groups.items():
            add(f"  {key}: {_q(heading or 'Posting')}")
    add("")
    add("criteria:")
    for crit in state.crits:
        _render_crit(crit, add)
    for note in state.notes:
        add("  " + _comment(note))
    return "\n".join(lines) + "\n"


def _source_url(posting: Posting) -> str:
    """The posting's own address, when the text before its first heading gives one."""
    intro = posting.sections[0] if posting.sections and not posting.sections[0].heading else None
    for line in intro.texts if intro else ():
        found = re.search(r"https?://[^\s<>\"']+", line.text)
        if found:
            return found.group(0).rstrip(".,;:)>")
    return ""


def _render_fields(state: _State, add: Callable, export: str) -> None:
    add("# Logical field -> the export column(s) that hold it; the first found wins (exact header, then")
    add("# ignoring case and punctuation, then a pattern such as *_Id, then a close fuzzy match).")
    if export:
        add(f"# Mapped onto the headers of {_comment(export)} as 'screener inspect' maps them.")
    add("fields:")
    for f in state.fields.values():
        value = _q(f.candidates[0]) if len(f.candidates) == 1 else _flow(_q(c) for c in f.candidates)
        comment = f"  # {f.review}" if f.review else ""
        add(f"  {f.name}: {value}{comment}")


def _render_applicant(state: _State, add: Callable[[str], None]) -> None:
    have = state.fields
    add("")
    add("# Who the row is: shown in outputs, hidden by --blind, never scored.")
    add("applicant:")
    one = (("id", "entry_id"), ("email", "email"), ("phone", "phone"), ("submitted_at", "submitted_at"),
           ("status", "entry_status"))
    name: list[str] = [n for n in ("first_name", "last_name") if n in have] or (["full_name"] if "full_name" in have
                                                                                else [])
    if state.language in ("zh", "ja", "ko"):
        name = [n for n in ("last_name", "first_name") if n in name] or name
    for key, field_name in one[:1]:
        if field_name in have:
            add(f"  {key}: {field_name}")
    if name:
        add(f"  name: [{', '.join(name)}]")
    for key, field_name in one[1:]:
        if field_name in have:
            add(f"  {key}: {field_name}")
    other = [n for n in ("linkedin", "city", "region", "country", "resume") if n in have]
    if other:
        add(f"  other: [{', '.join(other)}]")
    if state.free_text:
        add(f"  answers: [{', '.join(state.free_text)}]   # compared to spot the same person applying twice")


def _render_deadline(found: DeadlineFound | None, add: Callable[[str], None]) -> None:
    add("")
    if found is None:
        add("# No deadline found in the posting. To flag late applications, add:")
        add('# deadline: {at: "YYYY-MM-DD 23:59", timezone: America/New_York}')
        return
    add(f"# {_comment(_q(found.line))}")
    zone = found.zone or "UTC"
    zone_note = (f"read from '{found.zone_from}'" if found.zone else
                 f"{REVIEW}the posting states no time zone; UTC is a placeholder")
    time_note = "" if found.time_stated else f"{REVIEW}no time stated: the whole day counts"
    if found.year is None:
        add(f"# {REVIEW}the posting states no year for this deadline; write the year and uncomment these lines.")
        add("# deadline:")
        add(f'#   at: "{found.at()}"' + (f"  # {time_note}" if time_note else ""))
        add(f"#   timezone: {zone}  # {zone_note}")
        return
    add("deadline:                  # late entries are flagged, never dropped")
    at_notes = [*([time_note.removeprefix(REVIEW)] if time_note else []),
                *(["the year is from the posting's title"] if found.year_from == "the title" else []), *found.problems]
    add(f'  at: "{found.at()}"' + (f"  # {REVIEW}{'; '.join(at_notes)}" if at_notes else ""))
    add(f"  timezone: {zone}  # {zone_note}")
    add(f"  # export_timezone: {zone}  # {REVIEW}the zone the form writes submission times in, if not this one")


def _render_replies(found: RepliesFound | None, add: Callable[[str], None]) -> None:
    """The reply times the posting promises, as the screener.toml settings that hold them (a
    rubric has no key for them; 'screener init --from-posting' copies these lines' values)."""
    if found is None:
        return
    add("")
    add("# Replies the posting promises ('screener status' and 'screener reply' count them; they are")
    add("# settings of screener.toml, which 'screener init --from-posting' writes with these values):")
    if found.business_days is not None:
        add(f"#   {_comment(_q(found.business_line))}")
        add(f"#   advance_reply_business_days = {found.business_days}")
    if found.days_after_close is not None:
        if found.close_line != found.business_line or found.business_days is None:
            add(f"#   {_comment(_q(found.close_line))}")
        add(f"#   reply_days_after_close = {found.days_after_close}")


def _render_crit(crit: Crit, add: Callable[[str], None]) -> None:
    add("")
    for note in crit.notes:
        add("  " + _comment(note))
    add(f"  - id: {crit.id}")
    add(f"    label: {_q(crit.label)}")
    add(f"    posting: {_q(crit.posting)}")
    add(f"    kind: {crit.kind}")
    for key, value, comment in crit.settings:
        if key.startswith("#"):
            add(f"    # {_comment(comment)}")
            continue
        add(f"    {key}: {value}" + (f"  # {_comment(comment)}" if comment else ""))
    if crit.must:
        add("    must: true")
    if crit.weight is not None:
        add(f"    weight: {crit.weight:g}")
    add(f"    group: {crit.group}")
