"""Mutated decks are valid, or a clean DeckError with file:line:col on every line — never anything else."""
from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import jsonschema_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.decks import DeckError, deck_schema, parse_deck, yaml_data
from quiz.decks.gaps import gap_identity
from quiz.models import CardType, Deck

DATA = Path(__file__).parent / "data" / "decks"
SEEDS = [p.read_bytes() for p in sorted((DATA / "good").glob("*.yaml"))] + [
    p.read_bytes() for p in sorted((DATA / "bad").glob("*.yaml"))
    if p.name in ("unknown-field-typo.yaml", "duplicate-card-id.yaml", "choices-too-few.yaml")
]
FIELDS = ["deck", "title", "description", "reminder", "sources", "cards", "id", "type", "question", "answer",
          "choices", "text", "source", "explanation", "tags", "previous_ids", "anwser", "<<", "? x", "- y"]
VALUES = ["", "~", "12", "1.5", "true", "no", "0:30", "[a, b]", "{a: b}", "'quoted'", '"\\e[31m"', "&a x", "*a",
          "!!python/name:os.system", "|", ">-", "{{gap}}", "{{}}", "- item", "2026-03-02", "0x1F", ".nan", '"\\ud800"',
          '"\\u202e"', '"\\u200b"', "{{\u200d}}", "[old-id]", "[spinous-process-behind]", "cafe\u0301"]
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+")
YAMLISH = st.text(alphabet=st.sampled_from(list("ab :-{}[]&*!|>'\"#\t\n,?%@`\\") + ["\u00e9", "\u2028", "\x00"]),
                  max_size=12)


@st.composite
def mutated(draw) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    return data


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(draw, data):
    lines = _lines(data)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


def duplicate_line(draw, data):  # often a duplicate key
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def swap_lines(draw, data):
    lines = _lines(data)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reindent_line(draw, data):
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = b" " * draw(st.integers(0, 8)) + lines[i].lstrip(b" ")
    return b"\n".join(lines)


def insert_text(draw, data):
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(YAMLISH).encode("utf-8") + data[at:]


def insert_bytes(draw, data):
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]


def truncate(draw, data):
    return data[: draw(st.integers(0, len(data)))]


def rename_field(draw, data):
    fields = re.findall(rb"(?m)^\s*-?\s*([a-z]+):", data)
    if not fields:
        return data
    old = draw(st.sampled_from(fields))
    return data.replace(old + b":", draw(st.sampled_from(FIELDS)).encode() + b":", 1)


def retype_value(draw, data):
    spots = [m.end() for m in re.finditer(rb": ", data)]
    if not spots:
        return data
    at = draw(st.sampled_from(spots))
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end
    return data[:at] + draw(st.sampled_from(VALUES)).encode() + data[end:]


MUTATIONS = [delete_line, duplicate_line, swap_lines, reindent_line, insert_text, insert_bytes, truncate,
             rename_field, retype_value]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_deck_loads_or_fails_with_a_clean_positioned_error(data):
    try:
        deck = parse_deck(data, "mutant.yaml")
    except DeckError as err:
        lines = str(err).splitlines()
        assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines
        assert all(line.startswith("mutant.yaml:") for line in lines)
        return
    assert isinstance(deck, Deck) and deck.cards
    for card in deck.cards:
        assert card.prompt and card.answer and card.explanation and card.source in deck.sources
        assert card.id.startswith(f"{deck.id}/")
        if card.type is CardType.CHOICE:
            assert card.answer in card.choices and 2 <= len(card.choices) <= 6
        if card.type is CardType.TRUEFALSE:
            assert card.answer in ("true", "false")
        if card.type is CardType.CLOZE:
            assert "_____" in card.prompt and card.gap == gap_identity(card.answer)
    assert len({card.id for card in deck.cards}) == len(deck.cards)  # no two questions share an id


REFERENCE = jsonschema.Draft202012Validator(deck_schema())
FAST = jsonschema_rs.validator_for(deck_schema())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_fast_schema_check_and_the_reference_one_agree_on_mutated_decks(data):
    try:
        value = yaml_data(data, "mutant.yaml")
    except DeckError:
        return
    assert FAST.is_valid(value) == REFERENCE.is_valid(value)


NUMBERS = st.builds(
    lambda form, digits, sign: form[0] + (sign if form[0] == "" else "") + form[1] * digits,
    st.sampled_from([("", "9"), ("0x", "f"), ("0o", "7"), ("0x", "0"), ("", "0")]),
    st.integers(1, 6000),
    st.sampled_from(["", "-", "+"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS[:1]), NUMBERS, st.data())
def test_an_integer_of_any_length_anywhere_is_a_value_or_a_clean_positioned_error(seed, number, data):
    # Python refuses to write out an integer of more than 4300 decimal digits (ValueError), which once
    # escaped from jsonschema's error message for a long 0x... title.
    spots = [m.end() for m in re.finditer(rb": |- ", seed)]
    at = data.draw(st.sampled_from(spots))
    end = seed.find(b"\n", at)
    mutant = seed[:at] + number.encode() + seed[end:]
    try:
        parse_deck(mutant, "mutant.yaml")
    except DeckError as err:
        lines = str(err).splitlines()
        assert lines and all(PROBLEM_LINE.match(line) and len(line) < 400 for line in lines), lines
