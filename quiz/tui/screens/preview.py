"""`quiz decks preview FILE`: the review screen itself, driving a PreviewSession (quiz.preview) on a deck file.

The cards are drawn by ReviewScreen's own code and widgets, so they look exactly as a patient will
see them. This screen adds a title line (the file, and that nothing is recorded), a panel for the
problems of a save that broke the deck, the end of the deck (r starts again), and the file watch:
`check_file` polls the file's stat every POLL_SECONDS (see docs/deck-format.md for why polling).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen

from quiz.preview import PreviewSession
from quiz.review import Phase, ReviewSession, View
from quiz.text import escape_controls, plural
from quiz.tui import app as app_module
from quiz.tui.app import QuizApp
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.widgets.card_view import CardBody
from quiz.tui.widgets.meter import SessionHeader
from quiz.tui.widgets.plain import Plain, literal

#: How often the file's stat is looked at, in seconds.
POLL_SECONDS = 0.3
#: At most this many problem lines are shown above the card (`quiz decks validate FILE` lists them all).
SHOWN_PROBLEMS = 6


def _preview_bindings() -> list[BindingType]:
    """The review screen's keys without suspend and bury (nothing is kept in a preview), u as "Back", and r."""
    keys: list[BindingType] = []
    for binding in ReviewScreen.BINDINGS:
        if isinstance(binding, Binding) and binding.action in ("suspend", "bury"):
            continue
        if isinstance(binding, Binding) and binding.action in ("undo", "end"):
            binding = Binding(binding.key, binding.action, "Back" if binding.action == "undo" else "Quit")
        keys.append(binding)
    keys.insert(-2, Binding("r", "restart", "Start again"))
    return keys


class PreviewScreen(ReviewScreen):
    """A deck file's cards in file order, answered without a trace, reloaded when the file is saved."""

    BINDINGS = _preview_bindings()
    DEFAULT_CSS = """
    #preview-title {
        padding: 0 1;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $warning-muted;
        color: $text-warning;
        text-style: bold;
    }
    #problems {
        padding: 0 1;
        max-height: 9;
        border: round $error;
        color: $text-error;
    }
    """

    def __init__(self, session: PreviewSession) -> None:
        super().__init__(session.deck_id)
        self.preview = session

    # ----------------------------------------------------------------- the hook and the layout
    def open_session(self) -> ReviewSession:
        return self.preview

    def compose(self) -> ComposeResult:
        shown = escape_controls(self.preview.path)
        yield Plain(f"Preview of {shown} — nothing is recorded", id="preview-title")
        yield Plain(id="problems")
        yield from super().compose()

    def on_mount(self) -> None:
        # Textual also runs ReviewScreen.on_mount (after this one), which reads the session and draws the card.
        self.query_one("#problems", Plain).display = False
        self.set_interval(POLL_SECONDS, self.check_file)

    # ----------------------------------------------------------------- the file
    def check_file(self) -> None:
        """Look at the file; if it was saved, reload it (or show why it cannot be) and draw again."""
        if self.preview.poll(self.quiz.clock()):
            self._draw(self.view)

    def show_problems(self) -> None:
        panel = self.query_one("#problems", Plain)
        problems = self.preview.problems
        if not problems:
            panel.display = False
            return
        lines = problems[:SHOWN_PROBLEMS]  # escaped already (Problem.__str__); literal() keeps them plain text
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"… and {plural(len(problems) - SHOWN_PROBLEMS, 'more line')} "
                         f"(`quiz decks validate {escape_controls(self.preview.path)}` lists them all)")
        heading = Content.assemble(("✗ This save has problems; the last good version is shown below", "bold"))
        panel.update(Content("\n").join([heading, *(literal(line) for line in lines)]))
        panel.display = True

    # ----------------------------------------------------------------- which keys work now
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("suspend", "bury"):
            return False
        if action == "restart":
            return True
        return super().check_action(action, parameters)

    def action_restart(self) -> None:
        self._draw(self.preview.restart())

    def action_end(self) -> None:
        self.app.exit()

    # ----------------------------------------------------------------- drawing
    def _finish(self) -> None:
        """The last card was answered: the end of the deck (never the session summary)."""
        self._draw(self.view)

    def _draw(self, view: View) -> None:
        self.show_problems()
        if view.entry is not None:
            super()._draw(view)
            # A deck walked through in file order: where you are in it, not what is left of a day.
            self.query_one("#where", SessionHeader).set(
                Content.assemble((f"Card {self.preview.index + 1} of {self.preview.total}", "bold")),
                self.preview.index, self.preview.total)
            if view.phase is Phase.FEEDBACK:
                self.show_keys(Content(
                    "Wrong pick (a patient's answer would be saved as grade 1; a preview records nothing).\n"
                    "Press Enter for the next card."))
            return
        title = self.preview.titles.get(self.preview.deck_id or "", self.preview.deck_id or "")
        self.query_one("#where", SessionHeader).set(
            Content.assemble(("End of the deck", "bold"), "  ·  ", literal(title)), self.preview.total,
            self.preview.total)
        self.query_one("#body", CardBody).show([
            [("label", Content("End of the deck"))],
            [("text", literal(f"You have seen all {plural(self.preview.total, 'card')} of {escape_controls(self.preview.path)} "
                              "(each cloze gap is a card of its own). Nothing was recorded."))],
        ])
        self.show_keys(Content("Press r to start again, u to go back one card, q to quit."))


class PreviewApp(QuizApp):
    """The app for `quiz decks preview`: the preview screen only, over the session's throwaway store."""

    SUB_TITLE = "deck preview"
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # Textual reads a relative one beside this file

    def __init__(self, session: PreviewSession, *, clock: Callable[[], datetime]) -> None:
        super().__init__(session.store, clock=clock)
        self.preview = session

    def get_default_screen(self) -> Screen:
        return PreviewScreen(self.preview)

    def show_reminder_if_due(self, deck_ids: list[str] | None) -> None:
        """No daily reminder over a preview: it belongs to the learner's sessions."""

    def on_unmount(self) -> None:
        self.preview.close()  # the throwaway store and its folder go with the app


def make_preview_app(path: str, *, clock: Callable[[], datetime]) -> PreviewApp:
    """The preview of the deck file `path` (`quiz decks preview`): its cards on the review screen over a
    throwaway store, deleted when the app ends; the learner's database is never opened. Raises
    DeckError (nothing left behind) if the file is not a valid deck."""
    return PreviewApp(PreviewSession.open_file(path, clock()), clock=clock)
