"""Renames that keep progress: previous_ids, gaps known by their words, and databases with numbered gaps."""
from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from conftest import NOW, TODAY

from quiz.cli import main
from quiz.decks import import_decks, load_decks, parse_deck
from quiz.decks.gaps import gap_identity
from quiz.models import Card, CardType, Deck, ReviewKind
from quiz.sm2 import Grade

HEAD = "deck: d\ntitle: T\ndescription: D.\nsources:\n  src: A source.\ncards:\n"


def basic(key: str, question: str, extra: str = "") -> str:
    return f"  - id: {key}\n    type: basic\n{extra}    question: {question}\n    answer: A\n    source: src\n" \
           "    explanation: Why.\n"


def cloze(key: str, text: str, extra: str = "") -> str:
    return f'  - id: {key}\n    type: cloze\n{extra}    text: "{text}"\n    source: src\n    explanation: Why.\n'


def import_text(store, tmp_path, cards: str, today=TODAY):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + cards, encoding="utf-8")
    return import_decks(store, load_decks([str(path)]), today)[0]


def answer(store, card_id: str, grade=Grade.PERFECT, day=TODAY) -> None:
    store.log.record(card_id, grade, kind=ReviewKind.REVIEW, reviewed_at=NOW + (day - TODAY), study_day=day,
                     answer_ms=1000)


def history(store, card_id: str) -> tuple:
    """(repetitions, due date, number of review log lines) of a card."""
    state = store.cards.get(card_id).state
    lines = store.conn.execute("SELECT COUNT(*) FROM reviews WHERE card_id = ?", (card_id,)).fetchone()[0]
    return state.sm2.repetitions, state.due_on, lines


def ids_in_store(store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT id FROM cards")}


# ----------------------------------------------------------------------------- previous_ids
def test_a_renamed_card_that_names_its_previous_id_keeps_its_schedule_and_review_log(store, tmp_path):
    import_text(store, tmp_path, basic("disc-old", "Q?") + basic("other", "Q2?"))
    answer(store, "d/disc-old")
    answer(store, "d/disc-old", day=TODAY + timedelta(days=1))
    before = history(store, "d/disc-old")
    report = import_text(store, tmp_path, basic("disc-new", "Q?", "    previous_ids: [disc-old]\n") + basic("other", "Q2?"))
    assert report.renamed == [("d/disc-old", "d/disc-new")]
    assert (report.added, report.retired) == ([], [])
    assert history(store, "d/disc-new") == before == (2, before[1], 2)
    assert "d/disc-old" not in ids_in_store(store) and store.cards.get("d/disc-old") is None
    assert store.checks.foreign_key_problems() == [] and store.checks.consistency_problems() == []
    # Importing the same file again changes nothing.
    again = import_text(store, tmp_path, basic("disc-new", "Q?", "    previous_ids: [disc-old]\n") + basic("other", "Q2?"))
    assert (again.renamed, again.added, again.unchanged) == ([], [], ["d/disc-new", "d/other"])


def test_without_previous_ids_a_rename_is_flagged_and_previous_ids_added_later_still_bring_the_history(store, tmp_path):
    import_text(store, tmp_path, basic("disc-old", "Is the disc a cushion?"))
    answer(store, "d/disc-old")
    report = import_text(store, tmp_path, basic("disc-new", "Is the disc a cushion?"))
    assert report.suspected_renames == [("disc-old", "disc-new")]
    assert (report.added, report.retired) == (["d/disc-new"], ["d/disc-old"])
    assert history(store, "d/disc-new")[0] == 0  # restarted, as the warning says
    fixed = import_text(store, tmp_path, basic("disc-new", "Is the disc a cushion?", "    previous_ids: [disc-old]\n"))
    assert fixed.renamed == [("d/disc-old", "d/disc-new")]
    assert history(store, "d/disc-new")[0] == 1 and store.cards.get("d/disc-old") is None


def test_a_card_with_a_history_of_its_own_never_takes_another(store, tmp_path):
    import_text(store, tmp_path, basic("a", "Qa?") + basic("b", "Qb?"))
    answer(store, "d/a")
    answer(store, "d/b", grade=Grade.NO_IDEA)
    report = import_text(store, tmp_path, basic("b", "Qb?", "    previous_ids: [a]\n"))
    assert report.renamed == [] and report.retired == ["d/a"]
    assert store.cards.get("d/b").state.sm2.repetitions == 0  # its own failed answer, not a's


def test_a_rename_is_part_of_the_import_transaction(store, tmp_path, monkeypatch):
    import_text(store, tmp_path, basic("old", "Q?"))
    answer(store, "d/old")
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + basic("new", "Q?", "    previous_ids: [old]\n"), encoding="utf-8")
    other = tmp_path / "e.yaml"
    other.write_text((HEAD + basic("x", "Q?")).replace("deck: d", "deck: e"), encoding="utf-8")
    files = load_decks([str(path), str(other)])
    real = store.decks.sync

    def fail_on_second(deck, **kwargs):
        if deck.id == "e":
            raise OSError("disk went away")
        return real(deck, **kwargs)

    monkeypatch.setattr(store.decks, "sync", fail_on_second)
    with pytest.raises(OSError):
        import_decks(store, files, TODAY)
    assert history(store, "d/old")[0] == 1 and store.cards.get("d/new") is None


def test_a_renamed_cloze_card_brings_each_gap_history(store, tmp_path):
    import_text(store, tmp_path, cloze("old", "The {{sacrum}} meets the {{pelvis}}."))
    answer(store, "d/old#sacrum")
    report = import_text(store, tmp_path, cloze("new", "The {{sacrum}} meets the {{pelvis}}.", "    previous_ids: [old]\n"))
    assert sorted(report.renamed) == [("d/old#pelvis", "d/new#pelvis"), ("d/old#sacrum", "d/new#sacrum")]
    assert history(store, "d/new#sacrum")[0] == 1 and history(store, "d/new#pelvis")[0] == 0


# ----------------------------------------------------------------------------- gaps known by their words
def test_reordering_the_gaps_of_a_cloze_card_keeps_each_gaps_own_history(store, tmp_path):
    import_text(store, tmp_path, cloze("c", "The {{sacrum}} meets the {{sacroiliac joints}}."))
    answer(store, "d/c#sacrum")
    answer(store, "d/c#sacroiliac-joints", grade=Grade.NO_IDEA)
    report = import_text(store, tmp_path, cloze("c", "At the {{sacroiliac joints}} the pelvis meets the {{sacrum}}."))
    assert sorted(report.changed) == ["d/c#sacroiliac-joints", "d/c#sacrum"] and report.added == []
    assert store.cards.get("d/c#sacrum").state.sm2.repetitions == 1
    assert store.cards.get("d/c#sacroiliac-joints").state.sm2.easiness_centi < 250  # its failed answer
    assert store.cards.get("d/c#sacrum").card.prompt == "At the sacroiliac joints the pelvis meets the _____."


@pytest.mark.parametrize("words, identity", [
    ("sacrum", "sacrum"), ("Sacroiliac  Joints", "sacroiliac-joints"), ("L5/S1", "l5-s1"), ("café", "café"),
    ("5", "n5"), ("1e5", "n1e5"), ("1e-5", "n1e-5"), ("3 vertebrae", "3-vertebrae"), ("—", None), ("x" * 80, None),
])
def test_a_gap_is_known_by_a_slug_of_its_words_that_never_reads_as_a_number(words, identity):
    got = gap_identity(words)
    if identity is not None:
        assert got == identity
    assert got and len(got) <= 40 and got == gap_identity(words.upper() + " ") == gap_identity(f"\u200b{words}")


def test_gap_ids_read_back_from_the_database_as_they_were_written(store, tmp_path):
    # SQLite keeps text that looks like a number as a number in the integer `gap` column.
    text = "{{5}} {{1e5}} {{1e-5}} {{0x1F}} {{12.5}} {{—}} {{-7}} {{+8}}"
    import_text(store, tmp_path, cloze("c", text))
    deck = parse_deck((HEAD + cloze("c", text)).encode())
    assert len(deck.cards) == 8
    for card in deck.cards:
        assert store.cards.get(card.id).card.id == card.id


# ----------------------------------------------------------------------------- databases with numbered gaps
def _numbered_gap_database(store, texts: list[tuple[str, str]]) -> None:
    """What quiz before 0.2 stored for one cloze card `c` of deck `d`: gaps numbered from 1."""
    cards = tuple(Card("d", "c", CardType.CLOZE, prompt, answer, "Why.", "src", gap=n)
                  for n, (prompt, answer) in enumerate(texts, start=1))
    store.decks.sync(Deck("d", "T", "D.", {"src": "A source."}, cards), today=TODAY)


def test_a_database_with_numbered_gaps_keeps_each_gaps_history_on_the_next_import(store, tmp_path):
    _numbered_gap_database(store, [("The _____ meets the pelvis.", "sacrum"), ("The sacrum meets the _____.", "pelvis")])
    answer(store, "d/c#1")
    answer(store, "d/c#2", grade=Grade.NO_IDEA)
    before = {"sacrum": history(store, "d/c#1"), "pelvis": history(store, "d/c#2")}
    # The next version of the deck also swaps the gaps: their words, not their places, carry the history.
    report = import_text(store, tmp_path, cloze("c", "The {{pelvis}} meets the {{sacrum}}."))
    assert sorted(report.gaps_named) == [("d/c#1", "d/c#sacrum"), ("d/c#2", "d/c#pelvis")]
    assert (report.added, report.retired, report.renamed) == ([], [], [])
    assert history(store, "d/c#sacrum") == before["sacrum"] and history(store, "d/c#pelvis") == before["pelvis"]
    assert store.cards.get("d/c#pelvis").state.sm2.easiness_centi < 250  # its failed answer
    assert ids_in_store(store) == {"d/c#sacrum", "d/c#pelvis"}
    assert store.checks.foreign_key_problems() == [] and store.checks.consistency_problems() == []
    again = import_text(store, tmp_path, cloze("c", "The {{pelvis}} meets the {{sacrum}}."))
    assert (again.gaps_named, again.added, again.changed) == ([], [], [])


def test_a_numbered_gap_whose_words_changed_is_retired_and_the_new_words_start_afresh(store, tmp_path):
    _numbered_gap_database(store, [("The _____ meets the pelvis.", "sacrum"), ("The sacrum meets the _____.", "pelvis")])
    answer(store, "d/c#2")
    report = import_text(store, tmp_path, cloze("c", "The {{sacrum}} meets the {{hip bones}}."))
    assert report.gaps_named == [("d/c#1", "d/c#sacrum")]
    assert (report.added, report.retired) == (["d/c#hip-bones"], ["d/c#2"])


def test_a_database_with_numbered_gaps_still_works_until_the_deck_is_imported_again(store):
    _numbered_gap_database(store, [("The _____ meets the pelvis.", "sacrum")])
    answer(store, "d/c#1")
    assert store.cards.get("d/c#1").card.id == "d/c#1"


# ----------------------------------------------------------------------------- what the author sees
def quiz(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "--now", "2026-03-02T09:30:00+01:00", *args])


def test_import_says_which_cards_were_renamed_and_asks_about_a_likely_rename(db_path, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + basic("a", "Qa?") + basic("b", "Qb?"), encoding="utf-8")
    assert quiz(db_path, "decks", "import", str(path)).exit_code == 0
    path.write_text(HEAD + basic("a2", "Qa?", "    previous_ids: [a]\n") + basic("b2", "Qb?"), encoding="utf-8")
    result = quiz(db_path, "decks", "import", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("1 added, 0 changed, 1 retired, 0 restored, 0 unchanged, 1 renamed")
    assert "  renamed, progress kept: a → a2" in lines
    assert ("  did you rename b to b2? add `previous_ids: [b]` to card b2 and import again to keep its progress"
            in lines)
