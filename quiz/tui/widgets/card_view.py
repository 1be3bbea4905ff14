"""The text of one card on the review screen (question, choices, verdict, answer, why, source) as one widget."""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

#: Line roles with a style of their own (app.tcss: `CardBody > .card--label` etc.); others are plain.
ROLES = ("label", "right", "wrong", "source")

Block = list[tuple[str, Content]]


class CardBody(Widget):
    """Blocks of (role, Content) lines, one blank line between blocks.

    Deck text must arrive already as literal Content (quiz.tui.widgets.plain.literal).
    """

    COMPONENT_CLASSES = {f"card--{role}" for role in ROLES}
    # At least the card box's height: a card that fits leaves the body's size as it was. Without it
    # every answer drew the card twice, the second time ~30 ms later when the body's new height had
    # changed the box's scrollable size (docs/performance.md).
    DEFAULT_CSS = """
    CardBody {
        height: auto;
        min-height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blocks: list[Block] = []

    def show(self, blocks: list[Block]) -> None:
        """Show `blocks` (the card box is laid out again: a card may be taller or shorter)."""
        self.blocks = [block for block in blocks if block]
        self.refresh(layout=True)

    def render(self) -> Content:
        styles = {role: self.get_visual_style(f"card--{role}") for role in ROLES}
        parts = []
        for block in self.blocks:
            lines = [content.stylize_before(styles[role]) if role in styles else content for role, content in block]
            parts.append(Content("\n").join(lines))
        return Content("\n\n").join(parts)
