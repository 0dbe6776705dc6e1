"""``screener rubric draft``: read a job posting (and an export's columns and answers), draft a
rubric from it (``core/draft.py``), check the draft with the rubric loader, and write it.

A draft that the loader refuses is never written: that would be a bug in the drafting rules,
and the person is told so with every problem found.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screener.app.config import StarterRubric
from screener.core.errors import InputError, OutputError, RubricError

if TYPE_CHECKING:
    from screener.app.pipeline import Tell
    from screener.core.draft import Column

MAX_POSTING_BYTES = 2 * 2**20  # a job posting is a page of text; more is not one


def _silent(_sentence: str, _kind: str) -> None:
    return None


@dataclass(frozen=True)
class Drafted:
    text: str
    criteria: int
    reviews: int  # lines marked '# REVIEW:'
    dest: str  # the file written, or "-" for standard output


def read_posting(path: Path) -> str:
    """The posting's text; one sentence naming the file when it cannot be read as text."""
    from screener.data.load.decode import decode

    name = str(path)
    try:
        if path.is_dir():
            raise InputError(f"The posting {name} is a folder; give the posting's file (Markdown, text or HTML).")
        with path.open("rb") as handle:
            data = handle.read(MAX_POSTING_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"The posting {name} does not exist.") from None
    except OSError as err:
        raise InputError(f"The posting {name} cannot be read: {err.strerror or err}.") from None
    if len(data) > MAX_POSTING_BYTES:
        raise InputError(f"The posting {name} is over {MAX_POSTING_BYTES // 2**20} MiB; a job posting is a page "
                         "of text (Markdown, plain text or HTML).")
    if not data.strip():
        raise InputError(f"The posting {name} is empty.")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"The posting {name} is not a text file; give it as Markdown, plain text or HTML.")
    text, _codec, _guessed, _notes = decode(data, None, name)
    return text


def _export_columns(export: Path, encoding: str | None, tell: Tell) -> list[Column]:
    """The export's columns as the draft sees them."""
    from screener.core.draft import profile_columns
    from screener.data import load

    frame, report = load.load_export(export, encoding=encoding)
    for note in report.notes:
        tell(f"note: {report.path}: {note}", "note")
    return profile_columns(frame, report.columns)


def draft(posting: Path, export: Path | None = None, *, encoding: str | None = None,
          tell: Tell = _silent) -> Drafted:
    """The rubric drafted from ``posting`` (with ``export``'s headers), checked by the loader."""
    from screener.core.draft import NoBullets, draft_rubric
    from screener.core.posting import posting_format

    text = read_posting(posting)
    columns = _export_columns(export, encoding, tell) if export is not None else None
    try:
        result = draft_rubric(text, fmt=posting_format(text, posting.name), source=posting.name, columns=columns,
                              export=export.name if export is not None else "")
    except NoBullets as err:
        raise InputError(f"The posting {posting} {err}.") from None
    _check(result.text, tell)
    return Drafted(result.text, result.criteria, result.reviews, "-")


def _check(text: str, tell: Tell) -> None:
    """Load the draft with the rubric loader; its warnings are told, its problems are a bug."""
    from screener.core.rubric import load_rubric

    with tempfile.TemporaryDirectory(prefix="screener-draft-") as folder:
        path = Path(folder) / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            rubric = load_rubric(path)
        except RubricError as err:
            problems = [p.replace(str(path), "draft") for p in err.problems]
            raise RubricError("The drafted rubric does not validate, so it was not written; this is a bug in "
                              "'screener rubric draft': please report it with the posting.", problems) from None
    for warning in rubric.warnings:
        tell("warning: " + warning.replace(str(path), "draft"), "warning")


def draft_to(posting: Path, dest: str, *, export: Path | None = None, force: bool = False,
             encoding: str | None = None, tell: Tell = _silent) -> Drafted:
    """Draft and write to ``dest`` ("-": standard output), atomically; an existing file is kept
    unless ``force``."""
    from screener.data.write import write_bytes

    if dest != "-" and Path(dest).exists() and not force:
        raise OutputError(f"{dest} already exists; pass --force to overwrite it, or choose another file with -o.")
    drafted = draft(posting, export, encoding=encoding, tell=tell)
    write_bytes(drafted.text.encode("utf-8"), dest)
    return Drafted(drafted.text, drafted.criteria, drafted.reviews, dest)


def posting_rubric(posting: Path, exports: str) -> StarterRubric:
    """A rubric drafted from the job posting as a project's starting rubric (``rubric draft``),
    its fields mapped onto the newest export matching ``exports`` when one is there already."""
    import re

    matches = [p for p in Path().glob(exports) if p.is_file()] if exports else []
    newest = max(matches, key=lambda p: (p.stat().st_mtime, p.name)) if matches else None
    drafted = draft(posting, newest)
    slug = re.sub(r"[^a-z0-9]+", "-", posting.stem.lower()).strip("-") or "rubric"
    origin = f"drafted from {posting.name}" + (f" and the headers of {newest}" if newest else "")
    return StarterRubric(slug + ".yaml", drafted.text.encode("utf-8"),
                         f"{origin}; {drafted.reviews} lines marked '# REVIEW:' to check")
