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


def card(prompt, answer, type=CardType.BASIC, choices=(), explanation="It helps you.", key="k"):
    return Card("d", key, type, prompt, answer, explanation, "src", choices=tuple(choices))


PLAIN_EXPLANATION = "The bones guard the cord. That is why they are shaped as they are."
#: Each sentence below grade 9, together above grade 6: fine on its own, too hard as the usual explanation.
MIDDLING_EXPLANATION = (
    "Scan reports often describe the discs between the bones, using words that sound more alarming than they are."
)


def write_deck(path, explanations):
    """A valid deck at `path` with one plain basic card per explanation."""
    cards = "".join(
        f"  - id: card-{i}\n    type: basic\n    question: Where is the sacrum?\n"
        f"    answer: Between the buttocks.\n    source: notes\n    explanation: \"{text}\"\n"
        for i, text in enumerate(explanations)
    )
    path.write_text(
        "deck: lint-tmp\ntitle: Tmp\ndescription: Made by a test.\n"
        "sources:\n  notes: Our own notes for the readability tests.\ncards:\n" + cards
    )
    return str(path)


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


def test_the_limits_are_grade_9_for_each_text_and_grade_6_for_the_median_explanation():
    assert lint.MAX_GRADE == 9
    assert lint.MAX_EXPLANATION_MEDIAN == 6


def test_a_one_word_answer_is_not_graded_and_does_not_flag_a_plain_card():
    # The formula is meaningless on one word: "Sciatica." alone scores far above grade 12.
    assert lint.reading_grade("Sciatica.") > 12
    graded = lint.grade_card(card("What do we call pain that runs from the low back down the leg?", "Sciatica"))
    assert graded.answer is None
    assert graded.parts_above(lint.MAX_GRADE) == ()
    assert lint.grade_card(card("Is it true?", "true", CardType.TRUEFALSE)).answer is None


def test_an_answer_of_two_words_or_more_is_graded_and_flagged_when_hard():
    hard = lint.grade_card(card("Which kind of weakness is a red flag?", "Significant muscle weakness"))
    assert hard.answer is not None and hard.answer > lint.MAX_GRADE
    assert [part for part, _ in hard.parts_above(lint.MAX_GRADE)] == ["answer"]
    plain = lint.grade_card(card("Which kind of weakness is a red flag?", "A muscle that is much weaker than it should be"))
    assert plain.parts_above(lint.MAX_GRADE) == ()


def test_the_explanation_is_graded_and_a_hard_one_flags_the_card():
    hard = lint.grade_card(card("Where is the sacrum?", "Between the buttocks.", explanation=(
        "Intervertebral disc degeneration constitutes a predominant mechanical aetiology of lumbar symptomatology.")))
    assert hard.explanation > lint.MAX_GRADE
    assert [part for part, _ in hard.parts_above(lint.MAX_GRADE)] == ["explanation"]
    plain = lint.grade_card(card("Where is the sacrum?", "Between the buttocks.", explanation=PLAIN_EXPLANATION))
    assert plain.parts_above(lint.MAX_GRADE) == ()


def test_a_hard_question_flags_the_card_even_when_the_card_as_a_whole_reads_plainly():
    graded = lint.grade_card(card(
        "Does radiological degeneration necessarily indicate symptomatic pathology?",
        "No. Many people have worn discs and no pain at all, and a scan cannot tell which is which."))
    assert graded.question > lint.MAX_GRADE
    assert "question" in dict(graded.parts_above(lint.MAX_GRADE))


def test_the_explanation_median_fails_the_summary_even_when_no_explanation_is_above_the_limit():
    assert 6 < lint.reading_grade(MIDDLING_EXPLANATION) <= 9
    middling = [lint.grade_card(card("Where is the sacrum?", "Between the buttocks.", explanation=MIDDLING_EXPLANATION,
                                     key=f"k{i}")) for i in range(3)]
    plain = [lint.grade_card(card("Where is the sacrum?", "Between the buttocks.", explanation=PLAIN_EXPLANATION,
                                  key=f"p{i}")) for i in range(3)]
    summary = lint.summarise(middling + plain[:2])
    assert summary.above == ()
    assert summary.explanation_median > 6 and not summary.explanation_median_ok and not summary.ok
    assert lint.summarise(middling[:2] + plain).ok
    assert not lint.summarise(middling + plain[:2], max_explanation_median=6).ok
    assert lint.summarise(middling + plain[:2], max_explanation_median=9).ok


def test_a_cloze_card_graded_once_per_gap_counts_its_explanation_once_in_the_median():
    gaps = [Card("d", "many-gaps", CardType.CLOZE, "The _____ meets the pelvis.", "sacrum", MIDDLING_EXPLANATION,
                 "src", gap=n) for n in range(1, 6)]
    plain = [lint.grade_card(card("Where is the sacrum?", "Between the buttocks.", explanation=PLAIN_EXPLANATION,
                                  key=f"p{i}")) for i in range(2)]
    summary = lint.summarise([lint.grade_card(c) for c in gaps] + plain)
    assert summary.cards == 7 and summary.explanations == 3
    assert summary.explanation_median == lint.reading_grade(PLAIN_EXPLANATION)
    assert summary.ok


def test_the_summary_gives_the_count_the_median_the_highest_and_the_cards_above_the_limit():
    grades = [lint.grade_card(card(q, a, key=f"k{i}")) for i, (q, a) in enumerate([
        ("Where is the sacrum?", "Between the buttocks."),
        ("What is the spinal cord made of?", "Nerve tissue."),
        ("Which epidemiological characteristics differentiate degenerative spondylolisthesis radiologically?",
         "Heterogeneous morphological abnormalities."),
    ])]
    summary = lint.summarise(grades, max_grade=8)
    assert summary.cards == 3 and summary.explanations == 3
    assert summary.highest is grades[2]
    assert summary.above == (grades[2],)
    assert summary.median == sorted(g.overall for g in grades)[1]
    assert not summary.ok
    assert lint.summarise(grades, max_grade=100).ok


def test_the_summary_of_no_cards_is_empty_and_ok():
    summary = lint.summarise([])
    assert summary.cards == 0 and summary.ok and summary.highest is None


# --------------------------------------------------------------------------- the command
def test_lint_lists_each_card_with_question_answer_card_and_explanation_grades_and_exits_0_when_all_are_plain():
    result = run_lint(EASY)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "question" in out and "answer" in out and "card" in out and "expl." in out
    for key in ("lint-easy/cord-made-of", "lint-easy/spine-can-move", "lint-easy/bump-at-back"):
        assert key in out
    # The true/false answer is one word: shown as "-", not graded.
    row = next(line for line in out.splitlines() if line.endswith("lint-easy/spine-can-move"))
    assert row.split()[1] == "-"
    assert "3 cards in 1 deck: median grade" in out
    assert "explanations median" in out
    assert "0 above grade 9" in out
    assert "<- above" not in out


def test_lint_flags_a_hard_card_with_its_file_and_line_and_exits_1():
    result = run_lint(HARD)
    assert result.exit_code == 1
    flagged = [line for line in result.output.splitlines() if "reads above grade" in line]
    assert len(flagged) == 1
    assert flagged[0].startswith(f"{HARD}:13: card lint-hard/specialist-card reads above grade 9: question ")
    assert "answer" in flagged[0] and "explanation" not in flagged[0]
    assert "lint-hard/plain-card" in result.output  # listed in the table, not flagged
    assert "1 above grade 9" in result.output


def test_lint_flags_a_hard_explanation_and_a_hard_median_and_names_them(tmp_path):
    hard = ("Intervertebral disc degeneration constitutes a predominant mechanical aetiology of lumbar "
            "symptomatology.")
    result = run_lint(write_deck(tmp_path / "hard-explanation.yaml", [hard, PLAIN_EXPLANATION, PLAIN_EXPLANATION]))
    assert result.exit_code == 1
    flagged = [line for line in result.stdout.splitlines() if "reads above grade" in line]
    assert len(flagged) == 1 and "lint-tmp/card-0 reads above grade 9: explanation " in flagged[0]
    assert "median explanation" not in result.stdout

    path = write_deck(tmp_path / "middling.yaml", [MIDDLING_EXPLANATION] * 2 + [PLAIN_EXPLANATION])
    result = run_lint(path)
    assert result.exit_code == 1
    assert "reads above grade" not in result.stdout
    assert "the median explanation reads at grade" in result.stdout and "above grade 6" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("0 above grade 9")
    assert run_lint("--max-explanation-median", "9", path).exit_code == 0


def test_a_higher_max_grade_lets_the_hard_deck_pass():
    result = run_lint(HARD, "--max-grade", "40")  # its hardest part, the question, is grade 36.7
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
