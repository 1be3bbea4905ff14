"""Python's garbage collector held off while quiz starts, and released once start-up is over.

Start-up (importing Textual and the app, building the first screen) allocates hundreds of thousands of
objects and frees almost none, so the collector's passes over them find nothing while they delay
the first card (start-up 1.30x a bare Textual app with the hold, 1.62x without: docs/performance.md).
`release()` ends the hold once the first screen is on the terminal (or a command that draws no screen
begins): everything alive then is frozen out of later collections (`gc.freeze`), which also keeps the
collector's pauses out of the answers.
"""
from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Hold the collector off (quiz.launch, before anything heavy is imported)."""
    global _held
    gc.disable()
    _held = True


def held() -> bool:
    """Whether the collector is being held off now."""
    return _held


def release() -> None:
    """Start-up is over: collect garbage again (a no-op unless `hold` is in force)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
