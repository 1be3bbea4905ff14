"""Cards in the store: today's queues (due, new, to drill again), one card, suspending and burying."""
from __future__ import annotations

from datetime import date

from quiz.models import DueCard
from quiz.sm2 import DRILL_UNTIL_GRADE
from quiz.store.base import Part
from quiz.store.rows import CARD_SELECT, due_card_from_row


class Cards(Part):
    """`store.cards`: which cards a session asks, and the flags that keep a card out of one."""

    def due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200,
                    after: DueCard | None = None) -> list[DueCard]:
        """Cards already seen whose due date is today or earlier, most overdue first (by due date,
        then card id). `after`: only those that come after that card in this order (the next page)."""
        where, params = _due_filter(today, deck_id)
        if after is not None:
            where += " AND (s.due_on, s.card_id) > (?, ?)"
            params += [after.state.due_on.isoformat(), after.card.id]
        sql = CARD_SELECT + where + " ORDER BY s.due_on, s.card_id LIMIT ?"
        with self.store.sql_errors():
            return [due_card_from_row(r) for r in self.store.conn.execute(sql, [*params, limit])]

    def count_due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200) -> int:
        """How many cards `due_reviews(today, deck_id=…, limit=limit)` would list (counted, not read)."""
        where, params = _due_filter(today, deck_id)
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM cards c JOIN card_state s ON s.card_id = c.id{where} LIMIT ?)"
        with self.store.sql_errors():
            return self.store.conn.execute(sql, [*params, limit]).fetchone()[0]

    def new_cards(self, today: date, *, deck_id: str | None = None, limit: int = 10) -> list[DueCard]:
        """Cards never answered, in deck order then file order (not suspended, buried or retired)."""
        day = today.isoformat()
        # Read from the new-card index first: on 100,000 cards this takes under a millisecond where
        # starting at `cards` scans every card (~40 ms). CROSS JOIN fixes SQLite's join order.
        sql = CARD_SELECT.replace("FROM cards c JOIN card_state s ON s.card_id = c.id",
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
        with self.store.sql_errors():
            return [due_card_from_row(r) for r in self.store.conn.execute(sql, params)]

    def get(self, card_id: str) -> DueCard | None:
        with self.store.sql_errors():
            row = self.store.conn.execute(CARD_SELECT + " WHERE c.id = ?", (card_id,)).fetchone()
        return due_card_from_row(row) if row else None

    def drills_pending(self, today: date, *, deck_id: str | None = None) -> list[DueCard]:
        """Cards whose latest answer on study day `today` was graded below DRILL_UNTIL_GRADE.

        These still need a same-day drill, so a session resumed later that day brings them back
        (suspended, buried and retired cards excluded), oldest answer first.
        """
        sql = (
            CARD_SELECT + " JOIN (SELECT card_id, MAX(id) AS last_id FROM reviews WHERE study_day = ?"
            " GROUP BY card_id) t ON t.card_id = c.id JOIN reviews r ON r.id = t.last_id"
            " WHERE r.quality < ? AND s.suspended = 0 AND c.retired = 0"
            " AND (s.buried_until IS NULL OR s.buried_until <= ?)"
        )
        params: list = [today.isoformat(), int(DRILL_UNTIL_GRADE), today.isoformat()]
        if deck_id is not None:
            sql += " AND c.deck_id = ?"
            params.append(deck_id)
        sql += " ORDER BY r.id"
        with self.store.sql_errors():
            return [due_card_from_row(r) for r in self.store.conn.execute(sql, params)]

    def suspended(self, *, deck_id: str | None = None) -> list[DueCard]:
        """Every suspended card that is still in its deck, in deck order then file order."""
        sql = CARD_SELECT + " JOIN decks d ON d.id = c.deck_id WHERE s.suspended = 1 AND c.retired = 0"
        params: list = []
        if deck_id is not None:
            sql += " AND c.deck_id = ?"
            params.append(deck_id)
        sql += " ORDER BY d.position, c.position"
        with self.store.sql_errors():
            return [due_card_from_row(r) for r in self.store.conn.execute(sql, params)]

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        """A suspended card stays out of every session until unsuspended."""
        with self.store.transaction():
            cur = self.store.conn.execute("UPDATE card_state SET suspended = ? WHERE card_id = ?", (int(suspended), card_id))
            if cur.rowcount == 0:
                raise KeyError(f"no card {card_id!r} in the store")

    def bury(self, card_id: str, until: date | None) -> None:
        """Keep a card out of sessions before `until` (None un-buries it)."""
        with self.store.transaction():
            cur = self.store.conn.execute(
                "UPDATE card_state SET buried_until = ? WHERE card_id = ?",
                (until.isoformat() if until else None, card_id),
            )
            if cur.rowcount == 0:
                raise KeyError(f"no card {card_id!r} in the store")


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
