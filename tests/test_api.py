"""The public API: what sinotajik exports, how it reports itself, and that it is documented."""

from __future__ import annotations

import inspect
import subprocess
import sys

import sinotajik


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted, every name in it exists, and no public name is left out."""
    assert list(sinotajik.__all__) == sorted(sinotajik.__all__)
    for name in sinotajik.__all__:
        assert getattr(sinotajik, name) is not None
    public = {n for n in dir(sinotajik) if not n.startswith("_") and not inspect.ismodule(getattr(sinotajik, n))}
    assert public <= set(sinotajik.__all__) | {"annotations"}


def test_public_names_report_the_public_module() -> None:
    """Public classes and functions say sinotajik, not a private module (reprs, API docs)."""
    for name in sinotajik.__all__:
        obj = getattr(sinotajik, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__ == "sinotajik", name


def test_every_public_name_has_a_docstring() -> None:
    """Each public class, function and method has a docstring (they feed the API reference)."""
    missing = []
    for name in sinotajik.__all__:
        obj = getattr(sinotajik, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not inspect.getdoc(obj):
                missing.append(name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    is_api = inspect.isfunction(member) or isinstance(member, property)
                    if not attr.startswith("_") and is_api and not inspect.getdoc(member):
                        missing.append(f"{name}.{attr}")
    assert missing == []


def test_version_comes_from_metadata() -> None:
    """__version__ is the installed distribution's version."""
    from importlib.metadata import version

    assert sinotajik.__version__ == version("sinotajik")


def test_import_is_light() -> None:
    """Importing sinotajik does not import cattrs, json or the release machinery."""
    code = "import sys, sinotajik; print(sorted(m for m in ('cattrs', 'json', 'sinotajik._io') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_installed_package_ships_every_release() -> None:
    """The installed package (the wheel in CI) contains every release its manifest lists."""
    from importlib import resources

    folder = resources.files("sinotajik") / "releases"
    for rel in sinotajik.versions():
        assert (folder / rel.file).is_file(), rel.file
    assert (resources.files("sinotajik") / "py.typed").is_file()
