"""The only package that speaks SQL: the Store and its parts (decks, cards, review log, figures, backups)."""
from __future__ import annotations

from quiz.store.backups import FileSummary, inspect_file
from quiz.store.core import DEFAULT_DAY_START_HOUR, SETTING_LIMITS, Settings, Store
from quiz.store.decks import DeckSummary, ImportReport
from quiz.store.errors import StoreBusy, StoreCorrupt, StoreError
from quiz.store.exports import CSV_FORMULA_STARTS
from quiz.store.files import default_db_path
from quiz.store.log import DayTotals
from quiz.store.schema import SCHEMA_VERSION

__all__ = [
    "CSV_FORMULA_STARTS", "DEFAULT_DAY_START_HOUR", "SCHEMA_VERSION", "SETTING_LIMITS", "DayTotals",
    "DeckSummary", "FileSummary", "ImportReport", "Settings", "Store", "StoreBusy", "StoreCorrupt",
    "StoreError", "default_db_path", "inspect_file",
]
