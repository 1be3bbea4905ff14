"""SM-2 is exact: the published rules, golden sequences, and no drift over long random runs."""
from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from quiz.sm2 import NEW_ITEM, Grade, Sm2State, review, step


def reference(reps: int, ef: Fraction, interval: int, q: int) -> tuple[int, Fraction, int]:
    """SM-2 written independently with exact rationals, straight from the published text."""
    if q >= 3:
        if reps == 0:
            new_interval = 1
        elif reps == 1:
            new_interval = 6
        else:
            new_interval = math.ceil(interval * ef)  # the E-Factor from before this grade
        reps += 1
    else:
        reps, new_interval = 0, 1
    ef = ef + (Fraction(1, 10) - (5 - q) * (Fraction(8, 100) + (5 - q) * Fraction(2, 100)))
    return reps, max(ef, Fraction(13, 10)), new_interval


def test_a_new_item_answered_perfectly_three_times_gets_1_6_17_days():
    state = (0, 2.5, 0)
    seen = []
    for _ in range(3):
        state = review(*state, 5)
        seen.append(state)
    assert seen == [(1, 2.6, 1), (2, 2.7, 6), (3, 2.8, 17)]


def test_interval_uses_the_easiness_from_before_the_grade():
    # With the updated EF these would be ceil(10 * 2.36) = 24 and ceil(10 * 2.6) = 26.
    assert review(2, 2.5, 10, 3) == (3, 2.36, 25)
    assert review(2, 2.5, 10, 5) == (3, 2.6, 25)


def test_interval_is_rounded_up():
    assert review(3, 1.5, 9, 4) == (4, 1.5, 14)  # 13.5 -> 14
    assert review(3, 2.6, 17, 5) == (4, 2.7, 45)  # 44.2 -> 45


def test_a_failure_resets_repetitions_and_still_lowers_easiness():
    assert review(5, 2.5, 100, 2) == (0, 2.18, 1)
    assert review(5, 2.5, 100, 0) == (0, 1.7, 1)
    assert review(5, 2.5, 100, 1) == (0, 1.96, 1)


def test_easiness_never_drops_below_1_3_and_has_no_upper_cap():
    assert review(0, 1.3, 0, 0) == (0, 1.3, 1)
    state = (0, 2.5, 0)
    for _ in range(30):
        state = review(*state, 5)
    assert state[1] == 5.5


def test_drifting_float_arithmetic_would_give_10_days_but_sm2_gives_9():
    # 1.3 + 0.1 + 0.1 in floats is 1.5000000000000002; 6 * that, rounded up, would be 10.
    state = (0, 1.3, 0)
    state = review(*state, 5)
    state = review(*state, 5)
    assert state == (2, 1.5, 6)
    assert review(*state, 4) == (3, 1.5, 9)


def test_long_random_grade_sequences_match_exact_rational_arithmetic():
    rng = random.Random(20261125)
    for _ in range(300):
        ours = NEW_ITEM
        reps, ef, interval = 0, Fraction(5, 2), 0
        for _ in range(rng.randint(1, 120)):
            q = rng.choice([0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5])
            ours = step(ours, q)
            reps, ef, interval = reference(reps, ef, interval, q)
            assert (ours.repetitions, Fraction(ours.easiness_centi, 100), ours.interval_days) == (reps, ef, interval)
        # The float API agrees too, and its easiness is the float nearest a whole hundredth.
        assert ours.easiness == float(ef)


def test_the_float_api_round_trips_over_long_sequences():
    rng = random.Random(7)
    state = (0, 2.5, 0)
    exact = NEW_ITEM
    for _ in range(5000):
        q = rng.randint(0, 5)
        state = review(*state, q)
        exact = step(exact, q)
        assert state == (exact.repetitions, exact.easiness_centi / 100, exact.interval_days)
        assert (Decimal(repr(state[1])) * 100) % 1 == 0


def test_grades_are_named():
    assert Grade.PERFECT == 5 and Grade.NO_IDEA == 0
    assert step(Sm2State(), Grade.PAUSE) == Sm2State(1, 250, 1)


@pytest.mark.parametrize(
    "args, error",
    [
        ((0, 2.5, 0, 6), ValueError),
        ((0, 2.5, 0, -1), ValueError),
        ((0, 2.5, 0, 3.0), TypeError),
        ((0, 2.5, 0, True), TypeError),
        ((0, 2.5, 0, "5"), TypeError),
        ((-1, 2.5, 0, 3), ValueError),
        ((0, 2.5, -3, 3), ValueError),
        ((2, 2.5, 0, 3), ValueError),
        ((0, 1.29, 0, 3), ValueError),
        ((0, 2.555, 0, 3), ValueError),
        ((0, float("nan"), 0, 3), ValueError),
        ((0, float("inf"), 0, 3), ValueError),
        ((0, "2.5", 0, 3), TypeError),
        ((0, None, 0, 3), TypeError),
        ((1.0, 2.5, 1, 3), TypeError),
        ((1, 2.5, 1.5, 3), TypeError),
    ],
)
def test_invalid_arguments_raise(args, error):
    with pytest.raises(error):
        review(*args)
