"""The adverse-impact audit: arithmetic on a fixture with a known answer, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import RUBRIC, SAMPLE, cli
from screener.app.audit import impact_table


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
    assert women["flag"] == "below four-fifths (rule of thumb): selection, scoring"
    assert men["flag"] == ""
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
