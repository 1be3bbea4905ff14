"""Backups: a consistent copy of the database, taken, rotated, inspected and restored."""
from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from quiz.backup import DEFAULT_KEEP, backups_to_prune, new_backup_path, remove_quietly
from quiz.store.base import Part
from quiz.store.errors import StoreCorrupt, StoreError, user_error
from quiz.store.files import check_existing_file, open_read_only
from quiz.store.schema import SCHEMA_VERSION


class FileSummary(NamedTuple):
    """What a database file holds, as `inspect_file` sees it."""

    path: str
    schema_version: int
    decks: int
    cards: int
    reviews: int
    last_study_day: date | None


class Backups(Part):
    """`store.backups`: copies of this database, and bringing one back."""

    def copy_to(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent copy of the whole database (WAL included) with SQLite's backup API.

        Written to a temporary name and renamed, so `dest` is either complete or absent.
        """
        dest = Path(dest)
        partial = dest.with_name(dest.name + ".partial")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the backup folder {dest.parent}: {err.strerror}") from None
        try:
            target = sqlite3.connect(partial, isolation_level=None)
            try:
                self.store.conn.backup(target)
                # A backup is a single self-contained file: no -wal/-shm beside it, even when read.
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            os.replace(partial, dest)
        except sqlite3.Error as err:
            remove_quietly(str(partial))
            raise user_error(err, str(dest)) from None
        except OSError as err:
            remove_quietly(str(partial))
            raise StoreError(f"cannot write the backup {dest}: {err.strerror}") from None
        except BaseException:  # Ctrl-C mid-copy: no half backup left behind
            remove_quietly(str(partial))
            raise
        return dest

    def take(self, now: datetime, reason: str, *, keep: int = DEFAULT_KEEP) -> Path:
        """Take a backup into the `backups` folder beside the database and keep only the newest `keep`.

        A damaged database is refused (StoreCorrupt) so it never pushes a good backup out of the rotation.
        """
        problems = self.store.checks.integrity_problems(5, quick=True)
        if problems:
            raise StoreCorrupt(f"{self.store.path} is damaged ({' '.join(problems[0].split())})")
        dest = self.copy_to(new_backup_path(self.store.path, now, reason))
        for old in backups_to_prune(self.store.path, keep):
            remove_quietly(str(old.path))
        return dest

    def restore_from(self, source: str | os.PathLike[str]) -> None:
        """Replace this database's whole content with `source` (checked first with `inspect_file`)."""
        src = open_read_only(os.fspath(source))
        try:
            with self.store.sql_errors():
                src.backup(self.store.conn)
        finally:
            src.close()


def inspect_file(path: str | os.PathLike[str]) -> FileSummary:
    """Read-only look at a database file (a backup, say): is it a sound quiz database, and what is in it.

    Raises StoreError/StoreCorrupt with one clear line when it is not.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise StoreError(f"{path} is a folder, not a database file")
    if not os.path.exists(path):
        raise StoreError(f"{path} does not exist")
    check_existing_file(path, need_write=False)
    conn = open_read_only(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            raise StoreCorrupt(f"{path} is an SQLite database but not a quiz database")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path} was written by a newer version of quiz (schema {version}); upgrade quiz first")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise StoreCorrupt(f"{path} is damaged ({problems[0]})")
        decks, cards = conn.execute("SELECT (SELECT COUNT(*) FROM decks), (SELECT COUNT(*) FROM cards)").fetchone()
        reviews, last_day = conn.execute("SELECT COUNT(*), MAX(study_day) FROM reviews").fetchone()
    except sqlite3.Error as err:
        raise user_error(err, path) from None
    finally:
        conn.close()
    return FileSummary(path, version, decks, cards, reviews, date.fromisoformat(last_day) if last_day else None)
