"""The content model: an article and where it came from, as plain values the cache can keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Source:
    """Where an ingested article came from: the dump and its 1-based position there (for editors),
    and what readers see: the source's name, its web address and the article's own address there."""

    file: str
    position: int
    name: str | None = None
    url: str | None = None
    source_url: str | None = None

    @property
    def label(self) -> str | None:
        """The source as readers see it: its name, else its web address's host; never a file name."""
        if self.name:
            return self.name
        link = self.url or self.source_url
        return urlsplit(link).hostname if link else None

    @property
    def link(self) -> str | None:
        """The article's own address at the source when known, else the source's address."""
        return self.source_url or self.url


@dataclass(frozen=True)
class Article:
    """One article of the archive, as its Markdown file says."""

    slug: str
    title: str
    body: str | None  # None when the article came from the build cache: see `body_of`
    path: Path
    date: dt.date | None = None
    added: dt.date | None = None  # when the article entered the archive (ingest); never shown as its date
    summary: str = ""
    topics: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    source: Source | None = None
    aliases: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    digest: str = field(default="", compare=False, repr=False)  # hash of the file's text
    html: str | None = field(default=None, compare=False, repr=False)  # the body as HTML, if rendered

    def row(self) -> tuple:
        """Everything but the body and path, as plain values: the build cache stores these by path."""
        source = self.source
        return (
            self.slug,
            self.title,
            self.date.toordinal() if self.date else 0,
            self.added.toordinal() if self.added else 0,
            self.summary,
            self.topics,
            self.companies,
            self.organisations,
            self.countries,
            (source.file, source.position, source.name, source.url, source.source_url) if source else None,
            self.aliases,
            self.warnings,
            self.digest,
        )

    @classmethod
    def from_row(cls, row: tuple, path: Path, body: str | None = None, html: str | None = None) -> Article:
        """The article `row()` stood for, its file at `path`; without its body unless given."""
        (
            slug,
            title,
            day,
            added,
            summary,
            topics,
            companies,
            organisations,
            countries,
            source,
            aliases,
            warnings,
            digest,
        ) = row
        return cls(
            slug,
            title,
            body,
            path,
            dt.date.fromordinal(day) if day else None,
            dt.date.fromordinal(added) if added else None,
            summary,
            topics,
            companies,
            organisations,
            countries,
            Source(*source) if source else None,
            aliases,
            warnings,
            digest,
            html,
        )

    def __reduce__(self):
        """Pickled as plain values (workers send articles back): several times faster to load."""
        return (_unpickle_article, (self.row(), str(self.path), self.body, self.html))


def _unpickle_article(row: tuple, path: str, body: str | None, html: str | None) -> Article:
    return Article.from_row(row, Path(path), body, html)
