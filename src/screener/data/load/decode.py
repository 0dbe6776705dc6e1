"""Turning an export's bytes into text, and saying which codec was used and whether it was guessed.
The codec comes from ``--encoding``, a byte-order mark, BOM-less UTF-16, or strict UTF-8; failing
those, a file that is UTF-8 but for some lines has those lines decoded on their own, and anything
else is guessed (cp1252 unless the text is clearly not Latin, then charset-normalizer). The same
rules decide whether ``load_export_chunks`` may decode a CSV a window at a time.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from screener.core.errors import InputError
from screener.data.load.sniff import BOMS, blank, refuse_binary, utf16_without_bom
from screener.data.load.table import number_list

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{4,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Codecs charset-normalizer may answer that are plausible for a form export. Anything else
# (mac_*, EBCDIC, DOS code pages, ...) is almost always a misdetection of short Latin text.
_SENSIBLE_GUESSES = frozenset(
    [f"cp{n}" for n in range(1250, 1259)]
    + [f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 7, 9, 10, 13, 14, 15, 16)]
    + ["koi8-r", "koi8-u", "cp874", "tis-620"]
    + ["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "cp936"]
    + ["shift_jis", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp949", "iso2022_kr"]
    + ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)


def decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str, bool, list[str]]:
    """Return (text, codec, guessed, notes); text has no leading BOM."""
    notes: list[str] = []
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"Unknown encoding {encoding!r} given for {name}.") from None
        text = _strict_decode(data, codec, name)
        if text.startswith("\ufeff"):
            text = text[1:]
        elif data.startswith(codecs.BOM_UTF8) and codec not in ("utf-8", "utf-8-sig"):
            notes.append(
                f"the file starts with a UTF-8 byte-order mark but was decoded as {codec} "
                "because an encoding was given"
            )
        return text, codec, False, notes

    for bom, codec, _ in BOMS:
        if data.startswith(bom):
            return _strict_decode(data, codec, name).lstrip("\ufeff"), codec, False, notes

    utf16 = utf16_without_bom(data[:4096])
    if utf16:
        text = _strict_decode(data, utf16, name)
        notes.append(f"decoded as {utf16} (guessed); pass --encoding to override")
        return text, utf16, True, notes

    try:
        return data.decode("utf-8"), "utf-8", False, notes
    except UnicodeDecodeError as err:
        bad_line = _line_of_offset(data, err.start, "utf-8")

    mixed = _decode_mixed(data, name, notes)
    if mixed is not None:
        return mixed
    guess = _guess_codec(data)
    if guess is None:
        raise InputError(
            f"{name} is not UTF-8 (the first bad byte is on line {bad_line}) and its encoding "
            "could not be guessed; pass --encoding."
        )
    codec, text = guess
    notes.append(f"decoded as {codec} (guessed); pass --encoding to override")
    return text, codec, True, notes


def _decode_mixed(data: bytes, name: str, notes: list[str]) -> tuple[str, str, bool, list[str]] | None:
    """Decode a file that is UTF-8 except for some lines (a row pasted from an old spreadsheet).

    Decoding it all in a guessed codec would garble every UTF-8 line ("Müller" -> "MÃ¼ller"),
    so each line is decoded on its own, and the lines that are not UTF-8 are named in a note.
    Returns None when the file is not mixed.
    """
    lines = data.split(b"\n")
    utf8_lines = 0
    other: list[int] = []
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8_lines += 1
    if not utf8_lines or not other:
        return None
    guess = _guess_codec(b"\n".join(lines[i] for i in other))
    if guess is None:
        first = other[0] + 1
        raise InputError(
            f"{name} is UTF-8 except for some lines (the first is line {first}) whose encoding could "
            "not be guessed; save the file as UTF-8."
        )
    codec = guess[0]
    odd = set(other)
    texts = [_strict_decode(line, codec, name) if number in odd else line.decode("utf-8")
             for number, line in enumerate(lines)]
    shown = number_list([i + 1 for i in other])
    lines_word = "line" if len(other) == 1 else "lines"
    notes.append(
        f"{lines_word} {shown} {'is' if len(other) == 1 else 'are'} not UTF-8 like the rest of the file; "
        f"read {'it' if len(other) == 1 else 'them'} as {codec} (guessed); check "
        f"{'it' if len(other) == 1 else 'them'}, or save the file as UTF-8"
    )
    return "\n".join(texts), f"utf-8+{codec}", True, notes


def _strict_decode(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = _line_of_offset(data, err.start, codec)
        raise InputError(
            f"{name} cannot be decoded as {codec}: byte 0x{data[err.start]:02x} on line {line} "
            "is invalid; pass the right --encoding."
        ) from None
    except (UnicodeError, LookupError) as err:
        raise InputError(f"{name} cannot be decoded as {codec}: {err}.") from None


def _line_of_offset(data: bytes, offset: int, codec: str) -> int:
    prefix = data[:offset].decode(codec, errors="replace")
    if "\n" not in prefix and "\r" in prefix:
        return prefix.count("\r") + 1
    return prefix.count("\n") + 1


def _guess_codec(data: bytes) -> tuple[str, str] | None:
    """Guess (codec, text) for non-UTF-8 bytes: cp1252 unless the text is clearly not Latin."""
    try:
        as_cp1252: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    if as_cp1252 is not None and not _looks_non_latin(as_cp1252):
        return "cp1252", as_cp1252

    from charset_normalizer import from_bytes  # imported lazily: only the guessing path needs it

    best = from_bytes(data).best()
    guess = None
    if best is not None:
        try:
            guess = codecs.lookup(best.encoding).name
        except LookupError:
            guess = None
    if guess in _SENSIBLE_GUESSES and guess != "cp1252":
        try:
            return guess, data.decode(guess)
        except UnicodeDecodeError:
            pass
    return ("cp1252", as_cp1252) if as_cp1252 is not None else None


def _looks_non_latin(text: str) -> bool:
    """True when non-ASCII characters come in long runs, as CJK or Cyrillic bytes do in cp1252.

    Western text has its accented letters alone or in pairs between ASCII letters ("Müller",
    "Größe"); GBK or cp1251 text read as cp1252 turns every word into a run like "ÖÐÎÄ".
    """
    sample = text[:200_000]
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii < 8:
        return False
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(sample))
    return in_runs > non_ascii // 2


def leading_boms(head: bytes, encoding: str | None, codec: str) -> int:
    """Bytes of byte-order marks at the top that ``load_export`` drops: all of them when it found
    the encoding itself, else one (two for an explicit utf-8-sig, which drops one itself)."""
    n = 0
    while head.startswith(codecs.BOM_UTF8, 3 * n):
        n += 1
    return 3 * (n if encoding is None else min(n, 2 if codec == "utf-8-sig" else 1))


def streamable_codec(p: Path, name: str, head: bytes, fmt: str, encoding: str | None,
                     window_bytes: int) -> tuple[str | None, str, str]:
    """The codec name ``load_export`` would report when the file can be read in windows: a CSV
    larger than a window, in UTF-8 from end to end (checked first, a block at a time), with an
    even number of quote characters. An odd number means a quote is never closed, and reading
    in windows would carry the rest of the file from one window to the next: such a file is
    read whole, as before. Returns (codec, "", SHA-256 of the bytes read for the check) or
    (None, why it must be read whole, "")."""
    if fmt != "csv":
        return None, f"it is {fmt.upper()}, not CSV", ""
    if blank(head):
        return None, "it starts with blank space", ""
    not_utf8 = (None, "it is not UTF-8", "")
    if utf16_without_bom(head) or any(head.startswith(bom) for bom, bom_codec, _ in BOMS if bom_codec != "utf-8-sig"):
        return not_utf8
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            return not_utf8
        if codec not in ("utf-8", "utf-8-sig"):
            return not_utf8
    else:
        codec = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    refuse_binary(head, name, fmt)
    try:
        if p.stat().st_size <= window_bytes:
            return None, "it is small", ""
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        quotes = 0
        digest = hashlib.sha256()  # the audit log records it: the file need not be read again for it
        with p.open("rb") as handle:
            while block := handle.read(16 * 1024 * 1024):
                decoder.decode(block)
                digest.update(block)
                quotes += block.count(b'"')  # the byte 0x22 occurs in UTF-8 only as the quote
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return not_utf8  # load_export decides (mixed or guessed encodings) and words any error
    if quotes % 2:
        return None, "a quote in it is never closed", ""
    return codec, "", digest.hexdigest()
