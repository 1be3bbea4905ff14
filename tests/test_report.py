"""`quiz report`: the page's content and order, escaped deck text, no outside address, and safe writing."""
from __future__ import annotations

import errno
import os
import re
import socket
import stat
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import TODAY, make_deck
from test_stats import answer, at, build_history

from quiz import report, states, stats
from quiz.cli import main
from quiz.models import Card, CardType, Deck, ReviewKind
from quiz.reminder import EDUCATES
from quiz.sm2 import Grade
from quiz.store import Store

NOW_ARG = "2026-03-02T12:00"  # local wall time, so "today" is 2026-03-02 in any time zone
FIRST_DAY = date(2026, 1, 19)  # a Monday, six weeks before TODAY's week
#: Grades given in turn (a fixed pattern, so every run builds the same history).
GRADES = (Grade.PERFECT, Grade.PAUSE, Grade.PAUSE, Grade.HARD, Grade.WRONG_FAMILIAR, Grade.PERFECT, Grade.PAUSE,
          Grade.WRONG_RECOGNISED)
SECTIONS = ["Decks studied", "Study calendar", "Answers per day", "Retention over the weeks", "Cards by state",
            "Due in the coming weeks", "Hardest cards"]
HOSTILE = [
    "<script>alert('deck')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</title></svg><script>alert(2)</script>",
    "]]><!-- &amp; &lt;b&gt; -->",
    "<a href='https://example.com/x'>link</a>",
    "\u202eevil\u202c right-to-left override",
    "bell\x07 escape\x1b[31m red",
]


@dataclass(frozen=True)
class History:
    answers: int  # scheduled answers and re-drills
    reviews: int
    drills: int
    study_days: tuple[date, ...]


def several_weeks(store: Store, *, decks: tuple[Deck, ...] | None = None) -> History:
    """Six weeks of study ending yesterday (2026-03-01): every day but Wednesdays and one weekend away,
    each day's due cards then three new ones, graded in a fixed pattern; a card graded below 4 is
    re-drilled once the same day."""
    decks = decks or (
        _deck("back-basics", "Back basics", "How the spine is built, and why most back pain is not dangerous.", 24),
        _deck("moving", "Moving with back pain", "Staying active, pacing, and sleeping with back pain.", 16),
    )
    for deck in decks:
        store.decks.sync(deck, today=FIRST_DAY)
    reviews = drills = 0
    days = []
    n = 0
    day = FIRST_DAY
    while day < TODAY:
        if day.weekday() != 2 and day not in (date(2026, 2, 14), date(2026, 2, 15)):
            days.append(day)
            for i, due in enumerate(store.cards.due_reviews(day) + store.cards.new_cards(day, limit=3)):
                grade = GRADES[n % len(GRADES)]
                n += 1
                answer(store, due.card.id, grade, at(day.isoformat(), 9, i % 60), ms=4000 + 1700 * (n % 7))
                reviews += 1
                if grade < Grade.PAUSE:
                    answer(store, due.card.id, Grade.PAUSE, at(day.isoformat(), 10, i % 60), kind=ReviewKind.DRILL)
                    drills += 1
        day += timedelta(days=1)
    return History(reviews + drills, reviews, drills, tuple(days))


def _deck(deck_id: str, title: str, description: str, n: int) -> Deck:
    cards = tuple(Card(deck_id, f"c{i}", CardType.BASIC, f"{title}: question {i}?", f"Answer {i} of {title}",
                       f"Because {i}.", "src") for i in range(1, n + 1))
    return Deck(deck_id, title, description, {"src": "A source"}, cards)


@pytest.fixture
def weeks_db(db_path):
    with Store.open(db_path) as s:
        history = several_weeks(s)
    return db_path, history


@pytest.fixture
def out_dir(tmp_path):
    """A folder of its own for the report (the database is beside it in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "--now", NOW_ARG, *args])


def page_of(db_path, *, name=None, since=None, deck_id=None) -> str:
    with Store.open(db_path) as s:
        return report.render(report.gather(s, TODAY, since=since, deck_id=deck_id), name=name)


class Parsed(HTMLParser):
    """The page as a browser's parser sees it: element names, attributes, and the visible text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


# --------------------------------------------------------------------- what the page shows
def test_the_sections_come_in_the_order_the_clinician_reads_them(weeks_db):
    page = page_of(weeks_db[0])
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == SECTIONS
    assert page.index("Period:") < page.index("<h2>Decks studied")
    assert page.rindex(EDUCATES) > page.index("<h2>Hardest cards")


def test_the_patients_totals_and_period_are_written_as_text(weeks_db):
    db_path, history = weeks_db
    text = Parsed(page_of(db_path)).all_text
    assert f"{history.answers:,} answers on {len(history.study_days)} study days" in text
    assert f"{history.reviews:,} scheduled answers and {history.drills:,} re-drills" in text
    assert "Period: Mon 19 January 2026 to Mon 2 March 2026 (43 days)" in text


def test_the_name_appears_only_when_given(weeks_db):
    assert "Prepared for" not in page_of(weeks_db[0])
    assert "Prepared for" not in page_of(weeks_db[0], name="   ")
    page = page_of(weeks_db[0], name="Ann Smith")
    assert "Prepared for Ann Smith" in Parsed(page).all_text
    assert "<title>Progress report — Ann Smith</title>" in page


def test_each_deck_studied_is_listed_with_what_it_teaches(weeks_db):
    text = Parsed(page_of(weeks_db[0])).all_text
    assert "Back basicsHow the spine is built, and why most back pain is not dangerous." in text
    assert "Moving with back painStaying active, pacing, and sleeping with back pain." in text


def test_a_deck_not_started_is_named_but_not_listed_as_studied(weeks_db, db_path):
    with Store.open(db_path) as s:
        s.decks.sync(make_deck("later", 2, title="Later deck"), today=TODAY)
    text = Parsed(page_of(db_path)).all_text
    assert "Not started yet: Later deck." in text


def test_every_chart_is_svg_with_a_title_a_description_and_its_numbers_beside_it(weeks_db):
    page = page_of(weeks_db[0])
    sections = [part for part in page.split("<section") if "<figure>" in part]
    assert len(sections) == 5  # calendar, answers per day, retention, cards by state, due
    for section in sections:
        figure = re.search(r"<figure>(.*?)</figure>", section, re.S).group(1)
        svg = re.search(r"<svg[^>]*>", figure).group()
        assert 'role="img"' in svg
        key = re.search(r'aria-labelledby="(\S+)-title \1-desc"', svg).group(1)
        assert re.search(rf'<title id="{key}-title">[^<]+</title>', figure)
        assert re.search(rf'<desc id="{key}-desc">[^<]+</desc>', figure)
        assert "<figcaption>" in figure and "<table" in section


def test_the_figures_on_the_page_are_those_of_the_stats_module(weeks_db):
    db_path, _ = weeks_db
    with Store.open(db_path) as s:
        figures = stats.compute(s, TODAY)
    text = Parsed(page_of(db_path)).all_text
    r30 = figures.retention_30_days
    assert f"{r30.rate:.0%} ({r30.passed:,} of {r30.reviews:,} right) in the last 30 days" in text
    assert f"{figures.due.today:,} cards today (overdue included), {figures.due.next_7_days:,} in the next 7" in text
    for week in figures.retention_by_week:
        if week.reviews:
            assert f"{week.first_day:%d %b} – {week.last_day:%d %b}{week.passed:,}{week.reviews:,}" in text
    deck = figures.decks[0]
    assert "Back basics" + "".join(f"{getattr(deck.cards, st):,}" for st in stats.CARD_STATES) in text


def test_the_retention_chart_counts_reviews_of_learned_cards_only(db_path):
    with Store.open(db_path) as s:
        s.decks.sync(make_deck("anatomy", 2), today=date(2026, 2, 1))
        answer(s, "anatomy/c1", Grade.PERFECT, at("2026-02-25"))  # a first answer: not a test of memory
        answer(s, "anatomy/c1", Grade.WRONG_FAMILIAR, at("2026-02-27"))
        for minute in range(5):  # five right re-drills the same day: practice, not memory
            answer(s, "anatomy/c1", Grade.PERFECT, at("2026-02-27", 10, minute), kind=ReviewKind.DRILL)
    text = Parsed(page_of(db_path)).all_text
    assert "24 Feb – 02 Mar" + "0" + "1" + "0%" in text  # week | right | scheduled | retention
    assert "0% (0 of 1 right) in the last 7 days" in text


def test_state_names_and_meanings_come_from_the_stats_module(weeks_db, monkeypatch):
    monkeypatch.setitem(states.CARD_STATE_MEANINGS, "mature", "remembered for three weeks or more (changed)")
    page = page_of(weeks_db[0])
    assert "<dt>mature</dt><dd>remembered for three weeks or more (changed)</dd>" in page
    for state in stats.CARD_STATES:
        assert f"<dt>{state}</dt><dd>{states.CARD_STATE_MEANINGS[state]}</dd>" in page
        assert f'<th scope="col">{state}</th>' in page


def test_the_hardest_cards_show_their_question_and_right_answer(weeks_db):
    db_path, _ = weeks_db
    with Store.open(db_path) as s:
        hardest = stats.compute(s, TODAY).hardest
    assert hardest
    text = Parsed(page_of(db_path)).all_text
    for card in hardest:
        n = card.card_id.rsplit("c", 1)[1]
        title = "Back basics" if card.deck_id == "back-basics" else "Moving with back pain"
        assert f"{title}: question {n}?" in text and f"Answer {n} of {title}Because {n}." in text


def test_deck_shows_only_that_decks_cards_and_says_the_activity_covers_all_decks(weeks_db):
    page = page_of(weeks_db[0], deck_id="moving")
    text = Parsed(page).all_text
    assert "Deck shown: Moving with back pain." in text and "count every deck" in text
    assert "Back basics" not in text
    assert "question" in text  # the hardest cards of that deck are still there
    assert page.count("<figure>") == 4  # the day-by-day forecast is kept for all decks together


def test_since_starts_the_period_and_its_charts_on_that_day(weeks_db):
    db_path, history = weeks_db
    since = date(2026, 2, 16)
    text = Parsed(page_of(db_path, since=since)).all_text
    shown = [d for d in history.study_days if d >= since]
    assert "Period: Mon 16 February 2026 to Mon 2 March 2026 (15 days)" in text
    assert f"on {len(shown)} study days" in text
    assert "Sun 15 Feb" not in text and "Mon 16 Feb" in text


def test_a_new_database_gives_a_complete_page_that_says_nothing_was_answered_yet(db_path):
    with Store.open(db_path) as s:
        s.decks.sync(make_deck("anatomy", 3), today=TODAY)
    page = page_of(db_path)
    text = Parsed(page).all_text
    assert "0 answers on 0 study days" in text and "No deck has been studied yet." in text
    assert "No answers in the last 30 days" in text and "No reviews of learned cards in these weeks." in text
    assert "None yet" in text and EDUCATES in text
    assert page.rstrip().endswith("</html>")


def test_the_page_has_a_print_stylesheet_that_keeps_each_chart_on_one_page(weeks_db):
    page = page_of(weeks_db[0])
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "@page{margin:" in css and "@media print{" in css
    assert re.search(r"figure\{[^}]*break-inside:avoid", css)
    assert "print-color-adjust:exact" in css


# --------------------------------------------------------------------- nothing from outside, nothing runs
def test_the_page_has_no_script_and_no_outside_address(weeks_db):
    page = page_of(weeks_db[0])
    parsed = Parsed(page)
    assert "script" not in parsed.tags and "iframe" not in parsed.tags and "link" not in parsed.tags
    assert not [a for a in parsed.attributes if a[0] in ("src", "href", "xlink:href") or a[0].startswith("on")]
    # The only addresses are the SVG namespace names, which no browser fetches.
    addresses = set(re.findall(r"(?:https?|wss?|ftp)://[^\s\"'<>)]*", page, re.I))
    assert addresses == {"http://www.w3.org/2000/svg"}
    assert "url(" not in page.replace("url(#", "") and "@import" not in page
    assert "default-src 'none'" in page  # and the browser is told to refuse anything that slipped through


@pytest.mark.parametrize("hostile", HOSTILE)
def test_deck_and_card_text_is_shown_as_text_never_as_markup(db_path, hostile):
    deck = Deck("evil", f"Deck {hostile}", f"Teaches {hostile}", {"src": "s"},
                (Card("evil", "c1", CardType.BASIC, f"Q {hostile}", f"A {hostile}", f"W {hostile}", "src"),))
    with Store.open(db_path) as s:
        s.decks.sync(deck, today=date(2026, 2, 1))
        answer(s, "evil/c1", Grade.PERFECT, at("2026-02-20"))
        answer(s, "evil/c1", Grade.NO_IDEA, at("2026-02-26"))  # a lapse: now among the hardest
    page = page_of(db_path, name=f"Name {hostile}")
    parsed = Parsed(page)
    assert parsed.tags.count("script") == 0 and "img" not in parsed.tags and "a" not in parsed.tags
    assert not [a for a in parsed.attributes if a[0].startswith("on") or a[0] == "href"]
    shown = hostile.replace("\x07", "").replace("\x1b", "")  # control characters are dropped
    for text in (f"Deck {shown}", f"Teaches {shown}", f"Q {shown}", f"A {shown}", f"W {shown}", f"Name {shown}"):
        assert text in parsed.all_text, text
    # The deck title is also a label and a text alternative inside the cards-by-state chart.
    svg = re.search(r'<svg[^>]*aria-labelledby="states-title states-desc".*?</svg>', page, re.S).group()
    svg_text = Parsed(svg).all_text
    assert f"Deck {shown}"[:27] in svg_text and f"Deck {shown}: " in svg_text
    assert "\x1b" not in page and "\x07" not in page


def test_a_name_that_is_not_valid_utf8_is_written_with_a_replacement_character(weeks_db, tmp_path):
    out = tmp_path / "r.html"
    result = run(weeks_db[0], "report", "-o", str(out), "--name", "Ann \udcff")
    assert result.exit_code == 0, result.output
    assert "Prepared for Ann \ufffd" in Parsed(out.read_text(encoding="utf-8")).all_text


# --------------------------------------------------------------------- the command and the file
def test_quiz_report_writes_the_page_and_says_where(weeks_db, out_dir):
    db_path, history = weeks_db
    out = out_dir / "report.html"
    result = run(db_path, "report", "-o", str(out), "--name", "Ann", "--since", "2026-02-01", "--deck", "moving")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"Wrote the progress report ({history.answers:,} answers on "
                                     f"{len(history.study_days)} study days) to {out}")
    text = Parsed(out.read_text(encoding="utf-8")).all_text
    assert "Prepared for Ann" in text and "Period: Sun 1 February 2026" in text and "Deck shown: Moving" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in out_dir.iterdir()] == ["report.html"]  # no temporary file left


def test_the_report_does_not_change_the_database(weeks_db, tmp_path):
    db_path, _ = weeks_db
    before = db_path.read_bytes()
    assert run(db_path, "report", "-o", str(tmp_path / "r.html")).exit_code == 0
    assert db_path.read_bytes() == before


def test_an_existing_file_is_replaced_only_with_force(weeks_db, tmp_path):
    out = tmp_path / "r.html"
    out.write_text("precious")
    result = run(weeks_db[0], "report", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.strip() == f"quiz: {out} already exists; add --force to replace it, or choose another file name"
    assert out.read_text() == "precious"
    assert run(weeks_db[0], "report", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _targets(tmp_path):
    """Every path the report must refuse, with the words of its message; each target's name is its kind."""
    (tmp_path / "old.html").write_text("old")
    os.symlink(tmp_path / "old.html", tmp_path / "link-to-file.html")
    os.symlink(tmp_path / "nowhere.html", tmp_path / "dangling-link.html")
    os.symlink(tmp_path, tmp_path / "link-to-folder")
    os.mkfifo(tmp_path / "pipe.html")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "socket.html"))
    return sock, [
        (str(tmp_path / "link-to-file.html"), "is a symbolic link"),
        (str(tmp_path / "dangling-link.html"), "is a symbolic link"),
        (str(tmp_path / "link-to-folder"), "is a symbolic link"),
        (str(tmp_path / "pipe.html"), "is a pipe, not an ordinary file"),
        (str(tmp_path / "socket.html"), "is a socket, not an ordinary file"),
        ("/dev/null", "is a device, not an ordinary file"),
        (str(tmp_path), "is a folder; give a file name such as"),
        (str(tmp_path / "missing" / "r.html"), "does not exist"),
        ("-", "the report is written to a file"),
    ]


@pytest.mark.parametrize("force", [False, True])
def test_special_files_and_bad_paths_get_one_line_and_exit_1_even_with_force(weeks_db, tmp_path, force):
    folder = tmp_path / "targets"
    folder.mkdir()
    sock, targets = _targets(folder)
    try:
        for target, words in targets:
            result = run(weeks_db[0], "report", "-o", target, *(["--force"] if force else []))
            lines = result.output.strip().splitlines()
            assert result.exit_code == 1, (target, result.output)
            assert len(lines) == 1 and lines[0].startswith("quiz: ") and words in lines[0], (target, lines)
            assert result.exc_info is None or isinstance(result.exc_info[1], SystemExit)
        assert os.path.islink(folder / "link-to-file.html") and (folder / "old.html").read_text() == "old"
        assert stat.S_ISFIFO(os.lstat(folder / "pipe.html").st_mode)
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
        assert sorted(p.name for p in folder.iterdir()) == ["dangling-link.html", "link-to-file.html",
                                                             "link-to-folder", "old.html", "pipe.html", "socket.html"]
    finally:
        sock.close()


def test_an_unknown_deck_or_a_date_after_today_is_one_line_and_exit_1(weeks_db, tmp_path):
    out = tmp_path / "r.html"
    result = run(weeks_db[0], "report", "-o", str(out), "--deck", "nope")
    assert result.exit_code == 1 and result.output.strip() == (
        "quiz: no deck 'nope'; decks: back-basics, moving (see `quiz decks list`)")
    result = run(weeks_db[0], "report", "-o", str(out), "--since", "2026-03-03")
    assert result.exit_code == 1 and "is after today (2026-03-02)" in result.output
    assert not out.exists()


def test_a_since_that_is_not_a_date_is_a_usage_error(weeks_db, tmp_path):
    result = run(weeks_db[0], "report", "-o", str(tmp_path / "r.html"), "--since", "last week")
    assert result.exit_code == 2 and "'last week' is not a date such as 2026-01-31" in result.output


def test_a_full_disk_leaves_no_file_and_keeps_the_old_one(weeks_db, out_dir, monkeypatch):
    out = out_dir / "r.html"
    out.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run(weeks_db[0], "report", "-o", str(out), "--force")
    assert result.exit_code == 1 and result.output.strip() == (
        f"quiz: the disk is full while writing {out}; nothing was written — free some space and try again")
    assert out.read_text() == "old" and [p.name for p in out_dir.iterdir()] == ["r.html"]


def test_a_failure_while_drawing_leaves_no_file(weeks_db, out_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(report.charts, "due_forecast", broken)
    with Store.open(weeks_db[0]) as s, pytest.raises(RuntimeError):
        report.write(s, str(out_dir / "r.html"), today=TODAY)
    assert list(out_dir.iterdir()) == []


def test_the_history_fixture_used_elsewhere_also_renders(db_path):
    with Store.open(db_path) as s:
        build_history(s)
        page = report.render(report.gather(s, TODAY))
    assert "18 answers on 11 study days" in Parsed(page).all_text


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
