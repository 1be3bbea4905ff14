"""Prints the cost of the progress figures, `quiz stats`, the stats screen and a 1M-review CSV export."""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, print_table, timed
from bench.synth import NOW, TODAY, synthetic_db, working_copy
from quiz import stats
from quiz.store import Store

#: `quiz --now` takes local wall time; the figures only need the study day to be TODAY.
NOW_ARG = f"{TODAY.isoformat()}T12:00"
#: The same rows and order as `quiz export --what reviews`, for the sqlite3 command-line baseline.
CLI_EXPORT_SQL = (
    "SELECT r.id, r.reviewed_at, r.study_day, c.deck_id, r.card_id, r.kind, r.quality, r.answer_ms, r.reps_after,"
    " r.easiness_after / 100.0, r.interval_after, r.due_after, r.lapses_after"
    " FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY r.id"
)


def quiz(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "quiz", "--db", str(db), "--now", NOW_ARG, *args]


def run_measured(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """(seconds, peak resident memory in MB) of one child process, from its own rusage."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {proc.stderr.read().decode()[-500:]}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024  # Linux reports KiB


def time_figures(db: Path, runs: int) -> tuple[list[float], list[float]]:
    store = Store.open(db, now=NOW)
    ours = timed(lambda: stats.compute(store, TODAY), runs)
    store.close()
    conn = sqlite3.connect(db)
    baseline = timed(lambda: conn.execute("SELECT COUNT(*) FROM reviews").fetchone(), runs)
    conn.close()
    return ours, baseline


def time_command(db: Path, runs: int) -> tuple[list[float], list[float]]:
    ours = [run_measured(quiz(db, "stats"))[0] * 1000 for _ in range(runs)]
    count = f"import sqlite3; sqlite3.connect({str(db)!r}).execute('SELECT COUNT(*) FROM reviews').fetchone()"
    baseline = [run_measured([sys.executable, "-c", count])[0] * 1000 for _ in range(runs)]
    return ours, baseline


def time_screen(db: Path, runs: int) -> dict[str, list[float]]:
    """Headless at 80x24: from starting the app until the stats screen is drawn with its figures
    ("drawn": Textual's call_after_refresh from the screen's mount) and until the app is idle after
    it (Pilot.pause: the target's figure), against the same app pushing an empty screen, in turns."""
    from textual.app import App
    from textual.screen import Screen

    from quiz.tui.screens.stats import StatsScreen

    store = Store.open(db, now=NOW)
    drawn_at: list[float] = []

    class Stats(StatsScreen):
        def __init__(self) -> None:
            super().__init__(store, TODAY)

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: drawn_at.append(time.perf_counter()))

    class Empty(Screen):
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: drawn_at.append(time.perf_counter()))

    class Bench(App):
        def __init__(self, make_screen) -> None:
            super().__init__()
            self.make_screen = make_screen

        def on_mount(self) -> None:
            self.push_screen(self.make_screen())

    async def once(make_screen, idle: list[float], drawn: list[float]) -> None:
        drawn_at.clear()
        t = time.perf_counter()
        app = Bench(make_screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            idle.append((time.perf_counter() - t) * 1000)
            # Checked after the clock stops (and without building another screen to compare with).
            assert type(app.screen) is make_screen, f"{type(app.screen).__name__} shown, not {make_screen.__name__}"
            assert drawn_at, "the screen was never drawn"
            drawn.append((drawn_at[0] - t) * 1000)

    # As in quiz itself, where everything alive once the first screen is drawn is frozen out of the
    # garbage collector's passes (quiz.gc_hold.release): the objects of Textual's import are not
    # walked again by a collection that happens to fall inside one run.
    gc.collect()
    gc.freeze()
    out: dict[str, list[float]] = {"idle": [], "drawn": [], "empty_idle": [], "empty_drawn": []}
    for _ in range(runs):  # in turns, so a busy moment of the machine falls on both
        asyncio.run(once(Stats, out["idle"], out["drawn"]))
        asyncio.run(once(Empty, out["empty_idle"], out["empty_drawn"]))
    store.close()
    return out


def time_export(db: Path, folder: Path, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"csv_s": [], "csv_mb": [], "json_s": [], "daily_mb": [], "cli_s": []}
    for n in range(runs):
        for key, args in (("csv", ("export", "--what", "reviews", "-o", str(folder / f"r{n}.csv"))),
                          ("json", ("export", "--what", "reviews", "-o", str(folder / f"r{n}.json"))),
                          ("daily", ("export", "--what", "daily", "-o", str(folder / f"d{n}.csv")))):
            seconds, peak = run_measured(quiz(db, *args))
            if key != "daily":
                out[f"{key}_s"].append(seconds)
            if key != "json":
                out[f"{key}_mb"].append(peak)
        for name in (f"r{n}.csv", f"r{n}.json", f"d{n}.csv"):
            (folder / name).unlink()
    sqlite_cli = shutil.which("sqlite3")
    if sqlite_cli:
        for _ in range(runs):
            with open(folder / "cli.csv", "wb") as fh:
                out["cli_s"].append(run_measured([sqlite_cli, "-csv", "-header", str(db), CLI_EXPORT_SQL], stdout=fh)[0])
        (folder / "cli.csv").unlink()
    else:
        print("# sqlite3 command-line tool not found: CSV baseline skipped (apt-get install sqlite3)", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--export-runs", type=int, default=3)
    a = ap.parse_args()
    template = synthetic_db(a.cards, a.reviews)
    size = f"{a.cards:,} cards, {a.reviews:,} reviews"
    with tempfile.TemporaryDirectory() as tmp:
        db = working_copy(template, Path(tmp))
        Store.open(db, now=NOW).close()  # migrate a template cached by an older quiz, once, untimed
        figures, count = time_figures(db, a.runs)
        command, count_process = time_command(db, a.runs)
        screen = time_screen(db, a.runs)
        exports = time_export(db, Path(tmp), a.export_runs)
    rows = [
        Figure(f"figures: stats.compute ({size})", figures, target="< 150 ms",
               baseline_name="sqlite3 SELECT COUNT(*) FROM reviews", baseline=Figure("", count).median),
        Figure("`quiz stats` command (process)", command, baseline_name="python -c sqlite3 COUNT(*) process",
               baseline=Figure("", count_process).median),
        Figure(f"stats screen open, 80x24 headless ({size})", screen["idle"], target="<= 150 ms",
               baseline_name="same app, empty screen", baseline=Figure("", screen["empty_idle"]).median),
        Figure("  of which: app start to the screen first drawn", screen["drawn"],
               baseline_name="same app, empty screen", baseline=Figure("", screen["empty_drawn"]).median),
    ]
    cli = Figure("", exports["cli_s"]).median if exports["cli_s"] else None
    rows.append(Figure(f"export {a.reviews:,} reviews to CSV (process)", exports["csv_s"], unit="s", target="< 3 s",
                       baseline_name="sqlite3 CLI .mode csv, same query" if cli else "", baseline=cli))
    rows.append(Figure(f"export {a.reviews:,} reviews to JSON (process)", exports["json_s"], unit="s",
                       baseline_name="sqlite3 CLI .mode csv, same query" if cli else "", baseline=cli))
    rows.append(Figure("peak memory: CSV export of every review", exports["csv_mb"], unit="MB", target="flat",
                       baseline_name="export of 365 daily rows", baseline=Figure("", exports["daily_mb"]).median))
    print_table(rows)


if __name__ == "__main__":
    main()
