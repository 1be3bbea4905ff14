"""The summary after a session: the whole study day's answers (parts that add up), share right, time, tomorrow, streak."""
from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header

from quiz.days import streak
from quiz.review import Tally
from quiz.store import Store, StoreError
from quiz.text import format_duration, plural
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.plain import Plain, literal, snippet

#: How many missed cards the summary lists by their prompt.
MISSED_SHOWN = 5



def due_on(store: Store, day: date, deck_id: str | None) -> tuple[int, int]:
    """(reviews due by `day`, new cards not yet seen) for `deck_id` or every deck."""
    summaries = [s for s in store.decks.summaries(day) if deck_id is None or s.id == deck_id]
    return sum(s.due for s in summaries), sum(s.new for s in summaries)


def streak_text(days: int) -> str:
    return plural(days, "day") + (" in a row" if days > 1 else "")


class SummaryScreen(Screen):
    """Shown when a session ends (all done, or q/Escape)."""

    quiz = property(quiz_app)

    BINDINGS = [
        Binding("enter,escape", "home", "Home"),
        Binding("s", "stats", "Stats"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, tally: Tally, *, deck_id: str | None, cards_left: int) -> None:
        super().__init__()
        self.tally = tally
        self.deck_id = deck_id
        self.cards_left = cards_left

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Plain(id="summary-title")
            yield Plain(id="figures")
            yield Plain(id="missed")
        yield KeyBar(self.BINDINGS)

    def on_mount(self) -> None:
        t = self.tally
        title = self.query_one("#summary-title", Plain)
        heading: Content | None = None
        deck = self._deck_title()
        where = Content.assemble(" (", literal(deck), ")") if deck else Content("")
        if self.cards_left:
            title.update(Content.assemble(("Session ended", "bold"), where, f" — {plural(self.cards_left, 'card')} "
                                          "left for later; start again to carry on."))
        else:
            title.update(Content.assemble(("✓ Session complete", "bold"), where, " — nothing more is due today."))
        rows: list[tuple[str, Content | str]] = []
        try:
            store = self.quiz.store
            today = self.quiz.today()
            # The whole study day from the review log (every session, every deck), not only this sitting.
            day = store.log.day_answers(today)
            heading = Content.assemble((f"Your study day, {today:%A} {today.day} {today:%B}", "bold"),
                                       " (all decks)")
            rows.append(("Answers", f"{day.answers} = {plural(day.new_cards, 'new card')} + "
                                    f"{plural(day.reviews, 'review')} + {plural(day.repeats, 'repeat')}"))
            if day.scheduled:
                parts = [f"{label} {right} of {done}" for label, right, done in (
                    ("new cards", day.new_right, day.new_cards), ("reviews", day.reviews_right, day.reviews)) if done]
                split = f": {', '.join(parts)}" if len(parts) > 1 else ""
                rows.append(("Right first time",
                             f"{day.right} of {day.scheduled} ({round(100 * day.right / day.scheduled)}%){split}"))
            rows.append(("Time spent", format_duration(day.time_ms)))
            if t.answers != day.answers:
                rows.append(("This sitting", plural(t.answers, "answer")))
            reviews, new = due_on(store, today + timedelta(days=1), self.deck_id)
            new_limit = store.settings().new_per_day
            new_tomorrow = min(new, new_limit)
            rows.append(("Due tomorrow", plural(reviews, "review") + (
                f", and up to {plural(new_tomorrow, 'new card')}" if new_tomorrow else "")))
            rows.append(("Streak", streak_text(streak(store.log.study_days(), today))))
            missed_ids = day.missed
            missed = [store.cards.get(card_id) for card_id in missed_ids[:MISSED_SHOWN]]
        except StoreError as err:
            self.quiz.report_read_error(err)
            missed_ids, missed = (), []
        width = max((len(label) for label, _ in rows), default=0) + 2
        lines = [Content.assemble((label.ljust(width), "bold"), value) for label, value in rows]
        self.query_one("#figures", Plain).update(Content("\n").join([heading, *lines] if heading else lines))
        missed_box = self.query_one("#missed", Plain)
        missed_box.display = bool(missed)
        if missed:
            more = len(missed_ids) - len(missed)
            items = [Content.assemble("  ✗ ", literal(snippet(due.card.prompt, 70))) for due in missed if due]
            tail = [Content(f"  … and {more} more")] if more > 0 else []
            missed_box.update(Content("\n").join(
                [Content.assemble(("Cards to look at again", "bold"), " (missed today)"), *items, *tail]))

    def _deck_title(self) -> str | None:
        if self.deck_id is None:
            return None
        try:
            return self.quiz.store.decks.titles().get(self.deck_id, self.deck_id)
        except StoreError:
            return self.deck_id

    def action_home(self) -> None:
        self.quiz.go_home()

    def action_stats(self) -> None:
        self.quiz.show_stats()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
