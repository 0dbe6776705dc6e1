"""How well does screener's keyword matcher read answers, measured on hand-labelled pairs?

    .venv/bin/python benchmarks/matching.py [--errors 10] [--check] [--lang en,zh] [--json OUT]
                                            [--pairs DIR] [--no-language]

The pairs are hand-written TSV files, ``benchmarks/matching/pairs/*.tsv``, with the columns
``lang class keyword answer gold note`` (gold 1: a careful human screener would say the answer
claims the keyword). For every language, one ``screener score`` run decides all its pairs: the
export has one row per distinct answer (``Id``, ``Answer``) and the rubric one ``keywords``
criterion per distinct keyword (``match: any``, the keyword as its only term); a pair is
predicted a match when that criterion's status is ``pass`` on that answer's row.

Two baselines decide the same pairs in this process: rapidfuzz ``partial_ratio`` of the
lower-cased keyword and answer >= 88 (what ``benchmarks/naive.py`` does), and the lower-cased
keyword as a whole-word regular expression.

It prints precision, recall and F1 (gold 1 = positive) per language, in total (all pairs pooled)
and per class, for the three systems; with ``--errors N`` up to N false positives and N false
negatives per language; then the targets as PASS/FAIL lines. ``--check`` exits 1 when a target
fails; ``--json OUT`` writes every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAIRS = ROOT / "benchmarks" / "matching" / "pairs"
COLUMNS = ("lang", "class", "keyword", "answer", "gold", "note")
RATIO_THRESHOLD = 88
SYSTEMS = ("screener", "ratio", "regex")
SYSTEM_TITLES = {"screener": "screener", "ratio": f"partial_ratio>={RATIO_THRESHOLD}", "regex": "word regex"}
F1_TARGETS = {"zh": 0.95, "en": 0.90}
F1_TARGET_OTHER = 0.92
PRECISION_TARGET = 0.90
LABEL_MAX = 40
ANSWER_MAX = 100


class BenchmarkError(Exception):
    """The benchmark cannot go on: the message says why."""


@dataclass
class Pair:
    """One labelled pair and the three systems' decisions on it."""

    lang: str
    cls: str
    keyword: str
    answer: str
    gold: int
    note: str
    where: str  # file:line
    predicted: dict[str, bool] = field(default_factory=dict)
    evidence: str = ""
    status: str = ""


@dataclass
class Counts:
    """A confusion matrix with gold 1 as the positive class."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: int, predicted: bool) -> None:
        if predicted:
            if gold:
                self.tp += 1
            else:
                self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        """None when nothing is predicted positive."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None when no pair is gold positive."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """0 when precision or recall is 0 or undefined; None only when there is no gold positive and
        nothing predicted positive (nothing to find and nothing wrongly found)."""
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        if not p or not r:
            return 0.0
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


# ---- reading the pairs ---------------------------------------------------------------------------

def read_pairs(folder: Path) -> list[Pair]:
    """Every well-formed row of every ``*.tsv`` in ``folder``; malformed rows are reported on stderr
    and left out."""
    files = sorted(folder.glob("*.tsv"))
    if not files:
        raise BenchmarkError(f"No *.tsv pair files in {folder}.")
    pairs: list[Pair] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                print(f"warning: {path}: no column(s) {', '.join(missing)}; file skipped", file=sys.stderr)
                continue
            for row in reader:
                where = f"{path.name}:{reader.line_num}"
                problem = _row_problem(row)
                if problem:
                    print(f"warning: {where}: {problem}; row skipped", file=sys.stderr)
                    continue
                pairs.append(Pair(lang=row["lang"].strip(), cls=row["class"].strip(),
                                  keyword=row["keyword"].strip(), answer=row["answer"], gold=int(row["gold"]),
                                  note=row["note"] or "", where=where))
    return pairs


def _row_problem(row: dict[str, Any]) -> str:
    if None in row:
        return "more fields than the header"
    if any(row.get(c) is None for c in COLUMNS):
        return "fewer fields than the header"
    if row["gold"].strip() not in ("0", "1"):
        return f"gold is {row['gold']!r}, not 0 or 1"
    for column in ("lang", "class", "keyword"):
        if not row[column].strip():
            return f"empty {column}"
    if not row["answer"].strip():
        return "empty answer"
    return ""


# ---- screener ------------------------------------------------------------------------------------

def screener_command() -> list[str]:
    """The ``screener`` installed next to this interpreter, else ``python -m screener``."""
    for name in ("screener", "screener.exe"):
        candidate = Path(sys.executable).parent / name
        if candidate.is_file():
            return [str(candidate)]
    return [sys.executable, "-m", "screener"]


def write_export(pairs: Sequence[Pair], path: Path) -> dict[str, str]:
    """A CSV with one row per distinct answer (``Id`` 1..n, ``Answer``); answer -> Id."""
    ids: dict[str, str] = {}
    for pair in pairs:
        ids.setdefault(pair.answer, str(len(ids) + 1))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Answer"])
        writer.writerows([ident, answer] for answer, ident in ids.items())
    return ids


def _label(keyword: str) -> str:
    return keyword if len(keyword) <= LABEL_MAX else keyword[: LABEL_MAX - 1] + "…"


def write_rubric(lang: str, pairs: Sequence[Pair], path: Path, *, language: bool) -> dict[str, str]:
    """The rubric: one ``keywords`` criterion per distinct keyword; keyword -> criterion id."""
    ids: dict[str, str] = {}
    for pair in pairs:
        ids.setdefault(pair.keyword, f"k{len(ids) + 1}")
    rubric: dict[str, Any] = {"rubric": f"matching-{lang}", "title": f"Matching benchmark ({lang})"}
    if language:
        rubric["language"] = [lang]
    rubric["fields"] = {"entry_id": "Id", "answer": "Answer"}
    rubric["applicant"] = {"id": "entry_id"}
    rubric["criteria"] = [{"id": crit, "label": _label(keyword), "kind": "keywords", "field": "answer",
                           "match": "any", "terms": [keyword], "weight": 1}
                          for keyword, crit in ids.items()]
    path.write_text(yaml.safe_dump(rubric, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return ids


def _run(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    # The working directory and the audit log are the temporary folder's: a benchmark run must not
    # add entries to the user's audit log or pick up a screener.toml.
    env = {**os.environ, "SCREENER_AUDIT_LOG": str(folder / "screener-audit.jsonl")}
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)


def can_validate(screener: list[str], folder: Path) -> bool:
    """Whether this screener has ``screener rubric validate``."""
    helped = _run([*screener, "rubric", "--help"], folder)
    return helped.returncode == 0 and "validate" in helped.stdout


def validate_rubric(screener: list[str], rubric: Path, folder: Path, *, language: bool) -> None:
    """``screener rubric validate``; raises with its messages when the rubric is refused."""
    done = _run([*screener, "rubric", "validate", str(rubric)], folder)
    if done.returncode != 0:
        text = done.stderr.strip() or done.stdout.strip()
        hint = ("\n(this screener does not know the 'language' key yet: run with --no-language)"
                if language and "'language'" in text else "")
        raise BenchmarkError(f"screener rubric validate {rubric.name} failed (exit {done.returncode}):\n"
                             f"{text}{hint}")


def run_screener(screener: list[str], lang: str, pairs: Sequence[Pair], folder: Path, *, language: bool,
                 validate: bool) -> None:
    """Score every distinct answer of ``lang`` against every distinct keyword in one ``screener score``
    run; sets ``predicted['screener']``, ``status`` and ``evidence`` on each pair."""
    export, rubric, output = folder / f"{lang}.csv", folder / f"matching-{lang}.yaml", folder / f"{lang}.json"
    answer_ids = write_export(pairs, export)
    keyword_ids = write_rubric(lang, pairs, rubric, language=language)
    if validate:
        validate_rubric(screener, rubric, folder, language=language)
    done = _run([*screener, "score", str(export), "--rubric", str(rubric), "--format", "json",
                 "--output", str(output)], folder)
    if done.returncode != 0:
        raise BenchmarkError(f"screener score failed for {lang} (exit {done.returncode}):\n"
                             f"{done.stderr.strip() or done.stdout.strip()}")
    applicants = json.loads(output.read_text(encoding="utf-8"))
    by_id = {str(applicant["id"]): applicant.get("criteria", {}) for applicant in applicants}
    for pair in pairs:
        criteria = by_id.get(answer_ids[pair.answer])
        if criteria is None:
            raise BenchmarkError(f"screener's output for {lang} has no applicant {answer_ids[pair.answer]} "
                                 f"(answer of {pair.where})")
        result = criteria.get(keyword_ids[pair.keyword]) or {}
        pair.status = str(result.get("status", ""))
        pair.evidence = str(result.get("evidence") or "")
        pair.predicted["screener"] = pair.status == "pass"


# ---- baselines -----------------------------------------------------------------------------------

def ratio_baseline(keyword: str, answer: str) -> bool:
    return fuzz.partial_ratio(keyword.lower(), answer.lower()) >= RATIO_THRESHOLD


def regex_baseline(keyword: str, answer: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(keyword.lower()) + r"(?!\w)", answer.lower()) is not None


BASELINES: dict[str, Callable[[str, str], bool]] = {"ratio": ratio_baseline, "regex": regex_baseline}


# ---- figures -------------------------------------------------------------------------------------

def tally(pairs: Iterable[Pair]) -> dict[str, Counts]:
    counts = {system: Counts() for system in SYSTEMS}
    for pair in pairs:
        for system in SYSTEMS:
            counts[system].add(pair.gold, pair.predicted[system])
    return counts


def group(pairs: Iterable[Pair], key: Callable[[Pair], str]) -> dict[str, list[Pair]]:
    groups: dict[str, list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(key(pair), []).append(pair)
    return dict(sorted(groups.items()))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(title: str, rows: dict[str, dict[str, Counts]]) -> str:
    """A plain aligned table: name, n, gold positives, then P R F1 fp fn per system."""
    head1 = ["", "", ""]
    head2 = [title, "n", "pos"]
    for system in SYSTEMS:
        head1 += [SYSTEM_TITLES[system], "", "", "", ""]
        head2 += ["P", "R", "F1", "fp", "fn"]
    body = []
    for name, counts in rows.items():
        any_counts = counts[SYSTEMS[0]]
        line = [name, str(any_counts.n), str(any_counts.tp + any_counts.fn)]
        for system in SYSTEMS:
            c = counts[system]
            line += [_fmt(c.precision), _fmt(c.recall), _fmt(c.f1), str(c.fp), str(c.fn)]
        body.append(line)
    widths = [max(len(r[i]) for r in [head2, *body]) for i in range(len(head2))]
    # A system's title spans its five columns.
    for s in range(len(SYSTEMS)):
        first = 3 + 5 * s
        span = sum(widths[first:first + 5]) + 2 * 4
        if len(head1[first]) > span:
            widths[first + 4] += len(head1[first]) - span

    def render(cells: list[str], left: int) -> str:
        parts = [cell.ljust(widths[i]) if i < left else cell.rjust(widths[i]) for i, cell in enumerate(cells)]
        return "  ".join(parts).rstrip()

    top = [head1[0].ljust(widths[0]), "".rjust(widths[1]), "".rjust(widths[2])]
    for s, system in enumerate(SYSTEMS):
        first = 3 + 5 * s
        span = sum(widths[first:first + 5]) + 2 * 4
        top.append(SYSTEM_TITLES[system].center(span))
    lines = ["  ".join(top).rstrip(), render(head2, 1)]
    lines.append("-" * len(lines[1]))
    for line in body:
        if line[0] == "total":
            lines.append("-" * len(lines[1]))
        lines.append(render(line, 1))
    return "\n".join(lines)


def _short(text: str, limit: int = ANSWER_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def errors_report(by_lang: dict[str, list[Pair]], limit: int) -> str:
    lines: list[str] = []
    for lang, pairs in by_lang.items():
        for label, wrong in (("false positives", [p for p in pairs if p.predicted["screener"] and not p.gold]),
                             ("false negatives", [p for p in pairs if p.gold and not p.predicted["screener"]])):
            shown = f"{min(limit, len(wrong))} of {len(wrong)}" if wrong else "none"
            lines.append(f"{lang}: screener's {label} ({shown})")
            for pair in wrong[:limit]:
                lines.append(f"  [{pair.cls}] {pair.keyword!r} in {_short(pair.answer)!r}  ({pair.where})")
                lines.append(f"      screener: {pair.status or '?'}; evidence: {pair.evidence or '-'}"
                             f"; ratio {'yes' if pair.predicted['ratio'] else 'no'}"
                             f", regex {'yes' if pair.predicted['regex'] else 'no'}")
        lines.append("")
    return "\n".join(lines).rstrip()


@dataclass
class Target:
    what: str
    passed: bool
    detail: str


def targets(per_lang: dict[str, dict[str, Counts]]) -> list[Target]:
    """F1 per language (zh 0.95, en 0.90, others 0.92), precision 0.90 per language, and screener's F1
    strictly above both baselines' in every language."""
    found: list[Target] = []
    for lang, counts in per_lang.items():
        mine = counts["screener"]
        goal = F1_TARGETS.get(lang, F1_TARGET_OTHER)
        f1 = mine.f1
        found.append(Target(f"{lang}: screener F1 >= {goal:.2f}", f1 is not None and f1 >= goal,
                            f"F1 {_fmt(f1)}"))
        p = mine.precision
        found.append(Target(f"{lang}: screener precision >= {PRECISION_TARGET:.2f}",
                            p is not None and p >= PRECISION_TARGET,
                            f"P {_fmt(p)}" + (" (nothing predicted positive)" if p is None else "")))
        others = {s: counts[s].f1 for s in BASELINES}
        ahead = f1 is not None and all(f1 > (o if o is not None else -1.0) for o in others.values())
        found.append(Target(f"{lang}: screener F1 above both baselines", ahead,
                            f"{_fmt(f1)} vs partial_ratio {_fmt(others['ratio'])}, regex {_fmt(others['regex'])}"))
    return found


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=False)
    except OSError:
        return None
    return done.stdout.strip() or None


# ---- main ----------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="folder of *.tsv pair files "
                        "(default: benchmarks/matching/pairs)")
    parser.add_argument("--lang", default="", help="only these languages, comma-separated (e.g. en,zh)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="list up to N false positives and N false negatives per language")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE as JSON")
    parser.add_argument("--no-language", action="store_true",
                        help="leave the top-level 'language:' key out of the generated rubrics")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        pairs = read_pairs(args.pairs)
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    wanted = [code.strip() for code in args.lang.split(",") if code.strip()]
    if wanted:
        for code in wanted:
            if not any(p.lang == code for p in pairs):
                print(f"warning: no pairs for language {code!r}", file=sys.stderr)
        pairs = [p for p in pairs if p.lang in wanted]
    if not pairs:
        print("error: no pairs to score", file=sys.stderr)
        return 2
    by_lang = group(pairs, lambda p: p.lang)

    for pair in pairs:
        for name, decide in BASELINES.items():
            pair.predicted[name] = decide(pair.keyword, pair.answer)

    screener = screener_command()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="screener-matching-") as tmp:
        try:
            validate = can_validate(screener, Path(tmp))
            for lang, lang_pairs in by_lang.items():
                run_screener(screener, lang, lang_pairs, Path(tmp), language=not args.no_language,
                             validate=validate)
        except BenchmarkError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    elapsed = time.perf_counter() - started

    per_lang = {lang: tally(lang_pairs) for lang, lang_pairs in by_lang.items()}
    total = tally(pairs)
    per_class = {cls: tally(cls_pairs) for cls, cls_pairs in group(pairs, lambda p: p.cls).items()}

    files = sorted({p.where.rsplit(":", 1)[0] for p in pairs})
    print(f"{len(pairs)} pairs ({sum(p.gold for p in pairs)} gold 1) in {len(files)} file(s) from {args.pairs}; "
          f"{len(by_lang)} screener run(s) in {elapsed:.1f} s")
    print("P = precision (- when nothing is predicted positive), R = recall (- when no pair is gold 1), "
          "F1 = 0 when P or R is 0 or -\n")
    print(table("lang", {**per_lang, "total": total}))
    print()
    print(table("class", per_class))
    print("(a class whose pairs are all gold 0 has no recall: read its fp column; its P is 0 from the first "
          "false positive)")
    if args.errors > 0:
        print()
        print(errors_report(by_lang, args.errors))
    found = targets(per_lang)
    print()
    print("Targets")
    width = max(len(t.what) for t in found)
    for target in found:
        print(f"  {'PASS' if target.passed else 'FAIL'}  {target.what.ljust(width)}  {target.detail}")
    failed = sum(not t.passed for t in found)
    print(f"{len(found) - failed} of {len(found)} targets met")

    if args.json:
        report = {
            "pairs_dir": str(args.pairs), "commit": _commit(), "seconds": round(elapsed, 3),
            "systems": SYSTEM_TITLES, "pairs": len(pairs),
            "languages": {lang: {s: c.as_dict() for s, c in counts.items()} for lang, counts in per_lang.items()},
            "total": {s: c.as_dict() for s, c in total.items()},
            "classes": {cls: {s: c.as_dict() for s, c in counts.items()} for cls, counts in per_class.items()},
            "targets": [{"target": t.what, "passed": t.passed, "detail": t.detail} for t in found],
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
