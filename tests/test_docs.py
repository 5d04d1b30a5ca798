"""Every code block in the documentation runs, so what a reader copies works.

Each page of ``docs/`` (and ``README.md``) is run as a reader would follow it: its blocks in
order, in a fresh temporary working directory, ```` ```python ```` blocks sharing one
namespace per page, and every command of a ```` ```sh ```` / ```` ```console ```` block that
starts with ``sinotajik `` run through the installed console script, which must exit 0.
(In a console block the commands are the lines starting with ``$ ``; the other lines are
output.) Other languages (``text``, ``yaml``, ``json``) are not run.

A block titled with a file name, ```` ```json title="my-event.json" ````, is that file: it is
written into the working directory when the reader reaches it, for the blocks after it to
use (mkdocs shows the title as the file's name). Every ```` ```json ```` block must parse.

A block that cannot run here — it serves a web page forever, say — is marked
```` ```python title="not run: <why>" ````; the title shows on the page, so readers see it too.
Use it sparingly: the pages a newcomer follows (getting started, pinning, the guides' main
flows) may have none, and the tests below hold that.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sinotajik

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]
NOT_RUN = 'title="not run'
SHELL_LANGS = ("sh", "bash", "shell", "console")
# Pages a newcomer follows from install to timeline, filter, pin and export: every block runs.
MAIN_FLOW = (
    "getting-started.md",
    "guides/pinning.md",
    "guides/filtering.md",
    "guides/timeline.md",
    "guides/exports.md",
)

_FENCE_RE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<lang>[\w-]*)(?P<attrs>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.M | re.S
)


class Block:
    """One fenced code block of a page."""

    def __init__(self, page: Path, match: re.Match[str], text: str) -> None:
        self.page = page
        self.lang = match["lang"].lower()
        self.attrs = match["attrs"].strip()
        self.line = text.count("\n", 0, match.start()) + 2  # the first line of the body
        indent = len(match["indent"])
        self.body = "\n".join(line[indent:] for line in match["body"].splitlines())

    @property
    def skipped(self) -> bool:
        return NOT_RUN in self.attrs

    @property
    def file_name(self) -> str | None:
        """The file this block is, when its title is a file name (``title="my-event.json"``)."""
        m = re.search(r'title="([\w./-]+\.\w+)"', self.attrs)
        return None if m is None or self.skipped else m.group(1)

    @property
    def commands(self) -> list[str]:
        """The ``sinotajik`` commands of a shell block that starts with one (else none)."""
        if self.lang not in SHELL_LANGS:
            return []
        if self.lang == "console":
            lines = [ln[2:].strip() for ln in self.body.splitlines() if ln.startswith("$ ")]
        else:
            lines = [ln.strip() for ln in self.body.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if not lines or not lines[0].startswith("sinotajik "):
            return []
        return [ln for ln in lines if ln.startswith("sinotajik ")]

    @property
    def runnable(self) -> bool:
        return not self.skipped and (self.lang == "python" or bool(self.commands) or self.file_name is not None)

    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    return [Block(page, m, text) for m in _FENCE_RE.finditer(text)]


def _console_script() -> str:
    exe = shutil.which("sinotajik", path=str(Path(sys.executable).parent)) or shutil.which("sinotajik")
    assert exe, "the sinotajik console script is not installed"
    return exe


RUNNABLE_PAGES = [p for p in PAGES if any(b.runnable for b in blocks(p))]


@pytest.mark.parametrize("page", RUNNABLE_PAGES, ids=[str(p.relative_to(ROOT)) for p in RUNNABLE_PAGES])
def test_page_code_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's Python blocks run in order in one namespace, and its sinotajik commands exit 0."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    exe = _console_script()
    for block in blocks(page):
        if not block.runnable:
            continue
        if block.file_name is not None:
            target = tmp_path / block.file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body + "\n", encoding="utf-8")
            continue
        if block.lang == "python":
            # dont_inherit: run as a reader's module would, without this file's "from __future__" imports.
            code = compile("\n" * (block.line - 1) + block.body, str(block.page), "exec", dont_inherit=True)
            exec(code, namespace)
            continue
        for command in block.commands:
            argv = shlex.split(command)
            assert not set(argv) & {"|", ">", ">>", "<", "&&", ";"}, f"{block.where()}: keep commands shell-free"
            proc = subprocess.run([exe, *argv[1:]], capture_output=True, text=True, cwd=tmp_path, timeout=300)
            assert proc.returncode == 0, f"{block.where()}: {command!r} exited {proc.returncode}\n{proc.stderr}"


def test_the_docs_have_runnable_code() -> None:
    """The pages hold many runnable blocks, so the test above cannot pass by finding none."""
    runnable = [b for p in PAGES for b in blocks(p) if b.runnable]
    assert len([b for b in runnable if b.lang == "python"]) >= 30
    assert len([b for b in runnable if b.lang != "python"]) >= 5
    for name in MAIN_FLOW:
        assert any(b.runnable for b in blocks(DOCS / name)), name


def test_not_run_blocks_are_rare_and_off_the_main_flow() -> None:
    """Blocks marked not run are few, say why, and none is on a page a newcomer follows."""
    skipped = [b for p in PAGES for b in blocks(p) if b.skipped]
    assert len(skipped) <= 5, [b.where() for b in skipped]
    for b in skipped:
        assert re.search(r'title="not run: \S', b.attrs), f"{b.where()}: say why it is not run"
        assert str(b.page.relative_to(DOCS) if b.page.is_relative_to(DOCS) else b.page.name) not in MAIN_FLOW


def test_python_and_json_blocks_parse() -> None:
    """Even a block that is not run parses, so a typo cannot hide behind the marker."""
    for p in PAGES:
        for b in blocks(p):
            if b.lang == "python":
                compile(b.body, b.where(), "exec")
            elif b.lang == "json":
                try:
                    json.loads(b.body)
                except ValueError as exc:
                    pytest.fail(f"{b.where()}: {exc}")


def test_every_public_name_is_in_the_api_reference() -> None:
    """Each name in ``sinotajik.__all__`` is rendered by a ``::: sinotajik.<name>`` directive."""
    api = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DOCS / "api").glob("*.md")))
    rendered = set(re.findall(r"^::: sinotajik\.(\w+)$", api, flags=re.M))
    missing = sorted(set(sinotajik.__all__) - {"__version__"} - rendered)
    assert missing == [], f"add these to a page in docs/api/: {missing}"
    assert rendered <= set(sinotajik.__all__), sorted(rendered - set(sinotajik.__all__))
    assert "__version__" in (DOCS / "api" / "index.md").read_text(encoding="utf-8")


def test_every_page_is_in_the_nav() -> None:
    """Every page under docs/ is listed in mkdocs.yml's nav, and every listed page exists."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\s*- (?:[^:\n]+: )?([\w/.-]+\.md)\s*$", config, flags=re.M))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert listed == pages, {"not in nav": sorted(pages - listed), "missing": sorted(listed - pages)}


def test_generated_pages_are_not_hand_edited_here() -> None:
    """The generated pages say so, and name the script that makes them."""
    for name, script in [
        ("data-dictionary.md", "gen_data_docs.py"),
        ("coverage.md", "gen_data_docs.py"),
        ("cli.md", "gen_cli_docs.py"),
    ]:
        head = (DOCS / name).read_text(encoding="utf-8")[:400]
        assert f"generated by scripts/{script}" in head, name
