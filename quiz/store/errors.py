"""The store's errors, and how an SQLite error becomes one line a user can act on."""
from __future__ import annotations

import sqlite3

from quiz.errors import QuizError


class StoreError(QuizError):
    """A problem with the database a user can fix; `str()` is one clear line for them."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The file is not a readable quiz database."""


def user_error(err: sqlite3.Error, path: str) -> StoreError:
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreBusy(f"{path} is busy: another quiz session is writing to it; finish that session and try again")
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return StoreError(f"the disk holding {path} is full; nothing was saved from the last step — free some space and try again")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return StoreCorrupt(f"{path} is damaged ({text}); run `quiz check` and restore a backup with `quiz restore`")
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreError(f"{path} is read-only; make it writable or choose another path")
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return StoreError(f"cannot read or write {path} ({text}); check the disk and the file's permissions")
    # Anything else is a programming error and must surface as one.
    raise err
