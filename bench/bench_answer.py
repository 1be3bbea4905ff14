"""Prints the cost of one SM-2 step and of one recorded answer (commit included) on 100k cards / 1M reviews."""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, bare_answer, print_table, run_anki_peer
from bench.synth import NOW, TODAY, synthetic_db, working_copy
from quiz.models import ReviewKind
from quiz.sm2 import Sm2State, step
from quiz.store import Store

#: The due query of Store.due_reviews (same columns, filter and order), as bare SQL: the next due card.
BARE_DUE_SQL = (
    "SELECT c.id, c.deck_id, c.card_key, c.gap, c.type, c.prompt, c.answer, c.choices, c.tags, c.source,"
    " c.explanation, s.repetitions, s.easiness_centi, s.interval_days, s.due_on, s.lapses, s.suspended,"
    " s.buried_until FROM cards c JOIN card_state s ON s.card_id = c.id"
    " WHERE s.due_on IS NOT NULL AND s.due_on <= ? AND s.suspended = 0 AND c.retired = 0"
    " AND (s.buried_until IS NULL OR s.buried_until <= ?) ORDER BY s.due_on, s.card_id LIMIT 1"
)
BARE_DUE_PARAMS = (TODAY.isoformat(), TODAY.isoformat())
#: Where the bare SQL answer moves a card (out of today's queue, as a real answer does).
BARE_DUE_AFTER = (TODAY + timedelta(days=15)).isoformat()


def bare_sm2(reps: int, ef_centi: int, interval: int, q: int) -> tuple[int, int, int]:
    """The baseline for one SM-2 step: the same integer arithmetic as quiz.sm2.step, on a plain tuple,
    with no argument checks and no state object."""
    if q >= 3:
        interval = 1 if reps == 0 else 6 if reps == 1 else -(-interval * ef_centi // 100)
        reps += 1
    else:
        reps, interval = 0, 1
    miss = 5 - q
    return reps, max(130, ef_centi + 10 - miss * (8 + miss * 2)), interval


def time_sm2_step(rounds: int = 5, per_round: int = 100_000) -> tuple[list[float], list[float]]:
    """Microseconds per step: quiz.sm2.step, and the bare function on the same grades (rounds interleaved)."""
    grades = [5, 4, 3, 1, 4, 5, 0, 3] * (per_round // 8)
    ours, bare = [], []
    for _ in range(rounds):
        state = Sm2State()
        t = time.perf_counter()
        for q in grades:
            state = step(state, q)
        ours.append((time.perf_counter() - t) * 1e6 / len(grades))
        plain = (0, 250, 0)
        t = time.perf_counter()
        for q in grades:
            plain = bare_sm2(*plain, q)
        bare.append((time.perf_counter() - t) * 1e6 / len(grades))
        assert plain == (state.repetitions, state.easiness_centi, state.interval_days)
    return ours, bare


def time_answers(db: Path, answers: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Recording answers (SM-2 applied, state + log committed), then fetching the next due card and
    answering it; and both as bare SQL on the same database (the floors): the same two writes in one
    BEGIN IMMEDIATE transaction, and the same due query (first row) before them."""
    store = Store.open(db)
    due = [d.card.id for d in store.cards.due_reviews(TODAY, limit=answers)]
    ours, with_next = [], []
    for i, card_id in enumerate(due):
        t = time.perf_counter()
        store.log.record(card_id, 4, kind=ReviewKind.REVIEW, reviewed_at=NOW + timedelta(seconds=i),
                            study_day=TODAY, answer_ms=3000)
        ours.append((time.perf_counter() - t) * 1000)
    # As the Anki peer measures it: fetch the next due card, then answer it.
    for i in range(answers):
        t = time.perf_counter()
        (nxt,) = store.cards.due_reviews(TODAY, limit=1)
        store.log.record(nxt.card.id, 4, kind=ReviewKind.REVIEW, reviewed_at=NOW + timedelta(seconds=i),
                            study_day=TODAY, answer_ms=3000)
        with_next.append((time.perf_counter() - t) * 1000)
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")  # as the store commits an answer
    bare = []
    for card_id in due:
        t = time.perf_counter()
        bare_answer(conn, card_id)
        bare.append((time.perf_counter() - t) * 1000)
    bare_next = []
    for _ in range(answers):
        t = time.perf_counter()
        row = conn.execute(BARE_DUE_SQL, BARE_DUE_PARAMS).fetchone()
        if row is None:
            raise SystemExit(f"too few due cards for {answers} bare answers; use more --cards or fewer --answers")
        bare_answer(conn, row[0], due_on=BARE_DUE_AFTER)
        bare_next.append((time.perf_counter() - t) * 1000)
    conn.close()
    return ours, with_next, bare, bare_next


def time_opening(db: Path, runs: int = 7) -> tuple[list[float], list[float]]:
    """Store.open + the first due card, and sqlite3.connect + the same due query as bare SQL (interleaved)."""
    samples, bare = [], []
    for _ in range(runs):
        t = time.perf_counter()
        store = Store.open(db)
        store.cards.due_reviews(TODAY, limit=1)
        samples.append((time.perf_counter() - t) * 1000)
        store.close()
        t = time.perf_counter()
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute(BARE_DUE_SQL, BARE_DUE_PARAMS).fetchone()
        bare.append((time.perf_counter() - t) * 1000)
        conn.close()
    return samples, bare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--answers", type=int, default=300)
    ap.add_argument("--no-peer", action="store_true", help="skip the Anki peer")
    a = ap.parse_args()
    template = synthetic_db(a.cards, a.reviews)
    with tempfile.TemporaryDirectory() as tmp:
        db = working_copy(template, Path(tmp))
        opening, bare_opening = time_opening(db)
        ours, with_next, bare, bare_next = time_answers(db, a.answers)
    peer = None if a.no_peer else run_anki_peer(a.cards, answers=100)
    sm2, bare_sm2_us = time_sm2_step()
    figures = [
        Figure("SM-2 step", sm2, unit="µs", baseline_name="bare function, same arithmetic on a tuple",
               baseline=Figure("", bare_sm2_us).median),
        Figure(f"record one answer ({a.cards:,} cards, {a.reviews:,} reviews)", ours, target="< 1 ms median",
               baseline_name="bare SQL insert+update", baseline=Figure("", bare).median),
        Figure("fetch next due card + record answer", with_next, target="< 1 ms median",
               baseline_name="bare SQL due query + insert+update", baseline=Figure("", bare_next).median),
    ]
    if peer:
        figures.append(Figure("fetch next due card + record answer", with_next, target="< 1 ms median",
                              baseline_name=f"Anki {peer['version']} (same workload)",
                              baseline=peer["answer_ms_median"]))
    figures.append(Figure("open the database + first due card", opening, baseline_name="sqlite3.connect + bare SQL due query",
                          baseline=Figure("", bare_opening).median))
    if peer:
        figures.append(Figure("open the database + first due card", opening, baseline_name="Anki open + first card",
                              baseline=peer["open_ms"] + peer["first_card_ms"]))
    print_table(figures)


if __name__ == "__main__":
    main()
