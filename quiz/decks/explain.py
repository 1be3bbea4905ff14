"""A schema error of a deck turned into messages a deck author can act on, with "did you mean" where it helps."""
from __future__ import annotations

import difflib
import json
import re
from typing import TYPE_CHECKING, Any

import yaml

from quiz.decks.gaps import CLOZE_GAP
from quiz.decks.positions import BIDI_MESSAGE, key_mark, node_at, text_mark, value_mark
from quiz.decks.problems import kind_of, shorten
from quiz.models import CardType
from quiz.text import BIDI_CONTROL, CONTROL, INVISIBLE, char_name

if TYPE_CHECKING:  # pragma: no cover
    from jsonschema import ValidationError

CARD_TYPES = tuple(t.value for t in CardType)
_DECK_FIELDS = ("deck", "title", "description", "reminder", "sources", "cards")
_CARD_FIELDS = ("id", "type", "question", "answer", "choices", "text", "source", "explanation", "tags", "previous_ids")
_WHAT = {
    "deck": "the deck's id, e.g. spinal-anatomy",
    "title": "the deck's name",
    "description": "one line saying what the deck teaches",
    "reminder": "the reminder, or remove the line",
    "question": "the question",
    "answer": "the answer",
    "explanation": "why this matters (shown after the answer)",
    "source": "the id of one of the deck's sources",
    "text": "the sentence, with {{gaps}}",
    "id": "a stable id such as spinous-process",
    "type": "basic, choice, truefalse or cloze",
    "choices": "the choices",
    "tags": "the tags",
    "previous_ids": "the ids this card had before, e.g. [old-id]",
    "cards": "the cards",
    "sources": "the sources as `id: full citation`",
}
# What people call the card types elsewhere (Anki, quiz tools), so a guess can be offered.
_TYPE_SYNONYMS = {
    "multiple": "choice", "multiplechoice": "choice", "mcq": "choice", "mc": "choice", "choices": "choice",
    "tf": "truefalse", "boolean": "truefalse", "bool": "truefalse", "yesno": "truefalse",
    "gap": "cloze", "gaps": "cloze", "fillin": "cloze", "fillintheblank": "cloze", "blank": "cloze",
    "qa": "basic", "question": "basic", "simple": "basic", "text": "basic", "open": "basic",
}


def _card_label(card: Any) -> str:
    if isinstance(card, dict) and isinstance(card.get("id"), str) and card["id"]:
        return f"card '{shorten(card['id'])}'"
    return "this card"


def explain(err: ValidationError, root: yaml.Node, data: dict) -> list[tuple[tuple[int, int], str]]:
    """Turn one jsonschema error of `data` (composed from `root`) into (position, message) pairs a deck
    author can act on."""
    path = list(err.absolute_path)
    keyword = err.validator
    value = err.instance
    names = [p for p in path if isinstance(p, str)]
    field = names[-1] if names else "deck"
    item = path[-1] + 1 if path and isinstance(path[-1], int) else None
    in_card = len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int)
    card = data["cards"][path[1]] if in_card else None
    card_type = card.get("type") if isinstance(card, dict) else None
    here = value_mark(root, path)
    schema_path = list(err.schema_path)

    if "propertyNames" in schema_path:  # a source id: point at the key itself
        where = key_mark(root, path, value) if isinstance(value, str) else here
        if keyword == "maxLength":
            return [(where, f"source id '{shorten(value, 40)}' is too long (at most {err.validator_value} characters)")]
        return [(where, f"source id '{shorten(value)}' must be one word without spaces, e.g. '{shorten(_slug(value, '-')) or 'who-2023'}'")]

    if keyword == "required":
        out = []
        for name in err.validator_value:
            if isinstance(value, dict) and name not in value:
                out.append((value_mark(root, path), _missing(name, value, path, data)))
        return out

    if keyword == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        out = []
        for name in value:
            if name not in known:
                out.append((key_mark(root, path, name), _unknown_field(name, known, in_card)))
        return out

    if keyword == "not" and err.validator_value == {}:
        return [(key_mark(root, path[:-1], field), _wrong_for_type(field, card_type))]

    if keyword == "type":
        return [(here, _wrong_type(field, item, value, err.validator_value, root, path, card_type))]

    if field in ("deck", "id") and not item and keyword in ("pattern", "not", "minLength"):
        return [(here, _bad_id(field, value))]

    if field == "previous_ids" and item and keyword in ("pattern", "not", "minLength", "maxLength"):
        return [(here, f"previous id {item} '{shorten(value)}' is not a card id: card ids use lowercase letters, "
                       "digits, - and _, start with a letter or digit and have at most 100 characters")]

    if field == "previous_ids" and keyword in ("minItems", "uniqueItems"):
        return [(here, "'previous_ids' lists each earlier id of this card once, e.g. previous_ids: [old-id] — "
                       "remove the repeated or empty list")]

    if keyword == "not":  # the control-character rule of the text type, or a source id with a space
        if field == "source":
            return [(here, f"source '{shorten(value)}' must be one word without spaces — the id of one of the deck's sources")]
        bidi = BIDI_CONTROL.search(value) if isinstance(value, str) else None
        if bidi:  # written as an escape in quotes (the character itself is refused before the YAML is read)
            return [(text_mark(root, path, bidi.start()), BIDI_MESSAGE.format(char=char_name(bidi.group())))]
        bad = CONTROL.search(value) if isinstance(value, str) else None
        code = f"U+{ord(bad.group()):04X}" if bad else "a control character"
        label = f"item {item} of '{field}'" if item else f"'{field}'"
        return [(here, f"{label} contains {code}, a control character that can garble the screen — remove it "
                       "(look for an escape such as \\e or \\x1b in double quotes)")]

    if keyword in ("pattern", "minLength"):
        if field == "text" and in_card and isinstance(value, str) and value.strip():
            hidden = next((g for g in CLOZE_GAP.finditer(value) if g.group(1).strip() and _looks_empty(g.group(1))), None)
            if hidden:  # a gap that shows nothing: point at its first invisible character
                first = INVISIBLE.search(value, hidden.start(1))
                assert first is not None
                return [(text_mark(root, path, first.start()),
                         f"a cloze gap looks empty: it holds only invisible characters such as {char_name(first.group())} "
                         "— write the hidden words inside the {{ }}")]
            return [(here, _cloze_problem(value))]
        if isinstance(value, str) and value.strip() and _looks_empty(value):
            first = INVISIBLE.search(value)
            assert first is not None
            what = f"{ {'choices': 'choice', 'tags': 'tag'}.get(field, 'item')} {item}" if item else f"'{field}'"
            return [(text_mark(root, path, first.start()),
                     f"{what} looks empty: it holds only invisible characters such as {char_name(first.group())} — "
                     + ("write it, or remove it" if item else f"write {_WHAT.get(field, 'it')}"))]
        if item:
            what = {"choices": "choice", "tags": "tag"}.get(field, "item")
            return [(here, f"{what} {item} is blank — write it or remove the line")]
        return [(here, f"'{field}' is blank — write {_WHAT.get(field, 'a value')}")]

    if keyword == "enum":
        if isinstance(value, str):
            guess = _TYPE_SYNONYMS.get(re.sub(r"[^a-z]", "", value.lower()))
            guess = guess or next(iter(difflib.get_close_matches(value.lower(), CARD_TYPES, n=1, cutoff=0.5)), None)
            if guess:
                return [(here, f"unknown card type '{shorten(value)}' — did you mean '{guess}'? (the types are "
                               f"{', '.join(CARD_TYPES)})")]
            return [(here, f"unknown card type '{shorten(value)}' — use one of: {', '.join(CARD_TYPES)}")]
        return [(here, f"'type' must be one of {', '.join(CARD_TYPES)}, not {kind_of(value)}")]

    if keyword == "minItems":
        if field == "cards":
            return [(here, "'cards' is empty — add at least one card (each starts with `- id: ...`)")]
        return [(here, f"a choice card needs at least 2 choices; {_card_label(card)} has {len(value)}")]

    if keyword == "maxItems":
        return [(here, f"a choice card has at most 6 choices; {_card_label(card)} has {len(value)} — remove some")]

    if keyword == "uniqueItems":
        seen: set = set()
        for i, choice in enumerate(value):
            key = json.dumps(choice, sort_keys=True, default=str)
            if key in seen:
                return [(value_mark(root, path + [i]), f"choice '{shorten(choice)}' is listed twice — every choice must differ")]
            seen.add(key)
        return [(here, "the choices must all differ")]

    if keyword == "minProperties":
        return [(here, "'sources' is empty — add at least one source as `id: full citation`")]

    if keyword == "maxLength":
        return [(here, f"'{field}' is too long ({len(value)} characters; at most {err.validator_value}) — shorten it")]

    return [(here, f"'{field}': {err.message}")]  # pragma: no cover - a keyword our schema does not use


def _missing(name: str, mapping: dict, path: list, data: dict) -> str:
    if not path:
        return {
            "deck": "the deck has no 'deck' id: add `deck: your-deck-id` (lowercase letters, digits and hyphens)",
            "title": "the deck has no 'title': add `title: ...`, the deck's name as people see it",
            "description": "the deck has no 'description': add `description: ...`, one line saying what it teaches",
            "sources": "the deck has no 'sources': add `sources:` with at least one `id: full citation` under it",
            "cards": "the deck has no 'cards': add `cards:` with a list of cards, each starting with `- id: ...`",
        }.get(name, f"the deck has no '{name}'")
    label = _card_label(mapping)
    kind = mapping.get("type")
    if name == "id":
        return ("this card has no 'id': add `id: ...`, a stable id (lowercase letters, digits, - and _) that keeps "
                "the card's history when you edit its text")
    if name == "type":
        return f"{label} has no 'type': add `type: basic` (or choice, truefalse, cloze)"
    if name == "source":
        sources = data.get("sources")
        ids = ", ".join(sources) if isinstance(sources, dict) and sources else "defined under sources:"
        return f"{label} has no 'source': add `source: ID` naming one of the deck's sources ({ids})"
    if name == "explanation":
        return f"{label} has no 'explanation': add `explanation: ...` saying why this matters (shown after the answer)"
    if name == "question":
        what = "a statement that is true or false" if kind == "truefalse" else "the question"
        return f"{label} is a {kind} card and needs a 'question': add `question: ...` ({what})"
    if name == "answer":
        what = {
            "choice": "`answer: ...`, the exact text of the right choice",
            "truefalse": "`answer: true` or `answer: false`",
        }.get(str(kind), "`answer: ...`")
        return f"{label} is a {kind} card and needs an 'answer': add {what}"
    if name == "choices":
        return f"{label} is a choice card and needs 'choices': a list of 2 to 6 options, e.g. choices: [first, second]"
    if name == "text":
        return f"{label} is a cloze card and needs 'text': a sentence with gaps written {{{{like this}}}}"
    return f"{label} has no '{name}'"  # pragma: no cover - every required field is named above


def _unknown_field(name: str, known: list[str], in_card: bool) -> str:
    guess = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if not in_card and name in _CARD_FIELDS:
        return (f"unknown field '{shorten(name)}' at the top of the deck — card fields belong inside a card under 'cards:' "
                "(check the indentation)")
    if in_card and name in _DECK_FIELDS:
        return f"'{name}' is a field of the deck, not of a card — move it to the top of the file (check the indentation)"
    if guess:
        return f"unknown field '{shorten(name)}' — did you mean '{guess[0]}'?"
    where = "a card's" if in_card else "the deck's"
    return f"unknown field '{shorten(name)}' — remove it; {where} fields are: {', '.join(known)}"


def _wrong_for_type(field: str, card_type: object) -> str:
    if field == "text":
        return (f"'text' is only for cloze cards — a {card_type} card uses 'question' (or change it to "
                "`type: cloze`)")
    if field == "choices":
        return f"'choices' is only for choice cards — remove it from this {card_type} card, or make it `type: choice`"
    if field == "question":
        return "a cloze card has no 'question': it asks its 'text' with {{gaps}} — remove 'question'"
    if field == "answer":
        return "a cloze card has no 'answer': the words in its {{gaps}} are the answers — remove 'answer'"
    return f"'{field}' does not belong on a {card_type} card — remove it"  # pragma: no cover


def _wrong_type(field: str, item: int | None, value: Any, expected: str, root: yaml.Node, path: list,
                card_type: Any) -> str:
    label = f"item {item} of '{field}'" if item else f"'{field}'"
    if expected == "boolean":
        return f"a truefalse card's answer must be true or false (without quotes), not {kind_of(value)}"
    if value is None:
        if item:
            return f"{label} is empty — write it or remove the line"
        if field == "reminder":
            return "'reminder' is empty — write the reminder after 'reminder:', or remove the line"
        return f"'{field}' is empty — write {_WHAT.get(field, 'a value')} after '{field}:'"
    if expected == "string":
        if isinstance(value, (bool, int, float)):
            node, _ = node_at(root, path)
            raw = node.value if isinstance(node, yaml.ScalarNode) else str(value)
            return f"{label} must be text, not {kind_of(value)} — put it in quotes: \"{shorten(raw)}\""
        return (f"{label} must be a single piece of text, not {kind_of(value)} (text containing ': ' or starting "
                "with '- ' must be in quotes)")
    if expected == "array":
        if field == "cards":
            return "'cards' must be a list of cards, each starting with `- id: ...` on its own line"
        example = {"choices": "choices: [first, second, third]",
                   "previous_ids": "previous_ids: [old-id]"}.get(field, "tags: [anatomy, spine]")
        return f"'{field}' must be a list, not {kind_of(value)}, e.g. {example}"
    if expected == "object":
        if field == "sources":
            return f"'sources' must be a set of `id: full citation` lines indented under 'sources:', not {kind_of(value)}"
        return f"each card must be a set of fields starting with `- id: ...`, not {kind_of(value)}"
    return f"{label} has the wrong type ({kind_of(value)})"  # pragma: no cover


def _bad_id(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        return f"'{field}' is empty — write {_WHAT[field]}"
    sep_ok = "-" if field == "deck" else "-_"
    allowed = "lowercase letters, digits and hyphens" if field == "deck" else "lowercase letters, digits, - and _"
    suggestion = _slug(value, sep_ok)
    eg = f" — e.g. '{shorten(suggestion)}'" if suggestion and suggestion != value else ""
    what = "deck id" if field == "deck" else "card id"
    return f"{what} '{shorten(value)}' is not valid: use {allowed}, starting with a letter or digit{eg}"


def _slug(value: str, allowed_punct: str) -> str:
    text = re.sub(f"[^a-z0-9{re.escape(allowed_punct)}]+", "-", value.lower()).strip("-_")
    return re.sub(r"-{2,}", "-", text)


def _looks_empty(text: str) -> bool:
    """True for text that is not blank but shows nothing: only spaces and invisible characters."""
    return not INVISIBLE.sub("", text).strip()


def _cloze_problem(text: str) -> str:
    if "{{" not in text and "}}" not in text and "{" not in text and "}" not in text:
        return ("a cloze card's text needs at least one gap: put the words to hide in double braces, e.g. "
                "'The {{sacrum}} sits between the buttocks'")
    if re.search(r"\{\{\s*\}\}", text):
        return "a cloze gap is empty — write the hidden words inside the {{ }}"
    return ("a cloze card's text has an unmatched or single brace: each gap is written {{like this}}, gaps cannot "
            "be nested, and single { or } are not allowed")
