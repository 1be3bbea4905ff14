"""The review screen's first three lines: where the session is, a progress bar, and what the last answer saved."""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class SessionHeader(Widget):
    """A line of text over a bar of `done` out of `total`, over a note (what the last answer saved).

    The text and the note are each one line, cut with … if the terminal is too narrow (the review
    screen gives a shorter note when the long one would not fit). The note lives here, not in a widget
    of its own, because this widget is drawn again after every answer anyway: a line elsewhere that
    changed with every grade cost a widget more to draw for each one (docs/performance.md).

    The bar is drawn as text rather than with Textual's ProgressBar (three widgets and their
    reactives for a line the text above already says in words).
    """

    COMPONENT_CLASSES = {"header--bar", "header--track", "header--note"}
    DEFAULT_CSS = """
    SessionHeader {
        height: 3;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .header--bar { color: $accent; }
        & > .header--track { color: $panel; }
        & > .header--note { color: $text-success; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Content("")
        self.done = 0
        self.total = 0
        self.note = ""

    def set(self, text: Content, done: int, total: int, note: str = "") -> None:
        """Show `text` (deck text in it already literal: quiz.tui.widgets.plain.literal), the bar, and
        `note` (plain text, never markup) under it."""
        self.text, self.done, self.total, self.note = text, done, total, note
        self.refresh()

    @staticmethod
    def _filled(width: int, done: int, total: int) -> int:
        return round(width * done / total) if total else 0

    def render(self) -> Content:
        width = self.content_region.width
        filled = self._filled(width, self.done, self.total)
        bar = Content.assemble(("━" * filled, self.get_visual_style("header--bar")),
                               ("━" * (width - filled), self.get_visual_style("header--track")))
        note = Content(self.note).stylize_before(self.get_visual_style("header--note"))
        return Content("\n").join([self.text, bar, note])
