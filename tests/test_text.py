"""Deck text printed to a terminal never carries a control sequence; figures read the same everywhere."""
from quiz.text import NO_VALUE, escape_controls, format_duration, one_line, percent, plural, strip_controls


def test_escape_sequences_and_other_controls_are_removed_but_newlines_and_tabs_stay():
    assert strip_controls("a\x1b[2Jb\x07c\x9bd\n\te") == "a[2Jbcd\n\te"


def test_one_line_folds_white_space_and_cuts_with_an_ellipsis():
    assert one_line("  The spinous\n process\x1b ") == "The spinous process"
    assert one_line("abcdefghij", 6) == "abcde…"
    assert one_line("[bold]x[/]") == "[bold]x[/]"


def test_escape_controls_writes_out_what_a_terminal_would_act_on_and_keeps_the_rest():
    assert escape_controls("a\x1b[2Jb\x07c\nd\te\x9bf\x7f") == "a\\x1b[2Jb\\x07c\\nd\\te\\x9bf\\x7f"
    # Unicode line breaks, bidirectional overrides and isolates, lone surrogates
    assert escape_controls("x\u2028y\u2029z\u202e\u2066\ud800") == "x\\u2028y\\u2029z\\u202e\\u2066\\ud800"
    # a byte of a file name that is not UTF-8 (Python reads b"\xff" as U+DCFF) shows as that byte
    assert escape_controls("bad\udcff.yaml") == "bad\\xff.yaml"
    assert escape_controls("Spine – é ü 日本 \"quoted\" [bold]") == "Spine – é ü 日本 \"quoted\" [bold]"


def test_plural_adds_an_s_except_for_one():
    assert [plural(n, "card") for n in (0, 1, 2)] == ["0 cards", "1 card", "2 cards"]


def test_a_share_is_a_whole_percentage_and_nothing_to_share_is_a_dash():
    assert [percent(x) for x in (0, 0.125, 0.25, 0.999, 1)] == ["0%", "12%", "25%", "100%", "100%"]
    assert percent(None) == NO_VALUE == "-"


def test_a_duration_reads_in_seconds_then_minutes_then_hours():
    assert [format_duration(ms) for ms in (0, 400, 45_000, 59_499)] == ["0 s", "0 s", "45 s", "59 s"]
    assert [format_duration(ms) for ms in (59_500, 60_000, 200_000, 3_599_000)] == [
        "1 min", "1 min", "3 min 20 s", "59 min 59 s"]
    assert [format_duration(ms) for ms in (3_600_000, 3_725_000, 4_334_000_000)] == [
        "1 h", "1 h 2 min", "1,203 h 53 min"]
