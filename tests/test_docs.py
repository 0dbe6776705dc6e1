"""The docs and the architecture rules are tested, not hoped for."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ["score", "shortlist", "explain", "inspect", "rubric validate", "rubric list", "rubric draft", "init",
            "run", "status", "duplicates", "audit", "log", "notice", "adjust", "compare", "report", "reveal"]


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


# --------------------------------------------------------------------------------------------
# The README's examples are run as they are written: every rubric snippet validates, and every
# shell block runs, line by line with `set -e`, in a folder laid out as the block says.

def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, re.S)


def _block_after(heading: str) -> str:
    """The first shell block after ``heading`` (a line of the README)."""
    assert heading in README, heading
    return _blocks_in(README.split(heading, 1)[1])[0]


def _blocks_in(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, re.S)


def _run_shell(block: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run a README shell block as a user would paste it: the installed screener on PATH, the
    home folder ``home``; lines for other programs a test cannot drive (crontab -e, jq when it
    is not installed) are left out, and nothing else is changed."""
    lines = []
    for line in block.splitlines():
        if line.lstrip().startswith("crontab "):
            continue
        if "| jq " in line and shutil.which("jq") is None:
            line = line.split("| jq ", 1)[0] + "> /dev/null"
        lines.append(line)
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("SCREENER_RUBRIC", None)
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", "\n".join(lines)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def _clone_like(folder: Path) -> Path:
    """A folder laid out as the repository is (sample data and rubrics), outside it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sample_data", "rubrics"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


def test_every_rubric_snippet_in_the_readme_validates(tmp_path: Path) -> None:
    snippets = _blocks("yaml")
    assert snippets
    for i, snippet in enumerate(snippets):
        path = tmp_path / f"snippet-{i}.yaml"
        path.write_text(snippet, encoding="utf-8")
        run = cli("rubric", "validate", str(path))
        assert run.code == 0, f"README yaml block {i + 1}:\n{run.stdout}{run.stderr}"


def test_the_readme_examples_run(tmp_path: Path) -> None:
    block = _block_after("**Examples**")
    run = _run_shell(block, _clone_like(tmp_path / "clone"), tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (tmp_path / "clone" / "ranked.xlsx").stat().st_size > 0


def test_the_readme_nightly_setup_and_daytime_commands_run(tmp_path: Path) -> None:
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    shutil.copy(SAMPLE / "applicants.csv", downloads / "applicants.csv")
    section = README.split("## Nightly runs", 1)[1].split("\n## ", 1)[0]
    setup, daytime = _blocks_in(section)[:2]
    run = _run_shell(setup + "\n" + "cd ~/hiring/tpm\n" + daytime, tmp_path, tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    project = tmp_path / "hiring" / "tpm"
    assert (project / "screener.toml").is_file()
    assert (project / "out" / "shortlist.csv").is_file() and (project / "new.csv").is_file()


def test_write_your_first_rubric_walks_from_a_posting_to_a_shortlist(tmp_path: Path) -> None:
    folder = tmp_path / "my-role"
    folder.mkdir()
    shutil.copy(SAMPLE / "postings" / "technical-project-manager.md", folder / "posting.md")
    shutil.copy(SAMPLE / "applicants.csv", folder / "applicants.csv")
    block = _block_after("## Write your first rubric")
    assert len([line for line in block.splitlines() if line.startswith("screener ")]) == 5
    run = _run_shell(block, folder, tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (folder / "shortlist.csv").is_file()
