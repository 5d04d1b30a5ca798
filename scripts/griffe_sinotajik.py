"""A griffe extension for the API reference: make sinotajik's docstrings render in Markdown.

mkdocs.yml loads it by path (``extensions: [scripts/griffe_sinotajik.py]``). The docstrings
are Google style, read as Markdown, but use Sphinx-style cross-reference roles
(``:func:`load```, ``:class:`Citation` s``). This rewrites each role before the docstring is
parsed:

* to a link, ``[`load`][sinotajik.load]``, when it names a public name (``__all__``) or a
  public method or property of a public class (``Dataset.as_of``, or ``from_records`` in the
  docstring of a method of ``Dataset``), since the API reference renders those;
* to inline code otherwise (a private helper, a module, a field).

A ``~`` before the target shows only its last part, as in Sphinx; ``` ` s``` (a role made
plural) becomes ``s``. It also splits an ``Attributes:`` line that names several fields at
once (``actors, places: the records, by kind.``) into one line per field, so griffe-fieldz
can attach each field's type to its own entry.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

import sinotajik

_ROLE_RE = re.compile(r":(?:func|meth|class|data|attr|mod|obj|exc):`(?P<target>[^`]+)`(?P<plural> s\b)?")
_MULTI_FIELD_RE = re.compile(r"^(?P<indent>\s+)(?P<names>[a-z_]+(?:, [a-z_]+)+): (?P<desc>.*)$")
_PUBLIC = frozenset(sinotajik.__all__)


def _public_class(obj: griffe.Object | griffe.Alias | None) -> str | None:
    """The public name of the class ``obj`` is, or is a member of (``None`` when there is none)."""
    while obj is not None:
        if obj.is_class and obj.name in _PUBLIC:
            return obj.name
        obj = obj.parent
    return None


def _is_public_member(cls_name: str, member: str) -> bool:
    """True when ``sinotajik.<cls_name>.<member>`` is a public method or property."""
    if member.startswith("_"):
        return False
    cls = getattr(sinotajik, cls_name, None)
    attr = None if cls is None else cls.__dict__.get(member)
    return isinstance(attr, (property, classmethod, staticmethod)) or callable(attr)


def resolve(target: str, context: griffe.Object | griffe.Alias | None) -> str | None:
    """The identifier in the API reference that ``target`` names, if the reference renders it."""
    name = target.removeprefix("sinotajik.")
    head, _, rest = name.partition(".")
    if head in _PUBLIC and head != "__version__":
        if not rest:
            return f"sinotajik.{head}"
        if "." not in rest and _is_public_member(head, rest):
            return f"sinotajik.{head}.{rest}"
        return None
    owner = _public_class(context)
    if owner is not None and not rest and _is_public_member(owner, head):
        return f"sinotajik.{owner}.{head}"
    return None


def rewrite(text: str, context: griffe.Object | griffe.Alias | None = None) -> str:
    """The docstring ``text`` with its roles turned into links or code, and fields split."""

    def role(m: re.Match[str]) -> str:
        target = m.group("target")
        short = target.startswith("~")
        target = target.lstrip("~")
        shown = target.rsplit(".", 1)[-1] if short else target
        plural = "s" if m.group("plural") else ""
        ident = resolve(target, context)
        if ident is None:
            return f"`{shown}`{plural}"
        return f"[`{shown}`][{ident}]{plural}"

    text = _ROLE_RE.sub(role, text)
    lines: list[str] = []
    in_attributes = False
    for line in text.splitlines():
        if line.strip() == "Attributes:":
            in_attributes = True
        elif line and not line[0].isspace():
            in_attributes = False
        m = _MULTI_FIELD_RE.match(line) if in_attributes else None
        if m:
            lines.extend(f"{m['indent']}{n}: {m['desc']}" for n in m["names"].split(", "))
        else:
            lines.append(line)
    return "\n".join(lines)


class SinotajikDocstrings(griffe.Extension):
    """Rewrite every docstring as it is loaded, before any other extension parses it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring in place."""
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value, obj)
