"""Today's two queues: what they hold, in what order, and that SQLite reads each from an index in order."""
from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NOW, TODAY, make_deck

from quiz.models import ReviewKind
from quiz.store.cards import due_query, new_query

YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def test_new_cards_skip_suspended_buried_answered_cards_and_keep_deck_order(store):
    store.decks.sync(make_deck("anatomy", n=5), today=TODAY)
    store.decks.sync(make_deck("discs", n=4), today=TODAY)
    store.cards.set_suspended("anatomy/c2", True)
    store.cards.bury("discs/c1", TOMORROW)
    store.log.record("anatomy/c1", 5, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    assert [d.card.id for d in store.cards.new_cards(TODAY, limit=4)] == [
        "anatomy/c3", "anatomy/c4", "anatomy/c5", "discs/c2"]
    assert [d.card.id for d in store.cards.new_cards(TODAY, deck_id="discs", limit=100)] == [
        "discs/c2", "discs/c3", "discs/c4"]
    assert store.cards.new_cards(TODAY, limit=0) == []
    assert [d.card.id for d in store.cards.new_cards(TOMORROW, deck_id="discs", limit=1)] == ["discs/c1"]


def test_an_undone_first_answer_makes_the_card_new_again(store):
    store.decks.sync(make_deck(n=2), today=TODAY)
    first = store.log.record("anatomy/c1", 5, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    assert [d.card.id for d in store.cards.new_cards(TODAY)] == ["anatomy/c2"]
    store.log.undo(first)
    assert [d.card.id for d in store.cards.new_cards(TODAY)] == ["anatomy/c1", "anatomy/c2"]


def test_a_card_whose_schedule_is_cleared_by_hand_is_new_again(store):
    # Whoever writes card_state (a repair, a restore), the new-card queue follows it.
    store.decks.sync(make_deck(n=2), today=TODAY)
    store.log.record("anatomy/c2", 5, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    store.conn.execute("UPDATE card_state SET due_on = NULL WHERE card_id = 'anatomy/c2'")
    assert [d.card.id for d in store.cards.new_cards(TODAY)] == ["anatomy/c1", "anatomy/c2"]
    store.conn.execute("DELETE FROM card_state WHERE card_id = 'anatomy/c2'")
    store.conn.execute("INSERT INTO card_state (card_id) VALUES ('anatomy/c2')")
    assert [d.card.id for d in store.cards.new_cards(TODAY)] == ["anatomy/c1", "anatomy/c2"]


def test_drills_pending_are_todays_cards_whose_latest_answer_was_below_4(store):
    store.decks.sync(make_deck("anatomy", n=4), today=TODAY)
    rec = dict(kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    store.log.record("anatomy/c1", 2, **rec)  # failed: needs a drill
    store.log.record("anatomy/c2", 3, **rec)  # passed but hard: needs a drill
    store.log.record("anatomy/c2", 4, **{**rec, "kind": ReviewKind.DRILL})  # ... which it got
    store.log.record("anatomy/c3", 1, **{**rec, "study_day": YESTERDAY})  # yesterday's is not today's
    store.log.record("anatomy/c4", 0, **rec)
    store.cards.set_suspended("anatomy/c4", True)  # suspended: not drilled
    assert [d.card.id for d in store.cards.drills_pending(TODAY)] == ["anatomy/c1"]
    assert store.cards.drills_pending(TODAY, deck_id="discs") == []


# --------------------------------------------------------------------- read from an index, in order
@pytest.fixture
def big_store(store):
    """Ten decks of 50 cards, half of them answered, statistics gathered: the planner's real choices."""
    for d in range(10):
        store.decks.sync(make_deck(f"deck{d}", n=50), today=TODAY)
    with store.transaction():
        for d in range(10):
            for i in range(1, 26):
                store.log.record(f"deck{d}/c{i}", 4, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=YESTERDAY,
                                 answer_ms=1)
    store.conn.execute("ANALYZE")
    return store


def plan(store, sql: str, params: list) -> list[str]:
    return [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.mark.parametrize("deck_id", [None, "deck3"])
@pytest.mark.parametrize("query, index", [(due_query, "card_state_due_queue"), (new_query, "cards_new_in_order")])
def test_each_queue_reads_an_index_in_order_and_never_sorts(big_store, query, index, deck_id):
    steps = plan(big_store, *query(TODAY, deck_id=deck_id, limit=10))
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any(f"INDEX {index}" in step for step in steps), steps
    if query is new_query and deck_id is None:
        assert steps[0].startswith("SCAN d USING") and "decks_in_order" in steps[0], steps


def test_the_queries_the_store_runs_are_the_ones_planned(big_store):
    sql, params = new_query(TODAY, deck_id="deck3", limit=3)
    rows = big_store.conn.execute(sql, params).fetchall()
    assert [r[0] for r in rows] == [d.card.id for d in big_store.cards.new_cards(TODAY, deck_id="deck3", limit=3)]
    assert [r[0] for r in rows] == ["deck3/c26", "deck3/c27", "deck3/c28"]
    due = [d.card.id for d in big_store.cards.due_reviews(TODAY, limit=500)]
    assert len(due) == 250 and due == sorted(due)
