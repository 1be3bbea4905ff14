"""The short cuts that keep `quiz review` quick give the same result as the long way round."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from conftest import NOW, TODAY, make_deck
from quiz.store import Store
from quiz.tui.widgets.card_view import CardBody
from tui_support import Clock, running, screen_lines, tui


# --------------------------------------------------------------------- start-up
def _in_a_fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_an_ordinary_morning_start_loads_neither_sqlite_utils_nor_yaml(db_path):
    # The first start imports the bundled decks and takes the day's backup; the second is an
    # ordinary morning: nothing to migrate or import, so neither library is needed (~65 ms).
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from quiz.cli import main\n"
        f"r = CliRunner().invoke(main, ['--db', {str(db_path)!r}, '--now', {NOW.isoformat()!r}, 'review'])\n"
        "assert 'needs a terminal' in r.output, r.output\n"  # it got as far as the store and decks
        "print('sqlite_utils' in sys.modules, 'yaml' in sys.modules)\n"
    )
    assert _in_a_fresh_python(code).split() == ["True", "True"]  # first run: migrate, import decks
    assert _in_a_fresh_python(code).split() == ["False", "False"]
    with Store.open(db_path) as s:
        assert len(s.deck_ids()) >= 1 and s.pending_migrations() == []


def test_a_migration_missing_from_the_log_is_applied_when_the_database_is_opened(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)  # as if written before 0002_stats_indexes
    conn.execute("DROP INDEX card_state_hardest")
    conn.execute("DROP INDEX cards_deck_of_card")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_stats_indexes'")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    # A fresh process, where sqlite-utils is only imported if the one-query check finds work to do.
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from quiz.store import Store\n"
        f"s = Store.open({str(db_path)!r}, now=datetime.fromisoformat({NOW.isoformat()!r}))\n"
        "print(s.conn.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE name = 'card_state_hardest'\").fetchone()[0],"
        " s.pending_migrations())\n"
    )
    assert _in_a_fresh_python(code) == "1 []"
    assert list((db_path.parent / "backups").glob("*pre-migration*"))


# --------------------------------------------------------------------- the card on screen
@tui
async def test_a_short_card_after_a_long_answer_leaves_none_of_the_old_text_on_screen(store):
    deck = make_deck(n=2)
    store.sync_deck(deck, today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        assert any("Why 1" in line for line in screen_lines(app))
        await pilot.press("4")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Question 2?" in shown
        for old in ("Question 1?", "Answer 1", "Why 1", "Source"):
            assert old not in shown


@tui
async def test_answers_are_drawn_the_same_after_the_terminal_is_resized(store):
    store.sync_deck(make_deck(n=3), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        lines = screen_lines(app)
        assert len(lines) == 20 and "Card 2 of 3" in lines[0]
        assert "Question 2?" in "\n".join(lines) and "Why 1" not in "\n".join(lines)


_TEXT = st.text(alphabet=st.sampled_from(list("ab cd\t") + ["\n", "界", "é", "😀"]), max_size=80)


@settings(max_examples=300, deadline=None)
@given(blocks=st.lists(st.lists(_TEXT, min_size=1, max_size=3), min_size=1, max_size=4),
       width=st.integers(min_value=4, max_value=40))
def test_the_card_counts_its_lines_as_textual_wraps_them(blocks, width):
    # The count decides whether the card box must grow and scroll: one line too few and the end of
    # a long card could not be reached.
    content = Content("\n\n").join(Content("\n").join(Content(text) for text in block) for block in blocks)
    body = CardBody()
    body.render = lambda: content  # the card's text, without an app to take the theme from
    assert body._lines(width) == content.get_height(body.styles, width)


# --------------------------------------------------------------------- the first screen
@tui
async def test_sessions_after_quiz_review_go_back_home_without_piling_up_screens(store):
    # `quiz review` opens on the session itself (the app's first screen, which Textual cannot
    # switch away from), so its summary and the home screen are shown over it.
    from quiz.tui.screens.home import HomeScreen
    from quiz.tui.screens.review import ReviewScreen
    from quiz.tui.screens.summary import SummaryScreen

    store.sync_deck(make_deck(n=5), today=TODAY)  # cards left after every round
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "5")
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        depth = len(app.screen_stack)
        for _ in range(2):
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.shown is not None
            await pilot.press("space", "5", "escape")
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
            assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == depth
        await pilot.press("q")
    assert not app.is_running
