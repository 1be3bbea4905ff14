"""Prints `quiz review` start-up to the first card vs a bare Textual app, grade-key-to-next-card time and peak memory.

Everything is measured from outside, through a pseudo-terminal of 80x24, as a patient would see it:
the clock starts when the process is spawned and stops when the text of the first card (or the bare
app's label) has been written to the terminal; a grade key is timed from the moment it is written to
the terminal until the next card's session line ("Left today: … reviews …", one fewer) has been drawn. Peak memory is the child's
ru_maxrss. Run: `python bench/bench_review.py [--cards 100000 --reviews 1000000] [--runs 7] [--answers 100]`.
Rows go through bench.common.print_table (so `bench/run` collects them); notes go to stderr as "# ...".
"""
from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import re
import select
import shutil
import sqlite3
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, bare_answer, print_table
from bench.synth import NOW, TODAY, synthetic_db, working_copy
from quiz import reminder
from quiz.shipped import sync_bundled_decks
from quiz.store import Store
from quiz.text import plural

SIZE = (80, 24)
BARE_LABEL = "bare textual app ready"
# The same kind of program as `quiz`: a Python process that imports Textual and draws one label.
BARE_APP = f"""
from textual.app import App
from textual.widgets import Label

class Bare(App):
    BINDINGS = [("4", "next")]
    count = 0

    def compose(self):
        yield Label({BARE_LABEL!r})

    def action_next(self):
        self.count += 1
        self.query_one(Label).update(f"bare label {{self.count}} drawn")

Bare().run()
"""


class Terminal:
    """A child process on a pseudo-terminal of SIZE, with everything it draws collected as text."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.started = time.perf_counter()
        self.pid = os.fork()
        if self.pid == 0:  # the child: the pty is its terminal
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(master)
            os.execve(argv[0], argv, env)
        os.close(slave)
        self.fd = master
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.text = ""

    def wait_for(self, marker: str, since: int, timeout: float = 60.0) -> float:
        """perf_counter() when `marker` has appeared in the output after position `since`."""
        deadline = time.perf_counter() + timeout
        while marker not in self.text[since:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{marker!r} not drawn within {timeout} s; last output: {self.text[-300:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise RuntimeError(f"the program ended before drawing {marker!r}: {self.text[-500:]!r}")
                self.text += self.decoder.decode(chunk)
        return time.perf_counter()

    def press(self, keys: str) -> int:
        """Write `keys`; returns the output position from which their effect is looked for."""
        since = len(self.text)
        os.write(self.fd, keys.encode())
        return since

    def finish(self, quit_keys: str = "\x11") -> tuple[int, float]:
        """Quit with ctrl+q, drain the output; returns the child's peak memory (KiB) and CPU time (ms)."""
        os.write(self.fd, quit_keys.encode())
        while True:
            ready, _, _ = select.select([self.fd], [], [], 10)
            if not ready:
                break
            try:
                if not os.read(self.fd, 65536):
                    break
            except OSError:
                break
        _, status, usage = os.wait4(self.pid, 0)
        os.close(self.fd)
        if os.waitstatus_to_exitcode(status) != 0:
            print(f"# warning: the program exited with {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
        return usage.ru_maxrss, (usage.ru_utime + usage.ru_stime) * 1000


def prepared_database(folder: Path, template: Path | None, name: str) -> Path:
    """A working copy of `template` (None: an empty database, to which the first start adds the bundled
    decks), migrated, backed up today and with today's reminder seen, so every timed start is an
    ordinary morning start (not a first run)."""
    db = working_copy(template, folder, name) if template else folder / name
    with Store.open(db, now=NOW) as store:
        sync_bundled_decks(store, TODAY)  # as the first start would, so their reminders count as seen too
        reminder.mark_shown(store, TODAY)
    return db


def quiz_argv(db: Path, deck_id: str | None = None) -> list[str]:
    deck = ["--deck", deck_id] if deck_id else []
    return [sys.executable, "-m", "quiz", "--db", str(db), "--now", NOW.isoformat(), "review", *deck]


def child_env() -> dict[str, str]:
    # Both programs may write bytecode: the untimed first start of each then leaves quiz compiled, as
    # `pip install` leaves it (and Textual already is). With PYTHONDONTWRITEBYTECODE inherited, every
    # timed quiz start recompiled its own modules (~15 ms) while the bare app's Textual did not.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL", "QUIZ_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    return env


def time_start(argv: list[str], marker: str) -> tuple[float, Terminal]:
    term = Terminal(argv, child_env())
    drawn = term.wait_for(marker, 0)
    return (drawn - term.started) * 1000, term


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=100_000, help="cards in the synthetic databases")
    ap.add_argument("--reviews", type=int, default=1_000_000, help="past answers in the synthetic database")
    ap.add_argument("--runs", type=int, default=7, help="start-ups of each program on each database (interleaved)")
    ap.add_argument("--answers", type=int, default=100,
                    help=f"answers timed, in rounds of {ANSWERS_A_ROUND} taken in turns with the bare app's keys")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quiz-bench-review-"))
    try:
        reviewed = prepared_database(folder, synthetic_db(args.cards, args.reviews), "reviewed.db")
        # (label, quiz's command line): every database shape the start-up target holds on.
        shapes = [
            ("the bundled decks", quiz_argv(prepared_database(folder, None, "bundled.db"))),
            (f"{args.cards:,} cards all reviewed, {args.reviews:,} log lines", quiz_argv(reviewed)),
            (f"{args.cards:,} cards never seen in 10 decks, the 4th deck reviewed",
             quiz_argv(prepared_database(folder, synthetic_db(args.cards, seen=False), "new.db"), "bench-03")),
        ]
        bare_argv = [sys.executable, "-c", BARE_APP]
        # One untimed start of each: imports compiled, bundled decks imported, the day's backup taken.
        for argv, marker in ((bare_argv, BARE_LABEL), *((argv, FIRST_CARD) for _, argv in shapes)):
            _, term = time_start(argv, marker)
            term.finish()
        figures: list[Figure] = []
        bare_kib, quiz_kib = [], []
        for label, argv in shapes:
            bare_ms, quiz_ms = [], []
            for _ in range(args.runs):
                ms, term = time_start(bare_argv, BARE_LABEL)
                bare_kib.append(term.finish()[0])
                bare_ms.append(ms)
                ms, term = time_start(argv, FIRST_CARD)
                quiz_kib.append(term.finish()[0])
                quiz_ms.append(ms)
            bare = Figure(f"bare Textual app: start to label drawn ({label} run)", bare_ms)
            figures += [bare, Figure(f"quiz review: start to first card drawn, {label}", quiz_ms,
                                     target="<= 1.3x bare", baseline_name="bare app", baseline=bare.median)]
        # The answers: on copies of the reviewed database, against a bare app's key, in rounds of at
        # most ANSWERS_A_ROUND taken in turns (as the start-ups are), so a slow spell of the machine
        # falls on both programs rather than on whichever ran during it.
        bare_key_ms, answer_ms = [], []
        template = synthetic_db(args.cards, args.reviews)
        for n, count in enumerate(rounds(args.answers, ANSWERS_A_ROUND)):
            _, term = time_start(bare_argv, BARE_LABEL)
            bare_key_ms += time_bare_keys(term, count)
            term.finish()
            _, term = time_start(quiz_argv(prepared_database(folder, template, f"answers-{n}.db")), FIRST_CARD)
            answer_ms += time_answers(term, count)
            term.finish()
        bare_key = Figure("bare Textual app: key to its label redrawn", bare_key_ms)
        figures += [
            bare_key,
            Figure("grade key to next card drawn, median", answer_ms, target="<= 2.5x bare",
                   baseline_name="bare app", baseline=bare_key.median),
            Figure("grade key to next card drawn, p99", [percentile(answer_ms, 99)], target="<= 16 ms",
                   baseline_name="bare app p99", baseline=percentile(bare_key_ms, 99)),
            *time_saves(reviewed, args.answers),
            bare_memory := Figure("peak memory, bare app (ru_maxrss)", [k / 1024 for k in bare_kib], unit="MiB"),
            Figure("peak memory, quiz review (ru_maxrss)", [k / 1024 for k in quiz_kib], unit="MiB",
                   target="< 100 MiB", baseline_name="bare app", baseline=bare_memory.median),
        ]
        print(f"# review app: terminal {SIZE[0]}x{SIZE[1]} (a pty); {args.runs} start-ups of each program per "
              f"database, interleaved; {len(answer_ms)} answers in rounds of {ANSWERS_A_ROUND} in turns with the "
              f"bare app; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs", file=sys.stderr)
        print_table(figures)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: Answers timed in one run of each program (bench_review's --answers are taken in rounds of this many).
ANSWERS_A_ROUND = 100


def rounds(total: int, size: int) -> list[int]:
    """`total` split into rounds of at most `size`: rounds(250, 100) == [100, 100, 50]."""
    return [min(size, total - start) for start in range(0, total, size)]


def percentile(samples: list[float], p: float) -> float:
    """The `p`th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


#: Pause between the answer being drawn and the grade key. Textual draws at most 60 frames a second,
#: so a key pressed within 1/60 s of the previous frame waits for the next one; nobody grades an
#: answer that fast, and 50 ms is still far quicker than any reader.
READ_PAUSE_S = 0.05
#: What quiz draws with the first card: the session line, what is left today.
FIRST_CARD = "Left today:"


def time_answers(term: Terminal, answers: int) -> list[float]:
    """Space shows the answer; "4" grades it; timed from writing "4" to the next card's line drawn
    (the session line counting one review fewer: due reviews come first, and 4 passes)."""
    found = re.findall(r"(\d+) new · (\d+) reviews?", term.text)
    if not found:
        raise RuntimeError(f"no session line on screen: {term.text[-300:]!r}")
    new, reviews = map(int, found[-1])
    samples = []
    for n in range(1, min(answers, reviews) + 1):
        term.wait_for("How well did you remember", term.press(" "))
        time.sleep(READ_PAUSE_S)
        since = term.press("4")
        sent = time.perf_counter()
        drawn = term.wait_for(f"{new} new · {plural(reviews - n, 'review')}", since)
        samples.append((drawn - sent) * 1000)
    return samples


def time_bare_keys(term: Terminal, presses: int) -> list[float]:
    """The floor for the figure above: the bare app redraws one label on a key, same pauses."""
    samples = []
    for n in range(1, presses + 1):
        time.sleep(READ_PAUSE_S)
        since = term.press("4")
        sent = time.perf_counter()
        samples.append((term.wait_for(f"bare label {n} drawn", since) - sent) * 1000)
    return samples


def time_saves(db: Path, answers: int) -> list[Figure]:
    """The store's part of an answer on the same database, after the same pause a reader takes: one
    BEGIN IMMEDIATE transaction committed with synchronous = FULL (on the disk when it returns).
    Baseline, on the same database and cards after the same pause: the same two writes as bare SQL,
    also synchronous = FULL. (Run after the store's answers, not interleaved: a write from another
    connection would make the store's connection drop its page cache before its next transaction.)"""
    from datetime import timedelta

    from quiz.models import ReviewKind

    saves, card_ids = [], []
    with Store.open(db, now=NOW) as store:
        for due in store.cards.due_reviews(TODAY + timedelta(days=1), limit=answers):
            time.sleep(READ_PAUSE_S)  # as in the app: back-to-back writes are about twice as fast
            t = time.perf_counter()
            store.log.record(due.card.id, 4, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                             answer_ms=1000)
            saves.append((time.perf_counter() - t) * 1000)
            card_ids.append(due.card.id)
        bare = []
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        try:
            for card_id in card_ids:
                time.sleep(READ_PAUSE_S)
                t = time.perf_counter()
                bare_answer(conn, card_id)
                bare.append((time.perf_counter() - t) * 1000)
        finally:
            conn.close()
    return [
        Figure("  of which: saving the answer (commit + fsync)", saves, target="before the card is drawn",
               baseline_name="bare SQL insert+update, synchronous=FULL", baseline=Figure("", bare).median),
    ]


if __name__ == "__main__":
    main()
