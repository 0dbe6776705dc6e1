"""Reading the first worksheet of an XLSX workbook into the table.
Each cell becomes the text the sheet shows (a date without a time part as a date); a row with a
value beyond the header's columns is rejected, and a workbook that is damaged or encrypted is
refused in one sentence. A workbook that would unpack to more than the limits (``limits``: a ZIP
bomb) is refused from its ZIP directory, before anything is unpacked. A formula cell the workbook
holds no saved result for is read as blank, with a note naming it. openpyxl is imported only
when a workbook is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import pandas as pd

from screener.core.errors import InputError
from screener.core.escape import visible
from screener.data.load.limits import BLOCK_BYTES, XLSX_RATIO_FROM, max_xlsx_bytes, max_xlsx_ratio, size_words
from screener.data.load.table import (
    LoadReport,
    RejectedRow,
    clean_headers,
    detect_provider,
    make_frame,
    plural,
    scalar_text,
    too_long_reason,
)

# A formula element (<f>, or with a namespace prefix), found in the raw XML before it is parsed.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def load_xlsx(
    source: Path | IO[bytes], name: str, cap: int, encoding: str | None
) -> tuple[pd.DataFrame, LoadReport]:
    from openpyxl import load_workbook  # imported lazily: slow to import, only XLSX needs it

    report = LoadReport(name, "xlsx")
    if encoding is not None:
        report.notes.append("ignored the given encoding: an XLSX workbook carries its own")
    try:
        with warnings.catch_warnings(), _opened(source) as fh:
            warnings.simplefilter("ignore", UserWarning)
            _check_unpacked_size(fh, name)
            workbook = load_workbook(fh, read_only=True, data_only=True)
            try:
                blank_formulas = _formulas_without_result(fh, workbook.worksheets[:1])
                frame = _read_worksheet(workbook, name, report, cap, blank_formulas)
            finally:
                workbook.close()
    except InputError:
        raise
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(
            f"{name} is not a readable XLSX workbook (damaged or encrypted): "
            f"{type(err).__name__}: {err}."
        ) from None
    report.rows = len(frame)
    report.provider = detect_provider(report.columns)
    return frame, report


@contextlib.contextmanager
def _opened(source: Path | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(source, Path):
        with source.open("rb") as fh:
            yield fh
    else:
        yield source


def _check_unpacked_size(fh: IO[bytes], name: str) -> None:
    """Refuse, from the ZIP directory alone, a workbook whose parts unpack to more than the
    limits (``limits``). Reading a part stops at the size the directory gives (zipfile checks
    it), so the directory cannot understate what is unpacked later."""
    limit, ratio = max_xlsx_bytes(), max_xlsx_ratio()
    with zipfile.ZipFile(fh) as zf:
        parts = zf.infolist()
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > XLSX_RATIO_FROM and part.file_size > ratio * max(part.compress_size, 1):
            raise InputError(
                f"{name} is not a usable XLSX workbook: its part '{visible(part.filename)}' unpacks from "
                f"{part.compress_size:,} to {part.file_size:,} bytes, more than {ratio} times its size "
                "(SCREENER_MAX_XLSX_RATIO), which no spreadsheet writes; save the export again from the form.")
    if total > limit:
        raise InputError(
            f"{name} unpacks to {total:,} bytes, more than {size_words(limit)} (SCREENER_MAX_XLSX_BYTES); "
            "check that it is the export, or raise the limit.")


def _formulas_without_result(fh: IO[bytes], sheets: list[Any]) -> set[tuple[int, int]]:
    """The (row, column) of each formula cell of the first worksheet that holds no saved result
    (a workbook written by a program and never opened in a spreadsheet): openpyxl reads those
    as blank, like empty cells. The XML is parsed for this only when it holds a formula."""
    path = getattr(sheets[0], "_worksheet_path", None) if sheets else None
    if not isinstance(path, str):
        return set()
    with zipfile.ZipFile(fh) as zf:
        with zf.open(path) as part:
            tail = b""
            while block := part.read(BLOCK_BYTES):
                if _FORMULA_TAG.search(tail + block):
                    break
                tail = block[-64:]
            else:
                return set()
        with zf.open(path) as part:
            return _cells_without_result(part)


def _cells_without_result(part: IO[bytes]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    row = column = 0
    for event, element in ElementTree.iterparse(part, events=("start", "end")):
        tag = element.tag.rpartition("}")[2]
        if event == "start":
            if tag == "row":
                row = int(element.get("r") or row + 1)
                column = 0
            continue
        if tag == "c":
            ref = element.get("r")
            where = _coordinate(ref) if ref else None
            row, column = where if where else (row, column + 1)
            children = {child.tag.rpartition("}")[2]: child for child in element}
            value = children.get("v")
            if "f" in children and (value is None or (not value.text and element.get("t") not in ("str", "inlineStr"))):
                found.add((row, column))
            element.clear()
        elif tag == "row":
            element.clear()
    return found


def _coordinate(ref: str) -> tuple[int, int] | None:
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        return coordinate_to_tuple(ref)
    except (ValueError, TypeError):
        return None


def _fit_to_header(values: list[str], ncols: int) -> str | None:
    """Pad or trim a row's ``values`` (in place) to the header's ``ncols`` columns; why the row is
    rejected instead when it has a value beyond them."""
    if len(values) > ncols:
        extra = [i for i in range(ncols, len(values)) if values[i]]
        if extra:
            from openpyxl.utils import get_column_letter

            return (f"has a value in column {get_column_letter(extra[0] + 1)}, beyond the "
                    f"header's {plural(ncols, 'column')}")
        del values[ncols:]
    elif len(values) < ncols:
        values.extend([""] * (ncols - len(values)))
    return None


def _read_worksheet(workbook: Any, name: str, report: LoadReport, cap: int,
                    blank_formulas: set[tuple[int, int]]) -> pd.DataFrame:
    sheets = workbook.worksheets
    if not sheets:
        raise InputError(f"{name} has no worksheets.")
    sheet = sheets[0]
    report.sheet = sheet.title
    if len(sheets) > 1:
        others = ", ".join(f"'{s.title}'" for s in sheets[1:])
        report.notes.append(f"read the first worksheet '{sheet.title}'; the workbook also has {others}")
    # The dimension stored in the file can be wrong; without this, cells beyond it are dropped.
    sheet.reset_dimensions()

    header: list[str] | None = None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    line_numbers: list[int] = []
    ncols = 0
    empty = 0
    record = 0
    header_row = 0
    for sheet_row, cells in enumerate(sheet.iter_rows(), start=1):
        values = [
            _xlsx_cell(c.value, c.number_format if isinstance(c.value, dt.datetime) else None)
            for c in cells
        ]
        if not any(values):
            if header is not None:
                empty += 1
            continue
        if header is None:
            header = values
            header_row = sheet_row
            ncols = len(header)
            continue
        record += 1
        why = _fit_to_header(values, ncols)
        if why is None and any(len(v) > cap for v in values):
            why = too_long_reason(values, header, cap)
        if why is not None:
            report.rejected.append(RejectedRow(sheet_row, why, tuple(values)))
            continue
        rows.append(values)
        row_numbers.append(record)
        line_numbers.append(sheet_row)
    if header is None:
        raise InputError(f"{name} is empty (its first worksheet '{sheet.title}' has no values).")
    # Formatted but blank cells at the end of the header row are not columns, unless some
    # row has a value under them.
    while ncols and not header[ncols - 1].strip() and not any(r[ncols - 1] for r in rows):
        ncols -= 1
    if ncols < len(header):
        header = header[:ncols]
        for values in rows:
            del values[ncols:]
    columns = clean_headers(header, report.notes)
    if blank_formulas:
        report.notes.append(_formulas_note(blank_formulas, header_row, columns))
    if empty:
        report.notes.append(f"skipped {plural(empty, 'empty row')}")
    report.columns = columns
    return make_frame(rows, columns, row_numbers, line_numbers)


def _formulas_note(cells: set[tuple[int, int]], header_row: int, columns: list[str]) -> str:
    """The note naming each formula cell read as blank for want of a saved result."""
    from openpyxl.utils import get_column_letter

    named = []
    for row, column in sorted(cells):
        under = f" ('{columns[column - 1]}')" if row > header_row and column <= len(columns) else ""
        named.append(f"{get_column_letter(column)}{row}{under}")
    shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
    one = len(cells) == 1
    return (f"{plural(len(cells), 'formula cell')} {'has' if one else 'have'} no saved result and "
            f"{'was' if one else 'were'} read as blank: {shown}; open the workbook in a spreadsheet and save it "
            "to keep the results")


def _xlsx_cell(value: Any, number_format: str | None) -> str:
    text = scalar_text(value)
    if text is not None:
        return text
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value += dt.timedelta(seconds=1)
        value = value.replace(microsecond=0, tzinfo=None)
        if number_format and value.time() == dt.time(0) and not _has_time_part(number_format):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _has_time_part(number_format: str) -> bool:
    # Excel stores dates as datetimes; the cell's format says whether a time was shown.
    unquoted = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format).lower()
    return "h" in unquoted or "s" in unquoted
