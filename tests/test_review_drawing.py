"""Start-up without the deck parser, a migration on open, and the review screen drawn right as cards change."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace

from conftest import NOW, TODAY, make_deck
from tui_support import Clock, running, screen_lines, tui

from quiz.store import Store


# --------------------------------------------------------------------- start-up
def _in_a_fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_an_ordinary_morning_start_does_not_load_the_deck_parser(db_path):
    # The first start imports the bundled decks and takes the day's backup; the second is an
    # ordinary morning: nothing to import, so PyYAML is not needed.
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from quiz.cli import main\n"
        f"r = CliRunner().invoke(main, ['--db', {str(db_path)!r}, '--now', {NOW.isoformat()!r}, 'review'])\n"
        "assert 'needs a terminal' in r.output, r.output\n"  # it got as far as the store and decks
        "print('yaml' in sys.modules)\n"
    )
    assert _in_a_fresh_python(code).split() == ["True"]  # first run: import the decks
    assert _in_a_fresh_python(code).split() == ["False"]
    with Store.open(db_path) as s:
        assert len(s.decks.ids()) >= 1 and s.pending_migrations() == []


def test_a_version_2_database_gains_the_queue_indexes_with_its_cards_answered_marked(db_path, monkeypatch):
    from quiz.models import ReviewKind
    from quiz.store import schema

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    with monkeypatch.context() as mp:  # a quiz that knew only the first two migrations
        mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        schema.migrate(conn)
    conn.close()
    with Store.open(db_path, migrate=False) as old:
        old.decks.sync(make_deck(n=3), today=TODAY)
        old.conn.execute("UPDATE card_state SET due_on = ?, repetitions = 1, interval_days = 1"
                         " WHERE card_id = 'anatomy/c1'", (TODAY.isoformat(),))
    with Store.open(db_path, now=NOW) as s:
        assert s.pending_migrations() == []
        assert [d.card.id for d in s.cards.new_cards(TODAY)] == ["anatomy/c2", "anatomy/c3"]
        assert s.conn.execute("SELECT id FROM cards WHERE answered = 1").fetchall() == [("anatomy/c1",)]
        s.log.record("anatomy/c2", 4, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY, answer_ms=1)
        assert [d.card.id for d in s.cards.new_cards(TODAY)] == ["anatomy/c3"]
    assert list((db_path.parent / "backups").glob("*pre-migration*"))


# --------------------------------------------------------------------- the card on screen
@tui
async def test_a_short_card_after_a_long_answer_leaves_none_of_the_old_text_on_screen(store):
    deck = make_deck(n=2)
    store.decks.sync(deck, today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        assert any("Why 1" in line for line in screen_lines(app))
        await pilot.press("3")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Question 2?" in shown
        for old in ("Question 1?", "Answer 1", "Why 1", "Source"):
            assert old not in shown


@tui
async def test_cards_taller_and_shorter_than_the_card_box_are_drawn_whole_in_turn(store):
    # The card body is repainted in place while cards fit the box and laid out again when one does
    # not (docs/performance.md): either way, every line on screen is the card's own.
    long_why = " ".join(f"Reason{i}." for i in range(1, 200))  # wraps to more lines than the box holds
    deck = make_deck(n=3)
    cards = (deck.cards[0], replace(deck.cards[1], explanation=long_why), deck.cards[2])
    store.decks.sync(replace(deck, cards=cards), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "3", "space")  # card 2 revealed: taller than the box
        shown = "\n".join(screen_lines(app))
        assert "Answer 2" in shown and "Reason1." in shown and "Reason199." not in shown  # scrolls
        assert "Question 1?" not in shown and "Why 1" not in shown
        await pilot.press("3")  # card 3: short again
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "Question 3?" in shown and "Reason" not in shown and "Answer 2" not in shown
        assert "Left today: 1 new · 0 reviews" in lines[0]
        await pilot.press("space")
        shown = "\n".join(screen_lines(app))
        assert "Answer 3" in shown and "Why 3" in shown and "Reason" not in shown


@tui
async def test_answers_are_drawn_the_same_after_the_terminal_is_resized(store):
    store.decks.sync(make_deck(n=3), today=TODAY)
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        lines = screen_lines(app)
        assert len(lines) == 20 and "Left today: 2 new" in lines[0]
        assert "Question 2?" in "\n".join(lines) and "Why 1" not in "\n".join(lines)


# --------------------------------------------------------------------- the first screen
@tui
async def test_sessions_after_quiz_review_go_back_home_without_piling_up_screens(store):
    # `quiz review` opens on the session itself (the app's first screen, which Textual cannot
    # switch away from), so its summary and the home screen are shown over it.
    from quiz.tui.screens.home import HomeScreen
    from quiz.tui.screens.review import ReviewScreen
    from quiz.tui.screens.summary import SummaryScreen

    store.decks.sync(make_deck(n=5), today=TODAY)  # cards left after every round
    async with running(store, Clock()) as (app, pilot):
        await pilot.press("space", "4")
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        depth = len(app.screen_stack)
        for _ in range(2):
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.view.entry is not None
            await pilot.press("space", "4", "escape")
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
            assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == depth
        await pilot.press("q")
    assert not app.is_running
