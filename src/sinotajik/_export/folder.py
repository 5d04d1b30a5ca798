"""Writing a folder of export files atomically: a temporary folder beside it, then renames."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path

from .tables import _TABLES

__all__: list[str] = []

#: Every file name a folder export may write: an existing folder holding only these is replaced.
_OURS = frozenset([f"{t.name}.csv" for t in _TABLES] + [f"{t.name}.parquet" for t in _TABLES] + ["datapackage.json"])


def _fresh_name(target: Path, what: str) -> Path:
    """An unused hidden name beside ``target``."""
    while True:
        cand = target.with_name(f".{target.name}.{secrets.token_hex(6)}.{what}")
        if not os.path.lexists(cand):
            return cand


def _write_folder(folder: str | os.PathLike[str], files: Mapping[str, bytes]) -> None:
    """Write files into ``folder`` atomically: a temporary folder beside it, then renames.

    An existing folder is replaced only when it is empty or holds nothing but files an export
    writes; anything else is refused, so a mistyped path never deletes a user's files. The
    folder it goes in must exist (as for a file output). A new folder and its files get the
    usual modes less the umask; a replaced folder keeps its mode, and so does each file it
    held. A symbolic link to a folder is followed: the folder it points to is replaced and the
    link stays.
    """
    target = Path(folder)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    keep: dict[str, int] = {}
    folder_mode: int | None = None
    if target.exists():
        if not target.is_dir():
            raise FileExistsError(errno.EEXIST, "exists and is not a folder", str(folder))
        strangers = sorted(p.name for p in target.iterdir() if p.name not in _OURS or not p.is_file())
        if strangers:
            shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
            msg = f"exists and holds files no export writes ({shown}); choose a new or empty folder"
            raise FileExistsError(errno.EEXIST, msg, str(folder))
        folder_mode = stat.S_IMODE(target.stat().st_mode)
        keep = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()}
    parent = target.parent
    if not parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {parent} does not exist", str(folder))
    tmp = _fresh_name(target, "tmp")
    os.mkdir(tmp)  # not tempfile.mkdtemp: its 0700 mode would outlive the rename
    old: Path | None = None
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                if name in keep:
                    os.fchmod(fh.fileno(), keep[name])
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if folder_mode is not None:
            os.chmod(tmp, folder_mode)
        if target.exists():
            old = _fresh_name(target, "old")
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:  # also SIGTERM or Ctrl-C between the two renames: put the old folder back
            if old is not None:
                os.rename(old, target)
                old = None
            raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.filename == str(folder) and exc.filename2 is None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
