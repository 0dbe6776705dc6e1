"""A job posting read as text: its title, sections, bullets, language and deadline.

``read_posting(text, fmt)`` takes the posting as Markdown, plain text or HTML (``posting_format``
tells which) and returns a ``Posting``: the headings with the bullet lines under each (Markdown
``-``/``*``/``+``, ``•``, numbered lines, HTML ``<li>``), the other lines, the script the posting
is written in, and the application deadline when a line states one. Plain rules on the text; no
file is read here (``app/drafting.py`` reads it) and nothing is looked up anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

# ----------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    """One line of the posting: a heading, a bullet or other text, without its markup."""

    number: int  # 1-based line in the file (HTML: the line the element starts on)
    kind: str  # "heading" | "bullet" | "text"
    text: str
    level: int = 0  # a heading's level (1 = title)


_HTML_HINT = re.compile(r"<(?:html|body|ul|ol|li|p|h[1-6]|div|br)\b[^>]*>", re.IGNORECASE)


def posting_format(text: str, name: str = "") -> str:
    """"html", "md" or "text", from the file name's extension, else from the text."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("html", "htm", "xhtml"):
        return "html"
    if suffix in ("md", "markdown"):
        return "md"
    if len(_HTML_HINT.findall(text[:20000])) >= 2:
        return "html"
    return "md" if re.search(r"^#{1,6}\s", text, re.MULTILINE) else "text"


_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦‣●○■□➢➤►✓✔]|\d{1,2}[.)、]|[a-z][.)]|[（(]\d{1,2}[）)])\s+(?P<text>\S.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BOLD_HEADING = re.compile(r"^(\*\*|__)(?P<text>[^*_]{2,80}?)[:：]?\1[:：]?$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def clean_inline(text: str) -> str:
    """Markdown and HTML inline markup taken out: links keep their text, emphasis its words."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<![\w])_(\S[^_]*?)_(?![\w])", r"\1", text)
    return plain(text)


def plain(text: str) -> str:
    """One line of printable text: whitespace runs (line breaks too) become one space; control
    and format characters (bidi overrides, zero-width ones) are dropped."""
    text = re.sub(r"\s+", " ", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")).strip()


def _text_lines(text: str, markdown: bool) -> list[Line]:
    """Markdown or plain text: headings (``#``, setext, or a short line ending in ':' before a
    list), bullets (continuation lines indented under them are joined), other lines."""
    raw = text.splitlines()
    out: list[Line] = []
    for number, line in enumerate(raw, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if _SETEXT.match(line) and out and out[-1].kind == "text" and out[-1].number == number - 1:
            level = 1 if stripped.startswith("=") else 2
            out[-1] = Line(out[-1].number, "heading", out[-1].text, level)
            continue
        if _RULE.match(line):
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
            line = stripped
        bold = _BOLD_HEADING.match(stripped)
        if bold and not _BULLET.match(line):
            out.append(Line(number, "heading", clean_inline(bold.group("text")), 3))
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            out.append(Line(number, "heading", clean_inline(heading.group("text")), len(heading.group("marks"))))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            out.append(Line(number, "bullet", clean_inline(bullet.group("text"))))
            continue
        if out and out[-1].kind == "bullet" and line[:1].isspace() and raw[number - 2].strip():
            last = out[-1]
            out[-1] = Line(last.number, "bullet", f"{last.text} {clean_inline(stripped)}")
            continue
        cleaned = clean_inline(stripped)
        if cleaned:
            out.append(Line(number, "text", cleaned))
    if not markdown:
        out = _plain_headings(out)
    return out


def _plain_headings(lines: list[Line]) -> list[Line]:
    """In plain text, a short line that ends in ':' or is in capitals, or that is followed by a
    bullet and ends without a full stop, is a heading."""
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        short = len(line.text) <= 80
        caps = line.text.isupper() and len(line.text) > 2
        before_list = nxt is not None and nxt.kind == "bullet" and not re.search(r"[.。!！]$", line.text)
        if line.kind == "text" and short and (line.text.endswith((":", "：")) or caps or before_list):
            out.append(Line(line.number, "heading", line.text.rstrip(":：").strip(), 2))
        else:
            out.append(line)
    if out and out[0].kind == "text" and len(out[0].text) <= 120:
        out[0] = Line(out[0].number, "heading", out[0].text, 1)
    return out


class _HtmlLines(HTMLParser):
    """HTML to lines: ``h1``-``h6`` are headings, ``li`` bullets, block elements end a line."""

    BLOCKS = frozenset({"p", "div", "br", "tr", "section", "article", "header", "footer", "ul", "ol", "table",
                        "blockquote", "dd", "dt", "title"})
    SKIP = frozenset({"script", "style", "head", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._kind = "text"
        self._level = 0
        self._start = 1
        self._skip = 0
        self._li = 0  # how deep in list items
        self._title: str | None = None
        self._in_title = False

    def _flush(self) -> None:
        text = plain("".join(self._parts))
        if text:
            self.lines.append(Line(self._start, self._kind, text, self._level))
        self._parts = []
        self._kind, self._level = "text", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
            self._in_title = self._in_title or tag == "head"
            return
        heading = re.fullmatch(r"h[1-6]", tag)
        if tag == "title":
            self._in_title = True
        if self._li and tag in self.BLOCKS and tag not in ("ul", "ol"):
            self._parts.append(" ")  # a paragraph or line break inside a list item: still the same bullet
            return
        if tag in self.BLOCKS or tag == "li" or heading:
            self._flush()
            self._start = self.getpos()[0]
        if tag == "li":
            self._li += 1
            self._kind = "bullet"
        elif heading:
            self._kind, self._level = "heading", int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "li":
            self._flush()
            self._li = max(0, self._li - 1)
            self._kind = "bullet" if self._li else "text"
        elif self._li and tag in self.BLOCKS and tag not in ("ul", "ol"):
            self._parts.append(" ")
        elif tag in self.BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self._flush()
            if self._li:
                self._kind = "bullet"

    def handle_data(self, data: str) -> None:
        if self._skip:
            if self._in_title and self._title is None and data.strip():
                self._title = data.strip()
            return
        if not "".join(self._parts).strip():
            self._start = self.getpos()[0]
        self._parts.append(data)


def _html_lines(text: str) -> list[Line]:
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    parser._flush()
    lines = parser.lines
    if parser._title and not any(line.kind == "heading" and line.level == 1 for line in lines):
        lines.insert(0, Line(1, "heading", plain(parser._title), 1))
    return lines


def read_lines(text: str, fmt: str) -> list[Line]:
    """The posting's lines, by ``fmt`` ("html", "md" or "text")."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if fmt == "html":
        return _html_lines(text)
    return _text_lines(text, markdown=fmt == "md")


# ----------------------------------------------------------------------------------------------
# Sections

# What a section is, from its heading. Checked in this order; the first that matches wins.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nice", ("preferred", "nice to have", "nice-to-have", "bonus", "pluses", "a plus", "desirable", "加分",
              "优先", "優先")),
    ("requirement", ("requirement", "required", "qualification", "must have", "must-have", "what you bring",
                     "what we're looking for", "what we are looking for", "who you are", "skills", "experience",
                     "要求", "资格", "資格", "技能", "条件", "條件", "任职", "任職")),
    ("responsibility", ("responsibilit", "duties", "what you'll do", "what you will do", "role", "the job",
                        "day to day", "day-to-day", "your work", "职责", "職責", "工作内容", "工作內容", "岗位",
                        "崗位")),
    ("info", ("detail", "benefit", "perk", "what we offer", "compensation", "salary", "pay", "location", "about us",
              "about the company", "company", "context", "how to apply", "apply", "what happens", "process",
              "equal opportunit", "eeo", "diversity", "contact", "详细", "詳細", "福利", "薪", "待遇",
              "关于", "關於", "公司", "申请", "申請", "地点", "地點")),
)


def section_role(heading: str) -> str:
    """"requirement", "nice", "responsibility", "info" (not scored) or "other"."""
    folded = heading.casefold()
    for role, words in ROLE_WORDS:
        if any(word in folded for word in words):
            return role
    return "other"


@dataclass
class Section:
    heading: str
    line: int
    role: str
    bullets: list[Line] = field(default_factory=list)
    texts: list[Line] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Deadline

_MONTHS = {name: n for n, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
             "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4, "星期六": 5, "星期日": 6, "星期天": 6,
             "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6}
_DEADLINE_CUES = re.compile(
    r"deadline|until|apply by|applications? close|closing date|closes?\b|no later than|accepted through|"
    r"submit(?:ted)? by|due (?:by|on)|before|截止|截至|之前|以前|前提交|前申请", re.IGNORECASE)
_DATE_EN = re.compile(rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
                      rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_RE})\b\.?"
                      rf"(?:,?\s+(?P<year2>(?:19|20)\d\d))?", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DATE_ZH = re.compile(r"(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]")
_TIME_12 = re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?![a-z])", re.IGNORECASE)
_TIME_24 = re.compile(r"(?P<pre>上午|早上|中午|下午|晚上|凌晨)?\s*\b(?P<h>\d{1,2}):(?P<m>\d{2})\b")
_TIME_WORDS = {"midnight": (23, 59), "noon": (12, 0), "午夜": (23, 59), "中午": (12, 0)}

# Time zone names and abbreviations a posting writes, and the IANA zone each means.
ZONE_NAMES: tuple[tuple[str, str], ...] = (
    ("us eastern", "America/New_York"), ("eastern time", "America/New_York"), ("美国东部", "America/New_York"),
    ("美東", "America/New_York"), ("美东", "America/New_York"), ("new york", "America/New_York"),
    ("us central", "America/Chicago"), ("central time", "America/Chicago"),
    ("us mountain", "America/Denver"), ("mountain time", "America/Denver"),
    ("us pacific", "America/Los_Angeles"), ("pacific time", "America/Los_Angeles"),
    ("美国西部", "America/Los_Angeles"), ("太平洋时间", "America/Los_Angeles"),
    ("central european", "Europe/Berlin"), ("british", "Europe/London"), ("uk time", "Europe/London"),
    ("london", "Europe/London"), ("india standard", "Asia/Kolkata"), ("北京时间", "Asia/Shanghai"),
    ("北京時間", "Asia/Shanghai"), ("香港时间", "Asia/Hong_Kong"), ("台北时间", "Asia/Taipei"),
    ("台北時間", "Asia/Taipei"), ("japan standard", "Asia/Tokyo"), ("singapore", "Asia/Singapore"),
    ("sydney", "Australia/Sydney"),
)
ZONE_ABBREVIATIONS = {
    "EDT": "America/New_York", "EST": "America/New_York", "ET": "America/New_York",
    "CDT": "America/Chicago", "CST": "America/Chicago", "CT": "America/Chicago",
    "MDT": "America/Denver", "MST": "America/Denver", "MT": "America/Denver",
    "PDT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "BST": "Europe/London", "GMT": "UTC", "UTC": "UTC",
    "IST": "Asia/Kolkata", "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
}
_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*(?P<sign>[+\-−])\s*(?P<h>\d{1,2})(?::?00)?\b")


@dataclass(frozen=True)
class DeadlineFound:
    """A deadline as the posting states it; ``year`` None when it states none."""

    line: str  # the posting line, as written
    month: int
    day: int
    hour: int
    minute: int
    year: int | None
    year_from: str  # "the line", "the title", or ""
    zone: str | None  # IANA name
    zone_from: str  # the words it was read from
    time_stated: bool
    problems: tuple[str, ...] = ()  # things a person should check, in sentences

    def at(self) -> str:
        year = f"{self.year:04d}" if self.year else "YYYY"
        return f"{year}-{self.month:02d}-{self.day:02d} {self.hour:02d}:{self.minute:02d}"


def _date_in(text: str) -> tuple[int, int, int | None] | None:
    for pattern in (_DATE_ISO, _DATE_ZH):
        m = pattern.search(text)
        if m:
            year = int(m.group("year")) if m.group("year") else None
            return int(m.group("month")), int(m.group("day")), year
    found = _DATE_EN.search(text)
    if found:
        month = _MONTHS[(found.group("month") or found.group("month2")).lower()]
        day = int(found.group("day") or found.group("day2"))
        year_text = found.group("year") or found.group("year2")
        return month, day, int(year_text) if year_text else None
    return None


def _time_in(text: str) -> tuple[int, int] | None:
    m = _TIME_12.search(text)
    if m:
        hour = int(m.group("h")) % 12 + (12 if m.group("ampm").lower().startswith("p") else 0)
        return hour, int(m.group("m") or 0)
    m = _TIME_24.search(text)
    if m:
        hour = int(m.group("h"))
        if m.group("pre") in ("下午", "晚上") and hour < 12:
            hour += 12
        return hour, int(m.group("m"))
    folded = text.casefold()
    for word, value in _TIME_WORDS.items():
        if word in folded:
            return value
    return None


def _zone_in(text: str) -> tuple[str | None, str]:
    folded = text.casefold()
    for phrase, zone in ZONE_NAMES:
        if phrase in folded:
            return zone, phrase
    for word in re.findall(r"\b[A-Z]{2,4}\b", text):
        if word in ZONE_ABBREVIATIONS:
            return ZONE_ABBREVIATIONS[word], word
    offset = _OFFSET.search(text)
    if offset:
        hours = int(offset.group("h"))
        sign = "+" if offset.group("sign") in "-−" else "-"  # Etc/GMT zones count the other way
        return f"Etc/GMT{sign}{hours}", offset.group(0)
    return None, ""


def _weekday_problem(text: str, found: tuple[int, int, int]) -> str:
    folded = text.casefold()
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"(?<![a-z]){re.escape(name)}", folded):
            year, month, day = found
            try:
                actual = date(year, month, day).weekday()
            except ValueError:
                return f"{month}/{day}/{year} is not a date"
            if actual != weekday:
                return f"the posting says {name.capitalize()}, but {year}-{month:02d}-{day:02d} is another day"
            return ""
    return ""


def find_deadline(lines: list[Line], title: str) -> DeadlineFound | None:
    """The first line that names a deadline (a cue word and a date), read into its parts."""
    for line in lines:
        if not _DEADLINE_CUES.search(line.text):
            continue
        found = _date_in(line.text)
        if found is None:
            continue
        month, day, year = found
        year_from = "the line" if year else ""
        if year is None:
            m = re.search(r"\b(?:19|20)\d\d\b", title)
            if m:
                year, year_from = int(m.group(0)), "the title"
        clock = _time_in(line.text)
        zone, zone_from = _zone_in(line.text)
        problems = []
        if year is not None:
            problem = _weekday_problem(line.text, (year, month, day))
            if problem:
                problems.append(problem)
        hour, minute = clock if clock else (23, 59)
        return DeadlineFound(line.text, month, day, hour, minute, year, year_from, zone, zone_from,
                             clock is not None, tuple(problems))
    return None


# ----------------------------------------------------------------------------------------------
# The posting

@dataclass(frozen=True)
class RepliesFound:
    """The reply times a posting promises: a strong fit within ``business_days`` business days
    (the upper end of "3-4"), everyone else within ``days_after_close`` days after the close;
    None for what it does not say, with the line each was read from."""

    business_days: int | None = None
    business_line: str = ""
    days_after_close: int | None = None
    close_line: str = ""


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9, "十": 10}
_NUM = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|[一二两三四五六七八九十])"
_RANGE = r"(?:\s*(?:-|–|—|~|to|or|到|至)\s*" + _NUM + r")?"
_BUSINESS_DAYS = (re.compile(_NUM + _RANGE + r"\s*(?:business|working)\s+days?\b", re.I),
                  re.compile(_NUM + _RANGE + r"\s*个?工作日"))
_AFTER_CLOSE = (re.compile(_NUM + r"\s*(weeks?|days?)\s+(?:after|of|from)\s+(?:the\s+)?(?:close|closing|deadline|"
                           r"application\s+(?:period|deadline))", re.I),
                re.compile(r"(?:结束|截止)后?的?\s*" + _NUM + r"\s*个?(周|星期|天|日)"))


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def find_reply_promises(lines: list[Line]) -> RepliesFound | None:
    """The reply times the posting promises (``RepliesFound``), or None when it states neither."""
    business = close = None
    business_line = close_line = ""
    for line in lines:
        for pattern in _BUSINESS_DAYS:
            found = pattern.search(line.text)
            if found and business is None:
                business, business_line = _number(found.group(2)) or _number(found.group(1)), line.text
        for pattern in _AFTER_CLOSE:
            found = pattern.search(line.text)
            if found and close is None:
                amount = _number(found.group(1))
                unit = found.group(2).lower()
                weeks = unit.startswith("week") or unit in ("周", "星期")
                if amount is not None:
                    close, close_line = amount * (7 if weeks else 1), line.text
    if business is None and close is None:
        return None
    return RepliesFound(business, business_line, close, close_line)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


def script_language(text: str) -> str:
    """"zh", "ja", "ko" or "en", from the letters the text is written in."""
    han, kana, hangul = len(_HAN.findall(text)), len(_KANA.findall(text)), len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul > latin / 2 and hangul >= han:
        return "ko"
    if kana * 10 >= max(han, 1) and kana + han > latin / 2:
        return "ja"
    if han > latin / 2:
        return "zh"
    return "en"


@dataclass
class Posting:
    title: str
    language: str
    sections: list[Section]
    lines: list[Line]
    deadline: DeadlineFound | None

    @property
    def bullets(self) -> list[Line]:
        return [b for s in self.sections for b in s.bullets]


def read_posting(text: str, fmt: str) -> Posting:
    """The posting's title, sections (with their bullets), language and deadline."""
    lines = read_lines(text, fmt)
    title = next((line.text for line in lines if line.kind == "heading" and line.level == 1), "")
    if not title:
        title = next((line.text for line in lines if line.kind in ("heading", "text")), "")
    sections: list[Section] = [Section("", 0, "other")]
    for line in lines:
        if line.kind == "heading":
            if line.text == title and line.level == 1:
                continue
            sections.append(Section(line.text, line.number, section_role(line.text)))
        elif line.kind == "bullet":
            sections[-1].bullets.append(line)
        else:
            sections[-1].texts.append(line)
    sections = [s for s in sections if s.bullets or s.texts]
    body = " ".join(line.text for line in lines if line.kind != "heading") or title
    return Posting(title, script_language(body), sections, lines, find_deadline(lines, title))
