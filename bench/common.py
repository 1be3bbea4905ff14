"""Shared benchmark helpers: timing summaries, the result table, and the Anki peer run."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
PEER_SCRIPT = BENCH.parent.parent / "shared" / "peers" / "anki_peer.py"


@dataclass
class Figure:
    """One row of a benchmark table. Times in milliseconds unless `unit` says otherwise."""

    name: str
    samples: list[float]
    unit: str = "ms"
    target: str = ""
    baseline_name: str = ""
    baseline: float | None = None  # the baseline's median, same unit, measured in the same run

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.median / self.baseline

    def as_dict(self) -> dict:
        return {"figure": self.name, "unit": self.unit, "median": self.median, "min": min(self.samples),
                "max": max(self.samples), "runs": len(self.samples), "target": self.target,
                "baseline": self.baseline_name, "baseline_median": self.baseline, "ratio": self.ratio}


#: A review's log line, written as bare SQL (the floor for recording an answer; the values do not matter).
BARE_INSERT_SQL = (
    "INSERT INTO reviews (card_id, reviewed_at, study_day, quality, kind, answer_ms, reps_before,"
    " easiness_before, interval_before, due_before, lapses_before, reps_after, easiness_after,"
    " interval_after, due_after, lapses_after) VALUES (?, '2026-03-02T09:30:00.000+00:00',"
    " '2026-03-02', 4, 'drill', 1, 1, 250, 1, NULL, 0, 1, 250, 1, NULL, 0)"
)


def bare_answer(conn, card_id: str, due_on: str | None = None) -> None:
    """The two writes of an answer as bare SQL in one BEGIN IMMEDIATE transaction on `conn` (opened with
    isolation_level=None): the log line, and the card's state (moved to `due_on`, or rewritten as it is)."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(BARE_INSERT_SQL, (card_id,))
    if due_on is None:
        conn.execute("UPDATE card_state SET lapses = lapses WHERE card_id = ?", (card_id,))
    else:
        conn.execute("UPDATE card_state SET due_on = ? WHERE card_id = ?", (due_on, card_id))
    conn.execute("COMMIT")


def timed(fn, runs: int) -> list[float]:
    """Milliseconds taken by each of `runs` calls of `fn`."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def print_table(figures: list[Figure], *, file=None) -> None:
    """figure | median | min–max | target | ratio (vs baseline, same run)"""
    out = file or sys.stdout
    rows = [("figure", "median", "min–max", "target", "ratio vs baseline")]
    for f in figures:
        ratio = f"{f.ratio:.2f}x {f.baseline_name} ({fmt(f.baseline)} {f.unit})" if f.ratio is not None else "-"
        rows.append((f.name, f"{fmt(f.median)} {f.unit}", f"{fmt(min(f.samples))}–{fmt(max(f.samples))}",
                     f.target, ratio))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)
    if os.environ.get("QUIZ_BENCH_JSON"):
        with open(os.environ["QUIZ_BENCH_JSON"], "a", encoding="utf-8") as fh:
            for f in figures:
                fh.write(json.dumps(f.as_dict()) + "\n")


def anki_python() -> Path | None:
    """The python of a virtual environment with `anki` installed (created once in bench/.cache), or None."""
    venv = CACHE / "anki-venv"
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import anki"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    try:
        CACHE.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "anki"], check=True, capture_output=True,
                       timeout=600)
    except (subprocess.SubprocessError, OSError):
        return None
    return python if subprocess.run(check, capture_output=True).returncode == 0 else None


def run_anki_peer(cards: int, answers: int = 100) -> dict | None:
    """Anki on the same workload (its own venv), or None with a note on stderr when it cannot run."""
    if not PEER_SCRIPT.exists():
        print(f"# Anki peer skipped: {PEER_SCRIPT} not found", file=sys.stderr)
        return None
    python = anki_python()
    if python is None:
        print("# Anki peer skipped: `pip install anki` failed in bench/.cache/anki-venv", file=sys.stderr)
        return None
    proc = subprocess.run([str(python), str(PEER_SCRIPT), "--cards", str(cards), "--answers", str(answers),
                           "--workdir", str(CACHE / "anki-peer")], capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        print(f"# Anki peer failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])
