"""A one-line footer of a screen's shown keys, drawn as a single widget."""
from __future__ import annotations

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.style import Style
from textual.widget import Widget


class KeyBar(Widget):
    """The keys of `bindings` that have `show=True`, as `key Label` pairs; a click runs the action.

    Looks like Textual's Footer (same theme colours) but is one widget: the Footer mounts a widget
    per key and rebuilds them whenever bindings are refreshed, which took ~35 ms before the first
    card could be drawn. A key the screen's `check_action` turns off is left out.
    """

    COMPONENT_CLASSES = {"keybar--key", "keybar--label"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--label {
            color: $footer-description-foreground;
        }
    }
    """

    def __init__(self, bindings: list[BindingType], *, id: str | None = None) -> None:
        super().__init__(id=id)
        seen: set[str] = set()
        self.keys: list[Binding] = []
        for binding in Binding.make_bindings(bindings):
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                self.keys.append(binding)
        self._spans: list[tuple[int, int, str]] = []

    def render(self) -> Content:
        key_style = self.get_visual_style("keybar--key")
        label_style = self.get_visual_style("keybar--label")
        parts: list[tuple[str, Style]] = []
        self._spans = []
        x = 0
        for binding in self.keys:
            if not self.works(binding):
                continue
            key = f" {self.app.get_key_display(binding)} "
            label = f"{binding.description} "
            parts += [(key, key_style), (label, label_style)]
            self._spans.append((x, x + len(key) + len(label), binding.action))
            x += len(key) + len(label)
        return Content.assemble(*parts)

    def works(self, binding: Binding) -> bool:
        """Whether the screen says the key works now (`check_action`): a key that does not is not shown.

        The screen calls `refresh()` on the bar when that may have changed.
        """
        if "(" in binding.action or "." in binding.action:  # parameters or another namespace: always shown
            return True
        return self.screen.check_action(binding.action, ()) is not False

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.screen.run_action(action)
                return
