""""Study more today" for one deck: how many new cards beyond today's limit, for one session (settings unchanged)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from quiz.text import plural
from quiz.tui.widgets.plain import Plain, literal

#: What the dialog offers first, and the most one session takes.
DEFAULT_EXTRA = 5
MAX_EXTRA = 100


class MoreScreen(ModalScreen[int | None]):
    """Returns the number of extra new cards (1 up to what the deck has left), or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, new_left: int) -> None:
        super().__init__()
        self.deck_title = title
        self.most = min(new_left, MAX_EXTRA)

    def compose(self) -> ComposeResult:
        with Vertical(id="more"):
            yield Static("Study more today", classes="label")
            yield Plain(Content.assemble(
                literal(self.deck_title).stylize("bold"),
                f" has {plural(self.most, 'new card')} you have not seen. How many more new cards now, "
                f"on top of today's limit? (1 to {self.most}; your settings stay as they are)"))
            yield Input(str(min(DEFAULT_EXTRA, self.most)), type="integer", id="more-count",
                        valid_empty=False)
            yield Plain("", id="more-error")
            yield Static("Enter starts the session · Escape goes back", id="more-keys")

    def on_mount(self) -> None:
        self.query_one("#more-error", Plain).display = False
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            count = int(event.value)
        except ValueError:
            count = 0
        if not 1 <= count <= self.most:
            error = self.query_one("#more-error", Plain)
            error.update(f"Type a number from 1 to {self.most}.")
            error.display = True
            return
        self.dismiss(count)

    def action_cancel(self) -> None:
        self.dismiss(None)
