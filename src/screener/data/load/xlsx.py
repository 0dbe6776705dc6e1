"""Reading the first worksheet of an XLSX workbook into the table.
Each cell becomes the text the sheet shows (a date without a time part as a date); a row with a
value beyond the header's columns is rejected, and a workbook that is damaged or encrypted is
refused in one sentence. openpyxl is imported only when a workbook is read.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from screener.core.errors import InputError
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


def load_xlsx(
    p: Path, name: str, cap: int, encoding: str | None
) -> tuple[pd.DataFrame, LoadReport]:
    from openpyxl import load_workbook  # imported lazily: slow to import, only XLSX needs it

    report = LoadReport(name, "xlsx")
    if encoding is not None:
        report.notes.append("ignored the given encoding: an XLSX workbook carries its own")
    try:
        with warnings.catch_warnings(), p.open("rb") as fh:
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(fh, read_only=True, data_only=True)
            try:
                frame = _read_worksheet(workbook, name, report, cap)
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


def _read_worksheet(workbook: Any, name: str, report: LoadReport, cap: int) -> pd.DataFrame:
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
    if empty:
        report.notes.append(f"skipped {plural(empty, 'empty row')}")
    report.columns = columns
    return make_frame(rows, columns, row_numbers, line_numbers)


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
