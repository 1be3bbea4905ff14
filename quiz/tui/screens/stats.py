"""The stats screen (placeholder until the stats work lands)."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from quiz.store import Store


class StatsScreen(Screen):
    BINDINGS = [("escape,q", "app.pop_screen", "Back")]

    def __init__(self, store: Store, today: date) -> None:
        super().__init__()
        self.store = store
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static("Stats are coming soon.")
        yield Footer()
