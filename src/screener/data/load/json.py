"""Reading JSON and JSON Lines text into the table, one object a record.
Takes an array of objects, a single object, or an API envelope such as ``{"value": [...]}``;
nested objects become ``parent_child`` columns, arrays of plain values one comma-separated cell,
and lone UTF-16 surrogates U+FFFD. Entries that are not objects, or lines of JSON Lines that do
not parse, are rejected one by one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from screener.core.errors import InputError
from screener.data.load.table import (
    LoadReport,
    RejectedRow,
    clean_headers,
    make_frame,
    number_list,
    plural,
    scalar_text,
    too_long_reason,
)

# Objects nested deeper than this are kept as one JSON-text cell instead of more columns.
_MAX_FLATTEN_DEPTH = 20

_JSON_WRAPPER_KEYS = ("value", "entries", "data", "items", "results")

# JSON may spell a lone UTF-16 surrogate ("\\ud800"), which is no character: no file can hold it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(
    text: str, name: str, report: LoadReport, cap: int, *, allow_jsonl: bool
) -> pd.DataFrame:
    try:
        document = json.loads(text)
    except (RecursionError, ValueError) as err:
        if (
            allow_jsonl
            and isinstance(err, json.JSONDecodeError)
            and err.msg == "Extra data"
            and text.lstrip().startswith("{")
        ):
            report.format = "jsonl"
            report.notes.append("the file holds one JSON object per line; read it as JSON Lines")
            return load_jsonl(text, name, report, cap)
        raise _json_error(err, name) from None

    builder = _RecordBuilder(report, cap, text)
    entries: list[Any] | None = None
    if isinstance(document, list):
        entries = document
    elif isinstance(document, dict):
        key = _wrapper_key(document)
        if key is not None:
            entries = document[key]
            report.notes.append(f"read the records from the '{key}' array")
        else:
            builder.add(document, 1, 1)
    else:
        raise InputError(
            f"{name} holds a single JSON {_json_type(document)}, not records (objects)."
        )
    if entries is not None:
        for index, entry in enumerate(entries, start=1):
            builder.add(entry, index, index)
    return builder.frame()


def _wrapper_key(document: dict[str, Any]) -> str | None:
    """The key holding the records in {"value": [...]} and similar API envelopes, if any."""
    for key in _JSON_WRAPPER_KEYS:
        value = document.get(key)
        if not isinstance(value, list):
            continue
        if any(isinstance(v, dict) for v in value):
            return key
        if not value:
            # {"value": [], "@odata.context": ...} or {"items": [], "total_items": 0}; a record
            # with an empty checkbox array has text fields beside it.
            others = [v for k, v in document.items() if k != key and not k.startswith(("@", "$"))]
            if all(v is None or isinstance(v, (int, float)) for v in others):
                return key
    return None


def load_jsonl(text: str, name: str, report: LoadReport, cap: int) -> pd.DataFrame:
    builder = _RecordBuilder(report, cap, text)
    blank = 0
    record = 0
    # Split on \n only: JSON strings cannot hold a raw newline but may hold U+2028.
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            blank += 1
            continue
        record += 1
        raw = line.rstrip("\r")
        try:
            entry = json.loads(stripped)
        except json.JSONDecodeError as err:
            report.rejected.append(
                RejectedRow(number, f"is not valid JSON (column {err.colno}: {err.msg})", (raw,))
            )
            continue
        except RecursionError:
            report.rejected.append(RejectedRow(number, "is nested too deeply to read", (raw,)))
            continue
        except ValueError as err:
            report.rejected.append(RejectedRow(number, f"is not valid JSON ({err})", (raw,)))
            continue
        builder.add(entry, record, number, raw)
    if text.endswith("\n"):
        blank -= 1  # the empty piece after the final newline is not a blank line
    if blank > 0:
        report.notes.append(f"skipped {plural(blank, 'blank line')}")
    return builder.frame()


def _json_error(err: Exception, name: str) -> InputError:
    if isinstance(err, json.JSONDecodeError):
        return InputError(
            f"{name}: invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}."
        )
    if isinstance(err, RecursionError):
        return InputError(f"{name}: the JSON is nested too deeply to read.")
    return InputError(f"{name}: invalid JSON: {err}.")  # e.g. an int of more than 4300 digits


class _RecordBuilder:
    """Collects flattened JSON records and turns them into the frame."""

    def __init__(self, report: LoadReport, cap: int, text: str) -> None:
        self.report = report
        self.cap = cap
        self.records: list[dict[str, str]] = []
        self.row_numbers: list[int] = []
        self.line_numbers: list[int] = []
        self.keys: dict[str, None] = {}
        self.deep = [False]
        self.surrogates = _SURROGATE_ESCAPE.search(text) is not None  # the text spells a surrogate escape
        self.replaced: list[int] = []

    def add(self, entry: Any, row: int, line: int, raw: str | None = None) -> None:
        if not isinstance(entry, dict):
            self.reject(line, f"is a JSON {_json_type(entry)}, not an object", entry, raw)
            return
        flat: dict[str, str] = {}
        try:
            _flatten(entry, "", flat, 1, self.deep)
        except RecursionError:
            self.reject(line, "is nested too deeply to read", None, raw or "<too deeply nested>")
            return
        if self.surrogates and any(_SURROGATE.search(k) or _SURROGATE.search(v) for k, v in flat.items()):
            flat = {_SURROGATE.sub("\ufffd", k): _SURROGATE.sub("\ufffd", v) for k, v in flat.items()}
            self.replaced.append(line)
        if any(len(v) > self.cap for v in flat.values()):
            self.reject(line, too_long_reason(flat.values(), list(flat), self.cap), entry, raw)
            return
        for key in flat:
            if key not in self.keys:
                self.keys[key] = None
        self.records.append(flat)
        self.row_numbers.append(row)
        self.line_numbers.append(line)

    def reject(self, line: int, reason: str, entry: Any, raw: str | None) -> None:
        if raw is None:
            try:
                raw = _dumps(entry)
            except (RecursionError, ValueError, TypeError):
                raw = repr(entry)[:1000]
        if self.surrogates:
            raw, reason = _SURROGATE.sub("\ufffd", raw), _SURROGATE.sub("\ufffd", reason)
        self.report.rejected.append(RejectedRow(line, reason, (raw,)))

    def frame(self) -> pd.DataFrame:
        if self.replaced:
            where = number_list(self.replaced)
            unit = "line" if self.report.format == "jsonl" else "record"
            self.report.notes.append(
                f"replaced lone UTF-16 surrogates (\\ud800-\\udfff escapes, which are not characters) "
                f"with U+FFFD in {plural(len(self.replaced), unit)}: {where}"
            )
        keys = list(self.keys)
        columns = clean_headers(keys, self.report.notes)
        rows = [tuple(rec.get(k, "") for k in keys) for rec in self.records]
        if self.deep[0]:
            self.report.notes.append(
                f"kept objects nested more than {_MAX_FLATTEN_DEPTH} levels deep as JSON text"
            )
        self.report.columns = columns
        return make_frame(rows, columns, self.row_numbers, self.line_numbers)


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, str], depth: int, deep: list[bool]
             ) -> None:
    for key, value in obj.items():
        name = str(key).replace(".", "_")
        if prefix:
            name = f"{prefix}_{name}"
        if name in out:
            n = 2
            while f"{name}__{n}" in out:
                n += 1
            name = f"{name}__{n}"
        if isinstance(value, dict) and value:
            if depth >= _MAX_FLATTEN_DEPTH:
                deep[0] = True
                out[name] = _dumps(value)
            else:
                _flatten(value, name, out, depth + 1, deep)
        else:
            out[name] = _json_cell(value)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else type(value).__name__


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_scalar(value: Any) -> str:
    text = scalar_text(value)
    return _dumps(value) if text is None else text


def _json_cell(value: Any) -> str:
    if isinstance(value, list):
        if not value:
            return ""
        if not any(isinstance(v, (list, dict)) for v in value):
            # One item per line: a list is never split again at a comma inside an item.
            return "\n".join(_json_scalar(v) for v in value if v is not None)
        if all(
            isinstance(v, dict) and v.get("Name") is not None
            and not isinstance(v["Name"], (list, dict))
            for v in value
        ):
            # Cognito file uploads: [{"ContentType","Id","Name","Size","File"}, ...]
            return ", ".join(_json_scalar(v["Name"]) for v in value)
        return _dumps(value)
    if isinstance(value, dict):
        return _dumps(value) if value else ""
    return _json_scalar(value)
