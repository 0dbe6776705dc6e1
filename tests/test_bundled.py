"""The rubrics ship with the package: a new user with only an export, in a folder outside the
repository, lists them, starts a project from one and scores, with the installed ``screener``."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, run_process

BUNDLED = ("technical-project-manager", "technical-project-manager.zh")


@pytest.fixture
def new_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder outside the repository, no rubric named anywhere."""
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    folder = tmp_path / "hiring"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert not folder.resolve().is_relative_to(ROOT.resolve())
    return folder


def screener(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=folder)


def test_the_installed_package_holds_the_rubrics(new_user: Path) -> None:
    # Read through importlib.resources by a fresh interpreter in the user's folder: the installed
    # package's own files, wherever the package lives, not the repository's rubrics/ path.
    code = ("import importlib.resources as r, json\n"
            "folder = r.files('screener').joinpath('rubrics')\n"
            "print(json.dumps({e.name: e.read_text(encoding='utf-8') for e in folder.iterdir()}))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=new_user, capture_output=True, text=True, check=True)
    found = json.loads(proc.stdout)
    assert sorted(found) == [name + ".yaml" for name in BUNDLED]
    for name in BUNDLED:
        assert "\nrubric: technical-project-manager" in found[name + ".yaml"]
        # The one copy: what the package holds is the repository's rubrics/ file.
        assert found[name + ".yaml"] == (ROOT / "rubrics" / (name + ".yaml")).read_text(encoding="utf-8")


def test_the_package_folder_is_a_link_to_the_rubrics_folder() -> None:
    # src/screener/rubrics is a symbolic link to rubrics/, so the files are never duplicated.
    link = ROOT / "src" / "screener" / "rubrics"
    assert link.is_symlink() and link.resolve() == (ROOT / "rubrics").resolve()
    assert 'screener = ["rubrics/*.yaml"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_rubric_list_shows_the_bundled_rubrics_and_those_here(new_user: Path) -> None:
    proc = screener(new_user, "rubric", "list")
    assert proc.returncode == 0, proc.stderr
    assert "Bundled with screener" in proc.stdout and "In ./rubrics" not in proc.stdout
    for name in BUNDLED:
        assert name in proc.stdout
    assert "Technical Project Manager — PyImageSearch (June 2020)" in proc.stdout
    lines = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.strip()}
    assert lines["technical-project-manager"][1:3] == ["en", "23"]
    assert lines["technical-project-manager.zh"][1:3] == ["zh", "23"]

    (new_user / "rubrics").mkdir()
    shutil.copy(ROOT / "rubrics" / "technical-project-manager.yaml", new_user / "rubrics" / "mine.yaml")
    (new_user / "rubrics" / "broken.yaml").write_text("rubric: broken\n", encoding="utf-8")
    proc = screener(new_user, "rubric", "list")
    assert proc.returncode == 0, proc.stderr
    bundled, here = proc.stdout.split("In ./rubrics here", 1)
    assert "mine.yaml" not in bundled and "technical-project-manager.zh" in bundled
    assert "rubrics/mine.yaml" in here and "technical-project-manager.zh" not in here
    assert "rubrics/broken.yaml" in here and "problem" in here and "screener rubric validate" in here


def test_init_from_a_template_then_score_ranks_the_export(new_user: Path) -> None:
    proc = screener(new_user, "init", "--template", "technical-project-manager")
    assert proc.returncode == 0, proc.stderr
    written = new_user / "rubrics" / "technical-project-manager.yaml"
    assert written.read_bytes() == (ROOT / "rubrics" / "technical-project-manager.yaml").read_bytes()
    assert 'rubric = "rubrics/technical-project-manager.yaml"' in (new_user / "screener.toml").read_text("utf-8")
    assert "Wrote rubrics/technical-project-manager.yaml" in proc.stderr
    assert proc.stdout.startswith("30 2 * * * cd ")

    shutil.copy(SAMPLE / "applicants.csv", new_user / "export.csv")
    proc = screener(new_user, "score", "export.csv", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    assert "1200 applicants" in proc.stdout and "rubric technical-project-manager" in proc.stdout
    proc = screener(new_user, "score", "export.csv", "--format", "csv", "-o", "ranked.csv")
    assert proc.returncode == 0, proc.stderr
    with (new_user / "ranked.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["rank"]) for r in rows] == list(range(1, 1201))
    passed = [float(r["score"]) for r in rows if r["bucket"] == "pass"]
    assert passed and passed == sorted(passed, reverse=True) and rows[0]["bucket"] == "pass"

    proc = screener(new_user, "rubric", "validate")
    assert proc.returncode == 0 and "rubrics/technical-project-manager.yaml" in proc.stdout


def test_init_from_the_chinese_template(new_user: Path) -> None:
    proc = screener(new_user, "init", "--template", "technical-project-manager.zh")
    assert proc.returncode == 0, proc.stderr
    assert (new_user / "rubrics" / "technical-project-manager.zh.yaml").is_file()
    proc = screener(new_user, "rubric", "validate")
    assert proc.returncode == 0 and "technical-project-manager-zh" in proc.stdout


def test_an_unknown_template_is_one_sentence_naming_the_bundled_ones(new_user: Path) -> None:
    proc = screener(new_user, "init", "--template", "data-scientist")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "'data-scientist'" in proc.stderr
    assert "technical-project-manager, technical-project-manager.zh" in proc.stderr
    assert not any(new_user.iterdir())


def test_init_never_overwrites_without_force(new_user: Path) -> None:
    mine = new_user / "rubrics" / "technical-project-manager.yaml"
    mine.parent.mkdir()
    mine.write_text("# my edited rubric\n", encoding="utf-8")
    proc = screener(new_user, "init", "--template", "technical-project-manager")
    assert proc.returncode == 1
    assert "already exists" in proc.stderr and "--force" in proc.stderr and str(mine) in proc.stderr
    assert mine.read_text(encoding="utf-8") == "# my edited rubric\n"
    assert not (new_user / "screener.toml").exists()

    proc = screener(new_user, "init", "--template", "technical-project-manager", "--force")
    assert proc.returncode == 0, proc.stderr
    assert mine.read_bytes() == (ROOT / "rubrics" / "technical-project-manager.yaml").read_bytes()
    config = (new_user / "screener.toml").read_bytes()

    proc = screener(new_user, "init", "--template", "technical-project-manager")
    assert proc.returncode == 1 and "already exist;" in proc.stderr and "overwrite them" in proc.stderr
    assert (new_user / "screener.toml").read_bytes() == config


def test_template_and_rubric_together_are_refused(new_user: Path) -> None:
    proc = screener(new_user, "init", "--template", "technical-project-manager",
                    "--rubric", str(ROOT / "rubrics" / "technical-project-manager.yaml"))
    assert proc.returncode == 2 and "not both" in proc.stderr
    assert not any(new_user.iterdir())


@pytest.mark.parametrize("command", [("score", "export.csv"), ("rubric", "validate"), ("init",)])
def test_no_rubric_names_the_command_that_makes_one(new_user: Path, command: tuple[str, ...]) -> None:
    shutil.copy(SAMPLE / "applicants.csv", new_user / "export.csv")
    proc = screener(new_user, *command)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: No rubric found")
    assert "'screener init --template technical-project-manager'" in proc.stderr
    assert "(bundled: technical-project-manager, technical-project-manager.zh)" in proc.stderr
    assert "'screener rubric draft POSTING -o rubric.yaml'" in proc.stderr and "--rubric" in proc.stderr
    assert sorted(p.name for p in new_user.iterdir()) == ["export.csv"]


def test_init_from_a_posting_drafts_the_rubric_onto_the_export_already_there(new_user: Path) -> None:
    shutil.copy(SAMPLE / "postings" / "technical-project-manager.md", new_user / "posting.md")
    (new_user / "exports").mkdir()
    shutil.copy(SAMPLE / "applicants.csv", new_user / "exports" / "applicants.csv")
    made = screener(new_user, "init", "--from-posting", "posting.md")
    assert made.returncode == 0, made.stderr
    assert "drafted from posting.md and the headers of exports/applicants.csv" in made.stderr
    drafted = (new_user / "rubrics" / "posting.yaml").read_text(encoding="utf-8")
    assert "# REVIEW:" in drafted and "WhyAreYouAGreatFitForThisRole" in drafted  # a real header of the export
    assert 'rubric = "rubrics/posting.yaml"' in (new_user / "screener.toml").read_text(encoding="utf-8")
    run = screener(new_user, "run")
    assert run.returncode == 0, run.stderr
    with (new_user / "out" / "shortlist.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) > 0


def test_a_template_and_a_posting_together_are_refused(new_user: Path) -> None:
    (new_user / "posting.md").write_text("# Role\n\n## Requirements\n- 3+ years of Python\n", encoding="utf-8")
    both = screener(new_user, "init", "--template", BUNDLED[0], "--from-posting", "posting.md")
    assert both.returncode == 2 and "either --template or --from-posting" in both.stderr
    assert not (new_user / "screener.toml").exists()
