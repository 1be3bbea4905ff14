"""Every key of the app, in one place (`?`)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz.answer import FULL_SCALE, SIMPLE_SCALE
from quiz.states import CARD_STATE_MEANINGS, CARD_STATES

SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Home", [
        ("Enter", "start a session on the highlighted deck (or all decks)"),
        ("r", "review every deck"),
        ("m", "study more today: extra new cards of the highlighted deck (settings unchanged)"),
        ("s", "your progress figures"),
        ("x", "suspended cards (bring them back)"),
        ("q", "quit"),
    ]),
    ("Review: questions and answers", [
        ("Space / Enter", "show the answer"),
        *[(k.key, k.name) for k in SIMPLE_SCALE],
        ("Enter", "Good; each grade says when the card comes back"),
    ]),
    ("The full scale (quiz config grade_scale full)", [
        *[(k.key, k.name) for k in FULL_SCALE],
        ("Enter", "4"),
    ]),
    ("Review: choice and true/false cards", [
        ("a – f", "choose an answer"),
        ("t / f", "true / false"),
        ("2 3 4", "after a right pick: how easy it was (full scale: 3 4 5; Enter = Good)"),
        ("Enter", "after a wrong pick (saved as Again, grade 1): next card"),
    ]),
    ("Review: any card", [
        ("u", "undo the last answer, suspension or burial (again and again)"),
        ("s", "suspend this card: it stays out until you bring it back"),
        ("B (or b)", "bury this card until tomorrow (on a choice card b is choice b)"),
        ("q / Escape", "end the session (every answer is already saved)"),
        ("↑ ↓ PgUp PgDn", "scroll a long card"),
    ]),
    ("Card states (home, stats, `quiz decks list`)", [
        *[(state, CARD_STATE_MEANINGS[state]) for state in CARD_STATES],
        ("due today", "learning, young and mature cards whose day has come (not a state of its own)"),
    ]),
    ("Everywhere", [
        ("?", "this list of keys"),
        ("ctrl+t", "light or dark theme"),
        ("ctrl+p", "command palette"),
        ("ctrl+q", "quit at once (answers are already saved)"),
    ]),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,enter", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Escape closes this list  (↑ ↓ scroll)", id="help-close")
            yield Static("Keys", classes="label")
            for title, keys in SECTIONS:
                yield Static(Content.assemble((title, "bold underline")), classes="help-section")
                for key, text in keys:
                    with Horizontal(classes="help-row"):
                        yield Static(Content.assemble((key, "bold")), classes="help-key")
                        yield Static(text, classes="help-text")
