"""The running QuizApp as its own type (Textual types `self.app` as a plain App)."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

if TYPE_CHECKING:  # the app imports its screens, which import this
    from quiz.tui.app import QuizApp


def quiz_app(node: MessagePump) -> QuizApp:
    """`node.app`, typed as the QuizApp it always is in quiz (its store, clock and helpers)."""
    return cast("QuizApp", node.app)
