"""Export tables streamed as CSV or JSON lines, formatted by SQLite itself (flat memory at any size)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from quiz.store.base import Part
from quiz.store.rows import CARD_STATE_SQL


class Exports(Part):
    """`store.exports`: the reviews, cards and daily tables, one text line per row."""

    def columns(self, what: str) -> tuple[str, ...]:
        """The column names of an export table ('reviews', 'cards' or 'daily'), in file order."""
        return tuple(col.name for col in _EXPORT_TABLES[what].columns)

    def lines(self, what: str, fmt: str, *, young_from: int, mature_from: int) -> Iterator[str]:
        """Stream an export table ('reviews', 'cards', 'daily') as text lines without their ending:
        CSV records (`fmt='csv'`) or one JSON object per row (`fmt='json'`), in file order.

        SQLite formats each line so a million-row log streams at C speed with flat memory (a cursor,
        never a list). CSV text cells are quoted as Python's csv module does (QUOTE_MINIMAL) and deck
        text starting with = + - @ tab or CR gets a leading apostrophe, so a spreadsheet never runs it
        as a formula. `young_from`/`mature_from` classify the cards' `state` column.
        """
        table = _EXPORT_TABLES[what]
        source = table.source
        deck_expr = "c.deck_id"
        if what == "reviews":
            # A card id is `deck/key`, so the deck is the text before the first '/' — unless a deck id
            # itself holds a '/', when the join to cards (about twice as slow) gives the right answer.
            with self.store.sql_errors():
                slashed = self.store.conn.execute("SELECT EXISTS (SELECT 1 FROM decks WHERE instr(id, '/'))").fetchone()[0]
            if slashed:
                source += " JOIN cards c ON c.id = r.card_id"
            else:
                deck_expr = "substr(r.card_id, 1, instr(r.card_id, '/') - 1)"
        exprs = [col.expr.replace("{deck}", deck_expr) for col in table.columns]
        if fmt == "csv":
            # Ids rarely hold a comma, a quote or a formula start; when none does, their cells are
            # written as they are (half the time on a million reviews), else every one is checked.
            plain_ids = not self._ids_need_csv_care()
            cells = [_sql_csv_cell(e) if col.deck_text and not (col.is_id and plain_ids) else e
                     for e, col in zip(exprs, table.columns)]
            select = "printf('" + ",".join(["%s"] * len(cells)) + "', " + ", ".join(cells) + ")"
        elif fmt == "json":
            pairs = []
            for e, col in zip(exprs, table.columns):
                value = f"json(CASE WHEN {e} THEN 'true' ELSE 'false' END)" if col.boolean else e
                pairs.append(f"'{col.name}', {value}")
            select = "json_object(" + ", ".join(pairs) + ")"
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        sql = f"SELECT {select} FROM {source} {table.tail}"
        params = {"young": young_from, "mature": mature_from}
        with self.store.sql_errors():
            cursor = self.store.conn.execute(sql, params)
            for (line,) in cursor:
                yield line

    def _ids_need_csv_care(self) -> bool:
        """Whether any card or deck id would need quoting or a formula guard in a CSV cell."""
        care = f"{_sql_formula_start('id')} OR {_sql_needs_quotes('id')}"
        with self.store.sql_errors():
            return bool(self.store.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM cards WHERE {care}) OR EXISTS (SELECT 1 FROM decks WHERE {care})"
            ).fetchone()[0])


class _ExportColumn(NamedTuple):
    name: str
    expr: str  # SQL; `{deck}` stands for the review's deck id
    deck_text: bool = False  # text written by a deck author: CSV-quoted and formula-guarded
    is_id: bool = False  # a card or deck id: deck text, but checked once for the whole store
    boolean: bool = False  # 0/1 in CSV, false/true in JSON


class _ExportTable(NamedTuple):
    source: str
    tail: str
    columns: tuple[_ExportColumn, ...]


_EXPORT_TABLES = {
    "reviews": _ExportTable(
        "reviews r", "ORDER BY r.id",
        (
            _ExportColumn("review_id", "r.id"),
            _ExportColumn("reviewed_at", "r.reviewed_at"),
            _ExportColumn("study_day", "r.study_day"),
            _ExportColumn("deck_id", "{deck}", deck_text=True, is_id=True),
            _ExportColumn("card_id", "r.card_id", deck_text=True, is_id=True),
            _ExportColumn("kind", "r.kind"),
            _ExportColumn("grade", "r.quality"),
            _ExportColumn("answer_ms", "r.answer_ms"),
            _ExportColumn("repetitions", "r.reps_after"),
            _ExportColumn("easiness", "r.easiness_after / 100.0"),
            _ExportColumn("interval_days", "r.interval_after"),
            _ExportColumn("due_on", "r.due_after"),
            _ExportColumn("lapses", "r.lapses_after"),
        ),
    ),
    "cards": _ExportTable(
        "cards c JOIN card_state s ON s.card_id = c.id JOIN decks d ON d.id = c.deck_id",
        "ORDER BY d.position, c.position, c.id",
        (
            _ExportColumn("card_id", "c.id", deck_text=True, is_id=True),
            _ExportColumn("deck_id", "c.deck_id", deck_text=True, is_id=True),
            _ExportColumn("type", "c.type"),
            _ExportColumn("prompt", "c.prompt", deck_text=True),
            _ExportColumn("answer", "c.answer", deck_text=True),
            _ExportColumn("state", CARD_STATE_SQL),
            _ExportColumn("repetitions", "s.repetitions"),
            _ExportColumn("easiness", "s.easiness_centi / 100.0"),
            _ExportColumn("interval_days", "s.interval_days"),
            _ExportColumn("due_on", "s.due_on"),
            _ExportColumn("lapses", "s.lapses"),
            _ExportColumn("suspended", "s.suspended", boolean=True),
            _ExportColumn("retired", "c.retired", boolean=True),
            _ExportColumn("buried_until", "s.buried_until"),
            _ExportColumn("added_on", "c.added_on"),
        ),
    ),
    "daily": _ExportTable(
        "day_totals", "WHERE reviews + drills > 0 ORDER BY study_day",
        (
            _ExportColumn("study_day", "study_day"),
            _ExportColumn("reviews", "reviews"),
            _ExportColumn("new_cards", "new_cards"),
            _ExportColumn("passed", "passed"),
            _ExportColumn("drills", "drills"),
            _ExportColumn("time_ms", "time_ms"),
            _ExportColumn("learned_reviews", "learned_reviews"),
            _ExportColumn("learned_passed", "learned_passed"),
            _ExportColumn("retention", "CASE WHEN learned_reviews > 0 THEN round(learned_passed * 1.0 / learned_reviews, 4) END"),
        ),
    ),
}


#: First characters that make a spreadsheet treat a cell as a formula (= + - @, and tab/CR per OWASP).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _sql_formula_start(expr: str) -> str:
    return f"(unicode({expr}) IN ({', '.join(str(ord(ch)) for ch in CSV_FORMULA_STARTS)}))"


def _sql_needs_quotes(expr: str) -> str:
    return f"(instr({expr}, ',') OR instr({expr}, '\"') OR instr({expr}, char(10)) OR instr({expr}, char(13)))"


def _sql_csv_cell(expr: str) -> str:
    """SQL for one CSV cell of deck text: a leading apostrophe before a formula start, then quoted
    exactly when Python's csv.writer (QUOTE_MINIMAL, CRLF) would quote it."""
    guarded = f"(CASE WHEN {_sql_formula_start(expr)} THEN '''' || {expr} ELSE {expr} END)"
    return f"(CASE WHEN {_sql_needs_quotes(expr)} THEN '\"' || replace({guarded}, '\"', '\"\"') || '\"' ELSE {guarded} END)"
