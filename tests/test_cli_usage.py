"""Typos, missing and malformed arguments get click's usage message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["serch", "x"], "No such command 'serch'"),
        (["ask"], "Missing argument 'question'"),
        (["search", "x", "-k", "abc"], "Invalid value for '-k'"),
    ],
)
def test_usage_errors_are_clicks_message(home: Path, args: list[str], says: str) -> None:
    env = {**os.environ, "TUTOR_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert says in out.stderr and "Usage: " in out.stderr
