"""Prints the time and file size of `quiz report` (target: <= 2 s and < 1 MB on 100,000 cards / 1,000,000 answers)."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_stats import quiz, run_measured
from bench.common import Figure, print_table, timed
from bench.synth import NOW, TODAY, synthetic_db, working_copy
from quiz import report, stats
from quiz.store import Store


def time_in_process(db: Path, folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds to gather, draw and write the page, against stats.compute alone (the figures it draws)."""
    store = Store.open(db, now=NOW)
    out = str(folder / "inproc.html")
    ours = timed(lambda: report.write(store, out, today=TODAY, name="Bench Patient", force=True), runs)
    figures = timed(lambda: stats.compute(store, TODAY), runs)
    store.close()
    return ours, figures


def time_command(db: Path, folder: Path, runs: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds of the `quiz report` and `quiz stats --json` processes, and the sizes (KB) of what they write."""
    report_s, stats_s, report_kb, stats_kb = [], [], [], []
    for n in range(runs):
        out = folder / f"report-{n}.html"
        report_s.append(run_measured(quiz(db, "report", "-o", str(out), "--name", "Bench Patient"))[0])
        report_kb.append(out.stat().st_size / 1024)
        out.unlink()
        json_out = folder / f"stats-{n}.json"
        with open(json_out, "wb") as fh:
            stats_s.append(run_measured(quiz(db, "stats", "--json"), stdout=fh)[0])
        stats_kb.append(json_out.stat().st_size / 1024)
        json_out.unlink()
    return report_s, stats_s, report_kb, stats_kb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    template = synthetic_db(a.cards, a.reviews)
    size = f"{a.cards:,} cards, {a.reviews:,} answers"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = working_copy(template, folder)
        Store.open(db, now=NOW).close()  # migrate a template cached by an older quiz, once, untimed
        ours, figures = time_in_process(db, folder, a.runs)
        report_s, stats_s, report_kb, stats_kb = time_command(db, folder, a.runs)
    print_table([
        Figure(f"report: `quiz report` command ({size})", report_s, unit="s", target="<= 2 s",
               baseline_name="`quiz stats --json` process", baseline=Figure("", stats_s).median),
        Figure("report: gather + draw + write, in process", ours, target="",
               baseline_name="stats.compute alone", baseline=Figure("", figures).median),
        Figure("report: HTML file size", report_kb, unit="KB", target="< 1 MB (1,024 KB)",
               baseline_name="`quiz stats --json` output", baseline=Figure("", stats_kb).median),
    ])


if __name__ == "__main__":
    main()
