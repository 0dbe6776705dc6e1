"""The docs and the architecture rules are tested, not hoped for."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ["score", "shortlist", "explain", "inspect", "rubric validate", "init", "run", "status", "duplicates",
            "audit", "log", "notice", "adjust", "compare", "report", "reveal"]


def test_every_command_is_documented_and_has_help() -> None:
    for command in COMMANDS:
        assert f"screener {command}" in README, command
        run = cli(*command.split(), "--help")
        assert run.code == 0
        assert len(run.stdout.split("Usage", 1)[1].strip()) > 40


def test_quick_start_is_two_copy_paste_lines_and_ci_runs_the_second() -> None:
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "screener score sample_data/" in lines[0]
    assert "pip install -e '.[test]' && pytest" in lines[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci


def test_exit_codes_documented() -> None:
    section = README.split("## Exit codes", 1)[1].split("##", 1)[0]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 70 |", "| 75 |"):
        assert code in section


def test_help_imports_no_heavy_libraries() -> None:
    code = ("import sys\nfrom screener.cli import main\nsys.argv = ['screener', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'numpy', 'rapidfuzz', 'openpyxl') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_lint_is_clean() -> None:
    paths = [p for p in ("src", "tests", "benchmarks", "sample_data") if (ROOT / p).exists()]
    run = subprocess.run([sys.executable, "-m", "ruff", "check", *paths],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_cli_commands_stay_simple() -> None:
    # Each command parses its options, makes one library call and renders: McCabe 10 at most.
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "C901", "--config",
                          "lint.mccabe.max-complexity=10", "src/screener/cli.py"],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
