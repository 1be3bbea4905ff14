"""`quiz help [TOPIC]`: the user's guide (docs/*.md), shipped with quiz so an installed copy has it."""
from __future__ import annotations

import sys
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import click

from quiz.errors import QuizError

#: Topics a user reads; the rest of docs/ is for people working on quiz itself.
TOPICS = {
    "review": "the daily review: keys, grades, what each screen shows",
    "deck-format": "writing your own decks: the YAML format, limits and every check",
    "decks": "what the bundled decks teach, and from which source",
    "stats": "your progress: the stats screen, `quiz stats`, retention",
    "report": "the progress report for your clinician (`quiz report`)",
    "export-format": "the columns of `quiz export` (CSV and JSON)",
    "safety": "how your progress is kept safe: backups, `quiz check`, `quiz restore`",
}


def guide_folder() -> Traversable:
    """Where the guide's Markdown files are: the installed package quiz.guide, or docs/ in a checkout."""
    try:
        return resources.files("quiz.guide")
    except ModuleNotFoundError:  # a checkout run without installing: the top-level docs/ folder
        return Path(__file__).resolve().parents[2] / "docs"


def topic_text(topic: str) -> str:
    """The Markdown text of `topic` (one of TOPICS); QuizError naming the topics when it is unknown."""
    if topic not in TOPICS:
        raise QuizError(f"no help topic {topic!r}; topics: {', '.join(TOPICS)} (see `quiz help`)")
    page = guide_folder() / f"{topic}.md"
    if not page.is_file():
        raise QuizError(f"the help topic {topic!r} is missing from this installation; reinstall quiz")
    return page.read_text(encoding="utf-8")


@click.command(name="help")
@click.argument("topic", required=False)
def help_command(topic: str | None) -> None:
    """Read the guide: `quiz help` lists the topics, `quiz help TOPIC` shows one."""
    if topic is None:
        width = max(map(len, TOPICS))
        click.echo("Topics (read one with `quiz help TOPIC`):")
        for name, what in TOPICS.items():
            click.echo(f"  {name.ljust(width)}  {what}")
        click.echo("Every command and option: `quiz --help`, `quiz COMMAND --help`.")
        return
    text = topic_text(topic)
    if sys.stdout.isatty():
        click.echo_via_pager(text)  # the user's pager (less), as `git help` does
    else:
        click.echo(text, nl=False)
