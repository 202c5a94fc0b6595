"""build(): the whole pipeline, one function per stage, read top to bottom."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from builder import search
from builder.archive import build_archive
from builder.config import Config
from builder.content import load_articles
from builder.errors import ContentError
from builder.ingest import IngestReport, ingest
from builder.output import Staging, WriteReport
from builder.pages import plan_pages
from builder.registry import load_registry
from builder.render import Renderer, Site
from builder.tagging import Tagger
from builder.urls import url_to_file


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
    warnings: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)


class _Phases:
    """Times each named phase of the build into the report."""

    def __init__(self, report: BuildReport, progress):
        self.report, self.progress = report, progress

    def __call__(self, name: str):
        self.name = name
        return self

    def __enter__(self):
        self.progress(f"{self.name}…")
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.report.phases[self.name] = round(time.perf_counter() - self.start, 4)


def run_ingest(config: Config) -> IngestReport:
    """Raw dumps -> Markdown articles, tagged with the registries."""
    tagger = Tagger(load_registry(config.path("data")))
    return ingest(config.path("seeds"), config.path("content"), tagger)


def build(config: Config, progress=lambda message: None) -> BuildReport:
    """Ingest the dumps, render every page, and publish the site atomically."""
    report = BuildReport()
    phase = _Phases(report, progress)
    # Gather all data first, so that everything is consistent before a byte is written.
    with phase("ingest"):
        report.ingest = run_ingest(config)
        report.errors += report.ingest.errors
        report.warnings += report.ingest.warnings
    with phase("load"):
        registry = load_registry(config.path("data"))
        articles, errors = load_articles(config.path("content"))
        if errors:
            raise BuildFailed(report.errors + errors)
        report.warnings += [f"{a.path}: {w}" for a in articles for w in a.warnings]
        report.articles = len(articles)
    with phase("plan"):
        archive = build_archive(articles, registry)
        pages = plan_pages(archive, config.per_page)
        report.pages = len(pages)
    # Start writing files, now that all data is gathered; publish only if every page rendered.
    staging = Staging(config.path("out"))
    try:
        with phase("render"):
            renderer = Renderer(config.path("templates"),
                                Site(config.title, config.description, config.language, config.base_url),
                                config.path("cache") / "jinja")
            for page in pages:
                staging.put(url_to_file(page.path), renderer.render(page))
            for name, data in static_files(config.path("static")):
                staging.put(name, data)
            for name, data in extra_files(config):
                staging.put(name, data)
        if not staging.changed(ignore=search.FOLDER + "/"):
            staging.discard()
        else:
            if config.search:
                with phase("search"):
                    search.index(staging.root)
                    staging.adopt(search.FOLDER)
            with phase("write"):
                staging.commit()
    except BaseException:
        staging.discard()
        raise
    report.write = staging.report
    return report


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
