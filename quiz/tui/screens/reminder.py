"""The once-a-day safety reminder: the quiz educates, red flags need prompt care (issue 4.6)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz import reminder
from quiz.store import StoreError
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.plain import Plain, literal


class ReminderScreen(ModalScreen[None]):
    """Dismissed with Enter; remembered for the rest of the study day."""

    BINDINGS = [Binding("enter,escape,space", "dismiss_reminder", "Continue")]

    def __init__(self, reminders: list[reminder.DeckReminder]) -> None:
        super().__init__()
        self.reminders = reminders

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reminder"):
            yield Static("Press Enter to continue  (↑ ↓ scroll)", id="reminder-continue")
            yield Static(reminder.TITLE, id="reminder-title", classes="label")
            yield Plain(reminder.EDUCATES)
            yield Plain(Content.assemble((reminder.RED_FLAGS_INTRO, "bold")), id="red-flags")
            for flag in reminder.RED_FLAGS:
                with Horizontal(classes="flag"):
                    yield Static("•", classes="bullet")
                    yield Plain(flag)
            yield Plain(reminder.RED_FLAGS_OUTRO, id="red-flags-outro")
            for r in self.reminders:
                yield Plain(Content.assemble(literal(r.title).stylize("bold"), ": ", literal(r.text)),
                            classes="deck-reminder")

    def action_dismiss_reminder(self) -> None:
        try:
            reminder.mark_shown(quiz_app(self).store, quiz_app(self).today())
        except StoreError as err:
            # Not remembered: it shows again next time, which is the safe way to fail.
            self.app.notify(str(err), title="Could not save", severity="warning", markup=False)
        self.dismiss()
