"""Staging: where a build's rendered files wait until the whole build has succeeded.

A first build stages the whole tree (it becomes the output folder). Later builds stage only
files whose bytes differ from the published ones, side by side, named by a hash of their
path (no folders to make and remove). `publish.OutputFolder` then moves them into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from builder.urls import safe_file


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def safe_join(root: Path | str, relative: str) -> str:
    """`root/relative`, refusing anything that would land outside `root` (see `urls.safe_file`)."""
    return os.path.join(root, safe_file(relative))


class Staging:
    """Collects a build's output files in `root`: flat beside each other, or as a whole tree."""

    def __init__(self, out: Path, root: Path, previous: set[str] | None = None):
        self.out = out
        self.previous = previous  # files the live tree has (from its build record); None: a whole new tree
        self.root = root
        self.flat = previous is not None
        self._claimed: set[str] = set()
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.report = WriteReport()

    def staged(self, relative: str) -> str:
        """Where `relative` is staged."""
        if self.flat:
            return os.path.join(self.root, hashlib.sha1(relative.encode()).hexdigest())
        return safe_join(self.root, relative)

    def place(self, relative: str, data: bytes) -> bool:
        """Stage `data` for `relative` unless the published file has these bytes. True if staged.

        Safe to call from worker processes; the caller records the result.
        """
        if self.flat:
            published = safe_join(self.out, relative)
            try:
                if os.stat(published).st_size == len(data):
                    with open(published, "rb") as current:
                        if current.read() == data:
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
                view = view[handle.write(view) :]
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
        """True if the live tree has this file, as its build record says."""
        return self.previous is not None and relative in self.previous

    def keep(self, relative: str) -> None:
        """Keep a published file as it is, without reading it."""
        self.claim(relative)
        self.record(relative, False)

    def changed(self) -> bool:
        """True if publishing would change the output folder; fills `report.removed`."""
        if self.previous is None:
            return True
        self.report.removed = sorted(f for f in self.previous if f not in self._claimed)
        return bool(self.report.written or self.report.removed)

    def written(self) -> dict[str, Path]:
        """Output path -> the staged file holding its new bytes."""
        return {relative: Path(self.staged(relative)) for relative in self.report.written}

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
