"""Decks in the store: importing a deck file's cards (keeping every card's history) and listing decks."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from quiz.models import Card, Deck
from quiz.store.base import Part
from quiz.store.errors import StoreCorrupt


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

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.restored or self.deck_changed)


class DeckSummary(NamedTuple):
    id: str
    title: str
    description: str
    total: int  # active (not retired) cards
    new: int
    due: int  # reviews due today or earlier (not new, not suspended, not buried)
    learned: int  # reviewed at least once and currently passed (repetitions > 0)
    suspended: int

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
                r[0]: (r[1], bool(r[2]), r[3])
                for r in self.store.conn.execute("SELECT id, content_hash, retired, position FROM cards WHERE deck_id = ?", (deck.id,))
            }
            inserts, updates, moves, states = [], [], [], []
            seen = set()
            added_on = today.isoformat()
            for position, card in enumerate(deck.cards):
                cid = card.id
                seen.add(cid)
                values = _card_values(card)
                digest = _values_hash(values)
                old = existing.get(cid)
                if old is None:
                    inserts.append((cid, deck.id, card.key, card.gap, *values, position, digest, added_on))
                    states.append((cid,))
                    report.added.append(cid)
                    continue
                old_hash, was_retired, old_position = old
                if old_hash != digest:
                    updates.append((*values, position, digest, cid))
                    report.changed.append(cid)
                elif old_position != position or was_retired:
                    moves.append((position, cid))
                    if not was_retired:
                        report.unchanged.append(cid)
                else:
                    report.unchanged.append(cid)
                if was_retired:
                    report.restored.append(cid)
            retire = [cid for cid, (_, was_retired, _) in existing.items() if cid not in seen and not was_retired]
            report.retired.extend(retire)
            columns = "type, prompt, answer, choices, tags, source, explanation"
            self.store.conn.executemany(
                f"INSERT INTO cards (id, deck_id, card_key, gap, {columns}, position, content_hash, added_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self.store.conn.executemany("INSERT INTO card_state (card_id) VALUES (?)", states)
            self.store.conn.executemany(
                "UPDATE cards SET type = ?, prompt = ?, answer = ?, choices = ?, tags = ?, source = ?,"
                " explanation = ?, position = ?, content_hash = ?, retired = 0 WHERE id = ?",
                updates,
            )
            self.store.conn.executemany("UPDATE cards SET position = ?, retired = 0 WHERE id = ?", moves)
            self.store.conn.executemany("UPDATE cards SET retired = 1 WHERE id = ?", [(cid,) for cid in retire])
        return report

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
        """Per deck: active cards, new, due today, learned, suspended (in deck order)."""
        day = today.isoformat()
        with self.store.sql_errors():
            rows = self.store.conn.execute(
                """
                SELECT d.id, d.title, d.description,
                       COUNT(c.id),
                       COALESCE(SUM(s.due_on IS NULL AND s.suspended = 0), 0),
                       COALESCE(SUM(s.due_on IS NOT NULL AND s.due_on <= ? AND s.suspended = 0
                                    AND (s.buried_until IS NULL OR s.buried_until <= ?)), 0),
                       COALESCE(SUM(s.repetitions > 0), 0),
                       COALESCE(SUM(s.suspended), 0)
                FROM decks d
                LEFT JOIN cards c ON c.deck_id = d.id AND c.retired = 0
                LEFT JOIN card_state s ON s.card_id = c.id
                GROUP BY d.id ORDER BY d.position
                """,
                (day, day),
            ).fetchall()
        return [DeckSummary(*r) for r in rows]

    def any(self) -> bool:
        with self.store.sql_errors():
            return self.store.conn.execute("SELECT EXISTS (SELECT 1 FROM decks)").fetchone()[0] == 1


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
