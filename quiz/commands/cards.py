"""`quiz suspended` and `quiz unsuspend`: see suspended cards and bring them back into sessions."""
from __future__ import annotations

import click

from quiz.errors import QuizError
from quiz.text import one_line


@click.command()
@click.option("--deck", "deck_id", metavar="ID", help="Only this deck's cards.")
@click.pass_obj
def suspended(env, deck_id: str | None) -> None:
    """List suspended cards (they stay out of every session until unsuspended)."""
    store = env.open_store(bundled=False, daily_backup=False)
    if deck_id is not None and deck_id not in store.decks.ids():
        raise QuizError(f"no deck {deck_id!r}; decks: {', '.join(store.decks.ids()) or 'none'}")
    cards = store.cards.suspended(deck_id=deck_id)
    if not cards:
        click.echo("No suspended cards.")
        return
    width = max(len(due.card.id) for due in cards)
    for due in cards:
        click.echo(f"{one_line(due.card.id, 200).ljust(width)}  {one_line(due.card.prompt, 70)}")
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
        raise QuizError(f"no card {unknown[0]!r}; `quiz suspended` lists the suspended cards with their ids"
                        " (nothing was changed)")
    with store.transaction():
        for cid in card_ids:
            store.cards.set_suspended(cid, False)
    for cid in card_ids:
        click.echo(f"{one_line(cid, 200)}: back in sessions")
