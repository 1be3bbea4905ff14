"""The suite runs in the project's own environment: under a Python that lacks quiz's dependencies, it starts again in .venv.

`python -m pytest` is often run with whatever Python a machine has (a new machine's has pytest but not
Textual). Rather than failing on the first import, the suite then makes `.venv` beside the project
(once; git ignores it), installs the project with its test extra from pyproject.toml into it, and runs
the same pytest command there. Nothing is installed into the Python that was used.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Imported by the package or the tests; any one missing means this is not the project's environment.
NEEDED = ("textual", "textstat", "jsonschema_rs", "pygal", "yaml", "platformdirs", "pyte", "hypothesis", "xdist")
#: Set in the environment of the run started again, so it never starts itself a second time.
STARTED_AGAIN = "QUIZ_TESTS_IN_PROJECT_VENV"


def missing() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def run_in_project_environment(config: pytest.Config) -> None:
    """Start pytest again in the project's .venv when this Python lacks a dependency (a no-op otherwise).

    Called from `pytest_configure`, before anything is collected. Pytest's output capture is suspended
    first, so the run started again writes to the terminal this one was given."""
    lacking = missing()
    if not lacking or os.environ.get(STARTED_AGAIN):
        return
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.suspend_global_capture(in_=True)
    root = Path(__file__).resolve().parent.parent
    folder = root / ".venv"
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    print(f"tests: this Python ({sys.executable}) lacks {', '.join(lacking)}; running the suite in {folder}",
          file=sys.stderr, flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e",
                    f"{root}[test]"], check=True)
    os.environ[STARTED_AGAIN] = "1"
    os.execv(str(python), [str(python), "-m", "pytest", *sys.argv[1:]])

