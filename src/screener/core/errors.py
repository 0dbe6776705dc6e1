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
EXIT_BUG = 70
EXIT_LOCKED = 75  # another run holds the lock (sysexits EX_TEMPFAIL)


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
