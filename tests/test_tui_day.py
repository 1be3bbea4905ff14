"""Issue 12 on screen: what is left, the day's summary, grades that say when a card comes back, the
two grade scales, "study more today", the reminder on one screen, and the layout at 60x20 to 120x40."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import LOCAL, TODAY, make_deck
from tui_support import Clock, mixed_deck, review_rows, running, screen_lines, state_row, tui, visible_text

from quiz.decks import parse_deck
from quiz.models import ReviewKind
from quiz.review import Phase
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.more import MoreScreen
from quiz.tui.screens.reminder import ReminderScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.summary import SummaryScreen

TOMORROW = TODAY + timedelta(days=1)
SHIPPED = Path(__file__).resolve().parent.parent / "decks"


def screen(app) -> str:
    return "\n".join(screen_lines(app))


def answered_yesterday(store, card_id: str, quality: int = 5) -> None:
    """A first answer the day before: the card is due today for its second review (6 days if passed)."""
    day = TODAY - timedelta(days=1)
    store.log.record(card_id, quality, kind=ReviewKind.REVIEW, study_day=day, answer_ms=1000,
                     reviewed_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL))


# --------------------------------------------------------------------- 1. what is left
@tui
async def test_what_is_left_never_grows_with_a_miss(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    answered_yesterday(store, "anatomy/c3")
    async with running(store, Clock()) as (app, pilot):
        assert "Left today: 2 new · 1 review · 0 to repeat" in screen(app)
        await pilot.press("space", "1")  # the review, missed: it is to be repeated today
        assert "Left today: 2 new · 0 reviews · 1 to repeat" in screen(app)
        await pilot.press("space", "1")  # a new card, missed
        assert "Left today: 1 new · 0 reviews · 2 to repeat" in screen(app)
        assert "Card" not in screen(app)


# --------------------------------------------------------------------- 2. the whole study day
@tui
async def test_the_summary_counts_the_whole_study_day_in_parts_that_add_up(store):
    store.decks.sync(make_deck(n=5), today=TODAY)
    answered_yesterday(store, "anatomy/c5")
    clock = Clock()
    async with running(store, clock) as (app, pilot):
        await pilot.press("space", "1", "space", "4", "escape")  # c5 (review) missed, c1 right: stop
    clock.advance(hours=2)
    async with running(store, clock) as (app, pilot):
        await pilot.press("space", "3", "space", "4")  # c5 repeated, c2 right
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        text = visible_text(app)
    assert "Answers           4 = 2 new cards + 1 review + 1 repeat" in text
    assert "Right first time  2 of 3 (67%): new cards 2 of 2, reviews 0 of 1" in text
    assert "This sitting      2 answers" in text
    assert "✗ Question 5?" in text  # missed in the first sitting
    day = store.log.day_answers(TODAY)
    assert (day.answers, day.new_cards, day.reviews, day.repeats) == (4, 2, 1, 1)


# --------------------------------------------------------------------- 3. nothing to review
@tui
async def test_nothing_to_review_offers_no_undo_suspend_or_bury(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    answered_yesterday(store, "anatomy/c1")
    store.log.record("anatomy/c1", 5, kind=ReviewKind.REVIEW, study_day=TODAY, answer_ms=1,
                     reviewed_at=datetime(2026, 3, 2, 8, tzinfo=LOCAL))
    async with running(store, Clock()) as (app, _pilot):
        assert app.screen.view.phase is Phase.EMPTY
        footer = screen_lines(app)[-1]
        assert "? Keys" in footer and "q End" in footer
        for offered in ("Undo", "Suspend", "Bury"):
            assert offered not in footer and offered.lower() not in screen(app).lower()
        assert "Tomorrow: 0 reviews due." in visible_text(app)


# --------------------------------------------------------------------- 4. grades say when
@tui
async def test_each_grade_says_when_the_card_comes_back_and_the_saved_line_agrees_with_the_store(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    answered_yesterday(store, "anatomy/c2")  # due today for its second review
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space")  # c2, second review: a pass means 6 days
        shown = screen(app)
        assert "1 Again → again today" in shown and "2 Hard  → today & in 6 days" in shown
        assert "3 Good  → in 6 days" in shown and "4 Easy  → in 6 days" in shown
        await pilot.press("3")
        assert state_row(store, "anatomy/c2")[3] == (TODAY + timedelta(days=6)).isoformat()
        assert "✓ Saved (Good): next due in 6 days, Sun 8 Mar." in screen(app)
        await pilot.press("space")  # c1, new: a pass means tomorrow
        shown = screen(app)
        assert "3 Good  → tomorrow" in shown and "1 Again → again today" in shown
        await pilot.press("1")
        assert "✓ Saved (Again): back in a few cards, then due tomorrow, Tue 3 Mar." in screen(app)
        assert state_row(store, "anatomy/c1")[3] == TOMORROW.isoformat()


@tui
async def test_the_saved_line_sits_under_the_progress_bar_and_is_shortened_where_it_would_not_fit(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "1")
        lines = screen_lines(app)
        assert "Left today: 2 new · 0 reviews · 1 to repeat" in lines[0]
        assert lines[2].strip() == "✓ Saved (Again): back in a few cards, then due tomorrow, Tue 3 Mar."
        await pilot.press("space")  # what was saved goes when the next answer is shown
        assert "✓ Saved" not in screen(app)
        await pilot.resize_terminal(60, 20)
        await pilot.press("2")  # Hard: again today, and its interval still counts
        lines = screen_lines(app)
        assert lines[2].strip() == "✓ Saved (Hard): today & tomorrow"  # the whole sentence is 66 columns
        assert "…" not in lines[2]


# --------------------------------------------------------------------- 5. two scales; 4 and Enter pass
@pytest.mark.parametrize("scale", [4, 6], ids=["simple", "full"])
@pytest.mark.parametrize("key", ["4", "enter"])
@tui
async def test_4_and_enter_are_passing_grades_in_both_scales_on_every_kind_of_card(store, scale, key):
    store.decks.sync(mixed_deck(), today=TODAY)
    async with running(store, Clock(), grade_scale=scale) as (app, pilot):
        await pilot.press("space", key)  # basic
        await pilot.press("b", key)  # choice, right pick
        await pilot.press("t", key)  # true/false, right pick
        await pilot.press("space", key)  # cloze
        assert isinstance(app.screen, SummaryScreen)  # nothing failed: nothing to repeat
    qualities = [q for _, q, _, _ in review_rows(store)]
    assert len(qualities) == 4 and all(q >= 4 for q in qualities)
    # 4 is Easy (5) in the simple scale and 4 in the full one; Enter is Good (4) in both.
    assert set(qualities) == ({5} if (scale, key) == (4, "4") else {4})


@pytest.mark.parametrize("scale, presses, qualities", [
    (4, ["1", "2", "3", "4"], [1, 3, 4, 5]),  # Again, Hard, Good, Easy
    (6, ["0", "1", "2", "3", "4", "5"], [0, 1, 2, 3, 4, 5]),
], ids=["simple", "full"])
@tui
async def test_each_key_of_a_scale_records_its_sm2_quality_and_other_keys_do_nothing(store, scale, presses,
                                                                                      qualities):
    store.decks.sync(make_deck(n=len(presses)), today=TODAY)
    store.set_setting("new_per_day", len(presses))
    async with running(store, Clock(), grade_scale=scale) as (app, pilot):
        if scale == 4:
            await pilot.press("space", "0", "5")  # not keys of the simple scale
            assert review_rows(store) == [] and app.screen.view.phase is Phase.REVEALED
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
        for key in presses:
            # Every new card is asked before any repeat comes back (gap 3), so this answers each once.
            while app.screen.view.entry.card.key in {row[0].split("/")[1] for row in review_rows(store)}:
                await pilot.press("space", "4")
            await pilot.press("space", key)
    first = {}
    for card_id, quality, kind, _ in review_rows(store):
        if kind == "review":
            first.setdefault(card_id, quality)
    assert sorted(first.values()) == qualities


@tui
async def test_simple_scale_good_is_sm2_4_so_the_anki_habit_of_pressing_3_keeps_easiness(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "3")
        assert isinstance(app.screen, SummaryScreen)  # not repeated today
    assert state_row(store, "anatomy/c1")[:4] == (1, 250, 1, TOMORROW.isoformat())


@tui
async def test_a_right_pick_asks_how_easy_with_the_passing_grades_of_the_scale(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:2]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("b")
        shown = screen(app)
        assert "2 Hard" in shown and "3 Good" in shown and "4 Easy" in shown and "Again" not in shown
        await pilot.press("1")  # Again is no answer to a right pick
        assert review_rows(store) == []
        await pilot.press("2")
    assert review_rows(store) == [("spine/choice", 3, "review", TODAY.isoformat())]


# --------------------------------------------------------------------- 6. true/false said as a sentence
@tui
async def test_a_right_true_false_answer_says_what_the_statement_is(store):
    deck = mixed_deck()
    false_card = replace(deck.cards[2], key="tf2", prompt="Bed rest speeds recovery.", answer="false")
    store.decks.sync(replace(deck, cards=(false_card,)), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("f")
        assert "✓ Right: the statement is false" in screen(app)
        assert "Right — False" not in screen(app)


# --------------------------------------------------------------------- 7. study more today
@tui
async def test_study_more_today_gives_one_deck_extra_new_cards_without_changing_settings(store):
    store.decks.sync(make_deck("anatomy", n=4), today=TODAY)
    store.decks.sync(make_deck("discs", n=6), today=TODAY)
    store.set_setting("new_per_day", 2)
    async with running(store, Clock(), start_review=False) as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("space", "4", "space", "4")  # today's 2 new cards (anatomy)
        await pilot.press("enter")  # summary -> home
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("down", "down", "m")  # the discs deck
        await pilot.pause()
        assert isinstance(app.screen, MoreScreen) and "Discs has 6 new cards" in visible_text(app)
        await pilot.press("backspace", "9", "enter")  # more than it has: refused
        assert isinstance(app.screen, MoreScreen) and "from 1 to 6" in visible_text(app)
        await pilot.press("backspace", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_id == "discs"
        assert "Left today: 3 new" in screen(app)
        for _ in range(3):
            await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
    assert store.settings().new_per_day == 2
    assert [row[0] for row in review_rows(store)] == ["anatomy/c1", "anatomy/c2", "discs/c1", "discs/c2", "discs/c3"]


@tui
async def test_study_more_needs_a_deck_highlighted(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    async with running(store, Clock(), start_review=False, notifications=True) as (app, pilot):
        await pilot.press("m")  # "All decks" is highlighted
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and "Highlight a deck first" in visible_text(app)


# --------------------------------------------------------------------- 8. the reminder on one screen
def shipped(name: str):
    return parse_deck((SHIPPED / name).read_bytes(), name)


@tui
async def test_the_reminder_fits_80x24_explains_red_flags_and_shows_the_deck_warnings(store):
    for name in ("01-spinal-anatomy.yaml", "04-treatments-evidence.yaml"):
        store.decks.sync(shipped(name), today=TODAY)
    store.set_setting("new_per_day", 30)  # cards of both decks today
    async with running(store, Clock(), show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        box = app.screen.query_one("#reminder")
        assert box.max_scroll_y == 0  # it all fits: nothing below the fold
        shown = re.sub(r"\s+", " ", " ".join(line.strip(" █▀▄") for line in screen_lines(app)))
        assert "Red flags are signs that back pain needs prompt medical care" in shown
        assert "not a complete list" in shown and "does not replace a doctor" in shown
        assert "Do not start, stop or change a medicine" in shown
        assert "Press Enter to continue" in shown


@tui
async def test_a_deck_met_later_the_same_day_gets_its_own_reminder_once(store):
    store.decks.sync(make_deck("anatomy", n=1, reminder="Anatomy is not a diagnosis."), today=TODAY)
    store.decks.sync(make_deck("drugs", n=1, reminder="Do not change a medicine because of this quiz."), today=TODAY)
    async with running(store, Clock(), deck_id="anatomy", show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert "Anatomy is not a diagnosis." in visible_text(app)
        assert "Do not change a medicine" not in visible_text(app)  # no card of that deck in this session
        await pilot.press("enter")
    async with running(store, Clock(), deck_id="drugs", show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        assert "Do not change a medicine" in visible_text(app) and "Anatomy is not" not in visible_text(app)
        await pilot.press("enter")
    async with running(store, Clock(), show_reminder=True) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # both seen today


# --------------------------------------------------------------------- 9. layout, notes, plurals
@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@tui
async def test_a_note_never_hides_the_prompt_line(store, size):
    store.decks.sync(make_deck(n=3), today=TODAY)
    async with running(store, Clock(), size=size, notifications=True) as (app, pilot):
        await pilot.press("s")
        await pilot.pause()
        lines = screen_lines(app)
        bottom = " ".join(" ".join(line.split()) for line in lines[-6:])
        assert "Suspended “Question 1?”: it stays out until you bring it back (x at home)." in bottom
        assert "Press Space or Enter to show the answer." in [line.strip() for line in lines[-6:]]
        assert "Undo" in lines[-1]


def test_no_text_quiz_shows_says_review_s():
    package = Path(__file__).resolve().parent.parent / "quiz"  # the screens, the commands, `quiz check`
    for path in package.rglob("*.py"):
        assert not re.search(r"\b[a-z]+\(s\)[ .,;:!?\"']", path.read_text()), path  # "review(s) due"
