"""Suspended cards: see them and bring them back into sessions."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from quiz.models import DueCard
from quiz.store import StoreError
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.plain import Plain, literal, snippet

SUSPENDED_MARK = "⏸ suspended · "
BACK_MARK = "✓ back in sessions · "


class SuspendedScreen(Screen):
    """Enter brings the highlighted card back (and suspends it again if pressed twice)."""

    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, DueCard] = {}
        self.suspended: dict[str, bool] = {}
        self.titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain("Suspended cards stay out of every session. Enter brings the highlighted one back.",
                    id="suspended-intro")
        yield OptionList(id="suspended")
        yield KeyBar(self.BINDINGS)

    def on_mount(self) -> None:
        try:
            cards = quiz_app(self).store.cards.suspended()
            self.titles = quiz_app(self).store.decks.titles()
        except StoreError as err:
            quiz_app(self).report_read_error(err)
            cards = []
        self.cards = {due.card.id: due for due in cards}
        self.suspended = {card_id: True for card_id in self.cards}
        listing = self.query_one("#suspended", OptionList)
        if cards:
            options: list[Option | None] = []
            for cid in self.cards:
                options += [Option(self._prompt(cid), id=cid), None]  # None: a divider line
            listing.set_options(options[:-1])
            listing.highlighted = 0
        else:
            listing.set_options([Option("No suspended cards. Press s during a review to suspend one.",
                                        disabled=True)])
        listing.focus()

    def _prompt(self, card_id: str) -> Content:
        card = self.cards[card_id].card
        mark = SUSPENDED_MARK if self.suspended[card_id] else BACK_MARK
        return Content.assemble(
            (mark, "bold"), literal(self.titles.get(card.deck_id, card.deck_id)), "\n",
            literal(snippet(card.prompt, 200)),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        card_id = event.option.id
        if card_id not in self.cards:
            return
        suspend = not self.suspended[card_id]
        try:
            quiz_app(self).store.cards.set_suspended(card_id, suspend)
        except StoreError as err:
            self.app.notify(f"Not saved: {err}", title="Not saved", severity="error", markup=False)
            return
        self.suspended[card_id] = suspend
        event.option_list.replace_option_prompt(card_id, self._prompt(card_id))
        prompt = snippet(self.cards[card_id].card.prompt)
        self.app.notify(f"Suspended again: “{prompt}”." if suspend else f"Back in sessions: “{prompt}”.",
                        markup=False, timeout=4)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
