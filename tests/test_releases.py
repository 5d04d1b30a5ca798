"""Published releases are immutable: their checksums are pinned here for ever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sinotajik

ROOT = Path(__file__).resolve().parent.parent

# Every release ever shipped, with its SHA-256. Add a line per new release; never change one.
PUBLISHED = {
    "2026.11.0": "300405e521bbc9f740ccc94e5d5e97f59cd2ba51205e953775d93d1ed33d2ae5",
    "2026.11.1": "e1d45e2c6318c6264c38c9d156e4258b70f83f210429553115d23489cc565a43",
    "2026.11.2": "35bb696f1711af876ef8e5e21c280c0e531b2c4bc17c7b55a6dc6b5016417c6c",
    "2026.12.0": "ac83b811b8906ce414a4afe40aee5fd41f1563e09967ddd6344c6b1a9d6fa44b",
}


def test_no_published_release_ever_changes() -> None:
    """Every pinned release is still bundled, with exactly its pinned checksum."""
    bundled = {r.version: r.sha256 for r in sinotajik.versions()}
    for version, sha in PUBLISHED.items():
        assert bundled.get(version) == sha, f"release {version} changed or disappeared"
        assert sinotajik.load(version).sha256 == sha


def test_every_bundled_release_is_pinned() -> None:
    """A new release must be added to PUBLISHED (so that it is pinned from then on)."""
    assert {r.version for r in sinotajik.versions()} == set(PUBLISHED)


def test_sources_compile_to_the_latest_release() -> None:
    """data/records are valid, canonical, and compile byte for byte to the bundled release."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_release.py"), "check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
