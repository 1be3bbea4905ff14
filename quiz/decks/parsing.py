"""One deck file's bytes checked at every level (YAML, schema, cross-rules) and built into a Deck."""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from quiz.decks.cards import build_deck
from quiz.decks.explain import explain
from quiz.decks.positions import load_yaml, mark, value_mark
from quiz.decks.problems import DeckError, Problem, kind_of
from quiz.decks.reading import read_bytes
from quiz.decks.rules import cross_check
from quiz.decks.schema import schema_errors
from quiz.models import Deck


@dataclass(frozen=True)
class DeckFile:
    """A validated deck and the file it came from (`content_hash`: sha256 of the file's bytes)."""

    deck: Deck
    path: str
    content_hash: str
    id_at: tuple[int, int] = (1, 1)


def parse_deck(data: bytes, path: str = "<deck>") -> Deck:
    """Validate the bytes of one deck file and build the Deck.

    Raises DeckError listing every problem as `path:line:col: message`; never any other exception
    for bad input.
    """
    return _parse(data, path)[0]


def read_deck(path: str | os.PathLike[str]) -> DeckFile:
    """Read and validate one deck file (the size is checked before anything is read)."""
    shown = os.fspath(path)
    data = read_bytes(shown)
    deck, id_at = _parse(data, shown)
    return DeckFile(deck, shown, hashlib.sha256(data).hexdigest(), id_at)


def yaml_data(data: bytes, path: str = "<deck>") -> Any:
    """The plain data (dicts, lists, str, int, float, bool, None) of a deck file, as an editor with
    YAML 1.2 sees it, after the YAML-level checks only (no schema). Raises DeckError."""
    with _gc_paused():
        _root, value, problems = load_yaml(data, path)
    if problems:
        raise DeckError(problems)
    return value


def _parse(data: bytes, path: str) -> tuple[Deck, tuple[int, int]]:
    """The deck and where its id is written; raises DeckError."""
    with _gc_paused():
        root, value, problems = load_yaml(data, path)
        if not isinstance(value, dict):
            line, col = mark(root.start_mark)
            problems.append(Problem(path, line, col, f"the top level of a deck must be its fields (deck:, title:, "
                                                     f"description:, sources:, cards:), not {kind_of(value)}"))
            raise DeckError(problems)
        errors, more = schema_errors(value)
        for err in errors:
            for (line, col), message in explain(err, root, value):
                problems.append(Problem(path, line, col, message))
        if more:
            problems.append(Problem(path, None, None, f"the check stopped after {len(errors):,} errors against the deck "
                                                      "schema; there are more — fix the ones listed, then validate again"))
        for (line, col), message in cross_check(value, root):
            problems.append(Problem(path, line, col, message))
        if problems:
            raise DeckError(problems)
        return build_deck(value, root, path), value_mark(root, ["deck"])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing allocates a great many small objects that are never
    cyclic garbage, and each collection would walk all of them (a large part of the parse time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
