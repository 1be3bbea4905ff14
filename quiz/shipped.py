"""The decks shipped with quiz: found on disk, and kept in step with the store at every start."""
# Every start checks them, so this module is light: when no bundled file changed (every start but the
# first after an install or upgrade) it hashes five small files and reads five flags, and the deck
# parser (quiz.decks, with PyYAML and its schema validators) is not even imported.
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from importlib.resources.abc import Traversable

    from quiz.store import ImportReport, Store

#: Store flag "bundled:<file name>" = the sha256 of that bundled file when it was last imported.
BUNDLED_FLAG = "bundled:"


def bundled_deck_files() -> list[Path | Traversable]:
    """The decks shipped with quiz (package quiz.bundled), sorted by file name."""
    roots: list[Path | Traversable]
    try:
        import quiz.bundled as package

        folders = [Path(p) for p in package.__path__]
        if all(folder.is_dir() for folder in folders):
            roots = list(folders)
        else:  # pragma: no cover - installed somewhere that is not a folder (a zip file)
            from importlib import resources

            roots = [resources.files("quiz.bundled")]
    except ModuleNotFoundError:
        # Running from a source checkout whose package was installed without `-e`: `quiz` is the
        # checkout's folder, where the bundled decks are the top-level decks/ folder.
        roots = [Path(__file__).resolve().parent.parent / "decks"]
    files = [f for root in roots for f in root.iterdir() if f.name.endswith(".yaml") and f.is_file()]
    return sorted(files, key=lambda f: f.name)


def sync_bundled_decks(store: Store, today: date, *, before_change: Callable[[], object] | None = None
                       ) -> list[ImportReport]:
    """Import the bundled decks on first run and refresh those whose file changed since.

    Costs one hash per file when nothing changed (no YAML is parsed). What was imported from each
    bundled file is remembered by file, so a user's own import of a deck with the same id stays
    until the bundled file itself changes. `before_change` (e.g. a backup) is called once before
    refreshing a bundled deck imported before (not on a first import). An invalid bundled deck
    raises DeckError (a bug in quiz) and nothing is imported.
    """
    pending = []
    refresh = False  # a bundled file imported before has changed (not just a first import)
    for f in bundled_deck_files():
        data = f.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        last = store.get_flag(BUNDLED_FLAG + f.name)
        if last != digest:
            pending.append((f, data, digest))
            refresh = refresh or last is not None
    if not pending:
        return []
    return import_bundled(store, today, pending, before_change=before_change if refresh else None)


def import_bundled(store: Store, today: date, pending: list[tuple[Path | Traversable, bytes, str]], *,
                   before_change: Callable[[], object] | None = None) -> list[ImportReport]:
    """Import the bundled deck files `pending` ((file, its bytes, their sha256) each) in one
    transaction, after `before_change`; sync_bundled_decks finds which ones."""
    # Imported here, not at the top, for start-up speed: an ordinary start (no bundled file changed)
    # must not load the deck parser, PyYAML or the schema validators (tests/test_startup.py).
    from quiz.decks import DeckError, Problem, parse_deck

    parsed = []
    problems: list[Problem] = []
    for f, data, digest in pending:
        try:
            parsed.append((f, parse_deck(data, str(f)), digest))
        except DeckError as err:
            problems.extend(err.problems)
    if problems:
        raise DeckError([Problem(p.path, p.line, p.column, f"{p.message} (a bundled deck: this is a bug in quiz; "
                                 "please report it)") for p in problems])
    if before_change is not None:
        before_change()
    reports = []
    with store.transaction():
        for f, deck, digest in parsed:
            reports.append(store.decks.sync(deck, today=today, origin=BUNDLED_FLAG + f.name, content_hash=digest))
            store.set_flag(BUNDLED_FLAG + f.name, digest)
    return reports
