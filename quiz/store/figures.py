"""Progress figures read straight from the schedules and the day totals (never by scanning the log)."""
from __future__ import annotations

from datetime import date

from quiz.days import add_days
from quiz.sm2 import INITIAL_EASINESS_CENTI
from quiz.store.base import Part
from quiz.store.log import DAY_TOTALS_COLUMNS, DayTotals
from quiz.store.rows import CARD_STATE_SQL, dict_rows

#: The ids of the cards gone from their deck file, found through the deck index (usually none).
#: The cards of a deck that has none are not looked up one by one: the queries leave this test out.
_RETIRED_IDS = "SELECT id FROM cards INDEXED BY cards_by_deck WHERE deck_id IN (SELECT id FROM decks) AND retired = 1"


def state_counts_query(*, leave_out_retired: bool) -> str:
    """The card states of every deck (its id holding no `/`), counted in one pass (parameters
    `young`, `mature`).

    A card id is `deck/key`, so a deck's cards are one range of card_state's key. One range read per
    deck of the covering index `card_state_counts` gives the counts already grouped, without reading
    the table, looking each card up in `cards` or sorting every card (the join took 85 of the stats
    screen's 150 ms at 100k cards). SQLite picks the index itself: a database without it is slower,
    not broken. Each count's cheapest test comes first: most cards fail it and the rest is not
    evaluated.
    """
    return f"""
        SELECT d.id,
               COUNT(*) FILTER (WHERE s.suspended),
               COUNT(*) FILTER (WHERE s.due_on IS NULL AND NOT s.suspended),
               COUNT(*) FILTER (WHERE s.interval_days < :young AND s.due_on IS NOT NULL AND NOT s.suspended),
               COUNT(*) FILTER (WHERE s.interval_days >= :young AND s.interval_days < :mature
                                AND s.due_on IS NOT NULL AND NOT s.suspended),
               COUNT(*) FILTER (WHERE s.interval_days >= :mature AND s.due_on IS NOT NULL AND NOT s.suspended)
        FROM decks d CROSS JOIN card_state s ON s.card_id > d.id || '/' AND s.card_id < d.id || '0'
        {f"WHERE s.card_id NOT IN ({_RETIRED_IDS})" if leave_out_retired else ""}
        GROUP BY d.id
    """


class Figures(Part):
    """`store.figures`: what the stats screen, `quiz stats` and the export count."""

    def card_state_counts(self, *, young_from: int, mature_from: int) -> list[tuple[str, str, int]]:
        """(deck id, state, cards) for every deck and state that has cards.

        Each card is in exactly one state: `retired` (gone from its deck file); else `suspended`;
        else `new` (never answered); `learning` (interval under `young_from` days); `young` (under
        `mature_from`); else `mature`.
        """
        params = {"young": young_from, "mature": mature_from}
        if self._deck_ids_hold_a_slash():
            sql = f"""
                SELECT c.deck_id, {CARD_STATE_SQL} AS state, COUNT(*)
                FROM card_state s CROSS JOIN cards c INDEXED BY cards_deck_of_card ON c.id = s.card_id
                GROUP BY c.deck_id, state
            """
            with self.store.sql_errors():
                return self.store.conn.execute(sql, params).fetchall()
        retired = self._retired_by_deck()
        sql = state_counts_query(leave_out_retired=bool(retired))
        with self.store.sql_errors():
            rows = self.store.conn.execute(sql, params).fetchall()
        states = ("suspended", "new", "learning", "young", "mature")
        counts = [(deck_id, state, n) for deck_id, *ns in rows for state, n in zip(states, ns) if n]
        return counts + [(deck_id, "retired", n) for deck_id, n in retired.items()]

    def due_counts(self, today: date, days: int) -> list[tuple[str, date, int]]:
        """(deck id, day, cards due) for each day from `today` to today + days - 1 that has any.

        Active cards only (not suspended, not retired); overdue cards count on `today`; buried
        cards count by their due date.
        """
        if self._deck_ids_hold_a_slash():
            sql = """
                SELECT c.deck_id, MAX(s.due_on, :today) AS day, COUNT(*)
                FROM card_state s JOIN cards c INDEXED BY cards_deck_of_card ON c.id = s.card_id
                WHERE s.due_on IS NOT NULL AND s.suspended = 0 AND s.due_on <= :last AND c.retired = 0
                GROUP BY c.deck_id, day
            """
        else:  # the deck is the card id up to its '/' (see card_state_counts): no join to cards
            sql = f"""
                SELECT substr(s.card_id, 1, instr(s.card_id, '/') - 1) AS deck_id, MAX(s.due_on, :today) AS day,
                       COUNT(*)
                FROM card_state s
                WHERE s.due_on IS NOT NULL AND s.suspended = 0 AND s.due_on <= :last
                      {f"AND s.card_id NOT IN ({_RETIRED_IDS})" if self._retired_by_deck() else ""}
                GROUP BY deck_id, day
            """
        params = {"today": today.isoformat(), "last": add_days(today, days - 1).isoformat()}
        with self.store.sql_errors():
            rows = self.store.conn.execute(sql, params).fetchall()
        return [(deck_id, date.fromisoformat(day), n) for deck_id, day, n in rows]

    def _retired_by_deck(self) -> dict[str, int]:
        """Cards gone from their deck file, by deck (only decks that have any)."""
        sql = ("SELECT deck_id, COUNT(*) FROM cards INDEXED BY cards_by_deck"
               " WHERE deck_id IN (SELECT id FROM decks) AND retired = 1 GROUP BY deck_id")
        with self.store.sql_errors():
            return dict(self.store.conn.execute(sql).fetchall())

    def _deck_ids_hold_a_slash(self) -> bool:
        # Deck files cannot name such a deck; a database written by other means might.
        with self.store.sql_errors():
            return bool(self.store.conn.execute("SELECT EXISTS (SELECT 1 FROM decks WHERE instr(id, '/'))").fetchone()[0])

    def day_totals_between(self, first: date, last: date) -> list[DayTotals]:
        """The per-day summary for study days from `first` to `last` that have a row, oldest first."""
        with self.store.sql_errors():
            rows = self.store.conn.execute(
                f"SELECT {DAY_TOTALS_COLUMNS} FROM day_totals WHERE study_day BETWEEN ? AND ? ORDER BY study_day",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        return [DayTotals(date.fromisoformat(r[0]), *r[1:]) for r in rows]

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
