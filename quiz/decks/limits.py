"""Limits on what one deck file may hold, counted on the YAML events before any node or value is built."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import yaml

from quiz.decks.gaps import CLOZE_GAP
from quiz.decks.problems import Problem

# Each limit is far above any real deck (a few hundred cards of a few sentences each) and keeps the
# work of validating a file within the size limit proportional to its size: bench/bench_decks.py
# measures it, docs/deck-format.md states it.

#: Cards in one deck. A deck of 10,000 cards is about 3 MB.
MAX_CARDS = 10_000
#: Gaps in one cloze card's text: each gap is asked with the whole text, so a text's gaps multiply it.
MAX_GAPS = 20
#: Choices of a choice card (the format's own limit, the schema's maxItems).
MAX_CHOICES = 6
#: Characters in one field (a question, an explanation, a citation...), as the schema's maxLength counts them.
MAX_FIELD_CHARS = 5_000
#: Values in one deck: every text, list, list item and field. A card has about 20; a deck of 10,000
#: cards about 200,000. Bounds the YAML node tree, whose size in memory follows their number.
MAX_VALUES = 400_000
#: Our format is at most 4 levels deep (deck > cards > card > choices); anything far deeper is a mistake.
MAX_DEPTH = 20
#: Anchors and aliases listed before "and N more".
_MAX_ANCHOR_PROBLEMS = 5
#: Limit problems listed before the count stops (each is about one field; a file can have thousands).
_MAX_LIMIT_PROBLEMS = 50

_ROOT, _CARDS, _CARD, _CHOICES, _TEXT, _OTHER = "root", "cards", "card", "choices", "text", "other"


@dataclass
class _Frame:
    """An open mapping or sequence: what it is in a deck and what has been counted in it."""

    role: str
    mapping: bool
    items: int = 0
    key: str | None = None
    at_key: bool = True  # a mapping's next node is a key


class LimitsExceeded(Exception):
    """Raised inside the count to end it at once (a limit that makes the rest of the file moot)."""


def census(text: str, path: str, loader: type) -> list[Problem]:
    """The anchors, aliases and exceeded limits of a deck's YAML `text`, read as events with `loader`
    (memory: one frame per level of nesting, whatever the file's size).

    A syntax error ends the count quietly: composing the file reports it with its position.
    """
    anchors: list[Problem] = []
    limits: list[Problem] = []
    stack: list[_Frame] = []
    values = 0
    events = yaml.parse(text, Loader=loader)
    try:
        for event in events:
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                if isinstance(event, yaml.DocumentEndEvent):
                    break  # a second document is an error that composing reports
                continue
            values += 1
            if values > MAX_VALUES:
                limits.append(_problem(path, event, f"the deck holds more than {MAX_VALUES:,} values (texts, fields and "
                                                    "list items; a deck of 10,000 cards has about 200,000) — split it "
                                                    "into several decks, or look for a runaway list here"))
                raise LimitsExceeded
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                what = f"alias *{event.anchor}" if isinstance(event, yaml.AliasEvent) else f"anchor &{event.anchor}"
                anchors.append(_problem(path, event, f"YAML {what} is not allowed in a deck (anchors and aliases can "
                                                     "make a small file expand enormously) — write the text out in full"))
            role = _place(stack, event, path, limits)
            if isinstance(event, yaml.ScalarEvent):
                _check_text(event, role, path, limits)
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    limits.append(_problem(path, event, "nested far too deeply to be part of a deck — check the "
                                                        "indentation and the brackets"))
                    raise LimitsExceeded
                stack.append(_Frame(role, isinstance(event, yaml.MappingStartEvent)))
            if len(limits) >= _MAX_LIMIT_PROBLEMS:
                raise LimitsExceeded
    except (LimitsExceeded, yaml.YAMLError):
        pass
    finally:
        events.close()
    if len(anchors) > _MAX_ANCHOR_PROBLEMS:  # one billion-laughs file would otherwise fill the screen
        last = anchors[_MAX_ANCHOR_PROBLEMS - 1]
        more = len(anchors) - _MAX_ANCHOR_PROBLEMS
        anchors = anchors[:_MAX_ANCHOR_PROBLEMS - 1] + [
            Problem(path, last.line, last.column, f"{last.message} (and {more} more anchors or aliases after this)")]
    return anchors + limits


def _place(stack: list[_Frame], event: yaml.NodeEvent, path: str, limits: list[Problem]) -> str:
    """Count `event`'s node in its parent and say what it is in a deck (the role of a collection it opens)."""
    if not stack:
        return _ROOT
    parent = stack[-1]
    if parent.mapping:
        if parent.at_key:
            parent.at_key = False
            parent.key = event.value if isinstance(event, yaml.ScalarEvent) else None
            return _OTHER
        parent.at_key = True
        if parent.role == _ROOT and parent.key == "cards":
            return _CARDS
        if parent.role == _CARD and parent.key in ("choices", "text"):
            return _CHOICES if parent.key == "choices" else _TEXT
        return _OTHER
    parent.items += 1
    if parent.role == _CARDS:
        if parent.items > MAX_CARDS:
            limits.append(_problem(path, event, f"the deck has more than {MAX_CARDS:,} cards — split it into several "
                                                "decks (or check that this is the right file)"))
            raise LimitsExceeded
        return _CARD
    if parent.role == _CHOICES and parent.items == MAX_CHOICES + 1:
        limits.append(_problem(path, event, f"a choice card has at most {MAX_CHOICES} choices; this is choice "
                                            f"{MAX_CHOICES + 1} — remove some"))
    return _OTHER


def _check_text(event: yaml.ScalarEvent, role: str, path: str, limits: list[Problem]) -> None:
    text = event.value
    if role == _TEXT:
        gaps = sum(1 for _ in itertools.islice(CLOZE_GAP.finditer(text), MAX_GAPS + 1))
        if gaps > MAX_GAPS:
            limits.append(_problem(path, event, f"a cloze card has at most {MAX_GAPS} gaps (each is asked with the "
                                                f"whole text); this text has more — split it into several cards"))
            return
    if len(text) > MAX_FIELD_CHARS:
        limits.append(_problem(path, event, f"this value is {len(text):,} characters long; a field holds at most "
                                            f"{MAX_FIELD_CHARS:,} — shorten it, or split it into several cards"))


def _problem(path: str, event: yaml.Event, message: str) -> Problem:
    return Problem(path, event.start_mark.line + 1, event.start_mark.column + 1, message)
