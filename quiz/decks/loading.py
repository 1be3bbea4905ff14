"""Deck files and folders loaded together (every problem of every file at once) and imported into a store."""
from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from quiz.decks.parsing import DeckFile, read_deck
from quiz.decks.problems import DeckError, Problem
from quiz.decks.reading import expand_paths

if TYPE_CHECKING:  # pragma: no cover
    from quiz.store import ImportReport, Store


def load_decks(paths: list[str] | tuple[str, ...]) -> list[DeckFile]:
    """Read and validate every deck under `paths`; raises one DeckError listing all problems.

    Two files with the same deck id are a problem too (the second would replace the first).
    """
    files, problems = expand_paths(paths)
    decks: list[DeckFile] = []
    for path in files:
        try:
            decks.append(read_deck(path))
        except DeckError as err:
            problems.extend(err.problems)
    first: dict[str, DeckFile] = {}
    for f in decks:
        other = first.setdefault(f.deck.id, f)
        if other is not f:
            problems.append(Problem(
                f.path, *f.id_at,
                f"deck id '{f.deck.id}' is also used by {other.path} — give each deck its own id",
            ))
    if problems:
        raise DeckError(problems)
    return decks


def import_decks(store: Store, files: list[DeckFile], today: date) -> list[ImportReport]:
    """Import validated decks in one transaction: all of them, or (on any error) none."""
    with store.transaction():
        return [
            store.decks.sync(f.deck, today=today, origin=_origin(f.path), content_hash=f.content_hash)
            for f in files
        ]


def _origin(path: str) -> str:
    """Where a deck was imported from, as text the database can store: a file name that is not valid
    UTF-8 (Python reads its bytes as lone surrogates, which cannot be stored) keeps those bytes as
    escapes such as \\xff."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")
