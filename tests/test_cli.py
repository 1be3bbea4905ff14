"""The `quiz` command: database choice, and clear one-line errors for bad paths."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.store import SCHEMA_VERSION


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


def run_process(*args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "quiz", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=60)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "review" in result.output and "decks" in result.output and "--db" in result.output


def test_python_dash_m_quiz_answers_help():
    proc = run_process("--help")
    assert proc.returncode == 0 and "Usage: quiz" in proc.stdout


@pytest.mark.parametrize(
    "make_bad, message",
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_text("not a database"), "not an SQLite database"),
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: None, "does not exist"),
    ],
    ids=["directory", "text-file", "empty-file", "missing-folder"],
)
def test_a_bad_db_path_gives_one_line_and_exit_1_without_touching_it(tmp_path, make_bad, message):
    target = tmp_path / "target"
    make_bad(target)
    path = target if target.exists() else target / "sub" / "quiz.db"
    before = path.read_bytes() if path.is_file() else None
    proc = run_process("--db", str(path), "review")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("quiz: ")
    if before is not None:
        assert path.read_bytes() == before


def test_a_newer_schema_is_refused_through_QUIZ_DB(tmp_path):
    path = tmp_path / "quiz.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE decks (id TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    proc = run_process("review", env_extra={"QUIZ_DB": str(path)})
    assert proc.returncode == 1 and "newer version of quiz" in proc.stderr and "Traceback" not in proc.stderr


def test_review_outside_a_terminal_says_so_instead_of_crashing(tmp_path):
    proc = run_process("--db", str(tmp_path / "quiz.db"), "review")
    assert proc.returncode == 1
    assert "needs a terminal" in proc.stderr and "Traceback" not in proc.stderr
