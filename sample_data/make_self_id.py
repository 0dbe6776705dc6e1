"""Write sample_data/self_id.csv: seeded, made-up self-identification answers for the sample's
applicants, for trying `screener audit`. Kept apart from the export, as a real EEO survey is.

    python sample_data/make_self_id.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEXES = [("female", 46), ("male", 50), ("nonbinary", 2), ("", 2)]
RACES = [("White", 38), ("Asian", 22), ("Hispanic or Latino", 16), ("Black or African American", 16),
         ("Two or more races", 5), ("", 3)]
AGES = [("under 40", 62), ("40 and over", 35), ("", 3)]


def pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def main() -> None:
    rng = random.Random(2020)
    with (HERE / "applicants.csv").open(encoding="utf-8-sig", newline="") as handle:
        ids = [row[0] for row in list(csv.reader(handle))[1:]]
    with (HERE / "self_id.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "sex", "race_ethnicity", "age_band"])
        for entry in ids:
            if rng.random() < 0.1:  # one in ten declines the survey
                continue
            writer.writerow([entry, pick(rng, SEXES), pick(rng, RACES), pick(rng, AGES)])


if __name__ == "__main__":
    main()
