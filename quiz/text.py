"""Deck text made safe for a terminal: no control characters, optionally on one line."""
from __future__ import annotations

import re

# C0 and C1 control characters except newline and tab. An escape (\x1b) in a card would otherwise
# reach the terminal as a command; Textual strips only a few of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without terminal control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", text)


def one_line(text: str, width: int | None = None) -> str:
    """`text` without control characters, its white space folded onto one line, and cut to `width`
    characters with an ellipsis when given."""
    flat = " ".join(strip_controls(text).split())
    if width is None or len(flat) <= width:
        return flat
    return flat[: width - 1].rstrip() + "…"
