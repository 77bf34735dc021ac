"""The project lock: one writing task at a time, so no run loses another's work.

An exclusive POSIX record lock (`lockf`) on `<root>/.pipeline.lock`. The kernel
releases it when its holder exits, even by kill -9, so a stale lock is taken over
at once. The file records who holds it: a waiting task can say what it waits for,
and a holder that died without finishing is noticed, and its half-written
temporary files are removed before anything else runs.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import BUILD_DIR, LOCALES_DIR
from .errors import ConfigError, ProjectBusy
from .fileio import remove_partial_files

LOCK_FILE = ".pipeline.lock"
DEFAULT_TIMEOUT = 600.0
TIMEOUT_VARIABLE = "LEAFLET_LOCK_TIMEOUT"
_POLL = 0.1


@dataclass(frozen=True)
class Holder:
    task: str
    pid: int
    started: str             # local time, ISO 8601, seconds

    def __str__(self) -> str:
        return f"the {self.task} started at {self.started} (process {self.pid})"


@contextmanager
def project_lock(root: Path | str, task: str, *, timeout: float = DEFAULT_TIMEOUT,
                 on_wait: Callable[[Holder | None], None] = lambda holder: None,
                 on_takeover: Callable[[Holder, list[Path]], None] = lambda holder, removed: None,
                 ) -> Iterator[Holder]:
    """Hold the project lock for `task`; wait up to `timeout` seconds for another holder.

    Once the lock is taken no other writer can be running, so the partial files that
    killed runs left are removed; `on_takeover` hears of a holder that died."""
    root = Path(root)
    path = root / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _try_lock(descriptor):
            on_wait(_read_holder(descriptor))
            deadline = time.monotonic() + timeout
            while not _try_lock(descriptor):
                if time.monotonic() >= deadline:
                    holder = _read_holder(descriptor) or "another task"
                    raise ProjectBusy(f"gave up after {timeout:g} s waiting for {holder}", path=path,
                                      hint=f"try again when it has finished, or set {TIMEOUT_VARIABLE} "
                                      "to wait longer")
                time.sleep(_POLL)
        dead = _read_holder(descriptor)            # still recorded: its run never finished
        removed = remove_partial_files(root / LOCALES_DIR, root / BUILD_DIR)
        if dead is not None:
            on_takeover(dead, removed)
        holder = Holder(task, os.getpid(), dt.datetime.now().isoformat(timespec="seconds"))
        _write_holder(descriptor, holder)
        try:
            yield holder
        finally:
            _write_holder(descriptor, None)
    finally:
        os.close(descriptor)                       # closing releases the lock


def timeout_from(environ) -> float:
    """The wait allowed by LEAFLET_LOCK_TIMEOUT (seconds), or the default."""
    value = environ.get(TIMEOUT_VARIABLE, "")
    try:
        timeout = float(value) if value else DEFAULT_TIMEOUT
    except ValueError:
        timeout = -1.0
    if not timeout >= 0:
        raise ConfigError(f"{TIMEOUT_VARIABLE}={value!r} is not a number of seconds",
                          hint=f"set it to e.g. 600, or unset it for {DEFAULT_TIMEOUT:.0f}")
    return timeout


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


def _read_holder(descriptor: int) -> Holder | None:
    try:
        return Holder(**json.loads(os.pread(descriptor, 4096, 0) or b"null"))
    except (ValueError, TypeError):        # empty, or caught half-written
        return None


def _write_holder(descriptor: int, holder: Holder | None) -> None:
    data = json.dumps(asdict(holder)).encode() if holder else b""
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, data, 0)
