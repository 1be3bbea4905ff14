"""`quiz help`: the guide ships with quiz, so help never points at a file an installed copy lacks."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import a_clone

from quiz.cli import main
from quiz.commands.help import TOPICS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_quiz_help_lists_every_topic_with_what_it_covers():
    result = run("help")
    assert result.exit_code == 0
    for topic, what in TOPICS.items():
        assert f"  {topic}" in result.output and what in result.output


def test_quiz_help_topic_prints_that_page_of_the_guide():
    result = run("help", "deck-format")
    assert result.exit_code == 0
    assert result.output == (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")


def test_an_unknown_topic_is_one_line_naming_the_topics():
    result = run("help", "deck-fromat")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"quiz: no help topic 'deck-fromat'; topics: {', '.join(TOPICS)} (see `quiz help`)"]


def test_every_topic_is_a_page_of_the_guide():
    for topic in TOPICS:
        assert (ROOT / "docs" / f"{topic}.md").is_file(), topic


def _help_texts(command, ctx) -> list[str]:
    """Every help text of `command` and of its subcommands and options, as --help shows them."""
    import click

    texts = [command.get_help(ctx)]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            texts += _help_texts(sub, click.Context(sub, info_name=name, parent=ctx))
    return texts


def test_nothing_quiz_shows_points_at_a_docs_file_an_installed_copy_does_not_have():
    import json

    import click

    from quiz.decks import new_deck_text
    from quiz.decks.schema import schema_path

    shown = _help_texts(main, click.Context(main, info_name="quiz"))
    shown.append(new_deck_text("my-deck", "my-deck.yaml"))  # `quiz decks new`
    shown.append(json.dumps(json.loads(schema_path().read_text())))  # the schema an editor shows
    assert [text for text in shown if "docs/" in text] == []
    named = {topic for text in shown for topic in re.findall(r"quiz help ([a-z-]+)", text)}
    assert named and named <= set(TOPICS)


def test_a_built_wheel_carries_the_guide(tmp_path):
    clone = a_clone(tmp_path / "quiz")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(clone)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("quiz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for topic in TOPICS:
        assert f"quiz/guide/{topic}.md" in names
