"""The store: schema, answers as one transaction, undo, import identity, and files it refuses."""
from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta

import pytest
from conftest import NOW, TODAY, make_deck

from quiz.models import Card, CardType, ReviewKind
from quiz.sm2 import Grade
from quiz.store import SCHEMA_VERSION, Store, StoreBusy, StoreCorrupt, StoreError


def answer(store, card_id, grade, *, kind=ReviewKind.REVIEW, day=TODAY, ms=1500):
    return store.log.record(card_id, grade, kind=kind, reviewed_at=NOW, study_day=day, answer_ms=ms)


def rows(store, sql, *params):
    return store.conn.execute(sql, params).fetchall()


def test_a_new_database_has_the_schema_wal_and_a_busy_timeout(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert store.pending_migrations() == []
    assert rows(store, "PRAGMA journal_mode") == [("wal",)]
    assert rows(store, "PRAGMA busy_timeout")[0][0] >= 1000
    assert store.schema_version() == SCHEMA_VERSION
    plan = " ".join(str(r) for r in rows(store, "EXPLAIN QUERY PLAN SELECT card_id FROM card_state WHERE due_on IS NOT NULL AND suspended = 0 AND due_on <= '2026-01-01'"))
    assert "card_state_due_queue" in plan


def test_reopening_keeps_everything(db_path):
    with Store.open(db_path) as s:
        s.decks.sync(make_deck(), today=TODAY)
        answer(s, "anatomy/c1", Grade.PERFECT)
    with Store.open(db_path) as s:
        assert s.cards.get("anatomy/c1").state.due_on == TODAY + timedelta(days=1)
        assert len(rows(s, "SELECT * FROM reviews")) == 1


def test_an_answer_writes_state_and_log_together(store):
    store.decks.sync(make_deck(), today=TODAY)
    rec = answer(store, "anatomy/c1", Grade.PERFECT, ms=2300)
    state = store.cards.get("anatomy/c1").state
    assert (state.sm2.repetitions, state.sm2.easiness_centi, state.sm2.interval_days) == (1, 260, 1)
    assert state.due_on == date(2026, 3, 3)
    log = rows(store, "SELECT card_id, study_day, quality, kind, answer_ms, reps_before, easiness_before, reps_after, easiness_after, due_after, reviewed_at FROM reviews")
    assert log[0][:10] == ("anatomy/c1", "2026-03-02", 5, "review", 2300, 0, 250, 1, 260, "2026-03-03")
    assert log[0][10] == "2026-03-02T08:30:00.000+00:00"  # stored in UTC
    assert rec.after.due_on == date(2026, 3, 3)


def test_an_answer_that_fails_midway_leaves_nothing_behind(store, monkeypatch):
    store.decks.sync(make_deck(), today=TODAY)
    store.conn.execute("CREATE TRIGGER boom BEFORE UPDATE ON card_state BEGIN SELECT RAISE(ABORT, 'disk gone'); END")
    with pytest.raises(sqlite3.IntegrityError):
        answer(store, "anatomy/c1", Grade.PERFECT)
    assert rows(store, "SELECT COUNT(*) FROM reviews") == [(0,)]
    assert store.log.day_totals(TODAY).reviews == 0
    assert store.cards.get("anatomy/c1").state.is_new


def test_a_drill_is_logged_but_does_not_move_the_schedule(store):
    store.decks.sync(make_deck(), today=TODAY)
    answer(store, "anatomy/c1", Grade.HARD)
    before = store.cards.get("anatomy/c1").state
    answer(store, "anatomy/c1", Grade.PAUSE, kind=ReviewKind.DRILL)
    assert store.cards.get("anatomy/c1").state == before
    assert rows(store, "SELECT kind FROM reviews ORDER BY id") == [("review",), ("drill",)]
    totals = store.log.day_totals(TODAY)
    assert (totals.reviews, totals.drills, totals.new_cards, totals.passed) == (1, 1, 1, 1)


def test_undo_restores_the_schedule_exactly_and_removes_the_log_line(store):
    store.decks.sync(make_deck(), today=TODAY)
    answer(store, "anatomy/c1", Grade.PERFECT)
    answer(store, "anatomy/c1", Grade.PERFECT, day=TODAY + timedelta(days=1))
    before = store.cards.get("anatomy/c1").state
    rec = answer(store, "anatomy/c1", Grade.NO_IDEA, day=TODAY + timedelta(days=7))
    assert store.cards.get("anatomy/c1").state.lapses == 1
    store.log.undo(rec)
    assert store.cards.get("anatomy/c1").state == before
    assert rows(store, "SELECT COUNT(*) FROM reviews") == [(2,)]
    assert store.log.day_totals(TODAY + timedelta(days=7)).reviews == 0


def test_only_the_latest_answer_of_a_card_can_be_undone(store):
    store.decks.sync(make_deck(), today=TODAY)
    first = answer(store, "anatomy/c1", Grade.PERFECT)
    answer(store, "anatomy/c1", Grade.PERFECT)
    with pytest.raises(ValueError):
        store.log.undo(first)


def test_due_queue_lists_overdue_first_and_skips_suspended_buried_and_retired(store):
    store.decks.sync(make_deck(n=5), today=TODAY)
    for i in range(1, 6):
        answer(store, f"anatomy/c{i}", Grade.PERFECT, day=TODAY - timedelta(days=i))
    store.cards.set_suspended("anatomy/c2", True)
    store.cards.bury("anatomy/c3", TODAY + timedelta(days=1))
    store.decks.sync(make_deck(n=5, cards=make_deck(n=5).cards[:4]), today=TODAY)  # c5 retired
    due = [d.card.id for d in store.cards.due_reviews(TODAY)]
    assert due == ["anatomy/c4", "anatomy/c1"]
    assert [d.card.id for d in store.cards.due_reviews(TODAY + timedelta(days=1))] == ["anatomy/c4", "anatomy/c3", "anatomy/c1"]


def test_new_cards_come_in_deck_then_file_order_and_respect_the_limit(store):
    store.decks.sync(make_deck("zeta", n=2), today=TODAY)
    store.decks.sync(make_deck("alpha", n=3), today=TODAY)
    assert [d.card.id for d in store.cards.new_cards(TODAY, limit=4)] == ["zeta/c1", "zeta/c2", "alpha/c1", "alpha/c2"]
    assert [d.card.id for d in store.cards.new_cards(TODAY, deck_id="alpha", limit=10)] == ["alpha/c1", "alpha/c2", "alpha/c3"]


def test_editing_a_card_keeps_its_history_and_schedule(store):
    store.decks.sync(make_deck(), today=TODAY)
    answer(store, "anatomy/c1", Grade.PERFECT)
    state = store.cards.get("anatomy/c1").state
    edited = make_deck()
    cards = list(edited.cards)
    cards[0] = Card("anatomy", "c1", CardType.BASIC, "Reworded question?", "Answer 1", "Why 1", "src")
    report = store.decks.sync(make_deck(cards=tuple(cards)), today=TODAY)
    assert report.changed == ["anatomy/c1"] and report.added == [] and report.retired == []
    assert store.cards.get("anatomy/c1").card.prompt == "Reworded question?"
    assert store.cards.get("anatomy/c1").state == state


def test_a_removed_card_is_retired_and_returns_with_its_history(store):
    deck = make_deck()
    store.decks.sync(deck, today=TODAY)
    answer(store, "anatomy/c2", Grade.PERFECT)
    report = store.decks.sync(make_deck(cards=deck.cards[:1] + deck.cards[2:]), today=TODAY)
    assert report.retired == ["anatomy/c2"]
    assert [s.total for s in store.decks.summaries(TODAY)] == [2]
    report = store.decks.sync(deck, today=TODAY)
    assert report.restored == ["anatomy/c2"]
    assert store.cards.get("anatomy/c2").state.sm2.repetitions == 1
    assert rows(store, "SELECT COUNT(*) FROM reviews WHERE card_id = 'anatomy/c2'") == [(1,)]


def test_reimporting_the_same_deck_changes_nothing(store):
    store.decks.sync(make_deck(), today=TODAY)
    report = store.decks.sync(make_deck(), today=TODAY)
    assert not report.touched and len(report.unchanged) == 3


def test_deck_summaries_split_the_cards_by_state_so_the_parts_add_up(store):
    store.decks.sync(make_deck(n=5), today=TODAY)
    answer(store, "anatomy/c1", Grade.PERFECT, day=TODAY - timedelta(days=1))  # due today
    answer(store, "anatomy/c2", Grade.PERFECT)
    answer(store, "anatomy/c3", Grade.NO_IDEA)  # failed today: learning, due tomorrow
    store.cards.set_suspended("anatomy/c4", True)  # counted once: as suspended, not also as new
    (summary,) = store.decks.summaries(TODAY)
    assert (summary.total, summary.new, summary.learning, summary.young, summary.mature, summary.suspended) == (
        5, 1, 3, 0, 0, 1)
    assert summary.new + summary.learning + summary.young + summary.mature + summary.suspended == summary.total
    assert summary.due == 1


def test_settings_have_defaults_and_are_validated(store):
    assert store.settings().new_per_day == 10 and store.settings().reviews_per_day == 200
    store.set_setting("new_per_day", 3)
    assert store.settings().new_per_day == 3
    with pytest.raises(ValueError):
        store.set_setting("new_per_day", -1)
    with pytest.raises(ValueError):
        store.set_setting("colour", 1)


# ----------------------------------------------------------------- files the store refuses
def _snapshot(path):
    return (path.read_bytes(), os.stat(path).st_mtime_ns)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_a_missing_folder_is_refused_without_creating_it(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nope" / "quiz.db")
    assert not (tmp_path / "nope").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my shopping list\n")
    before = _snapshot(path)
    with pytest.raises(StoreCorrupt, match="not an SQLite database"):
        Store.open(path)
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_an_empty_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "quiz.db"
    path.write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="empty"):
        Store.open(path)
    assert path.read_bytes() == b""


def test_another_programs_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(StoreCorrupt, match="not a quiz database"):
        Store.open(path)
    assert _snapshot(path) == before


def test_a_database_from_a_newer_quiz_is_refused_and_left_alone(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _snapshot(db_path)
    with pytest.raises(StoreError, match="newer version of quiz"):
        Store.open(db_path)
    assert _snapshot(db_path) == before


def test_an_unwritable_folder_is_refused(tmp_path, monkeypatch):
    import quiz.store.core as store_module

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root can write anywhere: the folder answers as it would to a patient
        real = os.access
        monkeypatch.setattr(store_module.os, "access",
                            lambda p, mode: False if os.fspath(p) == str(folder) else real(p, mode))
    with pytest.raises(StoreError, match="not writable"):
        Store.open(folder / "quiz.db")
    assert list(folder.iterdir()) == []


def test_a_write_locked_by_another_session_gives_a_clear_error(db_path):
    s = Store.open(db_path)
    s.decks.sync(make_deck(), today=TODAY)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    s.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StoreBusy, match="another quiz session"):
            answer(s, "anatomy/c1", Grade.PERFECT)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert s.cards.get("anatomy/c1").state.is_new
    answer(s, "anatomy/c1", Grade.PERFECT)  # works once the other session lets go
    s.close()


def test_due_reviews_read_in_pages_are_the_same_as_in_one_read_and_are_counted_alike(store):
    store.decks.sync(make_deck(n=30), today=TODAY)
    for i in range(1, 26):  # due over five days, several per day
        day = TODAY - timedelta(days=1 + i % 5)
        store.log.record(f"anatomy/c{i}", 4, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=day,
                            answer_ms=1)
    store.cards.set_suspended("anatomy/c7", True)
    whole = [d.card.id for d in store.cards.due_reviews(TODAY, limit=200)]
    assert len(whole) == 24
    first = store.cards.due_reviews(TODAY, limit=10)
    rest = store.cards.due_reviews(TODAY, limit=200, after=first[-1])
    assert [d.card.id for d in first + rest] == whole
    assert store.cards.count_due_reviews(TODAY, limit=200) == 24 and store.cards.count_due_reviews(TODAY, limit=20) == 20
    assert store.cards.count_due_reviews(TODAY, deck_id="other", limit=200) == 0


def test_a_days_answers_stay_in_the_write_ahead_log_until_the_store_closes(db_path):
    # SQLite's default copies the log into the database every 1,000 pages: one answer in ~100 then
    # waited for that copy (a missed frame on the review screen). A day's session fits in the log.
    with Store.open(db_path) as s:
        s.decks.sync(make_deck(n=200), today=TODAY)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for i in range(1, 201):
            answer(s, f"anatomy/c{i}", 4)
        # (busy, pages in the log, pages copied): every answer's pages are still in the log.
        _busy, in_log, _copied = rows(s, "PRAGMA wal_checkpoint(PASSIVE)")[0]
        assert in_log > 1000, in_log
    # Closed: the log was copied into the database and removed; the answers are all there.
    assert not os.path.exists(f"{db_path}-wal") or os.path.getsize(f"{db_path}-wal") == 0
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 200
    finally:
        conn.close()
