"""Reading grade of deck cards (Flesch–Kincaid via textstat): per card, a summary, and the cards above a limit."""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

from quiz.models import Card, CardType, Deck
from quiz.text import escape_controls, plural

#: The plain-language target for patient material: US school grade 8 or lower.
MAX_GRADE = 8.0


def reading_grade(text: str) -> float:
    """The Flesch–Kincaid grade level of `text`, rounded to 0.1 and never below 0 (0 for no words).

    The formula goes negative for very short, very plain text ("True." scores -3.4); a school grade
    below zero means nothing, so it is floored.
    """
    if not any(ch.isalnum() for ch in text):
        return 0.0
    return max(0.0, round(textstat.flesch_kincaid_grade(text), 1))


@dataclass(frozen=True)
class CardGrade:
    """The reading grades of one card as it is asked (one per gap for a cloze card).

    `question` grades the prompt alone, `answer` the answer alone, and `overall` (the "card" column
    of the report) everything the patient reads for the card in one passage: the prompt, the choices
    of a choice card, and the answer. Only `overall` is compared with the limit: the formula is
    unstable on a few words (the one-word answer "Sciatica." scores grade 32), and a card is read as
    a whole.
    """

    card: Card
    path: str
    question: float
    answer: float
    overall: float


def card_passage(card: Card) -> str:
    """Everything the patient reads for `card` before and at the answer, as sentences."""
    parts = [card.prompt]
    if card.type is CardType.CHOICE:
        parts += list(card.choices)
        if card.answer not in card.choices:  # only an invalid deck; graded all the same
            parts.append(card.answer)
    else:
        parts.append(card.answer)
    return " ".join(_as_sentence(p) for p in parts if p.strip())


def _as_sentence(text: str) -> str:
    # The formula counts sentences by their end marks; a choice or a short answer without one would
    # otherwise run on into the next part and look like one long sentence.
    text = text.strip()
    return text if text[-1] in ".!?" else text + "."


def grade_card(card: Card, path: str = "") -> CardGrade:
    """The reading grades of one card."""
    return CardGrade(
        card=card,
        path=path,
        question=reading_grade(card.prompt),
        answer=reading_grade(card.answer),
        overall=reading_grade(card_passage(card)),
    )


def grade_decks(decks: Iterable[Deck]) -> list[CardGrade]:
    """Every card of every deck, graded, in deck and file order."""
    return [grade_card(card, deck.path) for deck in decks for card in deck.cards]


@dataclass(frozen=True)
class LintSummary:
    cards: int
    median: float
    above: tuple[CardGrade, ...]
    highest: CardGrade | None
    max_grade: float

    @property
    def ok(self) -> bool:
        """True when no card is above the limit."""
        return not self.above


def summarise(grades: list[CardGrade], max_grade: float = MAX_GRADE) -> LintSummary:
    """Count, median and highest card grade, and the cards whose grade is above `max_grade`."""
    overall = [g.overall for g in grades]
    return LintSummary(
        cards=len(grades),
        median=round(statistics.median(overall), 1) if overall else 0.0,
        above=tuple(g for g in grades if g.overall > max_grade),
        highest=max(grades, key=lambda g: g.overall, default=None),
        max_grade=max_grade,
    )


def format_report(decks: list[Deck], grades: list[CardGrade], summary: LintSummary, *,
                  flagged_only: bool = False) -> str:
    """The plain-text report `quiz decks lint` prints: a table per deck, the flagged cards, a summary.

    File paths are printed with their control characters escaped (a file name may hold any of them).
    """
    limit = _number(summary.max_grade)
    lines: list[str] = []
    if not flagged_only:
        by_deck: dict[tuple[str, str], list[CardGrade]] = {}
        for g in grades:
            by_deck.setdefault((g.path, g.card.deck_id), []).append(g)
        for deck in decks:
            rows = by_deck.get((deck.path, deck.id), [])
            lines.append(f"{escape_controls(deck.path or deck.id)}: deck {deck.id}, {plural(len(rows), 'card')}")
            lines.append(f"  {'question':>8}  {'answer':>6}  {'card':>5}  id")
            for g in rows:
                mark = f"  <- above grade {limit}" if g.overall > summary.max_grade else ""
                lines.append(f"  {g.question:8.1f}  {g.answer:6.1f}  {g.overall:5.1f}  {g.card.id}{mark}")
            lines.append("")
    for g in summary.above:
        where = f"{g.path}:{g.card.line}" if g.path and g.card.line else (g.path or g.card.deck_id)
        where = escape_controls(where)
        lines.append(
            f"{where}: card {g.card.id} reads at grade {g.overall:.1f} "
            f"(question {g.question:.1f}, answer {g.answer:.1f}), above grade {limit}"
        )
    if summary.above:
        lines.append("")
    lines.append(summary_line(summary, decks=len(decks)))
    return "\n".join(lines)


def summary_line(summary: LintSummary, decks: int) -> str:
    """One line: how many cards, their median and highest grade, and how many are above the limit."""
    if not summary.cards:
        return f"{plural(decks, 'deck')}, no cards"
    highest = summary.highest
    assert highest is not None
    return (
        f"{plural(summary.cards, 'card')} in {plural(decks, 'deck')}: "
        f"median grade {summary.median:.1f}, highest {highest.overall:.1f} ({highest.card.id}), "
        f"{len(summary.above)} above grade {_number(summary.max_grade)}"
    )


def _number(value: float) -> str:
    return f"{value:g}"
