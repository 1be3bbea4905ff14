"""The deck JSON Schema shipped with quiz, and its validators (a fast yes/no, then every error explained)."""
from __future__ import annotations

import itertools
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs


def schema_path() -> Path:
    """The shipped JSON Schema file (what `# yaml-language-server: $schema=` points editors at)."""
    return Path(str(resources.files("quiz.schema") / "deck.schema.json"))


@lru_cache(maxsize=1)
def deck_schema() -> dict:
    """The deck JSON Schema (Draft 2020-12) as a dict."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


#: jsonschema errors explained per file, at most. Each takes a few kilobytes and tens of microseconds:
#: a file of 10,000 empty cards has 10,000, and one within the limits on values could have 400,000.
MAX_SCHEMA_ERRORS = 2_000


def schema_errors(data: Any) -> tuple[list, bool]:
    """The jsonschema errors of `data` against the deck schema ([] when it is valid), at most
    MAX_SCHEMA_ERRORS of them, and whether there were more."""
    if _fast_is_valid()(data):
        return [], False
    errors = list(itertools.islice(reference_validator().iter_errors(data), MAX_SCHEMA_ERRORS + 1))
    return errors[:MAX_SCHEMA_ERRORS], len(errors) > MAX_SCHEMA_ERRORS


@lru_cache(maxsize=1)
def reference_validator() -> Any:
    """jsonschema's validator for the deck schema: the reference, which explains each error."""
    # Imported on the first invalid deck only: jsonschema takes far longer to import than a valid deck
    # takes to check, and a valid deck never needs it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(deck_schema())


@lru_cache(maxsize=1)
def _fast_is_valid() -> Any:
    # jsonschema_rs answers "valid?" for a 10,000-card deck in milliseconds where jsonschema takes
    # seconds; jsonschema stays the reference and explains every error when the answer is no.
    return jsonschema_rs.validator_for(deck_schema()).is_valid
