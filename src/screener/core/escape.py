"""Make untrusted text safe where it leaves the program: terminals and logs, spreadsheets, Markdown.

Applicants typed every cell of an export. Nothing they typed may run as a spreadsheet formula,
restyle or rewrite a terminal, or become markup. Each boundary has one function here, and
nothing else formats untrusted text.
"""

from __future__ import annotations

import re
import unicodedata

# A spreadsheet treats a cell as a formula when it starts with one of these, also after
# leading spaces (LibreOffice, Sheets) and in the full-width forms.
_TRIGGERS = frozenset("=+-@＝＋－＠")
_LEADING_CONTROL = frozenset("\t\r\n\0")


def neutralize(value: str) -> str:
    """Make a text cell inert in Excel, LibreOffice and Google Sheets by prefixing ``'``.

    Idempotent: an already-neutralised cell starts with ``'`` and is left alone.
    """
    if not value:
        return value
    if value[0] in _LEADING_CONTROL:
        return "'" + value
    stripped = value.lstrip()
    if stripped and stripped[0] in _TRIGGERS:
        return "'" + value
    return value


def formula_like(value: str) -> bool:
    """True when a spreadsheet could take ``value`` for a formula: the cells ``neutralize``
    prefixes. The XLSX writer marks these with the cell's own quote-prefix style instead."""
    return neutralize(value) != value


# Characters that str.lstrip() removes: a cell starting with one may hide a trigger after it.
_SPACES = "".join(chr(i) for i in range(0x3001) if chr(i).isspace())
_FIRST_RISKY = re.compile("\x01[" + re.escape("".join(sorted(_TRIGGERS | _LEADING_CONTROL | set(_SPACES)))) + "]")


def may_trigger(joined: str) -> bool:
    """False when no cell of a column can need ``neutralize``. ``joined`` is the column as
    ``"\\x01" + "\\x01".join(cells)``: U+0001 is neither a space nor a trigger, so a risky
    first character shows up right after one, and a regular expression finds it in C. A cell
    holding U+0001 itself can only make this say True, never hide a trigger."""
    return _FIRST_RISKY.search(joined) is not None


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False, limit: int | None = None) -> str:
    """Control and format characters (ESC, C1 such as 0x9b, NUL, bidi overrides, zero-width
    marks) become visible escapes like ``\\x1b`` and ``\\u202e``; nothing stays that a
    terminal would act on.

    Unless ``keep_newlines``, CR and LF are escaped too, so the result is one line: the form
    for log files, where a value with a line break could forge an entry."""
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_escape_char(char))
        else:
            out.append(char)
    result = "".join(out)
    if limit is not None and len(result) > limit:
        result = result[: max(limit - 1, 0)] + "…"
    return result


# A NUL in a spreadsheet cell cuts the text there (Excel, LibreOffice); XLSX cannot hold the
# other C0 controls either (XML 1.0 forbids them; XlsxWriter writes _x001B_, which Excel turns
# back into the raw character). They are written as their Unicode control pictures: NUL as ␀.
NUL_MARKER = "\u2400"
_XLSX_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_safe(text: str) -> str:
    """``text`` for a CSV cell: exact, but a NUL written as ␀ (spreadsheets cut the cell at it)."""
    return text.replace("\x00", NUL_MARKER) if "\x00" in text else text


def xlsx_safe(text: str) -> str:
    """``text`` for an XLSX cell: the C0 controls XLSX cannot hold (all but tab, LF and CR) as
    their control pictures (NUL ␀, ESC ␛, BEL ␇)."""
    return _XLSX_CONTROLS.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def has_xlsx_controls(text: str) -> bool:
    return _XLSX_CONTROLS.search(text) is not None


def md_cell(value: object) -> str:
    """Text that stays one cell of a Markdown table and renders no markup or HTML."""
    text = visible("" if value is None else str(value), keep_newlines=True)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char, escaped in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"),
                          ("|", "\\|"), ("`", "\\`"), ("*", "\\*"), ("_", "\\_"),
                          ("[", "\\["), ("]", "\\]"), ("#", "\\#")):
        text = text.replace(char, escaped)
    return text.replace("\n", "<br>")
