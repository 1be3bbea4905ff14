"""Deck text printed to a terminal never carries a control sequence."""
from quiz.text import one_line, strip_controls


def test_escape_sequences_and_other_controls_are_removed_but_newlines_and_tabs_stay():
    assert strip_controls("a\x1b[2Jb\x07c\x9bd\n\te") == "a[2Jbcd\n\te"


def test_one_line_folds_white_space_and_cuts_with_an_ellipsis():
    assert one_line("  The spinous\n process\x1b ") == "The spinous process"
    assert one_line("abcdefghij", 6) == "abcde…"
    assert one_line("[bold]x[/]") == "[bold]x[/]"
