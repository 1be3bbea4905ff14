"""The session planner, without Textual or a database: queue order, limits, re-drills, undo, suspend, bury."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import NOW, TODAY

from quiz.models import Card, CardState, CardType, DueCard, ReviewKind, ReviewRecord
from quiz.session import (
    DRILL_GAP,
    MAX_ANSWER_MS,
    ActionType,
    Session,
    answer_kind,
    answer_ms,
    choice_options,
    daily_allowance,
    is_right_pick,
    right_answer_text,
    streak,
)
from quiz.sm2 import Grade, Sm2State, step

YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def card(key: str, deck: str = "d", **kw) -> Card:
    fields = dict(type=CardType.BASIC, prompt=f"Q {key}?", answer=f"A {key}", explanation="why", source="src")
    fields.update(kw)
    return Card(deck, key, **fields)


def new(key: str) -> DueCard:
    c = card(key)
    return DueCard(c, CardState(c.id))


def due(key: str, on: date = TODAY) -> DueCard:
    c = card(key)
    return DueCard(c, CardState(c.id, Sm2State(2, 250, 6), due_on=on))


_ids = iter(range(1, 10_000))


def answer(session: Session, grade: int, day: date = TODAY) -> ReviewRecord:
    """What Store.record_answer would return for the current card, fed back to the session."""
    entry = session.current
    kind = session.kind(day)
    before = entry.state
    if kind is ReviewKind.REVIEW:
        sm2 = step(before.sm2, grade)
        after = CardState(before.card_id, sm2, day + timedelta(days=sm2.interval_days))
    else:
        after = before
    record = ReviewRecord(next(_ids), entry.card_id, NOW.isoformat(), day, Grade(grade), kind, 1000, before, after)
    session.answered_current(record)
    return record


def order(session: Session) -> list[str]:
    return [e.card.key for e in session.queue]


# --------------------------------------------------------------------- limits
def test_a_fresh_day_allows_the_configured_limits():
    allowance = daily_allowance(reviews_per_day=200, new_per_day=10, reviews_done=0, new_done=0)
    assert (allowance.reviews, allowance.new) == (200, 10)


def test_answers_earlier_today_count_against_the_limits():
    allowance = daily_allowance(reviews_per_day=20, new_per_day=10, reviews_done=12, new_done=4)
    # 12 scheduled answers today of which 4 were new cards: 8 reviews used, 4 new used.
    assert (allowance.reviews, allowance.new) == (12, 6)


def test_limits_never_go_negative_after_the_setting_is_lowered():
    allowance = daily_allowance(reviews_per_day=5, new_per_day=2, reviews_done=30, new_done=9)
    assert (allowance.reviews, allowance.new) == (0, 0)


# --------------------------------------------------------------------- queue order
def test_reviews_come_before_new_cards():
    session = Session(reviews=[due("r1"), due("r2")], new_cards=[new("n1"), new("n2")])
    assert order(session) == ["r1", "r2", "n1", "n2"]
    assert session.remaining() == (2, 2, 0)


def test_pending_drills_from_earlier_today_come_first_and_are_not_doubled():
    drill = DueCard(card("r1"), CardState("d/r1", Sm2State(0, 170, 1), due_on=TOMORROW))
    session = Session(reviews=[due("r2")], new_cards=[new("n1")], drills=[drill, drill])
    assert order(session) == ["r1", "r2", "n1"]
    assert session.kind(TODAY) is ReviewKind.DRILL
    assert session.remaining() == (1, 1, 1)


def test_an_empty_session_is_done_at_once():
    session = Session()
    assert session.done and session.current is None and session.kind(TODAY) is None
    assert (session.position, session.total) == (0, 0)


# --------------------------------------------------------------------- progress
def test_n_of_m_counts_answers_and_grows_when_a_card_must_be_drilled():
    session = Session(reviews=[due("a"), due("b")])
    assert (session.position, session.total) == (1, 2)
    answer(session, 5)
    assert (session.position, session.total) == (2, 2)
    answer(session, 2)  # b comes back
    assert (session.position, session.total) == (3, 3)
    answer(session, 4)
    assert session.done and (session.position, session.total) == (3, 3)


# --------------------------------------------------------------------- same-day re-drill
def test_a_card_graded_below_4_comes_back_a_few_cards_later_as_a_drill():
    session = Session(reviews=[due(k) for k in "abcdef"])
    answer(session, 3)  # passed, but below 4: SM-2 step 7 drills it
    assert order(session)[DRILL_GAP] == "a"
    assert order(session) == ["b", "c", "d", "a", "e", "f"]
    answer(session, 5)
    answer(session, 5)
    answer(session, 5)
    assert session.current.card.key == "a" and session.current.drill
    assert session.kind(TODAY) is ReviewKind.DRILL


def test_a_failed_card_goes_last_when_few_cards_remain():
    session = Session(reviews=[due("a"), due("b")])
    answer(session, 1)
    assert order(session) == ["b", "a"]


def test_the_last_card_failed_comes_straight_back_until_it_is_graded_4():
    session = Session(reviews=[due("a")])
    first = answer(session, 0)
    assert first.kind is ReviewKind.REVIEW
    kinds = []
    for grade in (2, 3, 1):
        kinds.append(answer(session, grade).kind)
        assert session.current.card.key == "a"
    last = answer(session, 4)
    assert kinds == [ReviewKind.DRILL] * 3 and last.kind is ReviewKind.DRILL
    assert session.done


def test_a_drill_does_not_change_the_schedule_kept_for_the_next_answer():
    session = Session(reviews=[due("a")])
    review = answer(session, 1)
    drill = answer(session, 2)
    assert drill.before == review.after == drill.after


def test_a_new_card_graded_4_or_more_is_not_drilled():
    session = Session(new_cards=[new("n")])
    answer(session, 4)
    assert session.done


# --------------------------------------------------------------------- the day rolls over
def test_after_the_day_rolls_over_yesterdays_failed_card_is_a_scheduled_review_again():
    session = Session(reviews=[due("a", on=YESTERDAY)])
    answer(session, 1, day=YESTERDAY)  # due again TODAY
    assert session.kind(YESTERDAY) is ReviewKind.DRILL
    assert session.kind(TODAY) is ReviewKind.REVIEW


def test_answer_kind_follows_the_schedule():
    c = "d/x"
    assert answer_kind(CardState(c), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=TODAY), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=YESTERDAY), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=TOMORROW), TODAY) is ReviewKind.DRILL


# --------------------------------------------------------------------- undo
def test_undo_puts_the_card_back_in_front_with_its_old_schedule():
    session = Session(reviews=[due("a"), due("b"), due("c")])
    state_before = session.current.state
    record = answer(session, 1)
    assert session.last_action.record is record
    action = session.undone()
    assert action.type is ActionType.ANSWER
    assert order(session) == ["a", "b", "c"]
    assert session.current.state == state_before and not session.current.drill
    assert session.answered == 0 and session.last_action is None


def test_undo_is_repeatable_back_to_the_start():
    session = Session(reviews=[due(k) for k in "abcd"])
    answer(session, 1)
    answer(session, 4)
    answer(session, 2)
    snapshots = []
    while session.last_action is not None:
        session.undone()
        snapshots.append(order(session))
    assert snapshots[-1] == ["a", "b", "c", "d"]
    assert len(snapshots) == 3 and session.tally().answers == 0


def test_undoing_a_drill_answer_brings_the_drill_back_not_the_first_answer():
    session = Session(reviews=[due("a")])
    answer(session, 1)
    answer(session, 5)
    assert session.done
    session.undone()
    assert session.current.drill and session.kind(TODAY) is ReviewKind.DRILL


# --------------------------------------------------------------------- suspend and bury
def test_suspend_removes_every_queued_copy_of_the_card_and_undo_restores_them():
    session = Session(reviews=[due(k) for k in "abcde"])
    answer(session, 1)  # a re-queued after b, c, d
    session.removed("d/b", ActionType.SUSPEND)
    assert order(session) == ["c", "d", "a", "e"]
    session.removed("d/a", ActionType.SUSPEND)
    assert "a" not in order(session) and (session.answered, session.total) == (1, 4)
    session.undone()
    session.undone()
    assert order(session) == ["b", "c", "d", "a", "e"] and (session.answered, session.total) == (1, 6)
    session.undone()  # the answer itself
    assert order(session) == ["a", "b", "c", "d", "e"] and (session.answered, session.position) == (0, 1)


def test_bury_remembers_the_earlier_burial_for_undo():
    session = Session(reviews=[due("a"), due("b")])
    action = session.removed("d/a", ActionType.BURY, buried_before=None)
    assert action.type is ActionType.BURY and action.entry.card.key == "a" and action.buried_before is None
    assert order(session) == ["b"]


def test_the_card_just_answered_can_be_suspended_even_when_it_is_no_longer_queued():
    session = Session(reviews=[due("a"), due("b")])
    answer(session, 5)
    action = session.removed("d/a", ActionType.SUSPEND)
    assert action.entry.card.key == "a" and order(session) == ["b"]


def test_answering_a_card_that_is_not_current_is_refused():
    session = Session(reviews=[due("a"), due("b")])
    other = ReviewRecord(1, "d/b", NOW.isoformat(), TODAY, Grade.PERFECT, ReviewKind.REVIEW, 0,
                         CardState("d/b"), CardState("d/b"))
    with pytest.raises(ValueError):
        session.answered_current(other)
    with pytest.raises(ValueError):
        session.removed("d/zzz", ActionType.SUSPEND)


# --------------------------------------------------------------------- the tally for the summary
def test_the_tally_counts_cards_share_right_drills_and_time():
    session = Session(reviews=[due("a"), due("b")], new_cards=[new("n")])
    answer(session, 5)  # a
    answer(session, 2)  # b: wrong, re-drilled
    answer(session, 4)  # n
    answer(session, 4)  # b drill
    tally = session.tally()
    assert (tally.answers, tally.reviews, tally.new_cards, tally.passed, tally.drills) == (4, 3, 1, 2, 1)
    assert tally.cards == 3 and tally.time_ms == 4000
    assert tally.share_right == pytest.approx(2 / 3)
    assert tally.missed == ("d/b",)
    session.undone()
    assert session.tally().drills == 0


# --------------------------------------------------------------------- helpers
def test_answer_time_is_capped_so_a_walk_away_does_not_count():
    assert answer_ms(NOW, NOW + timedelta(seconds=7.5)) == 7500
    assert answer_ms(NOW, NOW + timedelta(hours=3)) == MAX_ANSWER_MS
    assert answer_ms(NOW, NOW - timedelta(seconds=5)) == 0  # the clock went back


def test_streak_counts_consecutive_days_ending_today_or_yesterday():
    days = [TODAY - timedelta(days=k) for k in (0, 1, 2, 4)]
    assert streak(days, TODAY) == 3
    assert streak(days[1:], TODAY) == 2  # not studied yet today: the streak is still alive
    assert streak([TODAY - timedelta(days=2)], TODAY) == 0
    assert streak([], TODAY) == 0


def test_choices_are_keyed_a_to_f_in_file_order():
    c = card("c", type=CardType.CHOICE, choices=("one", "two", "three"), answer="two")
    assert choice_options(c) == [("a", "one"), ("b", "two"), ("c", "three")]
    assert is_right_pick(c, "two") and not is_right_pick(c, "one")
    assert right_answer_text(c) == "b) two"


def test_true_false_answers_compare_without_case():
    c = card("t", type=CardType.TRUEFALSE, answer="false")
    assert is_right_pick(c, "false") and not is_right_pick(c, "true")
    assert right_answer_text(c) == "False"


# --------------------------------------------------------------------- the store queries a session is planned from
def test_new_cards_skip_suspended_buried_answered_cards_and_keep_deck_order(store):
    from conftest import make_deck

    store.decks.sync(make_deck("anatomy", n=5), today=TODAY)
    store.decks.sync(make_deck("discs", n=4), today=TODAY)
    store.cards.set_suspended("anatomy/c2", True)
    store.cards.bury("discs/c1", TOMORROW)
    store.log.record("anatomy/c1", 5, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    assert [d.card.id for d in store.cards.new_cards(TODAY, limit=4)] == [
        "anatomy/c3", "anatomy/c4", "anatomy/c5", "discs/c2"]
    assert [d.card.id for d in store.cards.new_cards(TODAY, deck_id="discs", limit=100)] == [
        "discs/c2", "discs/c3", "discs/c4"]
    assert store.cards.new_cards(TODAY, limit=0) == []
    assert [d.card.id for d in store.cards.new_cards(TOMORROW, deck_id="discs", limit=1)] == ["discs/c1"]


def test_drills_pending_are_todays_cards_whose_latest_answer_was_below_4(store):
    from conftest import make_deck

    store.decks.sync(make_deck("anatomy", n=4), today=TODAY)
    rec = dict(kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    store.log.record("anatomy/c1", 2, **rec)  # failed: needs a drill
    store.log.record("anatomy/c2", 3, **rec)  # passed but hard: needs a drill
    store.log.record("anatomy/c2", 4, **{**rec, "kind": ReviewKind.DRILL})  # ... which it got
    store.log.record("anatomy/c3", 1, **{**rec, "study_day": YESTERDAY})  # yesterday's is not today's
    store.log.record("anatomy/c4", 0, **rec)
    store.cards.set_suspended("anatomy/c4", True)  # suspended: not drilled
    assert [d.card.id for d in store.cards.drills_pending(TODAY)] == ["anatomy/c1"]
    assert store.cards.drills_pending(TODAY, deck_id="discs") == []


# --------------------------------------------------------------------- reviews read in two parts
def test_reviews_counted_but_not_read_yet_are_in_the_total_and_come_before_new_cards():
    session = Session([due("r1"), due("r2")], [new("n1")], [due("d1")], more_reviews=3)
    assert (session.position, session.total) == (1, 7) and session.remaining() == (5, 1, 1)
    session.add_reviews([due("r3"), due("r2"), due("r4"), due("r5")])  # r2 is queued already
    assert order(session) == ["d1", "r1", "r2", "r3", "r4", "r5", "n1"]
    assert session.more_reviews == 0 and session.total == 7  # as counted at the start


def test_a_session_with_reviews_still_to_read_is_not_done():
    session = Session(more_reviews=2)
    assert not session.done and session.total == 2
    session.add_reviews([due("r1"), due("r2")])
    assert order(session) == ["r1", "r2"] and not session.done


def test_the_rest_of_the_reviews_must_come_before_the_first_answer():
    session = Session([due("r1")], more_reviews=1)
    answer(session, 5)
    with pytest.raises(ValueError, match="before the first answer"):
        session.add_reviews([due("r2")])
