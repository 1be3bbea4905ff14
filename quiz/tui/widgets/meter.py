"""The review screen's first two lines: where the session is ("Card 3 of 20 · deck · review") over a progress bar."""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class SessionHeader(Widget):
    """A line of text (cut with … if the terminal is too narrow) over a bar of `done` out of `total`.

    The bar is drawn as text rather than with Textual's ProgressBar (three widgets and their
    reactives for a line the text above already says in words).
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
        super().__init__(id=id)
        self.text = Content("")
        self.done = 0
        self.total = 0

    def set(self, text: Content, done: int, total: int) -> None:
        """Show `text` (deck text in it already literal: quiz.tui.widgets.plain.literal) and the bar."""
        self.text, self.done, self.total = text, done, total
        self.refresh()

    def render(self) -> Content:
        width = self.content_region.width
        filled = round(width * self.done / self.total) if self.total else 0
        bar = Content.assemble(("━" * filled, self.get_visual_style("header--bar")),
                               ("━" * (width - filled), self.get_visual_style("header--track")))
        return Content("\n").join([self.text, bar])
