"""A second process for scoring large exports.

Scoring is mostly Python code, so threads cannot use a second core (the GIL). When the export
is large and this process may use two CPUs or more, ``start`` launches one helper process:
``scoring.score`` sends it the criteria that read free text (keywords and text quality, which
normalise and tokenise the long answers) and evaluates the other criteria, the identities,
submission times and duplicate groups itself in the meantime. A streamed export (stream.py)
also sends each piece's text keys; a nightly run (nightly.py) sends duplicate grouping over
everyone while it reads the stored records back. Requests are module-level functions and their
arguments, answered in the order sent.

The helper is a fresh interpreter (the "spawn" start method: nothing is forked from a process
that may hold threads or locks), started before the export is read so that its imports
overlap the reading. It is an optimisation only: if it cannot be started, dies, or fails, the
caller does the work itself and the result is the same (the tests compare outputs byte for
byte with and without it). It ignores Ctrl-C, which the main process handles, and ends when
the main process closes it, exits or dies (its end of the pipe then reads end-of-file).

Environment:
  SCREENER_WORKERS         1 turns the helper off; 2 allows it (the default when this process
                           may run on two CPUs or more)
  SCREENER_PARALLEL_BYTES  exports smaller than this are scored in one process
                           (default 8 MiB, about 6,000 applicants with cover letters)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from screener.app import hooks

DEFAULT_BYTES = 8 * 2**20


class HelperFailed(Exception):
    """The helper could not do what it was asked; the caller does it itself."""


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def settings() -> tuple[int, int]:
    """(processes allowed, smallest export given a helper) from the environment; raises
    ``UsageError`` for a value that is not a whole number in range."""
    from screener.app.config import env_int

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


@contextmanager
def _sigpipe_ignored() -> Iterator[None]:
    """SIGPIPE ignored for the duration (main thread only; elsewhere nothing changes).

    ``cli.main`` restores SIGPIPE's default so that ``screener ... | head`` ends quietly, but
    then a write to a helper that has died would kill this process without a word; ignored,
    the write raises BrokenPipeError and the work is done here instead."""
    import signal

    if not hasattr(signal, "SIGPIPE") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGPIPE, previous)


_STARTING = threading.Lock()  # one helper started at a time: __main__ is hidden process-wide


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """The program's ``__main__`` kept from the helper while it is started. "spawn" would run it
    again in the child (so that pickled references to it resolve); the helper needs nothing
    from it (its requests are screener functions), and a script or notebook calling screener
    without an ``if __name__ == "__main__":`` guard would otherwise run twice."""
    import sys

    main = sys.modules.get("__main__")
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if main and name in main.__dict__}
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
    """A Ctrl-C held back while the helper is started, and acted on after.

    SIGINT is blocked (not lost): the child inherits the blocked signal through fork and exec,
    so a Ctrl-C while it is still importing cannot print its traceback; it ignores SIGINT and
    unblocks it once running (multiprocessing starts its resource tracker the same way). The
    process may also take the signal on another thread (numpy's), which would raise
    KeyboardInterrupt here mid-start and leave the child reading half its start-up data; so
    Python's handler only notes it meanwhile, and the previous handler gets it afterwards."""
    import signal

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


class Pending:
    """The answer to one request; ``result`` waits for it."""

    def __init__(self, helper: Helper | None, number: int = -1) -> None:
        self._helper, self._number = helper, number

    def result(self) -> Any:
        helper, self._helper = self._helper, None
        if helper is None:
            raise HelperFailed("the request was not sent")
        return helper._receive(self._number)


class Helper:
    """One helper process. Requests go down one pipe and answers come back up another, in the
    order sent; the helper reads requests on a thread of its own, so a large request is never
    stuck behind an answer the main process has not read yet (both could fill their pipes)."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        requests_in, self._requests = context.Pipe(duplex=False)
        self._answers, answers_out = context.Pipe(duplex=False)
        self._proc = context.Process(target=_serve, args=(requests_in, answers_out), name="screener-helper",
                                     daemon=True)
        try:
            if os.name == "posix":
                from multiprocessing import resource_tracker

                # Started first: starting it unblocks SIGINT (it blocks the signal around its own
                # start), which inside _sigint_held would unblock it before our child is made.
                resource_tracker.ensure_running()
            with _STARTING, _sigint_held(), _main_module_hidden():
                self._proc.start()
        except BaseException:  # could not start, or Ctrl-C (delivered when the block ended)
            self._requests.close()
            self._answers.close()
            if self._proc.pid is not None:
                self._proc.terminate()
                self._proc.join(timeout=5)
            raise
        finally:
            requests_in.close()
            answers_out.close()
        self._broken = False
        self._sent = 0  # requests sent
        self._received = 0  # answers read

    def run(self, fn: Callable[..., Any], *args: Any) -> Pending:
        """Send ``fn(*args)`` (a module-level function and picklable arguments) to the helper."""
        if self._broken:
            return Pending(None)
        try:
            with _sigpipe_ignored():
                self._requests.send((fn, args))
        except Exception:  # the helper is gone (OSError) or the request cannot be pickled
            self._broken = True
            return Pending(None)
        self._sent += 1
        return Pending(self, self._sent - 1)

    def _receive(self, number: int) -> Any:
        if self._broken:
            raise HelperFailed("the helper process ended")
        if number < self._received:
            raise HelperFailed("a later answer was read first")
        try:
            while True:  # answers to requests whose result nobody asked for are skipped
                ok, value = self._answers.recv()
                self._received += 1
                if self._received > number:
                    break
        except Exception as exc:  # EOFError when it died (killed, out of memory), or unpickling
            self._broken = True
            raise HelperFailed(f"the helper process ended ({type(exc).__name__})") from None
        if not ok:
            raise HelperFailed(value)
        return value

    def close(self, *, kill: bool = False) -> None:
        """Ask the helper to end (or end it at once with ``kill``) and wait for it. A helper with
        work whose answer nobody will read is ended at once rather than waited for."""
        kill = kill or self._broken or self._sent > self._received
        if not kill:
            try:
                with _sigpipe_ignored():
                    self._requests.send(None)
            except Exception:
                kill = True
        self._requests.close()
        self._answers.close()
        self._proc.join(timeout=None if not kill else 0)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()


def offload(helper: Helper | None, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """``fn(*args)`` sent to ``helper``, or done here at once without one; call what is returned
    for the result, which is computed here after all if the helper could not give it."""
    if helper is None:
        value = fn(*args)
        return lambda: value
    pending = helper.run(fn, *args)

    def result() -> Any:
        try:
            return pending.result()
        except HelperFailed:
            return fn(*args)

    return result


def start(size: int) -> Helper | None:
    """A helper process for an export of ``size`` bytes, or None when it is not worth one or
    cannot be started (no second CPU, a small export, SCREENER_WORKERS=1, no processes)."""
    if not wanted(size):
        return None
    try:
        return Helper()
    except Exception:  # e.g. no /dev/shm, a process limit, a sandbox: score in this process
        return None


@contextmanager
def helper_for(size: int) -> Iterator[Helper | None]:
    """``start(size)``, closed at the end of the block (at once if the block raised)."""
    helper = start(size)
    try:
        yield helper
    except BaseException:
        if helper is not None:
            helper.close(kill=True)
        raise
    if helper is not None:
        helper.close()


class Packed:
    """An array of strings sent as its distinct values and int32 codes: answers and evidence
    repeat a lot, and pickling one object per row is what costs (100k rows: 1.0 s -> 0.26 s)."""

    def __init__(self, codes: Any, uniques: Any) -> None:
        self.codes, self.uniques = codes, uniques


def pack(values: Any) -> Any:
    """``values`` ready to send: an object array without missing values becomes ``Packed``."""
    import numpy as np
    import pandas as pd

    if not isinstance(values, np.ndarray) or values.dtype != object or len(values) == 0:
        return values
    if pd.api.types.infer_dtype(values, skipna=False) != "string":  # only str: factorize would merge
        return values  # None with NaN, and 1 with 1.0 and True
    codes, uniques = pd.factorize(values)
    return Packed(codes.astype(np.int32), np.asarray(uniques, dtype=object))


def unpack(value: Any) -> Any:
    """What ``pack`` was given (an equal array)."""
    return value.uniques[value.codes] if isinstance(value, Packed) else value


def _serve(requests: Any, answers: Any) -> None:
    """The helper: answer requests in order until told to stop or the main process is gone."""
    import queue
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked at start (see Helper)
    waiting: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                request = requests.recv()
            except Exception:  # EOFError: the main process closed its end or is gone
                request = None
            waiting.put(request)
            if request is None:
                return

    threading.Thread(target=read, name="requests", daemon=True).start()
    import screener.core.scoring  # noqa: F401  imported now, while the main process reads the export

    while True:
        request = waiting.get()
        if request is None:
            return
        fn, args = request
        del request
        try:
            hooks.helper_request()
            answer: tuple[bool, Any] = (True, fn(*args))
            hooks.helper_answered()
        except Exception as exc:
            answer = (False, f"{type(exc).__name__}: {exc}")
        del fn, args
        try:
            answers.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the answer could not be pickled
            try:
                answers.send((False, f"{type(exc).__name__}: {exc}"))
            except (EOFError, OSError):
                return
        del answer
