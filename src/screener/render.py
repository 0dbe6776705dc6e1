"""The terminal: rich tables, summaries, progress and messages. The only module importing rich.

Untrusted text (anything from an export) becomes ``rich.text.Text`` through ``safe()`` and is
never interpolated into markup; control characters are shown as visible escapes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.padding import Padding
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from screener.core.escape import visible

BUCKET_STYLE = {"pass": "green", "unknown": "yellow", "fail": "red"}
BUCKET_MARK = {"pass": "✓", "unknown": "?", "fail": "✗"}


def make_console(stream: IO[str] | None = None, *, stderr: bool = False, no_color: bool = False) -> Console:
    """A console that never parses markup or emoji in what it prints, and has no colour off a TTY
    or when ``NO_COLOR`` is set (rich checks both)."""
    color_off = no_color or bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream,
        stderr=stderr,
        highlight=False,
        emoji=False,
        markup=False,
        no_color=color_off,
        color_system=None if color_off else "auto",
        soft_wrap=False,
    )


def safe(value: Any, limit: int | None = 200, style: str = "") -> Text:
    """Untrusted text, shown literally: markup stays text, control characters become escapes."""
    return Text(visible("" if value is None else str(value), limit=limit), style=style)


def error(console: Console, message: str, details: list[str] | None = None) -> None:
    # soft_wrap: one message is one line, whatever the width, so logs and grep see it whole.
    text = Text("Error: ", style="bold red")
    text.append(visible(message))
    console.print(text, soft_wrap=True)
    for line in details or []:
        console.print(Text("  " + visible(line)), soft_wrap=True)


def note(console: Console, message: str, style: str = "yellow") -> None:
    console.print(Text(visible(message), style=style), soft_wrap=True)


# Store columns (``screener adjust`` / ``screener status``) a table may carry, shown when present
# (views.STORE_FIELDS; this module imports no pandas, so not from there).
STORE_FIELDS = ("adjustment", "adjusted_score", "adjustment_note", "adjusted_by", "adjusted_at", "decision",
                "decision_note", "decided_at")
_NUMBER_TAIL = re.compile(r" [+-]?\d+(?:\.\d+)?$")
# What the default score table gives up, in this order, until one line per applicant fits the
# terminal (reasons are always shortened to whole phrases first, a name past its column ends in "…"):
# the bucket's word (its mark stays), the decision, the adjustment (the adjusted score stays),
# names under 14 cells, the name, the rank, reasons under 20 cells.
RANKING_DROPS = ("must-have words", "decision", "adjustment", "short names", "name", "#", "narrow reasons")


def _blank(value: Any) -> bool:
    """None, "", NaN (NaN != NaN) or pandas' NA: a cell with no value."""
    return value is None or (isinstance(value, float) and value != value) or str(value) in ("", "<NA>")


def _plain(value: Any) -> str:
    return "" if _blank(value) else str(value)


def fit_words(text: Text, width: int, keep_number: bool = True) -> Text:
    """``text`` in at most ``width`` cells: whole if it fits, else cut after a whole word with
    "…" (a number ending it, as in "Years of PM experience +9.0", is kept: "Years of… +9.0");
    a single word longer than ``width`` is cut inside with "…". Never cut without the "…"."""
    if text.cell_len <= width:
        return text
    if width <= 1:
        return Text("…"[:width])
    tail = _NUMBER_TAIL.search(text.plain) if keep_number else None
    if tail and cell_len(tail.group()) + 2 <= width:
        head = fit_words(text[: tail.start()], width - cell_len(tail.group()))
        return Text.assemble(head, text[tail.start():])
    plain = text.plain
    cut = 0
    for i, char in enumerate(plain):
        if cell_len(plain[: i + 1]) > width - 1:
            break
        if char == " " and plain[:i].rstrip():
            cut = i
    if cut == 0:  # no space to cut at: inside the first word
        cut = 0
        while cut < len(plain) and cell_len(plain[: cut + 1]) <= width - 1:
            cut += 1
    out = text[:cut]
    while out.plain and out.plain[-1] in " ·;,:—/":  # no dangling separator before the "…"
        out = out[: len(out.plain) - 1]
    out.append("…")
    return out


def fit_chars(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, cut anywhere with "…" when longer (names, ids)."""
    if text.cell_len <= width:
        return text
    plain = text.plain
    cut = 0
    while cut < len(plain) and cell_len(plain[: cut + 1]) <= width - 1:
        cut += 1
    return Text.assemble(text[:cut], "…") if width >= 1 else Text("")


def fit_phrases(parts: list[Text], width: int, sep: str = "; ") -> Text:
    """As many whole ``parts`` as fit ``width`` cells, joined by ``sep``, then " …" when some are
    left out; the first part is shortened by ``fit_words`` when even it does not fit."""
    for count in range(len(parts), 0, -1):
        joined = Text(sep).join(parts[:count])
        if count < len(parts):
            joined.append(" …")
        if joined.cell_len <= width:
            return joined
    if not parts:
        return Text("")
    if len(parts) > 1 and parts[0].cell_len < width:
        return Text.assemble(parts[0], "…")
    # The first part cut inside (its "…" says more is left out); cut from all of them, so that a
    # first part exactly as wide as the cell is cut too rather than shown as if it were all.
    return fit_words(Text(sep).join(parts), width)


def _flags(row: dict[str, Any], words: bool) -> Text:
    """The must-haves cell: the bucket (its mark, and its word unless ``words`` is off), then
    "late", "dup GROUP" (in a duplicate group; GROUP is its newest submission) and "test entry"."""
    bucket = str(row["bucket"])
    text = Text(BUCKET_MARK[bucket] + (f" {bucket}" if words else ""), style=BUCKET_STYLE[bucket])
    if row.get("late") == "yes":
        text.append(" late", style="magenta")
    if not _blank(row.get("duplicate_group")):
        text.append(" dup ", style="cyan")
        text.append_text(safe(row["duplicate_group"], limit=20, style="cyan"))
    if row.get("test_entry") == "yes":
        text.append(" test entry", style="magenta")
    return text


def _reasons(row: dict[str, Any]) -> list[Text]:
    """The knockouts (red) then the top reasons, one phrase each."""
    parts = [safe(p, limit=160, style="red") for p in str(_plain(row.get("knockouts"))).split("; ") if p]
    parts += [safe(p, limit=80) for p in str(_plain(row.get("reasons"))).split("; ") if p]
    return parts or [Text("—")]


def _points(value: Any, signed: bool = False) -> str:
    if _blank(value):
        return ""
    number = float(value)
    return (f"{number:+.1f}" if number else "") if signed else f"{number:.1f}"


def ranking(
    console: Console,
    rows: list[dict[str, Any]],
    *,
    blind: bool,
    title: str,
    caption: str = "",
    wide: bool = False,
) -> None:
    """The ranked table. By default one line per applicant that fits the terminal: reasons are
    shortened to whole phrases ending in " …" and a long name ends in "…"; when that is not
    enough, ``RANKING_DROPS`` are taken in order (the bucket's word, leaving its mark; the
    decision; the adjustment, leaving the adjusted score; the name; the rank) and the caption
    says so. ``wide``: every column (store notes, who and when too), text wrapping at words."""
    store = any("adjusted_score" in r for r in rows)
    if wide:
        _ranking_wide(console, rows, blind=blind, title=title, caption=caption, store=store)
        return
    layout = _RankingLayout(console.width, rows, _ranking_columns(rows, blind=blind, store=store))
    widths, taken = layout.widths, layout.taken
    words = "must-have words" not in taken
    reasons = layout.reasons
    short = any(fit_phrases(parts, widths["reasons"]).plain != Text("; ").join(parts).plain for parts in reasons)
    table = Table(title=title, caption=_ranking_caption(caption, taken, short, store) or None, show_lines=False,
                  expand=False)
    cells_by_key: list[list[Text]] = []
    for key, (header, justify, cells) in layout.columns.items():
        if key in taken:
            continue
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis", width=widths[key])
        cells_by_key.append([fit_chars(c, widths[key]) for c in cells])
        if key == ("adjusted" if store else "score"):  # the must-haves after the (adjusted) score
            flags = layout.flags_width()
            table.add_column("must-haves" if words else "must", no_wrap=True, overflow="ellipsis", width=flags)
            cells_by_key.append([fit_words(_flags(r, words), flags) for r in rows])
    heading = next(h for h in ("top reasons / knockouts", "reasons / knockouts", "reasons", "why")
                   if cell_len(h) <= widths["reasons"] or h == "why")
    table.add_column(heading, no_wrap=True, overflow="ellipsis", width=widths["reasons"])
    cells_by_key.append([fit_phrases(parts, widths["reasons"]) for parts in reasons])
    for i in range(len(rows)):
        table.add_row(*(cells[i] for cells in cells_by_key))
    console.print(table)


_Column = tuple[str, JustifyMethod, list[Text]]  # header, justify, a cell per row


def _ranking_columns(rows: list[dict[str, Any]], *, blind: bool, store: bool) -> dict[str, _Column]:
    """The score table's columns before the must-haves, by key (``RANKING_DROPS`` names them)."""
    columns: dict[str, _Column] = {"#": ("#", "right", [Text(str(r["rank"])) for r in rows]),
                                   "id": ("id", "left", [safe(r["id"], limit=20) for r in rows])}
    if not blind:
        columns["name"] = ("name", "left", [safe(r.get("name"), limit=60) for r in rows])
    columns["score"] = ("score", "right", [Text(_points(r["score"])) for r in rows])
    if store:
        columns["adjustment"] = ("adj.", "right", [Text(_points(r.get("adjustment"), signed=True)) for r in rows])
        columns["adjusted"] = ("adjusted", "right", [Text(_points(r.get("adjusted_score")), style="bold")
                                                     for r in rows])
        columns["decision"] = ("decision", "left", [safe(r.get("decision"), limit=12) for r in rows])
    return columns


def _ranking_caption(caption: str, taken: list[str], short: bool, store: bool = False) -> str:
    """The caller's caption, then what was shortened or left out to fit, and how to see it all."""
    notes = [caption] if caption else []
    if short:
        notes.append("reasons shortened (…)")
    if "must-have words" in taken:
        notes.append("must-haves: ✓ pass, ? unknown, ✗ fail")
    left_out = [{"adjustment": "adj."}.get(step, step) for step in taken
                if step not in ("must-have words", "short names", "narrow reasons")]
    if left_out:
        notes.append("left out to fit: " + ", ".join(left_out))
    if short or left_out or store:
        notes.append("--wide: every column" + (" (notes, who and when too)" if store else "") + ", wrapping")
    return " · ".join(notes)


class _RankingLayout:
    """Column widths for the default score table in ``width`` cells: ``RANKING_DROPS`` taken in
    order until the columns' least widths fit (names 14 cells, then 8; reasons 20, then 10);
    room left over goes to the name (up to 22 cells), then to the reasons."""

    def __init__(self, width: int, rows: list[dict[str, Any]], columns: dict[str, _Column]) -> None:
        self.width, self.rows, self.columns = width, rows, columns
        self.reasons = [_reasons(r) for r in rows]
        self.taken: list[str] = []
        # Measured once: fit() is tried once per step.
        self._natural = {key: max([cell_len(header)] + [c.cell_len for c in cells])
                         for key, (header, _, cells) in columns.items()}
        self._flags = {words: max([cell_len("must-haves" if words else "must")]
                                  + [_flags(r, words).cell_len for r in rows]) for words in (True, False)}
        self._longest = max([Text("; ").join(parts).cell_len for parts in self.reasons]
                            + [cell_len("top reasons / knockouts")])
        found = self.fit()
        for step in RANKING_DROPS:
            if found is not None:
                break
            if step in columns or step not in ("decision", "adjustment", "name", "#"):
                self.taken.append(step)
                found = self.fit()
        # Narrower than any table: rich squeezes the last arrangement.
        self.widths = found or {k: self.minimum(k) for k in columns if k not in self.taken} | {"reasons": 10}

    def natural(self, key: str) -> int:
        return self._natural[key]

    def flags_width(self) -> int:
        return self._flags["must-have words" not in self.taken]

    def minimum(self, key: str) -> int:
        if key == "name":
            return min(self.natural(key), 8 if "short names" in self.taken else 14)
        return self.natural(key)

    def fit(self) -> dict[str, int] | None:
        keys = [k for k in self.columns if k not in self.taken]
        # Each column has a border on its left and a space either side; the last a border after.
        room = self.width - (3 * (len(keys) + 2) + 1) - self.flags_width()
        least = 10 if "narrow reasons" in self.taken else 20
        need = sum(self.minimum(k) for k in keys) + least
        if need > room:
            return None
        widths = {k: self.minimum(k) for k in keys}
        spare = room - need
        if "name" in widths:
            grow = min(max(0, min(self.natural("name"), 22) - widths["name"]), spare)
            widths["name"] += grow
            spare -= grow
        widths["reasons"] = min(least + spare, self._longest)
        return widths


def _ranking_wide(console: Console, rows: list[dict[str, Any]], *, blind: bool, title: str, caption: str,
                  store: bool) -> None:
    """``ranking`` with every column, text wrapping at words (a word longer than its column ends in "…")."""
    table = Table(title=title, caption=caption or None, show_lines=True, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", overflow="ellipsis")
    if not blind:
        table.add_column("name", overflow="ellipsis")
    table.add_column("score", justify="right", no_wrap=True)
    if store:
        for name in ("adj.", "adjusted"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("adjustment · decision", overflow="ellipsis")
    table.add_column("must-haves", overflow="ellipsis")
    table.add_column("top reasons / knockouts", overflow="ellipsis")
    for row in rows:
        cells: list[Text] = [Text(str(row["rank"])), safe(row["id"], limit=40)]
        if not blind:
            cells.append(safe(row.get("name"), limit=80))
        cells.append(Text(_points(row["score"])))
        if store:
            head = {k: ("" if _blank(row.get(k)) else row[k]) for k in STORE_FIELDS}
            cells += [Text(_points(row.get("adjustment"), signed=True)),
                      Text(_points(row.get("adjusted_score")), style="bold"),
                      Text("\n").join(_store_lines({**head, "score": row["score"]}))]
        cells.append(_flags(row, True))
        cells.append(Text("\n").join(_reasons(row)))
        table.add_row(*cells)
    console.print(table)


def summary_line(console: Console, summary: dict[str, int], extra: str = "") -> None:
    text = Text()
    text.append(f"{summary['applicants']} applicants", style="bold")
    text.append(" · must-haves: ")
    text.append(f"{summary['pass']} pass", style="green")
    text.append(", ")
    text.append(f"{summary['unknown']} unknown", style="yellow")
    text.append(", ")
    text.append(f"{summary['fail']} fail", style="red")
    text.append(f" · {summary['late']} late · {summary['duplicates']} in {summary['duplicate_groups']} "
                "duplicate groups")
    if extra:
        text.append(" · " + visible(extra))
    console.print(text)


def _late_fact(facts: Text, header: dict[str, Any]) -> None:
    """" · LATE", or why late is unknown (a date that reads as two different days, say)."""
    if header.get("late") == "yes":
        facts.append(" · LATE", style="magenta")
    elif header.get("late") == "unknown" and header.get("late_why"):
        facts.append(" · late unknown: ", style="magenta")
        facts.append_text(safe(header["late_why"], limit=160))


def _store_lines(head: dict[str, Any]) -> list[Text]:
    """A person's adjustment and the latest decision (from the store), when the record has them."""
    lines = []
    if "adjusted_score" in head and (head.get("adjustment") or head.get("adjustment_note")):
        line = Text("adjusted ")
        line.append(f"{float(head['adjusted_score']):.1f}", style="bold")
        line.append(f" ({float(head.get('adjustment') or 0):+.1f} on the computed {float(head['score']):.1f}")
        for key, word in (("adjusted_by", " by "), ("adjusted_at", " at ")):
            if head.get(key):
                line.append(word)
                line.append_text(safe(head[key], limit=80))
        line.append(")")
        if head.get("adjustment_note"):
            line.append(": ")
            line.append_text(safe(head["adjustment_note"], limit=400, style="italic"))
        lines.append(line)
    if head.get("decision"):
        line = Text("decision ")
        line.append_text(safe(head["decision"], limit=40, style="bold"))
        if head.get("decided_at"):
            line.append(" at ")
            line.append_text(safe(head["decided_at"], limit=40))
        if head.get("decision_note"):
            line.append(": ")
            line.append_text(safe(head["decision_note"], limit=400, style="italic"))
        lines.append(line)
    return lines


# An answer up to this long, on one line, is shown beside the criteria reading it; a longer one
# once, under "Answers", and the criteria name it ("answer 2").
_INLINE_ANSWER = 60


def answer_text(text: str) -> str:
    """An applicant's answer for the terminal: line breaks kept as line breaks (CR LF and CR
    read as one), blank lines run together, every other control character a visible escape."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return visible(text, keep_newlines=True)


def explain(
    console: Console,
    header: dict[str, Any],
    criteria: list[dict[str, Any]],
    *,
    blind: bool,
    wide: bool = False,
) -> None:
    """One applicant: the header facts, then per criterion its points, why, what it read and
    its rule (the read answer and rule on one line ending in "…" when shortened, unless
    ``wide``), then each long answer once, line breaks kept; the criteria name the answers
    they read ("answer 1")."""
    _explain_header(console, header, blind=blind)
    # Long answers are numbered in the order criteria first read them; short ones stay inline.
    answers = header.get("answers")
    long = [a for a in answers or [] if "\n" in a["text"].strip() or len(a["text"].strip()) > _INLINE_ANSWER]
    console.print()
    if _explain_criteria(console, criteria, answers, long, wide=wide):
        console.print(Text("Lines ending in '…' are shortened to one line; --wide shows them whole.", style="dim"))
    if long:
        console.print(Text("Answers", style="bold"))
    for i, item in enumerate(long, start=1):
        head = Text(f"answer {i}: ", style="bold cyan")
        head.append_text(safe(item["field"], limit=60, style="bold"))
        if item.get("column") and item["column"] != item["field"]:
            head.append(" — ")
            head.append_text(safe(item["column"], limit=120, style="dim"))
        console.print(head)
        console.print(Padding(Text(answer_text(item["text"])), (0, 0, 0, 2)))


def _explain_header(console: Console, header: dict[str, Any], *, blind: bool) -> None:
    """``explain``'s facts about the applicant, one paragraph (no blank line inside)."""
    title = Text()
    title.append(f"#{header['rank']} ", style="bold")
    title.append_text(safe(header["id"], limit=40, style="bold"))
    if not blind and header.get("name"):
        title.append(" — ")
        title.append_text(safe(header["name"], limit=60))
    console.print(title)
    facts = Text()
    facts.append(f"score {header['score']:.1f} / 100", style="bold")
    bucket = str(header["bucket"])
    facts.append(" · must-haves ")
    facts.append(bucket, style=BUCKET_STYLE[bucket])
    if header.get("row") is not None:  # not under --blind
        facts.append(f" · row {header['row']} (line {header['line']})")
    if header.get("submitted_at"):
        facts.append(f" · submitted {header['submitted_at']}")
    _late_fact(facts, header)
    if header.get("duplicate_group"):
        facts.append(" · duplicate group ")
        facts.append_text(safe(header["duplicate_group"], limit=20))
        if header.get("duplicate_why"):
            facts.append(f" ({header['duplicate_why']})")
    console.print(facts)
    for line in _store_lines(header):
        console.print(line)
    if header.get("reader"):
        console.print(Text(f"needs a reader of {visible(header['reader'])}: the free-text answers are not in the "
                           "rubric's language, so their points say little; read them before deciding.",
                           style="yellow"))
    if header.get("test_entry") == "yes":
        console.print(Text(f"test entry: {visible(str(header.get('test_entry_why', '')))} "
                           "(kept, left out of shortlists)", style="magenta"))
    for version in header.get("versions", ()):
        line = Text("earlier version" + (f": row {version['row']} (line {version['line']})"
                                         if version.get("row") is not None else ""), style="dim")
        if version["updated"]:
            line.append(f", updated {visible(version['updated'])}")
        changed = ", ".join(visible(c) for c in version["changed"])
        line.append(f"; the latest changed: {changed}" if changed else "; the latest changed no answer")
        console.print(line)
    if header.get("groups"):
        parts = Text("by group: ")
        for i, (name, got, most) in enumerate(header["groups"]):
            parts.append(("" if i == 0 else " · ") + f"{visible(name)} {got:.1f}/{most:.1f}")
        console.print(parts)
    console.print(Text(f"rubric {visible(header['rubric'])} ({header['rubric_sha256'][:12]})", style="dim"))


def _explain_criteria(console: Console, criteria: list[dict[str, Any]], answers: list[dict[str, Any]] | None,
                      long: list[dict[str, Any]], *, wide: bool) -> bool:
    """The criteria table of ``explain``; whether a line was shortened to fit."""
    shown = {a["field"]: a for a in answers or []}
    number = {a["field"]: i for i, a in enumerate(long, start=1)}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, show_lines=False)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("criterion · why · what it read · rule", ratio=1, overflow="ellipsis")

    def mark(crit: dict[str, Any]) -> str:
        return f"{BUCKET_MARK[str(crit['status'])]} " if crit["must"] or crit["max"] == 0 else ""

    def read(crit: dict[str, Any]) -> Text:
        out = Text("read ", style="dim")
        if answers is None:  # an older caller's criteria: the answer as one string
            return out.append_text(safe(crit["answer"], limit=120))
        refs = [str(number[name]) for name in crit.get("fields", ()) if name in number]
        pieces = [Text(("answers " if len(refs) > 1 else "answer ") + ", ".join(refs), style="cyan")] if refs else []
        for name in crit.get("fields", ()):
            if name not in number:
                value = shown[name]["text"].strip() if name in shown else ""
                pieces.append(safe(value, limit=_INLINE_ANSWER + 1) if value else Text("(blank)", style="dim"))
        return out.append_text(Text(" / ").join(pieces) if pieces else Text("—"))

    # The text column's width, for the one-line rule: the points column and a separator of 3.
    width = max(console.width - 3 - max([6] + [cell_len(f"{mark(c)}{c['points']:.1f}/{c['max']:.1f}")
                                               for c in criteria]), 20)
    shortened = False
    for crit in criteria:
        status = str(crit["status"])
        points = Text(mark(crit), style=BUCKET_STYLE[status])
        points.append(f"{crit['points']:.1f}/{crit['max']:.1f}")
        cell = safe(crit["label"], limit=None, style="bold")
        if crit["must"]:
            cell.append(" (must-have)", style="cyan")
        cell.append(" " + visible(crit["id"]), style="dim")
        cell.append(": ")
        cell.append_text(safe(crit["evidence"], limit=600))
        if crit["reason"]:
            cell.append(f" [{visible(str(crit['reason']))}]", style="dim")
        line = Text.assemble(read(crit), Text(" · rule ", style="dim"), safe(crit["rule"], limit=None, style="dim"))
        if not wide and line.cell_len > width:
            shortened = True
            line = fit_words(line, width, keep_number=False)
        table.add_row(points, Text.assemble(cell, "\n", line))
    console.print(table)
    return shortened


def inspect(
    console: Console,
    facts: list[tuple[str, str]],
    columns: list[tuple[str, str, list[str]]],
    mapping: list[dict[str, Any]],
    rejected: list[tuple[int, str]],
) -> None:
    overview = Table.grid(padding=(0, 2))
    overview.add_column(style="bold")
    overview.add_column()
    for key, value in facts:
        overview.add_row(key, safe(value, limit=200))
    console.print(overview)
    cols = Table(title="Columns", expand=True)
    cols.add_column("column", overflow="fold", ratio=2)
    cols.add_column("filled", justify="right", no_wrap=True)
    cols.add_column("examples", overflow="fold", ratio=5)
    for name, filled, examples in columns:
        cols.add_row(safe(name, limit=80), filled, safe(" | ".join(examples), limit=160))
    console.print(cols)
    fields = Table(title="Rubric fields → columns", expand=True)
    fields.add_column("field", no_wrap=True)
    fields.add_column("column", overflow="fold")
    fields.add_column("how", no_wrap=True)
    fields.add_column("score", justify="right", no_wrap=True)
    fields.add_column("used by", overflow="fold")
    for item in mapping:
        found = item["column"] is not None
        how = Text(item["method"], style="green" if item["method"] == "exact" else
                   "yellow" if found else "bold red")
        fields.add_row(
            safe(item["field"], limit=None),
            safe(item["column"] if found else f"not found (looked for {item['candidate']})", limit=120),
            how,
            f"{item['score']:.0f}" if found else "—",
            safe(item["used_by"], limit=None),
        )
    console.print(fields)
    if rejected:
        console.print(Text(f"{len(rejected)} rows could not be read:", style="bold red"))
        for line, reason in rejected[:20]:
            console.print(Text(f"  line {line}: {visible(reason)}"))
        if len(rejected) > 20:
            console.print(Text(f"  … and {len(rejected) - 20} more"))


def rubric_report(console: Console, facts: list[tuple[str, str]], criteria: list[tuple[str, ...]]) -> None:
    overview = Table.grid(padding=(0, 2))
    overview.add_column(style="bold")
    overview.add_column()
    for key, value in facts:
        overview.add_row(key, Text(visible(value)))
    console.print(overview)
    table = Table(expand=True)
    for name in ("id", "kind", "group", "max points", "must", "label"):
        table.add_column(name, overflow="fold", justify="right" if name == "max points" else "left")
    for row in criteria:
        table.add_row(*(Text(visible(cell)) for cell in row))
    console.print(table)


def rubric_list(console: Console, sections: list[tuple[str, list[tuple[str, ...]]]]) -> None:
    """``screener rubric list``: under each heading (bundled, ./rubrics), every rubric's name,
    language, criteria and title."""
    for heading, rows in sections:
        console.print(Text(visible(heading), style="bold"), soft_wrap=True)
        table = Table(expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
        # The name is typed back ('init --template NAME', '--rubric PATH'): never broken across lines.
        for name in ("name", "language", "criteria"):
            table.add_column(name, no_wrap=True, justify="right" if name == "criteria" else "left")
        table.add_column("title", overflow="fold")
        for row in rows:
            table.add_row(*(Text(visible(cell)) for cell in row))
        console.print(table)


def duplicates(console: Console, rows: list[dict[str, Any]], *, blind: bool) -> None:
    groups = len({r["group"] for r in rows})
    table = Table(title=f"{groups} groups, {len(rows)} applications", expand=False)
    # Groups in id order, numbers as numbers (views.duplicate_rows). Ids, times and scores stay
    # whole; other text wraps at words, and a word longer than its column ends in "…".
    for name in ("group", "id", "") + (() if blind else ("name", "email")) + ("submitted", "score", "why grouped"):
        table.add_column(name, overflow="ellipsis", no_wrap=name in ("group", "id", "", "submitted", "score"),
                         justify="right" if name == "score" else "left")
    for row in rows:
        cells = [safe(row["group"], 20), safe(row["id"], 20), Text("primary" if row["primary"] else "")]
        if not blind:
            cells += [safe(row["name"], 30), safe(row["email"], 40)]
        cells += [safe(row["submitted_at"], 20), Text(f"{row['score']:.1f}"), safe(row["why"], 120)]
        table.add_row(*cells)
    console.print(table)


def audit(console: Console, rows: list[dict[str, Any]], *, cut: str, median: float, audited: int, unmatched: int,
          minimum: int) -> None:
    """The adverse-impact table, one section per dimension, never cut: text wraps at word
    boundaries within widths chosen here (rich's own squeeze can split words), and when the
    table cannot fit the terminal, these steps are taken in order until it does, with a note
    saying so: leave out the two counts (selected, above median), then the two ratio ranges,
    then the two rates' 95% intervals, then shorten "selection" to "sel." in the headers; last,
    the group and flag columns fold long words. Files (``--format``) always hold every column.
    Room left over goes to the flag before the group grows past 26 characters."""
    from rich.measure import Measurement

    steps = (("selected", "above median"), ("selection ratio range", "scoring ratio range"),
             ("selection 95% CI", "scoring 95% CI"), ("abbreviate",), ("squeeze",))
    shown = [_audit_cells(row) for row in rows]
    headers = list(shown[0]) if shown else []
    wide = console.options.update_width(10_000)
    sizes = {name: [Measurement.get(console, wide, c[name]) for c in shown] for name in headers}
    sizes["group"] = sizes.get("group", []) + [Measurement.get(console, wide, safe(r["dimension"], 60)) for r in rows]

    def title(name: str) -> str:
        return name.replace("selection", "sel.") if "abbreviate" in taken else name

    def fit() -> list[int] | None:
        """Content widths of ``headers`` that fit the terminal, or None. SIMPLE_HEAD without
        edges: one separator between columns and one space of padding on each inner side."""
        if not headers:
            return []
        room = console.width - 3 * (len(headers) - 1)
        low = [max([len(w) for w in title(h).split()] + [m.minimum for m in sizes[h]]) for h in headers]
        if "squeeze" in taken:
            low = [min(n, 10) if h in ("group", "flag") else n for h, n in zip(headers, low, strict=True)]
        high = [max([n] + [m.maximum for m in sizes[h]]) for h, n in zip(headers, low, strict=True)]
        if sum(low) > room:
            return None
        full = high[0]
        high[0] = min(full, max(low[0], 26))  # the group column ("group" comes first) waits for the flag
        level = max(high)  # the widest columns give way first, none below its longest word
        while sum(min(h, max(n, level)) for n, h in zip(low, high, strict=True)) > room:
            level -= 1
        widths = [min(h, max(n, level)) for n, h in zip(low, high, strict=True)]
        widths[0] = min(full, widths[0] + room - sum(widths))
        return widths

    taken: list[str] = []
    widths = fit()
    for step in steps:
        if widths is not None:
            break
        taken.extend(step)
        headers = [name for name in headers if name not in step]
        widths = fit()
    table = Table(title=f"Adverse-impact audit: shortlist cut {cut}; scoring rate = share above the median "
                  f"score ({median:.1f})", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    fixed: list[int | None] = [*widths] if widths is not None else [None] * len(headers)
    for name, width in zip(headers, fixed, strict=True):
        table.add_column(title(name), justify="left" if name in ("group", "flag") else "right", overflow="fold",
                         width=width)
    for i, (row, row_cells) in enumerate(zip(rows, shown, strict=True)):
        if i == 0 or row["dimension"] != rows[i - 1]["dimension"]:
            if i:
                table.add_section()
            table.add_row(safe(row["dimension"], 60, style="bold"), *[""] * (len(headers) - 1))
        table.add_row(*(row_cells[name] for name in headers))
    console.print(table)
    left_out = [step for step in taken if step not in ("abbreviate", "squeeze")]
    if taken:
        console.print(Text(
            f"To fit {console.width} columns: " + "; ".join(
                ([f"left out {', '.join(left_out)}"] if left_out else [])
                + (["'sel.' is selection"] if "abbreviate" in taken else [])
                + (["long words in group and flag are folded"] if "squeeze" in taken else []))
            + ". To see every column, widen the terminal (e.g. COLUMNS=200) or write a file: "
            "--format csv|json|md|xlsx -o FILE.", style="yellow"))
    console.print(Text(
        f"{audited} applicants audited; {unmatched} self-identification rows matched nobody; groups under "
        f"{minimum} people are suppressed. Each rate shows its 95% Wilson interval. An impact ratio compares a "
        "group's rate with the reference (the highest rate among stated groups shown); its range runs from the "
        "group's lowest plausible rate over the reference's highest to its highest over the reference's lowest. "
        "'too few to tell': that range reaches both below 0.8 and above 1.0. 'below four-fifths': the ratio is "
        "under 0.8 and its range does not reach above 1.0. Answers that name no category (blank, 'Prefer not to "
        "say', 'Keine Angabe'...) are shown but are never the reference and never flagged. The four-fifths flag is "
        "a rule of thumb, not a legal finding; screener ranks for human review and rejects no one.", style="dim"))


_AUDIT_STYLES = {"below four-fifths": "bold red", "too few to tell": "yellow"}


def _audit_cells(row: dict[str, Any]) -> dict[str, Text]:
    """One row of ``audit``'s table, every column by its header, in the order shown."""

    def missing(value: Any) -> bool:
        return value is None or str(value) in ("<NA>", "nan")  # suppressed or none: pandas' NA or NaN

    def number(value: Any, fmt: str, style: str = "") -> Text:
        return Text("—", style="dim") if missing(value) else Text(format(value, fmt), style=style)

    def span(low: Any, high: Any, percent: bool = False) -> Text:
        if missing(low) or missing(high):
            return Text("")
        if percent:
            return Text(f"{low * 100:.1f}–{high * 100:.1f}%", style="dim")
        return Text(f"{low:.2f}–{high:.2f}", style="dim")

    out = {"group": safe(row["group"], 60), "people": Text(str(row["people"]))}
    for rate, count, counted in (("selection", "selected", "selected"), ("scoring", "above_median", "above median")):
        out[counted] = number(row[count], "d")
        out[f"{rate} rate"] = number(row[f"{rate}_rate"], ".1%")
        out[f"{rate} 95% CI"] = span(row[f"{rate}_rate_low"], row[f"{rate}_rate_high"], percent=True)
        out[f"{rate} impact ratio"] = number(row[f"{rate}_impact_ratio"], ".2f",
                                             _AUDIT_STYLES.get(row[f"{rate}_status"], ""))
        out[f"{rate} ratio range"] = span(row[f"{rate}_ratio_low"], row[f"{rate}_ratio_high"])
    out["flag"] = Text()
    for i, part in enumerate(row["flag"].split("; ") if row["flag"] else []):
        style = next((s for words, s in _AUDIT_STYLES.items() if part.startswith(words)), "dim")
        out["flag"].append(("; " if i else "") + visible(part), style=style)
    return out


def compare(console: Console, columns: list[dict[str, Any]], rubric: Any) -> None:
    table = Table(show_lines=True, expand=True, title="Side by side")
    table.add_column("criterion", ratio=2, overflow="ellipsis")
    for col in columns:
        head = col["header"]
        title = Text(f"#{head['rank']} ", style="bold")
        title.append_text(safe(head["id"], 20, style="bold"))
        if head["name"]:
            title.append("\n")
            title.append_text(safe(head["name"], 40))
        title.append(f"\n{head['score']:.1f} · ")
        title.append(head["bucket"], style=BUCKET_STYLE[head["bucket"]])
        if head["late"] == "yes":
            title.append(" · late", style="magenta")
        if head.get("duplicate_group"):
            title.append(" · dup ", style="cyan")
            title.append_text(safe(head["duplicate_group"], 20, style="cyan"))
        if head.get("test_entry") == "yes":
            title.append(" · test entry", style="magenta")
        for line in _store_lines(head):
            title.append("\n")
            title.append_text(line)
        # Text wraps at words; a word longer than the column ends in "…".
        table.add_column(title, ratio=3, overflow="ellipsis")
    for crit in rubric.criteria:
        label = Text(crit.label, style="bold")
        if crit.must:
            label.append(" (must-have)", style="cyan")
        cells: list[Any] = [label]
        best = max(col["cells"][crit.id][0] for col in columns)
        for col in columns:
            points, status, evidence, most = col["cells"][crit.id]
            text = Text(f"{points:.1f}/{most:.1f}", style="bold green" if points == best and points > 0 else "")
            text.append(f" {BUCKET_MARK[status]}", style=BUCKET_STYLE[status])
            text.append("\n")
            text.append_text(safe(evidence, 160))
            cells.append(text)
        table.add_row(*cells)
    console.print(table)


def audit_log(console: Console, entries: list[dict[str, Any]], path: str) -> None:
    table = Table(title=f"Audit log {visible(path)}: {len(entries)} records", expand=False)
    for name in ("#", "time (UTC)", "command", "rubric", "input", "applicants", "pass", "unknown", "fail"):
        table.add_column(name, overflow="fold", justify="right" if name in ("#", "applicants", "pass", "unknown",
                                                                             "fail") else "left")
    for number, entry in enumerate(entries, start=1):
        counts = entry.get("counts", {})
        rubric = entry.get("rubric", {})
        source = entry.get("input", {})
        table.add_row(str(number), safe(entry.get("ts", ""), 25), safe(entry.get("command", ""), 12),
                      safe(f"{rubric.get('name', '')} {str(rubric.get('sha256', ''))[:12]}", 60),
                      safe(f"{source.get('path', '')} {str(source.get('sha256', ''))[:12]}", 80),
                      str(counts.get("applicants", "")), str(counts.get("pass", 0)), str(counts.get("unknown", 0)),
                      str(counts.get("fail", 0)))
    console.print(table)


@contextmanager
def progress(console: Console, total: int, label: str, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A transient progress line on the (stderr) console when ``enabled`` and it is a terminal:
    a spinner, the label with the last step, the time taken, and for ``total`` steps a bar
    counting them (each call of what is yielded is one step done, from any thread). ``total`` 0
    is a phase with no count (reading an export): the spinner and the clock show it is at work.
    Each step is drawn when it is made: between the ten redraws a second, steps done in quick
    succession (the helper process's criteria) would otherwise never be named."""
    if not enabled or not console.is_terminal:
        yield lambda _step: None
        return
    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total:
        columns += [BarColumn(), MofNCompleteColumn()]
    bar = Progress(*columns, TimeElapsedColumn(), console=console, transient=True)
    with bar:
        task = bar.add_task(visible(label), total=total or None)
        yield lambda step: bar.update(task, advance=1 if total else 0, description=visible(f"{label}: {step}"),
                                      refresh=True)
