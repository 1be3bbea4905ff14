"""`quiz decks lint`: reading grade of every card (placeholder until the readability work lands)."""
from __future__ import annotations

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def lint(paths: tuple[str, ...]) -> None:
    """Report the reading grade of each card's question and answer."""
    raise click.ClickException("not implemented yet")
