"""Test hooks, read from the environment; they do nothing unless a test sets them."""

from __future__ import annotations

import os
import time


def pause() -> None:
    """SCREENER_TEST_PAUSE=seconds holds the program at a known point (mid-transaction in a
    nightly run, between the two passes of a streamed score), so a test can kill it there or
    change its input."""
    seconds = os.environ.get("SCREENER_TEST_PAUSE")
    if seconds:
        time.sleep(float(seconds))


def helper_request() -> None:
    """Called by the helper process (parallel.py) as it takes a request.
    SCREENER_TEST_HELPER_LOG=PATH appends "PID asked" to PATH (and ``helper_answered`` "PID
    answered" once the work is done: proof the helper did it); SCREENER_TEST_HELPER: "die" ends
    the helper there (as the out-of-memory killer would), "fail" makes the request raise."""
    _log("asked")
    how = os.environ.get("SCREENER_TEST_HELPER", "")
    if how == "die":
        os._exit(9)
    elif how == "fail":
        raise RuntimeError("test failure in the helper")


def helper_answered() -> None:
    """Called by the helper process when a request's work is done (see ``helper_request``)."""
    _log("answered")


def _log(what: str) -> None:
    path = os.environ.get("SCREENER_TEST_HELPER_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what}\n")
