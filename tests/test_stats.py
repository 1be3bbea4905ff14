"""Progress figures, checked against a hand-built review history with known answers."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from conftest import LOCAL, TODAY, make_deck

from quiz import stats
from quiz.days import study_day
from quiz.models import ReviewKind
from quiz.sm2 import Grade
from quiz.store import DayTotals

DAY_START_HOUR = 5
D = date.fromisoformat


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """A local moment (the tests' fixed UTC+1 zone)."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}").replace(tzinfo=LOCAL)


def answer(store, card_id, grade, moment, *, kind=ReviewKind.REVIEW, ms=1000):
    day = study_day(moment, store.settings().day_start_hour)
    return store.log.record(card_id, grade, kind=kind, reviewed_at=moment, study_day=day, answer_ms=ms)


def build_history(store) -> None:
    """The history every figure below is checked against (today is 2026-03-02, days start at 05:00).

    anatomy:   c1 mature (4 passes, interval 48, due 04-10)   c2 young (interval 15, due 03-12)
               c3 learning after a lapse (EF 2.02, due 03-01: overdue), with a same-day drill
               c4 suspended (due 03-02)   c5 new   c6 retired (failed once, EF 2.18)
    treatment: c1 learning, answered at 04:30 on 02-28 — before the 05:00 boundary, so study day 02-27
               c2 learning (EF 2.36, due today, buried until 03-05)   c3 new   c4 young (due 03-03)
    empty:     a deck with no cards
    Study days: 02-18..02-23 (6 in a row), 02-25..03-01 (5 in a row, ending yesterday).
    """
    store.set_setting("day_start_hour", DAY_START_HOUR)
    anatomy = make_deck("anatomy", 6)
    store.decks.sync(anatomy, today=D("2026-02-01"))
    store.decks.sync(make_deck("treatment", 4), today=D("2026-02-01"))
    store.decks.sync(make_deck("empty", 0), today=D("2026-02-01"))
    for day in ("2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21"):
        answer(store, "anatomy/c1", Grade.PERFECT, at(day))
    answer(store, "anatomy/c2", Grade.PAUSE, at("2026-02-20", 10))
    answer(store, "anatomy/c2", Grade.PAUSE, at("2026-02-21", 10))
    answer(store, "anatomy/c6", Grade.WRONG_FAMILIAR, at("2026-02-22"))
    answer(store, "treatment/c4", Grade.PERFECT, at("2026-02-23"))
    answer(store, "anatomy/c2", Grade.PAUSE, at("2026-02-25"))
    answer(store, "anatomy/c3", Grade.PERFECT, at("2026-02-25", 9, 5))
    answer(store, "treatment/c4", Grade.PERFECT, at("2026-02-25", 9, 10))
    answer(store, "anatomy/c3", Grade.PERFECT, at("2026-02-26"))
    answer(store, "anatomy/c3", Grade.WRONG_RECOGNISED, at("2026-02-27"))  # a lapse
    answer(store, "anatomy/c3", Grade.PAUSE, at("2026-02-27", 9, 2), kind=ReviewKind.DRILL, ms=500)
    answer(store, "treatment/c1", Grade.PERFECT, at("2026-02-28", 4, 30))  # study day 02-27
    answer(store, "anatomy/c3", Grade.HARD, at("2026-02-28"))
    answer(store, "anatomy/c4", Grade.PAUSE, at("2026-03-01"))
    answer(store, "treatment/c2", Grade.HARD, at("2026-03-01", 9, 5))
    store.cards.set_suspended("anatomy/c4", True)
    store.cards.bury("treatment/c2", D("2026-03-05"))
    store.decks.sync(make_deck("anatomy", 6, cards=anatomy.cards[:5]), today=D("2026-03-01"))  # retires c6


@pytest.fixture
def history(store):
    build_history(store)
    return store


@pytest.fixture
def figures(history):
    return stats.compute(history, TODAY)


def deck(figures, deck_id):
    return next(d for d in figures.decks if d.deck_id == deck_id)


# --------------------------------------------------------------------- card states
def test_every_card_is_counted_in_exactly_one_state_per_deck(figures):
    assert deck(figures, "anatomy").cards == stats.CardCounts(new=1, learning=1, young=1, mature=1,
                                                              suspended=1, retired=1)
    assert deck(figures, "treatment").cards == stats.CardCounts(new=1, learning=2, young=1)
    assert deck(figures, "empty").cards == stats.CardCounts()
    assert figures.cards == stats.CardCounts(new=2, learning=3, young=2, mature=1, suspended=1, retired=1)
    assert figures.cards.total == 10 and figures.cards.active == 8


def test_decks_come_in_deck_order_with_their_titles(figures):
    assert [(d.deck_id, d.title) for d in figures.decks] == [
        ("anatomy", "Anatomy"), ("treatment", "Treatment"), ("empty", "Empty")]


def test_mastery_is_the_mature_share_of_active_cards_and_none_for_a_deck_without_any(figures):
    assert deck(figures, "anatomy").cards.mastery == pytest.approx(1 / 4)  # suspended and retired left out
    assert deck(figures, "treatment").cards.mastery == 0
    assert deck(figures, "empty").cards.mastery is None
    assert figures.cards.mastery == pytest.approx(1 / 8)


def test_a_lapse_brings_a_young_card_back_to_learning(store):
    store.decks.sync(make_deck("spine", 1), today=TODAY)
    answer(store, "spine/c1", Grade.PERFECT, at("2026-02-20"))
    answer(store, "spine/c1", Grade.PERFECT, at("2026-02-21"))
    assert stats.compute(store, TODAY).cards == stats.CardCounts(young=1)
    answer(store, "spine/c1", Grade.NO_IDEA, at("2026-03-02"))
    assert stats.compute(store, TODAY).cards == stats.CardCounts(learning=1)
    assert stats.compute(store, TODAY).due == stats.DueCounts(tomorrow=1, next_7_days=1, next_30_days=1)
    assert [(c.card_id, c.lapses) for c in stats.compute(store, TODAY).hardest] == [("spine/c1", 1)]


def test_a_deck_whose_id_holds_a_slash_keeps_its_cards_apart_from_the_deck_named_before_it(history):
    # Deck files cannot name such a deck, but a database written by other means might: a card id is
    # `deck/key`, so `anatomy/extra/c1` also starts with `anatomy/`.
    before = stats.compute(history, TODAY)
    history.decks.sync(make_deck("anatomy/extra", 2), today=D("2026-02-01"))
    answer(history, "anatomy/extra/c1", Grade.PERFECT, at("2026-03-01"))
    after = stats.compute(history, TODAY)
    assert deck(after, "anatomy") == deck(before, "anatomy")
    assert deck(after, "anatomy/extra").cards == stats.CardCounts(new=1, learning=1)
    assert deck(after, "anatomy/extra").due == stats.DueCounts(today=1, next_7_days=1, next_30_days=1)


# --------------------------------------------------------------------- due
def test_due_counts_include_overdue_today_and_leave_out_suspended_and_retired_cards(figures):
    # today: anatomy c3 (overdue since 03-01), treatment c1 (since 02-28) and c2 (buried, but
    # counted by its due date)
    # tomorrow: treatment c4 · next 30 days adds anatomy c2 (03-12) · anatomy c1 (04-10) is later
    # anatomy c4 (suspended, due today) and c6 (retired, overdue) never count.
    assert figures.due == stats.DueCounts(today=3, tomorrow=1, next_7_days=4, next_30_days=5)
    assert deck(figures, "anatomy").due == stats.DueCounts(today=1, tomorrow=0, next_7_days=1, next_30_days=2)
    assert deck(figures, "treatment").due == stats.DueCounts(today=2, tomorrow=1, next_7_days=3, next_30_days=3)


def test_the_forecast_has_one_entry_per_day_for_thirty_days_with_overdue_on_today(figures):
    assert len(figures.forecast) == 30
    assert figures.forecast[0] == stats.ForecastDay(TODAY, 3)
    assert figures.forecast[-1].day == D("2026-03-31")
    nonzero = {f.day: f.cards for f in figures.forecast if f.cards}
    assert nonzero == {TODAY: 3, D("2026-03-03"): 1, D("2026-03-12"): 1}


def test_the_figures_move_with_the_today_they_are_given(history):
    tomorrow = stats.compute(history, D("2026-03-03"))
    assert tomorrow.due.today == 4  # treatment c4 joins the overdue three
    assert tomorrow.forecast[0] == stats.ForecastDay(D("2026-03-03"), 4)


# --------------------------------------------------------------------- retention and days
def test_retention_counts_reviews_of_learned_cards_graded_three_or_more_never_first_answers_or_drills(figures):
    # last 7 days (02-24..03-02): 9 scheduled answers, but only 4 to cards already learned (anatomy c2 and
    # treatment c4 on 02-25, anatomy c3 on 02-26 and its lapse on 02-27); 3 passed. The first answers to
    # new cards, c3's first answer after its lapse and the drill graded 4 are not counted.
    assert figures.retention_7_days == stats.Retention(D("2026-02-24"), TODAY, reviews=4, passed=3)
    assert figures.retention_7_days.rate == pytest.approx(3 / 4)
    # 30 days: those 4, plus anatomy c1 on 02-19, 02-20, 02-21 and c2 on 02-21 (all passed)
    assert figures.retention_30_days == stats.Retention(D("2026-02-01"), TODAY, reviews=8, passed=7)


def test_retention_by_week_ends_today_and_is_none_for_a_week_without_reviews(figures):
    weeks = figures.retention_by_week
    assert len(weeks) == stats.RETENTION_WEEKS
    assert (weeks[-1].first_day, weeks[-1].last_day, weeks[-1].reviews, weeks[-1].passed) == (
        D("2026-02-24"), TODAY, 4, 3)
    assert (weeks[-2].last_day, weeks[-2].reviews, weeks[-2].passed) == (D("2026-02-23"), 4, 4)
    assert weeks[-3].rate is None


def test_an_answer_before_the_configured_hour_counts_for_the_day_before(figures):
    by_day = {d.study_day: d for d in figures.daily}
    # 02-27: anatomy c3's lapse and treatment c1 (answered 04:30 on the 28th, before 05:00), plus the drill
    assert (by_day[D("2026-02-27")].reviews, by_day[D("2026-02-27")].drills) == (2, 1)
    assert by_day[D("2026-02-28")].reviews == 1
    assert figures.day_start_hour == DAY_START_HOUR


def test_daily_figures_cover_thirty_days_with_time_and_new_cards(figures):
    assert [d.study_day for d in figures.daily] == [TODAY - timedelta(days=k) for k in range(29, -1, -1)]
    by_day = {d.study_day: d for d in figures.daily}
    assert by_day[D("2026-02-27")] == DayTotals(D("2026-02-27"), reviews=2, new_cards=1, passed=1, drills=1,
                                                time_ms=2500, learned_reviews=1, learned_passed=0)
    assert stats.day_retention(by_day[D("2026-02-27")]) == 0  # the one learned card reviewed lapsed
    assert by_day[D("2026-02-24")] == DayTotals(D("2026-02-24"))
    assert stats.day_retention(by_day[TODAY]) is None


def test_totals_add_up_every_answer(figures):
    assert figures.totals == stats.Totals(reviews=17, drills=1, new_cards=8, passed=15, time_ms=17_500,
                                          study_days=11, first_study_day=D("2026-02-18"))


def test_the_calendar_lists_study_days_with_their_answers(figures):
    assert figures.calendar_first_day.weekday() == 0
    assert figures.calendar_first_day == D("2026-03-02") - timedelta(weeks=stats.CALENDAR_WEEKS - 1)
    calendar = {c.day: c.answers for c in figures.calendar}
    assert calendar[D("2026-02-27")] == 3 and calendar[D("2026-02-21")] == 2
    assert D("2026-02-24") not in calendar and len(calendar) == 11


# --------------------------------------------------------------------- streaks
def test_the_streak_holds_in_the_morning_before_the_first_answer(figures):
    assert figures.streak == stats.Streak(current=5, longest=6, studied_today=False)


def test_an_answer_today_extends_the_streak(history):
    answer(history, "anatomy/c5", Grade.PAUSE, at("2026-03-02", 9, 30))
    assert stats.compute(history, TODAY).streak == stats.Streak(current=6, longest=6, studied_today=True)


def test_a_missed_day_resets_the_current_streak_but_not_the_longest(history):
    assert stats.compute(history, D("2026-03-03")).streak == stats.Streak(current=0, longest=6)


@pytest.mark.parametrize("days, today, expected", [
    ([], TODAY, (0, 0, False)),
    ([TODAY], TODAY, (1, 1, True)),
    ([TODAY - timedelta(days=1)], TODAY, (1, 1, False)),
    ([TODAY - timedelta(days=2)], TODAY, (0, 1, False)),
    ([TODAY - timedelta(days=3), TODAY - timedelta(days=2), TODAY], TODAY, (1, 2, True)),
    ([TODAY, TODAY + timedelta(days=1)], TODAY, (1, 1, True)),  # a clock that went backwards
])
def test_streaks_of_study_days(days, today, expected):
    s = stats.streaks(days, today)
    assert (s.current, s.longest, s.studied_today) == expected


# --------------------------------------------------------------------- hardest cards
def test_the_hardest_cards_are_answered_active_cards_that_lost_easiness_or_lapsed(figures):
    assert [(c.card_id, c.easiness, c.lapses) for c in figures.hardest] == [
        ("anatomy/c3", 2.02, 1), ("treatment/c2", 2.36, 0)]  # c6 (EF 2.18) is retired
    assert figures.hardest[0].prompt == "Question 3?" and figures.hardest[0].deck_id == "anatomy"


def test_the_hardest_cards_are_at_most_ten_lowest_easiness_then_most_lapses(store):
    store.decks.sync(make_deck("many", 14), today=TODAY)
    for i in range(1, 15):
        # c1..c14 fail once each when new (no lapse), c13 and c14 also lapse later
        answer(store, f"many/c{i}", Grade.WRONG_FAMILIAR, at("2026-03-01"))
    for i in (13, 14):
        answer(store, f"many/c{i}", Grade.PERFECT, at("2026-03-01", 10))
        answer(store, f"many/c{i}", Grade.NO_IDEA, at("2026-03-01", 11))
    hardest = stats.compute(store, TODAY).hardest
    assert len(hardest) == stats.HARDEST_LIMIT
    # c13/c14: 2.18 + 0.10 - 0.80 = 1.48, lowest, then the rest at 2.18 in card-id order
    assert [c.card_id for c in hardest[:2]] == ["many/c13", "many/c14"]
    assert [c.easiness for c in hardest] == [1.48, 1.48] + [2.18] * 8


# --------------------------------------------------------------------- empty and JSON
def test_a_database_without_answers_gives_zeros_and_no_errors(store):
    store.decks.sync(make_deck(), today=TODAY)
    s = stats.compute(store, TODAY)
    assert not s.has_answers
    assert s.cards == stats.CardCounts(new=3) and s.due == stats.DueCounts()
    assert s.retention_7_days.rate is None and s.streak == stats.Streak()
    assert s.hardest == () and s.calendar == () and all(f.cards == 0 for f in s.forecast)
    assert json.loads(json.dumps(s.to_json()))["totals"]["answers"] == 0


def test_a_database_without_decks_still_has_figures(store):
    s = stats.compute(store, TODAY)
    assert s.decks == () and s.cards.total == 0 and s.cards.mastery is None


def test_the_json_tree_carries_a_schema_version_iso_dates_and_derived_figures(figures):
    tree = json.loads(json.dumps(figures.to_json()))
    assert tree["schema_version"] == stats.STATS_SCHEMA_VERSION
    assert tree["today"] == "2026-03-02"
    assert tree["cards"]["mastery"] == 0.125 and tree["cards"]["active"] == 8
    assert tree["decks"][2]["cards"]["mastery"] is None
    assert tree["retention_7_days"] == {"first_day": "2026-02-24", "last_day": "2026-03-02", "reviews": 4,
                                        "passed": 3, "rate": 0.75}
    assert tree["streak"] == {"current": 5, "longest": 6, "studied_today": False}
    assert tree["hardest"][0]["easiness"] == 2.02 and tree["hardest"][0]["prompt"] == "Question 3?"
    assert tree["forecast"][0] == {"day": "2026-03-02", "cards": 3}
    assert tree["daily"][-4] == {"day": "2026-02-27", "reviews": 2, "new_cards": 1, "passed": 1, "drills": 1,
                                 "time_ms": 2500, "answers": 3, "learned_reviews": 1, "learned_passed": 0,
                                 "retention": 0.0}


# --------------------------------------------------------------------- schema
def test_a_version_1_database_gains_every_later_migration_and_keeps_its_history(db_path, tmp_path):
    import sqlite3

    from quiz.store import Store, schema

    # A history written by this quiz, copied into a database as the first release made it (migration 1).
    with Store.open(tmp_path / "full.db") as full:
        build_history(full)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        schema.migrate(conn)
    conn.execute("ATTACH ? AS full", (str(tmp_path / "full.db"),))
    for table in ("decks", "cards", "card_state", "reviews", "day_totals", "settings"):
        columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM full.{table}")
    conn.execute("DETACH full")
    conn.close()
    with Store.open(db_path, now=datetime(2026, 3, 2, 9, 30, tzinfo=LOCAL)) as s:
        assert s.schema_version() == schema.SCHEMA_VERSION and s.pending_migrations() == []
        indexes = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"cards_deck_of_card", "card_state_hardest", "cards_new_in_order", "card_state_counts"} <= indexes
        figures = stats.compute(s, TODAY)
        assert figures.totals.reviews == 17
        assert figures.retention_30_days == stats.Retention(D("2026-02-01"), TODAY, reviews=8, passed=7)
        assert s.checks.consistency_problems() == []  # what the migrations derived agrees with the log
    assert list((db_path.parent / "backups").glob("*pre-migration*"))


@pytest.mark.parametrize("leave_out_retired", [False, True])
def test_the_card_states_are_counted_from_one_covering_index_range_per_deck(history, leave_out_retired):
    from quiz.store.figures import state_counts_query

    plan = [r[3] for r in history.conn.execute(
        "EXPLAIN QUERY PLAN " + state_counts_query(leave_out_retired=leave_out_retired), {"young": 1, "mature": 21})]
    assert "SEARCH s USING COVERING INDEX card_state_counts (card_id>? AND card_id<?)" in plan
    assert not any("TEMP B-TREE" in step or step.startswith("SCAN s") for step in plan)


def test_the_hardest_cards_are_read_from_their_index_not_by_sorting_every_card(history):
    plan = " ".join(r[3] for r in history.conn.execute(
        "EXPLAIN QUERY PLAN SELECT card_id FROM card_state WHERE due_on IS NOT NULL"
        " ORDER BY easiness_centi, lapses DESC, card_id LIMIT 10"))
    assert "card_state_hardest" in plan and "TEMP B-TREE" not in plan
