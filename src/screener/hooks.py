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
