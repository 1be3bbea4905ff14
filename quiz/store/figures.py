"""Progress figures read straight from the schedules and the day totals (never by scanning the log)."""
from __future__ import annotations

from datetime import date

from quiz.days import add_days
from quiz.sm2 import INITIAL_EASINESS_CENTI
from quiz.store.base import Part
from quiz.store.log import DayTotals
from quiz.store.rows import CARD_STATE_SQL, dict_rows


class Figures(Part):
    """`store.figures`: what the stats screen, `quiz stats` and the export count."""

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
            SELECT c.deck_id, {CARD_STATE_SQL} AS state, COUNT(*)
            FROM card_state s CROSS JOIN cards c INDEXED BY cards_deck_of_card ON c.id = s.card_id
            GROUP BY c.deck_id, state
        """
        with self.store.sql_errors():
            return self.store.conn.execute(sql, {"young": young_from, "mature": mature_from}).fetchall()

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
        with self.store.sql_errors():
            rows = self.store.conn.execute(sql, params).fetchall()
        return [(deck_id, date.fromisoformat(day), n) for deck_id, day, n in rows]

    def day_totals_between(self, first: date, last: date) -> list[DayTotals]:
        """The per-day summary for study days from `first` to `last` that have a row, oldest first."""
        with self.store.sql_errors():
            rows = self.store.conn.execute(
                "SELECT study_day, reviews, new_cards, passed, drills, time_ms FROM day_totals"
                " WHERE study_day BETWEEN ? AND ? ORDER BY study_day",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        return [DayTotals(date.fromisoformat(r[0]), *r[1:]) for r in rows]

    def all_time_totals(self) -> DayTotals:
        """Every day's totals added up (`study_day` is the first study day, or None with no answers)."""
        with self.store.sql_errors():
            row = self.store.conn.execute(
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
        with self.store.sql_errors():
            rows = dict_rows(self.store.conn.execute(sql, {"initial": INITIAL_EASINESS_CENTI, "limit": limit}))
        for row in rows:
            row["suspended"] = bool(row["suspended"])
        return rows
