"""Issue 15, files that open well in a spreadsheet: the XLSX outputs.

An XLSX cell holds the exact text as a string cell (a formula-like one marked with the cell's
own quote-prefix style, never a leading ``'``), no cell is ever a formula, identity, score,
bucket, decision and adjustment columns come first, widths are measured from the content
(CJK counting double) and prose wraps in capped columns. The CLI writes real files from the
sample and the hostile fixtures; they are read back with openpyxl and, for the exact text, by
decoding the sheet's XML as the format defines it (openpyxl leaves ``_x000D_`` encoded and drops
any ``x005F_``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from conftest import DATA, RUBRIC, SAMPLE, cli
from screener.core.escape import formula_like, neutralize, xlsx_safe
from screener.data.write import (
    XLSX_MAX_WIDTH,
    XLSX_MIN_WIDTH,
    XLSX_SAMPLE_ROWS,
    XLSX_WRAP_WIDTH,
    _sample,
    render_xlsx,
    xlsx_column_order,
    xlsx_text,
)

HOSTILE = DATA / "hostile"
MINIMAL = DATA / "rubrics" / "minimal.yaml"
MINIMAL_HEADER = ["Ref", "Name", "Email", "Years", "Letter", "Degree", "Subject", "Certs", "Remote"]
LEAD = ["rank", "id", "name", "email", "phone", "score", "bucket"]
STORE_LEAD = ["rank", "id", "name", "email", "phone", "score", "adjusted_score", "bucket", "decision",
              "decision_note", "decided_at", "adjustment", "adjustment_note", "adjusted_by", "adjusted_at"]

# ------------------------------------------------------------------------------------------------
# Reading an XLSX back


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _decode(text: str) -> str:
    """ECMA-376 ST_Xstring: ``_xHHHH_`` is the character HHHH (``_x005F_`` a literal underscore)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    index = 0
    for char in letters.group():
        index = index * 26 + ord(char) - 64
    return index - 1


def raw_grid(path: Path) -> list[list[Any]]:
    """Every row of the first sheet as Excel reads the XML: strings decoded, numbers as floats,
    empty cells as "". Fails if any cell holds a formula or an inline string."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in sheets:
            assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name
        strings = []
        if "xl/sharedStrings.xml" in names:
            table = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            strings = [_decode("".join(t.text or "" for t in si.iter(f"{_MAIN}t"))) for si in table]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    assert sheet.find(f".//{_MAIN}f") is None
    rows: list[dict[int, Any]] = []
    for row in sheet.iter(f"{_MAIN}row"):
        cells: dict[int, Any] = {}
        for cell in row.iter(f"{_MAIN}c"):
            kind, value = cell.get("t"), cell.find(f"{_MAIN}v")
            assert kind in (None, "n", "s"), cell.attrib  # no formula, inline or error cells
            if value is None or value.text is None:
                continue
            cells[_column(cell.get("r", ""))] = strings[int(value.text)] if kind == "s" else float(value.text)
        rows.append(cells)
    width = max((max(r) + 1 for r in rows if r), default=0)
    return [[r.get(i, "") for i in range(width)] for r in rows]


def widths(sheet: Any) -> dict[int, float]:
    """Column widths by 0-based column (openpyxl keeps a run of equal columns as one entry)."""
    found = {}
    for dim in sheet.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            found[i - 1] = float(dim.width)
    return found


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def assert_spreadsheet_layout(path: Path) -> tuple[list[Any], list[list[Any]]]:
    """What every XLSX output holds: a bold frozen header with filters over the table, every
    column measured, no formula, and every formula-like text quote-prefixed as a string cell."""
    grid = raw_grid(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = grid[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(grid)}"
    assert all(cell.font.b for cell in sheet[1])
    measured = widths(sheet)
    assert sorted(measured) == list(range(len(header)))
    assert all(XLSX_MIN_WIDTH <= w <= XLSX_WRAP_WIDTH + 1 for w in measured.values()), measured
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                text = grid[cell.row - 1][cell.column - 1]
                assert cell.quotePrefix == formula_like(text), (cell.coordinate, text)
    return header, grid[1:]


# ------------------------------------------------------------------------------------------------
# The sample: what the user saw


def test_score_sample_xlsx_reads_well_and_holds_what_the_csv_holds(tmp_path: Path) -> None:
    out, csv_out = tmp_path / "out.xlsx", tmp_path / "out.csv"
    for path in (out, csv_out):
        run = cli("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "-o", path)
        assert run.code == 0, run.stderr
    header, rows = assert_spreadsheet_layout(out)
    csv_rows = read_csv(csv_out)
    assert len(rows) == len(csv_rows) - 1 == 1200
    # Who, how they scored and their bucket first; every other column in the CSV's order.
    assert header[: len(LEAD)] == LEAD
    assert header[len(LEAD):] == [c for c in csv_rows[0] if c not in LEAD]
    # Every cell: the CSV's text without the apostrophe CSV needs; numbers as numbers.
    where = [csv_rows[0].index(c) for c in header]
    for got, want in zip(rows, csv_rows[1:], strict=True):
        for value, i in zip(got, where, strict=True):
            if isinstance(value, float):
                assert value == float(want[i])
            else:
                assert neutralize(value) == want[i], (csv_rows[0][i], value, want[i])
    scott = next(r for r in rows if r[header.index("id")] == "173")
    assert scott[header.index("phone")] == "+1 (773) 555-9144"
    assert next(r for r in csv_rows if r[1] == "173")[csv_rows[0].index("phone")] == "'+1 (773) 555-9144"

    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    measured = widths(sheet)
    col = {name: i for i, name in enumerate(header)}
    # Measured from content: the longest name or email fits, a rank is narrow.
    for name in ("name", "email"):
        longest = max(len(r[col[name]]) for r in rows)
        assert measured[col[name]] >= min(longest, XLSX_MAX_WIDTH), name
    assert measured[col["rank"]] < 10
    # Prose wraps in capped columns; a hash is not prose and is only capped.
    for name in ("reasons", "knockouts", "pm_methods.evidence"):
        assert measured[col[name]] == pytest.approx(XLSX_WRAP_WIDTH, abs=1), name
        cells = [sheet.cell(row=r, column=col[name] + 1) for r in range(2, 40)]
        assert all(c.alignment.wrap_text for c in cells if c.value), name
    assert measured[col["rubric_sha256"]] == pytest.approx(XLSX_MAX_WIDTH, abs=1)
    assert not sheet.cell(row=2, column=col["rubric_sha256"] + 1).alignment.wrap_text
    assert not sheet.cell(row=2, column=col["name"] + 1).alignment.wrap_text


def test_shortlist_sample_xlsx_puts_the_reason_beside_the_bucket(tmp_path: Path) -> None:
    out = tmp_path / "shortlist.xlsx"
    run = cli("shortlist", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "50", "-o", out)
    assert run.code == 0, run.stderr
    chosen_header, chosen = assert_spreadsheet_layout(out)
    left_header, left = assert_spreadsheet_layout(tmp_path / "shortlist-left-out.xlsx")
    assert len(chosen) == 50 and len(chosen) + len(left) == 1200
    assert chosen_header[: len(LEAD)] == LEAD
    assert left_header[: len(LEAD) + 1] == [*LEAD, "left_out_because"]
    phones = [r[chosen_header.index("phone")] for r in chosen] + [r[left_header.index("phone")] for r in left]
    assert all(not p.startswith("'") for p in phones)
    assert sum(p.startswith("+") for p in phones) > 100  # the numbers the user saw with a '


def test_a_shortlist_from_the_store_puts_decisions_and_adjustments_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    (tmp_path / "exports").mkdir()
    records = read_csv(SAMPLE / "applicants.csv")[:121]  # the header and 120 applications
    with (tmp_path / "exports" / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(records)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    assert cli("run").code == 0
    top = read_csv(tmp_path / "out" / "shortlist.csv")[1][1]
    assert cli("adjust", top, "+5", "--note", "=strong portfolio", env={"SCREENER_USER": "ana"}).code == 0
    assert cli("status", top, "advanced", "--note", "call Monday").code == 0
    run = cli("shortlist", "--top", "20", "-o", "short.xlsx")
    assert run.code == 0, run.stderr
    header, rows = assert_spreadsheet_layout(tmp_path / "short.xlsx")
    assert header[: len(STORE_LEAD)] == STORE_LEAD
    row = dict(zip(header, next(r for r in rows if r[1] == top), strict=True))
    assert row["adjustment"] == 5 and row["adjusted_score"] == pytest.approx(min(100, row["score"] + 5), abs=0.01)
    assert row["decision"] == "advanced" and row["decision_note"] == "call Monday"
    assert row["adjustment_note"] == "=strong portfolio" and row["adjusted_by"] == "ana"


# ------------------------------------------------------------------------------------------------
# Hostile text: exact, string cells, never a formula


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in record.items() if k != "criteria"}
    for cid, parts in record.get("criteria", {}).items():
        flat.update({f"{cid}.{k}": v for k, v in parts.items()})
    return flat


@pytest.mark.parametrize(("export", "rubric"), [(HOSTILE / "formulas.csv", MINIMAL),
                                                (HOSTILE / "everything.csv", RUBRIC)])
def test_hostile_text_is_exact_in_xlsx_and_neutralised_in_csv(tmp_path: Path, export: Path, rubric: Path) -> None:
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("xlsx", "json", "csv")}
    for path in outputs.values():
        assert cli("score", export, "--rubric", rubric, "-o", path).code == 0
    header, rows = assert_spreadsheet_layout(outputs["xlsx"])
    records = [_flat(r) for r in json.loads(outputs["json"].read_text(encoding="utf-8"))]
    csv_rows = read_csv(outputs["csv"])
    assert len(rows) == len(records) == len(csv_rows) - 1
    hostile = 0
    for got, record, line in zip(rows, records, csv_rows[1:], strict=True):
        by_name = dict(zip(csv_rows[0], line, strict=True))
        for name, value in zip(header, got, strict=True):
            raw = record[name]
            if raw is None or raw == "":
                assert value == "", name
            elif isinstance(raw, int | float) and not isinstance(raw, bool):
                assert value == pytest.approx(raw), name
            else:
                assert value == xlsx_text(str(raw)), name  # exact; C0 controls as pictures (␛)
                if formula_like(value):
                    hostile += 1
                    assert by_name[name].startswith("'"), name  # CSV keeps its apostrophe
    assert hostile >= 3


def test_cjk_counts_double_and_long_prose_wraps(tmp_path: Path) -> None:
    def names_export(path: Path, names: list[str]) -> Path:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(MINIMAL_HEADER)
            for i, name in enumerate(names, start=1):
                writer.writerow([str(i), name, f"a{i}@example.com", "6", "PM", "BSc", "CS", "", "yes"])
        return path

    def name_column(names: list[str]) -> tuple[float, bool]:
        out = tmp_path / "out.xlsx"
        assert cli("score", names_export(tmp_path / "x.csv", names), "--rubric", MINIMAL, "-o", out).code == 0
        sheet = openpyxl.load_workbook(out).active
        assert sheet is not None
        header = [c.value for c in sheet[1]]
        col = header.index("name")
        return widths(sheet)[col], bool(sheet.cell(row=2, column=col + 1).alignment.wrap_text)

    ascii_width, _ = name_column(["Ada Lovelace" + "x" * 8, "Bo"])  # 20 characters
    cjk_width, _ = name_column(["欧阳娜娜" * 5, "Bo"])  # 20 characters, 40 columns
    assert cjk_width - ascii_width == 20
    prose_width, wrapped = name_column(["Ada " * 30, "Bo"])
    assert wrapped and prose_width == pytest.approx(XLSX_WRAP_WIDTH, abs=1)
    token_width, wrapped = name_column(["x" * 90, "Bo"])  # no spaces: capped, not wrapped
    assert not wrapped and token_width == pytest.approx(XLSX_MAX_WIDTH, abs=1)


def test_width_is_measured_on_a_bounded_sample_yet_every_long_cell_wraps(tmp_path: Path) -> None:
    spread = _sample(100_000)
    assert len(spread) <= XLSX_SAMPLE_ROWS and spread[0] == 0 and spread[-1] == 99_999
    picked = set(_sample(5_000))
    missed = next(i for i in range(5_000) if i not in picked)
    notes = ["ok"] * 5_000
    notes[missed] = "a long note a person typed, " * 4
    path = tmp_path / "big.xlsx"
    path.write_bytes(render_xlsx(pd.DataFrame({"id": [str(i) for i in range(5_000)], "note": notes})))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert widths(sheet)[1] < 20  # the sample saw only "ok"
    assert sheet.cell(row=missed + 2, column=2).alignment.wrap_text
    assert not sheet.cell(row=2, column=2).alignment.wrap_text


# ------------------------------------------------------------------------------------------------
# Property: any text round-trips exactly and is never a formula


_RISKY_STARTS = ["", "=", "+", "-", "@", "\t", "\r", "\n", " =", "\u00a0@", "＝", "＋", "'", "'=", "_x000D_",
                 "x005F_", "_x005F_", "\x1b", "\x00"]
_TEXT = st.builds(lambda head, tail: head + tail, st.sampled_from(_RISKY_STARTS),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, cells=st.lists(_TEXT, min_size=1, max_size=6))
def test_any_text_round_trips_exactly_through_the_xlsx_writer_and_is_never_a_formula(
        tmp_path: Path, title: str, cells: list[str]) -> None:
    columns = [title, "n"]
    frame = pd.DataFrame([[c, float(i)] for i, c in enumerate(cells)], columns=columns)
    path = tmp_path / "prop.xlsx"
    path.write_bytes(render_xlsx(frame))
    grid = raw_grid(path)  # no <f> anywhere
    order = xlsx_column_order(columns)
    # Exact, but the C0 controls XLSX cannot hold as their pictures (␀, ␛).
    table = [columns, *([xlsx_safe(c), float(i)] for i, c in enumerate(cells))]
    assert grid == [[row[j] if j else xlsx_safe(row[j]) for j in order] for row in table]
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    for cell in (c for row in sheet.iter_rows() for c in row):
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            shown = grid[cell.row - 1][cell.column - 1]
            assert cell.data_type == "s" and cell.quotePrefix == formula_like(shown)
            if "_x" not in shown and "x005F_" not in shown:  # openpyxl's own decoding is partial
                assert cell.value.replace("_x000D_", "\r") == shown
