"""A deck file previewed as a patient will see it, headless: every card in file order, nothing recorded.

`PreviewSession` is a ReviewSession (the review screen drives it with the same calls) over a
throwaway store: a database in a private temporary folder, which the deck file is synced into and
which `close` deletes. The learner's database is never opened. Answering moves on to the next card
in file order (no grade is written, nothing is re-drilled), undo goes back one card, and at the end
of the deck `restart` starts again.

The file is watched by polling its stat (`poll`, which the screen calls every ~0.3 s): a save
reloads the deck and keeps the place (the same card id if it still exists, else the same position);
a save that breaks the deck keeps the last good version and lists its problems (`problems`) until a
good save clears them; a file that is missing for a moment (an editor renaming its new copy into
place) is waited for.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from quiz.answer import RIGHT_PICK_GRADES, accepts_pick, grade_keys, is_right_pick, picked_text, review_card
from quiz.days import DEFAULT_DAY_START_HOUR, study_day
from quiz.decks import DeckError, DeckFile, read_deck
from quiz.models import CardType, DueCard, ReviewKind
from quiz.review import Entry, Left, Note, Outcome, Phase, ReviewSession, View
from quiz.sm2 import Grade
from quiz.store import Store, StoreError
from quiz.text import escape_controls

#: A file missing at this many polls in a row is said to be missing (fewer: an editor's save in progress).
MISSING_POLLS = 3


class Signature(NamedTuple):
    """What changes when a file is saved, in place or by renaming a new file over it."""

    device: int
    inode: int
    size: int
    mtime_ns: int


def file_signature(path: str) -> Signature | None:
    """The file's Signature, or None when it cannot be seen (missing, or mid-rename)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Signature(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class PreviewSession(ReviewSession):
    """The cards of one deck file in file order, each cloze gap on its own, answered without a trace."""

    def __init__(self, store: Store, folder: str, path: str, now: datetime) -> None:
        super().__init__(store, now, day_start_hour=DEFAULT_DAY_START_HOUR)
        self.path = path
        self.folder = folder  # the throwaway store's private folder, removed by `close`
        self.cards: tuple[DueCard, ...] = ()
        self.index = 0  # the card on screen; len(cards): the end of the deck
        self.step = Phase.QUESTION  # this session's own phase (ReviewSession's is left alone)
        self.chosen: str | None = None  # the pick on a choice or true/false card
        self.problems: list[str] = []  # the last save's problems (file:line:col: message), [] when it is good
        self.missing = 0  # polls in a row the file could not be seen
        self.signature = file_signature(path)
        self.closed = False
        # The moment the grade keys' intervals are worked out for (as if a patient answered now).
        self.opened_at = now
        self.opened_day = study_day(now, DEFAULT_DAY_START_HOUR)

    # ----------------------------------------------------------------- opening and closing
    @classmethod
    def open_file(cls, path: str, now: datetime) -> PreviewSession:
        """Read and validate `path` (DeckError: nothing is left behind), then load it into a new throwaway store."""
        signature = file_signature(path)  # before reading: a save during the read is seen at the next poll
        deck_file = read_deck(path)
        folder = tempfile.mkdtemp(prefix="quiz-preview-")
        try:
            store = Store.open(os.path.join(folder, "preview.db"), now=now)
            session = cls(store, folder, path, now)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        session.signature = signature
        try:
            session.load(deck_file, now)
        except BaseException:
            session.close()
            raise
        return session

    def close(self) -> None:
        """Close the throwaway store and delete its folder (again: nothing happens)."""
        if self.closed:
            return
        self.closed = True
        try:
            self.store.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PreviewSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- the file
    def load(self, deck_file: DeckFile, now: datetime) -> None:
        """Show `deck_file`'s cards, keeping the place: the same card if it is still there, else the same position."""
        deck = deck_file.deck
        shown = self.view.entry
        day = study_day(now, self.day_start_hour)
        self.store.decks.sync(deck, today=day, origin=os.path.abspath(deck_file.path),
                              content_hash=deck_file.content_hash)
        cards = tuple(self.store.cards.new_cards(day, deck_id=deck.id, limit=max(1, len(deck.cards))))
        self.deck_id = deck.id
        self.titles = self.store.decks.titles()
        self.read_citations()
        at_end = self.index >= len(self.cards) and bool(self.cards)
        ids = [due.card.id for due in cards]
        if shown is not None and shown.card.id in ids:
            self.index = ids.index(shown.card.id)
            card = cards[self.index].card
            if card.type is not shown.card.type or (self.chosen is not None and not accepts_pick(card, self.chosen)):
                self.step, self.chosen = Phase.QUESTION, None
            elif self.chosen is not None:  # the pick is judged again: the right answer may have changed
                self.step = Phase.RATE if is_right_pick(card, picked_text(card, self.chosen)) else Phase.FEEDBACK
        else:
            self.index = len(cards) if at_end else min(self.index, max(0, len(cards) - 1))
            self.step, self.chosen = Phase.QUESTION, None
        self.cards = cards

    def poll(self, now: datetime) -> bool:
        """Look at the file: reload it if it was saved since. True when there is something new to draw."""
        signature = file_signature(self.path)
        if signature is None:
            self.missing += 1
            if self.missing == MISSING_POLLS:
                self.problems = [f"{_shown(self.path)}: the file is gone; waiting for it to come back "
                                 "(the cards below are its last good version)"]
                return True
            return False
        came_back = self.missing >= MISSING_POLLS
        self.missing = 0
        if signature == self.signature and not came_back:
            return False
        self.signature = signature
        try:
            deck_file = read_deck(self.path)
        except DeckError as err:
            self.problems = err.lines()
            return True
        try:
            self.load(deck_file, now)
        except StoreError as err:
            self.problems = [f"{_shown(self.path)}: the preview could not load this version: {err}"]
            return True
        self.problems = []
        return True

    # ----------------------------------------------------------------- reading
    @property
    def view(self) -> View:
        total = len(self.cards)
        if self.index >= total:
            return View(Phase.EMPTY, None, None, Left(), total, None)
        due = self.cards[self.index]
        # What is left: this card and the ones after it, all unanswered (new) in a preview.
        return View(self.step, Entry(due.card, due.state), self.chosen, Left(new=total - self.index), self.index, None)

    def outcomes(self) -> tuple[Outcome, ...]:
        """The grade keys on offer, each with what it would give a patient seeing the card for the first
        time (the same `review_card` step the review records; here nothing is saved)."""
        due = self._card()
        if due is None or self.step not in (Phase.REVEALED, Phase.RATE):
            return ()
        return tuple(Outcome(key, review_card(due.state, key.quality, ReviewKind.REVIEW, self.opened_day,
                                              reviewed_at=self.opened_at, answer_ms=0))
                     for key in grade_keys(self.scale, right_pick=self.step is Phase.RATE))

    @property
    def total(self) -> int:
        return len(self.cards)

    @property
    def cards_left(self) -> int:
        return max(0, len(self.cards) - self.index)

    # ----------------------------------------------------------------- the keys
    def reveal(self) -> View:
        card = self._card()
        if self.step is Phase.QUESTION and card is not None and card.card.type in (CardType.BASIC, CardType.CLOZE):
            self.step = Phase.REVEALED
        return self.view

    def grade(self, grade: int, now: datetime) -> View:
        """Any grade of a revealed answer, or of a right pick: on to the next card (nothing is recorded)."""
        grade = Grade(grade)
        if self.step is Phase.REVEALED or (self.step is Phase.RATE and grade in RIGHT_PICK_GRADES):
            self._move(self.index + 1)
        return self.view

    def pick(self, key: str, now: datetime) -> View:
        due = self._card()
        if self.step is not Phase.QUESTION or due is None or not accepts_pick(due.card, key):
            return self.view
        right = is_right_pick(due.card, picked_text(due.card, key))
        self.step, self.chosen = (Phase.RATE if right else Phase.FEEDBACK), key
        return self.view

    def next(self, now: datetime) -> View:
        if self.step is Phase.FEEDBACK:
            self._move(self.index + 1)
        return self.view

    def undo(self, now: datetime) -> View:
        """Back one card (from the end of the deck: to the last card)."""
        if self.index == 0 or not self.cards:
            return replace(self.view, note=Note.NOTHING_TO_UNDO)
        self._move(min(self.index, len(self.cards)) - 1)
        return self.view

    def suspend(self, now: datetime) -> View:
        return self.view  # nothing is suspended in a preview (the screen does not offer it)

    def bury(self, now: datetime) -> View:
        return self.view

    def restart(self) -> View:
        """From the first card again."""
        self._move(0)
        return self.view

    # ----------------------------------------------------------------- inside
    def _card(self) -> DueCard | None:
        return self.cards[self.index] if self.index < len(self.cards) else None

    def _move(self, index: int) -> None:
        self.index = max(0, min(index, len(self.cards)))
        self.step, self.chosen = Phase.QUESTION, None


def _shown(path: str) -> str:
    return escape_controls(path)
