"""Write result tables to files or stdout: CSV, JSON, JSON Lines, Markdown and XLSX.

Every file is written atomically (a temporary file in the same folder, fsync, rename), so an
interrupted run leaves the previous file intact, and created 0600 because it holds applicant
data. No text cell bound for a spreadsheet can act as a formula: CSV has only the text, so one
that could gets a leading ``'`` (``escape.neutralize``); XLSX keeps the exact text in a string
cell, marked with the cell's own quote-prefix style. JSON is written raw.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from screener.core.errors import OutputError
from screener.core.escape import (
    csv_safe,
    formula_like,
    has_xlsx_controls,
    may_trigger,
    md_cell,
    neutralize,
    visible,
    xlsx_safe,
)

FORMATS = ("csv", "json", "jsonl", "md", "xlsx")

_FIXED_TIME = datetime(2020, 1, 1)


def _csv_cells(series: pd.Series, marks: list[int] | None = None) -> list[str]:
    """A column as CSV fields: missing values empty, numbers in their shortest exact form, text
    formula-neutralised and quoted where RFC 4180 needs it. Whole-column tests run in C on the
    joined text, so the usual column (evidence, statuses, ids) is not looked at cell by cell."""
    if pd.api.types.is_bool_dtype(series):
        return ["True" if v else "False" for v in series.tolist()]
    if pd.api.types.is_integer_dtype(series) and not series.hasnans:
        return series.to_numpy().astype(str).tolist()
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=float)
        if np.signbit(values[values == 0]).any():  # factorize would merge -0.0 into 0.0
            return np.where(np.isnan(values), "", values.astype(str)).tolist()
        # Points repeat (a criterion has a few possible values): each distinct one formatted once.
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        return np.append(distinct.astype(str).astype(object), "")[codes].tolist()
    values = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # all str, checked in C
        cells = values.tolist()
    else:
        cells = [v if type(v) is str else _cell_text(v) for v in values.tolist()]
    joined = "\x01" + "\x01".join(cells)
    if "\x00" in joined:  # a NUL cuts a spreadsheet cell short: written as ␀ (escape.csv_safe)
        if marks is not None:  # counted for the note on stderr (``render_csv_chunks``)
            marks[0] += sum("\x00" in c for c in cells)
        cells = [csv_safe(c) for c in cells]
        joined = "\x01" + "\x01".join(cells)
    if may_trigger(joined):
        cells = [neutralize(c) for c in cells]
        joined = "\x01".join(cells)
    if _CSV_SPECIAL.search(joined) is None:
        return cells
    if '"' not in joined and "\r" not in joined and "\n" not in joined:  # commas only: the usual evidence
        return ['"' + c + '"' if "," in c else c for c in cells]
    return ['"' + c.replace('"', '""') + '"' if "," in c or '"' in c or "\n" in c or "\r" in c else c
            for c in cells]


def _cell_text(value: Any) -> str:
    value = _plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


_CSV_SPECIAL = re.compile('[,"\r\n]')


def _plain(value: Any) -> Any:
    """numpy scalars -> Python, so json can write them."""
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts; ``crit.points`` style columns nest under ``criteria``."""
    columns = list(frame.columns)
    flat = [c for c in columns if "." not in c]
    nested = [c for c in columns if "." in c]
    out = []
    for values in frame.itertuples(index=False, name=None):
        row = dict(zip(columns, values, strict=True))
        record: dict[str, Any] = {c: _plain(row[c]) for c in flat}
        if nested:
            crit: dict[str, dict[str, Any]] = {}
            for c in nested:
                head, _, tail = c.partition(".")
                crit.setdefault(head, {})[tail] = _plain(row[c])
            record["criteria"] = crit
        out.append(record)
    return out


def render_csv(frame: pd.DataFrame, *, bom: bool) -> bytes:
    return b"".join(render_csv_chunks(frame, bom=bom))


# Rows rendered at a time: the text of a million-row table never exists whole in memory.
CSV_CHUNK_ROWS = 20_000


def render_csv_chunks(frame: pd.DataFrame, *, bom: bool, marks: list[int] | None = None) -> Iterator[bytes]:
    """RFC 4180 CSV with CRLF line ends, every text cell formula-neutralised, in pieces.

    Built column by column and joined in C (``str.join``) rather than through
    ``DataFrame.to_csv``: a 100,000-row result table renders in about a third of the time."""
    yield csv_header(list(frame.columns), bom=bom)
    if not frame.shape[1]:
        return
    for lo in range(0, len(frame), CSV_CHUNK_ROWS):
        lines = csv_rows(frame.iloc[lo : lo + CSV_CHUNK_ROWS], marks)
        if lines:  # the last line end apart: adding it to the joined text would copy all of it
            yield "\r\n".join(lines).encode("utf-8")
            yield b"\r\n"


def csv_header(columns: list[str], *, bom: bool) -> bytes:
    """The header line of a CSV output, with the byte-order mark Excel needs to read UTF-8."""
    cells = _csv_cells(pd.Series([str(c) for c in columns], dtype=object))
    return ("\ufeff" if bom else "").encode() + (",".join(cells) + "\r\n").encode("utf-8")


def csv_rows(frame: pd.DataFrame, marks: list[int] | None = None) -> list[str]:
    """Each row of ``frame`` as CSV text without its line end (see ``render_csv_chunks``)."""
    columns = [_csv_cells(frame.iloc[:, i], marks) for i in range(frame.shape[1])]
    return list(map(",".join, zip(*columns, strict=True))) if columns else []


def render_json(frame: pd.DataFrame) -> bytes:
    return (json.dumps(records(frame), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_jsonl(frame: pd.DataFrame) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False) for r in records(frame)]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _md_table(frame: pd.DataFrame) -> list[str]:
    header = "| " + " | ".join(md_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(md_cell(_plain(v)) for v in values) + " |"
            for values in frame.itertuples(index=False, name=None)]
    return [header, rule, *rows]


def render_md(frame: pd.DataFrame, title: str = "Applicants") -> bytes:
    flat = [c for c in frame.columns if "." not in c]
    detail_ids = sorted({c.partition(".")[0] for c in frame.columns if "." in c},
                        key=lambda c: list(frame.columns).index(f"{c}.points")
                        if f"{c}.points" in frame.columns else 0)
    lines = [f"# {md_cell(title)}", "", *_md_table(frame[flat])]
    if detail_ids:
        lines += ["", "## Criteria by applicant", ""]
        for values in frame.itertuples(index=False, name=None):
            row = dict(zip(frame.columns, values, strict=True))
            who = row.get("id", "")
            lines.append(f"### {md_cell(row.get('rank', ''))}. {md_cell(who)}")
            lines.append("")
            for cid in detail_ids:
                pts = _plain(row.get(f"{cid}.points", ""))
                status = row.get(f"{cid}.status", "")
                evidence = row.get(f"{cid}.evidence", "")
                lines.append(f"- **{md_cell(cid)}** {md_cell(pts)} ({md_cell(status)}): "
                             f"{md_cell(evidence)}")
            lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


# Excel's limit for one cell, counted in UTF-16 code units; XlsxWriter would cut longer text
# silently.
XLSX_CELL_MAX = 32_767

# The columns a reader of the sheet wants first, whichever of them the table has: who, how they
# scored, why they are left out, and what a person decided or adjusted. The rest keep their order.
# Only the XLSX writer moves columns; CSV, JSON and Markdown keep the table's own order.
XLSX_LEAD = ("rank", "id", "name", "email", "phone", "score", "adjusted_score", "bucket", "left_out_because",
             "decision", "decision_note", "decided_at", "adjustment", "adjustment_note", "adjusted_by",
             "adjusted_at")
# Column widths in Excel's units (characters of the default font): measured from the header and
# at most XLSX_SAMPLE_ROWS rows spread over the table, so a 100,000-row table costs what a
# 2,000-row one does. A column of prose wider than XLSX_MAX_WIDTH wraps at XLSX_WRAP_WIDTH.
XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 50
XLSX_WRAP_WIDTH = 60
XLSX_SAMPLE_ROWS = 2_000

# Characters a spreadsheet draws two columns wide: CJK ideographs, kana, hangul, full-width forms
# and the common emoji blocks (Unicode East Asian Width W and F).
_WIDE = re.compile("[\u1100-\u115f\u231a\u231b\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f"
                   "\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff"
                   "\U00020000-\U0003fffd]")
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def xlsx_text(value: str) -> str:
    """A text cell for XLSX: the exact text, but the C0 controls XLSX cannot hold written as
    their control pictures (``escape.xlsx_safe``), and cut to Excel's cell limit with a note
    saying so (the CSV and JSON outputs keep the whole text).

    Never prefixed with ``'``: the writer stores every text as a string cell, and gives one a
    spreadsheet could take for a formula the cell's own quote-prefix style (``render_xlsx``)."""
    text = xlsx_safe(value)
    if len(text) <= XLSX_CELL_MAX // 2 or _utf16_len(text) <= XLSX_CELL_MAX:
        return text
    marker = f" … [cut: {len(value):,} characters in all; the CSV and JSON outputs hold the whole text]"
    room = XLSX_CELL_MAX - _utf16_len(marker)
    kept = text[:room]
    while (excess := _utf16_len(kept) - room) > 0:
        kept = kept[:-excess]
    return kept + marker


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a spreadsheet cell: its longest line, a wide (CJK,
    full-width) character counting two."""
    if text.isascii() and "\n" not in text and "\r" not in text:
        return len(text)
    return max(len(line) + len(_WIDE.findall(line)) for line in _LINE_BREAK.split(text))


def xlsx_column_order(columns: list[Any]) -> list[int]:
    """Positions of ``columns`` in the order the XLSX sheet shows them: XLSX_LEAD first."""
    names = [str(c) for c in columns]
    lead = [i for name in XLSX_LEAD for i, c in enumerate(names) if c == name]
    chosen = set(lead)
    return lead + [i for i in range(len(names)) if i not in chosen]


def _xlsx_cells(series: pd.Series) -> list[str]:
    """A text column as XLSX cell texts (``xlsx_text``); missing values empty. Whole-column
    tests run in C on the joined text, so the usual column is not looked at cell by cell."""
    values = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # all str, checked in C
        cells: list[str] = values.tolist()
    else:
        cells = [v if type(v) is str else _cell_text(v) for v in values.tolist()]
    if has_xlsx_controls("\n".join(cells)) or max(map(len, cells), default=0) > XLSX_CELL_MAX // 2:
        cells = [xlsx_text(c) for c in cells]
    return cells


def _sample(count: int) -> list[int]:
    """At most XLSX_SAMPLE_ROWS row positions spread evenly over ``count`` rows, first and last included."""
    if count <= XLSX_SAMPLE_ROWS:
        return list(range(count))
    return sorted(set(np.linspace(0, count - 1, XLSX_SAMPLE_ROWS).astype(int).tolist()))


def _is_prose(cells: list[str]) -> bool:
    """Text that wraps well: a line break, or a cell wider than XLSX_MAX_WIDTH with spaces or
    CJK characters in it (a hash or a long web address does not)."""
    return any(_LINE_BREAK.search(c) is not None
               or (len(c) > XLSX_MAX_WIDTH // 2 and display_width(c) > XLSX_MAX_WIDTH
                   and (" " in c or _WIDE.search(c) is not None))
               for c in cells)


def _width(header: str, cells: list[str]) -> float:
    """A column's width: the widest of the header (with room for the filter button) and the
    sampled cells, between XLSX_MIN_WIDTH and XLSX_MAX_WIDTH."""
    widest = max(display_width(header) + 2, max(map(display_width, cells), default=0))
    return float(min(max(widest + 1, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH))


def render_xlsx(frame: pd.DataFrame, sheet: str = "screener") -> bytes:
    """The table as one worksheet: bold header row, frozen, with filters; identity, score,
    bucket and decision columns first (XLSX_LEAD); widths measured from the content; prose
    wrapped in capped columns. Numbers are number cells. Every text is a string cell holding the
    exact text (never a formula, never an added ``'``); one a spreadsheet could read as a formula
    (``escape.formula_like``) gets the quote-prefix style, the spreadsheet's own mark for "this
    is text", so editing the cell cannot turn it into a formula either."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        # Every cell top-aligned (a row grows with its wrapped cells): the default style, which
        # every other style starts from, so a plain cell needs no style of its own.
        "default_format_properties": {"font_name": "Calibri", "font_size": 11, "valign": "top"},
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    # A fixed creation time keeps the file byte-identical for the same input.
    workbook.set_properties({"created": _FIXED_TIME})
    sheet_obj = workbook.add_worksheet(sheet[:31])
    # Styles by (bold header, wrapped, quote-prefixed); a plain cell has none (None).
    styles = {(bold, wrap, quote): workbook.add_format({"bold": bold, "text_wrap": wrap, "quote_prefix": quote})
              if bold or wrap or quote else None
              for bold in (False, True) for wrap in (False, True) for quote in (False, True)
              if not (bold and wrap)}
    sample = _sample(len(frame))
    for c, position in enumerate(xlsx_column_order(list(frame.columns))):
        series = frame.iloc[:, position]
        header = xlsx_text(str(frame.columns[position]))
        sheet_obj.write_string(0, c, header, styles[(True, False, formula_like(header))])
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            shown = _write_numbers(sheet_obj, c, series.tolist(), styles)
            sheet_obj.set_column(c, c, _width(header, [shown[i] for i in sample]))
            continue
        cells = _xlsx_cells(series)
        picked = [cells[i] for i in sample]
        wrap = _is_prose(picked)
        width = XLSX_WRAP_WIDTH if wrap else _width(header, picked)
        _write_texts(sheet_obj, c, cells, wrap, styles)
        sheet_obj.set_column(c, c, width)
    if len(frame.columns):
        sheet_obj.freeze_panes(1, 0)
        sheet_obj.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    workbook.close()
    return buffer.getvalue()


def _write_numbers(sheet: Any, c: int, values: list[Any], styles: dict[tuple[bool, bool, bool], Any]) -> list[str]:
    """Column ``c`` of number cells (missing ones left empty); each cell's text, for its width."""
    style = styles[(False, False, False)]
    shown = []
    for r, raw in enumerate(values, start=1):
        value = _plain(raw)
        if value is None:
            shown.append("")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(r, c, value, style)
            shown.append(str(value))
        else:
            text = xlsx_text(str(value))
            sheet.write_string(r, c, text, styles[(False, False, formula_like(text))])
            shown.append(text)
    return shown


def _write_texts(sheet: Any, c: int, cells: list[str], wrap: bool,
                 styles: dict[tuple[bool, bool, bool], Any]) -> None:
    """Column ``c`` of string cells (empty ones left out). A column that does not wrap still
    wraps a cell of prose that the sample missed (``_is_prose``)."""
    joined = "\x01" + "\x01".join(cells)
    quoted = may_trigger(joined)
    long = not wrap and (_LINE_BREAK.search(joined) is not None
                         or max(map(len, cells), default=0) > XLSX_MAX_WIDTH // 2)
    write = sheet.write_string
    if not quoted and not long:
        style = styles[(False, wrap, False)]
        for r, text in enumerate(cells, start=1):
            if text:
                write(r, c, text, style)
        return
    for r, text in enumerate(cells, start=1):
        if text:
            prose = wrap or (long and (len(text) > XLSX_MAX_WIDTH // 2 or "\n" in text or "\r" in text)
                             and _is_prose([text]))
            write(r, c, text, styles[(False, prose, quoted and formula_like(text))])


def render(frame: pd.DataFrame, fmt: str, *, to_stdout: bool = False, title: str = "") -> bytes:
    if fmt == "csv":
        # Excel needs the BOM to read UTF-8; a pipe to another tool is better without it.
        return render_csv(frame, bom=not to_stdout)
    if fmt == "json":
        return render_json(frame)
    if fmt == "jsonl":
        return render_jsonl(frame)
    if fmt == "md":
        return render_md(frame, title or "Applicants")
    if fmt == "xlsx":
        return render_xlsx(frame)
    raise OutputError(f"Unknown output format '{fmt}'; choose one of {', '.join(FORMATS)}.")


def render_chunks(frame: pd.DataFrame, fmt: str, *, to_stdout: bool = False, title: str = "",
                  marks: list[int] | None = None) -> Iterable[bytes]:
    """As ``render``, in pieces where the format allows (CSV), for ``write_bytes``; ``marks[0]``
    counts the CSV cells whose NUL is written as a control picture, once they are written."""
    if fmt == "csv":
        return render_csv_chunks(frame, bom=not to_stdout, marks=marks)
    return [render(frame, fmt, to_stdout=to_stdout, title=title)]


def marked_cells(frame: pd.DataFrame, fmt: str) -> int:
    """How many text cells the ``fmt`` writer shows with a control picture instead of what they
    hold: a NUL in CSV, any C0 control but tab, LF and CR in XLSX (``escape.csv_safe``,
    ``escape.xlsx_safe``); 0 for the other formats, which keep the text exact."""
    if fmt not in ("csv", "xlsx"):
        return 0
    found = 0
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        values = column.to_numpy(dtype=object)
        # All text, checked in C (as _csv_cells does): the cells need no look one by one.
        if pd.api.types.infer_dtype(values, skipna=False) == "string":
            cells = values.tolist()
        else:
            cells = [v for v in values.tolist() if type(v) is str]
        if fmt == "csv":
            found += sum("\x00" in c for c in cells) if "\x00" in "".join(cells) else 0
        else:
            found += sum(map(has_xlsx_controls, cells))
    return found


def format_for(path: str, default: str) -> str:
    """The format a file name asks for (``shortlist.xlsx`` -> xlsx), else ``default``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    aliases = {"markdown": "md", "ndjson": "jsonl"}
    suffix = aliases.get(suffix, suffix)
    return suffix if suffix in FORMATS else default


def write_bytes(data: bytes | Iterable[bytes], dest: str, stdout: IO[bytes] | None = None) -> None:
    """Write ``data`` (bytes, or pieces of it) to ``dest`` atomically, or to stdout when ``dest`` is
    ``-``. Stdout that is a terminal gets every control and bidi character made visible (``\\x1b``,
    ``\\u202e``: ``escape.visible``), whatever the format; a pipe gets the bytes as they are."""
    if dest == "-":
        stream = stdout or sys.stdout.buffer
        pieces = _for_terminal(_pieces(data)) if _is_terminal(stream) else _pieces(data)
        for piece in pieces:
            stream.write(piece)
        stream.flush()
        return
    path = Path(dest)
    if path.exists() and not path.is_file() and not path.is_dir():
        # /dev/null, a named pipe, /dev/stdout: write through; renaming over them would be wrong.
        try:
            with path.open("wb") as handle:
                for piece in _pieces(data):
                    handle.write(piece)
        except OSError as err:
            raise OutputError(f"Cannot write {path}: {err.strerror or err}.") from None
        return
    atomic_write(path, data)


def _is_terminal(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _for_terminal(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The output as a terminal may show it: decoded as UTF-8 (bytes that are not, as ``\\xNN``),
    CRLF line ends as LF, and every other control, format or bidi character as a visible escape."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")(errors="backslashreplace")
    carry = ""
    for piece in pieces:
        text = carry + decoder.decode(piece)
        carry = "\r" if text.endswith("\r") else ""  # a CRLF split between two pieces
        text = text[:-1] if carry else text
        yield visible(text.replace("\r\n", "\n"), keep_newlines=True).encode("utf-8")
    rest = carry + decoder.decode(b"", final=True)
    if rest:
        yield visible(rest.replace("\r\n", "\n"), keep_newlines=True).encode("utf-8")


def _pieces(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    return [data] if isinstance(data, bytes | bytearray) else data


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of it) to a temporary file beside ``path``, fsync, rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"Cannot write {path}: it is a folder; give a file name.")
    try:
        make_private_folders(folder)
        with _temporary(folder, path.name) as (fd, tmp):
            with os.fdopen(fd, "wb", closefd=False) as handle:
                for piece in _pieces(data):
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        with contextlib.suppress(OSError):
            fsync_path(folder)  # the rename itself survives a power cut
    except OSError as err:
        reason = err.strerror or str(err)
        raise OutputError(f"Cannot write {path}: {reason}.") from None


def fsync_path(path: Path) -> None:
    """Flush ``path`` (a file, or a folder after a rename in it) to the disk, by its name."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents 0700: they will hold applicant data.

    ``Path.mkdir(parents=True, mode=...)`` applies the mode to the last folder only; the
    parents would get the umask's default (often 0755).
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
            os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask


@contextlib.contextmanager
def _temporary(folder: Path, name: str) -> Iterator[tuple[int, str]]:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        yield fd, tmp
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)
