"""The adverse-impact audit: arithmetic on a fixture with a known answer, and the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import RUBRIC, SAMPLE, cli, run_process
from screener.app.audit import (
    BELOW,
    TOO_FEW,
    WITHIN,
    impact_table,
    is_unstated,
    ratio_range,
    ratio_status,
    wilson,
)
from screener.core.escape import visible


def known() -> tuple[pd.DataFrame, pd.DataFrame]:
    # 10 women: scores 1..10, the top 2 selected; 10 men: scores 11..20, the top 5 selected;
    # 3 nonbinary people (suppressed). Everyone's median is the middle of 1..20 and 21..23.
    rows = [(f"w{i}", float(i), i > 8, "female", "A") for i in range(1, 11)]
    rows += [(f"m{i}", float(10 + i), i > 5, "male", "B" if i % 2 else "A") for i in range(1, 11)]
    rows += [(f"n{i}", float(20 + i), False, "nonbinary", "A") for i in range(1, 4)]
    scores = pd.DataFrame([(r[0], r[1], r[2]) for r in rows], columns=["id", "score", "selected"])
    self_id = pd.DataFrame([(r[0], r[3], r[4]) for r in rows], columns=["id", "sex", "group"])
    return scores, self_id


def test_rates_and_ratios_match_a_hand_computed_answer() -> None:
    scores, self_id = known()
    table = impact_table(scores, self_id, ["sex", "group"])
    by = {(r["dimension"], r["group"]): r for r in table.to_dict("records")}
    women, men, nb = by[("sex", "female")], by[("sex", "male")], by[("sex", "nonbinary")]
    # median of 1..23 is 12: women above it 0 of 10; men 8 of 10 (13..20)
    assert table.attrs["median"] == 12
    assert (women["selected"], women["selection_rate"]) == (2, 0.2)
    assert (men["selected"], men["selection_rate"]) == (5, 0.5)
    assert women["selection_impact_ratio"] == pytest.approx(0.4)
    assert men["selection_impact_ratio"] == 1.0
    assert (women["above_median"], men["above_median"]) == (0, 8)
    assert women["scoring_impact_ratio"] == 0.0 and men["scoring_impact_ratio"] == 1.0
    # Wilson 95%: 2/10 is 0.0567-0.5098, 5/10 0.2366-0.7634, 0/10 0-0.2775, 8/10 0.4902-0.9433.
    assert (women["selection_rate_low"], women["selection_rate_high"]) == pytest.approx((0.0567, 0.5098), abs=1e-4)
    assert (men["selection_rate_low"], men["selection_rate_high"]) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert (women["scoring_rate_low"], women["scoring_rate_high"]) == pytest.approx((0.0, 0.2775), abs=1e-4)
    # selection 0.4 could be 0.0567/0.7634 = 0.074 to 0.5098/0.2366 = 2.15: ten people each cannot tell;
    # scoring 0 could be at most 0.2775/0.4902 = 0.57: below four-fifths whatever the noise.
    assert (women["selection_ratio_low"], women["selection_ratio_high"]) == pytest.approx((0.0743, 2.1547), abs=1e-3)
    assert (women["scoring_ratio_low"], women["scoring_ratio_high"]) == pytest.approx((0.0, 0.5661), abs=1e-3)
    assert (women["selection_status"], women["scoring_status"]) == (TOO_FEW, BELOW)
    assert women["flag"] == "below four-fifths (rule of thumb): scoring; too few to tell: selection"
    assert (men["selection_status"], men["scoring_status"]) == ("reference", "reference")
    assert men["flag"] == "reference: selection, scoring"
    assert nb["people"] == 3 and pd.isna(nb["selected"]) and nb["flag"].startswith("suppressed")
    # the intersection sex × group exists, with the same suppression rule
    assert by[("sex × group", "male / B")]["people"] == 5
    assert by[("sex × group", "female / A")]["selection_rate"] == 0.2


def test_audit_cli_on_the_sample(tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    run = cli("audit", SAMPLE / "applicants.csv", "--self-id", SAMPLE / "self_id.csv", "--rubric", RUBRIC,
              "--top", "50", "-o", out)
    assert run.code == 0, run.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    dims = {r["dimension"] for r in rows}
    assert {"sex", "race_ethnicity", "age_band", "sex × race_ethnicity"} <= dims
    sexes = [r for r in rows if r["dimension"] == "sex"]
    assert sum(r["selected"] or 0 for r in sexes) <= 50
    best = max(r["selection_rate"] for r in sexes if r["selection_rate"] is not None)
    for r in sexes:
        if r["selection_rate"] is not None:
            # Rates are written to 4 decimals: the ratio of two rounded rates is off by up to
            # 0.00005 / best for each of them (and the ratio itself is rounded to 4 decimals).
            ratio = r["selection_rate"] / best
            assert r["selection_impact_ratio"] == pytest.approx(ratio, abs=5e-5 * (1 + ratio) / best + 5e-5)
    table = cli("audit", SAMPLE / "applicants.csv", "--self-id", SAMPLE / "self_id.csv", "--rubric", RUBRIC)
    assert table.code == 0 and "rule of thumb" in table.stdout and "top 50" in table.stdout
    # the sample's survey has 21 blank sexes: shown as "not stated", never the reference
    blank = next(r for r in sexes if r["group"] == "not stated")
    assert blank["stated"] is False and blank["selection_status"] == blank["scoring_status"] == "not stated"
    assert all(r["selection_status"] != "reference" for r in rows if not r["stated"])


def test_self_id_without_an_id_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "s.csv"
    bad.write_text("who,sex\n1,female\n", encoding="utf-8")
    run = cli("audit", SAMPLE / "applicants.csv", "--self-id", bad, "--rubric", RUBRIC)
    assert run.code == 1 and "needs an applicant id column" in run.stderr


def test_notice_describes_the_rubric_in_plain_language(tmp_path: Path) -> None:
    out = tmp_path / "notice.md"
    run = cli("notice", "--rubric", RUBRIC, "--contact", "jobs@example.com", "--retention-days", "90", "-o", out)
    assert run.code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    from screener.core.rubric import load_rubric

    for crit in load_rubric(RUBRIC).criteria:
        if crit.weight > 0 or crit.must:
            assert crit.label in text
    assert "Why Are You A Great Fit For This Role" in text
    assert "90 days" in text and "jobs@example.com" in text and "does not reject anyone" in text
    assert "2020-06-26 23:59 America/New_York" in text
    plain = cli("notice", "--rubric", RUBRIC, "--contact", "jobs@example.com", "--format", "text")
    assert plain.code == 0 and "**" not in plain.stdout and not plain.stdout.startswith("#")
    assert cli("notice", "--rubric", RUBRIC).code == 2  # the contact is required


# --- Wilson intervals and the "too few to tell" rule -------------------------------------------

@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (score, no continuity correction)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_matches_published_intervals(k: int, n: int, low: float, high: float) -> None:
    assert wilson(k, n) == pytest.approx((low, high), abs=6e-5)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_properties(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror = wilson(n - k, n)  # the interval of the failures is the mirror image
    assert low == pytest.approx(1 - mirror[1], abs=1e-12) and high == pytest.approx(1 - mirror[0], abs=1e-12)
    wider = wilson(2 * k, 2 * n)  # the same rate out of twice as many people: a narrower interval
    assert wider[1] - wider[0] < high - low
    if k < n:  # one more success never lowers either bound
        more = wilson(k + 1, n)
        assert more[0] >= low and more[1] >= high


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_ratio_status_follows_the_documented_rule(group: tuple[int, int], ref: tuple[int, int]) -> None:
    (k, n), (kr, nr) = group, ref
    if k / n > kr / nr:  # the reference is the highest rate
        (k, n), (kr, nr) = (kr, nr), (k, n)
    ratio = (k / n) / (kr / nr)
    low, high = ratio_range(wilson(k, n), wilson(kr, nr))
    assert low <= ratio <= high
    status = ratio_status(ratio, (low, high))
    if low < 0.8 and high > 1.0:
        assert status == TOO_FEW
    else:
        assert status == (BELOW if ratio < 0.8 else WITHIN)
    if status == BELOW:  # flagged only when even the kindest reading leaves the group at or under the reference
        assert high <= 1.0


# --- answers that name no category ------------------------------------------------------------

UNSTATED = ["", "  ", "-", "—", "?", "N/A", "n/a", "NA", "Unknown", "unknown ", "Prefer not to say",
            "I prefer not to answer", "Decline to self-identify", "Declined", "I don't wish to answer",
            "I don’t wish to answer", "I do not want to answer", "Not specified", "Not stated", "Not disclosed",
            "Choose not to disclose", "No answer", "Rather not say", "not stated", "Keine Angabe", "keine Angaben",
            "k. A.", "Möchte ich nicht angeben", "Weiß nicht", "不愿透露", "不願透露", "保密", "未知", "不想说",
            "Prefiero no decirlo", "Prefiero no responder", "No especificado", "Desconocido", "NS/NC",
            "Je préfère ne pas répondre", "Je ne souhaite pas répondre", "Non renseigné", "Inconnu",
            "Prefiro não dizer", "Não informado", "Preferisco non rispondere", "Zeg ik liever niet", "Onbekend",
            "回答しない", "無回答", "응답하지 않음", "ＰＲＥＦＥＲ　ＮＯＴ　ＴＯ　ＳＡＹ"]
STATED = ["Female", "male", "Woman", "Nonbinary", "Other", "None", "No", "Yes", "Not Hispanic or Latino",
          "I am not a protected veteran", "No, I do not have a disability", "Yes, I have a disability",
          "Prefer to self-describe", "Two or more races", "Black or African American", "under 40", "40 and over",
          "Keine Behinderung", "Divers", "女", "男", "汉族", "Hombre", "Mujer", "Femme", "Homme", "Na'vi fan"]


@pytest.mark.parametrize("answer", UNSTATED)
def test_unstated_answers_are_recognised(answer: str) -> None:
    assert is_unstated(answer)


@pytest.mark.parametrize("answer", STATED)
def test_real_categories_are_not_taken_for_unstated(answer: str) -> None:
    assert not is_unstated(answer)


# --- the real CLI on self-identification files with unknown categories -------------------------

ARGS = (SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "50")
HOSTILE = "[bold red]Ω[/] \x1b[2J\u202e"


def _ids(path: Path, column: str = "id") -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh)]


@pytest.fixture
def survey(in_tmp: Path) -> Path:
    """A survey built on the real top-50 shortlist of the sample, so the selection side has a
    hand-computed answer: the 8 who 'Prefer not to say' are all selected (the highest rate, which
    made them the reference before), women are selected 30 of 300, men 12 of 600."""
    run = cli("shortlist", *ARGS, "-o", in_tmp / "short.csv", "--left-out", in_tmp / "left.csv")
    assert run.code == 0, run.stderr
    chosen, left = _ids(in_tmp / "short.csv"), _ids(in_tmp / "left.csv")
    assert len(chosen) == 50 and len(left) >= 897
    gender = (["Prefer not to say"] * 8 + ["Woman"] * 30 + ["Man"] * 12
              + ["Woman"] * 270 + ["Man"] * 588 + ["Decline to self-identify"] * 20 + [""] * 5
              + ["Nonbinary"] * 3 + ["Two-Spirit"] * 6 + [HOSTILE] * 5)
    age = (["Keine Angabe"] * 5 + ["不愿透露"] * 3 + ["under 40"] * 20 + ["40 and over"] * 22
           + ["不愿透露"] * 2 + ["Prefiero no decirlo"] * 5 + ["Je préfère ne pas répondre"] * 5 + ["N/A"] * 5
           + ["under 40"] * 380 + ["40 and over"] * 500)
    ids = chosen + left[:897]
    path = in_tmp / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "gender", "age_band"])
        out.writerows(zip(ids, gender, age, strict=True))
    return path


def test_unstated_groups_are_shown_but_never_reference_or_flagged(survey: Path) -> None:
    out = survey.parent / "audit.json"
    run = cli("audit", *ARGS, "--self-id", survey, "-o", out)
    assert run.code == 0, run.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    by = {(r["dimension"], r["group"]): r for r in rows}
    unstated = [by[("gender", g)] for g in ("Prefer not to say", "Decline to self-identify", "not stated")]
    unstated += [by[("age_band", g)] for g in ("Keine Angabe", "不愿透露", "Prefiero no decirlo",
                                               "Je préfère ne pas répondre", "N/A")]
    for row in unstated:  # shown with their rates, never the reference, never flagged
        assert row["stated"] is False and row["selection_rate"] is not None
        assert row["selection_status"] == row["scoring_status"] == "not stated"
        assert "below" not in row["flag"] and "reference" in row["flag"]  # "never the reference, never flagged"
    assert by[("gender", "Prefer not to say")]["selection_rate"] == 1.0  # the highest rate, and still not the reference
    woman, man = by[("gender", "Woman")], by[("gender", "Man")]
    assert (woman["selected"], woman["people"], woman["selection_status"]) == (30, 300, "reference")
    assert (man["selected"], man["people"]) == (12, 600)
    assert man["selection_impact_ratio"] == pytest.approx(0.2)  # 2% against 10%
    # 12/600 is at most 3.47% and 30/300 at least 7.09%: below four-fifths however noisy
    assert man["selection_ratio_high"] == pytest.approx(0.0347 / 0.0709, abs=2e-3)
    assert man["selection_status"] == BELOW and man["flag"].startswith("below four-fifths (rule of thumb): selection")
    spirit = by[("gender", "Two-Spirit")]  # 0 of 6 selected: anywhere from none to 5.5 times the reference
    assert spirit["stated"] is True and spirit["selection_status"] == TOO_FEW
    assert "too few to tell: selection" in spirit["flag"] and "selection" not in spirit["flag"].split(";")[0]
    assert by[("gender", "Nonbinary")]["selection_status"] == "suppressed"
    assert by[("gender", "Nonbinary")]["selection_rate"] is None
    young, old = by[("age_band", "under 40")], by[("age_band", "40 and over")]
    assert young["selection_status"] == "reference" and old["selection_status"] == TOO_FEW  # 5% vs 4.3%
    # an intersection with an unstated part is unstated; the reference is always a stated group
    mixed = by[("gender × age_band", "Woman / Prefiero no decirlo")]
    assert mixed["people"] == 5 and mixed["stated"] is False and mixed["selection_status"] == "not stated"
    assert by[("gender × age_band", "Woman / under 40")]["stated"] is True
    for row in rows:
        for rate in ("selection", "scoring"):
            if row[f"{rate}_rate"] is None:
                continue
            assert row[f"{rate}_rate_low"] <= row[f"{rate}_rate"] <= row[f"{rate}_rate_high"]
            if row[f"{rate}_status"] == "reference":
                assert row["stated"] and row[f"{rate}_impact_ratio"] == 1.0
            elif row[f"{rate}_status"] in (BELOW, TOO_FEW, WITHIN):
                low, high = row[f"{rate}_ratio_low"], row[f"{rate}_ratio_high"]
                assert low <= row[f"{rate}_impact_ratio"] <= high
                expect = TOO_FEW if low < 0.8 and high > 1.0 else BELOW if row[f"{rate}_impact_ratio"] < 0.8 else WITHIN
                assert row[f"{rate}_status"] == expect, row
    # the HTML report's summary is built from the same table
    html = survey.parent / "report.html"
    report = cli("report", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "50", "--self-id", survey,
                 "-o", html)
    assert report.code == 0, report.stderr
    page = html.read_text(encoding="utf-8")
    assert "Adverse-impact summary" in page and "below four-fifths (rule of thumb): selection" in page
    assert "never the reference, never flagged" in page and "\x1b" not in page


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("width", [80, 160])
def test_audit_table_never_cuts_text(survey: Path, width: int) -> None:
    data = survey.parent / "audit.json"
    assert cli("audit", *ARGS, "--self-id", survey, "-o", data).code == 0
    rows = json.loads(data.read_text(encoding="utf-8"))
    run = run_process("audit", *ARGS, "--self-id", survey, cwd=survey.parent, env={"COLUMNS": str(width)})
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    shown = set(_words(run.stdout))
    # every word of every flag, group and dimension is on the screen whole: wrapped at spaces, never cut
    for row in rows:
        for text in (row["flag"], visible(row["group"]), visible(row["dimension"])):
            missing = [w for w in _words(text) if w not in shown]
            assert not missing, (width, text, missing)
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout and "\\x1b[2J\\u202e" in run.stdout
    assert {"[bold", "red]Ω[/]"} <= shown  # markup from the file is shown as text
    assert "folded" not in run.stdout
    if width == 80:  # too narrow for every column: the note says which are left out and how to see them
        note = " ".join(run.stdout.split())
        assert "To fit 80 columns: left out selected, above median" in note
        assert "COLUMNS=200" in note and "--format csv|json|md|xlsx" in note


def test_a_wide_terminal_shows_every_column(survey: Path) -> None:
    run = run_process("audit", *ARGS, "--self-id", survey, cwd=survey.parent, env={"COLUMNS": "260"})
    assert run.returncode == 0, run.stderr
    header = run.stdout.split("───")[0]
    for word in ("selected", "median", "95%", "CI", "range", "flag"):
        assert word in _words(header)
    assert "To fit" not in run.stdout
    assert "0.00–5.50" in run.stdout  # Two-Spirit, 0 of 6: up to 0.3900 / 0.0709 times the reference
    assert "too few to tell: selection" in " ".join(run.stdout.split())


def test_no_reference_when_no_stated_group_was_selected() -> None:
    # 6 women and 6 men, nobody selected; 6 who declined, all selected: nobody to compare against
    rows = [(f"w{i}", float(i), False, "Woman") for i in range(6)]
    rows += [(f"m{i}", float(10 + i), False, "Man") for i in range(6)]
    rows += [(f"d{i}", float(20 + i), True, "Prefer not to say") for i in range(6)]
    scores = pd.DataFrame([r[:3] for r in rows], columns=["id", "score", "selected"])
    self_id = pd.DataFrame([(r[0], r[3]) for r in rows], columns=["id", "sex"])
    by = {r["group"]: r for r in impact_table(scores, self_id, ["sex"]).to_dict("records")}
    for group in ("Woman", "Man"):
        assert by[group]["selection_status"] == "no reference" and by[group]["selection_impact_ratio"] is None
        assert "below" not in by[group]["flag"] and "no reference: selection" in by[group]["flag"]
    assert by["Prefer not to say"]["selection_rate"] == 1.0
    assert by["Prefer not to say"]["selection_status"] == "not stated"
    # scoring: the median of 0..5, 10..15, 20..25 is 12.5; men 3 of 6 above it, women none
    assert by["Man"]["scoring_status"] == "reference" and by["Woman"]["scoring_impact_ratio"] == 0.0
