"""Time: several time zones, DST changes, the study-day boundary, and a clock that moves backwards."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import TODAY, make_deck

from quiz.days import study_day
from quiz.models import ReviewKind
from quiz.sm2 import Grade
from quiz.store import Store

ZONES = ["UTC", "America/New_York", "Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia"]


def today_under(tz: str, now: str) -> str:
    """The study day the real `quiz` command computes for `now` in time zone `tz` (a fresh process)."""
    code = (
        "from quiz.cli import Env, _fixed_clock\n"
        f"print(Env(db_path=None, clock=_fixed_clock({now!r})).today())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, TZ=tz))
    return out.stdout.strip()


@pytest.mark.parametrize("tz", ZONES)
def test_local_wall_time_decides_the_study_day_in_every_zone(tz):
    assert today_under(tz, "2026-03-08T01:30") == "2026-03-07"
    assert today_under(tz, "2026-03-08T04:00") == "2026-03-08"


@pytest.mark.parametrize("tz, expected", [("UTC", "2026-03-08"), ("America/New_York", "2026-03-07"),
                                          ("Asia/Kathmandu", "2026-03-08"), ("Pacific/Apia", "2026-03-08")])
def test_the_same_instant_is_a_different_study_day_in_different_zones(tz, expected):
    # 06:30 UTC is 01:30 in New York (before the 04:00 boundary) but 12:15 in Kathmandu.
    assert today_under(tz, "2026-03-08T06:30+00:00") == expected


def answer(store, card_id, grade, moment):
    return store.log.record(card_id, grade, kind=ReviewKind.REVIEW, reviewed_at=moment,
                               study_day=study_day(moment), answer_ms=1000)


def test_a_card_due_the_day_clocks_spring_forward_is_due_that_day(store):
    ny = ZoneInfo("America/New_York")  # 2026-03-08 02:00 -> 03:00
    store.decks.sync(make_deck(), today=TODAY)
    answer(store, "anatomy/c1", Grade.PERFECT, datetime(2026, 3, 7, 22, 0, tzinfo=ny))
    morning = datetime(2026, 3, 8, 4, 30, tzinfo=ny)
    assert study_day(morning) == date(2026, 3, 8)
    assert [d.card.id for d in store.cards.due_reviews(study_day(morning))] == ["anatomy/c1"]
    # 03:30 on the short night still belongs to the day before: the card is not yet due.
    assert store.cards.due_reviews(study_day(datetime(2026, 3, 8, 3, 30, tzinfo=ny))) == []


def test_intervals_count_calendar_days_across_the_autumn_change(store):
    london = ZoneInfo("Europe/London")  # 2026-10-25 02:00 -> 01:00
    store.decks.sync(make_deck(), today=TODAY)
    answer(store, "anatomy/c1", Grade.PERFECT, datetime(2026, 10, 20, 8, 0, tzinfo=london))
    rec = answer(store, "anatomy/c1", Grade.PERFECT, datetime(2026, 10, 21, 23, 59, tzinfo=london))
    assert rec.after.sm2.interval_days == 6
    assert rec.after.due_on == date(2026, 10, 27)  # 6 calendar days, although one of them had 25 hours
    stamps = [r[0] for r in store.conn.execute("SELECT reviewed_at FROM reviews ORDER BY id")]
    assert stamps == ["2026-10-20T07:00:00.000+00:00", "2026-10-21T22:59:00.000+00:00"]


def test_the_boundary_hour_is_read_from_the_settings(db_path):
    with Store.open(db_path) as s:
        s.set_setting("day_start_hour", 6)
    code = (
        "from quiz.cli import Env, _fixed_clock\n"
        f"env = Env(db_path={str(db_path)!r}, clock=_fixed_clock('2026-03-08T05:30'))\n"
        "env.open_store(bundled=False, daily_backup=False)\n"
        "print(env.today())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, TZ="Europe/Paris"))
    assert out.stdout.strip() == "2026-03-07"


def test_a_clock_that_moves_backwards_does_not_corrupt_schedules(store):
    paris = ZoneInfo("Europe/Paris")
    store.decks.sync(make_deck(n=3), today=TODAY)
    late = datetime(2026, 3, 20, 9, 0, tzinfo=paris)
    answer(store, "anatomy/c1", Grade.PERFECT, late)
    answer(store, "anatomy/c2", Grade.PERFECT, late)
    # The clock is put back by ten days (a dead battery, a wrong manual fix) and the patient keeps going.
    early = late - timedelta(days=10)
    answer(store, "anatomy/c3", Grade.PERFECT, early)
    rec = answer(store, "anatomy/c1", Grade.HARD, early)
    assert rec.after.due_on == study_day(early) + timedelta(days=rec.after.sm2.interval_days)
    assert store.checks.integrity_problems() == [] and store.checks.consistency_problems() == []
    store.log.undo(rec)
    assert store.cards.get("anatomy/c1").state.due_on == date(2026, 3, 21)
    for r in store.conn.execute("SELECT study_day, interval_after, due_after FROM reviews WHERE kind = 'review'"):
        assert date.fromisoformat(r[2]) == date.fromisoformat(r[0]) + timedelta(days=r[1])
