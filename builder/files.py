"""Files on disk: the one folder walk, the stat key that says a file is unchanged, listings."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK

from builder.errors import ContentError


def walk(folder: str, hidden: bool = True) -> Iterator[tuple[os.DirEntry, bool]]:
    """Every entry under `folder` but its real folders (files, links, special files), each with
    whether it sits directly in `folder`. Linked folders are listed, never entered; names that
    start with '.' are left out, folders included, unless `hidden`."""

    def visit(path: str, top: bool) -> Iterator[tuple[os.DirEntry, bool]]:
        with os.scandir(path) as entries:
            for entry in entries:
                if not hidden and entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    yield from visit(entry.path, False)
                else:
                    yield entry, top

    return visit(folder, True)


def list_files(root: Path) -> list[str]:
    """Every file (and link) under `root`, as sorted relative paths with '/'."""
    start = len(str(root)) + 1
    return sorted(entry.path[start:] for entry, _ in walk(str(root)))


def scan(folder: Path) -> dict[str, os.stat_result | None]:
    """Every file under `folder` (not inside linked folders) with its stat; None if unreadable.

    Returns once a later change to any of them would show in its stat (see `settle`).
    """
    found: dict[str, os.stat_result | None] = {}
    if folder.is_dir():
        for entry, _ in walk(str(folder)):
            try:
                found[entry.path] = entry.stat()
            except OSError:  # a broken link: loading the content reports it
                found[entry.path] = None
    elif folder.exists():
        found[str(folder)] = folder.stat()
    settle(found.values())
    return found


def stat_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged, as in git's index: size, mtime, ctime and inode.

    `cp -p`, `rsync -t` or `touch -r` restore size and mtime, but every change sets ctime
    (which no tool can set back) and a file put in place by rename has another inode.
    """
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


# A timestamp tick: a few ms on Linux; where times are whole seconds (FAT: 2 s), 2 s.
_FINE_TICK_NS, _COARSE_TICK_NS = 100_000_000, 2_000_000_000


def settle(stats) -> None:
    """Wait until a change to any of these files would get another ctime than its stat shows.

    A file changed in the same timestamp tick as the stat was taken is "racy": read now, a
    second change within that tick could keep its whole stat key, and the build would trust
    what it read. Waiting out the tick (0.1 s at most, only right after an edit) closes that.
    """
    newest = max((st.st_ctime_ns for st in stats if st), default=0)
    tick = _COARSE_TICK_NS if newest % 1_000_000_000 == 0 else _FINE_TICK_NS
    wait = newest + tick - time.time_ns()
    if wait > 0:
        time.sleep(min(wait, tick) / 1e9)  # a ctime in the future (clock skew) waits one tick


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target (none left on failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def require_folder(path: Path, what: str, hint: str, create: bool = False) -> None:
    """A file where a folder belongs is an editor's error naming it; `create` makes the folder."""
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        elif path.exists() and not path.is_dir():
            raise NotADirectoryError
    except (FileExistsError, NotADirectoryError):
        raise ContentError(f"the {what} is a file, not a folder", file=path, hint=hint) from None


_KINDS = (
    (S_ISFIFO, "a named pipe (FIFO)"),
    (S_ISSOCK, "a socket"),
    (S_ISCHR, "a device"),
    (S_ISBLK, "a device"),
    (S_ISDIR, "a folder"),
)


def special_kind(mode: int) -> str | None:
    """What a file of this mode is, if not a regular file: 'a named pipe (FIFO)', 'a device'…"""
    if S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def skipped_message(path: str | Path, mode: int) -> str:
    """The warning for a special file that was left out."""
    return f"{path}: skipped: this is {special_kind(mode)}, not a file that can be read"


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; anything else is a ContentError, and nothing can block.

    O_NONBLOCK makes opening a FIFO return at once; fstat then says what was opened, so a
    file swapped for a FIFO after it was listed is refused instead of read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise ContentError(
                f"cannot read this file: it is {kind}", file=path, hint="remove it, or put a regular file in its place"
            )
        return handle.read()


def os_problem(err: BaseException) -> str:
    """Why a file could not be read, in words (link loops, missing targets, folders)."""
    if isinstance(err, RuntimeError) or getattr(err, "errno", None) == 40:
        return "it is a link that leads back to itself"
    if isinstance(err, FileNotFoundError):
        return "it is a link to a file that does not exist"
    if isinstance(err, IsADirectoryError):
        return "it is a folder"
    return getattr(err, "strerror", None) or str(err)
