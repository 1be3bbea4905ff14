"""The stats screen: reviews per day, due forecast, retention, a study-day calendar and mastery per deck."""
from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz import stats
from quiz.store import Store, StoreError
from quiz.text import percent, plural
from quiz.tui.widgets.charts import CalendarHeatmap, DayChart
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.plain import literal, snippet

NO_REVIEWS = "No reviews yet — answer a few cards and your progress will show here."
PROMPT_CELLS = 44
DECK_CELLS = 12
DECK_TITLE_CELLS = 22
MASTERY_BAR_CELLS = 24


#: The keys that scroll the stats body, as a focused scrolling container's do.
SCROLL_KEYS = ("up", "down", "pageup", "pagedown", "home", "end")


class StatsScreen(Screen):
    """Progress at a glance, computed once when the screen opens (Escape or q goes back)."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        # The body scrolls from the screen's own keys: were it focused instead, the focus would
        # restyle it and every block in it as the screen opens (~5 ms of CPU: docs/performance.md).
        *(Binding(key, f"scroll_body('{key}')", show=False) for key in SCROLL_KEYS),
    ]
    #: Wide terminals get the charts two by two.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]

    # Each block is one widget with its heading in it: every widget adds to the time the screen
    # takes to open (bench/bench_stats.py).
    DEFAULT_CSS = """
    StatsScreen {
        #stats-body { padding: 0 1; scrollbar-gutter: stable; }
        #no-reviews { color: $text-warning; margin-top: 1; }
        #charts { height: auto; }
        DayChart, CalendarHeatmap, #mastery { margin-top: 1; }
        &.-wide #charts { layout: grid; grid-size: 2; grid-rows: 13; grid-gutter: 0 2; }
        #mastery { text-wrap: nowrap; text-overflow: ellipsis; }
        #hardest { margin: 1 0; }
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
        # No Header: the first line says where you are, and Textual's Header took a sixth of the time
        # the screen needs to open (bench/bench_stats.py).
        with VerticalScroll(id="stats-body", can_focus=False):
            if self.figures is None:
                yield Static(Content(f"Could not read your progress: {error}"), id="stats-error")
            else:
                yield from self._compose_figures(self.figures)
        yield KeyBar(self.BINDINGS)

    def action_scroll_body(self, key: str) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        scroll = {"up": body.scroll_up, "down": body.scroll_down, "pageup": body.scroll_page_up,
                  "pagedown": body.scroll_page_down, "home": body.scroll_home, "end": body.scroll_end}[key]
        scroll(animate=False)

    def _compose_figures(self, s: stats.Stats) -> ComposeResult:
        title = Content.styled(f"Your progress on {s.today:%A} {s.today.day} {s.today:%B}", "bold")
        yield Static(Content("\n").join([title, *map(Content, overview_lines(s))]), id="overview")
        if not s.has_answers:
            yield Static(Content(NO_REVIEWS), id="no-reviews")
        with Container(id="charts"):
            yield DayChart([d.study_day for d in s.daily],
                           {"reviews": [d.reviews for d in s.daily], "re-drills": [d.drills for d in s.daily]},
                           title=f"Answers per day, last {stats.DAILY_DAYS} days", empty_note="no reviews yet",
                           id="reviews-chart")
            yield DayChart([f.day for f in s.forecast], {"cards due": [f.cards for f in s.forecast]},
                           title=f"Cards due, next {stats.FORECAST_DAYS} days (today with overdue)",
                           empty_note="nothing due", id="forecast-chart")
            weeks = s.retention_by_week
            yield DayChart([w.last_day for w in weeks],
                           {"retention": [None if w.rate is None else round(100 * w.rate, 1) for w in weeks]},
                           title=f"Retention by week, last {stats.RETENTION_WEEKS} weeks (% of learned cards graded 3+)",
                           kind="line", y_range=(0, 100), y_unit="%", tick_every=3, empty_note="no reviews yet",
                           id="retention-chart")
            yield CalendarHeatmap(s.calendar_first_day, s.today, {c.day: c.answers for c in s.calendar},
                                  title="Study days: answers per day (today underlined)", id="calendar")
        yield Static(Content("\n").join([_heading("Mastery by deck (share of active cards that are mature: "
                                                   f"{stats.MATURE_FROM_DAYS}+ days)"), mastery_content(s)]),
                     id="mastery")
        yield Static(Content("\n").join([_heading("Hardest cards (lowest easiness, then most lapses)"),
                                         hardest_content(s)]), id="hardest")


def _heading(text: str) -> Content:
    return Content.styled(text, "bold")


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
    lines.append(f"Retention: {percent(s.retention_7_days.rate)} last 7 days · "
                 f"{percent(s.retention_30_days.rate)} last 30 days")
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


def mastery_content(s: stats.Stats) -> Content:
    """One line per deck: its title (deck text, shown literally), a bar of mature over active cards
    (█ mature, ░ not yet: it reads without colour), the share and the counts in words.

    Text rather than a ProgressBar per deck: those were six widgets a deck, and most of the time
    the screen took to open (bench/bench_stats.py).
    """
    if not s.decks:
        return Content("No decks yet.")
    lines = []
    for deck in s.decks:
        counts = deck.cards
        title = literal(snippet(deck.title, DECK_TITLE_CELLS).ljust(DECK_TITLE_CELLS))
        if counts.active:
            filled = round(MASTERY_BAR_CELLS * counts.mature / counts.active)
            lines.append(Content.assemble(
                title, "  ", ("█" * filled, "$success"), ("░" * (MASTERY_BAR_CELLS - filled), "$text-muted"),
                f" {percent(counts.mastery):>4}", (f"  {counts.mature} of {counts.active} mature", "$text-muted"),
            ))
        else:
            lines.append(Content.assemble(title, "  ", ("no active cards", "$text-muted")))
    return Content("\n").join(lines)


