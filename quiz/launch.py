"""The `quiz` command's entry point: the CLI, started with the garbage collector held off (quiz.gc_hold)."""
from __future__ import annotations

from quiz import gc_hold


def main() -> None:
    """Run the `quiz` command line (the console script and `python -m quiz`)."""
    gc_hold.hold()
    try:
        # Imported once the collector is held: importing the CLI and what it needs is start-up too.
        from quiz.cli import main as cli

        cli(prog_name="quiz")
    finally:
        gc_hold.release()
