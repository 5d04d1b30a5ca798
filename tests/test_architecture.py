"""The shape of the package: no generated code, no process-wide switches, no import cycles.

The modules are read as source (``ast``), so imports inside function bodies count as much as
those at the top; only imports under ``if TYPE_CHECKING:`` are left out (they never run). The
command modules that ``_cli`` imports by name (``_COMMAND_MODULES``) count as its imports.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sinotajik"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


def _resolve(module: str, level: int, name: str | None) -> str:
    base = _package_of(module).split(".")
    if level > 1:
        base = base[: len(base) - level + 1]
    return ".".join([*base, name] if name else base)


def _imports(module: str) -> Iterator[tuple[str, str | None]]:
    """``(imported module, name or None)`` for every import of ``module`` that runs."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub, None) if sub in MODULES else (target, alias.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("."):
            # A module named by a string for importlib (the command modules of the CLI).
            named = _resolve(module, 1, node.value[1:]) if node.value[1:].isidentifier() else ""
            if named in MODULES:
                yield named, None


def _graph() -> dict[str, set[str]]:
    return {m: {t for t, _ in _imports(m) if t in MODULES and t != m} for m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_reader_sees_imports_in_function_bodies() -> None:
    """The import graph includes imports made inside functions and modules the CLI names as strings."""
    graph = _graph()
    assert "sinotajik._cli.query" in graph["sinotajik._cli"]  # imported inside a command
    assert "sinotajik._cli.diff" in graph["sinotajik._cli"]  # named in _COMMAND_MODULES
    assert "sinotajik._notebook" in graph["sinotajik._model"]  # imported inside _repr_html_


def test_the_cycle_finder_finds_a_cycle() -> None:
    """A graph with a loop through three modules is reported as one cycle."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    """No module of the package imports, at any depth and from any function, a module that imports it."""
    assert _cycles(_graph()) == []


def _private_imports() -> set[tuple[str, str, str]]:
    out = set()
    for m in MODULES:
        for target, name in _imports(m):
            if name is None or not name.startswith("_") or name.startswith("__") or target not in MODULES:
                continue
            if target.split(".")[:2] != m.split(".")[:2]:  # another unit of the package
                out.add((m, target, name))
    return out


def test_no_private_name_is_imported_from_another_unit() -> None:
    """Private names stay in their module or subpackage: what another unit needs has a plain name."""
    assert _private_imports() == set()


def test_the_private_import_finder_finds_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module importing an underscored name from another unit is reported."""
    fake = {"sinotajik._a": tmp_path / "a.py", "sinotajik._b": tmp_path / "b.py"}
    fake["sinotajik._a"].write_text("from ._b import _hidden\n", encoding="utf-8")
    fake["sinotajik._b"].write_text("_hidden = 1\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "MODULES", fake)
    assert _private_imports() == {("sinotajik._a", "sinotajik._b", "_hidden")}


def _calls(name: str) -> list[str]:
    found = []
    for m, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
                found.append(f"{m}:{node.lineno}")
    return found


@pytest.mark.parametrize("builtin", ["exec", "eval", "compile", "__import__"])
def test_no_source_is_generated_and_run(builtin: str) -> None:
    """No module calls the builtins exec, eval, compile or __import__ (re.compile is a method, and fine)."""
    assert _calls(builtin) == []


def test_no_process_wide_state_is_changed() -> None:
    """No module imports gc or locale, or sets the recursion limit: loading leaves the process as it was."""
    offenders = []
    for m in MODULES:
        for target, name in _imports(m):
            if target in ("gc", "locale") or (target == "sys" and name == "setrecursionlimit"):
                offenders.append((m, target))
        text = MODULES[m].read_text(encoding="utf-8")
        if "setrecursionlimit" in text or "gc." in text.replace("_gc.", ""):
            offenders.append((m, "text"))
    assert offenders == []


def test_the_page_assets_are_package_resources() -> None:
    """The timeline page's CSS, script and skeleton are files of the installed package, not Python strings."""
    from importlib import resources

    folder = resources.files("sinotajik._render")
    for name in ("page.css", "page.js", "page.html", "svg.css"):
        assert (folder / name).is_file(), name
    html = (folder / "page.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n") and "$css" in html and "$js" in html
