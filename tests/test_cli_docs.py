"""The command-line reference, docs/cli.md, is current and says what ``--help`` says."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Runner
from sinotajik._cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"


def _sections() -> dict[str, str]:
    """The page's ``## sinotajik ...`` sections, by command (``""`` for the top level)."""
    text = PAGE.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = chunk.partition("\n")
        out[heading.removeprefix("sinotajik").strip()] = body
    return out


def _commands(cli: Runner) -> list[str]:
    """The commands ``sinotajik --help`` lists."""
    proc = cli("--help")
    assert proc.returncode == 0, proc.stderr
    block = proc.stdout.split("COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^    (\w[\w-]*)", block, flags=re.M)]


def _parser_commands() -> list[str]:
    """The top level and every command the parser has, for parametrizing."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return ["", *dict.fromkeys(sub.choices)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_cli_page_is_current() -> None:
    """docs/cli.md equals what scripts/gen_cli_docs.py makes from the parser now."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_every_command_has_a_section(cli: Runner) -> None:
    """Each command listed by ``sinotajik --help`` has its own section on the page, and no other."""
    commands = _commands(cli)
    assert {"info", "validate", "timeline", "versions"} <= set(commands)
    assert set(_sections()) == {"", *commands}


@pytest.mark.parametrize("command", _parser_commands(), ids=lambda c: c or "sinotajik")
def test_section_matches_help(cli: Runner, command: str) -> None:
    """Every option ``--help`` shows is on the page with the same help text, and vice versa."""
    proc = cli(*([command] if command else []), "--help")
    assert proc.returncode == 0, proc.stderr
    shown = _flat(proc.stdout)
    section = _sections()[command]
    rows = re.findall(r"^\| (`[^|]*`) \| (.*) \|$", section, flags=re.M)
    assert rows, f"no options documented for {command!r}"
    documented = set()
    for invocation, meaning in rows:
        for form in re.findall(r"`([^`]+)`", invocation):
            option = form.split(" ")[0]
            documented.add(option)
            assert form in shown or option in shown, f"{command}: {form} is not in --help"
        meaning = meaning.replace("\\|", "|")
        assert _flat(meaning) in shown, f"{command}: {meaning!r} is not in --help"
    for option in set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", proc.stdout.split("\n\n", 1)[1])):
        if option not in ("-h", "--help"):
            assert option in documented, f"{command}: {option} is in --help but not on the page"
    example = re.search(r"^Example: (.+(?:\n\S.*)*)", proc.stdout, flags=re.M)
    if example:
        assert f"```text\n{_flat(example.group(1))}\n```" in section
