"""What a file named as a database is before SQLite opens it: checked by its bytes, never trusted."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from quiz.store.errors import StoreCorrupt, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """The database in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("quiz", appauthor=False)) / "quiz.db"


def open_read_only(path: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open {path}: {err}") from None


def check_existing_file(path: str, *, need_write: bool = True) -> None:
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
    if not os.access(path, os.W_OK) or _immutable_for_root(path):
        raise StoreError(f"{path} is read-only; make it writable (chmod u+w) or choose another path")
    folder = os.path.dirname(os.path.abspath(path))
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
