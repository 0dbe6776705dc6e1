"""What screener knows about words, language by language: how a written token folds to the
form keywords are compared in, stems, common words, and the words that negate or hedge.

Everything here works on one token (or one short text) at a time and is cached, because it is
called once per *distinct* token of a column, never per applicant. The libraries it leans on:

- ``opencc``: Traditional (Taiwan, Hong Kong) to Simplified Chinese, by character for tokens
  and by phrase (``專案`` → ``项目``) for rubric keywords' variants.
- ``snowballstemmer``: the Snowball stemmers, for the rubric's ``language:`` list.
- ``wordfreq``: how common a word is in a language, so that a fuzzy match never lands on a
  different real word (``lunch`` is not a typo of ``launch``).
- the most common words of each language (from ``wordfreq``) and the script tell which
  language an answer is in, for answers no rubric language explains.

A rubric without ``language:`` gets folding (case, width, accents, special letters, Chinese
scripts) and typo tolerance, but no stemming, compounds or number words: what matches is
predictable from the keyword alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

__all__ = [
    "CJK_CHARS",
    "HANGUL_CHARS",
    "LANGUAGES",
    "STEMMED",
    "COMPOUNDING",
    "common_in",
    "contrast_words",
    "profile_words",
    "fold",
    "is_cjk",
    "is_hangul",
    "language_name",
    "negation_cues",
    "stem",
    "stopwords",
    "keyword_scripts",
    "short_keyword",
    "transliterations",
]

# Han (with extensions and compatibility forms), Hiragana and Katakana: written without spaces,
# so screener reads them one character at a time. Hangul is written in spaced words (eojeol)
# with particles and endings attached, so a Hangul run is one token and a keyword matches it as
# the word's beginning.
CJK_CHARS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
HANGUL_CHARS = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_HANGUL_RE = re.compile(f"[{HANGUL_CHARS}]")

#: language code -> (English name, Snowball algorithm or "").
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "english"), "es": ("Spanish", "spanish"), "pt": ("Portuguese", "portuguese"),
    "de": ("German", "german"), "fr": ("French", "french"), "it": ("Italian", "italian"),
    "nl": ("Dutch", "dutch"), "pl": ("Polish", "polish"), "tr": ("Turkish", "turkish"),
    "sv": ("Swedish", "swedish"), "da": ("Danish", "danish"), "no": ("Norwegian", "norwegian"),
    "fi": ("Finnish", "finnish"), "ru": ("Russian", "russian"), "ro": ("Romanian", "romanian"),
    "hu": ("Hungarian", "hungarian"), "cs": ("Czech", "czech"), "ca": ("Catalan", "catalan"),
    "id": ("Indonesian", "indonesian"), "el": ("Greek", "greek"),
    "zh": ("Chinese", ""), "ja": ("Japanese", ""), "ko": ("Korean", ""),
}  # fmt: skip
STEMMED = frozenset(code for code, (_name, algo) in LANGUAGES.items() if algo)
#: Languages that write compounds as one word: a keyword also matches as a compound's first or
#: last part (``Projektmanagement`` in ``Projektmanagementerfahrung``).
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "fi"})

# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL_LETTERS = str.maketrans({
    "ł": "l", "ı": "i", "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
    "ŀ": "l", "ĳ": "ij", "ſ": "s",
})  # fmt: skip
# Japanese voicing marks are part of the letter (バグ is not ハク), so they are never dropped.
_KEEP_MARKS = frozenset("\u3099\u309a")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")


def short_keyword(text: str) -> bool:
    """Whether a keyword is one or two letters or digits (``PM``, ``C``, ``R``, ``QA``): such a
    keyword matches only as written."""
    stripped = text.strip().rstrip("*")
    return 0 < len(stripped) <= 2 and stripped.isalnum() and stripped.isascii()


def is_cjk(token: str) -> bool:
    return bool(_CJK_RE.match(token))


def is_hangul(token: str) -> bool:
    return bool(_HANGUL_RE.match(token))


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if ch in _KEEP_MARKS or unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # a C++ library with its dictionaries: loaded only when Chinese text is met

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=1)
def _s2t_variants() -> tuple[Callable[[str], str], ...]:
    import opencc

    return tuple(opencc.OpenCC(cfg).convert for cfg in ("s2twp", "s2hk", "s2t"))


def fold(token: str) -> str:
    """The form a token is compared in: case, width and accents folded, ł/ı/œ/æ/ø spelt out,
    Traditional Chinese characters made Simplified, ``KPIs`` read as ``kpi``, number words as
    digits (``five`` → ``5``) and British spellings as American (``organisation``)."""
    if token.isascii():
        if _ACRONYM_PLURAL.fullmatch(token):
            token = token[:-1]
        lowered = token.lower()
        return _NUMBER_WORDS.get(lowered) or _american(lowered)
    if is_cjk(token):
        return _t2s()(token) if len(token) == 1 and "\u3400" <= token else token
    if _ACRONYM_PLURAL.fullmatch(token):
        token = token[:-1]
    folded = unicodedata.normalize("NFKC", token).casefold().translate(_SPECIAL_LETTERS)
    if not folded.isascii():
        folded = _strip_marks(folded).translate(_SPECIAL_LETTERS)
    return _NUMBER_WORDS.get(folded) or folded


# Number words up to ten (and twelve, twenty) in the languages screener stems: "five years",
# "cinco años", "fünf Jahre", "trzy lata", "üç yıl" read like "5 years". Folded forms (no accents).
_NUMBER_WORDS = {
    word: str(value)
    for value, spellings in {
        1: "one", 2: "two", 3: "three", 4: "four", 5: "five uno cinco funf fuenf cinq cinque piec bes",
        6: "six seis sechs sei szesc alti", 7: "seven siete sete sieben sept sette siedem yedi",
        8: "eight ocho oito acht huit otto osiem sekiz", 9: "nine nueve nove neun neuf dziewiec dokuz",
        10: "ten diez dez zehn dix dieci dziesiec on", 12: "twelve doce zwolf zwoelf douze dodici",
        20: "twenty veinte vinte zwanzig vingt venti",
    }.items()
    for word in spellings.split()
}
_NUMBER_WORDS.update({
    "dos": "2", "duas": "2", "dois": "2", "zwei": "2", "deux": "2", "due": "2", "dwa": "2", "dwie": "2",
    "iki": "2", "tres": "3", "drei": "3", "trois": "3", "tre": "3", "trzy": "3", "uc": "3",
    "cuatro": "4", "quatro": "4", "vier": "4", "quatre": "4", "quattro": "4", "cztery": "4", "dort": "4",
})
del _NUMBER_WORDS["uno"], _NUMBER_WORDS["on"], _NUMBER_WORDS["tre"], _NUMBER_WORDS["sei"], _NUMBER_WORDS["due"]

# British spellings made American, so "organisation", "prioritise", "analyse", "centre",
# "behaviour", "catalogue", "licence" meet their American forms whatever the rubric wrote.
_AMERICAN = {
    "judgement": "judgment", "artefact": "artifact", "artefacts": "artifacts", "licence": "license",
    "licences": "licenses", "defence": "defense", "offence": "offense", "programme": "program",
    "programmes": "programs", "modelling": "modeling", "modelled": "modeled", "travelled": "traveled",
    "cancelled": "canceled", "labelled": "labeled", "enrolment": "enrollment", "fulfil": "fulfill",
    "ageing": "aging", "grey": "gray", "practise": "practice", "practised": "practiced",
    "practising": "practicing",
}  # fmt: skip
_BRITISH = re.compile(
    r"(?<=[a-z]{3})(is(?=ation|ations|e|ed|es|ing|er|ers)|ys(?=e|ed|es|ing))"
    r"|(?<=[a-z]{3})our(?=(?:s|ed|ing)?$)|(?<=[a-z]{3})tre(?=s?$)|(?<=[a-z]{4})ogue(?=s?$)"
)


def _american(word: str) -> str:
    if len(word) < 6 or not word.isalpha():
        return word
    found = _AMERICAN.get(word)
    if found:
        return found
    return _BRITISH.sub(_british_to_american, word)


def _british_to_american(m: re.Match[str]) -> str:
    text = m.group(0)
    return {"is": "iz", "ys": "yz", "our": "or", "tre": "ter", "ogue": "og"}[text]


def keyword_scripts(text: str) -> list[str]:
    """A Simplified-Chinese keyword as it is written in Taiwan and Hong Kong, and the reverse:
    ``项目管理`` → ``專案管理``, ``項目管理``; each written form the tokens can fold to. OpenCC's
    phrase tables are completed with the Taiwan words of this trade that they lack
    (计算机视觉 → 電腦視覺, 项目计划 → 專案計畫)."""
    if not _CJK_RE.search(text):
        return []
    forms = [convert(text) for convert in _s2t_variants()]
    taiwan = _TAIWAN_RE.sub(lambda m: _TAIWAN[m.group(0)], text)
    if taiwan != text:
        forms.append(taiwan)
    return list(dict.fromkeys(forms))


def transliterations(text: str) -> list[str]:
    """The Japanese (katakana) and Korean (hangul) spellings of a tool or method name written in
    Latin letters, and the reverse: ``Scrum`` is also ``スクラム`` and ``스크럼``."""
    key = " ".join(text.casefold().split())
    found = _TRANSLITERATED.get(key)
    if found:
        return list(found)
    return [latin for latin, forms in _TRANSLITERATED.items() if text.strip() in forms]


# Names of tools and methods as Japanese and Korean applicants write them in their own script.
_TRANSLITERATED = {
    "scrum": ("スクラム", "스크럼"), "kanban": ("カンバン", "칸반"), "agile": ("アジャイル", "애자일"),
    "jira": ("ジラ", "지라"), "confluence": ("コンフルエンス", "컨플루언스"), "python": ("パイソン", "파이썬"),
    "trello": ("トレロ", "트렐로"), "asana": ("アサナ", "아사나"), "waterfall": ("ウォーターフォール", "워터폴"),
    "sprint": ("スプリント", "스프린트"), "gantt chart": ("ガントチャート", "간트 차트"),
    "scrum master": ("スクラムマスター", "스크럼 마스터"), "roadmap": ("ロードマップ", "로드맵"),
    "milestone": ("マイルストーン", "마일스톤"), "stakeholder": ("ステークホルダー", "이해관계자"),
    "retrospective": ("レトロスペクティブ", "회고"), "backlog": ("バックログ", "백로그"),
    "deep learning": ("ディープラーニング", "딥러닝"), "machine learning": ("機械学習", "머신러닝"),
    "opencv": ("オープンCV", "오픈CV"), "slack": ("スラック", "슬랙"), "excel": ("エクセル", "엑셀"),
    "leadership": ("リーダーシップ", "리더십"), "project management": ("プロジェクト管理", "프로젝트 관리"),
    "risk management": ("リスク管理", "리스크 관리"), "prince2": ("プリンス2", "프린스2"),
}  # fmt: skip


# Mainland words and how Taiwan writes them, where OpenCC's s2twp keeps the mainland word.
_TAIWAN = {
    "计算机": "電腦", "质量": "品質", "计划": "計畫", "时间表": "時程表", "日程": "時程", "视频": "視訊",
    "网络": "網路", "程序": "程式", "默认": "預設", "文档": "文件", "信息": "資訊", "数据": "資料",
    "项目": "專案", "软件": "軟體", "硬件": "硬體", "人工智能": "人工智慧", "互联网": "網際網路",
    "服务器": "伺服器", "数据库": "資料庫", "算法": "演算法", "优化": "最佳化", "接口": "介面",
    "用户": "使用者", "代码": "程式碼", "内存": "記憶體", "本科": "大學", "进度": "進度",
}  # fmt: skip
_TAIWAN_RE = re.compile("|".join(sorted(map(re.escape, _TAIWAN), key=len, reverse=True)))


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    import snowballstemmer

    stemmer: Callable[[str], str] = snowballstemmer.stemmer(LANGUAGES[language][1]).stemWord
    return stemmer


# British and American spellings meet after stemming: organis/organiz, analys/analyz,
# programm/program, behaviour/behavior, centr/center.
_EN_SPELLING = ((re.compile(r"([^aeiou])is$"), r"\1iz"), (re.compile(r"ys$"), "yz"),
                (re.compile(r"mm$"), "m"), (re.compile(r"our$"), "or"), (re.compile(r"tre$"), "ter"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word (English spellings made American)."""
    stemmed = _stemmer(language)(word)
    if language == "en":
        for pattern, replacement in _EN_SPELLING:
            stemmed = pattern.sub(replacement, stemmed)
    return stemmed


_TRIPLE = re.compile(r"([bcdfghjklmnpqrstvwxz])\1\1")
_DE_PLURAL = re.compile(r"(?<=[a-zäöüß]{3})(?:um|o|a)$")


def spelling_variants(keyword: str, language: str) -> list[tuple[str, str]]:
    """Other ways a keyword is written in ``language``, each with its kind ("spelling" or
    "plural"). German: before the 1996 reform three equal consonants met as two (Schifffahrt,
    Schiffahrt); ph as f (Photovoltaik, Fotovoltaik); nouns in -o, -a and -um make their plural
    in -en (Risiko, Risiken; Thema, Themen; Zentrum, Zentren)."""
    if language != "de":
        return []
    out: list[tuple[str, str]] = []
    older = _TRIPLE.sub(r"\1\1", keyword)
    if older != keyword:
        out.append((older, "spelling"))
    if "ph" in keyword.lower():
        out.append((keyword.replace("Ph", "F").replace("ph", "f"), "spelling"))
    last = keyword.split()[-1] if keyword.split() else ""
    if last[:1].isupper() and len(last) >= 5 and _DE_PLURAL.search(last):
        out.append((keyword[: len(keyword) - len(last)] + _DE_PLURAL.sub("en", last), "plural"))
    return out


# A word at least this common (wordfreq's Zipf scale: 3 = once per million words) in one of the
# languages is a word in its own right, never a typo of a keyword: lunch, budge, manger, retos.
COMMON_ZIPF = 2.5
# In languages the rubric does not name, only clearly common words count (French 'gant').
OTHER_ZIPF = 3.5
_GUARD_LANGUAGES = ("en", "es", "fr", "de")
# wordfreq's names for languages it knows under another code (it warns on stderr otherwise).
_WORDFREQ_CODES = {"no": "nb"}



def common_in(word: str, languages: Iterable[str]) -> bool:
    """Whether a folded word is a common word of one of ``languages`` or of the other big
    languages screener meets (see ``COMMON_ZIPF`` and ``OTHER_ZIPF``)."""
    from wordfreq import zipf_frequency

    # wordfreq reads Chinese, Japanese and Korean only with extra segmenters; their words are
    # never fuzzy-matched anyway (see matching), so only alphabetic languages are asked.
    named = tuple(lang for lang in languages if lang in STEMMED) or ("en",)
    for lang in dict.fromkeys(named + _GUARD_LANGUAGES):
        floor = COMMON_ZIPF if lang in named else OTHER_ZIPF
        # The small lists (words above Zipf 3) load in a hundredth of a second; the large ones,
        # needed down to COMMON_ZIPF, only for the rubric's own languages.
        code = _WORDFREQ_CODES.get(lang, lang)
        if zipf_frequency(word, code, wordlist="best" if lang in named else "small") >= floor:
            return True
    return False


@cache
def stopwords(language: str, count: int = 60) -> frozenset[str]:
    """The ``count`` most common words of a language, folded."""
    from wordfreq import top_n_list

    code = _WORDFREQ_CODES.get(language, language)
    return frozenset(fold(w) for w in top_n_list(code, count, wordlist="small") if w.isalpha() and len(w) > 1)


#: Languages whose answers screener recognises by their most common words.
PROFILED = ("en", "es", "pt", "fr", "de", "it", "nl", "pl", "tr")


def preload(languages: Iterable[str]) -> None:
    """Read now what matching in ``languages`` reads from disk on first use (word lists,
    stemmers), so that a helper process does it while the export is still being read."""
    from wordfreq import zipf_frequency

    named = tuple(lang for lang in languages if lang in STEMMED) or ("en",)
    for lang in dict.fromkeys(named + _GUARD_LANGUAGES):
        zipf_frequency("a", _WORDFREQ_CODES.get(lang, lang), wordlist="best" if lang in named else "small")
    for lang in named:
        stopwords(lang)
        stem("a", lang)
    profile_words()


@cache
def profile_words() -> dict[str, tuple[str, ...]]:
    """Folded word -> the languages of ``PROFILED`` among whose 60 most common words it is."""
    from wordfreq import top_n_list

    owners: dict[str, list[str]] = {}
    for lang in PROFILED:
        for word in dict.fromkeys(fold(w) for w in top_n_list(lang, 60, wordlist="small") if w.isalpha()):
            owners.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in owners.items()}


def language_name(code: str) -> str:
    return LANGUAGES.get(code, (code, ""))[0]


# --------------------------------------------------------------------------------------------
# Negation and hedges. Each cue is written as it folds (no accents, lower case); a cue of several
# tokens is written with spaces, Chinese and Japanese ones character by character as they are
# tokenised. "before" cues negate a keyword a few words after them; "after" cues (Chinese,
# Japanese, Korean, Turkish, German put them there) a few words before them. A Hangul cue
# matches a word's beginning. The lists are those of the rubric's languages (English and
# Chinese when it names none), so that Portuguese "no" (in the) is not English "no".

_BEFORE = {
    "en": ["no", "not", "never", "without", "lack", "lacking", "lacks", "nor", "neither", "cannot",
           "none of", "studying for", "preparing for", "prepare for", "working towards",
           "working toward", "plan to", "planning to", "hope to", "hoping to", "would like to",
           "would love to", "love to learn", "want to", "wish to", "aspire to", "intend to",
           "eager to", "keen to", "interested in learning", "yet to", "unfamiliar with", "new to",
           "could learn", "can learn", "to learn", "happy to learn", "willing to learn", "aiming to",
           "aiming for", "aim to", "sit the", "will complete", "will take", "pursuing", "signed up",
           "enrolled", "booked the", "open to", "might try", "considering", "exposure to",
           "looking forward to", "in the process of", "meaning to", "someday", "one day",
           "zero experience", "d like to", "d love to", "get up to speed on", "read about"],
    "es": ["no", "sin", "nunca", "ningun", "ninguna", "ninguno", "tampoco", "jamas", "carezco", "ni",
           "estudiando para", "preparando", "preparandome", "me gustaria", "quiero", "quisiera",
           "espero", "planeo", "aprender", "objetivo es", "ganas de", "inscribire", "me interesa",
           "empezar", "sacarme"],
    "pt": ["nao", "sem", "nunca", "nenhum", "nenhuma", "jamais", "nem", "estudando para",
           "me preparando", "preparando", "gostaria", "quero", "pretendo", "espero", "aprender",
           "objetivo e", "tirar a", "interesse em", "vontade de"],
    "de": ["kein", "keine", "keinen", "keinem", "keiner", "nicht", "ohne", "nie", "niemals", "weder",
           "bereite mich", "vorbereitung auf", "mochte", "moechte", "wurde gerne", "wuerde gerne",
           "noch nicht", "ziel ist", "strebe an", "interessiere mich"],
    "fr": ["pas", "sans", "jamais", "aucun", "aucune", "ni", "prepare", "preparation", "aimerais",
           "souhaite", "apprendre", "compte suivre", "compte passer", "objectif est", "envisage", "envie de", "espere",
           "m interesse"],
    "it": ["non", "senza", "mai", "nessun", "nessuna", "vorrei", "spero"],
    "nl": ["geen", "niet", "zonder", "nooit", "wil graag"],
    "pl": ["nie", "bez", "brak", "brakuje", "zaden", "zadnego", "zadnej", "przygotowuje",
           "chcialbym", "chcialabym", "chetnie", "planuje", "zamiar", "zapisalem", "zapisalam",
           "ucze sie"],
    "tr": ["hic", "planliyorum", "dusunuyorum"],
    "zh": ["没 有", "没", "沒", "无", "無", "不", "未", "从 未", "尚 未", "缺 乏", "缺 少", "从 来 没",
           "正 在 学", "正 在 准 备", "正 在 自 学", "正 在 看", "正 在 上", "正 在 攻 读", "正 在 考",
           "正 在 申 请", "有 意", "还 在 准 备", "考 虑", "在 考 取",
           "准 备", "备 考", "打 算", "希 望", "想 学", "想 往", "很 想", "想 了 解", "想 系 统", "愿 意",
           "自 学", "在 学", "学 会", "报 名", "报 名 了", "攻 读", "在 读", "尽 快",
           "可 能 会", "送 我 去", "还 没", "还 在", "计 划", "以 后", "将 来",
           "未 来", "明 年", "下 个 月", "跟 着 教 程 学", "听 说 过"],
    "ja": ["未", "未 経 験"],
    "ko": ["안", "못"],
}  # fmt: skip
_AFTER = {
    "en": ["is not", "was not", "are not", "were not", "isn t", "nope", "none", "never", "no",
           "is on my list", "is next", "interests me", "i hope", "is an area i hope", "want to try",
           "someday"],
    "es": ["no", "ninguna", "ninguno", "nunca"],
    "pt": ["nao", "nenhuma", "nenhum", "nunca"],
    "de": ["nicht", "nie", "keine", "keinen", "kein", "noch nicht", "mochte", "moechte", "wurde",
           "lernen", "ausprobieren", "anschauen", "kennenlernen", "zu lernen", "abzulegen"],
    "fr": ["pas", "aucune", "aucun", "jamais"],
    "pl": ["nie", "brak"],
    "tr": ["yok", "degil", "degildi", "degilim", "bulunmamaktadir", "bilmiyorum", "kullanmadim",
           "yapmadim", "planliyorum", "istiyorum", "kaydoldum", "baslayacagim", "dusunuyorum",
           "ogrenmek", "ogrenmeye", "almayi"],
    "zh": ["没", "沒", "无", "無", "不", "未", "零 基 础", "欠 缺", "缺 乏", "从 没", "從 沒", "从 来 没",
           "有 兴 趣", "感 兴 趣", "学 习 中", "正 在 学", "想 学", "打 算", "还 没", "还 在 了 解",
           "已 报 名", "还 没", "还 在 准 备", "没 参 与", "没 实 际", "从 没", "没 操 作", "听 说 过",
           "只 看 过"],
    "ja": ["な い", "な し", "あ り ま せ ん", "ご ざ い ま せ ん", "未 経 験", "勉 強 中", "予 定", "目 指",
           "ま せ ん", "で き ず", "た い", "つ も り", "興 味", "受 講", "向 け て"],
    "ko": ["없", "않", "못", "모르", "모릅", "아니", "예정", "준비", "공부", "싶", "계획"],
}  # fmt: skip
# Sequences that begin with a cue but do not negate: "not only", "不错" (good), "不断" (constantly).
_NOT_CUES = ["not only", "no doubt", "no matter", "no solo", "nao so", "nicht nur", "non seulement",
             "nie tylko", "不 错", "不 断", "不 少", "不 仅", "不 同", "不 但", "不 过", "无 论", "不 管",
             "无 缝", "无 论", "还 没 有 人"]  # fmt: skip
_CONTRAST = ["but", "however", "although", "though", "yet", "aber", "jedoch", "sondern", "pero", "sino",
             "mas", "mais", "ale", "ama", "fakat", "ancak", "但", "但 是", "不 过", "然 而", "し か し",
             "で も", "하지만", "그러나", "maar", "ma", "pourtant", "embora", "porem", "cependant",
             "dennoch", "now", "现 在", "而"]  # fmt: skip
DEFAULT_CUE_LANGUAGES = ("en", "zh")


def negation_cues(languages: Iterable[str] = ()) -> tuple[list[str], list[str], list[str]]:
    """(cues before a keyword, cues after it, sequences that look like a cue but are not) for
    ``languages`` (English and Chinese when none)."""
    langs = tuple(languages) or DEFAULT_CUE_LANGUAGES
    before = [c for lang in langs for c in _BEFORE.get(lang, [])]
    after = [c for lang in langs for c in _AFTER.get(lang, [])]
    return list(dict.fromkeys(before)), list(dict.fromkeys(after)), list(_NOT_CUES)


def contrast_words() -> list[str]:
    """Words that end a negation's reach: "no PMP, but Jira daily"."""
    return list(_CONTRAST)


# What may follow a Korean keyword inside one spaced word: particles and the endings of 하다
# verbs (관리를, 관리에서, 관리했습니다), judged by the syllable right after the keyword.
KOREAN_ENDINGS = frozenset("을를이가은는의에로으와과도만까부께한랑처보하했해합된되들며면서적별")


def hangul_vowel_typo(word: str, token: str) -> bool:
    """Whether ``token`` starts with ``word`` (three syllables or more) but for one syllable whose
    vowel alone differs (리더쉽 for 리더십, 로드멥 for 로드맵), then ends or goes on with a
    particle or ending."""
    n = len(word)
    if n < 3 or len(token) < n or (len(token) > n and token[n] not in KOREAN_ENDINGS):
        return False
    diff = [(a, b) for a, b in zip(word, token[:n], strict=True) if a != b]
    if len(diff) != 1:
        return False
    a, b = (ord(c) - 0xAC00 for c in diff[0])
    if not (0 <= a < 11172 and 0 <= b < 11172):
        return False
    return a // 588 == b // 588 and a % 28 == b % 28


@cache
def chinese_words() -> dict[str, float]:
    """wordfreq's Chinese word list (word -> frequency): what ``core/draft.py`` cuts a posting's
    Chinese text into words with, since Chinese is written without spaces."""
    from wordfreq import get_frequency_dict

    words: dict[str, float] = get_frequency_dict("zh", wordlist="best")
    return words
