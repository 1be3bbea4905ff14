"""The stats screen: reviews per day, due forecast, retention, a study-day calendar and mastery per deck."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from quiz import stats
from quiz.store import Store, StoreError
from quiz.text import plural
from quiz.tui.widgets.charts import CalendarHeatmap, DayChart
from quiz.tui.widgets.plain import Plain, literal, snippet

NO_REVIEWS = "No reviews yet — answer a few cards and your progress will show here."
PROMPT_CELLS = 44
DECK_CELLS = 12


class StatsScreen(Screen):
    """Progress at a glance, computed once when the screen opens (Escape or q goes back)."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]
    #: Wide terminals get the charts two by two.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]

    DEFAULT_CSS = """
    StatsScreen #stats-body {
        padding: 0 1;
    }
    StatsScreen .stats-heading {
        text-style: bold;
        margin-top: 1;
    }
    StatsScreen #no-reviews {
        color: $text-warning;
        margin-top: 1;
    }
    StatsScreen #charts {
        height: auto;
    }
    StatsScreen DayChart {
        margin-top: 1;
    }
    StatsScreen #calendar-box {
        height: auto;
    }
    StatsScreen.-wide #charts {
        layout: grid;
        grid-size: 2;
        grid-rows: 13;
        grid-gutter: 0 2;
    }
    StatsScreen #mastery {
        height: auto;
    }
    StatsScreen .mastery-row {
        height: 1;
        max-width: 110;
    }
    StatsScreen .mastery-title {
        width: 24;
    }
    StatsScreen .mastery-row ProgressBar {
        width: 1fr;
    }
    StatsScreen .mastery-row Bar {
        width: 1fr;
    }
    StatsScreen .mastery-count {
        width: auto;
        min-width: 16;
        padding-left: 1;
        color: $text-muted;
    }
    StatsScreen #hardest {
        margin-bottom: 1;
    }
    """

    def __init__(self, store: Store, today: date) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.figures: stats.Stats | None = None

    def compose(self) -> ComposeResult:
        error = None
        try:
            self.figures = stats.compute(self.store, self.today)
        except StoreError as err:
            error = str(err)
        yield Header()
        with VerticalScroll(id="stats-body"):
            if self.figures is None:
                yield Static(Content(f"Could not read your progress: {error}"), id="stats-error")
            else:
                yield from self._compose_figures(self.figures)
        yield Footer()

    def _compose_figures(self, s: stats.Stats) -> ComposeResult:
        yield Static(Content.assemble((f"Your progress on {s.today:%A} {s.today.day} {s.today:%B}", "bold")),
                     id="stats-title")
        yield Static(Content("\n".join(overview_lines(s))), id="overview")
        if not s.has_answers:
            yield Static(Content(NO_REVIEWS), id="no-reviews")
        with Container(id="charts"):
            yield DayChart([d.day for d in s.daily],
                           {"reviews": [d.reviews for d in s.daily], "re-drills": [d.drills for d in s.daily]},
                           title=f"Answers per day, last {stats.DAILY_DAYS} days", empty_note="no reviews yet",
                           id="reviews-chart")
            yield DayChart([f.day for f in s.forecast], {"cards due": [f.cards for f in s.forecast]},
                           title=f"Cards due, next {stats.FORECAST_DAYS} days (today with overdue)",
                           empty_note="nothing due", id="forecast-chart")
            weeks = s.retention_by_week
            yield DayChart([w.last_day for w in weeks],
                           {"retention": [None if w.rate is None else round(100 * w.rate, 1) for w in weeks]},
                           title=f"Retention by week, last {stats.RETENTION_WEEKS} weeks (% graded 3+)",
                           kind="line", y_range=(0, 100), y_unit="%", tick_every=3, empty_note="no reviews yet",
                           id="retention-chart")
            with Vertical(id="calendar-box"):
                yield Static("Study days: answers per day (today underlined)", classes="stats-heading")
                yield CalendarHeatmap(s.calendar_first_day, s.today, {c.day: c.answers for c in s.calendar},
                                      id="calendar")
        yield Static("Mastery by deck (share of active cards that are mature: 21+ days)", classes="stats-heading")
        with Vertical(id="mastery"):
            for deck in s.decks:
                yield _mastery_row(deck)
            if not s.decks:
                yield Static("No decks yet.", id="mastery-empty")
        yield Static("Hardest cards (lowest easiness, then most lapses)", classes="stats-heading")
        yield Static(hardest_content(s), id="hardest")


def overview_lines(s: stats.Stats) -> list[str]:
    """The headline figures as short plain lines."""
    due, streak, c = s.due, s.streak, s.cards
    lines = [f"Due: {due.today} today · {due.tomorrow} tomorrow · {due.next_7_days} in 7 days · "
             f"{due.next_30_days} in 30 days"]
    if streak.current:
        lines.append(f"Streak: {plural(streak.current, 'day')} in a row"
                     f"{'' if streak.studied_today else ' (not yet today)'} · longest {plural(streak.longest, 'day')}")
    else:
        lines.append("Streak: none yet" + (f" · longest {plural(streak.longest, 'day')}" if streak.longest else ""))
    lines.append(f"Retention: {_percent(s.retention_7_days.rate)} last 7 days · "
                 f"{_percent(s.retention_30_days.rate)} last 30 days")
    parts = [f"{getattr(c, state)} {state}" for state in stats.CARD_STATES
             if getattr(c, state) or state not in ("suspended", "retired")]
    lines.append("Cards: " + " · ".join(parts))
    return lines


def hardest_content(s: stats.Stats) -> Content:
    """The hardest cards, one per line; deck ids and prompts are deck text and shown literally."""
    if not s.hardest:
        return Content("None yet: no card has lost easiness or lapsed.")
    lines = []
    for card in s.hardest:
        lines.append(Content.assemble(
            (f"{card.easiness:.2f}", "bold"), f"  {plural(card.lapses, 'lapse'):<9}  ",
            (snippet(card.deck_id, DECK_CELLS).ljust(DECK_CELLS), "dim"), "  ",
            literal(snippet(card.prompt, PROMPT_CELLS)), (" (suspended)" if card.suspended else "", "dim"),
        ))
    return Content("\n").join(lines)


def _mastery_row(deck: stats.DeckFigures) -> Horizontal:
    counts = deck.cards
    title = Plain(snippet(deck.title, 22), classes="mastery-title")
    if counts.active:
        bar: Static | ProgressBar = ProgressBar(total=counts.active, show_eta=False, classes="mastery-bar")
        bar.progress = counts.mature
        detail = f"{counts.mature} of {counts.active} mature"
    else:
        bar = Static("no active cards", classes="mastery-bar")
        detail = ""
    return Horizontal(title, bar, Static(detail, classes="mastery-count"), classes="mastery-row")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
