"""`quiz decks ...`: validate, import, list, new, lint."""
from __future__ import annotations

import click


@click.group()
def decks() -> None:
    """Write, check and import decks (YAML files)."""


from quiz.commands.lint import lint  # noqa: E402

decks.add_command(lint)
