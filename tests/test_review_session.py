"""The review session without a terminal: a temporary database, a fixed day, one call per key."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import LOCAL, NOW, TODAY, make_deck
from tui_support import mixed_deck

from quiz.days import streak
from quiz.models import ReviewKind
from quiz.review import DRILL_GAP, Left, Note, Phase, ReviewSession, daily_allowance
from quiz.store import StoreError

YESTERDAY = TODAY - timedelta(days=1)


def make_due(store, keys, *, deck="anatomy", on=TODAY):
    """Answer `keys` perfectly the day before `on`, so each is due again on `on` (interval 1)."""
    day = on - timedelta(days=1)
    for key in keys:
        store.log.record(f"{deck}/{key}", 5, kind=ReviewKind.REVIEW, study_day=day, answer_ms=1000,
                         reviewed_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL))


def order(session) -> list[str]:
    return [e.card.key for e in session.queue]


def grade(session, g, now=NOW):
    session.reveal()
    return session.grade(g, now)


def logged(store) -> list[tuple]:
    return store.conn.execute("SELECT card_id, quality, kind FROM reviews WHERE study_day = ? ORDER BY id",
                              (TODAY.isoformat(),)).fetchall()


# --------------------------------------------------------------------- limits and order
def test_limits_count_every_answer_of_the_day_and_never_go_negative():
    assert daily_allowance(reviews_per_day=200, new_per_day=10, reviews_done=0, new_done=0) == (200, 10)
    assert daily_allowance(reviews_per_day=200, new_per_day=10, reviews_done=15, new_done=4) == (189, 6)
    assert daily_allowance(reviews_per_day=5, new_per_day=2, reviews_done=40, new_done=9) == (0, 0)


def test_drills_owed_come_first_then_reviews_most_overdue_first_then_new_cards_within_the_limits(store):
    store.decks.sync(make_deck(n=8), today=TODAY - timedelta(days=5))
    make_due(store, ["c5"], on=TODAY - timedelta(days=2))
    make_due(store, ["c4", "c3"])
    store.log.record("anatomy/c2", 1, kind=ReviewKind.REVIEW, study_day=TODAY, answer_ms=1, reviewed_at=NOW)
    store.set_setting("new_per_day", 3)  # c2's first answer today used one
    session = ReviewSession.open(store, NOW)
    assert order(session) == ["c2", "c5", "c3", "c4", "c1", "c6"]
    assert session.left() == Left(new=2, reviews=3, repeats=1) and session.left().total == 6
    assert session.view.phase is Phase.QUESTION and session.view.kind is ReviewKind.DRILL


def test_one_deck_only(store):
    store.decks.sync(make_deck("spine", n=2), today=TODAY)
    store.decks.sync(make_deck("hips", n=2), today=TODAY)
    assert order(ReviewSession.open(store, NOW, "hips")) == ["c1", "c2"]
    assert [e.card.deck_id for e in ReviewSession.open(store, NOW).queue] == ["spine", "spine", "hips", "hips"]


def test_an_empty_session_says_so_and_why(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    store.set_setting("new_per_day", 0)
    session = ReviewSession.open(store, NOW)
    view = session.view
    assert (view.phase, view.entry, view.left) == (Phase.EMPTY, None, Left(0, 0, 0))
    assert session.outlook() == (0, 1, 0, 200, 0)
    assert session.grade(5, NOW).phase is Phase.EMPTY and session.suspend(NOW).note is None
    assert session.undo(NOW).note is Note.NOTHING_TO_UNDO and logged(store) == []


# --------------------------------------------------------------------- answering
def test_each_answer_is_in_the_store_before_the_next_card_is_returned(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    session = ReviewSession.open(store, NOW)
    assert session.grade(5, NOW).entry.card.key == "c1"  # not revealed yet: nothing happens
    view = grade(session, 5, NOW + timedelta(seconds=7))
    assert logged(store) == [("anatomy/c1", 5, "review")]
    assert store.conn.execute("SELECT answer_ms FROM reviews").fetchone() == (7000,)
    assert (view.entry.card.key, view.left, view.answered) == ("c2", Left(new=1), 1)


def test_a_card_graded_below_4_comes_back_a_few_cards_later_as_a_drill_until_graded_4(store):
    store.decks.sync(make_deck(n=6), today=TODAY)
    store.set_setting("new_per_day", 6)
    session = ReviewSession.open(store, NOW)
    assert session.view.left == Left(new=6)
    grade(session, 3)
    # What is left never grows with a miss: one card fewer to meet, one more to repeat.
    assert order(session)[DRILL_GAP] == "c1" and session.view.left == Left(new=5, repeats=1)
    for _ in range(DRILL_GAP):
        grade(session, 5)
    assert session.view.entry.card.key == "c1" and session.view.kind is ReviewKind.DRILL
    schedule = store.log.state("anatomy/c1")
    grade(session, 2)  # still below 4: back again (last, as only two others remain)
    assert order(session) == ["c5", "c6", "c1"] and store.log.state("anatomy/c1") == schedule
    for _ in range(3):
        grade(session, 4)
    assert session.view.phase is Phase.EMPTY
    assert [k for _, _, k in logged(store)] == ["review"] * 4 + ["drill"] + ["review"] * 2 + ["drill"]


def test_a_right_pick_asks_how_easy_and_a_wrong_one_is_saved_as_1_with_the_answer_shown(store):
    store.decks.sync(mixed_deck(cards=mixed_deck().cards[1:3]), today=TODAY)
    session = ReviewSession.open(store, NOW)
    assert session.pick("d", NOW).phase is Phase.QUESTION  # only three choices
    view = session.pick("b", NOW)
    assert (view.phase, view.picked) == (Phase.RATE, "b") and logged(store) == []
    assert session.grade(2, NOW).phase is Phase.RATE  # a right pick is graded 3-5
    view = session.grade(4, NOW)
    assert view.entry.card.key == "tf" and logged(store) == [("spine/choice", 4, "review")]
    view = session.pick("false", NOW)
    assert (view.phase, view.entry.card.key, view.left) == (Phase.FEEDBACK, "tf", Left(repeats=1))
    assert view.saved is not None and view.saved.quality == 1 and view.saved.after.due_on == TODAY + timedelta(days=1)
    assert logged(store)[-1] == ("spine/tf", 1, "review")
    assert session.next(NOW).entry.card.key == "tf" and session.view.kind is ReviewKind.DRILL


def test_after_the_day_rolls_over_yesterdays_failed_card_is_a_scheduled_review_again(store):
    store.decks.sync(make_deck(n=2), today=YESTERDAY)
    late = datetime(2026, 3, 2, 3, 30, tzinfo=LOCAL)  # before the 04:00 day start: still yesterday
    session = ReviewSession.open(store, late)
    grade(session, 1, late)  # due again today
    grade(session, 5, late)
    assert session.view.kind is ReviewKind.DRILL
    view = grade(session, 4, NOW)  # the next morning
    assert view.phase is Phase.EMPTY
    assert store.conn.execute("SELECT kind, study_day FROM reviews ORDER BY id DESC LIMIT 1").fetchone() == (
        "review", TODAY.isoformat())


def test_a_failed_write_leaves_the_session_as_it_was_and_the_same_call_retries(store, monkeypatch):
    store.decks.sync(make_deck(n=2), today=TODAY)
    session = ReviewSession.open(store, NOW)
    session.reveal()
    real = store.log.write

    def busy(review):
        raise StoreError("busy")

    monkeypatch.setattr(store.log, "write", busy)
    with pytest.raises(StoreError):
        session.grade(4, NOW)
    assert session.view.phase is Phase.REVEALED and order(session) == ["c1", "c2"]
    monkeypatch.setattr(store.log, "write", real)
    assert session.grade(4, NOW).entry.card.key == "c2" and len(logged(store)) == 1


# --------------------------------------------------------------------- undo, suspend, bury
def test_undo_takes_back_answers_suspensions_and_burials_back_to_the_start_exactly(store):
    store.decks.sync(make_deck(n=5), today=TODAY)
    session = ReviewSession.open(store, NOW)
    states = {f"anatomy/c{i}": store.log.state(f"anatomy/c{i}") for i in range(1, 6)}
    grade(session, 1)  # c1 re-queued after c2, c3, c4
    assert session.suspend(NOW).note is Note.SUSPENDED  # c2
    assert session.bury(NOW).note is Note.BURIED  # c3
    assert order(session) == ["c4", "c1", "c5"]
    assert store.log.state("anatomy/c3").buried_until == TODAY + timedelta(days=1)
    view = session.suspend(NOW)  # c4
    assert session.bury(NOW).note_card.key == "c1" and order(session) == ["c5"]  # every copy of c1 goes
    notes = [session.undo(NOW).note for _ in range(5)]
    assert notes == [Note.UNDID_BURY, Note.UNDID_SUSPEND, Note.UNDID_BURY, Note.UNDID_SUSPEND, Note.UNDID_ANSWER]
    assert order(session) == ["c1", "c2", "c3", "c4", "c5"] and view.answered == 1
    assert session.view.answered == 0 and session.tally().answers == 0 and logged(store) == []
    assert {cid: store.log.state(cid) for cid in states} == states
    assert session.undo(NOW).note is Note.NOTHING_TO_UNDO


def test_undoing_a_drill_brings_the_drill_back_not_the_first_answer(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    session = ReviewSession.open(store, NOW)
    grade(session, 1)
    grade(session, 5)
    assert session.view.phase is Phase.EMPTY
    session.undo(NOW)
    assert session.view.kind is ReviewKind.DRILL and [q for _, q, _ in logged(store)] == [1]


# --------------------------------------------------------------------- the tally, the streak
def test_the_tally_counts_cards_share_right_drills_and_time(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    session = ReviewSession.open(store, NOW)
    for g, seconds in ((5, 1), (2, 2), (4, 3), (4, 4)):  # c1, c2 (re-drilled), c3, c2's drill
        session.reveal()
        session.grade(g, NOW + timedelta(seconds=seconds))
    tally = session.tally()
    assert (tally.answers, tally.reviews, tally.new_cards, tally.passed, tally.drills) == (4, 3, 3, 2, 1)
    assert tally.cards == 3 and tally.time_ms == 4000 and tally.missed == ("anatomy/c2",)
    session.undo(NOW)
    assert session.tally().drills == 0


def test_streak_counts_consecutive_days_ending_today_or_yesterday():
    days = [TODAY - timedelta(days=k) for k in (0, 1, 2, 4)]
    assert streak(days, TODAY) == 3
    assert streak(days[1:], TODAY) == 2  # not studied yet today: the streak is still alive
    assert streak([TODAY - timedelta(days=2)], TODAY) == 0 and streak([], TODAY) == 0


def test_an_answer_is_committed_with_a_full_sync_before_grade_returns(store, db_path):
    import sqlite3

    store.decks.sync(make_deck(n=2), today=TODAY)
    session = ReviewSession.open(store, NOW)
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: fsync'd at every commit
    grade(session, 4)
    other = sqlite3.connect(db_path)  # another connection sees it: committed, not pending in a transaction
    try:
        assert other.execute("SELECT card_id, quality FROM reviews").fetchall() == [("anatomy/c1", 4)]
    finally:
        other.close()
    assert not store.conn.in_transaction
