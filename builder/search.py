"""Full-text search: a Pagefind index in shards, and an overlay bundle for the pages edited since.

In a site tree the index is

    pagefind/shards.json   {"format", "count": N, "shards": ["00", ..., "recent"], "recent_pages",
                            "recent_shards", "superseded": [page ids], "catching_up",
                            "pages": {bundle: how many pages it indexed}}
    pagefind/NN/           one Pagefind bundle per shard: the article pages whose path hashes to NN
                           and a vocabulary document (every word of the archive); pages.json, what
                           it indexed; vocabulary.gz, the words it knows and which of its pages hold them
    pagefind/recent/       the overlay: every page that differs from what its shard indexed, and the
                           archive's words as they are now, by the shards that lack them

The search page loads the first bundle, merges the others (Pagefind's `mergeIndex`) and leaves
out the `superseded` entries and the vocabulary documents (they have no "shard" filter). The
vocabularies make each bundle match a query word as one index would (see `vocabulary_document`).
An edit indexes the overlay only (a few pages); past RECENT_LIMIT pages the shards it covers are
indexed again. The shard count follows the archive's size (one
shard up to PER_SHARD articles) and is kept until the archive has doubled or halved, then every
shard is rebuilt. Bundles are indexed by the Pagefind binary, one process per bundle over a
scratch folder of its search documents (`search_document`), on every core at once.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import os
import re
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
FORMAT = "newsarchive-shards-v3"  # v3: bundles hold the vocabulary document
PER_SHARD = 2500  # pages; fewer, larger shards: fewer requests and sooner results for readers, same CPU
MAX_SHARDS = 32  # the reader fetches about three files per shard before the first results
RECENT = "recent"  # the overlay bundle: pages changed since their shard was indexed
RECENT_LIMIT = 200  # pages in the overlay (about 0.3 s of Pagefind) before their shards are indexed again
EMPTY = {"recent_pages": 0, "recent_shards": [], "superseded": []}  # the manifest's overlay entry, no overlay
RECORDS = "pages.json"  # in each shard: path -> [Pagefind page id, digest of its <article>]
VOCABULARY = "vocabulary.gz"  # in each shard: the words its vocabulary document listed, and their page counts
PAGE_WORDS = "page-words.gz"  # in each shard: the words of each of its pages, by number
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
        todo = sorted(pages if shards is None else shards - {RECENT})
        shutil.rmtree(self.scratch, ignore_errors=True)
        page_words = _page_words(tree, slugs) if todo else {}
        words = sorted(set().union(*page_words.values()))
        extra = {shard: [vocabulary_document(words, _language(tree, pages[shard]))] for shard in todo if shard in pages}
        built, peak = _run_all(
            [(s, pages.get(s, [])) for s in todo], tree, self.scratch, self.jobs, self.cancel, self.digests, extra
        )
        for shard, bundle in built.items():
            _save_vocabulary(bundle, words, {path: page_words.get(path, set()) for path in pages[shard]})
        self.peak_mb = max(self.peak_mb, peak)
        if shards is None:
            shutil.rmtree(tree / FOLDER, ignore_errors=True)
        (tree / FOLDER).mkdir(parents=True, exist_ok=True)
        for shard in todo:
            shutil.rmtree(tree / FOLDER / shard, ignore_errors=True)
            if shard in built:
                built[shard].rename(tree / FOLDER / shard)
        recent = EMPTY if shards is None else None
        if shards is not None and RECENT in shards:
            changed, recent, gone = _overlay(tree, count, self.digests)
            documents = _overlay_vocabulary(tree, count, changed, gone)
            jobs = [(RECENT, changed)] if documents else []
            extra = {RECENT: documents}
            built, peak = _run_all(jobs, tree, self.scratch, self.jobs, self.cancel, self.digests, extra)
            self.peak_mb = max(self.peak_mb, peak)
            shutil.rmtree(tree / FOLDER / RECENT, ignore_errors=True)
            if RECENT in built:
                built[RECENT].rename(tree / FOLDER / RECENT)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.digests.save()
        write_manifest(tree, catching_up, count, recent)
        self.seconds += time.perf_counter() - start


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
        try:
            records = json.loads((tree / FOLDER / shard / RECORDS).read_text("utf-8"))
        except (OSError, ValueError):
            records = {}
        for path, (page_id, digest) in records.items():  # page_id "": not searched (a redirect)
            now = digests.of(tree / path, path) if path in current else None
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
        if digests.of(tree / path, path) is not None:
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


def _page_words(tree: Path, slugs: list[str]) -> dict[str, set[str]]:
    """path -> the words of each article page of the tree."""
    found: dict[str, set[str]] = {}
    cleaned: dict[str, str] = {}
    for slug in slugs:
        path = urls.url_to_file(urls.article(slug))
        try:
            found[path] = words_of((tree / path).read_bytes(), cleaned)
        except OSError:
            continue
    return found


def _save_vocabulary(bundle: Path, words: list[str], pages: dict[str, set[str]]) -> None:
    """Keep in a shard the words its vocabulary document listed and how many of its pages hold each
    (VOCABULARY), and each page's words by number (PAGE_WORDS: a line per page), for the overlay to
    tell which words the archive still holds."""
    number = {word: i for i, word in enumerate(words)}
    held = [0] * len(words)
    lines = []
    for path, found in sorted(pages.items()):
        numbers = sorted(map(number.__getitem__, found))
        lines.append(path + "\t" + " ".join(map(str, numbers)))
        for i in numbers:
            held[i] += 1
    data = json.dumps({"words": words, "pages_with": held}).encode("utf-8")
    (bundle / VOCABULARY).write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
    (bundle / PAGE_WORDS).write_bytes(gzip.compress("\n".join(lines).encode("utf-8"), compresslevel=1, mtime=0))


def _load_vocabulary(bundle: Path) -> dict:
    try:
        return json.loads(gzip.decompress((bundle / VOCABULARY).read_bytes()))
    except (OSError, ValueError):
        return {"words": [], "pages_with": []}


def _words_of_pages(bundle: Path, paths: list[str]) -> list[int]:
    """The numbers of the words of the shard's pages `paths`, as it indexed them (once per page)."""
    wanted = set(paths)
    try:
        lines = gzip.decompress((bundle / PAGE_WORDS).read_bytes()).decode("utf-8").split("\n")
    except OSError:
        return []
    numbers: list[int] = []
    for line in lines:
        path, _, found = line.partition("\t")
        if path in wanted:
            numbers.extend(map(int, found.split()))
    return numbers


def _language(tree: Path, paths: list[str]) -> bytes:
    """The <html> tag of the first of `paths` (the language Pagefind files the bundle's pages under)."""
    return html_tag((tree / paths[0]).read_bytes()) if paths else b"<html>"


def _overlay_vocabulary(tree: Path, count: int, changed: list[str], gone: dict[str, list[str]]) -> list[bytes]:
    """The overlay's vocabulary documents: every word of the archive as it is now (the shards' words
    still on a page they hold, and the words of the overlay's pages), one document per set of shards
    that lack the words ("lacks"). None when every shard knows exactly these words.

    The search page asks the overlay about each query word: one that matches no word of the archive
    is left out of the query (as one index ignores it); one that only words a shard lacks complete
    leaves that shard out (in one index it matches none of its pages)."""
    words: set[str] = set()
    for path in changed:
        words |= words_of((tree / path).read_bytes())
    known: dict[str, set[str]] = {}
    for shard in shard_names(count):
        if not (tree / FOLDER / shard / "pagefind.js").is_file():
            continue  # an empty shard: no bundle, no results
        vocabulary = _load_vocabulary(tree / FOLDER / shard)
        known[shard] = set(vocabulary["words"])
        held = list(vocabulary["pages_with"])
        for i in _words_of_pages(tree / FOLDER / shard, gone.get(shard, [])):
            held[i] -= 1
        words.update(word for word, n in zip(vocabulary["words"], held) if n > 0)
    if not changed and all(found == words for found in known.values()):
        return []
    groups: dict[tuple[str, ...], list[str]] = {}
    for word in sorted(words):
        groups.setdefault(tuple(s for s in known if word not in known[s]), []).append(word)
    language = _language(tree, changed or [urls.url_to_file(urls.article(slug)) for slug in _article_folders(tree)[:1]])
    return [vocabulary_document(group, language, list(lacks)) for lacks, group in groups.items()]


class Digests:
    """Digests of article pages' <article> elements, cached by file size and time (the build
    state's, never published): finding the pages an edit changed reads only those."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.known: dict[str, list] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            self.known = {}

    def of(self, file: Path, path: str, data: bytes | None = None) -> str | None:
        """The digest of the page at `file` (None: missing, or no <article>)."""
        try:
            stat = os.stat(file)
        except OSError:
            return None
        key = [stat.st_size, stat.st_mtime_ns]
        if (known := self.known.get(path)) and known[:2] == key:
            return known[2]
        data = data if data is not None else file.read_bytes()
        part = searchable_part(data)
        digest = None if part is data else hashlib.sha1(part).hexdigest()[:16]
        self.known[path] = [*key, digest]
        return digest

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.known).encode("utf-8"))


class Cancelled(Exception):
    """Indexing stopped because a newer build wants the output folder (serve)."""


def _article_folders(tree: Path) -> list[str]:
    """The folders of articles/ (article pages and old-slug redirects)."""
    try:
        return os.listdir(tree / "articles")
    except OSError:
        return []


def _run_all(
    jobs: list[tuple[str, list[str]]],
    tree: Path,
    scratch: Path,
    width: int,
    cancel,
    digests: Digests,
    extra: dict[str, list[bytes]] | None = None,
):
    """Index each (shard, pages) in its own Pagefind process, `width` at a time, with the shard's
    `extra` documents (its vocabulary).

    Returns (shard -> bundle folder, the largest resident set of one process in MB).
    """
    binary = _binary()
    built: dict[str, Path] = {}
    records: dict[str, dict[str, list]] = {}  # shard -> path -> [page id, digest]
    peak = 0.0
    running: list[tuple[str, Path, subprocess.Popen]] = []
    queue = [(shard, paths) for shard, paths in jobs if paths or (extra or {}).get(shard)]  # an empty shard: none
    try:
        while queue or running:
            while queue and len(running) < width:
                shard, paths = queue.pop(0)
                work = scratch / shard
                records[shard] = {}
                for path in paths:
                    target = work / "site" / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page = (tree / path).read_bytes()
                    target.write_bytes(search_document(page, shard))
                    records[shard][path] = ["", digests.of(tree / path, path, page)]
                for i, document in enumerate((extra or {}).get(shard, [])):
                    target = work / "site" / VOCABULARY_PAGE.replace("/", f"/{i}/", 1)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(document)
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
                _write_records(work / "out", records.pop(shard))
                built[shard] = work / "out"
    finally:
        for _, _, process in running:
            process.kill()
            process.wait()
    return built, peak


def _write_records(bundle: Path, records: dict[str, list]) -> None:
    """Save what a bundle indexed (RECORDS), each page with its Pagefind id (its fragment's name)."""
    by_url = {"/" + path.removesuffix("index.html"): path for path in records}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        url = json.loads(data[data.index(b"{") :])["url"]
        if url in by_url:
            records[by_url[url]][0] = fragment.name.removesuffix(".pf_fragment")
    write_atomic(bundle / RECORDS, json.dumps(records).encode("utf-8"))


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
