"""Text for the terminal and the TUI alike: deck text made safe, counts, percentages and durations."""
from __future__ import annotations

import re
import unicodedata

#: C0 and C1 control characters except newline and tab. An escape (\x1b) in a card would otherwise
#: reach the terminal as a command; Textual strips only a few of them. The deck schema's rule for
#: text (quiz/schema/deck.schema.json, $defs/text) forbids the same set.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# What `escape_controls` writes out as an escape: every C0 and C1 control (newline and tab included),
# the Unicode line and paragraph separators, lone surrogates (a file name that is not valid UTF-8,
# as Python reads it) and the bidirectional embeddings, overrides and isolates, which can make a
# terminal show a line in another order than it is written.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """`text` without terminal control characters (newlines and tabs kept)."""
    return CONTROL.sub("", text)


def escape_controls(text: str) -> str:
    """`text` on one line with nothing a terminal would act on: each control character, line break,
    bidirectional control or lone surrogate written as its Python escape (\\n, \\x1b, \\u202e, \\ud800);
    a byte of a file name that is not UTF-8 (read by Python as U+DC80 to U+DCFF) as that byte (\\xff).

    For what must stay recognisable when printed, such as a file path in a message.
    """
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte of a file name that is not UTF-8, as Python reads it
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def one_line(text: str, width: int | None = None) -> str:
    """`text` without control characters, its white space folded onto one line, and cut to `width`
    characters with an ellipsis when given."""
    flat = " ".join(strip_controls(text).split())
    if width is None or len(flat) <= width:
        return flat
    return flat[: width - 1].rstrip() + "…"


def plural(n: int, word: str) -> str:
    """`n` and `word`, with an s unless `n` is 1: "1 card", "0 cards", "2,500 cards"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


#: What a figure that has no value yet (a share of nothing) is shown as, in the terminal and the TUI.
NO_VALUE = "-"


def percent(share: float | None) -> str:
    """`share` (0 to 1) as a whole percentage, "25%"; `NO_VALUE` ("-") for None (nothing to share)."""
    return NO_VALUE if share is None else f"{share:.0%}"


def format_duration(ms: int) -> str:
    """`ms` as a patient reads it: "45 s", "3 min 20 s", "3 min", "1 h 5 min", "1,204 h".

    Seconds are rounded; from an hour on they are left out (minutes are not rounded up).
    """
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours:,} h {minutes} min" if minutes else f"{hours:,} h"


#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make a
#: terminal or an editor show text in another order than it is written. Decks may not hold them.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters that take no room on screen: Unicode's default-ignorable code points (zero-width spaces
#: and joiners, direction marks and controls, the soft hyphen, variation selectors, fillers, tags).
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def visible(text: str) -> str:
    """`text` as a reader sees it, for comparing two texts: without invisible characters, NFC-normalised
    (so `café` written with a combining accent equals `café` written with one code point)."""
    return unicodedata.normalize("NFC", INVISIBLE.sub("", text))


def char_name(char: str) -> str:
    """A character as a message names it: "U+202E RIGHT-TO-LEFT OVERRIDE"."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"
