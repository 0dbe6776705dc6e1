"""The naive baseline: what a competent analyst writes in an afternoon.

pandas ``read_csv`` (everything as text), then ``DataFrame.apply`` over the rows; for every
keyword criterion of the rubric, a term counts as found when ``fuzz.partial_ratio`` of any of
its spellings (term or synonym, lower-cased, a trailing ``*`` dropped) against any of the
criterion's text fields (lower-cased) is at least the rubric's fuzzy threshold (88 by default,
the same number screener uses).
Writes one row per applicant with the number of terms found per criterion.

    python benchmarks/naive.py FILE [--rubric rubrics/technical-project-manager.yaml]
                                    [--output counts.csv] [--limit N] [--timings]

``--limit N`` applies the per-row function to the first N rows only (the whole file is still
read); run.py uses it to extrapolate the baseline on files too big to run in full.
``--timings`` prints a JSON line with the read and apply times to stdout.

It is deliberately plain, not sabotaged: the text of each row is lower-cased once, a term stops
at its first spelling and field that matches, and the terms come from screener's own rubric
loader so both tools look for exactly the same words.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"
THRESHOLD = 88


@dataclass
class KeywordCriterion:
    id: str
    columns: list[str]  # export columns holding the criterion's text fields
    terms: list[tuple[str, list[str], int]]  # (term, spellings lower-cased without a trailing *, threshold)


def keyword_criteria(rubric_path: Path, columns: list[str]) -> list[KeywordCriterion]:
    """The rubric's keyword criteria, with each logical field resolved to an export column."""
    from screener.core.rubric import KeywordSpec, load_rubric

    rubric = load_rubric(rubric_path)
    fields = dict(rubric.fields)
    out = []
    for crit in rubric.criteria:
        if not isinstance(crit.spec, KeywordSpec):
            continue
        # The analyst knows the export: the first candidate header that exists is the column.
        cols = [next(c for c in fields[f] if c in columns) for f in crit.fields]
        terms = [
            (t.text, [v.lower().rstrip("*").strip() for v in t.variants],
             t.fuzzy if t.fuzzy is not None else crit.spec.fuzzy)
            for t in crit.spec.terms
        ]
        out.append(KeywordCriterion(crit.id, cols, terms))
    return out


def term_found(spellings: list[str], texts: list[str], threshold: int = THRESHOLD) -> bool:
    return any(fuzz.partial_ratio(s, text) >= threshold for s in spellings for text in texts)


def make_row_fn(criteria: list[KeywordCriterion]):
    def row_fn(row: pd.Series) -> pd.Series:
        lowered = {col: str(row[col]).lower() for c in criteria for col in c.columns}
        counts = {}
        for c in criteria:
            texts = [lowered[col] for col in c.columns]
            counts[c.id] = sum(term_found(spellings, texts, threshold) for _term, spellings, threshold in c.terms)
        return pd.Series(counts)

    return row_fn


def make_term_fn(criteria: list[KeywordCriterion]):
    """Per-term decisions (criterion id, term) -> bool, for the agreement check."""

    def term_fn(row: pd.Series) -> dict[tuple[str, str], bool]:
        out = {}
        for c in criteria:
            texts = [str(row[col]).lower() for col in c.columns]
            for term, spellings, threshold in c.terms:
                out[(c.id, term)] = term_found(spellings, texts, threshold)
        return out

    return term_fn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--rubric", default=str(DEFAULT_RUBRIC))
    parser.add_argument("--output", default="/dev/null")
    parser.add_argument("--limit", type=int, default=None, help="apply to the first N rows only")
    parser.add_argument("--timings", action="store_true", help="print read/apply times as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    df = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    read_s = time.perf_counter() - started
    criteria = keyword_criteria(Path(args.rubric), list(df.columns))
    part = df if args.limit is None else df.head(args.limit)
    started = time.perf_counter()
    counts = part.apply(make_row_fn(criteria), axis=1)
    apply_s = time.perf_counter() - started
    id_col = df.columns[0]
    counts.insert(0, id_col, part[id_col])
    counts.to_csv(args.output, index=False)
    if args.timings:
        print(json.dumps({"read_s": read_s, "apply_s": apply_s, "rows_applied": len(part), "rows_total": len(df)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
