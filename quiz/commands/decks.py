"""`quiz decks ...`: validate, import, list, new, preview, lint."""
from __future__ import annotations

import os
import sys

import click

from quiz.commands.lint import lint
from quiz.decks import DeckError, DeckFile, import_decks, load_decks, new_deck_text
from quiz.errors import QuizError
from quiz.review import ReviewSession
from quiz.states import CARD_STATES, legend
from quiz.text import escape_controls, one_line, plural

#: How many card ids an import report names per kind of change before it says "and N more".
SHOWN_IDS = 8


@click.group()
def decks() -> None:
    """Write, check and import decks (YAML files)."""


@decks.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
def validate(paths: tuple[str, ...]) -> None:
    """Check deck files (or folders of them) and list every problem as file:line:col: message.

    Exits 0 when every deck is valid, 1 otherwise. Nothing is imported.
    """
    try:
        files = load_decks(paths)
    except DeckError as err:
        _fail(err, "")
    cards = sum(_card_count(f) for f in files)
    questions = sum(len(f.deck.cards) for f in files)
    gaps = f" ({questions} questions, counting each cloze gap)" if questions != cards else ""
    click.echo(f"OK: {plural(len(files), 'deck')}, {plural(cards, 'card')}{gaps} — no problems found")


@decks.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.pass_obj
def import_(env, paths: tuple[str, ...]) -> None:
    """Validate deck files (or folders of them), then import them all in one go.

    If any file has a problem, nothing is imported. Re-importing is safe: a card keeps its history
    and schedule when its text changes (its id is what counts), a card gone from the file is retired
    with its history kept, and it comes back with that history if it returns.
    """
    try:
        files = load_decks(paths)
    except DeckError as err:
        _fail(err, "nothing was imported")
    store = env.open_store()
    before = {f.deck.id: store.decks.info(f.deck.id) for f in files}
    hashes = store.decks.hashes()
    if store.decks.any() and any(hashes.get(f.deck.id) != f.content_hash for f in files):
        store.backups.take(env.now(), "pre-import")  # the progress as it was, should the new deck be a mistake
    reports = import_decks(store, files, env.today())
    for f, report in zip(files, reports):
        _echo_report(f, report, before[f.deck.id], replaces_bundled=hashes.get(f.deck.id) != f.content_hash)


@decks.command("list")
@click.pass_obj
def list_(env) -> None:
    """List your decks: their cards by state (they add up to the cards), and what is due today."""
    store = env.open_store()
    today = env.today()
    rows = store.decks.summaries(today)
    if not rows:
        click.echo("No decks yet. Write one with `quiz decks new ID`, then `quiz decks import FILE`.")
        return
    header = ("deck", "cards", *CARD_STATES[:-1], "due today", "title")
    # A title may hold line breaks, tabs or bidirectional controls (from a deck file or an old database).
    table = [header] + [(escape_controls(r.id), *(f"{n:,}" for n in (r.total, r.new, r.learning, r.young, r.mature,
                                                                     r.suspended, r.due)),
                         escape_controls(one_line(r.title))) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:-1], widths[1:])]
        click.echo("  ".join(cells + [row[-1]]))
    click.echo(legend())
    session = ReviewSession.open(store, env.now(), None)
    new, reviews, drills = session.left()
    if reviews + new + drills:
        click.echo(f"Today: {plural(reviews, 'review')}, {plural(new, 'new card')}"
                   + (f" and {plural(drills, 'card')} to repeat" if drills else "") + ". Start with `quiz review`.")
    else:
        click.echo("Nothing left for today: come back tomorrow (`quiz config` changes the daily limits).")


@decks.command()
@click.argument("deck_id", metavar="ID")
@click.option("-o", "--output", metavar="PATH", help="Where to write the deck (default: ID.yaml here; a folder: ID.yaml in it).")
def new(deck_id: str, output: str | None) -> None:
    """Write a commented template deck, ID.yaml, that validates and shows every card type.

    ID is the deck's stable id: lowercase letters, digits and hyphens, e.g. spinal-anatomy.
    An existing file is never overwritten.
    """
    new_deck_text(deck_id, filename="x.yaml")  # refuses a bad id before any path is made from it
    path = output or f"{deck_id}.yaml"
    if os.path.isdir(path):
        path = os.path.join(path, f"{deck_id}.yaml")
    text = new_deck_text(deck_id, filename=path)
    shown = escape_controls(path)
    try:
        with open(path, "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise QuizError(f"{shown} already exists and was left as it is; choose another file with -o PATH") from None
    except OSError as err:
        raise QuizError(f"cannot write {shown}: {err.strerror or err}") from None
    click.echo(f"Wrote {shown}. Edit it, then check it with `quiz decks validate {shown}` "
               f"and import it with `quiz decks import {shown}`.")


@decks.command()
@click.argument("path", metavar="FILE")
@click.pass_obj
def preview(env, path: str) -> None:
    """Show a deck file's cards as a patient will see them, without importing it.

    Every card in file order (each cloze gap on its own); reveal and pick work, grades are not
    recorded, and your database is not opened. Saving the file reloads the preview in place; a save
    with problems lists them above the last good version. q ends the preview.
    """
    from quiz.decks import Problem, read_deck

    if os.path.isdir(path):
        _fail(DeckError([Problem(path, None, None, "is a folder; give one deck file to preview")]), "nothing to preview")
    try:
        read_deck(path)  # every problem at file:line:col before anything else happens
    except DeckError as err:
        _fail(err, "nothing to preview")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise QuizError("the review session needs a terminal; run `quiz` in a terminal window")
    # Textual is imported only here, so every other `quiz decks` command stays fast.
    from quiz.tui.screens.preview import make_preview_app

    try:
        app = make_preview_app(path, clock=env.now)
    except DeckError as err:  # saved again, badly, since the check above
        _fail(err, "nothing to preview")
    try:
        app.run()
    finally:
        app.preview.close()
    if app.return_code:
        sys.exit(app.return_code)


def _fail(err: DeckError, outcome: str) -> None:
    """Every problem on its own line (file:line:col: message), a summary, exit 1."""
    for line in err.lines():
        click.echo(line, err=True)
    files = len({p.path for p in err.problems})
    summary = f"{plural(len(err.problems), 'problem')} in {plural(files, 'file')}"
    click.echo(f"quiz: {summary}{'; ' + outcome if outcome else ''}", err=True)
    click.get_current_context().exit(1)


def _echo_report(f: DeckFile, report, before: dict | None, *, replaces_bundled: bool) -> None:
    counts = ", ".join(f"{len(ids)} {name}" for name, ids in (
        ("added", report.added), ("changed", report.changed), ("retired", report.retired),
        ("restored", report.restored), ("unchanged", report.unchanged)))
    if report.renamed:
        counts += f", {len(report.renamed)} renamed"
    click.echo(f"{escape_controls(report.deck_id)} ({escape_controls(f.path)}): {'new deck, ' if before is None else ''}"
               f"{counts}")
    if before is not None and report.deck_changed:
        click.echo("  the deck's title, description, sources or reminder changed")
    for name, ids in (("changed", report.changed), ("retired", report.retired), ("restored", report.restored)):
        if ids:
            click.echo(f"  {name}: {_short_ids(ids, report.deck_id)}")
    if report.renamed:
        click.echo(f"  renamed, progress kept: {_short_pairs(report.renamed, report.deck_id)}")
    if report.gaps_named:
        click.echo(f"  cloze gaps now known by their words, progress kept: {_short_pairs(report.gaps_named, report.deck_id)}")
    for old_key, new_key in report.suspected_renames:
        old_key, new_key = escape_controls(old_key), escape_controls(new_key)
        click.echo(f"  did you rename {old_key} to {new_key}? add `previous_ids: [{old_key}]` to card {new_key} and "
                   "import again to keep its progress")
    if replaces_bundled and before is not None and before["origin"].startswith("bundled:"):
        click.echo(f"  note: this replaces the bundled deck '{escape_controls(report.deck_id)}' until a new version of quiz "
                   "changes that deck")


def _short_ids(ids: list[str], deck_id: str) -> str:
    shown = ", ".join(_short_id(i, deck_id) for i in ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def _short_pairs(pairs: list[tuple[str, str]], deck_id: str) -> str:
    """`old → new, ...` for cards whose id changed, shortened like `_short_ids`."""
    shown = ", ".join(f"{_short_id(old, deck_id)} → {_short_id(new, deck_id)}" for old, new in pairs[:SHOWN_IDS])
    return shown + (f" and {len(pairs) - SHOWN_IDS} more" if len(pairs) > SHOWN_IDS else "")


def _short_id(card_id: str, deck_id: str) -> str:
    """A card id without its deck's prefix, as the deck file names it, safe to print."""
    prefix = deck_id + "/"
    return escape_controls(card_id[len(prefix):] if card_id.startswith(prefix) else card_id)


def _card_count(f: DeckFile) -> int:
    return len({c.key for c in f.deck.cards})


decks.add_command(lint)
