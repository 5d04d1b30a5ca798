"""The typing examples (checked by mypy --strict in CI) also run: the documented idioms work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "typing-examples"


def test_typing_examples_run() -> None:
    """Every file in typing-examples/ runs to the end without an error."""
    files = sorted(EXAMPLES.glob("*.py"))
    assert files
    for path in files:
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{path.name}: {proc.stderr}"


def test_ci_type_checks_the_typing_examples() -> None:
    """CI runs mypy --strict on typing-examples/ (the typing tests are not optional)."""
    ci = (EXAMPLES.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$work/lint/bin/mypy" --strict typing-examples' in ci
