"""The README's install block, run verbatim as a new user would: a fresh home, the system's own Python, a terminal."""
from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyte
import pytest
from conftest import a_clone

ROOT = Path(__file__).resolve().parent.parent
#: A stock Debian or Ubuntu whose Python refuses `pip install` outside a virtual environment (PEP 668).
MANAGED = list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED"))
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

pytestmark = pytest.mark.skipif(
    not (sys.platform == "linux" and os.geteuid() == 0 and shutil.which("apt-get") and MANAGED),
    reason="runs the README's install block as root on Debian/Ubuntu with an externally managed Python (CI does)",
)


def readme_block(heading: str) -> str:
    """The first ```sh block after `heading` in the README, as a user would copy it."""
    text = (ROOT / "README.md").read_text()
    section = text.split(heading, 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, f"no sh block under {heading!r}"
    return block.group(1)


def user_env(home: Path) -> dict[str, str]:
    """A new user's login: their own home and the system's PATH, nothing of this test's virtualenv."""
    return {"HOME": str(home), "PATH": SYSTEM_PATH, "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "TEXTUAL_ANIMATIONS": "none"}


def run_in_terminal(script: str, cwd: Path, env: dict[str, str], until: str, timeout: float) -> str:
    """Run `script` with bash in an 80x24 pseudo-terminal until `until` is on screen; then ctrl+q.

    Returns the screen as it was when `until` appeared (or at the timeout)."""
    import pty

    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a shell in the terminal, running the block
        os.chdir(cwd)
        os.execve("/bin/bash", ["bash", "-c", script], env)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    deadline = time.monotonic() + timeout
    seen = ""
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    stream.feed(os.read(fd, 65536))
                except OSError:
                    break
            seen = "\n".join(screen.display)
            if until in seen:
                time.sleep(0.3)
                os.write(fd, b"\x11")  # ctrl+q: quit the app
                break
        end = time.monotonic() + 20
        while time.monotonic() < end:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)
    return seen


def test_the_readme_install_block_opens_the_app_and_quiz_starts_again_in_a_new_terminal(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    clone = a_clone(tmp_path / "quiz")
    env = user_env(home)
    # The premise: this Python refuses a plain `pip install` (so the README must not rely on it).
    refused = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--dry-run", "."], cwd=clone, env=env,
                             capture_output=True, text=True)
    assert refused.returncode != 0

    shown = run_in_terminal(readme_block("## Install and run"), clone, env, until="Press Enter to continue", timeout=420)
    assert "Before you start" in shown, shown  # the app opened: the first screen of the day is the reminder

    # The next morning, a new terminal: an interactive shell reads what `pipx ensurepath` wrote.
    again = subprocess.run(["bash", "-ic", "command -v quiz && quiz --version"], env=env, cwd=home,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and str(home / ".local/bin/quiz") in again.stdout, again.stdout + again.stderr
    assert (home / ".local/share/quiz/quiz.db").is_file()  # progress lives in the user data folder

    # Update as the README says, from the folder with the new version: still there, progress kept.
    updated = subprocess.run(["bash", "-ic", "pipx install --force . && quiz --version"], env=env, cwd=clone,
                             capture_output=True, text=True, timeout=300)
    assert updated.returncode == 0 and "version" in updated.stdout, updated.stdout + updated.stderr

    # Uninstall as the README says: the command goes, the progress stays.
    gone = subprocess.run(["bash", "-ic", "pipx uninstall quiz && ! command -v quiz"], env=env, cwd=home,
                          capture_output=True, text=True, timeout=120)
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert (home / ".local/share/quiz/quiz.db").is_file()

