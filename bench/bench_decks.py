"""Validate + import of a generated 10,000-card deck into a fresh database, against bare YAML loads."""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, print_table, timed
from bench.synth import TODAY
from quiz import decks
from quiz.decks import import_decks, load_decks
from quiz.decks.schema import reference_validator
from quiz.shipped import bundled_deck_files, sync_bundled_decks
from quiz.store import Store

TARGET_S = 0.5


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
        print_table(figures)


if __name__ == "__main__":
    main()
