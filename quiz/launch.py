"""The `quiz` command's entry point: the CLI, with Python's garbage collector held off during start-up.

Start-up (importing Textual and the app, building the first screen) allocates hundreds of thousands of
objects and frees almost none, so the collector's passes over them find nothing while they delay
the first card by ~15 ms (bench/bench_review.py). `started()` ends the hold once the first screen is
on the terminal (or a command that draws no screen begins): everything alive then is frozen out of
later collections (`gc.freeze`), which also keeps the collector's pauses out of the answers.
"""
from __future__ import annotations

import gc

_held = False


def main() -> None:
    """Run the `quiz` command line (the console script and `python -m quiz`)."""
    global _held
    gc.disable()
    _held = True
    try:
        from quiz.cli import main as cli

        cli(prog_name="quiz")
    finally:
        started()


def started() -> None:
    """Start-up is over: collect garbage again (a no-op unless `main` is holding the collector off)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
