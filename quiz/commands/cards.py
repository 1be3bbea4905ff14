"""`quiz suspended` and `quiz unsuspend`: see suspended cards and bring them back into sessions."""
from __future__ import annotations

import click

from quiz.errors import QuizError
from quiz.text import escape_controls, one_line


@click.command()
@click.option("--deck", "deck_id", metavar="ID", help="Only this deck's cards.")
@click.pass_obj
def suspended(env, deck_id: str | None) -> None:
    """List suspended cards (they stay out of every session until unsuspended)."""
    store = env.open_store(bundled=False, daily_backup=False)
    if deck_id is not None and deck_id not in store.decks.ids():
        decks = ", ".join(escape_controls(d) for d in store.decks.ids())
        raise QuizError(f"no deck '{escape_controls(deck_id)}'; decks: {decks or 'none'}")
    cards = store.cards.suspended(deck_id=deck_id)
    if not cards:
        click.echo("No suspended cards.")
        return
    # Ids and prompts come from the database: shown on one line, with nothing a terminal would act on
    # (an id escaped rather than cleaned, so what is shown still names the card).
    rows = [(escape_controls(due.card.id), escape_controls(one_line(due.card.prompt, 70))) for due in cards]
    width = max(len(card_id) for card_id, _ in rows)
    for card_id, prompt in rows:
        click.echo(f"{card_id.ljust(width)}  {prompt}")
    click.echo(f"\n{len(cards)} suspended. Bring one back with `quiz unsuspend CARD_ID` "
               "(or x on the home screen of `quiz`).")


@click.command()
@click.argument("card_ids", nargs=-1, required=True, metavar="CARD_ID...")
@click.pass_obj
def unsuspend(env, card_ids: tuple[str, ...]) -> None:
    """Bring suspended cards back into sessions (ids as `quiz suspended` lists them)."""
    store = env.open_store(bundled=False, daily_backup=False)
    unknown = [cid for cid in card_ids if store.cards.get(cid) is None]
    if unknown:
        raise QuizError(f"no card '{escape_controls(unknown[0])}'; `quiz suspended` lists the suspended cards with their ids"
                        " (nothing was changed)")
    with store.transaction():
        for cid in card_ids:
            store.cards.set_suspended(cid, False)
    for cid in card_ids:
        click.echo(f"{escape_controls(cid)}: back in sessions")
