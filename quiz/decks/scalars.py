"""Plain (unquoted) YAML scalars read by YAML 1.2's core schema, as an editor's language server reads them."""
from __future__ import annotations

import math
import re
import sys
from typing import Any

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = {".nan", ".NaN", ".NAN"}
#: A plain scalar starting with anything else is text in the core schema.
CORE_STARTS = frozenset("-+.0123456789~nNtTfF")
#: An integer with more digits than this (leading zeros aside) is far beyond any float: see _core_int.
_MAX_INT_DIGITS = 1000


def core_scalar(value: str) -> Any:
    """A plain scalar read by YAML 1.2's core schema."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return _core_int(value.lstrip("+-"), 10, negative=value.startswith("-"))
    if _OCT.fullmatch(value):
        return _core_int(value[2:], 8)
    if _HEX.fullmatch(value):
        return _core_int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if value in _NAN:
        return float("nan")
    return value


def _core_int(digits: str, base: int, negative: bool = False) -> int | float:
    """The integer written with `digits` in `base`, or an infinity when it is beyond the largest float.

    A number that large reads as infinite, as a float that large does (1e999) and as an editor's
    YAML language server (JavaScript numbers) reads it. No deck field takes a number, so it is a
    problem either way; this way its message stays short, and it never reaches Python's limit on
    converting integers to and from decimal text (4300 digits, which raises ValueError even inside
    jsonschema's error messages).
    """
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_INT_DIGITS or (number := int(digits, base)) > sys.float_info.max:
        return -math.inf if negative else math.inf
    return -number if negative else number
