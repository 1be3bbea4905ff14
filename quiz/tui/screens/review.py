"""The review screen: one card at a time, graded with the keyboard, each answer saved before the next card."""
from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen

from quiz.days import study_day
from quiz.models import Card, CardType, DueCard, ReviewKind
from quiz.session import (
    RIGHT_PICK_DEFAULT,
    RIGHT_PICK_GRADES,
    WRONG_PICK_GRADE,
    ActionType,
    Entry,
    Session,
    answer_kind,
    answer_ms,
    choice_options,
    daily_allowance,
    is_right_pick,
    right_answer_text,
)
from quiz.sm2 import GRADE_LABELS, Grade
from quiz.store import Store, StoreError
from quiz.tui.widgets.card_view import Block, CardBody
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.lines import KeptLines
from quiz.tui.widgets.meter import SessionHeader
from quiz.tui.widgets.plain import Plain, literal, snippet


class Phase(str, Enum):
    QUESTION = "question"  # the prompt (and choices) are shown
    REVEALED = "revealed"  # basic/cloze: the answer is shown, waiting for a grade 0-5
    RATE = "rate"  # choice/truefalse picked right: waiting for 3/4/5 (Enter = 4)
    FEEDBACK = "feedback"  # choice/truefalse picked wrong: grade 1 saved, the right answer shown
    EMPTY = "empty"  # nothing to review


#: Due reviews read before the first card is drawn; the rest of the day's (up to 200) are counted
#: then, and read once it is on screen (load_more_reviews): reading 200 cards took ~4 ms of start-up.
FIRST_REVIEWS = 12


def load_session(store: Store, today: date, deck_id: str | None, *, first_reviews: int | None = None) -> Session:
    """Today's queue for `deck_id` (None: every deck) within what today's limits still allow.

    With `first_reviews`, only that many due reviews are read and the rest are counted into the
    session's total (`Session.more_reviews`): `load_more_reviews` reads them.
    """
    settings = store.settings()
    done = store.log.day_totals(today)
    allowance = daily_allowance(reviews_per_day=settings.reviews_per_day, new_per_day=settings.new_per_day,
                                reviews_done=done.reviews, new_done=done.new_cards)
    drills = store.cards.drills_pending(today, deck_id=deck_id)
    limit = allowance.reviews if first_reviews is None else min(first_reviews, allowance.reviews)
    reviews = store.cards.due_reviews(today, deck_id=deck_id, limit=limit) if limit else []
    more = 0
    if reviews and len(reviews) == limit < allowance.reviews:
        more = store.cards.count_due_reviews(today, deck_id=deck_id, limit=allowance.reviews) - limit
    new = store.cards.new_cards(today, deck_id=deck_id, limit=allowance.new) if allowance.new else []
    return Session(reviews, new, drills, more_reviews=more)


def load_more_reviews(store: Store, today: date, deck_id: str | None, session: Session) -> None:
    """Read the due reviews `load_session` counted but did not read, into `session`."""
    if not session.more_reviews:
        return
    queued = [e for e in session.queue if not e.drill and not e.state.is_new]
    last = DueCard(queued[-1].card, queued[-1].state) if queued else None
    session.add_reviews(store.cards.due_reviews(today, deck_id=deck_id, limit=session.more_reviews, after=last))


#: How long after an answer (or a verdict) is drawn the next card is rendered ahead: long enough for
#: that frame to be out, far shorter than anyone reads.
PREPARE_AFTER_S = 0.02
#: How long after the first card is drawn the rest of today's reviews are read (FIRST_REVIEWS).
LOAD_MORE_AFTER_S = 0.05
KIND_LABELS = {"new": "new card", "review": "review", "drill": "re-drill: until you grade it 4 or 5"}
PROMPT_LABELS = {
    CardType.BASIC: "Question",
    CardType.CLOZE: "Fill the gap",
    CardType.CHOICE: "Choose one",
    CardType.TRUEFALSE: "True or false?",
}


class ReviewScreen(Screen):
    """Today's session. Answers go to the store first; the queue only moves once they are saved."""

    # The key bar shows the same keys on every card (u s B ? q); the keys of the moment (Space, 0-5,
    # a-f, t/f, Enter) are written on the screen above it. (Textual's Footer, rebuilt whenever the
    # shown keys changed, took ~15 ms per answer and ~35 ms before the first card.)
    # The answering keys are priority bindings: Textual tries them before handing the key to the
    # focused card box (which scrolls with the arrows and never uses these), saving that round trip
    # (~0.3 ms of every answer). check_action decides which binding of a shared key applies.
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
        self.session = Session()
        self._message_line: Plain | None = None  # mounted by the first message (most sessions have none)
        self.phase = Phase.EMPTY
        self.shown: Entry | None = None  # the card on screen (in FEEDBACK: the one just answered)
        self.picked: str | None = None  # key of the pick on a choice/truefalse card
        self._shown_at = None
        self._titles: dict[str, str] = {}
        self._sources: dict[str, dict[str, str]] = {}
        self._day_start_hour = 4
        self._loaded_on: date | None = None  # the study day the session was read for

    @property
    def store(self) -> Store:
        return self.app.store

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        # No Header here: the first line says where you are, and the card gets the row.
        yield SessionHeader(id="where")
        with VerticalScroll(id="card"):
            yield CardBody(id="body")
        yield KeptLines(id="keys")
        yield KeyBar(self.BINDINGS)

    def on_mount(self) -> None:
        # Looked up once: every answer redraws these.
        q = self.query_one
        self._where, self._body, self._keys = q("#where", SessionHeader), q("#body", CardBody), q("#keys", KeptLines)
        self._card_box = q("#card", VerticalScroll)
        try:
            self._day_start_hour = self.store.settings().day_start_hour
            self._titles = self.store.decks.titles()
            self._loaded_on = self._today()
            self.session = load_session(self.store, self._loaded_on, self.deck_id, first_reviews=FIRST_REVIEWS)
            # The citations' full text, read here where an error is caught, not while a card is
            # drawn (should it fail, cards still show, citing their source by its key).
            self._sources = {deck: (self.store.decks.info(deck) or {}).get("sources") or {} for deck in self._titles}
        except StoreError as err:
            self.app.report_read_error(err)
        self._show_current()
        if self.session.more_reviews:
            # The rest of today's reviews once the first card is on screen, while it is read (and,
            # should a key come first, before that key does anything: _load_more).
            self.set_timer(LOAD_MORE_AFTER_S, self._load_more)

    def _load_more(self) -> bool:
        """Read the rest of today's reviews if they are not read yet; False if the database failed."""
        if not self.session.more_reviews:
            return True
        try:
            load_more_reviews(self.store, self._loaded_on, self.deck_id, self.session)
        except StoreError as err:
            self._not_saved(err, "Could not read the rest of today's cards")
            return False
        return True

    def on_screen_resume(self) -> None:
        # Time spent reading the reminder or the key list is not time spent on the card.
        if self.phase is Phase.QUESTION:
            self._shown_at = self.app.clock()

    # ----------------------------------------------------------------- which keys work now
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.shown.card if self.shown else None
        phase = self.phase
        if action == "reveal":
            return phase is Phase.QUESTION and card is not None and card.type in (CardType.BASIC, CardType.CLOZE)
        if action == "grade":
            if phase is Phase.REVEALED:
                return True
            return phase is Phase.RATE and Grade(parameters[0]) in RIGHT_PICK_GRADES
        if action == "rate_default":
            return phase is Phase.RATE
        if action == "next":
            return phase is Phase.FEEDBACK
        if action == "pick":
            if phase is not Phase.QUESTION or card is None:
                return False
            if card.type is CardType.TRUEFALSE:
                return parameters[0] in ("true", "false")
            if card.type is CardType.CHOICE:
                return parameters[0] in dict(choice_options(card))
            return False
        # u, s, b, ? and q always work (and say so when there is nothing to act on): see BINDINGS.
        return True

    # ----------------------------------------------------------------- actions
    def action_reveal(self) -> None:
        self._set_phase(Phase.REVEALED)

    def action_grade(self, grade: int) -> None:
        if self._record(Grade(grade)):
            self._advance()

    def action_rate_default(self) -> None:
        self.action_grade(int(RIGHT_PICK_DEFAULT))

    def action_pick(self, key: str) -> None:
        card = self.shown.card
        picked = key if card.type is CardType.TRUEFALSE else dict(choice_options(card))[key]
        if is_right_pick(card, picked):
            self.picked = key
            self._set_phase(Phase.RATE)
            return
        if self._record(WRONG_PICK_GRADE):
            self.picked = key
            self._set_phase(Phase.FEEDBACK)

    def action_next(self) -> None:
        self._advance()

    def action_undo(self) -> None:
        action = self.session.last_action
        if action is None:
            self.app.notify("Nothing to undo in this session.", markup=False, timeout=3)
            return
        card_id = action.entry.card_id
        try:
            if action.type is ActionType.ANSWER:
                self.store.log.undo(action.record)
            elif action.type is ActionType.SUSPEND:
                self.store.cards.set_suspended(card_id, False)
            else:
                self.store.cards.bury(card_id, action.buried_before)
        except StoreError as err:
            self._not_saved(err, "Not undone")
            return
        self.session.undone()
        prompt = snippet(action.entry.card.prompt)
        self.app.notify({
            ActionType.ANSWER: f"Undone: your answer to “{prompt}”.",
            ActionType.SUSPEND: f"Undone: “{prompt}” is no longer suspended.",
            ActionType.BURY: f"Undone: “{prompt}” is no longer buried.",
        }[action.type], markup=False, timeout=4)
        self._show_current()

    def action_suspend(self) -> None:
        entry = self.shown
        if entry is None or not self._load_more():
            return
        try:
            self.store.cards.set_suspended(entry.card_id, True)
        except StoreError as err:
            self._not_saved(err, "Not suspended")
            return
        self.session.removed(entry.card_id, ActionType.SUSPEND)
        self.app.notify(
            f"“{snippet(entry.card.prompt)}” stays out of sessions until you bring it back "
            "(x on the home screen). u undoes this.",
            title="Card suspended", markup=False,
        )
        self._advance()

    def action_bury(self) -> None:
        entry = self.shown
        if entry is None or not self._load_more():
            return
        tomorrow = study_day(self.app.clock(), self._day_start_hour) + timedelta(days=1)
        try:
            self.store.cards.bury(entry.card_id, tomorrow)
        except StoreError as err:
            self._not_saved(err, "Not buried")
            return
        self.session.removed(entry.card_id, ActionType.BURY, buried_before=entry.state.buried_until)
        self.app.notify(f"Buried until tomorrow: “{snippet(entry.card.prompt)}”. Press u to undo.",
                        title="Card buried", markup=False)
        self._advance()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_end(self) -> None:
        if self.session.tally().answers:
            self._finish()
        else:
            self.app.go_home()

    # ----------------------------------------------------------------- answering
    def _record(self, grade: Grade) -> bool:
        """Write the answer to the current card; True once it is saved (the queue then moves on)."""
        if not self._load_more():
            return False
        entry = self.session.current
        now = self.app.clock()
        day = study_day(now, self._day_start_hour)
        try:
            # On the disk (committed, synchronous=FULL) before the next card is drawn.
            record = self.store.log.record(
                entry.card_id, grade, kind=self.session.kind(day), reviewed_at=now, study_day=day,
                answer_ms=answer_ms(self._shown_at or now, now),
            )
        except StoreError as err:
            self._not_saved(err, "Your answer was not saved")
            return False
        self.session.answered_current(record)
        self._message("")
        return True

    def _not_saved(self, err: StoreError, what: str) -> None:
        self._message(f"✗ {what}: {err}. Press the same key again to retry.")
        self.app.notify(f"{what}: {err}", title="Not saved", severity="error", markup=False, timeout=8)

    def _advance(self) -> None:
        if self.session.done:
            self._finish()
            return
        self._show_current()

    def _finish(self) -> None:
        from quiz.tui.screens.summary import SummaryScreen

        self.app.replace_screen(SummaryScreen(self.session.tally(), deck_id=self.deck_id,
                                             cards_left=len(self.session.queue)))

    # ----------------------------------------------------------------- drawing
    def _today(self) -> date:
        return study_day(self.app.clock(), self._day_start_hour)

    def _show_current(self) -> None:
        self.shown = self.session.current
        self.picked = None
        self._shown_at = self.app.clock()
        self._set_phase(Phase.QUESTION if self.shown else Phase.EMPTY)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self._draw()

    def _message(self, text: str) -> None:
        """A line above the keys (an error, what to do about it); "" takes it away."""
        line = self._message_line
        if line is None:
            if not text:
                return  # after every answer: nothing to take away
            line = self._message_line = Plain(text, id="message")
            self.mount(line, before=self._keys)
            return
        if text or line.display:  # after every answer this is "": leave the layout alone then
            line.update(text)
            line.display = bool(text)

    def _draw(self) -> None:
        entry, phase = self.shown, self.phase
        answered, total = self.session.answered, self.session.total
        where, body, keys = self._where, self._body, self._keys
        if entry is None:
            where.set(Content.assemble(("Nothing to review", "bold")), answered, total)
            body.show("empty", [[("label", Content("All done"))], [("text", literal(self._empty_text()))]])
            keys.show("empty", Content("Press q or Escape to go back."))
            return
        card = entry.card
        # In FEEDBACK the card on screen has been answered already: it is the last answer, not the next.
        number = answered if phase is Phase.FEEDBACK else self.session.position
        # Fixed heights (app.tcss): only the card itself may change the layout.
        where.set(self._where_text(entry, number, total), answered, total)
        # The card as it is now was rendered ahead (_prepare_next) or is drawn now, and kept either way.
        key = (entry, phase, self.picked)
        body.show(key, None if body.kept(key) else self._blocks(entry, phase, self.picked))
        # The same few texts come back card after card: kept rendered, by what they depend on.
        hint = (phase, card.type, card.choices, card.answer) if card.type is CardType.CHOICE else (phase, card.type)
        keys.show(hint, None if keys.kept(hint) else self._keys_text(card, phase))
        card_box = self._card_box
        if card_box.scroll_y:
            card_box.scroll_home(animate=False)
        if phase is not Phase.QUESTION:
            # The patient reads for a second or more now: render the next card meanwhile (after
            # this frame is out), so a grade key shows it without rendering it.
            self.set_timer(PREPARE_AFTER_S, self._prepare_next)

    def _prepare_next(self) -> None:
        """Render the card that comes after the one on screen (if it is still on screen)."""
        if self.phase in (Phase.QUESTION, Phase.EMPTY) or not self.is_current:
            return
        queue = self.session.queue
        # In FEEDBACK the answer is saved and the next card is current; otherwise it is second
        # (a grade below 4 queues the card again further on, not next).
        following = queue[0] if self.phase is Phase.FEEDBACK else (queue[1] if len(queue) > 1 else None)
        if following is None:
            return
        # The header as it will be if the grade is 4 or 5 (most are; a lower one adds a re-drill).
        answered = self.session.answered + (self.phase is not Phase.FEEDBACK)
        total = self.session.total
        self._where.prepare_next(self._where_text(following, answered + 1, total), answered, total)
        key = (following, Phase.QUESTION, None)
        if not self._body.kept(key):
            self._body.prepare(key, self._blocks(following, Phase.QUESTION, None))
        card = following.card
        hint = (Phase.QUESTION, card.type, card.choices, card.answer) if card.type is CardType.CHOICE else (
            Phase.QUESTION, card.type)
        if not self._keys.kept(hint):
            self._keys.prepare(hint, self._keys_text(card, Phase.QUESTION))

    def _blocks(self, entry: Entry, phase: Phase, picked: str | None) -> list[Block]:
        """The text of `entry`'s card in `phase` (after the pick `picked`), as CardBody blocks."""
        card = entry.card
        blocks = [[("label", Content(PROMPT_LABELS[card.type])), ("text", literal(card.prompt))]]
        if card.type is CardType.CHOICE:
            blocks.append([("text", line) for line in self._choice_lines(card, phase, picked)])
        if phase is Phase.RATE:
            blocks.append([("right", Content.assemble(("✓ Right", "bold"), " — ",
                                                      literal(right_answer_text(card))))])
        elif phase is Phase.FEEDBACK:
            blocks.append([
                ("wrong", Content.assemble(("✗ Wrong", "bold"), " — you chose ",
                                           literal(self._picked_text(card, picked)))),
                ("wrong", Content.assemble("The right answer: ", literal(right_answer_text(card)))),
            ])
        if phase is Phase.REVEALED:
            blocks.append([("label", Content("Answer")), ("text", literal(card.answer))])
        if phase is not Phase.QUESTION:
            if card.explanation.strip():
                blocks.append([("label", Content("Why it matters")), ("text", literal(card.explanation))])
            if card.source.strip():
                blocks.append([("source", Content.assemble("Source: ", literal(self._citation(card))))])
        return blocks

    def _where_text(self, entry: Entry, number: int, total: int) -> Content:
        card = entry.card
        return Content.assemble(
            (f"Card {number} of {total}", "bold"), "  ·  ",
            literal(self._titles.get(card.deck_id, card.deck_id)), "  ·  ", self._kind_label(entry),
        )

    def _kind_label(self, entry: Entry) -> str:
        if answer_kind(entry.state, self._today()) is ReviewKind.DRILL:
            return KIND_LABELS["drill"]
        return KIND_LABELS["new" if entry.state.is_new else "review"]

    @staticmethod
    def _choice_lines(card: Card, phase: Phase, picked: str | None) -> list[Content]:
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

    @staticmethod
    def _picked_text(card: Card, picked: str) -> str:
        if card.type is CardType.TRUEFALSE:
            return "True" if picked == "true" else "False"
        return f"{picked}) {dict(choice_options(card))[picked]}"

    def _citation(self, card) -> str:
        return self._sources.get(card.deck_id, {}).get(card.source, card.source)

    @staticmethod
    def _keys_text(card: Card, phase: Phase) -> Content:
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

    def _empty_text(self) -> str:
        """Why there is nothing to review, and what tomorrow holds."""
        try:
            today = self._today()
            settings = self.store.settings()
            mine = [s for s in self.store.decks.summaries(today) if self.deck_id is None or s.id == self.deck_id]
            tomorrow = [s for s in self.store.decks.summaries(today + timedelta(days=1))
                        if self.deck_id is None or s.id == self.deck_id]
        except StoreError:
            return "Nothing to review right now."
        lines = []
        due, new = sum(s.due for s in mine), sum(s.new for s in mine)
        if due:
            lines.append(f"You have done today's {settings.reviews_per_day} reviews; {due} more can wait for "
                         "tomorrow (`quiz config reviews_per_day` changes the limit).")
        if new:
            lines.append(f"Today's new cards are done ({settings.new_per_day} a day; `quiz config new_per_day` "
                         "changes it).")
        if not lines:
            lines.append("Nothing is due today: well done.")
        lines.append(f"Tomorrow: {sum(s.due for s in tomorrow)} review(s) due.")
        return "\n".join(lines)

def grade_lines(grades, heading: str) -> Content:
    """The grade keys with their labels in plain words, three to a line."""
    items = [Content.assemble((f"{int(g)}", "bold reverse"), f" {GRADE_LABELS[Grade(g)]}") for g in grades]
    rows = [Content("   ").join(items[i:i + 3]) for i in range(0, len(items), 3)]
    return Content("\n").join([Content.assemble((heading, "bold")), *rows])
