"""Part: one area of the store (decks, cards, the review log, ...) over the store's one connection."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Store builds its parts: a runtime import would be a cycle
    from quiz.store.core import Store


class Part:
    """One area of a Store; `store.conn`, `store.transaction()` and `store.sql_errors()` are shared."""

    def __init__(self, store: Store) -> None:
        self.store = store
