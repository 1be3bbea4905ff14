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
