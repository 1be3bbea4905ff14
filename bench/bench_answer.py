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

from bench.common import Figure, print_table, run_anki_peer  # noqa: E402
from bench.synth import NOW, TODAY, synthetic_db, working_copy  # noqa: E402
from quiz.models import ReviewKind  # noqa: E402
from quiz.sm2 import Sm2State, step  # noqa: E402
from quiz.store import Store  # noqa: E402


def time_sm2_step(rounds: int = 5, per_round: int = 100_000) -> list[float]:
    grades = [5, 4, 3, 1, 4, 5, 0, 3] * (per_round // 8)
    samples = []
    for _ in range(rounds):
        state = Sm2State()
        t = time.perf_counter()
        for q in grades:
            state = step(state, q)
        samples.append((time.perf_counter() - t) * 1000 / len(grades))
    return samples


def time_answers(db: Path, answers: int) -> tuple[list[float], list[float], list[float]]:
    """Recording answers (next due card fetched, SM-2 applied, state + log committed), and the same two
    writes as bare SQL in one BEGIN IMMEDIATE transaction on the same database (the floor)."""
    store = Store.open(db)
    due = [d.card.id for d in store.due_reviews(TODAY, limit=answers)]
    ours, with_next = [], []
    for i, card_id in enumerate(due):
        t = time.perf_counter()
        store.record_answer(card_id, 4, kind=ReviewKind.REVIEW, reviewed_at=NOW + timedelta(seconds=i),
                            study_day=TODAY, answer_ms=3000)
        ours.append((time.perf_counter() - t) * 1000)
    # As the Anki peer measures it: fetch the next due card, then answer it.
    for i in range(answers):
        t = time.perf_counter()
        (nxt,) = store.due_reviews(TODAY, limit=1)
        store.record_answer(nxt.card.id, 4, kind=ReviewKind.REVIEW, reviewed_at=NOW + timedelta(seconds=i),
                            study_day=TODAY, answer_ms=3000)
        with_next.append((time.perf_counter() - t) * 1000)
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    bare = []
    for card_id in due:
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms, reps_before,"
                     " easiness_before, interval_before, due_before, lapses_before, reps_after, easiness_after,"
                     " interval_after, due_after, lapses_after) VALUES (?, '2026-03-02T09:30:00.000+00:00',"
                     " '2026-03-02', 4, 'drill', 1, 1, 250, 1, NULL, 0, 1, 250, 1, NULL, 0)", (card_id,))
        conn.execute("UPDATE card_state SET lapses = lapses WHERE card_id = ?", (card_id,))
        conn.execute("COMMIT")
        bare.append((time.perf_counter() - t) * 1000)
    conn.close()
    return ours, with_next, bare


def time_opening(db: Path, runs: int = 7) -> list[float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        store = Store.open(db)
        store.due_reviews(TODAY, limit=1)
        samples.append((time.perf_counter() - t) * 1000)
        store.close()
    return samples


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
        opening = time_opening(db)
        ours, with_next, bare = time_answers(db, a.answers)
    peer = None if a.no_peer else run_anki_peer(a.cards, answers=100)
    sm2 = time_sm2_step()
    figures = [
        Figure("SM-2 step", [s * 1000 for s in sm2], unit="µs"),
        Figure(f"record one answer ({a.cards:,} cards, {a.reviews:,} reviews)", ours, target="< 1 ms median",
               baseline_name="bare SQL insert+update", baseline=Figure("", bare).median),
    ]
    if peer:
        figures.append(Figure("fetch next due card + record answer", with_next, target="< 1 ms median",
                              baseline_name=f"Anki {peer['version']} (same workload)",
                              baseline=peer["answer_ms_median"]))
        figures.append(Figure("open the database + first due card", opening, baseline_name="Anki open + first card",
                              baseline=peer["open_ms"] + peer["first_card_ms"]))
    print_table(figures)


if __name__ == "__main__":
    main()
