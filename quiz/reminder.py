"""The safety reminder shown before the first session of each study day (headless: text and rule)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from quiz.store import Store

#: Stored with Store.set_flag: the study day the reminder was last dismissed.
SHOWN_FLAG = "reminder_shown_on"
#: Stored with Store.set_flag: that study day, then the decks whose own reminder was shown on it (one a line).
DECKS_FLAG = "reminder_decks_shown_on"

TITLE = "Before you start"
EDUCATES = (
    "This quiz teaches about low back pain. It does not replace a doctor, physiotherapist or other "
    "clinician, and cannot tell what causes your pain."
)
#: What a red flag is, said once and in plain words (the decks' own texts use the term).
RED_FLAGS_TERM = "Red flags"
RED_FLAGS_INTRO = "are signs that back pain needs prompt medical care, for example (not a complete list):"
RED_FLAGS = (
    "a major injury such as a car crash or a bad fall (trauma)",
    "fever",
    "a history of cancer",
    "significant muscle weakness",
    "new trouble controlling your bladder or bowels, or new numbness around the groin",
)
RED_FLAGS_OUTRO = "If one applies to you, see a doctor promptly; call emergency services if it is sudden or severe."
DECKS_INTRO = "From the decks of the cards ahead:"


def red_flags_text() -> str:
    """The red-flag paragraph after its term: what a red flag is, the examples, and what to do."""
    return f" {RED_FLAGS_INTRO} {'; '.join(RED_FLAGS)}. {RED_FLAGS_OUTRO}"


class DeckReminder(NamedTuple):
    deck_id: str
    title: str
    text: str


def is_due(store: Store, today: date) -> bool:
    """True until the reminder has been dismissed on study day `today`."""
    return store.get_flag(SHOWN_FLAG) != today.isoformat()


def decks_shown(store: Store, today: date) -> set[str]:
    """The decks whose own reminder was shown (and dismissed) on study day `today`."""
    day, *decks = (store.get_flag(DECKS_FLAG) or "").split("\n")
    return set(decks) if day == today.isoformat() else set()


def to_show(store: Store, today: date, deck_ids: Iterable[str]) -> list[DeckReminder] | None:
    """What to show before a session with cards from `deck_ids`: None if nothing is due.

    The first session of a study day shows the reminder with those decks' own texts; a later
    session that day shows it again only for a deck whose text was not shown yet (only its text).
    """
    decks = deck_reminders(store, list(deck_ids))
    if is_due(store, today):
        return decks
    seen = decks_shown(store, today)
    unseen = [d for d in decks if d.deck_id not in seen]
    return unseen or None


def mark_shown(store: Store, today: date, deck_ids: Iterable[str] | None = None) -> None:
    """Record that the reminder, with the texts of `deck_ids` (None: every deck), was dismissed on `today`."""
    ids = store.decks.ids() if deck_ids is None else list(deck_ids)
    with store.transaction():
        seen = decks_shown(store, today) | set(ids)
        store.set_flag(SHOWN_FLAG, today.isoformat())
        store.set_flag(DECKS_FLAG, "\n".join([today.isoformat(), *sorted(seen)]))


def deck_reminders(store: Store, deck_ids: list[str] | None = None) -> list[DeckReminder]:
    """The decks' own reminder texts (untrusted deck text), for `deck_ids` or every deck, in deck order."""
    ids = store.decks.ids() if deck_ids is None else [d for d in store.decks.ids() if d in set(deck_ids)]
    found = []
    for deck_id in ids:
        info = store.decks.info(deck_id)
        if info and info["reminder"].strip():
            found.append(DeckReminder(deck_id, info["title"], info["reminder"].strip()))
    return found
