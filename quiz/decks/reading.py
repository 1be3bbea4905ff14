"""Deck files read safely: paths and folders expanded, special files refused, size limited, UTF-8 decoded."""
from __future__ import annotations

import os
import stat

from quiz.decks.problems import DeckError, Problem

#: Larger files are refused before they are read. A deck of 10,000 cards is about 3 MB; real decks
#: are a few hundred cards, so a bigger file is almost certainly the wrong file.
MAX_DECK_BYTES = 4 * 1024 * 1024
DECK_SUFFIXES = (".yaml", ".yml")


def expand_paths(paths: list[str] | tuple[str, ...]) -> tuple[list[str], list[Problem]]:
    """The deck files named by `paths` (a folder gives its .yaml and .yml files, sorted), each file
    once however often it is named, and a problem for each path that gives none."""
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


def read_bytes(path: str) -> bytes:
    """The bytes of the regular file `path`, at most MAX_DECK_BYTES of them; raises DeckError."""
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


def decode(data: bytes, path: str) -> str:
    """The text of a deck file's bytes, which must be UTF-8; raises DeckError naming the first bad byte."""
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
