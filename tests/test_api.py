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


def _defined_public_names() -> set[str]:
    """The public names the package's private modules define and export (their own ``__all__``)."""
    import importlib

    names = set()
    for module in set(sinotajik._PUBLIC.values()):
        mod = importlib.import_module(module, "sinotajik")
        names.update(n for n in mod.__all__ if getattr(mod, n) is getattr(sinotajik, n, None))
    return names


def test_all_is_exactly_the_public_names() -> None:
    """__all__ is exactly the table of public names plus __version__, sorted, nothing more or less."""
    assert sinotajik.__all__ == sorted([*sinotajik._PUBLIC, "__version__"])
    public = {n for n in dir(sinotajik) if not n.startswith("_") and not inspect.ismodule(getattr(sinotajik, n))}
    assert public - {"annotations"} == set(sinotajik.__all__) - {"__version__"}
    assert _defined_public_names() == set(sinotajik._PUBLIC)


def test_type_checkers_see_the_same_names_as_the_table() -> None:
    """The re-exports under TYPE_CHECKING name exactly the table's names, each from its module."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(sinotajik.__file__).read_text(encoding="utf-8"))
    seen = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                for alias in imp.names:
                    assert alias.asname == alias.name  # "X as X": an explicit re-export
                    seen[alias.name] = f".{imp.module}"
    assert seen == sinotajik._PUBLIC


def test_the_error_tree_in_the_errors_module_matches_the_classes() -> None:
    """The hierarchy drawn in the errors module's docstring is the classes' own."""
    from sinotajik import _errors

    tree = _errors.__doc__ or ""
    drawn = {line.split("── ")[1].split()[0] for line in tree.splitlines() if "── " in line}
    assert drawn == {"SinotajikError", "DataError", "ReleaseError"}
    assert sinotajik.SinotajikError.__bases__ == (Exception,)
    assert set(sinotajik.SinotajikError.__subclasses__()) == {sinotajik.DataError, sinotajik.ReleaseError}
    assert issubclass(sinotajik.DataError, ValueError)
    assert not issubclass(sinotajik.ReleaseError, (ValueError, LookupError))
