"""`quiz config`: daily limits, the hour a study day starts, and the grade scale."""
from __future__ import annotations

import click

from quiz.answer import FULL, SCALE_NAMES, SIMPLE
from quiz.errors import QuizError
from quiz.store import SETTING_LIMITS, Settings

#: What each setting means, as `quiz config` prints it.
MEANINGS = {
    "day_start_hour": "the hour (0-23) a new study day begins; answers before it count for the day before",
    "new_per_day": "new cards a day at most",
    "reviews_per_day": "scheduled reviews a day at most (re-drills of missed cards are extra)",
    "grade_scale": f"grades after an answer: {SIMPLE} (simple: Again, Hard, Good, Easy) or {FULL} (full: SM-2's 0-5)",
}
#: Settings that take words as well as numbers, and the only numbers they take.
WORDS = {"grade_scale": SCALE_NAMES}


# ignore_unknown_options: `quiz config new_per_day -1` is a bad value to explain, not an unknown option.
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("name", required=False, metavar="[NAME")
@click.argument("value", required=False, metavar="[VALUE]]")
@click.pass_obj
def config(env, name: str | None, value: str | None) -> None:
    """Show or change settings.

    \b
    quiz config                     show every setting
    quiz config new_per_day         show one
    quiz config new_per_day 15      change it (also reviews_per_day, day_start_hour)
    quiz config new_per_day default back to the default
    quiz config grade_scale full    SM-2's six grades 0-5 (simple: Again/Hard/Good/Easy)
    """
    if name is not None and name not in SETTING_LIMITS:
        raise QuizError(f"unknown setting {name!r}; settings: {', '.join(SETTING_LIMITS)}")
    store = env.open_store(bundled=False, daily_backup=False)
    if value is not None:
        if name is None:  # click fills the first argument first: a value alone cannot happen
            raise QuizError("give the setting's name before its value, as in `quiz config new_per_day 15`")
        low, high = SETTING_LIMITS[name]
        word = value.strip().lower()
        words = WORDS.get(name, {})
        number = getattr(Settings(), name) if word == "default" else words.get(word, _whole_number(value))
        if words and number not in words.values():
            allowed = " or ".join(f"{w} ({n})" for w, n in words.items())
            raise QuizError(f"{name} must be {allowed} (or 'default'), not {value!r}")
        if number is None or not low <= number <= high:
            raise QuizError(f"{name} must be a whole number from {low} to {high} (or 'default'), not {value!r}")
        store.set_setting(name, number)
    settings = store.settings()
    names = [name] if name else list(SETTING_LIMITS)
    width = max(len(n) for n in names)
    for n in names:
        current = getattr(settings, n)
        default = getattr(Settings(), n)
        note = "" if current == default else f"  (default {default})"
        click.echo(f"{n.ljust(width)}  {str(current).rjust(5)}  {MEANINGS[n]}{note}")


def _whole_number(text: str) -> int | None:
    try:
        return int(text.strip(), 10)
    except ValueError:
        return None
