"""The safety reminder shown once per study day at the start of a session (headless: text and rule)."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from quiz.store import Store

#: Stored with Store.set_flag: the study day the reminder was last dismissed.
SHOWN_FLAG = "reminder_shown_on"

TITLE = "Before you start"
EDUCATES = (
    "quiz helps you learn about low back pain. It educates; it does not replace a doctor, "
    "physiotherapist or other clinician, and it cannot tell what is causing your pain."
)
RED_FLAGS_INTRO = "Back pain with any of these needs prompt medical care (examples, not a complete list):"
RED_FLAGS = (
    "a fall, accident or other injury (trauma)",
    "fever",
    "a history of cancer",
    "significant muscle weakness",
    "new trouble controlling your bladder or bowels, or new numbness around your genitals or buttocks",
)
RED_FLAGS_OUTRO = "If one applies to you, see a doctor promptly, or call emergency services if it is sudden or severe."


class DeckReminder(NamedTuple):
    deck_id: str
    title: str
    text: str


def is_due(store: Store, today: date) -> bool:
    """True until the reminder has been dismissed on study day `today`."""
    return store.get_flag(SHOWN_FLAG) != today.isoformat()


def mark_shown(store: Store, today: date) -> None:
    """Record that the reminder was dismissed on `today` (one small transaction)."""
    store.set_flag(SHOWN_FLAG, today.isoformat())


def deck_reminders(store: Store, deck_ids: list[str] | None = None) -> list[DeckReminder]:
    """The decks' own reminder texts (untrusted deck text), for `deck_ids` or every deck, in deck order."""
    ids = store.decks.ids() if deck_ids is None else deck_ids
    found = []
    for deck_id in ids:
        info = store.decks.info(deck_id)
        if info and info["reminder"].strip():
            found.append(DeckReminder(deck_id, info["title"], info["reminder"].strip()))
    return found
