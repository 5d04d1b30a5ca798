"""Reading and writing datasets: bundled releases, users' files, canonical bytes.

Bundled releases live in the package as ``sinotajik/releases/<version>.json`` beside a
``manifest.json`` listing each release's SHA-256. A release is read lazily on the first
[`load`][sinotajik.load] of its version, verified against the manifest, parsed once and cached; a lock
makes concurrent first loads return the same object.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
import threading
from pathlib import Path
from typing import Any, Literal

import attrs

from ._dataset import Dataset
from ._dates import PartialDate, parse_date
from ._errors import DataError, Problem, ReleaseError
from ._serialize import canonical_json, canonical_jsonl, document_from_bytes, read_document, shown

__all__ = ["Release", "dumps", "latest_version", "load", "parse", "save", "version_key", "versions", "write_file"]

_FORMATS = ("json", "jsonl")


@attrs.frozen(kw_only=True)
class Release:
    """A dataset release bundled with this package.

    Attributes:
        version: the data version (CalVer, e.g. ``2026.11.0``).
        sha256: the SHA-256 of the release's canonical JSON bytes.
        released: the day it was released.
        records: how many records it holds.
        schema: the wire-format schema it is written in.
    """

    version: str
    sha256: str
    released: PartialDate
    records: int
    schema: int
    file: str = attrs.field(repr=False)

    def __str__(self) -> str:
        """The version, so that ``load(str(release))`` and f-strings read naturally."""
        return self.version

    def __lt__(self, other: object) -> bool:
        """Releases order by version as numbers (``2026.11.10`` after ``2026.11.2``)."""
        if not isinstance(other, Release):
            return NotImplemented
        return version_key(self.version) < version_key(other.version)

    def __le__(self, other: object) -> bool:
        """See `__lt__`."""
        if not isinstance(other, Release):
            return NotImplemented
        return version_key(self.version) <= version_key(other.version)

    def __gt__(self, other: object) -> bool:
        """See `__lt__`."""
        if not isinstance(other, Release):
            return NotImplemented
        return version_key(self.version) > version_key(other.version)

    def __ge__(self, other: object) -> bool:
        """See `__lt__`."""
        if not isinstance(other, Release):
            return NotImplemented
        return version_key(self.version) >= version_key(other.version)


_lock = threading.Lock()
_loaded: dict[str, Dataset] = {}
_manifest: dict[str, Release] = {}
_latest: list[str] = []


def _releases_dir() -> Any:
    # The folder beside this module when the package is installed as files (always, in
    # practice); importlib.resources, slower to import, only for other kinds of install.
    here = Path(__file__).resolve().parent / "releases"
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("sinotajik") / "releases"


def _read_manifest() -> dict[str, Release]:
    """The bundled releases by version, read once (under ``_lock``).

    Every entry is read and checked before any is kept, so a damaged manifest raises
    [`ReleaseError`][sinotajik.ReleaseError] on every call, never a traceback, and never leaves half of it behind.
    """
    if not _manifest:
        try:
            raw = json.loads((_releases_dir() / "manifest.json").read_bytes())
            rels: dict[str, Release] = {}
            for item in raw["releases"]:
                rel = Release(
                    version=_manifest_str(item, "version"),
                    sha256=_manifest_str(item, "sha256"),
                    released=parse_date(_manifest_str(item, "released")),
                    records=item["records"],
                    schema=item["schema"],
                    file=_manifest_str(item, "file"),
                )
                rels[rel.version] = rel
            latest = _manifest_str(raw, "latest")
            if latest not in rels:
                raise ValueError(f"its latest release {latest!r} is not listed")
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            what = f"no {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ReleaseError(f"the bundled release manifest is damaged ({what}); reinstall sinotajik") from None
        _manifest.update(rels)
        _latest[:] = [latest]
    return _manifest


def _manifest_str(item: Any, key: str) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def versions() -> tuple[Release, ...]:
    """Every dataset release bundled with this package, oldest first."""
    with _lock:
        rels = _read_manifest()
    return tuple(sorted(rels.values(), key=lambda r: _version_key(r.version)))


def version_key(v: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key ordering CalVer versions as numbers: ``2026.11.2 < 2026.11.10 < 2027.1.0``.

    Numeric parts sort as numbers, before any non-numeric part at the same place.
    """
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in v.split("."))


_version_key = version_key


def latest_version() -> str:
    """The version [`load`][sinotajik.load] returns when none is asked for."""
    with _lock:
        _read_manifest()
        return _latest[0]


def _load_release(version: str) -> Dataset:
    rels = _read_manifest()
    rel = rels.get(version)
    if rel is None:
        known = ", ".join(r for r in sorted(rels, key=_version_key))
        hint = ""
        if any(c in version for c in "/\\") or version.lower().endswith((".json", ".jsonl", ".ndjson")):
            hint = f" (to load a file, use load(path={shown(version)}))"
        raise ReleaseError(f"no bundled release {shown(version)}{hint}; this package has: {known}, or 'latest'")
    data = (_releases_dir() / rel.file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != rel.sha256:
        raise ReleaseError(
            f"release {version} does not match its checksum (manifest {rel.sha256[:12]}…, file "
            f"{digest[:12]}…): the installed package was altered; reinstall sinotajik"
        )
    try:
        doc = document_from_bytes(data)
    except DataError as exc:  # pragma: no cover - only if a release was shipped broken
        raise ReleaseError(f"release {version} cannot be read: {exc}") from None
    if doc.version != version:
        raise ReleaseError(f"release file {rel.file} says version {doc.version!r}, not {version!r}")
    # A release passed every integrity check in CI before it was shipped, and the checksum
    # shows it is unchanged, so the checks are not run again here.
    return Dataset._from_document(doc, check=False, sha256=digest)


def load(
    version: str | Release | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
    base: Dataset | Release | str | None = None,
    on_conflict: Literal["error", "replace"] = "error",
    max_bytes: int | None = None,
) -> Dataset:
    """Load a dataset: the latest bundled release, a pinned one, or a file of your own.

    ``load()`` and ``load("latest")`` give the latest bundled release; ``load("2026.11.2")``
    or ``load(release)`` (a [`Release`][sinotajik.Release] from [`versions`][sinotajik.versions]) exactly that one.
    ``load(path="mine.json")`` reads a complete dataset file.

    With ``base``, the file at ``path`` holds only *your own* records, laid over the base:
    they may cite and name the base's sources, actors and places, and the result is the base
    plus your records, checked as a whole, versioned ``<base version>+<file stem>``
    (``2026.11.2+mine``). Problems are reported against your file and the position of the
    record in it. Re-pin the same file to a newer release by changing ``base``.

    Memory: loading takes, at its peak, about 6 to 7 MB per MB of JSON (the bytes, the decoded
    text, the parsed JSON tree and the records at once); the loaded dataset keeps about 3.5 to
    4 MB per MB. ``max_bytes`` refuses a larger file after reading at most one byte past the
    limit (a FIFO or an endless stream too), for services that load files from others.

    Args:
        version: a bundled release (see [`versions`][sinotajik.versions]), a [`Release`][sinotajik.Release], or
            ``"latest"``; the latest when omitted.
        path: a JSON or JSON Lines (``.jsonl``) file in the canonical format instead. With
            ``base``, the file may leave out ``version``.
        base: the dataset to lay the file's records over: a Dataset, a [`Release`][sinotajik.Release] or a
            bundled version (``"2026.11.2"``).
        on_conflict: with ``base``, what to do when the file has a record whose id is in the
            base: ``"error"`` (the default) or ``"replace"`` (the file's record wins).
        max_bytes: refuse a file at ``path`` larger than this many bytes (no limit when None).

    Raises:
        ReleaseError: the version is not bundled, or its file fails its checksum.
        DataError: the file at ``path`` is not valid, or is over ``max_bytes``; every problem
            is listed.
        OSError: the file at ``path`` cannot be read.
    """
    if path is not None:
        if version is not None:
            raise TypeError("give either version or path, not both")
        p = Path(path)
        fmt = "jsonl" if p.suffix.lower() in (".jsonl", ".ndjson") else "json"
        data = _read_at_most(p, max_bytes)
        if base is None:
            return parse(data, format=fmt, source=str(path), max_bytes=max_bytes)
        _check_size(data, max_bytes, str(path))
        base_ds = base if isinstance(base, Dataset) else load(base)
        return _overlay_file(base_ds, data, fmt, p, on_conflict)
    if base is not None:
        raise TypeError("base= lays a file of your own over a dataset: give path= too")
    if isinstance(version, Release):
        version = version.version
    elif version is not None and not isinstance(version, str):
        raise TypeError(f"version must be a version string or a Release, not {type(version).__name__}")
    with _lock:
        if version is None or version == "latest":
            _read_manifest()
            version = _latest[0]
        ds = _loaded.get(version)
        if ds is None:
            ds = _load_release(version)
            _loaded[version] = ds
        return ds


def _read_at_most(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of ``path``; with a limit, at most one byte more than it (enough to refuse)."""
    if max_bytes is None:
        return path.read_bytes()
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)


def _check_size(raw: bytes, max_bytes: int | None, source: str | None) -> None:
    """Refuse data over the limit with one problem, attributed to ``source``."""
    if max_bytes is not None and len(raw) > max_bytes:
        too_big = DataError([Problem("", f"is larger than the limit of {max_bytes:,} bytes")])
        raise too_big.with_source(source) if source else too_big


_LABEL_RE = re.compile(r"[^0-9A-Za-z.-]+")


def _overlay_file(base: Dataset, data: bytes, fmt: str, path: Path, on_conflict: str) -> Dataset:
    label = _LABEL_RE.sub("-", path.stem).strip("-.") or "local"
    known = {r.id: kind for kind, recs in base.counts().items() for r in getattr(base, kind)}
    try:
        doc, relabel = read_document(data, fmt=fmt, known_ids=known, default_version=label)
        return base._overlay(doc, on_conflict=on_conflict, version=f"{base.version}+{label}", relabel=relabel)
    except DataError as exc:
        raise exc.with_source(str(path)) from None


def parse(
    data: bytes | str, *, format: str = "json", source: str | None = None, max_bytes: int | None = None
) -> Dataset:
    """Parse and check a dataset from JSON or JSON Lines text.

    Args:
        data: the JSON or JSON Lines bytes (or text).
        format: ``json`` or ``jsonl``.
        source: where the data came from, named in every problem.
        max_bytes: refuse data larger than this many bytes (no limit when None); see
            [`load`][sinotajik.load] for the memory a load takes.

    Raises:
        DataError: listing every problem with its path (attributed to ``source`` if given);
            no partial dataset is ever returned.
    """
    if format not in _FORMATS:
        raise ValueError(f"unknown format {format!r}: expected one of {', '.join(_FORMATS)}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    _check_size(raw, max_bytes, source)
    try:
        doc, relabel = read_document(raw, fmt=format)
        try:
            return Dataset._from_document(doc)
        except DataError as exc:
            raise DataError(relabel(list(exc.problems))) from None
    except DataError as exc:
        raise exc.with_source(source) if source else exc from None


def dumps(dataset: Dataset, *, format: str = "json") -> bytes:
    """The canonical bytes of a dataset: ``json`` (byte-stable, checksummed) or ``jsonl``."""
    if format == "json":
        return canonical_json(dataset.to_document())
    if format == "jsonl":
        return canonical_jsonl(dataset.to_document())
    raise ValueError(f"unknown format {format!r}: expected one of {', '.join(_FORMATS)}")


def save(dataset: Dataset, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write a dataset's canonical form to ``path`` without ever leaving it half-written.

    The format follows the suffix (``.jsonl`` for JSON Lines) unless ``format`` is given.
    ``path`` is written as `write_file` describes: a regular file is replaced atomically
    (an interrupted save leaves any earlier file intact, and a replaced file keeps its mode); a
    device or FIFO is written into; a symbolic link is followed and stays a link.
    """
    p = Path(path)
    fmt = format or ("jsonl" if p.suffix.lower() in (".jsonl", ".ndjson") else "json")
    write_file(p, dumps(dataset, format=fmt))


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``path``, never replacing what should be written into.

    * A path that does not exist, or names a regular file, gets a temporary file in the same
      folder that is renamed over it once complete: readers see the old bytes or the new,
      never a mix, and a failed write leaves the old file intact and no temporary file. A new
      file gets the mode ``0o666`` less the umask; a replaced file keeps its mode (and owner,
      where the user may set it).
    * A path that exists and is not a regular file (``/dev/null``, a FIFO, a terminal) is
      opened and written into directly; it is never replaced by a regular file.
    * A symbolic link is followed: the file it points to is written as above and the link
      stays a link. A link into ``/proc`` (``/dev/stdout``, ``/dev/fd/1``) is written into
      directly, appending, as a shell redirection would.

    Raises:
        OSError: the file cannot be written; ``filename`` is ``path`` as given, never the
            temporary file.
    """
    requested = os.fspath(path)
    try:
        _write_file(Path(requested), data)
    except OSError as exc:
        if exc.filename == requested and exc.filename2 is None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), requested) from None


def _write_file(path: Path, data: bytes) -> None:
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    if st is not None and (not stat.S_ISREG(st.st_mode) or real.parts[1:2] == ("proc",)):
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
        if stat.S_ISREG(st.st_mode):
            flags |= os.O_APPEND
        with os.fdopen(os.open(path, flags), "wb") as fh:
            fh.write(data)
        return
    _replace_atomically(real, data, st)


def _replace_atomically(path: Path, data: bytes, old: os.stat_result | None) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    while True:
        tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            # The kernel applies the umask to 0o666, as it does for any new file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            if old is not None:
                if hasattr(os, "fchown"):  # POSIX: keep the owner where the user may set it
                    with contextlib.suppress(OSError):
                        os.fchown(fh.fileno(), old.st_uid, old.st_gid)
                os.chmod(fh.fileno(), stat.S_IMODE(old.st_mode))
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: The old name of ``write_file``.
write_atomic = write_file
