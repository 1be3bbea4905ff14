"""`quiz report`: the progress report as one HTML page for a clinician (see docs/report.md)."""
from __future__ import annotations

from datetime import date

import click

from quiz import report as reporting


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-01-31") from None


@click.command()
@click.option("-o", "--output", required=True, metavar="FILE.html", help="The HTML file to write.")
@click.option("--since", callback=_iso_date, metavar="DATE",
              help="Start the period on this day (YYYY-MM-DD); default: the first study day.")
@click.option("--deck", "deck_id", metavar="ID", help="Show only this deck's cards (see `quiz decks list`).")
@click.option("--name", metavar="TEXT", help="The patient's name, shown at the top (omitted if not given).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_obj
def report(env, output: str, since: date | None, deck_id: str | None, name: str | None, force: bool) -> None:
    """Write your progress as one HTML page to print or send to a clinician.

    The page needs no network and no script: charts are drawn in the file, each with its numbers.
    """
    # Refuse a bad target before opening the database.
    reporting.check_output(output, force=force)
    # Read-only: no bundled-deck refresh and no daily backup, so the report never changes the file.
    store = env.open_store(bundled=False, daily_backup=False)
    data = reporting.write(store, output, today=env.today(), since=since, deck_id=deck_id, name=name, force=force)
    totals = data.stats.totals
    click.echo(f"Wrote the progress report ({totals.answers:,} answers on {totals.study_days:,} study days) "
               f"to {output}")
