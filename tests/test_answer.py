"""The answer as a pure function: exact SM-2 interval sequences, lapses, drills, undo, and what a pick means."""
from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NOW, TODAY, make_deck

from quiz.answer import (
    MAX_ANSWER_MS,
    accepts_pick,
    answer_kind,
    answer_ms,
    choice_options,
    is_right_pick,
    review_card,
    right_answer_text,
)
from quiz.models import Card, CardState, CardType, ReviewKind
from quiz.sm2 import Grade, Sm2State
from quiz.store.log import CardChanged

YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def answer_on_due_days(grades: list[int]) -> list[tuple[int, int, int, str]]:
    """Answer a new card with `grades`, each on the day it falls due: (reps, easiness, interval, due) after each."""
    state, day, seen = CardState("d/x"), TODAY, []
    for grade in grades:
        review = review_card(state, grade, ReviewKind.REVIEW, day, reviewed_at=NOW, answer_ms=1000)
        state = review.after
        seen.append((state.sm2.repetitions, state.sm2.easiness_centi, state.sm2.interval_days,
                     state.due_on.isoformat()))
        day = state.due_on
    return seen


def test_a_new_card_answered_4_each_time_it_is_due_follows_the_published_intervals():
    # 1, 6, then I(n-1) * EF rounded up; EF stays 2.5 at grade 4.
    assert answer_on_due_days([4, 4, 4, 4, 4]) == [
        (1, 250, 1, "2026-03-03"),
        (2, 250, 6, "2026-03-09"),
        (3, 250, 15, "2026-03-24"),
        (4, 250, 38, "2026-05-01"),
        (5, 250, 95, "2026-08-04"),
    ]


def test_perfect_answers_grow_the_easiness_by_a_tenth_each_time():
    assert [s[:3] for s in answer_on_due_days([5, 5, 5, 5])] == [(1, 260, 1), (2, 270, 6), (3, 280, 17), (4, 290, 48)]


def test_a_lapse_starts_the_card_again_and_counts_once_it_was_learned():
    state = CardState("d/x")
    first = review_card(state, 1, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1)
    assert first.after.lapses == 0  # a new card forgotten is not a lapse: it was never learned
    learned = review_card(first.after, 5, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1).after
    forgot = review_card(learned, 0, ReviewKind.REVIEW, TOMORROW, reviewed_at=NOW, answer_ms=1)
    assert forgot.after.lapses == 1
    assert forgot.after.sm2 == Sm2State(0, 130, 1) and forgot.after.due_on == TOMORROW + timedelta(days=1)


def test_easiness_never_falls_below_1_3():
    assert [s[1] for s in answer_on_due_days([0, 0, 0, 0, 0, 0])] == [170, 130, 130, 130, 130, 130]


def test_a_drill_is_logged_and_leaves_the_schedule_exactly_as_it_was():
    state = review_card(CardState("d/x"), 2, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1).after
    drill = review_card(state, 1, ReviewKind.DRILL, TODAY, reviewed_at=NOW, answer_ms=1500)
    assert drill.before == drill.after == state
    assert (drill.kind, drill.quality, drill.answer_ms, drill.id) == (ReviewKind.DRILL, Grade.WRONG_RECOGNISED, 1500, None)


def test_the_log_line_is_stamped_in_utc_to_the_millisecond_and_suspension_is_kept():
    state = CardState("d/x", suspended=False, buried_until=YESTERDAY)
    review = review_card(state, 4, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=-5)
    assert review.reviewed_at == "2026-03-02T08:30:00.000+00:00" and review.answer_ms == 0
    assert review.after.buried_until == YESTERDAY and review.study_day == TODAY
    with pytest.raises(ValueError):
        review_card(state, 4, ReviewKind.REVIEW, TODAY, reviewed_at=NOW.replace(tzinfo=None), answer_ms=1)
    with pytest.raises(ValueError):
        review_card(state, 6, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1)


def test_the_store_writes_what_it_is_given_and_undo_restores_it_exactly(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    before = store.log.state("anatomy/c1")
    written = store.log.write(review_card(before, 3, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=900))
    assert written.id is not None and store.log.state("anatomy/c1") == written.after
    assert store.log.day_totals(TODAY)[1:] == (1, 1, 1, 0, 900, 0, 0)  # a new card: not yet a learned review
    store.log.undo(written)
    assert store.log.state("anatomy/c1") == before
    assert store.log.day_totals(TODAY)[1:] == (0, 0, 0, 0, 0, 0, 0)
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0


def test_an_answer_decided_from_a_stale_state_is_never_written(store):
    store.decks.sync(make_deck(n=1), today=TODAY)
    before = store.log.state("anatomy/c1")
    first = store.log.write(review_card(before, 5, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1))
    with pytest.raises(CardChanged):  # decided from the state before the first answer
        store.log.write(review_card(before, 4, ReviewKind.REVIEW, TODAY, reviewed_at=NOW, answer_ms=1))
    assert store.log.state("anatomy/c1") == first.after
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
    store.cards.set_suspended("anatomy/c1", True)  # changed since the answer: undo refuses
    with pytest.raises(CardChanged):
        store.log.undo(first)
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


# --------------------------------------------------------------------- review or drill, and the time taken
def test_answer_kind_follows_the_schedule():
    c = "d/x"
    assert answer_kind(CardState(c), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=TODAY), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=YESTERDAY), TODAY) is ReviewKind.REVIEW
    assert answer_kind(CardState(c, Sm2State(1, 250, 1), due_on=TOMORROW), TODAY) is ReviewKind.DRILL


def test_answer_time_is_capped_so_a_walk_away_does_not_count():
    assert answer_ms(NOW, NOW + timedelta(seconds=7.5)) == 7500
    assert answer_ms(NOW, NOW + timedelta(hours=3)) == MAX_ANSWER_MS
    assert answer_ms(NOW, NOW - timedelta(seconds=5)) == 0  # the clock went back


# --------------------------------------------------------------------- picks
def card(**kw) -> Card:
    fields = dict(type=CardType.BASIC, prompt="Q?", answer="A", explanation="why", source="src")
    fields.update(kw)
    return Card("d", "k", **fields)


def test_choices_are_keyed_a_to_f_in_file_order():
    c = card(type=CardType.CHOICE, choices=("one", "two", "three"), answer="two")
    assert choice_options(c) == [("a", "one"), ("b", "two"), ("c", "three")]
    assert is_right_pick(c, "two") and not is_right_pick(c, "one")
    assert right_answer_text(c) == "b) two"
    assert accepts_pick(c, "c") and not accepts_pick(c, "d") and not accepts_pick(c, "true")


def test_true_false_answers_compare_without_case():
    c = card(type=CardType.TRUEFALSE, answer="false")
    assert is_right_pick(c, "false") and not is_right_pick(c, "true")
    assert right_answer_text(c) == "False"
    assert accepts_pick(c, "true") and not accepts_pick(card(), "a")


# --------------------------------------------------------------------- grade scales
def test_each_key_of_each_scale_records_one_sm2_quality_and_4_passes_in_both():
    from quiz.answer import ENTER_GRADE, FULL, FULL_SCALE, SIMPLE, SIMPLE_SCALE, grade_keys, grade_scale
    from quiz.sm2 import PASSING_GRADE

    assert [(k.key, k.name, int(k.quality)) for k in SIMPLE_SCALE] == [
        ("1", "Again", 1), ("2", "Hard", 3), ("3", "Good", 4), ("4", "Easy", 5)]
    assert [(k.key, int(k.quality)) for k in FULL_SCALE] == [(str(q), q) for q in range(5, -1, -1)]
    assert grade_scale(SIMPLE) == SIMPLE_SCALE and grade_scale(FULL) == FULL_SCALE
    for scale in (SIMPLE_SCALE, FULL_SCALE):
        assert {k.key: k.quality for k in scale}["4"] >= PASSING_GRADE  # scripts press 4
        assert [k.key for k in grade_keys(scale, right_pick=True)] == (
            ["2", "3", "4"] if scale is SIMPLE_SCALE else ["5", "4", "3"])
    assert ENTER_GRADE == 4
