"""Run the ``screener`` command with faults from ``faults.py`` installed, as a real process:

    python tests/harness.py [--pause-after MOD:NAME --ready FILE] [--crash-after MOD:NAME]
                            [--helper none|die|fail --helper-log FILE] -- ARGS...

screener itself holds no test switch; this script is the test-only plugin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import faults


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause-after")
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--crash-after")
    parser.add_argument("--helper", default=None)
    parser.add_argument("--helper-log", default="")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    if options.pause_after:
        faults.pause_after(options.pause_after, options.ready)
    if options.crash_after:
        faults.crash_after(options.crash_after)
    if options.helper is not None:
        faults.install_pool(options.helper, options.helper_log)
    from screener.cli import main as screener_main

    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    sys.argv = ["screener", *args]
    screener_main()


if __name__ == "__main__":
    main()
