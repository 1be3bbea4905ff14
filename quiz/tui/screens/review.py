"""The review screen: one call to the session (quiz.review) per key, and the card it returns drawn."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen

from quiz.answer import RIGHT_PICK_DEFAULT, RIGHT_PICK_GRADES, accepts_pick, choice_options, right_answer_text
from quiz.models import Card, CardType, ReviewKind
from quiz.review import Note, Phase, ReviewSession, View
from quiz.sm2 import GRADE_LABELS, Grade
from quiz.store import StoreError
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.card_view import Block, CardBody
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.meter import SessionHeader
from quiz.tui.widgets.plain import Plain, literal, snippet

KIND_LABELS = {"new": "new card", "review": "review", "drill": "re-drill: until you grade it 4 or 5"}
PROMPT_LABELS = {
    CardType.BASIC: "Question",
    CardType.CLOZE: "Fill the gap",
    CardType.CHOICE: "Choose one",
    CardType.TRUEFALSE: "True or false?",
}
NOTES = {
    Note.SUSPENDED: ("Card suspended", "“{}” stays out of sessions until you bring it back (x on the home screen). "
                     "u undoes this."),
    Note.BURIED: ("Card buried", "Buried until tomorrow: “{}”. Press u to undo."),
    Note.UNDID_ANSWER: ("", "Undone: your answer to “{}”."),
    Note.UNDID_SUSPEND: ("", "Undone: “{}” is no longer suspended."),
    Note.UNDID_BURY: ("", "Undone: “{}” is no longer buried."),
    Note.NOTHING_TO_UNDO: ("", "Nothing to undo in this session."),
}


class ReviewScreen(Screen):
    """Today's session. Every answer is on the disk before the next card is drawn."""

    # The key bar shows the same keys on every card (u s B ? q); the keys of the moment (Space, 0-5,
    # a-f, t/f, Enter) are written on the screen above it. The answering keys are priority
    # bindings, so the focused card box (which scrolls with the arrows) never takes them;
    # check_action decides which binding of a shared key applies.
    BINDINGS = [
        Binding("space", "reveal", "Show answer", show=False, priority=True),
        Binding("enter", "reveal", "Show answer", show=False, priority=True),
        Binding("enter", "rate_default", "Grade 4", show=False, priority=True),
        Binding("enter,space", "next", "Next card", show=False, priority=True),
        *[Binding(str(g), f"grade({g})", GRADE_LABELS[Grade(g)], show=False, priority=True) for g in range(5, -1, -1)],
        *[Binding(k, f"pick('{k}')", f"Choose {k}", show=False, priority=True) for k in "abcdef"],
        Binding("t", "pick('true')", "True", show=False, priority=True),
        Binding("f", "pick('false')", "False", show=False, priority=True),
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        # b is also choice b on a choice card; B buries on every card, so the footer shows B.
        Binding("b", "bury", "Bury", show=False, priority=True),
        Binding("B", "bury", "Bury"),
        Binding("question_mark", "help", "Keys"),
        Binding("q,escape", "end", "End"),
    ]

    def __init__(self, deck_id: str | None = None) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.session: ReviewSession | None = None  # read on mount

    quiz = property(quiz_app)

    @property
    def view(self) -> View:
        assert self.session is not None, "the session is read when the screen is mounted"
        return self.session.view

    def compose(self) -> ComposeResult:
        # No Header here: the first line says where you are, and the card gets the row.
        yield SessionHeader(id="where")
        with VerticalScroll(id="card"):
            yield CardBody(id="body")
        yield Plain(id="message")
        yield Plain(id="keys")
        yield KeyBar(self.BINDINGS)

    def on_mount(self) -> None:
        app = self.quiz
        try:
            self.session = self.open_session()
            # Read here, where an error is caught, not while a card is drawn.
            self.session.read_citations()
        except StoreError as err:
            app.report_read_error(err)
            if self.session is None:
                self.session = ReviewSession(app.store, app.clock(), deck_id=self.deck_id)
        self._where = self.query_one("#where", SessionHeader)
        self._body = self.query_one("#body", CardBody)
        self._keys = self.query_one("#keys", Plain)
        self._card_box = self.query_one("#card", VerticalScroll)
        self.query_one("#message", Plain).display = False
        self._draw(self.view)

    # ----------------------------------------------------------------- hook: the session to drive
    def open_session(self) -> ReviewSession:
        """The session this screen drives: today's, from the app's database (StoreError if unreadable).

        The deck preview (quiz.tui.screens.preview) gives a PreviewSession here instead.
        """
        return ReviewSession.open(self.quiz.store, self.quiz.clock(), self.deck_id)

    def on_screen_resume(self) -> None:
        # Time spent reading the reminder or the key list is not time spent on the card.
        if self.session is not None:
            self.session.resume(self.quiz.clock())

    # ----------------------------------------------------------------- which keys work now
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return action in ("help", "end")
        view = self.view
        card = view.entry.card if view.entry else None
        if action == "reveal":
            return view.phase is Phase.QUESTION and card is not None and card.type in (CardType.BASIC, CardType.CLOZE)
        if action == "grade":
            return view.phase is Phase.REVEALED or (view.phase is Phase.RATE and parameters[0] in RIGHT_PICK_GRADES)
        if action == "rate_default":
            return view.phase is Phase.RATE
        if action == "next":
            return view.phase is Phase.FEEDBACK
        if action == "pick":
            return view.phase is Phase.QUESTION and card is not None and accepts_pick(card, str(parameters[0]))
        # u, s, b, ? and q always work (and say so when there is nothing to act on): see BINDINGS.
        return True

    # ----------------------------------------------------------------- actions: one session call each
    def action_reveal(self) -> None:
        self._draw(self._session.reveal())

    def action_grade(self, grade: int) -> None:
        self._call(lambda now: self._session.grade(grade, now), "Your answer was not saved")

    def action_rate_default(self) -> None:
        self.action_grade(int(RIGHT_PICK_DEFAULT))

    def action_pick(self, key: str) -> None:
        self._call(lambda now: self._session.pick(key, now), "Your answer was not saved")

    def action_next(self) -> None:
        self._call(self._session.next, "")

    def action_undo(self) -> None:
        self._call(self._session.undo, "Not undone")

    def action_suspend(self) -> None:
        self._call(self._session.suspend, "Not suspended")

    def action_bury(self) -> None:
        self._call(self._session.bury, "Not buried")

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_end(self) -> None:
        if self.session is not None and self.session.tally().answers:
            self._finish()
        else:
            self.quiz.go_home()

    @property
    def _session(self) -> ReviewSession:
        assert self.session is not None, "no key acts before the session is read (check_action)"
        return self.session

    def _call(self, step: Callable[[datetime], View], what: str) -> None:
        """Make one session call with the time now; a database error leaves the card on screen."""
        was_empty = self.view.phase is Phase.EMPTY
        try:
            view = step(self.quiz.clock())
        except StoreError as err:
            self._message(f"✗ {what}: {err}. Press the same key again to retry.")
            self.app.notify(f"{what}: {err}", title="Not saved", severity="error", markup=False, timeout=8)
            return
        self._message("")
        if view.note is not None:
            title, text = NOTES[view.note]
            self.app.notify(text.format(snippet(view.note_card.prompt) if view.note_card else ""),
                            title=title, markup=False, timeout=4)
        if view.phase is Phase.EMPTY and not was_empty:  # the last card was answered, suspended or buried
            self._finish()
            return
        self._draw(view)

    def _finish(self) -> None:
        from quiz.tui.screens.summary import SummaryScreen

        self.quiz.replace_screen(SummaryScreen(self._session.tally(), deck_id=self.deck_id,
                                               cards_left=self._session.cards_left))

    # ----------------------------------------------------------------- drawing
    def _message(self, text: str) -> None:
        """A line above the keys (an error, what to do about it); "" takes it away."""
        line = self.query_one("#message", Plain)
        if text or line.display:
            line.update(text)
            line.display = bool(text)

    def _draw(self, view: View) -> None:
        where, body, keys = self._where, self._body, self._keys
        entry = view.entry
        if entry is None:
            where.set(Content.assemble(("Nothing to review", "bold")), view.answered, view.total)
            body.show([[("label", Content("All done"))], [("text", literal(self._empty_text()))]])
            keys.update("Press q or Escape to go back.", layout=False)
            return
        card = entry.card
        kind = "drill" if view.kind is ReviewKind.DRILL else "new" if entry.state.is_new else "review"
        title = self._session.titles.get(card.deck_id, card.deck_id)
        where.set(Content.assemble((f"Card {view.number} of {view.total}", "bold"), "  ·  ", literal(title),
                                   "  ·  ", KIND_LABELS[kind]), view.answered, view.total)
        body.show(self._blocks(card, view.phase, view.picked))
        keys.update(keys_text(card, view.phase), layout=False)  # always three lines high (app.tcss)
        if self._card_box.scroll_y:
            self._card_box.scroll_home(animate=False)

    def _blocks(self, card: Card, phase: Phase, picked: str | None) -> list[Block]:
        """The text of `card` in `phase` (after the pick `picked`), as CardBody blocks."""
        blocks: list[Block] = [[("label", Content(PROMPT_LABELS[card.type])), ("text", literal(card.prompt))]]
        if card.type is CardType.CHOICE:
            blocks.append([("text", line) for line in choice_lines(card, phase, picked)])
        if phase is Phase.RATE:
            blocks.append([("right", Content.assemble(("✓ Right", "bold"), " — ", literal(right_answer_text(card))))])
        elif phase is Phase.FEEDBACK and picked is not None:
            chosen = ("True" if picked == "true" else "False") if card.type is CardType.TRUEFALSE else (
                f"{picked}) {dict(choice_options(card))[picked]}")
            blocks.append([
                ("wrong", Content.assemble(("✗ Wrong", "bold"), " — you chose ", literal(chosen))),
                ("wrong", Content.assemble("The right answer: ", literal(right_answer_text(card)))),
            ])
        if phase is Phase.REVEALED:
            blocks.append([("label", Content("Answer")), ("text", literal(card.answer))])
        if phase is not Phase.QUESTION:
            if card.explanation.strip():
                blocks.append([("label", Content("Why it matters")), ("text", literal(card.explanation))])
            if card.source.strip():
                blocks.append([("source", Content.assemble("Source: ", literal(self._session.citation(card))))])
        return blocks

    def _empty_text(self) -> str:
        """Why there is nothing to review, and what tomorrow holds."""
        try:
            outlook = self._session.outlook()
        except StoreError:
            return "Nothing to review right now."
        lines = []
        if outlook.due_today:
            lines.append(f"You have done today's {outlook.reviews_per_day} reviews; {outlook.due_today} more can "
                         "wait for tomorrow (`quiz config reviews_per_day` changes the limit).")
        if outlook.new_today:
            lines.append(f"Today's new cards are done ({outlook.new_per_day} a day; `quiz config new_per_day` "
                         "changes it).")
        if not lines:
            lines.append("Nothing is due today: well done.")
        lines.append(f"Tomorrow: {outlook.due_tomorrow} review(s) due.")
        return "\n".join(lines)


def choice_lines(card: Card, phase: Phase, picked: str | None) -> list[Content]:
    lines = []
    for key, text in choice_options(card):
        mark = "  "
        if phase in (Phase.RATE, Phase.FEEDBACK):
            if text == card.answer:
                mark = "✓ "
            elif key == picked:
                mark = "✗ "
        lines.append(Content.assemble(mark, (f"{key})", "bold"), " ", literal(text)))
    return lines


def keys_text(card: Card, phase: Phase) -> Content:
    """What the keys of the moment do, above the key bar."""
    if phase is Phase.QUESTION:
        if card.type is CardType.CHOICE:
            last = choice_options(card)[-1][0] if card.choices else "a"
            return Content(f"Press a–{last} to choose.")
        if card.type is CardType.TRUEFALSE:
            return Content("Press t for true or f for false.")
        return Content("Press Space or Enter to show the answer.")
    if phase is Phase.REVEALED:
        return grade_lines(range(5, -1, -1), "How well did you remember?")
    if phase is Phase.RATE:
        return grade_lines(RIGHT_PICK_GRADES[::-1], "How easy was it?  (Enter = 4)")
    return Content("Your answer was saved as grade 1.  Press Enter for the next card.")


def grade_lines(grades: Iterable[int], heading: str) -> Content:
    """The grade keys with their labels in plain words, three to a line."""
    items = [Content.assemble((f"{int(g)}", "bold reverse"), f" {GRADE_LABELS[Grade(g)]}") for g in grades]
    rows = [Content("   ").join(items[i:i + 3]) for i in range(0, len(items), 3)]
    return Content("\n").join([Content.assemble((heading, "bold")), *rows])
