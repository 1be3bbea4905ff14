"""The stats screen, headless at 80x24 and wider: charts, calendar, mastery bars, with and without data."""
from __future__ import annotations

import asyncio
import functools
from datetime import timedelta

from conftest import TODAY, make_deck
from test_stats import D, build_history
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static

from quiz import stats
from quiz.stats import heat_bounds, heat_level
from quiz.store import StoreError
from quiz.tui.screens.stats import NO_REVIEWS, StatsScreen
from quiz.tui.widgets.charts import CalendarHeatmap, DayChart


class StatsOnly(App):
    """A bare app that opens the stats screen over an empty default screen."""

    def __init__(self, store, today=TODAY) -> None:
        super().__init__()
        self.store = store
        self.today = today

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.store, self.today))


def headless(test):
    """Run an async test with asyncio (no pytest plugin needed); fixtures still work."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def text_of(widget: Static) -> str:
    return widget.render().plain


@headless
async def test_the_screen_opens_at_80x24_with_the_history_charted(store):
    build_history(store)
    app = StatsOnly(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert "Due: 3 today · 1 tomorrow · 4 in 7 days · 5 in 30 days" in text_of(screen.query_one("#overview"))
        assert "Streak: 5 days in a row (not yet today) · longest 6 days" in text_of(screen.query_one("#overview"))
        assert not screen.query("#no-reviews")

        reviews = screen.query_one("#reviews-chart", DayChart)
        assert reviews.days[0] == D("2026-02-01") and reviews.days[-1] == TODAY
        by_day = dict(zip(reviews.days, zip(reviews.series["reviews"], reviews.series["re-drills"])))
        assert by_day[D("2026-02-27")] == (2, 1) and by_day[D("2026-02-24")] == (0, 0)

        forecast = screen.query_one("#forecast-chart", DayChart)
        assert forecast.series["cards due"][:2] == [3, 1] and sum(forecast.series["cards due"]) == 5

        retention = screen.query_one("#retention-chart", DayChart)
        assert retention.series["retention"][-2:] == [100.0, 75.0]
        assert retention.series["retention"][0] is None and retention.y_range == (0, 100)

        calendar = screen.query_one("#calendar", CalendarHeatmap)
        # the busiest day had 3 answers: ░ 1, ▒ 2, ▓ 3
        assert calendar.legend() == "· none  ░ 1  ▒ 2  ▓ 3 answers"
        assert [calendar.level_of(D(d)) for d in ("2026-02-27", "2026-02-21", "2026-02-26", "2026-02-24")] == [
            3, 2, 1, 0]
        rows = {line[:3]: line.rstrip() for line in calendar.render().plain.splitlines()}
        assert rows["Fri"].endswith("▓")  # 02-27, in last week's column; this Friday is still to come
        assert rows["Mon"].endswith("░ ·")  # 02-23 had one answer; today (03-02) none yet

        mastery = text_of(screen.query_one("#mastery")).splitlines()
        assert mastery[0].startswith("Mastery by deck")
        bars = {line.split("  ")[0]: line.split("  ", 1)[1].strip() for line in mastery[1:]}
        assert list(bars) == ["Anatomy", "Treatment", "Empty"]
        assert bars["Anatomy"] == "██████░░░░░░░░░░░░░░░░░░  25%  1 of 4 mature"  # 6 of 24 cells
        assert bars["Treatment"] == "░" * 24 + "   0%  0 of 4 mature"
        assert bars["Empty"] == "no active cards"

        hardest = text_of(screen.query_one("#hardest")).splitlines()[1:]
        assert hardest[0].startswith("2.02  1 lapse") and hardest[0].endswith("Question 3?")
        assert hardest[1].startswith("2.36  0 lapses") and "treatment" in hardest[1]

        body = screen.query_one("#stats-body", VerticalScroll)
        assert body.max_scroll_y > 0  # taller than 24 lines: it scrolls
        # The screen's own keys scroll the body (nothing on it takes the focus).
        assert app.focused is None
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home", "down")
        await pilot.pause()
        assert body.scroll_y == 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y == 1 + body.scrollable_content_region.height
        await pilot.press("pageup", "up")
        await pilot.pause()
        assert body.scroll_y == 0


@headless
async def test_an_empty_database_shows_empty_charts_and_a_friendly_line(store):
    store.decks.sync(make_deck(), today=TODAY)
    app = StatsOnly(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert text_of(screen.query_one("#no-reviews")) == NO_REVIEWS
        for chart_id in ("#reviews-chart", "#forecast-chart", "#retention-chart"):
            assert screen.query_one(chart_id, DayChart).is_empty
        assert screen.query_one("#calendar", CalendarHeatmap).legend() == "· no answers yet"
        assert text_of(screen.query_one("#hardest")).splitlines()[1].startswith("None yet")
        assert "0 of 3 mature" in text_of(screen.query_one("#mastery"))


@headless
async def test_a_database_without_decks_opens_too(store):
    app = StatsOnly(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.screen.query_one("#mastery")).splitlines()[1] == "No decks yet."


@headless
async def test_escape_and_q_go_back(store):
    for key in ("escape", "q"):
        app = StatsOnly(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)


@headless
async def test_deck_text_is_shown_literally_and_without_control_codes(store):
    evil = "[bold]Evil[/bold] $x [@click=app.quit]go[/] \x1b[31m"
    store.decks.sync(make_deck("evil", 1, title=evil), today=TODAY)
    from test_stats import answer, at

    answer(store, "evil/c1", 0, at("2026-03-01"))
    app = StatsOnly(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        title = text_of(app.screen.query_one("#mastery")).splitlines()[1]
        assert title.startswith("[bold]Evil[/bold] $x") and "\x1b" not in title


@headless
async def test_a_database_error_is_one_line_on_the_screen(store, monkeypatch):
    def broken(*args):
        raise StoreError("quiz.db is damaged (database disk image is malformed)")

    monkeypatch.setattr(stats, "compute", broken)
    app = StatsOnly(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.screen.query_one("#stats-error")) == (
            "Could not read your progress: quiz.db is damaged (database disk image is malformed)")


@headless
async def test_a_wide_terminal_shows_the_charts_two_by_two(store):
    build_history(store)
    app = StatsOnly(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-wide")
        reviews, forecast = screen.query_one("#reviews-chart"), screen.query_one("#forecast-chart")
        assert reviews.region.y == forecast.region.y and forecast.region.x > reviews.region.right
        calendar = screen.query_one("#calendar", CalendarHeatmap)
        assert calendar.weeks_shown(calendar.size.width) < stats.CALENDAR_WEEKS


def test_heat_levels_split_the_busiest_day_into_four_ranges():
    assert heat_bounds(12) == [(1, 3), (4, 6), (7, 9), (10, 12)]
    assert [heat_level(n, heat_bounds(12)) for n in (0, 1, 3, 4, 10, 12)] == [0, 1, 1, 2, 4, 4]
    assert heat_bounds(2) == [(1, 1), (2, 1), (2, 2), (3, 2)]  # empty ranges are left out of the legend
    assert heat_bounds(0) == [(1, 0), (1, 0), (1, 0), (1, 0)]


def test_stacked_bars_show_each_series_in_its_own_glyph_and_colour_from_the_bottom_up():
    days = [D("2026-02-01") + timedelta(days=i) for i in range(30)]
    reviews = [i % 8 for i in range(30)]
    drills = [3 if i % 8 == 7 else i % 2 for i in range(30)]  # the busiest day 7 + 3: the scale is 0-10
    chart = DayChart(days, {"reviews": reviews, "re-drills": drills}, title="Answers")
    lines = chart.render().split("\n")
    assert lines[0].plain == "Answers  █ reviews  ▒ re-drills"
    plot = lines[1:-1]  # under the title, over the dates
    margin = plot[0].plain.index("│") + 1
    step = (len(plot[0].plain) - margin) // len(days)
    colour_of = {"█": "$success", "▒": "$warning"}
    for i in range(len(days)):
        column = [line.plain[margin + i * step] for line in plot][::-1]  # from the bottom up
        assert "".join(column).rstrip() == "█" * reviews[i] + "▒" * drills[i]  # 10 rows: one answer a row
        for line in plot:
            at = margin + i * step
            if line.plain[at] != " ":
                styles = [span.style for span in line.spans if span.start <= at < span.end]
                assert styles == [colour_of[line.plain[at]]]
