"""Validated deck data built into a Deck of Cards: one card per question, one per gap of a cloze card."""
from __future__ import annotations

import yaml

from quiz.decks.gaps import cloze_prompts, gap_identity
from quiz.decks.positions import node_at
from quiz.models import Card, CardType, Deck


def build_deck(data: dict, root: yaml.Node, path: str) -> Deck:
    """The Deck of `data`, which has passed every check (`root` is its YAML, for the cards' lines)."""
    deck_id = data["deck"]
    card_nodes = node_at(root, ["cards"])[0].value
    cards: list[Card] = []
    for node, raw in zip(card_nodes, data["cards"]):
        kind = CardType(raw["type"])
        common = dict(
            deck_id=deck_id, key=raw["id"], type=kind, explanation=raw["explanation"].strip(), source=raw["source"],
            tags=tuple(dict.fromkeys(t.strip() for t in raw.get("tags", ()))), line=node.start_mark.line + 1,
            previous_ids=tuple(raw.get("previous_ids", ())),
        )
        if kind is CardType.CLOZE:
            for prompt, answer in cloze_prompts(raw["text"]):
                cards.append(Card(prompt=prompt, answer=answer, gap=gap_identity(answer), **common))
            continue
        if kind is CardType.TRUEFALSE:
            answer = "true" if raw["answer"] else "false"
        else:
            answer = raw["answer"].strip()
        choices = tuple(c.strip() for c in raw["choices"]) if kind is CardType.CHOICE else ()
        cards.append(Card(prompt=raw["question"].strip(), answer=answer, choices=choices, **common))
    return Deck(
        id=deck_id,
        title=data["title"].strip(),
        description=data["description"].strip(),
        sources={k: v.strip() for k, v in data["sources"].items()},
        cards=tuple(cards),
        reminder=data.get("reminder", "").strip(),
        path=path,
    )
