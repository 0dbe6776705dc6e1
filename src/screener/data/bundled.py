"""The rubrics that ship inside the package (``screener/rubrics/*.yaml``), read with
``importlib.resources`` so they are found wherever screener is installed, with or without the
repository.

In the repository ``src/screener/rubrics`` is a symbolic link to the top-level ``rubrics/``
folder, the one copy of these files: an editable install reads them through the link, and a
wheel holds them as package data (``[tool.setuptools.package-data]`` in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "screener"
FOLDER = "rubrics"
SUFFIX = ".yaml"


def _folder() -> Traversable:
    return resources.files(PACKAGE).joinpath(FOLDER)


def names() -> list[str]:
    """The bundled rubrics' names (the file name without ``.yaml``: ``technical-project-manager``,
    ``technical-project-manager.zh``), in order; empty if the package holds none."""
    folder = _folder()
    if not folder.is_dir():
        return []
    return sorted(entry.name.removesuffix(SUFFIX) for entry in folder.iterdir()
                  if entry.name.endswith(SUFFIX) and entry.is_file())


def file_name(name: str) -> str:
    """The file name of the bundled rubric ``name``."""
    return name + SUFFIX


def read(name: str) -> bytes:
    """The bytes of the bundled rubric ``name`` (one of ``names()``)."""
    return _folder().joinpath(file_name(name)).read_bytes()


@contextmanager
def as_path(name: str) -> Iterator[Path]:
    """The bundled rubric ``name`` as a file on disk for as long as the block runs (a temporary
    copy only if the package is not installed as plain files, e.g. from a zip)."""
    with resources.as_file(_folder().joinpath(file_name(name))) as path:
        yield path
