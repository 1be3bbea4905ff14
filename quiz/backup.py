"""Where backups live, what they are called, and which to keep (file policy; the copy itself is store.backups)."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

DEFAULT_KEEP = 7
BACKUP_FOLDER = "backups"
#: The newest backup of each of these reasons is kept whatever the rotation says: each was taken just
#: before quiz replaced or rebuilt something, and may be the only copy of what was there.
PROTECTED_REASONS = ("pre-restore", "pre-import", "pre-repair")
# `quiz-000012-20260302T093000-daily.db`: a sequence number (the order backups were taken in, whatever
# the clock said), then the local time and the reason. Names without a sequence are from quiz before it,
# and count as older than every numbered one.
_NAME = re.compile(r"^(?P<stem>.+)-(?P<seq>\d{6,})-(?P<stamp>\d{8}T\d{6})-(?P<reason>[a-z-]+)\.db$")
_OLD_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6})(?:-\d+)?-(?P<reason>[a-z-]+)\.db$")


class Backup(NamedTuple):
    path: Path
    taken_at: datetime  # local wall time from the file name (the clock then, which may have been wrong)
    reason: str
    sequence: int  # the order it was taken in: 0 for a backup named before quiz numbered them

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
    """The backups of this database in the order they were taken, oldest first."""
    folder = backup_folder(db_path)
    stem = Path(db_path).stem
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        m = _NAME.match(name) or _OLD_NAME.match(name)
        if not m or m["stem"] != stem:
            continue
        try:
            taken = datetime.strptime(m["stamp"], "%Y%m%dT%H%M%S")
        except ValueError:
            continue
        sequence = int(m["seq"]) if "seq" in m.re.groupindex else 0
        found.append(Backup(folder / name, taken, m["reason"], sequence))
    # Numbered backups by their number; the old unnumbered ones before them, by the time in their name.
    return sorted(found, key=lambda b: (b.sequence, b.taken_at if b.sequence == 0 else datetime.min, b.path.name))


def latest_backup(db_path: str | os.PathLike[str]) -> Backup | None:
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def new_backup_path(db_path: str | os.PathLike[str], now: datetime, reason: str) -> Path:
    """The next file name in the sequence, such as `backups/quiz-000012-20260302T093000-daily.db`.

    Another process may take the same name first: create it without replacing (store.backups does).
    """
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"backup reason must be lowercase letters and dashes, got {reason!r}")
    backups = list_backups(db_path)
    sequence = max((b.sequence for b in backups), default=0) + 1
    return backup_folder(db_path) / f"{Path(db_path).stem}-{sequence:06d}-{now:%Y%m%dT%H%M%S}-{reason}.db"


def backups_to_prune(db_path: str | os.PathLike[str], keep: int = DEFAULT_KEEP, *,
                     just_taken: str | os.PathLike[str] | None = None) -> list[Backup]:
    """All but the newest `keep` backups (by sequence), never counting the one `just_taken` nor the newest
    of each PROTECTED_REASONS, which are always kept."""
    backups = list_backups(db_path)
    newest = {b.reason: b.path for b in backups if b.reason in PROTECTED_REASONS}  # oldest first: the last wins
    protected = set(newest.values())
    if just_taken is not None:
        protected.add(Path(just_taken))
    older = backups[: max(0, len(backups) - keep)]
    return [b for b in older if b.path not in protected]


def daily_backup_due(db_path: str | os.PathLike[str], today: date) -> bool:
    """True unless the newest backup (by sequence) was taken today. A backup dated in the future (the
    clock was ahead) or the past does not count as today's, so a wrong clock never stops daily backups."""
    latest = latest_backup(db_path)
    return latest is None or latest.day != today


def describe_latest(db_path: str | os.PathLike[str]) -> str:
    """One sentence for error messages: where the latest backup is and how to bring it back."""
    latest = latest_backup(db_path)
    if latest is None:
        return "no backup of it exists yet"
    return f"latest backup: {latest.path} ({latest.taken_at:%Y-%m-%d %H:%M}); bring it back with `quiz restore {latest.path}`"
