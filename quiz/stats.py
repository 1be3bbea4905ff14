"""Progress figures (card states, due forecast, retention, streaks, mastery, hardest cards) for every view."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta

from quiz.days import add_days
from quiz.days import streak as current_streak
from quiz.states import CARD_STATES, MATURE_FROM_DAYS, YOUNG_FROM_DAYS
from quiz.store import DayTotals, Store

#: Bumped when a field of `Stats.to_json()` changes meaning or goes away (adding fields does not).
#: 2: retention counts reviews of cards already learned only (was: every scheduled answer).
STATS_SCHEMA_VERSION = 2
FORECAST_DAYS = 30
DAILY_DAYS = 30
RETENTION_WEEKS = 12
#: The heatmap covers this many whole weeks (Monday to Sunday), the current one included.
CALENDAR_WEEKS = 53
HARDEST_LIMIT = 10


@dataclass(frozen=True)
class CardCounts:
    """Cards by state; each card is in exactly one. `active` = new + learning + young + mature."""

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    retired: int = 0

    @property
    def active(self) -> int:
        return self.new + self.learning + self.young + self.mature

    @property
    def total(self) -> int:
        return self.active + self.suspended + self.retired

    @property
    def mastery(self) -> float | None:
        """Share of active cards that are mature; None for a deck with no active cards."""
        return self.mature / self.active if self.active else None

    _json_properties = ("active", "total", "mastery")


@dataclass(frozen=True)
class DueCounts:
    """Active cards due: `today` includes overdue ones; `next_7_days`/`next_30_days` run from today
    (overdue included) to today + 6 / + 29; `tomorrow` is exactly the day after today."""

    today: int = 0
    tomorrow: int = 0
    next_7_days: int = 0
    next_30_days: int = 0


@dataclass(frozen=True)
class DeckFigures:
    deck_id: str
    title: str  # deck text: untrusted, show as plain text
    cards: CardCounts
    due: DueCounts


@dataclass(frozen=True)
class Retention:
    """True retention: scheduled reviews of cards already learned (answered right before, so not a
    first answer to a new card nor the first answer after a lapse) graded 3 or more, among all such
    reviews from `first_day` to `last_day` (same-day drills never count). `rate` is None without any."""

    first_day: date
    last_day: date
    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    _json_properties = ("rate",)


@dataclass(frozen=True)
class ForecastDay:
    day: date
    cards: int


@dataclass(frozen=True)
class Streak:
    """`current`: consecutive study days ending today, or ending yesterday when nothing has been
    answered yet today (so the streak does not drop to 0 before the morning session).
    `longest`: the longest run ever. A study day is one with at least one answer, drills included."""

    current: int = 0
    longest: int = 0
    studied_today: bool = False


@dataclass(frozen=True)
class Totals:
    """Everything ever answered (`first_study_day` is None before the first answer)."""

    reviews: int = 0
    drills: int = 0
    new_cards: int = 0
    passed: int = 0
    time_ms: int = 0
    study_days: int = 0
    first_study_day: date | None = None

    @property
    def answers(self) -> int:
        return self.reviews + self.drills

    _json_properties = ("answers",)


@dataclass(frozen=True)
class HardCard:
    card_id: str
    deck_id: str
    prompt: str  # deck text: untrusted, show as plain text
    easiness: float
    lapses: int
    repetitions: int
    interval_days: int
    suspended: bool


@dataclass(frozen=True)
class CalendarDay:
    day: date
    answers: int


@dataclass(frozen=True)
class Stats:
    """Every progress figure at `today`. `to_json()` gives the same tree as plain JSON types."""

    today: date
    day_start_hour: int
    cards: CardCounts
    due: DueCounts
    decks: tuple[DeckFigures, ...]
    forecast: tuple[ForecastDay, ...]  # FORECAST_DAYS days from today, zeros included
    retention_7_days: Retention
    retention_30_days: Retention
    retention_by_week: tuple[Retention, ...]  # RETENTION_WEEKS 7-day windows, the last ending today
    daily: tuple[DayTotals, ...]  # DAILY_DAYS days ending today, zeros included
    calendar_first_day: date  # a Monday, CALENDAR_WEEKS - 1 weeks before this week's
    calendar: tuple[CalendarDay, ...]  # study days from calendar_first_day to today only
    streak: Streak
    totals: Totals
    hardest: tuple[HardCard, ...]

    @property
    def has_answers(self) -> bool:
        return self.totals.answers > 0

    def to_json(self) -> dict:
        """The figures as JSON-ready dicts and lists (dates as ISO strings), with `schema_version`."""
        tree = _jsonable(self)
        assert isinstance(tree, dict)
        return {"schema_version": STATS_SCHEMA_VERSION, **tree}


def compute(store: Store, today: date) -> Stats:
    """The figures as of study day `today` (passed in: this module never reads the clock).

    Reads card_state and the per-day summary, never the review log, inside one read snapshot.
    """
    with store.read_snapshot():
        titles = store.decks.titles()
        state_rows = store.figures.card_state_counts(young_from=YOUNG_FROM_DAYS, mature_from=MATURE_FROM_DAYS)
        due_rows = store.figures.due_counts(today, FORECAST_DAYS)
        calendar_first_day = _monday(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
        # Every day, for the all-time totals too (one row per study day: a few hundred a year).
        day_rows = store.figures.day_totals_between(date.min, date.max)
        study_days = store.log.study_days()
        hardest_rows = store.figures.hardest_cards(HARDEST_LIMIT)
        settings = store.settings()

    by_deck_state: dict[str, Counter] = defaultdict(Counter)
    for deck_id, state, n in state_rows:
        by_deck_state[deck_id][state] += n
    due_by_deck: dict[str, Counter] = defaultdict(Counter)
    for deck_id, day, n in due_rows:
        due_by_deck[deck_id][day] += n
    decks = tuple(
        DeckFigures(deck_id, title, _card_counts(by_deck_state[deck_id]), _due_counts(due_by_deck[deck_id], today))
        for deck_id, title in titles.items()
    )
    all_states = sum(by_deck_state.values(), Counter())
    all_due = sum(due_by_deck.values(), Counter())

    per_day = {row.study_day: row for row in day_rows if row.study_day <= today}
    answered = [row for row in day_rows if row.reviews + row.drills > 0]
    daily = tuple(per_day.get(d) or DayTotals(d) for d in _days_ending(today, DAILY_DAYS))
    calendar = tuple(
        CalendarDay(d, row.reviews + row.drills)
        for d, row in sorted(per_day.items())
        if d >= calendar_first_day and row.reviews + row.drills > 0
    )
    return Stats(
        today=today,
        day_start_hour=settings.day_start_hour,
        cards=_card_counts(all_states),
        due=_due_counts(all_due, today),
        decks=decks,
        forecast=tuple(ForecastDay(d, all_due[d]) for d in _days_from(today, FORECAST_DAYS)),
        retention_7_days=_retention(per_day, today, 7),
        retention_30_days=_retention(per_day, today, 30),
        retention_by_week=tuple(
            _retention(per_day, add_days(today, -7 * k), 7) for k in range(RETENTION_WEEKS - 1, -1, -1)
        ),
        daily=daily,
        calendar_first_day=calendar_first_day,
        calendar=calendar,
        streak=streaks(study_days, today),
        totals=Totals(reviews=sum(r.reviews for r in answered), drills=sum(r.drills for r in answered),
                      new_cards=sum(r.new_cards for r in answered), passed=sum(r.passed for r in answered),
                      time_ms=sum(r.time_ms for r in answered), study_days=len(study_days),
                      first_study_day=answered[0].study_day if answered else None),
        hardest=tuple(
            HardCard(r["card_id"], r["deck_id"], r["prompt"], r["easiness_centi"] / 100, r["lapses"],
                     r["repetitions"], r["interval_days"], r["suspended"])
            for r in hardest_rows
        ),
    )


def streaks(study_days: list[date], today: date) -> Streak:
    """The current and longest runs of consecutive days in `study_days` (sorted, no duplicates).

    Days after `today` (a clock that went backwards) are ignored.
    """
    days = [d for d in study_days if d <= today]
    longest = run = 0
    previous: date | None = None
    for d in days:
        run = run + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = d
    return Streak(current_streak(days, today), longest, bool(days) and days[-1] == today)


# --------------------------------------------------------------------- helpers
def _card_counts(counts: Counter) -> CardCounts:
    return CardCounts(**{state: counts[state] for state in CARD_STATES})


def _due_counts(by_day: Counter, today: date) -> DueCounts:
    def through(last: date) -> int:
        return sum(n for d, n in by_day.items() if d <= last)

    return DueCounts(by_day[today], by_day[add_days(today, 1)], through(add_days(today, 6)),
                     through(add_days(today, 29)))


def _retention(per_day: dict[date, DayTotals], last_day: date, days: int) -> Retention:
    window = [per_day[d] for d in _days_ending(last_day, days) if d in per_day]
    return Retention(add_days(last_day, -(days - 1)), last_day, sum(r.learned_reviews for r in window),
                     sum(r.learned_passed for r in window))


def _days_ending(last: date, n: int) -> list[date]:
    return [add_days(last, -k) for k in range(n - 1, -1, -1)]


def _days_from(first: date, n: int) -> list[date]:
    return [add_days(first, k) for k in range(n)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_retention(day: DayTotals) -> float | None:
    """The day's true retention (see Retention): reviews of learned cards graded 3 or more, as a share
    of them; None without any."""
    return day.learned_passed / day.learned_reviews if day.learned_reviews else None


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, DayTotals):  # its date is `day` in schema version 1, with two figures drawn from it
        return {"day": value.study_day.isoformat(), "reviews": value.reviews, "new_cards": value.new_cards,
                "passed": value.passed, "drills": value.drills, "time_ms": value.time_ms,
                "answers": value.reviews + value.drills, "learned_reviews": value.learned_reviews,
                "learned_passed": value.learned_passed, "retention": _jsonable(day_retention(value))}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
        for name in getattr(value, "_json_properties", ()):
            out[name] = _jsonable(getattr(value, name))
        return out
    return value


def heat_bounds(most: int) -> list[tuple[int, int]]:
    """(lowest, highest) answers shown by heat levels 1-4 of the study calendar when the busiest day had
    `most` answers (the stats screen and the report): 1..most in four equal ranges; a level with no
    whole number in it has an empty range (lowest > highest)."""
    bounds, low = [], 1
    for level in range(1, 5):
        high = math.ceil(level * most / 4)
        bounds.append((low, high))
        low = max(low, high + 1)
    return bounds


def heat_level(count: int, bounds: Sequence[tuple[int, int]]) -> int:
    """The heat level (0 for no answers, else 1-4) of a day with `count` answers."""
    if count <= 0:
        return 0
    return next((level for level, (_, high) in enumerate(bounds, start=1) if count <= high), 4)
