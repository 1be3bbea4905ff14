"""Limits on a deck: hostile files within the size limit end in one clean line, under a 1.5 GiB memory cap."""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.decks import MAX_DECK_BYTES, DeckError, deck_schema, parse_deck, yaml_data
from quiz.decks import limits as deck_limits
from quiz.decks.schema import MAX_SCHEMA_ERRORS

MEMORY_CAP = 3 * 2**29  # 1.5 GiB of address space for the whole `quiz` process
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+")
HEAD = "deck: hostile\ntitle: Hostile\ndescription: A hostile deck.\nsources:\n  src: A source.\ncards:\n"
CARD = "  - id: c{n}\n    type: basic\n    question: Q{n}?\n    answer: A\n    source: src\n    explanation: Why.\n"


def _fill(unit: str, head: str = HEAD, tail: str = "") -> str:
    """`head`, then `unit` repeated to fill the file to the size limit, then `tail`."""
    return head + unit * ((MAX_DECK_BYTES - len(head) - len(tail)) // len(unit)) + tail


def run_capped(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m quiz ARGS` in a real process limited to MEMORY_CAP of memory."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run([sys.executable, "-m", "quiz", *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=cap)


def gaps(n: int) -> str:
    return " ".join(f"{{{{g{i}}}}}" for i in range(n))


HOSTILE = {
    # name: (text of the file, (line, column) of the one problem, words of its message)
    "4 MiB of empty cards": (_fill("- {}\n"), (HEAD.count("\n") + 10_001, 3), "more than 10,000 cards"),
    "250 KB of empty cards": (HEAD + "- {}\n" * 50_000, (HEAD.count("\n") + 10_001, 3), "more than 10,000 cards"),
    "200,000 empty cards": (HEAD + "- {}\n" * 200_000, (HEAD.count("\n") + 10_001, 3), "more than 10,000 cards"),
    "one cloze card with 20,000 gaps": (
        HEAD + f'  - id: c\n    type: cloze\n    text: "{gaps(20_000)}"\n    source: src\n    explanation: Why.\n',
        (9, 11), "at most 20 gaps"),
    "a cloze card with 21 short gaps": (
        HEAD + f"  - id: c\n    type: cloze\n    text: \"{gaps(21)}\"\n    source: src\n    explanation: Why.\n",
        (9, 11), "at most 20 gaps"),
    "a field of 4 MiB": (_fill("a", HEAD + "  - id: c\n    type: basic\n    question: ", "\n"), (9, 15),
                         "a field holds at most 5,000"),
    "a list of 2 million one-letter items": (_fill("a,", HEAD + "  - id: c\n    tags: [", "a]\n"), (8, None),
                                             "more than 400,000 values"),
    "a mapping of a million fields": (_fill("a: ,", HEAD + "  - {", "b: }\n"), (7, None),
                                      "more than 400,000 values"),
    "lists nested 2 million deep": (_fill("[", HEAD + "  - "), None, "YAML syntax error"),
    "lists nested 21 deep (the deck and its cards count)": (HEAD + "  - " + "[" * 21 + "]" * 21 + "\n", (7, 23), "nested far too deeply"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_deck_within_the_size_limit_is_one_clean_line_under_a_memory_cap(tmp_path, name):
    text, where, words = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size <= MAX_DECK_BYTES
    result = run_capped("decks", "validate", str(path))
    assert "Traceback" not in result.stderr and "Error" not in result.stderr.split(":", 1)[0], result.stderr[-2000:]
    assert result.returncode == 1 and result.stdout == ""
    problem, summary = result.stderr.splitlines()
    assert PROBLEM_LINE.match(problem) and words in problem, problem[:500]
    if where is not None:
        line, column = where
        assert problem.startswith(f"{path}:{line}:{column if column else ''}"), problem[:300]
    assert summary == "quiz: 1 problem in 1 file"


def test_a_card_with_a_million_choices_is_refused_at_its_seventh_choice_under_a_memory_cap(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(_fill("a,", HEAD + "  - id: c\n    type: choice\n    choices: [", "a]\n"), encoding="utf-8")
    result = run_capped("--db", str(tmp_path / "q.db"), "decks", "import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}:9:27: a choice card has at most 6 choices; this is choice 7 — remove some"
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]) and "nothing was imported" in lines[-1]
    assert not (tmp_path / "q.db").exists()


def test_ten_thousand_empty_cards_list_their_problems_cleanly_and_quickly_under_a_memory_cap(tmp_path):
    # Within every limit, yet each card lacks its fields: the schema's errors are counted up to a limit.
    path = tmp_path / "empty.yaml"
    path.write_text(HEAD + "- {}\n" * deck_limits.MAX_CARDS, encoding="utf-8")
    result = run_capped("decks", "validate", str(path), timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{path}: the check stopped after {MAX_SCHEMA_ERRORS:,} errors against the deck schema; there "
                        "are more — fix the ones listed, then validate again")
    assert all(PROBLEM_LINE.match(line) for line in lines[1:-1])
    assert re.fullmatch(r"quiz: [\d,]+ problems in 1 file", lines[-1])


def test_a_deck_of_exactly_the_most_cards_validates():
    text = HEAD + "".join(CARD.format(n=n) for n in range(deck_limits.MAX_CARDS))
    assert len(parse_deck(text.encode(), "d.yaml").cards) == deck_limits.MAX_CARDS
    with pytest.raises(DeckError, match=r"^d\.yaml:\d+:5: the deck has more than 10,000 cards"):
        parse_deck((text + CARD.format(n="last")).encode(), "d.yaml")


def test_a_cloze_card_of_exactly_the_most_gaps_and_a_field_of_exactly_the_most_characters_validate():
    most = HEAD + f"  - id: c\n    type: cloze\n    text: \"{gaps(deck_limits.MAX_GAPS)}\"\n    source: src\n" \
                  f"    explanation: {'w' * deck_limits.MAX_FIELD_CHARS}\n"
    assert len(parse_deck(most.encode()).cards) == deck_limits.MAX_GAPS
    with pytest.raises(DeckError, match=r"d\.yaml:11:18: this value is 5,001 characters long; a field holds at most 5,000"):
        parse_deck(most.replace("explanation: ", "explanation: w").encode(), "d.yaml")


def test_the_schema_states_the_same_limits_for_editors():
    schema = deck_schema()
    defs = schema["$defs"]
    assert defs["text"]["maxLength"] == deck_limits.MAX_FIELD_CHARS
    assert defs["card"]["properties"]["choices"]["maxItems"] == deck_limits.MAX_CHOICES
    assert f"{{1,{deck_limits.MAX_GAPS}}}$" in defs["card"]["properties"]["text"]["pattern"]
    assert json.dumps(schema)  # still plain JSON


def test_yaml_data_applies_the_limits_too():
    # Tools that only want the data (a schema check in an editor plugin, tests) get the same bounds.
    with pytest.raises(DeckError, match="more than 10,000 cards"):
        yaml_data((HEAD + "- {}\n" * (deck_limits.MAX_CARDS + 1)).encode())


def test_limits_are_counted_without_building_the_document(monkeypatch):
    # The count is what protects memory: a file over a limit is never composed into nodes.
    from quiz.decks import positions

    monkeypatch.setattr(positions, "_compose", lambda *a: pytest.fail("composed a file over a limit"))
    with pytest.raises(DeckError, match="more than 10,000 cards"):
        parse_deck((HEAD + "- {}\n" * (deck_limits.MAX_CARDS + 1)).encode())


def test_a_repo_fixture_is_no_huge_file():
    data = Path(__file__).parent / "data"
    assert max(p.stat().st_size for p in data.rglob("*") if p.is_file()) < 100_000
