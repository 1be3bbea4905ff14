"""Problems found in deck files, DeckError listing them, and how a user's value is shown in one."""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from quiz.errors import QuizError
from quiz.text import escape_controls, plural

#: At most this many problems of one file are listed; a last line says how many more it has (a file
#: that is not a deck at all can have thousands, which would only fill the screen).
MAX_SHOWN_PROBLEMS = 50


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a deck file. `line`/`column` are 1-based; None when it concerns the whole path."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        # Deck text echoed in a message must not break the one-problem-per-line format or reach the
        # terminal as a control sequence.
        path, message = escape_controls(self.path), escape_controls(self.message)
        if self.line is None:
            return f"{path}: {message}"
        return f"{path}:{self.line}:{self.column}: {message}"


class DeckError(QuizError):
    """One or more problems in deck files; str() lists them as file:line:col: message, one per line."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            text = problems
        else:
            # Files in the order they were given; within a file, by line and column.
            files = {p.path: n for n, p in reversed(list(enumerate(problems)))}
            self.problems = sorted(set(problems), key=lambda p: (files[p.path], p.line or 0, p.column or 0, p.message))
            text = "\n".join(self.lines()) if self.problems else ""
        super().__init__(text)

    def lines(self) -> list[str]:
        """The problems to print, one per line as file:line:col: message: at most MAX_SHOWN_PROBLEMS
        of each file, then a line saying how many more that file has."""
        if not self.problems:
            return str(self).splitlines()
        out: list[str] = []
        for _path, group in itertools.groupby(self.problems, key=lambda p: p.path):
            problems = list(group)
            out.extend(str(p) for p in problems[:MAX_SHOWN_PROBLEMS])
            if len(problems) > MAX_SHOWN_PROBLEMS:
                first = problems[MAX_SHOWN_PROBLEMS]  # where the ones not shown start
                more = plural(len(problems) - MAX_SHOWN_PROBLEMS, "more problem")
                out.append(str(Problem(first.path, first.line, first.column,
                                       f"{more} from here on not shown — fix the ones above, then validate the file again")))
        return out


def shorten(value: object, limit: int = 60) -> str:
    """A user's value quoted in a message: shortened when long."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_of(value: Any) -> str:
    """What a value read from a deck is, in words: "nothing", "a list", "the number 3"..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, float) and math.isinf(value):
        return "a number too large to hold (infinite)"
    if isinstance(value, (int, float)):
        return f"the number {shorten(value, 40)}"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"
