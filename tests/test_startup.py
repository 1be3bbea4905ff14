"""Start-up: the garbage collector held off until the first screen, and no deck parser on an ordinary start."""
from __future__ import annotations

import gc
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import NOW
from tui_support import Clock, running, tui

import quiz.cli
from quiz import gc_hold, launch
from quiz.shipped import sync_bundled_decks


@pytest.fixture
def collector():
    """Leaves the collector as it found it (enabled, nothing frozen) whatever the test did."""
    yield
    gc_hold.release()
    gc.unfreeze()
    gc.enable()


def test_the_command_runs_with_the_collector_held_and_releases_it_after(monkeypatch, collector):
    seen = []
    monkeypatch.setattr(quiz.cli, "main", lambda **kw: seen.append((gc.isenabled(), kw)))
    launch.main()
    assert seen == [(False, {"prog_name": "quiz"})]
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_the_collector_is_released_even_when_the_command_fails(monkeypatch, collector):
    def fail(**kw):
        raise SystemExit(1)

    monkeypatch.setattr(quiz.cli, "main", fail)
    with pytest.raises(SystemExit):
        launch.main()
    assert gc.isenabled()


def test_a_command_without_a_screen_collects_garbage_while_it_works(tmp_path, monkeypatch, collector):
    seen = []
    import quiz.commands.config as config_module

    real = config_module.config.callback

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(config_module.config, "callback", spy)
    gc_hold.hold()
    result = CliRunner().invoke(quiz.cli.main, ["--db", str(tmp_path / "q.db"), "config"])
    assert result.exit_code == 0, result.output
    assert seen == [True]


@tui
async def test_the_app_releases_the_collector_once_its_first_screen_is_drawn(store, collector):
    sync_bundled_decks(store, NOW.date())
    gc_hold.hold()
    async with running(store, Clock()) as (app, pilot):
        await pilot.pause()
        assert gc.isenabled() and not gc_hold.held()
        assert app.screen.view.entry is not None  # the first card is up


def test_without_the_launcher_nothing_touches_the_collector(collector):
    gc.disable()
    gc_hold.release()  # not held: a test or a library user calling in must keep its own setting
    assert not gc.isenabled()


def test_an_ordinary_start_does_not_load_the_deck_parser(tmp_path):
    """Bundled decks unchanged since the last start: five hashes, no YAML, no schema validator."""
    db = tmp_path / "quiz.db"
    code = (
        "import sys\n"
        "from quiz.cli import Env, _fixed_clock\n"
        f"env = Env(db_path={str(db)!r}, clock=_fixed_clock({NOW.isoformat()!r}))\n"
        "store = env.open_store()\n"
        "print(len(store.decks.ids()), 'quiz.decks' in sys.modules, 'yaml' in sys.modules)\n"
        "env.close()\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["5", "True", "True"]  # the first start imports the bundled decks
    assert again.stdout.split() == ["5", "False", "False"]
