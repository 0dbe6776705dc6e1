"""One self-contained HTML report a hiring manager would rather look at than read: the score
distribution, the shortlist with per-criterion evidence and what separates each applicant from
the next, adjustments and decisions, must-have reasons in words, duplicates, late submissions
and the adverse-impact summary. No scripts, no network assets; every value from an export (or
typed by a person: notes) is HTML-escaped, and e-mail links are percent-encoded ``mailto:``s."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from screener.core.escape import visible
from screener.core.rubric import Criterion, Rubric
from screener.core.scoring import max_points, rank_order

if TYPE_CHECKING:
    from screener.app.replies import Owed

_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC',
'Microsoft YaHei',sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e7ef;padding-bottom:.3rem}
h3{font-size:1.05rem;margin:1.4rem 0 .2rem}
.meta{color:#5b6477}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#f4f6fa;border-radius:10px;padding:.8rem 1.1rem;min-width:120px}
.card b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:.6rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e7ef;vertical-align:top}
th{background:#f4f6fa;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}th.n,td.n{width:1%}td.n .note{font-size:.82rem}.when{white-space:nowrap}
.pass{color:#137333}.unknown{color:#a15c00}.fail{color:#b3261e}details summary{cursor:pointer;color:#3559b7}
.bar-pass{fill:#34a853}.bar-unknown{fill:#fbbc04}.bar-fail{fill:#ea4335}.axis{font-size:11px;fill:#5b6477}
.note{color:#5b6477;font-size:.92rem}.ev{color:#39404f;font-size:.9rem}
.chart svg{width:100%;max-width:760px;height:auto;display:block}
.who b{display:block}.who.inline b{display:inline}.app{margin:.1rem 0}
.who a{color:#3559b7;font-size:.92rem;white-space:nowrap}.pid{white-space:nowrap}
.lead{font-size:.9rem}.lead b{font-variant-numeric:tabular-nums}
.cut{background:#fff8e1;border-left:4px solid #fbbc04;padding:.6rem .9rem;border-radius:4px}
.adj{color:#3559b7}.tag{display:inline-block;background:#eef1f7;border-radius:4px;padding:0 .35rem;font-size:.85rem}
table.crit td{font-size:.88rem}td.why{max-width:16rem}td.ev,.why{overflow-wrap:anywhere}
@media (max-width:700px){
body{margin:1rem auto;padding:0 .7rem}h1{font-size:1.3rem}.cards{gap:.5rem}
.card{min-width:0;flex:1 1 28%;padding:.45rem .6rem;font-size:.85rem}.card b{font-size:1.2rem}
td.why{max-width:none}table.stack>tbody>tr>td.inl{display:inline-block;margin-right:1rem}
td.rk{font-weight:600;font-size:1.05rem}td.rk::before{content:"#"}.axis{font-size:18px}
table.stack>thead{display:none}
table.stack>tbody>tr{display:block;border:1px solid #e3e7ef;border-radius:8px;margin:.6rem 0;padding:.3rem .5rem}
table.stack>tbody>tr>td{display:block;border:0;padding:.15rem 0;text-align:left;width:auto}
table.stack>tbody>tr>td[data-label]::before{content:attr(data-label) ": ";color:#5b6477;font-size:.85rem}
table.stack>tbody>tr>td.wide::before{display:block}
.who a{white-space:normal;overflow-wrap:anywhere}
table.crit tr{display:block;border-bottom:1px solid #e3e7ef;padding:.2rem 0}
table.crit td{display:inline;border:0;padding:0 .3rem 0 0}table.crit td.ev{display:block}
}
"""

# The reason codes of core/scoring.py, in words.
_REASON_WORDS = {
    "blank": "left blank",
    "unreadable": "the answer could not be read",
    "below_min": "below the minimum",
    "subject_blank": "no subject of study given",
    "subject_mismatch": "the subject is not one asked for",
    "no_match": "none of the terms found",
    "no_listed_choice": "none of the listed choices",
    "answered_no": "answered no",
    "answered_yes": "answered yes",
    "too_short": "too short",
    "repetitive": "repetitive text",
    "boilerplate": "the same text as other applications",
    "unmapped": "the export has no column for it",
    "fail": "not met",
    "unknown": "could not tell",
}
_STATUS_WORDS = {"fail": "failed", "unknown": "unknown"}
_KNOCKOUT = re.compile(r"^(?P<id>\S+) (?P<status>fail|unknown) \((?P<reason>.*)\)$")
# An address worth a link: one @, a dotted domain, no spaces, quotes or brackets.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def _e(value: Any) -> str:
    return escape(visible(_text(value)), quote=True)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


def _num(value: Any, default: float = 0.0) -> float:
    try:
        got = float(value)
    except (TypeError, ValueError):
        return default
    return default if got != got else got


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def mailto(email: str) -> str:
    """The ``href`` of a link to ``email`` (percent-encoded, so nothing in it adds a header or
    ends the attribute), or "" when it does not look like one address."""
    email = email.strip()
    if not _EMAIL.fullmatch(email):
        return ""
    return "mailto:" + quote(email, safe="@")


def histogram_svg(table: pd.DataFrame, width: int = 760, height: int = 220) -> str:
    """Applicants per 10-point score band, stacked by must-have bucket."""
    bins = np.arange(0, 101, 10)
    buckets = ("pass", "unknown", "fail")
    counts = {b: np.histogram(table.loc[table["bucket"] == b, "score"].astype(float), bins=bins)[0] for b in buckets}
    totals = np.sum(list(counts.values()), axis=0)
    top = max(int(totals.max()) if len(totals) else 0, 1)
    left, bottom, bar_w = 40, 24, (width - 50) / 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="Score distribution">']
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


Cell = tuple[str, str]  # (HTML, CSS class)


def _table(head: Sequence[tuple[str, str]], rows: Iterable[Sequence[Cell]], *, stack: bool = True) -> str:
    """A table; with ``stack``, one card per row on a narrow screen, each cell named by its header."""
    out = [f"<table{' class=stack' if stack else ''}><thead><tr>"]
    out += [f"<th class='{cls}'>{label}</th>" if cls else f"<th>{label}</th>" for label, cls in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for (label, _), (html, cls) in zip(head, row, strict=True):
            plain = re.sub(r"<[^>]*>", "", label)
            named = "" if "bare" in cls.split() else f" data-label='{escape(plain, quote=True)}'"
            out.append(f"<td class='{cls}'{named}>{html}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class _View:
    """What the report shows of one ranked table: identity unless blind, and the score shown
    (the adjusted score where a person adjusted one)."""

    def __init__(self, table: pd.DataFrame, rubric: Rubric, blind: bool) -> None:
        self.table = table
        self.rubric = rubric
        self.blind = blind
        self.crits = {c.id: c for c in rubric.criteria}
        self.scale = max_points(rubric)
        self.adjusted = "adjusted_score" in table.columns
        self.decisions = "decision" in table.columns

    def shown(self, row: pd.Series) -> float:
        if self.adjusted and _text(row.get("adjusted_score")) != "":
            return _num(row["adjusted_score"], _num(row["score"]))
        return _num(row["score"])

    def adjustment(self, row: pd.Series) -> float:
        return _num(row.get("adjustment", 0.0)) if self.adjusted else 0.0

    def who(self, row: pd.Series, *, inline: bool = False) -> str:
        """The name, and the e-mail as a link (below it, or beside it ``inline``); "" when blind."""
        if self.blind:
            return ""
        name = _e(row.get("name", ""))
        address = _text(row.get("email", "")).strip()
        parts = [f"<b>{name}</b>" if name else ""]
        if address:
            href = mailto(address)
            parts.append(f"<a href='{escape(href, quote=True)}'>{_e(address)}</a>" if href else
                         f"<span class=note>{_e(address)}</span>")
        return ("<span class='who inline'>" + " · ".join(p for p in parts if p) if inline else
                "<span class=who>" + "".join(parts)) + "</span>"

    def person(self, row: pd.Series, *, inline: bool = False) -> str:
        """The applicant cell of a table: name, e-mail link and id; the pseudonym alone when blind."""
        if self.blind:
            return f"<b class=pid>{_e(row['id'])}</b>"
        return self.who(row, inline=inline) + f"<div class=note>id {_e(row['id'])}</div>"

    def label(self, row: pd.Series) -> str:
        """#rank and the name (or the id, blind): how the prose names an applicant."""
        name = "" if self.blind else _text(row.get("name", "")).strip()
        return f"#{int(row['rank'])} " + (_e(name) if name else _e(row["id"]))

    def score_cell(self, row: pd.Series) -> str:
        shown = self.shown(row)
        adj = self.adjustment(row)
        if not adj:
            return f"{shown:.1f}"
        return (f"<b>{shown:.1f}</b><div class=note>computed {_num(row['score']):.1f}<br>"
                f"<span class=adj>adjusted {_signed(adj)}</span></div>")

    def lead(self, a: pd.Series, b: pd.Series, *, named: bool = True) -> str:
        """Why ``a`` ranks above ``b``, short: the must-have bucket when they differ, else the
        score gap and the (at most three) criteria, or the adjustment, that differ most."""
        over = f" over {self.label(b)}" if named else ""
        if a["bucket"] != b["bucket"]:
            return (f"must-haves <span class='{_e(a['bucket'])}'>{_e(a['bucket'])}</span>{over}: "
                    f"<span class='{_e(b['bucket'])}'>{_e(b['bucket'])}</span> ranks after {_e(a['bucket'])} "
                    "whatever the score")
        gap = round(self.shown(a) - self.shown(b), 2)
        diffs = [(c.label, _num(a.get(f"{c.id}.points")) - _num(b.get(f"{c.id}.points")))
                 for c in self.rubric.criteria if f"{c.id}.points" in a.index]
        if self.adjusted:
            diffs.append(("adjustment", self.adjustment(a) - self.adjustment(b)))
        diffs = sorted((d for d in diffs if abs(d[1]) >= 0.05), key=lambda d: -abs(d[1]))
        if abs(gap) < 0.05:
            text = "tied on score" + (f" with {self.label(b)}" if named else "")
            text += "" if diffs else ", ordered by id"
        else:
            text = f"<b>{_signed(gap)}</b>{over}"
        if diffs:
            text += ": " + ", ".join(f"{_e(label)} {_signed(d)}" for label, d in diffs[:3])
        return text

    def expected(self, crit: Criterion) -> str:
        """What a must-have asks for, in words."""
        from screener.app.views import describe_rule

        of = getattr(crit.spec, "of", None)
        if crit.kind == "any_of" and of:
            parts = [self.crits.get(p) for p in of]
            return "any one of: " + " or ".join(
                f"{_e(p.label)} ({_e(describe_rule(p))})" if p is not None else _e(pid)
                for p, pid in zip(parts, of, strict=True))
        return _e(describe_rule(crit))

    def why(self, reason: str, sep: str = "<br>") -> str:
        """A knockout's reason code in words; an any-of's parts each named by their label."""
        if ":" not in reason:
            return _e(_REASON_WORDS.get(reason, reason))
        words = []
        for part in reason.split("+"):
            pid, _, code = part.partition(":")
            crit = self.crits.get(pid)
            words.append(f"{_e(crit.label if crit else pid)}: {_e(_REASON_WORDS.get(code, code))}")
        return sep.join(words)

    def knockouts(self, value: Any) -> list[tuple[str, str, str]]:
        """(criterion id, status, reason code) of each must-have not passed."""
        found = []
        for piece in _text(value).split("; "):
            m = _KNOCKOUT.match(piece.strip())
            if m:
                found.append((m["id"], m["status"], m["reason"]))
        return found

    def knockout_words(self, value: Any) -> str:
        out = []
        for cid, status, reason in self.knockouts(value):
            crit = self.crits.get(cid)
            out.append(f"{_e(crit.label if crit else cid)} {_e(_STATUS_WORDS.get(status, status))} — "
                       f"{self.why(reason, '; ')}")
        return "<br>".join(out)


def render_report(table: pd.DataFrame, rubric: Rubric, *, top: int, shortlist_ids: list[str],
                  left: pd.DataFrame, source: str, audit: pd.DataFrame | None = None, blind: bool = False,
                  replies: Owed | None = None) -> str:
    """The report of a ranked ``table`` (ranked by the score it shows: the adjusted one where
    there is one). ``left`` is who the shortlist left out and why; ``blind``: no identity."""
    view = _View(table, rubric, blind)
    shown = pd.Series([view.shown(r) for _, r in table.iterrows()], index=table.index, dtype=float)
    counts = table["bucket"].value_counts()
    late = table[table["late"] == "yes"]
    by_id = table.set_index(table["id"].astype(str))
    short = by_id.loc[shortlist_ids] if shortlist_ids else table.head(0)
    n_adjusted = int((table["adjustment"].map(_num) != 0).sum()) if view.adjusted else 0
    n_decided = int((table["decision"].map(_text) != "").sum()) if view.decisions else 0
    out = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width,initial-scale=1'>",
        f"<title>{_e(rubric.title)} — screening report</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(rubric.title)}</h1>",
        f"<p class=meta>Rubric <code>{_e(rubric.name)}</code> ({_e(rubric.short_hash)}) · input {_e(source)}. "
        "screener ranks applications for human review; it rejects no one."
        + (" Identities are hidden (<code>--blind</code>): applicants are pseudonyms." if blind else "") + "</p>",
        "<div class=cards>",
        f"<div class=card><b>{len(table)}</b>applicants</div>",
        f"<div class='card pass'><b>{int(counts.get('pass', 0))}</b>must-haves pass</div>",
        f"<div class='card unknown'><b>{int(counts.get('unknown', 0))}</b>must-haves unknown</div>",
        f"<div class='card fail'><b>{int(counts.get('fail', 0))}</b>must-have failed</div>",
        f"<div class=card><b>{len(late)}</b>late</div>",
        f"<div class=card><b>{int((table['duplicate_group'].map(_text) != '').sum())}</b>in duplicate groups</div>",
    ]
    if view.adjusted or view.decisions:
        out.append(f"<div class=card><b>{n_adjusted}</b>adjusted</div><div class=card><b>{n_decided}</b>decided</div>")
    out += [
        "</div>",
        "<h2 id=distribution>Score distribution</h2>",
        "<div class=chart>" + histogram_svg(table.assign(score=shown)) + "</div>",
        "<p class=note>Applicants per 10-point band" + (" of the score shown (adjusted where a person adjusted it)"
                                                       if n_adjusted else "")
        + "; green: must-haves pass, amber: unknown, red: failed.</p>",
    ]
    out += _shortlist(view, short, table, left, top)
    if view.adjusted or view.decisions:
        out += _adjustments(view, table)
    out += _must_haves(view, table)
    out += _left_out(left)
    out += _duplicates(view, table)
    out += _late(view, table, late)
    out += _impact(audit)
    out += _replies(replies, blind) if replies is not None else []
    out.append("</body></html>\n")
    return "\n".join(out)


def _shortlist(view: _View, short: pd.DataFrame, table: pd.DataFrame, left: pd.DataFrame, top: int) -> list[str]:
    out = [f"<h2 id=shortlist>Shortlist: top {len(short)} of {top} asked</h2>"]
    if short.empty:
        return [*out, "<p>Nobody is on the shortlist.</p>"]
    below = left[left["left_out_because"].astype(str).str.startswith("ranked below the top")] if len(left) else left
    first_out = None
    if len(below):
        rank = int(below["rank"].min())
        first_out = table[table["rank"] == rank].iloc[0]
    rows = [r for _, r in short.iterrows()]
    head = [("#", "n"), ("applicant", ""), ("score", "n"), ("must-haves", "")]
    head += [("decision", "")] if view.decisions else []
    head += [("ahead of the next", ""), ("top reasons and evidence", "")]
    body = []
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else first_out
        must = _bucket(row["bucket"])
        if view.knockouts(row.get("knockouts")):
            must += f"<div class='note why'>{view.knockout_words(row['knockouts'])}</div>"
        details = "".join(
            f"<tr><td>{_e(c.label)}</td><td class=n>{_num(row[f'{c.id}.points']):.1f}/{view.scale[c.id]:.1f}</td>"
            f"<td class='{_e(row[f'{c.id}.status'])}'>{_e(row[f'{c.id}.status'])}</td>"
            f"<td class=ev>{_e(row[f'{c.id}.evidence'])}</td></tr>" for c in view.rubric.criteria)
        cells: list[Cell] = [(str(int(row["rank"])), "n rk bare"), (view.person(row), "bare"),
                             (view.score_cell(row), "n inl"), (must, "inl")]
        if view.decisions:
            cells.append((_decision(row), ""))
        cells.append((view.lead(row, nxt) if nxt is not None else "<span class=note>—</span>", "lead"))
        cells.append((f"{_e(row['reasons'])}<details><summary>every criterion</summary><table class=crit>"
                       f"{details}</table></details>", "wide"))
        body.append(cells)
    out.append(_table(head, body))
    last = rows[-1]
    if first_out is not None:
        skipped = int(first_out["rank"]) - int(last["rank"]) - 1
        out.append(f"<p class=cut id=cut><b>At the cut.</b> {view.label(last)} ({view.shown(last):.1f}) is the last "
                   f"on the shortlist; {view.label(first_out)} ({view.shown(first_out):.1f}) is the first ranked "
                   f"below the top {top}. Between them: {view.lead(last, first_out, named=False)}."
                   + (f" The {skipped} ranked between them are left out for other reasons (below)." if skipped > 0
                      else "") + "</p>")
    else:
        out.append(f"<p class='note cut' id=cut>Everyone eligible fits in the top {top}: there is no cut by rank.</p>")
    return out


def _decision(row: pd.Series) -> str:
    decision = _text(row.get("decision", ""))
    if not decision:
        return "<span class=note>—</span>"
    when = _text(row.get("decided_at", ""))
    note = _text(row.get("decision_note", ""))
    return (f"<span class=tag>{_e(decision)}</span>" + (f"<div class='note when'>{_when(when)}</div>" if when else "")
            + (f"<div class=why>{_e(note)}</div>" if note else ""))


def _adjustments(view: _View, table: pd.DataFrame) -> list[str]:
    out = ["<h2 id=adjustments>Adjustments and decisions</h2>"]
    touched = np.zeros(len(table), dtype=bool)
    if view.adjusted:
        touched |= (table["adjustment"].map(_num) != 0).to_numpy()
    if view.decisions:
        touched |= (table["decision"].map(_text) != "").to_numpy()
    rows = table[touched]
    if rows.empty:
        return [*out, "<p class=note>No one's score has been adjusted and no decision recorded "
                "(<code>screener adjust</code>, <code>screener status</code>).</p>"]
    out.append("<p class=note>A person's adjustment is kept beside the computed score; the report ranks by the "
               "score it shows (the adjusted one). The decision is the latest recorded.</p>")
    head = [("#", "n"), ("applicant", "")]
    head += [("computed", "n"), ("adjustment", "n"), ("adjusted", "n"), ("why (note)", ""), ("by, when", ""),
             ("decision", "")]
    body = []
    for _, row in rows.iterrows():
        adj = view.adjustment(row)
        cells: list[Cell] = [(str(int(row["rank"])), "n rk bare"), (view.person(row), "bare")]
        by = " · ".join(v for v in (_e(row.get("adjusted_by", "")), _when(row.get("adjusted_at", ""))) if v)
        cells += [(f"{_num(row['score']):.1f}", "n inl"), (_signed(adj) if adj else "—", "n adj inl"),
                  (f"<b>{view.shown(row):.1f}</b>", "n inl"), (_e(row.get("adjustment_note", "")) or "—", "why"),
                  (by or "—", ""), (_decision(row), "")]
        body.append(cells)
    out.append(_table(head, body))
    return out


def _must_haves(view: _View, table: pd.DataFrame) -> list[str]:
    out = ["<h2 id=must-haves>Must-have reasons</h2>"]
    found: dict[str, dict[tuple[str, str], int]] = {}
    for value in table["knockouts"].map(_text):
        for cid, status, reason in view.knockouts(value):
            per = found.setdefault(cid, {})
            per[(status, reason)] = per.get((status, reason), 0) + 1
    if not found:
        return [*out, "<p>Everyone passed every must-have.</p>"]
    out.append("<p class=note>Failing a must-have leaves an applicant out of the shortlist (unless "
               "<code>--include-knockouts</code>); unknown ones rank after those who pass, for a person to check."
               "</p>")
    musts = [c.id for c in view.rubric.criteria if c.must]
    for cid in sorted(found, key=lambda c: (musts.index(c) if c in musts else len(musts), c)):
        crit = view.crits.get(cid)
        out.append(f"<h3>{_e(crit.label if crit else cid)}</h3>")
        if crit is not None:
            out.append(f"<p class=note>Expected: {view.expected(crit)}."
                       + (f" The posting: “{_e(crit.posting)}”" if crit.posting else "") + "</p>")
        rows = sorted(found[cid].items(), key=lambda kv: (kv[0][0] != "fail", -kv[1], kv[0][1]))
        out.append(_table([("outcome", ""), ("why", ""), ("applicants", "n")],
                          [[(f"<span class='{_e(status)}'>{_e(_STATUS_WORDS.get(status, status))}</span>", ""),
                            (view.why(reason), "why"), (str(n), "n")] for (status, reason), n in rows],
                          stack=False))
    return out


def _left_out(left: pd.DataFrame) -> list[str]:
    out = ["<h2 id=left-out>Left out of the shortlist</h2>"]
    if not len(left):
        return [*out, "<p>Nobody was left out.</p>"]
    reasons = left["left_out_because"].astype(str).str.replace(r":.*", "", regex=True).value_counts()
    out.append(_table([("why", ""), ("applicants", "n")],
                      [[(_e(reason), ""), (str(int(n)), "n")] for reason, n in reasons.items()], stack=False))
    return out


def _duplicates(view: _View, table: pd.DataFrame) -> list[str]:
    grouped = table[table["duplicate_group"].map(_text) != ""]
    out = [f"<h2 id=duplicates>Duplicates ({grouped['duplicate_group'].nunique()} groups)</h2>"]
    if grouped.empty:
        return [*out, "<p>No application was grouped with another.</p>"]
    out.append("<p class=note>Applications from the same person are grouped, never merged; only the newest of each "
               "group can be shortlisted. Groups in the order of their newest application's rank.</p>")
    when = "submitted_at"
    groups = [members for _, members in grouped.groupby(grouped["duplicate_group"].map(_text), sort=False)]

    def newest_rank(members: pd.DataFrame) -> int:
        newest = members[members["id"].map(_text) == members["duplicate_group"].map(_text)]
        return int((newest if len(newest) else members)["rank"].min())

    body = []
    for members in sorted(groups, key=newest_rank):
        apps = []
        # Blind tables have no submission times (they can identify): the rank orders them then.
        for _, row in members.sort_values(when if when in members else "rank", kind="stable").iterrows():
            newest = _text(row["id"]) == _text(row["duplicate_group"])
            who = view.who(row, inline=True)
            apps.append(f"<div class=app><b>{_e(row['id'])}</b>" + (" <span class=tag>newest</span>" if newest else "")
                        + f" · #{int(row['rank'])}" + (f" · {_when(row[when])}" if when in row.index else "")
                        + (f" · {who}" if who else "")
                        + "</div>")
        whys = dict.fromkeys(w for v in members["duplicate_why"].map(_text) for w in v.split("; ") if w)
        body.append([(_e(members["duplicate_group"].iloc[0]), ""), ("".join(apps), "wide"),
                     (_e("; ".join(whys)), "why")])
    order = "applications, oldest first" if when in grouped else "applications"
    out.append(_table([("group (newest)", ""), (order, ""), ("why grouped", "")], body))
    return out


def _late(view: _View, table: pd.DataFrame, late: pd.DataFrame) -> list[str]:
    out = [f"<h2 id=late>Late submissions ({len(late)})</h2>"]
    head = [("#", "n"), ("applicant", "")]
    timed = "submitted_at" in table.columns  # not in a blind table
    if len(late):
        body = []
        for _, row in late.iterrows():
            cells: list[Cell] = [(str(int(row["rank"])), "n rk bare"), (view.person(row, inline=True), "bare")]
            cells += [(_when(row["submitted_at"]), "inl")] if timed else []
            cells += [(_bucket(row["bucket"]), "inl"), (f"{view.shown(row):.1f}", "n inl")]
            body.append(cells)
        out.append(_table([*head, *([("submitted", "")] if timed else []), ("must-haves", ""), ("score", "n")], body))
    else:
        out.append("<p>Nobody submitted after the deadline.</p>")
    unsure = table[table["late"] == "unknown"]
    if len(unsure):  # flagged, not counted late: a person checks them
        out.append(f"<p class=note>Late or not is unknown for {len(unsure)}:</p>")
        body = []
        for _, row in unsure.iterrows():
            cells = [(str(int(row["rank"])), "n rk bare"), (view.person(row, inline=True), "bare")]
            cells.append((_e(row.get("late_why", "")), "why"))
            body.append(cells)
        out.append(_table([*head, ("why", "")], body))
    return out


def _replies(owed: Owed, blind: bool) -> list[str]:
    """The replies owed to applicants (from the store), oldest due first; counts only when blind."""
    out = [f"<h2 id=replies>Replies owed ({len(owed.replies)}, {owed.n_overdue} overdue)</h2>"]
    rules = owed.rules
    out.append(f"<p class=note>Promised: an advance within {rules.advance_business_days} business days of the "
               f"application; every other answer within {rules.days_after_close} days after the close"
               + (f" ({_e(owed.close)})." if owed.close else ": the rubric has no deadline, so those due dates are "
                  "unknown.") + " <code>screener reply</code> writes them; nothing is sent by screener.</p>")
    if owed.replies and not blind:
        body: list[list[Cell]] = []
        for reply in owed.replies:
            late = (owed.today - reply.due).days if reply.due is not None and owed.overdue(reply) else 0
            body.append([(_e(reply.entry), "bare"), (_e(reply.name), "inl"), (_e(reply.decision), "inl"),
                         (_e(reply.due.isoformat() if reply.due else "unknown"), "when inl"),
                         (f"{late} days overdue" if late else "", "inl"), (_e(reply.set_apart), "why")])
        out.append(_table([("id", ""), ("name", ""), ("decision", ""), ("due", ""), ("overdue", ""),
                           ("set apart", "")], body))
    by = f", to hear by {owed.decide_by.isoformat()}" if owed.decide_by is not None else ""
    out.append(f"<p>Awaiting a decision: {_e(owed.waiting_words())}{by}"
               + (" — <b>overdue</b>" if owed.awaiting_overdue else "") + f". Answered: {owed.answered}.</p>")
    return out


def _bucket(value: Any) -> str:
    return f"<span class='{_e(value)}'>{_e(value)}</span>"


def _when(value: Any) -> str:
    """A time as the outputs write it (ISO 8601, UTC) shorter for people: 2020-06-08 16:23 UTC."""
    text = _text(value)
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:Z|\+00:00)", text)
    return f"{m[1]} {m[2]} UTC" if m else _e(text)


def _pct(value: Any) -> str:
    return "—" if _text(value) == "" else f"{_num(value):.1%}"


def _ratio(value: Any) -> str:
    return "—" if _text(value) == "" else f"{_num(value):.2f}"


_RATES = ("selection", "scoring")
# The audit table's columns the summary shows in its own way; any other column audit.py adds is
# shown after them as it comes (numbers as rates when named so). Counts it keeps are not shown.
_IMPACT_SHOWN = frozenset({"dimension", "group", "people", "stated", "selected", "above_median", "flag"} | {
    f"{rate}_{part}" for rate in _RATES
    for part in ("rate", "rate_low", "rate_high", "impact_ratio", "ratio_low", "ratio_high", "status")})


def _range(row: pd.Series, low: str, high: str, show: Any) -> str:
    """" (low–high)" when the audit gives the interval (an open top is ∞), else ""."""
    if low not in row.index or _text(row.get(low)) == "":
        return ""
    top = "∞" if _text(row.get(high)) == "" else show(row[high])
    return f" <span class=note>({show(row[low])}–{top})</span>"


def _impact_value(value: Any, name: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, int, np.floating, np.integer)):
        return _pct(value) if "rate" in name else _ratio(value)
    return _e(value)


def _impact(audit: pd.DataFrame | None) -> list[str]:
    out = ["<h2 id=impact>Adverse-impact summary</h2>"]
    if audit is None or audit.empty:
        return [*out, "<p class=note>No self-identification file was given (<code>--self-id</code>); run "
                "<code>screener audit</code> for selection and scoring rates by group.</p>"]
    cols = set(map(str, audit.columns))
    extra = [c for c in map(str, audit.columns) if c not in _IMPACT_SHOWN]
    head = [("dimension", ""), ("group", ""), ("people", "n")]
    for rate in _RATES:
        if f"{rate}_rate" in cols:
            head += [(f"{rate} rate", "n"), (f"{rate} impact ratio", "n")]
    head += [(escape(c.replace("_", " ")), "") for c in extra] + ([("flag", "")] if "flag" in cols else [])
    single = audit[~audit["dimension"].astype(str).str.contains("×")] if "dimension" in cols else audit
    body = []
    for _, row in single.iterrows():
        cells: list[Cell] = [(_e(row.get("dimension")), "inl"), (_e(row.get("group")), "inl"),
                             ("—" if _text(row.get("people")) == "" else str(int(_num(row["people"]))), "n inl")]
        for rate in _RATES:
            if f"{rate}_rate" in cols:
                cells.append((_pct(row[f"{rate}_rate"]) + _range(row, f"{rate}_rate_low", f"{rate}_rate_high", _pct),
                              "n inl"))
                ratio = row.get(f"{rate}_impact_ratio")
                cells.append((_ratio(ratio) + _range(row, f"{rate}_ratio_low", f"{rate}_ratio_high", _ratio),
                              "n inl"))
        cells += [(_impact_value(row.get(c), c), "") for c in extra]
        if "flag" in cols:
            flag = _text(row.get("flag"))
            tone = "fail" if "below" in flag else "unknown" if "too few" in flag else ""
            cells.append((f"<span class='{tone}'>{_e(flag)}</span>" if tone else _e(flag), "why"))
        body.append(cells)
    out.append(_table(head, body))
    intervals = " In brackets: the 95% interval of each rate and the plausible range of each ratio." if any(
        c.endswith("_low") for c in cols) else ""
    out.append("<p class=note>Groups under 5 people are suppressed; the four-fifths flag is a rule of thumb, not a "
               f"legal finding.{intervals} Scoring rates use the computed score. Intersections are in "
               "<code>screener audit</code>.</p>")
    return out


def build_report(table: pd.DataFrame, rubric: Rubric, *, source: str, top: int, self_id: str | None = None,
                 include_knockouts: bool = False, include_late: bool = False, blind_secret: str | None = None,
                 replies: Owed | None = None) -> str:
    """The HTML report of a ranked ``table``: the shortlist of ``top`` as ``screener shortlist``
    cuts it, with the adverse-impact summary when a self-identification file is given; with
    ``blind_secret``, identity hidden and ids pseudonymous. A table from the store is ranked
    here by the score the report shows: the adjusted score where a person adjusted one."""
    from screener.app import audit, views

    if "adjusted_score" in table.columns and len(table):
        shown = pd.to_numeric(table["adjusted_score"], errors="coerce").fillna(table["score"].astype(float))
        table = table.iloc[rank_order(table.assign(score=shown))].reset_index(drop=True)
        table = table.assign(rank=np.arange(1, len(table) + 1))
    chosen, left = views.shortlist_split(table, top=top, min_score=None, include_knockouts=include_knockouts,
                                         include_late=include_late)
    impact = audit.impact_of(table, chosen, self_id) if self_id is not None else None
    shown_table = table
    if blind_secret is not None:
        shown_table = views.pseudonymize(views.blind_table(table), blind_secret)
        chosen = views.pseudonymize(chosen, blind_secret)
        left = views.pseudonymize(views.blind_table(left), blind_secret) if len(left) else left
    return render_report(shown_table, rubric, top=top, shortlist_ids=[str(i) for i in chosen["id"]], left=left,
                         source=source, audit=impact, blind=blind_secret is not None, replies=replies)
