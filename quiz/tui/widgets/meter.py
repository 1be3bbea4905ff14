"""A one-line progress meter (answers given out of the session's total)."""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class Meter(Widget):
    """`done` of `total` as a bar across the widget's width.

    Lighter than Textual's ProgressBar (three widgets and their reactives), which cost ~0.8 ms of
    each grade-key-to-next-card; the session's "Card n of m" line says the numbers in words.
    """

    COMPONENT_CLASSES = {"meter--bar", "meter--track"}
    DEFAULT_CSS = """
    Meter {
        height: 1;
        & > .meter--bar { color: $accent; }
        & > .meter--track { color: $panel; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.done = 0
        self.total = 0

    def set(self, done: int, total: int) -> None:
        if (done, total) != (self.done, self.total):
            self.done, self.total = done, total
            self.refresh()

    def render(self) -> Content:
        width = self.content_region.width or self.size.width
        filled = round(width * self.done / self.total) if self.total else 0
        return Content.assemble(("━" * filled, self.get_visual_style("meter--bar")),
                                ("━" * (width - filled), self.get_visual_style("meter--track")))
