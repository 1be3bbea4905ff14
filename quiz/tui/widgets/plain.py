"""Deck text on screen: always literal (never markup) and never a terminal control code."""
from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from quiz.text import one_line, strip_controls


def literal(text: str) -> Content:
    """Deck text as Content: shown exactly as written, `[bold]`, `[@click=…]` and `$x` included."""
    return Content(strip_controls(text))


def snippet(text: str, width: int = 60) -> str:
    """`text` cleaned, on one line, cut to `width` characters with an ellipsis (notifications, lists)."""
    return one_line(text, width)


class Plain(Static):
    """Like Static, but a `str` is always shown as it is (through `literal`), never parsed as markup.

    Pass a `Content` to style parts of it (build it with `Content.assemble` and `literal(...)` for
    any part that comes from a deck — never `Content.from_markup`).
    """

    def __init__(self, content: VisualType = "", **kwargs) -> None:
        super().__init__(literal(content) if isinstance(content, str) else content, markup=False, **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(literal(content) if isinstance(content, str) else content, layout=layout)
