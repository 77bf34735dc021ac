"""Atomic file writes: a reader never sees half a file, and a crash never
destroys the previous version.

Data is written to a hidden `.<name>.<random>.partial` file beside its target,
then renamed over it. A run killed in between leaves only such a file, which no
stage reads as input and which the next writing task removes.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
# Earlier versions wrote `.<name>.<8 random characters>.tmp`; their leftovers go too.
_PARTIAL_NAME = re.compile(rf"^\..+\.(?:[^.]+{re.escape(PARTIAL_SUFFIX)}|[a-z0-9_]{{8}}\.tmp)$")
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Readers see the old bytes or the new, never a part; `durable` also waits for the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PARTIAL_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless the file already holds exactly it."""
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write_bytes(path, data)
    return True


def partial_files(*directories: Path) -> list[Path]:
    """Partial files under `directories`: each is a write that a killed run left unfinished."""
    return sorted(path for directory in directories if directory.is_dir()
                  for path in directory.rglob(".*") if _PARTIAL_NAME.match(path.name) and path.is_file())


def remove_partial_files(*directories: Path) -> list[Path]:
    """Remove what killed runs left; call it only while holding the project lock."""
    found = partial_files(*directories)
    for path in found:
        path.unlink(missing_ok=True)
    return found
