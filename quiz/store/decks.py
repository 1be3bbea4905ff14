"""Decks in the store: importing a deck file's cards (keeping every card's history) and listing decks."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from quiz.models import Card, Deck
from quiz.states import MATURE_FROM_DAYS, YOUNG_FROM_DAYS
from quiz.store.base import Part
from quiz.store.errors import StoreCorrupt
from quiz.store.rows import CARD_STATE_SQL
from quiz.text import visible


@dataclass
class ImportReport:
    """What one deck import did, by card id."""

    deck_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deck_changed: bool = False
    #: (old id, new id): a card whose history moved to its new id (it names the old one in previous_ids).
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: (old id, new id): a cloze gap numbered by a quiz before 0.2 (deck/card#2), now known by its words.
    gaps_named: list[tuple[str, str]] = field(default_factory=list)
    #: (old key, new key): a card gone from the file while one with the same text came under a new id,
    #: without previous_ids: most likely a rename that lost the card's history.
    suspected_renames: list[tuple[str, str]] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.restored or self.deck_changed or self.renamed
                    or self.gaps_named)


class DeckSummary(NamedTuple):
    """A deck's active (not retired) cards split by state (quiz.states): the parts add up to `total`.

    `due` is not a part: it counts the learning, young and mature cards due today or earlier (not
    buried), which a session asks within the daily limits."""

    id: str
    title: str
    description: str
    total: int
    new: int
    learning: int
    young: int
    mature: int
    suspended: int
    due: int

class Decks(Part):
    """`store.decks`: the decks and their cards' text (never their schedules)."""

    def hashes(self) -> dict[str, str]:
        """Deck id -> content hash of the file it was last imported from."""
        with self.store.sql_errors():
            return dict(self.store.conn.execute("SELECT id, content_hash FROM decks").fetchall())

    def sync(self, deck: Deck, *, today: date, origin: str = "", content_hash: str = "") -> ImportReport:
        """Bring the stored deck in line with `deck`, keeping every card's history and schedule.

        Identity is the card id, never its text: an edited card keeps its schedule and is reported
        as changed; a card gone from the file is retired (history kept) and restored if it returns.
        Runs in one transaction (or joins the caller's).
        """
        report = ImportReport(deck.id)
        with self.store.transaction():
            row = self.store.conn.execute(
                "SELECT title, description, sources, reminder, position FROM decks WHERE id = ?", (deck.id,)
            ).fetchone()
            sources = json.dumps(deck.sources, ensure_ascii=False, sort_keys=True)
            if row is None:
                position = self.store.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM decks").fetchone()[0]
                report.deck_changed = True
            else:
                position = row[4]
                report.deck_changed = tuple(row[:4]) != (deck.title, deck.description, sources, deck.reminder)
            self.store.conn.execute(
                "INSERT INTO decks (id, title, description, sources, reminder, origin, content_hash, position, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
                " description = excluded.description, sources = excluded.sources, reminder = excluded.reminder,"
                " origin = excluded.origin, content_hash = excluded.content_hash, imported_at = excluded.imported_at",
                (deck.id, deck.title, deck.description, sources, deck.reminder, origin, content_hash, position,
                 today.isoformat()),
            )
            existing = {
                r[0]: _Stored(*r[1:])
                for r in self.store.conn.execute(
                    "SELECT id, content_hash, retired, position, card_key, gap, type, prompt, answer FROM cards"
                    " WHERE deck_id = ?", (deck.id,))
            }
            carried = self._predecessors(deck, existing)
            inserts, updates, moves, states = [], [], [], []
            seen = set()
            added_on = today.isoformat()
            for position, card in enumerate(deck.cards):
                cid = card.id
                seen.add(cid)
                values = _card_values(card)
                digest = _values_hash(values)
                old = existing.get(cid)
                if cid in carried:
                    predecessor = carried[cid]
                    (report.gaps_named if existing[predecessor].key == card.key else report.renamed).append(
                        (predecessor, cid))
                    if old is None:
                        inserts.append((cid, deck.id, card.key, card.gap, *values, position, digest, added_on))
                    else:
                        updates.append((*values, position, digest, cid))
                    continue
                if old is None:
                    inserts.append((cid, deck.id, card.key, card.gap, *values, position, digest, added_on))
                    states.append((cid,))
                    report.added.append(cid)
                    continue
                if old.content_hash != digest:
                    updates.append((*values, position, digest, cid))
                    report.changed.append(cid)
                elif old.position != position or old.retired:
                    moves.append((position, cid))
                    if not old.retired:
                        report.unchanged.append(cid)
                else:
                    report.unchanged.append(cid)
                if old.retired:
                    report.restored.append(cid)
            gone = set(carried.values())
            retire = [cid for cid, row in existing.items() if cid not in seen and cid not in gone and not row.retired]
            report.retired.extend(retire)
            report.suspected_renames = _suspected_renames(deck, [existing[cid] for cid in retire], set(report.added))
            columns = "type, prompt, answer, choices, tags, source, explanation"
            self.store.conn.executemany(
                f"INSERT INTO cards (id, deck_id, card_key, gap, {columns}, position, content_hash, added_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self.store.conn.executemany("INSERT INTO card_state (card_id) VALUES (?)", states)
            for new, old_id in carried.items():
                self._move_history(old_id, new)
            self.store.conn.executemany(
                "UPDATE cards SET type = ?, prompt = ?, answer = ?, choices = ?, tags = ?, source = ?,"
                " explanation = ?, position = ?, content_hash = ?, retired = 0 WHERE id = ?",
                updates,
            )
            self.store.conn.executemany("UPDATE cards SET position = ?, retired = 0 WHERE id = ?", moves)
            self.store.conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", [(cid,) for cid in retire])
        return report

    def _predecessors(self, deck: Deck, existing: dict[str, _Stored]) -> dict[str, str]:
        """New card id -> the stored id whose history it takes over: one it names in previous_ids, or
        (for a cloze gap stored by a quiz before 0.2 as deck/card#n) the numbered gap with the same words.

        A card takes a history over when it has none of its own yet: its id is new, or it came in at
        an earlier import and was never answered (so adding previous_ids after the fact still works).
        """
        # Imported here: the store is opened at every start, which must not load the deck parser
        # (tests/test_startup.py); a sync comes with a parsed deck, so the parser is loaded by then.
        from quiz.decks.gaps import gap_identity

        current = {card.id for card in deck.cards}
        taken: set[str] = set()
        carried: dict[str, str] = {}
        for card in deck.cards:
            if card.id in existing and self._has_history(card.id):
                continue
            for key in (card.key, *card.previous_ids):
                candidates = [f"{deck.id}/{key}" if card.gap is None else f"{deck.id}/{key}#{card.gap}"]
                if card.gap is not None:  # a gap numbered by an older quiz, with the same words
                    candidates += [cid for cid, row in existing.items() if row.key == key and isinstance(row.gap, int)
                                   and row.type == "cloze" and gap_identity(row.answer) == card.gap]
                found = next((c for c in candidates if c != card.id and c in existing and c not in current
                              and c not in taken and (card.id not in existing or self._has_history(c))), None)
                if found:
                    carried[card.id] = found
                    taken.add(found)
                    break
        return carried

    def _has_history(self, card_id: str) -> bool:
        return self.store.conn.execute("SELECT EXISTS (SELECT 1 FROM reviews WHERE card_id = ?)",
                                       (card_id,)).fetchone()[0] == 1

    def _move_history(self, old: str, new: str) -> None:
        """Give card `new` (already in the cards table) the schedule and review log of card `old`, and
        drop `old`; in the caller's transaction."""
        conn = self.store.conn
        conn.execute("DELETE FROM card_state WHERE card_id = ?", (new,))  # a fresh state of its own, if any
        conn.execute("UPDATE card_state SET card_id = ? WHERE card_id = ?", (new, old))
        conn.execute("UPDATE reviews SET card_id = ? WHERE card_id = ?", (new, old))
        conn.execute("UPDATE cards SET added_on = (SELECT added_on FROM cards WHERE id = ?) WHERE id = ?", (old, new))
        conn.execute("DELETE FROM cards WHERE id = ?", (old,))

    def ids(self) -> list[str]:
        with self.store.sql_errors():
            return [r[0] for r in self.store.conn.execute("SELECT id FROM decks ORDER BY position")]

    def titles(self) -> dict[str, str]:
        """Deck id -> title, in deck order."""
        with self.store.sql_errors():
            return dict(self.store.conn.execute("SELECT id, title FROM decks ORDER BY position").fetchall())

    def info(self, deck_id: str) -> dict | None:
        """Title, description, sources (dict), reminder and origin of a stored deck, or None."""
        with self.store.sql_errors():
            row = self.store.conn.execute(
                "SELECT id, title, description, sources, reminder, origin FROM decks WHERE id = ?", (deck_id,)
            ).fetchone()
        if row is None:
            return None
        try:
            sources = json.loads(row[3])
        except (TypeError, ValueError):
            raise StoreCorrupt(f"{self.store.path} is damaged (the sources of deck {deck_id!r} cannot be read); "
                               "run `quiz check` and restore a backup with `quiz restore`") from None
        return {"id": row[0], "title": row[1], "description": row[2], "sources": sources,
                "reminder": row[4], "origin": row[5]}

    def summaries(self, today: date) -> list[DeckSummary]:
        """Per deck, in deck order: its active cards split by state (as CARD_STATE_SQL says), and how
        many are due today."""
        sql = f"""
            SELECT d.id, d.title, d.description, COUNT(c.deck_id),
                   COALESCE(SUM(c.state = 'new'), 0), COALESCE(SUM(c.state = 'learning'), 0),
                   COALESCE(SUM(c.state = 'young'), 0), COALESCE(SUM(c.state = 'mature'), 0),
                   COALESCE(SUM(c.state = 'suspended'), 0),
                   COALESCE(SUM(c.due_on <= :day AND c.suspended = 0
                                AND (c.buried_until IS NULL OR c.buried_until <= :day)), 0)
            FROM decks d
            LEFT JOIN (SELECT c.deck_id, s.due_on, s.suspended, s.buried_until, {CARD_STATE_SQL} AS state
                       FROM cards c JOIN card_state s ON s.card_id = c.id WHERE c.retired = 0) c
                   ON c.deck_id = d.id
            GROUP BY d.id ORDER BY d.position
        """
        params = {"day": today.isoformat(), "young": YOUNG_FROM_DAYS, "mature": MATURE_FROM_DAYS}
        with self.store.sql_errors():
            rows = self.store.conn.execute(sql, params).fetchall()
        return [DeckSummary(*r) for r in rows]

    def any(self) -> bool:
        with self.store.sql_errors():
            return self.store.conn.execute("SELECT EXISTS (SELECT 1 FROM decks)").fetchone()[0] == 1


class _Stored(NamedTuple):
    """A stored card, as an import compares it with the deck file."""

    content_hash: str
    retired: bool
    position: int
    key: str
    gap: str | int | None
    type: str
    prompt: str
    answer: str


def _suspected_renames(deck: Deck, retired: list[_Stored], added: set[str]) -> list[tuple[str, str]]:
    """(old key, new key) for each card retired by this import whose text came back under a new id."""
    by_text: dict[tuple[str, str, str], str] = {}
    for card in deck.cards:
        if card.id in added:
            by_text.setdefault((card.type.value, visible(card.prompt), visible(card.answer)), card.key)
    pairs = []
    for row in retired:
        new_key = by_text.get((row.type, visible(row.prompt), visible(row.answer)))
        if new_key is not None and (row.key, new_key) not in pairs:
            pairs.append((row.key, new_key))
    return pairs


_JSON = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=4096)
def _json_list(items: tuple[str, ...]) -> str:
    # Cached: the cards of a deck share a handful of tag lists.
    return _JSON.encode(list(items)) if items else "[]"


def _card_values(card: Card) -> tuple:
    return (card.type.value, card.prompt, card.answer, _json_list(card.choices), _json_list(card.tags),
            card.source, card.explanation)


def _values_hash(values: tuple) -> str:
    """Identifies a card's stored text, to tell an edited card from an unchanged one."""
    # Fields are text; a separator that cannot appear in YAML text keeps "a"+"bc" apart from "ab"+"c".
    return hashlib.sha256("\x00".join(values).encode()).hexdigest()[:16]
