"""One review session per database file at a time: an advisory lock the OS releases if the process dies."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from quiz.errors import QuizError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: sessions then rely on SQLite's own locking alone
    fcntl = None  # type: ignore[assignment]

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SessionBusy(QuizError):
    """No review session can open: another one holds the database, or the lock file cannot be made.
    str() is the message for the user."""


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file of a database: keyed on the real file (device and inode) in the real file's folder, so a
    symlink or a hard link to the same database finds the same lock. A database not made yet: beside it."""
    real = os.path.realpath(db_path)
    try:
        found = os.stat(real)
    except OSError:
        return Path(real + ".lock")
    return Path(os.path.dirname(real)) / f".quiz-{found.st_dev}-{found.st_ino}.lock"


class SessionLock:
    """Held for as long as a review session is open on `db_path` (see `lock_path`).

    The lock is released by the OS when the process exits or is killed, so a crash never leaves a
    stale lock behind. The lock file is opened without following a symlink, and must be a regular file.
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = os.path.abspath(db_path)
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        if fcntl is None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC | NOFOLLOW, 0o600)
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise SessionBusy(f"the lock file {self.path} is a symbolic link, which quiz never follows; "
                                  "remove it and try again") from None
            raise SessionBusy(f"cannot create the lock file {self.path}: {err.strerror}; check that its folder "
                              "exists and that you can write to it") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise SessionBusy(f"cannot create the lock file {self.path}: something that is not a regular file is "
                              "in its place; remove it and try again")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = _read_pid(fd)
            os.close(fd)
            who = f" (process {other})" if other else ""
            raise SessionBusy(
                f"another quiz session is already open on {self.db_path}{who}; finish it there, "
                "or use `quiz stats` and the other commands, which work alongside it"
            ) from None
        try:  # who holds it, for the message above (a full disk here is no reason to refuse the session)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass
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
