"""The `quiz` command: reads the clock and the database path, then hands a Store to the core or the app."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import click

from quiz import gc_hold
from quiz.backup import daily_backup_due, describe_latest
from quiz.days import study_day
from quiz.errors import QuizError
from quiz.lock import SessionLock
from quiz.store import Store, StoreCorrupt, default_db_path


class UserError(click.ClickException):
    """One clear line on standard error and exit 1: for anything the user can fix."""

    def show(self, file=None) -> None:
        click.echo(f"quiz: {self.format_message()}", err=True, file=file)


@dataclass
class Env:
    """What every command needs: where the database is and what time it is."""

    db_path: str | None
    clock: Callable[[], datetime]
    _store: Store | None = field(default=None, repr=False)

    def now(self) -> datetime:
        """The current moment in the user's local time zone (study days follow local wall time)."""
        return self.clock().astimezone()

    def resolved_db_path(self) -> str:
        return os.path.expanduser(self.db_path) if self.db_path else str(default_db_path())

    def open_store(self, *, bundled: bool = True, daily_backup: bool = True) -> Store:
        """Open the database (the default one in the user's data folder unless --db/QUIZ_DB say
        otherwise). Takes the day's first backup when `daily_backup`, then imports or refreshes the
        bundled decks when `bundled`."""
        if self._store is None:
            now = self.now()
            # The default place is created on first use; a path the user named must exist already.
            store = Store.open(self.resolved_db_path(), create_parents=not self.db_path, now=now)
            self._store = store
            if daily_backup and store.decks.any() and daily_backup_due(store.path, now.date()):
                store.backups.take(now, "daily")
            if bundled:
                from quiz.shipped import sync_bundled_decks

                sync_bundled_decks(store, self.today(), before_change=lambda: store.backups.take(now, "pre-import"))
        return self._store

    def adopt_store(self, store: Store) -> None:
        """Let a command that opened the store itself have it closed with the others."""
        self._store = store

    def today(self) -> date:
        """The current study day (the day starts at the configured hour, 04:00 by default)."""
        hour = self._store.settings().day_start_hour if self._store is not None else 4
        return study_day(self.now(), hour)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _local_now() -> datetime:
    return datetime.now().astimezone()


#: The years `--now` may name: far enough from year 1 and 9999 that a study day, a local time zone and a
#: due date a lifetime of intervals ahead all stay within what a date can hold.
NOW_YEARS = (1970, 9000)


def _fixed_clock(value: str) -> Callable[[], datetime]:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"--now {value!r} is not an ISO date-time such as 2026-03-01T09:30") from None
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        raise UserError(f"--now {value!r} is out of range; give a date-time in the years {NOW_YEARS[0]} to {NOW_YEARS[1]}")
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return lambda: moment


class QuizGroup(click.Group):
    """Turns the errors a user can cause into one line and a non-zero exit, never a traceback."""

    #: Subcommand name -> "module:attribute", imported only when that command runs or `--help` lists
    #: it, so `quiz` and `quiz review` start without loading every command (~40 ms; bench/bench_review.py).
    lazy_commands: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy_commands:
            import importlib

            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StoreCorrupt as err:
            env = ctx.obj
            hint = describe_latest(env.resolved_db_path()) if isinstance(env, Env) else ""
            raise UserError(f"{err}; {hint}" if hint else str(err)) from None
        except QuizError as err:
            raise UserError(str(err)) from None
        except BrokenPipeError:
            raise  # the reader went away (`quiz stats | head`): click ends quietly
        except OSError as err:  # the disk, a file or the terminal refused: one line, never a traceback
            if err.filename is None:  # most likely standard output itself (`quiz stats > /dev/full`):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush there
            where = f" {err.filename}" if err.filename else ""
            raise UserError(f"cannot read or write{where}: {err.strerror or err}") from None


@click.group(cls=QuizGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="QUIZ_DB",
    metavar="PATH",
    help="The database file (default: quiz.db in your user data folder). Also read from QUIZ_DB.",
)
@click.option("--now", "fixed_now", hidden=True, help="Pretend it is this ISO date-time (for tests and demos).")
@click.version_option(package_name="quiz")
@click.pass_context
def main(ctx: click.Context, db_path: str | None, fixed_now: str | None) -> None:
    """A spaced-repetition quiz about low back pain, the spine and the hip.

    Run `quiz` on its own to open today's session. The quiz educates; it does not replace a
    clinician.
    """
    if db_path == "" or (db_path is None and os.environ.get("QUIZ_DB") == ""):
        # Never the default database in its place: an empty variable is a mistake in a script.
        raise UserError("the database path is empty (--db \"\" or QUIZ_DB set to nothing); give a file path, "
                        "or leave both unset for the default database")
    env = Env(db_path=db_path, clock=_fixed_clock(fixed_now) if fixed_now else _local_now)
    ctx.obj = env
    ctx.call_on_close(env.close)
    if ctx.invoked_subcommand not in (None, "review"):
        # A command without a screen: start-up ends here (the app ends it once its first screen is drawn).
        gc_hold.release()
    if ctx.invoked_subcommand is None:
        _run_app(env, deck_id=None, start_review=False)


@main.command()
@click.option("--deck", "deck_id", metavar="ID", help="Review only this deck.")
@click.pass_obj
def review(env: Env, deck_id: str | None) -> None:
    """Start today's review session straight away."""
    _run_app(env, deck_id=deck_id, start_review=True)


def _run_app(env: Env, *, deck_id: str | None, start_review: bool) -> None:
    store = env.open_store()
    if deck_id is not None and deck_id not in store.decks.ids():
        known = ", ".join(store.decks.ids()) or "none"
        raise UserError(f"no deck {deck_id!r}; decks: {known} (see `quiz decks list`)")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError("the review session needs a terminal; run `quiz` in a terminal window")
    # Textual is imported only here, so `quiz --help` and every other command stay fast.
    from quiz.tui.app import make_app

    # One review session per database: a second one gets a clear message instead of racing the first.
    with SessionLock(store.path):
        app = make_app(store, clock=env.now, deck_id=deck_id, start_review=start_review)
        app.run()
    if app.return_code:
        sys.exit(app.return_code)


def _register_commands() -> None:
    # Lazily (see QuizGroup.lazy_commands): name as typed -> where the click command is.
    main.lazy_commands = {
        "decks": "quiz.commands.decks:decks",
        "check": "quiz.commands.maintenance:check",
        "backup": "quiz.commands.maintenance:backup",
        "backups": "quiz.commands.maintenance:list_backups_command",
        "restore": "quiz.commands.maintenance:restore",
        "stats": "quiz.commands.stats:stats",
        "export": "quiz.commands.stats:export",
        "config": "quiz.commands.config:config",
        "help": "quiz.commands.help:help_command",
        # Suspended cards (issue 5): list them and bring them back.
        "suspended": "quiz.commands.cards:suspended",
        "unsuspend": "quiz.commands.cards:unsuspend",
        "report": "quiz.commands.report:report",
    }


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
