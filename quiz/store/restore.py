"""A restore file read as data, never adopted: its recognised rows, each value checked, copied into a fresh database."""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NamedTuple

import quiz.store.schema as schema
from quiz.models import CardType, ReviewKind
from quiz.sm2 import MIN_EASINESS_CENTI
from quiz.store.core import SETTING_LIMITS
from quiz.store.errors import StoreCorrupt, StoreError
from quiz.store.files import check_existing_file
from quiz.store.log import DAY_TOTALS_COLUMNS, DAY_TOTALS_FROM_LOG
from quiz.text import escape_controls, plural

Check = Callable[[Any], str | None]  # a problem with the value in words, or None when it is fine

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BIG = 10**9


def _text(value: Any, *, empty: bool = True) -> str | None:
    if not isinstance(value, str):
        return "is not text"
    if not empty and not value:
        return "is empty"
    return "is too long" if len(value) > 1_000_000 else None


def _key(value: Any) -> str | None:
    return _text(value, empty=False)


def _int(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, int):
            return "is not a whole number"
        return None if low <= value <= high else f"is outside {low}..{high}"
    return check


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return "is not a date (YYYY-MM-DD)"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "is not a date that exists"
    return None


def _moment(value: Any) -> str | None:
    if not isinstance(value, str) or not _DAY.match(value):
        return "is not a date and time"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return "is not a date and time"
    return None


def _or_null(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def _one_of(*allowed: str) -> Check:
    return lambda value: None if value in allowed else f"is not one of {', '.join(allowed)}"


def _json(kind: type) -> Check:
    def check(value: Any) -> str | None:
        try:
            parsed = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if kind is dict and isinstance(parsed, dict):
            items = list(parsed.values())
        elif kind is list and isinstance(parsed, list):
            items = parsed
        else:
            return f"is not a JSON {'object' if kind is dict else 'list'}"
        return None if all(isinstance(i, str) for i in items) else "holds something that is not text"
    return check


_FLAG = _int(0, 1)
_COUNT = _int(0, _BIG)
_EASINESS = _int(MIN_EASINESS_CENTI, 100_000)
_INTERVAL = _int(0, 100_000)

#: The tables a restore copies, each column with its check, in the schema's order. Nothing else in the
#: file (other tables, views, triggers, indexes, constraints, page size) comes along.
TABLES: dict[str, tuple[tuple[str, Check], ...]] = {
    "decks": (("id", _key), ("title", _text), ("description", _text), ("sources", _json(dict)),
              ("reminder", _text), ("origin", _text), ("content_hash", _text), ("position", _COUNT),
              ("imported_at", _day)),
    "cards": (("id", _key), ("deck_id", _key), ("card_key", _key), ("gap", _or_null(_int(1, _BIG))),
              ("type", _one_of(*(t.value for t in CardType))), ("prompt", _text), ("answer", _text),
              ("choices", _json(list)), ("tags", _json(list)), ("source", _text), ("explanation", _text),
              ("position", _COUNT), ("content_hash", _text), ("retired", _FLAG), ("added_on", _day)),
    "card_state": (("card_id", _key), ("repetitions", _COUNT), ("easiness_centi", _EASINESS),
                   ("interval_days", _INTERVAL), ("due_on", _or_null(_day)), ("lapses", _COUNT),
                   ("suspended", _FLAG), ("buried_until", _or_null(_day))),
    "reviews": (("id", _int(1, 2**62)), ("card_id", _key), ("reviewed_at", _moment), ("study_day", _day),
                ("quality", _int(0, 5)), ("kind", _one_of(*(k.value for k in ReviewKind))),
                ("answer_ms", _int(0, 10**10)), ("reps_before", _COUNT), ("easiness_before", _EASINESS),
                ("interval_before", _INTERVAL), ("due_before", _or_null(_day)), ("lapses_before", _COUNT),
                ("reps_after", _COUNT), ("easiness_after", _EASINESS), ("interval_after", _INTERVAL),
                ("due_after", _or_null(_day)), ("lapses_after", _COUNT)),
    "settings": (("key", _key), ("value", _text)),
}


class RestoreSummary(NamedTuple):
    decks: int
    cards: int
    reviews: int
    last_study_day: date | None


class Refused(StoreError):
    """The file cannot be restored; `str()` names the file (and the table, row and value at fault).

    Not a StoreCorrupt: the database in use is sound, so no hint about its own backups is added."""


@contextmanager
def fresh_copy(source: str | os.PathLike[str], *, page_size: int = 4096) -> Iterator[tuple[str, RestoreSummary]]:
    """Build a fresh database (quiz's own migrations) from the rows of `source` it recognises, every value
    checked; yields its path (a private temporary file, removed afterwards) and what it holds.

    `source` itself is only read, from a private copy (so a file on a read-only disk, with its
    write-ahead log beside it, restores whole). Raises Refused/StoreError with one line otherwise.
    """
    source = os.fspath(source)
    if os.path.isdir(source):
        raise StoreError(f"{source} is a folder, not a backup file; choose a file (see `quiz backups`)")
    if not os.path.exists(source):
        raise StoreError(f"{source} does not exist; choose a backup file (see `quiz backups`)")
    try:
        check_existing_file(source, need_write=False)
    except StoreCorrupt as err:
        what = str(err).split(";")[0]  # what the file is, without the advice meant for a database in use
        raise Refused(f"{what}; choose a backup (see `quiz backups`)") from None
    with tempfile.TemporaryDirectory(prefix="quiz-restore-") as work:
        copy = os.path.join(work, "source.db")
        try:
            for suffix in ("", "-wal", "-journal"):
                if suffix == "" or os.path.isfile(source + suffix):
                    shutil.copyfile(source + suffix, copy + suffix)
        except OSError as err:
            raise StoreError(f"cannot read {source}: {err.strerror or err}") from None
        fresh = os.path.join(work, "fresh.db")
        summary = _rebuild(source, copy, fresh, page_size)
        yield fresh, summary


def _rebuild(shown: str, copy: str, fresh: str, page_size: int) -> RestoreSummary:
    src = sqlite3.connect(copy, isolation_level=None)
    out = sqlite3.connect(fresh, isolation_level=None)
    try:
        try:
            src.execute("PRAGMA trusted_schema = OFF")  # no function of the file's own schema runs here
            src.execute("PRAGMA query_only = ON")
            version = schema.user_version(src)
            if version == 0:
                raise Refused(f"{shown} is an SQLite database but not a quiz database; choose a backup (see `quiz backups`)")
            if version > schema.SCHEMA_VERSION:
                raise StoreError(f"{shown} was written by a newer version of quiz (schema {version}); upgrade quiz first")
            problems = [r[0] for r in src.execute("PRAGMA quick_check(1)")]
            if problems != ["ok"]:
                raise Refused(f"{shown} is damaged ({' '.join(problems[0].split())}); choose another backup")
            marks = ",".join("?" * len(TABLES))
            kinds = dict(src.execute(f"SELECT name, type FROM sqlite_master WHERE name IN ({marks})",
                                     tuple(TABLES)).fetchall())
        except sqlite3.Error as err:
            raise Refused(f"{shown} cannot be read as a quiz database ({err}); choose another backup") from None
        try:
            out.execute(f"PRAGMA page_size = {int(page_size)}")
            out.execute("PRAGMA synchronous = OFF")  # a private file: the restore itself is synced into the database
            schema.migrate(out)
            out.execute("BEGIN")
            for table, columns in TABLES.items():
                if kinds.get(table) != "table":
                    what = f"its {table} is a {kinds[table]}, not a table" if table in kinds else f"it has no {table} table"
                    raise Refused(f"{shown} cannot be restored: {what}; choose another backup (see `quiz backups`)")
                _copy_table(shown, src, out, table, columns)
            # The daily totals are derived from the log: rebuilt, never copied (a backup's own may be
            # older than this quiz's columns, or disagree with its log).
            out.execute(f"INSERT INTO day_totals ({DAY_TOTALS_COLUMNS}) " + DAY_TOTALS_FROM_LOG)
            out.execute("COMMIT")
            broken = out.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise Refused(f"{shown} cannot be restored: {plural(len(broken), 'row')} of {table} (row {rowid} first) "
                              f"point at {parent} it does not hold; choose another backup")
            decks, cards, reviews, last = out.execute(
                "SELECT (SELECT COUNT(*) FROM decks), (SELECT COUNT(*) FROM cards), (SELECT COUNT(*) FROM reviews),"
                " (SELECT MAX(study_day) FROM reviews)").fetchone()
        except sqlite3.IntegrityError as err:
            raise Refused(f"{shown} cannot be restored: two rows are the same where quiz needs one ({err}); "
                          "choose another backup") from None
        except sqlite3.Error as err:
            raise Refused(f"{shown} cannot be restored ({err}); choose another backup") from None
        return RestoreSummary(decks, cards, reviews, date.fromisoformat(last) if last else None)
    finally:
        src.close()
        out.close()


def _copy_table(shown: str, src: sqlite3.Connection, out: sqlite3.Connection, table: str,
                columns: tuple[tuple[str, Check], ...]) -> None:
    present = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
    missing = [name for name, _ in columns if name not in present]
    if missing:
        raise Refused(f"{shown} cannot be restored: its {table} table has no {', '.join(missing)} column; "
                      "choose another backup (see `quiz backups`)")
    names = ", ".join(f'"{name}"' for name, _ in columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    rows = src.execute(f'SELECT {names} FROM "{table}"')
    batch: list[tuple] = []
    for number, row in enumerate(rows, start=1):
        for (name, check), value in zip(columns, row):
            problem = check(value)
            if problem:
                raise Refused(_value_message(shown, table, number, name, value, problem))
        if table == "settings" and not _setting_ok(shown, number, row):
            continue
        batch.append(row)
        if len(batch) >= 5000:
            out.executemany(insert, batch)
            batch.clear()
    out.executemany(insert, batch)


def _setting_ok(shown: str, number: int, row: tuple) -> bool:
    """Known settings must be in range; free-form flags are kept; anything else is left behind."""
    key, value = row
    if key.startswith("flag:"):
        return True
    if key not in SETTING_LIMITS:
        return False
    low, high = SETTING_LIMITS[key]
    if not re.fullmatch(r"\d{1,6}", value) or not low <= int(value) <= high:
        raise Refused(_value_message(shown, "settings", number, key, value, f"is not a whole number {low}..{high}"))
    return True


def _value_message(shown: str, table: str, number: int, column: str, value: Any, problem: str) -> str:
    text = repr(value)
    text = text if len(text) <= 40 else text[:39] + "…"
    return (f"{shown} cannot be restored: {table} row {number}, {column} = {escape_controls(text)} {problem}; "
            "choose another backup (see `quiz backups`)")
