"""The core's value types: decks, cards, schedule state and reviews (frozen, no I/O)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from quiz.sm2 import Grade, Sm2State

__all__ = [
    "Card",
    "CardState",
    "CardType",
    "Deck",
    "DueCard",
    "Grade",
    "Review",
    "ReviewKind",
]


class CardType(str, Enum):
    BASIC = "basic"
    CHOICE = "choice"
    TRUEFALSE = "truefalse"
    CLOZE = "cloze"


@dataclass(frozen=True)
class Card:
    """One scheduled item. A cloze card with several gaps becomes one Card per gap.

    `key` is the card's id inside its deck file; `id` is the stable store id `deck/key`
    (`deck/key#gap` for a gap of a cloze). `prompt` is what is asked (for a cloze, the text with this
    gap blanked), `answer` what is right (for truefalse "true"/"false").

    `gap` is what a cloze gap is known by inside its card: the slug of its words (quiz.decks.gaps);
    a database written before quiz 0.2 may still hold gaps numbered 1, 2... until the deck is imported
    again. `previous_ids` are the keys the card had before it was renamed: its history moves over.
    """

    deck_id: str
    key: str
    type: CardType
    prompt: str
    answer: str
    explanation: str
    source: str
    tags: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    gap: str | int | None = None
    line: int = 0
    previous_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        base = f"{self.deck_id}/{self.key}"
        return base if self.gap is None else f"{base}#{self.gap}"


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    description: str
    sources: dict[str, str]
    cards: tuple[Card, ...]
    reminder: str = ""
    path: str = ""


class ReviewKind(str, Enum):
    REVIEW = "review"  # a scheduled answer: changes the SM-2 state
    DRILL = "drill"  # a same-day re-drill (SM-2 step 7): logged, does not change the schedule


@dataclass(frozen=True)
class CardState:
    """A card's schedule. `due_on` is None for a card never reviewed (a new card)."""

    card_id: str
    sm2: Sm2State = field(default_factory=Sm2State)
    due_on: date | None = None
    lapses: int = 0
    suspended: bool = False
    buried_until: date | None = None

    @property
    def is_new(self) -> bool:
        return self.due_on is None


@dataclass(frozen=True)
class DueCard:
    """A card with its schedule, as the session planner sees it."""

    card: Card
    state: CardState


@dataclass(frozen=True)
class Review:
    """One answer: its line in the review log, with the card's state before and after it.

    Made by `quiz.answer.review_card` (then `id` is None) and written by `store.log.write`, which
    returns it with the `id` of its log line.
    """

    card_id: str
    reviewed_at: str  # ISO 8601, UTC, to the millisecond
    study_day: date
    quality: Grade
    kind: ReviewKind
    answer_ms: int
    before: CardState
    after: CardState
    id: int | None = None
