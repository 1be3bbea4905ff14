"""Crash safety: a real `quiz review` in a pseudo-terminal, killed with SIGKILL at random moments."""
from __future__ import annotations

import fcntl
import os
import random
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time

import pyte
import pytest
from conftest import TODAY, make_deck

from quiz.store import Store

#: Kills in the test suite; `bench/run --kills N` runs the long version.
KILLS = int(os.environ.get("QUIZ_CRASH_KILLS", "12"))
CARDS = 30
NOW_ARG = "2026-03-02T09:30"
LEFT_LINE = re.compile(r"Left today: (\d+) new · (\d+) reviews? · (\d+) to repeat")


class Terminal:
    """`quiz` running in an 80x24 pseudo-terminal, its screen kept up to date by pyte."""

    def __init__(self, args: list[str]) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24", TEXTUAL_ANIMATIONS="none")
        # Its own session with the pty as its controlling terminal, as in a terminal window: when the
        # pty closes (or this process dies with it open) the app gets SIGHUP and ends, never left
        # running on a terminal nobody reads.
        self.proc = subprocess.Popen([sys.executable, "-m", "quiz", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True, close_fds=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.master = master

    def pump(self, timeout: float = 0.05) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, predicate, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if predicate(self.text()):
                return True
            if self.proc.poll() is not None:
                self.pump(0)
                return predicate(self.text())
            self.pump()
        return False

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


def card_number(text: str, first_left: int) -> int | None:
    """The number of the card on screen, counted from what is left against what was left at the
    first card (every answer here passes, so nothing is added to repeat)."""
    m = LEFT_LINE.search(text)
    return first_left - sum(int(g) for g in m.groups()) + 1 if m else None


def reminder_showing(text: str) -> bool:
    """Whether the start-of-day reminder is on screen, even half drawn (its title or its last line)."""
    return "Before you start" in text or "Press Enter to continue" in text


def cards_left(text: str) -> int | None:
    m = LEFT_LINE.search(text)
    return sum(int(g) for g in m.groups()) if m else None


def drive_until_killed(db_path, rng: random.Random) -> int:
    """Answers cards as fast as the screen allows and kills the process at a random moment.
    Returns how many answers the screen had acknowledged (moved past) before the kill."""
    term = Terminal(["--db", str(db_path), "--now", NOW_ARG, "review"])
    acknowledged = 0
    first_left: int | None = None
    # From before the first card (start-up, reminder) to a few dozen answers in.
    kill_at = time.monotonic() + rng.uniform(0.3, 2.5)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < kill_at and time.monotonic() < deadline:
            text = term.text()
            if reminder_showing(text):
                # One Enter for the reminder, then nothing until it is gone: under load the screen
                # lags, and an Enter sent again would reveal and grade a card this test never saw.
                term.press("\r")
                term.wait_for(lambda t: not reminder_showing(t), min(kill_at, deadline))
                continue
            if first_left is None:
                first_left = cards_left(text)
            n = card_number(text, first_left) if first_left is not None else None
            if n is not None:
                acknowledged = max(acknowledged, n - 1)
                if "Answer" not in text:
                    term.press(" ")
                    term.wait_for(lambda t, n=n, f=first_left: "Answer" in t or card_number(t, f) != n,
                                  min(kill_at, deadline))
                else:
                    term.press(rng.choice(["3", "4", "\r"]))  # passing grades: Good, Easy, Enter (Good)
                    term.wait_for(lambda t, n=n, f=first_left: card_number(t, f) != n, min(kill_at, deadline))
                    after = card_number(term.text(), first_left)
                    if after is not None and after > n:
                        acknowledged = max(acknowledged, after - 1)
                    elif "Session" in term.text() or "summary" in term.text().lower():
                        acknowledged = max(acknowledged, n)
            else:
                term.pump()
    finally:
        term.kill()
    return acknowledged


@pytest.fixture
def deck_db(tmp_path):
    path = tmp_path / "quiz.db"
    with Store.open(path) as s:
        s.decks.sync(make_deck(n=CARDS), today=TODAY)
        s.set_setting("new_per_day", 1000)
    return path


@pytest.mark.parametrize("seed", range(KILLS))
def test_every_acknowledged_answer_survives_sigkill(deck_db, seed):
    rng = random.Random(seed)
    before = _reviews(deck_db)
    acknowledged = drive_until_killed(deck_db, rng)
    conn = sqlite3.connect(deck_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] - before
        # Every answer the screen moved past is saved; at most one more (committed, not yet drawn).
        assert acknowledged <= saved <= acknowledged + 1, (acknowledged, saved)
        # Nothing half-written: every logged answer's schedule is the one on the card.
        mismatched = conn.execute(
            "SELECT COUNT(*) FROM reviews r JOIN card_state s ON s.card_id = r.card_id"
            " WHERE r.id = (SELECT MAX(id) FROM reviews WHERE card_id = r.card_id)"
            " AND (s.repetitions, s.easiness_centi, s.interval_days, s.due_on)"
            " IS NOT (r.reps_after, r.easiness_after, r.interval_after, r.due_after)"
        ).fetchone()[0]
        assert mismatched == 0
    finally:
        conn.close()
    with Store.open(deck_db) as s:
        assert s.checks.consistency_problems() == []


def _reviews(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


def test_a_second_session_in_another_terminal_gets_a_clear_message_and_loses_nothing(deck_db):
    first = Terminal(["--db", str(deck_db), "--now", NOW_ARG, "review"])
    try:
        assert first.wait_for(lambda t: "Before you start" in t or cards_left(t), time.monotonic() + 20)
        second = Terminal(["--db", str(deck_db), "--now", NOW_ARG, "review"])
        try:
            assert second.wait_for(lambda t: "already open" in t, time.monotonic() + 20), second.text()
            assert second.proc.wait(timeout=10) == 1
            assert "Traceback" not in second.text()
        finally:
            second.kill()
        # The first session carries on and its answer is saved once.
        if "Before you start" in first.text():
            first.press("\r")
        assert first.wait_for(lambda t: cards_left(t) is not None and "Before you start" not in t,
                              time.monotonic() + 10)
        at_first = cards_left(first.text())
        first.press(" ")
        assert first.wait_for(lambda t: "Answer" in t, time.monotonic() + 10)
        first.press("4")
        assert first.wait_for(lambda t: cards_left(t) == at_first - 1, time.monotonic() + 10)
    finally:
        first.kill()
    assert _reviews(deck_db) == 1
