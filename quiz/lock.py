"""One review session per database at a time: an advisory lock the OS releases if the process dies."""
from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: sessions then rely on SQLite's own locking alone
    fcntl = None  # type: ignore[assignment]


class SessionBusy(Exception):
    """Another review session holds the database; str() is the message for the user."""


class SessionLock:
    """Held for as long as a review session is open on `db_path` (a `.lock` file beside it).

    The lock is released by the OS when the process exits or is killed, so a crash never leaves a
    stale lock behind.
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = Path(os.path.abspath(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        if fcntl is None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = _read_pid(fd)
            os.close(fd)
            who = f" (process {other})" if other else ""
            raise SessionBusy(
                f"another quiz session is already open on {self.path.with_suffix('')}{who}; finish it there, "
                "or use `quiz stats` and the other commands, which work alongside it"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""
