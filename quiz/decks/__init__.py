"""YAML -> validated Deck, with errors that name file:line:col."""
from quiz.decks.gaps import CLOZE_BLANK
from quiz.decks.loading import import_decks, load_decks
from quiz.decks.parsing import DeckFile, parse_deck, read_deck, yaml_data
from quiz.decks.problems import MAX_SHOWN_PROBLEMS, DeckError, Problem
from quiz.decks.reading import MAX_DECK_BYTES
from quiz.decks.schema import deck_schema, schema_path
from quiz.decks.template import new_deck_text

__all__ = [
    "CLOZE_BLANK",
    "MAX_DECK_BYTES",
    "MAX_SHOWN_PROBLEMS",
    "DeckError",
    "DeckFile",
    "Problem",
    "deck_schema",
    "import_decks",
    "load_decks",
    "new_deck_text",
    "parse_deck",
    "read_deck",
    "schema_path",
    "yaml_data",
]
