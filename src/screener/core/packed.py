"""Handing work to another process: the shape of a ``submit`` callable the core accepts, and
arrays packed so that they travel cheaply. The core never starts a process itself; the app
floor passes ``submit`` in (see ``screener.app.parallel``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

Submit = Callable[..., Callable[[], Any]]
"""``submit(fn, *args)`` starts ``fn(*args)`` (a module-level function and picklable
arguments), possibly in another process, and returns what to call for its result.

``submit(fn, *args, report=r)``: ``fn`` is called with a keyword argument ``report`` too, and
each ``report(step)`` it makes (``step`` a short str) reaches ``r`` in this process as it is
made, possibly on another thread (one call at a time), and all of them before the result is
returned. Work redone here (the other process died or failed) may report a step again: ``r``
ignores a repeat."""


def run_here(fn: Callable[..., Any], *args: Any, report: Callable[[str], None] | None = None) -> Callable[[], Any]:
    """The ``Submit`` without another process: ``fn(*args)`` at once (each step reported as made)."""
    value = fn(*args) if report is None else fn(*args, report=report)
    return lambda: value


class Packed:
    """An array of strings sent as its distinct values and int32 codes: answers and evidence
    repeat a lot, and pickling one object per row is what costs (100k rows: 1.0 s -> 0.26 s)."""

    def __init__(self, codes: np.ndarray, uniques: np.ndarray) -> None:
        self.codes, self.uniques = codes, uniques


def pack(values: Any) -> Any:
    """``values`` ready to send: an object array without missing values becomes ``Packed``."""
    if not isinstance(values, np.ndarray) or values.dtype != object or len(values) == 0:
        return values
    if pd.api.types.infer_dtype(values, skipna=False) != "string":  # only str: factorize would merge
        return values  # None with NaN, and 1 with 1.0 and True
    codes, uniques = pd.factorize(values)
    return Packed(codes.astype(np.int32), np.asarray(uniques, dtype=object))


def unpack(value: Any) -> Any:
    """What ``pack`` was given (an equal array)."""
    return value.uniques[value.codes] if isinstance(value, Packed) else value
