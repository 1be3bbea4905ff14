"""Reading grade of deck cards (Flesch–Kincaid via textstat): per card, a summary, and what is above a limit.

Every text a patient reads on a card is graded: the question, the answer (unless it is a single word:
the formula is meaningless on one word, "Sciatica." alone scores grade 32), the card as read
(question, choices and answer together) and the explanation. Each must be at or below `MAX_GRADE`,
and the median explanation at or below `MAX_EXPLANATION_MEDIAN`.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

from quiz.models import Card, CardType, Deck
from quiz.text import escape_controls, plural

#: No question, answer (of more than one word), card or explanation may read above this US school grade.
MAX_GRADE = 9.0
#: The median explanation may read at most at this grade: explanations are what a patient reads most.
MAX_EXPLANATION_MEDIAN = 6.0

#: The parts of a card that are graded, in the order they are reported.
PARTS = ("question", "answer", "card", "explanation")


def reading_grade(text: str) -> float:
    """The Flesch–Kincaid grade level of `text`, rounded to 0.1 and never below 0 (0 for no words).

    The formula goes negative for very short, very plain text ("True." scores -3.4); a school grade
    below zero means nothing, so it is floored.
    """
    if not any(ch.isalnum() for ch in text):
        return 0.0
    return max(0.0, round(textstat.flesch_kincaid_grade(text), 1))


def is_one_word(text: str) -> bool:
    """True for an answer of a single word ("7%.", "Anticonvulsants.", "true"), which is not graded."""
    return len(text.split()) <= 1


@dataclass(frozen=True)
class CardGrade:
    """The reading grades of one card as it is asked (one per gap for a cloze card).

    `question` grades the prompt alone (a cloze with its gap blanked), `answer` the answer alone
    (None for a one-word answer, which is not graded), `overall` (the "card" column of the report)
    everything the patient reads for the card in one passage: the prompt, the choices of a choice
    card, and the answer; `explanation` the explanation shown after the answer.
    """

    card: Card
    path: str
    question: float
    answer: float | None
    overall: float
    explanation: float

    def parts_above(self, max_grade: float) -> tuple[tuple[str, float], ...]:
        """The graded parts of this card above `max_grade`, as (part, grade) pairs in `PARTS` order."""
        graded = (("question", self.question), ("answer", self.answer),
                  ("card", self.overall), ("explanation", self.explanation))
        return tuple((part, grade) for part, grade in graded if grade is not None and grade > max_grade)


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
        answer=None if is_one_word(card.answer) else reading_grade(_as_sentence(card.answer)),
        overall=reading_grade(card_passage(card)),
        explanation=reading_grade(card.explanation),
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
    explanations: int = 0
    explanation_median: float = 0.0
    highest_explanation: CardGrade | None = None
    max_explanation_median: float = MAX_EXPLANATION_MEDIAN

    @property
    def explanation_median_ok(self) -> bool:
        return self.explanation_median <= self.max_explanation_median

    @property
    def ok(self) -> bool:
        """True when no graded part of any card is above the limit and the median explanation is plain."""
        return not self.above and self.explanation_median_ok


def summarise(grades: list[CardGrade], max_grade: float = MAX_GRADE,
              max_explanation_median: float = MAX_EXPLANATION_MEDIAN) -> LintSummary:
    """Count, median and highest card grade; the explanations' median and highest; the cards with a
    part above `max_grade`.

    A cloze card with several gaps is graded once per gap, but its one explanation counts once in
    the explanation median.
    """
    overall = [g.overall for g in grades]
    explained: dict[tuple[str, str, str], CardGrade] = {}
    for g in grades:
        explained.setdefault((g.path, g.card.deck_id, g.card.key), g)
    explanations = [g.explanation for g in explained.values()]
    return LintSummary(
        cards=len(grades),
        median=round(statistics.median(overall), 1) if overall else 0.0,
        above=tuple(g for g in grades if g.parts_above(max_grade)),
        highest=max(grades, key=lambda g: g.overall, default=None),
        max_grade=max_grade,
        explanations=len(explanations),
        explanation_median=round(statistics.median(explanations), 1) if explanations else 0.0,
        highest_explanation=max(explained.values(), key=lambda g: g.explanation, default=None),
        max_explanation_median=max_explanation_median,
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
            lines.append(f"  {'question':>8}  {'answer':>6}  {'card':>5}  {'expl.':>5}  id")
            for g in rows:
                mark = f"  <- above grade {limit}" if g.parts_above(summary.max_grade) else ""
                answer = "-" if g.answer is None else f"{g.answer:.1f}"
                lines.append(f"  {g.question:8.1f}  {answer:>6}  {g.overall:5.1f}  {g.explanation:5.1f}  "
                             f"{g.card.id}{mark}")
            lines.append("")
    for g in summary.above:
        where = f"{g.path}:{g.card.line}" if g.path and g.card.line else (g.path or g.card.deck_id)
        where = escape_controls(where)
        parts = ", ".join(f"{part} {grade:.1f}" for part, grade in g.parts_above(summary.max_grade))
        lines.append(f"{where}: card {g.card.id} reads above grade {limit}: {parts}")
    if not summary.explanation_median_ok:
        lines.append(
            f"the median explanation reads at grade {summary.explanation_median:.1f}, "
            f"above grade {_number(summary.max_explanation_median)}: write the explanations more plainly"
        )
    if summary.above or not summary.explanation_median_ok:
        lines.append("")
    lines.append(summary_line(summary, decks=len(decks)))
    return "\n".join(lines)


def summary_line(summary: LintSummary, decks: int) -> str:
    """One line: how many cards, the median and highest card and explanation grades, how many cards
    have a part above the limit."""
    if not summary.cards:
        return f"{plural(decks, 'deck')}, no cards"
    highest, explanation = summary.highest, summary.highest_explanation
    assert highest is not None and explanation is not None
    return (
        f"{plural(summary.cards, 'card')} in {plural(decks, 'deck')}: "
        f"median grade {summary.median:.1f}, highest {highest.overall:.1f} ({highest.card.id}); "
        f"explanations median {summary.explanation_median:.1f} "
        f"(at most {_number(summary.max_explanation_median)}), "
        f"highest {explanation.explanation:.1f} ({explanation.card.id}); "
        f"{len(summary.above)} above grade {_number(summary.max_grade)}"
    )


def _number(value: float) -> str:
    return f"{value:g}"
