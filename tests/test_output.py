"""Output never clobbers: devices and FIFOs are written into, regular files replaced atomically.

Device tests run inside a private mount namespace (``unshare -m``) where a file in a temporary
folder has ``/dev/null`` or ``/dev/full`` bind-mounted over it, or a small tmpfs is mounted to
fill the disk; the machine's own ``/dev`` is never written to. They are skipped, with the
reason, only where ``unshare`` is unavailable (CI runs as root, where it is).
"""

from __future__ import annotations

import errno
import io
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import sinotajik
from conftest import Runner
from sinotajik import _io as io_module
from sinotajik._cli import main


@pytest.fixture(scope="module")
def exe(cli: Runner) -> str:
    """The installed console script's path."""
    found = shutil.which("sinotajik", path=str(Path(sys.executable).parent)) or shutil.which("sinotajik")
    assert found
    return found


def _unshare_works() -> str | None:
    """Why a private mount namespace cannot be made here, or None when it can."""
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"unshare -m fails here (needs root or CAP_SYS_ADMIN): {probe.stderr.strip()}"
    return None


needs_unshare = pytest.mark.skipif(_unshare_works() is not None, reason=str(_unshare_works()))


def _in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace, so its mounts vanish with it."""
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def umask022() -> Iterator[None]:
    """Run with umask 022 (a usual default), whatever the test process had."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- devices and FIFOs


def test_save_into_a_fifo_writes_into_it(tmp_path: Path) -> None:
    """save() to a FIFO writes the canonical bytes into it and leaves it a FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    sinotajik.save(sinotajik.load(), fifo)
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got == [sinotajik.dumps(sinotajik.load())]
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_cli_output_into_a_fifo(cli: Runner, tmp_path: Path) -> None:
    """timeline --output FIFO writes the page into the FIFO, which stays a FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = cli("timeline", "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0] == cli("timeline", "--format", "json").stdout.encode()


@needs_unshare
def test_output_to_a_null_device_keeps_the_device(exe: str, tmp_path: Path) -> None:
    """-o onto a character device (/dev/null bind-mounted in a private namespace) writes into it."""
    script = (
        f"touch null && mount --bind /dev/null null && {shlex.quote(exe)} timeline -o null; "
        'echo "rc=$?"; stat -c %F null'
    )
    proc = _in_namespace(script, tmp_path)
    assert proc.stdout.splitlines()[-2:] == ["rc=0", "character special file"], proc.stderr
    assert proc.stderr == ""


@needs_unshare
def test_output_to_a_full_device_fails_with_exit_1(exe: str, tmp_path: Path) -> None:
    """-o onto a device that is full (/dev/full) exits 1 with one line naming the path."""
    script = (
        f"touch full && mount --bind /dev/full full && {shlex.quote(exe)} timeline -o full; "
        'echo "rc=$?"; stat -c %F full'
    )
    proc = _in_namespace(script, tmp_path)
    assert proc.stdout.splitlines() == ["rc=1", "character special file"]
    assert proc.stderr.splitlines() == ["error: full: No space left on device; nothing was written"]


@needs_unshare
def test_stdout_on_a_full_disk_exits_1(exe: str, tmp_path: Path) -> None:
    """Standard output cut short by a full disk is an error (exit 1, one line), not success."""
    script = (
        f'touch full && mount --bind /dev/full full && {shlex.quote(exe)} export --format json > full; echo "rc=$?"'
    )
    proc = _in_namespace(script, tmp_path)
    assert proc.stdout.splitlines() == ["rc=1"]
    assert proc.stderr.splitlines() == ["error: standard output: No space left on device; the output is incomplete"]


@needs_unshare
def test_full_disk_keeps_the_old_file_and_names_the_path(exe: str, tmp_path: Path) -> None:
    """On a full (64k tmpfs) disk the old file stays, no temporary file is left, the error names the path."""
    script = (
        "mkdir small && mount -t tmpfs -o size=64k tmpfs small && echo old > small/data.json && "
        f"cd small && {shlex.quote(exe)} export --format json -o data.json; "
        'echo "rc=$?"; ls -A; cat data.json'
    )
    proc = _in_namespace(script, tmp_path)
    assert proc.stdout.splitlines() == ["rc=1", "data.json", "old"]
    assert proc.stderr.splitlines() == ["error: data.json: No space left on device; nothing was written"]


def test_closed_pipe_exits_141_quietly(exe: str) -> None:
    """Standard output closed early (| head) ends with 141, as SIGPIPE would, and prints nothing."""
    with subprocess.Popen([exe, "export", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=120) == 141
    assert err == b""


def test_output_errors_in_process_have_their_own_codes() -> None:
    """A closed pipe gives 141 and no message; a full disk on stdout exit 1 and one line."""

    class Failing(io.StringIO):
        def __init__(self, errno_: int) -> None:
            super().__init__()
            self.errno_ = errno_

        def write(self, s: str) -> int:
            raise OSError(self.errno_, os.strerror(self.errno_))

    err = io.StringIO()
    assert main(["versions"], stdout=Failing(errno.EPIPE), stderr=err) == 141
    assert err.getvalue() == ""
    assert main(["versions"], stdout=Failing(errno.ENOSPC), stderr=err) == 1
    assert err.getvalue() == "error: standard output: No space left on device; the output is incomplete\n"


def test_symlink_to_stdout_writes_to_stdout(cli: Runner, tmp_path: Path) -> None:
    """-o a link to /dev/stdout prints the output; the link is not replaced."""
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    proc = cli("timeline", "--format", "json", "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("[")
    assert proc.stdout.endswith(f" entries to {link}\n")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_symlink_to_a_file_is_followed(tmp_path: Path) -> None:
    """save() through a link replaces the file it points to; the link stays a link."""
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    sinotajik.save(sinotajik.load(), link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert real.read_bytes() == sinotajik.dumps(sinotajik.load())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


# --------------------------------------------------------------------------- file modes


def test_new_files_honour_the_umask(tmp_path: Path, umask022: None) -> None:
    """A new file from save() or --output gets 0o666 less the umask (0644), not 0600."""
    sinotajik.save(sinotajik.load(), tmp_path / "data.json")
    assert main(["timeline", "--format", "html", "-o", str(tmp_path / "t.html")]) == 0
    for name in ("data.json", "t.html"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o644, name


def test_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    """Overwriting a 0644 file keeps 0644 even under umask 077."""
    target = tmp_path / "timeline.html"
    target.write_text("old")
    os.chmod(target, 0o644)
    old = os.umask(0o077)
    try:
        sinotajik.save(sinotajik.load(), target, format="json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644


def test_folder_exports_honour_umask_and_keep_modes(tmp_path: Path, umask022: None) -> None:
    """A new CSV folder is 0755 with 0644 files; a replaced one keeps its folder and file modes."""
    folder = tmp_path / "tables"
    sinotajik.write_csv(sinotajik.load(), folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o644}
    os.chmod(folder, 0o750)
    os.chmod(folder / "events.csv", 0o640)
    sinotajik.write_csv(sinotajik.load(), folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o750
    assert stat.S_IMODE(os.stat(folder / "events.csv").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(folder / "actors.csv").st_mode) == 0o644


# --------------------------------------------------------------------------- interrupted


def test_sigterm_during_output_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM while --output is written ends with 143 and removes the temporary file."""
    target = tmp_path / "out.json"
    target.write_text("old")
    real_fsync = os.fsync

    def killed(fd: int) -> None:
        real_fsync(fd)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(io_module.os, "fsync", killed)
    assert main(["export", "--format", "json", "-o", str(target)]) == 143
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert target.read_text() == "old"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_folder_export_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    """write_csv() to a link to a folder replaces the folder it points to; no stray link is left."""
    real = tmp_path / "real"
    sinotajik.write_csv(sinotajik.load(), real)
    link = tmp_path / "link"
    link.symlink_to("real")
    sinotajik.write_csv(sinotajik.load(), link)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
    assert link.is_symlink() and (real / "events.csv").is_file()


def test_file_and_folder_outputs_share_one_rule_for_missing_folders(cli: Runner, tmp_path: Path) -> None:
    """Neither a file nor a folder format creates a missing parent folder: both exit 2 naming it."""
    for fmt, name in (("json", "d.json"), ("csv", "tables")):
        target = tmp_path / "missing" / name
        proc = cli("export", "--format", fmt, "--output", str(target))
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and f"the folder {tmp_path / 'missing'} does not exist" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == []


def test_interrupt_between_folder_renames_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt (SIGTERM, Ctrl-C) after the old folder is moved aside restores it; nothing stray is left."""
    from sinotajik._export import folder as export_folder

    folder = tmp_path / "tables"
    sinotajik.write_csv(sinotajik.load(), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_rename = os.rename
    calls: list[str] = []

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(Path(src).name)
        if len(calls) == 2:  # the finished temporary folder onto the target
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(export_folder.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        sinotajik.write_csv(sinotajik.load("2026.11.0"), folder)
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
