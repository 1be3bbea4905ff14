"""Cloze gaps: found in a text, asked one at a time, and known by their words rather than their place."""
from __future__ import annotations

import hashlib
import re

from quiz.text import visible

#: How a cloze gap is shown while it is asked.
CLOZE_BLANK = "_____"
#: A gap of a cloze card's text: {{the hidden words}}.
CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}", re.S)
# Text that SQLite would store as a number in the cards table's integer `gap` column (and so read back
# as another text): a gap identity never has this form.
_NUMERIC = re.compile(r"[0-9]+(e-?[0-9]+)?")
_LONGEST_IDENTITY = 40


def gap_texts(text: str) -> list[str]:
    """The words of each gap of a cloze text, in order, trimmed."""
    return [g.strip() for g in CLOZE_GAP.findall(text)]


def cloze_prompts(text: str) -> list[tuple[str, str]]:
    """(prompt, answer) for each gap: that gap blanked, the others filled in."""
    pieces = CLOZE_GAP.split(text)  # text, gap, text, gap, ..., text
    gaps = [g.strip() for g in pieces[1::2]]
    out = []
    for n, answer in enumerate(gaps):
        shown = [piece if k % 2 == 0 else (CLOZE_BLANK if k // 2 == n else gaps[k // 2]) for k, piece in enumerate(pieces)]
        out.append(("".join(shown).strip(), answer))
    return out


def gap_identity(words: str) -> str:
    """What a gap is known by inside its card (its id is `deck/card#identity`): its words as a slug
    ("sacroiliac-joints"), so a gap keeps its history when the gaps of a text are reordered.

    Case, spaces, punctuation and invisible characters do not count. Words with no letter or digit,
    or very long ones, are known by a hash; the identity never reads as a number.
    """
    folded = " ".join(visible(words).casefold().split())
    slug = re.sub(r"[\W_]+", "-", folded).strip("-")
    digest = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug:
        return f"gap-{digest}"
    if len(slug) > _LONGEST_IDENTITY:
        slug = f"{slug[:_LONGEST_IDENTITY - 9].rstrip('-')}-{digest}"
    return f"n{slug}" if _NUMERIC.fullmatch(slug) else slug
