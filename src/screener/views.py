"""Turn a scored export into what people ask for: the output table, a shortlist and the list
of who was left out and why, one applicant's explanation, and blind versions of each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from screener.columns import FieldMatch
from screener.errors import UsageError
from screener.load import LoadReport, load_export
from screener.rubric import (
    AnyOfSpec,
    ChoiceSpec,
    Criterion,
    KeywordSpec,
    LevelSpec,
    NumberSpec,
    QualitySpec,
    Rubric,
    YesNoSpec,
    load_rubric,
)
from screener.scoring import FAIL, ScoreResult, max_points, score

IDENTITY_COLUMNS = ("name", "email", "phone")


@dataclass
class Screening:
    """One export scored against one rubric, with what loading found."""

    result: ScoreResult
    report: LoadReport

    @property
    def rubric(self) -> Rubric:
        return self.result.rubric


def screen(export: str | Path, rubric: str | Path | Rubric, *, encoding: str | None = None,
           progress: Any = None) -> Screening:
    """Load ``export``, score it against ``rubric`` and return everything the outputs need."""
    rubric_obj = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    frame, report = load_export(export, encoding=encoding)
    return Screening(score(frame, rubric_obj, progress=progress), report)


def output_table(result: ScoreResult, *, blind: bool = False) -> pd.DataFrame:
    """Every applicant with per-criterion points, status and evidence, in rank order."""
    table = result.table
    if blind:
        table = table.drop(columns=[c for c in IDENTITY_COLUMNS if c in table.columns])
    return table


def rejected_table(report: LoadReport) -> pd.DataFrame:
    """Rows the loader could not read, with why and their raw text, so nothing is lost."""
    return pd.DataFrame(
        {
            "line": [r.line for r in report.rejected],
            "reason": [r.reason for r in report.rejected],
            "raw": [" | ".join(r.raw) for r in report.rejected],
        },
        columns=["line", "reason", "raw"],
    )


def shortlist(
    result: ScoreResult,
    *,
    top: int | None,
    min_score: float | None,
    include_knockouts: bool = False,
    include_late: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the ranking into the shortlist and everyone left out, each with the reason.

    Nobody disappears: every applicant is in exactly one of the two tables.
    """
    table = result.table
    reason = np.full(len(table), "", dtype=object)
    if not include_knockouts:
        failed = (table["bucket"] == FAIL).to_numpy()
        reason = np.where(failed, "failed a must-have: " + table["knockouts"].astype(str), reason)
    if not include_late:
        late = (table["late"] == "yes").to_numpy()
        reason = np.where((reason == "") & late, "submitted after the deadline", reason)
    if min_score is not None:
        low = (table["score"] < min_score).to_numpy()
        reason = np.where((reason == "") & low, f"score below {min_score:g}", reason)
    if top is not None:
        eligible = np.cumsum(reason == "")
        beyond = (reason == "") & (eligible > top)
        reason = np.where(beyond, f"ranked below the top {top}", reason)
    chosen = table[reason == ""].reset_index(drop=True)
    left = table[reason != ""].copy()
    left.insert(1, "left_out_because", reason[reason != ""])
    return chosen, left.reset_index(drop=True)


def find_applicant(result: ScoreResult, key: str) -> int:
    """The table position of the applicant named by id, email or row number."""
    table = result.table
    wanted = key.strip()
    by_id = np.flatnonzero(table["id"].astype(str).to_numpy() == wanted)
    if by_id.size:
        return int(by_id[0])
    by_email = np.flatnonzero(table["email"].astype(str).str.strip().str.casefold().to_numpy()
                              == wanted.casefold())
    if by_email.size == 1:
        return int(by_email[0])
    if by_email.size > 1:
        ids = ", ".join(table["id"].iloc[by_email].astype(str))
        raise UsageError(f"{by_email.size} applicants use the email {wanted} (ids {ids}); name one by id.")
    digits = wanted.removeprefix("row").removeprefix("#").strip(" :-")
    if digits.isdigit():
        by_row = np.flatnonzero(table["row"].to_numpy() == int(digits))
        if by_row.size:
            return int(by_row[0])
    raise UsageError(f"No applicant has the id, email or row number '{wanted}'. "
                     "Run 'screener score EXPORT --all' to see the ids.")


def describe_rule(crit: Criterion) -> str:
    """The rule in words, for ``explain``."""
    spec = crit.spec
    on = ", ".join(crit.fields)
    if isinstance(spec, KeywordSpec):
        terms = ", ".join(t.text for t in spec.terms[:8]) + (" …" if len(spec.terms) > 8 else "")
        how = {"any": "any of", "all": "all of", "count": f"count (full marks at {spec.cap}) of"}[spec.match]
        return f"{how}: {terms} — in {on}, fuzzy ≥ {spec.fuzzy}"
    if isinstance(spec, NumberSpec):
        parts = []
        if spec.min is not None:
            parts.append(f"at least {spec.min:g} {spec.unit}")
        if spec.scale:
            parts.append("scale " + ", ".join(f"{x:g}→{y:.0%}" for x, y in spec.scale))
        return f"{on}: " + "; ".join(parts)
    if isinstance(spec, LevelSpec):
        rule = f"{on}: at least {spec.min}" if spec.min else f"{on}: by level"
        if spec.scale:
            rule += " (" + ", ".join(f"{k} {v:.0%}" for k, v in spec.scale) + ")"
        if spec.subject:
            rule += f"; {spec.subject_field} in " + ", ".join(t.text for t in spec.subject.terms)
        return rule
    if isinstance(spec, ChoiceSpec):
        opts = ", ".join(f"{o.name} {o.points:.0%}" for o in spec.options)
        return f"{on} ({spec.combine}): {opts}"
    if isinstance(spec, YesNoSpec):
        return f"{on}: {'yes' if spec.expect else 'no'} wanted"
    if isinstance(spec, QualitySpec):
        return (f"{on}: at least {spec.min_words} words (full marks at {spec.good_words}); "
                f"not copied from {spec.max_copies}+ others")
    if isinstance(spec, AnyOfSpec):
        return "any one of: " + ", ".join(spec.of)
    return crit.kind  # pragma: no cover


def explanation(result: ScoreResult, position: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One applicant: header facts and every criterion with the rule, the answer, points, why."""
    row = result.table.iloc[position]
    answers = result.answers.iloc[position]
    scale = max_points(result.rubric)
    header = {k: row[k] for k in ("rank", "id", "name", "score", "bucket", "row", "line",
                                 "submitted_at", "late", "duplicate_group", "rubric", "rubric_sha256")}
    criteria = []
    for crit in result.rubric.criteria:
        answer = " / ".join(str(answers[f]) for f in crit.fields if f in answers.index)
        if isinstance(crit.spec, LevelSpec) and crit.spec.subject_field:
            answer += f" / {answers.get(crit.spec.subject_field, '')}"
        criteria.append({
            "id": crit.id,
            "label": crit.label,
            "must": crit.must,
            "rule": describe_rule(crit),
            "answer": answer if answer.strip(" /") else "(blank)" if crit.fields else "—",
            "points": float(row[f"{crit.id}.points"]),
            "max": scale[crit.id],
            "status": row[f"{crit.id}.status"],
            "evidence": row[f"{crit.id}.evidence"],
            "reason": "" if row[f"{crit.id}.status"] == "pass" else _reason(result, position, crit),
            "group": result.rubric.groups.get(crit.group, crit.group),
        })
    groups: dict[str, list[float]] = {}
    for crit in criteria:
        if crit["group"] and crit["max"] > 0:
            got = groups.setdefault(crit["group"], [0.0, 0.0])
            got[0] += crit["points"]
            got[1] += crit["max"]
    header["groups"] = [(name, round(got, 2), round(most, 2)) for name, (got, most) in groups.items()]
    return header, criteria


def _reason(result: ScoreResult, position: int, crit: Criterion) -> str:
    outcome = next(o for o in result.outcomes if o.criterion.id == crit.id)
    return str(outcome.reason[result.order[position]])


def mapping_rows(result_mapping: dict[str, FieldMatch], rubric: Rubric) -> list[dict[str, Any]]:
    used: dict[str, list[str]] = {name: [] for name in rubric.fields}
    for crit in rubric.criteria:
        for name in crit.fields:
            used.setdefault(name, []).append(crit.id)
        if isinstance(crit.spec, LevelSpec) and crit.spec.subject_field:
            used.setdefault(crit.spec.subject_field, []).append(crit.id)
    who = rubric.applicant
    roles = {who.id: "applicant id", who.email: "email", who.phone: "phone",
             who.submitted_at: "submitted at", who.status: "entry status"}
    for name in who.name:
        roles[name] = "name"
    rows = []
    for name, match in result_mapping.items():
        users = used.get(name) or []
        label = ", ".join(users) if users else roles.get(name, "identity" if name in who.other else "—")
        rows.append({"field": name, "column": match.column, "method": match.method, "score": match.score,
                     "candidate": match.candidate, "used_by": label})
    return rows


def load_only(export: str | Path, encoding: str | None = None) -> tuple[pd.DataFrame, LoadReport]:
    return load_export(export, encoding=encoding)
