"""Faults and pauses injected into a real screener process by the tests (never by screener).

``harness.py`` runs the CLI with these installed; in-process tests install them with
``monkeypatch``. This module must stay importable by the helper process that screener spawns
(it gets the test process's ``sys.path``), because the helper runs ``call`` itself.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any


def call(how: str, log: str, fn: Callable[..., Any], *args: Any) -> Any:
    """In the helper process: note "PID asked" in ``log``, then fail as ``how`` says ("die" ends
    the process as the out-of-memory killer would, "fail" raises, "die-midway" scores one
    criterion, which it reports, and dies starting the next), else do the work and note
    "PID answered"."""
    _note(log, "asked")
    if how == "die":
        os._exit(9)
    if how == "fail":
        raise RuntimeError("injected failure in the helper")
    if how == "die-midway":
        _die_at_second_criterion()
    value = fn(*args)
    _note(log, "answered")
    return value


def _die_at_second_criterion() -> None:
    from screener.core import scoring

    original = scoring._evaluate
    started: list[bool] = []

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        if started:
            os._exit(9)
        started.append(True)
        return original(*args, **kwargs)

    scoring._evaluate = evaluate


def _note(log: str, what: str) -> None:
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what}\n")


def faulty_pool(how: str, log: str) -> type[ProcessPoolExecutor]:
    """A ``ProcessPoolExecutor`` whose work (but the warm-up) runs through ``call``."""

    class FaultyPool(ProcessPoolExecutor):
        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            if getattr(fn, "__name__", "") == "_warm_up":
                return super().submit(fn, *args, **kwargs)
            return super().submit(call, how, log, fn, *args, **kwargs)

    return FaultyPool


def install_pool(how: str, log: str, setattr_: Callable[[Any, str, Any], None] = setattr) -> None:
    """Make screener's helper use ``faulty_pool(how, log)`` (``setattr_``: monkeypatch.setattr)."""
    import screener.app.parallel

    setattr_(screener.app.parallel, "ProcessPoolExecutor", faulty_pool(how, log))


def _resolve(target: str) -> tuple[Any, str]:
    """``package.module:name`` as (module, name)."""
    import importlib

    module, _, name = target.partition(":")
    return importlib.import_module(module), name


def pause_after(target: str, ready: Path) -> None:
    """When ``target`` returns, write ``ready`` (holding this process's id) and wait until
    standard input is closed: the test acts (kills, edits the export) in between."""
    module, name = _resolve(target)
    original = getattr(module, name)

    @functools.wraps(original)
    def paused(*args: Any, **kwargs: Any) -> Any:
        value = original(*args, **kwargs)
        part = ready.with_name(ready.name + ".part")
        part.write_text(str(os.getpid()), encoding="utf-8")
        part.replace(ready)  # the file appears whole
        sys.stdin.read()
        return value

    setattr(module, name, paused)


def crash_after(target: str, setattr_: Callable[[Any, str, Any], None] = setattr) -> None:
    """When ``target`` returns, raise an error whose message quotes what it returned (as a bug
    could quote applicant data)."""
    module, name = _resolve(target)
    original = getattr(module, name)

    @functools.wraps(original)
    def crashing(*args: Any, **kwargs: Any) -> Any:
        value = original(*args, **kwargs)
        raise RuntimeError(f"injected crash: {value!r}")

    setattr_(module, name, crashing)
