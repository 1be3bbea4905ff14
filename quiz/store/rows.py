"""How card and schedule rows are read from SQL and written back (shared by the store's parts)."""
from __future__ import annotations

import json
import sqlite3
from datetime import date
from functools import lru_cache

from quiz.models import Card, CardState, CardType, DueCard
from quiz.sm2 import Sm2State

#: What `due_card_from_row` reads: a card (`c`, cards) and its schedule (`s`, card_state).
CARD_COLUMNS = (
    "SELECT c.id, c.deck_id, c.card_key, c.gap, c.type, c.prompt, c.answer, c.choices, c.tags, c.source,"
    " c.explanation, s.repetitions, s.easiness_centi, s.interval_days, s.due_on, s.lapses, s.suspended,"
    " s.buried_until"
)
CARD_SELECT = CARD_COLUMNS + " FROM cards c JOIN card_state s ON s.card_id = c.id"


STATE_SELECT = (
    "SELECT repetitions, easiness_centi, interval_days, due_on, lapses, suspended, buried_until FROM card_state"
)


#: A card's state by its schedule, one of: retired, suspended, new, learning, young, mature.
#: Needs `c` (cards) and `s` (card_state) and the parameters :young and :mature (interval days).
CARD_STATE_SQL = (
    "(CASE WHEN c.retired THEN 'retired' WHEN s.suspended THEN 'suspended' WHEN s.due_on IS NULL THEN 'new'"
    " WHEN s.interval_days < :young THEN 'learning' WHEN s.interval_days < :mature THEN 'young'"
    " ELSE 'mature' END)"
)


def state_from_row(card_id: str, row: tuple) -> CardState:
    reps, ef, interval, due_on, lapses, suspended, buried = row
    return CardState(
        card_id, Sm2State(reps, ef, interval), date.fromisoformat(due_on) if due_on else None, lapses,
        bool(suspended), date.fromisoformat(buried) if buried else None,
    )


def state_columns(state: CardState) -> tuple:
    return (state.sm2.repetitions, state.sm2.easiness_centi, state.sm2.interval_days,
            state.due_on.isoformat() if state.due_on else None, state.lapses)


def due_card_from_row(row: tuple) -> DueCard:
    card = Card(
        deck_id=row[1], key=row[2], gap=row[3], type=CardType(row[4]), prompt=row[5], answer=row[6],
        choices=json_tuple(row[7]), tags=json_tuple(row[8]), source=row[9], explanation=row[10],
    )
    return DueCard(card, state_from_row(row[0], row[11:]))


@lru_cache(maxsize=4096)
def json_tuple(text: str) -> tuple[str, ...]:
    # Cached: most cards have no choices, and the cards of a deck share a handful of tag lists.
    return tuple(json.loads(text))


def dict_rows(cursor: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]
