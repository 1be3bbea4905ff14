"""The home screen, the once-a-day reminder, themes, NO_COLOR, the suspended list and the stats key."""
from __future__ import annotations

from datetime import datetime, timedelta

from conftest import LOCAL, TODAY, make_deck
from tui_support import Clock, running, screen_lines, tui, visible_text

from quiz import reminder
from quiz.models import ReviewKind
from quiz.tui.app import make_app
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.reminder import ReminderScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.screens.suspended import SuspendedScreen


def answer_on(store, card_id, day, grade=5):
    store.log.record(card_id, grade, kind=ReviewKind.REVIEW, study_day=day, answer_ms=2000,
                        reviewed_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL))


# --------------------------------------------------------------------- home
@tui
async def test_home_shows_each_deck_with_its_counts_todays_progress_and_the_streak(store):
    store.decks.sync(make_deck("anatomy", n=4, title="Spinal anatomy"), today=TODAY)
    store.decks.sync(make_deck("discs", n=2, title="Disc degeneration"), today=TODAY)
    for days_ago in (2, 1):
        answer_on(store, f"anatomy/c{days_ago}", TODAY - timedelta(days=days_ago))  # due again by today
    answer_on(store, "anatomy/c3", TODAY, grade=2)
    async with running(store, Clock(), start_review=False) as (app, _pilot):
        assert isinstance(app.screen, HomeScreen)
        text = visible_text(app)
    assert "Monday 2 March 2026" in text and "streak: 3 days in a row" in text
    assert "1 answer today (0 of 1 right, 2 s)" in text
    # c1 (overdue) and c2 are due; c3 failed today (learning again: due tomorrow); c4 is new. The
    # states add up to the deck's cards; "due today" is how many of them a session asks.
    assert "Spinal anatomy\n   4 cards: 1 new · 3 learning · 2 due today" in text
    assert "Disc degeneration\n   2 cards: 2 new · 0 due today" in text
    assert "Up next: 2 reviews, 3 new cards, 1 to repeat" in text


@tui
async def test_enter_on_a_deck_starts_a_session_on_that_deck_only(store):
    store.decks.sync(make_deck("anatomy", n=2), today=TODAY)
    store.decks.sync(make_deck("discs", n=2), today=TODAY)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        await pilot.press("down", "down", "enter")  # All decks, anatomy, discs
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_id == "discs"
        await pilot.press("space", "4", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        shown = visible_text(app)  # the home screen re-reads its figures
        assert "2 cards: 2 new · 0 due today" in shown and "2 cards: 2 learning · 0 due today" in shown
        assert "2 answers today" in shown


@tui
async def test_r_reviews_every_deck_and_the_first_run_with_no_decks_says_how_to_add_one(store):
    async with running(store, Clock(), start_review=False) as (app, pilot):
        assert "No decks yet" in visible_text(app)
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen) and "Nothing to review" in visible_text(app)


@tui
async def test_s_opens_the_stats_screen_from_home_and_from_the_summary(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen) and app.screen.today == TODAY
        app.pop_screen()  # the stats screen's own keys are the stats engineer's
        await pilot.press("r", "space", "3")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)


@tui
async def test_stats_on_a_database_that_cannot_be_read_says_so_instead_of_crashing(store, monkeypatch):
    from quiz.store import StoreError

    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock(), start_review=False, notifications=True) as (app, pilot):
        def unreadable():
            raise StoreError("cannot read or write quiz.db (disk I/O error)")

        monkeypatch.setattr(store, "settings", unreadable)  # the day's start hour can no longer be read
        await pilot.press("s")
        assert app.is_running and isinstance(app.screen, HomeScreen)
        assert "Could not read the database" in visible_text(app)


@tui
async def test_quiz_review_goes_home_after_the_summary(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
    assert not app.is_running


# --------------------------------------------------------------------- the reminder (issue 4.6)
@tui
async def test_the_reminder_shows_before_the_first_session_of_each_study_day(store):
    store.decks.sync(make_deck(n=2, reminder="This deck teaches; ask your physiotherapist."), today=TODAY)
    clock = Clock()
    async with running(store, clock, start_review=False, show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)  # over the home screen, for today's decks
        text = visible_text(app)
        assert "does not replace a doctor" in text and "not a complete list" in text
        assert "Red flags are signs that back pain needs prompt medical care" in text
        for flag in ("trauma", "fever", "a history of cancer", "significant muscle weakness", "bladder or bowels"):
            assert flag in text
        assert "Anatomy: This deck teaches; ask your physiotherapist." in text
        await pilot.press("4")  # a key meant for the review does nothing while the reminder shows
        assert isinstance(app.screen, ReminderScreen) and store.log.day_totals(TODAY).reviews == 0
        await pilot.press("space")  # Space (like Enter) dismisses it
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")  # the session that follows does not show it again
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert store.get_flag(reminder.SHOWN_FLAG) == TODAY.isoformat()
    clock.advance(hours=8)
    async with running(store, clock, start_review=False, show_reminder=True) as (app, pilot):
        await pilot.press("r")  # a later session the same day: not again
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    clock.advance(hours=20)  # 13:30 the next day: a new study day
    async with running(store, clock, show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen)


@tui
async def test_the_reminder_comes_back_when_a_session_starts_after_the_day_start(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    clock = Clock(datetime(2026, 3, 2, 3, 30, tzinfo=LOCAL))  # the study day of the 1st
    async with running(store, clock, start_review=False, show_reminder=True) as (app, pilot):
        await pilot.pause()
        await pilot.press("enter")  # the reminder, over the home screen
        assert isinstance(app.screen, HomeScreen)
        clock.advance(hours=1)  # 04:30: the 2nd begins while the app is open
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)


@tui
async def test_time_on_the_reminder_is_not_time_on_the_first_card(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    clock = Clock()
    async with running(store, clock, show_reminder=True) as (_app, pilot):
        clock.advance(minutes=2)  # reading the reminder
        await pilot.press("enter")
        clock.advance(seconds=9)
        await pilot.press("space", "4")
    assert store.conn.execute("SELECT answer_ms FROM reviews").fetchone()[0] == 9000


# --------------------------------------------------------------------- readable everywhere
@tui
async def test_ctrl_t_switches_between_light_and_dark_and_is_remembered(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        first = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != first and {first, app.theme} == {"textual-dark", "textual-light"}
        chosen = app.theme
    async with running(store, Clock(), start_review=False) as (app, pilot):
        assert app.theme == chosen


def test_no_color_turns_the_app_monochrome(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app(store, clock=Clock()).no_color
    monkeypatch.delenv("NO_COLOR")
    assert not make_app(store, clock=Clock()).no_color


@tui
async def test_right_and_wrong_are_said_in_words_and_symbols_not_only_colour(store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    from tui_support import mixed_deck

    deck = mixed_deck()
    store.decks.sync(mixed_deck(cards=deck.cards[1:3]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("a")
        screen = "\n".join(screen_lines(app))
        assert "✗ Wrong" in screen and "✓ b) The vertebral body" in screen and "✗ a) The spinous process" in screen
        await pilot.press("enter", "t")
        assert "✓ Right" in "\n".join(screen_lines(app))


@tui
async def test_every_screen_keeps_its_keys_on_an_80x24_terminal(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    async with running(store, Clock(), start_review=False, show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert "Press Enter to continue" in "\n".join(screen_lines(app))
        await pilot.press("enter")
        assert "Review all" in screen_lines(app)[-1] and "Quit" in screen_lines(app)[-1]
        await pilot.press("r")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert all(key in footer for key in ("u Undo", "s Suspend", "B Bury", "? Keys", "q End"))
        assert "Press Space or Enter to show the answer." in "\n".join(screen_lines(app)[-4:])
        await pilot.press("space")
        assert "4 Easy" in "\n".join(screen_lines(app)[-4:])
        await pilot.press("4", "q")
        assert "Home" in screen_lines(app)[-1] and "Stats" in screen_lines(app)[-1]


# --------------------------------------------------------------------- suspended cards
@tui
async def test_the_suspended_list_brings_a_card_back_and_can_suspend_it_again(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    store.cards.set_suspended("anatomy/c2", True)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        assert "1 suspended" in visible_text(app)
        await pilot.press("x")
        assert isinstance(app.screen, SuspendedScreen)
        assert "⏸ suspended · Anatomy\nQuestion 2?" in visible_text(app)
        await pilot.press("enter")
        assert store.cards.suspended() == []
        assert "✓ back in sessions · Anatomy" in visible_text(app)
        await pilot.press("enter")
        assert [d.card.id for d in store.cards.suspended()] == ["anatomy/c2"]
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, HomeScreen) and "suspended" not in visible_text(app).split("Up next")[1]


@tui
async def test_the_suspended_list_says_when_there_are_none(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        await pilot.press("x")
        assert "No suspended cards" in visible_text(app)
        await pilot.press("enter", "q")
        assert isinstance(app.screen, HomeScreen)


@tui
async def test_a_click_on_a_key_in_the_key_bar_runs_it(store):
    from quiz.tui.screens.help import HelpScreen
    from quiz.tui.widgets.keybar import KeyBar

    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        x = screen_lines(app)[-1].index("? Keys")
        await pilot.click(KeyBar, offset=(x + 1, 0))
        assert isinstance(app.screen, HelpScreen)
