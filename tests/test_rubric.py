"""Rubric validation through the CLI and the library: every problem at once, with its line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import DATA, RUBRIC, cli
from screener.core.errors import RubricError
from screener.core.rubric import load_rubric


def test_bundled_rubric_validates() -> None:
    run = cli("rubric", "validate", RUBRIC)
    assert run.code == 0, run.stderr
    assert "OK:" in run.stdout
    assert "degree_or_experience" in run.stdout
    rubric = load_rubric(RUBRIC)
    assert rubric.name == "technical-project-manager"
    assert any(c.must for c in rubric.criteria)
    assert all(c.posting for c in rubric.criteria), "every criterion names its posting line"
    assert {c.kind for c in rubric.criteria} == {
        "keywords", "number", "level", "choice", "yesno", "text_quality", "any_of"}


def test_broken_rubric_lists_every_problem_with_its_line() -> None:
    run = cli("rubric", "validate", DATA / "rubrics" / "broken.yaml")
    assert run.code == 1
    assert run.stdout == ""
    err = run.stderr
    assert "Traceback" not in err
    path = str(DATA / "rubrics" / "broken.yaml")
    expected = [
        f"{path}:14: criterion 'years' 'min' should be a number like 3 or 2.5, but it is 'five'",
        f"{path}:21: criterion 'contact' 'weight' should be a number like 3 or 2.5, but it is 'two'",
        f"{path}:19: criterion 'contact' reads 'email', which identifies the applicant",
        f"{path}:25: criterion 'g' reads 'gender', which looks like a protected attribute",
        f"{path}:31: criterion 'typo' has an unknown setting 'wieght'; did you mean 'weight'?",
        f"{path}:35: criterion 'missing_field' reads the field 'nowhere', which is not in 'fields'",
    ]
    for line in expected:
        assert line in err, f"missing: {line}\n{err}"


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    return info.value.problems or [str(info.value)]


BASE = """rubric: t
fields:
  a: A
criteria:
  - id: c
    label: C
    kind: yesno
    field: a
    weight: 1
"""


def test_good_minimal_rubric_loads(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_rubric(path).criteria[0].id == "c"


def test_duplicate_keys_are_errors_not_last_wins(tmp_path: Path) -> None:
    problems = _problems(tmp_path, BASE + "    weight: 5\n")
    assert any(":10: the key 'weight' is given twice (first on line 9)" in p for p in problems)


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = BASE.replace("label: C", f"label: !!python/object/apply:os.system ['touch {marker}']")
    problems = _problems(tmp_path, text)
    assert any("is not allowed" in p for p in problems)
    assert not marker.exists()


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    problems = _problems(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 10  # a bomb not stopped takes minutes or all memory
    assert any("anchors and aliases" in p for p in problems)


def test_yaml_11_surprises_stay_text(tmp_path: Path) -> None:
    # 'NO' is not False and 02134 is not 1116: values are read as written.
    text = BASE.replace("field: a", "field: a\n    expect: NO").replace("fields:\n  a: A", "fields:\n  a: '02134'")
    rubric = load_rubric(_write(tmp_path, text))
    assert rubric.fields["a"] == ("02134",)
    assert rubric.criteria[0].spec.expect is False  # type: ignore[attr-defined]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_deadline_time_must_be_quoted_datetime(tmp_path: Path) -> None:
    text = BASE + "deadline:\n  at: 23:59\n  timezone: America/New_York\n"
    problems = _problems(tmp_path, text)
    assert any(':11: deadline \'at\' should look like "2020-06-26 23:59"' in p for p in problems)


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "rubric: t\nfields:\n  a: A\n   b: [unclosed\n")
    assert problems[0].startswith(str(tmp_path / "r.yaml") + ":")
    assert "indentation" in problems[0]


def test_oversized_and_missing_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 300_000 + "\n", encoding="utf-8")
    run = cli("rubric", "validate", big)
    assert run.code == 1 and "the limit is" in run.stderr
    run = cli("rubric", "validate", tmp_path / "nope.yaml")
    assert run.code == 1 and "does not exist" in run.stderr


def test_any_of_must_name_existing_criteria(tmp_path: Path) -> None:
    text = BASE + "  - id: either\n    label: E\n    kind: any_of\n    of: [c, ghost]\n    must: true\n"
    problems = _problems(tmp_path, text)
    assert any("lists 'ghost' in 'of', but no criterion has that id" in p for p in problems)


def test_rubric_found_without_a_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    run = cli("rubric", "validate")
    assert run.code == 1 and "No rubric found" in run.stderr and "--rubric" in run.stderr
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "one.yaml").write_text(RUBRIC.read_text(encoding="utf-8"), encoding="utf-8")
    run = cli("rubric", "validate")
    assert run.code == 0 and "rubrics/one.yaml" in run.stdout
    (tmp_path / "rubrics" / "two.yaml").write_text(BASE, encoding="utf-8")
    run = cli("rubric", "validate")
    assert run.code == 1 and "Several rubrics" in run.stderr and "one.yaml, two.yaml" in run.stderr
    (tmp_path / "screener.toml").write_text('rubric = "rubrics/two.yaml"\n', encoding="utf-8")
    run = cli("rubric", "validate")
    assert run.code == 0 and "rubrics/two.yaml" in run.stdout
    run = cli("rubric", "validate", env={"SCREENER_RUBRIC": str(tmp_path / "rubrics" / "one.yaml")})
    assert run.code == 0 and "one.yaml" in run.stdout


def test_content_hash_ignores_comments(tmp_path: Path) -> None:
    a = load_rubric(_write(tmp_path, BASE))
    b = load_rubric(_write(tmp_path, "# a comment\n" + BASE))
    c = load_rubric(_write(tmp_path, BASE.replace("weight: 1", "weight: 2")))
    assert a.sha256 == b.sha256 != c.sha256


def test_protected_fields_refused_and_proxies_warned(tmp_path: Path) -> None:
    text = BASE.replace("fields:\n  a: A", "fields:\n  a: A\n  grad: GraduationYear") + (
        "  - id: g\n    label: Grad\n    kind: number\n    field: grad\n    min: 2015\n    weight: 1\n")
    problems = _problems(tmp_path, text)
    assert any(":14: criterion 'g' reads 'grad', which looks like a protected attribute ('graduation')" in p
               for p in problems)
    proxy = BASE + ('  - id: lang\n    label: English\n    posting: "Native English speaker preferred"\n'
                    "    kind: keywords\n    field: a\n    terms: [native speaker, recent graduate]\n    weight: 1\n")
    rubric = load_rubric(_write(tmp_path, proxy))
    assert any("criterion 'lang' looks for 'native speaker', a likely proxy for national origin" in w
               and 'posting: "Native English speaker preferred"' in w for w in rubric.warnings)
    assert any("'recent graduate', a likely proxy for age" in w for w in rubric.warnings)
    run = cli("rubric", "validate", _write(tmp_path, proxy))
    assert run.code == 0 and "warning:" in run.stderr and "native speaker" in run.stderr
    assert load_rubric(RUBRIC).warnings == ()


def test_deadline_day_first_reads_day_month_dates(tmp_path: Path) -> None:
    text = BASE.replace("fields:\n  a: A", "fields:\n  a: A\n  when: When") + (
        "applicant:\n  submitted_at: when\ndeadline:\n  at: \"2020-06-26 23:59\"\n  timezone: Europe/London\n"
        "  day_first: true\n")
    rubric = load_rubric(_write(tmp_path, text))
    assert rubric.deadline is not None and rubric.deadline.day_first
    export = tmp_path / "e.csv"
    export.write_text("A,When\nyes,26/06/2020 10:00\nyes,27/06/2020 10:00\n", encoding="utf-8")
    out = tmp_path / "o.json"
    assert cli("score", export, "--rubric", _write(tmp_path, text), "-o", out).code == 0
    import json

    late = [r["late"] for r in sorted(json.loads(out.read_text(encoding="utf-8")), key=lambda r: r["row"])]
    assert late == ["no", "yes"]


QUESTION_HEADERS = [
    # A form's question as a column, written bare inside a flow list: '?' ends the list for YAML.
    ("  why: [Why are you a great fit?, Why you?]\n", 4, "must be quoted"),
    # A bare header with ': ' in it, in block style: YAML reads a second mapping.
    ("  avail: Available: from July\n", 4, "must be quoted"),
    # The same inside a flow list parses, as a mapping: the check names it.
    ("  start: [When: now, Why]\n", 4, "a header with ': ' in it must be quoted"),
]


@pytest.mark.parametrize(("line", "number", "says"), QUESTION_HEADERS)
def test_question_headers_get_one_sentence_that_says_quote_them(tmp_path: Path, line: str, number: int,
                                                                says: str) -> None:
    rubric = tmp_path / "q.yaml"
    rubric.write_text("rubric: t\nfields:\n  entry_id: Id\n" + line + "applicant: {id: entry_id}\n"
                      "criteria:\n  - {id: k, label: k, kind: keywords, field: why, terms: [x], weight: 1}\n",
                      encoding="utf-8")
    run = cli("rubric", "validate", str(rubric))
    assert run.code != 0 and "Traceback" not in run.stderr
    assert f"q.yaml:{number}:" in run.stderr and says in run.stderr, run.stderr
    quoted = rubric.read_text(encoding="utf-8").replace(
        line, '  why: ["Why are you a great fit?", "Available: from July"]\n')
    rubric.write_text(quoted, encoding="utf-8")
    assert cli("rubric", "validate", str(rubric)).code == 0


@pytest.mark.parametrize("args", [(), ("score",), ("shortlist",), ("rubric",), ("rubric", "validate")])
def test_dash_h_is_help_everywhere(args: tuple[str, ...]) -> None:
    short, long = cli(*args, "-h"), cli(*args, "--help")
    assert short.code == long.code == 0
    assert short.stdout == long.stdout and "Usage: " in short.stdout
