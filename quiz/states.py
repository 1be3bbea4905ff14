"""The one vocabulary of card states every view uses: home, stats, `quiz stats`, `decks list`, export, report."""
from __future__ import annotations

from quiz.sm2 import SECOND_INTERVAL_DAYS

#: A seen card is "learning" below this interval: SM-2's first two steps (1 day, then 6 days).
YOUNG_FROM_DAYS = SECOND_INTERVAL_DAYS
#: A card is "mature" from this interval on (the usual threshold in spaced-repetition tools).
MATURE_FROM_DAYS = 21
#: Card states in the order every view shows them. Each card is in exactly one, so a deck's counts
#: add up to its cards (retired ones are gone from the deck file and shown apart, if at all).
CARD_STATES = ("new", "learning", "young", "mature", "suspended", "retired")
#: Each state in one line, for views that explain them (the `?` keys, `quiz help stats`, the report).
CARD_STATE_MEANINGS = {
    "new": "never answered",
    "learning": f"answered, interval under {YOUNG_FROM_DAYS} days (just started, or just forgotten)",
    "young": f"interval of {YOUNG_FROM_DAYS} to {MATURE_FROM_DAYS - 1} days",
    "mature": f"interval of {MATURE_FROM_DAYS} days or more",
    "suspended": "set aside: not asked until brought back",
    "retired": "no longer in its deck file (its history is kept)",
}
#: Each state in a few words, for a legend under a table or a row of counts.
CARD_STATE_WORDS = {
    "new": "never answered",
    "learning": f"interval under {YOUNG_FROM_DAYS} days",
    "young": f"{YOUNG_FROM_DAYS} to {MATURE_FROM_DAYS - 1} days",
    "mature": f"{MATURE_FROM_DAYS} days or more",
    "suspended": "set aside",
    "retired": "gone from its deck file",
}


def legend(states: tuple[str, ...] = CARD_STATES[:-1]) -> str:
    """One line naming each state in a few words: "new: never answered · learning: … · …"."""
    return " · ".join(f"{state}: {CARD_STATE_WORDS[state]}" for state in states)
