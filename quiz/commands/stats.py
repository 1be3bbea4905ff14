"""`quiz stats` and `quiz export` (placeholder until the stats work lands)."""
from __future__ import annotations

import click


@click.command()
def stats() -> None:
    """Print your progress figures."""
    raise click.ClickException("not implemented yet")


@click.command()
def export() -> None:
    """Export reviews, cards or daily figures as CSV or JSON."""
    raise click.ClickException("not implemented yet")
