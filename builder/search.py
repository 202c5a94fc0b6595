"""Full-text search: a Pagefind index in shards, each rebuilt only when one of its article pages changed.

In a site tree the index is

    pagefind/shards.json   {"format": ..., "count": N, "shards": ["00", "01", ...], "catching_up": false}
    pagefind/NN/           one Pagefind bundle per shard: the article pages whose path hashes to NN

The search page loads the first shard and merges the others (Pagefind's `mergeIndex`). A page
always hashes to the same shard, so an edited article re-indexes one shard (about PER_SHARD
pages) instead of the archive. The shard count follows the archive's size (one shard up to
PER_SHARD articles) and is kept until the archive has doubled or halved, then every shard is
rebuilt. Shards are indexed by the Pagefind binary, one process per shard over a scratch
folder of that shard's search documents (`search_document`), on every core at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder import urls
from builder.errors import ContentError
from builder.files import write_atomic

FOLDER = "pagefind"
MANIFEST = "shards.json"
FORMAT = "newsarchive-shards-v2"
PER_SHARD = 625  # pages: Pagefind's time per page grows with the shard (1.3 ms at 625, 2.2 ms at 2,500)
MAX_SHARDS = 32  # the reader fetches about three files per shard before the first results
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")  # the JS API only


def covers(path: str) -> bool:
    """Whether a site file is searched (only article pages carry data-pagefind-body)."""
    return path.startswith("articles/") and path.endswith(".html")


def shard_count(pages: int) -> int:
    """How many shards an index of `pages` article pages has: about PER_SHARD pages each."""
    return max(1, min(MAX_SHARDS, -(-pages // PER_SHARD)))


def resharding(old: int, pages: int) -> bool:
    """Whether an index of `old` shards is re-sharded for `pages` pages (halved or doubled: no flapping)."""
    new = shard_count(pages)
    return new >= 2 * old or 2 * new <= old


def shard_names(count: int) -> list[str]:
    return [f"{i:02d}" for i in range(count)]


def shard_of(path: str, count: int) -> str:
    """The shard of an article page among `count`: a stable hash of its path."""
    return f"{int.from_bytes(hashlib.sha1(path.encode()).digest()[:4], 'big') % count:02d}"


def searchable_part(data: bytes) -> bytes:
    """The part of an article page Pagefind reads: its <article> element (body, meta, filters, sort)."""
    start = data.find(b"<article")
    end = data.find(b"</article>", start)
    return data if start < 0 or end < 0 else data[start:end]


def search_document(page: bytes, shard: str) -> bytes:
    """What Pagefind reads for an article page: its <html> start tag (the language), its <article>
    element and the "shard" filter (the search page takes a date-ordered merge apart by its counts).

    Written at the page's own path in a scratch folder, so results keep the page's URL while
    Pagefind parses a third of the page (no head, navigation, related list or footer).
    """
    part = searchable_part(page)
    if part is page:
        return page
    start = page.find(b"<html")
    html = page[start : page.find(b">", start) + 1] if start >= 0 else b"<html>"
    body = part.find(b">") + 1  # after the <article> start tag
    shard_filter = f'<span data-pagefind-filter="shard:{shard}"></span>'.encode()
    return (
        b"<!DOCTYPE html>"
        + html
        + b'<head><meta charset="utf-8"></head><body>'
        + part[:body]
        + shard_filter
        + part[body:]
        + b"</article></body></html>"
    )


def manifest(tree: Path) -> dict | None:
    """The tree's shard list, if it holds an index in this format."""
    try:
        data = json.loads((tree / FOLDER / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def write_manifest(tree: Path, catching_up: bool, count: int | None = None) -> None:
    """List the shards present in `tree` (of `count`, else the count it has); `catching_up`: some
    pages are newer than their shard."""
    folder = tree / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shards = sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "pagefind.js").is_file())
    count = count or (manifest(tree) or {}).get("count") or shard_count(len(_article_folders(tree)))
    data = {"format": FORMAT, "count": count, "shards": shards, "catching_up": catching_up}
    write_atomic(folder / MANIFEST, json.dumps(data).encode("utf-8"))


@dataclass
class Indexer:
    """Builds the search index of a tree about to be published, shard by shard."""

    scratch: Path  # working folders, one per shard, outside every published tree
    defer: bool = False  # publish pages now and leave the index to a later build (serve)
    jobs: int = os.cpu_count() or 1
    seconds: float = 0.0  # time spent indexing, for the build report
    peak_mb: float = 0.0  # the largest resident set of one Pagefind process, for the build report
    cancel: threading.Event = field(default_factory=threading.Event)  # set: stop, publish nothing

    @staticmethod
    def stale(live: Path, written: dict[str, Path], removed: list[str]) -> set[str]:
        """Shards whose pages changed between the live tree and `written` (path -> new file) minus `removed`.

        A rewritten page whose <article> element is the same (say, only its related list
        changed) leaves its shard as it is. When the archive has grown or shrunk so much that
        the shard count changes, every shard of the old and the new count (a full re-index).
        """
        count = (manifest(live) or {}).get("count") or 1
        added = sum(1 for path in written if covers(path) and not (live / path).exists())
        pages = len(_article_folders(live)) + added - sum(1 for path in removed if covers(path))
        if resharding(count, pages):
            return set(shard_names(max(count, shard_count(pages))))
        shards = {shard_of(path, count) for path in removed if covers(path)}
        for path, new in written.items():
            if len(shards) == count:
                break
            if covers(path) and shard_of(path, count) not in shards:
                try:
                    same = searchable_part((live / path).read_bytes()) == searchable_part(new.read_bytes())
                except OSError:
                    same = False
                if not same:
                    shards.add(shard_of(path, count))
        return shards

    def __call__(self, tree: Path, shards: set[str] | None, catching_up: bool = False) -> None:
        """Index `shards` of `tree` (None: all, replacing `tree/pagefind/`), then write the manifest.

        Pagefind writes into the scratch folder first: a failed run leaves the tree's index whole.
        """
        start = time.perf_counter()
        slugs = _article_folders(tree)
        count = (manifest(tree) or {}).get("count")
        if shards is None or not count or (resharding(count, len(slugs)) and shards >= set(shard_names(count))):
            shards, count = None, shard_count(len(slugs))  # the whole index, in as many shards as it needs
        pages: dict[str, list[str]] = {}
        for slug in slugs:
            path = urls.url_to_file(urls.article(slug))  # every article page (and old-slug redirect)
            shard = shard_of(path, count)
            if (shards is None or shard in shards) and os.path.isfile(tree / path):
                pages.setdefault(shard, []).append(path)
        todo = sorted(pages if shards is None else shards)
        shutil.rmtree(self.scratch, ignore_errors=True)
        built, peak = _run_all([(s, pages.get(s, [])) for s in todo], tree, self.scratch, self.jobs, self.cancel)
        self.peak_mb = max(self.peak_mb, peak)
        if shards is None:
            shutil.rmtree(tree / FOLDER, ignore_errors=True)
        (tree / FOLDER).mkdir(parents=True, exist_ok=True)
        for shard in todo:
            shutil.rmtree(tree / FOLDER / shard, ignore_errors=True)
            if shard in built:
                built[shard].rename(tree / FOLDER / shard)
        shutil.rmtree(self.scratch, ignore_errors=True)
        write_manifest(tree, catching_up, count)
        self.seconds += time.perf_counter() - start


class Cancelled(Exception):
    """Indexing stopped because a newer build wants the output folder (serve)."""


def _article_folders(tree: Path) -> list[str]:
    """The folders of articles/ (article pages and old-slug redirects)."""
    try:
        return os.listdir(tree / "articles")
    except OSError:
        return []


def _run_all(jobs: list[tuple[str, list[str]]], tree: Path, scratch: Path, width: int, cancel):
    """Index each (shard, pages) in its own Pagefind process, `width` at a time.

    Returns (shard -> bundle folder, the largest resident set of one process in MB).
    """
    binary = _binary()
    built: dict[str, Path] = {}
    peak = 0.0
    running: list[tuple[str, Path, subprocess.Popen]] = []
    queue = [(shard, paths) for shard, paths in jobs if paths]  # an empty shard has no bundle
    try:
        while queue or running:
            while queue and len(running) < width:
                shard, paths = queue.pop(0)
                work = scratch / shard
                for path in paths:
                    target = work / "site" / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(search_document((tree / path).read_bytes(), shard))
                command = [binary, "--site", str(work / "site"), "--output-path", str(work / "out"), "--silent"]
                with open(work / "log", "wb") as log:
                    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                running.append((shard, work, process))
            if cancel.wait(0.02):
                raise Cancelled()
            for shard, work, process in list(running):
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid == 0:
                    continue
                process.returncode = os.waitstatus_to_exitcode(status)
                peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
                running.remove((shard, work, process))
                if process.returncode != 0:
                    output = (work / "log").read_text("utf-8", "replace").strip()
                    raise ContentError(
                        f"the search indexer failed on shard {shard}: {output[-500:]}",
                        hint="run the build with --no-search to publish without search, and report this",
                    )
                for entry in (work / "out").iterdir():
                    if entry.name.startswith(UNUSED):
                        entry.unlink()
                built[shard] = work / "out"
    finally:
        for _, _, process in running:
            process.kill()
            process.wait()
    return built, peak


def _binary() -> str:
    """The Pagefind executable that the `pagefind` wheel ships."""
    from pagefind.service import get_executable  # imported here: only search builds need it

    found = get_executable()
    if found is None:
        raise ContentError(
            "the Pagefind binary is missing (the pagefind[extended] package is not installed properly)",
            hint="reinstall newsarchive (pip install -e .), or build with --no-search",
        )
    return str(found)


def term_names(terms) -> list[str]:
    """The names readers may search an article by: its terms' names and their registry aliases."""
    once: dict[str, str] = {}  # each name once, ignoring case ("Nvidia", "NVIDIA")
    for term in terms:
        for name in (term.name, *(term.known.aliases if term.known else ())):
            once.setdefault(name.casefold(), name)
    return list(once.values())
