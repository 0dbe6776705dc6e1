"""The terminal: rich tables, summaries, progress and messages. The only module importing rich.

Untrusted text (anything from an export) becomes ``rich.text.Text`` through ``safe()`` and is
never interpolated into markup; control characters are shown as visible escapes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
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


def ranking(
    console: Console,
    rows: list[dict[str, Any]],
    *,
    blind: bool,
    title: str,
    caption: str = "",
) -> None:
    table = Table(title=title, caption=caption or None, show_lines=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    if not blind:
        table.add_column("name", max_width=22, overflow="ellipsis", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("must-haves", no_wrap=True)
    table.add_column("top reasons / knockouts", overflow="fold", min_width=24)
    for row in rows:
        bucket = str(row["bucket"])
        musts = Text(f"{BUCKET_MARK[bucket]} {bucket}", style=BUCKET_STYLE[bucket])
        if row.get("late") == "yes":
            musts.append(" · late", style="magenta")
        if row.get("test_entry") == "yes":
            musts.append(" · test entry", style="magenta")
        why = Text("\n").join(safe(part, limit=80) for part in str(row["reasons"] or "—").split("; "))
        if row["knockouts"]:
            why = Text.assemble(safe(row["knockouts"], limit=160, style="red"), "\n", why)
        cells: list[str | Text] = [str(row["rank"]), safe(row["id"], limit=20)]
        if not blind:
            cells.append(safe(row["name"], limit=24))
        cells += [f"{row['score']:.1f}", musts, why]
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


def explain(
    console: Console,
    header: dict[str, Any],
    criteria: list[dict[str, Any]],
    *,
    blind: bool,
) -> None:
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
    if header.get("reader"):
        console.print(Text(f"needs a reader of {visible(header['reader'])}: the free-text answers are not in the "
                           "rubric's language, so their points say little; read them before deciding.",
                           style="yellow"))
    if header.get("test_entry") == "yes":
        console.print(Text(f"test entry: {visible(str(header.get('test_entry_why', '')))} "
                           "(kept, left out of shortlists)", style="magenta"))
    for version in header.get("versions", ()):
        line = Text(f"earlier version: row {version['row']} (line {version['line']})", style="dim")
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
    table = Table(show_lines=True, expand=True)
    table.add_column("criterion", ratio=2, overflow="fold")
    table.add_column("rule", ratio=3, overflow="fold")
    table.add_column("answer read", ratio=3, overflow="fold")
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("why", ratio=4, overflow="fold")
    for crit in criteria:
        label = safe(crit["label"], limit=None, style="bold")
        if crit["must"]:
            label.append(" (must-have)", style="cyan")
        label.append("\n" + visible(crit["id"]), style="dim")
        status = str(crit["status"])
        points = Text(f"{crit['points']:.1f}/{crit['max']:.1f}")
        if crit["must"] or crit["max"] == 0:
            points.append(f"\n{BUCKET_MARK[status]} {status}", style=BUCKET_STYLE[status])
        why = safe(crit["evidence"], limit=400)
        if crit["reason"]:
            why.append(f"\n[{visible(str(crit['reason']))}]", style="dim")
        table.add_row(label, safe(crit["rule"], limit=None), safe(crit["answer"], limit=300), points, why)
    console.print(table)


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
    for name in ("group", "id", "") + (() if blind else ("name", "email")) + ("submitted", "score", "why grouped"):
        table.add_column(name, overflow="fold")
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
    table.add_column("criterion", ratio=2, overflow="fold")
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
        table.add_column(title, ratio=3, overflow="fold")
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
    """A progress bar on the (stderr) console when ``enabled`` and it is a terminal."""
    if not enabled or not console.is_terminal:
        yield lambda _step: None
        return
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    )
    with bar:
        task = bar.add_task(visible(label), total=total)
        yield lambda step: bar.update(task, advance=1, description=visible(f"{label}: {step}"))
