"""The only step that touches the output folder: nothing changes until every page rendered.

Changed files are first written to a staging folder beside the output folder. Only when
the whole build has succeeded are they published: a first build stages the whole tree and
renames the staging folder into place; later builds stage changed files side by side
(named by a hash of their path: no folders to make and remove again), move each over its
old version with an atomic rename (Ctrl+C is held back meanwhile) and delete files no page
produces any more. Unchanged files are never rewritten, so their mtimes stay and deploys
stay small.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import ContentError


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def safe_join(root: Path | str, relative: str) -> str:
    """`root/relative`, refusing anything that would land outside `root`."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") or "\\" in p or "\0" in p
                                                       for p in parts):
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return os.path.join(root, relative)


@contextmanager
def _no_interrupt():
    """Hold back Ctrl+C while files are moved into place, then deliver it."""
    received = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    except ValueError:  # not the main thread: nothing to hold back
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


class Staging:
    """Collects a build's output files; `commit()` publishes them, `discard()` drops them."""

    def __init__(self, out: Path, keep: tuple[str, ...] = (), previous: set[str] | None = None):
        self.out = out
        self.previous = previous  # files the last build published, if known; else the folder is listed
        self.root = out.with_name(f".{out.name}.staging")
        self.keep_prefixes = keep  # folders another tool owns (the search index)
        self.flat = out.is_dir()  # a first build stages the tree that becomes the output folder
        self._claimed: set[str] = set()
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.report = WriteReport()

    def staged(self, relative: str) -> str:
        """Where `relative` is staged."""
        return os.path.join(self.root, hashlib.sha1(relative.encode()).hexdigest() if self.flat else relative)

    def place(self, relative: str, data: bytes) -> bool:
        """Stage `data` for `relative` unless the published file has these bytes. True if staged.

        Safe to call from worker processes; the caller records the result.
        """
        published = safe_join(self.out, relative)
        try:
            if os.stat(published).st_size == len(data):
                with open(published, "rb") as handle:
                    if handle.read() == data:
                        return False
        except OSError:
            pass
        target = self.staged(relative)
        try:
            handle = open(target, "wb", buffering=0)  # unbuffered: one write call, no buffer to allocate
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            handle = open(target, "wb", buffering=0)
        with handle:
            view = memoryview(data)
            while view:
                view = view[handle.write(view):]
        return True

    def claim(self, relative: str) -> None:
        """Reserve an output file; two pages wanting the same file is a bug, not a race."""
        if relative in self._claimed:
            raise ValueError(f"two pages want the same output file: {relative}")
        self._claimed.add(relative)

    def record(self, relative: str, written: bool) -> None:
        """Count a file handled by `place` (possibly in another process)."""
        if written:
            self.report.written.append(relative)
        else:
            self.report.unchanged += 1

    def put(self, relative: str, data: bytes) -> None:
        self.claim(relative)
        self.record(relative, self.place(relative, data))

    def published(self, relative: str) -> bool:
        """True if the output folder has this file (safe to ask from worker processes).

        With a known list of what the last build published, that list is trusted (the
        output folder is the build's own); otherwise the file is looked for.
        """
        return relative in self.previous if self.previous is not None else os.path.isfile(safe_join(self.out, relative))

    def keep(self, relative: str) -> None:
        """Keep a published file as it is, without reading it."""
        self.claim(relative)
        self.record(relative, False)

    def changed(self) -> bool:
        """True if publishing would change the output folder."""
        if not self.out.is_dir():
            return True
        published = self.previous if self.previous is not None else _files(self.out)
        self.report.removed = sorted(
            f for f in published if f not in self._claimed and not f.startswith(self.keep_prefixes))
        return bool(self.report.written or self.report.removed)

    def commit(self) -> WriteReport:
        """Publish the staged files and delete the stale ones; call `changed()` first."""
        with _no_interrupt():
            if not self.out.is_dir():
                if self.flat:  # only the changed files are staged: publishing them would lose the rest
                    raise ContentError("the output folder was deleted while the site was being built",
                                       file=self.out, hint="build again")
                os.replace(self.root, self.out)
                return self.report
            folders: set[str] = set()
            for relative in self.report.written:
                folder = os.path.dirname(relative)
                if folder not in folders:  # one mkdir per folder, not per file
                    os.makedirs(os.path.join(self.out, folder), exist_ok=True)
                    folders.add(folder)
                os.replace(self.staged(relative), os.path.join(self.out, relative))
            for relative in self.report.removed:
                (self.out / relative).unlink(missing_ok=True)
                _prune_empty(self.out, (self.out / relative).parent)
        self.discard()
        return self.report

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def replace_folder(out: Path, name: str, new: Path) -> None:
    """Swap `new` in as `out/name` (the search index) with renames, then drop the old one."""
    old = out / f".{name}.old"
    shutil.rmtree(old, ignore_errors=True)
    with _no_interrupt():
        if (out / name).exists():
            os.replace(out / name, old)
        os.replace(new, out / name)
    shutil.rmtree(old, ignore_errors=True)


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _files(root: Path):
    """Every file under `root` as a relative path with '/' separators."""
    start = len(str(root)) + 1
    for dirpath, _, names in os.walk(root):
        for name in names:
            yield os.path.join(dirpath, name)[start:]
