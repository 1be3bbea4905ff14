"""The commented template deck that `quiz decks new` writes: valid as written, and pointing editors at the schema."""
from __future__ import annotations

import json
import re

from quiz.decks.parsing import parse_deck
from quiz.decks.problems import DeckError
from quiz.decks.scalars import core_scalar
from quiz.decks.schema import schema_path
from quiz.text import escape_controls

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A quiz deck. `quiz help deck-format` describes the format; the line above lets an editor with a
# YAML language server (VS Code's YAML extension, Neovim, Helix...) complete fields and underline
# mistakes as you type. Check it with:   quiz decks validate {filename}
# and import it with:                    quiz decks import {filename}

# The deck's id: lowercase letters, digits and hyphens. Progress is kept under it, so keep it
# once people use the deck.
deck: {deck_id}
title: {title}
description: What this deck teaches, in one line.
# Optional: shown once a day at the start of a review.
reminder: quiz educates; it does not replace a clinician.

# Every source the cards cite: a short id, then the full citation.
sources:
  deck-format: "quiz documentation: Deck format (`quiz help deck-format`)."

cards:
  # Every card has a stable id (lowercase letters, digits, - and _): a card keeps its review
  # history while its id stays the same, whatever you change in its text. It also names its
  # source and explains why it matters (shown after the answer). Tags are optional.
  # A deck holds at most 10,000 cards; a field at most 5,000 characters. Text may not hold
  # control characters or bidirectional controls (U+202A-U+202E, U+2066-U+2069), and must show
  # something: a question, choice or gap of only invisible characters is refused.

  # basic: a question and its answer.
  - id: card-ids
    type: basic
    question: What keeps a card's review history when you edit its text?
    answer: Its id
    source: deck-format
    explanation: Identity is the card's id, never its text, so you can fix a typo without losing progress.
    tags: [format]

  # choice: 2 to 6 choices that differ visibly; the answer repeats the right one exactly.
  - id: choice-count
    type: choice
    question: How many choices may a choice card have?
    choices: ["2 to 6", "Exactly 4", "As many as you like"]
    answer: "2 to 6"
    source: deck-format
    explanation: Fewer than 2 is no choice, and more than 6 is hard to read on a small screen.

  # truefalse: a statement; the answer is true or false, without quotes.
  # To rename a card, change its id and list the old one under previous_ids: its history
  # moves to the new id at the next import (without it, the card starts again from scratch).
  - id: removed-cards-keep-history
    # previous_ids: [old-card-id]
    type: truefalse
    question: A card removed from the file loses its review history.
    answer: false
    source: deck-format
    explanation: It is retired instead, and comes back with its history if you put it back.

  # cloze: a sentence with up to 20 {{{{gaps}}}}; each gap is asked on its own, the others filled in.
  # A gap is known by its words, so you may reorder the gaps; changing a gap's words starts
  # that gap afresh.
  - id: cloze-gaps
    type: cloze
    text: "In a cloze card each {{{{gap}}}} is asked on its own, with the other gaps {{{{filled in}}}}."
    source: deck-format
    explanation: One sentence can then test several facts, one at a time.
"""


def new_deck_text(deck_id: str, filename: str) -> str:
    """A commented template deck with id `deck_id` that validates, pointing editors at the schema.

    Raises DeckError (one line, no position) when `deck_id` is not a valid deck id.
    """
    # The file name and the schema's path go into comments: written on one line, as text UTF-8 can hold.
    filename, schema = escape_controls(filename), escape_controls(str(schema_path()))
    # Validate the id through the same rules as any deck; quoted, so no id can change the template's shape.
    probe = _TEMPLATE.format(schema=schema, filename=filename, deck_id=json.dumps(deck_id), title="Probe")
    try:
        parse_deck(probe.encode("utf-8"), "<new deck>")
    except DeckError as err:
        raise DeckError("; ".join(escape_controls(p.message) for p in err.problems)) from None
    title = deck_id.replace("-", " ").strip().capitalize()
    return _TEMPLATE.format(schema=schema, filename=filename, deck_id=_yaml_text(deck_id), title=_yaml_text(title))


def _yaml_text(value: str) -> str:
    """`value` as a YAML plain scalar when it reads back as that text, else double-quoted."""
    return value if core_scalar(value) == value and re.fullmatch(r"[\w][\w .-]*", value) else json.dumps(value)
