"""QuizError: the one base of every error a user can cause and fix (the CLI catches it once)."""
from __future__ import annotations


class QuizError(Exception):
    """A problem the user can fix. `str()` is one clear line: what, where, and how to fix it."""
