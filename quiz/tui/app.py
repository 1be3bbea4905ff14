"""The Textual app: one factory (`make_app`) for the CLI and the tests."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from quiz import gc_hold, reminder
from quiz.days import study_day
from quiz.store import Store, StoreError

THEMES = ("textual-dark", "textual-light")
THEME_FLAG = "theme"


class QuizApp(App):
    """Home screen, daily review, summary; every screen reads the time from `clock`."""

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    SUB_TITLE = "learn about low back pain"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+t", "toggle_theme", "Theme", show=False, tooltip="Switch between the light and dark theme")]

    def __init__(self, store: Store, *, clock: Callable[[], datetime], deck_id: str | None = None,
                 start_review: bool = False) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.start_deck_id = deck_id
        self.start_review = start_review

    # ----------------------------------------------------------------- time
    def today(self) -> date:
        """The current study day (read from the clock each time: a session may cross the day start)."""
        return study_day(self.clock(), self.store.settings().day_start_hour)

    # ----------------------------------------------------------------- start-up
    def get_default_screen(self) -> Screen:
        # The first screen is the app's own rather than one pushed over Textual's empty default
        # screen: it is built with the app and drawn in its first frame. (Pushed from on_mount, it
        # was drawn inside Textual's start-up batch update, which throws that frame away, and the
        # first card appeared a frame and a second full drawing later; an empty screen underneath
        # costs ~5 ms more. bench/bench_review.py.)
        if self.start_review:
            from quiz.tui.screens.review import ReviewScreen

            return ReviewScreen(self.start_deck_id)
        from quiz.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_ready(self) -> None:
        # The first screen is on the terminal: the garbage collector may run again.
        gc_hold.release()

    def on_mount(self) -> None:
        self._restore_theme()
        if not self.start_review:  # (a session shows it itself, for the decks of its cards)
            # After the home screen's own mounting, so the reminder covers it from the first frame on.
            self.call_later(self._remind_for_today)

    def _remind_for_today(self) -> None:
        """The day's reminder over the home screen, with the decks of today's cards (every deck's session)."""
        from quiz.review import ReviewSession

        try:
            deck_ids = ReviewSession.open(self.store, self.clock()).deck_ids()
        except StoreError as err:
            self.report_read_error(err)
            return
        if deck_ids:
            self.show_reminder_if_due(deck_ids)

    def start_session(self, deck_id: str | None, *, extra_new: int = 0) -> None:
        """Push the review screen for `deck_id` (None: every deck); it puts today's reminder on top.

        `extra_new`: new cards beyond what today's limit still allows, for this session only."""
        from quiz.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck_id, extra_new=extra_new))

    def show_reminder_if_due(self, deck_ids: list[str]) -> None:
        """The safety reminder before a session with cards from `deck_ids`: once per study day, and
        again that day only for a deck whose own text was not shown yet (quiz.reminder.to_show)."""
        try:
            reminders = reminder.to_show(self.store, self.today(), deck_ids)
        except StoreError as err:
            self.report_read_error(err)
            return
        if reminders is None:
            return
        from quiz.tui.screens.reminder import ReminderScreen

        self.push_screen(ReminderScreen(reminders, deck_ids))

    def go_home(self) -> None:
        """Leave the current screen for the home screen (back to it if it is underneath)."""
        from quiz.tui.screens.home import HomeScreen

        if len(self.screen_stack) > 1 and isinstance(self.screen_stack[-2], HomeScreen):
            self.pop_screen()
        else:
            self.replace_screen(HomeScreen())

    def replace_screen(self, screen: Screen) -> None:
        """Show `screen` in place of the current one.

        The app's first screen (`quiz review`'s session) stays underneath instead: Textual cannot
        switch away from an app's first screen (textual#2650). Nothing above it ever pops back to it:
        the summary goes on to the home screen, which stays until the app ends.
        """
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_stats(self) -> None:
        from quiz.tui.screens.stats import StatsScreen

        try:
            today = self.today()
        except StoreError as err:
            self.report_read_error(err)
            return
        self.push_screen(StatsScreen(self.store, today))

    def report_read_error(self, err: StoreError) -> None:
        """A database that could not be read: one notification saying why (the screen shows what it can)."""
        self.notify(str(err), title="Could not read the database", severity="error", markup=False)

    # ----------------------------------------------------------------- themes
    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        try:
            self.store.set_flag(THEME_FLAG, self.theme)
        except StoreError:
            pass  # the theme still changes for this run; remembering it is a nicety
        self.notify(f"Theme: {'light' if self.theme == THEMES[1] else 'dark'}", markup=False, timeout=2)

    def _restore_theme(self) -> None:
        try:
            saved = self.store.get_flag(THEME_FLAG)
        except StoreError:
            saved = None
        if saved in self.available_themes:
            self.theme = saved


def make_app(store: Store, *, clock: Callable[[], datetime], deck_id: str | None = None,
             start_review: bool = False) -> QuizApp:
    """The app for `store`. `clock` returns the current aware local time (fixed in tests);
    `start_review` skips the home screen and opens today's session on `deck_id` (None: every deck)."""
    return QuizApp(store, clock=clock, deck_id=deck_id, start_review=start_review)

