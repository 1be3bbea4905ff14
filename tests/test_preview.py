"""`quiz decks preview FILE`: the review screen on a deck file, driven with Pilot at 80x24 (and its CLI errors)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_support import Clock, screen_lines, tui, visible_text

from quiz.cli import main
from quiz.review import Phase
from quiz.tui.screens.preview import make_preview_app
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.widgets.card_view import CardBody
from quiz.tui.widgets.plain import Plain

DECK = """\
deck: prev
title: Preview test
description: One card of each type.
sources:
  src: "A source, spelt out."
cards:
  - id: basic-one
    type: basic
    question: What does the spinous process shield?
    answer: The spinal cord
    source: src
    explanation: It is the bump you feel on your back.
  - id: choice-one
    type: choice
    question: Which part of a vertebra bears weight?
    choices: ["The spinous process", "The vertebral body", "The sacrum"]
    answer: "The vertebral body"
    source: src
    explanation: The body sits in front of the cord.
  - id: tf-one
    type: truefalse
    question: Disc degeneration is a normal part of ageing.
    answer: true
    source: src
    explanation: A scan showing it does not prove it causes pain.
  - id: cloze-one
    type: cloze
    text: "The {{lumbar}} spine has {{five}} vertebrae."
    source: src
    explanation: Lumbar means of the lower back.
"""

ORDER = ["prev/basic-one", "prev/choice-one", "prev/tf-one", "prev/cloze-one#lumbar", "prev/cloze-one#five"]


@pytest.fixture
def deck(tmp_path, monkeypatch) -> Path:
    """The deck file, with the learner's database (QUIZ_DB and the default one) pointed into tmp_path."""
    monkeypatch.setenv("QUIZ_DB", str(tmp_path / "learner.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "deck.yaml"
    path.write_text(DECK, encoding="utf-8")
    return path


def learner_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "learner.db", tmp_path / "data") if p.exists()]


def shown_id(app) -> str | None:
    entry = app.screen.view.entry
    return entry.card.id if entry else None


def problems_text(app) -> str | None:
    panel = app.screen.query_one("#problems", Plain)
    return str(panel.render()) if panel.display else None


def save(path: Path, text: str) -> None:
    """As an editor that writes a new file and renames it into place does (a new inode)."""
    new = path.with_name(path.name + ".new")
    new.write_text(text, encoding="utf-8")
    os.replace(new, path)


# --------------------------------------------------------------------- every card, every type
@tui
async def test_every_card_of_each_type_in_file_order_nothing_recorded(deck, tmp_path):
    app = make_preview_app(str(deck), clock=Clock())
    folder = app.preview.folder
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)  # the review screen's own code and widgets draw the cards
        assert isinstance(screen.query_one("#body"), CardBody)
        text = visible_text(app)
        assert f"Preview of {deck} — nothing is recorded" in text
        assert "Card 1 of 5" in text
        # basic: Space reveals, any grade moves on
        assert shown_id(app) == ORDER[0]
        assert "The spinal cord" not in visible_text(app)
        await pilot.press("space")
        assert "The spinal cord" in visible_text(app) and "Source: A source, spelt out." in visible_text(app)
        await pilot.press("1")  # Again (a failing grade) is not re-drilled: the next card in the file comes
        # choice: a wrong pick shows the right answer, Enter moves on
        assert shown_id(app) == ORDER[1]
        assert "b) The vertebral body" in visible_text(app)
        await pilot.press("a")
        assert screen.view.phase is Phase.FEEDBACK
        assert "You chose a) The spinous process." in visible_text(app)
        assert "records nothing" in visible_text(app)
        await pilot.press("enter")
        # true/false: a right pick asks how easy, Enter (4) moves on
        assert shown_id(app) == ORDER[2]
        drawn = "\n".join(screen_lines(app))  # the wrong pick's key lines are gone from the terminal too
        assert "Press t for true or f for false." in drawn and "Wrong pick" not in drawn
        await pilot.press("t")
        assert "✓ Right" in visible_text(app)
        await pilot.press("enter")
        # cloze: each gap on its own, in the file's order
        assert shown_id(app) == ORDER[3]
        assert "The _____ spine has five vertebrae." in visible_text(app)
        await pilot.press("enter")
        assert "lumbar" in visible_text(app).split("Answer", 1)[1]
        await pilot.press("1")
        assert shown_id(app) == ORDER[4]
        # u goes back one card, and forward again
        await pilot.press("u")
        assert shown_id(app) == ORDER[3] and screen.view.phase is Phase.QUESTION
        await pilot.press("enter", "3")
        await pilot.press("enter", "3")
        # the end of the deck: said so, no summary, r starts again
        assert app.screen is screen and shown_id(app) is None
        assert "End of the deck" in visible_text(app) and "Press r to start again" in visible_text(app)
        await pilot.press("s", "B")  # nothing to suspend or bury in a preview
        await pilot.press("r")
        assert shown_id(app) == ORDER[0]
        drawn = "\n".join(screen_lines(app))
        assert "Press Space or Enter to show the answer." in drawn and "Press r to start again" not in drawn
        assert os.path.isdir(folder)
        store = app.preview.store
        assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM card_state WHERE suspended OR buried_until IS NOT NULL"
                                  " OR due_on IS NOT NULL").fetchone()[0] == 0
        await pilot.press("q")
    assert not os.path.exists(folder)  # the throwaway store went with the app
    assert learner_files(tmp_path) == []  # the learner's database was never created
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml"]
    assert deck.read_text(encoding="utf-8") == DECK


@tui
async def test_after_a_wrong_pick_the_next_cards_keys_are_drawn_even_when_they_read_as_before(deck):
    # Two choice cards with as many choices: the second card's key line is the one the first had
    # before its wrong pick replaced it, and it must be drawn again.
    second = """
  - id: choice-two
    type: choice
    question: Which part of the spine is the lowest?
    choices: ["The sacrum", "The neck", "The thorax"]
    answer: "The sacrum"
    source: src
    explanation: The sacrum sits between the hip bones.
"""
    deck.write_text(DECK.replace("  - id: tf-one", second.lstrip("\n") + "  - id: tf-one"), encoding="utf-8")
    app = make_preview_app(str(deck), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "1")  # the basic card
        assert shown_id(app) == "prev/choice-one"
        assert "Press a–c to choose." in "\n".join(screen_lines(app))
        await pilot.press("a")  # wrong
        assert "Wrong pick" in "\n".join(screen_lines(app))
        await pilot.press("enter")
        assert shown_id(app) == "prev/choice-two"
        drawn = "\n".join(screen_lines(app))
        assert "Press a–c to choose." in drawn and "Wrong pick" not in drawn
        await pilot.press("q")


# --------------------------------------------------------------------- saving the file
@tui
async def test_a_save_reloads_and_keeps_the_place(deck):
    app = make_preview_app(str(deck), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("space", "3")
        assert shown_id(app) == ORDER[1]
        # A card added before it and its question edited: the same card stays, with its new text.
        added = DECK.replace("  - id: choice-one\n", "  - id: added\n    type: basic\n    question: New?\n"
                             "    answer: Yes\n    source: src\n    explanation: Added.\n  - id: choice-one\n")
        save(deck, added.replace("Which part of a vertebra bears weight?", "Which part carries the load?"))
        screen.check_file()
        await pilot.pause()
        assert shown_id(app) == ORDER[1]
        text = visible_text(app)
        assert "Which part carries the load?" in text and "Card 3 of 6" in text
        # The card on screen removed (and the added one): the same position, card 3, is now the first gap.
        save(deck, DECK.replace("Which part of a vertebra bears weight?", "X?").split("  - id: choice-one")[0]
             + "  - id: tf-one" + DECK.split("  - id: tf-one")[1])
        screen.check_file()
        await pilot.pause()
        assert shown_id(app) == ORDER[3] and "Card 3 of 4" in visible_text(app)
        # The poll itself (set_interval) sees a save too.
        save(deck, DECK.replace("The {{lumbar}} spine", "The {{lumbar}} (lower) spine"))
        await pilot.pause(0.8)
        assert shown_id(app) == ORDER[3] and "The _____ (lower) spine has five vertebrae." in visible_text(app)
        # A rename over it of a file the same size and time (only the inode differs) is a save too.
        before = deck.stat()
        same_size = DECK.replace("The {{lumbar}} spine", "The {{lumbar}} (LOWER) spine")
        new = deck.with_name("deck.yaml.new")
        new.write_text(same_size, encoding="utf-8")
        os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert new.stat().st_size == before.st_size
        os.replace(new, deck)
        screen.check_file()
        await pilot.pause()
        assert "The _____ (LOWER) spine has five vertebrae." in visible_text(app)
        # An unchanged file is not read again.
        assert screen.preview.poll(app.clock()) is False


@tui
async def test_a_broken_save_shows_its_problems_and_keeps_the_cards_until_a_good_save(deck):
    app = make_preview_app(str(deck), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert problems_text(app) is None
        broken = DECK.replace("    type: basic\n", "    type: basic\n    \"[b]colour[/b]\": red\n").replace(
            "What does the spinous process shield?", "Edited but broken?")
        save(deck, broken)
        screen.check_file()
        await pilot.pause()
        panel = problems_text(app)
        assert panel is not None
        assert re.search(rf"{re.escape(str(deck))}:9:5: unknown field '\[b\]colour\[/b\]'", panel)  # literal, not markup
        assert shown_id(app) == ORDER[0] and "What does the spinous process shield?" in visible_text(app)
        assert "Edited but broken?" not in visible_text(app)
        # The panel is on the terminal, above the card.
        await pilot.press("space")
        assert "The spinal cord" in visible_text(app)
        save(deck, DECK.replace("What does the spinous process shield?", "Edited and fixed?"))
        screen.check_file()
        await pilot.pause()
        assert problems_text(app) is None
        assert "Edited and fixed?" in visible_text(app)
        assert screen.view.phase is Phase.REVEALED  # the place kept, the answer still shown


@tui
async def test_a_file_that_disappears_for_a_moment_is_waited_for(deck):
    app = make_preview_app(str(deck), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        deck.unlink()
        screen.check_file()
        screen.check_file()
        await pilot.pause()
        assert problems_text(app) is None and shown_id(app) == ORDER[0]  # a rename in progress: nothing said
        screen.check_file()
        await pilot.pause()
        assert "the file is gone; waiting for it" in (problems_text(app) or "")
        deck.write_text(DECK.replace("What does the spinous process shield?", "Back again?"), encoding="utf-8")
        screen.check_file()
        await pilot.pause()
        assert problems_text(app) is None and "Back again?" in visible_text(app)


# --------------------------------------------------------------------- the command's errors
def run(*args: str):
    return CliRunner().invoke(main, ["decks", "preview", *args])


@pytest.mark.parametrize("name, content, expected", [
    ("missing.yaml", None, r"missing\.yaml: cannot read the file: No such file or directory"),
    ("folder", "folder", r"folder: is a folder; give one deck file to preview"),
    ("bad.yaml", DECK.replace("    type: truefalse\n", "    type: truefalse\n    colour: red\n"),
     r"bad\.yaml:22:5: unknown field 'colour'"),
])
def test_a_file_that_cannot_be_previewed_is_one_line_and_exit_1(deck, tmp_path, name, content, expected):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    assert re.search(expected, result.stderr), result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert len([line for line in result.stderr.splitlines() if str(path) in line]) == 1
    assert learner_files(tmp_path) == []


def test_a_good_deck_needs_a_terminal(deck, tmp_path, monkeypatch):
    def no_store(*args, **kwargs):
        raise AssertionError("a throwaway store was made before the terminal was checked")

    monkeypatch.setattr("quiz.preview.tempfile.mkdtemp", no_store)
    result = run(str(deck))
    assert result.exit_code == 1
    assert "the review session needs a terminal" in result.stderr
    assert learner_files(tmp_path) == []
