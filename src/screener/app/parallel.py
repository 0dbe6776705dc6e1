"""A second process for scoring large exports, on ``concurrent.futures.ProcessPoolExecutor``.

Scoring is mostly Python code, so threads cannot use a second core (the GIL). When the export
is large and this process may use two CPUs or more, ``helper_for`` starts a pool of one worker
process; its ``submit`` is what the core takes (``screener.core.packed.Submit``): scoring hands
it the criteria that read free text (keywords, text quality) and does the rest meanwhile; the
streamed score hands it each piece's text keys; a nightly run with much to score, its free-text
criteria, and on a first run duplicate grouping over everyone.

The worker is a fresh interpreter (the "spawn" start method: nothing is forked from a process
that may hold threads or locks), started before the export is read so that its imports overlap
the reading. It is an optimisation only: if it cannot be started, dies (``BrokenProcessPool``),
or fails, the work is done in this process and the result is the same (the tests compare
outputs byte for byte with and without it). It ignores Ctrl-C, which this process handles, and
is ended when the block using it ends, at once if the block raised.

Progress from the worker: work submitted with ``report=`` (the scoring's free-text criteria)
says each step it finishes (a criterion id) as it goes, so that the progress bar moves while
the worker scores, not all at once when its result comes back. The worker writes each step to
a pipe given to it when it starts (a one-way ``multiprocessing.Pipe``: tiny messages, each one
write, so a worker killed mid-way leaves no half message); a thread of this process reads the
pipe and calls the ``report`` given to ``submit``. A thread, because this process is busy
meanwhile (grouping duplicates, which takes longer than the worker's criteria on 100k rows) and
could not read the pipe itself until it asks for the result. The thread ends when the pipe
closes, that is when the worker has ended and ``close`` has closed this process's copy of the
writing end. The alternative, one task per criterion with the worker keeping the token
indexes between them, would change what is sent and how a dead worker's work is redone here;
this way the work is still one task, sent once, redone here whole if it fails, and the pipe only
carries progress.

Environment:
  SCREENER_WORKERS         1 turns the helper off; 2 allows it (the default when this process
                           may run on two CPUs or more)
  SCREENER_PARALLEL_BYTES  exports smaller than this are scored in one process
                           (default 8 MiB, about 6,000 applicants with cover letters)
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
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


_reports: Connection | None = None  # in the worker: where ``_reporting`` writes the steps done


def _worker_ready(reports: Connection | None = None) -> None:
    """In the worker, first: Ctrl-C is the main process's to handle (see ``_sigint_held``), and
    the worker ends when the main process does, however it ends (a pool's worker would
    otherwise wait for work forever once its parent is killed). ``reports``: the writing end
    of the pipe that ``_reporting`` tells the main process the steps done through."""
    global _reports
    _reports = reports
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_end_with_parent, name="screener-parent-watch", daemon=True).start()
    # Once the pool lets it go, the worker ends without freeing what it holds object by object
    # (word lists, stemmers, the last task's leftovers): the main process waits for that end,
    # which took 0.1 s of a 100k-applicant score. Exit handlers run last registered first, so
    # this one skips those registered before it: multiprocessing's, whose work (finalizers, its
    # threads joined, the standard streams flushed) its process bootstrap has done already.
    atexit.register(os._exit, 0)


def _end_with_parent() -> None:
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()  # returns when the main process has ended
        os._exit(0)


def _reporting(token: int, fn: Callable[..., Any], *args: Any) -> Any:
    """In the worker: ``fn(*args, report=...)``, each step it reports written to the main process
    as ``(token, step)``, then ``(token, None)``: nothing more of this task follows. That last
    one is written before the result is returned, so a result the main process receives means
    all its steps are in the pipe; when a step cannot be written the task fails, and the main
    process does the work itself."""
    pipe = _reports
    if pipe is None:
        raise RuntimeError("the worker has no pipe to report progress through")

    def report(step: str) -> None:
        pipe.send((token, step))

    try:
        return fn(*args, report=report)
    finally:
        pipe.send((token, None))


def _warm_up(languages: tuple[str, ...]) -> None:
    """The worker's first task, while the main process reads the export: import scoring and
    read the word lists and stemmers of the rubric's ``languages``."""
    from screener.core import scoring

    scoring.prepare(languages)


class Helper:
    """One worker process. ``submit(fn, *args)`` sends ``fn(*args)`` (a module-level function and
    picklable arguments) to it and returns what to call for the result, which is computed in
    this process instead if the worker could not give it. ``submit(fn, *args, report=r)``
    calls ``fn(*args, report=...)`` there, and each step it reports reaches ``r`` here as it is
    made (on the thread reading the pipe), all of them before the result is returned."""

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
        spawn = multiprocessing.get_context("spawn")
        # Steps done, from the worker (see the module's docstring); this process keeps its copy
        # of the writing end until the worker has ended (``close``), so that the worker can be
        # started at any time, and the reading thread sees the pipe close only then.
        self._reports, self._sending = spawn.Pipe(duplex=False)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=_worker_ready,
                                         initargs=(self._sending,))
        # Work whose result has not been asked for yet; a result asked for is not kept here (the
        # streamed score sends dozens of pieces, and their results would pile up).
        self._unread: set[Future[Any]] = set()
        # Work that reports steps, by token: whom to tell, and set when its last step is told.
        self._told: dict[int, tuple[Callable[[str], None], threading.Event]] = {}
        self._tokens = itertools.count()
        self._lock = threading.Lock()  # held while a step is told, and to add or drop a token
        self._listening = False
        self._listener: threading.Thread | None = None
        self._sigpipe: Any = None
        try:
            if hasattr(signal, "SIGPIPE") and threading.current_thread() is threading.main_thread():
                self._sigpipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            with _STARTING, _sigint_held(), _main_module_hidden():
                self._pool.submit(_warm_up, languages)  # the first task starts the process, here and now
            self._listening = True
            self._listener = threading.Thread(target=self._listen, name="screener-helper-progress", daemon=True)
            self._listener.start()
        except BaseException:  # could not start, or Ctrl-C (delivered when the block ended)
            self.close(kill=True)
            raise

    def submit(self, fn: Callable[..., Any], *args: Any,
               report: Callable[[str], None] | None = None) -> Callable[[], Any]:
        if report is not None:
            token, told = next(self._tokens), threading.Event()
            with self._lock:
                listening = self._listening
                if listening:
                    self._told[token] = (report, told)
            if listening:
                return self._submit(_reporting, (token, fn, *args), (token, told, fn, args, report))
        # No steps told as they are made (nobody reads the pipe): the caller tells them at the end.
        return self._submit(fn, args, None)

    def _submit(self, task: Callable[..., Any], args: tuple[Any, ...],
                reporting: tuple[int, threading.Event, Callable[..., Any], tuple[Any, ...],
                                 Callable[[str], None]] | None) -> Callable[[], Any]:
        """``task(*args)`` sent to the worker; with ``reporting`` (token, its event, and the work
        and ``report`` that ``_reporting`` runs), redone here with ``report`` if it fails."""

        def here() -> Any:
            if reporting is None:
                return task(*args)
            token, _told, fn, fn_args, report = reporting
            self._forget(token)  # no step of it is told from the pipe any more: told from here
            return fn(*fn_args, report=report)

        try:
            future = self._pool.submit(task, *args)
        except Exception:  # the pool is broken (the worker died) or shut down
            return run_here(here)
        self._unread.add(future)

        def result() -> Any:
            self._unread.discard(future)
            try:
                value = future.result()
            except Exception:  # BrokenProcessPool, unpicklable, or it raised there: do it here
                return here()
            if reporting is not None:
                reporting[1].wait()  # its last step was written before its result: being told
                self._forget(reporting[0])
            return value

        return result

    def _forget(self, token: int) -> None:
        """Tell no more steps of ``token`` (waits for one being told)."""
        with self._lock:
            self._told.pop(token, None)

    def _listen(self) -> None:
        """The thread telling the steps the worker reports, until the pipe closes."""
        try:
            while True:
                try:
                    token, step = self._reports.recv()
                except (EOFError, OSError):  # closed: the worker has ended, and close() was called
                    return
                except Exception:  # a message that cannot be read (each is whole): skipped
                    continue
                with self._lock:
                    found = self._told.get(token)
                    if found is None:  # its result came another way, or will not be asked for
                        continue
                    if step is None:
                        found[1].set()
                        continue
                    # Progress is only shown: trouble showing it (a closed terminal) is met again,
                    # and reported, by this process's own steps.
                    with suppress(Exception):
                        found[0](step)
        finally:
            with self._lock:
                self._listening = False
                for _report, told in self._told.values():
                    told.set()  # nothing more will be told: nobody waits for it

    def close(self, *, kill: bool = False) -> None:
        """End the worker and wait for it: at once with ``kill``, or when it still has work
        whose result nobody will read."""
        if self._sending.closed:  # closed already (a caller done with it early, then its block)
            return
        kill = kill or not all(f.done() for f in self._unread)
        if kill:
            self._pool.shutdown(wait=False, cancel_futures=True)
            # ProcessPoolExecutor has no public way to end a busy worker before Python 3.14
            # (terminate_workers); its processes are kept in _processes.
            for proc in list((getattr(self._pool, "_processes", None) or {}).values()):
                proc.kill()
        self._pool.shutdown(wait=True)
        # The worker has ended: with this process's copy of the writing end closed, the pipe
        # closes and the thread reading it ends.
        self._sending.close()
        if self._listener is not None:
            self._listener.join()
            self._listener = None
        self._reports.close()
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
