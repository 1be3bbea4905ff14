"""The text of one card on the review screen (question, choices, verdict, answer, why, source) as one widget."""
from __future__ import annotations

from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.widget import Widget

#: Line roles with a style of their own (app.tcss: `CardBody > .card--label` etc.); others are plain.
ROLES = ("label", "right", "wrong", "source")

Block = list[tuple[str, Content]]


class CardBody(Widget):
    """Blocks of (role, Content) lines, one blank line between blocks.

    Deck text must arrive already as literal Content (quiz.tui.widgets.plain.literal).
    """

    COMPONENT_CLASSES = {f"card--{role}" for role in ROLES}
    DEFAULT_CSS = """
    CardBody {
        height: auto;
        min-height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blocks: list[Block] = []
        self._fitted: tuple[int, int] | None = None  # (width, room) the last card fitted in, if it did
        self._lines = 0  # lines the last card took
        self._content: Content | None = None  # the blocks as drawn, until they or the styles change

    def show(self, blocks: list[Block]) -> None:
        """Show `blocks`, laying the screen out again only when the box must change its height.

        The body is at least as high as the card box (min-height: 100%), so a card that fits leaves
        its size as it was: a new card that also fits is repainted in place, without laying the
        screen out (grade key 6.2 ms, 2.3x the bare app; laid out on every card, 7.0 ms, 2.6x:
        docs/performance.md).
        """
        self.blocks = [block for block in blocks if block]
        self._content = None
        width, room = self.content_region.width, self.container_size.height
        lines = self.render().get_height(cast(RulesMap, self.styles), width) if width else 0  # as Textual measures it
        fitted = (width, room) if width and lines <= room else None
        if fitted is not None and fitted == self._fitted:
            # Only the lines either card wrote change; the blank ones below both stay as they are.
            self.refresh(Region(0, 0, width, max(lines, self._lines)))
        else:
            self.refresh(layout=True)
        self._fitted, self._lines = fitted, lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._content = None  # the roles' colours may have changed (the theme, say)

    def render(self) -> Content:
        if self._content is None:
            styles = {role: self.get_visual_style(f"card--{role}") for role in ROLES}
            parts = []
            for block in self.blocks:
                lines = [content.stylize_before(styles[role]) if role in styles else content
                         for role, content in block]
                parts.append(Content("\n").join(lines))
            self._content = Content("\n\n").join(parts)
        return self._content
