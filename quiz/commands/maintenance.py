"""`quiz check`, `quiz backup`, `quiz backups` and `quiz restore`: keeping a patient's progress safe."""
from __future__ import annotations

import os
from pathlib import Path

import click

from quiz.backup import backup_folder, list_backups
from quiz.errors import QuizError
from quiz.lock import SessionLock
from quiz.store import SCHEMA_VERSION, Store, StoreCorrupt, StoreError
from quiz.store.restore import fresh_copy
from quiz.text import plural


@click.command()
@click.option("--repair", is_flag=True, help="Rebuild what can be derived (daily totals, missing schedules).")
@click.pass_obj
def check(env, repair: bool) -> None:
    """Check the database: integrity, links between tables, schema version, schedules.

    Exits 1 when anything is wrong, saying what and how to fix it.
    """
    path = env.resolved_db_path()
    if not os.path.exists(path):
        raise QuizError(f"there is no database at {path} yet; run `quiz` once to create it")
    store = Store.open(path, migrate=False)
    env.adopt_store(store)
    problems: list[tuple[str, str]] = []
    click.echo(f"Checking {path}")

    def report(ok: bool, what: str, detail: str = "") -> None:
        mark = "ok  " if ok else "FAIL"
        click.echo(f"  [{mark}] {what}" + (f": {detail}" if detail else ""))

    integrity = store.checks.integrity_problems()
    report(not integrity, "file integrity (SQLite integrity_check)", "; ".join(integrity[:3]))
    if integrity:
        problems.append(("the file is damaged", "restore a backup with `quiz restore FILE` (see `quiz backups`)"))
    version = store.schema_version()
    pending = store.pending_migrations()
    report(version <= SCHEMA_VERSION, f"schema version {version} (this quiz knows {SCHEMA_VERSION})",
           f"{plural(len(pending), 'upgrade')} will run on the next start" if pending else "")
    if not integrity and not pending:
        links = store.checks.foreign_key_problems()
        report(not links, "links between tables", "; ".join(links[:3]))
        if links:
            problems.append((f"{plural(len(links), 'broken link')} between tables", "restore a backup with `quiz restore FILE`"))
        consistency = store.checks.consistency_problems()
        report(not consistency, "cards and schedules agree with the review log",
               "; ".join(what for what, _ in consistency))
        problems.extend(consistency)
        if repair and consistency:
            damaged = [what for what, fix in problems if "--repair" not in fix]
            if damaged:
                # Rebuilding the totals from a log that names cards it does not hold would write its
                # damage into them: restore a backup instead.
                click.echo(f"  not repaired: {'; '.join(damaged)}, so nothing can be rebuilt from it; "
                           "restore a backup with `quiz restore FILE` (see `quiz backups`)")
            else:
                saved = store.backups.take(env.now(), "pre-repair")
                click.echo(f"  backed up to {saved} before repairing")
                for line in store.checks.repair():
                    click.echo(f"  repaired: {line}")
                problems = [p for p in problems if p not in consistency] + [
                    (what, fix) for what, fix in store.checks.consistency_problems()
                ]
    backups = list_backups(path)
    click.echo(f"  backups: {len(backups)} in {backup_folder(path)}"
               + (f", latest {backups[-1].taken_at:%Y-%m-%d %H:%M}" if backups else ""))
    if problems:
        click.echo(f"{plural(len(problems), 'problem')}:", err=True)
        for what, fix in problems:
            click.echo(f"  - {what} — fix: {fix}", err=True)
        raise SystemExit(1)
    click.echo("No problems found.")


@click.command()
@click.pass_obj
def backup(env) -> None:
    """Take a backup now (kept in a `backups` folder beside the database)."""
    store = env.open_store(bundled=False, daily_backup=False)
    dest = store.backups.take(env.now(), "manual")
    click.echo(f"Backed up to {dest}")


@click.command(name="backups")
@click.pass_obj
def list_backups_command(env) -> None:
    """List the backups of the database, newest last."""
    path = env.resolved_db_path()
    backups = list_backups(path)
    if not backups:
        click.echo(f"No backups yet in {backup_folder(path)}.")
        return
    for b in backups:
        size = b.path.stat().st_size
        click.echo(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason:<14} {size / 1024:>8.0f} KiB  {b.path}")


@click.command()
@click.argument("source", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore(env, source: Path, yes: bool) -> None:
    """Bring back a backup FILE in place of the current database (which is backed up first)."""
    path = env.resolved_db_path()
    if os.path.exists(path) and os.path.exists(source) and os.path.samefile(source, path):
        raise QuizError(f"{source} is the database itself; choose a backup file (see `quiz backups`)")
    # Every row checked and copied into a fresh database first: nothing is asked, backed up or
    # changed for a file that cannot be restored.
    with fresh_copy(source) as (fresh, summary):
        last = summary.last_study_day.isoformat() if summary.last_study_day else "never"
        click.echo(f"Backup {source}: {plural(summary.decks, 'deck')}, {plural(summary.cards, 'card')}, "
                   f"{plural(summary.reviews, 'review')}, last studied {last}.")
        if not yes and not click.confirm(f"Replace the progress in {path} with it? (the current database is backed up first)"):
            raise QuizError("nothing restored")
        store, saved = _current_database(env, path)
        env.adopt_store(store)
        with SessionLock(path):
            if saved:
                click.echo(saved)
            store.backups.restore_from(fresh)
        click.echo(f"Restored {source} into {path}.")


def _current_database(env, path: str) -> tuple[Store, str]:
    """The database to restore into, with a pre-restore backup of it (or a damaged one moved aside)."""
    if not env.db_path:  # the default place: its folder may not exist yet on a new computer
        os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path):
        return Store.open(path, migrate=False), ""
    store = None
    try:
        store = Store.open(path, migrate=False)
        return store, f"Current database backed up to {store.backups.take(env.now(), 'pre-restore')}"
    except StoreCorrupt:
        if store is not None:
            store.close()
        aside = _move_aside(path, env.now())
        return Store.open(path, migrate=False), f"The current database was damaged; it was moved to {aside}"


def _move_aside(path: str, now) -> str:
    """Keep a damaged database (never delete a user's file): rename it and its journal files."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    aside = f"{path}.damaged-{stamp}"
    try:
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.replace(path + suffix, aside + suffix)
    except OSError as err:
        raise StoreError(f"cannot move the damaged database {path} aside: {err.strerror}") from None
    return aside
