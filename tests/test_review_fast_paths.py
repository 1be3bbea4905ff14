"""The short cuts that keep `quiz review` quick give the same result as the long way round."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from conftest import NOW, TODAY, make_deck
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content
from tui_support import Clock, running, screen_lines, tui

from quiz.store import Store
from quiz.tui.widgets.card_view import CardBody


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


def test_a_missing_migration_is_applied_when_the_database_is_opened(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)  # as if written before 0002_stats_indexes
    conn.execute("DROP INDEX card_state_hardest")
    conn.execute("DROP INDEX cards_deck_of_card")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
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
    store.decks.sync(deck, today=TODAY)
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
    store.decks.sync(make_deck(n=3), today=TODAY)
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
    assert CardBody()._count_lines(content, width) == content.get_height(CardBody().styles, width)


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


# --------------------------------------------------------------------- the next card, rendered ahead
def _drawn(app) -> list[list[tuple[str, str]]]:
    """The terminal as drawn: every row as (text, style) segments, styles included."""
    return [[(seg.text, str(seg.style)) for seg in strip] for strip in app.screen._compositor.render_strips()]


async def _grade_through(store, keys, *, ahead: bool, monkeypatch, theme_toggles: int = 0):
    """Answer with `keys` (after a pause long enough for the next card to be rendered ahead, unless
    `ahead` is False) and return what each grade drew, plus how many cards were shown from ahead."""
    from quiz.tui.screens.review import ReviewScreen
    from quiz.tui.widgets.lines import KeptLines

    if not ahead:
        monkeypatch.setattr(ReviewScreen, "_prepare_next", lambda self: None)
    hits = []
    real_show = KeptLines.show
    monkeypatch.setattr(KeptLines, "show", lambda self, key, text=None: (
        hits.append(text is None and type(self).__name__ == "CardBody"), real_show(self, key, text))[1])
    frames = []
    async with running(store, Clock()) as (app, pilot):
        for _ in range(theme_toggles):
            await pilot.press("ctrl+t")
        for reveal, grade in keys:
            await pilot.press(reveal)
            await pilot.pause(0.1)  # the patient reads: long past PREPARE_AFTER_S
            await pilot.press(grade)
            await pilot.pause()
            frames.append(_drawn(app))
    monkeypatch.undo()
    return frames, sum(hits)


@tui
async def test_a_card_rendered_ahead_is_drawn_exactly_as_one_rendered_on_the_spot(tmp_path, monkeypatch):
    from tui_support import mixed_deck

    stores = [Store.open(tmp_path / f"{name}.db") for name in ("ahead", "on-the-spot")]
    for s in stores:
        s.decks.sync(mixed_deck(), today=TODAY)  # basic, choice, truefalse, cloze
    # basic: reveal + grade; choice: a right pick then 5; truefalse: a wrong pick then Enter; cloze.
    keys = [("space", "4"), ("b", "5"), ("f", "enter"), ("space", "3")]
    ahead, hits = await _grade_through(stores[0], keys, ahead=True, monkeypatch=monkeypatch)
    fresh, none = await _grade_through(stores[1], keys, ahead=False, monkeypatch=monkeypatch)
    assert hits >= 3 and none == 0  # the fast path was taken, and the slow one never
    assert ahead == fresh
    rows = [r[:4] for r in stores[0].conn.execute("SELECT card_id, quality, kind, study_day FROM reviews ORDER BY id")]
    assert rows == [r[:4] for r in stores[1].conn.execute(
        "SELECT card_id, quality, kind, study_day FROM reviews ORDER BY id")]
    for s in stores:
        s.close()


@tui
async def test_kept_lines_follow_a_change_of_theme(tmp_path, monkeypatch):
    stores = [Store.open(tmp_path / f"{name}.db") for name in ("switched", "fresh")]
    for s in stores:
        s.decks.sync(make_deck(n=4), today=TODAY)
    # Both end in the same theme: one switched to it after the next card was rendered ahead in the
    # other theme (what was kept must not be reused), the other was in it from the start.
    async with running(stores[0], Clock()) as (app, pilot):
        await pilot.press("space")
        await pilot.pause(0.1)
        await pilot.press("ctrl+t")  # the next card was rendered ahead in the old theme
        await pilot.press("4")
        await pilot.pause()
        switched = _drawn(app)
        first_theme = app.theme
    async with running(stores[1], Clock()) as (app, pilot):
        app.theme = first_theme
        await pilot.press("space")
        await pilot.pause(0.1)
        await pilot.press("4")
        await pilot.pause()
        assert _drawn(app) == switched
    for s in stores:
        s.close()


# --------------------------------------------------------------------- today's reviews, read in two parts
def _many_due(store, n):
    """n cards due today (answered on the days before, so most overdue first), plus 2 new ones."""
    from datetime import timedelta

    from quiz.models import ReviewKind

    store.decks.sync(make_deck(n=n + 2), today=TODAY)
    for i in range(1, n + 1):
        day = TODAY - timedelta(days=1 + (n - i) // 4)
        store.log.record(f"anatomy/c{i}", 4, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=day,
                            answer_ms=1)
    return [d.card.key for d in store.cards.due_reviews(TODAY, limit=200)]


@tui
async def test_the_first_card_counts_every_review_and_the_rest_are_read_while_it_is_shown(store):
    from quiz.tui.screens.review import FIRST_REVIEWS

    due = _many_due(store, FIRST_REVIEWS + 8)
    async with running(store, Clock()) as (app, pilot):
        screen = app.screen
        assert "Card 1 of 22" in screen_lines(app)[0]  # 20 reviews + 2 new, before the rest is read
        assert screen.session.more_reviews in (0, 8)
        await pilot.pause(0.2)
        assert screen.session.more_reviews == 0
        assert [e.card.key for e in screen.session.queue] == due + ["c21", "c22"]


@tui
async def test_a_key_before_the_rest_is_read_reads_it_first_and_undo_keeps_every_card(store, monkeypatch):
    from quiz.tui.screens.review import FIRST_REVIEWS, ReviewScreen

    monkeypatch.setattr(ReviewScreen, "set_timer", lambda self, *a, **k: None)  # a very quick patient
    due = _many_due(store, FIRST_REVIEWS + 8)
    async with running(store, Clock()) as (app, pilot):
        screen = app.screen
        assert screen.session.more_reviews == 8
        await pilot.press("space", "5")
        assert screen.session.more_reviews == 0 and screen.session.total == 22
        await pilot.press("u")
        assert [e.card.key for e in screen.session.queue] == due + ["c21", "c22"]
        for _ in range(22):
            await pilot.press("space", "5")
        assert [r[0] for r in store.conn.execute(
            "SELECT card_id FROM reviews WHERE study_day = ? ORDER BY id", (TODAY.isoformat(),))] == [
            f"anatomy/{k}" for k in due + ["c21", "c22"]]
