"""The types are checked: mypy (configured in pyproject.toml) passes on src/."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_mypy_passes_on_the_package() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "Success" in run.stdout
