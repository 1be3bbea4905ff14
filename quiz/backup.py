"""Where backups live, what they are called, and which to keep (file policy; the copy itself is Store.backup_to)."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

DEFAULT_KEEP = 7
BACKUP_FOLDER = "backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}(?:-\d+)?)-(?P<reason>[a-z-]+)\.db$")


class Backup(NamedTuple):
    path: Path
    taken_at: datetime  # local wall time from the file name
    reason: str

    @property
    def day(self) -> date:
        return self.taken_at.date()


def remove_quietly(path: str | os.PathLike[str]) -> None:
    """Remove a file of ours (a half-written copy, a pruned backup) if it is there; never raise."""
    try:
        os.remove(path)
    except OSError:
        pass


def backup_folder(db_path: str | os.PathLike[str]) -> Path:
    """Backups sit beside the database, in a `backups` folder."""
    return Path(os.path.abspath(db_path)).parent / BACKUP_FOLDER


def list_backups(db_path: str | os.PathLike[str]) -> list[Backup]:
    """The backups of this database, oldest first."""
    folder = backup_folder(db_path)
    stem = Path(db_path).stem
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        m = _NAME.match(name)
        if not m or m["stem"] != stem:
            continue
        try:
            taken = datetime.strptime(m["stamp"][:15], "%Y%m%dT%H%M%S")
        except ValueError:
            continue
        found.append(Backup(folder / name, taken, m["reason"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def latest_backup(db_path: str | os.PathLike[str]) -> Backup | None:
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def new_backup_path(db_path: str | os.PathLike[str], now: datetime, reason: str) -> Path:
    """A fresh, unused file name such as `backups/quiz-20260302T093000-daily.db`."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"backup reason must be lowercase letters and dashes, got {reason!r}")
    folder = backup_folder(db_path)
    stem = Path(db_path).stem
    stamp = now.strftime("%Y%m%dT%H%M%S")
    candidate = folder / f"{stem}-{stamp}-{reason}.db"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{stamp}-{n}-{reason}.db"
    return candidate


def backups_to_prune(db_path: str | os.PathLike[str], keep: int = DEFAULT_KEEP) -> list[Backup]:
    """All but the newest `keep` backups."""
    backups = list_backups(db_path)
    return backups[: max(0, len(backups) - keep)]


def daily_backup_due(db_path: str | os.PathLike[str], today: date) -> bool:
    """True when no backup of this database was taken today (by the calendar date in its name)."""
    latest = latest_backup(db_path)
    return latest is None or latest.day < today


def describe_latest(db_path: str | os.PathLike[str]) -> str:
    """One sentence for error messages: where the latest backup is and how to bring it back."""
    latest = latest_backup(db_path)
    if latest is None:
        return "no backup of it exists yet"
    return f"latest backup: {latest.path} ({latest.taken_at:%Y-%m-%d %H:%M}); bring it back with `quiz restore {latest.path}`"
