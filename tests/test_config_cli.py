"""`quiz config` shows and changes the daily limits and the day start; bad input is one clear line."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.store import Store


def run(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), *args])


def test_config_lists_every_setting_with_its_value_and_meaning(db_path):
    result = run(db_path, "config")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:2] for line in lines] == [["day_start_hour", "4"], ["new_per_day", "10"],
                                                    ["reviews_per_day", "200"], ["grade_scale", "4"]]
    assert "new study day begins" in lines[0]


def test_config_name_value_changes_a_setting_the_session_then_uses(db_path):
    result = run(db_path, "config", "new_per_day", "15")
    assert result.exit_code == 0 and "new_per_day     15" in result.output and "(default 10)" in result.output
    assert run(db_path, "config", "reviews_per_day", "50").exit_code == 0
    assert run(db_path, "config", "day_start_hour", "0").exit_code == 0
    with Store.open(db_path) as store:
        settings = store.settings()
    assert (settings.new_per_day, settings.reviews_per_day, settings.day_start_hour) == (15, 50, 0)


def test_config_default_puts_a_setting_back(db_path):
    run(db_path, "config", "new_per_day", "3")
    result = run(db_path, "config", "new_per_day", "default")
    assert result.exit_code == 0 and result.output.split()[:2] == ["new_per_day", "10"]


def test_config_with_a_name_only_shows_that_setting(db_path):
    result = run(db_path, "config", "reviews_per_day")
    assert result.exit_code == 0 and result.output.splitlines() == [
        "reviews_per_day    200  scheduled reviews a day at most (re-drills of missed cards are extra)"]


@pytest.mark.parametrize("args, message", [
    (("new_per_day", "lots"), "new_per_day must be a whole number from 0 to 10000"),
    (("new_per_day", "-1"), "new_per_day must be a whole number from 0 to 10000"),
    (("new_per_day", "2.5"), "new_per_day must be a whole number from 0 to 10000"),
    (("day_start_hour", "24"), "day_start_hour must be a whole number from 0 to 23"),
    (("reviews_per_day", "100001"), "reviews_per_day must be a whole number from 0 to 100000"),
    (("new_cards", "5"), "unknown setting 'new_cards'; settings: day_start_hour, new_per_day, reviews_per_day, "
                         "grade_scale"),
    (("grade_scale", "5"), "grade_scale must be simple (4) or full (6) (or 'default'), not '5'"),
    (("grade_scale", "easy"), "grade_scale must be simple (4) or full (6) (or 'default'), not 'easy'"),
], ids=["word", "negative", "fraction", "hour-25", "too-many", "unknown-name", "scale-5", "scale-word"])
def test_a_bad_setting_is_one_line_exit_1_and_changes_nothing(db_path, args, message):
    result = run(db_path, "config", *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"quiz: {message}")
    with Store.open(db_path) as store:
        assert store.settings() == type(store.settings())()


def test_quiz_review_starts_without_loading_the_other_commands():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from quiz.cli import main\n"
        "import click\n"
        "ctx = click.Context(main)\n"
        "assert main.get_command(ctx, 'review') is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('quiz.commands.')))\n"
        "assert main.get_command(ctx, 'config') is not None and 'quiz.commands.config' in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_grade_scale_takes_simple_or_full_as_words_or_numbers_and_the_session_uses_it(db_path):
    from datetime import datetime, timedelta, timezone

    from quiz.answer import FULL_SCALE, SIMPLE_SCALE
    from quiz.review import ReviewSession

    for value, number in (("full", 6), ("simple", 4), ("6", 6), ("default", 4)):
        result = run(db_path, "config", "grade_scale", value)
        assert result.exit_code == 0 and result.output.split()[:2] == ["grade_scale", str(number)], result.output
    run(db_path, "config", "grade_scale", "full")
    now = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    with Store.open(db_path) as store:
        assert store.settings().grade_scale == 6 and ReviewSession.open(store, now).scale == FULL_SCALE
        store.set_setting("grade_scale", 4)
        assert ReviewSession.open(store, now).scale == SIMPLE_SCALE
