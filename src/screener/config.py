"""Find the rubric without a flag: ``--rubric``, ``$SCREENER_RUBRIC``, the project config, or the
only rubric in ``./rubrics``. When none or several are found, say how to choose."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import yaml

from screener.errors import RubricError

CONFIG_NAMES = ("screener.toml", "screener.yaml", "screener.yml")
ENV_VAR = "SCREENER_RUBRIC"


def find_config(cwd: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = cwd / name
        if candidate.is_file():
            return candidate
    return None


def _config_rubric(config: Path) -> str | None:
    try:
        text = config.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if config.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        raise RubricError(f"The project config {config} cannot be read: {err}".rstrip(".") + ".") from None
    if not isinstance(data, dict):
        return None
    value = data.get("rubric")
    if value is not None and not isinstance(value, str):
        raise RubricError(f"In {config}, 'rubric' should be the path of a rubric file.")
    return value


def find_rubric(explicit: str | None = None, cwd: Path | None = None) -> tuple[Path, str]:
    """Return the rubric's path and how it was found."""
    cwd = cwd or Path.cwd()
    if explicit:
        return Path(explicit), "--rubric"
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env), f"${ENV_VAR}"
    config = find_config(cwd)
    if config is not None:
        value = _config_rubric(config)
        if value:
            path = Path(value)
            return (path if path.is_absolute() else config.parent / path), str(config.name)
    folder = cwd / "rubrics"
    found = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    if len(found) == 1:
        try:
            return found[0].relative_to(cwd), "the only rubric in ./rubrics"
        except ValueError:  # pragma: no cover - cwd is the parent by construction
            return found[0], "the only rubric in ./rubrics"
    how = (f"pass --rubric PATH, set {ENV_VAR}=PATH, or put 'rubric = \"PATH\"' in screener.toml")
    if not found:
        raise RubricError(f"No rubric found: there is no rubrics/ folder with a .yaml file here; {how}.")
    names = ", ".join(p.name for p in found)
    raise RubricError(f"Several rubrics in ./rubrics ({names}); choose one: {how}.")
