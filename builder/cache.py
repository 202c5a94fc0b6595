"""The persistent build cache: what the last build read and wrote, so the next one does less.

It holds parsed articles (keyed by file stat), each output file's input key, and related
articles (keyed by the archive's tag signature). Every entry is
derived from inputs alone, so a cached build writes the same bytes as a cold one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path

import builder

CACHE_FILE = "build.pickle"
STAMP_FILE = "inputs"  # the input signature alone, so a no-op build need not unpickle the cache


def code_version() -> str:
    """A hash of the builder's own source, so a new version never trusts an old cache."""
    digest = hashlib.sha1()
    for path in sorted(Path(builder.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class BuildCache:
    version: str = ""
    inputs: str = ""  # signature of every input of the last successful build
    articles: dict = field(default_factory=dict)  # path -> (mtime_ns, size, Article)
    outputs: dict = field(default_factory=dict)  # output file -> key of the page that wrote it
    extras: list = field(default_factory=list)  # other files published: static files, .nojekyll
    related: tuple = ("", {})  # (tag signature, slug -> related slugs)
    listing: str = ""  # the archive's listing signature and the templates' at the last build
    digests: dict = field(default_factory=dict)  # slug -> hash of the article's file

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


def last_inputs(folder: Path) -> str:
    """The input signature of the last successful build, or '' if unknown."""
    try:
        return (folder / STAMP_FILE).read_text()
    except OSError:
        return ""


def tree_signature(*folders: Path, extra: str = "") -> str:
    """A hash of the names, sizes and mtimes of every file under `folders`."""
    digest = hashlib.sha1(extra.encode())
    for folder in folders:
        if folder.is_file():
            entries = [(folder, folder.stat())]
        else:
            entries = []
            for dirpath, dirnames, names in os.walk(folder):
                dirnames.sort()
                entries += [(Path(dirpath, n), os.stat(os.path.join(dirpath, n))) for n in sorted(names)]
        for path, st in entries:
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def fingerprint(value) -> str:
    """A stable text standing for everything a template can read from `value`."""
    parts: list[str] = []
    _walk(value, parts)
    return "\x1f".join(parts)


def _walk(value, out: list[str]) -> None:
    walker = _WALKERS.get(type(value).__name__)
    if walker:
        walker(value, out)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            out.append(f"K{key}")
            _walk(value[key], out)
    elif isinstance(value, (list, tuple)):
        out.append(f"L{len(value)}")
        for item in value:
            _walk(item, out)
    elif is_dataclass(value):
        out.append(type(value).__name__)
        for f in fields(value):
            _walk(getattr(value, f.name), out)
    elif value is None or isinstance(value, (str, int, float, bool, dt.date)):
        out.append(repr(value))
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}; add it to cache._WALKERS")


def _page(page, out: list[str]) -> None:
    dates = [a.date for a in page.articles if a.date]
    out.append(f"P{page.path}\x1e{page.template}\x1e{max(dates) if dates else ''}")


# The model's own types: an article is its file's hash; a term is what a link to it shows.
_WALKERS = {
    "Article": lambda article, out: out.append("A" + article.digest),
    "Term": lambda term, out: out.append(
        f"T{term.spec.field}\x1e{term.name}\x1e{term.slug}\x1e{term.description}\x1e{term.count}"),
    "Page": _page,
}
