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
from quiz.store import Store, StoreError, inspect_file


def cli(*args):
    result = CliRunner().invoke(main, ["--now", NOW.isoformat(), *map(str, args)])
    # Errors a user can cause end as a clean exit, never an exception escaping the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def seeded(db_path, answers=3):
    with Store.open(db_path) as s:
        s.decks.sync(make_deck(n=5), today=TODAY)
        for i in range(1, answers + 1):
            s.log.record(f"anatomy/c{i}", Grade.PAUSE, kind=ReviewKind.REVIEW, reviewed_at=NOW,
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
    holder.log.record("anatomy/c4", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                         answer_ms=1)
    result = cli("--db", db_path, "backup")
    holder.close()
    assert result.exit_code == 0, result.output
    (backup,) = list_backups(db_path)
    assert backup.reason == "manual"
    assert review_count(backup.path) == 4
    assert not os.path.exists(f"{backup.path}-wal")
    assert inspect_file(backup.path).reviews == 4


def test_only_the_newest_seven_backups_are_kept(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        for minute in range(10):
            s.backups.take(NOW + timedelta(minutes=minute), "manual")
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
    from quiz.store import schema

    seeded(db_path)

    def add_column(conn):
        conn.execute("ALTER TABLE decks ADD COLUMN colour TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, ("9999_test_only", add_column)))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with Store.open(db_path, now=NOW) as s:
        assert "colour" in {c[1] for c in s.conn.execute("PRAGMA table_info(decks)")}
    (backup,) = list_backups(db_path)
    assert backup.reason == "pre-migration"
    conn = sqlite3.connect(backup.path)
    assert "colour" not in {c[1] for c in conn.execute("PRAGMA table_info(decks)")}
    conn.close()


def backup_then_answer(db_path):
    """Two answers, a backup of them, then a third answer; returns the backup."""
    seeded(db_path, answers=2)
    with Store.open(db_path) as s:
        good = s.backups.take(NOW, "manual")
        s.log.record("anatomy/c5", Grade.NO_IDEA, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
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
        good = s.backups.take(NOW, "manual")
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
        assert s.checks.consistency_problems() == []
        right = s.log.day_totals(TODAY)
    conn = sqlite3.connect(db_path)
    conn.execute(f"UPDATE day_totals SET {column} = 99")  # retention and new-card figures read these
    conn.commit()
    conn.close()
    result = cli("--db", db_path, "check")
    assert result.exit_code == 1 and "daily totals disagree" in result.output and "--repair" in result.output
    result = cli("--db", db_path, "check", "--repair")
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as s:
        assert s.log.day_totals(TODAY) == right and s.log.day_totals(TODAY).reviews == 3


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
        if args == ["check"] and "[FAIL] file integrity" in result.output:  # the check's own report
            assert lines[-1].startswith("  - the file is damaged — fix: restore a backup"), result.output
        else:
            assert lines and lines[-1].startswith("quiz: "), (kind, args, result.output)
        assert path.read_bytes() == before, (kind, args)


def test_the_error_for_a_damaged_database_points_at_the_latest_backup(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backups.take(NOW - timedelta(days=1), "daily")
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
        s.decks.sync(big, today=TODAY)
    with pytest.raises(StoreError, match="full"):
        for i in range(2000):
            s.log.record("anatomy/c4", Grade.PAUSE, kind=ReviewKind.DRILL, reviewed_at=NOW, study_day=TODAY,
                            answer_ms=10**6 + i)
    s.close()
    with Store.open(db_path) as s:
        assert "big" not in s.decks.ids()
        rows = s.conn.execute("SELECT COUNT(*), SUM(kind = 'drill') FROM reviews").fetchone()
        assert rows[1] > 0 and s.log.day_totals(TODAY).drills == rows[1]  # every acknowledged drill is whole
        assert s.checks.integrity_problems() == []


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
        (a if i % 2 else b).log.record(f"anatomy/c{i % 5 + 1}", Grade.PAUSE, kind=ReviewKind.DRILL,
                                          reviewed_at=NOW, study_day=TODAY, answer_ms=1)
    a.close()
    b.close()
    assert review_count(db_path) == 50


def test_a_damaged_database_is_not_backed_up_over_good_backups(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        s.backups.take(NOW - timedelta(days=1), "daily")
    _damage_pages(db_path)
    result = cli("--db", db_path, "backup")
    assert result.exit_code == 1 and "damaged" in result.output
    assert [b.reason for b in list_backups(db_path)] == ["daily"]


def test_restore_over_a_database_with_damaged_pages_moves_it_aside(db_path, tmp_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        good = s.backups.take(NOW, "manual")
    _damage_pages(db_path)
    result = cli("--db", db_path, "restore", "--yes", good)
    assert result.exit_code == 0, result.output
    assert review_count(db_path) == 3
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())


# ----------------------------------------------------------------- answers on the disk
def test_an_answer_is_committed_with_a_full_sync_before_the_call_returns(db_path):
    import threading

    seeded(db_path, answers=0)
    threads = threading.active_count()
    with Store.open(db_path) as s:
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: the log is fsync'd in every commit
        s.log.record("anatomy/c1", Grade.PAUSE, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                     answer_ms=1000)
        assert review_count(db_path) == 1  # another connection sees it: committed, not pending
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert threading.active_count() == threads  # no background thread owes the disk anything


# ----------------------------------------------------------------- the disk, the folder, the lock file
def test_restore_onto_a_new_computer_creates_the_data_folder(db_path, tmp_path, monkeypatch):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backups.take(NOW, "manual")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-home"))  # no quiz folder there yet
    monkeypatch.delenv("QUIZ_DB", raising=False)
    result = cli("restore", "--yes", backup)
    assert result.exit_code == 0, result.output
    assert review_count(tmp_path / "new-home" / "quiz" / "quiz.db") == 3


def test_a_lock_file_that_cannot_be_made_gives_one_line(db_path, tmp_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        backup = s.backups.take(NOW, "manual")
    os.mkdir(SessionLock(db_path).path)  # something in the way of the lock file
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

    import quiz.store.backups as store_module

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
            s.backups.copy_to(dest)
    assert not dest.exists() and not (db_path.parent / "copy.db.partial").exists()


# ----------------------------------------------------------------- backups whatever the clock says
def future_backups(db_path, n=7, days_ahead=30):
    """Backups taken while the computer's clock was `days_ahead` days ahead."""
    with Store.open(db_path) as s:
        return [s.backups.take(NOW + timedelta(days=days_ahead, minutes=m), "manual") for m in range(n)]


def test_a_backup_taken_after_the_clock_went_back_is_kept_and_is_the_newest(db_path):
    seeded(db_path)
    future_backups(db_path)
    result = cli("--db", db_path, "backup")
    assert result.exit_code == 0, result.output
    printed = result.output.split("Backed up to ")[1].strip()
    assert os.path.exists(printed)
    assert str(list_backups(db_path)[-1].path) == printed  # the newest is the one just taken
    assert len(list_backups(db_path)) == 7


def test_the_daily_backup_is_taken_when_the_newest_backup_is_dated_in_the_future(db_path):
    seeded(db_path)
    future_backups(db_path, n=1, days_ahead=10)
    assert daily_backup_due(db_path, NOW.date())
    cli("--db", db_path, "review")
    cli("--db", db_path, "review")
    assert [b.reason for b in list_backups(db_path)] == ["manual", "daily"]
    assert not daily_backup_due(db_path, NOW.date())


def test_rotation_keeps_the_newest_pre_restore_pre_import_and_pre_repair_backups(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        for reason in ("pre-restore", "pre-import", "pre-repair"):
            s.backups.take(NOW - timedelta(days=1), reason)
        for minute in range(12):
            s.backups.take(NOW + timedelta(minutes=minute), "daily")
    reasons = [b.reason for b in list_backups(db_path)]
    assert reasons[:3] == ["pre-restore", "pre-import", "pre-repair"]
    assert reasons[3:] == ["daily"] * 7


def test_backups_are_ordered_by_when_they_were_taken_not_by_the_date_in_their_name(db_path):
    seeded(db_path)
    with Store.open(db_path) as s:
        first = s.backups.take(NOW, "manual")
        second = s.backups.take(NOW - timedelta(days=3), "manual")  # the clock went back
        third = s.backups.take(NOW - timedelta(days=3), "manual")  # same second
    assert [b.path for b in list_backups(db_path)] == [first, second, third]


# ----------------------------------------------------------------- one session per real file
def test_a_symlink_to_the_database_cannot_open_a_second_session(db_path, tmp_path):
    seeded(db_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "link.db").symlink_to(db_path)
    with SessionLock(db_path), pytest.raises(SessionBusy, match="already open"):
        SessionLock(other / "link.db").acquire()


def test_a_hard_link_to_the_database_cannot_open_a_second_session(db_path, tmp_path):
    seeded(db_path)
    os.link(db_path, tmp_path / "copy-that-is-not.db")
    with SessionLock(tmp_path / "copy-that-is-not.db"), pytest.raises(SessionBusy, match="already open"):
        SessionLock(db_path).acquire()


def test_a_symlink_planted_where_the_lock_file_goes_is_never_followed(db_path, tmp_path):
    seeded(db_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock = SessionLock(db_path)
    os.symlink(victim, lock.path)
    with pytest.raises(SessionBusy, match="symbolic link"):
        lock.acquire()
    assert victim.read_text() == "precious"
    assert os.path.islink(lock.path)


# ----------------------------------------------------------------- check --repair
def _wrong_totals(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE day_totals SET reviews = reviews + 5")
    conn.commit()
    conn.close()


def _day_totals(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM day_totals ORDER BY study_day").fetchall()
    finally:
        conn.close()


def test_repair_takes_a_backup_before_it_changes_anything(db_path):
    seeded(db_path)
    _wrong_totals(db_path)
    wrong = _day_totals(db_path)
    result = cli("--db", db_path, "check", "--repair")
    assert result.exit_code == 0, result.output
    (backup,) = list_backups(db_path)
    assert backup.reason == "pre-repair" and str(backup.path) in result.output
    assert _day_totals(backup.path) == wrong  # the state before the repair, kept
    assert _day_totals(db_path) != wrong


def test_repair_refuses_to_rebuild_the_totals_from_a_log_it_calls_damaged(db_path):
    seeded(db_path)
    _wrong_totals(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE reviews SET card_id = 'ghost/x' WHERE id = 1")  # the log now names a card that is not there
    conn.commit()
    conn.close()
    before = _day_totals(db_path)
    result = cli("--db", db_path, "check", "--repair")
    assert result.exit_code == 1
    assert "belong to no card" in result.output and "not repaired" in result.output
    assert _day_totals(db_path) == before
