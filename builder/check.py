"""`newsarchive check`: problems an editor should fix before publishing.

Front matter errors, terms of every taxonomy with a registry that it does not know (with a "did
you mean"), duplicate articles, and, in the built site, broken internal links and pages nothing links to.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pycountry

from builder.archive import REGIONS, lookup
from builder.cache import BodyStore, code_version
from builder.config import DEFAULT_TAXONOMIES, TaxonomySpec
from builder.content import body_of
from builder.errors import ContentError
from builder.model import Article
from builder.publish import OutputFolder, check_out_folder
from builder.registry import Registry


def check_tags(articles: list[Article], registry: Registry, specs=DEFAULT_TAXONOMIES) -> list[ContentError]:
    """A warning per term name of a registry-backed taxonomy that its registry does not know,
    with the closest known names."""
    found = []
    for spec in (s for s in specs if s.registry):
        known = lookup(spec, registry)
        forms = _forms(spec, registry)
        for article in articles:
            for name in getattr(article, spec.field, ()):
                if known(name) is None:
                    close = difflib.get_close_matches(name, forms, n=3, cutoff=0.75)
                    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else _add_hint(spec)
                    found.append(ContentError(f"unknown {spec.singular} {name!r}", file=article.path, hint=hint))
    return found


def _forms(spec: TaxonomySpec, registry: Registry) -> list[str]:
    """The names and aliases a taxonomy's registry knows: what a misspelt name is compared with."""
    if spec.registry == "iso-3166":
        countries = list(pycountry.countries)
        names = (
            (name for name, _ in REGIONS.values()),
            (c.name for c in countries),
            (getattr(c, "common_name", c.name) for c in countries),
        )
        return list(dict.fromkeys(name for group in names for name in group))
    if spec.registry == "topics.yaml":
        return [topic.name for topic in registry.topics]
    entries = registry.companies if spec.registry == "companies.yaml" else registry.organisations
    return [form for entry in entries for form in (entry.name, *entry.aliases)]


def _add_hint(spec: TaxonomySpec) -> str:
    if spec.registry == "iso-3166":
        return "write the country's name as ISO 3166 gives it (for example 'Germany', 'United Kingdom')"
    return f"add it to data/{spec.registry} if it is a real new one"


def check_duplicates(articles: list[Article]) -> list[ContentError]:
    """An error per article whose body is the same text as an earlier one's."""
    first: dict[str, Article] = {}
    found = []
    for article in sorted(articles, key=lambda a: str(a.path)):
        body = " ".join(body_of(article).split())
        other = first.setdefault(body, article)
        if other is not article and body:
            found.append(
                ContentError(
                    f"same text as {other.path}",
                    file=article.path,
                    hint="delete one of the two files (keep the one with the better tags)",
                )
            )
    return found


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def links_of(html: str) -> list[str]:
    """Every href and src value of an HTML document."""
    parser = _Links()
    parser.feed(html)
    return parser.links


def page_url(site: Path, file: Path, prefix: str) -> str:
    """The root-relative URL a file is served at, under `prefix` ('/' or '/REPO/')."""
    relative = file.relative_to(site).as_posix()
    return prefix + relative.removesuffix("index.html")


def target_file(site: Path, prefix: str, path: str) -> Path | None:
    """The file a root-relative URL path lands on, or None if it is outside the site."""
    path = unquote(path)
    if not path.startswith(prefix):
        return None
    target = site / path[len(prefix) :]
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def crawl(site: Path, base_url: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(broken links as (page, link), orphan pages) of the built site at `site`."""
    base = urlsplit(base_url if "://" in base_url else "https://site.invalid" + base_url)
    host, prefix = base.netloc, base.path or "/"
    broken, linked = [], set()
    pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)
    for file in pages:
        here = page_url(site, file, prefix)
        for link in links_of(file.read_text("utf-8", errors="replace")):
            absolute = urlsplit(urljoin(f"https://{host}{here}", link))
            if absolute.scheme not in ("http", "https") or absolute.netloc != host:
                continue
            target = target_file(site, prefix, absolute.path)
            if target is None or not target.is_file():
                broken.append((here, link))
            elif target != file:
                linked.add(target)
    entry_points = {site / "index.html", site / "404.html"}
    orphans = [
        page_url(site, p, prefix) for p in pages if p not in linked and p not in entry_points and not _is_redirect(p)
    ]
    return broken, orphans


def _is_redirect(file: Path) -> bool:
    return 'http-equiv="refresh"' in file.read_text("utf-8", errors="replace")[:2000]


def check_site(site: Path, base_url: str) -> list[ContentError]:
    """Broken links and orphan pages (nothing links to them) are both errors."""
    broken, orphans = crawl(site, base_url)
    by_target: dict[str, list[str]] = defaultdict(list)
    for page, link in broken:
        by_target[link].append(page)
    found = [
        ContentError(
            f"broken link {link} on {len(pages)} page(s), e.g. {pages[0]}",
            file=site,
            hint="rebuild the site; if it persists, fix the template or article that links there",
        )
        for link, pages in sorted(by_target.items())
    ]
    found += [
        ContentError(
            f"orphan page {url}: no page links to it", file=site, hint="rebuild the site to remove stale pages"
        )
        for url in orphans
    ]
    return found


def check_build_state(config) -> list[str]:
    """Warnings when the output folder is not the tree the last build published, or stored
    article bodies are damaged (they are never published: the next build renders them again)."""
    warnings = []
    folder = OutputFolder(check_out_folder(config))
    if not folder.is_last_published():
        warnings.append(
            f"{folder.out}: this is not the site the last build published (changed by hand, "
            "copied or restored); the next build will refuse it: see docs/errors.md"
        )
    damaged = BodyStore(config.path("cache"), code_version()).damaged()
    if damaged:
        warnings.append(
            f"{config.path('cache')}: {damaged} stored article bodies fail their checksum "
            "(damaged on disk); they are not used, and the next build renders them again"
        )
    return warnings
