"""Pure planning of one review session: the queue, limits, same-day re-drills, undo, suspend and bury."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import NamedTuple

from quiz.models import Card, CardState, CardType, DueCard, ReviewKind, ReviewRecord
from quiz.sm2 import DRILL_UNTIL_GRADE, PASSING_GRADE, Grade

#: A card graded below DRILL_UNTIL_GRADE comes back after this many other cards (or last, if fewer remain).
DRILL_GAP = 3
#: One answer never counts for more than this, so a walk-away does not skew the time figures.
MAX_ANSWER_MS = 5 * 60 * 1000
#: Choice cards are answered with these keys, in the order the deck file lists the choices.
CHOICE_KEYS = "abcdef"
#: A wrong pick on a choice or true/false card is recorded as this grade (the right answer is then shown).
WRONG_PICK_GRADE = Grade.WRONG_RECOGNISED
#: A right pick asks how easy it was; Enter means this grade.
RIGHT_PICK_GRADES = (Grade.HARD, Grade.PAUSE, Grade.PERFECT)
RIGHT_PICK_DEFAULT = Grade.PAUSE


# --------------------------------------------------------------------- what today allows
class Allowance(NamedTuple):
    """How many scheduled reviews and new cards today's limits still allow."""

    reviews: int
    new: int


def daily_allowance(*, reviews_per_day: int, new_per_day: int, reviews_done: int, new_done: int) -> Allowance:
    """What is left of today's limits.

    `reviews_done` counts every scheduled answer today (first answers to new cards included, drills
    not) and `new_done` the first answers to new cards, as the store's day totals do; answers to new
    cards count against `new_per_day` only.
    """
    return Allowance(
        reviews=max(0, reviews_per_day - (reviews_done - new_done)),
        new=max(0, new_per_day - new_done),
    )


def answer_kind(state: CardState, day: date) -> ReviewKind:
    """A scheduled review if the card is new or due on `day`, otherwise a same-day drill.

    Deciding from the card's schedule at answer time (not from how it entered the queue) keeps a
    session right when the study day rolls over: yesterday's failed card is today's review.
    """
    if state.is_new or state.due_on <= day:
        return ReviewKind.REVIEW
    return ReviewKind.DRILL


def answer_ms(shown_at: datetime, answered_at: datetime) -> int:
    """Milliseconds from a card being shown to its answer, never negative, capped at MAX_ANSWER_MS."""
    elapsed = (answered_at - shown_at) / timedelta(milliseconds=1)
    return int(min(max(elapsed, 0), MAX_ANSWER_MS))


def streak(study_days: Iterable[date], today: date) -> int:
    """Consecutive study days with answers, ending today (or yesterday: today is not over yet)."""
    days = set(study_days)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


# --------------------------------------------------------------------- answering a card
def choice_options(card: Card) -> list[tuple[str, str]]:
    """(key, text) for each choice of a choice card, in file order, keyed a-f.

    The order is the deck author's (see docs/review.md): an author who writes "none of these" last
    can rely on it staying last.
    """
    return list(zip(CHOICE_KEYS, card.choices))


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


# --------------------------------------------------------------------- the session itself
@dataclass(frozen=True, eq=False)
class Entry:
    """One place in the queue. Compared by identity: the same card may be queued again as a drill."""

    card: Card
    state: CardState
    drill: bool = False  # queued again after an answer below DRILL_UNTIL_GRADE

    @property
    def card_id(self) -> str:
        return self.card.id


class ActionType(str, Enum):
    ANSWER = "answer"
    SUSPEND = "suspend"
    BURY = "bury"


@dataclass(frozen=True)
class Action:
    """Something `u` can take back: the queue as it was before, and what to undo in the store."""

    type: ActionType
    entry: Entry
    queue_before: tuple[Entry, ...]
    record: ReviewRecord | None = None  # for ANSWER
    buried_before: date | None = None  # for BURY: the card's burial before this one


@dataclass(frozen=True)
class Tally:
    """What this session has done so far (undone answers excluded)."""

    answers: int = 0
    reviews: int = 0  # scheduled answers
    new_cards: int = 0  # of those, first answers to new cards
    passed: int = 0  # scheduled answers graded >= PASSING_GRADE
    drills: int = 0
    time_ms: int = 0
    cards: int = 0  # distinct cards answered
    missed: tuple[str, ...] = field(default=())  # card ids with an answer below PASSING_GRADE, first-seen order

    @property
    def share_right(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


class Session:
    """Today's queue and its history; pure (no store, no clock, no I/O).

    The caller writes each answer to the store first and only then tells the session
    (`answered`), so a failed write never advances the queue. Pending drills from an earlier
    sitting today come first, then due reviews, then new cards.
    """

    def __init__(self, reviews: Sequence[DueCard] = (), new_cards: Sequence[DueCard] = (),
                 drills: Sequence[DueCard] = (), *, more_reviews: int = 0) -> None:
        queue: list[Entry] = []
        seen: set[str] = set()
        for group, is_drill in ((drills, True), (reviews, False), (new_cards, False)):
            for due in group:
                if due.card.id not in seen:
                    seen.add(due.card.id)
                    queue.append(Entry(due.card, due.state, drill=is_drill))
        self._queue = queue
        self._history: list[Action] = []
        self._answers = 0  # ANSWER actions in _history (read on every card: kept, not counted)
        #: Due reviews counted but not read yet: they follow `reviews`, and `add_reviews` brings them.
        self._more = more_reviews

    def add_reviews(self, reviews: Sequence[DueCard]) -> None:
        """The `more_reviews` given at the start, now read: queued after the reviews already
        queued and before the new cards. Only before the first answer (so undo's queues stay whole)."""
        if self._history:
            raise ValueError("add_reviews() must come before the first answer, suspension or burial")
        seen = {e.card_id for e in self._queue}
        entries = [Entry(due.card, due.state) for due in reviews if due.card.id not in seen]
        at = next((i for i, e in enumerate(self._queue) if not e.drill and e.state.is_new), len(self._queue))
        self._queue[at:at] = entries
        self._more = 0

    @property
    def more_reviews(self) -> int:
        """Due reviews counted into `total` but not queued yet (see add_reviews)."""
        return self._more

    # ----------------------------------------------------------------- reading
    @property
    def current(self) -> Entry | None:
        return self._queue[0] if self._queue else None

    @property
    def done(self) -> bool:
        return not self._queue and not self._more

    @property
    def queue(self) -> tuple[Entry, ...]:
        return tuple(self._queue)

    @property
    def answered(self) -> int:
        """Answers given so far in this session (drills included, undone ones not)."""
        return self._answers

    @property
    def total(self) -> int:
        """The "m" of "n of m": answers given plus cards still queued (grows when a card is re-drilled)."""
        return self.answered + len(self._queue) + self._more

    @property
    def position(self) -> int:
        """The "n" of "n of m": the number of the answer the current card asks for."""
        return min(self.answered + 1, self.total)

    def remaining(self) -> tuple[int, int, int]:
        """(reviews, new, drills) still queued, by how each card entered the queue."""
        reviews, new, drills = self._more, 0, 0
        for e in self._queue:
            if e.drill:
                drills += 1
            elif e.state.is_new:
                new += 1
            else:
                reviews += 1
        return reviews, new, drills

    def kind(self, day: date) -> ReviewKind | None:
        """How an answer to the current card on `day` must be recorded."""
        return answer_kind(self.current.state, day) if self._queue else None

    def tally(self) -> Tally:
        answers = reviews = new_cards = passed = drills = time_ms = 0
        cards: dict[str, None] = {}
        missed: dict[str, None] = {}
        for action in self._history:
            record = action.record
            if record is None:
                continue
            answers += 1
            time_ms += record.answer_ms
            cards[record.card_id] = None
            if record.quality < PASSING_GRADE:
                missed[record.card_id] = None
            if record.kind is ReviewKind.REVIEW:
                reviews += 1
                new_cards += record.before.is_new
                passed += record.quality >= PASSING_GRADE
            else:
                drills += 1
        return Tally(answers, reviews, new_cards, passed, drills, time_ms, len(cards), tuple(missed))

    # ----------------------------------------------------------------- changing
    def answered_current(self, record: ReviewRecord) -> None:
        """The current card's answer `record` has been written: move on.

        An answer below DRILL_UNTIL_GRADE queues the card again DRILL_GAP cards later (last if
        fewer remain), until it is graded DRILL_UNTIL_GRADE or better.
        """
        entry = self._require_current(record.card_id)
        before = tuple(self._queue)
        self._queue.pop(0)
        if record.quality < DRILL_UNTIL_GRADE:
            again = Entry(entry.card, record.after, drill=True)
            self._queue.insert(min(DRILL_GAP, len(self._queue)), again)
        self._history.append(Action(ActionType.ANSWER, entry, before, record=record))
        self._answers += 1

    def removed(self, card_id: str, how: ActionType, *, buried_before: date | None = None) -> Action:
        """The card was suspended or buried in the store: drop every queued entry of it."""
        if how is ActionType.ANSWER:
            raise ValueError("use answered_current() for answers")
        entries = [e for e in self._queue if e.card_id == card_id]
        entry = entries[0] if entries else self._answered_entry(card_id)
        before = tuple(self._queue)
        self._queue = [e for e in self._queue if e.card_id != card_id]
        action = Action(how, entry, before, buried_before=buried_before)
        self._history.append(action)
        return action

    @property
    def last_action(self) -> Action | None:
        """What `u` would take back next (None when there is nothing to undo)."""
        return self._history[-1] if self._history else None

    def undone(self) -> Action:
        """The store has taken back `last_action`: restore the queue exactly as it was before it.

        For an answer that puts the card back in front, with the schedule it had.
        """
        action = self._history.pop()
        self._answers -= action.type is ActionType.ANSWER
        self._queue = list(action.queue_before)
        return action

    def _require_current(self, card_id: str) -> Entry:
        if not self._queue or self._queue[0].card_id != card_id:
            raise ValueError(f"{card_id!r} is not the current card")
        return self._queue[0]

    def _answered_entry(self, card_id: str) -> Entry:
        for action in reversed(self._history):
            if action.entry.card_id == card_id:
                return action.entry
        raise ValueError(f"{card_id!r} is not part of this session")
