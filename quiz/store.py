"""The only module that speaks SQL: schema, migrations, transactions, queries (over sqlite-utils)."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from quiz.backup import DEFAULT_KEEP, backups_to_prune, new_backup_path, remove_quietly
from quiz.days import add_days
from quiz.errors import QuizError
from quiz.models import Card, CardState, CardType, Deck, DueCard, ReviewKind, ReviewRecord
from quiz.sm2 import DRILL_UNTIL_GRADE, INITIAL_EASINESS_CENTI, PASSING_GRADE, Grade, Sm2State, step

if TYPE_CHECKING:  # pragma: no cover
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

#: Bumped by every migration; a database with a higher number was written by a newer quiz.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(QuizError):
    """A problem with the database a user can fix; `str()` is one clear line for them."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The file is not a readable quiz database."""


class Settings(NamedTuple):
    day_start_hour: int = 4
    new_per_day: int = 10
    reviews_per_day: int = 200


SETTING_LIMITS = {"day_start_hour": (0, 23), "new_per_day": (0, 10_000), "reviews_per_day": (0, 100_000)}


@dataclass
class ImportReport:
    """What one deck import did, by card id."""

    deck_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deck_changed: bool = False

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.restored or self.deck_changed)


class DeckSummary(NamedTuple):
    id: str
    title: str
    description: str
    total: int  # active (not retired) cards
    new: int
    due: int  # reviews due today or earlier (not new, not suspended, not buried)
    learned: int  # reviewed at least once and currently passed (repetitions > 0)
    suspended: int


class FileSummary(NamedTuple):
    """What a database file holds, as `Store.inspect_file` sees it."""

    path: str
    schema_version: int
    decks: int
    cards: int
    reviews: int
    last_study_day: date | None


class DayTotals(NamedTuple):
    study_day: date
    reviews: int = 0  # scheduled answers (drills not counted)
    new_cards: int = 0  # of those, first answers to new cards
    passed: int = 0  # scheduled answers graded >= 3
    drills: int = 0
    time_ms: int = 0


# sqlite-utils applies the migrations, but it is imported only when one is pending (or listed):
# importing it and creating its Database (which scans installed plugins) takes ~55 ms, about a
# fifth of `quiz review`'s start (bench/bench_review.py). An up-to-date database is recognised with
# one query (Store._migrations_pending). `migrations` is still this module's sqlite-utils
# Migrations set: reading the attribute builds it.
MIGRATION_SET = "quiz"
_MIGRATIONS: list[tuple[str, object]] = []  # (name, function), in order
_migration_set: Migrations | None = None


def _migration(name: str):
    def register(fn):
        _MIGRATIONS.append((name, fn))
        return fn
    return register


def _migrations() -> Migrations:
    """The sqlite-utils Migrations set, with every migration above registered (imports sqlite-utils)."""
    global _migration_set
    if _migration_set is None:
        from sqlite_utils.migrations import Migrations

        _migration_set = Migrations(MIGRATION_SET)
        for name, fn in _MIGRATIONS:
            _migration_set(name=name)(fn)
    return _migration_set


def __getattr__(name: str):
    if name == "migrations":
        return _migrations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@_migration("0001_initial")
def _m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE decks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            sources TEXT NOT NULL DEFAULT '{}',
            reminder TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE cards (
            id TEXT PRIMARY KEY,
            deck_id TEXT NOT NULL REFERENCES decks(id),
            card_key TEXT NOT NULL,
            gap INTEGER,
            type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            choices TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            explanation TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            added_on TEXT NOT NULL
        );
        CREATE INDEX cards_by_deck ON cards(deck_id, retired, position);
        CREATE TABLE card_state (
            card_id TEXT PRIMARY KEY REFERENCES cards(id),
            repetitions INTEGER NOT NULL DEFAULT 0,
            easiness_centi INTEGER NOT NULL DEFAULT 250,
            interval_days INTEGER NOT NULL DEFAULT 0,
            due_on TEXT,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT
        );
        CREATE INDEX card_state_due_queue ON card_state(due_on, card_id) WHERE due_on IS NOT NULL AND suspended = 0;
        CREATE INDEX card_state_new_queue ON card_state(card_id) WHERE due_on IS NULL AND suspended = 0;
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL REFERENCES cards(id),
            reviewed_at TEXT NOT NULL,
            study_day TEXT NOT NULL,
            quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
            kind TEXT NOT NULL CHECK (kind IN ('review', 'drill')),
            answer_ms INTEGER NOT NULL,
            reps_before INTEGER NOT NULL,
            easiness_before INTEGER NOT NULL,
            interval_before INTEGER NOT NULL,
            due_before TEXT,
            lapses_before INTEGER NOT NULL,
            reps_after INTEGER NOT NULL,
            easiness_after INTEGER NOT NULL,
            interval_after INTEGER NOT NULL,
            due_after TEXT,
            lapses_after INTEGER NOT NULL
        );
        CREATE INDEX reviews_by_day ON reviews(study_day, kind);
        CREATE INDEX reviews_by_card ON reviews(card_id, id);
        -- One row per study day, kept with every answer so streaks and stats never scan the log.
        CREATE TABLE day_totals (
            study_day TEXT PRIMARY KEY,
            reviews INTEGER NOT NULL DEFAULT 0,
            new_cards INTEGER NOT NULL DEFAULT 0,
            passed INTEGER NOT NULL DEFAULT 0,
            drills INTEGER NOT NULL DEFAULT 0,
            time_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    # user_version is written in the migration's transaction, so it moves with the schema or not at all.
    db.execute("PRAGMA user_version = 1")


@_migration("0002_stats_indexes")
def _m0002_stats_indexes(db: Database) -> None:
    # Progress figures on 100k cards within 150 ms (bench/bench_stats.py): the deck and retired flag
    # of a card without reading its text, and the hardest cards without sorting every card.
    # One execute per statement: executescript() would COMMIT the migration's transaction first.
    db.execute("CREATE INDEX cards_deck_of_card ON cards(id, deck_id, retired)")
    db.execute("CREATE INDEX card_state_hardest ON card_state(easiness_centi, lapses DESC, card_id)"
               " WHERE due_on IS NOT NULL")
    db.execute("PRAGMA user_version = 2")


def default_db_path() -> Path:
    """The database in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("quiz", appauthor=False)) / "quiz.db"


class Store:
    """A quiz database. Open with `Store.open(path)`; every write is one transaction."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        # Answers committed with `flush=False` (counted), and how many of those a `flush` has covered.
        self._commits = self._flushed = 0
        self._flush_lock = threading.Lock()
        self._flush_error: StoreError | None = None
        self._flusher: _Flusher | None = None
        self._wal_fd: int | None = None

    @cached_property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database (built on first use; see `_migrations`)."""
        from sqlite_utils import Database

        return Database(self.conn)

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
        shown = path
        if os.path.isdir(path):
            raise StoreError(f"{shown} is a folder, not a database file; give a file path such as {os.path.join(shown, 'quiz.db')}")
        exists = os.path.exists(path)
        if exists:
            _check_existing_file(path)
        else:
            parent = os.path.dirname(os.path.abspath(path))
            if create_parents:
                try:
                    os.makedirs(parent, exist_ok=True)
                except OSError as err:
                    raise StoreError(f"cannot create the folder {parent} for the database: {err.strerror}") from None
            if not os.path.isdir(parent):
                raise StoreError(f"cannot create {shown}: the folder {parent} does not exist; create it or choose another path")
            if not os.access(parent, os.W_OK):
                raise StoreError(f"cannot create {shown}: the folder {parent} is not writable; choose another path")
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open {shown}: {err}") from None
        store = cls(conn, path)
        try:
            store._configure_and_migrate(migrate, existed=exists, now=now)
        except BaseException:
            conn.close()
            if not exists:
                for suffix in ("", "-wal", "-shm"):
                    remove_quietly(path + suffix)
            raise
        return store

    def _configure_and_migrate(self, migrate: bool, existed: bool, now: datetime | None) -> None:
        with self._translate_errors():
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer version of quiz (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade quiz with `pip install --upgrade quiz`"
                )
            if existed and version == 0:
                tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                if tables:
                    raise StoreCorrupt(
                        f"{self.path} is an SQLite database but not a quiz database; choose another path"
                    )
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":  # only a new database: an existing one is never rewritten here
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"cannot use write-ahead logging on {self.path} (journal mode {mode})")
            # FULL: an answer the screen has acknowledged survives a power cut, not only a crash.
            self.conn.execute("PRAGMA synchronous = FULL")
            if migrate and self._migrations_pending():
                if version > 0:
                    if now is None:
                        raise ValueError("Store.open needs `now` to back up a database before migrating it")
                    self.backup(now, "pre-migration")
                self._apply_migrations()

    def _apply_migrations(self) -> None:
        # Take the write lock first so two sessions starting together cannot both migrate.
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("COMMIT")
        _migrations().apply(self.db)

    def _migrations_pending(self) -> bool:
        """Whether `migrations.pending(self.db)` would list any, without loading sqlite-utils when only
        the migrations above exist (the same check: names recorded in its table for our set)."""
        if _migration_set is not None:  # built already (perhaps with more registered): ask it
            return bool(_migration_set.pending(self.db))
        table = "_sqlite_migrations"
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            return bool(_MIGRATIONS)
        applied = {r[0] for r in self.conn.execute(f"SELECT name FROM {table} WHERE migration_set = ?",
                                                   (MIGRATION_SET,))}
        return any(name not in applied for name, _ in _MIGRATIONS)

    def pending_migrations(self) -> list[str]:
        return [m.name for m in _migrations().pending(self.db)]

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        if self._flusher is not None:
            self._flusher.stop()
            self._flusher = None
        try:
            self.flush()
        except StoreError:
            pass  # committed all the same; SQLite syncs the log once more as the connection closes
        self.conn.close()
        if self._wal_fd is not None:
            os.close(self._wal_fd)
            self._wal_fd = None

    # ----------------------------------------------------------------- durability
    @property
    def unflushed(self) -> bool:
        """Whether an answer committed with `flush=False` may not be on the disk yet."""
        return self._flushed != self._commits

    def flush(self) -> None:
        """Make the answers committed with `flush=False` survive a power cut: one fsync of the
        write-ahead log (what `synchronous = FULL` does inside every commit). Waits for a flush under
        way in the background; raises the StoreError of a background flush that failed."""
        with self._flush_lock:
            error, self._flush_error = self._flush_error, None
            if error is not None:
                raise error
            target = self._commits
            if target == self._flushed:
                return
            try:
                if self._wal_fd is None:
                    self._wal_fd = os.open(self.path + "-wal", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                os.fsync(self._wal_fd)
            except FileNotFoundError:
                pass  # no log: SQLite has copied it into the database file (and synced it) already
            except OSError as err:
                raise StoreError(f"could not write {self.path} to the disk: {err.strerror or err}") from None
            self._flushed = target

    def flush_soon(self) -> None:
        """Start `flush` on a background thread and return at once (the review screen: the next card
        is drawn while the disk catches up, ~1 ms). `flush()` and `close()` wait for it."""
        if not self.unflushed:
            return
        if self._flusher is None:
            self._flusher = _Flusher(self)
        self._flusher.wake()

    def _flush_in_background(self) -> None:
        try:
            self.flush()
        except Exception as err:
            if not isinstance(err, StoreError):
                err = StoreError(f"could not write {self.path} to the disk: {err}")
            with self._flush_lock:
                self._flush_error = err  # reported by the next flush() on the caller's thread

    @contextmanager
    def _commit_unflushed(self) -> Iterator[None]:
        """The transaction inside commits without waiting for the disk (`synchronous = NORMAL`, safe in
        WAL mode: a crash or a killed program cannot lose or corrupt it, a power cut before `flush`
        can roll it back). Inside a transaction already, the outer commit decides."""
        if self.conn.in_transaction:
            yield
            return
        with self._translate_errors():
            self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
            self._commits += 1  # committed: now in the log, not yet known to be on the disk
        finally:
            with self._translate_errors():
                self.conn.execute("PRAGMA synchronous = FULL")

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
        with self._translate_errors():
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
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise _user_error(err, self.path) from None

    # ----------------------------------------------------------------- settings
    def settings(self) -> Settings:
        with self._translate_errors():
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
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (name, str(value)),
            )

    def get_flag(self, name: str) -> str | None:
        """A free-form stored value (e.g. the last day the reminder was shown)."""
        with self._translate_errors():
            row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (f"flag:{name}",)).fetchone()
        return row[0] if row else None

    def set_flag(self, name: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (f"flag:{name}", value),
            )

    # ----------------------------------------------------------------- decks
    def deck_hashes(self) -> dict[str, str]:
        """Deck id -> content hash of the file it was last imported from."""
        with self._translate_errors():
            return dict(self.conn.execute("SELECT id, content_hash FROM decks").fetchall())

    def sync_deck(self, deck: Deck, *, today: date, origin: str = "", content_hash: str = "") -> ImportReport:
        """Bring the stored deck in line with `deck`, keeping every card's history and schedule.

        Identity is the card id, never its text: an edited card keeps its schedule and is reported
        as changed; a card gone from the file is retired (history kept) and restored if it returns.
        Runs in one transaction (or joins the caller's).
        """
        report = ImportReport(deck.id)
        with self.transaction():
            row = self.conn.execute(
                "SELECT title, description, sources, reminder, position FROM decks WHERE id = ?", (deck.id,)
            ).fetchone()
            sources = json.dumps(deck.sources, ensure_ascii=False, sort_keys=True)
            if row is None:
                position = self.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM decks").fetchone()[0]
                report.deck_changed = True
            else:
                position = row[4]
                report.deck_changed = tuple(row[:4]) != (deck.title, deck.description, sources, deck.reminder)
            self.conn.execute(
                "INSERT INTO decks (id, title, description, sources, reminder, origin, content_hash, position, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
                " description = excluded.description, sources = excluded.sources, reminder = excluded.reminder,"
                " origin = excluded.origin, content_hash = excluded.content_hash, imported_at = excluded.imported_at",
                (deck.id, deck.title, deck.description, sources, deck.reminder, origin, content_hash, position,
                 today.isoformat()),
            )
            existing = {
                r[0]: (r[1], bool(r[2]), r[3])
                for r in self.conn.execute("SELECT id, content_hash, retired, position FROM cards WHERE deck_id = ?", (deck.id,))
            }
            inserts, updates, moves, states = [], [], [], []
            seen = set()
            added_on = today.isoformat()
            for position, card in enumerate(deck.cards):
                cid = card.id
                seen.add(cid)
                values = _card_values(card)
                digest = _values_hash(values)
                old = existing.get(cid)
                if old is None:
                    inserts.append((cid, deck.id, card.key, card.gap, *values, position, digest, added_on))
                    states.append((cid,))
                    report.added.append(cid)
                    continue
                old_hash, was_retired, old_position = old
                if old_hash != digest:
                    updates.append((*values, position, digest, cid))
                    report.changed.append(cid)
                elif old_position != position or was_retired:
                    moves.append((position, cid))
                    if not was_retired:
                        report.unchanged.append(cid)
                else:
                    report.unchanged.append(cid)
                if was_retired:
                    report.restored.append(cid)
            retire = [cid for cid, (_, was_retired, _) in existing.items() if cid not in seen and not was_retired]
            report.retired.extend(retire)
            columns = "type, prompt, answer, choices, tags, source, explanation"
            self.conn.executemany(
                f"INSERT INTO cards (id, deck_id, card_key, gap, {columns}, position, content_hash, added_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self.conn.executemany("INSERT INTO card_state (card_id) VALUES (?)", states)
            self.conn.executemany(
                "UPDATE cards SET type = ?, prompt = ?, answer = ?, choices = ?, tags = ?, source = ?,"
                " explanation = ?, position = ?, content_hash = ?, retired = 0 WHERE id = ?",
                updates,
            )
            self.conn.executemany("UPDATE cards SET position = ?, retired = 0 WHERE id = ?", moves)
            self.conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", [(cid,) for cid in retire])
        return report

    def deck_ids(self) -> list[str]:
        with self._translate_errors():
            return [r[0] for r in self.conn.execute("SELECT id FROM decks ORDER BY position")]

    def deck_info(self, deck_id: str) -> dict | None:
        """Title, description, sources (dict), reminder and origin of a stored deck, or None."""
        with self._translate_errors():
            row = self.conn.execute(
                "SELECT id, title, description, sources, reminder, origin FROM decks WHERE id = ?", (deck_id,)
            ).fetchone()
        if row is None:
            return None
        try:
            sources = json.loads(row[3])
        except (TypeError, ValueError):
            raise StoreCorrupt(f"{self.path} is damaged (the sources of deck {deck_id!r} cannot be read); "
                               "run `quiz check` and restore a backup with `quiz restore`") from None
        return {"id": row[0], "title": row[1], "description": row[2], "sources": sources,
                "reminder": row[4], "origin": row[5]}

    def deck_summaries(self, today: date) -> list[DeckSummary]:
        """Per deck: active cards, new, due today, learned, suspended (in deck order)."""
        day = today.isoformat()
        with self._translate_errors():
            rows = self.conn.execute(
                """
                SELECT d.id, d.title, d.description,
                       COUNT(c.id),
                       COALESCE(SUM(s.due_on IS NULL AND s.suspended = 0), 0),
                       COALESCE(SUM(s.due_on IS NOT NULL AND s.due_on <= ? AND s.suspended = 0
                                    AND (s.buried_until IS NULL OR s.buried_until <= ?)), 0),
                       COALESCE(SUM(s.repetitions > 0), 0),
                       COALESCE(SUM(s.suspended), 0)
                FROM decks d
                LEFT JOIN cards c ON c.deck_id = d.id AND c.retired = 0
                LEFT JOIN card_state s ON s.card_id = c.id
                GROUP BY d.id ORDER BY d.position
                """,
                (day, day),
            ).fetchall()
        return [DeckSummary(*r) for r in rows]

    # ----------------------------------------------------------------- the queue
    def due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200,
                    after: DueCard | None = None) -> list[DueCard]:
        """Cards already seen whose due date is today or earlier, most overdue first (by due date,
        then card id). `after`: only those that come after that card in this order (the next page)."""
        where, params = _due_filter(today, deck_id)
        if after is not None:
            where += " AND (s.due_on, s.card_id) > (?, ?)"
            params += [after.state.due_on.isoformat(), after.card.id]
        sql = _CARD_SELECT + where + " ORDER BY s.due_on, s.card_id LIMIT ?"
        with self._translate_errors():
            return [_due_card(r) for r in self.conn.execute(sql, [*params, limit])]

    def count_due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200) -> int:
        """How many cards `due_reviews(today, deck_id=…, limit=limit)` would list (counted, not read)."""
        where, params = _due_filter(today, deck_id)
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM cards c JOIN card_state s ON s.card_id = c.id{where} LIMIT ?)"
        with self._translate_errors():
            return self.conn.execute(sql, [*params, limit]).fetchone()[0]

    def new_cards(self, today: date, *, deck_id: str | None = None, limit: int = 10) -> list[DueCard]:
        """Cards never answered, in deck order then file order (not suspended, buried or retired)."""
        day = today.isoformat()
        # Read from the new-card index first: on 100,000 cards this takes under a millisecond where
        # starting at `cards` scans every card (~40 ms). CROSS JOIN fixes SQLite's join order.
        sql = _CARD_SELECT.replace("FROM cards c JOIN card_state s ON s.card_id = c.id",
                                   "FROM card_state s CROSS JOIN cards c ON c.id = s.card_id") + (
            " JOIN decks d ON d.id = c.deck_id WHERE s.due_on IS NULL AND s.suspended = 0 AND c.retired = 0"
            " AND (s.buried_until IS NULL OR s.buried_until <= ?)"
        )
        params: list = [day]
        if deck_id is not None:
            sql += " AND c.deck_id = ?"
            params.append(deck_id)
        sql += " ORDER BY d.position, c.position LIMIT ?"
        params.append(limit)
        with self._translate_errors():
            return [_due_card(r) for r in self.conn.execute(sql, params)]

    def card(self, card_id: str) -> DueCard | None:
        with self._translate_errors():
            row = self.conn.execute(_CARD_SELECT + " WHERE c.id = ?", (card_id,)).fetchone()
        return _due_card(row) if row else None

    def day_totals(self, day: date) -> DayTotals:
        with self._translate_errors():
            row = self.conn.execute(
                "SELECT reviews, new_cards, passed, drills, time_ms FROM day_totals WHERE study_day = ?",
                (day.isoformat(),),
            ).fetchone()
        return DayTotals(day, *row) if row else DayTotals(day)

    def study_days(self) -> list[date]:
        """Every study day with at least one answer, oldest first."""
        with self._translate_errors():
            rows = self.conn.execute(
                "SELECT study_day FROM day_totals WHERE reviews + drills > 0 ORDER BY study_day"
            ).fetchall()
        return [date.fromisoformat(r[0]) for r in rows]

    # ----------------------------------------------------------------- answering
    def record_answer(
        self,
        card_id: str,
        quality: int,
        *,
        kind: ReviewKind,
        reviewed_at: datetime,
        study_day: date,
        answer_ms: int,
        flush: bool = True,
    ) -> ReviewRecord:
        """Write one answer: the new schedule and its log line in one `BEGIN IMMEDIATE` transaction.

        A `ReviewKind.REVIEW` applies SM-2 and sets `due_on` to `study_day` + interval; a
        `ReviewKind.DRILL` (same-day re-drill) is logged and leaves the schedule as it is.
        With `flush=False` the commit does not wait for the disk: the answer is in the database (every
        reader sees it, and killing the program cannot lose it) and `flush()` makes it survive a power
        cut too. The review screen flushes as soon as the next card is drawn (about a millisecond).
        """
        grade = Grade(quality)
        kind = ReviewKind(kind)
        if reviewed_at.tzinfo is None:
            raise ValueError("reviewed_at must be an aware datetime")
        answer_ms = max(0, int(answer_ms))
        stamp = reviewed_at.astimezone(_UTC).isoformat(timespec="milliseconds")
        with nullcontext() if flush else self._commit_unflushed(), self.transaction():
            row = self.conn.execute(_STATE_SELECT + " WHERE card_id = ?", (card_id,)).fetchone()
            if row is None:
                raise KeyError(f"no card {card_id!r} in the store")
            before = _state(card_id, row)
            if kind is ReviewKind.REVIEW:
                sm2 = step(before.sm2, grade)
                lapses = before.lapses + (1 if grade < PASSING_GRADE and before.sm2.repetitions > 0 else 0)
                after = CardState(card_id, sm2, add_days(study_day, sm2.interval_days), lapses,
                                  before.suspended, before.buried_until)
            else:
                after = before
            cur = self.conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms,"
                " reps_before, easiness_before, interval_before, due_before, lapses_before,"
                " reps_after, easiness_after, interval_after, due_after, lapses_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (card_id, stamp, study_day.isoformat(), int(grade), kind.value, answer_ms,
                 *_state_columns(before), *_state_columns(after)),
            )
            if after is not before:
                self._write_state(after)
            self._add_day_totals(study_day, kind, grade, before.is_new, answer_ms, +1)
        return ReviewRecord(cur.lastrowid, card_id, stamp, study_day, grade, kind, answer_ms, before, after)

    def undo(self, record: ReviewRecord) -> None:
        """Take back an answer: its log line goes and the card's schedule is restored exactly.

        Only the latest answer of a card can be undone (later ones were computed from it).
        """
        with self.transaction():
            latest = self.conn.execute(
                "SELECT MAX(id) FROM reviews WHERE card_id = ?", (record.card_id,)
            ).fetchone()[0]
            if latest != record.id:
                raise ValueError(f"review {record.id} is not the latest answer of {record.card_id}")
            self.conn.execute("DELETE FROM reviews WHERE id = ?", (record.id,))
            current = _state(record.card_id, self.conn.execute(_STATE_SELECT + " WHERE card_id = ?", (record.card_id,)).fetchone())
            # Suspension and burial are not part of an answer; keep whatever they are now.
            restored = CardState(record.card_id, record.before.sm2, record.before.due_on, record.before.lapses,
                                 current.suspended, current.buried_until)
            self._write_state(restored)
            self._add_day_totals(record.study_day, record.kind, record.quality, record.before.is_new,
                                 record.answer_ms, -1)

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        """A suspended card stays out of every session until unsuspended."""
        with self.transaction():
            cur = self.conn.execute("UPDATE card_state SET suspended = ? WHERE card_id = ?", (int(suspended), card_id))
            if cur.rowcount == 0:
                raise KeyError(f"no card {card_id!r} in the store")

    def bury(self, card_id: str, until: date | None) -> None:
        """Keep a card out of sessions before `until` (None un-buries it)."""
        with self.transaction():
            cur = self.conn.execute(
                "UPDATE card_state SET buried_until = ? WHERE card_id = ?",
                (until.isoformat() if until else None, card_id),
            )
            if cur.rowcount == 0:
                raise KeyError(f"no card {card_id!r} in the store")

    # ----------------------------------------------------------------- maintenance: backups and checks
    def backup_to(self, dest: str | os.PathLike[str]) -> Path:
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
                self.conn.backup(target)
                # A backup is a single self-contained file: no -wal/-shm beside it, even when read.
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            os.replace(partial, dest)
        except sqlite3.Error as err:
            remove_quietly(str(partial))
            raise _user_error(err, str(dest)) from None
        except OSError as err:
            remove_quietly(str(partial))
            raise StoreError(f"cannot write the backup {dest}: {err.strerror}") from None
        except BaseException:  # Ctrl-C mid-copy: no half backup left behind
            remove_quietly(str(partial))
            raise
        return dest

    def backup(self, now: datetime, reason: str, *, keep: int = DEFAULT_KEEP) -> Path:
        """Take a backup into the `backups` folder beside the database and keep only the newest `keep`.

        A damaged database is refused (StoreCorrupt) so it never pushes a good backup out of the rotation.
        """
        problems = self.integrity_problems(5, quick=True)
        if problems:
            raise StoreCorrupt(f"{self.path} is damaged ({problems[0]})")
        dest = self.backup_to(new_backup_path(self.path, now, reason))
        for old in backups_to_prune(self.path, keep):
            remove_quietly(str(old.path))
        return dest

    def restore_from(self, source: str | os.PathLike[str]) -> None:
        """Replace this database's whole content with `source` (checked first with `inspect_file`)."""
        src = _open_read_only(os.fspath(source))
        try:
            with self._translate_errors():
                src.backup(self.conn)
        finally:
            src.close()

    @staticmethod
    def inspect_file(path: str | os.PathLike[str]) -> FileSummary:
        """Read-only look at a database file (a backup, say): is it a sound quiz database, and what is in it.

        Raises StoreError/StoreCorrupt with one clear line when it is not.
        """
        path = os.fspath(path)
        if os.path.isdir(path):
            raise StoreError(f"{path} is a folder, not a database file")
        if not os.path.exists(path):
            raise StoreError(f"{path} does not exist")
        _check_existing_file(path, need_write=False)
        conn = _open_read_only(path)
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
            raise _user_error(err, path) from None
        finally:
            conn.close()
        return FileSummary(path, version, decks, cards, reviews, date.fromisoformat(last_day) if last_day else None)

    def has_decks(self) -> bool:
        with self._translate_errors():
            return self.conn.execute("SELECT EXISTS (SELECT 1 FROM decks)").fetchone()[0] == 1

    def integrity_problems(self, limit: int = 20, *, quick: bool = False) -> list[str]:
        """SQLite's own `PRAGMA integrity_check` (or the faster `quick_check`), as lines; empty when sound."""
        pragma = "quick_check" if quick else "integrity_check"
        with self._translate_errors():
            rows = [r[0] for r in self.conn.execute(f"PRAGMA {pragma}({int(limit)})")]
        return [] if rows == ["ok"] else rows

    def foreign_key_problems(self) -> list[str]:
        with self._translate_errors():
            rows = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        return [f"{table} row {rowid} points at a missing {parent} row" for table, rowid, parent, _ in rows]

    def consistency_problems(self) -> list[tuple[str, str]]:
        """(problem, fix) pairs for states the app itself would never write."""
        checks = [
            ("SELECT COUNT(*) FROM cards c LEFT JOIN card_state s ON s.card_id = c.id WHERE s.card_id IS NULL",
             "{n} card(s) have no schedule", "run `quiz check --repair` to give them a fresh one"),
            ("SELECT COUNT(*) FROM card_state s LEFT JOIN cards c ON c.id = s.card_id WHERE c.id IS NULL",
             "{n} schedule(s) belong to no card", "run `quiz check --repair` to remove them"),
            ("SELECT COUNT(*) FROM reviews r LEFT JOIN cards c ON c.id = r.card_id WHERE c.id IS NULL",
             "{n} review(s) belong to no card", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM cards c LEFT JOIN decks d ON d.id = c.deck_id WHERE d.id IS NULL",
             "{n} card(s) belong to no deck", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM card_state WHERE easiness_centi < 130 OR interval_days < 0 OR repetitions < 0"
             " OR lapses < 0 OR (repetitions > 0 AND interval_days < 1)",
             "{n} schedule(s) hold impossible SM-2 values", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM card_state s WHERE s.due_on IS NULL AND EXISTS"
             " (SELECT 1 FROM reviews r WHERE r.card_id = s.card_id AND r.kind = 'review')",
             "{n} answered card(s) have no due date", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM card_state s WHERE s.due_on IS NOT NULL AND NOT EXISTS"
             " (SELECT 1 FROM reviews r WHERE r.card_id = s.card_id AND r.kind = 'review')",
             "{n} card(s) have a due date but were never answered", "restore a backup with `quiz restore`"),
            (f"WITH logged AS ({_DAY_TOTALS_FROM_LOG}), kept AS (SELECT study_day, reviews, new_cards, passed,"
             " drills, time_ms FROM day_totals WHERE reviews + drills > 0)"
             " SELECT COUNT(DISTINCT study_day) FROM"
             " (SELECT * FROM (SELECT * FROM logged EXCEPT SELECT * FROM kept)"
             " UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM logged))",
             "the daily totals disagree with the review log on {n} day(s)",
             "run `quiz check --repair` to rebuild them from the log"),
        ]
        problems = []
        with self._translate_errors():
            for sql, what, fix in checks:
                n = self.conn.execute(sql).fetchone()[0]
                if n:
                    problems.append((what.format(n=n), fix))
        return problems

    def repair(self) -> list[str]:
        """Rebuild what can be derived: missing schedules, orphan schedules, the daily totals."""
        done = []
        with self.transaction():
            n = self.conn.execute(
                "INSERT INTO card_state (card_id) SELECT c.id FROM cards c LEFT JOIN card_state s"
                " ON s.card_id = c.id WHERE s.card_id IS NULL"
            ).rowcount
            if n:
                done.append(f"gave {n} card(s) a fresh schedule")
            n = self.conn.execute("DELETE FROM card_state WHERE card_id NOT IN (SELECT id FROM cards)").rowcount
            if n:
                done.append(f"removed {n} orphan schedule(s)")
            self.conn.execute("DELETE FROM day_totals")
            self.conn.execute(
                "INSERT INTO day_totals (study_day, reviews, new_cards, passed, drills, time_ms) " + _DAY_TOTALS_FROM_LOG
            )
            done.append("rebuilt the daily totals from the review log")
        return done

    # ----------------------------------------------------------------- review session queries (issue 5)
    def drills_pending(self, today: date, *, deck_id: str | None = None) -> list[DueCard]:
        """Cards whose latest answer on study day `today` was graded below DRILL_UNTIL_GRADE.

        These still need a same-day drill, so a session resumed later that day brings them back
        (suspended, buried and retired cards excluded), oldest answer first.
        """
        sql = (
            _CARD_SELECT + " JOIN (SELECT card_id, MAX(id) AS last_id FROM reviews WHERE study_day = ?"
            " GROUP BY card_id) t ON t.card_id = c.id JOIN reviews r ON r.id = t.last_id"
            " WHERE r.quality < ? AND s.suspended = 0 AND c.retired = 0"
            " AND (s.buried_until IS NULL OR s.buried_until <= ?)"
        )
        params: list = [today.isoformat(), int(DRILL_UNTIL_GRADE), today.isoformat()]
        if deck_id is not None:
            sql += " AND c.deck_id = ?"
            params.append(deck_id)
        sql += " ORDER BY r.id"
        with self._translate_errors():
            return [_due_card(r) for r in self.conn.execute(sql, params)]

    def suspended_cards(self, *, deck_id: str | None = None) -> list[DueCard]:
        """Every suspended card that is still in its deck, in deck order then file order."""
        sql = _CARD_SELECT + " JOIN decks d ON d.id = c.deck_id WHERE s.suspended = 1 AND c.retired = 0"
        params: list = []
        if deck_id is not None:
            sql += " AND c.deck_id = ?"
            params.append(deck_id)
        sql += " ORDER BY d.position, c.position"
        with self._translate_errors():
            return [_due_card(r) for r in self.conn.execute(sql, params)]

    def deck_titles(self) -> dict[str, str]:
        """Deck id -> title, in deck order."""
        with self._translate_errors():
            return dict(self.conn.execute("SELECT id, title FROM decks ORDER BY position").fetchall())

    # ----------------------------------------------------------------- (end of review session queries)
    def _write_state(self, state: CardState) -> None:
        self.conn.execute(
            "UPDATE card_state SET repetitions = ?, easiness_centi = ?, interval_days = ?, due_on = ?, lapses = ?,"
            " suspended = ?, buried_until = ? WHERE card_id = ?",
            (*_state_columns(state), int(state.suspended),
             state.buried_until.isoformat() if state.buried_until else None, state.card_id),
        )

    def _add_day_totals(self, day: date, kind: ReviewKind, grade: Grade, was_new: bool, answer_ms: int, sign: int) -> None:
        is_review = kind is ReviewKind.REVIEW
        self.conn.execute(
            "INSERT INTO day_totals (study_day, reviews, new_cards, passed, drills, time_ms) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(study_day) DO UPDATE SET reviews = reviews + excluded.reviews,"
            " new_cards = new_cards + excluded.new_cards, passed = passed + excluded.passed,"
            " drills = drills + excluded.drills, time_ms = time_ms + excluded.time_ms",
            (day.isoformat(), sign * is_review, sign * (is_review and was_new),
             sign * (is_review and grade >= PASSING_GRADE), sign * (not is_review), sign * answer_ms),
        )

    # ================================================================= stats and export (issue 6)
    # Queries for quiz/stats.py and quiz/export.py. Figures read card_state/cards once per deck and
    # the per-day summary in day_totals; they never scan the review log.
    @contextmanager
    def read_snapshot(self) -> Iterator[Store]:
        """Every query inside sees the database as one moment (a deferred read transaction), so
        figures computed by several queries agree even while another session answers cards.

        Nested calls (or a call inside `transaction()`) join the outer transaction.
        """
        with self._translate_errors():
            if self.conn.in_transaction:
                yield self
                return
            self.conn.execute("BEGIN DEFERRED")
            try:
                yield self
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    def card_state_counts(self, *, young_from: int, mature_from: int) -> list[tuple[str, str, int]]:
        """(deck id, state, cards) for every deck and state that has cards.

        Each card is in exactly one state: `retired` (gone from its deck file); else `suspended`;
        else `new` (never answered); `learning` (interval under `young_from` days); `young` (under
        `mature_from`); else `mature`.
        """
        # Driven from card_state with the covering index for the deck: the planner, without
        # statistics, would otherwise read every card's full row (prompt included) through the
        # primary key.
        sql = f"""
            SELECT c.deck_id, {_CARD_STATE_SQL} AS state, COUNT(*)
            FROM card_state s CROSS JOIN cards c INDEXED BY cards_deck_of_card ON c.id = s.card_id
            GROUP BY c.deck_id, state
        """
        with self._translate_errors():
            return self.conn.execute(sql, {"young": young_from, "mature": mature_from}).fetchall()

    def due_counts(self, today: date, days: int) -> list[tuple[str, date, int]]:
        """(deck id, day, cards due) for each day from `today` to today + days - 1 that has any.

        Active cards only (not suspended, not retired); overdue cards count on `today`; buried
        cards count by their due date.
        """
        sql = """
            SELECT c.deck_id, MAX(s.due_on, :today) AS day, COUNT(*)
            FROM card_state s JOIN cards c INDEXED BY cards_deck_of_card ON c.id = s.card_id
            WHERE s.due_on IS NOT NULL AND s.suspended = 0 AND s.due_on <= :last AND c.retired = 0
            GROUP BY c.deck_id, day
        """
        params = {"today": today.isoformat(), "last": add_days(today, days - 1).isoformat()}
        with self._translate_errors():
            rows = self.conn.execute(sql, params).fetchall()
        return [(deck_id, date.fromisoformat(day), n) for deck_id, day, n in rows]

    def day_totals_between(self, first: date, last: date) -> list[DayTotals]:
        """The per-day summary for study days from `first` to `last` that have a row, oldest first."""
        with self._translate_errors():
            rows = self.conn.execute(
                "SELECT study_day, reviews, new_cards, passed, drills, time_ms FROM day_totals"
                " WHERE study_day BETWEEN ? AND ? ORDER BY study_day",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        return [DayTotals(date.fromisoformat(r[0]), *r[1:]) for r in rows]

    def all_time_totals(self) -> DayTotals:
        """Every day's totals added up (`study_day` is the first study day, or None with no answers)."""
        with self._translate_errors():
            row = self.conn.execute(
                "SELECT MIN(study_day), COALESCE(SUM(reviews), 0), COALESCE(SUM(new_cards), 0),"
                " COALESCE(SUM(passed), 0), COALESCE(SUM(drills), 0), COALESCE(SUM(time_ms), 0)"
                " FROM day_totals WHERE reviews + drills > 0"
            ).fetchone()
        return DayTotals(date.fromisoformat(row[0]) if row[0] else None, *row[1:])

    def hardest_cards(self, limit: int) -> list[dict]:
        """Up to `limit` answered cards still in their deck that lost easiness (below the starting
        2.5) or lapsed at least once: lowest easiness first, then most lapses, then card id.

        Keys: card_id, deck_id, prompt, easiness_centi, lapses, repetitions, interval_days, suspended.
        """
        sql = """
            SELECT s.card_id AS card_id, c.deck_id AS deck_id, c.prompt AS prompt,
                   s.easiness_centi AS easiness_centi, s.lapses AS lapses, s.repetitions AS repetitions,
                   s.interval_days AS interval_days, s.suspended AS suspended
            FROM card_state s JOIN cards c ON c.id = s.card_id
            WHERE s.due_on IS NOT NULL AND c.retired = 0 AND (s.easiness_centi < :initial OR s.lapses > 0)
            ORDER BY s.easiness_centi, s.lapses DESC, s.card_id
            LIMIT :limit
        """
        with self._translate_errors():
            rows = _dict_rows(self.conn.execute(sql, {"initial": INITIAL_EASINESS_CENTI, "limit": limit}))
        for row in rows:
            row["suspended"] = bool(row["suspended"])
        return rows

    def export_columns(self, what: str) -> tuple[str, ...]:
        """The column names of an export table ('reviews', 'cards' or 'daily'), in file order."""
        return tuple(col.name for col in _EXPORT_TABLES[what].columns)

    def export_lines(self, what: str, fmt: str, *, young_from: int, mature_from: int) -> Iterator[str]:
        """Stream an export table ('reviews', 'cards', 'daily') as text lines without their ending:
        CSV records (`fmt='csv'`) or one JSON object per row (`fmt='json'`), in file order.

        SQLite formats each line so a million-row log streams at C speed with flat memory (a cursor,
        never a list). CSV text cells are quoted as Python's csv module does (QUOTE_MINIMAL) and deck
        text starting with = + - @ tab or CR gets a leading apostrophe, so a spreadsheet never runs it
        as a formula. `young_from`/`mature_from` classify the cards' `state` column.
        """
        table = _EXPORT_TABLES[what]
        source = table.source
        deck_expr = "c.deck_id"
        if what == "reviews":
            # A card id is `deck/key`, so the deck is the text before the first '/' — unless a deck id
            # itself holds a '/', when the join to cards (about twice as slow) gives the right answer.
            with self._translate_errors():
                slashed = self.conn.execute("SELECT EXISTS (SELECT 1 FROM decks WHERE instr(id, '/'))").fetchone()[0]
            if slashed:
                source += " JOIN cards c ON c.id = r.card_id"
            else:
                deck_expr = "substr(r.card_id, 1, instr(r.card_id, '/') - 1)"
        exprs = [col.expr.replace("{deck}", deck_expr) for col in table.columns]
        if fmt == "csv":
            # Ids rarely hold a comma, a quote or a formula start; when none does, their cells are
            # written as they are (half the time on a million reviews), else every one is checked.
            plain_ids = not self._ids_need_csv_care()
            cells = [_sql_csv_cell(e) if col.deck_text and not (col.is_id and plain_ids) else e
                     for e, col in zip(exprs, table.columns)]
            select = "printf('" + ",".join(["%s"] * len(cells)) + "', " + ", ".join(cells) + ")"
        elif fmt == "json":
            pairs = []
            for e, col in zip(exprs, table.columns):
                value = f"json(CASE WHEN {e} THEN 'true' ELSE 'false' END)" if col.boolean else e
                pairs.append(f"'{col.name}', {value}")
            select = "json_object(" + ", ".join(pairs) + ")"
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        sql = f"SELECT {select} FROM {source} {table.tail}"
        params = {"young": young_from, "mature": mature_from}
        with self._translate_errors():
            cursor = self.conn.execute(sql, params)
            for (line,) in cursor:
                yield line

    def _ids_need_csv_care(self) -> bool:
        """Whether any card or deck id would need quoting or a formula guard in a CSV cell."""
        care = f"{_sql_formula_start('id')} OR {_sql_needs_quotes('id')}"
        with self._translate_errors():
            return bool(self.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM cards WHERE {care}) OR EXISTS (SELECT 1 FROM decks WHERE {care})"
            ).fetchone()[0])


# --------------------------------------------------------------------- helpers
_UTC = UTC

class _Flusher:
    """A daemon thread that runs `Store.flush` when woken (fsync releases the interpreter lock, so the
    app draws the next card meanwhile). It touches only the store's own descriptor of the log file,
    never the SQLite connection."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._woken = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="quiz-flush", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._woken.set()

    def stop(self) -> None:
        self._stopping = True
        self._woken.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._woken.wait()
            self._woken.clear()
            self._store._flush_in_background()  # a no-op when nothing is owed
            if self._stopping:
                return


_CARD_SELECT = (
    "SELECT c.id, c.deck_id, c.card_key, c.gap, c.type, c.prompt, c.answer, c.choices, c.tags, c.source,"
    " c.explanation, s.repetitions, s.easiness_centi, s.interval_days, s.due_on, s.lapses, s.suspended,"
    " s.buried_until FROM cards c JOIN card_state s ON s.card_id = c.id"
)
_STATE_SELECT = (
    "SELECT repetitions, easiness_centi, interval_days, due_on, lapses, suspended, buried_until FROM card_state"
)


#: The day_totals rows (study_day, reviews, new_cards, passed, drills, time_ms) as the review log
#: says they must be: what `_add_day_totals` keeps up answer by answer, rebuilt (`repair`) or
#: checked (`consistency_problems`) in one query.
_DAY_TOTALS_FROM_LOG = (
    "SELECT study_day, SUM(kind = 'review'), SUM(kind = 'review' AND due_before IS NULL),"
    f" SUM(kind = 'review' AND quality >= {int(PASSING_GRADE)}), SUM(kind = 'drill'), SUM(answer_ms)"
    " FROM reviews GROUP BY study_day"
)


def _due_filter(today: date, deck_id: str | None) -> tuple[str, list]:
    """The WHERE clause (and its parameters) of the cards due for review on `today`."""
    day = today.isoformat()
    where = (" WHERE s.due_on IS NOT NULL AND s.due_on <= ? AND s.suspended = 0 AND c.retired = 0"
             " AND (s.buried_until IS NULL OR s.buried_until <= ?)")
    params: list = [day, day]
    if deck_id is not None:
        where += " AND c.deck_id = ?"
        params.append(deck_id)
    return where, params


def _state(card_id: str, row: tuple) -> CardState:
    reps, ef, interval, due_on, lapses, suspended, buried = row
    return CardState(
        card_id, Sm2State(reps, ef, interval), date.fromisoformat(due_on) if due_on else None, lapses,
        bool(suspended), date.fromisoformat(buried) if buried else None,
    )


def _state_columns(state: CardState) -> tuple:
    return (state.sm2.repetitions, state.sm2.easiness_centi, state.sm2.interval_days,
            state.due_on.isoformat() if state.due_on else None, state.lapses)


def _due_card(row: tuple) -> DueCard:
    card = Card(
        deck_id=row[1], key=row[2], gap=row[3], type=CardType(row[4]), prompt=row[5], answer=row[6],
        choices=_json_tuple(row[7]), tags=_json_tuple(row[8]), source=row[9], explanation=row[10],
    )
    return DueCard(card, _state(row[0], row[11:]))


_JSON = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=4096)
def _json_tuple(text: str) -> tuple[str, ...]:
    # Cached: most cards have no choices, and the cards of a deck share a handful of tag lists.
    return tuple(json.loads(text))


@lru_cache(maxsize=4096)
def _json_list(items: tuple[str, ...]) -> str:
    # Cached: the cards of a deck share a handful of tag lists.
    return _JSON.encode(list(items)) if items else "[]"


def _card_values(card: Card) -> tuple:
    return (card.type.value, card.prompt, card.answer, _json_list(card.choices), _json_list(card.tags),
            card.source, card.explanation)


def _values_hash(values: tuple) -> str:
    """Identifies a card's stored text, to tell an edited card from an unchanged one."""
    # Fields are text; a separator that cannot appear in YAML text keeps "a"+"bc" apart from "ab"+"c".
    return hashlib.sha256("\x00".join(values).encode()).hexdigest()[:16]


def _open_read_only(path: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open {path}: {err}") from None


def _check_existing_file(path: str, *, need_write: bool = True) -> None:
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


def _user_error(err: sqlite3.Error, path: str) -> StoreError:
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


# --------------------------------------------------------------------- stats and export helpers (issue 6)
#: A card's state by its schedule, one of: retired, suspended, new, learning, young, mature.
#: Needs `c` (cards) and `s` (card_state) and the parameters :young and :mature (interval days).
_CARD_STATE_SQL = (
    "(CASE WHEN c.retired THEN 'retired' WHEN s.suspended THEN 'suspended' WHEN s.due_on IS NULL THEN 'new'"
    " WHEN s.interval_days < :young THEN 'learning' WHEN s.interval_days < :mature THEN 'young'"
    " ELSE 'mature' END)"
)


class _ExportColumn(NamedTuple):
    name: str
    expr: str  # SQL; `{deck}` stands for the review's deck id
    deck_text: bool = False  # text written by a deck author: CSV-quoted and formula-guarded
    is_id: bool = False  # a card or deck id: deck text, but checked once for the whole store
    boolean: bool = False  # 0/1 in CSV, false/true in JSON


class _ExportTable(NamedTuple):
    source: str
    tail: str
    columns: tuple[_ExportColumn, ...]


_EXPORT_TABLES = {
    "reviews": _ExportTable(
        "reviews r", "ORDER BY r.id",
        (
            _ExportColumn("review_id", "r.id"),
            _ExportColumn("reviewed_at", "r.reviewed_at"),
            _ExportColumn("study_day", "r.study_day"),
            _ExportColumn("deck_id", "{deck}", deck_text=True, is_id=True),
            _ExportColumn("card_id", "r.card_id", deck_text=True, is_id=True),
            _ExportColumn("kind", "r.kind"),
            _ExportColumn("grade", "r.quality"),
            _ExportColumn("answer_ms", "r.answer_ms"),
            _ExportColumn("repetitions", "r.reps_after"),
            _ExportColumn("easiness", "r.easiness_after / 100.0"),
            _ExportColumn("interval_days", "r.interval_after"),
            _ExportColumn("due_on", "r.due_after"),
            _ExportColumn("lapses", "r.lapses_after"),
        ),
    ),
    "cards": _ExportTable(
        "cards c JOIN card_state s ON s.card_id = c.id JOIN decks d ON d.id = c.deck_id",
        "ORDER BY d.position, c.position, c.id",
        (
            _ExportColumn("card_id", "c.id", deck_text=True, is_id=True),
            _ExportColumn("deck_id", "c.deck_id", deck_text=True, is_id=True),
            _ExportColumn("type", "c.type"),
            _ExportColumn("prompt", "c.prompt", deck_text=True),
            _ExportColumn("answer", "c.answer", deck_text=True),
            _ExportColumn("state", _CARD_STATE_SQL),
            _ExportColumn("repetitions", "s.repetitions"),
            _ExportColumn("easiness", "s.easiness_centi / 100.0"),
            _ExportColumn("interval_days", "s.interval_days"),
            _ExportColumn("due_on", "s.due_on"),
            _ExportColumn("lapses", "s.lapses"),
            _ExportColumn("suspended", "s.suspended", boolean=True),
            _ExportColumn("retired", "c.retired", boolean=True),
            _ExportColumn("buried_until", "s.buried_until"),
            _ExportColumn("added_on", "c.added_on"),
        ),
    ),
    "daily": _ExportTable(
        "day_totals", "WHERE reviews + drills > 0 ORDER BY study_day",
        (
            _ExportColumn("study_day", "study_day"),
            _ExportColumn("reviews", "reviews"),
            _ExportColumn("new_cards", "new_cards"),
            _ExportColumn("passed", "passed"),
            _ExportColumn("drills", "drills"),
            _ExportColumn("time_ms", "time_ms"),
            _ExportColumn("retention", "CASE WHEN reviews > 0 THEN round(passed * 1.0 / reviews, 4) END"),
        ),
    ),
}

#: First characters that make a spreadsheet treat a cell as a formula (= + - @, and tab/CR per OWASP).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _sql_formula_start(expr: str) -> str:
    return f"(unicode({expr}) IN ({', '.join(str(ord(ch)) for ch in CSV_FORMULA_STARTS)}))"


def _sql_needs_quotes(expr: str) -> str:
    return f"(instr({expr}, ',') OR instr({expr}, '\"') OR instr({expr}, char(10)) OR instr({expr}, char(13)))"


def _sql_csv_cell(expr: str) -> str:
    """SQL for one CSV cell of deck text: a leading apostrophe before a formula start, then quoted
    exactly when Python's csv.writer (QUOTE_MINIMAL, CRLF) would quote it."""
    guarded = f"(CASE WHEN {_sql_formula_start(expr)} THEN '''' || {expr} ELSE {expr} END)"
    return f"(CASE WHEN {_sql_needs_quotes(expr)} THEN '\"' || replace({guarded}, '\"', '\"\"') || '\"' ELSE {guarded} END)"


def _dict_rows(cursor: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]
