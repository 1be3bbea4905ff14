"""CSV and JSON exports of the review log, the cards, the per-day summary and the figures, streamed."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO

from quiz import stats as figures
from quiz.errors import QuizError
from quiz.store import CSV_FORMULA_STARTS, Store
from quiz.store.files import Partial, describe_kind
from quiz.text import escape_controls

#: Bumped when a column changes meaning or goes away (adding a column does not).
#: 2: the daily table's retention counts reviews of cards already learned only.
EXPORT_SCHEMA_VERSION = 2
FORMATS = ("csv", "json")
WHATS = ("reviews", "cards", "daily", "summary")
SUMMARY_COLUMNS = ("metric", "deck_id", "day", "card_id", "value")
_BUFFER = 1 << 20


class ExportError(QuizError):
    """An export a user asked for cannot be written; `str()` is one clear line for them."""


def columns(store: Store, what: str) -> tuple[str, ...]:
    """The column names of an export, in file order."""
    return SUMMARY_COLUMNS if what == "summary" else store.exports.columns(what)


def chunks(store: Store, what: str, fmt: str, *, today: date, generated_at: datetime) -> Iterator[str]:
    """The whole export as text pieces, header first, streamed row by row from the store.

    CSV: a header row, then one record per row, CRLF line endings (RFC 4180). JSON: one object with
    `schema_version`, `what`, `generated_at`, `columns` and `rows` (a list of objects), one row per
    line. An export with no rows is still a complete file.
    """
    if what not in WHATS:
        raise ValueError(f"unknown export {what!r}; one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    names = columns(store, what)
    if what == "summary":
        lines = _summary_lines(figures.compute(store, today), fmt)
    else:
        lines = store.exports.lines(what, fmt, young_from=figures.YOUNG_FROM_DAYS,
                                   mature_from=figures.MATURE_FROM_DAYS)
    if fmt == "csv":
        yield ",".join(names) + "\r\n"
        for line in lines:
            yield line + "\r\n"
        return
    head = {"schema_version": EXPORT_SCHEMA_VERSION, "what": what,
            "generated_at": generated_at.isoformat(timespec="seconds"), "columns": list(names)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    separator = "\n"
    for line in lines:
        yield separator + line
        separator = ",\n"
    yield "\n]}\n"


def write(store: Store, what: str, fmt: str, output: str, *, today: date, generated_at: datetime,
          force: bool = False, excel: bool = False, stdout: IO[str] | None = None) -> None:
    """Write an export to the file `output`, or to `stdout` when `output` is "-".

    A file is written to a temporary name in the same folder and renamed when complete, so it is
    either whole or absent; an existing file is replaced only with `force`. Plain UTF-8 with no
    byte-order mark (what Python's csv module, pandas, sqlite-utils and the sqlite3 tool expect);
    `excel` starts a CSV file with one, so Excel reads accents correctly (standard output gets none).
    Raises ExportError (one line) for a bad path, an existing file, a full disk or no permission.
    """
    pieces = chunks(store, what, fmt, today=today, generated_at=generated_at)
    if output == "-":
        _write_stream(stdout, pieces)
    else:
        write_file(output, pieces, force=force, bom=excel and fmt == "csv")


#: File name endings each format is written under; any other ending is refused (never a CSV
#: silently written as `progress.xlsx`). A name with no ending, a device or a pipe takes any format.
EXTENSIONS = {"csv": (".csv",), "json": (".json",)}


def format_for(output: str, fmt: str | None) -> str:
    """The format to write `output` in: `fmt`, or the one its ending names (CSV for a name with none).

    Raises ExportError when the ending names another format, or none that quiz writes."""
    ending = os.path.splitext(output)[1].lower() if output != "-" and not _through(os.path.abspath(output)) else ""
    named = next((f for f, endings in EXTENSIONS.items() if ending in endings), None)
    if ending and named is None:
        raise ExportError(f"{output}: quiz writes CSV or JSON, not {ending}; name the file .csv (a spreadsheet "
                          "opens it; add --excel for Excel) or .json")
    if fmt is not None and named is not None and named != fmt:
        raise ExportError(f"{output} ends in {ending} but --format is {fmt}; name the file .{fmt} or drop --format")
    return fmt or named or "csv"


def check_target(output: str, *, force: bool) -> None:
    """Refuse early (ExportError) a target that cannot or must not be written, before any work.

    A new name or a regular file (with `force`) is written whole and renamed into place. A device or
    a named pipe is written through, never replaced; a symbolic link is never replaced nor followed to
    a file (a link to a device, such as /dev/stdout, is written through).
    """
    if output == "-":
        return
    if not output:
        raise ExportError("the output file name is empty; give -o a file name such as export.csv, or - for standard output")
    target = os.path.abspath(output)
    folder = os.path.dirname(target)
    try:
        found = os.lstat(target)
    except OSError:
        found = None
    if found is not None:
        if stat.S_ISLNK(found.st_mode):
            if _through(target):
                return
            raise ExportError(f"{output} is a symbolic link (to {os.readlink(target)}); quiz never replaces a link or "
                              "writes through it to a file: give the file's own path, or another name")
        if stat.S_ISDIR(found.st_mode):
            raise ExportError(f"{output} is a folder; give a file name such as {os.path.join(output, 'export.csv')}")
        if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
            return
        if not stat.S_ISREG(found.st_mode):
            raise ExportError(f"{output} is {describe_kind(found.st_mode)}; export to a regular file")
        if not force:
            raise ExportError(f"{output} already exists; add --force to replace it, or choose another file name")
    if not os.path.isdir(folder):
        raise ExportError(f"cannot write {output}: the folder {folder} does not exist; create it or choose another path")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {output}: the folder {folder} is not writable; choose another path")


def _through(target: str) -> bool:
    """True for what is written through rather than replaced: a character device or a named pipe."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def guard_formula(text: str) -> str:
    """Deck text for a spreadsheet cell: a leading apostrophe when it would start a formula."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


# --------------------------------------------------------------------- writing
def _write_all(fh: IO[str], pieces: Iterable[str]) -> None:
    fh.writelines(pieces)


def write_file(output: str, pieces: Iterator[str], *, force: bool, bom: bool) -> None:
    check_target(output, force=force)
    target = os.path.abspath(output)
    encoding = "utf-8-sig" if bom else "utf-8"
    if _through(target):
        _write_through(output, pieces, encoding)
        return
    try:
        part = Partial(target)  # also removes what a killed export of this file left
    except OSError as err:
        raise ExportError(_os_message(err, output)) from None
    try:
        with open(os.dup(part.fd), "w", encoding=encoding, newline="", buffering=_BUFFER) as fh:
            _write_all(fh, pieces)
            fh.flush()
            os.fsync(fh.fileno())
        # The partial is private (0600) while written; give it the permissions any new file would get.
        os.fchmod(part.fd, 0o666 & ~_umask())
        if not force and os.path.lexists(target):
            raise ExportError(f"{output} appeared while exporting; add --force to replace it, or choose another file name")
        if os.path.islink(target) or (os.path.lexists(target) and not os.path.isfile(target)):
            raise ExportError(f"{output} was replaced by something that is not a regular file while exporting; "
                              "nothing was written")
        part.replace_into_place()
    except OSError as err:
        raise ExportError(_os_message(err, output)) from None
    finally:
        part.discard()


def _write_through(output: str, pieces: Iterator[str], encoding: str) -> None:
    """Write to a device or named pipe as it is (never replaced); a pipe nobody reads is refused at once."""
    try:
        fd = os.open(os.path.abspath(output), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as err:
        if err.errno == errno.ENXIO:
            raise ExportError(f"{output} is a named pipe that no program is reading; start the reader first, "
                              "or choose a file") from None
        raise ExportError(_os_message(err, output)) from None
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # changed since it was checked
        os.close(fd)
        raise ExportError(f"{output} changed while exporting; nothing was written")
    os.set_blocking(fd, True)
    if os.isatty(fd):
        pieces = map(_for_terminal, pieces)
    try:
        with open(fd, "w", encoding=encoding, newline="", buffering=_BUFFER) as fh:
            _write_all(fh, pieces)
    except BrokenPipeError:
        raise ExportError(f"the program reading {output} stopped before the export was complete") from None
    except OSError as err:
        raise ExportError(_os_message(err, output)) from None


def _for_terminal(piece: str) -> str:
    """Text for a terminal: each line's control characters escaped (an escape sequence in a card is shown, not obeyed)."""
    return "\n".join(escape_controls(line) for line in piece.replace("\r\n", "\n").split("\n"))


def _write_stream(stream: IO[str] | None, pieces: Iterator[str]) -> None:
    import sys

    stream = stream or sys.stdout
    if stream.isatty():
        pieces = map(_for_terminal, pieces)
    binary = getattr(stream, "buffer", None)
    if binary is None:
        _write_all(stream, pieces)
        stream.flush()
        return
    # UTF-8 whatever the locale says, written in large blocks.
    stream.flush()
    writer = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
    try:
        _write_all(writer, pieces)
        writer.flush()
    except BrokenPipeError:
        raise  # the reader went away: the command stops quietly (commands/stats.py)
    except OSError as err:  # e.g. standard output on a full disk
        raise ExportError(_os_message(err, "standard output")) from None
    finally:
        writer.detach()


def _os_message(err: OSError, output: str) -> str:
    if err.errno == errno.ENOSPC or err.errno == getattr(errno, "EDQUOT", None):
        return f"the disk is full while writing {output}; nothing was written — free some space and try again"
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {output}: permission denied; choose a folder you can write to"
    if err.errno == errno.EROFS:
        return f"cannot write {output}: the disk is read-only; choose another path"
    return f"cannot write {output}: {err.strerror or err}"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask




# --------------------------------------------------------------------- the summary
def summary_rows(s: figures.Stats) -> Iterator[tuple]:
    """The figures as long-format rows (metric, deck_id, day, card_id, value); see docs/export-format.md."""
    for deck_id, counts, due in [("", s.cards, s.due)] + [(d.deck_id, d.cards, d.due) for d in s.decks]:
        for state in figures.CARD_STATES:
            yield (f"cards.{state}", deck_id, "", "", getattr(counts, state))
        yield ("cards.active", deck_id, "", "", counts.active)
        yield ("cards.total", deck_id, "", "", counts.total)
        yield ("mastery", deck_id, "", "", _number(counts.mastery))
        yield ("due.today", deck_id, "", "", due.today)
        yield ("due.tomorrow", deck_id, "", "", due.tomorrow)
        yield ("due.next_7_days", deck_id, "", "", due.next_7_days)
        yield ("due.next_30_days", deck_id, "", "", due.next_30_days)
    for name, window in (("last_7_days", s.retention_7_days), ("last_30_days", s.retention_30_days)):
        yield (f"retention.{name}", "", "", "", _number(window.rate))
        yield (f"retention.{name}.reviews", "", "", "", window.reviews)
        yield (f"retention.{name}.passed", "", "", "", window.passed)
    yield ("streak.current", "", "", "", s.streak.current)
    yield ("streak.longest", "", "", "", s.streak.longest)
    t = s.totals
    for name in ("reviews", "drills", "new_cards", "passed", "time_ms", "study_days"):
        yield (f"totals.{name}", "", "", "", getattr(t, name))
    yield ("totals.first_study_day", "", "", "", t.first_study_day.isoformat() if t.first_study_day else None)
    for f in s.forecast:
        yield ("forecast.due", "", f.day.isoformat(), "", f.cards)
    for week in s.retention_by_week:
        yield ("retention.week_ending", "", week.last_day.isoformat(), "", _number(week.rate))
    for card in s.hardest:
        yield ("hardest.easiness", card.deck_id, "", card.card_id, card.easiness)
        yield ("hardest.lapses", card.deck_id, "", card.card_id, card.lapses)
        yield ("hardest.prompt", card.deck_id, "", card.card_id, card.prompt)


def _summary_lines(s: figures.Stats, fmt: str) -> Iterator[str]:
    if fmt == "json":
        for row in summary_rows(s):
            yield json.dumps(dict(zip(SUMMARY_COLUMNS, row)), ensure_ascii=False)
        return
    buffer = io.StringIO()
    # The terminator must be CRLF even though it is cut off below: csv quotes a cell holding any of its
    # characters, and a prompt may hold a line break.
    writer = csv.writer(buffer, lineterminator="\r\n")
    for metric, deck_id, day, card_id, value in summary_rows(s):
        cells = (metric, guard_formula(deck_id), day, guard_formula(card_id),
                 guard_formula(value) if isinstance(value, str) else value)
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        yield buffer.getvalue()[:-2]


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
