"""Time and memory per phase of a command (``screener run --timings``), so that the next
bottleneck shows without a profiler: wall-clock seconds per phase, and the peak resident
memory of this process and of the helper processes it has waited for."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def peak_mib() -> tuple[float, float]:
    """(this process's peak RSS, the largest peak of its ended children), MiB."""
    per_mib = 2**20 if sys.platform == "darwin" else 2**10  # ru_maxrss: bytes on macOS, KiB elsewhere
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / per_mib, children / per_mib


class Timings:
    """Phases in the order they ran; a phase run twice adds up."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._last = self.started
        self.phases: dict[str, float] = {}
        self.peaks: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._add(name, time.perf_counter() - start)

    def since_last(self, name: str) -> None:
        """The time since the last phase ended, as phase ``name``."""
        self._add(name, time.perf_counter() - self._last)

    def _add(self, name: str, seconds: float) -> None:
        self.phases[name] = self.phases.get(name, 0.0) + seconds
        self.peaks[name] = peak_mib()[0]
        self._last = time.perf_counter()

    def lines(self) -> list[str]:
        """One line per phase, then the total and the peaks."""
        width = max((len(n) for n in self.phases), default=0)
        out = [f"{name:<{width}}  {secs:7.2f} s   peak {self.peaks[name]:7.0f} MiB"
               for name, secs in self.phases.items()]
        own, children = peak_mib()
        out.append(f"{'total':<{width}}  {time.perf_counter() - self.started:7.2f} s   peak {own:7.0f} MiB"
                   + (f" (helper process {children:.0f} MiB)" if children else ""))
        return out
