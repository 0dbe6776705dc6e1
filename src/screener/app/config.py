"""Project settings: finding the rubric without a flag (``--rubric``, ``$SCREENER_RUBRIC``, the
project config, or the only rubric in ``./rubrics``) and reading the project config that the
nightly ``screener run`` uses."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from screener.core.errors import ConfigError, InputError, RubricError, UsageError
from screener.core.escape import visible

CONFIG_NAMES = ("screener.toml", "screener.yaml", "screener.yml")
ENV_VAR = "SCREENER_RUBRIC"


def env_int(name: str, default: int, *, lowest: int, what: str) -> int:
    """A whole-number setting from the environment variable ``name`` (ASCII digits only), or
    ``default`` when it is unset or blank; anything else is one sentence and exit 2."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if re.fullmatch(r"[0-9]{1,18}", raw) is None or int(raw) < lowest:
        raise UsageError(f"{name} must be {what}, a whole number of at least {lowest}, not {visible(raw)!r}.")
    return int(raw)


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


_LANGUAGE_TAG = re.compile(r"\.[a-z]{2}(?:-[A-Za-z]{2,4})?$")


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
    # NAME.zh.yaml is NAME.yaml in another language: the one without a language tag is the default.
    untagged = [p for p in found if not _LANGUAGE_TAG.search(p.stem)]
    if len(found) == 1 or (len(untagged) == 1 and all(p.stem.startswith(untagged[0].stem + ".") for p in found
                                                         if p != untagged[0])):
        chosen = found[0] if len(found) == 1 else untagged[0]
        how_found = ("the only rubric in ./rubrics" if len(found) == 1
                     else "the rubric in ./rubrics without a language tag")
        try:
            return chosen.relative_to(cwd), how_found
        except ValueError:  # pragma: no cover - cwd is the parent by construction
            return chosen, how_found
    how = (f"pass --rubric PATH, set {ENV_VAR}=PATH, or put 'rubric = \"PATH\"' in screener.toml")
    if not found:
        raise RubricError(no_rubric_message())
    names = ", ".join(p.name for p in found)
    raise RubricError(f"Several rubrics in ./rubrics ({names}); choose one: {how}.")


def no_rubric_message() -> str:
    """What to do when no rubric is found: the command that makes one (a bundled template or a
    draft from the job posting), or the flag that names one."""
    from screener.data import bundled

    names = bundled.names()
    untagged = [n for n in names if not _LANGUAGE_TAG.search(n)] or names
    template = (f"'screener init --template {untagged[0]}' (bundled: {', '.join(names)}) or " if names else "")
    return ("No rubric found here (no screener.toml naming one, no .yaml file in ./rubrics): run "
            f"{template}'screener rubric draft POSTING -o rubric.yaml', or pass --rubric PATH.")


# --------------------------------------------------------------------------------------------
# The rubrics to choose from: those bundled with screener and those in ./rubrics.


@dataclass(frozen=True)
class RubricEntry:
    """One rubric ``screener rubric list`` shows."""

    name: str  # bundled: what 'init --template' takes; in ./rubrics: the path to pass as --rubric
    title: str = ""
    languages: tuple[str, ...] = ()
    criteria: int | None = None
    problem: str = ""  # why a rubric in ./rubrics does not load ('rubric validate' says more)

    def cells(self) -> tuple[str, str, str, str]:
        """name, language, criteria, title: as the list shows them."""
        if self.problem:
            return (self.name, "", "", f"{self.problem} See 'screener rubric validate {self.name}'.")
        return (self.name, ", ".join(self.languages) or "—", str(self.criteria), self.title)


BUNDLED_HEADING = "Bundled with screener (start a project with 'screener init --template NAME'):"
HERE_HEADING = "In ./rubrics here (found as for 'score', or pass --rubric PATH):"


def _entry(name: str, path: Path) -> RubricEntry:
    from screener.core.rubric import load_rubric

    try:
        found = load_rubric(path)
    except RubricError as err:
        return RubricEntry(name, problem=str(err))
    return RubricEntry(name, found.title, found.languages, len(found.criteria))


def rubric_catalogue(cwd: Path | None = None) -> list[tuple[str, list[RubricEntry]]]:
    """The rubrics bundled with screener, then those in ``./rubrics`` of ``cwd`` (if any), each
    group under a heading that says where they are and how to use one."""
    from screener.data import bundled

    cwd = cwd or Path.cwd()
    shipped = []
    for name in bundled.names():
        with bundled.as_path(name) as path:
            shipped.append(_entry(name, path))
    folder = cwd / "rubrics"
    found = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    here = [_entry(str(Path("rubrics") / p.name), p.relative_to(Path.cwd()) if p.is_relative_to(Path.cwd()) else p)
            for p in found]
    return [(BUNDLED_HEADING, shipped)] + ([(HERE_HEADING, here)] if here else [])


# --------------------------------------------------------------------------------------------
# The project config that `screener run` (cron) reads.

STARTER_CONFIG = """\
# screener project config: what `screener run` (the nightly cron job) reads.
# Paths are relative to this file.

# The rubric the applications are scored against.
rubric = "{rubric}"

# Where exports land: a file or a glob; when several files match, the newest wins.
exports = "{exports}"

# Where the shortlist, the left-out list and the log are written.
output = "out"

# The history of applicants, scores, runs and decisions (SQLite).
store = "screener.db"

# The shortlist `screener run` writes: the best N (and/or everyone scoring at least min_score).
top = 50
# min_score = 70

# Also shortlist applicants who failed a must-have, or who applied after the deadline.
include_knockouts = false
include_late = false

# The key behind --blind's pseudonymous ids (P-XXXXXXXX). Keep it private: with it,
# 'screener reveal' maps a pseudonym back to the applicant.
blind_secret = "{secret}"

# Answering applicants ('screener reply', 'screener status'). The promises the posting makes
# (read from it by 'init --from-posting'): an advance within this many business days of the
# application (Monday to Friday; public holidays are not known), every other answer within this
# many days after the close (the rubric's deadline).
advance_reply_business_days = {advance_days}
reply_days_after_close = {close_days}
# The reply templates (advance.md, decline.md, hold.md), with placeholders such as
# {{first_name}}, {{position}} and {{contact}}.
templates = "templates"
# The From: of the .eml and mbox replies, where applicants write back ({{contact}}), and the
# position's name ({{position}}; default: the rubric's title).
# reply_from = "Hiring team <jobs@example.com>"
# contact = "jobs@example.com"
# position = "Technical Project Manager"
"""

_CONFIG_KEYS = {"rubric", "exports", "output", "store", "top", "min_score", "include_knockouts",
                "include_late", "format", "encoding", "blind_secret", "advance_reply_business_days",
                "reply_days_after_close", "templates", "reply_from", "contact", "position"}


@dataclass(frozen=True)
class ProjectConfig:
    path: Path
    rubric: Path
    exports: str
    output: Path
    store: Path
    top: int | None = 50
    min_score: float | None = None
    include_knockouts: bool = False
    include_late: bool = False
    format: str = "csv"
    encoding: str | None = None
    blind_secret: str | None = None
    # Answering applicants (app/replies.py).
    advance_reply_business_days: int = 4
    reply_days_after_close: int = 21
    templates: Path = Path("templates")
    reply_from: str = ""
    contact: str = ""
    position: str = ""

    @property
    def folder(self) -> Path:
        return self.path.parent

    def newest_export(self) -> Path:
        """The export to ingest: the file named, or the newest file matching the glob."""
        pattern = self.exports
        base = self.folder
        if not any(ch in pattern for ch in "*?["):
            path = Path(pattern) if Path(pattern).is_absolute() else base / pattern
            if not path.exists():
                raise InputError(f"The export {path} named in {self.path.name} does not exist.")
            return path
        matches = [p for p in base.glob(pattern) if p.is_file()] if not Path(pattern).is_absolute() else [
            p for p in Path("/").glob(pattern.lstrip("/")) if p.is_file()]
        if not matches:
            raise InputError(f"No export matches '{pattern}' (from {self.path.name}, relative to {base}).")
        return max(matches, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _config_path(explicit: str | None, cwd: Path) -> Path:
    """The config named by ``--config``, else the one in ``cwd``; it must be a file."""
    path = Path(explicit) if explicit else find_config(cwd)
    if path is None:
        raise ConfigError(f"No project config here ({cwd}): run 'screener init' to write screener.toml, "
                          "or pass --config PATH.")
    if not path.is_file():
        raise ConfigError(f"The config {path} does not exist.")
    return path


def _parse_config(path: Path) -> object:
    """The config file's contents: TOML for ``.toml``, YAML otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        return tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"The config {path} cannot be read: {err}.") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: {err}.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{place}: the YAML could not be read.") from None


def _known_settings(path: Path, data: object) -> dict[str, Any]:
    """``data`` as a table of settings, all of them ones this version knows (a typo must not
    be ignored silently)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path} should hold 'key = value' settings.")
    # A YAML key may be a number or a date ("1: x"): named as written, never compared as such.
    unknown = sorted(str(key) for key in data if key not in _CONFIG_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_CONFIG_KEYS))}.")
    return data


def _check_required_paths(path: Path, data: dict[str, Any]) -> None:
    for key in ("rubric", "exports"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ConfigError(f"{path}: '{key}' is missing; it should be a path in quotes.")


def _check_shortlist_size(path: Path, data: dict[str, Any]) -> None:
    """``top`` and ``min_score``, which choose how many applicants are shortlisted."""
    top = data.get("top", 50)
    min_score = data.get("min_score")
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ConfigError(f"{path}: 'top' should be a whole number of at least 1.")
    if min_score is not None and (isinstance(min_score, bool) or not isinstance(min_score, int | float)
                                  or not 0 <= min_score <= 100):
        raise ConfigError(f"{path}: 'min_score' should be a number from 0 to 100.")


def _check_switches(path: Path, data: dict[str, Any]) -> None:
    for key in ("include_knockouts", "include_late"):
        if not isinstance(data.get(key, False), bool):
            raise ConfigError(f"{path}: '{key}' should be true or false.")


def _check_format(path: Path, data: dict[str, Any]) -> None:
    if data.get("format", "csv") not in ("csv", "json", "jsonl", "md", "xlsx"):
        raise ConfigError(f"{path}: 'format' should be one of csv, json, jsonl, md, xlsx.")


def _check_replies(path: Path, data: dict[str, Any]) -> None:
    """The settings for answering applicants: whole numbers of days, and one-line texts."""
    for key in ("advance_reply_business_days", "reply_days_after_close"):
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
            raise ConfigError(f"{path}: '{key}' should be a whole number of days from 0 to 365.")
    for key in ("reply_from", "contact", "position"):
        value = data.get(key, "")
        if not isinstance(value, str) or any(ch in value for ch in "\r\n\x00"):
            raise ConfigError(f"{path}: '{key}' should be one line of text in quotes.")


def _config_location(path: Path, key: str, value: object, default: str) -> Path:
    """The path setting ``key`` (``default`` when unset), relative to the config's folder."""
    if value is None:
        value = default
    if not isinstance(value, str):
        raise ConfigError(f"{path}: '{key}' should be a path in quotes.")
    p = Path(value)
    return p if p.is_absolute() else path.parent / p


def load_config(explicit: str | None = None, cwd: Path | None = None) -> ProjectConfig:
    """Read ``--config`` or ``screener.toml`` / ``screener.yaml`` in the working directory."""
    cwd = cwd or Path.cwd()
    path = _config_path(explicit, cwd)
    data = _known_settings(path, _parse_config(path))
    _check_required_paths(path, data)
    _check_shortlist_size(path, data)
    _check_switches(path, data)
    _check_format(path, data)
    _check_replies(path, data)
    min_score = data.get("min_score")
    return ProjectConfig(
        path=path,
        rubric=_config_location(path, "rubric", data["rubric"], ""),
        exports=data["exports"],
        output=_config_location(path, "output", data.get("output"), "out"),
        store=_config_location(path, "store", data.get("store"), "screener.db"),
        top=data.get("top", 50),
        min_score=float(min_score) if min_score is not None else None,
        include_knockouts=data.get("include_knockouts", False),
        include_late=data.get("include_late", False),
        format=data.get("format", "csv"),
        encoding=data.get("encoding"),
        blind_secret=data.get("blind_secret") or None,
        advance_reply_business_days=data.get("advance_reply_business_days", 4),
        reply_days_after_close=data.get("reply_days_after_close", 21),
        templates=_config_location(path, "templates", data.get("templates"), "templates"),
        reply_from=data.get("reply_from", ""),
        contact=data.get("contact", ""),
        position=data.get("position", ""),
    )


def user_secret() -> str:
    """Outside a project, --blind's pseudonyms use a secret kept in the user's data folder (0600)."""
    import secrets

    import platformdirs

    from screener.data.write import make_private_folders

    folder = Path(platformdirs.user_data_dir("screener"))
    path = folder / "blind-secret"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    make_private_folders(folder)
    value = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, value.encode("ascii"))
    finally:
        os.close(fd)
    return value


def blind_secret(config: str | None = None) -> str:
    """The key for --blind's pseudonyms: the project's ``blind_secret``, else the user's own."""
    if config or find_config(Path.cwd()) is not None:
        try:
            project = load_config(config)
        except ConfigError:
            project = None
        if project is not None and project.blind_secret:
            return project.blind_secret
    return user_secret()


def project_store() -> Path | None:
    """The store of the project in the working directory, if there is one and it reads."""
    if find_config(Path.cwd()) is None:
        return None
    try:
        return load_config().store
    except ConfigError:
        return None


@dataclass(frozen=True)
class StarterRubric:
    """A rubric ``screener init`` writes into the new project, as ``rubrics/<file_name>``: a
    bundled template (``template_rubric``); a draft made from a job posting is another source."""

    file_name: str
    data: bytes
    origin: str  # for the person, e.g. "the bundled template 'technical-project-manager'"


def template_rubric(name: str) -> StarterRubric:
    """The bundled rubric ``name`` as a project's starting rubric; an unknown name is one sentence
    naming the bundled ones (exit 2)."""
    from screener.data import bundled

    available = bundled.names()
    if name not in available:
        raise UsageError(f"There is no bundled rubric named '{visible(name)}'; choose one of: "
                         f"{', '.join(available) or 'none (this installation has no bundled rubrics)'}.")
    return StarterRubric(bundled.file_name(name), bundled.read(name), f"the bundled template '{name}'")


@dataclass(frozen=True)
class NewProject:
    config: Path  # screener.toml, absolute
    cron: str  # the crontab line that runs the project nightly
    rubric: Path | None = None  # the starter rubric written, relative to the project folder


def _refuse_overwrite(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = " and ".join(str(p.resolve()) for p in existing)
        raise ConfigError(f"{names} already {'exists' if len(existing) == 1 else 'exist'}; "
                          f"pass --force to overwrite {'it' if len(existing) == 1 else 'them'}.")


def _promised_replies(drafted: bytes) -> dict[str, int]:
    """The reply times a rubric drafted from a posting found in it (``draft._render_replies``
    writes them as comments), else the defaults: 4 business days, 21 days after the close."""
    found = {"advance_days": 4, "close_days": 21}
    text = drafted.decode("utf-8", "replace")
    for key, setting in (("advance_days", "advance_reply_business_days"), ("close_days", "reply_days_after_close")):
        match = re.search(rf"^#\s+{setting} = (\d{{1,3}})$", text, re.M)
        if match:
            found[key] = min(int(match.group(1)), 365)
    return found


def init_project(rubric: str | None, exports: str, *, starter: StarterRubric | None = None, force: bool = False,
                 executable: str = "screener") -> NewProject:
    """Write a commented ``screener.toml`` in the working directory (and the folders it names)
    pointing at ``rubric`` (found as for 'score' when not given) or at ``starter``, written to
    ``rubrics/``; never overwrites a file unless ``force``."""
    import secrets
    import shlex

    from screener.data.write import atomic_write, make_private_folders

    if rubric and starter is not None:
        raise UsageError(f"Give either --rubric or a starting rubric ({starter.origin}), not both.")
    target = Path("screener.toml")
    written = Path("rubrics") / starter.file_name if starter is not None else None
    _refuse_overwrite([target] + ([written] if written is not None else []), force)
    if starter is not None and written is not None:
        atomic_write(written, starter.data)
        rubric_path = written
    else:
        rubric_path, _how = find_rubric(rubric)
    promised = _promised_replies(starter.data if starter is not None else b"")
    text = STARTER_CONFIG.format(rubric=str(rubric_path).replace("\\", "/"), exports=exports,
                                 secret=secrets.token_hex(16), **promised)
    atomic_write(target, text.encode("utf-8"))
    make_private_folders(Path(exports).parent)
    make_private_folders(Path("out"))  # cron's log redirect needs the folder to exist
    here = shlex.quote(str(Path.cwd().resolve()))
    cron = f"30 2 * * * cd {here} && {shlex.quote(executable)} run >> {here}/out/cron.log 2>&1"
    return NewProject(target.resolve(), cron, written)
