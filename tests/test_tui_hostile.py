"""Deck text that looks like markup, variables or actions appears literally on every screen and runs nothing."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from conftest import TODAY
from tui_support import Clock, running, screen_lines, tui, visible_text

from quiz.models import Card, CardType, Deck
from quiz.review import Phase
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.reminder import ReminderScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.screens.suspended import SuspendedScreen

HOSTILE_YAML = Path(__file__).parent / "data" / "hostile" / "hostile.yaml"

TITLE = "[bold]Hostile[/bold] deck [red $accent 🦴"
REMINDER = "[@click=app.quit]Click me[/] — [blink]$variable[/blink] ⚠️"
CITATION = "[link=https://evil.example]Evil[/link] $source [/] citation"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
BASIC_Q = "What is [bold]this[/bold]? [/] [red $variable 🦴"
BASIC_A = "[@click=app.quit]x[/]"
BASIC_WHY = f"[link=https://x]x[/link] then {LONG_WORD} and ألم أسفل الظهر"
CHOICE_Q = "Pick [b]one[/b] 🙂 [$accent]"
CHOICES = ("[bold]", "[/]", "[red", "[@click=app.quit]x[/]")
TF_Q = "[@click=app.bell]ring[/] $x is [i]italic[/i]"
TF_WHY = "עברית [i]ltr[/i] mixed"
CLOZE_Q = "The _____ holds [i]red[/i] [red text"
CLOZE_A = "[bold]gap[/]"
CLOZE_WHY = "[@click=screen.dismiss]close[/] and $variable"


def hostile_deck() -> Deck:
    """The deck of tests/data/hostile/hostile.yaml, built in code (no loader needed)."""
    d = "hostile"
    cards = (
        Card(d, "markup-basic", CardType.BASIC, BASIC_Q, BASIC_A, BASIC_WHY, "src"),
        Card(d, "markup-choice", CardType.CHOICE, CHOICE_Q, "[red", "Choices such as [/] and [red must stay text.",
             "src", choices=CHOICES),
        Card(d, "markup-truefalse", CardType.TRUEFALSE, TF_Q, "false", TF_WHY, "src"),
        Card(d, "markup-cloze", CardType.CLOZE, CLOZE_Q, CLOZE_A, CLOZE_WHY, "src", gap="bold-gap"),
    )
    return Deck(d, TITLE, "[link=https://x]x[/link] and [@click=app.quit]quit[/]", {"src": CITATION}, cards,
                reminder=REMINDER)


def assert_alive(app) -> None:
    """Nothing quit the app or crashed it (an `[@click=app.quit]` that ran would have ended it)."""
    assert app.is_running and app.return_code is None and not app._exit


def test_the_hostile_yaml_holds_the_same_strings_as_the_deck_built_in_code():
    from quiz.decks import read_deck

    loaded = read_deck(HOSTILE_YAML).deck
    expected = hostile_deck()
    assert [dataclasses.replace(c, line=0) for c in loaded.cards] == list(expected.cards)
    assert (loaded.title, loaded.description, loaded.sources, loaded.reminder) == \
        (expected.title, expected.description, expected.sources, expected.reminder)


@tui
async def test_hostile_text_is_literal_on_every_screen_and_runs_nothing(store):
    store.decks.sync(hostile_deck(), today=TODAY)
    clock = Clock()
    async with running(store, clock, start_review=False, show_reminder=True, notifications=True) as (app, pilot):
        # The reminder, with the deck's own reminder text.
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        text = visible_text(app)
        assert f"{TITLE}: {REMINDER}" in text
        await pilot.press("enter")
        assert_alive(app)

        # Home: the deck's title.
        assert isinstance(app.screen, HomeScreen)
        assert TITLE in visible_text(app)
        await pilot.press("down", "enter")  # the hostile deck's own line
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_id == "hostile"

        # Review: prompt, then reveal with answer, explanation (long word, RTL) and source.
        text = visible_text(app)
        assert BASIC_Q in text and TITLE in text
        await pilot.press("space")
        text = visible_text(app)
        for literal in (BASIC_A, BASIC_WHY, f"Source: {CITATION}"):
            assert literal in text
        assert_alive(app)
        await pilot.press("1")
        await pilot.press("u")  # the undo notification quotes the prompt
        await pilot.pause()
        assert f"Undone: your answer to “{BASIC_Q}”." in visible_text(app)
        await pilot.press("space", "1")

        # Choice: every choice, then the wrong pick and the right answer.
        text = visible_text(app)
        assert CHOICE_Q in text
        for key, choice in zip("abcd", CHOICES):
            assert f"{key}) {choice}" in text
        await pilot.press("a")
        text = visible_text(app)
        assert "You chose a) [bold]" in text and "✗ Wrong: the right answer is c) [red" in text
        assert "Choices such as [/] and [red must stay text." in text
        await pilot.press("enter")

        # True/false.
        assert TF_Q in visible_text(app)
        await pilot.press("f")
        text = visible_text(app)
        assert "✓ Right: the statement is false" in text and TF_WHY in text
        await pilot.press("4")

        # Cloze, then suspend it: the notification quotes the prompt.
        assert CLOZE_Q in visible_text(app)
        await pilot.press("space")
        text = visible_text(app)
        assert CLOZE_A in text and CLOZE_WHY in text
        await pilot.press("s")
        await pilot.pause()
        assert f"“{CLOZE_Q}”: it stays out until you bring it back" in visible_text(app)
        assert_alive(app)

        # End the session: the summary names the deck and the missed cards.
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        text = visible_text(app)
        assert TITLE in text and f"✗ {BASIC_Q}" in text and f"✗ {CHOICE_Q}" in text
        await pilot.press("enter")

        # The suspended list, then bring the card back: the notification quotes it.
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("x")
        assert isinstance(app.screen, SuspendedScreen)
        text = visible_text(app)
        assert TITLE in text and CLOZE_Q in text
        # The terminal itself shows the brackets (no markup was applied on the way to the screen).
        assert any("[bold]Hostile[/bold]" in line for line in screen_lines(app))
        await pilot.press("enter")
        await pilot.pause()
        assert f"Back in sessions: “{CLOZE_Q}”." in visible_text(app)
        assert_alive(app)
    assert store.cards.suspended() == []


@tui
async def test_control_codes_in_stored_text_are_not_sent_to_the_terminal(store):
    deck = hostile_deck()
    deck = dataclasses.replace(deck, cards=(dataclasses.replace(deck.cards[0], prompt="before\x1b[2Jafter\x07"),))
    store.decks.sync(deck, today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        assert "before[2Jafter" in visible_text(app)
        assert not any("\x1b" in line or "\x07" in line for line in screen_lines(app))
        await pilot.press("space", "4")
        assert_alive(app)


@tui
async def test_a_hostile_deck_reminder_on_quiz_review_is_literal_too(store):
    store.decks.sync(hostile_deck(), today=TODAY)
    async with running(store, Clock(), show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen) and REMINDER in visible_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.view.phase is Phase.QUESTION
        assert_alive(app)
