"""What one answer does to a card: a pure function of (state, grade, kind, study day), like py-fsrs's review_card."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from quiz.days import add_days
from quiz.models import Card, CardState, CardType, Review, ReviewKind
from quiz.sm2 import GRADE_LABELS, PASSING_GRADE, Grade, step

#: One answer never counts for more than this, so a walk-away does not skew the time figures.
MAX_ANSWER_MS = 5 * 60 * 1000
#: Choice cards are answered with these keys, in the order the deck file lists the choices.
CHOICE_KEYS = "abcdef"
#: A wrong pick on a choice or true/false card is recorded as this grade (the right answer is then shown).
WRONG_PICK_GRADE = Grade.WRONG_RECOGNISED
#: A right pick asks how easy it was: one of the passing grades.
RIGHT_PICK_GRADES = (Grade.HARD, Grade.PAUSE, Grade.PERFECT)
#: What Enter grades, in either scale and after a right pick: "Good" (SM-2's 4, no easiness change).
ENTER_GRADE = Grade.PAUSE
RIGHT_PICK_DEFAULT = ENTER_GRADE


class GradeKey(NamedTuple):
    """One key of a grade scale: the key pressed, its name on screen, the SM-2 quality it records."""

    key: str
    name: str
    quality: Grade


#: The default scale, as Anki's four buttons. Only the keys change: each records one SM-2 quality.
#: Again = 1 (wrong, recognised once shown: the grade a wrong pick records too), Hard = 3 (right with
#: serious difficulty: easiness -0.14 and, below 4, seen again today), Good = 4 (easiness unchanged),
#: Easy = 5 (easiness +0.10). Keys 4 and Enter pass in both scales.
SIMPLE_SCALE = (
    GradeKey("1", "Again", Grade.WRONG_RECOGNISED),
    GradeKey("2", "Hard", Grade.HARD),
    GradeKey("3", "Good", Grade.PAUSE),
    GradeKey("4", "Easy", Grade.PERFECT),
)
#: SM-2's own six grades, key = quality (`quiz config grade_scale full`).
FULL_SCALE = tuple(GradeKey(str(int(g)), GRADE_LABELS[g], g) for g in sorted(Grade, reverse=True))
#: The `grade_scale` setting: how many grades are offered.
SIMPLE, FULL = 4, 6
SCALE_NAMES = {"simple": SIMPLE, "full": FULL}


def grade_scale(setting: int) -> tuple[GradeKey, ...]:
    """The keys of the `grade_scale` setting: 6 is SM-2's full 0-5 scale, anything else the simple one."""
    return FULL_SCALE if setting == FULL else SIMPLE_SCALE


def grade_keys(scale: tuple[GradeKey, ...], *, right_pick: bool = False) -> tuple[GradeKey, ...]:
    """The keys of `scale` on offer: all of them after a shown answer, the passing ones after a right pick."""
    return tuple(k for k in scale if k.quality in RIGHT_PICK_GRADES) if right_pick else scale


def review_card(state: CardState, grade: int, kind: ReviewKind, day: date, *, reviewed_at: datetime,
                answer_ms: int) -> Review:
    """The answer `grade` to the card in `state` on study `day`: its log line, with the new state as `.after`.

    A `ReviewKind.REVIEW` takes one SM-2 step (quiz.sm2.step), is due `interval_days` after `day`,
    and counts a lapse when a card already learned is graded below PASSING_GRADE. A
    `ReviewKind.DRILL` (a same-day re-drill, SM-2 step 7) leaves the state exactly as it was.
    Suspension and burial are not part of an answer and never change here.
    """
    grade = Grade(grade)
    kind = ReviewKind(kind)
    if reviewed_at.tzinfo is None:
        raise ValueError("reviewed_at must be an aware datetime")
    after = state
    if kind is ReviewKind.REVIEW:
        sm2 = step(state.sm2, grade)
        lapsed = grade < PASSING_GRADE and state.sm2.repetitions > 0
        after = replace(state, sm2=sm2, due_on=add_days(day, sm2.interval_days), lapses=state.lapses + lapsed)
    stamp = reviewed_at.astimezone(UTC).isoformat(timespec="milliseconds")
    return Review(state.card_id, stamp, day, grade, kind, max(0, int(answer_ms)), state, after)


def answer_kind(state: CardState, day: date) -> ReviewKind:
    """A scheduled review if the card is new or due on `day`, otherwise a same-day drill.

    Deciding from the card's schedule at answer time (not from how it entered the queue) keeps a
    session right when the study day rolls over: yesterday's failed card is today's review.
    """
    if state.due_on is None or state.due_on <= day:
        return ReviewKind.REVIEW
    return ReviewKind.DRILL


def answer_ms(shown_at: datetime, answered_at: datetime) -> int:
    """Milliseconds from a card being shown to its answer, never negative, capped at MAX_ANSWER_MS."""
    elapsed = (answered_at - shown_at) / timedelta(milliseconds=1)
    return int(min(max(elapsed, 0), MAX_ANSWER_MS))


# --------------------------------------------------------------------- picks (choice, true/false)
def choice_options(card: Card) -> list[tuple[str, str]]:
    """(key, text) for each choice of a choice card, in file order, keyed a-f.

    The order is the deck author's (see docs/review.md): an author who writes "none of these" last
    can rely on it staying last.
    """
    return list(zip(CHOICE_KEYS, card.choices))


def accepts_pick(card: Card, key: str) -> bool:
    """Whether `key` picks something on `card`: a-f up to its number of choices, or "true"/"false"."""
    if card.type is CardType.TRUEFALSE:
        return key in ("true", "false")
    return card.type is CardType.CHOICE and key in dict(choice_options(card))


def picked_text(card: Card, key: str) -> str:
    """What the key `key` picks on `card`: a choice's text, or "true"/"false"."""
    return key if card.type is CardType.TRUEFALSE else dict(choice_options(card))[key]


def is_right_pick(card: Card, picked: str) -> bool:
    """Whether `picked` (a choice's text, or "true"/"false") is the card's answer."""
    if card.type is CardType.TRUEFALSE:
        return picked.strip().lower() == card.answer.strip().lower()
    return picked == card.answer


def right_answer_text(card: Card) -> str:
    """The right answer as a patient should read it (with its key for a choice card)."""
    if card.type is CardType.CHOICE:
        for key, text in choice_options(card):
            if text == card.answer:
                return f"{key}) {text}"
    if card.type is CardType.TRUEFALSE:
        return "True" if card.answer.strip().lower() == "true" else "False"
    return card.answer
