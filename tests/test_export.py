"""`quiz export` and `quiz stats`: files that read back equal to the store, and every bad target refused cleanly."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import TODAY, make_deck
from test_stats import answer, at, build_history

from quiz import export
from quiz.cli import main
from quiz.models import Card, CardType, Deck
from quiz.store import Store

NOW_ARG = "2026-03-02T12:00"  # local wall time, so "today" is 2026-03-02 in any time zone


@pytest.fixture
def history_db(db_path):
    with Store.open(db_path) as s:
        build_history(s)
    return db_path


def run(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "--now", NOW_ARG, *args])


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def store_reviews(db_path) -> list[dict]:
    """The review log as the store holds it (with each card's deck), in log order."""
    with Store.open(db_path) as s:
        rows = s.conn.execute(
            "SELECT r.id, r.reviewed_at, r.study_day, c.deck_id, r.card_id, r.kind, r.quality, r.answer_ms,"
            " r.reps_after, r.easiness_after, r.interval_after, r.due_after, r.lapses_after"
            " FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id").fetchall()
    names = ("review_id", "reviewed_at", "study_day", "deck_id", "card_id", "kind", "grade", "answer_ms",
             "repetitions", "easiness", "interval_days", "due_on", "lapses")
    return [dict(zip(names, (*r[:9], r[9] / 100, *r[10:]))) for r in rows]


def as_text(row: dict) -> dict:
    """What a CSV cell holds for each value (None is an empty cell)."""
    return {k: "" if v is None else str(v) for k, v in row.items()}


# --------------------------------------------------------------------- round trips
def test_reviews_csv_reads_back_equal_to_the_review_log(history_db, tmp_path):
    out = tmp_path / "reviews.csv"
    result = run(history_db, "export", "--what", "reviews", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote reviews (csv) to {out}" in result.output
    expected = store_reviews(history_db)
    assert len(expected) == 18
    assert read_csv(out) == [as_text(r) for r in expected]


def test_reviews_json_reads_back_equal_to_the_review_log(history_db, tmp_path):
    out = tmp_path / "reviews.json"
    assert run(history_db, "export", "--format", "json", "--what", "reviews", "-o", str(out)).exit_code == 0
    doc = read_json(out)
    assert doc["schema_version"] == export.EXPORT_SCHEMA_VERSION and doc["what"] == "reviews"
    assert doc["generated_at"].startswith("2026-03-02T12:00:00")
    assert doc["columns"] == list(store_reviews(history_db)[0])
    assert doc["rows"] == store_reviews(history_db)


def test_the_review_export_keeps_utc_times_and_the_local_study_day(history_db, tmp_path):
    out = tmp_path / "reviews.csv"
    run(history_db, "export", "-o", str(out))
    boundary = next(r for r in read_csv(out) if r["card_id"] == "treatment/c1")
    # answered 04:30 local (UTC+1) on 02-28, before the 05:00 day start
    assert (boundary["reviewed_at"], boundary["study_day"]) == ("2026-02-28T03:30:00.000+00:00", "2026-02-27")
    drill = next(r for r in read_csv(out) if r["kind"] == "drill")
    assert (drill["card_id"], drill["grade"], drill["repetitions"]) == ("anatomy/c3", "4", "0")


def test_cards_export_has_every_card_with_its_state_and_schedule(history_db, tmp_path):
    out = tmp_path / "cards.json"
    assert run(history_db, "export", "--what", "cards", "-o", str(out)).exit_code == 0  # json from the name
    rows = {r["card_id"]: r for r in read_json(out)["rows"]}
    assert list(rows) == [f"anatomy/c{i}" for i in range(1, 7)] + [f"treatment/c{i}" for i in range(1, 5)]
    assert {k: r["state"] for k, r in rows.items()} == {
        "anatomy/c1": "mature", "anatomy/c2": "young", "anatomy/c3": "learning", "anatomy/c4": "suspended",
        "anatomy/c5": "new", "anatomy/c6": "retired", "treatment/c1": "learning", "treatment/c2": "learning",
        "treatment/c3": "new", "treatment/c4": "young"}
    with Store.open(history_db) as s:
        for card_id, row in rows.items():
            due = s.cards.get(card_id)
            st = due.state
            assert row == {
                "card_id": card_id, "deck_id": due.card.deck_id, "type": "basic", "prompt": due.card.prompt,
                "answer": due.card.answer, "state": row["state"], "repetitions": st.sm2.repetitions,
                "easiness": st.sm2.easiness, "interval_days": st.sm2.interval_days,
                "due_on": st.due_on.isoformat() if st.due_on else None, "lapses": st.lapses,
                "suspended": st.suspended, "retired": card_id == "anatomy/c6",
                "buried_until": st.buried_until.isoformat() if st.buried_until else None,
                "added_on": "2026-02-01",
            }


def test_cards_csv_and_json_hold_the_same_values(history_db, tmp_path):
    run(history_db, "export", "--what", "cards", "-o", str(tmp_path / "cards.csv"))
    run(history_db, "export", "--what", "cards", "-o", str(tmp_path / "cards.json"))
    from_json = read_json(tmp_path / "cards.json")["rows"]
    booleans = {True: "1", False: "0"}
    assert read_csv(tmp_path / "cards.csv") == [
        {k: booleans[v] if isinstance(v, bool) else "" if v is None else str(v) for k, v in r.items()}
        for r in from_json]


def test_daily_export_has_one_row_per_study_day(history_db, tmp_path):
    out = tmp_path / "daily.csv"
    assert run(history_db, "export", "--what", "daily", "-o", str(out)).exit_code == 0
    rows = read_csv(out)
    assert len(rows) == 11 and rows[0]["study_day"] == "2026-02-18" and rows[-1]["study_day"] == "2026-03-01"
    with Store.open(history_db) as s:
        for row in rows:
            t = s.log.day_totals(date.fromisoformat(row["study_day"]))
            assert row == as_text({"study_day": row["study_day"], "reviews": t.reviews, "new_cards": t.new_cards,
                                   "passed": t.passed, "drills": t.drills, "time_ms": t.time_ms,
                                   "learned_reviews": t.learned_reviews, "learned_passed": t.learned_passed,
                                   "retention": round(t.learned_passed / t.learned_reviews, 4)
                                   if t.learned_reviews else None})


def test_summary_export_lists_the_figures_in_long_form(history_db, tmp_path):
    run(history_db, "export", "--what", "summary", "-o", str(tmp_path / "summary.csv"))
    run(history_db, "export", "--what", "summary", "-o", str(tmp_path / "summary.json"))
    rows = read_csv(tmp_path / "summary.csv")
    assert list(rows[0]) == list(export.SUMMARY_COLUMNS)
    value = {(r["metric"], r["deck_id"], r["day"], r["card_id"]): r["value"] for r in rows}
    assert value[("cards.mature", "anatomy", "", "")] == "1"
    assert value[("mastery", "", "", "")] == "0.125"
    assert value[("mastery", "empty", "", "")] == ""
    assert value[("due.today", "", "", "")] == "3"
    assert value[("retention.last_7_days", "", "", "")] == "0.75"
    assert value[("streak.current", "", "", "")] == "5"
    assert value[("forecast.due", "", "2026-03-03", "")] == "1"
    assert value[("hardest.prompt", "anatomy", "", "anatomy/c3")] == "Question 3?"
    as_json = read_json(tmp_path / "summary.json")["rows"]
    assert len(as_json) == len(rows)
    assert {"metric": "mastery", "deck_id": "empty", "day": "", "card_id": "", "value": None} in as_json


@pytest.mark.parametrize("what", export.WHATS)
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_an_export_with_no_rows_is_still_a_valid_file(db_path, tmp_path, what, fmt):
    Store.open(db_path).close()
    out = tmp_path / f"out.{fmt}"
    assert run(db_path, "export", "--what", what, "--format", fmt, "-o", str(out)).exit_code == 0
    if fmt == "csv":
        text = out.read_bytes().decode("utf-8-sig")
        header = ",".join(export.SUMMARY_COLUMNS if what == "summary" else Store.open(db_path).exports.columns(what))
        if what == "summary":
            assert text.startswith(header + "\r\n")  # the figures exist even with no data
        else:
            assert text == header + "\r\n"
    else:
        doc = read_json(out)
        assert doc["what"] == what and isinstance(doc["rows"], list)
        if what != "summary":
            assert doc["rows"] == []


# --------------------------------------------------------------------- spreadsheets and deck text
def hostile_store(db_path) -> Store:
    """Decks whose text would run as a formula or break naive CSV, one with a '/' in its id."""
    texts = ['=HYPERLINK("http://example.com","x")', "+1", "-2 cm", "@SUM(A1)", "\tTabbed", "\rReturn",
             'comma, and "quotes"', "two\nlines", "ordinary ✓ ‘curly’ é"]
    cards = tuple(Card("=calc", f"k{i}", CardType.BASIC, text, text, "", "src") for i, text in enumerate(texts))
    s = Store.open(db_path)
    s.decks.sync(Deck("=calc", "=Title", "", {"src": "S"}, cards), today=TODAY)
    s.decks.sync(make_deck("a/b", 1), today=TODAY)
    for card in cards:
        answer(s, card.id, 2, at("2026-03-01"))  # failed, so each is among the hardest cards
    answer(s, "a/b/c1", 5, at("2026-03-01"))
    return s


def test_deck_text_that_would_start_a_formula_gets_a_leading_apostrophe_in_csv_only(db_path, tmp_path):
    hostile_store(db_path).close()
    run(db_path, "export", "--what", "cards", "-o", str(tmp_path / "cards.csv"))
    run(db_path, "export", "--what", "cards", "-o", str(tmp_path / "cards.json"))
    prompts = [r["prompt"] for r in read_csv(tmp_path / "cards.csv")]
    assert prompts[:6] == ["'=HYPERLINK(\"http://example.com\",\"x\")", "'+1", "'-2 cm", "'@SUM(A1)", "'\tTabbed",
                           "'\rReturn"]
    assert prompts[6:9] == ['comma, and "quotes"', "two\nlines", "ordinary ✓ ‘curly’ é"]
    assert read_csv(tmp_path / "cards.csv")[0]["card_id"] == "'=calc/k0"
    assert read_json(tmp_path / "cards.json")["rows"][0]["prompt"] == '=HYPERLINK("http://example.com","x")'


def test_the_summary_csv_guards_and_quotes_deck_text_too(db_path, tmp_path):
    hostile_store(db_path).close()
    run(db_path, "export", "--what", "summary", "-o", str(tmp_path / "summary.csv"))
    prompts = {r["card_id"]: r["value"] for r in read_csv(tmp_path / "summary.csv") if r["metric"] == "hardest.prompt"}
    assert prompts["'=calc/k0"] == "'=HYPERLINK(\"http://example.com\",\"x\")"
    assert prompts["'=calc/k7"] == "two\nlines" and prompts["'=calc/k5"] == "'\rReturn"
    assert {r["deck_id"] for r in read_csv(tmp_path / "summary.csv") if r["metric"] == "cards.new"} == {
        "", "'=calc", "a/b"}


@pytest.mark.parametrize("hostile_ids", [True, False], ids=["ids-need-care", "plain-ids"])
def test_csv_written_by_sqlite_matches_pythons_csv_module_byte_for_byte(db_path, hostile_ids):
    if hostile_ids:
        s = hostile_store(db_path)
    else:
        s = Store.open(db_path)
        build_history(s)
        s.decks.sync(make_deck("plain", 1, cards=(Card("plain", "c1", CardType.BASIC, '=1+1, "x"\n', "-a", "", "src"),)),
                    today=TODAY)
    for what in ("reviews", "cards", "daily"):
        rows = [json.loads(line) for line in s.exports.lines(what, "json", young_from=6, mature_from=21)]
        expected = io.StringIO()
        writer = csv.writer(expected, lineterminator="\r\n")
        deck_text = {"deck_id", "card_id", "prompt", "answer"}
        for row in rows:
            writer.writerow([export.guard_formula(v) if k in deck_text else int(v) if isinstance(v, bool) else v
                             for k, v in row.items()])
        got = "".join(line + "\r\n" for line in s.exports.lines(what, "csv", young_from=6, mature_from=21))
        assert got == expected.getvalue(), what
    s.close()


def test_the_deck_of_each_review_is_right_when_a_deck_id_holds_a_slash(db_path, tmp_path):
    hostile_store(db_path).close()
    run(db_path, "export", "-o", str(tmp_path / "reviews.json"))
    decks = {r["card_id"]: r["deck_id"] for r in read_json(tmp_path / "reviews.json")["rows"]}
    assert decks == {**{f"=calc/k{i}": "=calc" for i in range(9)}, "a/b/c1": "a/b"}


def test_a_csv_file_has_no_byte_order_mark_and_reads_cleanly_everywhere(history_db, tmp_path):
    import sqlite3

    assert run(history_db, "export", "-o", str(tmp_path / "r.csv")).exit_code == 0
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"review_id,")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:  # Python's csv module, as is
        assert next(csv.reader(fh))[0] == "review_id"
    conn = sqlite3.connect(":memory:")  # what the sqlite3 tool's .import and pandas read: the plain header
    conn.execute(f"CREATE TABLE t ({', '.join(next(csv.reader(io.StringIO(data.decode()))))})")
    assert next(r[1] for r in conn.execute("PRAGMA table_info(t)")) == "review_id"


def test_excel_asks_for_the_byte_order_mark_and_only_for_csv(history_db, tmp_path):
    assert run(history_db, "export", "--excel", "-o", str(tmp_path / "r.csv")).exit_code == 0
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfreview_id,")
    result = run(history_db, "export", "--excel", "-o", str(tmp_path / "r.json"))
    assert result.exit_code == 1 and "--excel is for CSV" in result.output
    assert not (tmp_path / "r.json").exists()


def test_a_file_name_that_does_not_fit_the_format_is_refused_not_written(history_db, tmp_path):
    for name, extra, words in [("progress.xlsx", [], "quiz writes CSV or JSON, not .xlsx"),
                               ("progress.csv", ["--format", "json"], "ends in .csv but --format is json"),
                               ("progress.json", ["--format", "csv"], "ends in .json but --format is csv")]:
        result = run(history_db, "export", *extra, "-o", str(tmp_path / name))
        assert result.exit_code == 1 and words in result.output, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1
        assert not (tmp_path / name).exists()
    assert run(history_db, "export", "-o", str(tmp_path / "progress")).exit_code == 0  # no ending: CSV
    assert (tmp_path / "progress").read_bytes().startswith(b"review_id,")


# --------------------------------------------------------------------- targets
def test_dash_writes_to_standard_output_without_a_byte_order_mark(history_db):
    result = run(history_db, "export", "--what", "daily", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith("study_day,reviews,")
    assert len(list(csv.DictReader(io.StringIO(result.output)))) == 11
    json_out = run(history_db, "export", "--what", "daily", "--format", "json", "-o", "-").output
    assert len(json.loads(json_out)["rows"]) == 11


def test_an_existing_file_is_not_overwritten_without_force(history_db, tmp_path):
    out = tmp_path / "reviews.csv"
    out.write_text("precious")
    result = run(history_db, "export", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.strip() == f"quiz: {out} already exists; add --force to replace it, or choose another file name"
    assert out.read_text() == "precious"
    assert run(history_db, "export", "-o", str(out), "--force").exit_code == 0
    assert len(read_csv(out)) == 18


@pytest.mark.parametrize("target, message", [
    (lambda tmp: tmp / "missing" / "out.csv", "does not exist"),
    (lambda tmp: tmp, "is a folder"),
])
def test_a_bad_target_gives_one_line_and_exit_1(history_db, tmp_path, target, message):
    result = run(history_db, "export", "-o", str(target(tmp_path)))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("quiz: ") and message in lines[0]


def test_an_unwritable_folder_is_refused(history_db, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root can write anywhere: the folder answers as it would to a patient
        real = os.access
        monkeypatch.setattr(export.os, "access",
                            lambda p, mode: False if os.fspath(p) == str(folder) else real(p, mode))
    try:
        result = run(history_db, "export", "-o", str(folder / "out.csv"))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1 and "not writable" in result.output


def test_permission_denied_while_creating_the_file_is_one_line(history_db, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(export, "Partial", refuse)  # the half-written file cannot be created
    result = run(history_db, "export", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 1
    assert result.output.strip() == f"quiz: cannot write {tmp_path / 'out.csv'}: permission denied; choose a folder you can write to"


def full_disk_after_a_few_lines(monkeypatch):
    def write_some_then_fail(fh, pieces):
        for n, piece in enumerate(pieces):
            fh.write(piece)
            if n == 3:
                raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "_write_all", write_some_then_fail)


def test_a_full_disk_leaves_no_file_behind(history_db, tmp_path, monkeypatch):
    full_disk_after_a_few_lines(monkeypatch)
    out = tmp_path / "exports" / "reviews.csv"
    out.parent.mkdir()
    result = run(history_db, "export", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.strip() == (f"quiz: the disk is full while writing {out}; nothing was written"
                                     " — free some space and try again")
    assert list(out.parent.iterdir()) == []


def test_a_full_disk_during_a_forced_export_keeps_the_old_file(history_db, tmp_path, monkeypatch):
    out = tmp_path / "reviews.csv"
    out.write_text("last week's export")
    full_disk_after_a_few_lines(monkeypatch)
    assert run(history_db, "export", "-o", str(out), "--force").exit_code == 1
    assert out.read_text() == "last week's export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_database_error_midway_leaves_no_file_behind(history_db, tmp_path, monkeypatch):
    from quiz.store import StoreError
    from quiz.store.exports import Exports

    def broken(self, *args, **kwargs):
        yield "1,2"
        raise StoreError(f"{history_db} is damaged (database disk image is malformed)")

    monkeypatch.setattr(Exports, "lines", broken)
    (tmp_path / "exports").mkdir()
    result = run(history_db, "export", "-o", str(tmp_path / "exports" / "out.csv"))
    assert result.exit_code == 1 and "is damaged" in result.output
    assert list((tmp_path / "exports").iterdir()) == []


def test_the_exported_file_gets_ordinary_permissions(history_db, tmp_path):
    out = tmp_path / "r.csv"
    run(history_db, "export", "-o", str(out))
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("option, bad, valid", [
    ("--format", "xlsx", ("csv", "json")),
    ("--what", "everything", ("reviews", "cards", "daily", "summary")),
])
def test_an_unknown_format_or_table_lists_the_valid_ones(history_db, tmp_path, option, bad, valid):
    result = run(history_db, "export", option, bad, "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert all(v in result.output for v in valid)
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------- quiz stats
def test_quiz_stats_prints_the_figures_as_aligned_tables(history_db):
    result = run(history_db, "stats")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Progress on Monday 2 March 2026 (study days start at 05:00)"
    cards = lines.index(next(line for line in lines if line.startswith("Cards ")))
    assert lines[cards].split() == ["Cards", "new", "learning", "young", "mature", "suspended", "retired", "mastery"]
    assert lines[cards + 1].split() == ["Anatomy", "1", "1", "1", "1", "1", "1", "25%"]
    assert lines[cards + 3].split() == ["Empty", "0", "0", "0", "0", "0", "0", "-"]
    assert lines[cards + 4].split() == ["All", "decks", "2", "3", "2", "1", "1", "1", "12%"]  # 1 of 8
    assert len({len(line) for line in lines[cards: cards + 5]}) == 1  # aligned
    assert any(line.split() == ["All", "decks", "3", "1", "4", "5"] for line in lines)  # due
    assert any(line.split() == ["last", "7", "days", "75%", "3", "4"] for line in lines)
    assert "Streak: 5 days in a row (not yet today); longest 6 days" in lines
    assert any("2.02" in line and "Question 3?" in line for line in lines)


def test_quiz_stats_json_has_a_schema_version_and_the_same_figures(history_db):
    result = run(history_db, "stats", "--json")
    tree = json.loads(result.output)
    assert tree["schema_version"] == 2
    assert tree["due"] == {"today": 3, "tomorrow": 1, "next_7_days": 4, "next_30_days": 5}
    assert tree["streak"]["current"] == 5


def test_quiz_stats_on_a_new_database_says_there_are_no_reviews_yet(db_path):
    result = run(db_path, "stats")
    assert result.exit_code == 0
    assert "No reviews yet" in result.output and "Traceback" not in result.output


def test_quiz_stats_shows_deck_text_as_plain_text(db_path):
    evil = "[bold red]Spine[/] \x1b[31m$x"
    with Store.open(db_path) as s:
        s.decks.sync(make_deck("evil", 1, title=evil), today=TODAY)
        s.decks.sync(make_deck("evil", 1, title=evil, cards=(Card("evil", "c1", CardType.BASIC, evil + "?", "a",
                                                                   "", "src"),)), today=TODAY)
        answer(s, "evil/c1", 0, at("2026-03-01"))
    out = run(db_path, "stats").output
    assert "\x1b" not in out
    assert "[bold red]Spine[/] [31m$x" in out


def test_quiz_stats_does_not_change_the_database(history_db):
    before = history_db.read_bytes()
    assert run(history_db, "stats").exit_code == 0
    assert run(history_db, "export", "-o", "-").exit_code == 0
    assert history_db.read_bytes() == before


def test_the_real_command_refuses_an_existing_file_with_one_line_on_stderr(history_db, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "reviews.csv"
    out.write_text("keep me")
    proc = subprocess.run([sys.executable, "-m", "quiz", "--db", str(history_db), "--now", NOW_ARG, "export",
                           "-o", str(out)], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [f"quiz: {out} already exists; add --force to replace it, or choose another file name"]
    assert out.read_text() == "keep me"


# ----------------------------------------------------------------- what --force may replace
def test_force_never_replaces_a_symlink_or_the_file_it_points_at(history_db, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("precious")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = run(history_db, "export", "-o", str(link), "--force")
    assert result.exit_code == 1
    assert "symbolic link" in result.output and len(result.output.strip().splitlines()) == 1
    assert link.is_symlink() and real.read_text() == "precious"


def test_force_writes_through_a_device_instead_of_replacing_it(history_db, tmp_path):
    link = tmp_path / "null.csv"
    link.symlink_to(os.devnull)
    result = run(history_db, "export", "-o", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert not os.path.isfile(os.devnull)  # still the device


def test_a_pipe_with_no_reader_is_refused_at_once_and_kept(history_db, tmp_path):
    import stat
    import subprocess
    import sys

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "quiz", "--db", str(history_db), "--now", NOW_ARG, "export", "-o",
                           str(fifo), "--force"], capture_output=True, text=True, timeout=20)
    assert proc.returncode == 1 and "pipe" in proc.stderr and "Traceback" not in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_pipe_with_a_reader_gets_the_export_written_through(history_db, tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received = []
    reader_ready = threading.Event()

    def read():
        reader_ready.set()
        with open(fifo, encoding="utf-8-sig") as fh:
            received.append(fh.read())

    reader = threading.Thread(target=read)
    reader.start()
    reader_ready.wait()
    for _ in range(200):  # the reader's open() blocks until a writer comes; give it the pipe first
        result = run(history_db, "export", "-o", str(fifo), "--force")
        if result.exit_code == 0:
            break
    reader.join(timeout=20)
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(received[0])))) == 18
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_an_empty_output_name_is_called_empty_not_a_folder(history_db):
    result = run(history_db, "export", "-o", "")
    assert result.exit_code != 0
    assert "folder" not in result.output and "empty" in result.output


def test_dash_to_a_terminal_escapes_control_characters(db_path):
    import pty
    import subprocess
    import sys

    with Store.open(db_path) as s:
        s.decks.sync(make_deck(cards=(Card("anatomy", "c1", CardType.BASIC, "Red \x1b[31malert\x07 \x1b]0;pwned\x07",
                                           "A", "E", "src"),)), today=TODAY)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quiz", "--db", str(db_path), "--now", NOW_ARG, "export", "--what",
                             "cards", "-o", "-"], stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == 0
    assert b"\x1b" not in out and b"\x07" not in out
    assert b"\\x1b[31malert\\x07" in out
