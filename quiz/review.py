"""Today's review session, headless: the queue, today's limits, re-drills, undo, suspend and bury."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import NamedTuple

from quiz.answer import (
    RIGHT_PICK_GRADES,
    SIMPLE_SCALE,
    WRONG_PICK_GRADE,
    GradeKey,
    accepts_pick,
    answer_kind,
    answer_ms,
    grade_keys,
    grade_scale,
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


class Left(NamedTuple):
    """What is left of this session: new cards, reviews of cards seen before, and cards to repeat
    today (answered below DRILL_UNTIL_GRADE). The card on screen is counted until it is answered."""

    new: int = 0
    reviews: int = 0
    repeats: int = 0

    @property
    def total(self) -> int:
        return self.new + self.reviews + self.repeats


class Outcome(NamedTuple):
    """What pressing `key` would do to the card on screen: the answer `quiz.answer.review_card` decides."""

    key: GradeKey
    review: Review

    @property
    def repeat_today(self) -> bool:
        """The card comes back later today (SM-2 step 7: graded below DRILL_UNTIL_GRADE)."""
        return self.review.quality < DRILL_UNTIL_GRADE


class Phase(str, Enum):
    QUESTION = "question"  # the prompt (and choices) are shown
    REVEALED = "revealed"  # basic/cloze: the answer is shown, waiting for a grade
    RATE = "rate"  # choice/truefalse picked right: waiting for a passing grade (Enter = Good)
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
    left: Left  # what is left to answer, the card on screen included until it is answered
    answered: int  # answers given in this session (drills included, undone ones not)
    kind: ReviewKind | None  # how an answer to the card on screen is recorded (a drill, or a review)
    note: Note | None = None
    note_card: Card | None = None
    saved: Review | None = None  # the answer the call just made saved (its new schedule in `.after`)


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
                 drills: tuple[DueCard, ...] = (), titles: dict[str, str] | None = None,
                 scale: tuple[GradeKey, ...] = SIMPLE_SCALE) -> None:
        self.store = store
        self.deck_id = deck_id
        self.day_start_hour = day_start_hour
        #: The grade keys offered (`quiz config grade_scale`); they only choose the SM-2 quality.
        self.scale = scale
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
    def open(cls, store: Store, now: datetime, deck_id: str | None = None, *, extra_new: int = 0) -> ReviewSession:
        """Today's session for `deck_id` (None: every deck) within what today's limits still allow.

        `extra_new` more new cards than `new_per_day` still allows ("study more today"): for this
        session only, the settings unchanged. Raises StoreError if the database cannot be read.
        """
        with store.read_snapshot():
            settings = store.settings()
            day = study_day(now, settings.day_start_hour)
            done = store.log.day_totals(day)
            allowance = daily_allowance(reviews_per_day=settings.reviews_per_day, new_per_day=settings.new_per_day,
                                        reviews_done=done.reviews, new_done=done.new_cards)
            drills = store.cards.drills_pending(day, deck_id=deck_id)
            reviews = store.cards.due_reviews(day, deck_id=deck_id, limit=allowance.reviews) if allowance.reviews else []
            new_limit = allowance.new + max(0, extra_new)
            new = store.cards.new_cards(day, deck_id=deck_id, limit=new_limit) if new_limit else []
            titles = store.decks.titles()
        return cls(store, now, deck_id=deck_id, day_start_hour=settings.day_start_hour,
                   queue=(*reviews, *new), drills=tuple(drills), titles=titles,
                   scale=grade_scale(settings.grade_scale))

    def read_citations(self) -> None:
        """Read the decks' source lists, for `citation` (StoreError: cards keep citing a source by its key)."""
        self._sources = {deck: (self.store.decks.info(deck) or {}).get("sources") or {} for deck in self.titles}

    # ----------------------------------------------------------------- reading
    @property
    def view(self) -> View:
        entry = self._shown
        kind = answer_kind(entry.state, self._day) if entry is not None else None
        return View(self._phase, entry, self._picked, self.left(), self._answers, kind)

    def left(self) -> Left:
        """What is still queued, by how each card entered the queue (a card to repeat is never new)."""
        repeats = sum(e.drill for e in self._queue)
        new = sum(not e.drill and e.state.is_new for e in self._queue)
        return Left(new, len(self._queue) - new - repeats, repeats)

    def outcomes(self) -> tuple[Outcome, ...]:
        """For each grade key on offer now, what it would save: the very `review_card` step that
        records the answer, so the interval shown on a key is the one it gives."""
        entry = self._shown
        if entry is None or self._phase not in (Phase.REVEALED, Phase.RATE):
            return ()
        kind = answer_kind(entry.state, self._day)
        return tuple(Outcome(key, review_card(entry.state, key.quality, kind, self._day, reviewed_at=self._shown_at,
                                              answer_ms=0))
                     for key in grade_keys(self.scale, right_pick=self._phase is Phase.RATE))

    @property
    def queue(self) -> tuple[Entry, ...]:
        """The cards still to answer, the current one first."""
        return tuple(self._queue)

    def deck_ids(self) -> list[str]:
        """The decks of the cards queued, in the order their first card comes."""
        return list(dict.fromkeys(e.card.deck_id for e in self._queue))

    @property
    def cards_left(self) -> int:
        return len(self._queue)

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
        """Grade the revealed answer (SM-2 quality 0-5) or a right pick (a passing one): saved, then the
        next card. The view returned holds the answer saved (`saved`)."""
        grade = Grade(grade)
        if self._phase is Phase.REVEALED or (self._phase is Phase.RATE and grade in RIGHT_PICK_GRADES):
            review = self._answer(grade, now)
            self._show_current(now)
            return replace(self.view, saved=review)
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
            review = self._answer(WRONG_PICK_GRADE, now)
            self._phase, self._picked = Phase.FEEDBACK, key  # the answered card stays on screen
            return replace(self.view, saved=review)
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
    def _answer(self, grade: Grade, now: datetime) -> Review:
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
        return review

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
