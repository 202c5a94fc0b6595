"""The persistent build cache: what the last build read and wrote, so the next one does less.

It holds parsed articles (keyed by file stat), each output file's input key, related
articles (with what they were computed from) and, in a store of their own, rendered
article bodies (keyed by the article file's hash). Every entry is derived from inputs
alone, so a cached build writes the same bytes as a cold one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field, fields, is_dataclass
from importlib.metadata import version as installed_version
from pathlib import Path

import builder

CACHE_FILE = "build.pickle"
STAMP_FILE = "inputs"  # the input signature alone, so a no-op build need not unpickle the cache
BODIES_FILE = "bodies.sqlite"
# Libraries whose output ends up in pages: a new version of one means new bytes.
_LIBRARIES = ("markdown-it-py", "Jinja2", "MarkupSafe", "PyYAML", "feedgen", "python-slugify")


def code_version() -> str:
    """A hash of the builder's own source and of the versions of the libraries that shape its
    output, so a new version of either never trusts an old cache."""
    digest = hashlib.sha1(" ".join(installed_version(name) for name in _LIBRARIES).encode())
    for path in sorted(Path(builder.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class BuildCache:
    version: str = ""
    inputs: str = ""  # signature of every input of the last successful build
    articles: dict = field(default_factory=dict)  # path -> (mtime_ns, size, Article.row())
    outputs: dict = field(default_factory=dict)  # output file -> key of the page that wrote it
    extras: list = field(default_factory=list)  # other files published: static files, .nojekyll
    related: tuple = ({}, {})  # (Archive.relation_keys(), slug -> related slugs)
    listing: str = ""  # the archive's listing signature and the templates' at the last build

    def digests(self) -> dict[str, str]:
        """slug -> hash of the article's file, as the last build read it."""
        return {row[0]: row[-1] for _, _, row in self.articles.values()}

    @classmethod
    def load(cls, folder: Path, version: str) -> "BuildCache":
        """The cache in `folder`, or an empty one if it is missing, damaged or from other code."""
        try:
            with open(folder / CACHE_FILE, "rb") as handle:
                cache = pickle.load(handle)
            if isinstance(cache, cls) and cache.version == version:
                return cache
        except Exception:  # a damaged cache is only a slower build
            pass
        return cls(version=version)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in ((CACHE_FILE, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)),
                           (STAMP_FILE, self.inputs.encode())):
            tmp = folder / f".{name}.{os.getpid()}"
            tmp.write_bytes(data)
            os.replace(tmp, folder / name)


class BodyStore:
    """Article bodies as HTML from earlier builds, keyed by the hash of the article's file.

    One SQLite file that load workers add to and render workers read from; every process
    opens its own connections, never one inherited through a fork. Like the rest of the
    cache it is a shortcut only: a damaged store is emptied, a missing body rendered again.
    """

    def __init__(self, folder: Path, version: str):
        self.path = folder / BODIES_FILE
        self._reader: tuple[int, sqlite3.Connection] | None = None
        self.usable = self._prepare(folder, version)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it to a crash costs time only
        return connection

    def _prepare(self, folder: Path, version: str) -> bool:
        """Create the store, or empty it if another version of the code filled it."""
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                with closing(self._connect()) as db:
                    db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
                    db.execute("CREATE TABLE IF NOT EXISTS meta (version TEXT NOT NULL)")
                    db.execute("CREATE TABLE IF NOT EXISTS html (digest TEXT PRIMARY KEY, html TEXT NOT NULL)")
                    if db.execute("SELECT version FROM meta").fetchall() != [(version,)]:
                        with db:
                            db.execute("BEGIN")
                            db.execute("DELETE FROM html")
                            db.execute("DELETE FROM meta")
                            db.execute("INSERT INTO meta VALUES (?)", (version,))
                return True
            except sqlite3.Error:  # damaged: start again from an empty file
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return False

    def put(self, bodies: list[tuple[str, str]]) -> None:
        """Store (digest, html) pairs; a store that cannot be written is skipped."""
        if not (bodies and self.usable):
            return
        try:
            with closing(self._connect()) as db, db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", bodies)
        except sqlite3.Error:
            pass

    def get(self, digest: str) -> str | None:
        """The stored HTML of the article file with this hash, if any."""
        if not self.usable:
            return None
        try:
            if self._reader is None or self._reader[0] != os.getpid():
                self._reader = (os.getpid(), self._connect())
            row = self._reader[1].execute("SELECT html FROM html WHERE digest = ?", (digest,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def close(self) -> None:
        """Close this process's reader (before the process forks again, or at the end)."""
        if self._reader is not None and self._reader[0] == os.getpid():
            self._reader[1].close()
        self._reader = None

    def keep_only(self, digests: set[str]) -> None:
        """Forget bodies of article files that no longer exist as they were."""
        if not self.usable:
            return
        try:
            with closing(self._connect()) as db, db:
                stale = [row for row in db.execute("SELECT digest FROM html") if row[0] not in digests]
                if stale:
                    db.execute("BEGIN")
                    db.executemany("DELETE FROM html WHERE digest = ?", stale)
        except sqlite3.Error:
            pass


def last_inputs(folder: Path) -> str:
    """The input signature of the last successful build, or '' if unknown."""
    try:
        return (folder / STAMP_FILE).read_text()
    except OSError:
        return ""


def scan(folder: Path) -> dict[str, os.stat_result | None]:
    """Every file under `folder` (not inside linked folders) with its stat; None if unreadable."""
    found: dict[str, os.stat_result | None] = {}

    def visit(path: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    visit(entry.path)
                else:
                    try:
                        found[entry.path] = entry.stat()
                    except OSError:  # a broken link: loading the content reports it
                        found[entry.path] = None

    if folder.is_dir():
        visit(str(folder))
    elif folder.exists():
        found[str(folder)] = folder.stat()
    return found


def tree_signature(*folders: Path, extra: str = "", scans: dict | None = None) -> str:
    """A hash of the names, sizes and mtimes of every file under `folders`.

    `scans` (folder -> its `scan`) supplies folders already scanned; others are scanned here.
    """
    lines = [extra]
    for folder in folders:
        files = scans[folder] if scans and folder in scans else scan(folder)
        lines += [f"{path}\0{st.st_size}\0{st.st_mtime_ns}" if st else f"{path}\0-" for path, st in
                  sorted(files.items())]
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()


def fingerprint(value, memo: dict | None = None) -> str:
    """A stable text standing for everything a template can read from `value`.

    `memo` (id -> text) spares repeated walks of the model's shared objects (terms, listing
    entries); pass the same dict only while the objects it describes stay alive and unchanged.
    """
    parts: list[str] = []
    _walk(value, parts, {} if memo is None else memo)
    return "\x1f".join(parts)


def _walk(value, out: list[str], memo: dict) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
    elif kind is list or kind is tuple:
        out.append(f"L{len(value)}")
        for item in value:
            _walk(item, out, memo)
    elif kind.__name__ in _SHARED:
        text = memo.get(id(value))
        if text is None:
            parts: list[str] = []
            _walk_object(value, parts, memo)
            text = memo[id(value)] = "\x1f".join(parts)
        out.append(text)
    elif kind.__name__ in _WALKERS or is_dataclass(value):
        _walk_object(value, out, memo)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            out.append(f"K{key}")
            _walk(value[key], out, memo)
    elif isinstance(value, (list, tuple)):
        _walk(list(value), out, memo)
    elif isinstance(value, (str, int, float, bool, dt.date)):
        out.append(repr(value))
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}; add it to cache._WALKERS")


def _walk_object(value, out: list[str], memo: dict) -> None:
    """A model object: its own walker's text, or its dataclass fields."""
    walker = _WALKERS.get(type(value).__name__)
    if walker:
        walker(value, out)
        return
    out.append(type(value).__name__)
    for f in fields(value):
        _walk(getattr(value, f.name), out, memo)


def _page(page, out: list[str]) -> None:
    dates = [a.date for a in page.articles if a.date]
    out.append(f"P{page.path}\x1e{page.template}\x1e{max(dates) if dates else ''}")


# The model's own types: an article is its file's hash; a term is what a link to it shows.
# A term's article count is not part of it (every added article would change every chip):
# pages that show counts get them as values of their own ("count", (term, count) rows).
_WALKERS = {
    "Article": lambda article, out: out.append("A" + article.digest),
    "Term": lambda term, out: out.append(
        f"T{term.spec.field}\x1e{term.name}\x1e{term.slug}\x1e{term.description}"),
    "Page": _page,
}
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})
_SHARED = {"Listed", "Term"}  # objects many pages show: walked once per `memo`
