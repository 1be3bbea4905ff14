"""`quiz decks validate | import | list | new`: what a deck author sees and the exit status."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, make_deck

from quiz.backup import list_backups
from quiz.cli import main
from quiz.decks import MAX_SHOWN_PROBLEMS, parse_deck
from quiz.models import ReviewKind
from quiz.shipped import bundled_deck_files
from quiz.store import Store

DATA = Path(__file__).parent / "data" / "decks"
GOOD = DATA / "good"
BAD = DATA / "bad"
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+")
BUNDLED = len(bundled_deck_files())


def quiz(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "--now", "2026-03-02T09:30:00+01:00", *args])


def stored_decks(db_path) -> list[str]:
    with Store.open(db_path) as store:
        return store.decks.ids()


def deck_file(path: Path, *cards: tuple[str, str], deck_id: str = "my-deck") -> Path:
    body = "".join(
        f"  - id: {key}\n    type: basic\n    question: {question}\n    answer: An answer\n    source: src\n"
        "    explanation: Why it matters.\n"
        for key, question in cards
    )
    path.write_text(f"deck: {deck_id}\ntitle: My deck\ndescription: Mine.\nsources:\n  src: A source.\ncards:\n{body}")
    return path


# ----------------------------------------------------------------------------- validate
def test_validate_says_ok_in_one_line_and_exits_0_for_good_decks(db_path):
    result = quiz(db_path, "decks", "validate", str(GOOD / "all-types.yaml"), str(GOOD / "minimal.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 2 decks, 5 cards (6 questions, counting each cloze gap) — no problems found\n"
    assert not db_path.exists()  # validating never touches the database


def test_validate_lists_every_problem_as_file_line_col_and_exits_1(db_path):
    bad = BAD / "unknown-field-typo.yaml"
    result = quiz(db_path, "decks", "validate", str(GOOD / "minimal.yaml"), str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f"{bad}:7:5: card 'spinous-process-behind' is a basic card and needs an 'answer': add `answer: ...`",
        f"{bad}:10:5: unknown field 'anwser' — did you mean 'answer'?",
        "quiz: 2 problems in 1 file",
    ]
    assert result.stdout == ""


def test_validate_of_the_bad_fixture_folder_reports_every_file_and_no_traceback(db_path):
    result = quiz(db_path, "decks", "validate", str(BAD))
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = result.stderr.splitlines()[:-1]
    assert all(PROBLEM_LINE.match(line) for line in problems)
    assert {line.split(":")[0] for line in problems} == {str(p) for p in BAD.glob("*.yaml")}
    assert re.fullmatch(r"quiz: \d+ problems in \d+ files", result.stderr.splitlines()[-1])


def test_a_missing_path_is_one_clean_line_among_the_others(db_path, tmp_path):
    result = quiz(db_path, "decks", "validate", str(tmp_path / "nope.yaml"), str(GOOD / "minimal.yaml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{tmp_path / 'nope.yaml'}: no such file or folder", "quiz: 1 problem in 1 file"]


def test_validate_needs_at_least_one_path(db_path):
    result = quiz(db_path, "decks", "validate")
    assert result.exit_code == 2 and "Missing argument 'PATH...'" in result.output


def test_a_folder_that_cannot_be_listed_is_one_clean_line_and_exit_1(db_path, tmp_path, monkeypatch):
    def listdir(path="."):
        raise PermissionError(13, "Permission denied", os.fspath(path))

    monkeypatch.setattr(os, "listdir", listdir)  # tests run as root, for whom chmod 000 changes nothing
    result = quiz(db_path, "decks", "validate", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"{tmp_path}: cannot list the folder: Permission denied",
                                          "quiz: 1 problem in 1 file"]


def test_a_deck_with_thousands_of_problems_lists_only_so_many_and_counts_them_all(db_path, tmp_path):
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"))
    path.write_text(path.read_text() + "".join(f"zz{i}: x\n" for i in range(MAX_SHOWN_PROBLEMS + 7)))
    result = quiz(db_path, "decks", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_SHOWN_PROBLEMS + 2
    first_hidden = path.read_text().count("\n") - 7 + 1  # the line of the first unknown field not listed
    assert lines[-2:] == [f"{path}:{first_hidden}:1: 7 more problems from here on not shown — fix the ones above, "
                          "then validate the file again",
                          f"quiz: {MAX_SHOWN_PROBLEMS + 7} problems in 1 file"]
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1])


# ----------------------------------------------------------------------------- import
def test_import_reports_new_cards_then_a_reimport_changes_nothing(db_path, tmp_path):
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"), ("c2", "Q2?"))
    first = quiz(db_path, "decks", "import", str(path))
    assert first.exit_code == 0, first.output
    assert first.stdout == f"my-deck ({path}): new deck, 2 added, 0 changed, 0 retired, 0 restored, 0 unchanged\n"
    again = quiz(db_path, "decks", "import", str(path))
    assert again.stdout == f"my-deck ({path}): 0 added, 0 changed, 0 retired, 0 restored, 2 unchanged\n"
    assert stored_decks(db_path)[-1] == "my-deck" and len(stored_decks(db_path)) == BUNDLED + 1


def test_import_names_the_changed_retired_and_restored_cards(db_path, tmp_path):
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"), ("c2", "Q2?"), ("c3", "Q3?"))
    quiz(db_path, "decks", "import", str(path))
    deck_file(path, ("c1", "Q1, reworded?"), ("c3", "Q3?"))
    edited = quiz(db_path, "decks", "import", str(path))
    assert edited.stdout.splitlines() == [
        f"my-deck ({path}): 0 added, 1 changed, 1 retired, 0 restored, 1 unchanged",
        "  changed: c1",
        "  retired: c2",
    ]
    deck_file(path, ("c1", "Q1, reworded?"), ("c2", "Q2?"), ("c3", "Q3?"))
    back = quiz(db_path, "decks", "import", str(path))
    assert back.stdout.splitlines()[1:] == ["  restored: c2"]


def test_the_import_report_prints_a_file_name_with_its_control_characters_escaped(db_path, tmp_path):
    path = deck_file(tmp_path / "my\x1b[2Jdeck\x07\n\u202e.yaml", ("c1", "Q1?"))
    result = quiz(db_path, "decks", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"my-deck ({tmp_path}/my\\x1b[2Jdeck\\x07\\n\\u202e.yaml): new deck, 1 added, 0 changed, "
                             "0 retired, 0 restored, 0 unchanged\n")


def test_a_deck_file_whose_name_is_not_utf8_imports_and_is_named_with_the_byte_escaped(db_path, tmp_path):
    try:
        deck_file(tmp_path / os.fsdecode(b"bad\xff.yaml"), ("c1", "Q1?"))
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    result = quiz(db_path, "decks", "import", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"my-deck ({tmp_path}/bad\\xff.yaml): new deck, 1 added")


def test_if_any_file_is_invalid_nothing_is_imported(db_path, tmp_path):
    good = deck_file(tmp_path / "good.yaml", ("c1", "Q1?"))
    result = quiz(db_path, "decks", "import", str(good), str(BAD / "duplicate-card-id.yaml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "quiz: 1 problem in 1 file; nothing was imported"
    assert "already used on line 7" in result.stderr
    assert not db_path.exists()  # the database was not even opened


def test_two_files_with_one_deck_id_are_refused_before_anything_is_imported(db_path, tmp_path):
    a = deck_file(tmp_path / "a.yaml", ("c1", "Q1?"))
    b = deck_file(tmp_path / "b.yaml", ("c9", "Q9?"))
    result = quiz(db_path, "decks", "import", str(a), str(b))
    assert result.exit_code == 1
    assert f"{b}:1:7: deck id 'my-deck' is also used by {a}" in result.stderr


def test_importing_a_bundled_deck_id_says_it_replaces_the_bundled_deck(db_path, tmp_path):
    bundled_id = parse_deck(bundled_deck_files()[0].read_bytes()).id
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"), deck_id=bundled_id)
    result = quiz(db_path, "decks", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"note: this replaces the bundled deck '{bundled_id}'" in result.stdout
    assert "retired:" in result.stdout and " and " in result.stdout  # the bundled cards, briefly


def test_a_bad_deck_through_python_dash_m_quiz_is_clean_lines_and_exit_1(db_path):
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", "--db", str(db_path), "decks", "import", str(BAD / "billion-laughs.yaml")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == "quiz: 5 problems in 1 file; nothing was imported"


# ----------------------------------------------------------------------------- list
def test_list_splits_each_decks_cards_by_state_with_what_is_due_today(db_path, tmp_path):
    quiz(db_path, "decks", "import", str(deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"), ("c2", "Q2?"))))
    with Store.open(db_path) as store:
        store.log.record("my-deck/c1", 5, kind=ReviewKind.REVIEW, study_day=TODAY, answer_ms=1000,
                            reviewed_at=datetime(2026, 2, 27, 9, tzinfo=UTC))
    result = quiz(db_path, "decks", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["deck", "cards", "new", "learning", "young", "mature", "suspended", "due", "today",
                                "title"]
    mine = next(line for line in lines if line.startswith("my-deck "))
    assert mine.split() == ["my-deck", "2", "1", "1", "0", "0", "0", "0", "My", "deck"]  # 1 + 1 = 2 cards
    assert lines[-2].startswith("new: never answered · learning: interval under 6 days")
    assert len(lines) == 1 + BUNDLED + 1 + 2 and lines[-1] == "Today: 0 reviews, 9 new cards. Start with `quiz review`."  # 1 of 10 new used today


def test_list_says_when_nothing_is_left_for_today(db_path, tmp_path):
    quiz(db_path, "decks", "import", str(deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"))))
    assert quiz(db_path, "config", "new_per_day", "0").exit_code == 0
    lines = quiz(db_path, "decks", "list").stdout.splitlines()
    assert lines[-1].startswith("Nothing left for today") and "Start with" not in "\n".join(lines)


def test_list_shows_a_hostile_title_on_its_row_without_control_characters(db_path):
    with Store.open(db_path) as store:  # a title the validator would refuse, as an old database may hold
        store.decks.sync(make_deck("evil", title="Evil\x1b[31m\ntitle\x07\u2028\u202eend\tx"), today=TODAY)
    result = quiz(db_path, "decks", "list")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("evil "))
    assert row.endswith("  Evil[31m title \\u202eend x")
    assert not any(c in result.stdout for c in "\x1b\x07\t\u2028\u202e")


def test_list_shows_a_title_from_a_deck_file_on_one_line(db_path, tmp_path):
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"))
    path.write_text(path.read_text().replace("title: My deck", 'title: "My\\ndeck\\u2029"'))
    assert quiz(db_path, "decks", "import", str(path)).exit_code == 0
    lines = quiz(db_path, "decks", "list").stdout.splitlines()
    assert len(lines) == 1 + BUNDLED + 1 + 2
    assert next(line for line in lines if line.startswith("my-deck ")).endswith("  My deck")


# ----------------------------------------------------------------------------- new
def test_new_writes_a_template_that_validates_and_imports(db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = quiz(db_path, "decks", "new", "back-basics")
    assert result.exit_code == 0, result.output
    assert "Wrote back-basics.yaml" in result.stdout
    assert quiz(db_path, "decks", "validate", "back-basics.yaml").exit_code == 0
    imported = quiz(db_path, "decks", "import", "back-basics.yaml")
    assert imported.exit_code == 0 and "new deck, 5 added" in imported.stdout


def test_new_teaches_previous_ids_with_an_example_that_validates_once_uncommented(db_path, tmp_path):
    path = tmp_path / "back-basics.yaml"
    assert quiz(db_path, "decks", "new", "back-basics", "-o", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "previous_ids" in text and "{{gaps}}" in text and "10,000 cards" in text
    types = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("    type:")]
    assert types == ["basic", "choice", "truefalse", "cloze"]
    path.write_text(text.replace("    # previous_ids: [old-card-id]", "    previous_ids: [old-card-id]"))
    result = quiz(db_path, "decks", "validate", str(path))
    assert result.exit_code == 0 and "previous_ids: [old-card-id]" in path.read_text(), result.output


def test_new_writes_a_deck_that_a_real_quiz_process_validates_and_imports(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    run = [sys.executable, "-m", "quiz", "--db", str(tmp_path / "q.db")]
    new = subprocess.run([*run, "decks", "new", "back-basics"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert new.returncode == 0, new.stderr
    for command in ("validate", "import"):
        done = subprocess.run([*run, "decks", command, "back-basics.yaml"], cwd=tmp_path, capture_output=True,
                              text=True, env=env)
        assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "new deck, 5 added" in done.stdout


def test_new_never_overwrites_a_file(db_path, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("my own notes\n")
    result = quiz(db_path, "decks", "new", "mine", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"quiz: {target} already exists and was left as it is; choose another file with -o PATH\n"
    assert target.read_text() == "my own notes\n"


def test_new_into_a_folder_writes_id_dot_yaml_there(db_path, tmp_path):
    assert quiz(db_path, "decks", "new", "hips", "-o", str(tmp_path)).exit_code == 0
    assert parse_deck((tmp_path / "hips.yaml").read_bytes()).id == "hips"


@pytest.mark.parametrize("bad_id", ["Back Basics", "../escape", "-leading-hyphen"])
def test_new_with_a_bad_id_is_one_line_and_writes_nothing(db_path, tmp_path, monkeypatch, bad_id):
    monkeypatch.chdir(tmp_path)
    result = quiz(db_path, "decks", "new", "--", bad_id)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"quiz: deck id '{bad_id}' is not valid") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_new_into_a_missing_folder_is_a_clean_error(db_path, tmp_path):
    result = quiz(db_path, "decks", "new", "hips", "-o", str(tmp_path / "no" / "such" / "hips.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith("quiz: cannot write ") and "No such file or directory" in result.stderr


@pytest.mark.parametrize("name, shown", [
    ("new\x1b[2J\x07\nline.yaml", "new\\x1b[2J\\x07\\nline.yaml"),
    (os.fsdecode(b"bad\xff.yaml"), "bad\\xff.yaml"),
])
def test_new_with_control_characters_or_bytes_not_utf8_in_the_file_name(db_path, tmp_path, monkeypatch, name, shown):
    monkeypatch.chdir(tmp_path)
    result = quiz(db_path, "decks", "new", "hips", "-o", name)
    if result.exit_code == 1 and "cannot write" in result.stderr:
        pytest.skip("this file system refuses such a name")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {shown}. Edit it, then check it with `quiz decks validate {shown}`")
    assert parse_deck((tmp_path / name).read_bytes()).id == "hips"  # the name in its comments changes nothing
    again = quiz(db_path, "decks", "new", "hips", "-o", name)
    assert again.stderr == f"quiz: {shown} already exists and was left as it is; choose another file with -o PATH\n"


def test_an_import_that_changes_a_deck_first_takes_a_pre_import_backup(db_path, tmp_path):
    path = deck_file(tmp_path / "mine.yaml", ("c1", "Q1?"))
    quiz(db_path, "decks", "list")  # first start: the bundled decks go in
    assert quiz(db_path, "decks", "import", str(path)).exit_code == 0
    assert [b.reason for b in list_backups(db_path)].count("pre-import") == 1
    assert quiz(db_path, "decks", "import", str(path)).exit_code == 0  # unchanged: no new backup
    assert [b.reason for b in list_backups(db_path)].count("pre-import") == 1


def test_importing_a_bundled_file_as_it_is_changes_nothing_and_says_so(db_path):
    bundled = bundled_deck_files()[0]
    result = quiz(db_path, "decks", "import", str(bundled))
    assert result.exit_code == 0, result.output
    assert ": 0 added, 0 changed, 0 retired, 0 restored, " in result.stdout and "note:" not in result.stdout
