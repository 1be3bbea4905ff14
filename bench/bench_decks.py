"""Validate + import of a generated 10,000-card deck into a fresh database, against bare YAML loads; the peak
memory of validating real and hostile decks, against the file's size."""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, print_table, timed
from bench.synth import TODAY
from quiz import decks
from quiz.decks import MAX_DECK_BYTES, import_decks, load_decks
from quiz.decks import limits as deck_limits
from quiz.decks.schema import reference_validator
from quiz.shipped import bundled_deck_files, sync_bundled_decks
from quiz.store import Store

TARGET_S = 0.5
#: Peak memory of validating any deck within the limits, above what the process holds before it reads the
#: file (docs/deck-format.md states it). The densest deck the limits allow comes closest.
MEMORY_TARGET_MB = 160
#: What validating any deck within the size limit may take in all (the tests run hostile decks under it).
MEMORY_CAP_MB = 1536
HOSTILE_HEAD = "deck: hostile\ntitle: Hostile\ndescription: d.\nsources:\n  s: A source.\ncards:\n"

# Validates one file in a fresh process and prints its peak memory (VmHWM, in kB) before and after reading
# the file. Not ru_maxrss: Linux carries the parent's peak across fork and exec into it.
_MEASURE = """
import sys
from quiz.decks import DeckError, load_decks

def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

floor = peak_kb()
try:
    load_decks([sys.argv[1]])
except DeckError:
    pass
print(peak_kb(), floor)
"""


def deck_yaml(cards: int) -> str:
    """A deck with `cards` cards, the four types in turn, with realistic lengths."""
    out = [
        "# yaml-language-server: $schema=../quiz/schema/deck.schema.json",
        "deck: bench-deck",
        "title: Benchmark deck",
        "description: A generated deck with every card type, for timing validation and import.",
        "reminder: quiz educates; it does not replace a clinician.",
        "sources:",
        '  wikipedia-lbp: "Wikipedia contributors. Low back pain. Wikipedia, The Free Encyclopedia."',
        "  ninds: National Institute of Neurological Disorders and Stroke. Low back pain fact sheet.",
        "cards:",
    ]
    for i in range(cards):
        kind = ("basic", "choice", "truefalse", "cloze")[i % 4]
        out += [f"  - id: card-{i:05d}", f"    type: {kind}"]
        if kind == "basic":
            out += [f"    question: Which bony bump sits behind the spinal cord and shields it (case {i})?",
                    "    answer: The spinous process"]
        elif kind == "choice":
            out += [f"    question: Which part of a lumbar vertebra carries the weight above it (case {i})?",
                    "    choices: [The vertebral body, The spinous process, The sacroiliac joint]",
                    "    answer: The vertebral body"]
        elif kind == "truefalse":
            out += [f"    question: Disc degeneration is a normal part of ageing (case {i}).", "    answer: true"]
        else:
            out += [f'    text: "The lumbar vertebrae sit on the {{{{sacrum}}}}, which meets the pelvis at the '
                    f'{{{{sacroiliac joints}}}} (case {i})."']
        out += ["    source: wikipedia-lbp" if i % 3 else "    source: ninds",
                "    explanation: It is what lets the spine both move and protect the spinal cord.",
                "    tags: [anatomy, bench]"]
    return "\n".join(out) + "\n"


def densest_deck() -> str:
    """The deck that passes every limit with the most values for its size: as many cards as allowed, each
    with one-letter fields and as many one-letter tags as the limit on values leaves room for."""
    per_card = deck_limits.MAX_VALUES // deck_limits.MAX_CARDS - 16  # the card's mapping, 7 fields, its tag list
    card = "- {id: c%d, type: basic, question: q, answer: a, source: s, explanation: e, tags: [" + \
        ",".join(["a"] * per_card) + "]}\n"
    return HOSTILE_HEAD + "".join(card % i for i in range(deck_limits.MAX_CARDS))


def hostile_decks(realistic: str) -> dict[str, str]:
    """Name -> text of the decks whose validation memory is measured: a real one, the densest one the
    limits allow, and the hostile ones of issue 13 (refused early)."""
    gaps = " ".join(f"{{{{g{i}}}}}" for i in range(20_000))
    empty = "- {}\n"
    return {
        "the 10,000-card deck above": realistic,
        "densest deck within the limits": densest_deck(),
        f"{deck_limits.MAX_CARDS:,} empty cards (each 4 problems)": HOSTILE_HEAD + empty * deck_limits.MAX_CARDS,
        "4 MiB of empty cards (refused)": HOSTILE_HEAD + empty * ((MAX_DECK_BYTES - len(HOSTILE_HEAD)) // len(empty)),
        "one cloze card with 20,000 gaps (refused)":
            HOSTILE_HEAD + f'- {{id: c, type: cloze, text: "{gaps}", source: s, explanation: e}}\n',
    }


def memory_figures(folder: Path, realistic: str, runs: int) -> list[Figure]:
    """Peak memory (MB) of validating each deck of `hostile_decks` in a fresh process, above the process's
    own peak before it reads the file; the ratio is to the file's size."""
    figures = []
    for name, text in hostile_decks(realistic).items():
        path = folder / "measured.yaml"
        path.write_text(text, encoding="utf-8")
        size_mb = path.stat().st_size / 2**20
        samples, times = [], []
        for _ in range(runs):
            started = time.perf_counter()
            samples.append(_peak_mb(path))
            times.append((time.perf_counter() - started) * 1000)
        figures.append(Figure(f"validation memory: {name}, {size_mb:.2f} MiB, {Figure('', times).median:,.0f} ms",
                              samples, unit="MiB", target=f"< {MEMORY_TARGET_MB} MiB",
                              baseline_name="the file's size", baseline=size_mb))
    return figures


def _peak_mb(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.split()
    peak, floor = int(out[0]), int(out[1])
    assert peak * 1024 < MEMORY_CAP_MB * 2**20
    return (peak - floor) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bench-deck.yaml"
        path.write_text(deck_yaml(args.cards), encoding="utf-8")
        data = path.read_bytes()
        text = data.decode()
        questions = len(load_decks([str(path)])[0].deck.cards)
        print(f"# deck: {args.cards:,} cards ({questions:,} questions with cloze gaps), {len(data) / 1e6:.2f} MB; "
              f"libyaml {'yes' if yaml.__with_libyaml__ else 'NO'}")

        counter = iter(range(10**6))

        def validate_and_import() -> None:
            with Store.open(folder / f"fresh-{next(counter)}.db") as store:
                import_decks(store, load_decks([str(path)]), TODAY)

        with Store.open(folder / "again.db") as store:
            import_decks(store, load_decks([str(path)]), TODAY)
            reimport = timed(lambda: import_decks(store, load_decks([str(path)]), TODAY), args.runs)
            sync_bundled_decks(store, TODAY)
            bundled_unchanged = timed(lambda: sync_bundled_decks(store, TODAY), args.runs)
        # Its floor: reading and hashing the same files, nothing else (no flags read from the store).
        bundled = bundled_deck_files()
        hash_only = timed(lambda: [hashlib.sha256(f.read_bytes()).hexdigest() for f in bundled], args.runs)

        base_name = "yaml.load(CSafeLoader), same file"
        baseline = Figure("", timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.runs)).median
        loaded = load_decks([str(path)])

        def import_only() -> None:
            with Store.open(folder / f"fresh-{next(counter)}.db") as store:
                import_decks(store, loaded, TODAY)

        n = f"{args.cards:,}-card deck"
        # The pure-Python loader and jsonschema alone take seconds on the full deck: at most 3 runs each.
        slow_runs = min(args.runs, 3)
        slow = f" ({slow_runs} run{'s' if slow_runs != 1 else ''})" if slow_runs < args.runs else ""
        figures = [
            Figure(f"validate + import, {n}, fresh database", timed(validate_and_import, args.runs),
                   target=f"< {TARGET_S * 1000:.0f} ms", baseline_name=base_name, baseline=baseline),
            Figure(f"validate only, {n}", timed(lambda: load_decks([str(path)]), args.runs),
                   baseline_name=base_name, baseline=baseline),
            Figure(f"import only (validated), {n}", timed(import_only, args.runs),
                   baseline_name=base_name, baseline=baseline),
            Figure(f"validate + re-import, {n}, nothing changed", reimport, baseline_name=base_name,
                   baseline=baseline),
            Figure(f"yaml.load(SafeLoader), pure Python{slow}",
                   timed(lambda: yaml.load(text, Loader=yaml.SafeLoader), slow_runs),
                   baseline_name=base_name, baseline=baseline),
            Figure("start-up check of bundled decks, unchanged", bundled_unchanged,
                   baseline_name=f"read + sha256 of the same {len(bundled)} files",
                   baseline=Figure("", hash_only).median),
        ]
        # What the fast schema check saves: jsonschema alone on the same data (slow: at most 3 runs).
        value = decks.yaml_data(data)
        figures.append(Figure(f"for comparison: jsonschema alone (iter_errors){slow}",
                              timed(lambda: list(reference_validator().iter_errors(value)), slow_runs),
                              baseline_name=base_name, baseline=baseline))
        # Memory: 3 runs at most (each is a fresh process); the figures barely move between runs.
        figures += memory_figures(folder, deck_yaml(args.cards), min(args.runs, 3))
        print_table(figures)


if __name__ == "__main__":
    main()
