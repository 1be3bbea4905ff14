"""The review log: each answer written with its new schedule in one transaction, undo, and day totals."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from quiz.answer import review_card
from quiz.models import CardState, Review, ReviewKind
from quiz.sm2 import PASSING_GRADE
from quiz.store.base import Part
from quiz.store.errors import StoreError
from quiz.store.rows import STATE_SELECT, state_columns, state_from_row


class DayTotals(NamedTuple):
    study_day: date
    reviews: int = 0  # scheduled answers (drills not counted)
    new_cards: int = 0  # of those, first answers to new cards
    passed: int = 0  # scheduled answers graded >= 3
    drills: int = 0
    time_ms: int = 0
    learned_reviews: int = 0  # scheduled answers to cards already learned (repetitions > 0 before)
    learned_passed: int = 0  # of those, graded >= 3: what retention is measured on


class DayAnswers(NamedTuple):
    """Every answer of one study day, split so the parts add up: `answers` = new_cards + reviews + repeats."""

    study_day: date
    new_cards: int = 0  # first answers to new cards
    reviews: int = 0  # scheduled answers to cards seen before
    repeats: int = 0  # same-day repeats of missed cards (drills: the schedule unchanged)
    new_right: int = 0  # of new_cards, graded >= PASSING_GRADE
    reviews_right: int = 0  # of reviews, graded >= PASSING_GRADE
    time_ms: int = 0
    missed: tuple[str, ...] = ()  # cards with an answer below PASSING_GRADE that day, first missed first

    @property
    def answers(self) -> int:
        return self.new_cards + self.reviews + self.repeats

    @property
    def scheduled(self) -> int:
        """The day's first answer to each card (new cards and reviews): what "right" is counted on."""
        return self.new_cards + self.reviews

    @property
    def right(self) -> int:
        return self.new_right + self.reviews_right


#: The day_totals columns, in the order DayTotals (and DAY_TOTALS_FROM_LOG) has them.
DAY_TOTALS_COLUMNS = "study_day, reviews, new_cards, passed, drills, time_ms, learned_reviews, learned_passed"
#: The day_totals rows (DAY_TOTALS_COLUMNS) as the review log
#: says they must be: what `ReviewLog` keeps up answer by answer, rebuilt (`repair`) or checked
#: (`consistency_problems`) in one query.
DAY_TOTALS_FROM_LOG = (
    "SELECT study_day, SUM(kind = 'review'), SUM(kind = 'review' AND due_before IS NULL),"
    f" SUM(kind = 'review' AND quality >= {int(PASSING_GRADE)}), SUM(kind = 'drill'), SUM(answer_ms),"
    " SUM(kind = 'review' AND reps_before > 0),"
    f" SUM(kind = 'review' AND reps_before > 0 AND quality >= {int(PASSING_GRADE)})"
    " FROM reviews GROUP BY study_day"
)


class CardChanged(StoreError):
    """The card's stored schedule is no longer the one an answer (or an undo) was decided from."""


class ReviewLog(Part):
    """`store.log`: every answer ever given, and the per-day totals kept with it."""

    def write(self, review: Review) -> Review:
        """Write one answer as `quiz.answer.review_card` decided it; returns it with its log line's `id`.

        The card's new state, its log line and the day's totals go in one `BEGIN IMMEDIATE`
        transaction, which returns once they are on the disk (`synchronous = FULL`). Inside it the
        card's stored state must still be `review.before`, or CardChanged is raised and nothing is
        written: a state decided from a stale one is never stored.
        """
        with self.store.transaction():
            self._require_state(review.before)
            cur = self.store.conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms,"
                " reps_before, easiness_before, interval_before, due_before, lapses_before,"
                " reps_after, easiness_after, interval_after, due_after, lapses_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (review.card_id, review.reviewed_at, review.study_day.isoformat(), int(review.quality),
                 review.kind.value, review.answer_ms, *state_columns(review.before), *state_columns(review.after)),
            )
            if review.after != review.before:
                self._write_state(review.after)
            self._add_day_totals(review, +1)
        return replace(review, id=cur.lastrowid)

    def undo(self, review: Review) -> None:
        """Take back a written answer: its log line goes and the card's state is `review.before` again.

        The reverse of `write`, in one transaction: the answer must be the card's latest (ValueError
        otherwise) and the card's stored state still `review.after` (CardChanged otherwise); if
        not, nothing is changed.
        """
        with self.store.transaction():
            latest = self.store.conn.execute(
                "SELECT MAX(id) FROM reviews WHERE card_id = ?", (review.card_id,)
            ).fetchone()[0]
            if review.id is None or latest != review.id:  # later answers were decided from this one
                raise ValueError(f"review {review.id} is not the latest answer of {review.card_id}")
            self._require_state(review.after)
            self.store.conn.execute("DELETE FROM reviews WHERE id = ?", (review.id,))
            if review.after != review.before:
                self._write_state(review.before)
            self._add_day_totals(review, -1)

    def record(self, card_id: str, quality: int, *, kind: ReviewKind, reviewed_at: datetime, study_day: date,
               answer_ms: int) -> Review:
        """Answer a card from its stored state (`quiz.answer.review_card`) and write it, in one transaction.

        For scripts and tests; the review session decides from the state it queued and calls `write`.
        """
        with self.store.transaction():
            before = self.state(card_id)
            return self.write(review_card(before, quality, kind, study_day, reviewed_at=reviewed_at,
                                          answer_ms=answer_ms))

    def state(self, card_id: str) -> CardState:
        """The card's stored schedule (KeyError if there is no such card)."""
        with self.store.sql_errors():
            row = self.store.conn.execute(STATE_SELECT + " WHERE card_id = ?", (card_id,)).fetchone()
        if row is None:
            raise KeyError(f"no card {card_id!r} in the store")
        return state_from_row(card_id, row)

    def day_totals(self, day: date) -> DayTotals:
        with self.store.sql_errors():
            row = self.store.conn.execute(
                f"SELECT {DAY_TOTALS_COLUMNS} FROM day_totals WHERE study_day = ?",
                (day.isoformat(),),
            ).fetchone()
        return DayTotals(day, *row[1:]) if row else DayTotals(day)

    def day_answers(self, day: date) -> DayAnswers:
        """The answers of study day `day` (every deck, every session), read from the review log."""
        passing = int(PASSING_GRADE)
        with self.store.sql_errors(), self.store.read_snapshot():
            row = self.store.conn.execute(
                "SELECT COUNT(*) FILTER (WHERE kind = 'review' AND due_before IS NULL),"
                " COUNT(*) FILTER (WHERE kind = 'review' AND due_before IS NOT NULL),"
                " COUNT(*) FILTER (WHERE kind = 'drill'),"
                " COUNT(*) FILTER (WHERE kind = 'review' AND due_before IS NULL AND quality >= ?),"
                " COUNT(*) FILTER (WHERE kind = 'review' AND due_before IS NOT NULL AND quality >= ?),"
                " COALESCE(SUM(answer_ms), 0) FROM reviews WHERE study_day = ?",
                (passing, passing, day.isoformat()),
            ).fetchone()
            missed = self.store.conn.execute(
                "SELECT card_id FROM reviews WHERE study_day = ? AND quality < ? GROUP BY card_id ORDER BY MIN(id)",
                (day.isoformat(), passing),
            ).fetchall()
        return DayAnswers(day, *row)._replace(missed=tuple(r[0] for r in missed))

    def study_days(self) -> list[date]:
        """Every study day with at least one answer, oldest first."""
        with self.store.sql_errors():
            rows = self.store.conn.execute(
                "SELECT study_day FROM day_totals WHERE reviews + drills > 0 ORDER BY study_day"
            ).fetchall()
        return [date.fromisoformat(r[0]) for r in rows]

    def _require_state(self, expected: CardState) -> None:
        if self.state(expected.card_id) != expected:
            raise CardChanged(f"{expected.card_id} was changed by another program since it was shown; "
                              "nothing was saved — end the session and start it again")

    def _write_state(self, state: CardState) -> None:
        self.store.conn.execute(
            "UPDATE card_state SET repetitions = ?, easiness_centi = ?, interval_days = ?, due_on = ?, lapses = ?,"
            " suspended = ?, buried_until = ? WHERE card_id = ?",
            (*state_columns(state), int(state.suspended),
             state.buried_until.isoformat() if state.buried_until else None, state.card_id),
        )

    def _add_day_totals(self, review: Review, sign: int) -> None:
        is_review = review.kind is ReviewKind.REVIEW
        passed = review.quality >= PASSING_GRADE
        learned = is_review and review.before.sm2.repetitions > 0
        self.store.conn.execute(
            f"INSERT INTO day_totals ({DAY_TOTALS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(study_day) DO UPDATE SET reviews = reviews + excluded.reviews,"
            " new_cards = new_cards + excluded.new_cards, passed = passed + excluded.passed,"
            " drills = drills + excluded.drills, time_ms = time_ms + excluded.time_ms,"
            " learned_reviews = learned_reviews + excluded.learned_reviews,"
            " learned_passed = learned_passed + excluded.learned_passed",
            (review.study_day.isoformat(), sign * is_review, sign * (is_review and review.before.is_new),
             sign * (is_review and passed), sign * (not is_review), sign * review.answer_ms,
             sign * learned, sign * (learned and passed)),
        )
