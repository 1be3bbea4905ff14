"""Readability: reading grades of cards (quiz.lint) and the `quiz decks lint` command."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz import lint
from quiz.cli import main
from quiz.models import Card, CardType

DATA = Path(__file__).parent / "data" / "lint"
EASY = str(DATA / "easy.yaml")
HARD = str(DATA / "hard.yaml")
NO_SOURCE = str(DATA / "bad" / "no-source.yaml")


def run_lint(*args):
    return CliRunner().invoke(main, ["decks", "lint", *args])


def card(prompt, answer, type=CardType.BASIC, choices=()):
    return Card("d", "k", type, prompt, answer, "why", "src", choices=tuple(choices))


# --------------------------------------------------------------------------- grades
def test_a_grade_never_goes_below_zero():
    # Flesch–Kincaid gives "True." a grade of -3.4; a school grade below zero means nothing.
    assert lint.reading_grade("True.") == 0.0


@pytest.mark.parametrize("text", ["", "   ", "…", "?!"])
def test_text_without_words_has_grade_zero(text):
    assert lint.reading_grade(text) == 0.0


def test_specialist_wording_grades_far_above_plain_wording():
    plain = lint.reading_grade("The discs are the soft pads between the bones of your back.")
    dense = lint.reading_grade("Intervertebral discs are fibrocartilaginous structures interposed between vertebrae.")
    assert plain <= 8 < dense


def test_a_card_is_graded_on_everything_read_for_it_including_the_choices():
    easy = card("Which is a red flag?", "A fever", CardType.CHOICE, ["A fever", "A cold"])
    hard = card("Which is a red flag?", "A fever", CardType.CHOICE,
                ["A fever", "Intermittent musculoskeletal discomfort accompanying prolonged immobilisation"])
    assert "musculoskeletal" in lint.card_passage(hard)
    assert lint.grade_card(hard).overall > lint.grade_card(easy).overall + 4


def test_one_long_word_as_the_answer_does_not_flag_a_plain_card():
    # The formula is unstable on a few words: "Sciatica." alone scores far above grade 12. A card is
    # read as a whole, so the card grade decides, and the answer's own grade is only reported.
    graded = lint.grade_card(card("What do we call pain that runs from the low back down the leg?", "Sciatica"))
    assert graded.answer > 12
    assert graded.overall <= lint.MAX_GRADE


def test_the_summary_gives_the_count_the_median_the_highest_and_the_cards_above_the_limit():
    grades = [lint.grade_card(card(q, a)) for q, a in [
        ("Where is the sacrum?", "Between the buttocks."),
        ("What is the spinal cord made of?", "Nerve tissue."),
        ("Which epidemiological characteristics differentiate degenerative spondylolisthesis radiologically?",
         "Heterogeneous morphological abnormalities."),
    ]]
    summary = lint.summarise(grades, max_grade=8)
    assert summary.cards == 3
    assert summary.highest is grades[2]
    assert summary.above == (grades[2],)
    assert summary.median == sorted(g.overall for g in grades)[1]
    assert not summary.ok
    assert lint.summarise(grades, max_grade=100).ok


def test_the_summary_of_no_cards_is_empty_and_ok():
    summary = lint.summarise([])
    assert summary.cards == 0 and summary.ok and summary.highest is None


# --------------------------------------------------------------------------- the command
def test_lint_lists_each_card_with_question_answer_and_card_grades_and_exits_0_when_all_are_plain():
    result = run_lint(EASY)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "question" in out and "answer" in out and "card" in out
    for key in ("lint-easy/cord-made-of", "lint-easy/spine-can-move", "lint-easy/bump-at-back"):
        assert key in out
    assert "3 cards in 1 deck: median grade" in out
    assert "0 above grade 8" in out
    assert "<- above" not in out


def test_lint_flags_a_hard_card_with_its_file_and_line_and_exits_1():
    result = run_lint(HARD)
    assert result.exit_code == 1
    flagged = [line for line in result.output.splitlines() if "reads at grade" in line]
    assert len(flagged) == 1
    assert flagged[0].startswith(f"{HARD}:13: card lint-hard/specialist-card")
    assert "above grade 8" in flagged[0]
    assert "lint-hard/plain-card" in result.output  # listed in the table, not flagged
    assert "1 above grade 8" in result.output


def test_a_higher_max_grade_lets_the_hard_deck_pass():
    result = run_lint(HARD, "--max-grade", "40")
    assert result.exit_code == 0, result.output
    assert "0 above grade 40" in result.output


def test_flagged_only_prints_just_the_flagged_cards_and_the_summary():
    result = run_lint("--flagged-only", HARD)
    assert result.exit_code == 1
    assert "lint-hard/plain-card" not in result.output
    assert "lint-hard/specialist-card" in result.output
    assert result.output.strip().splitlines()[-1].startswith("2 cards in 1 deck")


def test_lint_of_a_folder_grades_every_deck_in_it():
    result = run_lint(EASY, HARD)
    folder = run_lint(str(DATA))
    assert "5 cards in 2 decks" in result.output
    assert folder.output == result.output.replace(EASY, str(DATA / "easy.yaml"))
    assert folder.exit_code == 1


def test_lint_prints_file_names_with_their_control_characters_escaped(tmp_path):
    path = tmp_path / "h\x1b[2Jard\x07\n\u202e.yaml"
    path.write_bytes(Path(HARD).read_bytes())
    result = run_lint(str(path))
    assert result.exit_code == 1
    shown = f"{tmp_path}/h\\x1b[2Jard\\x07\\n\\u202e.yaml"
    assert f"{shown}: deck lint-hard, 2 cards" in result.stdout.splitlines()
    assert any(line.startswith(f"{shown}:13: card lint-hard/specialist-card") for line in result.stdout.splitlines())
    assert not any(c in result.output for c in "\x1b\x07\u202e")


def test_lint_counts_one_card_and_one_deck_in_the_singular(tmp_path):
    text = Path(EASY).read_text()
    path = tmp_path / "one.yaml"
    path.write_text(text[:text.index("  - id: spine-can-move")])
    result = run_lint(str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: deck lint-easy, 1 card" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].startswith("1 card in 1 deck: median grade")
    assert lint.summary_line(lint.summarise([]), decks=1) == "1 deck, no cards"


def test_lint_of_an_invalid_deck_gives_the_validators_line_and_no_table():
    result = run_lint(NO_SOURCE)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"quiz: {NO_SOURCE}:7:5: ")
    assert "source" in result.stderr
    assert "Traceback" not in result.output


def test_lint_of_a_missing_path_says_so_in_one_line():
    result = run_lint(str(DATA / "nowhere.yaml"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"quiz: {DATA / 'nowhere.yaml'}: no such file or folder"


def test_lint_needs_at_least_one_path():
    result = run_lint()
    assert result.exit_code == 2
    assert "PATH" in result.output
