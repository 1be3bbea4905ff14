"""Decks: YAML -> Deck, every bad input as file:line:col with a fix, schema agreement, import, bundled decks."""
from __future__ import annotations

import os
import re
import sys
import threading
import weakref
from datetime import timedelta
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
import yaml
from conftest import NOW, TODAY

import quiz.decks as decks_module
import quiz.shipped as shipped_module
from quiz.decks import (
    MAX_DECK_BYTES,
    DeckError,
    deck_schema,
    import_decks,
    load_decks,
    new_deck_text,
    parse_deck,
    parsing,
    positions,
    read_deck,
    reading,
    schema_path,
    yaml_data,
)
from quiz.models import CardType, ReviewKind
from quiz.shipped import bundled_deck_files, sync_bundled_decks
from quiz.sm2 import Grade

DATA = Path(__file__).parent / "data" / "decks"
GOOD = sorted((DATA / "good").glob("*.yaml"))
BAD = sorted((DATA / "bad").glob("*.yaml"))
DOCS = Path(__file__).parent.parent / "docs" / "deck-format.md"
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+")

# kind: "yaml" — rejected before there is any data (beyond JSON Schema: syntax, encoding, size, anchors...);
#       "schema" — the shipped JSON Schema rejects it too (what an editor underlines);
#       "cross" — needs the whole deck: the schema accepts it, only the validator can reject it.
EXPECTED = {
    "anchor-alias.yaml": (12, 18, "anchor &why is not allowed", "yaml"),
    "bad-card-id.yaml": (7, 9, "card id 'Spinous Process' is not valid", "schema"),
    "bad-deck-id.yaml": (1, 7, "e.g. 'bad-example'", "schema"),
    "billion-laughs.yaml": (1, 4, "anchor &a is not allowed", "yaml"),
    "bidi-escape.yaml": (12, 18, "character U+2067 RIGHT-TO-LEFT ISOLATE can make text show in another order", "schema"),
    "bidi-override.yaml": (9, 36, "character U+202E RIGHT-TO-LEFT OVERRIDE can make text show in another order", "yaml"),
    "blank-explanation.yaml": (19, 18, "'explanation' is blank", "schema"),
    "card-not-a-mapping.yaml": (26, 5, "each card must be a set of fields", "schema"),
    "cards-not-a-list.yaml": (6, 8, "'cards' must be a list of cards", "schema"),
    "choice-answer-not-a-choice.yaml": (17, 13, "(did you mean 'The vertebral body'?)", "cross"),
    "choices-not-a-list.yaml": (16, 14, "'choices' must be a list", "schema"),
    "choices-on-basic-card.yaml": (11, 5, "'choices' is only for choice cards", "schema"),
    "choices-repeated.yaml": (16, 56, "choice 'The vertebral body' is listed twice", "schema"),
    "choices-same-but-invisible.yaml": (16, 48, "choice 2 'The vertebral\u200d body' reads the same as choice 1 (one "
                                                "holds U+200D ZERO WIDTH JOINER)", "cross"),
    "choices-same-once-normalised.yaml": (16, 33, "choice 2 'The cafe\u0301' reads the same as choice 1 (one holds "
                                                  "U+0301 COMBINING ACUTE ACCENT)", "cross"),
    "choices-too-few.yaml": (16, 14, "needs at least 2 choices", "schema"),
    "choices-too-many.yaml": (16, 99, "a choice card has at most 6 choices; this is choice 7", "yaml"),
    "cloze-empty-gap.yaml": (28, 11, "a cloze gap is empty", "schema"),
    "cloze-too-many-gaps.yaml": (28, 11, "a cloze card has at most 20 gaps", "yaml"),
    "cloze-repeated-gap.yaml": (28, 11, "the gap {{sacrum}} appears twice", "cross"),
    "cloze-unclosed-gap.yaml": (28, 11, "unmatched or single brace", "schema"),
    "cloze-without-gap.yaml": (28, 11, "needs at least one gap", "schema"),
    "control-character.yaml": (12, 28, "U+0007 is a control character", "yaml"),
    "control-escape.yaml": (2, 8, "'title' contains U+001B", "schema"),
    "duplicate-card-id.yaml": (13, 9, "card id 'spinous-process-behind' is already used on line 7", "cross"),
    "duplicate-key.yaml": (13, 5, "'answer' appears twice here (first on line 10)", "yaml"),
    "duplicate-source-id.yaml": (6, 3, "'wikipedia-lbp' appears twice here", "yaml"),
    "field-too-long.yaml": (28, 11, "this value is 5,035 characters long; a field holds at most 5,000", "yaml"),
    "empty-title.yaml": (2, 1, "'title' is empty", "schema"),
    "empty.yaml": (1, 1, "the file is empty", "yaml"),
    "missing-answer.yaml": (7, 5, "needs an 'answer'", "schema"),
    "missing-card-id.yaml": (13, 5, "this card has no 'id'", "schema"),
    "missing-title.yaml": (1, 1, "the deck has no 'title'", "schema"),
    "no-cards.yaml": (6, 8, "'cards' is empty", "schema"),
    "no-sources.yaml": (4, 10, "'sources' is empty", "schema"),
    "not-utf8.yaml": (5, 74, "not UTF-8 text: byte 0xE9", "yaml"),
    "number-not-text.yaml": (10, 13, "put it in quotes: \"12\"", "schema"),
    "only-comments.yaml": (1, 1, "no deck in it", "yaml"),
    "previous-id-claimed-twice.yaml": (29, 28, "previous id 'old-card' is also claimed by the card on line 20", "cross"),
    "previous-id-is-current.yaml": (22, 35, "previous id 'spinous-process-behind' is the id of a card in this file "
                                            "(line 7)", "cross"),
    "previous-id-not-an-id.yaml": (22, 20, "previous id 1 'Old Disc Card' is not a card id", "schema"),
    "python-tag.yaml": (10, 13, "python/object/apply:os.system' is not allowed", "yaml"),
    "question-on-cloze-card.yaml": (28, 5, "a cloze card has no 'question'", "schema"),
    "source-id-with-space.yaml": (5, 3, "source id 'wikipedia lbp' must be one word", "schema"),
    "syntax-bad-indent.yaml": (10, 13, "YAML syntax error", "yaml"),
    "syntax-colon-in-text.yaml": (9, 26, "must be in quotes", "yaml"),
    "syntax-tab-indent.yaml": (8, 1, "indent with spaces, not tabs", "yaml"),
    "syntax-unclosed-quote.yaml": (28, 11, "this quote is never closed", "yaml"),
    "top-level-list.yaml": (1, 1, "the top level of a deck must be its fields", "schema"),
    "top-level-text.yaml": (1, 1, "the top level of a deck must be its fields", "schema"),
    "truefalse-answer-quoted.yaml": (23, 13, "must be true or false (without quotes)", "schema"),
    "truefalse-answer-yes.yaml": (23, 13, "must be true or false (without quotes)", "schema"),
    "two-documents.yaml": (31, 1, "a file holds one deck", "yaml"),
    "undefined-source.yaml": (18, 13, "source 'wikipedia' is not defined under 'sources:' — did you mean 'wikipedia-lbp'?",
                              "cross"),
    "unknown-card-type.yaml": (14, 11, "unknown card type 'multiple' — did you mean 'choice'?", "schema"),
    "unknown-field-typo.yaml": (10, 5, "unknown field 'anwser' — did you mean 'answer'?", "schema"),
    "unknown-top-field.yaml": (2, 1, "unknown field 'titel' — did you mean 'title'?", "schema"),
    "utf16.yaml": (1, 1, "UTF-16", "yaml"),
    "zero-width-choice.yaml": (16, 36, "choice 2 looks empty: it holds only invisible characters such as U+2060 WORD "
                                       "JOINER", "schema"),
    "zero-width-gap.yaml": (28, 65, "a cloze gap looks empty: it holds only invisible characters such as U+200B", "schema"),
    "zero-width-question.yaml": (9, 15, "'question' looks empty: it holds only invisible characters such as U+200B ZERO "
                                        "WIDTH SPACE", "schema"),
}


def schema_verdicts(data) -> tuple[bool, bool]:
    """(jsonschema, jsonschema_rs): does the shipped schema accept `data`?"""
    return (jsonschema.Draft202012Validator(deck_schema()).is_valid(data),
            jsonschema_rs.validator_for(deck_schema()).is_valid(data))


def deck_text(cards: str, extra: str = "") -> bytes:
    return (
        "deck: test-deck\ntitle: Test deck\ndescription: For tests.\n" + extra
        + "sources:\n  src: A source.\ncards:\n" + cards
    ).encode()


BASIC = "  - id: {id}\n    type: basic\n    question: {q}\n    answer: {a}\n    source: src\n    explanation: Why.\n"


def basic_cards(*items: tuple[str, str, str]) -> str:
    return "".join(BASIC.format(id=i, q=q, a=a) for i, q, a in items)


# ----------------------------------------------------------------------------- fixtures: good and bad
@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_good_fixture_loads_and_the_schema_accepts_it_too(path):
    deck = parse_deck(path.read_bytes(), str(path))
    assert deck.cards
    assert schema_verdicts(yaml_data(path.read_bytes())) == (True, True)


def test_every_bad_fixture_has_an_expected_message_and_every_expectation_a_file():
    assert sorted(p.name for p in BAD) == sorted(EXPECTED)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_a_bad_deck_is_rejected_with_file_line_column_and_how_to_fix_it(path):
    line, col, words, _kind = EXPECTED[path.name]
    with pytest.raises(DeckError) as caught:
        read_deck(path)
    lines = str(caught.value).splitlines()
    assert all(PROBLEM_LINE.match(text) for text in lines), lines
    assert any(text.startswith(f"{path}:{line}:{col}: ") and words in text for text in lines), lines


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_the_schema_and_the_validator_agree_on_every_bad_fixture(path):
    kind = EXPECTED[path.name][3]
    if kind == "yaml":  # no data to give a schema: the YAML layer refuses it
        with pytest.raises(DeckError):
            yaml_data(path.read_bytes(), str(path))
        return
    data = yaml_data(path.read_bytes(), str(path))
    if kind == "schema":
        assert schema_verdicts(data) == (False, False)
    else:  # beyond what JSON Schema can say: the schema accepts it and only the validator refuses it
        assert schema_verdicts(data) == (True, True)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_or_parsed(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(MAX_DECK_BYTES + 1)  # sparse: costs no disk

    def must_not_run(*args, **kwargs):
        raise AssertionError("read or parsed a file over the limit")

    monkeypatch.setattr(reading, "open", must_not_run, raising=False)
    monkeypatch.setattr(parsing, "load_yaml", must_not_run)
    with pytest.raises(DeckError) as caught:
        read_deck(big)
    assert str(caught.value).startswith(f"{big}:1:1: the file is 4.0 MiB; a deck may be at most 4.0 MiB — split it")


def test_the_size_limit_holds_for_a_file_that_grows_or_is_not_a_regular_file(tmp_path, monkeypatch):
    path = tmp_path / "deck.yaml"
    path.write_bytes(b"# " + b"x" * 2000 + b"\n")
    monkeypatch.setattr(reading, "MAX_DECK_BYTES", 1000)
    monkeypatch.setattr(reading.os, "stat", lambda p: os.stat_result((0,) * 10))  # says 0 bytes, like a pipe
    with pytest.raises(DeckError, match="at most 1,000 bytes"):
        read_deck(path)


def test_every_problem_in_a_file_is_reported_in_line_order_not_only_the_first():
    data = deck_text(
        "  - id: one\n    type: basic\n    question: Q?\n    anwser: A\n    source: src\n    explanation: Why.\n"
        "  - id: one\n    type: choice\n    question: Q?\n    choices: [a, b]\n    answer: c\n    source: nowhere\n"
        "    explanation: Why.\n"
    )
    with pytest.raises(DeckError) as caught:
        parse_deck(data, "d.yaml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(7, 5), (10, 5), (13, 9), (17, 13), (18, 13)]
    text = str(caught.value)
    assert "needs an 'answer'" in text and "unknown field 'anwser'" in text and "already used on line 7" in text
    assert "'c' is not one of the choices" in text and "source 'nowhere' is not defined" in text


def test_a_missing_path_and_a_folder_without_decks_are_clean_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DeckError) as caught:
        load_decks([str(tmp_path / "nope.yaml"), str(tmp_path / "empty")])
    assert str(caught.value).splitlines() == [
        f"{tmp_path / 'nope.yaml'}: no such file or folder",
        f"{tmp_path / 'empty'}: this folder has no .yaml or .yml deck files",
    ]


def test_a_folder_that_cannot_be_listed_is_a_clean_problem_among_the_others(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    good = write_deck(tmp_path / "good.yaml", basic_cards(("c1", "Q?", "A")))
    real_listdir = os.listdir

    def listdir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_listdir(path)

    monkeypatch.setattr(reading.os, "listdir", listdir)  # tests run as root, for whom chmod 000 changes nothing
    with pytest.raises(DeckError) as caught:
        load_decks([str(locked), str(good)])
    assert str(caught.value).splitlines() == [f"{locked}: cannot list the folder: Permission denied"]


def test_a_named_pipe_is_refused_at_once_instead_of_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "deck.yaml"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_deck(fifo)
        except DeckError as err:
            outcome.append(str(err))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # blocked in open(): give it a writer so that it ends, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
        pytest.fail("reading a named pipe waited for a writer")
    assert outcome == [f"{fifo}: is not a regular file (a named pipe); give a deck file or a folder of them"]
    with pytest.raises(DeckError, match="is not a regular file"):  # also as one of a folder's decks
        load_decks([str(fifo)])


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_is_refused_as_not_a_regular_file():
    with pytest.raises(DeckError) as caught:
        read_deck("/dev/null")
    assert str(caught.value) == "/dev/null: is not a regular file (a device); give a deck file or a folder of them"


def test_a_deck_whose_file_name_is_not_utf8_imports_and_its_origin_keeps_the_bytes_as_escapes(store, tmp_path):
    name = os.fsdecode(b"bad\xff.yaml")  # what Python makes of such a name: a lone surrogate for the byte
    try:
        path = write_deck(tmp_path / name, basic_cards(("c1", "Q?", "A")))
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    files = load_decks([str(tmp_path)])
    assert [f.path for f in files] == [str(path)]
    [report] = import_decks(store, files, TODAY)
    assert report.added == ["test-deck/c1"]
    assert store.decks.info("test-deck")["origin"] == f"{tmp_path}/bad\\xff.yaml"


@pytest.mark.parametrize("number", [
    "0x" + "f" * 4000,  # converts, but no longer prints: jsonschema's message for it raised ValueError
    "0o" + "7" * 4990,
    "9" * 4990,  # more digits than Python converts
    "-" + "9" * 400,
    "0x" + "f" * 300,  # converts and prints, but is beyond any float
])
def test_a_huge_integer_where_text_belongs_is_a_clean_problem_not_a_crash(number):
    for field in (f"title: {number}\n", f"title: [{number}]\n"):
        data = deck_text(basic_cards(("c1", "Q?", "A"))).replace(b"title: Test deck\n", field.encode())
        with pytest.raises(DeckError) as caught:
            parse_deck(data, "d.yaml")
        [line] = str(caught.value).splitlines()
        assert line.startswith("d.yaml:2:")
        assert "must be" in line and len(line) < 300
    assert yaml_data(f"x: {number}".encode()) == {"x": float("-inf") if number.startswith("-") else float("inf")}


def test_integers_keep_their_value_up_to_the_largest_float_and_leading_zeros_do_not_count():
    largest = int(sys.float_info.max)
    assert yaml_data(f"a: {largest}\nb: {largest + 1}\nc: 0x{'0' * 4000}1f\nd: -0o17\ne: 0o17".encode()) == {
        "a": largest, "b": float("inf"), "c": 31, "d": "-0o17", "e": 15,
    }
    with pytest.raises(DeckError, match=r"'answer' must be text, not a number too large to hold \(infinite\) — put it "
                                        r"in quotes: \"1e999\""):
        parse_deck(deck_text(basic_cards(("c1", "How many?", "1e999"))), "d.yaml")


def test_thousands_of_unknown_fields_are_checked_in_linear_time_and_listed_up_to_a_limit(monkeypatch):
    # Each unknown field's position used to be found by going through every field of its mapping
    # again: 32,000 of them took 18 s. Now each mapping's fields are gathered once (how long it
    # takes is for bench/, not for a test to assert).
    class Counting(weakref.WeakKeyDictionary):
        built = 0

        def __setitem__(self, key, value):
            Counting.built += 1
            super().__setitem__(key, value)

    monkeypatch.setattr(positions, "_FIELDS", Counting())
    extra = "".join(f"zz{i}: x\n" for i in range(30_000))
    with pytest.raises(DeckError) as caught:
        parse_deck(deck_text(basic_cards(("c1", "Q?", "A")), extra), "d.yaml")
    assert 1 <= Counting.built <= 5  # the deck's mapping (and the card's), not once per field
    assert len(caught.value.problems) == 30_000  # every problem is kept; only so many are printed
    lines = str(caught.value).splitlines()
    assert len(lines) == decks_module.MAX_SHOWN_PROBLEMS + 1
    assert lines[0] == ("d.yaml:4:1: unknown field 'zz0' — remove it; the deck's fields are: deck, title, description, "
                        "reminder, sources, cards")
    first_hidden = 4 + decks_module.MAX_SHOWN_PROBLEMS  # the line of the first field not listed
    assert lines[-1] == (f"d.yaml:{first_hidden}:1: {30_000 - decks_module.MAX_SHOWN_PROBLEMS:,} more problems from here "
                         "on not shown — fix the ones above, then validate the file again")
    assert all(PROBLEM_LINE.match(line) for line in lines)


def test_the_limit_on_listed_problems_is_per_file_and_each_files_count_follows_its_problems(tmp_path):
    many = "".join(f"zz{i}: x\n" for i in range(decks_module.MAX_SHOWN_PROBLEMS + 1))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_bytes(deck_text(basic_cards(("c1", "Q?", "A")), many))
    b.write_bytes(deck_text(basic_cards(("c1", "Q?", "A")), "titel: x\n").replace(b"test-deck", b"other"))
    with pytest.raises(DeckError) as caught:
        load_decks([str(a), str(b)])
    lines = str(caught.value).splitlines()
    assert lines[decks_module.MAX_SHOWN_PROBLEMS:] == [
        f"{a}:{4 + decks_module.MAX_SHOWN_PROBLEMS}:1: 1 more problem from here on not shown — fix the ones above, "
        "then validate the file again",
        f"{b}:4:1: unknown field 'titel' — did you mean 'title'?",
    ]
    assert caught.value.lines() == lines


def test_a_problem_escapes_controls_line_breaks_bidi_overrides_and_bytes_of_its_path():
    path = os.fsdecode(b"d\x1b[2J\x07\n\xe2\x80\xae\xff.yaml")  # ESC, BEL, newline, U+202E and a byte not UTF-8
    problem = decks_module.Problem(path, 1, 2, "m")
    assert str(problem) == "d\\x1b[2J\\x07\\n\\u202e\\xff.yaml:1:2: m"


def test_two_files_with_the_same_deck_id_are_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes(deck_text(basic_cards(("c1", "Q?", "A"))))
    with pytest.raises(DeckError, match=r"b\.yaml:1:7: deck id 'test-deck' is also used by .*a\.yaml"):
        load_decks([str(tmp_path)])


# ----------------------------------------------------------------------------- what a deck becomes
def test_a_cloze_card_asks_each_gap_on_its_own_with_the_other_gaps_filled_in():
    data = deck_text("  - id: sacrum\n    type: cloze\n    text: The lumbar spine sits on the {{ sacrum }}, "
                     "between the {{buttocks}}.\n    source: src\n    explanation: Why.\n")
    cards = parse_deck(data).cards
    assert [(c.id, c.gap, c.prompt, c.answer) for c in cards] == [
        ("test-deck/sacrum#sacrum", "sacrum", "The lumbar spine sits on the _____, between the buttocks.", "sacrum"),
        ("test-deck/sacrum#buttocks", "buttocks", "The lumbar spine sits on the sacrum, between the _____.", "buttocks"),
    ]
    assert {c.line for c in cards} == {7}


def test_each_card_type_becomes_the_card_the_session_asks():
    deck = parse_deck((DATA / "good" / "all-types.yaml").read_bytes(), "all-types.yaml")
    by_key = {c.key: c for c in deck.cards}
    basic, choice, truefalse = by_key["spinous-process-behind"], by_key["vertebral-body-weight"], by_key["disc-degeneration-normal"]
    assert (basic.type, basic.answer, basic.tags, basic.line) == (CardType.BASIC, "The spinous process", ("anatomy", "vertebra"), 9)
    assert choice.type is CardType.CHOICE and choice.answer in choice.choices and len(choice.choices) == 3
    assert (truefalse.type, truefalse.answer) == (CardType.TRUEFALSE, "true")
    assert truefalse.explanation == "A scan showing disc degeneration does not by itself prove that it causes the pain."
    assert deck.reminder.startswith("quiz educates") and deck.sources["wikipedia-lbp"].startswith("Wikipedia")


def test_words_that_yaml_1_1_would_turn_into_booleans_or_numbers_stay_text():
    deck = parse_deck((DATA / "good" / "text-that-looks-like-other-things.yaml").read_bytes())
    answers = {c.key: c.answer for c in deck.cards}
    assert answers["yes-is-text"] == "yes" and answers["time-is-text"] == "0:10"
    assert answers["false-statement"] == "false"


def test_a_number_where_text_belongs_is_refused_with_the_quoted_form_to_write():
    with pytest.raises(DeckError, match=r"d\.yaml:10:13: 'answer' must be text, not the number 1\.5 — put it in quotes: \"1\.5\""):
        parse_deck(deck_text(basic_cards(("c1", "How many?", "1.5"))), "d.yaml")


def test_the_pure_python_yaml_loader_gives_the_same_decks_and_positions(monkeypatch):
    fast = {p.name: _outcome(p) for p in GOOD + BAD}
    monkeypatch.setattr(positions, "_Loader", positions._deck_loader(yaml.SafeLoader))
    slow = {p.name: _outcome(p) for p in GOOD + BAD}
    assert issubclass(positions._Loader, yaml.SafeLoader)
    # libyaml and PyYAML word a few syntax errors differently; the deck or the positions must agree.
    assert {k: v[:2] for k, v in slow.items()} == {k: v[:2] for k, v in fast.items()}


def _outcome(path: Path):
    try:
        deck = parse_deck(path.read_bytes(), path.name)
    except DeckError as err:
        return ("error", [(p.line, p.column) for p in err.problems], str(err))
    return ("deck", deck, "")


# ----------------------------------------------------------------------------- the schema and the template
def test_the_shipped_schema_is_valid_for_draft_2020_12_and_for_draft_7_editors():
    jsonschema.Draft202012Validator.check_schema(deck_schema())
    # yaml-language-server implements draft 7: the schema uses only keywords that mean the same there.
    jsonschema.Draft7Validator.check_schema(deck_schema())
    data = yaml_data((DATA / "good" / "all-types.yaml").read_bytes())
    assert jsonschema.Draft7Validator(deck_schema()).is_valid(data)
    assert not jsonschema.Draft7Validator(deck_schema()).is_valid(yaml_data((DATA / "bad" / "missing-answer.yaml").read_bytes()))


def test_the_new_deck_template_validates_shows_every_card_type_and_points_editors_at_the_schema():
    text = new_deck_text("my-deck", "my-deck.yaml")
    first = text.splitlines()[0]
    assert first == f"# yaml-language-server: $schema={schema_path()}" and schema_path().is_file()
    deck = parse_deck(text.encode(), "my-deck.yaml")
    assert deck.id == "my-deck" and deck.title == "My deck"
    assert {c.type for c in deck.cards} == set(CardType)


def test_a_new_deck_with_a_digits_only_id_still_gets_a_text_id():
    assert parse_deck(new_deck_text("2026", "x.yaml").encode()).id == "2026"


@pytest.mark.parametrize("bad_id, words", [
    ("Spinal Anatomy", "e.g. 'spinal-anatomy'"),
    ("../etc/x", "deck id '../etc/x' is not valid"),
    ("a\nb: c", "is not valid"),
    ("", "'deck' is empty"),
    ("x" * 65, "too long"),
])
def test_a_bad_id_for_a_new_deck_is_refused_in_one_line(bad_id, words):
    with pytest.raises(DeckError) as caught:
        new_deck_text(bad_id, "x.yaml")
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_complete_example_in_the_format_docs_validates():
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    deck = parse_deck(example.encode(), "docs example")
    assert {c.type for c in deck.cards} == set(CardType)


# ----------------------------------------------------------------------------- importing
def write_deck(path: Path, cards: str) -> Path:
    path.write_bytes(deck_text(cards))
    return path


def import_file(store, path: Path, today=TODAY):
    return import_decks(store, load_decks([str(path)]), today)[0]


def test_reimporting_the_same_file_changes_nothing(store, tmp_path):
    path = write_deck(tmp_path / "d.yaml", basic_cards(("c1", "Q1?", "A1"), ("c2", "Q2?", "A2")))
    first = import_file(store, path)
    second = import_file(store, path)
    assert first.added == ["test-deck/c1", "test-deck/c2"]
    assert (second.added, second.changed, second.retired, second.unchanged) == ([], [], [], ["test-deck/c1", "test-deck/c2"])
    assert store.decks.hashes()["test-deck"] == load_decks([str(path)])[0].content_hash


def test_an_edited_card_keeps_its_schedule_and_is_reported_as_changed(store, tmp_path):
    path = write_deck(tmp_path / "d.yaml", basic_cards(("c1", "Q1?", "A1"), ("c2", "Q2?", "A2")))
    import_file(store, path)
    store.log.record("test-deck/c1", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                        answer_ms=1000)
    write_deck(path, basic_cards(("c1", "Which bone is it?", "A1"), ("c2", "Q2?", "A2")))
    report = import_file(store, path, TODAY + timedelta(days=1))
    assert report.changed == ["test-deck/c1"] and report.unchanged == ["test-deck/c2"]
    card = store.cards.get("test-deck/c1")
    assert card.card.prompt == "Which bone is it?"
    assert card.state.due_on == TODAY + timedelta(days=1) and card.state.sm2.repetitions == 1


def test_a_removed_card_is_retired_with_its_history_and_comes_back_with_it(store, tmp_path):
    path = write_deck(tmp_path / "d.yaml", basic_cards(("c1", "Q1?", "A1"), ("c2", "Q2?", "A2")))
    import_file(store, path)
    store.log.record("test-deck/c2", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                        answer_ms=1000)
    write_deck(path, basic_cards(("c1", "Q1?", "A1")))
    assert import_file(store, path).retired == ["test-deck/c2"]
    assert [s.total for s in store.decks.summaries(TODAY)] == [1]
    assert store.cards.due_reviews(TODAY + timedelta(days=5)) == []
    write_deck(path, basic_cards(("c1", "Q1?", "A1"), ("c2", "Q2?", "A2")))
    assert import_file(store, path).restored == ["test-deck/c2"]
    assert [d.card.id for d in store.cards.due_reviews(TODAY + timedelta(days=5))] == ["test-deck/c2"]


def test_an_import_of_several_decks_is_one_transaction(store, tmp_path, monkeypatch):
    a = write_deck(tmp_path / "a.yaml", basic_cards(("c1", "Q?", "A")))
    b = tmp_path / "b.yaml"
    b.write_bytes(deck_text(basic_cards(("c1", "Q?", "A"))).replace(b"deck: test-deck", b"deck: other-deck"))
    files = load_decks([str(a), str(b)])
    real = store.decks.sync
    calls = []

    def fail_on_second(deck, **kwargs):
        calls.append(deck.id)
        if len(calls) == 2:
            raise OSError("disk went away")
        return real(deck, **kwargs)

    monkeypatch.setattr(store.decks, "sync", fail_on_second)
    with pytest.raises(OSError):
        import_decks(store, files, TODAY)
    assert calls == ["test-deck", "other-deck"] and store.decks.ids() == []


# ----------------------------------------------------------------------------- bundled decks
@pytest.mark.parametrize("bundled", bundled_deck_files(), ids=lambda f: f.name)
def test_every_bundled_deck_is_valid(bundled):
    assert parse_deck(bundled.read_bytes(), bundled.name).cards


def test_the_bundled_decks_have_different_ids_so_none_replaces_another():
    ids = [parse_deck(f.read_bytes(), f.name).id for f in bundled_deck_files()]
    assert len(ids) == len(set(ids))


def test_the_bundled_decks_are_found_in_file_name_order():
    names = [f.name for f in bundled_deck_files()]
    assert names == sorted(names) and names and all(n.endswith(".yaml") for n in names)


def test_bundled_decks_are_imported_on_first_run_and_not_even_parsed_when_unchanged(store, monkeypatch):
    reports = sync_bundled_decks(store, TODAY)
    assert len(reports) == len(bundled_deck_files()) and all(r.added for r in reports)
    monkeypatch.setattr(decks_module, "parse_deck", lambda *a: pytest.fail("parsed an unchanged bundled deck"))
    assert sync_bundled_decks(store, TODAY) == []


@pytest.fixture
def fake_bundled(tmp_path, monkeypatch):
    folder = tmp_path / "bundled"
    folder.mkdir()
    monkeypatch.setattr(shipped_module, "bundled_deck_files", lambda: sorted(folder.glob("*.yaml")))
    return folder


def test_a_bundled_deck_that_changed_is_refreshed_and_keeps_progress(store, fake_bundled):
    path = write_deck(fake_bundled / "01-test.yaml", basic_cards(("c1", "Q1?", "A1")))
    sync_bundled_decks(store, TODAY)
    store.log.record("test-deck/c1", Grade.PERFECT, kind=ReviewKind.REVIEW, reviewed_at=NOW, study_day=TODAY,
                        answer_ms=1000)
    write_deck(path, basic_cards(("c1", "Q1, reworded?", "A1"), ("c2", "Q2?", "A2")))
    [report] = sync_bundled_decks(store, TODAY)
    assert (report.changed, report.added) == (["test-deck/c1"], ["test-deck/c2"])
    assert store.cards.get("test-deck/c1").state.sm2.repetitions == 1
    assert store.decks.info("test-deck")["origin"] == "bundled:01-test.yaml"


def test_a_users_own_import_over_a_bundled_deck_stays_until_the_bundled_file_changes(store, fake_bundled, tmp_path):
    bundled = write_deck(fake_bundled / "01-test.yaml", basic_cards(("c1", "Q1?", "A1")))
    sync_bundled_decks(store, TODAY)
    mine = write_deck(tmp_path / "mine.yaml", basic_cards(("c1", "My own wording?", "A1")))
    import_file(store, mine)
    assert sync_bundled_decks(store, TODAY) == []
    assert store.cards.get("test-deck/c1").card.prompt == "My own wording?"
    write_deck(bundled, basic_cards(("c1", "Q1, new edition?", "A1")))
    sync_bundled_decks(store, TODAY)
    assert store.cards.get("test-deck/c1").card.prompt == "Q1, new edition?"


def test_an_invalid_bundled_deck_is_a_deck_error_naming_the_file_and_imports_nothing(store, fake_bundled):
    write_deck(fake_bundled / "01-good.yaml", basic_cards(("c1", "Q1?", "A1")))
    (fake_bundled / "02-bad.yaml").write_bytes(deck_text(basic_cards(("c1", "Q1?", "A1"))).replace(b"answer:", b"anwser:"))
    with pytest.raises(DeckError, match=r"02-bad\.yaml:10:5: unknown field 'anwser'.*a bug in quiz"):
        sync_bundled_decks(store, TODAY)
    assert store.decks.ids() == []


def test_a_refresh_of_a_database_with_decks_calls_before_change_once_first(store, fake_bundled):
    path = write_deck(fake_bundled / "01-test.yaml", basic_cards(("c1", "Q1?", "A1")))
    calls = []

    def before_change():  # what a backup would capture: the deck as it was
        calls.append(store.cards.get("test-deck/c2"))

    sync_bundled_decks(store, TODAY, before_change=before_change)
    sync_bundled_decks(store, TODAY, before_change=before_change)
    assert calls == []  # first run (nothing to protect yet), then nothing changed
    write_deck(path, basic_cards(("c1", "Q1?", "A1"), ("c2", "Q2?", "A2")))
    sync_bundled_decks(store, TODAY, before_change=before_change)
    assert calls == [None] and store.cards.get("test-deck/c2") is not None
