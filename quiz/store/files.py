"""What a file named as a database is before SQLite opens it, and the half-written files quiz makes beside it."""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from quiz.store.errors import StoreCorrupt, StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: a half-written file is then swept only by its name's process id
    fcntl = None  # type: ignore[assignment]

SQLITE_HEADER = b"SQLite format 3\x00"
#: O_NOFOLLOW where the system has it: a symlink planted where quiz makes a file is never followed.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def default_db_path() -> Path:
    """The database in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("quiz", appauthor=False)) / "quiz.db"


def describe_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words ("a named pipe (fifo)"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (fifo)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: str, what: str = "database file") -> None:
    """Refuse at once (StoreError) anything but a regular file: reading a pipe would wait forever."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror}") from None
    kind = describe_kind(mode)
    if kind is not None:
        raise StoreError(f"{path} is {kind}, not a {what}; choose a regular file")


def on_read_only_file_system(path: str) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def open_read_only(path: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open {path}: {err}") from None


def check_existing_file(path: str, *, need_write: bool = True) -> None:
    check_regular(path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror}") from None
    if size == 0:
        raise StoreCorrupt(
            f"{path} is an empty file (0 bytes), not a quiz database; move it away or choose another path"
        )
    if header != SQLITE_HEADER:
        raise StoreCorrupt(f"{path} is not an SQLite database; choose another path (the file was not changed)")
    if _looks_truncated(path, size):
        raise StoreCorrupt(f"{path} is damaged: the file is shorter than its own header says (truncated)")
    if not need_write:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if on_read_only_file_system(path):
        raise StoreError(f"{path} is on a read-only file system; copy it to a disk you can write to, "
                         "or choose another path")
    if not os.access(path, os.W_OK) or _immutable_for_root(path):
        raise StoreError(f"{path} is read-only; make it writable (chmod u+w) or choose another path")
    if not os.access(folder, os.W_OK):
        raise StoreError(f"the folder {folder} is not writable, and the database needs to write its journal there")


def _immutable_for_root(path: str) -> bool:
    # root passes os.access() whatever the mode bits say; a file with no write bit at all is still
    # meant to be read-only, so honour it.
    return os.geteuid() == 0 and not os.stat(path).st_mode & 0o222 if hasattr(os, "geteuid") else False


def _looks_truncated(path: str, size: int) -> bool:
    """True when the header's page count (where SQLite marks it valid) needs more bytes than the file has."""
    if size < 100:
        return True
    with open(path, "rb") as f:
        header = f.read(100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = header[24:28]
    pages = int.from_bytes(header[28:32], "big")
    valid_for = header[92:96]
    return valid_for == change_counter and pages > 0 and size < pages * page_size


# --------------------------------------------------------------------- half-written files
# A file quiz writes whole or not at all (a new database, a backup, an export) is written under a
# `.partial` name first: `.NAME.PID-TOKEN.partial` in the same folder, created with O_EXCL|O_NOFOLLOW
# (a file or symlink planted there is never opened) and flock'ed for as long as it is written.
# A process that is killed leaves it behind; the next run removes it once its writer is gone
# (`sweep_partials`), and never touches one whose writer is still alive.
_PARTIAL = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{16}\.partial(?P<suffix>-wal|-shm|-journal)?$")


class Partial:
    """A half-written file for `final` (see above); `path` is where to write, `fd` its open descriptor."""

    def __init__(self, final: str | os.PathLike[str]) -> None:
        final = os.path.abspath(final)
        self.final = final
        folder, name = os.path.split(final)
        sweep_partials(folder, name)
        for _ in range(100):
            self.path = os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(8)}.partial")
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | NOFOLLOW | os.O_CLOEXEC, 0o600)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - a hundred random names all taken
            raise FileExistsError(f"cannot find a free temporary name beside {final}")
        if fcntl is not None:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def link_into_place(self, final: str | os.PathLike[str] | None = None) -> bool:
        """Give the finished file its final name (or `final`) unless something is there already; True
        when it was put there.

        A hard link never replaces: a file another process made in the meantime stays as it is.
        """
        final = self.final if final is None else os.fspath(final)
        try:
            os.link(self.path, final, follow_symlinks=False)
        except FileExistsError:
            return False
        except OSError as err:  # a file system without hard links: check, then rename (a narrow race, not a loss)
            if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
                raise
            if os.path.lexists(final):
                return False
            os.rename(self.path, final)
        return True

    def replace_into_place(self) -> None:
        os.replace(self.path, self.final)

    def discard(self) -> None:
        """Close and remove what is left of it (and SQLite's files beside it); never raises."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        for suffix in ("", "-wal", "-shm", "-journal"):
            remove_file_quietly(self.path + suffix)

    def __enter__(self) -> Partial:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def remove_file_quietly(path: str | os.PathLike[str]) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def sweep_partials(folder: str | os.PathLike[str], name: str | None = None) -> None:
    """Remove the half-written files left in `folder` (for the final file `name`, or any) by killed processes."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        m = _PARTIAL.match(entry)
        if not m or (name is not None and m["name"] != name) or _writer_alive(int(m["pid"])):
            continue
        path = os.path.join(folder, entry)
        if m["suffix"] is None and not _unlocked(path):
            continue  # a writer in another PID namespace (a container) still holds it
        remove_file_quietly(path)


def _writer_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _unlocked(path: str) -> bool:
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return True  # a symlink or gone: removing the name follows nothing
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


@contextlib.contextmanager
def partial_for(final: str | os.PathLike[str]) -> Iterator[Partial]:
    """A `Partial` that is always discarded at the end (after a successful link or replace, only its name goes)."""
    part = Partial(final)
    try:
        yield part
    finally:
        part.discard()
