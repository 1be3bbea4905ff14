"""Helpers for the Textual tests (tests/test_tui_*.py): a settable clock, decks in code, screen text."""
from __future__ import annotations

import asyncio
import functools
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from conftest import NOW
from rich.text import Text
from textual.content import Content
from textual.widgets import OptionList, Static

from quiz import reminder
from quiz.days import study_day
from quiz.models import Card, CardType, Deck
from quiz.store import Store
from quiz.tui.app import make_app
from quiz.tui.widgets.card_view import CardBody
from quiz.tui.widgets.meter import SessionHeader


class Clock:
    """A clock the test moves by hand (the app reads it at every answer)."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def tui(test):
    """Run an async test function with asyncio (no pytest plugin needed); fixtures still work."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def mixed_deck(deck_id: str = "spine", **overrides) -> Deck:
    """One card of each type, in this order: basic, choice, truefalse, cloze."""
    cards = (
        Card(deck_id, "basic", CardType.BASIC, "What does the spinous process shield?", "The spinal cord",
             "It is the bump you feel on your back.", "enke"),
        Card(deck_id, "choice", CardType.CHOICE, "Which part of a vertebra bears weight?", "The vertebral body",
             "The body sits in front of the cord.", "enke",
             choices=("The spinous process", "The vertebral body", "The sacrum")),
        Card(deck_id, "tf", CardType.TRUEFALSE, "Disc degeneration is a normal part of ageing.", "true",
             "A scan showing it does not prove it causes pain.", "enke"),
        Card(deck_id, "cloze", CardType.CLOZE, "Up to ___ of low back pain is non-specific.", "85%",
             "Non-specific: no single cause can be found.", "enke", gap=1),
    )
    fields = dict(id=deck_id, title="Spine basics", description="Test deck",
                  sources={"enke": "Enke O et al. CMAJ 2018. doi:10.1503/cmaj.171333"}, cards=cards)
    fields.update(overrides)
    return Deck(**fields)


@asynccontextmanager
async def running(store: Store, clock: Clock, *, start_review: bool = True, deck_id: str | None = None,
                  show_reminder: bool = False, notifications: bool = False, size=(80, 24),
                  grade_scale: int | None = None):
    """The app at 80x24 on `store`; the daily reminder is taken as already seen unless `show_reminder`.

    `grade_scale`: 4 or 6 sets that scale first (None keeps the store's setting, by default the simple one).
    """
    if grade_scale is not None:
        store.set_setting("grade_scale", grade_scale)
    if not show_reminder:
        reminder.mark_shown(store, study_day(clock(), store.settings().day_start_hour))
    app = make_app(store, clock=clock, deck_id=deck_id, start_review=start_review)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await pilot.pause()
        yield app, pilot


def _plain(visual: object) -> str:
    if isinstance(visual, Content):
        return visual.plain
    if isinstance(visual, Text):
        return visual.plain
    return str(visual)


def _shown(widget) -> bool:
    node = widget
    while node is not None and hasattr(node, "display"):
        if not node.display:
            return False
        node = node.parent
    return True


def visible_text(app) -> str:
    """The text of every displayed widget on the current screen (notifications included), unwrapped."""
    parts = []
    for widget in app.screen.walk_children():
        if not _shown(widget):
            continue
        if widget.border_title:  # the card box's title: its deck and what kind of card
            parts.append(Content.from_markup(widget.border_title).plain)
        if isinstance(widget, OptionList):
            parts += [_plain(option.prompt) for option in widget.options]
        elif isinstance(widget, (Static, CardBody, SessionHeader)):
            parts.append(_plain(widget.render()))
    return "\n".join(parts)


def screen_lines(app) -> list[str]:
    """The terminal as drawn, one string per row (80x24 in these tests).

    Textual has no public call for this (export_screenshot gives SVG), so it reads the compositor.
    """
    return [strip.text for strip in app.screen._compositor.render_strips()]


def review_rows(store: Store) -> list[tuple]:
    """(card_id, quality, kind, study_day) of every logged answer, oldest first."""
    return store.conn.execute("SELECT card_id, quality, kind, study_day FROM reviews ORDER BY id").fetchall()


def state_row(store: Store, card_id: str) -> tuple:
    """(repetitions, easiness_centi, interval_days, due_on, lapses, suspended, buried_until)."""
    return store.conn.execute(
        "SELECT repetitions, easiness_centi, interval_days, due_on, lapses, suspended, buried_until"
        " FROM card_state WHERE card_id = ?", (card_id,)).fetchone()


def shown_card(app):
    """The card on the review screen (in FEEDBACK: the one just answered), or None."""
    entry = app.screen.view.entry
    return entry.card if entry else None
