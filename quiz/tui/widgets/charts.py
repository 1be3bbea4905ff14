"""Charts for the stats screen, drawn as text: values by day, and a study-day calendar heatmap."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from quiz.stats import heat_bounds, heat_level

#: Heat levels 0-4, each with its own glyph so the calendar reads without colour.
HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
_LABEL_WIDTH = 4
_STACK_MARKERS = ("█", "▒", "░")
#: The top of a bar, in eighths of a cell.
_EIGHTHS = " ▁▂▃▄▅▆▇"


def _day_ticks(days: Sequence[date], every: int = 7) -> tuple[list[int], list[str]]:
    """Tick positions and "Mar 02" labels, every `every` days counted back from the last one."""
    positions = list(range(len(days) - 1, -1, -every))[::-1]
    return positions, [f"{days[i]:%b %d}" for i in positions]


class DayChart(Widget):
    """Bars (or points) of values per day, with dates under them and a scale on the left.

    `series` maps a legend label to one value per day (None for "no value": no bar, no point).
    Several series are stacked, each with its own glyph (█ ▒ ░) so the chart reads without colour;
    one series gets bars in eighths of a cell. The data stay on the widget (`days`, `series`) for
    whoever needs to read them back.

    Drawn as text in one widget: a plotting library's canvas took a fifth of the time the stats
    screen needed to open (bench/bench_stats.py).
    """

    DEFAULT_CSS = """
    DayChart {
        height: 12;
        min-height: 8;
    }
    """

    def __init__(self, days: Sequence[date], series: Mapping[str, Sequence[float | None]], *, title: str,
                 kind: str = "bar", y_range: tuple[float, float] | None = None, y_unit: str = "",
                 tick_every: int = 7, empty_note: str = "none yet", id: str | None = None) -> None:
        super().__init__(id=id)
        self.days = list(days)
        self.series = {label: list(values) for label, values in series.items()}
        self.chart_title = title
        self.kind = kind
        self.y_range = y_range
        self.y_unit = y_unit
        self.tick_every = tick_every
        self.empty_note = empty_note

    @property
    def is_empty(self) -> bool:
        return not any(v for values in self.series.values() for v in values)

    def scale(self) -> tuple[float, float]:
        """The values at the bottom and the top of the plot."""
        if self.y_range:
            return self.y_range
        if self.kind == "bar":  # stacked: a bar is the day's sum
            top = max((sum(v or 0 for v in day) for day in zip(*self.series.values())), default=0)
        else:
            top = max((v for values in self.series.values() for v in values if v is not None), default=0)
        step = _nice_step(max(top, 1))
        return 0, math.ceil(max(top, 1) / step) * step

    def render(self) -> Content:
        width, height = self.size.width or 80, self.size.height or 12
        rows = max(1, height - 2)  # a line for the title, one for the dates
        low, high = self.scale()
        ticks = _nice_ticks(low, high)
        labels = {rows - 1 - min(rows - 1, int((t - low) / (high - low) * rows)): f"{t:g}{self.y_unit}" for t in ticks}
        margin = max(map(len, labels.values())) + 1
        step = max(1, (width - margin - 1) // max(1, len(self.days)))
        glyphs = _STACK_MARKERS
        styles = ("$success", "$warning", "$accent")
        grid = [[(" ", "")] * (step * len(self.days)) for _ in range(rows)]
        for i in range(len(self.days)):
            col = i * step
            if self.kind == "line":
                for n, values in enumerate(self.series.values()):
                    value = values[i]
                    if value is not None:
                        y = min(rows - 1, int((value - low) / (high - low) * rows))
                        grid[rows - 1 - y][col] = ("●", styles[n])
                continue
            if len(self.series) == 1:  # whole cells, then the top in eighths
                eighths = round((next(iter(self.series.values()))[i] or 0) / (high - low) * rows * 8)
                for y in range(min(rows, eighths // 8)):
                    grid[rows - 1 - y][col] = ("█", styles[0])
                if eighths % 8 and eighths // 8 < rows:
                    grid[rows - 1 - eighths // 8][col] = (_EIGHTHS[eighths % 8], styles[0])
                continue
            top = 0.0  # stacked, in whole cells
            for n, values in enumerate(self.series.values()):
                bottom, top = top, top + (values[i] or 0) / (high - low) * rows
                for y in range(round(bottom), min(rows, round(top))):
                    grid[rows - 1 - y][col] = (glyphs[n], styles[n])

        title = f"{self.chart_title}: {self.empty_note}" if self.is_empty else self.chart_title
        legend: list[Content | tuple[str, str] | str] = []
        if len(self.series) > 1:
            for n, label in enumerate(self.series):
                legend += ["  ", (glyphs[n], styles[n]), f" {label}"]
        lines = [Content.assemble((title, "bold"), *legend)]
        for r in range(rows):
            lines.append(Content.assemble((labels.get(r, "").rjust(margin - 1) + "│", "$text-muted"), *_runs(grid[r])))
        dates = [" "] * (margin + step * len(self.days) + 8)
        for i, label in zip(*_day_ticks(self.days, self.tick_every)):
            at = margin + i * step
            dates[at: at + len(label)] = list(label)
        lines.append(Content.styled("".join(dates).rstrip(), "$text-muted"))
        return Content("\n").join(lines)


def _runs(cells: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """A row of (glyph, style) cells as runs of one style each. A blank cell joins the run before it:
    the styles are colours of the glyph only, so a blank looks the same in any of them.

    A span a cell was ~60 spans a line; as runs, the stats screen is first drawn a few ms sooner
    (docs/performance.md).
    """
    runs: list[tuple[str, str]] = []
    for glyph, style in cells:
        if runs and (glyph == " " or runs[-1][1] == style):
            runs[-1] = (runs[-1][0] + glyph, runs[-1][1])
        else:
            runs.append((glyph, style))
    return runs


def _nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1) that cuts `span` in about `count`."""
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """A few round tick values from `low` to `high` (whole numbers; the plots count cards)."""
    step = _nice_step(max(high - low, 1), count)
    ticks, t = [], low
    while t <= high + 1e-9:
        ticks.append(t)
        t += step
    return ticks


class CalendarHeatmap(Widget):
    """Study days as a grid: a column per week (Monday on top), the last column this week.

    Each day shows its heat level as a glyph from ·░▒▓█ (and a colour), so it reads without colour;
    the legend below says how many answers each glyph stands for. As many whole weeks as fit the
    width are shown, up to the weeks given.
    """

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, first_day: date, today: date, answers: Mapping[date, int], *, title: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.first_day = first_day
        self.today = today
        self.answers = dict(answers)
        self.bounds = heat_bounds(max(self.answers.values(), default=0))

    def weeks_shown(self, width: int) -> int:
        total = (self.today - self.first_day).days // 7 + 1
        return max(1, min(total, (width - _LABEL_WIDTH) // 2))

    def level_of(self, day: date) -> int:
        return heat_level(self.answers.get(day, 0), self.bounds)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Always the title (if any), the month line, seven days and the legend. Said here, so that laying out the screen
        # does not render the calendar (the default does, at a time when `render` cannot ask its
        # size without the screen working out every widget's place first).
        return (1 if self.title else 0) + 1 + 7 + 1

    def render(self) -> Text:
        weeks = self.weeks_shown(self.size.width or 80)
        this_monday = self.today - timedelta(days=self.today.weekday())
        start = this_monday - timedelta(weeks=weeks - 1)
        colours = self._colours()
        months = [" "] * (_LABEL_WIDTH + 2 * weeks + 2)
        for w in range(weeks):
            monday = start + timedelta(weeks=w)
            sunday = monday + timedelta(days=6)
            # A column is labelled with the month that begins in its week (and the first column with its own).
            if w and sunday.month == monday.month and monday.day != 1:
                continue
            name = f"{monday if w == 0 else sunday:%b}"
            col = _LABEL_WIDTH + 2 * w
            if all(c == " " for c in months[max(0, col - 1): col + len(name)]):
                months[col: col + len(name)] = list(name)
        text = Text(no_wrap=True)
        if self.title:
            text.append(self.title + "\n", style="bold")
        text.append("".join(months[: _LABEL_WIDTH + 2 * weeks]).rstrip() + "\n")
        for weekday in range(7):
            text.append(_WEEKDAYS[weekday].ljust(_LABEL_WIDTH), style="dim")
            for w in range(weeks):
                day = start + timedelta(weeks=w, days=weekday)
                if day > self.today:
                    text.append("  ")
                    continue
                level = self.level_of(day)
                style = colours[level] + (Style(underline=True, bold=True) if day == self.today else Style())
                text.append(HEAT_GLYPHS[level], style=style)
                text.append(" ")
            text.append("\n")
        text.append(Text.assemble(*self.legend_parts(colours)))
        return text

    def legend(self) -> str:
        """The legend as plain text, e.g. "· none  ░ 1–3  ▒ 4–6  ▓ 7–9  █ 10–12 answers"."""
        return "".join(part if isinstance(part, str) else part[0] for part in self.legend_parts())

    def legend_parts(self, colours: Sequence[Style] | None = None) -> list:
        colours = colours or [Style()] * 5
        parts: list = [(HEAT_GLYPHS[0], colours[0]), " none"]
        for level, (low, high) in enumerate(self.bounds, start=1):
            if low > high:
                continue
            span = str(low) if low == high else f"{low}–{high}"
            parts += ["  ", (HEAT_GLYPHS[level], colours[level]), f" {span}"]
        if len(parts) == 2:
            return [(HEAT_GLYPHS[0], colours[0]), " no answers yet"]
        parts.append(" answers")
        return parts

    def _colours(self) -> list[Style]:
        if not self.is_attached:
            return [Style()] * 5
        variables = self.app.theme_variables
        colour = Color.parse(variables["success"])
        background = Color.parse(variables["surface"])
        return [Style(dim=True)] + [
            Style(color=background.blend(colour, share).rich_color) for share in (0.4, 0.6, 0.8, 1.0)
        ]
