"""YAML -> validated Deck, with errors that name file:line:col."""
from __future__ import annotations

from datetime import date


class DeckError(Exception):
    """One or more problems in deck files; str() lists them as file:line:col: message."""


def sync_bundled_decks(store, today: date) -> list:
    """Import the bundled decks on first run and refresh those whose file changed (placeholder)."""
    return []
