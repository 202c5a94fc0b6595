"""Full-text search: a Pagefind index in shards, and an overlay bundle for the pages edited since.

In a site tree the index is

    pagefind/shards.json   {"format", "count": N, "shards": ["00", ..., "recent"], "recent_pages",
                            "recent_shards", "superseded": [page ids], "catching_up",
                            "pages": {bundle: how many pages it indexed}}
    pagefind/NN/           one Pagefind bundle per shard: the article pages whose path hashes to NN
                           and a vocabulary document (the archive's words none of them holds);
                           pages.json.gz, what it indexed; page-words.gz, its pages' word numbers
    pagefind/recent/       the overlay: every page that differs from what its shard indexed, and the
                           archive's words as they are now, by the shards that lack them
    pagefind/vocabulary.gz the archive's words as the shards indexed them (`Vocabulary`)

The search page loads the first bundle, merges the others (Pagefind's `mergeIndex`) and leaves
out the `superseded` entries and the vocabulary documents (they have no "shard" filter). The
vocabularies make each bundle match a query word as one index would (see `vocabulary_document`).
An edit indexes the overlay only (a few pages); past RECENT_LIMIT pages the shards it covers are
indexed again. The shard count follows the archive's size (one
shard up to PER_SHARD articles) and is kept until the archive has doubled or halved, then every
shard is rebuilt. Bundles are indexed by the Pagefind binary, one process per bundle over a
scratch folder of its search documents (`search_document`, written with the pages' words in one
read of each page, on every core), on every core at once.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import operator
import os
import re
import shutil
import subprocess
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path

import orjson

from builder import urls
from builder.errors import ContentError
from builder.files import write_atomic
from builder.parallel import fork_map

FOLDER = "pagefind"
MANIFEST = "shards.json"
FORMAT = "newsarchive-shards-v4"  # v4: one vocabulary file; a shard's vocabulary document lists the words it lacks
PER_SHARD = 2500  # pages; fewer, larger shards: fewer requests and sooner results for readers, same CPU
MAX_SHARDS = 32  # the reader fetches about three files per shard before the first results
RECENT = "recent"  # the overlay bundle: pages changed since their shard was indexed
RECENT_LIMIT = 200  # pages in the overlay (about 0.3 s of Pagefind) before their shards are indexed again
EMPTY = {"recent_pages": 0, "recent_shards": [], "superseded": []}  # the manifest's overlay entry, no overlay
RECORDS = "pages.json.gz"  # in each shard: path -> [Pagefind page id, digest of its <article>] (`read_records`)
VOCABULARY = "vocabulary.gz"  # in pagefind/: the archive's words as the shards indexed them (`Vocabulary`)
PAGE_WORDS = "page-words.gz"  # in each shard: the words of each of its pages, by their numbers in VOCABULARY
VOCABULARY_PAGE = "_vocabulary/index.html"  # where a bundle's vocabulary document sits among its search documents
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
    body = part.find(b">") + 1  # after the <article> start tag
    shard_filter = f'<span data-pagefind-filter="shard:{shard}"></span>'.encode()
    return _document(html_tag(page), part[:body] + shard_filter + part[body:])


def _document(html_tag: bytes, article: bytes) -> bytes:
    """A search document: the <html> start tag (the language) and an <article> without its end tag."""
    return (
        b"<!DOCTYPE html>"
        + html_tag
        + b'<head><meta charset="utf-8"></head><body>'
        + article
        + b"</article></body></html>"
    )


_TAG = re.compile(rb"<[^>]*>")
_META = re.compile(rb'data-pagefind-meta="[^":]*:([^"]*)"')
_EDGE = re.compile(r"^\W+|\W+$")


def words_of(page: bytes, cleaned: dict[str, str] | None = None) -> set[str]:
    """The words Pagefind may index for an article page: the text of its <article> (hidden parts
    too: dates and chips are searched as metadata) and its inline metadata values, lower case,
    without the punctuation around them. `cleaned` caches that last step across pages."""
    cleaned = {} if cleaned is None else cleaned
    part = searchable_part(page)
    text = html.unescape(b" ".join([_TAG.sub(b" ", part), *_META.findall(part)]).decode("utf-8", "replace"))
    found = set()
    for token in set(text.lower().split()):
        word = cleaned.get(token)
        if word is None:
            word = cleaned[token] = _EDGE.sub("", token)
        if word:
            found.add(word)
    return found


def vocabulary_document(words: list[str], html_tag: bytes, lacks: list[str] | None = None) -> bytes:
    """A search document that holds every word of the archive, so that each bundle decides as one
    index would whether a query word has completions (else Pagefind falls back to the word's longest
    prefix, or ignores it, bundle by bundle). It has no "shard" filter: searches leave it out.
    In the overlay, `lacks` names the shards that do not know these words (the probe filters)."""
    filters = "".join(f'<span data-pagefind-filter="lacks:{shard}"></span>' for shard in lacks or [])
    if lacks is not None:
        filters += '<span data-pagefind-filter="vocabulary:overlay"></span>'
    words_text = html.escape(" ".join(words)).encode("utf-8")
    return _document(html_tag, b"<article data-pagefind-body>" + filters.encode() + b"<p>" + words_text + b"</p>")


def html_tag(page: bytes) -> bytes:
    """A page's <html> start tag (its language)."""
    start = page.find(b"<html")
    return page[start : page.find(b">", start) + 1] if start >= 0 else b"<html>"


def manifest(tree: Path) -> dict | None:
    """The tree's shard list, if it holds an index in this format."""
    try:
        data = json.loads((tree / FOLDER / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def write_manifest(tree: Path, catching_up: bool, count: int | None = None, recent: dict | None = None) -> None:
    """List the bundles present in `tree` (shards of `count`, else the count it has, and the
    overlay: `recent`, an entry like EMPTY, else what the manifest says); `catching_up`: some
    pages are newer than their bundle."""
    folder = tree / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    old = manifest(tree) or {}
    shards = sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "pagefind.js").is_file())
    count = count or old.get("count") or shard_count(len(_article_folders(tree)))
    recent = recent if recent is not None else {k: old.get(k, EMPTY[k]) for k in EMPTY}
    data = {"format": FORMAT, "count": count, "shards": shards, **recent, "catching_up": catching_up}
    data["pages"] = {shard: _page_count(folder / shard) for shard in shards}  # the search page weighs scores by them
    write_atomic(folder / MANIFEST, json.dumps(data).encode("utf-8"))


def _page_count(bundle: Path) -> int:
    """How many pages a bundle indexed (its vocabulary documents included), as its entry file says."""
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"].values()
        return sum(language["page_count"] for language in languages)
    except (OSError, ValueError, KeyError, TypeError):
        return 0


@dataclass
class Indexer:
    """Builds the search index of a tree about to be published, shard by shard.

    An edited, added or removed page goes to the overlay bundle (`RECENT`: every page that
    differs from what its shard indexed, a few hundred at most, so it indexes in a fraction of
    a shard's time); the manifest lists the shards' stale entries (`superseded`, Pagefind's page
    ids) for the search page to leave out. When the overlay would outgrow RECENT_LIMIT, the
    shards it covers are indexed again and it empties.
    """

    scratch: Path  # working folders, one per shard, outside every published tree
    defer: bool = False  # publish pages now and leave the index to a later build (serve)
    jobs: int = os.cpu_count() or 1
    seconds: float = 0.0  # time spent indexing, for the build report
    peak_mb: float = 0.0  # the largest resident set of one Pagefind process, for the build report
    cancel: threading.Event = field(default_factory=threading.Event)  # set: stop, publish nothing

    @functools.cached_property
    def digests(self) -> Digests:
        """Read when first needed: a build that defers its index (serve) never reads them."""
        return Digests(self.scratch.with_name(self.scratch.name + "-digests.json"))

    @staticmethod
    def stale(live: Path, written: dict[str, Path], removed: list[str]) -> set[str]:
        """Bundles to index again for `written` (path -> new file) and `removed` against the live tree.

        A rewritten page whose <article> element is the same (say, only its related list
        changed) changes nothing. Changed pages go to the overlay; when it would hold more than
        RECENT_LIMIT pages, the shards of all of them are indexed again. When the archive has
        grown or shrunk so much that the shard count changes, every shard of the old and the
        new count (a full re-index).
        """
        live_manifest = manifest(live) or {}
        count = live_manifest.get("count") or 1
        added = sum(1 for path in written if covers(path) and not (live / path).exists())
        pages = len(_article_folders(live)) + added - sum(1 for path in removed if covers(path))
        if resharding(count, pages):
            return set(shard_names(max(count, shard_count(pages)))) | {RECENT}
        changed = {path for path in removed if covers(path)}
        for path, new in written.items():
            if covers(path):
                try:
                    same = searchable_part((live / path).read_bytes()) == searchable_part(new.read_bytes())
                except OSError:
                    same = False
                if not same:
                    changed.add(path)
        if not changed:
            return set()
        if live_manifest.get("recent_pages", 0) + len(changed) <= RECENT_LIMIT:  # about the overlay's size after this
            return {RECENT}
        return {RECENT, *live_manifest.get("recent_shards", []), *(shard_of(path, count) for path in changed)}

    def __call__(self, tree: Path, shards: set[str] | None, catching_up: bool = False) -> None:
        """Index the bundles `shards` of `tree` (None: all, replacing `tree/pagefind/`), then write the manifest.

        Pagefind writes into the scratch folder first: a failed run leaves the tree's index whole.
        A shard whose words cannot be read (damaged on disk) gets the whole index built again.
        """
        start = time.perf_counter()
        try:
            self._index(tree, shards, catching_up)
        except DamagedIndex:
            self._index(tree, None, catching_up)
        self.seconds += time.perf_counter() - start

    def _index(self, tree: Path, shards: set[str] | None, catching_up: bool) -> None:
        slugs = _article_folders(tree)
        count: int | None = (manifest(tree) or {}).get("count")
        vocabulary = Vocabulary.load(tree) if shards is not None and count else None
        if (
            vocabulary is None
            or shards is None
            or count is None
            or (resharding(count, len(slugs)) and shards >= set(shard_names(count)))
        ):
            shards, count, vocabulary = None, shard_count(len(slugs)), Vocabulary()  # the whole index
        pages: dict[str, list[str]] = {}
        for slug in slugs if shards is None or shards - {RECENT} else ():
            path = urls.url_to_file(urls.article(slug))  # every article page (and old-slug redirect)
            shard = shard_of(path, count)
            if (shards is None or shard in shards) and os.path.isfile(tree / path):
                pages.setdefault(shard, []).append(path)
        todo = sorted(pages if shards is None else shards - {RECENT})
        shutil.rmtree(self.scratch, ignore_errors=True)
        found = _write_documents(tree, self.scratch, {s: pages.get(s, []) for s in todo}, self.digests, self.jobs)
        if todo:
            others = [] if shards is None else [shard for shard in shard_names(count) if shard not in found]
            archive = vocabulary.reindex(tree, {shard: words for shard, (_, words) in found.items()}, others)
            language = _language(tree, next((p for s in todo for p in pages.get(s, [])), None))
            for shard, (_, words) in found.items():
                lacks = archive.difference(*words.values())  # its pages hold the rest
                if lacks and words:
                    _write_extra(self.scratch / shard, [vocabulary_document(sorted(lacks), language)])
        built, peak = _run_all([(s, found[s][0]) for s in todo], self.scratch, self.jobs, self.cancel)
        for shard, bundle in built.items():
            vocabulary.save_pages(bundle, found[shard][1])
        self.peak_mb = max(self.peak_mb, peak)
        if shards is None:
            shutil.rmtree(tree / FOLDER, ignore_errors=True)
        (tree / FOLDER).mkdir(parents=True, exist_ok=True)
        for shard in todo:
            shutil.rmtree(tree / FOLDER / shard, ignore_errors=True)
            if shard in built:
                built[shard].rename(tree / FOLDER / shard)
        if todo:
            vocabulary.save(tree)
        recent = EMPTY if shards is None else None
        if shards is not None and RECENT in shards:
            changed, recent, gone = _overlay(tree, count, self.digests)
            records, words = _write_documents(tree, self.scratch, {RECENT: changed}, self.digests, self.jobs)[RECENT]
            documents = vocabulary.overlay(tree, count, words, gone)
            _write_extra(self.scratch / RECENT, documents)
            built, peak = _run_all([(RECENT, records)] if documents else [], self.scratch, self.jobs, self.cancel)
            self.peak_mb = max(self.peak_mb, peak)
            shutil.rmtree(tree / FOLDER / RECENT, ignore_errors=True)
            if RECENT in built:
                built[RECENT].rename(tree / FOLDER / RECENT)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.digests.save()
        write_manifest(tree, catching_up, count, recent)


def _overlay(tree: Path, count: int, digests: Digests) -> tuple[list[str], dict, dict[str, list[str]]]:
    """The article pages of `tree` that differ from what their shard indexed, the manifest's
    overlay entry (the shards they belong to and the ids of their superseded or removed entries),
    and for each shard the paths of those entries."""
    current = {urls.url_to_file(urls.article(slug)) for slug in _article_folders(tree)}
    changed: list[str] = []
    superseded: list[str] = []
    shards: set[str] = set()
    gone: dict[str, list[str]] = {}
    for shard in shard_names(count):
        indexed = read_records(tree / FOLDER / shard)
        for path, (page_id, digest) in indexed.items():  # page_id "": not searched (a redirect)
            now = digests.of(tree, path) if path in current else None
            current.discard(path)
            if now == digest:
                continue
            if now is not None:
                changed.append(path)
            if page_id:
                superseded.append(page_id)
            shards.add(shard)
            gone.setdefault(shard, []).append(path)
    for path in current:  # in no shard yet: added since
        if digests.of(tree, path) is not None:
            changed.append(path)
            shards.add(shard_of(path, count))
    return (
        sorted(changed),
        {
            "recent_pages": len(changed),
            "recent_shards": sorted(shards),
            "superseded": sorted(superseded),
        },
        gone,
    )


@dataclass
class Vocabulary:
    """The words of the archive as the shards indexed them (VOCABULARY), so that an edit reads one file
    and no other page: `words`, numbered as they first came (a whole index numbers them afresh);
    `held`, how many of the shards' pages hold each; `unknown`, for each shard the numbers of the
    words its index lacks (words that came, or left the archive, since it was indexed: it knows
    every other word, on its pages or in its vocabulary document). Each shard keeps its pages' words
    by number (PAGE_WORDS), for the counts of a page it no longer holds."""

    words: list[str] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    unknown: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, tree: Path) -> Vocabulary | None:
        """The tree's vocabulary (None: missing or damaged: the index is built whole)."""
        try:
            data = json.loads(gzip.decompress((tree / FOLDER / VOCABULARY).read_bytes()))
            return cls(data["words"], data["held"], {shard: set(n) for shard, n in data["unknown"].items()})
        except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, tree: Path) -> None:
        unknown = {shard: sorted(self.unknown[shard]) for shard in sorted(self.unknown)}
        data = json.dumps({"words": self.words, "held": self.held, "unknown": unknown}).encode("utf-8")
        write_atomic(tree / FOLDER / VOCABULARY, _packed(data))

    @functools.cached_property
    def number(self) -> dict[str, int]:
        return {word: i for i, word in enumerate(self.words)}

    def reindex(self, tree: Path, found: dict[str, dict[str, set[str]]], others: list[str]) -> set[str]:
        """Count the pages of the shards `found` (shard -> page path -> its words) as they are indexed
        now and those of the shards `others` as they were, and return the archive's words now: what the
        indexes of the shards `found` know."""
        self.held = [0] * len(self.words)
        for shard in others:  # (the spare tree may hold an older index of the shards `found`)
            for i in chain.from_iterable(_page_numbers(tree / FOLDER / shard).values()):
                self.held[i] += 1
        first = len(self.words)
        number = self.number
        counts = Counter(chain.from_iterable(words for pages in found.values() for words in pages.values()))
        for word in sorted(counts.keys() - number.keys()):
            number[word] = len(self.words)
            self.words.append(word)
            self.held.append(0)
        for word, n in counts.items():
            self.held[number[word]] += n
        absent = {i for i, n in enumerate(self.held) if n <= 0}
        for shard in self.unknown.keys() - found.keys():
            self.unknown[shard].update(range(first, len(self.words)))  # words that came since it was indexed
        for shard in found:
            self.unknown[shard] = set(absent)
        return {word for word, n in zip(self.words, self.held) if n > 0}

    def save_pages(self, bundle: Path, pages: dict[str, set[str]]) -> None:
        """Keep in a shard's bundle its pages' words (PAGE_WORDS: a line per page, the gaps between its
        words' sorted numbers)."""
        lines = []
        for path in sorted(pages):
            numbers = sorted(map(self.number.__getitem__, pages[path]))
            lines.append(path + "\t" + " ".join(map(str, map(operator.sub, numbers, [0, *numbers[:-1]]))))
        (bundle / PAGE_WORDS).write_bytes(_packed("\n".join(lines).encode("utf-8")))

    def overlay(self, tree: Path, count: int, changed: dict[str, set[str]], gone: dict[str, list[str]]) -> list[bytes]:
        """The overlay's vocabulary documents: every word of the archive as it is now (the shards'
        words still on a page they hold, and the words of the overlay's pages `changed`), one document
        per set of shards that lack the words ("lacks"); none when no page changed and every shard
        knows exactly these words. `gone`: shard -> its entries the overlay supersedes or removes.

        The search page asks the overlay about each query word: one that matches no word of the archive
        is left out of the query (as one index ignores it); one that only words a shard lacks complete
        leaves that shard out (in one index it matches none of its pages)."""
        held = list(self.held)
        for shard, paths in gone.items():
            numbers = _page_numbers(tree / FOLDER / shard, set(paths))
            for i in chain.from_iterable(numbers.values()):
                held[i] -= 1
        shards = [s for s in shard_names(count) if (tree / FOLDER / s / "pagefind.js").is_file()]  # not empty
        left = {i for i, n in enumerate(held) if n <= 0}
        if not changed and all(self.unknown.get(shard, set()) == left for shard in shards):
            return []
        lacking: dict[int, list[str]] = {}
        for shard in shards:
            for i in self.unknown.get(shard, ()):
                lacking.setdefault(i, []).append(shard)
        number = self.number
        present = set().union(*changed.values())
        new = present - number.keys()
        groups: dict[tuple[str, ...], list[str]] = {tuple(shards): sorted(new)} if new else {}
        for word, n in zip(self.words, held):
            if n > 0 or word in present:
                groups.setdefault(tuple(lacking.get(number[word], ())), []).append(word)
        language = _language(tree, next(iter(changed), None) or _first_page(tree))
        return [vocabulary_document(sorted(group), language, list(lacks)) for lacks, group in sorted(groups.items())]


class DamagedIndex(Exception):
    """A shard's record of its pages' words is missing or unreadable: the index is built whole."""


def _page_numbers(bundle: Path, paths: set[str] | None = None) -> dict[str, list[int]]:
    """The numbers of the words of a shard's pages (`paths`, else all) as it indexed them (none for
    a shard without pages: it has no bundle)."""
    if not (bundle / "pagefind.js").is_file():
        return {}
    try:
        lines = gzip.decompress((bundle / PAGE_WORDS).read_bytes()).decode("utf-8").split("\n")
        found = {}
        for line in lines:
            path, _, gaps = line.partition("\t")
            if paths is None or path in paths:
                found[path] = list(accumulate(map(int, gaps.split())))
    except (OSError, EOFError, zlib.error, ValueError) as damage:
        raise DamagedIndex(f"{bundle / PAGE_WORDS}: {damage}") from damage
    return found


def _first_page(tree: Path) -> str | None:
    folders = _article_folders(tree)
    return urls.url_to_file(urls.article(folders[0])) if folders else None


def _language(tree: Path, path: str | None) -> bytes:
    """The <html> tag of the page at `path` (the language Pagefind files a bundle's pages under)."""
    try:
        return html_tag((tree / path).read_bytes()) if path else b"<html>"
    except OSError:
        return b"<html>"


class Digests:
    """Digests of article pages' <article> elements, cached by file size and time (the build
    state's, never published): finding the pages an edit changed reads only those."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.known: dict[str, list] = orjson.loads(path.read_bytes())
        except (OSError, ValueError):
            self.known = {}

    def of(self, tree: Path, path: str, data: bytes | None = None) -> str | None:
        """The digest of the page `path` of `tree` (None: missing, or no <article>)."""
        file = os.path.join(tree, path)
        try:
            stat = os.stat(file)
        except OSError:
            return None
        key = [stat.st_size, stat.st_mtime_ns]
        if (known := self.known.get(path)) and known[:2] == key:
            return known[2]
        if data is None:
            with open(file, "rb") as handle:
                data = handle.read()
        part = searchable_part(data)
        digest = None if part is data else hashlib.sha1(part).hexdigest()[:16]
        self.known[path] = [*key, digest]
        return digest

    def save(self) -> None:
        write_atomic(self.path, orjson.dumps(self.known))


class Cancelled(Exception):
    """Indexing stopped because a newer build wants the output folder (serve)."""


def _article_folders(tree: Path) -> list[str]:
    """The folders of articles/ (article pages and old-slug redirects)."""
    try:
        return os.listdir(tree / "articles")
    except OSError:
        return []


def _write_documents(
    tree: Path, scratch: Path, pages: dict[str, list[str]], digests: Digests, workers: int
) -> dict[str, tuple[dict[str, list], dict[str, set[str]]]]:
    """Write the search documents of the bundles `pages` (shard -> its pages' paths) into
    `scratch`/shard/site, reading each page once, on `workers` cores; for each shard its records
    (path -> ["", digest of its <article>]) and each page's words."""
    items = [(shard, path) for shard, paths in pages.items() for path in paths]
    found: dict[str, tuple[dict[str, list], dict[str, set[str]]]] = {shard: ({}, {}) for shard in pages}
    done = fork_map(functools.partial(_documents, tree, scratch, digests), items, workers)
    for (shard, path), (known, words) in zip(items, done):
        digests.known[path] = known
        found[shard][0][path] = ["", known[2]]
        found[shard][1][path] = words
    return found


def _documents(tree: Path, scratch: Path, digests: Digests, items: list[tuple[str, str]]) -> list:
    """For each (shard, path): write the page's search document; its digest entry and its words."""
    cleaned: dict[str, str] = {}
    done = []
    for shard, path in items:
        target = os.path.join(scratch, shard, "site", path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(os.path.join(tree, path), "rb") as handle:
            page = handle.read()
        with open(target, "wb") as handle:
            handle.write(search_document(page, shard))
        digests.of(tree, path, page)
        done.append((digests.known.get(path, [0, 0, None]), words_of(page, cleaned)))
    return done


def _write_extra(work: Path, documents: list[bytes]) -> None:
    """Write a bundle's vocabulary documents beside its search documents."""
    for i, document in enumerate(documents):
        target = work / "site" / VOCABULARY_PAGE.replace("/", f"/{i}/", 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document)


def _run_all(jobs: list[tuple[str, dict[str, list]]], scratch: Path, width: int, cancel):
    """Index each (shard, records) over its documents in `scratch`/shard in its own Pagefind process,
    `width` at a time, and keep its records with Pagefind's page ids.

    Returns (shard -> bundle folder, the largest resident set of one process in MB).
    """
    binary = _binary()
    built: dict[str, Path] = {}
    peak = 0.0
    running: list[tuple[str, Path, subprocess.Popen, dict[str, list]]] = []
    queue = [(shard, records) for shard, records in jobs if (scratch / shard / "site").is_dir()]  # empty: none
    try:
        while queue or running:
            while queue and len(running) < width:
                shard, records = queue.pop(0)
                work = scratch / shard
                command = [binary, "--site", str(work / "site"), "--output-path", str(work / "out"), "--silent"]
                with open(work / "log", "wb") as log:
                    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                running.append((shard, work, process, records))
            if cancel.wait(0.02):
                raise Cancelled()
            for shard, work, process, records in list(running):
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid == 0:
                    continue
                process.returncode = os.waitstatus_to_exitcode(status)
                peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
                running.remove((shard, work, process, records))
                if process.returncode != 0:
                    output = (work / "log").read_text("utf-8", "replace").strip()
                    raise ContentError(
                        f"the search indexer failed on shard {shard}: {output[-500:]}",
                        hint="run the build with --no-search to publish without search, and report this",
                    )
                for entry in (work / "out").iterdir():
                    if entry.name.startswith(UNUSED):
                        entry.unlink()
                _write_records(work / "out", records)
                built[shard] = work / "out"
    finally:
        for _, _, process, _ in running:
            process.kill()
            process.wait()
    return built, peak


def _write_records(bundle: Path, records: dict[str, list]) -> None:
    """Save what a bundle indexed (RECORDS), each page with its Pagefind id (its fragment's name)."""
    by_url = {"/" + path.removesuffix("index.html"): path for path in records}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        url = _fragment_url(fragment.read_bytes())
        if url in by_url:
            records[by_url[url]][0] = fragment.name.removesuffix(".pf_fragment")
    write_atomic(bundle / RECORDS, _packed(orjson.dumps(records)))


def _packed(data: bytes) -> bytes:
    """The index's own files compressed: fast (level 1), and the same bytes for the same data (no mtime)."""
    return gzip.compress(data, compresslevel=1, mtime=0)


def read_records(bundle: Path) -> dict[str, list]:
    """What a shard indexed (RECORDS): path -> [Pagefind page id ("": a redirect), digest of its <article>]."""
    try:
        return orjson.loads(gzip.decompress((bundle / RECORDS).read_bytes()))
    except (OSError, EOFError, zlib.error, ValueError):
        return {}


_URL = re.compile(rb'^pagefind_dcd\{"url":("(?:[^"\\]|\\.)*")')


def _fragment_url(compressed: bytes) -> str:
    """The URL a Pagefind fragment is for: its first field, so only its start is decompressed."""
    if found := _URL.match(zlib.decompressobj(wbits=31).decompress(compressed, 1024)):
        return json.loads(found[1])
    data = gzip.decompress(compressed)
    return json.loads(data[data.index(b"{") :])["url"]


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
