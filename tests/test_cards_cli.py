"""`quiz suspended` lists suspended cards and `quiz unsuspend` brings them back."""
from __future__ import annotations

from click.testing import CliRunner
from conftest import TODAY, make_deck

from quiz.cli import main
from quiz.store import Store


def run(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), *args])


def seeded(db_path, suspended=("anatomy/c2",)):
    with Store.open(db_path) as store:
        store.decks.sync(make_deck(n=3), today=TODAY)
        store.decks.sync(make_deck("discs", n=1), today=TODAY)
        for card_id in suspended:
            store.cards.set_suspended(card_id, True)


def suspended_ids(db_path):
    with Store.open(db_path) as store:
        return [due.card.id for due in store.cards.suspended()]


def test_suspended_lists_each_card_id_with_its_question(db_path):
    seeded(db_path, suspended=("anatomy/c2", "discs/c1"))
    result = run(db_path, "suspended")
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == ["anatomy/c2  Question 2?", "discs/c1    Question 1?"]
    assert "2 suspended" in result.output
    only = run(db_path, "suspended", "--deck", "discs")
    assert only.output.splitlines()[0] == "discs/c1  Question 1?"


def test_suspended_says_so_when_there_are_none(db_path):
    seeded(db_path, suspended=())
    assert run(db_path, "suspended").output == "No suspended cards.\n"


def test_unsuspend_brings_cards_back(db_path):
    seeded(db_path, suspended=("anatomy/c2", "discs/c1"))
    result = run(db_path, "unsuspend", "anatomy/c2")
    assert result.exit_code == 0 and result.output == "anatomy/c2: back in sessions\n"
    assert suspended_ids(db_path) == ["discs/c1"]


def test_unsuspend_with_an_unknown_id_changes_nothing(db_path):
    seeded(db_path, suspended=("anatomy/c2", "discs/c1"))
    result = run(db_path, "unsuspend", "discs/c1", "anatomy/nope")
    assert result.exit_code == 1
    assert "quiz: no card 'anatomy/nope'" in result.output and "nothing was changed" in result.output
    assert suspended_ids(db_path) == ["anatomy/c2", "discs/c1"]


def test_a_card_prompt_with_an_escape_sequence_prints_without_it(db_path):
    from dataclasses import replace

    deck = make_deck(n=1)
    deck = replace(deck, cards=(replace(deck.cards[0], prompt="[bold]x[/bold] \x1b[2Jgone"),))
    with Store.open(db_path) as store:
        store.decks.sync(deck, today=TODAY)
        store.cards.set_suspended("anatomy/c1", True)
    result = run(db_path, "suspended")
    assert "anatomy/c1  [bold]x[/bold] [2Jgone" in result.output and "\x1b" not in result.output
