"""The home screen: each deck's cards by state and what is due, today's progress, the streak, and a start."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from quiz.days import streak
from quiz.review import daily_allowance
from quiz.store import DeckSummary, StoreError
from quiz.text import format_duration, plural
from quiz.tui.screens.summary import streak_text
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.plain import Plain, literal

ALL_DECKS = "all"
DECK_PREFIX = "deck:"


class HomeScreen(Screen):
    """Pick a deck (or every deck) and press Enter to start today's session."""

    quiz = property(quiz_app)

    BINDINGS = [
        Binding("r", "review_all", "Review all"),
        Binding("m", "more", "More today"),
        Binding("s", "stats", "Stats"),
        Binding("x", "suspended", "Suspended"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        self._summaries: list[DeckSummary] = []  # read by refresh_figures
        yield Header()
        yield Plain(id="today")
        yield Plain(id="up-next")
        yield OptionList(id="decks")
        yield Plain("Enter starts a session on the highlighted line; r reviews every deck; m studies more "
                    "new cards of the highlighted deck today.", id="hint")
        yield KeyBar(self.BINDINGS)

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Re-read today's figures (they change after every session, and at the day start)."""
        app = self.quiz
        try:
            today = app.today()
            store = app.store
            summaries = store.decks.summaries(today)
            totals = store.log.day_totals(today)
            settings = store.settings()
            days = store.log.study_days()
            drills = len(store.cards.drills_pending(today))
        except StoreError as err:
            app.report_read_error(err)
            return
        self._summaries = summaries
        allowance = daily_allowance(reviews_per_day=settings.reviews_per_day, new_per_day=settings.new_per_day,
                                    reviews_done=totals.reviews, new_done=totals.new_cards)
        answered = totals.reviews + totals.drills
        progress = (f"{plural(answered, 'answer')} today ({totals.passed} of {totals.reviews} right, "
                    f"{format_duration(totals.time_ms)})" if answered else "Nothing answered yet today.")
        self.query_one("#today", Plain).update(Content.assemble(
            (f"{today:%A} {today.day} {today:%B %Y}", "bold"), "  ·  streak: ", streak_text(streak(days, today)),
            "\n", progress,
        ))
        reviews = min(allowance.reviews, sum(s.due for s in summaries))
        new = min(allowance.new, sum(s.new for s in summaries))
        parts = [plural(reviews, "review"), plural(new, "new card")]
        if drills:
            parts.append(f"{drills} to repeat")
        if reviews or new or drills:
            up_next = Content.assemble(("Up next: ", "bold"), ", ".join(parts),
                                       f"   (daily limits: {settings.reviews_per_day} reviews, "
                                       f"{settings.new_per_day} new)")
        else:
            up_next = Content.assemble(("✓ Done for today.", "bold"), " Come back tomorrow.")
        self.query_one("#up-next", Plain).update(up_next)
        options: list[Option] = []
        if summaries:
            options.append(Option(Content.assemble(
                ("All decks", "bold"), "\n", f"   {plural(reviews, 'review')} and {plural(new, 'new card')} today"),
                id=ALL_DECKS))
        for s in summaries:
            counts = f"   {deck_counts(s)}"
            options.append(Option(Content.assemble((literal(s.title)), "\n", counts), id=DECK_PREFIX + s.id))
        if not options:
            options.append(Option("No decks yet. Import one with `quiz decks import FILE`.", disabled=True))
        deck_list = self.query_one("#decks", OptionList)
        highlighted = deck_list.highlighted
        deck_list.set_options(options)
        deck_list.highlighted = highlighted if highlighted is not None and highlighted < len(options) else 0
        deck_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id == ALL_DECKS:
            self.quiz.start_session(None)
        elif option_id and option_id.startswith(DECK_PREFIX):
            self.quiz.start_session(option_id[len(DECK_PREFIX):])

    def action_review_all(self) -> None:
        self.quiz.start_session(None)

    def action_more(self) -> None:
        """Study more today: extra new cards for the highlighted deck, this session only."""
        deck_list = self.query_one("#decks", OptionList)
        option = deck_list.highlighted_option
        deck_id = option.id[len(DECK_PREFIX):] if option and option.id and option.id.startswith(DECK_PREFIX) else None
        if deck_id is None:
            self.app.notify("Highlight a deck first (↑ ↓), then press m.", markup=False, timeout=4)
            return
        summary = next((s for s in self._summaries if s.id == deck_id), None)
        if summary is None or not summary.new:
            self.app.notify("This deck has no new cards left: every card has been seen.", markup=False, timeout=4)
            return
        from quiz.tui.screens.more import MoreScreen

        def start(extra: int | None) -> None:
            if extra:
                self.quiz.start_session(deck_id, extra_new=extra)

        self.app.push_screen(MoreScreen(summary.title, summary.new), start)

    def action_stats(self) -> None:
        self.quiz.show_stats()

    def action_suspended(self) -> None:
        from quiz.tui.screens.suspended import SuspendedScreen

        self.app.push_screen(SuspendedScreen())

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())


def deck_counts(s: DeckSummary) -> str:
    """A deck's cards split by state, parts that add up to its cards, then what is due today:
    "18 cards: 9 new · 3 learning · 5 young · 1 suspended · 2 due today"."""
    parts = [f"{n:,} {state}" for state, n in (("new", s.new), ("learning", s.learning), ("young", s.young),
                                                ("mature", s.mature), ("suspended", s.suspended)) if n]
    return f"{plural(s.total, 'card')}: " + " · ".join([*parts, f"{s.due:,} due today"])
