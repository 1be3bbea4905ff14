"""Hostile and clumsy files: crafted restore files, pipes and devices as the database, odd paths and dates."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import NOW, TODAY, make_deck

from quiz.cli import main
from quiz.models import ReviewKind
from quiz.sm2 import Grade
from quiz.store import Store
from quiz.store.errors import StoreError


def cli(*args, env=None):
    result = CliRunner().invoke(main, ["--now", NOW.isoformat(), *map(str, args)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def run_process(*args, env_extra=None, timeout=30):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "quiz", *map(str, args)], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=timeout)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quiz: "), text
    assert "Traceback" not in text
    return lines[0]


def seeded(path, answers=3):
    with Store.open(path) as s:
        s.decks.sync(make_deck(n=5), today=TODAY)
        for i in range(1, answers + 1):
            s.log.record(f"anatomy/c{i}", Grade.PAUSE, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                         answer_ms=1000)
    return path


def schema_of(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def count(path, table="reviews") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def crafted(tmp_path):
    """A sound backup with 2 answers to start from, and the live database (3 answers) it will replace."""
    source = seeded(tmp_path / "source.db", answers=2)
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    (tmp_path / "live").mkdir()
    return source, seeded(tmp_path / "live" / "quiz.db")


def edit(path, *statements):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def rebuild_table(path, table, new_sql):
    """Replace `table` by one made with `new_sql`, keeping its rows (a file quiz never wrote)."""
    edit(path, f"ALTER TABLE {table} RENAME TO old_{table}", new_sql,
         f"INSERT INTO {table} SELECT * FROM old_{table}", f"DROP TABLE old_{table}")


# ----------------------------------------------------------------- restore copies, never adopts
CLEAN_AFTER_RESTORE = {
    "an extra trigger": lambda p: edit(p, "CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END"),
    "an extra view": lambda p: edit(p, "CREATE VIEW everything AS SELECT * FROM reviews"),
    "a recursive view": lambda p: edit(p, "CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                          "SELECT i + 1 FROM n) SELECT i FROM n"),
    "a CHECK constraint": lambda p: rebuild_table(
        p, "card_state",
        "CREATE TABLE card_state (card_id TEXT PRIMARY KEY, repetitions INTEGER NOT NULL DEFAULT 0,"
        " easiness_centi INTEGER NOT NULL DEFAULT 250 CHECK (easiness_centi < 260), interval_days INTEGER NOT NULL"
        " DEFAULT 0, due_on TEXT, lapses INTEGER NOT NULL DEFAULT 0, suspended INTEGER NOT NULL DEFAULT 0,"
        " buried_until TEXT)"),
    "an extra table and column": lambda p: edit(p, "CREATE TABLE notes (x)", "ALTER TABLE decks ADD COLUMN colour TEXT"),
    "another page size": lambda p: edit(p, "PRAGMA page_size = 8192", "VACUUM"),
}


@pytest.mark.parametrize("kind", CLEAN_AFTER_RESTORE)
def test_a_restore_copies_the_rows_into_quizs_own_schema_and_leaves_the_rest(crafted, tmp_path, kind):
    source, live = crafted
    CLEAN_AFTER_RESTORE[kind](source)
    Store.open(tmp_path / "fresh.db").close()
    expected = schema_of(tmp_path / "fresh.db")
    result = cli("--db", live, "restore", "--yes", source)
    assert result.exit_code == 0, result.output
    assert schema_of(live) == expected  # no trigger, view, CHECK or stranger came along
    assert count(live) == 2
    with Store.open(live) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.checks.integrity_problems() == [] and s.checks.consistency_problems() == []
        s.log.record("anatomy/c4", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                     answer_ms=1)
        s.log.record("anatomy/c1", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                     answer_ms=1)
    assert count(live) == 4


def test_a_restore_rebuilds_the_daily_totals_from_the_log_it_brings(crafted):
    source, live = crafted
    # Totals that disagree with the log (or, in an older backup, lack the columns this quiz keeps)
    edit(source, "UPDATE day_totals SET reviews = 999, passed = 998, time_ms = 5")
    assert cli("--db", live, "restore", "--yes", source).exit_code == 0
    with Store.open(live) as s:
        totals = s.log.day_totals(TODAY)
        assert (totals.reviews, totals.new_cards, totals.passed, totals.time_ms) == (2, 2, 2, 2000)
        assert s.checks.consistency_problems() == []


REFUSED = {
    "a missing table": (lambda p: edit(p, "DROP TABLE settings"), "settings"),
    "a view in place of a table": (lambda p: edit(
        p, "DROP TABLE settings",
        "CREATE VIEW settings AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
        " SELECT 'flag:' || i AS key, 'x' AS value FROM n"), "settings"),
    "a huge easiness": (lambda p: edit(p, "UPDATE card_state SET easiness_centi = 1000000000000000"), "easiness_centi"),
    "a negative interval": (lambda p: edit(p, "UPDATE card_state SET interval_days = -3 WHERE due_on IS NOT NULL"),
                            "interval_days"),
    "a date that is no date": (lambda p: edit(p, "UPDATE card_state SET due_on = '2026-02-31' WHERE due_on IS NOT NULL"),
                               "due_on"),
    "text where a number goes": (lambda p: edit(p, "UPDATE reviews SET answer_ms = 'slow'"), "answer_ms"),
    "a grade of 9": (lambda p: (rebuild_table(p, "reviews", _reviews_without_checks()),
                                edit(p, "UPDATE reviews SET quality = 9")), "quality"),
    "an unknown card type": (lambda p: edit(p, "UPDATE cards SET type = 'essay'"), "type"),
    "choices that are not JSON": (lambda p: edit(p, "UPDATE cards SET choices = '[1,'"), "choices"),
    "sources that are not an object": (lambda p: edit(p, "UPDATE decks SET sources = '[1, 2]'"), "sources"),
    "a day start at 99": (lambda p: edit(p, "INSERT INTO settings VALUES ('day_start_hour', '99')"), "day_start_hour"),
    "a review of a card it does not hold": (lambda p: edit(p, "UPDATE reviews SET card_id = 'ghost/x'"), "card"),
    "a NULL where a value must be": (lambda p: rebuild_table(p, "decks", _decks_nullable())
                                     or edit(p, "UPDATE decks SET title = NULL"), "title"),
}


def _reviews_without_checks() -> str:
    return ("CREATE TABLE reviews (id INTEGER PRIMARY KEY, card_id TEXT, reviewed_at TEXT, study_day TEXT,"
            " quality INTEGER, kind TEXT, answer_ms INTEGER, reps_before INTEGER, easiness_before INTEGER,"
            " interval_before INTEGER, due_before TEXT, lapses_before INTEGER, reps_after INTEGER,"
            " easiness_after INTEGER, interval_after INTEGER, due_after TEXT, lapses_after INTEGER)")


def _decks_nullable() -> str:
    return ("CREATE TABLE decks (id TEXT PRIMARY KEY, title TEXT, description TEXT, sources TEXT, reminder TEXT,"
            " origin TEXT, content_hash TEXT, position INTEGER, imported_at TEXT)")


@pytest.mark.parametrize("kind", REFUSED)
def test_a_restore_file_with_impossible_content_is_refused_in_one_line(crafted, kind):
    source, live = crafted
    damage, named = REFUSED[kind]
    damage(source)
    before = live.read_bytes()
    proc = run_process("--db", live, "--now", NOW.isoformat(), "restore", "--yes", source)
    assert proc.returncode == 1, (kind, proc.stdout, proc.stderr)
    line = one_line(proc.stderr)
    assert str(source) in line and named in line, line
    assert count(live) == 3 and live.read_bytes() == before  # nothing changed, no backup needed
    assert not (live.parent / "backups").exists()


def test_a_restore_file_in_a_read_only_place_with_its_write_ahead_log_restores_whole(crafted, tmp_path):
    source, live = crafted
    folder = tmp_path / "usb"
    folder.mkdir()
    copy = folder / "copy.db"
    # A copy of a live database: its last answers are still in the write-ahead log beside it.
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO settings VALUES ('new_per_day', '7')")
    for suffix in ("", "-wal"):
        (folder / f"copy.db{suffix}").write_bytes(open(f"{source}{suffix}", "rb").read())
    conn.close()
    os.chmod(copy, 0o444)
    os.chmod(folder, 0o555)
    try:
        result = cli("--db", live, "restore", "--yes", copy)
    finally:
        os.chmod(folder, 0o755)
    assert result.exit_code == 0, result.output
    with Store.open(live) as s:
        assert s.settings().new_per_day == 7 and count(live) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db", "copy.db-wal"]  # nothing written there


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_a_pipe_or_device_named_as_the_restore_file_is_refused_at_once(crafted, tmp_path, make):
    _, live = crafted
    source = tmp_path / "odd.db"
    if make == "fifo":
        os.mkfifo(source)
    else:
        source.symlink_to("/dev/zero")
    proc = run_process("--db", live, "restore", "--yes", source, timeout=20)
    assert proc.returncode == 1
    assert ("is a named pipe" if make == "fifo" else "is a device") in one_line(proc.stderr)


# ----------------------------------------------------------------- the database path itself
@pytest.mark.parametrize("how", ["--db", "QUIZ_DB"])
def test_an_empty_database_path_is_refused_and_the_default_database_is_never_touched(tmp_path, how):
    home = tmp_path / "home"
    env = {"XDG_DATA_HOME": str(home), "QUIZ_DB": ""}
    args = ["--db", "", "stats"] if how == "--db" else ["stats"]
    if how == "--db":
        del env["QUIZ_DB"]
    proc = run_process(*args, env_extra=env)
    assert proc.returncode == 1
    assert "empty" in one_line(proc.stderr)
    assert not home.exists()


@pytest.mark.parametrize("make, named", [
    (lambda p: os.mkfifo(p), "is a named pipe"),
    (lambda p: p.symlink_to("/dev/null"), "is a device"),
    (lambda p: p.symlink_to("/dev/zero"), "is a device"),
], ids=["fifo", "dev-null", "dev-zero"])
def test_a_pipe_or_device_named_as_the_database_is_refused_at_once(tmp_path, make, named):
    path = tmp_path / "quiz.db"
    make(path)
    for command in (["stats"], ["review"], ["backup"], ["check"], ["export", "-o", tmp_path / "out.csv"]):
        proc = run_process("--db", path, *command, timeout=20)
        assert proc.returncode == 1, command
        line = one_line(proc.stderr)
        assert named in line and "empty file" not in line, line


@pytest.mark.parametrize("moment", ["9999-12-31", "9999-12-31T23:59:59", "0001-01-01", "0001-01-01T00:00"])
def test_an_extreme_date_gives_one_line(tmp_path, moment):
    path = seeded(tmp_path / "quiz.db")
    for command in (["stats"], ["review"], ["export", "-o", "-"], ["backup"]):
        proc = run_process("--db", path, "--now", moment, *command)
        assert proc.returncode != 0, command
        assert "--now" in one_line(proc.stderr)


def test_a_file_named_backups_where_the_folder_goes_gets_a_message_saying_what_to_do(tmp_path):
    path = seeded(tmp_path / "quiz.db")
    (tmp_path / "backups").write_text("my notes")
    result = cli("--db", path, "backup")
    assert result.exit_code == 1
    line = one_line(result.output)
    assert "is a file" in line and "move that file away" in line
    assert (tmp_path / "backups").read_text() == "my notes"


def test_a_read_only_file_system_is_not_told_to_chmod(tmp_path, monkeypatch):
    from quiz.store import files

    path = seeded(tmp_path / "quiz.db")

    class ReadOnlyFs:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(files.os, "access", lambda p, mode: mode != os.W_OK)
    monkeypatch.setattr(files.os, "statvfs", lambda p: ReadOnlyFs())
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert "read-only file system" in str(caught.value) and "chmod" not in str(caught.value)


# ----------------------------------------------------------------- killed half-way: nothing half-made
KILLED_BACKUP = """
import os, signal, sqlite3, sys
from datetime import datetime
class Dying(sqlite3.Connection):
    def execute(self, *args):
        os.kill(os.getpid(), signal.SIGKILL)
real_connect = sqlite3.connect
from quiz.store import Store
with Store.open(sys.argv[1]) as s:
    # Only the backup's own connection dies (the store's is open already), as the copy is finished.
    sqlite3.connect = lambda *a, **k: real_connect(*a, factory=Dying, **k)
    s.backups.take(datetime.now().astimezone(), "manual")
"""

KILLED_EXPORT = """
import os, signal, sys
import quiz.export as export
def dying(fh, pieces):
    fh.write("half")
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)
export._write_all = dying
from quiz.cli import main
main(["--db", sys.argv[1], "export", "-o", sys.argv[2]])
"""


def test_a_killed_backup_leaves_no_partial_file_after_the_next_run(tmp_path):
    path = seeded(tmp_path / "quiz.db")
    proc = subprocess.run([sys.executable, "-c", KILLED_BACKUP, str(path)], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert any(".partial" in p.name for p in (tmp_path / "backups").iterdir())  # the kill left one
    assert cli("--db", path, "backup").exit_code == 0
    names = [p.name for p in (tmp_path / "backups").iterdir()]
    assert len(names) == 1 and not any("partial" in n for n in names), names


def test_a_killed_export_leaves_no_partial_file_after_the_next_run(tmp_path):
    path = seeded(tmp_path / "quiz.db")
    out = tmp_path / "out" / "reviews.csv"
    out.parent.mkdir()
    proc = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(path), str(out)], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert any(".partial" in p.name for p in out.parent.iterdir())  # the kill left one
    assert cli("--db", path, "export", "-o", out).exit_code == 0
    assert [p.name for p in out.parent.iterdir()] == ["reviews.csv"]
