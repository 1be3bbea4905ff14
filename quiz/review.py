"""Today's review session, headless: the queue, today's limits, re-drills, undo, suspend and bury."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import NamedTuple

from quiz.answer import (
    RIGHT_PICK_GRADES,
    WRONG_PICK_GRADE,
    accepts_pick,
    answer_kind,
    answer_ms,
    is_right_pick,
    picked_text,
    review_card,
)
from quiz.days import DEFAULT_DAY_START_HOUR, study_day
from quiz.models import Card, CardState, CardType, DueCard, Review, ReviewKind
from quiz.sm2 import DRILL_UNTIL_GRADE, PASSING_GRADE, Grade
from quiz.store import Store

#: A card graded below DRILL_UNTIL_GRADE comes back after this many other cards (or last, if fewer remain).
DRILL_GAP = 3


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


class Phase(str, Enum):
    QUESTION = "question"  # the prompt (and choices) are shown
    REVEALED = "revealed"  # basic/cloze: the answer is shown, waiting for a grade 0-5
    RATE = "rate"  # choice/truefalse picked right: waiting for 3/4/5 (Enter = 4)
    FEEDBACK = "feedback"  # choice/truefalse picked wrong: grade 1 saved, the right answer shown
    EMPTY = "empty"  # nothing (more) to review


class Note(str, Enum):
    """Something the screen should tell the patient about the call just made."""

    SUSPENDED = "suspended"
    BURIED = "buried"
    UNDID_ANSWER = "undid answer"
    UNDID_SUSPEND = "undid suspend"
    UNDID_BURY = "undid bury"
    NOTHING_TO_UNDO = "nothing to undo"


@dataclass(frozen=True, eq=False)
class Entry:
    """One place in the queue. Compared by identity: the same card may be queued again as a drill."""

    card: Card
    state: CardState
    drill: bool = False  # queued again after an answer below DRILL_UNTIL_GRADE


@dataclass(frozen=True)
class View:
    """What the screen draws after a call: the card on screen and what is asked of it."""

    phase: Phase
    entry: Entry | None  # the card on screen (in FEEDBACK: the one just answered)
    picked: str | None  # the key picked on a choice or true/false card
    number: int  # the n of "Card n of m"
    total: int  # the m
    answered: int  # answers given in this session (drills included, undone ones not)
    kind: ReviewKind | None  # how an answer to the card on screen is recorded (a drill, or a review)
    note: Note | None = None
    note_card: Card | None = None


class _Action(NamedTuple):
    """What `undo` can take back: the queue as it was before, and what to undo in the store."""

    note: Note | None  # SUSPENDED or BURIED; None for an answer
    entry: Entry
    queue_before: tuple[Entry, ...]
    review: Review | None = None
    buried_before: date | None = None


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
    missed: tuple[str, ...] = ()  # card ids with an answer below PASSING_GRADE, first-seen order

    @property
    def share_right(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


class Outlook(NamedTuple):
    """Why a session is empty: what today's limits hold back, and what tomorrow brings."""

    due_today: int
    new_today: int
    due_tomorrow: int
    reviews_per_day: int
    new_per_day: int


class ReviewSession:
    """One sitting: every key of the review screen is one call here, which returns what to draw.

    Each answer is written to the store (committed, on the disk) before the queue moves; a
    StoreError leaves the session exactly as it was, so the same call can be made again. Times are
    passed in (`now`: an aware local datetime). Pending drills from an earlier sitting today come
    first, then due reviews (most overdue first), then new cards (deck order, then file order).
    """

    def __init__(self, store: Store, now: datetime, *, deck_id: str | None = None,
                 day_start_hour: int = DEFAULT_DAY_START_HOUR, queue: tuple[DueCard, ...] = (),
                 drills: tuple[DueCard, ...] = (), titles: dict[str, str] | None = None) -> None:
        self.store = store
        self.deck_id = deck_id
        self.day_start_hour = day_start_hour
        self.titles = titles or {}
        self._sources: dict[str, dict[str, str]] = {}
        self._queue: list[Entry] = []
        seen: set[str] = set()
        for group, is_drill in ((drills, True), (queue, False)):
            for due in group:
                if due.card.id not in seen:
                    seen.add(due.card.id)
                    self._queue.append(Entry(due.card, due.state, drill=is_drill))
        self._history: list[_Action] = []
        self._answers = 0
        self._day = study_day(now, day_start_hour)
        self._phase = Phase.EMPTY
        self._shown: Entry | None = None
        self._picked: str | None = None
        self._shown_at = now
        self._show_current(now)

    @classmethod
    def open(cls, store: Store, now: datetime, deck_id: str | None = None) -> ReviewSession:
        """Today's session for `deck_id` (None: every deck) within what today's limits still allow.

        Raises StoreError if the database cannot be read.
        """
        with store.read_snapshot():
            settings = store.settings()
            day = study_day(now, settings.day_start_hour)
            done = store.log.day_totals(day)
            allowance = daily_allowance(reviews_per_day=settings.reviews_per_day, new_per_day=settings.new_per_day,
                                        reviews_done=done.reviews, new_done=done.new_cards)
            drills = store.cards.drills_pending(day, deck_id=deck_id)
            reviews = store.cards.due_reviews(day, deck_id=deck_id, limit=allowance.reviews) if allowance.reviews else []
            new = store.cards.new_cards(day, deck_id=deck_id, limit=allowance.new) if allowance.new else []
            titles = store.decks.titles()
        return cls(store, now, deck_id=deck_id, day_start_hour=settings.day_start_hour,
                   queue=(*reviews, *new), drills=tuple(drills), titles=titles)

    def read_citations(self) -> None:
        """Read the decks' source lists, for `citation` (StoreError: cards keep citing a source by its key)."""
        self._sources = {deck: (self.store.decks.info(deck) or {}).get("sources") or {} for deck in self.titles}

    # ----------------------------------------------------------------- reading
    @property
    def view(self) -> View:
        entry = self._shown
        number = self._answers if self._phase is Phase.FEEDBACK else min(self._answers + 1, self.total)
        kind = answer_kind(entry.state, self._day) if entry is not None else None
        return View(self._phase, entry, self._picked, number, self.total, self._answers, kind)

    @property
    def total(self) -> int:
        """The "m" of "n of m": answers given plus cards still queued (grows when a card is re-drilled)."""
        return self._answers + len(self._queue)

    @property
    def queue(self) -> tuple[Entry, ...]:
        """The cards still to answer, the current one first."""
        return tuple(self._queue)

    @property
    def cards_left(self) -> int:
        return len(self._queue)

    def remaining(self) -> tuple[int, int, int]:
        """(reviews, new, drills) still queued, by how each card entered the queue."""
        drills = sum(e.drill for e in self._queue)
        new = sum(not e.drill and e.state.is_new for e in self._queue)
        return len(self._queue) - new - drills, new, drills

    def citation(self, card: Card) -> str:
        """The card's source as its deck spells it out (its key if the deck does not)."""
        return self._sources.get(card.deck_id, {}).get(card.source, card.source)

    def tally(self) -> Tally:
        answers = reviews = new_cards = passed = drills = time_ms = 0
        cards: dict[str, None] = {}
        missed: dict[str, None] = {}
        for action in self._history:
            review = action.review
            if review is None:
                continue
            answers += 1
            time_ms += review.answer_ms
            cards[review.card_id] = None
            if review.quality < PASSING_GRADE:
                missed[review.card_id] = None
            if review.kind is ReviewKind.REVIEW:
                reviews += 1
                new_cards += review.before.is_new
                passed += review.quality >= PASSING_GRADE
            else:
                drills += 1
        return Tally(answers, reviews, new_cards, passed, drills, time_ms, len(cards), tuple(missed))

    def outlook(self) -> Outlook:
        """What is due today and tomorrow for this session's decks (StoreError if unreadable)."""
        def counts(day: date) -> tuple[int, int]:
            mine = [s for s in self.store.decks.summaries(day) if self.deck_id in (None, s.id)]
            return sum(s.due for s in mine), sum(s.new for s in mine)

        settings = self.store.settings()
        (due, new), (due_tomorrow, _) = counts(self._day), counts(self._day + timedelta(days=1))
        return Outlook(due, new, due_tomorrow, settings.reviews_per_day, settings.new_per_day)

    # ----------------------------------------------------------------- the keys
    def reveal(self) -> View:
        """Show the answer of a question or cloze card."""
        entry = self._shown
        if self._phase is Phase.QUESTION and entry is not None and entry.card.type in (CardType.BASIC, CardType.CLOZE):
            self._phase = Phase.REVEALED
        return self.view

    def grade(self, grade: int, now: datetime) -> View:
        """Grade the revealed answer (0-5) or a right pick (3-5): saved, then the next card."""
        grade = Grade(grade)
        if self._phase is Phase.REVEALED or (self._phase is Phase.RATE and grade in RIGHT_PICK_GRADES):
            self._answer(grade, now)
            self._show_current(now)
        return self.view

    def pick(self, key: str, now: datetime) -> View:
        """Pick a choice (a-f) or true/false ("true"/"false"): right asks how easy; wrong is saved as grade 1."""
        entry = self._shown
        if self._phase is not Phase.QUESTION or entry is None:
            return self.view
        card = entry.card
        if not accepts_pick(card, key):
            return self.view
        if is_right_pick(card, picked_text(card, key)):
            self._phase, self._picked = Phase.RATE, key
        else:
            self._answer(WRONG_PICK_GRADE, now)
            self._phase, self._picked = Phase.FEEDBACK, key  # the answered card stays on screen
        return self.view

    def next(self, now: datetime) -> View:
        """After a wrong pick's feedback: on to the next card."""
        if self._phase is Phase.FEEDBACK:
            self._show_current(now)
        return self.view

    def resume(self, now: datetime) -> None:
        """The screen is back from under another (the reminder, the key list): time that was not on the card."""
        if self._phase is Phase.QUESTION:
            self._shown_at = now

    def undo(self, now: datetime) -> View:
        """Take back the last answer, suspension or burial of this session (again and again to its start)."""
        if not self._history:
            return self._noted(Note.NOTHING_TO_UNDO, None)
        action = self._history[-1]
        card_id = action.entry.card.id
        if action.review is not None:
            self.store.log.undo(action.review)
            note = Note.UNDID_ANSWER
        elif action.note is Note.SUSPENDED:
            self.store.cards.set_suspended(card_id, False)
            note = Note.UNDID_SUSPEND
        else:
            self.store.cards.bury(card_id, action.buried_before)
            note = Note.UNDID_BURY
        self._history.pop()
        self._answers -= action.review is not None
        self._queue = list(action.queue_before)
        self._show_current(now)
        return self._noted(note, action.entry.card)

    def suspend(self, now: datetime) -> View:
        """Keep the card on screen out of every session until it is brought back."""
        entry = self._shown
        if entry is None:
            return self.view
        self.store.cards.set_suspended(entry.card.id, True)
        self._remove(entry, Note.SUSPENDED)
        self._show_current(now)
        return self._noted(Note.SUSPENDED, entry.card)

    def bury(self, now: datetime) -> View:
        """Keep the card on screen out of sessions until tomorrow's study day."""
        entry = self._shown
        if entry is None:
            return self.view
        tomorrow = study_day(now, self.day_start_hour) + timedelta(days=1)
        buried_before = entry.state.buried_until
        self.store.cards.bury(entry.card.id, tomorrow)
        self._remove(entry, Note.BURIED, buried_before=buried_before)
        self._show_current(now)
        return self._noted(Note.BURIED, entry.card)

    # ----------------------------------------------------------------- inside
    def _answer(self, grade: Grade, now: datetime) -> None:
        """Decide the answer to the current card, write it (StoreError: nothing moves), then move the queue.

        An answer below DRILL_UNTIL_GRADE queues the card again DRILL_GAP cards later (last if
        fewer remain), until it is graded DRILL_UNTIL_GRADE or better.
        """
        entry = self._queue[0]
        day = study_day(now, self.day_start_hour)
        decided = review_card(entry.state, grade, answer_kind(entry.state, day), day, reviewed_at=now,
                              answer_ms=answer_ms(self._shown_at, now))
        review = self.store.log.write(decided)  # on the disk before the queue moves
        self._day = day
        before = tuple(self._queue)
        self._queue.pop(0)
        if grade < DRILL_UNTIL_GRADE:
            self._queue.insert(min(DRILL_GAP, len(self._queue)), Entry(entry.card, review.after, drill=True))
        self._history.append(_Action(None, entry, before, review=review))
        self._answers += 1

    def _remove(self, entry: Entry, note: Note, *, buried_before: date | None = None) -> None:
        before = tuple(self._queue)
        self._queue = [e for e in self._queue if e.card.id != entry.card.id]
        self._history.append(_Action(note, entry, before, buried_before=buried_before))

    def _show_current(self, now: datetime) -> None:
        self._shown = self._queue[0] if self._queue else None
        self._phase = Phase.QUESTION if self._shown else Phase.EMPTY
        self._picked = None
        self._shown_at = now
        self._day = study_day(now, self.day_start_hour)

    def _noted(self, note: Note, card: Card | None) -> View:
        return replace(self.view, note=note, note_card=card)
