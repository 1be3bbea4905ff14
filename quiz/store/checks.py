"""`quiz check`: SQLite's own integrity checks, the states the app never writes, and what can be rebuilt."""
from __future__ import annotations

from quiz.sm2 import MIN_EASINESS_CENTI
from quiz.store.base import Part
from quiz.store.log import DAY_TOTALS_COLUMNS, DAY_TOTALS_FROM_LOG
from quiz.text import plural


class Checks(Part):
    """`store.checks`: what is wrong with the database, and the repairs that lose nothing."""

    def integrity_problems(self, limit: int = 20, *, quick: bool = False) -> list[str]:
        """SQLite's own `PRAGMA integrity_check` (or the faster `quick_check`), as lines; empty when sound."""
        pragma = "quick_check" if quick else "integrity_check"
        with self.store.sql_errors():
            rows = [r[0] for r in self.store.conn.execute(f"PRAGMA {pragma}({int(limit)})")]
        # One problem a line: SQLite packs several into one row, separated by newlines.
        return [] if rows == ["ok"] else [line for row in rows for line in row.splitlines() if line.strip()]

    def foreign_key_problems(self) -> list[str]:
        with self.store.sql_errors():
            rows = self.store.conn.execute("PRAGMA foreign_key_check").fetchall()
        return [f"{table} row {rowid} points at a missing {parent} row" for table, rowid, parent, _ in rows]

    def consistency_problems(self) -> list[tuple[str, str]]:
        """(problem, fix) pairs for states the app itself would never write."""
        checks = [
            ("SELECT COUNT(*) FROM cards c LEFT JOIN card_state s ON s.card_id = c.id WHERE s.card_id IS NULL",
             "cards with no schedule: {n}", "run `quiz check --repair` to give them a fresh one"),
            ("SELECT COUNT(*) FROM card_state s LEFT JOIN cards c ON c.id = s.card_id WHERE c.id IS NULL",
             "schedules that belong to no card: {n}", "run `quiz check --repair` to remove them"),
            ("SELECT COUNT(*) FROM reviews r LEFT JOIN cards c ON c.id = r.card_id WHERE c.id IS NULL",
             "reviews that belong to no card: {n}", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM cards c LEFT JOIN decks d ON d.id = c.deck_id WHERE d.id IS NULL",
             "cards that belong to no deck: {n}", "restore a backup with `quiz restore`"),
            (f"SELECT COUNT(*) FROM card_state WHERE easiness_centi < {MIN_EASINESS_CENTI} OR interval_days < 0 OR repetitions < 0"
             " OR lapses < 0 OR (repetitions > 0 AND interval_days < 1)",
             "schedules with impossible SM-2 values: {n}", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM card_state s WHERE s.due_on IS NULL AND EXISTS"
             " (SELECT 1 FROM reviews r WHERE r.card_id = s.card_id AND r.kind = 'review')",
             "answered cards with no due date: {n}", "restore a backup with `quiz restore`"),
            ("SELECT COUNT(*) FROM card_state s WHERE s.due_on IS NOT NULL AND NOT EXISTS"
             " (SELECT 1 FROM reviews r WHERE r.card_id = s.card_id AND r.kind = 'review')",
             "cards with a due date that were never answered: {n}", "restore a backup with `quiz restore`"),
            (f"WITH logged AS ({DAY_TOTALS_FROM_LOG}), kept AS (SELECT {DAY_TOTALS_COLUMNS}"
             " FROM day_totals WHERE reviews + drills > 0)"
             " SELECT COUNT(DISTINCT study_day) FROM"
             " (SELECT * FROM (SELECT * FROM logged EXCEPT SELECT * FROM kept)"
             " UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM logged))",
             "days whose daily totals disagree with the review log: {n}",
             "run `quiz check --repair` to rebuild them from the log"),
        ]
        problems = []
        with self.store.sql_errors():
            for sql, what, fix in checks:
                n = self.store.conn.execute(sql).fetchone()[0]
                if n:
                    problems.append((what.format(n=n), fix))
        return problems

    def repair(self) -> list[str]:
        """Rebuild what can be derived: missing schedules, orphan schedules, the daily totals."""
        done = []
        with self.store.transaction():
            n = self.store.conn.execute(
                "INSERT INTO card_state (card_id) SELECT c.id FROM cards c LEFT JOIN card_state s"
                " ON s.card_id = c.id WHERE s.card_id IS NULL"
            ).rowcount
            if n:
                done.append(f"gave {plural(n, 'card')} a fresh schedule")
            n = self.store.conn.execute("DELETE FROM card_state WHERE card_id NOT IN (SELECT id FROM cards)").rowcount
            if n:
                done.append(f"removed {plural(n, 'orphan schedule')}")
            self.store.conn.execute("DELETE FROM day_totals")
            self.store.conn.execute(
                f"INSERT INTO day_totals ({DAY_TOTALS_COLUMNS}) " + DAY_TOTALS_FROM_LOG
            )
            done.append("rebuilt the daily totals from the review log")
        return done
