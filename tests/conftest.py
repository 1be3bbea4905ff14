"""Shared fixtures: a fresh store in a temporary folder and a fixed 'today'."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from environment import run_in_project_environment

from quiz.models import Card, CardType, Deck
from quiz.store import Store

#: Every test's "now": 2026-03-02 09:30 in a fixed UTC+1 zone, study day 2026-03-02.
LOCAL = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=LOCAL)
TODAY = date(2026, 3, 2)


def pytest_configure(config: pytest.Config) -> None:
    # First of all: this Python may lack quiz's dependencies (tests/environment.py).
    run_in_project_environment(config)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "quiz.db"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()


def make_deck(deck_id: str = "anatomy", n: int = 3, **overrides) -> Deck:
    """A small deck of basic cards c1..cn built in code (no YAML)."""
    cards = tuple(
        Card(deck_id, f"c{i}", CardType.BASIC, f"Question {i}?", f"Answer {i}", f"Why {i}", "src")
        for i in range(1, n + 1)
    )
    fields = dict(id=deck_id, title=deck_id.title(), description="A test deck", sources={"src": "A source"},
                  cards=cards)
    fields.update(overrides)
    return Deck(**fields)


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def a_clone(where: Path) -> Path:
    """The project's files as a clone has them (tracked files only, as they are in this working copy)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = where / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (PROJECT_ROOT / name).is_file():
            shutil.copy2(PROJECT_ROOT / name, target)
    return where
