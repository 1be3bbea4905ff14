"""`quiz decks lint`: the reading grade of every card, and the cards above a limit."""
from __future__ import annotations

import sys

import click

from quiz import lint as readability


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option(
    "--max-grade",
    type=click.FloatRange(min=0),
    default=readability.MAX_GRADE,
    show_default=True,
    metavar="GRADE",
    help="Flag cards whose reading grade is above this.",
)
@click.option("--flagged-only", is_flag=True, help="List only the flagged cards and the summary.")
def lint(paths: tuple[str, ...], max_grade: float, flagged_only: bool) -> None:
    """Report the reading grade of each card's question and answer.

    PATH is a deck file or a folder of decks. Grades are Flesch–Kincaid US school grades (via
    textstat): "question" is the prompt alone, "answer" the answer alone, and "card" everything read
    for the card (prompt, choices, answer), which is what is compared with --max-grade. Exits 0 when
    no card is above it, 1 otherwise; a deck that does not validate is reported as by
    `quiz decks validate`.
    """
    # Loading goes through the validator, so a bad path or deck gives its file:line:col message.
    from quiz.decks import load_decks

    decks = [f.deck for f in load_decks(list(paths))]
    grades = readability.grade_decks(decks)
    summary = readability.summarise(grades, max_grade)
    click.echo(readability.format_report(decks, grades, summary, flagged_only=flagged_only))
    if not summary.ok:
        sys.exit(1)
