"""Text that cannot hide or reorder what a patient reads, and deck text printed safely by the CLI."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import TODAY

from quiz.cli import main
from quiz.decks import DeckError, parse_deck
from quiz.models import Card, CardType, Deck
from quiz.store import Store
from quiz.text import INVISIBLE, char_name, visible

HEAD = "deck: d\ntitle: T\ndescription: D.\nsources:\n  src: A source.\ncards:\n"
HOSTILE = "\x1b[2J\u202eevil\u2066"


def quiz(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "--now", "2026-03-02T09:30:00+01:00", *args])


def test_visible_text_drops_invisible_characters_and_composes_accents():
    assert visible("cafe\u0301") == visible("café") == "café"
    assert visible("a\u200d") == visible("\u200ba\ufeff") == "a"
    assert visible("👩\u200d⚕\ufe0f") == "👩⚕"  # for comparing only: the text itself keeps its joiner
    assert INVISIBLE.fullmatch("\u2060") and not INVISIBLE.search("plain text, é, ü")


def test_a_character_is_named_with_its_code_point_and_unicode_name():
    assert char_name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert char_name("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert char_name("\U000e0001") == "U+E0001 LANGUAGE TAG"


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))])
def test_every_bidirectional_control_is_refused_even_in_a_comment(char):
    text = HEAD + f"# a comment with {char}\n  - id: c\n    type: basic\n    question: Q?\n    answer: A\n" \
                  "    source: src\n    explanation: Why.\n"
    with pytest.raises(DeckError) as caught:
        parse_deck(text.encode(), "d.yaml")
    assert str(caught.value) == (f"d.yaml:7:18: character {char_name(char)} can make text show in another order than "
                                 "it is written — delete it (text in a right-to-left language needs no control "
                                 "characters)")


@pytest.mark.parametrize("answer", ['"\\u200b\\u200c"', '"\\ufeff "', '"\\u00ad"', '"\\u2063"'])
def test_an_answer_of_only_invisible_characters_looks_empty_and_is_refused(answer):
    text = HEAD + f"  - id: c\n    type: basic\n    question: Q?\n    answer: {answer}\n    source: src\n" \
                  "    explanation: Why.\n"
    with pytest.raises(DeckError, match=r"^d\.yaml:10:13: 'answer' looks empty: it holds only invisible characters "
                                        r"such as U\+"):
        parse_deck(text.encode(), "d.yaml")


def test_a_joiner_inside_visible_text_is_kept():
    text = HEAD + "  - id: c\n    type: basic\n    question: Who treats backs? 👩\u200d⚕\ufe0f\n    answer: A\n" \
                  "    source: src\n    explanation: Why.\n"
    assert "\u200d" in parse_deck(text.encode()).cards[0].prompt


def test_two_gaps_that_read_the_same_are_a_repeated_gap():
    text = HEAD + '  - id: c\n    type: cloze\n    text: "The {{sacrum}} and the {{sac\u200brum}}."\n' \
                  "    source: src\n    explanation: Why.\n"
    with pytest.raises(DeckError, match=r"d\.yaml:9:11: the gap \{\{sac.rum\}\} appears twice"):
        parse_deck(text.encode(), "d.yaml")


# ----------------------------------------------------------------------------- printed by the CLI
def _store_with_hostile_card(db_path) -> str:
    """A database holding a card whose id and prompt carry terminal controls (an old or damaged database)."""
    card = Card("d", f"c{HOSTILE}", CardType.BASIC, f"Q{HOSTILE}\nnext line", "A", "Why", "src")
    with Store.open(db_path) as store:
        store.decks.sync(Deck("d", "T", "D", {"src": "S"}, (card,)), today=TODAY)
        store.cards.set_suspended(card.id, True)
    return card.id


def test_suspended_cards_are_listed_with_controls_escaped(db_path):
    _store_with_hostile_card(db_path)
    result = quiz(db_path, "suspended")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\u2066" not in result.output
    assert "d/c\\x1b[2J\\u202eevil\\u2066" in result.output and "Q[2J\\u202eevil\\u2066 next line" in result.output


def test_an_unknown_card_or_deck_is_named_with_controls_escaped(db_path):
    _store_with_hostile_card(db_path)
    result = quiz(db_path, "unsuspend", f"x{HOSTILE}")
    assert result.exit_code != 0 and "\x1b" not in result.output and "\u202e" not in result.output
    assert "x\\x1b[2J\\u202eevil\\u2066" in result.output
    result = quiz(db_path, "suspended", "--deck", f"x{HOSTILE}")
    assert result.exit_code != 0 and "\x1b" not in result.output and "\u202e" not in result.output


def test_lint_prints_a_hostile_file_name_escaped_in_every_line(db_path, tmp_path):
    path = tmp_path / os.fsdecode(b"d\x1b[31m\xe2\x80\xae.yaml")
    path.write_text(HEAD + "  - id: c\n    type: basic\n    question: Notwithstanding considerable heterogeneity, "
                           "what characterises degenerative intervertebral pathophysiology?\n    answer: Multifactorial "
                           "biomechanical deterioration\n    source: src\n    explanation: Why.\n", encoding="utf-8")
    result = quiz(db_path, "decks", "lint", "--max-grade", "1", str(path))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert result.output.count("d\\x1b[31m\\u202e.yaml") >= 2  # the deck's heading and the flagged card


def test_a_deck_title_from_the_database_is_listed_with_its_bidirectional_controls_escaped(db_path):
    # A deck file can no longer hold one; a database imported before could.
    with Store.open(db_path) as store:
        card = Card("d", "c", CardType.BASIC, "Q?", "A", "Why", "src")
        store.decks.sync(Deck("d", f"My deck {HOSTILE}", "D", {"src": "S"}, (card,)), today=TODAY)
    lines = quiz(db_path, "decks", "list").stdout.splitlines()
    assert next(line for line in lines if line.startswith("d ")).endswith("  My deck [2J\\u202eevil\\u2066")
