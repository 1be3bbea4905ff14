"""The text of one card on the review screen (question, choices, verdict, answer, why, source) as one widget."""
from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size

from quiz.tui.widgets.lines import KeptLines

#: Line roles with a style of their own (app.tcss: `CardBody > .card--label` etc.); others are plain.
ROLES = ("label", "right", "wrong", "source")

Block = list[tuple[str, Content]]


class CardBody(KeptLines):
    """Blocks of (role, Content) lines, one blank line between blocks.

    One widget rather than one per part: each answer then costs one repaint (and a layout only when
    the card's height changes), and the next card can be rendered ahead of time (`prepare`) while
    the patient reads the answer. Deck text must arrive already as literal Content
    (quiz.tui.widgets.plain.literal).
    """

    COMPONENT_CLASSES = {f"card--{role}" for role in ROLES}
    DEFAULT_CSS = """
    CardBody {
        height: auto;
        /* As tall as the card box at least: the widget keeps its size from card to card, which
           saves Textual a second layout pass after each answer. */
        min-height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._used = 0  # lines the text on screen takes (the rest of the widget is blank)

    def show(self, key: Hashable, blocks: list[Block] | None = None) -> None:
        """Show `blocks` under `key` (None: the blocks kept under `key`); see KeptLines."""
        super().show(key, None if blocks is None else [block for block in blocks if block])

    def prepare(self, key: Hashable, blocks: list[Block], size: Size | None = None) -> None:
        """Render `blocks` now at the size the widget will have for them, to be shown later under `key`."""
        blocks = [block for block in blocks if block]
        if size is None:
            width = self.size.width
            if not width:
                return  # not laid out yet: nothing to render ahead for
            size = Size(width, max(self._box_height(), self._count_lines(self.compose_content(blocks), width)))
        super().prepare(key, blocks, size)

    def compose_content(self, blocks: list[Block] | Content) -> Content:
        if isinstance(blocks, Content):  # nothing shown yet
            return blocks
        styles = {role: self.get_visual_style(f"card--{role}") for role in ROLES}
        parts = []
        for block in blocks:
            lines = [content.stylize_before(styles[role]) if role in styles else content for role, content in block]
            parts.append(Content("\n").join(lines))
        return Content("\n\n").join(parts)

    # ----------------------------------------------------------------- repainting
    def _changed(self) -> None:
        # A layout pass (~1 ms) only when the text may no longer fit the box it fills: a long card
        # makes the widget taller (and scrollable), and the next short one must shrink it again.
        box = self._box_height()
        width, height = self.content_region.width, self.size.height
        used = self._count_lines(self.content, width) if width else 0
        if width and height <= box and used <= height:
            # Only the lines either text takes are repainted: the blank ones below stay as they are.
            self.refresh(Region(0, 0, self.size.width, max(used, self._used)))
        else:
            self.refresh(layout=True)
        self._used = used

    def _box_height(self) -> int:
        return self.parent.scrollable_content_region.height if self.parent is not None else 0

    def _count_lines(self, content: Content, width: int) -> int:
        """How many lines `content` takes at `width`."""
        plain = content.plain
        lines = plain.split("\n")
        # Most cards have no line wider than the box (and no tab to expand): then nothing wraps and
        # the count is exact, without wrapping the text once here and again when it is drawn.
        if "\t" not in plain and all(cell_len(line) <= width for line in lines):
            return len(lines)
        return content.get_height(self.styles, width)
