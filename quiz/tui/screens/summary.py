"""The session summary: cards reviewed, share right, time spent, what is due tomorrow, the streak."""
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
from quiz.text import plural
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.plain import Plain, literal, snippet

#: How many missed cards the summary lists by their prompt.
MISSED_SHOWN = 5



def format_duration(ms: int) -> str:
    """`ms` as a patient reads it: "45 s", "3 min 20 s", "1 h 5 min"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


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
        if self.cards_left:
            title.update(Content.assemble(("Session ended", "bold"), f" — {plural(self.cards_left, 'card')} "
                                          "left for later; start again to carry on."))
        else:
            title.update(Content.assemble(("✓ Session complete", "bold"), " — nothing more is due today."))
        rows: list[tuple[str, Content | str]] = []
        try:
            store = self.quiz.store
            today = self.quiz.today()
            if self.deck_id is not None:
                rows.append(("Deck", literal(store.decks.titles().get(self.deck_id, self.deck_id))))
            detail = [plural(t.new_cards, "new card")] + ([plural(t.drills, "re-drill")] if t.drills else [])
            rows.append(("Cards reviewed", f"{t.cards}  ({', '.join(detail)})"))
            if t.reviews:
                rows.append(("Right", f"{t.passed} of {t.reviews} ({round(100 * t.passed / t.reviews)}%)"))
            else:
                rows.append(("Right", "no scheduled answers this session"))
            rows.append(("Time spent", format_duration(t.time_ms)))
            reviews, new = due_on(store, today + timedelta(days=1), self.deck_id)
            new_limit = store.settings().new_per_day
            new_tomorrow = min(new, new_limit)
            rows.append(("Due tomorrow", plural(reviews, "review") + (
                f", and up to {plural(new_tomorrow, 'new card')}" if new_tomorrow else "")))
            rows.append(("Streak", streak_text(streak(store.log.study_days(), today))))
            missed = [store.cards.get(card_id) for card_id in t.missed[:MISSED_SHOWN]]
        except StoreError as err:
            self.quiz.report_read_error(err)
            missed = []
        width = max((len(label) for label, _ in rows), default=0) + 2
        lines = [Content.assemble((label.ljust(width), "bold"), value) for label, value in rows]
        self.query_one("#figures", Plain).update(Content("\n").join(lines))
        missed_box = self.query_one("#missed", Plain)
        missed_box.display = bool(missed)
        if missed:
            more = len(t.missed) - len(missed)
            items = [Content.assemble("  ✗ ", literal(snippet(due.card.prompt, 70))) for due in missed if due]
            tail = [Content(f"  … and {more} more")] if more > 0 else []
            missed_box.update(Content("\n").join(
                [Content.assemble(("Cards to look at again", "bold")), *items, *tail]))

    def action_home(self) -> None:
        self.quiz.go_home()

    def action_stats(self) -> None:
        self.quiz.show_stats()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
