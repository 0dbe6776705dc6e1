"""Where `screener score FILE --format csv` spends its time: import, load, each criterion, the
table assembly, and the CSV rendering, measured in one process with wall-clock timers.

    python benchmarks/phases.py FILE [--rubric rubrics/technical-project-manager.yaml] [--json]

The phases are the ones the command runs, in the same order and through the same library calls
(``load_export``, ``score``, ``write.render_chunks``), so they add up to roughly
the command's own time minus the interpreter start-up.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def measure(path: str, rubric_path: str) -> dict:
    phases: dict[str, float] = {}
    memory: dict[str, tuple[float, float]] = {}  # phase -> (RSS after it, peak RSS so far), MiB
    t0 = time.perf_counter()
    from screener.core.rubric import load_rubric
    from screener.core.scoring import score
    from screener.data import write
    from screener.data.load import load_export

    phases["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    rubric = load_rubric(rubric_path)
    phases["rubric"] = time.perf_counter() - t
    t = time.perf_counter()
    frame, report = load_export(path)
    phases["load"] = time.perf_counter() - t
    memory["load"] = (_rss_mib(), _peak_mib())

    criteria: dict[str, float] = {}
    last = [time.perf_counter()]

    def tick(crit_id: str) -> None:
        now = time.perf_counter()
        criteria[crit_id] = now - last[0]
        last[0] = now

    t = time.perf_counter()
    result = score(frame, rubric, progress=tick)
    end = time.perf_counter()
    phases["score"] = end - t
    # What is left after the last criterion is the table: ranks, buckets, late, duplicates.
    phases["score.assemble"] = end - last[0]
    memory["score"] = (_rss_mib(), _peak_mib())
    kinds = {c.id: c.kind for c in rubric.criteria}
    by_kind: dict[str, float] = {}
    for cid, secs in criteria.items():
        by_kind[kinds[cid]] = by_kind.get(kinds[cid], 0.0) + secs
    for kind, secs in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        phases[f"score.{kind}"] = secs

    t = time.perf_counter()
    table = result.table
    # As the command does: the CSV in pieces, each written (here to nowhere) before the next.
    size = sum(len(piece) for piece in write.render_chunks(table, "csv", to_stdout=False, title=""))
    phases["write_csv"] = time.perf_counter() - t
    memory["write_csv"] = (_rss_mib(), _peak_mib())
    return {
        "file": path,
        "rows": report.rows,
        "output_bytes": size,
        "phases": phases,
        "criteria": criteria,
        "peak_rss_mib": _peak_mib(),
        "memory_mib": memory,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--rubric", default=str(DEFAULT_RUBRIC))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    out = measure(args.file, args.rubric)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{out['file']}: {out['rows']:,} rows, peak RSS {out['peak_rss_mib']:,.0f} MiB")
    for name, secs in out["phases"].items():
        print(f"  {name:<24}{secs:8.2f} s")
    print("  memory (RSS after, peak so far): " + ", ".join(
        f"{k} {now:,.0f}/{peak:,.0f} MiB" for k, (now, peak) in out["memory_mib"].items()))
    slowest = sorted(out["criteria"].items(), key=lambda kv: -kv[1])[:8]
    print("  slowest criteria: " + ", ".join(f"{cid} {secs:.2f} s" for cid, secs in slowest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
