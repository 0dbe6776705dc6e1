"""Tests for screener.data.load: real files in tests/data/exports/ plus files written to tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from screener.core.errors import InputError
from screener.data.load import LoadReport, RejectedRow, detect_format, load_export, load_export_chunks

EXPORTS = Path(__file__).parent / "data" / "exports"
LOADABLE = sorted(
    p.name
    for p in EXPORTS.iterdir()
    if p.name not in {"empty.csv", "not_csv.csv", "truncated.json", ".gitattributes"}
)


def assert_string_frame(frame: pd.DataFrame, report: LoadReport) -> None:
    """The frame contract every loader must keep."""
    assert list(frame.columns[:2]) == ["_row", "_line"]
    assert list(frame.columns[2:]) == report.columns
    assert frame["_row"].dtype == "int64"
    assert frame["_line"].dtype == "int64"
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame.index.start == 0
    assert len(frame) == report.rows
    for column in report.columns:
        assert frame[column].dtype == object
        assert all(type(value) is str for value in frame[column]), column


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return frame.to_dict("records")


# --------------------------------------------------------------------------------------------
# Contract over every fixture
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOADABLE)
def test_every_fixture_loads_as_strings(name: str) -> None:
    frame, report = load_export(EXPORTS / name)
    assert_string_frame(frame, report)
    assert report.path == str(EXPORTS / name)
    # Rejected records still use up a record number, so the numbers match the file.
    assert frame["_row"].is_monotonic_increasing
    assert frame["_line"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cognito_utf8_bom_crlf.csv", "csv"),
        ("cp1252.csv", "csv"),
        ("utf16.csv", "csv"),
        ("semicolon.csv", "csv"),
        ("nested.json", "json"),
        ("odata.json", "json"),
        ("truncated.json", "json"),
        ("lines.jsonl", "jsonl"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    assert detect_format(EXPORTS / name) == expected


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def test_cognito_csv_keeps_every_value_verbatim() -> None:
    frame, report = load_export(str(EXPORTS / "cognito_utf8_bom_crlf.csv"))
    assert report.format == "csv"
    assert report.encoding == "utf-8-sig"
    assert report.encoding_guessed is False
    assert report.delimiter == ","
    assert report.provider == "cognito"
    assert report.sheet is None
    assert report.rejected == []
    assert report.notes == []
    assert report.columns == [
        "PMApplication_Id",
        "Name_First",
        "Name_Last",
        "Phone",
        "PostalCode",
        "ReferenceNumber",
        "CoverLetter",
        "Entry_Status",
        "Entry_DateSubmitted",
    ]
    assert frame["Name_Last"].tolist() == ["NA", "Null", "None", "True"]
    assert frame["PMApplication_Id"].tolist() == ["007", "008", "009", "010"]
    assert frame["Phone"].tolist() == ["+1 (555) 010-0199", "0151 234", "", "nan"]
    assert frame["PostalCode"].tolist() == ["02134", "00501", "#N/A", "01234"]
    assert frame["ReferenceNumber"].tolist() == [
        "2401234567890123456",
        "0000000000000000001",
        "",
        "9999999999999999999",
    ]
    assert frame["CoverLetter"].tolist() == [
        'Dear team,\r\nI ran a 12-person "agile" rollout.\r\n\r\nThanks',
        "N/A",
        "Short, with a comma",
        "   leading spaces kept   ",
    ]
    # The multi-line cell spans lines 2-5, so the next record starts on line 6.
    assert frame["_line"].tolist() == [2, 6, 7, 8]
    assert frame["_row"].tolist() == [1, 2, 3, 4]
    assert frame.loc[2, "Entry_DateSubmitted"] == ""


def test_cp1252_is_guessed_and_said_so() -> None:
    frame, report = load_export(EXPORTS / "cp1252.csv")
    assert report.encoding == "cp1252"
    assert report.encoding_guessed is True
    assert "decoded as cp1252 (guessed); pass --encoding to override" in report.notes
    assert frame["Name"].tolist() == ["Müller", "José"]
    assert frame["City"].tolist() == ["São Paulo", "Köln"]
    assert frame["Note"].tolist() == ["“quoted” costs €100", "naïve – café"]


def test_explicit_encoding_wins_and_is_not_a_guess() -> None:
    frame, report = load_export(EXPORTS / "cp1252.csv", encoding="windows-1252")
    assert report.encoding == "cp1252"
    assert report.encoding_guessed is False
    assert frame["Name"].tolist() == ["Müller", "José"]
    assert report.notes == []


def test_wrong_explicit_encoding_names_codec_and_line() -> None:
    with pytest.raises(InputError) as info:
        load_export(EXPORTS / "cp1252.csv", encoding="utf-8")
    message = str(info.value)
    assert "cp1252.csv" in message
    assert "utf-8" in message
    assert "line 2" in message


def test_unknown_encoding_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Unknown encoding 'klingon'"):
        load_export(EXPORTS / "cp1252.csv", encoding="klingon")


def test_utf16_with_bom_and_tabs() -> None:
    frame, report = load_export(EXPORTS / "utf16.csv")
    assert report.encoding == "utf-16"
    assert report.encoding_guessed is False
    assert report.delimiter == "\t"
    assert report.provider == "google"
    assert report.columns == ["Timestamp", "Email address", "Name", "Why you?"]
    assert records(frame) == [
        {
            "_row": 1,
            "_line": 2,
            "Timestamp": "2024/06/14 9:41:07",
            "Email address": "zoë@example.com",
            "Name": "Zoë Ñúñez",
            "Why you?": "I like 漢字, and tabs",
        }
    ]


def test_utf16_without_bom_is_guessed(tmp_path: Path) -> None:
    path = tmp_path / "nobom.csv"
    path.write_bytes("Name,City\nZoë,Köln\n".encode("utf-16-le"))
    frame, report = load_export(path)
    assert report.encoding == "utf-16-le"
    assert report.encoding_guessed is True
    assert frame["Name"].tolist() == ["Zoë"]


def test_semicolons_with_quoted_delimiters() -> None:
    frame, report = load_export(EXPORTS / "semicolon.csv")
    assert report.delimiter == ";"
    assert report.provider == "jotform"
    assert report.columns == ["Submission Date", "Full Name", "Phone", "City, State"]
    assert frame["Full Name"].tolist() == ["Doe; Jane", "Roe"]
    assert frame["Phone"].tolist() == ["+34612345678", "007"]
    assert frame["City, State"].tolist() == ["Austin, TX", "Boise, ID"]
    assert "the columns are separated by semicolons" in report.notes


def test_excel_sep_line_sets_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nName;Note\nAna;a, b\n", encoding="utf-8")
    frame, report = load_export(path)
    assert report.delimiter == ";"
    assert records(frame) == [{"_row": 1, "_line": 3, "Name": "Ana", "Note": "a, b"}]


def test_duplicate_and_blank_headers_are_renamed_with_notes() -> None:
    frame, report = load_export(EXPORTS / "duplicate_headers.csv")
    assert report.columns == [
        "#",
        "Status",
        "Date Submitted",
        "Name",
        "Phone",
        "Name__2",
        "Phone__2",
        "column_8",
        "City",
    ]
    assert "renamed the second 'Name' column to 'Name__2'" in report.notes
    assert "renamed the second 'Phone' column to 'Phone__2'" in report.notes
    assert "named the untitled column 8 'column_8'" in report.notes
    assert frame.loc[0, "Name"] == "Ana Lee"
    assert frame.loc[0, "Name__2"] == "State College"


def test_reserved_column_names_are_renamed(tmp_path: Path) -> None:
    path = tmp_path / "reserved.csv"
    path.write_text("_row,Name,Name,Name\n1,a,b,c\n", encoding="utf-8")
    frame, report = load_export(path)
    assert report.columns == ["_row__2", "Name", "Name__2", "Name__3"]
    assert frame["_row"].tolist() == [1]
    assert frame["_row__2"].tolist() == ["1"]
    assert "renamed the third 'Name' column to 'Name__3'" in report.notes


def test_ragged_rows_are_rejected_with_their_lines() -> None:
    frame, report = load_export(EXPORTS / "ragged.csv")
    assert frame["Name"].tolist() == ["Ana", "Di"]
    assert frame["_line"].tolist() == [2, 8]
    assert frame["_row"].tolist() == [1, 4]
    assert report.rejected == [
        RejectedRow(4, "has 4 fields but the header has 3", ("Bob", "bob@x.org", "3", "extra")),
        RejectedRow(5, "has 2 fields but the header has 3", ("Cy", "cy@x.org")),
    ]
    assert "skipped 2 blank lines" in report.notes
    assert "skipped 1 row with no values" in report.notes


def test_unterminated_quote_rejects_only_that_record() -> None:
    frame, report = load_export(EXPORTS / "unterminated_quote.csv")
    assert frame["Name"].tolist() == ["Ana", "Bob", "Cy", "Di", "Flo", "Gus", "Hal"]
    assert frame["_line"].tolist() == [2, 3, 4, 6, 8, 9, 10]
    assert frame["_row"].tolist() == [1, 2, 3, 4, 6, 7, 8]
    assert frame.loc[2, "Note"] == "multi\nline"
    assert len(report.rejected) == 1
    bad = report.rejected[0]
    assert bad.line == 7
    assert bad.raw == ('5,"Ed,forgot to close',)
    assert "never closed" in bad.reason


def test_stray_quote_inside_a_record_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text('Id,Name\n1,"Ana"x\n2,Bob\n3,"Cy ""C"" Doe"\n', encoding="utf-8")
    frame, report = load_export(path)
    assert frame["Name"].tolist() == ["Bob", 'Cy "C" Doe']
    assert frame["_row"].tolist() == [2, 3]
    assert [(r.line, r.raw) for r in report.rejected] == [(2, ('1,"Ana"x',))]
    assert report.rejected[0].reason.startswith("is not valid CSV")


def test_header_only_gives_an_empty_typed_frame() -> None:
    frame, report = load_export(EXPORTS / "header_only.csv")
    assert report.rows == 0
    assert report.columns == ["Name", "Email", "Phone"]
    assert list(frame.columns) == ["_row", "_line", "Name", "Email", "Phone"]
    assert_string_frame(frame, report)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"   \r\n\t\n", b"\xff\xfe", b"\n" * 70_000],
    ids=["zero-bytes", "bom-only", "whitespace", "utf16-bom-only", "many-newlines"],
)
def test_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"blank\.csv is empty"):
        load_export(path)


def test_empty_fixture() -> None:
    with pytest.raises(InputError, match=r"empty\.csv is empty\.$"):
        load_export(EXPORTS / "empty.csv")


def test_png_renamed_csv_is_refused() -> None:
    with pytest.raises(InputError, match="looks like a PNG image"):
        load_export(EXPORTS / "not_csv.csv")
    with pytest.raises(InputError, match="PNG"):
        detect_format(EXPORTS / "not_csv.csv")
    # An explicit format does not bypass the check.
    with pytest.raises(InputError, match="PNG"):
        load_export(EXPORTS / "not_csv.csv", fmt="csv")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"%PDF-1.7\n%binary\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .xls"),
        (b"Na\x00me,Email\nAna,a@x\n", "binary data"),
        (bytes(range(256)) * 8, "not a CSV"),
    ],
    ids=["pdf", "ole2", "nul-in-header", "random-bytes"],
)
def test_binary_files_are_refused(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=fragment):
        load_export(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="is a ZIP archive, not a CSV, JSON or XLSX export"):
        load_export(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.csv does not exist\."):
        load_export(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder, not an export file"):
        load_export(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        detect_format(tmp_path / "nope.csv")


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Unknown format 'parquet'"):
        load_export(EXPORTS / "ragged.csv", fmt="parquet")


def test_cells_over_the_limit_reject_their_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    letter = "word " * 40  # 200 characters
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Name", "Letter"])
        writer.writerow(["Ana", "short"])
        writer.writerow(["Bob", letter])
        writer.writerow(["Cy", "multi\nline\nbut short"])
        writer.writerow(["Di", "line one\n" + letter])
    frame, report = load_export(path, max_cell_chars=100)
    assert frame["Name"].tolist() == ["Ana", "Cy"]
    assert frame["_row"].tolist() == [1, 3]
    assert [r.line for r in report.rejected] == [3, 7]
    assert report.rejected[0].reason == (
        "its 'Letter' cell has 200 characters, more than the limit of 100"
    )
    assert report.rejected[0].raw == ("Bob", letter)


def test_cells_beyond_the_csv_module_default_limit_load(tmp_path: Path) -> None:
    path = tmp_path / "big_cell.csv"
    big = "x" * 200_000  # csv's default field_size_limit is 131072
    path.write_text(f'Name,Letter\nAna,"{big}"\n', encoding="utf-8")
    frame, _ = load_export(path)
    assert frame.loc[0, "Letter"] == big


def test_line_separator_characters_inside_cells_are_kept(tmp_path: Path) -> None:
    # str.splitlines() would break on these; the csv module must not.
    path = tmp_path / "seps.csv"
    path.write_text("A,B\nx\u2028y,p\x0bq\x1cr\n", encoding="utf-8")
    frame, report = load_export(path)
    assert records(frame) == [{"_row": 1, "_line": 2, "A": "x\u2028y", "B": "p\x0bq\x1cr"}]
    assert report.rejected == []


def test_header_starting_with_a_bracket_is_still_csv(tmp_path: Path) -> None:
    path = tmp_path / "brackets.csv"
    path.write_text("[Name],{Email}\nAna,a@x\n", encoding="utf-8")
    assert detect_format(path) == "csv"
    frame, _ = load_export(path)
    assert list(frame.columns) == ["_row", "_line", "[Name]", "{Email}"]


def test_cjk_text_in_a_legacy_encoding_is_not_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    text = "姓名,城市,求职信\n张伟,北京,我有五年的项目管理经验，熟悉敏捷开发和风险管理。\n"
    path.write_bytes(text.encode("gbk"))
    frame, report = load_export(path)
    assert report.encoding_guessed is True
    assert report.encoding in {"gb18030", "gbk", "gb2312"}
    assert report.columns == ["姓名", "城市", "求职信"]
    assert frame.loc[0, "姓名"] == "张伟"


@pytest.mark.parametrize(
    ("header", "provider"),
    [
        ("APPROVALS_Id,Details_Name_First", "cognito"),
        ("Name,Entry_Status", "cognito"),
        ("Timestamp,Email address,Why?", "google"),
        ("#,Why?,Submit Date (UTC),Network ID", "typeform"),
        ("First name,Submitted At,Token", "typeform"),
        ("Submission Date,Full Name", "jotform"),
        ("ID,Start time,Completion time,Email,Name", "msforms"),
        ("Name,Email", None),
    ],
)
def test_provider_from_headers(tmp_path: Path, header: str, provider: str | None) -> None:
    path = tmp_path / "p.csv"
    path.write_text(header + "\n", encoding="utf-8")
    _, report = load_export(path)
    assert report.provider == provider


# --------------------------------------------------------------------------------------------
# JSON and JSON Lines
# --------------------------------------------------------------------------------------------


def test_nested_cognito_json_is_flattened() -> None:
    frame, report = load_export(EXPORTS / "nested.json")
    assert report.format == "json"
    assert report.encoding == "utf-8"
    assert report.provider == "cognito"
    assert report.delimiter is None
    assert report.columns == [
        "Id",
        "Name_First",
        "Name_Last",
        "Name_FirstAndLast",
        "Phone",
        "Entry_Number",
        "Entry_DateSubmitted",
        "Entry_Status",
        "Resume",
        "Tools",
        "WillingToRelocate",
        "HasVisa",
        "Referral",
        "YearsExperience",
        "Score",
        "BigId",
        "References",
        "Extra_Dotted",
    ]
    first, second = records(frame)
    assert first == {
        "_row": 1,
        "_line": 1,
        "Id": "12-34",
        "Name_First": "Ana",
        "Name_Last": "NA",
        "Name_FirstAndLast": "Ana NA",
        "Phone": "+1 (555) 010-0199",
        "Entry_Number": "142",
        "Entry_DateSubmitted": "2026-03-17T15:00:00.000Z",
        "Entry_Status": "Submitted",
        "Resume": "ana_cv.pdf, notes.txt",
        "Tools": "Jira\nAsana",
        "WillingToRelocate": "true",
        "HasVisa": "false",
        "Referral": "",
        "YearsExperience": "7",
        "Score": "3.5",
        "BigId": "2401234567890123456",
        "References": "",
        "Extra_Dotted": "",
    }
    assert second["Name_Last"] == "None"
    assert second["Name_FirstAndLast"] == ""  # key missing in this entry
    assert second["Entry_Number"] == "143"
    assert second["Resume"] == ""
    assert second["Tools"] == ""
    assert second["Referral"] == "Null"
    assert second["References"] == '[{"Who":"Ann","Phone":"1"}]'
    assert second["Extra_Dotted"] == "yes"
    assert report.rejected == [
        RejectedRow(3, "is a JSON string, not an object", ('"not an object"',))
    ]
    assert_string_frame(frame, report)


def test_odata_value_array() -> None:
    frame, report = load_export(EXPORTS / "odata.json")
    assert report.columns == ["Name_First", "Entry_Status", "Number"]
    assert frame["Name_First"].tolist() == ["Ana", "Bob"]
    assert frame["Number"].tolist() == ["1", "2"]
    assert "read the records from the 'value' array" in report.notes


@pytest.mark.parametrize("key", ["entries", "data", "items", "results"])
def test_other_api_envelopes(tmp_path: Path, key: str) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"total": 1, key: [{"Name": "Ana"}]}), encoding="utf-8")
    frame, _ = load_export(path)
    assert frame["Name"].tolist() == ["Ana"]


def test_single_object_is_one_record_even_with_a_data_list(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"Name": "Ana", "data": ["x", "y"]}), encoding="utf-8")
    frame, _ = load_export(path)
    assert records(frame) == [{"_row": 1, "_line": 1, "Name": "Ana", "data": "x\ny"}]


def test_empty_json_array_is_zero_rows(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    frame, report = load_export(path)
    assert report.rows == 0
    assert list(frame.columns) == ["_row", "_line"]


def test_json_scalars_are_rendered_as_text(tmp_path: Path) -> None:
    path = tmp_path / "scalars.json"
    path.write_text(
        '[{"i": 7, "neg": -0, "f": 2.0, "g": 0.1, "e": 1e20, "t": true, "n": null, '
        '"s": "007", "mixed": ["a", 1, null, false], "objs": [{"x": 1}], "empty": {}}]',
        encoding="utf-8",
    )
    frame, _ = load_export(path)
    assert records(frame)[0] == {
        "_row": 1,
        "_line": 1,
        "i": "7",
        "neg": "0",
        "f": "2",
        "g": "0.1",
        "e": "1e+20",
        "t": "true",
        "n": "",
        "s": "007",
        "mixed": "a\n1\nfalse",
        "objs": '[{"x":1}]',
        "empty": "",
    }


def test_truncated_json_names_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        load_export(EXPORTS / "truncated.json")
    assert str(info.value) == (
        f"{EXPORTS / 'truncated.json'}: invalid JSON at line 4, column 1: "
        "Expecting ',' delimiter."
    )


def test_top_level_scalar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scalar.json"
    path.write_text('"hello"', encoding="utf-8")
    with pytest.raises(InputError, match="holds a single JSON string, not records"):
        load_export(path)


def test_ten_thousand_levels_of_nesting_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        load_export(path)
    path.write_text('{"a":' * 10_000 + "1" + "}" * 10_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        load_export(path)


def test_deep_but_parseable_objects_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "deepish.json"
    path.write_text(json.dumps([{"Name": "Ana", "a": _nest(30)}]), encoding="utf-8")
    frame, report = load_export(path)
    assert frame.loc[0, "Name"] == "Ana"
    deep_columns = [c for c in report.columns if c.startswith("a_")]
    assert len(deep_columns) == 1
    # A column path holds at most 20 keys ("a" plus 19 "k"); the rest stays JSON text.
    assert deep_columns[0] == "a" + "_k" * 19
    assert json.loads(frame.loc[0, deep_columns[0]]) == _nest(11)
    assert "kept objects nested more than 20 levels deep as JSON text" in report.notes


def _nest(levels: int) -> object:
    value: object = "leaf"
    for _ in range(levels):
        value = {"k": value}
    return value


def test_json_lines_keep_going_past_bad_lines() -> None:
    frame, report = load_export(EXPORTS / "lines.jsonl")
    assert report.format == "jsonl"
    assert report.provider == "typeform"
    assert records(frame) == [
        {"_row": 1, "_line": 1, "Token": "a1", "Name": "Ana", "Score": "1", "Tags": ""},
        {"_row": 3, "_line": 4, "Token": "c3", "Name": "Cy", "Score": "", "Tags": "x\ny"},
    ]
    assert [(r.line, r.raw) for r in report.rejected] == [
        (2, ('{"Token": "b2", "Name": "Bob", "Score": }',)),
        (5, ("[1, 2]",)),
    ]
    assert report.rejected[0].reason == "is not valid JSON (column 41: Expecting value)"
    assert report.rejected[1].reason == "is a JSON array, not an object"
    assert "skipped 1 blank line" in report.notes


def test_json_lines_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    assert detect_format(path) == "jsonl"
    frame, report = load_export(path)
    assert report.format == "jsonl"
    assert frame["a"].tolist() == ["1", "2"]


def test_concatenated_objects_fall_back_to_json_lines(tmp_path: Path) -> None:
    # Too little on one line for the sniffer; json's "Extra data" error triggers the fallback.
    path = tmp_path / "export.json"
    path.write_text('{"a": 1, "b": "' + "x" * 70_000 + '"}\n{"a": 2}\n', encoding="utf-8")
    frame, report = load_export(path)
    assert report.format == "jsonl"
    assert frame["a"].tolist() == ["1", "2"]
    assert "the file holds one JSON object per line; read it as JSON Lines" in report.notes


def test_deep_json_line_is_rejected_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"a": 1}\n' + "[" * 10_000 + "]" * 10_000 + '\n{"a": 3}\n', encoding="utf-8")
    frame, report = load_export(path)
    assert frame["a"].tolist() == ["1", "3"]
    assert [(r.line, r.reason) for r in report.rejected] == [(2, "is nested too deeply to read")]


def test_json_cell_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps([{"N": "a"}, {"N": "b" * 50}]), encoding="utf-8")
    frame, report = load_export(path, max_cell_chars=10)
    assert frame["N"].tolist() == ["a"]
    assert report.rejected[0].line == 2
    assert "more than the limit of 10" in report.rejected[0].reason


# --------------------------------------------------------------------------------------------
# XLSX (workbooks are built at test time with openpyxl)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "TPMApplication"
    ws.append(["TPMApplication_Id", "Name", "Name", "Years", "Score", "Submitted", "Born",
               "Start", "Relocate", "Note", " "])
    ws.append(["007", "Ana", "NA", 5, 3.5, dt.datetime(2026, 1, 14, 10, 41),
               dt.date(1990, 5, 17), dt.time(9, 30), True, None, None])
    ws.append([None] * 5)  # a fully empty row (row 3)
    ws.append([8, "Bob", "None", 12.0, 0.1, None, None, None, False, "N/A", "x"])
    ws["L5"] = "stray"  # row 5 has a value beyond the header
    ws["A5"] = "9"
    ws.append(["010", "Cy", "True"])  # row 6, shorter than the header
    extra = wb.create_sheet("Children")
    extra.append(["Parent", "Child"])
    path = tmp_path / "sample.xlsx"
    wb.save(path)
    return path


def test_xlsx_values_become_text(workbook_path: Path) -> None:
    frame, report = load_export(workbook_path)
    assert report.format == "xlsx"
    assert report.encoding is None
    assert report.delimiter is None
    assert report.sheet == "TPMApplication"
    assert report.provider == "cognito"
    assert report.columns == ["TPMApplication_Id", "Name", "Name__2", "Years", "Score",
                              "Submitted", "Born", "Start", "Relocate", "Note", "column_11"]
    assert records(frame) == [
        {"_row": 1, "_line": 2, "TPMApplication_Id": "007", "Name": "Ana", "Name__2": "NA",
         "Years": "5", "Score": "3.5", "Submitted": "2026-01-14T10:41:00", "Born": "1990-05-17",
         "Start": "09:30:00", "Relocate": "true", "Note": "", "column_11": ""},
        {"_row": 2, "_line": 4, "TPMApplication_Id": "8", "Name": "Bob", "Name__2": "None",
         "Years": "12", "Score": "0.1", "Submitted": "", "Born": "", "Start": "",
         "Relocate": "false", "Note": "N/A", "column_11": "x"},
        {"_row": 4, "_line": 6, "TPMApplication_Id": "010", "Name": "Cy", "Name__2": "True",
         "Years": "", "Score": "", "Submitted": "", "Born": "", "Start": "", "Relocate": "",
         "Note": "", "column_11": ""},
    ]
    assert len(report.rejected) == 1
    assert report.rejected[0].line == 5
    assert report.rejected[0].reason == "has a value in column L, beyond the header's 11 columns"
    assert report.rejected[0].raw[0] == "9"
    assert report.rejected[0].raw[-1] == "stray"
    assert "skipped 1 empty row" in report.notes
    assert "read the first worksheet 'TPMApplication'; the workbook also has 'Children'" in (
        report.notes
    )
    assert_string_frame(frame, report)


def test_xlsx_is_found_by_content_whatever_the_name(workbook_path: Path) -> None:
    renamed = workbook_path.with_name("export.csv")
    renamed.write_bytes(workbook_path.read_bytes())
    assert detect_format(renamed) == "xlsx"
    frame, report = load_export(renamed)
    assert report.format == "xlsx"
    assert frame["Name"].tolist() == ["Ana", "Bob", "Cy"]


def test_damaged_xlsx_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<nonsense")
        zf.writestr("xl/workbook.xml", "<also nonsense")
    with pytest.raises(InputError, match="is not a readable XLSX workbook"):
        load_export(path)


def test_truncated_xlsx_is_an_input_error(workbook_path: Path) -> None:
    data = workbook_path.read_bytes()
    workbook_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="broken|damaged"):
        load_export(workbook_path)


def test_text_forced_as_xlsx_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        load_export(EXPORTS / "ragged.csv", fmt="xlsx")


def test_empty_workbook_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match="is empty"):
        load_export(path)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

# Control characters (NUL included: Python 3.11's csv reads and writes it) and naughty strings
# such as "None" or "NaN" are all in st.text(); surrogates are excluded by default.
cells = st.text(max_size=30)


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(min_value=1, max_value=5))
    return draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=12))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=tables())
def test_csv_written_by_csv_writer_loads_back_cell_for_cell(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    width = len(rows[0]) if rows else 1
    header = [f"c{i}" for i in range(width)]
    path = tmp_path_factory.mktemp("roundtrip") / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    frame, report = load_export(path)
    # A record with no values at all is not an applicant; the loader skips it (with a note).
    expected = [row for row in rows if any(row)]
    assert report.rejected == []
    assert report.encoding == "utf-8"
    assert frame[header].values.tolist() == expected
    assert frame["_row"].tolist() == list(range(1, len(expected) + 1))
    assert_string_frame(frame, report)


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.sampled_from([b"a", b",", b";", b'"', b"\n", b"\r", b"{", b"[", b"]",
                                  b"}", b":", b"\xe9", b"\x00", b"\xef\xbb\xbf", b" "]),
                 max_size=60).map(b"".join),
    ),
    suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".txt"]),
)
def test_arbitrary_bytes_load_or_raise_input_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"export{suffix}"
    path.write_bytes(data)
    try:
        frame, report = load_export(path)
    except InputError:
        return
    assert_string_frame(frame, report)


# --------------------------------------------------------------------------------------------
# Reading in windows (load_export_chunks) gives exactly what reading whole gives


def _same_as_whole(path: Path, chunk_rows: int, window_bytes: int, encoding: str | None = None) -> bool:
    try:
        whole, report = load_export(path, encoding=encoding)
    except InputError as err:
        with pytest.raises(InputError) as raised:
            list(load_export_chunks(path, chunk_rows=chunk_rows, window_bytes=window_bytes, encoding=encoding))
        assert str(raised.value) == str(err)
        return False
    chunks = load_export_chunks(path, chunk_rows=chunk_rows, window_bytes=window_bytes, encoding=encoding)
    frames = list(chunks)
    assert all(len(f) <= max(chunk_rows, len(f)) for f in frames)
    got = pd.concat(frames, ignore_index=True)
    assert list(got.columns) == list(whole.columns)
    assert got.equals(whole)
    for key in ("rows", "columns", "encoding", "delimiter", "provider", "notes", "rejected"):
        assert getattr(chunks.report, key) == getattr(report, key), key
    return chunks.streamed


_PIECES = ["a", "b", "é", "名", ",", ";", '"', '""', "\n", "\r\n", "\r", " ", "\x0b", "=1", "sep=;\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.sampled_from(_PIECES), max_size=120), boms=st.integers(min_value=0, max_value=3),
       encoding=st.sampled_from([None, "utf-8", "utf-8-sig"]),
       window=st.integers(min_value=1, max_value=64), chunk=st.integers(min_value=1, max_value=5))
def test_windows_give_the_same_rows_reports_and_errors(tmp_path: Path, body: list[str], boms: int,
                                                        encoding: str | None, window: int, chunk: int) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(b"\xef\xbb\xbf" * boms + ("id,name,answer\n" + "".join(body)).encode("utf-8"))
    _same_as_whole(path, chunk, window, encoding)


def test_a_quote_never_closed_makes_the_file_read_whole(tmp_path: Path) -> None:
    # In windows the open quote would carry the rest of the file from one window to the next.
    path = tmp_path / "stray.csv"
    path.write_text("id,name\n1,\"broken\n" + "".join(f"{i},x\n" for i in range(2, 500)), encoding="utf-8")
    assert _same_as_whole(path, 3, 64) is False
    path.write_text("id,name\n1,\"fine\"\n" + "".join(f"{i},x\n" for i in range(2, 500)), encoding="utf-8")
    assert _same_as_whole(path, 3, 64) is True


def test_the_fixture_exports_read_in_windows_as_whole(tmp_path: Path) -> None:
    files = sorted(DATA.glob("**/*.csv"))
    assert len(files) > 10
    streamed = [f.name for f in files if _same_as_whole(f, 3, 200)]
    # The UTF-8 fixtures larger than a window were read in windows; the others, and those with a
    # quote that is never closed, whole.
    assert "formulas.csv" in streamed and "dupes.csv" in streamed
    assert not {"mixed_encodings.csv", "utf16.csv", "everything.csv", "unterminated_quote.csv"} & set(streamed)
