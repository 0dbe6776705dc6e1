"""One self-contained HTML report a hiring manager would rather look at than read: the score
distribution, the shortlist with per-criterion evidence, knockout reasons, duplicates, late
submissions and the adverse-impact summary. No scripts, no network assets; every value from
an export is HTML-escaped."""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pandas as pd

from screener.core.escape import visible
from screener.core.rubric import Rubric
from screener.core.scoring import max_points

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;
padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e7ef;padding-bottom:.3rem}
.meta{color:#5b6477}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#f4f6fa;border-radius:10px;padding:.8rem 1.1rem;min-width:120px}
.card b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:.6rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e7ef;vertical-align:top}
th{background:#f4f6fa;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333}.unknown{color:#a15c00}.fail{color:#b3261e}details summary{cursor:pointer}
.bar-pass{fill:#34a853}.bar-unknown{fill:#fbbc04}.bar-fail{fill:#ea4335}.axis{font-size:11px;fill:#5b6477}
.note{color:#5b6477;font-size:.92rem}.ev{color:#39404f;font-size:.9rem}
"""


def _e(value: Any) -> str:
    return escape(visible("" if value is None else str(value)), quote=True)


def histogram_svg(table: pd.DataFrame, width: int = 760, height: int = 220) -> str:
    """Applicants per 10-point score band, stacked by must-have bucket."""
    bins = np.arange(0, 101, 10)
    buckets = ("pass", "unknown", "fail")
    counts = {b: np.histogram(table.loc[table["bucket"] == b, "score"].astype(float), bins=bins)[0] for b in buckets}
    totals = np.sum(list(counts.values()), axis=0)
    top = max(int(totals.max()) if len(totals) else 0, 1)
    left, bottom, bar_w = 40, 24, (width - 50) / 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="Score distribution">']
    for i in range(10):
        y = height - bottom
        for b in buckets:
            h = (height - bottom - 10) * counts[b][i] / top
            if h > 0:
                parts.append(f'<rect class="bar-{b}" x="{left + i * bar_w + 2:.1f}" y="{y - h:.1f}" '
                             f'width="{bar_w - 4:.1f}" height="{h:.1f}"><title>{bins[i]}-{bins[i + 1]}: '
                             f'{counts[b][i]} {b}</title></rect>')
                y -= h
        parts.append(f'<text class="axis" x="{left + i * bar_w + bar_w / 2:.1f}" y="{height - 6}" '
                     f'text-anchor="middle">{bins[i]}–{bins[i + 1]}</text>')
        parts.append(f'<text class="axis" x="{left + i * bar_w + bar_w / 2:.1f}" '
                     f'y="{height - bottom - 10 - (height - bottom - 10) * totals[i] / top - 4:.1f}" '
                     f'text-anchor="middle">{int(totals[i]) or ""}</text>')
    parts.append(f'<text class="axis" x="4" y="14">{top}</text></svg>')
    return "".join(parts)


def render_report(table: pd.DataFrame, rubric: Rubric, *, top: int, shortlist_ids: list[str],
                  left: pd.DataFrame, source: str, audit: pd.DataFrame | None = None, blind: bool = False) -> str:
    counts = table["bucket"].value_counts()
    late = table[table["late"] == "yes"]
    scale = max_points(rubric)
    short = table.set_index(table["id"].astype(str)).loc[shortlist_ids] if shortlist_ids else table.head(0)
    out = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width,initial-scale=1'>",
        f"<title>{_e(rubric.title)} — screening report</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(rubric.title)}</h1>",
        f"<p class=meta>Rubric <code>{_e(rubric.name)}</code> ({_e(rubric.short_hash)}) · input {_e(source)}. "
        "screener ranks applications for human review; it rejects no one.</p>",
        "<div class=cards>",
        f"<div class=card><b>{len(table)}</b>applicants</div>",
        f"<div class='card pass'><b>{int(counts.get('pass', 0))}</b>must-haves pass</div>",
        f"<div class='card unknown'><b>{int(counts.get('unknown', 0))}</b>must-haves unknown</div>",
        f"<div class='card fail'><b>{int(counts.get('fail', 0))}</b>must-have failed</div>",
        f"<div class=card><b>{len(late)}</b>late</div>",
        f"<div class=card><b>{int((table['duplicate_group'] != '').sum())}</b>in duplicate groups</div>",
        "</div>",
        "<h2>Score distribution</h2>",
        histogram_svg(table),
        "<p class=note>Applicants per 10-point band; green: must-haves pass, amber: unknown, red: failed.</p>",
        f"<h2>Shortlist: top {len(shortlist_ids)} of {top} asked</h2>",
        "<table><tr><th class=n>#</th><th>id</th>" + ("" if blind else "<th>name</th>")
        + "<th class=n>score</th><th>must-haves</th><th>top reasons and evidence</th></tr>",
    ]
    for _, row in short.iterrows():
        details = "".join(
            f"<tr><td>{_e(c.label)}</td><td class=n>{float(row[f'{c.id}.points']):.1f}/{scale[c.id]:.1f}</td>"
            f"<td class='{_e(row[f'{c.id}.status'])}'>{_e(row[f'{c.id}.status'])}</td>"
            f"<td class=ev>{_e(row[f'{c.id}.evidence'])}</td></tr>" for c in rubric.criteria)
        out.append(
            f"<tr><td class=n>{int(row['rank'])}</td><td>{_e(row['id'])}</td>"
            + ("" if blind else f"<td>{_e(row.get('name', ''))}</td>")
            + f"<td class=n>{float(row['score']):.1f}</td><td class='{_e(row['bucket'])}'>{_e(row['bucket'])}</td>"
            f"<td>{_e(row['reasons'])}<details><summary>every criterion</summary><table>{details}</table>"
            "</details></td></tr>")
    out.append("</table>")
    knock = table.loc[table["knockouts"] != "", "knockouts"].str.split("; ").explode()
    out.append("<h2>Must-have reasons</h2>")
    if len(knock):
        out.append("<table><tr><th>must-have and reason</th><th class=n>applicants</th></tr>")
        for reason, n in knock.value_counts().items():
            out.append(f"<tr><td>{_e(reason)}</td><td class=n>{int(n)}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>Everyone passed every must-have.</p>")
    out.append("<h2>Left out of the shortlist</h2><table><tr><th>why</th><th class=n>applicants</th></tr>")
    if len(left):
        reasons = left["left_out_because"].astype(str).str.replace(r":.*", "", regex=True).value_counts()
    else:
        reasons = pd.Series(dtype=int)
    for reason, n in reasons.items():
        out.append(f"<tr><td>{_e(reason)}</td><td class=n>{int(n)}</td></tr>")
    out.append("</table>")
    groups = table[table["duplicate_group"] != ""].sort_values(["duplicate_group", "submitted_at"], kind="stable")
    out.append(f"<h2>Duplicates ({groups['duplicate_group'].nunique()} groups)</h2>")
    if len(groups):
        out.append("<table><tr><th>group (newest)</th><th>application</th><th>submitted</th><th>why</th></tr>")
        for _, row in groups.iterrows():
            out.append(f"<tr><td>{_e(row['duplicate_group'])}</td><td>{_e(row['id'])}</td>"
                       f"<td>{_e(row['submitted_at'])}</td><td>{_e(row['duplicate_why'])}</td></tr>")
        out.append("</table>")
    out.append(f"<h2>Late submissions ({len(late)})</h2>")
    if len(late):
        out.append("<p>" + ", ".join(_e(i) for i in late["id"]) + "</p>")
    unsure = table[table["late"] == "unknown"]
    if len(unsure):  # flagged, not counted late: a person checks them
        why = unsure["late_why"] if "late_why" in unsure else pd.Series([""] * len(unsure), index=unsure.index)
        out.append(f"<p class=note>Late or not is unknown for {len(unsure)}:</p><table><tr><th>application</th>"
                   "<th>why</th></tr>")
        out.extend(f"<tr><td>{_e(i)}</td><td>{_e(w)}</td></tr>" for i, w in zip(unsure["id"], why, strict=True))
        out.append("</table>")
    out.append("<h2>Adverse-impact summary</h2>")
    if audit is None or audit.empty:
        out.append("<p class=note>No self-identification file was given (<code>--self-id</code>); run "
                   "<code>screener audit</code> for selection and scoring rates by group.</p>")
    else:
        out.append("<table><tr><th>dimension</th><th>group</th><th class=n>people</th><th class=n>selection rate"
                   "</th><th class=n>impact ratio</th><th class=n>scoring rate</th><th class=n>impact ratio</th>"
                   "<th>flag</th></tr>")
        for _, row in audit[audit["dimension"].str.contains("×") == False].iterrows():  # noqa: E712
            def pct(v: Any) -> str:
                return "—" if v is None or v != v else f"{float(v):.1%}"

            def ratio(v: Any) -> str:
                return "—" if v is None or v != v else f"{float(v):.2f}"

            out.append(f"<tr><td>{_e(row['dimension'])}</td><td>{_e(row['group'])}</td>"
                       f"<td class=n>{int(row['people'])}</td><td class=n>{pct(row['selection_rate'])}</td>"
                       f"<td class=n>{ratio(row['selection_impact_ratio'])}</td>"
                       f"<td class=n>{pct(row['scoring_rate'])}</td>"
                       f"<td class=n>{ratio(row['scoring_impact_ratio'])}</td><td>{_e(row['flag'])}</td></tr>")
        out.append("</table><p class=note>Groups under 5 people are suppressed; the four-fifths flag is a rule of "
                   "thumb, not a legal finding. Intersections are in <code>screener audit</code>.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def build_report(table: pd.DataFrame, rubric: Rubric, *, source: str, top: int, self_id: str | None = None,
                 include_knockouts: bool = False, include_late: bool = False, blind_secret: str | None = None) -> str:
    """The HTML report of a ranked ``table``: the shortlist of ``top`` as ``screener shortlist``
    cuts it, with the adverse-impact summary when a self-identification file is given; with
    ``blind_secret``, identity hidden and ids pseudonymous."""
    from screener.app import audit, views

    chosen, left = views.shortlist_split(table, top=top, min_score=None, include_knockouts=include_knockouts,
                                         include_late=include_late)
    impact = audit.impact_of(table, chosen, self_id) if self_id is not None else None
    shown = table
    if blind_secret is not None:
        shown = views.pseudonymize(views.blind_table(table), blind_secret)
        chosen = views.pseudonymize(chosen, blind_secret)
    return render_report(shown, rubric, top=top, shortlist_ids=[str(i) for i in chosen["id"]], left=left,
                         source=source, audit=impact, blind=blind_secret is not None)
