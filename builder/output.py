"""The only step that touches the output folder: all-or-nothing, and only changed files.

The new tree is assembled in a sibling staging folder: files whose bytes did not change
are hard links to the published ones (same inode, same mtime), the rest are written
fresh. Then two renames swap the staging folder in. A build that fails or is interrupted
before the swap leaves the published site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") or "\\" in p or "\0" in p
                                                       for p in parts):
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def place(root: Path, out: Path, relative: str, data: bytes) -> bool:
    """Put `data` at `root/relative`: a hard link to `out/relative` if identical. True if written."""
    target = safe_join(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    published = safe_join(out, relative)
    try:
        if published.stat().st_size == len(data) and published.read_bytes() == data:
            os.link(published, target)
            return False
    except OSError:
        pass
    with open(target, "wb", buffering=1 << 20) as handle:
        handle.write(data)
    return True


class Staging:
    """A staging folder beside `out`; call `commit()` to publish it, `discard()` to drop it."""

    def __init__(self, out: Path):
        self.out = out
        self.root = out.with_name(f".{out.name}.staging")
        self._written: set[str] = set()
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.report = WriteReport()

    def claim(self, relative: str) -> None:
        """Reserve an output file; two pages wanting the same file is a bug, not a race."""
        if relative in self._written:
            raise ValueError(f"two pages want the same output file: {relative}")
        self._written.add(relative)

    def record(self, relative: str, written: bool) -> None:
        """Count a file placed by `place` (possibly in another process)."""
        if written:
            self.report.written.append(relative)
        else:
            self.report.unchanged += 1

    def put(self, relative: str, data: bytes) -> None:
        """Place one file; a link to the published copy when its bytes are the same."""
        self.claim(relative)
        self.record(relative, place(self.root, self.out, relative, data))

    def keep(self, relative: str) -> bool:
        """Carry the published file over unchanged, without reading it; False if there is none."""
        target = safe_join(self.root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(safe_join(self.out, relative), target)
        except FileNotFoundError:
            return False
        self.claim(relative)
        self.record(relative, False)
        return True

    def changed(self, ignore: str = "") -> bool:
        """True if publishing would change the site (files under `ignore` not counted)."""
        old = set(_files(self.out)) if self.out.exists() else set()
        self.report.removed = sorted(f for f in old - self._written if not f.startswith(ignore or "\0"))
        return bool(self.report.written or self.report.removed or not self.out.exists())

    def adopt(self, folder: str) -> None:
        """Take in files another tool wrote under `folder`, linking those whose bytes are unchanged."""
        for path in sorted((self.root / folder).rglob("*")):
            if path.is_file():
                relative = path.relative_to(self.root).as_posix()
                self._written.add(relative)
                published = self.out / relative
                try:
                    if published.read_bytes() == path.read_bytes():
                        os.replace(_linked(published, path), path)
                except OSError:
                    pass

    def commit(self) -> WriteReport:
        """Swap the staging folder in."""
        retired = self.out.with_name(f".{self.out.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if self.out.exists():
            os.replace(self.out, retired)
        os.replace(self.root, self.out)
        shutil.rmtree(retired, ignore_errors=True)
        return self.report

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _linked(published: Path, near: Path) -> Path:
    link = near.with_name(near.name + ".link")
    os.link(published, link)
    return link


def _files(root: Path):
    for dirpath, _, names in os.walk(root):
        for name in names:
            yield Path(dirpath, name).relative_to(root).as_posix()
