"""A Static that shows its text literally: deck text is untrusted and never parsed as markup."""
from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static


class Plain(Static):
    """Like Static, but a `str` is always shown as it is: `[bold]`, `[@click=…]` or `$x` stay text.

    Pass a `Content` to style parts of it (build it with `Content.assemble`, never `from_markup`,
    when any part comes from a deck).
    """

    def __init__(self, content: VisualType = "", **kwargs) -> None:
        super().__init__(content, markup=False, **kwargs)


def literal(text: str) -> Content:
    """Deck text as Content: shown exactly as written (control codes stripped)."""
    return Content(text)


def snippet(text: str, width: int = 60) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis (for notifications and lists)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
