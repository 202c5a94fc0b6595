"""The persistent build cache: what the last build read and wrote, so the next one does less.

It holds parsed articles (keyed by file stat), each output file's input key, related
articles (with what they were computed from) and, in a store of their own, rendered
article bodies (keyed by the article file's hash). Every entry is derived from inputs
alone, so a cached build writes the same bytes as a cold one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from importlib.metadata import version as installed_version
from pathlib import Path
from stat import S_ISREG
from typing import Any

import orjson

import builder
from builder.errors import ContentError
from builder.files import require_folder, scan, stat_key, write_atomic

CACHE_FILE = "build.json"
STAMP_FILE = "inputs"  # the input signature alone, so a no-op build need not load the cache
BODIES_FILE = "bodies.sqlite"
# Libraries whose output ends up in pages: a new version of one means new bytes.
_LIBRARIES = ("markdown-it-py", "Jinja2", "MarkupSafe", "PyYAML", "feedgen", "python-slugify")
_INGEST_LIBRARIES = ("pycountry", "gender-guesser", "pyahocorasick")
log = logging.getLogger(__name__)  # shown with --verbose


def code_version() -> str:
    """A hash of the builder's own source and of the versions of the libraries that shape its
    output, so a new version of either never trusts an old cache."""
    digest = hashlib.sha1(" ".join(installed_version(name) for name in _LIBRARIES).encode())
    for path in sorted(Path(builder.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ingest_version(data_dir: Path) -> str:
    """A hash of what an article's tags and derived headline come from besides its text: the
    builder's code and libraries, the libraries tagging reads (countries, given names) and every
    data file. Ingest reuses what it made of an article while this is unchanged."""
    libraries = " ".join(installed_version(name) for name in _INGEST_LIBRARIES)
    return tree_signature(data_dir, extra=f"{code_version()} {libraries}")


@dataclass
class BuildCache:
    version: str = ""
    inputs: str = ""  # signature of every input of the last successful build
    articles: dict = field(default_factory=dict)  # path -> (stat_key(), Article.row())
    outputs: dict = field(default_factory=dict)  # output file -> key of the page that wrote it
    extras: list = field(default_factory=list)  # other files published: static files, .nojekyll
    related: tuple = ({}, {})  # (Archive.relation_keys(), slug -> related slugs)
    listing: str = ""  # the archive's listing signature and the templates' at the last build

    def files(self) -> set[str]:
        """Every file the last build published."""
        return set(self.outputs) | set(self.extras)

    def digests(self) -> dict[str, str]:
        """slug -> hash of the article's file, as the last build read it."""
        return {row[0]: row[-1] for _, row in self.articles.values()}

    @classmethod
    def load(cls, folder: Path, version: str) -> BuildCache:
        """The cache in `folder`, or an empty one if it is missing, damaged or from other code.

        JSON, never pickle: a cache restored by CI must not be able to run code. Its checksum
        and a check of every value's type turn damage into a slower build, never a wrong page.
        """
        try:
            values = read_checked(folder / CACHE_FILE)
            if values is not None:
                if type(values) is dict and values.get("version") == version:
                    decoded: dict[str, Any] = {name: decode(values[name]) for name, decode in _DECODERS.items()}
                    return cls(**decoded)
            log.debug("build cache %s: damaged or from another version; building without it", folder)
        except FileNotFoundError:
            pass  # the first build
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as err:
            log.debug("build cache %s: unreadable (%r); building without it", folder, err)  # only slower
        return cls(version=version)

    def save(self, folder: Path) -> None:
        """Write the cache, then the stamp of its inputs (a kill between the two costs a build)."""
        _make_folder(folder)
        write_checked(folder / CACHE_FILE, {f.name: getattr(self, f.name) for f in fields(self)})
        _write(folder / STAMP_FILE, self.inputs.encode())


_MAGIC = b"newsarchive-cache 1 sha256 "


def write_checked(path: Path, value) -> None:
    """Write `value` as JSON behind a checksum, atomically: a reader sees the old file or the new one."""
    payload = _dumps(value)
    _make_folder(path.parent)
    _write(path, _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def read_checked(path: Path):
    """The value `write_checked` wrote to `path`; None if its checksum fails. Raises OSError
    (FileNotFoundError: none yet) and ValueError (not JSON)."""
    payload = _verified(path.read_bytes())
    return None if payload is None else _loads(payload)


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as err:
        raise ContentError(
            f"cannot write the build cache: {err.strerror or err}",
            file=path,
            hint=f"delete {path.parent} (the next build makes it again) or make it writable",
        ) from None


def _dumps(value) -> bytes:
    """JSON bytes, by orjson (five times faster than the standard library on a large cache)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # a file name that is not UTF-8 (surrogate escapes): ASCII \u escapes round-trip
        return json.dumps(value, check_circular=False, separators=(",", ":")).encode()


def _loads(data: bytes):
    try:
        return orjson.loads(data)
    except ValueError:  # lone surrogates (see `_dumps`), or damage: the standard library decides
        return json.loads(data)


def _verified(data: bytes) -> bytes | None:
    """The payload of a cache file whose checksum matches, else None (damaged or truncated)."""
    header, _, payload = data.partition(b"\n")
    if not header.startswith(_MAGIC):
        return None
    return payload if hashlib.sha256(payload).hexdigest().encode() == header[len(_MAGIC) :] else None


def _make_folder(folder: Path) -> None:
    """Create the cache folder; a file in its place is an error the editor can fix."""
    hint = "delete or move that file (the cache is rebuilt), or set 'cache' in site.toml to another folder"
    require_folder(folder, "build cache folder", hint, create=True)


# JSON has lists where the cache had tuples; each field is turned back into exactly what the
# build made, and anything of another type is refused (ValueError), so comparisons stay exact.


def _need(ok: bool) -> None:
    if not ok:
        raise ValueError("unexpected value in the build cache")


def _str(value) -> str:
    _need(type(value) is str)
    return value


def _strs(value) -> tuple[str, ...]:
    _need(type(value) is list)
    "".join(value)  # TypeError unless every item is text: a check in C, 50,000 rows are many
    return tuple(value)


def _str_map(value) -> dict[str, str]:
    _need(type(value) is dict)
    "".join(value.values())
    return value


def _article_entry(value) -> tuple:
    """A (stat key, `Article.row()`) pair as the build made it (checks inlined: 50,000 rows)."""
    (size, mtime, ctime, inode), row = value
    slug, title, day, added, summary, topics, companies, organisations, countries, source, aliases, warnings, digest = (
        row
    )
    _need(
        type(size) is type(mtime) is type(ctime) is type(inode) is type(day) is type(added) is int
        and type(topics) is type(companies) is type(organisations) is type(countries) is list
        and type(aliases) is type(warnings) is list
    )
    "".join((slug, title, summary, digest, *topics, *companies, *organisations, *countries, *aliases, *warnings))
    if source is not None:
        file, position, name, url, source_url = source
        _need(
            type(file) is str
            and type(position) is int
            and all(text is None or type(text) is str for text in (name, url, source_url))
        )
        source = (file, position, name, url, source_url)
    return (size, mtime, ctime, inode), (
        slug,
        title,
        day,
        added,
        summary,
        tuple(topics),
        tuple(companies),
        tuple(organisations),
        tuple(countries),
        source,
        tuple(aliases),
        tuple(warnings),
        digest,
    )


def _articles(value) -> dict:
    _need(type(value) is dict)
    return {path: _article_entry(pair) for path, pair in value.items()}


def _related(value) -> tuple[dict, dict]:
    """(slug -> (reading order, topic slugs, company slugs), slug -> related slugs)."""
    keys, lists = value
    _need(type(keys) is dict and type(lists) is dict)
    relation_keys = {}
    for slug, (order, topics, companies) in keys.items():  # see archive.reading_order
        kind, day, file, position, same = order
        _need(
            type(kind) is type(day) is type(position) is int
            and type(topics) is type(companies) is list
            and same == slug
        )
        "".join((file, *topics, *companies))
        relation_keys[slug] = ((kind, day, file, position, slug), tuple(topics), tuple(companies))
    for slugs in lists.values():
        _need(type(slugs) is list)
        "".join(slugs)
    return relation_keys, lists


_DECODERS = {
    "version": _str,
    "inputs": _str,
    "articles": _articles,
    "outputs": _str_map,
    "extras": lambda value: list(_strs(value)),
    "related": _related,
    "listing": _str,
}


class BodyStore:
    """Article bodies as HTML from earlier builds, keyed by the hash of the article's file.

    One SQLite file that load workers add to and render workers read from; every process
    opens its own connections, never one inherited through a fork. Like the rest of the
    cache it is a shortcut only: each body is stored with a checksum and checked when read
    (a damaged one is rendered again), and a damaged file is deleted. A store that is only
    busy (locked by another build) is left as it is and skipped.
    """

    TIMEOUT = 30  # seconds to wait for another build's write before skipping the store

    def __init__(self, folder: Path, version: str):
        self.path = folder / BODIES_FILE
        self._reader: tuple[int, sqlite3.Connection] | None = None
        _make_folder(folder)
        self.usable = self._prepare(version)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=self.TIMEOUT, isolation_level=None)
        connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it to a crash costs time only
        return connection

    def _prepare(self, version: str) -> bool:
        """Create the store, or start it afresh if another version of the code filled it."""
        for _ in range(2):
            try:
                with closing(self._connect()) as db:
                    db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
                    db.execute("CREATE TABLE IF NOT EXISTS meta (version TEXT NOT NULL)")
                    if db.execute("SELECT version FROM meta").fetchall() != [(version,)]:
                        with db:
                            db.execute("BEGIN IMMEDIATE")
                            db.execute("DROP TABLE IF EXISTS html")  # another version, maybe another layout
                            db.execute("DELETE FROM meta")
                            db.execute("INSERT INTO meta VALUES (?)", (version,))
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS html "
                        "(digest TEXT PRIMARY KEY, html TEXT NOT NULL, checksum TEXT NOT NULL)"
                    )
                return True
            except sqlite3.Error as err:
                if not self._damaged(err):
                    return False
        return False

    def _damaged(self, err: sqlite3.Error) -> bool:
        """True (and the store deleted) if `err` says the file is damaged, not merely busy."""
        if (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            log.debug("body store %s: %s; bodies are rendered again meanwhile", self.path, err)
            return False
        log.debug("body store %s is damaged (%s): deleted, and made again", self.path, err)
        self.close()
        self.usable = False
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return True

    def put(self, bodies: list[tuple[str, str]]) -> None:
        """Store (digest, html) pairs; a store that cannot be written is skipped."""
        if not (bodies and self.usable):
            return
        try:
            with closing(self._connect()) as db, db:
                db.execute("BEGIN")
                db.executemany(
                    "INSERT OR REPLACE INTO html VALUES (?, ?, ?)",
                    [(digest, html, _checksum(digest, html)) for digest, html in bodies],
                )
        except sqlite3.Error as err:
            self._damaged(err)

    def get(self, digest: str) -> str | None:
        """The stored HTML of the article file with this hash, if any and undamaged."""
        if not self.usable:
            return None
        try:
            if self._reader is None or self._reader[0] != os.getpid():
                self._reader = (os.getpid(), self._connect())
            row = self._reader[1].execute("SELECT html, checksum FROM html WHERE digest = ?", (digest,)).fetchone()
        except sqlite3.Error as err:  # also text that is no longer UTF-8
            self._damaged(err)
            return None
        return row[0] if row and _checksum(digest, row[0]) == row[1] else None

    def damaged(self) -> int:
        """How many stored bodies fail their checksum (never used: they are rendered again)."""
        if not self.usable:
            return 0
        with closing(self._connect()) as db:
            return sum(
                1
                for digest, html, checksum in db.execute("SELECT digest, html, checksum FROM html")
                if _checksum(digest, html) != checksum
            )

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
        except sqlite3.Error as err:
            self._damaged(err)


def _checksum(digest: str, html: str) -> str:
    """What a stored body is checked against: it binds the HTML to its article's hash."""
    return hashlib.sha1(f"{digest}\0{html}".encode()).hexdigest()


def last_inputs(folder: Path) -> str:
    """The input signature of the last successful build, or '' if unknown."""
    try:
        return (folder / STAMP_FILE).read_text()
    except OSError:
        return ""


def tree_signature(*folders: Path, extra: str = "", scans: dict | None = None) -> str:
    """A hash of every file under `folders`: names and contents.

    Folders in `scans` (folder -> its `scan`: the content, too big to read on every build)
    count by stat key instead.
    """
    lines = [extra]
    for folder in folders:
        if scans and folder in scans:
            lines += [f"{path}\0{stat_key(st) if st else '-'}" for path, st in sorted(scans[folder].items())]
        else:
            lines += [f"{path}\0{_contents_hash(path, st)}" for path, st in sorted(scan(folder).items())]
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()


def _contents_hash(path: str, stat: os.stat_result | None) -> str:
    """A hash of a regular file's bytes; '-' for anything else (never block on a FIFO)."""
    if stat is None or not S_ISREG(stat.st_mode):
        return "-"
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return "-"


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
    elif kind in _model().shared:
        text = memo.get(id(value))
        if text is None:
            parts: list[str] = []
            _walk_object(value, parts, memo)
            text = memo[id(value)] = "\x1f".join(parts)
        out.append(text)
    elif kind in _model().walkers or is_dataclass(value):
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
        raise TypeError(f"cannot fingerprint {type(value).__name__}; add it to cache._model")


def _walk_object(value, out: list[str], memo: dict) -> None:
    """A model object: its own walker's text, or its dataclass fields."""
    walker = _model().walkers.get(type(value))
    if walker:
        walker(value, out)
        return
    out.append(type(value).__name__)
    for f in fields(value):
        _walk(getattr(value, f.name), out, memo)


def _page(page, out: list[str]) -> None:
    """A page as the sitemap lists it: path, kind, and its date (`sitemap.lastmod`)."""
    from builder.sitemap import lastmod

    out.append(f"P{page.path}\x1e{page.template}\x1e{lastmod(page) or ''}")


def _article_text(article, out: list[str]) -> None:
    """An article is what its file says (its hash) and where that file is (its path, and the
    slug taken from the file name when the front matter has none)."""
    out.append(f"A{article.digest}\x1e{article.slug}\x1e{article.path}")


@dataclass(frozen=True)
class _Model:
    walkers: dict  # type -> how to fingerprint it, where its dataclass fields are not the way
    shared: frozenset  # types of objects many pages show: walked once per `memo`


@cache
def _model() -> _Model:
    """The model's own types (imported late: the content module imports this one)."""
    from builder.archive import Listed, TermLink
    from builder.config import TaxonomySpec
    from builder.model import Article
    from builder.pages import Page

    return _Model({Article: _article_text, Page: _page}, frozenset({Listed, TermLink, TaxonomySpec}))


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})
