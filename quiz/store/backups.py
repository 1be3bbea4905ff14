"""Backups: a consistent copy of the database, taken, rotated, inspected and restored."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from quiz.backup import DEFAULT_KEEP, backup_folder, backups_to_prune, new_backup_path, remove_quietly
from quiz.store.base import Part
from quiz.store.errors import StoreCorrupt, StoreError, user_error
from quiz.store.files import Partial, check_existing_file, open_read_only, partial_for, sweep_partials
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

        Written under a `.partial` name and renamed, so `dest` is either complete or absent.
        """
        dest = Path(dest)
        _backup_folder_ready(dest.parent)
        with self._copy(dest) as part:
            part.replace_into_place()
        return dest

    def take(self, now: datetime, reason: str, *, keep: int = DEFAULT_KEEP) -> Path:
        """Take a backup into the `backups` folder beside the database and keep only the newest `keep`
        (see `quiz.backup.backups_to_prune`: never the one just taken, nor the newest pre-restore,
        pre-import or pre-repair one).

        A damaged database is refused (StoreCorrupt) so it never pushes a good backup out of the rotation.
        """
        problems = self.store.checks.integrity_problems(5, quick=True)
        if problems:
            raise StoreCorrupt(f"{self.store.path} is damaged ({' '.join(problems[0].split())})")
        folder = backup_folder(self.store.path)
        _backup_folder_ready(folder)
        dest = new_backup_path(self.store.path, now, reason)
        with self._copy(dest) as part:
            # The next number in the sequence, taken without replacing: another process may have
            # taken this one meanwhile.
            while not part.link_into_place(dest):
                dest = new_backup_path(self.store.path, now, reason)
        for old in backups_to_prune(self.store.path, keep, just_taken=dest):
            remove_quietly(str(old.path))
        return dest

    @contextmanager
    def _copy(self, dest: Path) -> Iterator[Partial]:
        """The database copied into a `.partial` file beside `dest`, synced; removed at the end unless placed."""
        try:
            with partial_for(dest) as part:
                target = sqlite3.connect(part.path, isolation_level=None)
                try:
                    self.store.conn.backup(target)
                    # A backup is a single self-contained file: no -wal/-shm beside it, even when read.
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
                os.fsync(part.fd)
                yield part
        except sqlite3.Error as err:
            raise user_error(err, str(dest)) from None
        except OSError as err:
            raise StoreError(f"cannot write the backup {dest}: {err.strerror or err}") from None

    def restore_from(self, fresh: str | os.PathLike[str]) -> None:
        """Replace this database's whole content with the database `fresh` (built by
        `quiz.store.restore.fresh_copy`: never a user's file as it is), in one step of SQLite's backup API."""
        src = sqlite3.connect(os.fspath(fresh), isolation_level=None)
        try:
            with self.store.sql_errors():
                # The backup API cannot change the page size of a database in WAL mode: match it first.
                page_size = self.store.conn.execute("PRAGMA page_size").fetchone()[0]
                if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    src.execute(f"PRAGMA page_size = {int(page_size)}")
                    src.execute("VACUUM")
                src.backup(self.store.conn)
                if self.store.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.store.conn.execute("PRAGMA journal_mode = WAL")
        finally:
            src.close()


def _backup_folder_ready(folder: Path) -> None:
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise StoreError(f"{folder} is a file, but quiz keeps the database's backups in a folder of that name; "
                         "move that file away (or rename it) and try again")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create the backup folder {folder}: {err.strerror}") from None
    sweep_partials(folder)  # what a killed backup left


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
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in ("decks", "cards", "reviews") if t not in tables]
        if missing:  # (a view of that name could be endless)
            raise StoreCorrupt(f"{path} has no {missing[0]} table; it is not a quiz database")
        decks, cards = conn.execute("SELECT (SELECT COUNT(*) FROM decks), (SELECT COUNT(*) FROM cards)").fetchone()
        reviews, last_day = conn.execute("SELECT COUNT(*), MAX(study_day) FROM reviews").fetchone()
    except sqlite3.Error as err:
        raise user_error(err, path) from None
    finally:
        conn.close()
    return FileSummary(path, version, decks, cards, reviews, date.fromisoformat(last_day) if last_day else None)
