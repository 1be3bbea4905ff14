"""Cards in the store: today's queues (due, new, to drill again), one card, suspending and burying."""
from __future__ import annotations

from datetime import date

from quiz.models import DueCard
from quiz.sm2 import DRILL_UNTIL_GRADE
from quiz.store.base import Part
from quiz.store.rows import CARD_COLUMNS, CARD_SELECT, due_card_from_row


class Cards(Part):
    """`store.cards`: which cards a session asks, and the flags that keep a card out of one."""

    def due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200,
                    after: DueCard | None = None) -> list[DueCard]:
        """Cards already seen whose due date is today or earlier, most overdue first (by due date,
        then card id). `after`: only those that come after that card in this order (the next page)."""
        return self._read(*due_query(today, deck_id=deck_id, limit=limit, after=after))

    def count_due_reviews(self, today: date, *, deck_id: str | None = None, limit: int = 200) -> int:
        """How many cards `due_reviews(today, deck_id=…, limit=limit)` would list (counted, not read)."""
        sql, params = due_query(today, deck_id=deck_id, limit=limit)
        with self.store.sql_errors():
            return self.store.conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]

    def new_cards(self, today: date, *, deck_id: str | None = None, limit: int = 10) -> list[DueCard]:
        """Cards never answered, in deck order then file order (not suspended, buried or retired)."""
        return self._read(*new_query(today, deck_id=deck_id, limit=limit))

    def _read(self, sql: str, params: list) -> list[DueCard]:
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


def due_query(today: date, *, deck_id: str | None = None, limit: int = 200,
              after: DueCard | None = None) -> tuple[str, list]:
    """The SQL (and its parameters) of `Cards.due_reviews`.

    It walks the partial index card_state_due_queue (due_on, card_id) in order and stops at `limit`.
    """
    day = today.isoformat()
    sql = (CARD_SELECT + " WHERE s.due_on IS NOT NULL AND s.due_on <= ? AND s.suspended = 0 AND c.retired = 0"
           " AND (s.buried_until IS NULL OR s.buried_until <= ?)")
    params: list = [day, day]
    if deck_id is not None:
        # Every id of the deck's cards starts "deck_id/": checked in the index, before any card is read.
        sql += " AND s.card_id > ? AND s.card_id < ? AND c.deck_id = ?"
        params += [deck_id + "/", deck_id + "0", deck_id]  # "0" comes right after "/" in byte order
    if after is not None and after.state.due_on is not None:
        sql += " AND (s.due_on, s.card_id) > (?, ?)"
        params += [after.state.due_on.isoformat(), after.card.id]
    return sql + " ORDER BY s.due_on, s.card_id LIMIT ?", [*params, limit]


def new_query(today: date, *, deck_id: str | None = None, limit: int = 10) -> tuple[str, list]:
    """The SQL (and its parameters) of `Cards.new_cards`.

    Decks in order (index decks_in_order), then each deck's cards never answered in file order
    (partial index cards_new_in_order, kept by `cards.answered`; schema migration 0003), stopping at
    `limit`: a few rows read however many cards the decks hold. CROSS JOIN and INDEXED BY keep
    SQLite to that plan (left to itself it walks cards_by_deck, answered cards included: ~65 ms
    at 100,000 cards), and `d.rowid` breaks ties between decks so the index order is the whole
    ORDER BY.
    """
    sql = (CARD_COLUMNS + " FROM decks d CROSS JOIN cards c INDEXED BY cards_new_in_order CROSS JOIN card_state s"
           " WHERE c.deck_id = d.id AND c.answered = 0 AND c.retired = 0 AND s.card_id = c.id"
           " AND s.due_on IS NULL AND s.suspended = 0 AND (s.buried_until IS NULL OR s.buried_until <= ?)")
    params: list = [today.isoformat()]
    if deck_id is not None:
        sql += " AND d.id = ?"
        params.append(deck_id)
    return sql + " ORDER BY d.position, d.rowid, c.position LIMIT ?", [*params, limit]
