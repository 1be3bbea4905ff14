"""SuperMemo 2 (Wozniak, 1990), exactly as published: a pure function, no I/O, no clock."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction

# Easiness is kept as a whole number of hundredths so the arithmetic never drifts: in binary floats
# 1.3 + 0.1 + 0.1 > 1.5, which would turn a 9-day interval into 10 once rounded up.
INITIAL_EASINESS_CENTI = 250
MIN_EASINESS_CENTI = 130
MIN_EASINESS = 1.3
FIRST_INTERVAL_DAYS = 1
SECOND_INTERVAL_DAYS = 6


class Grade(IntEnum):
    """The SM-2 quality of a response, 0-5."""

    NO_IDEA = 0
    WRONG_RECOGNISED = 1
    WRONG_FAMILIAR = 2
    HARD = 3
    PAUSE = 4
    PERFECT = 5


#: Lowest grade that counts as remembered (SM-2 step 5/6).
PASSING_GRADE = Grade.HARD
#: Grades below this are re-drilled the same day until they reach it (SM-2 step 7).
DRILL_UNTIL_GRADE = Grade.PAUSE

GRADE_LABELS = {
    Grade.PERFECT: "perfect",
    Grade.PAUSE: "right after a pause",
    Grade.HARD: "right but hard",
    Grade.WRONG_FAMILIAR: "wrong, but it felt familiar",
    Grade.WRONG_RECOGNISED: "wrong, I recognised the answer",
    Grade.NO_IDEA: "no idea",
}


@dataclass(frozen=True)
class Sm2State:
    """An item's SM-2 state. `easiness_centi` is the E-Factor in hundredths (250 means 2.5)."""

    repetitions: int = 0
    easiness_centi: int = INITIAL_EASINESS_CENTI
    interval_days: int = 0

    @property
    def easiness(self) -> float:
        return self.easiness_centi / 100


NEW_ITEM = Sm2State()


def easiness_change_centi(quality: int) -> int:
    """The published update EF' = EF + (0.1 - (5-q)*(0.08 + (5-q)*0.02)), in hundredths."""
    miss = 5 - quality
    return 10 - miss * (8 + miss * 2)


def step(state: Sm2State, quality: int) -> Sm2State:
    """One SM-2 repetition of `state` graded `quality` (0-5). Pure and exact."""
    _check_int("quality", quality)
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be 0-5, got {quality}")
    _check_state(state)
    if quality >= PASSING_GRADE:
        if state.repetitions == 0:
            interval = FIRST_INTERVAL_DAYS
        elif state.repetitions == 1:
            interval = SECOND_INTERVAL_DAYS
        else:
            # I(n) = I(n-1) * EF, rounded up, using the E-Factor from before this grade's update.
            interval = -(-state.interval_days * state.easiness_centi // 100)
        repetitions = state.repetitions + 1
    else:
        repetitions = 0
        interval = FIRST_INTERVAL_DAYS
    easiness = max(MIN_EASINESS_CENTI, state.easiness_centi + easiness_change_centi(quality))
    return Sm2State(repetitions, easiness, interval)


def review(repetitions: int, easiness: float, interval_days: int, quality: int) -> tuple[int, float, int]:
    """The bare SM-2 step: returns (repetitions, easiness, interval_days).

    A new item is (0, 2.5, 0). `easiness` must be a whole number of hundredths, at least 1.3; the
    returned easiness is the float nearest to an exact number of hundredths.
    """
    state = Sm2State(repetitions, _easiness_to_centi(easiness), interval_days)
    after = step(state, quality)
    return after.repetitions, after.easiness, after.interval_days


def _easiness_to_centi(easiness: object) -> int:
    if isinstance(easiness, bool) or not isinstance(easiness, (int, float, Decimal, Fraction)):
        raise TypeError(f"easiness must be a number, got {type(easiness).__name__}")
    if isinstance(easiness, (float, Decimal)) and not math.isfinite(easiness):
        raise ValueError(f"easiness must be a finite number, got {easiness!r}")
    # repr() of a float is its shortest round-tripping form, so 1.3 reads as exactly 13/10.
    exact = Fraction(Decimal(repr(easiness))) if isinstance(easiness, float) else Fraction(easiness)
    hundredths = exact * 100
    if hundredths.denominator != 1:
        raise ValueError(f"easiness must be a whole number of hundredths, got {easiness!r}")
    if hundredths < MIN_EASINESS_CENTI:
        raise ValueError(f"easiness must be at least {MIN_EASINESS}, got {easiness!r}")
    return int(hundredths)


def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")


def _check_state(state: Sm2State) -> None:
    _check_int("repetitions", state.repetitions)
    _check_int("interval_days", state.interval_days)
    _check_int("easiness_centi", state.easiness_centi)
    if state.repetitions < 0:
        raise ValueError(f"repetitions must be >= 0, got {state.repetitions}")
    if state.interval_days < 0:
        raise ValueError(f"interval_days must be >= 0, got {state.interval_days}")
    if state.repetitions > 0 and state.interval_days < 1:
        raise ValueError("a repeated item must have an interval of at least 1 day")
    if state.easiness_centi < MIN_EASINESS_CENTI:
        raise ValueError(f"easiness must be at least {MIN_EASINESS}")
