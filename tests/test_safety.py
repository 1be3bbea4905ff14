"""Nothing lost: backups, `quiz check`, `quiz restore`, bad database files, one session at a time, full disk."""
from __future__ import annotations

import os
import sqlite3
from datetime import timedelta

import pytest
from click.testing import CliRunner
from conftest import NOW, TODAY, make_deck

from quiz.backup import daily_backup_due, list_backups
from quiz.cli import main
from quiz.lock import SessionBusy, SessionLock
from quiz.models import ReviewKind
from quiz.sm2 import Grade
from quiz.store import Store, StoreError


def cli(*args):
    result = CliRunner().invoke(main, ["--now", NOW.isoformat(), *map(str, args)])
    # Errors a user can cause end as a clean exit, never an exception escaping the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def seeded(db_path, answers=3):
    with Store.open(db_path) as s:
        s.sync_deck(make_deck(n=5), today=TODAY)
        for i in range(1, answers + 1):
            s.record_answer(f"anatomy/c{i}", Grade.PAUSE, kind=ReviewKind.REVIEW, reviewed_at=NOW,
                            study_day=TODAY, answer_ms=1000)
    return db_path


def review_count(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


# ----------------------------------------------------------------- backups
def test_quiz_backup_makes_a_consistent_copy_including_the_wal(db_path):
    seeded(db_path)
    # Keep a connection open so the answers sit in the WAL, not yet in the main file.
    holder = Store.open(db_path)
    holder.record_answer("anatomy/c4", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                         answer_ms=1)
    result = cli("--db", db_path, "backup")
    holder.close()
    assert result.exit_code == 0, result.output
    (backup,) = list_backups(db_path)
    assert backup.reason == "manual"
    assert review_count(backup.path) == 4
    assert not os.path.exists(f"{backup.path}-wal")
    assert Store.inspect_file(backup.path).reviews == 4


def test_only_the_newest_seven_backups_are_kept(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        for minute in range(10):
            s.backup(NOW + timedelta(minutes=minute), "manual")
    backups = list_backups(db_path)
    assert len(backups) == 7
    assert backups[0].taken_at == (NOW + timedelta(minutes=3)).replace(tzinfo=None)


def test_the_first_start_of_a_day_takes_one_backup_and_later_starts_none(db_path):
    seeded(db_path)
    assert daily_backup_due(db_path, NOW.date())
    cli("--db", db_path, "review")  # opens the database, then stops: no terminal here
    cli("--db", db_path, "review")
    assert [b.reason for b in list_backups(db_path)] == ["daily"]
    assert not daily_backup_due(db_path, NOW.date())
    assert daily_backup_due(db_path, NOW.date() + timedelta(days=1))


def test_a_migration_is_preceded_by_a_backup(db_path, monkeypatch):
    import quiz.store as store_module

    seeded(db_path)

    @store_module.migrations(name="9999_test_only")
    def _add_column(db):
        db.execute("ALTER TABLE decks ADD COLUMN colour TEXT")

    try:
        with Store.open(db_path, now=NOW) as s:
            assert "colour" in {c[1] for c in s.conn.execute("PRAGMA table_info(decks)")}
        (backup,) = list_backups(db_path)
        assert backup.reason == "pre-migration"
        conn = sqlite3.connect(backup.path)
        assert "colour" not in {c[1] for c in conn.execute("PRAGMA table_info(decks)")}
        conn.close()
    finally:
        store_module.migrations._migrations.pop()


def backup_then_answer(db_path):
    """Two answers, a backup of them, then a third answer; returns the backup."""
    seeded(db_path, answers=2)
    with Store.open(db_path) as s:
        good = s.backup(NOW, "manual")
        s.record_answer("anatomy/c5", Grade.NO_IDEA, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                        answer_ms=1)
    return good


def test_restore_brings_back_a_backup_after_saving_the_current_state(db_path):
    good = backup_then_answer(db_path)
    result = CliRunner().invoke(main, ["--now", (NOW + timedelta(minutes=1)).isoformat(), "--db", str(db_path),
                                       "restore", str(good)], input="y\n")
    assert result.exit_code == 0, result.output
    assert review_count(db_path) == 2
    pre = [b for b in list_backups(db_path) if b.reason == "pre-restore"]
    assert len(pre) == 1 and review_count(pre[0].path) == 3


def test_restore_asks_first_and_does_nothing_when_refused(db_path):
    good = backup_then_answer(db_path)
    result = CliRunner().invoke(main, ["--db", str(db_path), "restore", str(good)], input="n\n")
    assert result.exit_code == 1 and "nothing restored" in result.output
    assert review_count(db_path) == 3


def test_restore_refuses_a_file_that_is_not_a_quiz_database(db_path, tmp_path):
    seeded(db_path)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = cli("--db", db_path, "restore", "--yes", junk)
    assert result.exit_code == 1 and "not an SQLite database" in result.output
    assert review_count(db_path) == 3


def test_restore_over_a_damaged_database_moves_it_aside_instead_of_deleting_it(db_path, tmp_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        good = s.backup(NOW, "manual")
    db_path.write_bytes(b"garbage" * 100)
    result = cli("--db", db_path, "restore", "--yes", good)
    assert result.exit_code == 0, result.output
    assert review_count(db_path) == 3
    (aside,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == b"garbage" * 100


# ----------------------------------------------------------------- quiz check
def test_check_passes_on_a_sound_database(db_path):
    seeded(db_path)
    result = cli("--db", db_path, "check")
    assert result.exit_code == 0 and "No problems found" in result.output


@pytest.mark.parametrize("column", ["reviews", "new_cards", "passed", "drills", "time_ms"])
def test_check_finds_totals_that_disagree_with_the_log_and_repair_fixes_them(db_path, column):
    seeded(db_path)
    with Store.open(db_path) as s:
        assert s.consistency_problems() == []
        right = s.day_totals(TODAY)
    conn = sqlite3.connect(db_path)
    conn.execute(f"UPDATE day_totals SET {column} = 99")  # retention and new-card figures read these
    conn.commit()
    conn.close()
    result = cli("--db", db_path, "check")
    assert result.exit_code == 1 and "daily totals disagree" in result.output and "--repair" in result.output
    result = cli("--db", db_path, "check", "--repair")
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as s:
        assert s.day_totals(TODAY) == right and s.day_totals(TODAY).reviews == 3


def test_check_finds_orphans_and_impossible_schedules(db_path):
    seeded(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO card_state (card_id) VALUES ('ghost/card')")
    conn.execute("UPDATE card_state SET easiness_centi = 50 WHERE card_id = 'anatomy/c1'")
    conn.commit()
    conn.close()
    result = cli("--db", db_path, "check")
    assert result.exit_code == 1
    assert "belong to no card" in result.output and "impossible SM-2 values" in result.output


def test_check_reports_a_damaged_file_with_the_fix(db_path):
    seeded(db_path)
    _damage_pages(db_path)
    result = cli("--db", db_path, "check")
    assert result.exit_code == 1
    assert "damaged" in result.output and "quiz restore" in result.output


# ----------------------------------------------------------------- bad database files
def _damage_pages(path):
    """Overwrite the middle of the file (not the header) with noise, as a bad sector would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for p in range(1, len(data) // page):
        data[p * page + 8: p * page + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


BAD_FILES = {
    "empty": lambda p: p.write_bytes(b""),
    "text": lambda p: p.write_text("dear diary\n"),
    "truncated": lambda p: (seeded(p), p.write_bytes(p.read_bytes()[:6000])),
    "damaged-pages": lambda p: (seeded(p), _damage_pages(p)),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_database_gives_one_line_and_is_never_modified(tmp_path, kind):
    path = tmp_path / "quiz.db"
    BAD_FILES[kind](path)
    before = path.read_bytes()
    for args in (["review"], ["backup"], ["check"]):
        result = cli("--db", path, *args)
        assert result.exit_code != 0, (kind, args, result.output)
        lines = result.output.strip().splitlines()
        assert lines and lines[-1].startswith("quiz: "), (kind, args, result.output)
        assert path.read_bytes() == before, (kind, args)


def test_the_error_for_a_damaged_database_points_at_the_latest_backup(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backup(NOW - timedelta(days=1), "daily")
    _damage_pages(db_path)
    result = cli("--db", db_path, "review")
    assert result.exit_code == 1
    assert str(backup) in result.output and "quiz restore" in result.output


def test_a_read_only_database_gives_a_clear_line_and_is_left_alone(db_path):
    seeded(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.chmod(db_path, 0o444)
    before = db_path.read_bytes()
    try:
        result = cli("--db", db_path, "review")
        assert result.exit_code == 1 and "read-only" in result.output
        assert db_path.read_bytes() == before
    finally:
        os.chmod(db_path, 0o644)


def test_a_full_disk_loses_nothing_and_says_so(db_path):
    seeded(db_path)
    s = Store.open(db_path)
    # SQLite's own page limit raises exactly the error a full disk does (SQLITE_FULL).
    pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
    s.conn.execute(f"PRAGMA max_page_count = {pages}")
    big = make_deck("big", n=400, description="x" * 5000)
    with pytest.raises(StoreError, match="full"):
        s.sync_deck(big, today=TODAY)
    with pytest.raises(StoreError, match="full"):
        for i in range(2000):
            s.record_answer("anatomy/c4", Grade.PAUSE, kind=ReviewKind.DRILL, reviewed_at=NOW, study_day=TODAY,
                            answer_ms=10**6 + i)
    s.close()
    with Store.open(db_path) as s:
        assert "big" not in s.deck_ids()
        rows = s.conn.execute("SELECT COUNT(*), SUM(kind = 'drill') FROM reviews").fetchone()
        assert rows[1] > 0 and s.day_totals(TODAY).drills == rows[1]  # every acknowledged drill is whole
        assert s.integrity_problems() == []


# ----------------------------------------------------------------- one session at a time
def test_a_second_session_on_the_same_database_gets_a_clear_message(db_path):
    seeded(db_path)
    first = SessionLock(db_path)
    first.acquire()
    try:
        with pytest.raises(SessionBusy, match="already open"):
            SessionLock(db_path).acquire()
    finally:
        first.release()
    with SessionLock(db_path):
        pass  # free again once the first session ends


def test_two_stores_answering_in_turn_lose_and_double_nothing(db_path):
    seeded(db_path, answers=0)
    a, b = Store.open(db_path), Store.open(db_path)
    for i in range(50):
        (a if i % 2 else b).record_answer(f"anatomy/c{i % 5 + 1}", Grade.PAUSE, kind=ReviewKind.DRILL,
                                          reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    a.close()
    b.close()
    assert review_count(db_path) == 50


def test_a_damaged_database_is_not_backed_up_over_good_backups(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        s.backup(NOW - timedelta(days=1), "daily")
    _damage_pages(db_path)
    result = cli("--db", db_path, "backup")
    assert result.exit_code == 1 and "damaged" in result.output
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_restore_over_a_database_with_damaged_pages_moves_it_aside(db_path, tmp_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        good = s.backup(NOW, "manual")
    _damage_pages(db_path)
    result = cli("--db", db_path, "restore", "--yes", good)
    assert result.exit_code == 0, result.output
    assert review_count(db_path) == 3
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())


# ----------------------------------------------------------------- answers on the disk (flush)
def _answer(store, key="anatomy/c1", flush=False):
    return store.record_answer(key, Grade.PAUSE, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                               answer_ms=1000, flush=flush)


def _fsynced(monkeypatch):
    """The files os.fsync is called on, by name (Linux: /proc/self/fd)."""
    import quiz.store as store_module

    names = []
    real = os.fsync

    def spy(fd):
        names.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        return real(fd)

    monkeypatch.setattr(store_module.os, "fsync", spy)
    return names


def test_an_answer_not_yet_flushed_is_committed_and_flush_puts_the_log_on_the_disk(db_path, monkeypatch):
    seeded(db_path, answers=0)
    synced = _fsynced(monkeypatch)
    with Store.open(db_path) as s:
        _answer(s)
        assert s.unflushed and synced == []
        assert review_count(db_path) == 1  # another connection sees it: it is in the database already
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again for every other write
        s.flush()
        assert not s.unflushed and synced == [f"{db_path.name}-wal"]
        s.flush()  # nothing more to do
        assert synced == [f"{db_path.name}-wal"]


def test_an_ordinary_answer_is_on_the_disk_when_it_returns(db_path):
    seeded(db_path, answers=0)
    with Store.open(db_path) as s:
        _answer(s, flush=True)
        assert not s.unflushed


def test_closing_the_store_flushes_what_is_left(db_path, monkeypatch):
    seeded(db_path, answers=0)
    synced = _fsynced(monkeypatch)
    s = Store.open(db_path)
    _answer(s)
    s.close()
    assert synced == [f"{db_path.name}-wal"]
    assert review_count(db_path) == 1


def test_a_background_flush_covers_the_answer_and_the_next_flush_waits_for_it(db_path, monkeypatch):
    import threading

    import quiz.store as store_module

    seeded(db_path, answers=0)
    threads = []
    syncing, disk_done = threading.Event(), threading.Event()
    real = os.fsync

    def slow(fd):  # a slow disk, held until the test lets it finish
        threads.append(threading.current_thread().name)
        syncing.set()
        assert disk_done.wait(10)
        return real(fd)

    monkeypatch.setattr(store_module.os, "fsync", slow)
    with Store.open(db_path) as s:
        _answer(s)
        s.flush_soon()  # returns while the disk is still busy...
        assert syncing.wait(10) and s.unflushed
        disk_done.set()
        s.flush()  # ...and the next flush waits for that one instead of syncing again
        assert not s.unflushed and threads == ["quiz-flush"]


def test_an_answer_committed_while_a_flush_is_under_way_stays_unflushed(db_path, monkeypatch):
    seeded(db_path, answers=0)
    import quiz.store as store_module

    with Store.open(db_path) as s:
        _answer(s, "anatomy/c1")
        real = os.fsync

        def commit_meanwhile(fd):
            # The disk syncs what was written before; an answer committed now is not covered.
            monkeypatch.setattr(store_module.os, "fsync", real)
            s._commits += 1  # as _commit_unflushed does once the next answer's COMMIT returns
            return real(fd)

        monkeypatch.setattr(store_module.os, "fsync", commit_meanwhile)
        s.flush()
        assert s.unflushed  # the second answer still needs its own flush
        s.flush()
        assert not s.unflushed


def test_a_failed_flush_is_reported_in_one_line(db_path, monkeypatch):
    seeded(db_path, answers=0)
    import quiz.store as store_module

    def broken(fd):
        raise OSError(5, "Input/output error")

    with Store.open(db_path) as s:
        _answer(s)
        monkeypatch.setattr(store_module.os, "fsync", broken)
        with pytest.raises(StoreError, match=r"could not write .* to the disk: Input/output error"):
            s.flush()
        assert s.unflushed  # still owed: a later flush tries again
        s.flush_soon()  # in the background the error is kept for the caller's next flush
        s._flusher.stop()
        s._flusher = None
        with pytest.raises(StoreError, match="Input/output error"):
            s.flush()
        monkeypatch.undo()
        s.flush()
        assert not s.unflushed


def test_an_unexpected_error_in_the_background_flush_comes_back_as_one_line(db_path, monkeypatch):
    import quiz.store as store_module

    seeded(db_path, answers=0)

    import threading

    tried = threading.Event()

    def odd(fd):
        tried.set()
        raise ValueError("file descriptor cannot be a negative integer")

    with Store.open(db_path) as s:
        _answer(s)
        monkeypatch.setattr(store_module.os, "fsync", odd)
        s.flush_soon()
        assert tried.wait(10)
        s._flusher.stop()  # the background flush has finished
        s._flusher = None
        monkeypatch.undo()
        with pytest.raises(StoreError, match=r"could not write .* to the disk: file descriptor"):
            s.flush()  # reported here, on the caller's thread, as one line
        s.flush()  # and then tried again
        assert not s.unflushed


# ----------------------------------------------------------------- the disk, the folder, the lock file
def test_restore_onto_a_new_computer_creates_the_data_folder(db_path, tmp_path, monkeypatch):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backup(NOW, "manual")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-home"))  # no quiz folder there yet
    monkeypatch.delenv("QUIZ_DB", raising=False)
    result = cli("restore", "--yes", backup)
    assert result.exit_code == 0, result.output
    assert review_count(tmp_path / "new-home" / "quiz" / "quiz.db") == 3


def test_a_lock_file_that_cannot_be_made_gives_one_line(db_path, tmp_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backup(NOW, "manual")
    os.mkdir(f"{db_path}.lock")  # something in the way of the lock file
    result = cli("--db", db_path, "restore", "--yes", backup)
    assert result.exit_code == 1 and "cannot create the lock file" in result.output
    with pytest.raises(SessionBusy, match="cannot create the lock file"):
        SessionLock(tmp_path / "no-such-folder" / "quiz.db").acquire()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [["stats"], ["export", "-o", "-"], ["stats", "--json"]])
def test_standard_output_on_a_full_disk_gives_one_line(db_path, command):
    import subprocess
    import sys

    seeded(db_path)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "quiz", "--db", str(db_path), "--now", NOW.isoformat(), *command],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "space" in done.stderr or "full" in done.stderr


def test_a_backup_interrupted_by_ctrl_c_leaves_no_half_file(db_path, monkeypatch):
    import sqlite3 as sqlite

    import quiz.store as store_module

    seeded(db_path)

    class Interrupted(sqlite.Connection):
        def execute(self, *args):
            raise KeyboardInterrupt  # pressed while the copy was being finished

    real_connect = sqlite.connect
    with Store.open(db_path) as s:
        dest = db_path.parent / "copy.db"
        # The backup's own connection only (the store is open already).
        monkeypatch.setattr(store_module.sqlite3, "connect",
                            lambda *a, **k: real_connect(*a, factory=Interrupted, **k))
        with pytest.raises(KeyboardInterrupt):
            s.backup_to(dest)
    assert not dest.exists() and not (db_path.parent / "copy.db.partial").exists()
