"""Whole review sessions driven with Pilot at 80x24 against a temporary database and a fixed clock."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from conftest import LOCAL, NOW, TODAY, make_deck
from tui_support import Clock, mixed_deck, review_rows, running, screen_lines, state_row, tui, visible_text

from quiz.answer import MAX_ANSWER_MS
from quiz.models import ReviewKind
from quiz.review import Phase
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.summary import SummaryScreen

TOMORROW = TODAY + timedelta(days=1)


def shown_key(app) -> str:
    return app.screen.view.entry.card.key


def make_due(store, deck, keys, *, on=TODAY):
    """Answer `keys` perfectly on the day before `on` so each is due again on `on` (interval 1)."""
    day = on - timedelta(days=1)
    for key in keys:
        store.log.record(f"{deck}/{key}", 5, kind=ReviewKind.REVIEW, study_day=day, answer_ms=1000,
                            reviewed_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL))


# --------------------------------------------------------------------- basic and cloze cards
@tui
async def test_space_reveals_the_answer_and_a_number_grades_it(store):
    store.decks.sync(mixed_deck(), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        assert shown_key(app) == "basic"
        assert "The spinal cord" not in visible_text(app)
        await pilot.press("4")  # grades do nothing before the answer is shown
        assert review_rows(store) == []
        await pilot.press("space")
        text = visible_text(app)
        assert "The spinal cord" in text and "It is the bump you feel on your back." in text
        assert "Source: Enke O et al. CMAJ 2018. doi:10.1503/cmaj.171333" in text
        await pilot.press("4")
        assert review_rows(store) == [("spine/basic", 5, "review", TODAY.isoformat())]
        assert state_row(store, "spine/basic")[:4] == (1, 260, 1, TOMORROW.isoformat())
        assert shown_key(app) == "choice"


@tui
async def test_enter_reveals_a_cloze_gap_too(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[3:]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        assert "Fill the gap" in visible_text(app)
        await pilot.press("enter")
        assert "85%" in visible_text(app)
        await pilot.press("3")
        assert review_rows(store) == [("spine/cloze#1", 4, "review", TODAY.isoformat())]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
@pytest.mark.parametrize("scale, labels", [
    (4, ["1 Again → again today", "2 Hard  → today & tomorrow", "3 Good  → tomorrow", "4 Easy  → tomorrow"]),
    (6, ["5 perfect", "4 right after a pause", "3 right but hard", "2 wrong, but it felt familiar",
         "1 wrong, I recognised the answer", "0 no idea"]),
], ids=["simple", "full"])
@tui
async def test_every_grade_key_is_labelled_in_plain_words_at_every_size(store, size, scale, labels):
    store.decks.sync(mixed_deck(), today=TODAY)
    async with running(store, Clock(), size=size, grade_scale=scale) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        lines = screen_lines(app)
        screen = "\n".join(lines)
        for label in labels:
            assert label in screen
        assert "Left today: 4 new · 0 reviews · 0 to repeat" in screen and "Spine basics · new card" in screen
        assert "Press" not in screen or "Enter = " in screen
        # A reading measure: nothing runs wider than 80 columns, however wide the terminal.
        assert max(len(line.strip()) for line in lines[:-1]) <= 80
        assert "Undo" in lines[-1] and "End" in lines[-1]


# --------------------------------------------------------------------- choice and true/false
@tui
async def test_a_right_choice_asks_how_easy_it_was_and_enter_means_4(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:2]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        text = visible_text(app)
        assert "a) The spinous process" in text and "b) The vertebral body" in text and "c) The sacrum" in text
        await pilot.press("d")  # there is no choice d
        assert app.screen.view.phase is Phase.QUESTION
        await pilot.press("b")
        assert app.screen.view.phase is Phase.RATE
        assert "✓ Right" in visible_text(app) and "The body sits in front of the cord." in visible_text(app)
        assert review_rows(store) == []  # nothing is saved until the ease is given
        await pilot.press("1")  # only 3, 4 or 5 after a right pick
        assert review_rows(store) == []
        await pilot.press("enter")
        assert review_rows(store) == [("spine/choice", 4, "review", TODAY.isoformat())]


@tui
async def test_a_wrong_choice_is_saved_as_grade_1_and_shows_the_right_answer(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:3]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("c")
        assert review_rows(store) == [("spine/choice", 1, "review", TODAY.isoformat())]
        text = visible_text(app)
        assert "✗ Wrong: the right answer is b) The vertebral body." in text
        assert "You chose c) The sacrum." in text
        assert "The body sits in front of the cord." in text and "Source: Enke O" in text
        # The wrong card will come back today: one card fewer to meet, one more to repeat.
        assert "Left today: 1 new · 0 reviews · 1 to repeat" in visible_text(app)
        await pilot.press("enter")
        assert shown_key(app) == "tf"


@tui
async def test_true_false_is_answered_with_t_and_f(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[2:3]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("f")
        assert review_rows(store) == [("spine/tf", 1, "review", TODAY.isoformat())]
        assert "✗ Wrong: the statement is true." in visible_text(app) and "You chose false." in visible_text(app)
        await pilot.press("enter")
        await pilot.press("t")  # the drill: now right
        assert "✓ Right: the statement is true" in visible_text(app)
        await pilot.press("4")
        assert review_rows(store)[-1] == ("spine/tf", 5, "drill", TODAY.isoformat())
        assert isinstance(app.screen, SummaryScreen)


@tui
async def test_b_picks_choice_b_and_shift_b_buries_a_choice_card(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:3]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("B")
        assert state_row(store, "spine/choice")[6] == TOMORROW.isoformat()
        assert review_rows(store) == [] and shown_key(app) == "tf"


# --------------------------------------------------------------------- same-day re-drill
@tui
async def test_a_failed_card_comes_back_the_same_day_until_it_is_graded_4(store):
    store.decks.sync(make_deck(n=5), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "1")  # c1 wrong
        schedule_after_fail = state_row(store, "anatomy/c1")
        seen = []
        for _ in range(3):
            seen.append(shown_key(app))
            await pilot.press("space", "4")
        assert seen == ["c2", "c3", "c4"]
        assert shown_key(app) == "c1" and "to repeat" in app.screen.query_one("#card").border_title
        await pilot.press("space", "2")  # right but hard: still below 4, so again
        await pilot.press("space", "4")  # c5
        assert shown_key(app) == "c1"
        await pilot.press("space", "3")
        assert isinstance(app.screen, SummaryScreen)
    drills = [row for row in review_rows(store) if row[0] == "anatomy/c1"]
    assert [(q, kind) for _, q, kind, _ in drills] == [(1, "review"), (3, "drill"), (4, "drill")]
    assert state_row(store, "anatomy/c1") == schedule_after_fail  # drills never touch the schedule
    assert store.log.day_totals(TODAY).drills == 2 and store.log.day_totals(TODAY).reviews == 5


# --------------------------------------------------------------------- daily limits
@tui
async def test_new_cards_stop_at_the_daily_limit_even_across_sessions(store):
    store.decks.sync(make_deck(n=6), today=TODAY)
    store.set_setting("new_per_day", 3)
    clock = Clock()
    async with running(store, clock) as (app, pilot):
        assert "Left today: 3 new · 0 reviews · 0 to repeat" in visible_text(app)
        await pilot.press("space", "4", "q")  # one answered, then stop
    async with running(store, clock) as (app, pilot):
        assert "Left today: 2 new · 0 reviews · 0 to repeat" in visible_text(app)
        await pilot.press("space", "4", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
    async with running(store, clock) as (app, pilot):
        assert app.screen.view.phase is Phase.EMPTY and "Nothing to review" in visible_text(app)
    assert store.log.day_totals(TODAY).new_cards == 3


@tui
async def test_reviews_stop_at_the_daily_limit_and_come_before_new_cards(store):
    store.decks.sync(make_deck(n=6), today=TODAY)
    make_due(store, "anatomy", ["c4", "c5", "c6"])
    store.set_setting("reviews_per_day", 2)
    store.set_setting("new_per_day", 1)
    async with running(store, Clock()) as (app, pilot):
        order = []
        while isinstance(app.screen, ReviewScreen) and app.screen.view.entry:
            order.append(shown_key(app))
            await pilot.press("space", "4")
    assert order == ["c4", "c5", "c1"]


@tui
async def test_a_deck_session_only_shows_that_decks_cards(store):
    store.decks.sync(make_deck("anatomy", n=2), today=TODAY)
    store.decks.sync(make_deck("discs", n=2), today=TODAY)
    async with running(store, Clock(), deck_id="discs") as (_app, pilot):
        await pilot.press("space", "4", "space", "4")
    assert [row[0] for row in review_rows(store)] == ["discs/c1", "discs/c2"]


# --------------------------------------------------------------------- undo
@tui
async def test_undo_restores_each_schedule_exactly_and_is_repeatable(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    make_due(store, "anatomy", ["c1"])
    before = {f"anatomy/c{i}": state_row(store, f"anatomy/c{i}") for i in (1, 2, 3)}
    totals_before = store.log.day_totals(TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "1", "space", "4", "space", "2")
        assert len(review_rows(store)) == 4  # the make_due answer and three today
        await pilot.press("u")
        assert shown_key(app) == "c3"
        await pilot.press("u", "u")
        assert shown_key(app) == "c1" and app.screen.view.phase is Phase.QUESTION
        await pilot.press("u")  # nothing more to undo in this session: nothing happens
        assert shown_key(app) == "c1"
        assert "Left today: 2 new · 1 review · 0 to repeat" in visible_text(app)
    assert {cid: state_row(store, cid) for cid in before} == before
    assert len(review_rows(store)) == 1 and store.log.day_totals(TODAY) == totals_before


@tui
async def test_undo_of_a_wrong_pick_brings_the_question_back(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:2]), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("a")
        assert len(review_rows(store)) == 1
        await pilot.press("u")
        assert review_rows(store) == [] and app.screen.view.phase is Phase.QUESTION
        assert "✗ Wrong" not in visible_text(app)
        await pilot.press("b", "4")
    assert review_rows(store) == [("spine/choice", 5, "review", TODAY.isoformat())]


# --------------------------------------------------------------------- suspend and bury
@tui
async def test_suspend_keeps_a_card_out_until_unsuspended_and_u_takes_it_back(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("s")
        assert state_row(store, "anatomy/c1")[5] == 1
        assert shown_key(app) == "c2" and "Left today: 2 new · 0 reviews · 0 to repeat" in visible_text(app)
        await pilot.press("u")
        assert state_row(store, "anatomy/c1")[5] == 0 and shown_key(app) == "c1"
        await pilot.press("s", "space", "4", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
    assert [row[0] for row in review_rows(store)] == ["anatomy/c2", "anatomy/c3"]
    async with running(store, Clock(NOW + timedelta(days=3))) as (app, pilot):
        assert shown_key(app) == "c2"  # c1 stays suspended; c2 and c3 are due again, c2 first


@tui
async def test_a_failed_card_suspended_is_not_drilled(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "1")
        await pilot.press("space", "4")
        assert shown_key(app) == "c1"
        await pilot.press("s")
        assert isinstance(app.screen, SummaryScreen)
    assert store.cards.drills_pending(TODAY) == []


@tui
async def test_bury_hides_a_card_until_tomorrow(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    clock = Clock()
    async with running(store, clock) as (app, pilot):
        await pilot.press("b")
        assert state_row(store, "anatomy/c1")[6] == TOMORROW.isoformat()
        assert shown_key(app) == "c2"
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)  # nothing answered: no summary
    async with running(store, clock) as (app, pilot):
        assert shown_key(app) == "c2"
    clock.advance(days=1)
    async with running(store, clock) as (app, pilot):
        assert shown_key(app) == "c1"


# --------------------------------------------------------------------- quit and resume
@tui
async def test_quitting_and_starting_again_the_same_day_carries_on(store):
    store.decks.sync(make_deck(n=4), today=TODAY)
    clock = Clock()
    async with running(store, clock) as (app, pilot):
        await pilot.press("space", "2", "space", "4", "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "3 cards left for later" in visible_text(app)  # c3, c4 and the drill of c1
    clock.advance(minutes=30)
    async with running(store, clock) as (app, pilot):
        # c1 still needs its drill; c2 is done; c3 and c4 are still new.
        assert [e.card.key for e in app.screen.session.queue] == ["c1", "c3", "c4"]
        assert "to repeat" in app.screen.query_one("#card").border_title
        await pilot.press("space", "3")
    assert review_rows(store)[-1] == ("anatomy/c1", 4, "drill", TODAY.isoformat())


@tui
async def test_ctrl_q_mid_card_loses_no_answer(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    async with running(store, Clock()) as (_app, pilot):
        await pilot.press("space", "3", "space")
        await pilot.press("ctrl+q")
    assert review_rows(store) == [("anatomy/c1", 4, "review", TODAY.isoformat())]


# --------------------------------------------------------------------- the summary
@tui
async def test_a_finished_session_shows_its_figures(store):
    store.decks.sync(mixed_deck(), today=TODAY)
    clock = Clock()
    async with running(store, clock) as (app, pilot):
        clock.advance(seconds=20)
        await pilot.press("space", "4")  # basic
        clock.advance(seconds=10)
        await pilot.press("a", "enter")  # choice: wrong (grade 1)
        clock.advance(seconds=10)
        await pilot.press("t", "3")  # truefalse right
        clock.advance(seconds=40)
        await pilot.press("space", "3")  # cloze
        clock.advance(seconds=5)
        await pilot.press("b", "4")  # the choice card's drill
        assert isinstance(app.screen, SummaryScreen)
        text = visible_text(app)
    assert "✓ Session complete" in text
    assert "Your study day, Monday 2 March (all decks)" in text
    assert "Answers           5 = 4 new cards + 0 reviews + 1 repeat" in text
    assert "Right first time  3 of 4 (75%)" in text
    assert "Time spent        1 min 25 s" in text
    assert "This sitting" not in text  # the day's only sitting
    assert "Due tomorrow      4 reviews" in text  # every first interval is one day, a failed card's too
    assert "Streak            1 day" in text
    assert "✗ Which part of a vertebra bears weight?" in text


@tui
async def test_one_answer_never_counts_more_than_five_minutes(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    clock = Clock()
    async with running(store, clock) as (_app, pilot):
        await pilot.press("space")
        clock.advance(hours=2)
        await pilot.press("4")
    assert store.conn.execute("SELECT answer_ms FROM reviews").fetchone()[0] == MAX_ANSWER_MS


# --------------------------------------------------------------------- the day rolls over
@tui
async def test_answers_after_the_day_start_count_for_the_new_study_day(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    yesterday = TODAY - timedelta(days=1)
    clock = Clock(datetime(2026, 3, 2, 3, 50, tzinfo=LOCAL))  # before 04:00: still the 1st
    async with running(store, clock) as (app, pilot):
        await pilot.press("space", "1")  # c1 fails on the 1st: due on the 2nd
        clock.advance(minutes=15)  # 04:05 on the 2nd
        await pilot.press("space", "4")  # c2
        await pilot.press("space", "4")  # c3
        assert shown_key(app) == "c1" and "to repeat" not in app.screen.query_one("#card").border_title  # due today: a review again
        await pilot.press("space", "4")
    assert review_rows(store) == [
        ("anatomy/c1", 1, "review", yesterday.isoformat()),
        ("anatomy/c2", 5, "review", TODAY.isoformat()),
        ("anatomy/c3", 5, "review", TODAY.isoformat()),
        ("anatomy/c1", 5, "review", TODAY.isoformat()),
    ]
    # Two scheduled answers: 1 then 5 (easiness 2.50 - 0.54 + 0.10).
    assert state_row(store, "anatomy/c1")[:4] == (1, 206, 1, TOMORROW.isoformat())


# --------------------------------------------------------------------- a locked database
@tui
async def test_a_locked_database_says_the_answer_was_not_saved_and_a_retry_saves_it(store, db_path):
    store.decks.sync(make_deck(n=2), today=TODAY)
    store.conn.execute("PRAGMA busy_timeout = 50")  # fail fast instead of waiting 5 s
    other = sqlite3.connect(db_path, isolation_level=None)
    async with running(store, Clock(), notifications=True) as (app, pilot):
        await pilot.press("space")
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("4")
        text = visible_text(app)
        assert "Your answer was not saved" in text and "busy" in text and "Press the same key again" in text
        assert app.is_running and shown_key(app) == "c1" and app.screen.view.phase is Phase.REVEALED
        other.execute("ROLLBACK")
        await pilot.press("4")
        assert shown_key(app) == "c2" and "not saved" not in visible_text(app)
        assert "✓ Saved (Easy): next due tomorrow, Tue 3 Mar." in visible_text(app)
    other.close()
    assert review_rows(store) == [("anatomy/c1", 5, "review", TODAY.isoformat())]


# --------------------------------------------------------------------- keys and leaving
@tui
async def test_question_mark_lists_every_key(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        text = visible_text(app)
        for words in ("undo the last answer", "suspend this card", "bury this card until tomorrow",
                      "end the session", "no idea", "right after a pause", "t / f", "a – f", "light or dark"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


@tui
async def test_nothing_due_says_so_and_q_goes_home(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    store.set_setting("new_per_day", 0)
    async with running(store, Clock()) as (app, pilot):
        assert app.screen.view.phase is Phase.EMPTY and "Nothing to review" in visible_text(app)
        assert "Today's new cards are done (0 a day; `quiz config new_per_day` changes it). To try more of one deck today, press m on the home screen." in visible_text(app)
        await pilot.press("space", "4", "s", "b", "u")  # none of these may do anything
        assert review_rows(store) == []
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)


@tui
async def test_a_long_card_scrolls_and_the_next_card_starts_at_the_top_at_its_own_size(store):
    from dataclasses import replace

    deck = make_deck(n=2)
    long_why = " ".join(f"Sentence {i} of a long explanation that needs more than one screen." for i in range(60))
    deck = replace(deck, cards=(replace(deck.cards[0], explanation=long_why), deck.cards[1]))
    store.decks.sync(deck, today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        box = app.screen.query_one("#card")
        body = app.screen.query_one("#body")
        await pilot.press("space")
        await pilot.pause()
        assert body.size.height > box.scrollable_content_region.height  # taller than the box: it scrolls
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y > 0 and "Sentence 59" in "\n".join(screen_lines(app))
        await pilot.press("4")
        await pilot.pause()
        assert shown_key(app) == "c2" and box.scroll_y == 0
        assert body.size.height <= box.scrollable_content_region.height  # its own size again: no scrolling
        assert "Question 2?" in "\n".join(screen_lines(app))


@tui
async def test_unreadable_deck_sources_leave_the_session_running_and_cite_the_source_by_its_key(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    store.conn.execute("UPDATE decks SET sources = 'not json'")  # a damaged row
    async with running(store, Clock(), notifications=True) as (app, pilot):
        assert "Could not read the database" in visible_text(app)
        await pilot.press("space")  # drawing the answer reads nothing from the database
        assert app.is_running and app.screen.view.phase is Phase.REVEALED
        assert "Source: src" in "\n".join(screen_lines(app))
        await pilot.press("4")
    assert review_rows(store) == [("anatomy/c1", 5, "review", TODAY.isoformat())]
