"""Terminal output a person can read (issue 15): the score table fits the terminal one line per
applicant, marks late and duplicate applicants, explain shows each answer once with its line
breaks, store adjustments and decisions are shown, and progress appears on a terminal only."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import RUBRIC, SAMPLE, Terminal, cli, run_process, under_a_terminal

EXPORT = SAMPLE / "applicants.csv"
EVERYTHING = Path(__file__).resolve().parent / "data" / "hostile" / "everything.csv"


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _table_rows(text: str) -> list[str]:
    """The body lines of a rich table (the rows between the header rule and the bottom rule)."""
    return [line for line in _lines(text) if line.startswith("│")]


@pytest.fixture(scope="module")
def ranked() -> list[dict[str, str]]:
    run = cli("score", EXPORT, "--rubric", RUBRIC, "-f", "csv", "-o", "-")
    assert run.code == 0, run.stderr
    return list(csv.DictReader(io.StringIO(run.stdout)))


@pytest.mark.parametrize("columns", [80, 120, 160])
def test_the_score_table_fits_the_terminal_one_line_per_applicant(columns: int) -> None:
    run = cli("score", EXPORT, "--rubric", RUBRIC, "--all", env={"COLUMNS": str(columns)})
    assert run.code == 0, run.stderr
    assert max(cell_len(line) for line in _lines(run.stdout)) <= columns
    rows = _table_rows(run.stdout)
    assert len(rows) == 1200  # one line each: nothing wraps
    assert all(row.endswith("│") and cell_len(row) == cell_len(rows[0]) for row in rows)  # the right border
    assert "┓" in run.stdout and "┘" in run.stdout
    if columns == 80:  # shortened, and said so
        assert "…" in run.stdout and "--wide" in " ".join(run.stdout.split())


def test_default_top_25_at_80_columns_keeps_names_and_a_whole_first_reason() -> None:
    run = cli("score", EXPORT, "--rubric", RUBRIC, env={"COLUMNS": "80"})
    rows = _table_rows(run.stdout)
    assert len(rows) == 25
    assert "Scott Kamińska" in rows[0] and "PM methods +9.0" in rows[0]
    caption = " ".join(run.stdout.split())
    assert "top 25 of 1200" in caption and "--wide: every column, wrapping" in caption


def test_wide_shows_every_reason_whole_wrapping_within_the_terminal(ranked: list[dict[str, str]]) -> None:
    run = cli("score", EXPORT, "--rubric", RUBRIC, "--wide", "--top", "5", env={"COLUMNS": "80"})
    assert run.code == 0, run.stderr
    assert max(cell_len(line) for line in _lines(run.stdout)) <= 80
    assert all(row.endswith("│") for row in _table_rows(run.stdout))
    words = " ".join(cell.strip() for row in _table_rows(run.stdout) for cell in row.split("│"))
    for reason in ranked[0]["reasons"].split("; "):
        assert " ".join(reason.split()) in " ".join(words.split()), reason
    wide = cli("score", EXPORT, "--rubric", RUBRIC, "--wide", "--top", "5", env={"COLUMNS": "200"})
    assert "…" not in wide.stdout


def test_late_and_duplicate_applicants_are_marked(ranked: list[dict[str, str]]) -> None:
    run = cli("score", EXPORT, "--rubric", RUBRIC, "--all", env={"COLUMNS": "120"})
    by_id = {row.split("│")[2].strip(): row for row in _table_rows(run.stdout)}
    late = [r["id"] for r in ranked if r["late"] == "yes"]
    grouped = [(r["id"], r["duplicate_group"]) for r in ranked if r["duplicate_group"]]
    assert late and grouped
    assert all(" late" in by_id[i] for i in late)
    assert all(f"dup {group}" in by_id[i] for i, group in grouped)
    assert not any("dup " in row for i, row in by_id.items() if i not in dict(grouped))


def test_duplicate_groups_are_listed_in_numeric_order() -> None:
    run = cli("duplicates", EXPORT, "--rubric", RUBRIC, env={"COLUMNS": "160"})
    assert run.code == 0, run.stderr
    groups = [row.split("│")[1].strip() for row in _table_rows(run.stdout)]
    numbers = [int(g) for g in groups if g]
    assert numbers == sorted(numbers) and len(set(numbers)) == 35
    assert max(cell_len(line) for line in _lines(cli("duplicates", EXPORT, "--rubric", RUBRIC,
                                                      env={"COLUMNS": "80"}).stdout)) <= 80


def _longest_answers() -> str:
    with EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    best = max(rows, key=lambda r: len(r["WhyAreYouAGreatFitForThisRole"]) + len(
        r["TellUsAboutAProjectYouLedFromIdeaToLaunch"]))
    return best["PyImageSearchTechnicalProjectMa_Id"]


@pytest.mark.parametrize("applicant", ["142", "173", "981", "longest"])
def test_explain_shows_each_answer_once_with_real_line_breaks_in_two_screens(applicant: str) -> None:
    key = _longest_answers() if applicant == "longest" else applicant
    run = cli("explain", EXPORT, key, "--rubric", RUBRIC, env={"COLUMNS": "80"})
    assert run.code == 0, run.stderr
    lines = _lines(run.stdout)
    assert len(lines) <= 170, len(lines)  # was 245-484 lines before (issue 15)
    assert max(cell_len(line) for line in lines) <= 80
    assert "\\x0a" not in run.stdout and "\\x0d" not in run.stdout
    with EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["PyImageSearchTechnicalProjectMa_Id"] == key)
    for column in ("WhyAreYouAGreatFitForThisRole", "TellUsAboutAProjectYouLedFromIdeaToLaunch"):
        answer = row[column].strip()
        if not answer:
            continue
        first = answer.splitlines()[0].strip()
        shown = [line.strip() for line in lines]
        assert run.stdout.count(column) == 1  # the answer's heading, once
        assert sum(line.startswith(first[:30]) for line in shown) == 1, first  # its text, once
        if "\n" in answer:  # a line break is a line break
            assert first in shown or any(line.startswith(first[:30]) for line in shown)
    for crit in ("pm_methods", "mentoring", "cover_letter_quality"):
        assert crit in run.stdout
    if row["WhyAreYouAGreatFitForThisRole"].strip():
        assert "read answer" in run.stdout  # criteria refer to the answer by its number


def test_explain_keeps_other_controls_escaped_and_wide_shows_rules_whole() -> None:
    run = cli("explain", EVERYTHING, "4", "--rubric", RUBRIC, env={"COLUMNS": "80"})
    assert run.code == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout and "\u202e" not in run.stdout
    assert "\\x1b" in run.stdout
    short = cli("explain", EXPORT, "142", "--rubric", RUBRIC, env={"COLUMNS": "80"})
    wide = cli("explain", EXPORT, "142", "--rubric", RUBRIC, "--wide", env={"COLUMNS": "80"})
    rule = "technology management"  # the end of the degree criterion's rule
    assert " ".join(wide.stdout.split()).count(rule) > " ".join(short.stdout.split()).count(rule)
    assert max(cell_len(line) for line in _lines(wide.stdout)) <= 80


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose store holds the sample, with a person's adjustment and decision on 142."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    (tmp_path / "exports").mkdir(exist_ok=True)
    shutil.copy(EXPORT, tmp_path / "exports" / "a.csv")
    run = cli("run")
    assert run.code == 0, run.stderr
    assert cli("adjust", "142", "+10", "--note", "portfolio shows PM work").code == 0
    assert cli("status", "142", "advanced", "--note", "call on Monday").code == 0
    return tmp_path


def test_compare_from_the_store_shows_the_adjustment_and_the_decision(project: Path) -> None:
    run = cli("compare", "142", "173", env={"COLUMNS": "160"})
    assert run.code == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "adjusted 47.8 (+10.0 on the computed 37.8 by" in text
    assert "portfolio shows PM work" in text and "decision advanced at" in text and "call on Monday" in text
    narrow = cli("compare", "142", "173", env={"COLUMNS": "80"})
    assert max(cell_len(line) for line in _lines(narrow.stdout)) <= 80


def test_views_and_renderers_carry_store_fields(project: Path) -> None:
    from rich.console import Console

    from screener import render
    from screener.app import pipeline, views

    screening = pipeline.ranked(None)
    columns = views.compare(screening.table, screening.rubric, ["142", "173"], blind=False, secret=lambda: "s")
    head = columns[0]["header"]
    assert head["adjustment"] == 10.0 and head["adjusted_score"] == pytest.approx(47.79)
    assert head["decision"] == "advanced" and head["adjustment_note"] == "portfolio shows PM work"
    # An export's scores with the store's columns beside them (as Store.current_table adds them).
    scored = pipeline.screen(EXPORT, RUBRIC)
    assert scored.result is not None
    store = screening.table.set_index("id")
    for name in views.STORE_FIELDS:
        scored.result.table[name] = scored.result.table["id"].map(store[name])
    header, criteria = views.explanation(scored.result, views.find_in_table(scored.result.table, "142"))
    assert header["decision"] == "advanced" and header["adjusted_score"] == pytest.approx(47.79)
    buffer = io.StringIO()
    render.explain(Console(file=buffer, width=80, markup=False, highlight=False), header, criteria, blind=False)
    text = " ".join(buffer.getvalue().split())
    assert "adjusted 47.8 (+10.0 on the computed 37.8" in text and "decision advanced" in text
    rows = scored.result.table.head(3).to_dict("records")
    buffer = io.StringIO()
    render.ranking(Console(file=buffer, width=120, markup=False, highlight=False), rows, blind=False, title="t")
    assert "adjusted" in buffer.getvalue()


_cells = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_cells, min_size=1, max_size=4), reasons=st.lists(_cells, min_size=1, max_size=4),
       ids=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=4),
       width=st.integers(min_value=60, max_value=200), store=st.booleans())
def test_arbitrary_cell_text_never_breaks_the_table_width(names: list[str], reasons: list[str], ids: list[str],
                                                         width: int, store: bool) -> None:
    from rich.console import Console

    from screener import render

    rows = []
    for i, name in enumerate(names):
        row = {"rank": i + 1, "id": ids[i % len(ids)], "name": name, "score": 12.5, "bucket": "fail",
               "knockouts": reasons[i % len(reasons)], "reasons": "; ".join(reasons), "late": "yes",
               "duplicate_group": ids[0], "test_entry": "yes"}
        if store:
            row.update(adjustment=-5.0, adjusted_score=7.5, decision=name[:10], adjustment_note=name)
        rows.append(row)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, markup=False, highlight=False, emoji=False)
    render.ranking(console, rows, blind=False, title="t")
    lines = _lines(buffer.getvalue())
    assert max(cell_len(line) for line in lines) <= width
    body = _table_rows(buffer.getvalue())
    assert len(body) == len(rows) and all(line.endswith("│") for line in body)


def _under_a_terminal(*args: object, env: dict[str, str | None] | None = None) -> bytes:
    return under_a_terminal(*args, env={"COLUMNS": "120", "SCREENER_RUBRIC": str(RUBRIC), **(env or {})})


def _doubled(dest: Path) -> Path:
    """The sample twice over (2,400 applicants, the copies with new ids): large enough that
    scoring shows its progress."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        fields = reader.fieldnames or []
    with dest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        for row in rows:
            copy = dict(row)
            copy["PyImageSearchTechnicalProjectMa_Id"] = str(int(row["PyImageSearchTechnicalProjectMa_Id"]) + 5000)
            copy["Email"] = "copy." + row["Email"]
            writer.writerow(copy)
    return dest


def test_progress_shows_reading_and_scoring_on_a_terminal_only(tmp_path: Path) -> None:
    out = _under_a_terminal("score", EXPORT, "--top", "3")
    assert b"reading applicants.csv" in out
    big = _doubled(tmp_path / "doubled.csv")
    out = _under_a_terminal("score", big, "--top", "3")
    assert b"reading doubled.csv" in out
    steps = set(re.findall(rb"scoring 2400 applicants: (\w+)", out))
    assert b"pm_methods" in steps or len(steps) >= 2, out[-2000:]
    assert re.search(rb"\d+/23", out)  # the count of criteria done
    # With a helper process (any size here), the criteria scored here say what the helper is still doing.
    out = _under_a_terminal("score", big, "--top", "3", env={"SCREENER_PARALLEL_BYTES": "0", "SCREENER_WORKERS": "2"})
    assert b"free-text criteria in a second process" in out
    done = run_process("score", big, "--top", "3", env={"SCREENER_RUBRIC": str(RUBRIC)})
    assert done.returncode == 0, done.stderr
    assert "reading" not in done.stderr and "scoring" not in done.stderr  # stderr is a pipe: no progress
    assert json.dumps("reading") not in done.stdout


HELPED = {"SCREENER_PARALLEL_BYTES": "0", "SCREENER_WORKERS": "2", "SCREENER_RUBRIC": str(RUBRIC)}


def _free_text_ids() -> list[str]:
    from screener.core.rubric import KINDS, load_rubric

    return [c.id for c in load_rubric(RUBRIC).criteria if KINDS[c.kind].free_text]


def _steps(out: bytes, label: bytes) -> list[tuple[str, int]]:
    """Each step the progress line was drawn with, and the count of criteria done it showed."""
    return [(step.decode(), int(done)) for step, done in re.findall(label + rb": (\w+)[^\r\n]*? (\d+)/23 ", out)]


def test_progress_ticks_each_free_text_criterion_as_the_helper_finishes_it(tmp_path: Path) -> None:
    # The main process is held after grouping duplicates, before it asks for the helper's
    # result: every free-text criterion must still be named, each with a count of its own,
    # as the helper process finishes it.
    big, ready = _doubled(tmp_path / "doubled.csv"), tmp_path / "ready"
    free_text, label = _free_text_ids(), b"scoring 2400 applicants"
    term = Terminal("score", big, "--top", "3", env=HELPED,
                    faults=("--pause-after", "screener.core.scoring:_population", "--ready", str(ready)))
    shown = term.read_until(lambda out: ready.exists() and {s for s, _ in _steps(out, label)} >= set(free_text),
                            "the helper's criteria to be named while the main process waits")
    counts = {step: {done for s, done in _steps(shown, label) if s == step} for step in free_text}
    assert all(len(c) == 1 for c in counts.values()), counts  # one tick each
    assert len({c.pop() for c in counts.values()}) == len(free_text)  # one by one
    term.type(b"\x04")  # end of file: the main process goes on
    out = term.end()
    assert max(done for _s, done in _steps(out, label)) == 23
    assert b"Scott Kami" in out  # the ranking is shown when done


@pytest.mark.parametrize("how", ["die", "fail", "die-midway"])
def test_a_helper_that_cannot_score_still_counts_every_criterion_once(tmp_path: Path, how: str) -> None:
    # The work is done in the main process instead, to the same bytes; each criterion is
    # counted once, also one the helper reported before it died.
    big, log = _doubled(tmp_path / "doubled.csv"), tmp_path / "helper.log"
    alone = run_process("score", big, "-f", "csv", "-o", tmp_path / "alone.csv",
                        env={"SCREENER_WORKERS": "1", "SCREENER_RUBRIC": str(RUBRIC)})
    assert alone.returncode == 0, alone.stderr
    term = Terminal("score", big, "-f", "csv", "-o", tmp_path / "helped.csv", env=HELPED,
                    faults=("--helper", how, "--helper-log", str(log)))
    out = term.end()
    assert (tmp_path / "helped.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()
    steps = _steps(out, b"scoring 2400 applicants")
    assert sorted({done for _s, done in steps}) == list(range(1, 24))  # every count to 23, none past it
    assert {s for s, _ in steps} >= set(_free_text_ids())
    asked = log.read_text(encoding="utf-8").split()
    assert "asked" in asked and "answered" not in asked and b"Traceback" not in out


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), width=st.integers(min_value=1, max_value=120))
@example(text="0000000000\x1f\x1f;0", width=18)  # a first phrase exactly as wide as the cell (found by CI)
def test_shortened_text_fits_and_always_shows_the_cut(text: str, width: int) -> None:
    from rich.text import Text

    from screener import render
    from screener.core.escape import visible

    plain = visible(text)
    for fit in (render.fit_words, render.fit_chars):
        out = fit(Text(plain), width).plain
        assert cell_len(out) <= width
        assert out == plain or out.endswith("…") or "… " in out  # "Years of… +9.0" keeps its number
    parts = [Text(p) for p in plain.split(";") if p]
    if parts:
        out = render.fit_phrases(parts, width).plain
        assert cell_len(out) <= width
        assert out == "; ".join(p.plain for p in parts) or "…" in out


@pytest.fixture(scope="module")
def explained() -> tuple[dict, list]:
    from screener.app import pipeline, views

    screening = pipeline.screen(EXPORT, RUBRIC)
    assert screening.result is not None
    return views.explanation(screening.result, views.find_in_table(screening.table, "142"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=st.text(max_size=600), width=st.integers(min_value=40, max_value=160))
def test_any_answer_text_is_shown_once_escaped_within_the_width(explained: tuple[dict, list], answer: str,
                                                                width: int) -> None:
    import copy
    import unicodedata

    from rich.console import Console

    from screener import render

    header, criteria = copy.deepcopy(explained)
    header["answers"][-1]["text"] = answer + "\n" + "long " * 20  # long: shown under "Answers"
    buffer = io.StringIO()
    render.explain(Console(file=buffer, width=width, markup=False, highlight=False, emoji=False), header, criteria,
                   blind=False)
    out = buffer.getvalue()
    assert max(cell_len(line) for line in _lines(out)) <= width
    assert not [c for c in out if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]
    assert out.count("long long long") >= 1 and out.count(header["answers"][-1]["field"] + " — ") == 1
