"""YAML -> validated Deck, with errors that name file:line:col."""
from __future__ import annotations

import difflib
import gc
import hashlib
import itertools
import json
import math
import os
import re
import stat
import sys
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.errors import QuizError
from quiz.models import Card, CardType, Deck
from quiz.shipped import BUNDLED_FLAG, bundled_deck_files, sync_bundled_decks
from quiz.text import CONTROL, escape_controls, plural

if TYPE_CHECKING:  # pragma: no cover
    import yaml

    from quiz.store import ImportReport, Store

__all__ = [
    "MAX_DECK_BYTES",
    "MAX_SHOWN_PROBLEMS",
    "DeckError",
    "DeckFile",
    "Problem",
    "bundled_deck_files",
    "deck_schema",
    "import_decks",
    "load_decks",
    "new_deck_text",
    "parse_deck",
    "read_deck",
    "schema_path",
    "sync_bundled_decks",
    "yaml_data",
]

#: Larger files are refused before they are read. A deck of 10,000 cards is about 3 MB; real decks
#: are a few hundred cards, so a bigger file is almost certainly the wrong file.
MAX_DECK_BYTES = 4 * 1024 * 1024
DECK_SUFFIXES = (".yaml", ".yml")
CARD_TYPES = tuple(t.value for t in CardType)
#: How a cloze gap is shown while it is asked.
CLOZE_BLANK = "_____"

# Our format is at most 4 levels deep (deck > cards > card > choices); anything far deeper is a mistake.
_MAX_DEPTH = 20
_MAX_ANCHOR_PROBLEMS = 5
#: At most this many problems of one file are listed; a last line says how many more it has (a file
#: that is not a deck at all can have thousands, which would only fill the screen).
MAX_SHOWN_PROBLEMS = 50


# --------------------------------------------------------------------------- errors
@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a deck file. `line`/`column` are 1-based; None when it concerns the whole path."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        # Deck text echoed in a message must not break the one-problem-per-line format or reach the
        # terminal as a control sequence.
        path, message = escape_controls(self.path), escape_controls(self.message)
        if self.line is None:
            return f"{path}: {message}"
        return f"{path}:{self.line}:{self.column}: {message}"


def _q(value: object, limit: int = 60) -> str:
    """A user's value quoted in a message: shortened when long."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DeckError(QuizError):
    """One or more problems in deck files; str() lists them as file:line:col: message, one per line."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            text = problems
        else:
            # Files in the order they were given; within a file, by line and column.
            files = {p.path: n for n, p in reversed(list(enumerate(problems)))}
            self.problems = sorted(set(problems), key=lambda p: (files[p.path], p.line or 0, p.column or 0, p.message))
            text = "\n".join(self.lines()) if self.problems else ""
        super().__init__(text)

    def lines(self) -> list[str]:
        """The problems to print, one per line as file:line:col: message: at most MAX_SHOWN_PROBLEMS
        of each file, then a line saying how many more that file has."""
        if not self.problems:
            return str(self).splitlines()
        out: list[str] = []
        for _path, group in itertools.groupby(self.problems, key=lambda p: p.path):
            problems = list(group)
            out.extend(str(p) for p in problems[:MAX_SHOWN_PROBLEMS])
            if len(problems) > MAX_SHOWN_PROBLEMS:
                first = problems[MAX_SHOWN_PROBLEMS]  # where the ones not shown start
                more = plural(len(problems) - MAX_SHOWN_PROBLEMS, "more problem")
                out.append(str(Problem(first.path, first.line, first.column,
                                       f"{more} from here on not shown — fix the ones above, then validate the file again")))
        return out


# --------------------------------------------------------------------------- schema
def schema_path() -> Path:
    """The shipped JSON Schema file (what `# yaml-language-server: $schema=` points editors at)."""
    return Path(str(resources.files("quiz.schema") / "deck.schema.json"))


@lru_cache(maxsize=1)
def deck_schema() -> dict:
    """The deck JSON Schema (Draft 2020-12) as a dict."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _fast_is_valid():
    # jsonschema_rs answers "valid?" for a 10,000-card deck in milliseconds where jsonschema takes
    # seconds; jsonschema stays the reference and explains every error when the answer is no.
    import jsonschema_rs

    return jsonschema_rs.validator_for(deck_schema()).is_valid


@lru_cache(maxsize=1)
def _reference_validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(deck_schema())


def _schema_errors(data: Any) -> list:
    if _fast_is_valid()(data):
        return []
    return list(_reference_validator().iter_errors(data))


# --------------------------------------------------------------------------- public API
@dataclass(frozen=True)
class DeckFile:
    """A validated deck and the file it came from (`content_hash`: sha256 of the file's bytes)."""

    deck: Deck
    path: str
    content_hash: str
    id_at: tuple[int, int] = (1, 1)


def parse_deck(data: bytes, path: str = "<deck>") -> Deck:
    """Validate the bytes of one deck file and build the Deck.

    Raises DeckError listing every problem as `path:line:col: message`; never any other exception
    for bad input.
    """
    return _parse(data, path)[0]


def read_deck(path: str | os.PathLike[str]) -> DeckFile:
    """Read and validate one deck file (the size is checked before anything is read)."""
    shown = os.fspath(path)
    data = _read_bytes(shown)
    deck, id_at = _parse(data, shown)
    return DeckFile(deck, shown, hashlib.sha256(data).hexdigest(), id_at)


def _expand(paths: list[str] | tuple[str, ...]) -> tuple[list[str], list[Problem]]:
    files: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            try:
                names = os.listdir(path)
            except OSError as err:  # no permission to list it, or it went away
                problems.append(Problem(path, None, None, f"cannot list the folder: {err.strerror or err}"))
                continue
            found = sorted(
                os.path.join(path, name) for name in names
                if name.endswith(DECK_SUFFIXES) and os.path.isfile(os.path.join(path, name))
            )
            if not found:
                problems.append(Problem(path, None, None, "this folder has no .yaml or .yml deck files"))
        elif os.path.exists(path):
            found = [path]
        else:
            problems.append(Problem(path, None, None, "no such file or folder"))
            found = []
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, problems


def load_decks(paths: list[str] | tuple[str, ...]) -> list[DeckFile]:
    """Read and validate every deck under `paths`; raises one DeckError listing all problems.

    Two files with the same deck id are a problem too (the second would replace the first).
    """
    files, problems = _expand(paths)
    decks: list[DeckFile] = []
    for path in files:
        try:
            decks.append(read_deck(path))
        except DeckError as err:
            problems.extend(err.problems)
    first: dict[str, DeckFile] = {}
    for f in decks:
        other = first.setdefault(f.deck.id, f)
        if other is not f:
            problems.append(Problem(
                f.path, *f.id_at,
                f"deck id '{f.deck.id}' is also used by {other.path} — give each deck its own id",
            ))
    if problems:
        raise DeckError(problems)
    return decks


def import_decks(store: Store, files: list[DeckFile], today: date) -> list[ImportReport]:
    """Import validated decks in one transaction: all of them, or (on any error) none."""
    with store.transaction():
        return [
            store.decks.sync(f.deck, today=today, origin=_origin(f.path), content_hash=f.content_hash)
            for f in files
        ]


def _origin(path: str) -> str:
    """Where a deck was imported from, as text the database can store: a file name that is not valid
    UTF-8 (Python reads its bytes as lone surrogates, which cannot be stored) keeps those bytes as
    escapes such as \\xff."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


def import_bundled(store: Store, today: date, pending: list[tuple[Path, bytes, str]], *,
                   before_change: Callable[[], object] | None = None) -> list[ImportReport]:
    """Import the bundled deck files `pending` ((file, its bytes, their sha256) each) in one
    transaction, after `before_change`; quiz.shipped.sync_bundled_decks finds which ones."""
    parsed = []
    problems: list[Problem] = []
    for f, data, digest in pending:
        try:
            parsed.append((f, _parse(data, str(f))[0], digest))
        except DeckError as err:
            problems.extend(err.problems)
    if problems:
        raise DeckError([Problem(p.path, p.line, p.column, f"{p.message} (a bundled deck: this is a bug in quiz; "
                                 "please report it)") for p in problems])
    if before_change is not None:
        before_change()
    reports = []
    with store.transaction():
        for f, deck, digest in parsed:
            reports.append(store.decks.sync(deck, today=today, origin=BUNDLED_FLAG + f.name, content_hash=digest))
            store.set_flag(BUNDLED_FLAG + f.name, digest)
    return reports


def yaml_data(data: bytes, path: str = "<deck>") -> Any:
    """The plain data (dicts, lists, str, int, float, bool, None) of a deck file, as an editor with
    YAML 1.2 sees it, after the YAML-level checks only (no schema). Raises DeckError."""
    with _gc_paused():
        _root, value, problems = _load_yaml(data, path)
    if problems:
        raise DeckError(problems)
    return value


# --------------------------------------------------------------------------- reading bytes
def _read_bytes(path: str) -> bytes:
    # Only a regular file is read: reading a named pipe waits until something writes to it (forever,
    # as a rule), and a device may never end.
    try:
        info = os.stat(path)
        _refuse_special(path, info.st_mode)  # before opening: opening a device can have effects of its own
        if info.st_size > MAX_DECK_BYTES:
            raise DeckError([_too_big(path, info.st_size)])
        # Opened without waiting (in case a named pipe has taken the file's place since), and checked
        # again once open, which is what is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            mode = os.fstat(fd).st_mode
            _refuse_special(path, mode)
            if not stat.S_ISREG(mode):
                raise DeckError([_not_regular(path, "a special file")])
            # Read at most one byte past the limit: the file may have grown since.
            data = f.read(MAX_DECK_BYTES + 1)
    except IsADirectoryError:
        raise DeckError([_a_folder(path)]) from None
    except OSError as err:
        raise DeckError([Problem(path, None, None, f"cannot read the file: {err.strerror or err}")]) from None
    if len(data) > MAX_DECK_BYTES:
        raise DeckError([_too_big(path, len(data))])
    return data


def _refuse_special(path: str, mode: int) -> None:
    """Raise DeckError for a folder, named pipe, socket or device."""
    if stat.S_ISDIR(mode):
        raise DeckError([_a_folder(path)])
    if stat.S_ISFIFO(mode):
        raise DeckError([_not_regular(path, "a named pipe")])
    if stat.S_ISSOCK(mode):
        raise DeckError([_not_regular(path, "a socket")])
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise DeckError([_not_regular(path, "a device")])


def _not_regular(path: str, what: str) -> Problem:
    return Problem(path, None, None, f"is not a regular file ({what}); give a deck file or a folder of them")


def _a_folder(path: str) -> Problem:
    return Problem(path, None, None, "is a folder; give a deck file or a folder of them")


def _too_big(path: str, size: int) -> Problem:
    return Problem(path, 1, 1, f"the file is {_size(size)}; a deck may be at most {_size(MAX_DECK_BYTES)} — split it "
                               "into several decks (or check that this is the right file)")


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


# --------------------------------------------------------------------------- YAML level
# YAML's printable characters (YAML 1.2, section 5.1); the parser would refuse the others anyway,
# but this finds them with an exact line and column and a clearer message.
# Written as the small set of characters that are NOT printable (the same set as the negation of the
# printable ranges, checked code point by code point): it compiles in 0.03 ms instead of 3 ms at start-up.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# A plain (unquoted) scalar, read later by YAML 1.2's core schema as editors read it, so `yes`, `no`,
# `on`, `1:30` and dates stay text (PyYAML's YAML 1.1 resolver would make them booleans, numbers, dates).
_PLAIN = "tag:quiz,2026:plain"


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


_Loader: type | None = None  # set by _import_yaml


def _import_yaml() -> None:
    """Import PyYAML and build the deck loader, on the first file parsed: `quiz` starting with its
    bundled decks unchanged parses no YAML (sync_bundled_decks compares hashes), and PyYAML takes
    ~10 ms to import (bench/bench_review.py). Every function below that uses `yaml` runs after it."""
    global yaml, _Loader
    import yaml

    if _Loader is None:
        # Safe loaders only. The C one is several times faster; the pure-Python one gives the same results.
        _Loader = _deck_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = {".nan", ".NaN", ".NAN"}
# A plain scalar starting with anything else is text in the core schema.
_CORE_STARTS = frozenset("-+.0123456789~nNtTfF")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _load_yaml(data: bytes, path: str) -> tuple[yaml.Node, Any, list[Problem]]:
    """Parse to (root node, plain data, non-fatal problems); raises DeckError when nothing can be read."""
    _import_yaml()
    if not data:
        raise DeckError([Problem(path, 1, 1, "the file is empty: a deck starts with `deck: your-deck-id` "
                                             "(`quiz decks new ID` writes a template)")])
    text = _decode(data, path)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise DeckError([Problem(path, line, col, f"character U+{ord(bad.group()):04X} is a control character, which "
                                                  "YAML does not allow — delete it")])
    if "&" in text or "*" in text:  # anchors and aliases are impossible without these
        anchors = _anchor_problems(text, path)
        if anchors:
            # Stop here: building data from aliases is what would expand a "billion laughs" file.
            raise DeckError(anchors)
    root = _compose(text, path)
    if root is None:
        raise DeckError([Problem(path, 1, 1, "the file has no deck in it (only comments or blank lines): "
                                             "start with `deck: your-deck-id`")])
    problems: list[Problem] = []
    value = _to_data(root, path, problems, 0)
    if any(p.message.startswith(_TAG_MESSAGE) for p in problems):
        # A tag such as !!python/object is no mistake of layout: say only that.
        raise DeckError([p for p in problems if p.message.startswith(_TAG_MESSAGE)])
    return root, value, problems


def _decode(data: bytes, path: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DeckError([Problem(path, 1, 1, "the file is UTF-16 text; save it as UTF-8 (most editors offer this "
                                             "under 'Save with encoding')")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        start = err.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", "replace")) + 1
        raise DeckError([Problem(path, line, col, f"the file is not UTF-8 text: byte 0x{data[start]:02X} (at byte "
                                                  f"{start}) cannot be read — save the file as UTF-8 (most editors "
                                                  "offer this under 'Save with encoding')")]) from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _mark(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing allocates a great many small objects that are never
    cyclic garbage, and each collection would walk all of them (a large part of the parse time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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
    mark = err.problem_mark or err.context_mark
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
        mark, hint = err.context_mark, "this quote is never closed — add the closing quote"
    where = f" ({err.context})" if err.context else ""
    line, col = _mark(mark) if mark is not None else (1, 1)
    return Problem(path, line, col, f"YAML syntax error: {problem}{where} — {hint}")


def _anchor_problems(text: str, path: str) -> list[Problem]:
    problems = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                what = f"alias *{event.anchor}"
            elif getattr(event, "anchor", None):
                what = f"anchor &{event.anchor}"
            else:
                continue
            line, col = _mark(event.start_mark)
            problems.append(Problem(path, line, col, f"YAML {what} is not allowed in a deck (anchors and aliases "
                                                     "can make a small file expand enormously) — write the text out "
                                                     "in full"))
    except yaml.YAMLError:
        pass  # reported with its position when the file is composed
    if len(problems) > _MAX_ANCHOR_PROBLEMS:  # one billion-laughs file would otherwise fill the screen
        last = problems[_MAX_ANCHOR_PROBLEMS - 1]
        more = len(problems) - _MAX_ANCHOR_PROBLEMS
        problems = problems[:_MAX_ANCHOR_PROBLEMS - 1] + [
            Problem(path, last.line, last.column, f"{last.message} (and {more} more anchors or aliases after this)")]
    return problems


def _to_data(node: yaml.Node, path: str, problems: list[Problem], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        line, col = _mark(node.start_mark)
        problems.append(Problem(path, line, col, "nested far too deeply to be part of a deck — check the indentation"))
        return None
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, problems)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            problems.append(_tag_problem(node, path))
        items = []
        for item in node.value:
            value = _fast_scalar(item)
            items.append(_to_data(item, path, problems, depth + 1) if value is _SLOW else value)
        return items
    if node.tag != _MAP:
        problems.append(_tag_problem(node, path))
    result: dict[str, Any] = {}
    keys: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            line, col = _mark(key_node.start_mark)
            problems.append(Problem(path, line, col, "a field name must be a plain word, not a list or mapping"))
            continue
        key = _scalar(key_node, path, problems) if key_node.style == '"' else key_node.value
        key = key if isinstance(key, str) else key_node.value
        first = keys.get(key)
        if first is not None:
            line, col = _mark(key_node.start_mark)
            problems.append(Problem(path, line, col, f"'{_q(key)}' appears twice here (first on line {first.start_mark.line + 1})"
                                                     " — YAML would silently keep only the last one; remove one"))
            continue
        keys[key] = key_node
        value = _fast_scalar(value_node)
        result[key] = _to_data(value_node, path, problems, depth + 1) if value is _SLOW else value
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
        return value if value and value[0] not in _CORE_STARTS else _core_scalar(value)
    return value if tag == _STR else _SLOW


def _scalar(node: yaml.ScalarNode, path: str, problems: list[Problem]) -> Any:
    tag, value = node.tag, node.value
    if node.style == '"' and _SURROGATE.search(value):
        # libyaml refuses an escape such as "\ud800"; the pure-Python parser lets it through, and
        # such a string cannot be stored as UTF-8.
        line, col = _mark(node.start_mark)
        problems.append(Problem(path, line, col, "this text has an escape for half of a UTF-16 pair (\\ud800 to "
                                                 "\\udfff) — write the character itself"))
        return ""
    if tag == _PLAIN:
        return value if value and value[0] not in _CORE_STARTS else _core_scalar(value)
    if tag != _STR:  # an explicit tag other than !!str
        problems.append(_tag_problem(node, path))
    return value


def _core_scalar(value: str) -> Any:
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


#: An integer with more digits than this (leading zeros aside) is far beyond any float: see _core_int.
_MAX_INT_DIGITS = 1000


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


def _tag_problem(node: yaml.Node, path: str) -> Problem:
    line, col = _mark(node.start_mark)
    return Problem(path, line, col, f"{_TAG_MESSAGE} {node.tag!r} is not allowed in a deck — remove it (a deck holds "
                                    "only text, lists and fields)")


_TAG_MESSAGE = "the YAML tag"


# --------------------------------------------------------------------------- locating nodes
def _node_at(root: yaml.Node, path: list) -> tuple[yaml.Node, yaml.Node | None]:
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


def _value_mark(root: yaml.Node, path: list) -> tuple[int, int]:
    node, key = _node_at(root, path)
    # An empty value has no text of its own to point at; its field name is where to write it.
    if key is not None and isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style:
        node = key
    return _mark(node.start_mark)


def _key_mark(root: yaml.Node, path: list, name: str) -> tuple[int, int]:
    mapping, _ = _node_at(root, path)
    found = _fields(mapping).get(name) if isinstance(mapping, yaml.MappingNode) else None
    return _mark(found[0].start_mark if found else mapping.start_mark)


# --------------------------------------------------------------------------- checking
_DECK_FIELDS = ("deck", "title", "description", "reminder", "sources", "cards")
_CARD_FIELDS = ("id", "type", "question", "answer", "choices", "text", "source", "explanation", "tags")
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
_CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}", re.S)


def _parse(data: bytes, path: str) -> tuple[Deck, tuple[int, int]]:
    with _gc_paused():
        return _parse_unpaused(data, path)


def _parse_unpaused(data: bytes, path: str) -> tuple[Deck, tuple[int, int]]:
    root, value, problems = _load_yaml(data, path)
    if not isinstance(value, dict):
        line, col = _mark(root.start_mark)
        kind = _kind(value)
        problems.append(Problem(path, line, col, f"the top level of a deck must be its fields (deck:, title:, "
                                                 f"description:, sources:, cards:), not {kind}"))
        raise DeckError(problems)
    for err in _schema_errors(value):
        for (line, col), message in _explain(err, root, value):
            problems.append(Problem(path, line, col, message))
    for (line, col), message in _cross_check(value, root):
        problems.append(Problem(path, line, col, message))
    if problems:
        raise DeckError(problems)
    return _build(value, root, path), _value_mark(root, ["deck"])


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, float) and math.isinf(value):
        return "a number too large to hold (infinite)"
    if isinstance(value, (int, float)):
        return f"the number {_q(value, 40)}"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def _card_label(card: Any) -> str:
    if isinstance(card, dict) and isinstance(card.get("id"), str) and card["id"]:
        return f"card '{_q(card['id'])}'"
    return "this card"


def _explain(err, root: yaml.Node, data: dict) -> list[tuple[tuple[int, int], str]]:
    """Turn one jsonschema error into (position, message) pairs a deck author can act on."""
    path = list(err.absolute_path)
    keyword = err.validator
    value = err.instance
    names = [p for p in path if isinstance(p, str)]
    field = names[-1] if names else "deck"
    item = path[-1] + 1 if path and isinstance(path[-1], int) else None
    in_card = len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int)
    card = data["cards"][path[1]] if in_card else None
    card_type = card.get("type") if isinstance(card, dict) else None
    here = _value_mark(root, path)
    schema_path = list(err.schema_path)

    if "propertyNames" in schema_path:  # a source id: point at the key itself
        where = _key_mark(root, path, value) if isinstance(value, str) else here
        if keyword == "maxLength":
            return [(where, f"source id '{_q(value, 40)}' is too long (at most {err.validator_value} characters)")]
        return [(where, f"source id '{_q(value)}' must be one word without spaces, e.g. '{_q(_slug(value, '-')) or 'who-2023'}'")]

    if keyword == "required":
        out = []
        for name in err.validator_value:
            if isinstance(value, dict) and name not in value:
                out.append((_value_mark(root, path), _missing(name, value, path, data)))
        return out

    if keyword == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        out = []
        for name in value:
            if name not in known:
                out.append((_key_mark(root, path, name), _unknown_field(name, known, in_card)))
        return out

    if keyword == "not" and err.validator_value == {}:
        return [(_key_mark(root, path[:-1], field), _wrong_for_type(field, card_type))]

    if keyword == "type":
        return [(here, _wrong_type(field, item, value, err.validator_value, root, path, card_type))]

    if field in ("deck", "id") and not item and keyword in ("pattern", "not", "minLength"):
        return [(here, _bad_id(field, value))]

    if keyword == "not":  # the control-character rule of the text type, or a source id with a space
        if field == "source":
            return [(here, f"source '{_q(value)}' must be one word without spaces — the id of one of the deck's sources")]
        bad = CONTROL.search(value) if isinstance(value, str) else None
        code = f"U+{ord(bad.group()):04X}" if bad else "a control character"
        label = f"item {item} of '{field}'" if item else f"'{field}'"
        return [(here, f"{label} contains {code}, a control character that can garble the screen — remove it "
                       "(look for an escape such as \\e or \\x1b in double quotes)")]

    if keyword in ("pattern", "minLength"):
        if field == "text" and in_card and isinstance(value, str) and value.strip():
            return [(here, _cloze_problem(value))]
        if item:
            what = {"choices": "choice", "tags": "tag"}.get(field, "item")
            return [(here, f"{what} {item} is blank — write it or remove the line")]
        return [(here, f"'{field}' is blank — write {_WHAT.get(field, 'a value')}")]

    if keyword == "enum":
        if isinstance(value, str):
            guess = _TYPE_SYNONYMS.get(re.sub(r"[^a-z]", "", value.lower()))
            guess = guess or next(iter(difflib.get_close_matches(value.lower(), CARD_TYPES, n=1, cutoff=0.5)), None)
            if guess:
                return [(here, f"unknown card type '{_q(value)}' — did you mean '{guess}'? (the types are "
                               f"{', '.join(CARD_TYPES)})")]
            return [(here, f"unknown card type '{_q(value)}' — use one of: {', '.join(CARD_TYPES)}")]
        return [(here, f"'type' must be one of {', '.join(CARD_TYPES)}, not {_kind(value)}")]

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
                return [(_value_mark(root, path + [i]), f"choice '{_q(choice)}' is listed twice — every choice must differ")]
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
        }.get(kind, "`answer: ...`")
        return f"{label} is a {kind} card and needs an 'answer': add {what}"
    if name == "choices":
        return f"{label} is a choice card and needs 'choices': a list of 2 to 6 options, e.g. choices: [first, second]"
    if name == "text":
        return f"{label} is a cloze card and needs 'text': a sentence with gaps written {{{{like this}}}}"
    return f"{label} has no '{name}'"  # pragma: no cover - every required field is named above


def _unknown_field(name: str, known: list[str], in_card: bool) -> str:
    guess = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if not in_card and name in _CARD_FIELDS:
        return (f"unknown field '{_q(name)}' at the top of the deck — card fields belong inside a card under 'cards:' "
                "(check the indentation)")
    if in_card and name in _DECK_FIELDS:
        return f"'{name}' is a field of the deck, not of a card — move it to the top of the file (check the indentation)"
    if guess:
        return f"unknown field '{_q(name)}' — did you mean '{guess[0]}'?"
    where = "a card's" if in_card else "the deck's"
    return f"unknown field '{_q(name)}' — remove it; {where} fields are: {', '.join(known)}"


def _wrong_for_type(field: str, card_type: str) -> str:
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
        return f"a truefalse card's answer must be true or false (without quotes), not {_kind(value)}"
    if value is None:
        if item:
            return f"{label} is empty — write it or remove the line"
        if field == "reminder":
            return "'reminder' is empty — write the reminder after 'reminder:', or remove the line"
        return f"'{field}' is empty — write {_WHAT.get(field, 'a value')} after '{field}:'"
    if expected == "string":
        if isinstance(value, (bool, int, float)):
            node, _ = _node_at(root, path)
            raw = node.value if isinstance(node, yaml.ScalarNode) else str(value)
            return f"{label} must be text, not {_kind(value)} — put it in quotes: \"{_q(raw)}\""
        return (f"{label} must be a single piece of text, not {_kind(value)} (text containing ': ' or starting "
                "with '- ' must be in quotes)")
    if expected == "array":
        if field == "cards":
            return "'cards' must be a list of cards, each starting with `- id: ...` on its own line"
        example = "choices: [first, second, third]" if field == "choices" else "tags: [anatomy, spine]"
        return f"'{field}' must be a list, not {_kind(value)}, e.g. {example}"
    if expected == "object":
        if field == "sources":
            return f"'sources' must be a set of `id: full citation` lines indented under 'sources:', not {_kind(value)}"
        return f"each card must be a set of fields starting with `- id: ...`, not {_kind(value)}"
    return f"{label} has the wrong type ({_kind(value)})"  # pragma: no cover


def _bad_id(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        return f"'{field}' is empty — write {_WHAT[field]}"
    sep_ok = "-" if field == "deck" else "-_"
    allowed = "lowercase letters, digits and hyphens" if field == "deck" else "lowercase letters, digits, - and _"
    suggestion = _slug(value, sep_ok)
    eg = f" — e.g. '{_q(suggestion)}'" if suggestion and suggestion != value else ""
    what = "deck id" if field == "deck" else "card id"
    return f"{what} '{_q(value)}' is not valid: use {allowed}, starting with a letter or digit{eg}"


def _slug(value: str, allowed_punct: str) -> str:
    text = re.sub(f"[^a-z0-9{re.escape(allowed_punct)}]+", "-", value.lower()).strip("-_")
    return re.sub(r"-{2,}", "-", text)


def _cloze_problem(text: str) -> str:
    if "{{" not in text and "}}" not in text and "{" not in text and "}" not in text:
        return ("a cloze card's text needs at least one gap: put the words to hide in double braces, e.g. "
                "'The {{sacrum}} sits between the buttocks'")
    if re.search(r"\{\{\s*\}\}", text):
        return "a cloze gap is empty — write the hidden words inside the {{ }}"
    return ("a cloze card's text has an unmatched or single brace: each gap is written {{like this}}, gaps cannot "
            "be nested, and single { or } are not allowed")


def _cross_check(data: dict, root: yaml.Node) -> list[tuple[tuple[int, int], str]]:
    """The rules a JSON Schema cannot express: unique card ids, sources that exist, the right choice
    among the choices, cloze gaps that do not give each other away."""
    out: list[tuple[tuple[int, int], str]] = []
    cards = data.get("cards")
    if not isinstance(cards, list):
        return out
    sources = data.get("sources")
    source_ids = list(sources) if isinstance(sources, dict) else None
    first: dict[str, int] = {}
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        card_id = card.get("id")
        if isinstance(card_id, str) and card_id:
            if card_id in first:
                line = _value_mark(root, ["cards", first[card_id], "id"])[0]
                out.append((_value_mark(root, ["cards", i, "id"]),
                            f"card id '{_q(card_id)}' is already used on line {line} — ids must be unique in a deck; "
                            "rename one of them"))
            else:
                first[card_id] = i
        source = card.get("source")
        if source_ids and isinstance(source, str) and source and not re.search(r"\s", source) \
                and source not in source_ids:
            guess = difflib.get_close_matches(source, source_ids, n=1, cutoff=0.5)
            hint = f" — did you mean '{guess[0]}'?" if guess else f"; the deck's sources are: {', '.join(source_ids)}"
            out.append((_value_mark(root, ["cards", i, "source"]),
                        f"source '{_q(source)}' is not defined under 'sources:'{hint} (or add it there)"))
        kind = card.get("type")
        if kind == "choice":
            out.extend(_check_choice(card, i, root))
        elif kind == "cloze":
            out.extend(_check_cloze(card, i, root))
    return out


def _check_choice(card: dict, i: int, root: yaml.Node) -> list[tuple[tuple[int, int], str]]:
    choices, answer = card.get("choices"), card.get("answer")
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        return []
    out = []
    stripped = [c.strip() for c in choices]
    if len(set(choices)) == len(choices):  # exact repeats are the schema's to report
        for j, c in enumerate(stripped):
            if c and c in stripped[:j]:
                out.append((_value_mark(root, ["cards", i, "choices", j]),
                            f"choice '{_q(c)}' is listed twice (apart from spaces) — every choice must differ"))
    if isinstance(answer, str) and answer.strip() and answer.strip() not in stripped:
        guess = difflib.get_close_matches(answer.strip(), stripped, n=1, cutoff=0.5)
        hint = f" (did you mean '{_q(guess[0])}'?)" if guess else ""
        out.append((_value_mark(root, ["cards", i, "answer"]),
                    f"the answer '{_q(answer.strip())}' is not one of the choices{hint} — the answer must repeat the right "
                    "choice exactly"))
    return out


def _check_cloze(card: dict, i: int, root: yaml.Node) -> list[tuple[tuple[int, int], str]]:
    text = card.get("text")
    if not isinstance(text, str):
        return []
    gaps = [g.strip() for g in _CLOZE_GAP.findall(text)]
    seen: set[str] = set()
    for gap in gaps:
        key = gap.casefold()
        if key and key in seen:
            return [(_value_mark(root, ["cards", i, "text"]),
                     f"the gap {{{{{_q(gap)}}}}} appears twice: when one is asked the other shows the answer — reword, "
                     "or make two cards")]
        seen.add(key)
    return []


# --------------------------------------------------------------------------- building
def _build(data: dict, root: yaml.Node, path: str) -> Deck:
    deck_id = data["deck"]
    card_nodes = _node_at(root, ["cards"])[0].value
    cards: list[Card] = []
    for node, raw in zip(card_nodes, data["cards"]):
        kind = CardType(raw["type"])
        common = dict(
            deck_id=deck_id, key=raw["id"], type=kind, explanation=raw["explanation"].strip(), source=raw["source"],
            tags=tuple(dict.fromkeys(t.strip() for t in raw.get("tags", ()))), line=node.start_mark.line + 1,
        )
        if kind is CardType.CLOZE:
            for n, (prompt, answer) in enumerate(_cloze_prompts(raw["text"]), start=1):
                cards.append(Card(prompt=prompt, answer=answer, gap=n, **common))
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


def _cloze_prompts(text: str) -> list[tuple[str, str]]:
    """(prompt, answer) for each gap: that gap blanked, the others filled in."""
    pieces = _CLOZE_GAP.split(text)  # text, gap, text, gap, ..., text
    gaps = [g.strip() for g in pieces[1::2]]
    out = []
    for n, answer in enumerate(gaps):
        shown = [piece if k % 2 == 0 else (CLOZE_BLANK if k // 2 == n else gaps[k // 2]) for k, piece in enumerate(pieces)]
        out.append(("".join(shown).strip(), answer))
    return out


# --------------------------------------------------------------------------- a new deck
_TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A quiz deck. The format is described in docs/deck-format.md; the line above lets an editor with a
# YAML language server (VS Code's YAML extension, Neovim, Helix...) complete fields and underline
# mistakes as you type. Check it with:   quiz decks validate {filename}
# and import it with:                    quiz decks import {filename}

# The deck's id: lowercase letters, digits and hyphens. Progress is kept under it, so keep it
# once people use the deck.
deck: {deck_id}
title: {title}
description: What this deck teaches, in one line.
# Optional: shown once a day at the start of a review.
reminder: quiz educates; it does not replace a clinician.

# Every source the cards cite: a short id, then the full citation.
sources:
  deck-format: "quiz documentation: Deck format (docs/deck-format.md)."

cards:
  # Every card has a stable id (lowercase letters, digits, - and _): a card keeps its review
  # history while its id stays the same, whatever you change in its text. It also names its
  # source and explains why it matters (shown after the answer). Tags are optional.

  # basic: a question and its answer.
  - id: card-ids
    type: basic
    question: What keeps a card's review history when you edit its text?
    answer: Its id
    source: deck-format
    explanation: Identity is the card's id, never its text, so you can fix a typo without losing progress.
    tags: [format]

  # choice: 2 to 6 choices; the answer repeats the right one exactly.
  - id: choice-count
    type: choice
    question: How many choices may a choice card have?
    choices: ["2 to 6", "Exactly 4", "As many as you like"]
    answer: "2 to 6"
    source: deck-format
    explanation: Fewer than 2 is no choice, and more than 6 is hard to read on a small screen.

  # truefalse: a statement; the answer is true or false, without quotes.
  - id: removed-cards-keep-history
    type: truefalse
    question: A card removed from the file loses its review history.
    answer: false
    source: deck-format
    explanation: It is retired instead, and comes back with its history if you put it back.

  # cloze: a sentence with {{{{gaps}}}}; each gap is asked on its own, the others filled in.
  - id: cloze-gaps
    type: cloze
    text: "In a cloze card each {{{{gap}}}} is asked on its own, with the other gaps {{{{filled in}}}}."
    source: deck-format
    explanation: One sentence can then test several facts, one at a time.
"""


def new_deck_text(deck_id: str, filename: str) -> str:
    """A commented template deck with id `deck_id` that validates, pointing editors at the schema.

    Raises DeckError (one line, no position) when `deck_id` is not a valid deck id.
    """
    # The file name and the schema's path go into comments: written on one line, as text UTF-8 can hold.
    filename, schema = escape_controls(filename), escape_controls(str(schema_path()))
    # Validate the id through the same rules as any deck; quoted, so no id can change the template's shape.
    probe = _TEMPLATE.format(schema=schema, filename=filename, deck_id=json.dumps(deck_id), title="Probe")
    try:
        parse_deck(probe.encode("utf-8"), "<new deck>")
    except DeckError as err:
        raise DeckError("; ".join(escape_controls(p.message) for p in err.problems)) from None
    title = deck_id.replace("-", " ").strip().capitalize()
    return _TEMPLATE.format(schema=schema, filename=filename, deck_id=_yaml_text(deck_id), title=_yaml_text(title))


def _yaml_text(value: str) -> str:
    """`value` as a YAML plain scalar when it reads back as that text, else double-quoted."""
    return value if _core_scalar(value) == value and re.fullmatch(r"[\w][\w .-]*", value) else json.dumps(value)
