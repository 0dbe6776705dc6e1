"""Shared helpers: run the installed CLI the way a user does, on real files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screener.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "sample_data"
RUBRIC = ROOT / "rubrics" / "technical-project-manager.yaml"
HARNESS = Path(__file__).resolve().parent / "harness.py"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run a screener command in-process (Typer's runner), stdout and stderr kept apart."""
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed ``screener`` executable as a separate process."""
    exe = Path(sys.executable).parent / "screener"
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def start_harness(*args: str, faults: tuple[str, ...] = (), cwd: Path | None = None,
                  env: dict[str, str] | None = None, new_session: bool = False) -> subprocess.Popen[str]:
    """``screener ARGS`` as a real process with ``faults`` (harness.py options) installed; its
    standard input is a pipe: close it to let a paused process go on."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.Popen([sys.executable, str(HARNESS), *faults, "--", *map(str, args)], cwd=cwd, env=full_env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=new_session)


def under_a_terminal(*args: object, env: dict[str, str | None] | None = None) -> bytes:
    """Run the installed ``screener`` with a pseudo-terminal as stdin, stdout and stderr, and
    every byte it wrote there; it must exit 0. ``env`` is laid over NO_COLOR=1 and COLUMNS=200
    (None removes a variable)."""
    import pty

    exe = str(Path(sys.executable).parent / "screener")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is all it has
        for name, value in {"NO_COLOR": "1", "COLUMNS": "200", **(env or {})}.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        os.execv(exe, [exe, *map(str, args)])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return out


class Terminal:
    """``python tests/harness.py FAULTS -- ARGS`` (``screener ARGS`` with faults installed) with a
    pseudo-terminal as stdin, stdout and stderr: read what it writes until something appears,
    type to it (a paused run goes on at end-of-file, Ctrl-D), and see it end."""

    def __init__(self, *args: object, faults: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        import pty

        argv = [sys.executable, str(HARNESS), *faults, "--", *map(str, args)]
        self.out = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the terminal is all it has
            os.environ.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
            os.execv(argv[0], argv)

    def read_until(self, done: Callable[[bytes], object], what: str, seconds: float = 60) -> bytes:
        """Everything written so far, once ``done(everything)`` is true; fail naming ``what`` if
        it is not within ``seconds`` or the process closes the terminal first."""
        import select

        deadline = time.monotonic() + seconds
        while not done(self.out):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0] or not self._read():
                pytest.fail(f"waited for {what}; the terminal shows:\n{self.out[-3000:]!r}")
        return self.out

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def end(self) -> bytes:
        """Everything written, once the process has ended; it must exit 0."""
        while self._read():
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        assert os.waitstatus_to_exitcode(status) == 0, self.out[-3000:]
        return self.out

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.out += chunk
        return bool(chunk)


def wait_for(ready: Callable[[], object], what: str, seconds: float = 60) -> None:
    """Poll ``ready`` until it is true; fail naming ``what`` after ``seconds`` (never a timed pause)."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.02)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder with the bundled rubric given explicitly by the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCREENER_RUBRIC", str(RUBRIC))
    return tmp_path


@pytest.fixture(autouse=True)
def _audit_log_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Outside a project the audit log goes to the user's data folder; tests keep theirs apart."""
    path = tmp_path_factory.mktemp("audit") / "screener-audit.jsonl"
    monkeypatch.setenv("SCREENER_AUDIT_LOG", str(path))
    # The user-level blind secret (platformdirs) goes to a temporary data folder too.
    monkeypatch.setenv("XDG_DATA_HOME", str(path.parent / "data"))
    return path
