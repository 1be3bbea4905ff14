"""`quiz stats` (progress figures as tables or JSON) and `quiz export` (CSV/JSON files)."""
from __future__ import annotations

import json
import os
import sys
import unicodedata

import click

from quiz import export as exporting
from quiz import stats as figures
from quiz.states import CARD_STATES, legend
from quiz.store import Store
from quiz.text import NO_VALUE, format_duration, one_line, percent, plural

#: Deck titles and prompts are clipped to these many terminal cells in the tables.
NAME_WIDTH = 22
PROMPT_WIDTH = 44
DAYS_SHOWN = 14


def _open(env) -> Store:
    # Read-only commands: no bundled-deck refresh and no daily backup, so they never change the file.
    return env.open_store(bundled=False, daily_backup=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (with a schema_version).")
@click.pass_obj
def stats(env, as_json: bool) -> None:
    """Print your progress: cards by state, what is due, retention, streaks, hardest cards."""
    store = _open(env)
    result = figures.compute(store, env.today())
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result))


@click.command()
@click.option("--format", "fmt", type=click.Choice(exporting.FORMATS), default=None,
              help="File format (default: from the file name's extension, else csv).")
@click.option("--what", type=click.Choice(exporting.WHATS), default="reviews", show_default=True,
              help="reviews: every answer; cards: every card and its schedule; daily: one row per study day; "
                   "summary: the progress figures.")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="The file to write, or - for standard output.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--excel", is_flag=True,
              help="Start a CSV file with a byte-order mark, so Microsoft Excel reads accents correctly.")
@click.pass_obj
def export(env, fmt: str | None, what: str, output: str, force: bool, excel: bool) -> None:
    """Export your progress as CSV (for a spreadsheet) or JSON. The columns: `quiz help export-format`."""
    # Refuse a bad target before opening the database or reading a million rows.
    fmt = exporting.format_for(output, fmt)
    if excel and fmt != "csv":
        raise exporting.ExportError("--excel is for CSV files (it adds the byte-order mark Excel needs); drop it for JSON")
    exporting.check_target(output, force=force)
    try:
        store = _open(env)
        exporting.write(store, what, fmt, output, today=env.today(), generated_at=env.now(), force=force,
                        excel=excel)
    except BrokenPipeError:
        # The reader went away (`quiz export -o - | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    if output != "-":
        click.echo(f"Wrote {what} ({fmt}) to {output}")


# --------------------------------------------------------------------- plain-text tables
def render_text(s: figures.Stats) -> str:
    """The figures as aligned plain-text tables (deck text is shown as plain text, clipped)."""
    out: list[str] = [f"Progress on {s.today:%A} {s.today.day} {s.today:%B %Y} (study days start at {s.day_start_hour:02d}:00)", ""]
    if not s.has_answers:
        out += ["No reviews yet: run `quiz` to start your first session.", ""]

    rows = [[_clip(d.title, NAME_WIDTH), *_card_cells(d.cards)] for d in s.decks]
    rows.append(["All decks", *_card_cells(s.cards)])
    out += _table(["Cards", *figures.CARD_STATES, "mastery"], rows)
    out.append(f"  {legend(CARD_STATES)}")
    out.append("  mastery: the share of active cards (not suspended or retired) that are mature")
    out.append("")

    rows = [[_clip(d.title, NAME_WIDTH), *_due_cells(d.due)] for d in s.decks]
    rows.append(["All decks", *_due_cells(s.due)])
    out += _table(["Due", "today", "tomorrow", "next 7 days", "next 30 days"], rows)
    out.append("  today includes overdue cards; suspended and retired cards are not counted")
    out.append("")

    out.append("Retention: reviews of cards already learned graded 3 or more (first answers and drills not counted)")
    out += _table(["", "retention", "passed", "reviews"],
                  [["last 7 days", *_retention_cells(s.retention_7_days)],
                   ["last 30 days", *_retention_cells(s.retention_30_days)]])
    out.append("")

    streak = s.streak
    if streak.current:
        when = "" if streak.studied_today else " (not yet today)"
        out.append(f"Streak: {plural(streak.current, 'day')} in a row{when}; longest {plural(streak.longest, 'day')}")
    elif streak.longest:
        out.append(f"Streak: none right now; longest {plural(streak.longest, 'day')}")
    else:
        out.append("Streak: none yet")
    t = s.totals
    out.append(f"All time: {plural(t.reviews, 'review')}, {plural(t.drills, 'drill')}, "
               f"{plural(t.study_days, 'study day')}, {format_duration(t.time_ms)}")
    out.append("")

    recent = s.daily[-DAYS_SHOWN:]
    out += _table([f"Last {DAYS_SHOWN} days", "reviews", "new", "drills", "retention", "time"],
                  [[f"{d.study_day:%a %Y-%m-%d}", str(d.reviews), str(d.new_cards), str(d.drills),
                    percent(figures.day_retention(d)), format_duration(d.time_ms) if d.time_ms else NO_VALUE]
                   for d in recent])
    out.append("")

    if s.hardest:
        out.append("Hardest cards (lowest easiness, then most lapses)")
        out += _table(["easiness", "lapses", "deck", "card"],
                      [[f"{c.easiness:.2f}", str(c.lapses), _clip(c.deck_id, 16),
                        _clip(c.prompt, PROMPT_WIDTH) + (" (suspended)" if c.suspended else "")]
                       for c in s.hardest],
                      left=(2, 3))
    else:
        out.append("Hardest cards: none yet (no card has lost easiness or lapsed)")
    return "\n".join(out)


def _card_cells(c: figures.CardCounts) -> list[str]:
    return [*(str(getattr(c, state)) for state in figures.CARD_STATES), percent(c.mastery)]


def _due_cells(d: figures.DueCounts) -> list[str]:
    return [str(d.today), str(d.tomorrow), str(d.next_7_days), str(d.next_30_days)]


def _retention_cells(r: figures.Retention) -> list[str]:
    return [percent(r.rate), str(r.passed), str(r.reviews)]


def _table(headers: list[str], rows: list[list[str]], *, left: tuple[int, ...] = (0,)) -> list[str]:
    """Columns aligned by terminal cells: the `left` columns flush left, numbers flush right."""
    widths = [max(_cells(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        parts = []
        for i, (text, width) in enumerate(zip(row, widths)):
            pad = " " * (width - _cells(text))
            parts.append(text + pad if i in left else pad + text)
        lines.append("  ".join(parts).rstrip())
    return lines


def _clip(text: str, width: int) -> str:
    text = one_line(text)
    if _cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _cells(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _cells(text: str) -> int:
    """Terminal cells taken by `text`: wide East Asian characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)
