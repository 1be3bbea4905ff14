"""`quiz decks lint`: the reading grade of every card, and the cards above a limit."""
from __future__ import annotations

import sys

import click

from quiz import lint as readability
from quiz.decks import load_decks


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option(
    "--max-grade",
    type=click.FloatRange(min=0),
    default=readability.MAX_GRADE,
    show_default=True,
    metavar="GRADE",
    help="Flag cards whose question, answer, card or explanation reads above this grade.",
)
@click.option(
    "--max-explanation-median",
    type=click.FloatRange(min=0),
    default=readability.MAX_EXPLANATION_MEDIAN,
    show_default=True,
    metavar="GRADE",
    help="Fail when the median explanation reads above this grade.",
)
@click.option("--flagged-only", is_flag=True, help="List only the flagged cards and the summary.")
def lint(paths: tuple[str, ...], max_grade: float, max_explanation_median: float, flagged_only: bool) -> None:
    """Report the reading grade of each card's question, answer and explanation.

    PATH is a deck file or a folder of decks. Grades are Flesch–Kincaid US school grades (via
    textstat): "question" is the prompt alone, "answer" the answer alone ("-" for a one-word answer,
    which is not graded: the formula means nothing on one word), "card" everything read for the card
    (prompt, choices, answer) and "expl." the explanation. Each is compared with --max-grade, and the
    median explanation with --max-explanation-median. Exits 0 when nothing is above them, 1
    otherwise; a deck that does not validate is reported as by `quiz decks validate`.
    """
    # Loading goes through the validator, so a bad path or deck gives its file:line:col message.
    decks = [f.deck for f in load_decks(list(paths))]
    grades = readability.grade_decks(decks)
    summary = readability.summarise(grades, max_grade, max_explanation_median)
    click.echo(readability.format_report(decks, grades, summary, flagged_only=flagged_only))
    if not summary.ok:
        sys.exit(1)
