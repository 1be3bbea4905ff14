"""The core is headless: importing everything outside quiz/tui/ never loads Textual."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import quiz


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(quiz.__path__, "quiz."):
        if info.name.startswith("quiz.tui") or info.name == "quiz.__main__":
            continue
        names.append(info.name)
    return names


def test_the_core_imports_without_textual():
    modules = core_modules()
    assert "quiz.store" in modules and "quiz.sm2" in modules and "quiz.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"textual loaded by the core: {out.stdout}"


def test_quiz_help_answers_without_importing_textual():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from quiz.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('textual' in sys.modules, 'Usage' in r.output)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def _imports(path) -> set[str]:
    """The quiz modules a source file imports at run time (wherever in the file; TYPE_CHECKING blocks
    are for the type checker only and left out)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and getattr(block.test, "id", getattr(block.test, "attr", "")) == "TYPE_CHECKING"
               for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("quiz")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("quiz"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_module_of_quiz_imports_itself_back_through_others():
    from pathlib import Path

    root = Path(quiz.__path__[0])
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: {m for m in _imports(path) if m in names and m != name} for name, path in names.items()}

    cycles = []

    def visit(node, trail):
        for nxt in sorted(graph[node]):
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, trail + [nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert cycles == []
