"""The text of one card on the review screen (question, choices, verdict, answer, why, source) as one widget."""
from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

#: Line roles with a style of their own (app.tcss: `CardBody > .card--label` etc.); others are plain.
ROLES = ("label", "right", "wrong", "source")

Block = list[tuple[str, Content]]


class CardBody(Widget):
    """Blocks of (role, Content) lines, one blank line between blocks.

    One widget rather than one per part: each answer then costs one layout and one repaint, which
    keeps a grade key to the next card drawn within a few milliseconds. Deck text must arrive
    already as literal Content (quiz.tui.widgets.plain.literal).
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
        self.blocks: list[Block] = []
        self._rendered: tuple[str, Content] | None = None  # (theme, content) of the current blocks
        self._used = 0  # lines the text on screen takes (the rest of the widget is blank)

    def show(self, blocks: list[Block]) -> None:
        self.blocks = [block for block in blocks if block]
        self._rendered = None
        # A layout pass (~1 ms) only when the text may no longer fit the box it fills: a long card
        # makes the widget taller (and scrollable), and the next short one must shrink it again.
        box = self.parent.scrollable_content_region.height if self.parent is not None else 0
        width, height = self.content_region.width, self.size.height
        used = self._lines(width) if width else 0
        if width and height <= box and used <= height:
            # Only the lines either text takes are repainted: the blank ones below stay as they are.
            self.refresh(Region(0, 0, self.size.width, max(used, self._used)))
        else:
            self.refresh(layout=True)
        self._used = used

    def _lines(self, width: int) -> int:
        """How many lines the text takes at `width`."""
        content = self.render()
        plain = content.plain
        lines = plain.split("\n")
        # Most cards have no line wider than the box (and no tab to expand): then nothing wraps and
        # the count is exact, without wrapping the text once here and again when it is drawn.
        if "\t" not in plain and all(cell_len(line) <= width for line in lines):
            return len(lines)
        return content.get_height(self.styles, width)

    @property
    def plain(self) -> str:
        """The text as shown, without styles (for tests and screen readers of the record)."""
        return self.render().plain

    def render(self) -> Content:
        # show() measures the text and Textual then paints it: build it once per card and theme.
        theme = self.app.theme
        if self._rendered is not None and self._rendered[0] == theme:
            return self._rendered[1]
        styles = {role: self.get_visual_style(f"card--{role}") for role in ROLES}
        blocks = []
        for block in self.blocks:
            lines = [content.stylize_before(styles[role]) if role in styles else content for role, content in block]
            blocks.append(Content("\n").join(lines))
        content = Content("\n\n").join(blocks)
        self._rendered = (theme, content)
        return content
