"""The exceptions screener raises for problems a user can fix, each with a message meant for them.

The CLI turns every ``ScreenerError`` into one sentence on stderr and the exception's
``exit_code``; anything else is a bug and is shown as such.
"""

from __future__ import annotations

# Documented in the README ("Exit codes"). Typer/click already uses 2 for usage errors.
EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3  # finished, but some rows could not be read
EXIT_NOTHING_NEW = 4  # `screener run` found nothing new or changed
EXIT_DAMAGED = 65  # the store is damaged or empty: refused, nothing written (sysexits EX_DATAERR)
EXIT_BUG = 70
EXIT_IO = 74  # a file could not be written (disk full, read-only, unwritable folder, stdout full) (EX_IOERR)
EXIT_LOCKED = 75  # another run holds the lock (sysexits EX_TEMPFAIL)
EXIT_LINK = 77  # a file screener writes is a link it did not make: refused (sysexits EX_NOPERM)


class ScreenerError(Exception):
    """A problem the user can fix; ``str(err)`` is the sentence shown to them."""

    exit_code = EXIT_INPUT


class InputError(ScreenerError):
    """The export (CSV, JSON, XLSX) cannot be read."""


class RubricError(ScreenerError):
    """The rubric is missing, ambiguous or invalid.

    ``problems`` holds every problem found, one ``file:line: message`` string each, so a
    rubric author can fix them all in one pass.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class UsageError(ScreenerError):
    """The command line asks for something that cannot be done (an unknown applicant, say)."""

    exit_code = EXIT_USAGE


class OutputError(ScreenerError):
    """An output file cannot be written."""


class ConfigError(ScreenerError):
    """The project config (screener.toml) is missing or invalid."""


class StoreError(ScreenerError):
    """The history store cannot be opened or is from a newer screener."""


class LockedError(ScreenerError):
    """Another ``screener run`` is in progress."""

    exit_code = EXIT_LOCKED


class StoreDamagedError(StoreError):
    """The store fails its integrity check, is empty (0 bytes) or is not a screener store: it is
    refused before anything is written to it."""

    exit_code = EXIT_DAMAGED


class WriteFailedError(ScreenerError):
    """A file (the store, a log, an output, standard output) could not be written: the disk is
    full, the file or folder is read-only. The sentence says what was kept."""

    exit_code = EXIT_IO


class LinkRefusedError(ScreenerError):
    """A file screener writes in a project (lock, store, logs) is a symbolic or hard link that
    screener did not make: refused, nothing written through it."""

    exit_code = EXIT_LINK
