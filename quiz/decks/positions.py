"""YAML composed to nodes that keep their line and column, read as YAML 1.2 data with deck-level checks."""
from __future__ import annotations

import re
import weakref
from typing import Any

import yaml

from quiz.decks.limits import census
from quiz.decks.problems import DeckError, Problem, shorten
from quiz.decks.reading import decode
from quiz.decks.scalars import CORE_STARTS, core_scalar
from quiz.text import BIDI_CONTROL, char_name

# YAML's printable characters (YAML 1.2, section 5.1); the parser would refuse the others anyway,
# but this finds them with an exact line and column and a clearer message.
# Written as the small set of characters that are NOT printable (the same set as the negation of the
# printable ranges, checked code point by code point): it compiles in 0.03 ms instead of 3 ms at start-up.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# A plain (unquoted) scalar, read later by YAML 1.2's core schema as editors read it, so `yes`, `no`,
# `on`, `1:30` and dates stay text (PyYAML's YAML 1.1 resolver would make them booleans, numbers, dates).
_PLAIN = "tag:quiz,2026:plain"
_TAG_MESSAGE = "the YAML tag"
#: A bidirectional control in a deck, wherever it is written (as a character, or as an escape in quotes).
BIDI_MESSAGE = ("character {char} can make text show in another order than it is written — delete it (text in a "
                "right-to-left language needs no control characters)")


def _deck_loader(base: type) -> type:
    """`base` (a PyYAML safe loader) resolving tags the YAML 1.2 way; also a quarter faster, as
    PyYAML's resolver runs a regular expression on every scalar."""

    class DeckLoader(base):
        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is yaml.SequenceNode else _MAP

        def descend_resolver(self, current_node, current_index):  # no path resolvers: nothing to track
            pass

        def ascend_resolver(self):
            pass

    return DeckLoader


# Safe loaders only. The C one is several times faster; the pure-Python one gives the same results.
_Loader: type = _deck_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_yaml(data: bytes, path: str) -> tuple[yaml.Node, Any, list[Problem]]:
    """Parse to (root node, plain data, non-fatal problems); raises DeckError when nothing can be read."""
    if not data:
        raise DeckError([Problem(path, 1, 1, "the file is empty: a deck starts with `deck: your-deck-id` "
                                             "(`quiz decks new ID` writes a template)")])
    text = decode(data, path)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise DeckError([Problem(path, line, col, f"character U+{ord(bad.group()):04X} is a control character, which "
                                                  "YAML does not allow — delete it")])
    bidi = BIDI_CONTROL.search(text)
    if bidi:  # anywhere, comments too: it can make what an author or a patient reads differ from what is written
        line, col = _line_col(text, bidi.start())
        raise DeckError([Problem(path, line, col, BIDI_MESSAGE.format(char=char_name(bidi.group())))])
    # Counted before anything is built: the node tree of a file within the size limit could otherwise
    # take gigabytes (4 MiB of `- {}`), and data built from aliases is a "billion laughs".
    refused = census(text, path, _Loader)
    if refused:
        raise DeckError(refused)
    root = _compose(text, path)
    if root is None:
        raise DeckError([Problem(path, 1, 1, "the file has no deck in it (only comments or blank lines): "
                                             "start with `deck: your-deck-id`")])
    problems: list[Problem] = []
    value = _to_data(root, path, problems)
    if any(p.message.startswith(_TAG_MESSAGE) for p in problems):
        # A tag such as !!python/object is no mistake of layout: say only that.
        raise DeckError([p for p in problems if p.message.startswith(_TAG_MESSAGE)])
    return root, value, problems


# --------------------------------------------------------------------------- positions of nodes
def mark(node_mark: yaml.Mark) -> tuple[int, int]:
    """(line, column), 1-based, of a PyYAML mark."""
    return node_mark.line + 1, node_mark.column + 1


def node_at(root: yaml.Node, path: list) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at a JSON path (as far as it exists) and the key node that names it."""
    node, key = root, None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = _fields(node).get(part)
            if found is None:
                break
            key, node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node, key = node.value[part], None
        else:
            break
    return node, key


def value_mark(root: yaml.Node, path: list) -> tuple[int, int]:
    """Where the value at a JSON path is written (its field name when the value is empty)."""
    node, key = node_at(root, path)
    # An empty value has no text of its own to point at; its field name is where to write it.
    if key is not None and isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style:
        node = key
    return mark(node.start_mark)


def text_mark(root: yaml.Node, path: list, index: int) -> tuple[int, int]:
    """Where character `index` of the text at a JSON path is written: exact for text on one line written
    as it reads (plain or quoted, without escapes), else where the text starts."""
    node, _ = node_at(root, path)
    line, col = value_mark(root, path)
    if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
        return line, col
    quotes = 2 if node.style in ("'", '"') else 0
    if node.style not in (None, "", "'", '"') or node.end_mark.column - node.start_mark.column - quotes != len(node.value):
        return line, col
    return line, col + quotes // 2 + index


def key_mark(root: yaml.Node, path: list, name: str) -> tuple[int, int]:
    """Where the field `name` of the mapping at a JSON path is named (the mapping, if it has no such field)."""
    mapping, _ = node_at(root, path)
    found = _fields(mapping).get(name) if isinstance(mapping, yaml.MappingNode) else None
    return mark(found[0].start_mark if found else mapping.start_mark)


_FIELDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # mapping node -> _fields(node), while it lives


def _fields(mapping: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Field name -> (key node, value node) of `mapping`, the first of duplicate keys (the one we
    keep); made once per mapping, so finding each of many fields takes no longer the more there are."""
    fields = _FIELDS.get(mapping)
    if fields is None:
        fields = {}
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode):
                fields.setdefault(k.value, (k, v))
        _FIELDS[mapping] = fields
    return fields


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --------------------------------------------------------------------------- composing
def _compose(text: str, path: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise DeckError([_syntax_problem(err, path)]) from None
    except yaml.reader.ReaderError as err:
        index = err.position
        if not issubclass(_Loader, yaml.SafeLoader):  # libyaml counts UTF-8 bytes, the Python reader characters
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, col = _line_col(text, min(index, len(text)))
        raise DeckError([Problem(path, line, col, f"YAML cannot read this character: {err.reason} — delete it")]) from None
    except yaml.YAMLError as err:
        raise DeckError([Problem(path, 1, 1, f"YAML syntax error: {err}")]) from None
    except RecursionError:
        raise DeckError([Problem(path, 1, 1, "the YAML is nested far too deeply to be a deck — check the brackets "
                                             "and indentation")]) from None
    finally:
        loader.dispose()


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "text that contains ': ' must be in quotes, e.g. question: \"Which is it: "
                                       "A or B?\" — or the indentation is off"),
    ("tab character", "indent with spaces, not tabs"),
    ("cannot start any token", None),
    ("could not find expected ':'", "each field needs `name: value` — check for a missing ':' or an unclosed "
                                    "quote here or on the line before"),
    ("expected <block end>", "the indentation is inconsistent: line up the fields of each card under each other"),
    ("expected <block mapping start>", "the indentation is inconsistent: line up the fields under each other"),
    ("did not find expected key", "the indentation is inconsistent, or text after a closing quote needs to be "
                                  "inside the quotes"),
    ("did not find expected '-' indicator", "the items of a list must line up, each starting with '- '"),
    ("another document", "a file holds one deck: remove the '---' line and what follows, or split the file"),
    ("unknown escape character", "inside double quotes a backslash starts an escape: use single quotes, or "
                                 "write \\\\ for a backslash"),
    ("unexpected end of stream", "a quote or bracket is not closed"),
    ("did not find expected ',' or ']'", "a [list] written on one line is not closed, or an item in it needs quotes"),
    ("did not find expected ',' or '}'", "a {mapping} written on one line is not closed, or an item in it needs "
                                         "quotes"),
    ("alphabetic or numeric character", "text starting with *, & or ! must be in quotes"),
    ("did not find expected comment or line break", "text after a closing quote must be inside the quotes"),
)


def _syntax_problem(err: yaml.MarkedYAMLError, path: str) -> Problem:
    problem = err.problem or "this is not valid YAML"
    where_mark = err.problem_mark or err.context_mark
    hint = "check the indentation and the quotes on this line and the one before"
    for needle, text in _SYNTAX_HINTS:
        if needle in problem:
            if text is None:  # a character that cannot start a value: say which and what to do
                if "'\\t'" in problem:
                    hint = "indent with spaces, not tabs"
                else:
                    hint = "text starting with this character must be in quotes"
            else:
                hint = text
            break
    if "unexpected end of stream" in problem and err.context_mark is not None and "quoted" in (err.context or ""):
        where_mark, hint = err.context_mark, "this quote is never closed — add the closing quote"
    where = f" ({err.context})" if err.context else ""
    line, col = mark(where_mark) if where_mark is not None else (1, 1)
    return Problem(path, line, col, f"YAML syntax error: {problem}{where} — {hint}")


# --------------------------------------------------------------------------- nodes to data
def _to_data(node: yaml.Node, path: str, problems: list[Problem]) -> Any:
    # No deeper than limits.MAX_DEPTH: the census refused anything deeper before it was composed.
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, problems)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            problems.append(_tag_problem(node, path))
        items = []
        for item in node.value:
            value = _fast_scalar(item)
            items.append(_to_data(item, path, problems) if value is _SLOW else value)
        return items
    if node.tag != _MAP:
        problems.append(_tag_problem(node, path))
    result: dict[str, Any] = {}
    keys: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            line, col = mark(key_node.start_mark)
            problems.append(Problem(path, line, col, "a field name must be a plain word, not a list or mapping"))
            continue
        key = _scalar(key_node, path, problems) if key_node.style == '"' else key_node.value
        key = key if isinstance(key, str) else key_node.value
        first = keys.get(key)
        if first is not None:
            line, col = mark(key_node.start_mark)
            problems.append(Problem(path, line, col, f"'{shorten(key)}' appears twice here (first on line "
                                                     f"{first.start_mark.line + 1}) — YAML would silently keep only "
                                                     "the last one; remove one"))
            continue
        keys[key] = key_node
        value = _fast_scalar(value_node)
        result[key] = _to_data(value_node, path, problems) if value is _SLOW else value
    return result


_SLOW = object()


def _fast_scalar(node: yaml.Node) -> Any:
    """The value of a scalar that needs no checks (most of a deck), or _SLOW for `_to_data` to read.

    A deck is mostly plain and block text; reading those here, without a call per value, takes a
    third off the time to load a large deck.
    """
    if node.__class__ is not yaml.ScalarNode or node.style == '"':
        return _SLOW
    tag, value = node.tag, node.value
    if tag == _PLAIN:
        return value if value and value[0] not in CORE_STARTS else core_scalar(value)
    return value if tag == _STR else _SLOW


def _scalar(node: yaml.ScalarNode, path: str, problems: list[Problem]) -> Any:
    tag, value = node.tag, node.value
    if node.style == '"' and _SURROGATE.search(value):
        # libyaml refuses an escape such as "\ud800"; the pure-Python parser lets it through, and
        # such a string cannot be stored as UTF-8.
        line, col = mark(node.start_mark)
        problems.append(Problem(path, line, col, "this text has an escape for half of a UTF-16 pair (\\ud800 to "
                                                 "\\udfff) — write the character itself"))
        return ""
    if tag == _PLAIN:
        return value if value and value[0] not in CORE_STARTS else core_scalar(value)
    if tag != _STR:  # an explicit tag other than !!str
        problems.append(_tag_problem(node, path))
    return value


def _tag_problem(node: yaml.Node, path: str) -> Problem:
    line, col = mark(node.start_mark)
    return Problem(path, line, col, f"{_TAG_MESSAGE} {node.tag!r} is not allowed in a deck — remove it (a deck holds "
                                    "only text, lists and fields)")
