"""`quiz config`: daily limits and the hour a study day starts (placeholder)."""
from __future__ import annotations

import click


@click.command()
def config() -> None:
    """Show or change settings."""
    raise click.ClickException("not implemented yet")
