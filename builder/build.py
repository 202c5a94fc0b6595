"""build(): the whole pipeline, one function per stage, read top to bottom."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from builder import search
from builder.archive import Archive, build_archive
from builder.cache import (
    BodyStore,
    BuildCache,
    code_version,
    fingerprint,
    ingest_version,
    last_inputs,
    tree_signature,
)
from builder.config import Config
from builder.content import load_articles
from builder.errors import ContentError
from builder.files import list_files, require_folder, scan
from builder.ingest import IngestReport, Memo, ingest
from builder.markup import Bodies
from builder.model import Article
from builder.output import Staging, WriteReport
from builder.pages import Page, plan_body_pages, plan_pages
from builder.parallel import collections_paused, fork_map
from builder.publish import OutputFolder, check_out_folder, exclusive
from builder.registry import Registry, load_registry
from builder.render import Renderer, Site
from builder.tagging import Tagger
from builder.urls import url_to_file

LOCK_FILE = ".ingest.lock"  # beside the ingest manifest; hidden files are not articles
INGEST_MEMO = "ingest.json"  # in the cache folder: what ingest made, for the next run (see ingest.Memo)


class BuildFailed(Exception):
    """The content has errors; nothing was published. Carries every error found."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class BuildReport:
    ingest: IngestReport | None = None
    write: WriteReport | None = None
    articles: int = 0
    pages: int = 0
    rendered: int = 0
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)
    search_peak_mb: float | None = None  # the largest Pagefind process, if the build indexed

    def summary(self) -> dict:
        """The figures of this build as plain data (for --report-json and benchmarks)."""
        write = self.write or WriteReport()
        return {
            "articles": self.articles,
            "pages": self.pages,
            "rendered": self.rendered,
            "written": len(write.written),
            "unchanged": write.unchanged,
            "removed": len(write.removed),
            "up_to_date": self.up_to_date,
            "warnings": len(self.warnings),
            "errors": len(self.errors),
            "phases": dict(self.phases),
            "search_peak_mb": self.search_peak_mb,
            "seconds": round(sum(self.phases.values()), 4),
        }


class _Phases:
    """Times each named phase of the build into the report."""

    def __init__(self, report: BuildReport, progress):
        self.report, self.progress = report, progress

    def __call__(self, name: str):
        self.name = name
        return self

    def __enter__(self):
        self.progress(self.name, None, None)
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.report.phases[self.name] = round(time.perf_counter() - self.start, 4)


def _quiet(phase: str, done: int | None, total: int | None) -> None:
    """The default progress callback: says nothing."""


def run_ingest(
    config: Config,
    registry: Callable[[], Registry] | None = None,
    waiting=lambda message: None,
    memo: Memo | None = None,
) -> IngestReport:
    """Raw dumps -> Markdown articles, tagged with the registries; one ingest at a time per content folder.

    The registry (`registry()`, else read from the data folder) is loaded only if an article needs
    tagging: the ingest memo in the build cache (`memo`, else the config's) holds what the last run made."""
    data = config.path("data")
    content = config.path("content")
    require_folder(content, "content path", "rename the file; articles live in a folder of Markdown files", create=True)
    memo = memo or ingest_memo(config)

    def tagger() -> Tagger:
        return Tagger(registry() if registry else load_registry(data))

    # No process id written: the file must not change, or every build would see new content.
    with exclusive(content / LOCK_FILE, "another ingest of this content folder", waiting, note_pid=False):
        return ingest(config.path("seeds"), content, tagger, memo=memo)


def ingest_memo(config: Config) -> Memo:
    """Where ingest keeps what it made for its next run, for this config's data folder."""
    return Memo(config.path("cache") / INGEST_MEMO, ingest_version(config.path("data")))


def build(
    config: Config, progress=_quiet, workers: int | None = None, force: bool = False, defer_search: bool = False
) -> BuildReport:
    """Ingest the dumps, render what changed, and publish it once every page has rendered.

    One build per output folder at a time: a second one waits for the first. `defer_search`
    publishes changed pages without waiting for the search index (serve): a later build catches up.
    """
    folder = OutputFolder(check_out_folder(config), force=force)
    with collections_paused(), folder.locked(lambda message: progress(message, None, None)):
        return _build(config, folder, progress, workers, defer_search)


def _build(config: Config, folder: OutputFolder, progress, workers: int | None, defer_search: bool) -> BuildReport:
    report = BuildReport()
    phase = _Phases(report, progress)
    # Gather all data first, so that everything is consistent before a byte is written.
    with phase("ingest"):
        registry = functools.cache(partial(load_registry, config.path("data")))  # loaded when first needed
        memo = ingest_memo(config)
        report.ingest = run_ingest(config, registry, lambda message: progress(message, None, None), memo)
        report.errors += report.ingest.errors
        report.warnings += report.ingest.warnings + base_url_warnings(config)
    record = folder.record_dir if folder.trusted else None  # the cache of the live tree, if it is ours
    with phase("scan"):
        version = code_version()
        files = memo.scanned if memo.reused else scan(config.path("content"))  # unchanged since ingest scanned it
        inputs = input_signature(config, version, files)
        if record and inputs == last_inputs(record) and (folder.index_current or not config.search or defer_search):
            report.up_to_date = True
            return report
    with phase("load"):
        cache = BuildCache.load(record, version) if record else BuildCache(version=version)
        digests = cache.digests()  # the article files the last build read: loading updates the rows
        store = BodyStore(config.path("cache"), version)
        bodies = Bodies(store)
        articles = load(config, cache, files, bodies, workers, report)
    with phase("plan"):
        plan = plan_build(config, articles, registry(), cache, digests, workers)
    # Start writing files, now that all data is gathered; publish only if every page rendered.
    staging = Staging(
        folder.out, folder.home / ("stage" if record else "new"), live_files(folder, cache) if record else None
    )
    try:
        with phase("render"):
            keys, extras = render(config, plan, bodies, staging, cache, progress, workers)
            report.rendered = sum(1 for file, key in keys.items() if cache.outputs.get(file) != key)
            report.pages = len(keys)
        cache.inputs, cache.outputs, cache.extras = inputs, keys, extras
        cache.related, cache.listing = (plan.relation_keys, plan.archive.related_memo), plan.listing
        indexer = search.Indexer(folder.home / "index", defer=defer_search) if config.search else None
        with phase("publish"):
            publish(folder, staging, cache, indexer)
        if indexer and indexer.seconds:  # the share of publishing that was search indexing
            report.phases["search"] = round(indexer.seconds, 4)
            report.phases["publish"] = round(report.phases["publish"] - indexer.seconds, 4)
            report.search_peak_mb = round(indexer.peak_mb, 1)
    finally:
        staging.discard()
    report.write = staging.report
    store.keep_only({a.digest for a in articles})
    return report


def live_files(folder: OutputFolder, cache: BuildCache) -> set[str]:
    """The files of the live tree this build replaces or removes: the last build's outputs, or,
    when its record was lost (a damaged cache), every file of the tree but the search index."""
    if cache.outputs:
        return cache.files()
    return {f for f in list_files(folder.out) if not f.startswith(search.FOLDER + "/")}


def load(
    config: Config, cache: BuildCache, files: dict, bodies: Bodies, workers: int | None, report: BuildReport
) -> list[Article]:
    """Every article, its body rendered (by workers); cached rows stand for unchanged files.

    Content errors fail the build, with any found while ingesting; warnings go in the report.
    """
    articles, errors = load_articles(
        config.path("content"),
        cache.articles,
        stats=files,
        mapper=lambda read, paths: fork_map(lambda chunk: bodies.rendered(read(chunk)), paths, workers),
    )
    if errors:
        raise BuildFailed(report.errors + errors)
    report.warnings += [f"{a.path}: {w}" for a in articles for w in a.warnings]
    report.articles = len(articles)
    return articles


@dataclass
class Plan:
    """What a build renders, and what the next build needs to know about it."""

    archive: Archive
    pages: list[Page]
    templates: str  # signature of the templates and site settings
    listing: str  # signature of all pages show besides article bodies
    bodies_only: bool  # only article bodies changed since the last build
    relation_keys: dict[str, tuple]


def plan_build(
    config: Config,
    articles: list[Article],
    registry: Registry,
    cache: BuildCache,
    digests: dict[str, str],
    workers: int | None,
) -> Plan:
    """The archive and the pages to render. While everything but article bodies is as the last
    build saw it (the listing signature), only the pages that show a body whose file changed
    (`digests`: slug -> hash of the file the last build read) are planned."""
    archive = build_archive(articles, registry, config.taxonomies)
    templates = tree_signature(config.path("templates"), extra=repr(site_of(config)))
    listing = archive.listing_signature() + templates + tree_signature(config.path("data"), extra=repr(asdict(config)))
    bodies_only = cache.listing == listing
    relation_keys = reuse_related(archive, cache, bodies_only, workers)
    if bodies_only:
        changed = {a.slug for a in articles if digests.get(a.slug) != a.digest}
        pages = plan_body_pages(archive, changed, config.per_page)
    else:
        pages = plan_pages(archive, config.per_page)
    return Plan(archive, pages, templates, listing, bodies_only, relation_keys)


def render(
    config: Config, plan: Plan, bodies: Bodies, staging: Staging, cache: BuildCache, progress, workers: int | None
) -> tuple[dict[str, str], list[str]]:
    """Render the planned pages and stage what changed, with the static and extra files.

    Returns (output file -> page key for every page of the site, the other files' names).
    """
    renderer = Renderer(config.path("templates"), site_of(config), bodies)
    keys = render_pages(plan.pages, renderer, staging, cache.outputs, plan.templates, progress, workers)
    if bodies.store is not None:
        bodies.store.close()
    if plan.bodies_only:
        keys.update(keep_unplanned(cache.outputs, keys, staging))
    extras = [*static_files(config.path("static")), *extra_files(config)]
    for name, data in extras:
        staging.put(name, data)
    return keys, [name for name, _ in extras]


def catch_up_search(config: Config, cancel=None) -> bool:
    """Index the shards that builds with `defer_search` left lagging, and publish the index alone.

    Returns whether anything was indexed. `cancel` (a threading.Event) stops it, publishing
    nothing: serve sets it when an edit needs the output folder.
    """
    if not config.search:
        return False
    folder = OutputFolder(check_out_folder(config))
    with folder.locked():
        live = folder.record_dir if folder.trusted else None
        if live is None or folder.index_current or (cancel and cancel.is_set()):
            return False
        record = folder.new_record()  # the same build cache, for the tree with the new index
        for name in os.listdir(live):
            os.link(live / name, record / name)
        indexer = search.Indexer(folder.home / "index", **({"cancel": cancel} if cancel else {}))
        folder.publish({}, [], record, indexer)
        return True


def base_url_warnings(config: Config) -> list[str]:
    if "://" in config.base_url:
        return []
    return [
        f"base_url {config.base_url!r} is not a full URL, so feed ids, the sitemap and canonical links "
        "are relative; set base_url in site.toml or pass --base-url https://… before publishing"
    ]


def reuse_related(archive, cache: BuildCache, bodies_only: bool, workers: int | None) -> dict[str, tuple]:
    """Fill the archive's related lists, reusing the cached ones that cannot have changed.

    Related articles depend on terms and order alone, which an unchanged listing includes;
    only articles sharing a term with a changed one need their list again. Returns the
    relation keys the lists now stand for.
    """
    old_keys, known = cache.related
    relation_keys = old_keys if bodies_only else archive.relation_keys()
    outdated = archive.related_outdated(old_keys, relation_keys, known)
    redo = {a.slug for a in outdated}
    archive.related_memo.update(
        (slug, slugs) for slug, slugs in known.items() if slug in relation_keys and slug not in redo
    )
    # the slowest part of planning, so it gets the workers
    found = fork_map(lambda chunk: [[r.slug for r in archive.related(a)] for a in chunk], outdated, workers)
    archive.related_memo.update(zip((a.slug for a in outdated), found))
    return relation_keys


def keep_unplanned(previous: dict[str, str], keys: dict[str, str], staging: Staging) -> dict[str, str]:
    """When only bodies changed, every page not planned stays as the last build wrote it."""
    kept = {}
    for file, key in previous.items():
        if file not in keys and staging.published(file):
            staging.keep(file)
            kept[file] = key
    return kept


def publish(folder: OutputFolder, staging: Staging, cache: BuildCache, indexer: search.Indexer | None) -> None:
    """Record the build cache for the new tree and publish it (with its search index) if it differs."""
    record = folder.new_record()
    cache.save(record)
    if staging.changed() or (indexer and not indexer.defer and not folder.index_current):
        folder.publish(staging.written(), staging.report.removed, record, indexer)
    else:
        folder.keep_record(record)


def clean(config: Config) -> tuple[int, list[str]]:
    """Delete the files the last build recorded as its output, and the build state; nothing else.

    Returns (entries removed, files left in the output folder).
    """
    folder = OutputFolder(check_out_folder(config), force=True)
    with folder.locked():
        owned: list[str] = []
        live = folder.record_dir if folder.trusted else None
        if live is not None:
            cache = BuildCache.load(live, code_version())
            owned = [*cache.outputs, *cache.extras, search.FOLDER + "/"]
        removed, kept = folder.clean(owned) if owned else (0, list_files(folder.out) if folder.out.is_dir() else [])
        for entry in folder.home.iterdir():  # all but the lock, which is still held
            if entry.is_dir():
                shutil.rmtree(entry)
            elif entry.name != "lock":
                entry.unlink()
    shutil.rmtree(folder.home, ignore_errors=True)
    return removed, kept


def site_of(config: Config) -> Site:
    return Site(config.title, config.description, config.language, config.base_url, config.taxonomies)


def input_signature(config: Config, code: str, content: dict) -> str:
    """Everything a build reads: content (as `scan` found it), templates, static files,
    registries, settings, code."""
    folders = [config.path(name) for name in ("content", "templates", "static", "data")]
    settings = repr(sorted((k, str(v)) for k, v in asdict(config).items()))
    return tree_signature(*folders, extra=code + settings, scans={config.path("content"): content})


def render_pages(
    pages: list[Page],
    renderer: Renderer,
    staging: Staging,
    previous: dict[str, str],
    templates: str,
    progress,
    workers: int | None,
) -> dict[str, str]:
    """Render every page whose inputs changed since the last build; keep the rest as they are.

    A page's key is a hash of everything its template reads. Returns output file -> key.
    """

    def render_chunk(chunk: list[Page]) -> list[tuple[str, str, bool | None]]:
        """(file, key, staged?) per page; None: the published file is still right."""
        memo: dict = {}  # the pages keep every object it describes alive
        done: list[tuple[str, str, bool | None]] = []
        for page in chunk:
            file = url_to_file(page.path)
            key = hashlib.sha1(
                f"{templates}\x1d{page.template}\x1d{page.path}\x1d{fingerprint(page.context, memo)}"
                f"\x1d{fingerprint(page.articles, memo)}".encode()
            ).hexdigest()
            if previous.get(file) == key and staging.published(file):
                done.append((file, key, None))
            else:
                done.append((file, key, staging.place(file, renderer.render(page))))
        return done

    keys: dict[str, str] = {}
    pages = sorted(pages, key=lambda page: page.template != "sitemap:")  # the biggest page first, not last
    for file, key, written in fork_map(render_chunk, pages, workers, progress=partial(progress, "render")):
        keys[file] = key
        if written is None:
            staging.keep(file)
        else:
            staging.claim(file)
            staging.record(file, written)
    return keys


def static_files(static_dir: Path):
    """(output path, bytes) of every file in the static folder, under static/."""
    if not static_dir.exists():
        return
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield f"static/{path.relative_to(static_dir).as_posix()}", path.read_bytes()


def extra_files(config: Config):
    """.nojekyll (so GitHub Pages serves every file) and CNAME when a custom domain is set."""
    yield ".nojekyll", b""
    if config.cname:
        yield "CNAME", config.cname.strip().encode() + b"\n"
