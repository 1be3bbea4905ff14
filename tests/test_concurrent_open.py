"""A new database opened by many processes at once, or killed half-way through its first start."""
from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import NOW

from quiz.store import SCHEMA_VERSION, Store

WORKERS = 8
TRIALS = 20


def _open_many(worker: int, folder: str, barrier, results) -> None:
    """One of WORKERS processes: for each trial, open the same new database at the same moment."""
    for trial in range(TRIALS):
        path = os.path.join(folder, f"trial{trial}", "quiz.db")
        barrier.wait()
        try:
            with Store.open(path, now=NOW) as store:
                # Read back below: a session that wrote to an unlinked file would be missing there.
                store.set_flag(f"worker{worker}", "here")
            outcome = "ok"
        except BaseException as err:  # every failure is the finding
            outcome = f"{type(err).__name__}: {err}"
        results.put((trial, worker, outcome))


def _schema(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        conn.close()


def test_eight_processes_opening_a_new_database_at_once_all_share_one_whole_database(tmp_path):
    for trial in range(TRIALS):
        (tmp_path / f"trial{trial}").mkdir()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    workers = [context.Process(target=_open_many, args=(w, str(tmp_path), barrier, results)) for w in range(WORKERS)]
    for p in workers:
        p.start()
    outcomes = [results.get(timeout=120) for _ in range(WORKERS * TRIALS)]
    for p in workers:
        p.join(timeout=60)
    failures = [o for o in outcomes if o[2] != "ok"]
    assert not failures, failures[:5]
    with Store.open(tmp_path / "reference.db") as fresh:
        expected = sorted(fresh.conn.execute("SELECT type, name, sql FROM sqlite_master"))
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        path = folder / "quiz.db"
        with Store.open(path) as store:
            assert store.schema_version() == SCHEMA_VERSION
            assert store.checks.integrity_problems() == []
            flags = {w for w in range(WORKERS) if store.get_flag(f"worker{w}") == "here"}
        assert flags == set(range(WORKERS)), (trial, flags)  # every session wrote to this very file
        assert _schema(path) == expected
        assert sorted(p.name for p in folder.iterdir()) == ["quiz.db"], trial  # nothing half-made left


# A first start in a new process, killed (SIGKILL) from outside at a random moment.
FIRST_START = """
import os, signal, sqlite3, sys
from datetime import datetime
from quiz.store import Store
print("go", flush=True)
Store.open(sys.argv[1], now=datetime.now().astimezone()).close()
"""


def _first_start(path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", FIRST_START, str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _starts_again(folder, path) -> None:
    """The next start opens a whole database, and nothing half-made is left beside it."""
    with Store.open(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.checks.integrity_problems() == []
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.set_flag("after", "yes")
    assert [p.name for p in folder.iterdir() if p.name != "quiz.db" and not p.name.startswith("quiz.db-")] == []


def _first_start_killed_at(path, statement: int) -> int:
    """A first start in a forked copy of this process, SIGKILLed as its `statement`-th SQL statement begins
    (0: never); returns how many statements it ran, or -SIGKILL."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no return from here
        try:
            os.close(read)
            seen = [0]
            real_connect = sqlite3.connect

            def trace(_sql):
                seen[0] += 1
                if seen[0] == statement:
                    os.kill(os.getpid(), signal.SIGKILL)

            def connect(*args, **kwargs):
                conn = real_connect(*args, **kwargs)
                conn.set_trace_callback(trace)
                return conn

            sqlite3.connect = connect
            Store.open(path, now=NOW).close()
            os.write(write, str(seen[0]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        ran = pipe.read()
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else int(ran)


def test_a_first_start_killed_at_any_statement_starts_again_next_time(tmp_path):
    # Every statement of a first start: the journal-mode switch, each migration, and between them.
    statements = _first_start_killed_at(tmp_path / "count.db", 0)
    assert statements > 5
    for k in range(1, statements + 1):
        folder = tmp_path / f"kill{k}"
        folder.mkdir()
        assert _first_start_killed_at(folder / "quiz.db", k) == -signal.SIGKILL, k
        _starts_again(folder, folder / "quiz.db")


def test_a_first_start_killed_at_a_random_moment_starts_again_next_time(tmp_path):
    chance = random.Random(11)
    running = []
    for n in range(WORKERS * 2):
        folder = tmp_path / f"kill{n}"
        folder.mkdir()
        running.append((folder, _first_start(folder / "quiz.db")))
    for _, proc in running:
        assert proc.stdout.readline() == "go\n"  # about to open the database
        time.sleep(chance.uniform(0, 0.01))  # somewhere in the first start; where exactly does not matter
        proc.send_signal(signal.SIGKILL)
    for folder, proc in running:
        proc.communicate(timeout=60)
        _starts_again(folder, folder / "quiz.db")
