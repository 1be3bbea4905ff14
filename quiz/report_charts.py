"""The report's charts as inline SVG: pygal for bars and lines, a drawn grid for the study calendar."""
from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pygal
from pygal.style import Style

from quiz.stats import heat_bounds, heat_level

#: Heat levels 0-4 of the study calendar, light to dark, so the calendar also reads in grey print.
HEAT_FILLS = ("#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
#: Scheduled answers and re-drills: dark and light, so they differ in grey print too.
ANSWER_COLOURS = ("#1f4e79", "#9ecae1")
#: Card states in stats.CARD_STATES order: new to mature light to dark; suspended and retired apart.
STATE_COLOURS = ("#e5e5e5", "#9ecae1", "#4292c6", "#08306b", "#fdae6b", "#636363")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 720
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """`text` as a str that can be written as UTF-8 and holds no control characters (tabs and line
    breaks kept): lone surrogates (bytes of a command line that are not UTF-8) become U+FFFD."""
    return _CONTROLS.sub("", _SURROGATES.sub("\ufffd", str(text)))


def esc(text: object) -> str:
    """`text` escaped for HTML text and attribute values (deck text is untrusted)."""
    return html.escape(clean(text), quote=True)


def _style(colours: Sequence[str]) -> Style:
    return Style(
        font_family=FONT, background="#ffffff", plot_background="#ffffff", foreground="#222222",
        foreground_strong="#000000", foreground_subtle="#bbbbbb", colors=tuple(colours),
        label_font_size=12, major_label_font_size=12, legend_font_size=13, value_font_size=11,
        title_font_size=14, opacity="1", opacity_hover="1", transition="0s",
    )


def _accessible(key: str, title: str, desc: str) -> Callable[[Any], Any]:
    """A pygal xml filter: no script (pygal always adds an inline config script, and its tooltips
    need one), no tooltip data, no comments (they name pygal's web site and the date), and a
    <title>/<desc> that a screen reader announces for the whole chart."""

    def apply(root: Any) -> Any:
        for parent in list(root.iter()):
            for child in list(parent):
                name = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
                # Comments and processing instructions have no str tag; a <desc class=...> holds a
                # tooltip's data (positions, value) for pygal's script, which the page does not load.
                if not name or name == "script" or (name == "desc" and child.get("class") is not None):
                    parent.remove(child)
        for child in root:
            if child.tag.rpartition("}")[2] == "title":
                child.text = clean(title)
                child.set("id", f"{key}-title")
                break
        described = root.makeelement("desc", {"id": f"{key}-desc"})
        described.text = clean(desc)
        root.insert(1, described)
        root.set("role", "img")
        root.set("aria-labelledby", f"{key}-title {key}-desc")
        root.set("class", "chart")
        return root

    return apply


def _render(chart: Any, key: str, title: str, desc: str) -> str:
    chart.add_xml_filter(_accessible(key, title, desc))
    return str(chart.render(is_unicode=True))


def _config(height: int, colours: Sequence[str], **extra: Any) -> dict[str, Any]:
    # js=[]: pygal's default loads its tooltip script from the web; the page makes no request.
    config: dict[str, Any] = dict(js=[], disable_xml_declaration=True, width=WIDTH, height=height,
                                  style=_style(colours), show_legend=False, margin=8, margin_right=28,
                                  spacing=8)
    config.update(extra)
    return config


def _count_axis(values: Sequence[int]) -> dict[str, Any]:
    """Whole-number y labels (pygal's own would say 0.2 answers): at most 5 steps of 1, 2, 5, 10, 20, 50…"""
    most, step = max(values, default=0), 1
    while most > 5 * step:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = step * max(1, math.ceil(most / step))
    return dict(y_labels=list(range(0, top + 1, step)), range=(0, top))


def _day_labels(days: Sequence[date]) -> dict[str, Any]:
    """Every day labelled (pygal needs one label a value), only every 7th shown, counted back from the last."""
    labels = [f"{d.day} {d:%b}" for d in days]
    major = [labels[i] for i in range(len(days) - 1, -1, -7)]
    return dict(x_labels=labels, x_labels_major=major, show_minor_x_labels=False, truncate_label=-1)


def answers_per_day(days: Sequence[date], reviews: Sequence[int], drills: Sequence[int], *, title: str,
                    desc: str) -> str:
    """Stacked bars: scheduled answers and same-day re-drills per day."""
    totals = [r + d for r, d in zip(reviews, drills)]
    chart = pygal.StackedBar(**_config(250, ANSWER_COLOURS, **_day_labels(days), **_count_axis(totals)),
                             y_title="answers", print_zeroes=False)
    chart.add("scheduled answers", list(reviews))
    chart.add("re-drills (practice)", list(drills))
    return _render(chart, "answers", title, desc)


def retention_by_week(weeks_ending: Sequence[date], percents: Sequence[float | None], *, title: str,
                      desc: str) -> str:
    """A line of weekly retention in percent (a week without scheduled answers has no point)."""
    chart = pygal.Line(**_config(240, ANSWER_COLOURS[:1], print_values=True,
                                 print_values_position="top", range=(0, 100), include_x_axis=True,
                                 x_labels=[f"{d.day} {d:%b}" for d in weeks_ending], truncate_label=-1,
                                 y_labels=list(range(0, 101, 20))),
                       y_title="% right", dots_size=4, stroke_style={"width": 2},
                       formatter=lambda v: f"{v:.0f}%")
    chart.add("retention", [None if p is None else round(p, 1) for p in percents])
    return _render(chart, "retention", title, desc)


def cards_by_state(deck_titles: Sequence[str], counts: Mapping[str, Sequence[int]], *, title: str,
                   desc: str) -> str:
    """One horizontal stacked bar per deck, one segment per card state (in the given order)."""
    # 40 px a bar, thinner past 12 decks so the chart stays within one printed page.
    height = 60 + max(1, len(deck_titles)) * (40 if len(deck_titles) <= 12 else max(12, 480 // len(deck_titles)))
    totals = [sum(column) for column in zip(*counts.values())]
    chart = pygal.HorizontalStackedBar(**_config(height, STATE_COLOURS, x_labels=[clean(t) for t in deck_titles],
                                                 truncate_label=28, **_count_axis(totals)),
                                       print_zeroes=False)
    for state, values in counts.items():
        chart.add(state, list(values))
    return _render(chart, "states", title, desc)


def due_forecast(days: Sequence[date], cards: Sequence[int], *, title: str, desc: str) -> str:
    """Bars of cards due per day from today (today's bar includes overdue cards)."""
    chart = pygal.Bar(**_config(240, ANSWER_COLOURS[:1], **_day_labels(days),
                                **_count_axis(cards)),
                      y_title="cards due", print_zeroes=False)
    chart.add("cards due", list(cards))
    return _render(chart, "due", title, desc)


# --------------------------------------------------------------------- the study calendar
_CELL, _GAP, _LEFT, _TOP = 12, 3, 34, 18


def study_calendar(first_monday: date, last_day: date, answers: Mapping[date, int], *, first_day: date,
                   title: str, desc: str) -> str:
    """A column per week (Monday at the top) from `first_monday` to the week of `last_day`; each day
    from `first_day` shaded by its heat level and carrying its own <title>, `last_day` outlined."""
    weeks = (last_day - first_monday).days // 7 + 1
    bounds = heat_bounds(max(answers.values(), default=0))
    width = _LEFT + weeks * (_CELL + _GAP) + 4
    height = _TOP + 7 * (_CELL + _GAP) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart calendar" viewBox="0 0 {width} {height}" '
           f'role="img" aria-labelledby="calendar-title calendar-desc" style="max-width:{width * 1.4:.0f}px">',
           f'<title id="calendar-title">{esc(title)}</title><desc id="calendar-desc">{esc(desc)}</desc>',
           f'<g font-family="{esc(FONT)}" font-size="9" fill="#333">']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        out.append(f'<text x="0" y="{_TOP + row * (_CELL + _GAP) + _CELL - 2}">{name}</text>')
    month = None
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        if monday.month != month:
            month = monday.month
            if week < weeks - 2 or week == 0:
                out.append(f'<text x="{_LEFT + week * (_CELL + _GAP)}" y="11">{monday:%b}</text>')
    out.append("</g>")
    for week in range(weeks):
        for weekday in range(7):
            day = first_monday + timedelta(days=7 * week + weekday)
            if day > last_day or day < first_day:
                continue
            count = answers.get(day, 0)
            level = heat_level(count, bounds)
            x, y = _LEFT + week * (_CELL + _GAP), _TOP + weekday * (_CELL + _GAP)
            edge = 'stroke="#000" stroke-width="2"' if day == last_day else 'stroke="#999" stroke-width="0.6"'
            label = f"{day:%a} {day.isoformat()}: {count:,} answer{'' if count == 1 else 's'}"
            out.append(f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" fill="{HEAT_FILLS[level]}" '
                       f'{edge}><title>{label}</title></rect>')
    out.append("</svg>")
    return "".join(out)


def legend(caption: str, keys: Sequence[tuple[str, str]]) -> str:
    """An HTML legend: a swatch of each (colour, label), after `caption` (both escaped)."""
    return (f'<p class="legend">{esc(caption)} ' + "".join(
        f'<span class="key"><span class="swatch" style="background:{esc(colour)}"></span> {esc(label)}</span>'
        for colour, label in keys) + "</p>")


def heat_legend(most: int) -> list[tuple[str, str]]:
    """(fill colour, "answers it stands for") for each level in use, "none" first."""
    legend = [(HEAT_FILLS[0], "none")]
    for level, (low, high) in enumerate(heat_bounds(most), start=1):
        if low <= high:
            legend.append((HEAT_FILLS[level], f"{low:,}" if low == high else f"{low:,}–{high:,}"))
    return legend
