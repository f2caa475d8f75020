"""`make help` prints the port `make run` really serves on, and the README says how to change it
(issue 14: it printed a literal `$(PORT)`, and the README never mentioned PORT)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _help(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    return subprocess.run(
        ["make", "--no-print-directory", "help", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_help_prints_the_default_port():
    run = next(line for line in _help().splitlines() if line.strip().startswith("make run "))
    assert "http://127.0.0.1:8000" in run
    assert "$(PORT)" not in _help()


def test_make_help_prints_the_port_given():
    assert "http://127.0.0.1:8123" in _help("PORT=8123")


def test_the_readme_says_how_to_change_the_port():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"make run PORT=\d+", readme)
