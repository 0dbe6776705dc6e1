"""Benchmark `screener score` against the parse limit and a naive pandas + rapidfuzz baseline.

    python benchmarks/run.py [--sizes 1k,10k,100k] [--repeat 3] [--out benchmarks/results]
                             [--naive-max-rows 10000] [--naive-sample 2000] [--incremental]

For each size it generates (once, seeded, cached in benchmarks/data/) a Cognito-style CSV export
with sample_data/generate.py, then times whole processes on the same file, interleaved, each
`--repeat` times, and reports the median wall time and the peak RSS of each process together
with its children (screener starts a helper process for large exports, see
src/screener/app/parallel.py): the larger of the process's own ``ru_maxrss`` (from ``os.wait4``)
and the sum of the resident sets of the process and its descendants, sampled every 20 ms:

1. screener:  ``screener score FILE --rubric rubrics/technical-project-manager.yaml --format csv
   --output /dev/null``
2. naive:     ``python benchmarks/naive.py FILE`` (read_csv + DataFrame.apply + partial_ratio).
   Above ``--naive-max-rows`` rows it runs on the first ``--naive-sample`` rows only (after
   reading the whole file) and the time is extrapolated linearly: process time + apply time ×
   (rows / sample − 1). Such numbers are marked ``~`` and labelled "extrapolated".
3. parse:     ``python -c "pandas.read_csv(FILE, dtype=str, keep_default_na=False)"``

It also times ``screener --help`` against ``python -c "import typer"`` (and checks with
``-X importtime`` that pandas, numpy and rapidfuzz are not imported on that path), runs
benchmarks/agreement.py on the 10k file, and with ``--incremental`` times a nightly
``screener run`` that adds 1,000 new applicants to a store of 100,000.

Prints a plain-text table and writes everything to OUT/results.json (and the printed text
to OUT/results.txt).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DATA = BENCH / "data"
RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SCREENER = str(BIN / "screener") if (BIN / "screener").exists() else "screener"
GENERATOR = ROOT / "sample_data" / "generate.py"
PARSE_CODE = "import sys, pandas; pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)"
HEAVY = ("pandas", "numpy", "rapidfuzz")

_lines: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    _lines.append(text)


# --------------------------------------------------------------------------------------------
# Running one process and measuring it.


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants now (0 for those already gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * _PAGE
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def _sample_tree(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], _tree_rss(pid))
        stop.wait(0.02)


def run(cmd: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,),
        timeout: float | None = None) -> dict:
    """Run ``cmd``; wall seconds, peak RSS (MiB) of that process and its children together, exit
    code, stdout, stderr tail."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        stop, tree_peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, tree_peak), daemon=True)
        sampler.start()
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    result = {
        "seconds": wall,
        "peak_rss_mib": max(usage.ru_maxrss * 1024, tree_peak[0]) / 2**20,
        "own_peak_rss_mib": usage.ru_maxrss / 1024,
        "exit": proc.returncode,
        "stdout": stdout,
        "stderr_tail": stderr[-600:],
    }
    if proc.returncode not in ok:
        result["failed"] = True
        say(f"  ! {' '.join(cmd[:3])} … exited {proc.returncode}: {stderr[-300:].strip()}")
    return result


# --------------------------------------------------------------------------------------------
# Data.


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def label(rows: int) -> str:
    if rows >= 1_000_000 and rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows >= 1_000 and rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


def dataset(rows: int) -> tuple[Path, float | None]:
    """The generated export with ``rows`` applicants (seed 2020), generating it if missing."""
    path = DATA / f"app{rows}.csv"
    if path.exists() and path.stat().st_size > 0:
        return path, None
    DATA.mkdir(parents=True, exist_ok=True)
    say(f"generating {path.relative_to(ROOT)} ({rows:,} rows) …")
    started = time.perf_counter()
    subprocess.run([PYTHON, str(GENERATOR), "--rows", str(rows), "--formats", "csv", "--out", str(DATA),
                    "--basename", f"app{rows}", "--no-answer-key"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return path, time.perf_counter() - started


def describe_data(path: Path, rows: int) -> dict:
    """Answer lengths and vocabulary of the two free-text columns, to show the data is realistic."""
    code = r"""
import json, re, sys
import pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, nrows=int(sys.argv[2]))
out = {}
for col in ("WhyAreYouAGreatFitForThisRole", "TellUsAboutAProjectYouLedFromIdeaToLaunch"):
    s = df[col]
    words = s.str.split().str.len()
    filled = words[words > 0]
    vocab = set()
    for t in s.str.lower():
        vocab.update(re.findall(r"[^\W_]+", t))
    out[col] = {"rows": len(s), "median_words": float(filled.median()), "p10_words": float(filled.quantile(.1)),
                "p90_words": float(filled.quantile(.9)), "share_100_400_words": float(((filled >= 100) &
                (filled <= 400)).mean()), "non_ascii_share": float((~s.map(str.isascii)).mean()),
                "distinct_words": len(vocab)}
print(json.dumps(out))
"""
    res = subprocess.run([PYTHON, "-c", code, str(path), str(rows)], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# --------------------------------------------------------------------------------------------
# The three configurations.


def screener_cmd(path: Path) -> list[str]:
    return [SCREENER, "score", str(path), "--rubric", str(RUBRIC), "--format", "csv", "--output", "/dev/null"]


def parse_cmd(path: Path) -> list[str]:
    return [PYTHON, "-c", PARSE_CODE, str(path)]


def naive_cmd(path: Path, limit: int | None) -> list[str]:
    cmd = [PYTHON, str(BENCH / "naive.py"), str(path), "--rubric", str(RUBRIC), "--timings"]
    return cmd + (["--limit", str(limit)] if limit else [])


def naive_run(path: Path, rows: int, limit: int | None, timeout: float | None) -> dict:
    res = run(naive_cmd(path, limit), timeout=timeout)
    if res.get("failed"):
        return res
    timings = json.loads(res["stdout"].strip().splitlines()[-1])
    res["timings"] = timings
    if limit and timings["rows_applied"] < rows:
        per_row = timings["apply_s"] / timings["rows_applied"]
        res["measured_seconds"] = res["seconds"]
        res["seconds"] = res["seconds"] + per_row * (rows - timings["rows_applied"])
        res["extrapolated_from_rows"] = timings["rows_applied"]
    return res


def median(results: list[dict], key: str) -> float | None:
    values = [r[key] for r in results if not r.get("failed") and r.get(key) is not None]
    return statistics.median(values) if values else None


def bench_size(rows: int, repeat: int, naive_max: int, naive_sample: int, timeout: float | None) -> dict:
    path, gen_s = dataset(rows)
    entry: dict = {"rows": rows, "file": str(path.relative_to(ROOT)), "bytes": path.stat().st_size,
                   "generate_seconds": gen_s}
    limit = None if rows <= naive_max else naive_sample
    runs: dict[str, list[dict]] = {"parse": [], "screener": [], "naive": []}
    for i in range(repeat):
        say(f"{label(rows)} run {i + 1}/{repeat}: parse, screener, naive"
            + (f" (naive on {limit:,} rows, extrapolated)" if limit else ""))
        runs["parse"].append(run(parse_cmd(path), timeout=timeout))
        runs["screener"].append(run(screener_cmd(path), timeout=timeout))
        runs["naive"].append(naive_run(path, rows, limit, timeout))
    for name, results in runs.items():
        entry[name] = {
            "median_seconds": median(results, "seconds"),
            "median_peak_rss_mib": median(results, "peak_rss_mib"),
            "max_peak_rss_mib": max((r["peak_rss_mib"] for r in results), default=None),
            "runs": [{k: v for k, v in r.items() if k not in ("stdout",)} for r in results],
        }
    if limit:
        entry["naive"]["extrapolated_from_rows"] = limit
        entry["naive"]["measured_median_seconds"] = median(runs["naive"], "measured_seconds")
    s, p, n = (entry[k]["median_seconds"] for k in ("screener", "parse", "naive"))
    entry["screener_over_parse"] = s / p if s and p else None
    entry["naive_over_screener"] = n / s if s and n else None
    return entry


# --------------------------------------------------------------------------------------------
# Start-up, agreement, incremental runs.


def startup(repeat: int) -> dict:
    say(f"start-up: screener --help vs python -c 'import typer', {repeat} runs each")
    help_runs, typer_runs = [], []
    for _ in range(repeat):
        help_runs.append(run([SCREENER, "--help"]))
        typer_runs.append(run([PYTHON, "-c", "import typer"]))
    full = subprocess.run([PYTHON, "-X", "importtime", "-m", "screener", "--help"], capture_output=True,
                          text=True, cwd=ROOT)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in full.stderr.splitlines() if "|" in line}
    h, t = median(help_runs, "seconds"), median(typer_runs, "seconds")
    return {
        "screener_help_seconds": h,
        "import_typer_seconds": t,
        "ratio": h / t if h and t else None,
        "heavy_imports_on_help": sorted(m for m in HEAVY if m in imported),
        "help_runs": [r["seconds"] for r in help_runs],
        "typer_runs": [r["seconds"] for r in typer_runs],
    }


def agreement(path: Path, out: Path) -> dict:
    say(f"agreement: screener vs naive keyword decisions on {path.relative_to(ROOT)}")
    target = out / "agreement.json"
    res = run([PYTHON, str(BENCH / "agreement.py"), str(path), "--rubric", str(RUBRIC), "--json", str(target)])
    if res.get("failed"):
        return {"failed": True, "stderr_tail": res["stderr_tail"]}
    return {"text": res["stdout"].rstrip(), "seconds": res["seconds"], **json.loads(target.read_text())}


def _with_new_rows(base: Path, extra: int, target: Path) -> None:
    """``base`` plus ``extra`` new applicants (from a file generated with another seed, ids renumbered)."""
    new = DATA / f"new{extra}_seed7.csv"
    if not new.exists():
        subprocess.run([PYTHON, str(GENERATOR), "--rows", str(extra), "--seed", "7", "--formats", "csv",
                        "--out", str(DATA), "--basename", new.stem, "--no-answer-key"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    with base.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    with base.open(encoding="utf-8-sig", newline="") as f:
        ids = [row[0] for row in csv.reader(f)][1:]
    first = max(int(i) for i in ids if i.isdigit()) + 1
    with new.open(encoding="utf-8-sig", newline="") as f, target.open("a", encoding="utf-8", newline="") as dst:
        reader = csv.reader(f)
        next(reader)
        writer = csv.writer(dst, lineterminator="\r\n")
        for k, row in enumerate(reader):
            row[0] = str(first + k)
            writer.writerow(row)


def incremental(rows: int, extra: int, repeat: int, timeout: float | None) -> dict:
    """A nightly store of ``rows`` applicants, then a run whose export adds ``extra`` new ones."""
    say(f"incremental: 'screener run' on {rows:,} stored applicants plus {extra:,} new, {repeat} runs")
    base, _ = dataset(rows)
    work = Path(tempfile.mkdtemp(prefix="screener-bench-"))
    try:
        (work / "exports").mkdir()
        day1 = work / "exports" / "day1.csv"
        shutil.copyfile(base, day1)
        day2 = work / "day2.csv"
        _with_new_rows(base, extra, day2)
        init = run([SCREENER, "init", "--rubric", str(RUBRIC), "--exports", "exports/*.csv"], cwd=work)
        if init.get("failed"):
            return {"failed": True, "step": "init", "stderr_tail": init["stderr_tail"]}
        full = run([SCREENER, "run", "--export", str(day1)], cwd=work, timeout=timeout)
        if full.get("failed"):
            return {"failed": True, "step": "first run", "stderr_tail": full["stderr_tail"]}
        snapshot = work / "snapshot"
        shutil.copytree(work, snapshot, ignore=shutil.ignore_patterns("snapshot", "exports", "day2.csv"))
        runs = []
        for _ in range(repeat):
            for item in snapshot.iterdir():
                dest = work / item.name
                if dest.is_dir():
                    shutil.rmtree(dest)
                elif dest.exists():
                    dest.unlink()
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, dest)
            for stale in work.glob("*.db-*"):
                if not (snapshot / stale.name).exists():
                    stale.unlink()
            # The copy of the store (1.2 GB at 100k) is written back to disk before the night starts:
            # otherwise the night's commit, which waits for its own writes to reach the disk, waits
            # behind the copy's (0.4 s against 0.13 s on this machine), a cost no real night has.
            if hasattr(os, "sync"):
                os.sync()
            runs.append(run([SCREENER, "run", "--export", str(day2)], cwd=work, ok=(0, 3), timeout=timeout))
        rescore = [run(screener_cmd(day2), timeout=timeout) for _ in range(repeat)]
        inc = median(runs, "seconds")
        return {
            "stored": rows,
            "new": extra,
            "first_run_seconds": full["seconds"],
            "first_run_peak_rss_mib": full["peak_rss_mib"],
            "incremental_median_seconds": inc,
            "incremental_peak_rss_mib": median(runs, "peak_rss_mib"),
            "incremental_stdout": runs[-1]["stdout"].strip() if runs else "",
            "full_rescore_median_seconds": median(rescore, "seconds"),
            "incremental_over_full_run": inc / full["seconds"] if inc else None,
            "incremental_over_full_rescore": inc / median(rescore, "seconds") if inc and median(rescore, "seconds")
            else None,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Reporting.


def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    versions = subprocess.run(
        [PYTHON, "-c", "import pandas, numpy, rapidfuzz, typer; print(pandas.__version__, numpy.__version__, "
         "rapidfuzz.__version__, typer.__version__)"], capture_output=True, text=True).stdout.split()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT)
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": versions[0] if versions else "",
        "numpy": versions[1] if len(versions) > 1 else "",
        "rapidfuzz": versions[2] if len(versions) > 2 else "",
        "typer": versions[3] if len(versions) > 3 else "",
        "commit": commit.stdout.strip() + (" (src modified)" if dirty.stdout.strip() else ""),
        "modified": [line[3:] for line in dirty.stdout.splitlines()],
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def table(entries: list[dict]) -> list[str]:
    head = (f"{'rows':>9} {'file MB':>8} {'parse s':>8} {'screener s':>11} {'naive s':>10} {'scr/parse':>10} "
            f"{'naive/scr':>10} {'RSS parse':>10} {'RSS scr':>9} {'RSS naive':>10}")
    out = [head, "-" * len(head)]
    notes = []
    for e in entries:
        extrapolated = e["naive"].get("extrapolated_from_rows")
        mark = "~" if extrapolated else ""
        naive = e["naive"]["median_seconds"]
        rss = [e[k]["median_peak_rss_mib"] for k in ("parse", "screener", "naive")]
        out.append(
            f"{e['rows']:>9,} {e['bytes'] / 1e6:>8.1f} {_s(e['parse']['median_seconds']):>8} "
            f"{_s(e['screener']['median_seconds']):>11} {mark + _s(naive):>10} "
            f"{_s(e['screener_over_parse']):>10} {mark + _s(e['naive_over_screener']):>10} "
            + " ".join(f"{'-' if r is None else f'{r:,.0f}':>{w}}" for r, w in zip(rss, (10, 9, 10), strict=True))
            + (" *" if extrapolated else "")
        )
        if extrapolated:
            notes.append(f"* {label(e['rows'])}: naive time extrapolated from {extrapolated:,} rows (measured process "
                         f"{_s(e['naive'].get('measured_median_seconds'))} s incl. reading the whole file; "
                         f"RSS is that process's)")
    out.append("seconds are medians of whole processes; RSS = peak resident set (MiB) of the process and its "
               "children together; scr/parse = screener ÷ parse; naive/scr = naive ÷ screener")
    return out + notes


def targets(entries: list[dict], start: dict | None, inc: dict | None) -> list[tuple[str, bool | None, str]]:
    by_rows = {e["rows"]: e for e in entries}
    out: list[tuple[str, bool | None, str]] = []
    e = by_rows.get(100_000)
    if e:
        r = e["screener_over_parse"]
        out.append(("100k: screener ≤ 3× parse", r is not None and r <= 3,
                    f"{_s(r)}× ({_s(e['screener']['median_seconds'])} s vs parse {_s(e['parse']['median_seconds'])} s"
                    + (f"; gap {e['screener']['median_seconds'] - 3 * e['parse']['median_seconds']:.2f} s)"
                       if r and r > 3 else ")")))
        r = e["naive_over_screener"]
        ex = " (naive extrapolated)" if e["naive"].get("extrapolated_from_rows") else ""
        out.append(("100k: ≥ 20× faster than naive", r is not None and r >= 20, f"{_s(r)}×{ex}"))
    e = by_rows.get(1_000_000)
    if e:
        ok = not any(run.get("failed") for run in e["screener"]["runs"])
        rss = e["screener"]["max_peak_rss_mib"]
        out.append(("1M: completes", ok, "yes" if ok else "failed"))
        out.append(("1M: peak RSS < 4 GiB", rss is not None and rss < 4096 and ok, f"{rss:,.0f} MiB" if rss else "-"))
        r = e["screener_over_parse"]
        out.append(("1M: screener ≤ 3× parse", r is not None and r <= 3, f"{_s(r)}×"))
    if start:
        r = start["ratio"]
        out.append(("--help ≤ 1.5× import typer", r is not None and r <= 1.5,
                    f"{_s(r)}× ({start['screener_help_seconds']:.3f} s vs {start['import_typer_seconds']:.3f} s)"))
        heavy = start["heavy_imports_on_help"]
        out.append(("--help imports no pandas/numpy/rapidfuzz", not heavy, ", ".join(heavy) or "none imported"))
    if inc and not inc.get("failed"):
        r = inc["incremental_over_full_run"]
        out.append(("incremental 100k + 1k new ≤ 0.10 of the first full run", r is not None and r <= 0.1,
                    f"{_s(inc['incremental_median_seconds'])} s vs first full run {_s(inc['first_run_seconds'])} s "
                    f"= {_s(r)}"))
        r = inc["incremental_over_full_rescore"]
        out.append(("incremental 100k + 1k new ≤ 0.25 of screener score of the same export",
                    r is not None and r <= 0.25,
                    f"{_s(inc['incremental_median_seconds'])} s vs {_s(inc['full_rescore_median_seconds'])} s "
                    f"= {_s(r)}"))
    elif inc:
        out.append(("incremental 100k + 1k new ≤ 0.10 of the first full run", False, f"failed at {inc.get('step')}"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated row counts: 1k,10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration (median reported)")
    parser.add_argument("--out", default=str(BENCH / "results"), help="folder for results.json / results.txt")
    parser.add_argument("--naive-max-rows", type=int, default=10_000,
                        help="above this, the naive baseline runs on a sample and is extrapolated")
    parser.add_argument("--naive-sample", type=int, default=2_000, help="rows the naive baseline runs on above it")
    parser.add_argument("--startup-repeat", type=int, default=10)
    parser.add_argument("--no-agreement", action="store_true", help="skip the agreement check on the 10k file")
    parser.add_argument("--incremental", action="store_true",
                        help="also time a nightly 'screener run' adding 1k applicants to 100k stored")
    parser.add_argument("--timeout", type=float, default=None, help="kill any single process after this many s")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    info = machine()
    say(f"machine: {info['cpu']}, {info['cpus']} CPUs, {info['ram_gib']} GiB RAM; {info['os']}")
    say(f"python {info['python']}, pandas {info['pandas']}, numpy {info['numpy']}, rapidfuzz {info['rapidfuzz']}, "
        f"typer {info['typer']}; screener at {info['commit']}; load average {info['load_average_at_start']}")
    if info["modified"]:
        say(f"uncommitted changes in: {', '.join(info['modified'])}")
    entries = []
    data_facts = {}
    for rows in sizes:
        entry = bench_size(rows, args.repeat, args.naive_max_rows, args.naive_sample, args.timeout)
        entries.append(entry)
        if rows == 10_000 or (rows == sizes[-1] and 10_000 not in sizes):
            data_facts = {"file": entry["file"], **describe_data(ROOT / entry["file"], rows)}
    start = startup(args.startup_repeat)
    agree = None if args.no_agreement else agreement(dataset(10_000)[0], out)
    inc = incremental(100_000, 1_000, args.repeat, args.timeout) if args.incremental else None

    say()
    say("=" * 110)
    say(f"screener benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {info['cpu']}, {info['cpus']} CPUs, "
        f"{info['ram_gib']} GiB RAM, Python {info['python']}")
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    say(f"median of {args.repeat} runs; rubric {RUBRIC.relative_to(ROOT)}; data: sample_data/generate.py, seed 2020; "
        f"load average at start {info['load_average_at_start']}, at end {info['load_average_at_end']}")
    for line in table(entries):
        say(line)
    if data_facts:
        for col, facts in data_facts.items():
            if col == "file":
                continue
            say(f"data ({data_facts['file']}) {col}: median {facts['median_words']:.0f} words (p10 "
                f"{facts['p10_words']:.0f}, p90 {facts['p90_words']:.0f}), {100 * facts['share_100_400_words']:.0f}% "
                f"in 100-400 words, {100 * facts['non_ascii_share']:.0f}% non-ASCII, "
                f"{facts['distinct_words']:,} distinct words")
    say()
    say(f"start-up (median of {args.startup_repeat}): screener --help {start['screener_help_seconds']:.3f} s, "
        f"python -c 'import typer' {start['import_typer_seconds']:.3f} s, ratio {_s(start['ratio'])}; "
        f"heavy imports on --help: {', '.join(start['heavy_imports_on_help']) or 'none'}")
    if inc:
        say()
        if inc.get("failed"):
            say(f"incremental: failed at {inc.get('step')}: {inc.get('stderr_tail', '')[-300:]}")
        else:
            say(f"incremental (median of {args.repeat}): {inc['stored']:,} stored + {inc['new']:,} new: "
                f"{inc['incremental_median_seconds']:.2f} s (peak RSS {inc['incremental_peak_rss_mib']:,.0f} MiB); "
                f"first full run {inc['first_run_seconds']:.2f} s; screener score of the same export "
                f"{_s(inc['full_rescore_median_seconds'])} s")
    if agree:
        say()
        say(agree.get("text") or f"agreement failed: {agree.get('stderr_tail', '')}")
    say()
    say("targets:")
    for name, met, detail in targets(entries, start, inc):
        say(f"  [{'met' if met else 'MISSED'}] {name}: {detail}")

    result = {"machine": info, "repeat": args.repeat, "sizes": entries, "data": data_facts, "startup": start,
              "agreement": agree, "incremental": inc,
              "targets": [{"target": n, "met": m, "detail": d} for n, m, d in targets(entries, start, inc)]}
    (out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "results.txt").write_text("\n".join(_lines) + "\n", encoding="utf-8")
    say(f"\nwrote {out / 'results.json'} and {out / 'results.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
