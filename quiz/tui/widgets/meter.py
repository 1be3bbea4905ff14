"""The review screen's first two lines: where the session is ("Card 3 of 20 · deck · review") over a progress bar."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class SessionHeader(Static):
    """A line of text (cut with … if the terminal is too narrow) over a bar of `done` out of `total`.

    One widget for both lines: every answer changes both, and each widget Textual repaints adds
    to the grade-key-to-next-card time (bench/bench_review.py). The bar is lighter than Textual's
    ProgressBar (three widgets and their reactives, ~0.8 ms per answer); the text says the numbers
    in words. A Static, so its text is the widget's content like any other line of text.
    """

    COMPONENT_CLASSES = {"header--bar", "header--track"}
    DEFAULT_CSS = """
    SessionHeader {
        height: 2;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .header--bar { color: $accent; }
        & > .header--track { color: $panel; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.text = Content("")
        self.done = 0
        self.total = 0

    def set(self, text: Content, done: int, total: int) -> None:
        """Show `text` (deck text in it already literal: quiz.tui.widgets.plain.literal) and the bar."""
        if (text, done, total) != (self.text, self.done, self.total):
            self.text, self.done, self.total = text, done, total
            self.refresh()

    def render(self) -> Content:
        # The bar is built here, at the width the widget has now (unknown before its first layout).
        width = self.content_region.width or self.size.width
        filled = round(width * self.done / self.total) if self.total else 0
        bar = Content.assemble(("━" * filled, self.get_visual_style("header--bar")),
                               ("━" * (width - filled), self.get_visual_style("header--track")))
        return Content("\n").join([self.text, bar])
