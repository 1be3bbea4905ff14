"""Builds the synthetic benchmark database (N cards, M reviews, ~8.5% due today), cached per size."""
from __future__ import annotations

import os
import random
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.models import Card, CardType, Deck
from quiz.store import SCHEMA_VERSION, Store

CACHE = Path(__file__).resolve().parent / ".cache"
#: The benchmarks' fixed "today".
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DECKS = 10


def deck_of(index: int, size: int) -> Deck:
    deck_id = f"bench-{index:02d}"
    cards = tuple(
        Card(deck_id, f"c{i}", CardType.BASIC, f"Question {i}: what does the spinous process protect?",
             f"Answer {i}: the spinal cord, from behind.", "Why it matters.", "src", ("bench",))
        for i in range(size)
    )
    return Deck(deck_id, f"Bench deck {index}", "Synthetic", {"src": "Synthetic source"}, cards)


def build(path: Path, cards: int, reviews: int, seed: int = 1, *, seen: bool = True) -> float:
    """Create the database at `path`; returns seconds taken. `seen=False`: every card new, no reviews."""
    started = time.perf_counter()
    rng = random.Random(seed)
    store = Store.open(path)
    per_deck = cards // DECKS
    with store.transaction():
        for d in range(DECKS):
            store.decks.sync(deck_of(d, per_deck if d < DECKS - 1 else cards - per_deck * (DECKS - 1)),
                            today=TODAY - timedelta(days=400))
        ids = [r[0] for r in store.conn.execute("SELECT id FROM cards")] if seen else []
        reviews = reviews if seen else 0
        # Every card has been reviewed (unless not `seen`); due dates spread over -30..+335 days, as the Anki peer does.
        store.conn.executemany(
            "UPDATE card_state SET repetitions = ?, easiness_centi = ?, interval_days = ?, due_on = ? WHERE card_id = ?",
            [(rng.randint(1, 8), rng.randint(130, 300), rng.randint(1, 365),
              (TODAY + timedelta(days=rng.randint(-30, 335))).isoformat(), cid) for cid in ids],
        )
        days = [TODAY - timedelta(days=k) for k in range(365, 0, -1)]
        totals: dict[str, list[int]] = {}  # study day -> [reviews, passed, drills, time_ms]

        def rows():
            for i in range(reviews):
                day = days[i * len(days) // reviews]
                q = rng.choice((1, 3, 4, 4, 5, 5))
                kind = "drill" if rng.random() < 0.05 else "review"
                ms = rng.randint(1500, 15000)
                t = totals.setdefault(day.isoformat(), [0, 0, 0, 0])
                if kind == "review":
                    t[0] += 1
                    t[1] += q >= 3
                else:
                    t[2] += 1
                t[3] += ms
                stamp = datetime(day.year, day.month, day.day, 8, tzinfo=UTC).isoformat(timespec="milliseconds")
                yield (ids[rng.randrange(len(ids))], stamp, day.isoformat(), q, kind, ms,
                       2, 250, 6, day.isoformat(), 0, 3, 250, 15, (day + timedelta(days=15)).isoformat(), 0)

        store.conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms, reps_before,"
            " easiness_before, interval_before, due_before, lapses_before, reps_after, easiness_after,"
            " interval_after, due_after, lapses_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
        store.conn.executemany(
            "INSERT INTO day_totals (study_day, reviews, new_cards, passed, drills, time_ms) VALUES (?, ?, 0, ?, ?, ?)",
            [(day, *t) for day, t in totals.items()],
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("ANALYZE")
    store.close()
    return time.perf_counter() - started


def synthetic_db(cards: int = 100_000, reviews: int = 1_000_000, *, seen: bool = True) -> Path:
    """Path to a cached template database of this size (built on first use). Copy it before writing.

    `seen=False`: the same cards in 10 decks, none ever answered (`reviews` is then ignored).
    """
    CACHE.mkdir(exist_ok=True)
    # The schema version is part of the name: a template from an older schema is never reused.
    name = f"{cards}-{reviews}" if seen else f"{cards}-new"
    template = CACHE / f"synth-v{SCHEMA_VERSION}-{name}.db"
    if not template.exists():
        tmp = template.with_suffix(".building")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            if p.exists():
                p.unlink()
        seconds = build(tmp, cards, reviews, seen=seen)
        print(f"# built synthetic database: {cards:,} cards, {reviews:,} reviews in {seconds:.1f} s", file=sys.stderr)
        os.replace(tmp, template)
    return template


def working_copy(template: Path, folder: Path, name: str = "quiz.db") -> Path:
    """A fresh copy of the template to write to."""
    dest = folder / name
    shutil.copyfile(template, dest)
    return dest


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    a = ap.parse_args()
    print(synthetic_db(a.cards, a.reviews))
