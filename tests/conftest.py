"""Shared fixtures: where the repository, its data sources and the seed documents are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def seeds_dir() -> Path | None:
    """The seed documents: $SINOTAJIK_SEEDS, or ``shared/seeds`` beside the repository."""
    env = os.environ.get("SINOTAJIK_SEEDS")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "seeds"]:
        if cand.is_dir():
            return cand
    return None


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The seed folder; required in CI, skipped elsewhere when the checkout lacks it."""
    found = seeds_dir()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("shared/seeds/ not found beside the repository (CI needs it)")
        pytest.skip("seed documents not found: set SINOTAJIK_SEEDS or put shared/seeds beside the repo")
    return found


Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def cli() -> Runner:
    """Run the installed ``sinotajik`` console script and capture its output."""
    exe = shutil.which("sinotajik", path=str(Path(sys.executable).parent)) or shutil.which("sinotajik")
    assert exe, "the sinotajik console script is not installed"

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)

    return run
