"""A widget that keeps the rendered lines of the last few texts it showed, by a name the caller gives."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget


class KeptLines(Widget):
    """Shows one text at a time; each is shown under a key, and what it rendered to is kept.

    Textual renders a widget's text again whenever it changes: a few lines at 80 columns take
    0.3–0.6 ms, which is much of the time between a grade key and the next card. The review screen
    shows the same few key hints over and over, and renders the next card ahead while the patient
    reads the answer (`prepare`), so either is then shown without rendering anything.

    A key must name its text exactly: showing another text under a kept key shows the kept one.
    Here a text is a Content; a subclass may keep something else and say how it becomes Content
    (`compose_content`, called again when the theme changes). Deck text must arrive already as
    literal Content (quiz.tui.widgets.plain.literal).
    """

    #: How many texts are kept (each with its lines at the sizes it was rendered at).
    KEEP = 12

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: Hashable = None
        self._kept: OrderedDict[Hashable, Any] = OrderedDict({None: Content("")})
        self._contents: dict[Hashable, Content] = {}  # key -> its Content, in the current theme
        self._lines: dict[tuple, list[Strip]] = {}  # (key, width, height, style, theme) -> lines

    # ----------------------------------------------------------------- what is shown
    def kept(self, key: Hashable) -> bool:
        """Whether `show(key)` can be called without the text."""
        return key in self._kept

    def show(self, key: Hashable, text: Any = None) -> None:
        """Show `text` under `key` (None: the text kept under `key`, from an earlier show or prepare)."""
        changed = key != self._key
        if text is None:
            text = self._kept[key]
        elif self._kept.get(key) is not text:
            self._forget(key)
            changed = True
        self._keep(key, text)
        if changed:
            self._key = key
            self._changed()

    def prepare(self, key: Hashable, text: Any, size: Size | None = None) -> None:
        """Render `text` now, at `size` (default: the widget's), to be shown later under `key`."""
        if self._kept.get(key) is not text:
            self._forget(key)
        self._keep(key, text)
        self._render_lines(key, size or self.size)

    @property
    def content(self) -> Content:
        """The text on show, as Content."""
        return self._content(self._key)

    def compose_content(self, text: Any) -> Content:
        """`text` (as given to show/prepare) as Content, styled for the current theme."""
        return text

    def _changed(self) -> None:
        """Repaint for the text just shown (subclasses may repaint less, or lay out again)."""
        self.refresh()

    # ----------------------------------------------------------------- keeping
    def _keep(self, key: Hashable, text: Any) -> None:
        self._kept[key] = text
        self._kept.move_to_end(key)
        while len(self._kept) > self.KEEP:
            oldest = next(iter(self._kept))
            if oldest == self._key:  # never the one on show
                self._kept.move_to_end(oldest)
                oldest = next(iter(self._kept))
            self._forget(oldest)

    def _forget(self, key: Hashable) -> None:
        self._kept.pop(key, None)
        self._contents.pop(key, None)
        self._lines = {k: v for k, v in self._lines.items() if k[0] != key}

    def _content(self, key: Hashable) -> Content:
        content = self._contents.get(key)
        if content is None:
            content = self._contents[key] = self.compose_content(self._kept[key])
        return content

    # ----------------------------------------------------------------- Textual
    def render(self) -> Content:
        return self.content

    def render_line(self, y: int) -> Strip:
        self._dirty_regions.clear()  # what Widget.render_line does once it has rendered afresh
        lines = self._render_lines(self._key, self.size)
        if y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def _render_lines(self, key: Hashable, size: Size) -> list[Strip]:
        width, height = size
        style = self.visual_style
        if self.text_selection is not None:  # the mouse is selecting text: draw the selection, keep nothing
            return Visual.to_strips(self, self._content(key), width, height, style)
        cache_key = (key, width, height, style, self.app.theme)
        lines = self._lines.get(cache_key)
        if lines is None:
            lines = self._lines[cache_key] = Visual.to_strips(self, self._content(key), width, height, style)
        return lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A new theme (or style): Content and lines were made in the old one.
        self._contents.clear()
        self._lines.clear()
