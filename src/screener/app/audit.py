"""Adverse-impact arithmetic: selection and scoring rates per group, and impact ratios.

The self-identification file (applicant id + sex, race/ethnicity, age band, ...) is joined
here and nowhere else: scoring never reads it. For each category and each intersection of two
categories, per group:

- *selection rate*: the share of the group on the shortlist;
- *scoring rate*: the share of the group scoring above the median score of everyone audited
  (NYC Local Law 144's measure for a continuous score);
- each rate with its 95% Wilson score interval (``wilson``);
- *impact ratio*: a group's rate divided by the reference rate, the highest rate among the
  groups shown that *stated* a category, with its plausible range (``ratio_range``).

Groups with fewer than ``MIN_GROUP`` people are suppressed (too few to mean anything, and
small enough to identify someone). Groups whose answer is not a category ("Prefer not to say",
"Keine Angabe", "不愿透露", blank ...: ``is_unstated``) are shown but are never the reference
and never flagged: their rate says nothing about a group of people.

Each rate of each group gets a status: ``reference``; ``below four-fifths`` (the ratio is
under 0.8 and its whole plausible range is at or below 1.0: even the reading most favourable
to the group does not put it above the reference); ``too few to tell`` (the plausible range
reaches both below 0.8 and above 1.0, so the data fit adverse impact and no impact alike);
``within four-fifths``; ``not stated``; ``suppressed``; or ``no reference`` (no stated group
shown, or every one's rate is 0). The four-fifths rule is a rule of thumb from the US Uniform
Guidelines, not a legal finding.
"""

from __future__ import annotations

import math
import re
import unicodedata
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.core.errors import InputError
from screener.data.load import load_export

MIN_GROUP = 5
FOUR_FIFTHS = 0.8
Z95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval
ID_COLUMNS = ("id", "applicant_id", "applicant", "entry_id")
NOT_STATED = "not stated"  # the label a blank answer is shown as
RATES = (("selection", "selected"), ("scoring", "above_median"))

REFERENCE = "reference"
BELOW = "below four-fifths"
TOO_FEW = "too few to tell"
WITHIN = "within four-fifths"
UNSTATED = "not stated"
SUPPRESSED = "suppressed"
NO_REFERENCE = "no reference"

# Answers that say nothing about the person's category, as forms word them. Matched on the
# NFKC-casefolded answer with curly apostrophes straightened. Real categories that contain
# "not" or "no" ("Not Hispanic or Latino", "No, I do not have a disability", "I am not a
# protected veteran", "Keine Behinderung", "None" as a religion) must not match.
_UNSTATED_WORDS = re.compile("|".join((
    # English
    r"\bprefers? not\b", r"\bpreferred not\b", r"\brather not\b", r"\bdeclin(?:e|ed|es|ing)\b",
    r"\b(?:do|does|did) ?n[o']?t (?:wish|want|care|like) to\b", r"\b(?:do|does) ?n[o']?t know\b",
    r"\b(?:choose|chose|chosen|opt|opted|elect|elected) not\b",
    r"\bnot to (?:say|answer|disclose|respond|reply|specify|state|share|identify|self[- ]?identify)\b",
    r"\bnot (?:stated|specified|disclosed|provided|given|reported|answered|known|declared|recorded|available"
    r"|applicable|indicated|selected|identified|shared|entered|collected)\b",
    r"\b(?:no|without) (?:answer|response|reply|data|information|info)\b",
    r"\b(?:unknown|unspecified|undisclosed|unstated|unanswered|undeclared|unreported|withheld|refused|missing)\b",
    # German
    r"\bkeine? (?:angabe|angaben|antwort)\b", r"\bohne angabe", r"\bnicht (?:angegeben|bekannt|beantwortet|genannt)\b",
    r"\bunbekannt\b", r"\bmöchte (?:ich )?(?:nicht|keine)\b", r"\bwei(?:ß|ss) (?:ich )?nicht\b",
    # Spanish, Portuguese, Italian
    r"\bprefier[eo] no\b", r"\bprefiro não\b", r"\bpreferisco non\b",
    r"\bno (?:especificad|indicad|informad|declarad|contest|respond|sab|desea|deseo|quiero|consta|disponible)",
    r"\bnão (?:informad|especificad|declarad|sei\b|desejo|quero|respond)",
    r"\bnon (?:specificat|dichiarat|indicat|so\b|desidero|voglio|disponibil)",
    r"\bdesconocid", r"\bdesconhecid", r"\bsconosciut", r"\bsin (?:respuesta|especificar|datos|informaci)",
    r"\bsem (?:resposta|informa)", r"\bnessuna risposta\b",
    # French
    r"\bpr[ée]f[èée]r(?:e|er|ons) ne pas\b", r"\bne (?:souhaite|veut|veux|désire|sait|sais) pas\b",
    r"\bnon (?:sp[ée]cifi|pr[ée]cis|renseign|communiqu|d[ée]clar|indiqu|r[ée]pondu|connu)",
    r"\binconnue?\b", r"\bsans r[ée]ponse\b",
    # Dutch
    r"\bliever niet\b", r"\bwil (?:ik )?niet\b", r"\bonbekend\b", r"\bniet (?:opgegeven|vermeld|bekend|ingevuld)\b",
    # Chinese (simplified and traditional), Japanese, Korean: no word boundaries there
    "不愿", "不願", "不想", "不便", "不方便", "保密", "未知", "不详", "不詳", "未说明", "未說明", "未填", "未提供",
    "拒绝", "拒絕", "不清楚", "不知道", "未注明", "未註明", "未透露", "不透露", "无可奉告", "無可奉告",
    "回答しない", "答えたくない", "無回答", "不明", "回答を控え", "言いたくない",
    "응답하지 않", "밝히고 싶지 않", "모름", "무응답", "답변하지 않", "알 수 없",
)))
# Whole answers that, with spaces and punctuation taken out, are a placeholder.
_UNSTATED_CODES = frozenset({"", "na", "nk", "ns", "nsnc", "ka", "nan", "null", "nil", "unk", "dk", "pnts"})


def is_unstated(label: str) -> bool:
    """True when a self-identification answer names no category: blank, a placeholder ("N/A",
    "-", "k. A.") or a refusal or unknown in any of the languages forms use most."""
    text = unicodedata.normalize("NFKC", label).casefold()
    text = re.sub(r"[’‘`´]", "'", text)
    text = " ".join(text.split())
    if re.sub(r"[\W_]+", "", text) in _UNSTATED_CODES:
        return True
    return _UNSTATED_WORDS.search(text) is not None


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n`` (95% by default): unlike the
    normal approximation it stays within [0, 1] and is sensible at 0 of n and n of n."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes <= 0 else min(p, max(0.0, centre - half))
    high = 1.0 if successes >= n else max(p, min(1.0, centre + half))
    return low, high


def ratio_range(group: tuple[float, float], reference: tuple[float, float]) -> tuple[float, float]:
    """The plausible range of an impact ratio: the group's lowest plausible rate over the
    reference's highest, to the group's highest over the reference's lowest (each a Wilson
    interval; the range is wider than a 95% interval of the ratio, so it errs towards "too few
    to tell"). An unbounded top (reference interval reaching 0) is ``inf``."""
    low = group[0] / reference[1] if reference[1] > 0 else math.inf
    high = group[1] / reference[0] if reference[0] > 0 else math.inf
    return low, high


def ratio_status(ratio: float, span: tuple[float, float]) -> str:
    """``too few to tell`` when the plausible range reaches below 0.8 and above 1.0; else
    ``below four-fifths`` under 0.8, or ``within four-fifths``."""
    if span[0] < FOUR_FIFTHS and span[1] > 1.0:
        return TOO_FEW
    return BELOW if ratio < FOUR_FIFTHS else WITHIN


def read_self_id(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """The self-identification file: an id column and one column per category."""
    frame, report = load_export(path)
    columns = report.columns
    id_col = next((c for c in columns if c.strip().casefold() in ID_COLUMNS), None)
    if id_col is None:
        raise InputError(f"{path} needs an applicant id column named one of: {', '.join(ID_COLUMNS)}.")
    categories = [c for c in columns if c != id_col]
    if not categories:
        raise InputError(f"{path} has no category columns (e.g. sex, race_ethnicity, age_band) beside '{id_col}'.")
    out = frame[[id_col, *categories]].rename(columns={id_col: "id"})
    out["id"] = out["id"].astype(str).str.strip()
    if out["id"].duplicated().any():
        dup = out.loc[out["id"].duplicated(), "id"].iloc[0]
        raise InputError(f"{path} lists the applicant '{dup}' more than once.")
    for col in categories:  # an empty cell (None from JSON or XLSX too) is shown as "not stated"
        out[col] = out[col].fillna("").astype(str).str.strip().replace("", NOT_STATED)
    return out, categories


def impact_table(scores: pd.DataFrame, self_id: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """One row per (dimension, group): counts, selection and scoring rates with their Wilson
    intervals, impact ratios with their plausible ranges, a status per rate and a flag in words.

    ``scores`` needs ``id``, ``score`` and a boolean ``selected`` (on the shortlist)."""
    joined = scores[["id", "score", "selected"]].assign(id=scores["id"].astype(str)).merge(
        self_id, on="id", how="inner")
    if joined.empty:
        raise InputError("No applicant id in the self-identification file matches a scored applicant.")
    median = float(np.median(joined["score"].astype(float)))
    joined["above_median"] = joined["score"].astype(float) > median
    dimensions: list[tuple[str, list[str]]] = [(c, [c]) for c in categories]
    dimensions += [(f"{a} × {b}", [a, b]) for a, b in combinations(categories, 2)]
    unstated = {str(v): is_unstated(str(v)) for c in categories for v in joined[c].unique()}
    rows: list[dict[str, Any]] = []
    for name, cols in dimensions:
        label = joined[cols].astype(str).agg(" / ".join, axis=1) if len(cols) > 1 else joined[cols[0]]
        grouped = joined.assign(_label=label).groupby("_label", sort=True).agg(
            people=("id", "size"), selected=("selected", "sum"), above_median=("above_median", "sum"))
        parts = _parts(joined, cols, label, grouped.index)
        stated = {g: not any(unstated[v] for v in answers) for g, answers in parts.items()}
        rows.extend(_dimension_rows(name, grouped, stated))
    table = pd.DataFrame(rows)
    for col in ("selected", "above_median"):
        table[col] = table[col].astype("Int64")  # counts stay whole numbers; suppressed ones are missing
    table.attrs["median"] = median
    table.attrs["audited"] = len(joined)
    table.attrs["unmatched"] = int((~self_id["id"].isin(joined["id"])).sum())
    return table


def _parts(joined: pd.DataFrame, cols: list[str], label: pd.Series, groups: pd.Index) -> dict[str, tuple[str, ...]]:
    """Each group label of a dimension mapped to its answers (two for an intersection), so a
    label such as "female / not stated" is judged by its parts, not by splitting text an
    applicant typed."""
    firsts = joined.assign(_label=label).drop_duplicates("_label").set_index("_label")
    return {str(g): tuple(str(firsts.at[g, c]) for c in cols) for g in groups}


def _dimension_rows(name: str, grouped: pd.DataFrame, stated: dict[str, bool]) -> list[dict[str, Any]]:
    people = {str(g): int(n) for g, n in grouped["people"].items()}
    shown = {g for g, n in people.items() if n >= MIN_GROUP}
    candidates = [g for g in shown if stated[g]]
    rows: list[dict[str, Any]] = [{"dimension": name, "group": str(g), "people": people[str(g)],
                                   "stated": stated[str(g)]} for g in grouped.index]
    for rate, count in RATES:
        counts = {str(g): int(k) for g, k in grouped[count].items()}
        intervals = {g: wilson(counts[g], people[g]) for g in people}
        best = max((counts[g] / people[g] for g in candidates), default=0.0)
        refs = [g for g in candidates if counts[g] / people[g] == best] if best > 0 else []
        ref_interval = intervals[refs[0]] if refs else (0.0, 0.0)
        for row in rows:
            g = row["group"]
            row.update(_rate_cells(rate, count, counts[g], people[g], intervals[g], best, ref_interval,
                                   status=_status(g, shown, stated, refs)))
    for row in rows:
        row["flag"] = _flag(row["selection_status"], row["scoring_status"])
    return rows


def _status(group: str, shown: set[str], stated: dict[str, bool], refs: list[str]) -> str:
    if group not in shown:
        return SUPPRESSED
    if not stated[group]:
        return UNSTATED
    if not refs:
        return NO_REFERENCE
    return REFERENCE if group in refs else ""  # "": decided by the ratio and its range


def _rate_cells(rate: str, count: str, k: int, n: int, interval: tuple[float, float], best: float,
                ref_interval: tuple[float, float], *, status: str) -> dict[str, Any]:
    if status == SUPPRESSED:
        return {count: None, f"{rate}_rate": None, f"{rate}_rate_low": None, f"{rate}_rate_high": None,
                f"{rate}_impact_ratio": None, f"{rate}_ratio_low": None, f"{rate}_ratio_high": None,
                f"{rate}_status": status}
    ratio = k / n / best if best > 0 else math.nan
    span = ratio_range(interval, ref_interval) if best > 0 and status != REFERENCE else (math.nan, math.nan)
    if status == "":
        status = ratio_status(ratio, span)
    return {count: k, f"{rate}_rate": round(k / n, 4), f"{rate}_rate_low": round(interval[0], 4),
            f"{rate}_rate_high": round(interval[1], 4), f"{rate}_impact_ratio": _ratio(ratio),
            f"{rate}_ratio_low": _ratio(span[0]), f"{rate}_ratio_high": _ratio(span[1]), f"{rate}_status": status}


def _ratio(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def _flag(selection: str, scoring: str) -> str:
    """The row's statuses in words: what a person should look at first comes first."""
    if selection == SUPPRESSED:
        return f"suppressed (fewer than {MIN_GROUP})"
    if selection == UNSTATED:
        return "not stated: never the reference, never flagged"
    parts = []
    for status, words in ((BELOW, "below four-fifths (rule of thumb)"), (TOO_FEW, TOO_FEW),
                          (REFERENCE, "reference"), (NO_REFERENCE, NO_REFERENCE)):
        which = [name for name, s in (("selection", selection), ("scoring", scoring)) if s == status]
        if which:
            parts.append(f"{words}: {', '.join(which)}")
    return "; ".join(parts)


def audit_cut(table: pd.DataFrame, self_id: str | Path, *, top: int | None, min_score: float | None,
              include_knockouts: bool = False, include_late: bool = False) -> tuple[pd.DataFrame, str]:
    """The adverse-impact table of a shortlist cut of the ranked ``table`` (top 50 when no cut
    is given), and the cut in words."""
    from screener.app.views import shortlist_split

    if top is None and min_score is None:
        top = 50
    chosen, _left = shortlist_split(table, top=top, min_score=min_score, include_knockouts=include_knockouts,
                                    include_late=include_late)
    cut = f"top {top}" if top is not None else ""
    cut += (" and " if cut and min_score is not None else "") + (f"score ≥ {min_score:g}" if min_score else "")
    return impact_of(table, chosen, self_id), cut


def impact_of(table: pd.DataFrame, chosen: pd.DataFrame, self_id: str | Path) -> pd.DataFrame:
    """The adverse-impact table of the ranked ``table`` when ``chosen`` are the ones selected."""
    scores = table[["id", "score"]].assign(selected=table["id"].isin(set(chosen["id"])))
    groups, categories = read_self_id(self_id)
    return impact_table(scores, groups, categories)
