"""Adverse-impact arithmetic: selection and scoring rates per group, and impact ratios.

The self-identification file (applicant id + sex, race/ethnicity, age band, ...) is joined
here and nowhere else: scoring never reads it. For each category and each intersection of two
categories, per group:

- *selection rate*: the share of the group on the shortlist;
- *scoring rate*: the share of the group scoring above the median score of everyone audited
  (NYC Local Law 144's measure for a continuous score);
- *impact ratio*: a group's rate divided by the highest rate among the groups shown.

Groups with fewer than ``MIN_GROUP`` people are suppressed (too few to mean anything, and
small enough to identify someone). The four-fifths flag (ratio below 0.8) is a rule of thumb
from the US Uniform Guidelines, not a legal finding.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from screener.core.errors import InputError
from screener.data.load import load_export

MIN_GROUP = 5
FOUR_FIFTHS = 0.8
ID_COLUMNS = ("id", "applicant_id", "applicant", "entry_id")


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
    for col in categories:
        out[col] = out[col].astype(str).str.strip().replace("", "not stated")
    return out, categories


def impact_table(scores: pd.DataFrame, self_id: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """One row per (dimension, group): counts, selection and scoring rates, impact ratios.

    ``scores`` needs ``id``, ``score`` and a boolean ``selected`` (on the shortlist)."""
    joined = scores[["id", "score", "selected"]].assign(id=scores["id"].astype(str)).merge(
        self_id, on="id", how="inner")
    if joined.empty:
        raise InputError("No applicant id in the self-identification file matches a scored applicant.")
    median = float(np.median(joined["score"].astype(float)))
    joined["above_median"] = joined["score"].astype(float) > median
    dimensions: list[tuple[str, list[str]]] = [(c, [c]) for c in categories]
    dimensions += [(f"{a} × {b}", [a, b]) for a, b in combinations(categories, 2)]
    rows = []
    for name, cols in dimensions:
        label = joined[cols].astype(str).agg(" / ".join, axis=1) if len(cols) > 1 else joined[cols[0]]
        grouped = joined.groupby(label, sort=True).agg(
            people=("id", "size"), selected=("selected", "sum"), above_median=("above_median", "sum"))
        grouped["selection_rate"] = grouped["selected"] / grouped["people"]
        grouped["scoring_rate"] = grouped["above_median"] / grouped["people"]
        shown = grouped["people"] >= MIN_GROUP
        for rate, ratio in (("selection_rate", "selection_impact_ratio"), ("scoring_rate", "scoring_impact_ratio")):
            best = grouped.loc[shown, rate].max() if shown.any() else np.nan
            grouped[ratio] = np.where(shown & (best > 0), grouped[rate] / best, np.nan)
        for group, row in grouped.iterrows():
            suppressed = row["people"] < MIN_GROUP
            rows.append({
                "dimension": name,
                "group": group,
                "people": int(row["people"]),
                "selected": None if suppressed else int(row["selected"]),
                "selection_rate": None if suppressed else round(float(row["selection_rate"]), 4),
                "selection_impact_ratio": _ratio(row["selection_impact_ratio"]),
                "above_median": None if suppressed else int(row["above_median"]),
                "scoring_rate": None if suppressed else round(float(row["scoring_rate"]), 4),
                "scoring_impact_ratio": _ratio(row["scoring_impact_ratio"]),
                "flag": _flag(suppressed, row["selection_impact_ratio"], row["scoring_impact_ratio"]),
            })
    table = pd.DataFrame(rows)
    for col in ("selected", "above_median"):
        table[col] = table[col].astype("Int64")  # counts stay whole numbers; suppressed ones are missing
    table.attrs["median"] = median
    table.attrs["audited"] = len(joined)
    table.attrs["unmatched"] = int((~self_id["id"].isin(joined["id"])).sum())
    return table


def _ratio(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def _flag(suppressed: bool, selection: float, scoring: float) -> str:
    if suppressed:
        return f"suppressed (fewer than {MIN_GROUP})"
    low = [name for name, ratio in (("selection", selection), ("scoring", scoring))
           if np.isfinite(ratio) and ratio < FOUR_FIFTHS]
    return ("below four-fifths (rule of thumb): " + ", ".join(low)) if low else ""


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
