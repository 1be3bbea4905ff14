"""The schema and its migrations: numbered steps, each applied whole under one write lock (PRAGMA user_version)."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

# A migration is a list of statements run one by one inside the migration's own transaction
# (executescript() would commit it half-way). SQLite's DDL is transactional: a migration that is
# killed half-way leaves the schema as it was, and `user_version` moves with it or not at all.

INITIAL = """        CREATE TABLE decks (
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


def _initial(conn: sqlite3.Connection) -> None:
    for statement in INITIAL.split(";"):
        if statement.strip():
            conn.execute(statement)


def _stats_indexes(conn: sqlite3.Connection) -> None:
    # Progress figures on 100k cards within 150 ms (bench/bench_stats.py): the deck and retired flag
    # of a card without reading its text, and the hardest cards without sorting every card.
    conn.execute("CREATE INDEX cards_deck_of_card ON cards(id, deck_id, retired)")
    conn.execute("CREATE INDEX card_state_hardest ON card_state(easiness_centi, lapses DESC, card_id)"
                 " WHERE due_on IS NOT NULL")


def _queue_indexes(conn: sqlite3.Connection) -> None:
    # Both of today's queues read an index in order and stop at their limit (docs/performance.md):
    # the due queue reads card_state_due_queue; the new-card queue reads the decks in order, then each
    # deck's unanswered cards in file order. Whether a card was answered lives in card_state (due_on),
    # which cannot be in an index on `cards`, so `cards.answered` mirrors it, kept by triggers
    # whoever writes card_state. It may only err towards 0 (answered unknown): the queue still checks
    # due_on, so that costs a skipped row, never a lost card.
    conn.execute("ALTER TABLE cards ADD COLUMN answered INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE cards SET answered = 1 WHERE id IN (SELECT card_id FROM card_state WHERE due_on IS NOT NULL)")
    conn.execute("CREATE INDEX cards_new_in_order ON cards(deck_id, position) WHERE answered = 0 AND retired = 0")
    conn.execute("CREATE INDEX decks_in_order ON decks(position)")
    conn.execute("CREATE TRIGGER card_state_answered_on_insert AFTER INSERT ON card_state"
                 " WHEN new.due_on IS NOT NULL BEGIN UPDATE cards SET answered = 1 WHERE id = new.card_id; END")
    conn.execute("CREATE TRIGGER card_state_answered_on_update AFTER UPDATE OF due_on ON card_state"
                 " WHEN (old.due_on IS NULL) != (new.due_on IS NULL)"
                 " BEGIN UPDATE cards SET answered = (new.due_on IS NOT NULL) WHERE id = new.card_id; END")
    conn.execute("CREATE TRIGGER card_state_answered_on_delete AFTER DELETE ON card_state"
                 " WHEN old.due_on IS NOT NULL BEGIN UPDATE cards SET answered = 0 WHERE id = old.card_id; END")


def _learned_reviews(conn: sqlite3.Connection) -> None:
    # Retention is measured on scheduled reviews of cards already learned (the field's "true
    # retention"): a first answer to a new card, or the first answer after a lapse, says nothing
    # about remembering. Kept per day with the other totals, and rebuilt here from the log.
    conn.execute("ALTER TABLE day_totals ADD COLUMN learned_reviews INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE day_totals ADD COLUMN learned_passed INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE day_totals SET (learned_reviews, learned_passed) = (SELECT COUNT(*), COALESCE(SUM(quality >= 3), 0)"
                 " FROM reviews r WHERE r.study_day = day_totals.study_day AND r.kind = 'review' AND r.reps_before > 0)")


def _state_counts_index(conn: sqlite3.Connection) -> None:
    # The card states per deck (store.figures.card_state_counts) read from this index alone: a
    # third of the table's pages, so the stats screen opens within its 150 ms (docs/performance.md).
    conn.execute("CREATE INDEX card_state_counts ON card_state(card_id, suspended, due_on, interval_days)")


#: (name, step) in order; migration n (from 1) brings `user_version` from n - 1 to n. Append only.
MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("0001_initial", _initial),
    ("0002_stats_indexes", _stats_indexes),
    ("0003_queue_indexes", _queue_indexes),
    ("0004_learned_reviews", _learned_reviews),
    ("0005_state_counts_index", _state_counts_index),
)
#: The schema this quiz writes; a database with a higher number was written by a newer quiz.
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def pending(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations this database has not had yet, in order."""
    return [name for name, _ in MIGRATIONS[user_version(conn):]]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every pending migration, each in its own `BEGIN IMMEDIATE` transaction; returns their names.

    The version is read again once the write lock is held, so two processes opening a new database
    at once never both apply a step (the second finds it done). The connection must be in
    autocommit mode (isolation_level=None) and outside a transaction.
    """
    applied = []
    for number, (name, step) in enumerate(MIGRATIONS, start=1):
        if user_version(conn) >= number:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) < number:  # another process may have applied it while we waited
                step(conn)
                conn.execute(f"PRAGMA user_version = {number}")
                applied.append(name)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied
