"""Charts for the stats screen: plotext plots by day, and a study-day calendar heatmap."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget
from textual_plotext import PlotextPlot

#: Heat levels 0-4, each with its own glyph so the calendar reads without colour.
HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
_LABEL_WIDTH = 4
_STACK_MARKERS = ("█", "▒", "░")


def _day_ticks(days: Sequence[date], every: int = 7) -> tuple[list[int], list[str]]:
    """Tick positions and "Mar 02" labels, every `every` days counted back from the last one."""
    positions = list(range(len(days) - 1, -1, -every))[::-1]
    return positions, [f"{days[i]:%b %d}" for i in positions]


class DayChart(PlotextPlot):
    """Bars (or a line) of values per day, with dates on the x axis.

    `series` maps a legend label to one value per day (None for "no value", skipped on a line).
    The data stay on the widget (`days`, `series`) for whoever needs to read them back.
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

    def on_mount(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(f"{self.chart_title}: {self.empty_note}" if self.is_empty else self.chart_title)
        x = list(range(len(self.days)))
        labels = list(self.series)
        if self.kind == "line":
            for label in labels:
                points = [(i, v) for i, v in zip(x, self.series[label]) if v is not None]
                if points:
                    plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille", label=label)
        elif len(labels) == 1:
            plt.bar(x, [v or 0 for v in self.series[labels[0]]], label=labels[0], width=0.6)
        else:
            # A different glyph per series, so the stack reads without colour.
            plt.stacked_bar(x, [[v or 0 for v in self.series[label]] for label in labels], labels=labels,
                            width=0.6, marker=list(_STACK_MARKERS[: len(labels)]))
        if self.days:
            plt.xticks(*_day_ticks(self.days, self.tick_every))
            plt.xlim(-0.5, len(self.days) - 0.5)
        if self.kind == "bar":  # stacked: the bar's height is the day's sum
            top = max((sum(v or 0 for v in day) for day in zip(*self.series.values())), default=0)
        else:
            top = max((v for values in self.series.values() for v in values if v is not None), default=0)
        # Headroom above the tallest bar keeps plotext's legend (drawn inside the plot) off the data.
        low, high = self.y_range if self.y_range else (0, max(top, 1) * (1.3 if len(self.series) > 1 else 1.1))
        plt.ylim(low, high)
        ticks = _nice_ticks(low, high)
        plt.yticks(ticks, [f"{t:g}{self.y_unit}" for t in ticks])
        self.refresh()


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """A few round tick values from `low` to `high` (whole numbers; the plots count cards)."""
    span = max(high - low, 1)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks, t = [], low
    while t <= high + 1e-9:
        ticks.append(t)
        t += step
    return ticks


def heat_bounds(most: int) -> list[tuple[int, int]]:
    """(lowest, highest) answers shown by heat levels 1-4 when the busiest day had `most` answers.

    Levels split 1..most into four equal ranges; a level with no whole number in it is left out
    (its range is empty: lowest > highest).
    """
    bounds, low = [], 1
    for level in range(1, 5):
        high = math.ceil(level * most / 4)
        bounds.append((low, high))
        low = max(low, high + 1)
    return bounds


def heat_level(count: int, bounds: list[tuple[int, int]]) -> int:
    if count <= 0:
        return 0
    for level, (_, high) in enumerate(bounds, start=1):
        if count <= high:
            return level
    return 4


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

    def __init__(self, first_day: date, today: date, answers: Mapping[date, int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.first_day = first_day
        self.today = today
        self.answers = dict(answers)
        self.bounds = heat_bounds(max(self.answers.values(), default=0))

    def weeks_shown(self, width: int) -> int:
        total = (self.today - self.first_day).days // 7 + 1
        return max(1, min(total, (width - _LABEL_WIDTH) // 2))

    def level_of(self, day: date) -> int:
        return heat_level(self.answers.get(day, 0), self.bounds)

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
        text = Text("".join(months[: _LABEL_WIDTH + 2 * weeks]).rstrip() + "\n", no_wrap=True)
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
