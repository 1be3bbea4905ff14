"""The rules of a deck that a JSON Schema cannot express: unique card ids, known sources, sound choices and gaps."""
from __future__ import annotations

import difflib
import re
import unicodedata

import yaml

from quiz.decks.gaps import gap_identity, gap_texts
from quiz.decks.positions import text_mark, value_mark
from quiz.decks.problems import shorten
from quiz.text import INVISIBLE, char_name, visible

Found = list[tuple[tuple[int, int], str]]  # (line, column) and message of each problem


def cross_check(data: dict, root: yaml.Node) -> Found:
    """The rules a JSON Schema cannot express: unique card ids, sources that exist, the right choice
    among the choices, cloze gaps that do not give each other away."""
    out: Found = []
    cards = data.get("cards")
    if not isinstance(cards, list):
        return out
    sources = data.get("sources")
    source_ids = list(sources) if isinstance(sources, dict) else None
    first: dict[str, int] = {}
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        card_id = card.get("id")
        if isinstance(card_id, str) and card_id:
            if card_id in first:
                line = value_mark(root, ["cards", first[card_id], "id"])[0]
                out.append((value_mark(root, ["cards", i, "id"]),
                            f"card id '{shorten(card_id)}' is already used on line {line} — ids must be unique in a "
                            "deck; rename one of them"))
            else:
                first[card_id] = i
        source = card.get("source")
        if source_ids and isinstance(source, str) and source and not re.search(r"\s", source) \
                and source not in source_ids:
            guess = difflib.get_close_matches(source, source_ids, n=1, cutoff=0.5)
            hint = f" — did you mean '{guess[0]}'?" if guess else f"; the deck's sources are: {', '.join(source_ids)}"
            out.append((value_mark(root, ["cards", i, "source"]),
                        f"source '{shorten(source)}' is not defined under 'sources:'{hint} (or add it there)"))
        kind = card.get("type")
        if kind == "choice":
            out.extend(_check_choice(card, i, root))
        elif kind == "cloze":
            out.extend(_check_cloze(card, i, root))
    out.extend(_check_previous_ids(cards, first, root))
    return out


def _check_previous_ids(cards: list, current: dict[str, int], root: yaml.Node) -> Found:
    """A previous id names one card's past: never a card of this file, never claimed by two cards."""
    out: Found = []
    claimed: dict[str, int] = {}
    for i, card in enumerate(cards):
        previous = card.get("previous_ids") if isinstance(card, dict) else None
        if not isinstance(previous, list):
            continue
        for j, old in enumerate(previous):
            if not isinstance(old, str) or not old:
                continue
            where = value_mark(root, ["cards", i, "previous_ids", j])
            if old in current:
                line = value_mark(root, ["cards", current[old], "id"])[0]
                out.append((where, f"previous id '{shorten(old)}' is the id of a card in this file (line {line}) — a "
                                   "card can only take over the history of an id no card has any more; remove it here"))
            elif old in claimed and claimed[old] != i:
                line = value_mark(root, ["cards", claimed[old], "id"])[0]
                out.append((where, f"previous id '{shorten(old)}' is also claimed by the card on line {line} — one "
                                   "history can move to one card only; remove it from one of them"))
            else:
                claimed.setdefault(old, i)
    return out


def _check_choice(card: dict, i: int, root: yaml.Node) -> Found:
    choices, answer = card.get("choices"), card.get("answer")
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        return []
    out = []
    stripped = [c.strip() for c in choices]
    if len(set(choices)) == len(choices):  # exact repeats are the schema's to report
        seen: dict[str, int] = {}
        for j, c in enumerate(stripped):
            key = visible(c).strip()
            if not key or key not in seen:
                seen.setdefault(key, j)
                continue
            first = seen[key]
            if c == stripped[first]:
                out.append((value_mark(root, ["cards", i, "choices", j]),
                            f"choice '{shorten(c)}' is listed twice (apart from spaces) — every choice must differ"))
                continue
            # The same to a reader, not to quiz: one of them holds an invisible or a combining character.
            index, char = _hidden_difference(c) or _hidden_difference(stripped[first]) or (0, "")
            where = value_mark(root, ["cards", i, "choices", j])
            if _hidden_difference(c):
                where = text_mark(root, ["cards", i, "choices", j], len(choices[j]) - len(choices[j].lstrip()) + index)
            named = f" (one holds {char_name(char)})" if char else ""
            out.append((where, f"choice {j + 1} '{shorten(c)}' reads the same as choice {first + 1}{named} — every "
                               "choice must differ visibly: write the same text the same way, or reword one"))
    if isinstance(answer, str) and answer.strip() and answer.strip() not in stripped:
        guess = difflib.get_close_matches(answer.strip(), stripped, n=1, cutoff=0.5)
        hint = f" (did you mean '{shorten(guess[0])}'?)" if guess else ""
        out.append((value_mark(root, ["cards", i, "answer"]),
                    f"the answer '{shorten(answer.strip())}' is not one of the choices{hint} — the answer must repeat "
                    "the right choice exactly"))
    return out


def _hidden_difference(text: str) -> tuple[int, str] | None:
    """The first character of `text` that a reader does not see as such: an invisible one, or an accent
    written as a combining character (NFC composes it), with its index; None when there is none."""
    for index, char in enumerate(text):
        if INVISIBLE.match(char) or unicodedata.combining(char):
            return index, char
    return None


def _check_cloze(card: dict, i: int, root: yaml.Node) -> Found:
    text = card.get("text")
    if not isinstance(text, str):
        return []
    seen: set[str] = set()
    for gap in gap_texts(text):
        # Two gaps are the same gap when they read the same (case, spaces, punctuation and invisible
        # characters aside): that is also what a gap's history is kept by.
        key = gap_identity(gap) if gap else ""
        if key and key in seen:
            return [(value_mark(root, ["cards", i, "text"]),
                     f"the gap {{{{{shorten(gap)}}}}} appears twice: when one is asked the other shows the answer — "
                     "reword, or make two cards")]
        seen.add(key)
    return []
