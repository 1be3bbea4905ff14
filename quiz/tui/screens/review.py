"""The review screen: one call to the session (quiz.review) per key, and the card it returns drawn."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.scalar import Scalar
from textual.screen import Screen

from quiz.answer import (
    ENTER_GRADE,
    FULL_SCALE,
    WRONG_PICK_GRADE,
    GradeKey,
    accepts_pick,
    choice_options,
    right_answer_text,
)
from quiz.models import Card, CardType, Review, ReviewKind
from quiz.review import Left, Note, Outcome, Phase, ReviewSession, View
from quiz.sm2 import DRILL_UNTIL_GRADE, PASSING_GRADE
from quiz.store import StoreError
from quiz.text import plural
from quiz.tui.typed import quiz_app
from quiz.tui.widgets.card_view import Block, CardBody
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.meter import SessionHeader
from quiz.tui.widgets.plain import Plain, literal, snippet

KIND_LABELS = {"new": "new card", "review": "review", "drill": "to repeat"}
#: The reading measure: card text never runs wider than this many columns, however wide the terminal.
MEASURE = 80
PROMPT_LABELS = {
    CardType.BASIC: "Question",
    CardType.CLOZE: "Fill the gap",
    CardType.CHOICE: "Choose one",
    CardType.TRUEFALSE: "True or false?",
}
#: What a call did, said on the line above the keys (never a pop-up over them).
NOTES = {
    Note.SUSPENDED: "Suspended “{}”: it stays out until you bring it back (x at home). u undoes this.",
    Note.BURIED: "Buried until tomorrow: “{}”. u undoes this.",
    Note.UNDID_ANSWER: "Undone: your answer to “{}”.",
    Note.UNDID_SUSPEND: "Undone: “{}” is no longer suspended.",
    Note.UNDID_BURY: "Undone: “{}” is no longer buried.",
    Note.NOTHING_TO_UNDO: "Nothing to undo in this session.",
}
#: Number keys bound on the review screen; what each records depends on the grade scale.
GRADE_KEYS = "012345"


class ReviewScreen(Screen):
    """Today's session. Every answer is on the disk before the next card is drawn."""

    # The key bar shows the keys that work on every card (u s B ? q; only ? and q when there is no
    # card); the keys of the moment (Space, the grades, a-f, t/f, Enter) are written on the screen
    # above it. The answering keys are priority bindings, so the focused card box (which scrolls
    # with the arrows) never takes them; check_action decides which binding of a shared key applies.
    BINDINGS = [
        Binding("space", "reveal", "Show answer", show=False, priority=True),
        Binding("enter", "reveal", "Show answer", show=False, priority=True),
        Binding("enter", "grade_default", "Good", show=False, priority=True),
        Binding("enter,space", "next", "Next card", show=False, priority=True),
        *[Binding(k, f"grade_key('{k}')", f"Grade {k}", show=False, priority=True) for k in GRADE_KEYS],
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

    def __init__(self, deck_id: str | None = None, *, extra_new: int = 0) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.extra_new = extra_new  # "study more today": new cards beyond today's limit, this session only
        self.session: ReviewSession | None = None  # read on mount
        self._message_height = 0  # lines the message above the keys takes at the screen's width
        self._saved: Review | None = None  # what the last grade saved, said under the next card's session line

    quiz = property(quiz_app)

    @property
    def view(self) -> View:
        assert self.session is not None, "the session is read when the screen is mounted"
        return self.session.view

    def compose(self) -> ComposeResult:
        # No Header here: the first line says where you are, and the card gets the row.
        # Each line is at most the reading measure wide, centred (app.tcss).
        yield SessionHeader(id="where")
        with VerticalScroll(id="card"):
            yield CardBody(id="body")
        yield Plain(id="message")
        yield Plain(id="keys")
        yield KeyBar(self.BINDINGS, id="keybar")

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
        if self.session.queue:  # before the first card: the reminder, if today's is still due
            app.call_later(app.show_reminder_if_due, self.session.deck_ids())

    def on_resize(self, event: events.Resize) -> None:
        # The grade keys are laid out for the width: redraw them for the new one.
        if self.session is not None and hasattr(self, "_keys"):
            self._draw(self.view)

    # ----------------------------------------------------------------- hook: the session to drive
    def open_session(self) -> ReviewSession:
        """The session this screen drives: today's, from the app's database (StoreError if unreadable).

        The deck preview (quiz.tui.screens.preview) gives a PreviewSession here instead.
        """
        return ReviewSession.open(self.quiz.store, self.quiz.clock(), self.deck_id, extra_new=self.extra_new)

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
        if action == "grade_key":
            return any(o.key.key == parameters[0] for o in self.session.outcomes())
        if action == "grade_default":
            return view.phase in (Phase.REVEALED, Phase.RATE)
        if action == "next":
            return view.phase is Phase.FEEDBACK
        if action == "pick":
            return view.phase is Phase.QUESTION and card is not None and accepts_pick(card, str(parameters[0]))
        if action in ("undo", "suspend", "bury"):
            # Hidden (and off) when there is no card: nothing to undo, suspend or bury.
            return view.phase is not Phase.EMPTY
        # ? and q always work.
        return True

    # ----------------------------------------------------------------- actions: one session call each
    def action_reveal(self) -> None:
        self._message("")  # a note about the card before: this one's grades come now
        self._saved = None
        self._draw(self._session.reveal())

    def action_grade_key(self, key: str) -> None:
        for outcome in self._session.outcomes():
            if outcome.key.key == key:
                self._grade(outcome.key.quality)

    def action_grade_default(self) -> None:
        self._grade(ENTER_GRADE)

    def _grade(self, quality: int) -> None:
        self._call(lambda now: self._session.grade(quality, now), "Your answer was not saved")

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
            self._message(f"✗ {what}: {err}. Press the same key again to retry.", error=True)
            return
        # What was saved is said under the session line, which is drawn again after every answer anyway
        # (a line of its own cost a layout of the screen, one among the keys a widget more to draw, with
        # every answer: docs/performance.md).
        self._saved = view.saved
        if view.note is not None:
            self._message(NOTES[view.note].format(snippet(view.note_card.prompt) if view.note_card else ""))
        else:
            self._message("")
        if view.phase is Phase.EMPTY and not was_empty:  # the last card was answered, suspended or buried
            self._finish()
            return
        self._draw(view)
        if (view.phase is Phase.EMPTY) != was_empty:  # undo, suspend and bury come or go with the card
            self._refresh_keybar()

    def _finish(self) -> None:
        from quiz.tui.screens.summary import SummaryScreen

        self.quiz.replace_screen(SummaryScreen(self._session.tally(), deck_id=self.deck_id,
                                               cards_left=self._session.cards_left))

    def _refresh_keybar(self) -> None:
        """The key bar shows only the keys that work now (no undo, suspend or bury without a card)."""
        self.query_one("#keybar", KeyBar).refresh()

    # ----------------------------------------------------------------- drawing
    def _message(self, text: str, *, error: bool = False) -> None:
        """A line above the keys (what was saved, an error and what to do about it); "" takes it away."""
        line = self.query_one("#message", Plain)
        if line.has_class("error") != error:  # a class change restyles the widget: only when it changes
            line.set_class(error, "error")
        if text or line.display:
            # A line that keeps its height (the saved line after every grade) is repainted in place;
            # only a line that appears, goes or wraps differently lays the screen out again.
            height = -(-cell_len(text) // max(1, line.content_region.width or self.size.width))
            relayout = bool(text) != line.display or height != self._message_height
            self._message_height = height
            line.update(text, layout=relayout)
            if line.display != bool(text):
                line.display = bool(text)

    def _draw(self, view: View) -> None:
        where, body, keys = self._where, self._body, self._keys
        entry = view.entry
        width = max(20, min(self.size.width, MEASURE) - 2)  # inside #keys' padding
        scale = self._session.scale
        height = 1 + grade_grid_rows(scale, width)  # the same on every card: the card box stays put
        if entry is None:
            where.set(Content.assemble(("Nothing to review", "bold")), view.answered, view.answered)
            self._card_box.border_title = None
            body.show([[("label", Content("All done"))], [("text", literal(self._empty_text()))]])
            self.show_keys(Content("Press q or Escape to go back."), relayout=False)
            return
        card = entry.card
        kind = "drill" if view.kind is ReviewKind.DRILL else "new" if entry.state.is_new else "review"
        title = self._session.titles.get(card.deck_id, card.deck_id)
        saved = self._saved if view.phase is Phase.QUESTION else None
        where.set(left_text(view.left), view.answered, view.answered + view.left.total,
                  saved_line(saved, scale, width) if saved is not None else "")
        border = Content.assemble(literal(title), " · ", KIND_LABELS[kind])
        if border != self._card_box.border_title:
            self._card_box.border_title = border
        body.show(self._blocks(card, view.phase, view.picked))
        # The key lines keep one height for the whole session (only a resize changes it), so a new card
        # repaints them without laying the screen out again (grade key to next card: docs/performance.md).
        relayout = keys.styles.min_height != Scalar.from_number(height)
        if relayout:
            keys.styles.min_height = height
        self.show_keys(keys_text(card, view.phase, self._session.outcomes(), scale, width), relayout)
        if self._card_box.scroll_y:
            self._card_box.scroll_home(animate=False)

    def show_keys(self, text: Content, relayout: bool = False) -> None:
        """Show `text` on the key lines (laying the screen out again only if `relayout`)."""
        self._keys.update(text, layout=relayout)

    def _blocks(self, card: Card, phase: Phase, picked: str | None) -> list[Block]:
        """The text of `card` in `phase` (after the pick `picked`), as CardBody blocks."""
        blocks: list[Block] = [[("label", Content(PROMPT_LABELS[card.type])), ("text", literal(card.prompt))]]
        if card.type is CardType.CHOICE:
            blocks.append([("text", line) for line in choice_lines(card, phase, picked)])
        truefalse = card.type is CardType.TRUEFALSE
        if phase is Phase.RATE:
            verdict = statement(card) if truefalse else literal(right_answer_text(card))
            blocks.append([("right", Content.assemble(("✓ Right", "bold"), ": ", verdict))])
        elif phase is Phase.FEEDBACK and picked is not None:
            chosen = picked if truefalse else f"{picked}) {dict(choice_options(card))[picked]}"
            right = statement(card) if truefalse else Content.assemble("the right answer is ",
                                                                      literal(right_answer_text(card)))
            blocks.append([
                ("wrong", Content.assemble(("✗ Wrong", "bold"), ": ", right, ".")),
                ("wrong", Content.assemble("You chose ", literal(chosen), ".")),
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
                         "changes it). To try more of one deck today, press m on the home screen.")
        if not lines:
            lines.append("Nothing is due today: well done.")
        lines.append(f"Tomorrow: {plural(outlook.due_tomorrow, 'review')} due.")
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


def statement(card: Card) -> Content:
    """A true/false card's answer as a sentence: "the statement is true" (never a bare "False")."""
    return Content(f"the statement is {'true' if card.answer.strip().lower() == 'true' else 'false'}")


def left_text(left: Left) -> Content:
    """What is left of the session, in parts that add up: new cards, reviews, cards to repeat today."""
    return Content.assemble(("Left today: ", "bold"), f"{left.new} new · {plural(left.reviews, 'review')}"
                            f" · {left.repeats} to repeat")


def in_days(days: int) -> str:
    return "today" if days <= 0 else "tomorrow" if days == 1 else f"in {plural(days, 'day')}"


def comes_back(review: Review) -> str:
    """When the card comes back after `review`: "again today", "tomorrow", "in 6 days", or
    "today & in 6 days" (right but hard: SM-2 repeats it today, its next interval still grows)."""
    due = review.after.due_on
    later = in_days((due - review.study_day).days) if due else "today"
    if review.quality < PASSING_GRADE:
        return "again today"
    if review.quality < DRILL_UNTIL_GRADE:
        return f"today & {later}"
    return later


def grade_name(key: GradeKey, scale: Sequence[GradeKey]) -> str:
    """How a grade is named in a sentence: "Good" in the simple scale, "grade 4" in the full one."""
    return f"grade {key.key}" if scale == FULL_SCALE else key.name


def saved_line(review: Review, scale: Sequence[GradeKey], width: int = MEASURE) -> str:
    """The line shown after an answer is saved: how it was graded and when the card is due next.

    One line of at most `width` columns: where the whole sentence does not fit, the short form the
    grade keys use ("✓ Saved (Hard): today & in 6 days").
    """
    names = {k.quality: grade_name(k, scale) for k in scale}
    name = names.get(review.quality, f"grade {int(review.quality)}")
    due = review.after.due_on
    when = f"due {in_days((due - review.study_day).days)}, {long_date(due)}" if due else ""
    if review.quality < DRILL_UNTIL_GRADE:
        line = f"✓ Saved ({name}): back in a few cards, then {when}."
    else:
        line = f"✓ Saved ({name}): next {when}."
    return line if cell_len(line) <= width else f"✓ Saved ({name}): {comes_back(review)}"


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def grade_grid_rows(scale: Sequence[GradeKey], width: int) -> int:
    """Rows the grade keys of `scale` take at `width`, with room for "today & in 6 days" on each."""
    return len(grid([(k, "today & in 6 days") for k in scale], width))


def grid(items: list[tuple[GradeKey, str]], width: int) -> list[list[Content]]:
    """(key, when) items as rows of equal cells, as many to a row as fit `width` (at least one)."""
    name_width = max(len(k.name) for k, _ in items)
    when_width = max(len(w) for _, w in items)
    cell = 2 + name_width + 3 + when_width
    gap = 3
    columns = max(1, min(len(items), (width + gap) // (cell + gap)))
    if columns == 1 and cell > width:  # too narrow for one cell: the interval under the name
        name_width = 0
    cells = [Content.assemble((k.key, "bold reverse"), " ", (k.name.ljust(name_width), "bold"), " → ", w)
             if name_width else Content.assemble((k.key, "bold reverse"), " ", (k.name, "bold"), " → ", w)
             for k, w in items]
    rows = (len(cells) + columns - 1) // columns
    # Column by column, so keys read in order down each column as well as across.
    table = [[cells[c * rows + r] for c in range(columns) if c * rows + r < len(cells)] for r in range(rows)]
    return [[c.pad_right(cell - c.cell_length) if i < len(row) - 1 else c for i, c in enumerate(row)]
            for row in table]


def keys_text(card: Card, phase: Phase, outcomes: Sequence[Outcome], scale: Sequence[GradeKey],
              width: int) -> Content:
    """What the keys of the moment do, above the key bar; each grade says when the card comes back."""
    if phase is Phase.QUESTION:
        if card.type is CardType.CHOICE:
            last = choice_options(card)[-1][0] if card.choices else "a"
            return Content(f"Press a–{last} to choose.")
        if card.type is CardType.TRUEFALSE:
            return Content("Press t for true or f for false.")
        return Content("Press Space or Enter to show the answer.")
    if phase in (Phase.REVEALED, Phase.RATE):
        enter = next((grade_name(k, scale) for k in scale if k.quality == ENTER_GRADE), "")
        heading = "How well did you remember?" if phase is Phase.REVEALED else "Right! How easy was it?"
        rows = grid([(o.key, comes_back(o.review)) for o in outcomes], width)
        lines = [Content.assemble((heading, "bold"), f"  Enter = {enter}")]
        lines += [Content("   ").join(row) for row in rows]
        return Content("\n").join(lines)
    again = next((grade_name(k, scale) for k in scale if k.quality == WRONG_PICK_GRADE), "Again")
    return Content(f"Saved as {again}.  Press Enter for the next card.")
