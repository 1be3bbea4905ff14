"""The Store: one SQLite connection, opened and migrated safely, with its transactions, settings and parts."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

import quiz.store.schema as schema
from quiz.store.backups import Backups
from quiz.store.cards import Cards
from quiz.store.checks import Checks
from quiz.store.decks import Decks
from quiz.store.errors import StoreCorrupt, StoreError, user_error
from quiz.store.exports import Exports
from quiz.store.figures import Figures
from quiz.store.files import check_existing_file, partial_for, sweep_partials
from quiz.store.log import ReviewLog

BUSY_TIMEOUT_MS = 5000
#: Pages the write-ahead log may hold before a commit copies it into the database (SQLite: 1,000).
WAL_CHECKPOINT_PAGES = 5000
#: The hour a study day starts (local time): answers before it count for the day before.
DEFAULT_DAY_START_HOUR = 4


class Settings(NamedTuple):
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    new_per_day: int = 10
    reviews_per_day: int = 200
    grade_scale: int = 4


SETTING_LIMITS = {"day_start_hour": (0, 23), "new_per_day": (0, 10_000), "reviews_per_day": (0, 100_000),
                  "grade_scale": (4, 6)}


class Store:
    """A quiz database. Open with `Store.open(path)`; every write is one transaction.

    Its parts: `decks` (deck text), `cards` (queues, suspend, bury), `log` (answers and day totals),
    `figures` and `exports` (progress), `checks` (`quiz check`), `backups`.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.decks = Decks(self)
        self.cards = Cards(self)
        self.log = ReviewLog(self)
        self.figures = Figures(self)
        self.exports = Exports(self)
        self.checks = Checks(self)
        self.backups = Backups(self)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create_parents: bool = False,
        migrate: bool = True,
        now: datetime | None = None,
    ) -> Store:
        """Open (creating if missing) the quiz database at `path`.

        Before migrating a database that already holds a schema, a backup is taken (named by `now`,
        which is then required).

        Raises StoreError with one clear line for anything a user can cause: a directory, a missing
        or unwritable folder, a file that is not SQLite or not a quiz database, a newer schema.
        Never changes a file it refuses.
        """
        path = os.fspath(path)
        if not path:
            raise StoreError("the database path is empty; give a file path such as ~/quiz.db, or leave --db and "
                             "QUIZ_DB unset for the default database")
        if os.path.isdir(path):
            raise StoreError(f"{path} is a folder, not a database file; give a file path such as {os.path.join(path, 'quiz.db')}")
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.islink(path) and not os.path.exists(path):
            raise StoreError(f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
                             "remove the link or choose another path")
        if not os.path.lexists(path):
            if create_parents:
                try:
                    os.makedirs(folder, exist_ok=True)
                except OSError as err:
                    raise StoreError(f"cannot create the folder {folder} for the database: {err.strerror}") from None
            if not os.path.isdir(folder):
                raise StoreError(f"cannot create {path}: the folder {folder} does not exist; create it or choose another path")
            if not os.access(folder, os.W_OK):
                raise StoreError(f"cannot create {path}: the folder {folder} is not writable; choose another path")
            _create(path)
        sweep_partials(folder, os.path.basename(path))  # what a killed first start or backup left here
        check_existing_file(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open {path}: {err}") from None
        store = cls(conn, path)
        try:
            store._configure_and_migrate(migrate, now=now)
        except BaseException:
            conn.close()  # never remove the file: another process may be using the database it holds
            raise
        return store

    def _configure_and_migrate(self, migrate: bool, now: datetime | None) -> None:
        with self.sql_errors():
            version = schema.user_version(self.conn)
            if version > schema.SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer version of quiz (schema {version}, this one knows "
                    f"{schema.SCHEMA_VERSION}); install the newer quiz (`pipx install --force .` in its folder; see the README)"
                )
            if version == 0:
                tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                if tables:
                    raise StoreCorrupt(
                        f"{self.path} is an SQLite database but not a quiz database; choose another path"
                    )
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":  # a database written by another program, or an old quiz
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"cannot use write-ahead logging on {self.path} (journal mode {mode})")
            # FULL: every commit is on the disk (the log fsync'd) before it returns, so an answer
            # the screen has moved past survives a power cut, not only a crash.
            self.conn.execute("PRAGMA synchronous = FULL")
            # An answer adds ~9 pages to the log; SQLite's default checkpoint every 1,000 pages made one
            # answer in ~110 wait 12-18 ms while the log was copied into the database (a frame missed).
            # At WAL_CHECKPOINT_PAGES a whole day's session (200 reviews and the new cards) fits in the
            # log, which is copied in when the last connection closes (docs/performance.md).
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            if migrate and schema.pending(self.conn):
                if version > 0:
                    if now is None:
                        raise ValueError("Store.open needs `now` to back up a database before migrating it")
                    self.backups.take(now, "pre-migration")
                schema.migrate(self.conn)

    def pending_migrations(self) -> list[str]:
        with self.sql_errors():
            return schema.pending(self.conn)

    def schema_version(self) -> int:
        with self.sql_errors():
            return schema.user_version(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- transactions
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One `BEGIN IMMEDIATE` transaction: everything inside commits together, or nothing does.

        Nested calls join the outer transaction.
        """
        with self.sql_errors():
            if self.conn.in_transaction:
                yield self
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    @contextmanager
    def read_snapshot(self) -> Iterator[Store]:
        """Every query inside sees the database as one moment (a deferred read transaction), so
        figures computed by several queries agree even while another session answers cards.

        Nested calls (or a call inside `transaction()`) join the outer transaction.
        """
        with self.sql_errors():
            if self.conn.in_transaction:
                yield self
                return
            self.conn.execute("BEGIN DEFERRED")
            try:
                yield self
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    @contextmanager
    def sql_errors(self) -> Iterator[None]:
        """Turn an SQLite error a user can cause (busy, full, damaged, read-only) into a StoreError."""
        try:
            yield
        except sqlite3.Error as err:
            raise user_error(err, self.path) from None

    # ----------------------------------------------------------------- settings
    def settings(self) -> Settings:
        with self.sql_errors():
            rows = dict(self.conn.execute("SELECT key, value FROM settings").fetchall())
        values = {}
        for name in SETTING_LIMITS:
            if name in rows:
                try:
                    values[name] = int(rows[name])
                except ValueError:
                    continue
        return Settings(**values)

    def set_setting(self, name: str, value: int) -> None:
        if name not in SETTING_LIMITS:
            raise ValueError(f"unknown setting {name!r}; known: {', '.join(SETTING_LIMITS)}")
        low, high = SETTING_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}")
        self._put(name, str(value))

    def get_flag(self, name: str) -> str | None:
        """A free-form stored value (e.g. the last day the reminder was shown)."""
        with self.sql_errors():
            row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (f"flag:{name}",)).fetchone()
        return row[0] if row else None

    def set_flag(self, name: str, value: str) -> None:
        self._put(f"flag:{name}", value)

    def _put(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _create(path: str) -> None:
    """Build a new, whole database at `path`: migrated and in WAL mode under a `.partial` name, then linked
    into place. The path is therefore never half made: a first start killed at any moment leaves nothing
    there (the next start begins again), and when several processes create it at once one link wins and
    the others open the database it holds. No file that another process made is ever removed.
    """
    try:
        with partial_for(path) as part:
            conn = sqlite3.connect(part.path, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = OFF")  # nobody sees this file yet: one fsync below will do
                schema.migrate(conn)
            finally:
                conn.close()  # before the partial's own descriptor: SQLite's locks live per process
            os.fsync(part.fd)  # whole on the disk before it has its name
            part.link_into_place()
    except sqlite3.Error as err:
        raise user_error(err, path) from None
    except OSError as err:
        raise StoreError(f"cannot create {path}: {err.strerror or err}") from None
