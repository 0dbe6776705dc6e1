"""How close is a drafted rubric to the hand-written one? Rank agreement on the sample export.

    .venv/bin/python benchmarks/draft.py [--export sample_data/applicants.csv] [--keep DIR] [--no-zh]

Drafts a rubric from ``sample_data/postings/technical-project-manager.md`` with
``screener rubric draft`` (once with ``--export`` and once without), scores the sample export
with each draft and with ``rubrics/technical-project-manager.yaml`` (``screener score --format
json -o -``, all as separate processes), and prints for each draft: the overlap of the two top
50s (by rank, as the shortlist would cut them) and the Spearman correlation of the total scores
(Pearson on pandas' average ranks, so no scipy is needed). The same for the Chinese posting,
``applicants_zh.csv`` and ``rubrics/technical-project-manager.zh.yaml`` (``--no-zh`` skips it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
POSTING = ROOT / "sample_data" / "postings" / "technical-project-manager.md"
EXPORT = ROOT / "sample_data" / "applicants.csv"
HAND = ROOT / "rubrics" / "technical-project-manager.yaml"
# The Chinese posting, its export and the hand-written Chinese rubric: reported too, as a check.
POSTING_ZH = ROOT / "sample_data" / "postings" / "original-zh.md"
EXPORT_ZH = ROOT / "sample_data" / "applicants_zh.csv"
HAND_ZH = ROOT / "rubrics" / "technical-project-manager.zh.yaml"
SCREENER = Path(sys.executable).parent / "screener"
TOP = 50


def run(*args: str | Path) -> str:
    done = subprocess.run([str(SCREENER), *map(str, args)], capture_output=True, text=True, check=False,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "SCREENER_WORKERS": "1"})
    if done.returncode != 0:
        sys.exit(f"screener {' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def scores(rubric: Path, export: Path) -> pd.DataFrame:
    rows = json.loads(run("score", export, "--rubric", rubric, "--format", "json", "-o", "-"))
    table = pd.DataFrame({"id": [str(r["id"]) for r in rows], "rank": [int(r["rank"]) for r in rows],
                          "score": [float(r["score"]) for r in rows]})
    return table.set_index("id")


def spearman(a: pd.Series, b: pd.Series) -> float:
    return float(a.rank(method="average").corr(b.rank(method="average"), method="pearson"))


def compare(hand: pd.DataFrame, drafted: pd.DataFrame) -> tuple[int, float]:
    both = hand.add_suffix("_hand").join(drafted.add_suffix("_draft"), how="inner")
    top_hand = set(both.nsmallest(TOP, "rank_hand").index)
    top_draft = set(both.nsmallest(TOP, "rank_draft").index)
    return len(top_hand & top_draft), spearman(both["score_hand"], both["score_draft"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--export", type=Path, default=EXPORT)
    parser.add_argument("--posting", type=Path, default=POSTING)
    parser.add_argument("--keep", type=Path, help="Keep the drafted rubrics in this folder.")
    parser.add_argument("--no-zh", dest="zh", action="store_false", help="Skip the Chinese posting's check.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="draft-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        with_export, without = folder / "draft-with-export.yaml", folder / "draft-without-export.yaml"
        started = time.perf_counter()
        run("rubric", "draft", args.posting, "--export", args.export, "-o", with_export, "--force")
        drafted_in = time.perf_counter() - started
        run("rubric", "draft", args.posting, "-o", without, "--force")
        hand = scores(HAND, args.export)
        print(f"posting {args.posting.relative_to(ROOT) if args.posting.is_relative_to(ROOT) else args.posting}; "
              f"export {args.export.name} ({len(hand)} applicants); hand-written rubric {HAND.relative_to(ROOT)}")
        print(f"drafting with --export took {drafted_in:.2f} s")
        for label, path in (("draft --export", with_export), ("draft (no export)", without)):
            overlap, rho = compare(hand, scores(path, args.export))
            print(f"{label:18}  top-{TOP} overlap {overlap}/{TOP} ({overlap / TOP:.0%})  Spearman {rho:.3f}")
        if args.zh:
            zh = folder / "draft-zh-with-export.yaml"
            run("rubric", "draft", POSTING_ZH, "--export", EXPORT_ZH, "-o", zh, "--force")
            hand_zh = scores(HAND_ZH, EXPORT_ZH)
            overlap, rho = compare(hand_zh, scores(zh, EXPORT_ZH))
            print(f"{'zh draft --export':18}  top-{TOP} overlap {overlap}/{TOP} ({overlap / TOP:.0%})  "
                  f"Spearman {rho:.3f}  ({POSTING_ZH.name} on {EXPORT_ZH.name}, {len(hand_zh)} applicants, "
                  f"against {HAND_ZH.name})")


if __name__ == "__main__":
    main()
