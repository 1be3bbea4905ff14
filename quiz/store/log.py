"""The review log: each answer written with its new schedule in one transaction, undo, and day totals."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

from quiz.days import add_days
from quiz.models import CardState, ReviewKind, ReviewRecord
from quiz.sm2 import PASSING_GRADE, Grade, step
from quiz.store.base import Part
from quiz.store.rows import STATE_SELECT, state_columns, state_from_row


class DayTotals(NamedTuple):
    study_day: date
    reviews: int = 0  # scheduled answers (drills not counted)
    new_cards: int = 0  # of those, first answers to new cards
    passed: int = 0  # scheduled answers graded >= 3
    drills: int = 0
    time_ms: int = 0

#: The day_totals rows (study_day, reviews, new_cards, passed, drills, time_ms) as the review log
#: says they must be: what `ReviewLog` keeps up answer by answer, rebuilt (`repair`) or checked
#: (`consistency_problems`) in one query.
DAY_TOTALS_FROM_LOG = (
    "SELECT study_day, SUM(kind = 'review'), SUM(kind = 'review' AND due_before IS NULL),"
    f" SUM(kind = 'review' AND quality >= {int(PASSING_GRADE)}), SUM(kind = 'drill'), SUM(answer_ms)"
    " FROM reviews GROUP BY study_day"
)


class ReviewLog(Part):
    """`store.log`: every answer ever given, and the per-day totals kept with it."""

    def record(
        self,
        card_id: str,
        quality: int,
        *,
        kind: ReviewKind,
        reviewed_at: datetime,
        study_day: date,
        answer_ms: int,
    ) -> ReviewRecord:
        """Write one answer: the new schedule and its log line in one `BEGIN IMMEDIATE` transaction.

        A `ReviewKind.REVIEW` applies SM-2 and sets `due_on` to `study_day` + interval; a
        `ReviewKind.DRILL` (same-day re-drill) is logged and leaves the schedule as it is.
        The commit returns once the answer is on the disk (`synchronous = FULL`).
        """
        grade = Grade(quality)
        kind = ReviewKind(kind)
        if reviewed_at.tzinfo is None:
            raise ValueError("reviewed_at must be an aware datetime")
        answer_ms = max(0, int(answer_ms))
        stamp = reviewed_at.astimezone(UTC).isoformat(timespec="milliseconds")
        with self.store.transaction():
            row = self.store.conn.execute(STATE_SELECT + " WHERE card_id = ?", (card_id,)).fetchone()
            if row is None:
                raise KeyError(f"no card {card_id!r} in the store")
            before = state_from_row(card_id, row)
            if kind is ReviewKind.REVIEW:
                sm2 = step(before.sm2, grade)
                lapses = before.lapses + (1 if grade < PASSING_GRADE and before.sm2.repetitions > 0 else 0)
                after = CardState(card_id, sm2, add_days(study_day, sm2.interval_days), lapses,
                                  before.suspended, before.buried_until)
            else:
                after = before
            cur = self.store.conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms,"
                " reps_before, easiness_before, interval_before, due_before, lapses_before,"
                " reps_after, easiness_after, interval_after, due_after, lapses_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (card_id, stamp, study_day.isoformat(), int(grade), kind.value, answer_ms,
                 *state_columns(before), *state_columns(after)),
            )
            if after is not before:
                self._write_state(after)
            self._add_day_totals(study_day, kind, grade, before.is_new, answer_ms, +1)
        return ReviewRecord(cur.lastrowid, card_id, stamp, study_day, grade, kind, answer_ms, before, after)

    def undo(self, record: ReviewRecord) -> None:
        """Take back an answer: its log line goes and the card's schedule is restored exactly.

        Only the latest answer of a card can be undone (later ones were computed from it).
        """
        with self.store.transaction():
            latest = self.store.conn.execute(
                "SELECT MAX(id) FROM reviews WHERE card_id = ?", (record.card_id,)
            ).fetchone()[0]
            if latest != record.id:
                raise ValueError(f"review {record.id} is not the latest answer of {record.card_id}")
            self.store.conn.execute("DELETE FROM reviews WHERE id = ?", (record.id,))
            current = state_from_row(record.card_id, self.store.conn.execute(STATE_SELECT + " WHERE card_id = ?", (record.card_id,)).fetchone())
            # Suspension and burial are not part of an answer; keep whatever they are now.
            restored = CardState(record.card_id, record.before.sm2, record.before.due_on, record.before.lapses,
                                 current.suspended, current.buried_until)
            self._write_state(restored)
            self._add_day_totals(record.study_day, record.kind, record.quality, record.before.is_new,
                                 record.answer_ms, -1)

    def day_totals(self, day: date) -> DayTotals:
        with self.store.sql_errors():
            row = self.store.conn.execute(
                "SELECT reviews, new_cards, passed, drills, time_ms FROM day_totals WHERE study_day = ?",
                (day.isoformat(),),
            ).fetchone()
        return DayTotals(day, *row) if row else DayTotals(day)

    def study_days(self) -> list[date]:
        """Every study day with at least one answer, oldest first."""
        with self.store.sql_errors():
            rows = self.store.conn.execute(
                "SELECT study_day FROM day_totals WHERE reviews + drills > 0 ORDER BY study_day"
            ).fetchall()
        return [date.fromisoformat(r[0]) for r in rows]

    def _write_state(self, state: CardState) -> None:
        self.store.conn.execute(
            "UPDATE card_state SET repetitions = ?, easiness_centi = ?, interval_days = ?, due_on = ?, lapses = ?,"
            " suspended = ?, buried_until = ? WHERE card_id = ?",
            (*state_columns(state), int(state.suspended),
             state.buried_until.isoformat() if state.buried_until else None, state.card_id),
        )

    def _add_day_totals(self, day: date, kind: ReviewKind, grade: Grade, was_new: bool, answer_ms: int, sign: int) -> None:
        is_review = kind is ReviewKind.REVIEW
        self.store.conn.execute(
            "INSERT INTO day_totals (study_day, reviews, new_cards, passed, drills, time_ms) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(study_day) DO UPDATE SET reviews = reviews + excluded.reviews,"
            " new_cards = new_cards + excluded.new_cards, passed = passed + excluded.passed,"
            " drills = drills + excluded.drills, time_ms = time_ms + excluded.time_ms",
            (day.isoformat(), sign * is_review, sign * (is_review and was_new),
             sign * (is_review and grade >= PASSING_GRADE), sign * (not is_review), sign * answer_ms),
        )
