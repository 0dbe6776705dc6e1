"""Do screener and the naive baseline find the same keywords? Per applicant and per term.

    python benchmarks/agreement.py FILE [--rubric rubrics/technical-project-manager.yaml] [--json OUT]

For every keyword criterion of the rubric, every term and every applicant, three decisions:

* **exact**: the term (or a synonym) occurs as whole, consecutive words (a ``*`` term as a
  word prefix) after normalisation. This is screener's own matcher with fuzzy matching off
  (``find(..., fuzzy=100)``), i.e. exactly the non-fuzzy part of screener's decision.
* **screener**: screener's decision, fuzzy matching included (the same ``build_index`` and
  ``find`` calls ``screener score`` makes).
* **naive**: ``benchmarks/naive.py``'s decision (rapidfuzz ``partial_ratio`` >= threshold of
  the lower-cased spelling against the lower-cased answer).

It reports how often the naive baseline agrees on the exact matches, and sorts every
disagreement into a category with examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from naive import THRESHOLD, keyword_criteria, term_found  # benchmarks/naive.py, next to this file
from rapidfuzz import fuzz

from screener.core.columns import map_fields
from screener.core.matching import build_index, compile_term, find
from screener.core.rubric import KeywordSpec, load_rubric
from screener.data.load import load_export

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"
EXAMPLES = 4

CATEGORIES = {
    "inside_word": "naive only: the spelling occurs inside a longer word; partial_ratio finds substrings, "
                   "screener matches whole words (sometimes the naive hit is fair, e.g. 'scrum' in "
                   "'scrummaster', mostly not, e.g. 'ship' in 'leadership', 'ai' in 'maintain')",
    "short_answer": "naive only: the answer is shorter than the spelling, so partial_ratio looks for the "
                    "answer inside the term: junk answers such as 'x', '-' or 'n/a' match many terms",
    "near_spelling": "naive only: no exact substring, but some equally long piece of text (across word "
                     "boundaries, or a word in another language) scores >= the threshold",
    "screener_fuzzy_only": "screener only: a whole word within fuzz.ratio >= threshold of a spelling (words of "
                           "5+ letters, accents stripped first), which partial_ratio on the accented text "
                           "scores lower",
    "both_fuzzy": "both, without an exact match: a near spelling both accept",
    "exact_naive_missed": "exact whole-word match that the naive baseline misses: screener's tokens ignore "
                          "punctuation and accents ('on-time' = 'on time'), partial_ratio does not",
}


def _snippet(text: str, start: int, end: int, pad: int = 25) -> str:
    """The text around [start, end), widened to whole words, on one line."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    left = max(0, start - pad)
    right = min(len(text), end + pad)
    out = text[left:start] + "[" + text[start:end] + "]" + text[end:right]
    return ("…" if left else "") + " ".join(out.split()) + ("…" if right < len(text) else "")


def _naive_best(spellings: list[str], texts: list[str]) -> str:
    """The piece of text partial_ratio liked best, as a snippet with its score."""
    best = None
    for s in spellings:
        for text in texts:
            al = fuzz.partial_ratio_alignment(s, text)
            if al is not None and (best is None or al.score > best[0]):
                best = (al.score, s, text, al)
    if best is None:
        return "nothing"
    score, s, text, al = best
    if len(text) < len(s):
        return f"'{s}' vs the whole answer '{text}' ({score:.0f})"
    return f"'{s}' ~ {_snippet(text, al.dest_start, al.dest_end)} ({score:.0f})"


def _short_answer(spellings: list[str], texts: list[str], threshold: int) -> bool:
    return any(0 < len(t) < len(s) and fuzz.partial_ratio(s, t) >= threshold for s in spellings for t in texts)


def _inside_word(spellings: list[str], texts: list[str]) -> bool:
    return any(s and s in text for s in spellings for text in texts)


def compare(path: str, rubric_path: str) -> dict:
    rubric = load_rubric(rubric_path)
    frame, _report = load_export(path)
    frame = frame.reset_index(drop=True)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapping = map_fields([c for c in frame.columns if not str(c).startswith("_")], rubric.fields)
    id_col = mapping[rubric.applicant.id].column if rubric.applicant.id else None
    if len(df) != len(frame) or (id_col and not (df[id_col].to_numpy() == frame[id_col].to_numpy()).all()):
        raise SystemExit("pandas and screener read different rows; the comparison needs the same rows")
    naive = {c.id: c for c in keyword_criteria(Path(rubric_path), list(df.columns))}
    lowered = {col: df[col].str.lower().tolist() for c in naive.values() for col in c.columns}
    indexes = {}

    totals: Counter[str] = Counter()
    per_term: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for crit in rubric.criteria:
        spec = crit.spec
        if not isinstance(spec, KeywordSpec):
            continue
        cols = [mapping[f].column for f in crit.fields if mapping.get(f) and mapping[f].column]
        for col in cols:
            if col not in indexes:
                indexes[col] = build_index(frame[col])
        naive_terms = {term: (spellings, threshold) for term, spellings, threshold in naive[crit.id].terms}
        texts_by_row = [list(t) for t in zip(*(lowered[col] for col in naive[crit.id].columns), strict=True)]
        for term in spec.terms:
            patterns = [p for v in term.variants for p in compile_term(v)]
            fuzzy = term.fuzzy if term.fuzzy is not None else spec.fuzzy
            exact = np.zeros(len(frame), dtype=bool)
            ours = np.zeros(len(frame), dtype=bool)
            for col in cols:
                exact |= find(indexes[col], patterns, 100, spec.fuzzy_min_length).hit
                ours |= find(indexes[col], patterns, fuzzy, spec.fuzzy_min_length).hit
            spellings, threshold = naive_terms[term.text]
            theirs = np.fromiter((term_found(spellings, t, threshold) for t in texts_by_row), dtype=bool,
                                 count=len(df))
            key = f"{crit.id}: {term.text}"
            for i in range(len(df)):
                e, o, n = exact[i], ours[i], theirs[i]
                if e:
                    totals["exact"] += 1
                    if n:
                        totals["exact_agree"] += 1
                        continue
                    cat = "exact_naive_missed"
                elif o and n:
                    cat = "both_fuzzy"
                elif o:
                    cat = "screener_fuzzy_only"
                elif n:
                    if _short_answer(spellings, texts_by_row[i], threshold):
                        cat = "short_answer"
                    elif _inside_word(spellings, texts_by_row[i]):
                        cat = "inside_word"
                    else:
                        cat = "near_spelling"
                else:
                    totals["neither"] += 1
                    continue
                totals[cat] += 1
                per_term[cat][key] += 1
                if len(examples[cat]) < EXAMPLES and not any(x.startswith(key + " ") for x in examples[cat]):
                    found = ""
                    if o:
                        hits = [find(indexes[col], patterns, fuzzy, spec.fuzzy_min_length) for col in cols]
                        got = next(h for h in hits if h.hit[i])
                        found = f"screener '{got.matched[i]}' ({got.score[i]}); "
                    examples[cat].append(f"{key} — row {i + 1}: {found}naive {_naive_best(spellings, texts_by_row[i])}")
    pairs = len(frame) * sum(len(c.spec.terms) for c in rubric.criteria if isinstance(c.spec, KeywordSpec))
    return {
        "file": path,
        "rows": len(frame),
        "pairs": pairs,
        "threshold": THRESHOLD,
        "totals": dict(totals),
        "exact_agreement": totals["exact_agree"] / totals["exact"] if totals["exact"] else 1.0,
        "categories": {
            cat: {
                "meaning": CATEGORIES[cat],
                "count": totals[cat],
                "top_terms": per_term[cat].most_common(6),
                "examples": examples[cat],
            }
            for cat in CATEGORIES
        },
    }


def format_report(result: dict) -> str:
    t = result["totals"]
    lines = [
        f"Agreement on {result['file']} ({result['rows']:,} applicants × keyword terms = {result['pairs']:,} pairs)",
        f"  exact whole-word matches (screener, fuzzy off): {t.get('exact', 0):,}; the naive baseline agrees on "
        f"{t.get('exact_agree', 0):,} = {100 * result['exact_agreement']:.2f}%",
        f"  neither finds the term: {t.get('neither', 0):,}",
        "  disagreements and fuzzy-only decisions:",
    ]
    for cat, info in result["categories"].items():
        lines.append(f"  - {cat}: {info['count']:,} — {info['meaning']}")
        if info["top_terms"]:
            lines.append("      most often: " + ", ".join(f"{k} ({v})" for k, v in info["top_terms"]))
        for ex in info["examples"]:
            lines.append("      e.g. " + ex)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--rubric", default=str(DEFAULT_RUBRIC))
    parser.add_argument("--json", help="also write the result as JSON here")
    args = parser.parse_args(argv)
    result = compare(args.file, args.rubric)
    print(format_report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
