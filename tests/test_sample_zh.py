"""The posting in Chinese, end to end: the Chinese rubric on the seeded Chinese sample, answers in
another language flagged for a reader, and ``explain`` saying why a keyword was not found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, cli

ZH_RUBRIC = ROOT / "rubrics" / "technical-project-manager.zh.yaml"
ZH_EXPORT = SAMPLE / "applicants_zh.csv"
KEY = json.loads((SAMPLE / "answer_key_zh.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("zh") / "ranked.json"
    run = cli("score", str(ZH_EXPORT), "--rubric", str(ZH_RUBRIC), "-f", "json", "-o", str(out))
    assert run.code == 0, run.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_chinese_rubric_is_valid_and_names_its_language() -> None:
    run = cli("rubric", "validate", str(ZH_RUBRIC))
    assert run.code == 0, run.stderr
    assert "language: [zh]" in ZH_RUBRIC.read_text(encoding="utf-8")


def test_planted_strong_chinese_applicants_rank_first_whatever_their_script(ranked: list[dict]) -> None:
    rank = {str(r["id"]): r["rank"] for r in ranked}
    strong = [str(i) for i in KEY["strong_ids"]]
    weak = [str(i) for i in KEY["weak_ids"]]
    assert sorted(rank[i] for i in strong) == list(range(1, len(strong) + 1))
    assert min(rank[i] for i in weak) > len(ranked) - 20
    traditional = {str(i) for i in KEY["strong_ids"] if str(i) in {str(x) for x in KEY["traditional"]}}
    assert traditional, "the sample plants strong applicants who write Traditional Chinese"


def test_traditional_answers_are_read_and_said_to_be_traditional(ranked: list[dict]) -> None:
    evidence = [c["evidence"] for r in ranked for c in r["criteria"].values()]
    assert any("(traditional)" in e for e in evidence)
    # A Chinese letter is counted by characters, not as one "word" per clause.
    quality = [r["criteria"]["cover_letter_quality"] for r in ranked if str(r["id"]) in
               {str(i) for i in KEY["strong_ids"]}]
    assert all(q["status"] == "pass" for q in quality), quality


def test_negated_mentions_earn_nothing_in_chinese(ranked: list[dict]) -> None:
    negated = [c for r in ranked for c in r["criteria"].values() if "negated, not counted" in c["evidence"]]
    assert negated, "the sample plants answers such as 没有用过Jira"


def test_the_generator_makes_the_committed_sample_again(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SAMPLE / "generate_zh.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert (tmp_path / "applicants_zh.csv").read_bytes() == ZH_EXPORT.read_bytes()
    assert (tmp_path / "answer_key_zh.json").read_bytes() == (SAMPLE / "answer_key_zh.json").read_bytes()


RUBRIC_EN = """\
rubric: t
language: en
fields: {entry_id: Id, answer: Answer}
applicant: {id: entry_id}
criteria:
  - {id: tools, label: tools, kind: keywords, field: answer, match: count, cap: 4,
     terms: [launch, Jira, Kanban, Confluence], weight: 1}
  - {id: q, label: quality, kind: text_quality, field: answer, min_words: 5, good_words: 20, weight: 1}
"""
ANSWERS = {
    "1": "We had lunch with the Jria team. I never used Kanban.",
    "2": "Tengo cinco años de experiencia gestionando proyectos con Jira y Scrum en una empresa de la ciudad.",
    "3": "我在公司负责项目管理，使用Jira管理敏捷迭代，带领十人团队按时交付了多个重要的项目里程碑。",
    "4": "I launched the product with Jira and Confluence and ran the Kanban board for the whole team.",
}


@pytest.fixture()
def english_rubric(tmp_path: Path) -> tuple[Path, Path]:
    rubric = tmp_path / "en.yaml"
    rubric.write_text(RUBRIC_EN, encoding="utf-8")
    export = tmp_path / "answers.csv"
    lines = ["Id,Answer"] + [f'{k},"{v}"' for k, v in ANSWERS.items()]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return export, rubric


def test_answers_in_another_language_are_flagged_for_a_reader(english_rubric: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    export, rubric = english_rubric
    out = tmp_path / "out.json"
    assert cli("score", str(export), "--rubric", str(rubric), "-f", "json", "-o", str(out)).code == 0
    rows = {str(r["id"]): r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["2"]["reasons"].startswith("needs a reader of Spanish")
    assert rows["3"]["reasons"].startswith("needs a reader of Chinese")
    assert "needs a reader of Spanish" in rows["2"]["criteria"]["q"]["evidence"]
    assert "needs a reader" not in rows["1"]["reasons"] + rows["4"]["reasons"]
    assert "needs a reader" not in json.dumps(rows["4"]["criteria"])


def test_explain_says_why_each_missing_keyword_was_not_found(english_rubric: tuple[Path, Path]) -> None:
    export, rubric = english_rubric
    run = cli("explain", str(export), "1", "--rubric", str(rubric), env={"COLUMNS": "600"})
    assert run.code == 0, run.stderr
    text = " ".join(run.stdout.split())
    for part in ("'Jria' → Jira (typo", "launch: nearest word 'lunch' is a word of its own",
                 "Kanban: negated", "Confluence: not in the answer"):
        assert part.replace(" ", "") in text.replace(" ", ""), (part, run.stdout)


def test_the_english_sample_flags_exactly_its_planted_spanish_and_chinese_answers(tmp_path: Path) -> None:
    out = tmp_path / "en.json"
    rubric = ROOT / "rubrics" / "technical-project-manager.yaml"
    run = cli("score", str(SAMPLE / "applicants.csv"), "--rubric", str(rubric), "-f", "json", "-o", str(out))
    assert run.code == 0, run.stderr
    planted = json.loads((SAMPLE / "answer_key.json").read_text(encoding="utf-8"))
    flagged: dict[str, set[str]] = {}
    for row in json.loads(out.read_text(encoding="utf-8")):
        if row["reasons"].startswith("needs a reader of "):
            language = row["reasons"].removeprefix("needs a reader of ").split(";")[0]
            flagged.setdefault(language, set()).add(str(row["id"]))
    assert flagged == {"Spanish": {str(i) for i in planted["spanish"]}, "Chinese": {str(i) for i in planted["chinese"]}}
