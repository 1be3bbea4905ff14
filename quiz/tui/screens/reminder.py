"""The safety reminder before the first session of a study day: what the quiz is, what a red flag is, the decks' own words."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz import reminder
from quiz.store import StoreError
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.plain import Plain, literal


class ReminderScreen(ModalScreen[None]):
    """Dismissed with Enter; remembered for the rest of the study day (and for the decks shown)."""

    BINDINGS = [Binding("enter,escape,space", "dismiss_reminder", "Continue")]

    def __init__(self, reminders: list[reminder.DeckReminder], deck_ids: list[str] | None = None) -> None:
        super().__init__()
        self.reminders = reminders
        self.deck_ids = deck_ids  # the decks of the session (None: every deck), remembered as shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reminder"):
            yield Static("Press Enter to continue", id="reminder-continue")
            yield Static(reminder.TITLE, id="reminder-title", classes="label")
            yield Plain(reminder.EDUCATES)
            yield Plain(Content.assemble((reminder.RED_FLAGS_TERM, "bold"), reminder.red_flags_text()),
                        id="red-flags")
            if self.reminders:
                yield Plain(Content.assemble((reminder.DECKS_INTRO, "bold")), id="decks-intro")
            for r in self.reminders:
                yield Plain(Content.assemble("• ", literal(r.title).stylize("bold"), ": ", literal(r.text)),
                            classes="deck-reminder")

    def action_dismiss_reminder(self) -> None:
        try:
            reminder.mark_shown(quiz_app(self).store, quiz_app(self).today(), self.deck_ids)
        except StoreError as err:
            # Not remembered: it shows again next time, which is the safe way to fail.
            self.app.notify(str(err), title="Could not save", severity="warning", markup=False)
        self.dismiss()
