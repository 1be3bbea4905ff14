"""Kept only so `quiz.stats` can import `streak` from here; the review session is quiz.review."""
from __future__ import annotations

from quiz.days import streak

__all__ = ["streak"]
