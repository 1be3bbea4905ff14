"""`quiz report`: one self-contained HTML page of the progress figures, for a clinician to read or print."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from quiz import export, states
from quiz import report_charts as charts
from quiz import stats as figures
from quiz.errors import QuizError
from quiz.reminder import EDUCATES
from quiz.report_charts import esc
from quiz.store import Store
from quiz.text import percent, plural

#: A table of days is cut into side-by-side tables of this many rows, so it stays short on paper.
ROWS_PER_TABLE = 15
#: Weeks of the due forecast table (the forecast covers stats.FORECAST_DAYS days from today).
FORECAST_WEEKS = -(-figures.FORECAST_DAYS // 7)


class ReportError(QuizError):
    """A report a user asked for cannot be written; `str()` is one clear line for them."""


@dataclass(frozen=True)
class HardCardText:
    """One of the hardest cards with its deck text (untrusted: escaped when drawn)."""

    card: figures.HardCard
    deck_title: str
    answer: str
    explanation: str


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows: the figures, plus the deck text they do not carry."""

    stats: figures.Stats
    since: date | None
    deck_id: str | None
    descriptions: dict[str, str]  # deck id -> what the deck teaches
    hardest: tuple[HardCardText, ...]

    @property
    def first_day(self) -> date:
        """The first day of the period: --since, else the first study day, else today."""
        return self.since or self.stats.totals.first_study_day or self.stats.today

    @property
    def decks(self) -> tuple[figures.DeckFigures, ...]:
        return tuple(d for d in self.stats.decks if self.deck_id in (None, d.deck_id))


def gather(store: Store, today: date, *, since: date | None = None, deck_id: str | None = None) -> ReportData:
    """The figures of `stats.compute` at `today`, with each deck's description and the right answer of
    each hardest card. Raises ReportError for an unknown deck or a `since` after `today`."""
    if since is not None and since > today:
        raise ReportError(f"--since {since.isoformat()} is after today ({today.isoformat()}); give an earlier date")
    result = figures.compute(store, today)
    titles = {d.deck_id: d.title for d in result.decks}
    if deck_id is not None and deck_id not in titles:
        known = ", ".join(titles) or "none"
        raise ReportError(f"no deck {deck_id!r}; decks: {known} (see `quiz decks list`)")
    descriptions = {}
    for d in result.decks:
        info = store.decks.info(d.deck_id)
        descriptions[d.deck_id] = (info or {}).get("description") or ""
    hardest = []
    for card in result.hardest:
        if deck_id not in (None, card.deck_id):
            continue
        due = store.cards.get(card.card_id)
        hardest.append(HardCardText(card, titles.get(card.deck_id, card.deck_id),
                                    due.card.answer if due else "", due.card.explanation if due else ""))
    return ReportData(result, since, deck_id, descriptions, tuple(hardest))


def check_output(output: str, *, force: bool) -> None:
    """Refuse early (ReportError) a target that must not be written: standard output, a symbolic link,
    a pipe, a device or a socket (even with --force: replacing one is never what was meant), then
    everything `export.check_target` refuses (a folder, a missing folder, an existing file)."""
    if output == "-":
        raise ReportError("the report is written to a file; give a name such as report.html")
    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise ReportError(f"cannot write {output}: {err.strerror or err}") from None
    if mode is not None and stat.S_ISLNK(mode):
        raise ReportError(f"{output} is a symbolic link; give the path of an ordinary file")
    if mode is not None and stat.S_ISDIR(mode):
        raise ReportError(f"{output} is a folder; give a file name such as {os.path.join(output, 'report.html')}")
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise ReportError(f"{output} is {kind}, not an ordinary file; give the path of an HTML file")
    try:
        export.check_target(output, force=force)
    except export.ExportError as err:
        raise ReportError(str(err)) from None


def write(store: Store, output: str, *, today: date, since: date | None = None, deck_id: str | None = None,
          name: str | None = None, force: bool = False) -> ReportData:
    """Write the report to `output` whole or not at all (a temporary file renamed when complete, as
    exports are); an existing file is replaced only with `force`. Returns what the page shows."""
    check_output(output, force=force)
    data = gather(store, today, since=since, deck_id=deck_id)
    page = render(data, name=name)
    try:
        # The export's writer: same temporary name, fsync, rename and one-line errors.
        export.write_file(output, iter([page]), force=force, bom=False)
    except export.ExportError as err:
        raise ReportError(str(err)) from None
    return data


# --------------------------------------------------------------------- the page
def render(data: ReportData, *, name: str | None = None) -> str:
    """The whole page as one HTML string: inline styles and SVG, no script, no outside address;
    every piece of deck text and the name escaped."""
    s = data.stats
    body = [
        _header(data, name),
        _decks(data),
        _calendar(data),
        _answers(data),
        _retention(data),
        _states(data),
        _due(data),
        _hardest(data),
        f'<section class="reminder" aria-label="Reminder"><p><strong>{esc(EDUCATES)}</strong></p>'
        f'<p class="note">Made by quiz on {_long(s.today)}. The figures are defined in the quiz documentation '
        f"(`quiz help stats`); study days start at {s.day_start_hour:02d}:00.</p></section>",
    ]
    title = "Progress report" + (f" — {name.strip()}" if name and name.strip() else "")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            # Nothing may load from anywhere, and no script may run, even if text slipped through unescaped.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _header(data: ReportData, name: str | None) -> str:
    s, t = data.stats, data.stats.totals
    first = data.first_day
    who = f'<p class="who">Prepared for <strong>{esc(name.strip())}</strong></p>' if name and name.strip() else ""
    shown = [c for c in s.calendar if c.day >= first]
    period_answers = sum(c.answers for c in shown)
    clipped = first < s.calendar_first_day
    scope = (f"Deck shown: <bdi>{esc(data.decks[0].title)}</bdi>. The calendar, answers per day and retention "
             "count every deck (they are kept per day, not per deck)." if data.deck_id else "All decks.")
    facts = [
        ("In this period", f"{plural(period_answers, 'answer')} on {plural(len(shown), 'study day')}"
         + (f" (counted from {_long(s.calendar_first_day)}, the calendar's first day)" if clipped else "")),
        ("All time", f"{plural(t.reviews, 'scheduled answer')} and {plural(t.drills, 're-drill')} on "
         f"{plural(t.study_days, 'study day')}" + (f" since {_long(t.first_study_day)}" if t.first_study_day else "")
         + f"; {_duration(t.time_ms)} answering"),
        ("Streak", f"{plural(s.streak.current, 'day')} in a row now; longest {plural(s.streak.longest, 'day')}"),
        ("Retention", f"{_retention_text(s.retention_7_days)} in the last 7 days; "
         f"{_retention_text(s.retention_30_days)} in the last 30 days"),
        ("Due", f"{plural(s.due.today, 'card')} today (overdue included), {s.due.next_7_days:,} in the next 7 days"),
        ("Mastery", f"{s.cards.mature:,} of {plural(s.cards.active, 'active card')} mature "
         f"({percent(s.cards.mastery)})"),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    return (f"<header><h1>Progress report</h1>"
            f'<p class="subtitle">quiz: patient education about low back pain, the spine and the hip</p>{who}'
            f'<p class="period">Period: <strong>{_long(first)}</strong> to <strong>{_long(s.today)}</strong> '
            f"({plural((s.today - first).days + 1, 'day')}). {scope}</p>"
            f'<dl class="totals">{rows}</dl></header>')


def _decks(data: ReportData) -> str:
    studied = [d for d in data.decks if d.cards.learning + d.cards.young + d.cards.mature > 0]
    waiting = [d for d in data.decks if d not in studied and d.cards.total > 0]
    rows = [[_text(d.title), _text(data.descriptions.get(d.deck_id, "")), f"{d.cards.active:,}",
             f"{d.cards.active - d.cards.new:,}", percent(d.cards.mastery)] for d in studied]
    out = ["<section><h2>Decks studied</h2>"]
    if rows:
        out.append(_table("Each deck studied and what it teaches", ["Deck", "What it teaches", "Active cards",
                                                                      "Started", "Mastery"], rows, text_columns=2))
    else:
        out.append('<p class="note">No deck has been studied yet.</p>')
    if waiting:
        out.append('<p class="note">Not started yet: '
                   + ", ".join(f"<bdi>{esc(d.title)}</bdi>" for d in waiting) + ".</p>")
    out.append('<p class="note">Mastery: the share of a deck\'s active cards (not suspended or retired) '
               f"that are mature, i.e. remembered for {figures.MATURE_FROM_DAYS} days or more.</p></section>")
    return "".join(out)


def _calendar(data: ReportData) -> str:
    s = data.stats
    first = max(data.first_day, s.calendar_first_day)
    answers = {c.day: c.answers for c in s.calendar if c.day >= first}
    most = max(answers.values(), default=0)
    busiest = max(answers, key=lambda d: (answers[d], d), default=None)
    desc = (f"{plural(len(answers), 'study day')} out of {plural((s.today - first).days + 1, 'day')} from "
            f"{_long(first)} to {_long(s.today)}"
            + (f"; the busiest was {_long(busiest)} with {plural(most, 'answer')}." if busiest else "."))
    svg = charts.study_calendar(first - timedelta(days=first.weekday()), s.today, answers, first_day=first,
                                title="Study calendar: answers per day", desc=desc)
    months: dict[str, list[int]] = {}
    for day, n in sorted(answers.items()):
        months.setdefault(f"{day:%B %Y}", []).append(n)
    rows = [[esc(m), f"{len(ns):,}", f"{sum(ns):,}"] for m, ns in months.items()]
    tables = _tables("Study days by month", ["Month", "Study days", "Answers"], rows) if rows else ""
    return (f"<section><h2>Study calendar</h2><figure>{svg}<figcaption>{esc(desc)} One square a day, a column a "
            f"week (Monday at the top); darker means more answers; today is outlined.</figcaption>"
            f'{charts.legend("Answers a day:", charts.heat_legend(most))}{tables}</figure></section>')


def _answers(data: ReportData) -> str:
    days = [d for d in data.stats.daily if d.study_day >= data.first_day]
    out = ["<section><h2>Answers per day</h2>"]
    total = sum(d.reviews + d.drills for d in days)
    if not total:
        out.append(f'<p class="note">No answers in the last {figures.DAILY_DAYS} days of the period.</p></section>')
        return "".join(out)
    busiest = max(days, key=lambda d: (d.reviews + d.drills, d.study_day))
    desc = (f"{plural(total, 'answer')} from {_long(days[0].study_day)} to {_long(days[-1].study_day)}: "
            f"{sum(d.reviews for d in days):,} scheduled and {sum(d.drills for d in days):,} re-drills; "
            f"busiest {_long(busiest.study_day)} with {busiest.reviews + busiest.drills:,}.")
    svg = charts.answers_per_day([d.study_day for d in days], [d.reviews for d in days], [d.drills for d in days],
                                 title=f"Answers per day, last {len(days)} days", desc=desc)
    rows = [[f"{d.study_day:%a %d %b}", f"{d.reviews:,}", f"{d.new_cards:,}", f"{d.drills:,}", percent(figures.day_retention(d))]
            for d in days if d.reviews + d.drills]
    key = charts.legend("", list(zip(charts.ANSWER_COLOURS, ("scheduled answers", "re-drills (practice)"))))
    out.append(f"<figure>{svg}{key}<figcaption>{esc(desc)} Re-drills repeat a card missed earlier the same day: "
               "practice, not a test of memory; Right is true retention: the share of reviews of cards already learned "
               "graded 3 or more.</figcaption>"
               + _tables("Answers on each study day", ["Day", "Scheduled", "New", "Re-drills", "Right"], rows)
               + "</figure></section>")
    return "".join(out)


def _retention(data: ReportData) -> str:
    weeks = [w for w in data.stats.retention_by_week if w.last_day >= data.first_day]
    out = ["<section><h2>Retention over the weeks</h2>"]
    note = ('<p class="note">Retention (true retention): the share of scheduled reviews of cards already learned '
            "that were graded 3 or more (right, even if with difficulty). First answers to new cards and re-drills "
            "on the same day are practice, not memory, and are not counted.</p>")
    if not any(w.reviews for w in weeks):
        out.append(f'<p class="note">No reviews of learned cards in these weeks.</p>{note}</section>')
        return "".join(out)
    measured = [w for w in weeks if w.rate is not None]
    desc = (f"Weekly retention over {plural(len(weeks), 'week')}: from {percent(measured[0].rate)} in the week "
            f"ending {_long(measured[0].last_day)} to {percent(measured[-1].rate)} in the week ending "
            f"{_long(measured[-1].last_day)}.")
    svg = charts.retention_by_week([w.last_day for w in weeks],
                                   [None if w.rate is None else 100 * w.rate for w in weeks],
                                   title="Retention by week, in percent", desc=desc)
    rows = [[f"{w.first_day:%d %b} – {w.last_day:%d %b}", f"{w.passed:,}", f"{w.reviews:,}", percent(w.rate)]
            for w in weeks]
    out.append(f"<figure>{svg}<figcaption>{esc(desc)} A week without scheduled answers has no point."
               "</figcaption>" + _tables("Retention each week", ["Week", "Right", "Scheduled", "Retention"], rows)
               + f"</figure>{note}</section>")
    return "".join(out)


def _states(data: ReportData) -> str:
    decks = [d for d in data.decks if d.cards.total > 0]
    out = ["<section><h2>Cards by state</h2>"]
    if not decks:
        out.append('<p class="note">No cards yet.</p></section>')
        return "".join(out)
    counts = {state: [getattr(d.cards, state) for d in decks] for state in figures.CARD_STATES}
    desc = "; ".join(f"{d.title}: " + ", ".join(f"{getattr(d.cards, st):,} {st}" for st in figures.CARD_STATES)
                     for d in decks)
    svg = charts.cards_by_state([d.title for d in decks], counts, title="Each deck's cards by state", desc=desc)
    rows = [[_text(d.title), *(f"{getattr(d.cards, st):,}" for st in figures.CARD_STATES), f"{d.cards.total:,}"]
            for d in decks]
    if data.deck_id is None and len(decks) > 1:
        rows.append(["All decks", *(f"{getattr(data.stats.cards, st):,}" for st in figures.CARD_STATES),
                     f"{data.stats.cards.total:,}"])
    meanings = "".join(f"<dt>{esc(st)}</dt><dd>{esc(states.CARD_STATE_MEANINGS[st])}</dd>"
                       for st in figures.CARD_STATES)
    key = charts.legend("", list(zip(charts.STATE_COLOURS, figures.CARD_STATES)))
    # The table follows the figure rather than sitting in it: with many decks it may run onto the next page.
    out.append(f"<figure>{svg}{key}<figcaption>Each deck's cards, one bar a deck, one shade a state.</figcaption>"
               + "</figure>" + _table("Cards by state", ["Deck", *figures.CARD_STATES, "total"], rows)
               + f'<dl class="states">{meanings}</dl>'
               '<p class="note">The interval is the number of days until a card is asked again; it grows each '
               "time the card is remembered.</p></section>")
    return "".join(out)


def _due(data: ReportData) -> str:
    s = data.stats
    rows = [[_text(d.title), f"{d.due.today:,}", f"{d.due.tomorrow:,}", f"{d.due.next_7_days:,}",
             f"{d.due.next_30_days:,}"] for d in data.decks if d.cards.total > 0]
    if data.deck_id is None and len(rows) > 1:
        rows.append(["All decks", f"{s.due.today:,}", f"{s.due.tomorrow:,}", f"{s.due.next_7_days:,}",
                     f"{s.due.next_30_days:,}"])
    table = _table("Cards due (today includes overdue cards)", ["Deck", "Today", "Tomorrow", "Next 7 days",
                                                                 "Next 30 days"], rows)
    out = ["<section><h2>Due in the coming weeks</h2>"]
    if data.deck_id is None:
        weeks = [s.forecast[7 * k:7 * k + 7] for k in range(FORECAST_WEEKS)]
        desc = (f"{s.due.next_30_days:,} cards fall due in the next {figures.FORECAST_DAYS} days: "
                + ", ".join(f"{sum(f.cards for f in w):,} from {w[0].day:%d %b}" for w in weeks) + ".")
        svg = charts.due_forecast([f.day for f in s.forecast], [f.cards for f in s.forecast],
                                  title=f"Cards due per day, next {figures.FORECAST_DAYS} days", desc=desc)
        week_rows = [[f"{w[0].day:%a %d %b} – {w[-1].day:%a %d %b}", f"{sum(f.cards for f in w):,}"] for w in weeks]
        out.append(f"<figure>{svg}<figcaption>{esc(desc)} Today's bar includes overdue cards.</figcaption>"
                   + _table("Cards due each week", ["Week", "Cards due"], week_rows) + "</figure>")
    else:
        out.append('<p class="note">The day-by-day forecast is kept for all decks together; this deck\'s '
                   "figures are in the table.</p>")
    out.append(table + '<p class="note">New cards are not counted: a few are added each study day. Suspended and '
               "retired cards never fall due.</p></section>")
    return "".join(out)


def _hardest(data: ReportData) -> str:
    out = ["<section><h2>Hardest cards</h2>"]
    if not data.hardest:
        out.append('<p class="note">None yet: no card has lost easiness or been forgotten.</p></section>')
        return "".join(out)
    rows = []
    for n, h in enumerate(data.hardest, start=1):
        answer = _text(h.answer) + (f'<div class="why">{_text(h.explanation)}</div>' if h.explanation else "")
        mark = " (suspended)" if h.card.suspended else ""
        rows.append([str(n), _text(h.card.prompt) + mark, answer, _text(h.deck_title),
                     f"{h.card.easiness:.2f}", f"{h.card.lapses:,}"])
    out.append(_table("The cards the patient finds hardest, with the right answers, to talk through",
                      ["#", "Question", "Right answer", "Deck", "Easiness", "Forgotten"], rows, text_columns=4,
                      css="hardest"))
    out.append('<p class="note">Easiness starts at 2.50 and drops each time a card is hard to recall (lowest '
               "1.30); forgotten counts the times a learned card was missed.</p></section>")
    return "".join(out)


# --------------------------------------------------------------------- small pieces
def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], *, text_columns: int = 1,
           css: str = "") -> str:
    """A table whose first `text_columns` cells a row are text (left-aligned), the rest numbers. Cells
    are HTML already (escaped by the caller)."""
    head = "".join(f'<th scope="col"{" class=t" if i < text_columns else ""}>{esc(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="t">{c}</td>' if i < text_columns else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f'<table{f" class={css}" if css else ""}><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _tables(caption: str, headers: Sequence[str], rows: list[list[str]]) -> str:
    """A long table as side-by-side tables of ROWS_PER_TABLE rows each."""
    parts = [rows[i:i + ROWS_PER_TABLE] for i in range(0, len(rows), ROWS_PER_TABLE)] or [[]]
    return ('<div class="tables">' + "".join(
        _table(caption if len(parts) == 1 else f"{caption} ({k} of {len(parts)})", headers, part)
        for k, part in enumerate(parts, start=1)) + "</div>")


def _text(value: str) -> str:
    return f'<span class="deck-text">{esc(value)}</span>'


def _long(day: date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}"


def _retention_text(r: figures.Retention) -> str:
    return "no scheduled answers" if r.rate is None else f"{r.rate:.0%} ({r.passed:,} of {r.reviews:,} right)"


def _duration(ms: int) -> str:
    hours, minutes = divmod(round(ms / 60_000), 60)
    return f"{hours:,} h {minutes:02d} min" if hours else f"{minutes} min"


CSS = """
:root{color-scheme:light}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111;
background:#fff;max-width:780px;margin:0 auto;padding:24px}
h1{font-size:1.7em;margin:0}
h2{font-size:1.2em;border-bottom:1px solid #888;margin:1.6em 0 .5em;break-after:avoid;page-break-after:avoid}
.subtitle{margin:.1em 0 .6em;color:#333}
.totals{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.8em 0}
.totals dt,.states dt{font-weight:600}
.totals dd,.states dd{margin:0}
.states{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;font-size:.9em}
figure{margin:0 0 .6em;break-inside:avoid;page-break-inside:avoid}
figcaption{font-size:.9em;color:#333;margin:.3em 0}
svg.chart{display:block;width:100%;height:auto}
table{border-collapse:collapse;font-size:.85em;margin:.4em 0}
caption{caption-side:top;text-align:left;font-size:.9em;color:#333;padding-bottom:.2em}
th,td{border:1px solid #aaa;padding:2px 6px;text-align:right;vertical-align:top}
th{background:#eee}
.t{text-align:left}
.tables{display:flex;flex-wrap:wrap;gap:0 14px;align-items:flex-start}
.note{font-size:.88em;color:#333}
.deck-text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}
.why{font-size:.9em;color:#444;margin-top:.2em}
table.hardest{width:100%}
.legend .key{margin-right:.8em;white-space:nowrap}
.swatch{display:inline-block;width:.8em;height:.8em;border:1px solid #666;vertical-align:-.05em}
.reminder{border:2px solid #000;padding:.2em 1em;margin-top:1.6em;break-inside:avoid;page-break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:14mm 13mm}
@media print{
body{max-width:none;padding:0;font-size:10pt}
h2{margin-top:1.1em}
tr,.totals,.states{break-inside:avoid;page-break-inside:avoid}
}
"""
