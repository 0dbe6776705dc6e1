"""A second process for scoring large exports, on ``concurrent.futures.ProcessPoolExecutor``.

Scoring is mostly Python code, so threads cannot use a second core (the GIL). When the export
is large and this process may use two CPUs or more, ``helper_for`` starts a pool of one worker
process; its ``submit`` is what the core takes (``screener.core.packed.Submit``): scoring hands
it the criteria that read free text (keywords, text quality) and does the rest meanwhile; the
streamed score hands it each piece's text keys; the nightly run, duplicate grouping over
everyone while it reads the stored records back.

The worker is a fresh interpreter (the "spawn" start method: nothing is forked from a process
that may hold threads or locks), started before the export is read so that its imports overlap
the reading. It is an optimisation only: if it cannot be started, dies (``BrokenProcessPool``),
or fails, the work is done in this process and the result is the same (the tests compare
outputs byte for byte with and without it). It ignores Ctrl-C, which this process handles, and
is ended when the block using it ends, at once if the block raised.

Environment:
  SCREENER_WORKERS         1 turns the helper off; 2 allows it (the default when this process
                           may run on two CPUs or more)
  SCREENER_PARALLEL_BYTES  exports smaller than this are scored in one process
                           (default 8 MiB, about 6,000 applicants with cover letters)
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from screener.app.config import env_int
from screener.core.packed import Submit, run_here

DEFAULT_BYTES = 8 * 2**20


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def settings() -> tuple[int, int]:
    """(processes allowed, smallest export given a helper) from the environment; raises
    ``UsageError`` for a value that is not a whole number in range."""
    workers = env_int("SCREENER_WORKERS", 2 if usable_cpus() >= 2 else 1, lowest=1, what="a number of processes")
    threshold = env_int("SCREENER_PARALLEL_BYTES", DEFAULT_BYTES, lowest=0, what="a number of bytes")
    return workers, threshold


def wanted(size: int) -> bool:
    """Whether an export of ``size`` bytes is worth a helper process here."""
    workers, threshold = settings()
    return workers >= 2 and size >= threshold


def file_size(path: str | os.PathLike[str]) -> int:
    """Bytes in ``path`` (0 when it cannot be read: the loader says what is wrong with it)."""
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


_STARTING = threading.Lock()  # one helper started at a time: __main__ is hidden process-wide


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """The program's ``__main__`` kept from the worker while it is started. "spawn" would run it
    again in the child (so that pickled references to it resolve); the worker needs nothing
    from it (its work is screener functions), and a script or notebook calling screener
    without an ``if __name__ == "__main__":`` guard would otherwise run twice."""
    import sys

    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__")
                             if main and name in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None  # spawn reads it; None: no module to import
        yield
    finally:
        if main is not None:
            if "__spec__" not in saved:
                main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """A Ctrl-C held back while the worker is started, and acted on after.

    SIGINT is blocked (not lost): the child inherits the blocked signal through fork and exec,
    so a Ctrl-C while it is still importing cannot print its traceback; it ignores SIGINT and
    unblocks it once running (``_worker_ready``). The process may also take the signal on
    another thread (numpy's), which would raise KeyboardInterrupt here mid-start and leave the
    child reading half its start-up data; so Python's handler only notes it meanwhile, and the
    previous handler gets it afterwards."""
    noted: list[int] = []
    previous: Any = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: noted.append(signum))
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if blocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # one that came now is noted
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if noted and callable(previous):
        previous(signal.SIGINT, None)  # Python's default: KeyboardInterrupt, raised here
    elif noted and previous == signal.SIG_DFL:
        signal.raise_signal(signal.SIGINT)


def _worker_ready() -> None:
    """In the worker, first: Ctrl-C is the main process's to handle (see ``_sigint_held``), and
    the worker ends when the main process does, however it ends (a pool's worker would
    otherwise wait for work forever once its parent is killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_end_with_parent, name="screener-parent-watch", daemon=True).start()


def _end_with_parent() -> None:
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()  # returns when the main process has ended
        os._exit(0)


def _warm_up(languages: tuple[str, ...]) -> None:
    """The worker's first task, while the main process reads the export: import scoring and
    read the word lists and stemmers of the rubric's ``languages``."""
    from screener.core import scoring

    scoring.prepare(languages)


class Helper:
    """One worker process. ``submit(fn, *args)`` sends ``fn(*args)`` (a module-level function and
    picklable arguments) to it and returns what to call for the result, which is computed in
    this process instead if the worker could not give it."""

    def __init__(self, languages: tuple[str, ...] = ()) -> None:
        import multiprocessing

        if os.name == "posix":
            from multiprocessing import resource_tracker

            # Started first: starting it unblocks SIGINT (it blocks the signal around its own
            # start), which inside _sigint_held would unblock it before our child is made.
            resource_tracker.ensure_running()
        # SIGPIPE ignored while the worker lives: cli.main restores its default so that `screener
        # ... | head` ends quietly, but then the pool's feeder thread writing to a worker that has
        # died would kill this process without a word; ignored, the pool sees a broken pipe and
        # the work is done here. A closed stdout then raises BrokenPipeError (cli handles it).
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_ready)
        # Work whose result has not been asked for yet; a result asked for is not kept here (the
        # streamed score sends dozens of pieces, and their results would pile up).
        self._unread: set[Future[Any]] = set()
        self._sigpipe: Any = None
        try:
            if hasattr(signal, "SIGPIPE") and threading.current_thread() is threading.main_thread():
                self._sigpipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            with _STARTING, _sigint_held(), _main_module_hidden():
                self._pool.submit(_warm_up, languages)  # the first task starts the process, here and now
        except BaseException:  # could not start, or Ctrl-C (delivered when the block ended)
            self.close(kill=True)
            raise

    def submit(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        try:
            future = self._pool.submit(fn, *args)
        except Exception:  # the pool is broken (the worker died) or shut down
            return run_here(fn, *args)
        self._unread.add(future)

        def result() -> Any:
            self._unread.discard(future)
            try:
                return future.result()
            except Exception:  # BrokenProcessPool, unpicklable, or it raised there: do it here
                return fn(*args)

        return result

    def close(self, *, kill: bool = False) -> None:
        """End the worker and wait for it: at once with ``kill``, or when it still has work
        whose result nobody will read."""
        kill = kill or not all(f.done() for f in self._unread)
        if kill:
            self._pool.shutdown(wait=False, cancel_futures=True)
            # ProcessPoolExecutor has no public way to end a busy worker before Python 3.14
            # (terminate_workers); its processes are kept in _processes.
            for proc in list((getattr(self._pool, "_processes", None) or {}).values()):
                proc.kill()
        self._pool.shutdown(wait=True)
        if self._sigpipe is not None:
            signal.signal(signal.SIGPIPE, self._sigpipe)
            self._sigpipe = None


def start(size: int, languages: tuple[str, ...] = ()) -> Helper | None:
    """A helper process for an export of ``size`` bytes, or None when it is not worth one or
    cannot be started (no second CPU, a small export, SCREENER_WORKERS=1, no processes).
    ``languages``: the rubric's, whose word lists it reads while the export is read."""
    if not wanted(size):
        return None
    try:
        return Helper(languages)
    except Exception:  # e.g. no /dev/shm, a process limit, a sandbox: score in this process
        return None


@contextmanager
def helper_for(size: int, languages: tuple[str, ...] = ()) -> Iterator[Helper | None]:
    """``start(size, languages)``, closed at the end of the block (at once if the block raised)."""
    helper = start(size, languages)
    try:
        yield helper
    except BaseException:
        if helper is not None:
            helper.close(kill=True)
        raise
    if helper is not None:
        helper.close()


def submitter(helper: Helper | None) -> Submit:
    """What the core takes as ``submit``: the helper's, or doing the work here without one."""
    return helper.submit if helper is not None else run_here
