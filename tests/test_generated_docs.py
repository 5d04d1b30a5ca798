"""Generated documentation pages stay in step with the model and the latest release."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_data_dictionary_and_coverage_are_current() -> None:
    """docs/data-dictionary.md and docs/coverage.md equal what the generator makes now."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_data_docs.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_every_model_field_is_in_the_data_dictionary() -> None:
    """Each field of each record type appears in the dictionary's table for that type."""
    import attrs

    import sinotajik

    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for cls in (
        sinotajik.Actor,
        sinotajik.Place,
        sinotajik.Source,
        sinotajik.Event,
        sinotajik.Agreement,
        sinotajik.Facility,
    ):
        section = text.split(f"### {cls.__name__}\n", 1)[1].split("\n### ", 1)[0]
        for f in attrs.fields(cls):
            assert f"| `{f.name}` |" in section, f"{cls.__name__}.{f.name}"
