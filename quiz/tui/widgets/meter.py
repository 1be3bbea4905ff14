"""The review screen's first two lines: where the session is ("Card 3 of 20 · deck · review") over a progress bar."""
from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual

from quiz.tui.widgets.lines import KeptLines


class SessionHeader(KeptLines):
    """A line of text (cut with … if the terminal is too narrow) over a bar of `done` out of `total`.

    One widget for both lines: every answer changes both, and each widget Textual repaints adds
    to the grade-key-to-next-card time (bench/bench_review.py). The bar is lighter than Textual's
    ProgressBar (three widgets and their reactives, ~0.8 ms per answer); the text says the numbers
    in words. Both lines are kept rendered (KeptLines), and the review screen renders the next
    card's ahead while the patient reads (`prepare_next`).
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
        self.done = 0
        self.total = 0
        self._bars: dict[tuple, Strip] = {}

    def set(self, text: Content, done: int, total: int) -> None:
        """Show `text` (deck text in it already literal: quiz.tui.widgets.plain.literal) and the bar.

        The text is kept by its words (its plain text): the same words must come with the same styles.
        """
        if (done, total) != (self.done, self.total):
            self.done, self.total = done, total
            self.refresh(Region(0, 1, self.size.width, 1))  # the bar (a new text repaints both lines)
        self.show(text.plain, None if self.kept(text.plain) else text)

    def prepare_next(self, text: Content, done: int, total: int) -> None:
        """Render what `set(text, done, total)` will show, now (see KeptLines.prepare)."""
        self.prepare(text.plain, text)
        self._bar(self.size.width, done, total)

    def render(self) -> Content:
        # The whole widget as text (tests and screen readers of the record); the screen draws render_line.
        return Content("\n").join([self.content, Content("━" * self._filled(self.size.width, self.done, self.total))])

    def render_line(self, y: int) -> Strip:
        if y == 1:
            return self._bar(self.size.width, self.done, self.total)
        return super().render_line(y)

    def _render_lines(self, key, size: Size) -> list[Strip]:
        return super()._render_lines(key, Size(size.width, 1))  # the text line; the bar is drawn apart

    @staticmethod
    def _filled(width: int, done: int, total: int) -> int:
        return round(width * done / total) if total else 0

    def _bar(self, width: int, done: int, total: int) -> Strip:
        key = (width, done, total, self.visual_style, self.app.theme)
        bar = self._bars.get(key)
        if bar is None:
            if len(self._bars) > 8:
                self._bars.clear()
            filled = self._filled(width, done, total)
            content = Content.assemble(("━" * filled, self.get_visual_style("header--bar")),
                                       ("━" * (width - filled), self.get_visual_style("header--track")))
            strips = Visual.to_strips(self, content, width, 1, self.visual_style)
            bar = self._bars[key] = strips[0] if strips else Strip.blank(width, self.visual_style.rich_style)
        return bar

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._bars.clear()
