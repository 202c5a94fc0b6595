"""Page -> bytes: the Jinja environment (globals, filters, partials' macros); feeds and sitemap dispatched."""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from builder import urls
from builder.config import DEFAULT_TAXONOMIES, TaxonomySpec
from builder.errors import ContentError
from builder.feeds import render_feed
from builder.markup import Bodies, json_ld
from builder.pages import Page
from builder.sitemap import render_robots, render_sitemap


@dataclass(frozen=True)
class Site:
    """The site-wide values templates show."""

    title: str
    description: str
    language: str
    base_url: str
    taxonomies: tuple[TaxonomySpec, ...] = DEFAULT_TAXONOMIES  # in navigation and footer, in this order


class Renderer:
    """Renders planned pages; build one per build and reuse it for every page."""

    def __init__(self, templates_dir: Path, site: Site, bodies: Bodies | None = None):
        """Compiled templates are not cached on disk (a planted or damaged bytecode file would
        run or crash); compiling them costs about 0.1 s per process."""
        self.site = site
        self.bodies = bodies or Bodies()
        self.templates_dir = templates_dir
        self.urls = urls.Urls(site.base_url)
        self._loader = jinja2.FileSystemLoader(str(templates_dir))
        self.env = _Environment(
            loader=self._loader,
            autoescape=True,
            auto_reload=False,  # templates do not change during a build; skip a stat per page
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        href = self.urls.href
        nav = SimpleNamespace(
            home=href(urls.HOME),
            terms=tuple((spec, href(urls.terms(spec.folder))) for spec in site.taxonomies),
            archive=href(urls.ARCHIVE),
            search=href(urls.SEARCH),
            feed=href(urls.FEED),
            style=href(urls.static("style.css")),
            favicon=href(urls.static("favicon.svg")),
        )
        self.env.globals.update(
            site=site,
            url=href,
            abs_url=self.urls.absolute,
            nav=nav,
            term_url=self.term_url,
            paths=urls,
            body_html=self.bodies.html,
            json_ld=json_ld,
            article_data=self.article_data,
            collection_data=self.collection_data,
            card=self.card,
            chips=self.chips,
            site_head=lambda: self._once("partials/site_head.html"),
            site_header=self.site_header,
            site_footer=lambda: self._once("partials/site_footer.html"),
        )
        self._macros_loaded = False
        self._cards: dict[tuple[str, int, bool], tuple[Markup, ...]] = {}
        self._whole_cards: dict[tuple[str, int, bool, bool], Markup] = {}
        self._chips: dict[tuple[str, str, bool], Markup] = {}
        self._parts: dict[tuple[str, str], Markup] = {}
        self.env.filters["isodate"] = lambda d: d.isoformat() if d else ""
        self.env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""
        self.env.filters["plural"] = plural

    def term_url(self, term) -> str:
        """The link to a term's page."""
        return self.urls.href(urls.term(term.spec.folder, term.slug))

    def _register_macros(self) -> None:
        """Make every macro defined in templates/partials/ a global before any template loads
        (a loaded template keeps a copy of the globals), so any template or partial calls any
        of them by name, whatever order the files sort in."""
        for name in self.env.list_templates(filter_func=lambda n: n.startswith("partials/")):
            tree = self.env.parse(self._loader.get_source(self.env, name)[0], name)
            for macro in (node for node in tree.body if isinstance(node, nodes.Macro)):
                self.env.globals[macro.name] = _PartialMacro(self.env, name, macro.name)
        self._macros_loaded = True

    def _once(self, name: str, current: str = "") -> Markup:
        """A partial that is the same on every page (for each `current`), rendered once per build."""
        html = self._parts.get((name, current))
        if html is None:
            html = Markup(self.env.get_template(name).render(current=current))
            self._parts[(name, current)] = html
        return html

    def site_header(self, path: str, section: str) -> Markup:
        """The masthead and navigation, its link to this page's part of the site marked current."""
        current = "home" if path == urls.HOME else "search" if path == urls.SEARCH else section
        return self._once("partials/site_header.html", current)

    def card(self, entry, heading_level: int, compact: bool = False, without=None, chips: bool = True) -> Markup:
        """An article's listing card. Its text is rendered once per build, level and form (listings
        repeat cards a lot; a compact card has no heading, so one serves every level); its chips,
        which leave out the listing's own term (`without`), are joined from chips rendered once
        per term, or left out (`chips=False`)."""
        key = (entry.article.slug, 0 if compact else heading_level, compact)
        parts = self._cards.get(key)
        if parts is None:
            template = self.env.get_template("partials/card.html")
            html = template.render(entry=entry, heading_level=heading_level, compact=compact, chips=_SLOT)
            parts = self._cards[key] = tuple(Markup(part) for part in html.split(_SLOT, 1))
        if len(parts) == 1:
            return parts[0]
        if without is None or not chips:  # the same card in every listing but a term's own
            whole = self._whole_cards.get((*key, chips))
            if whole is None:
                tags = self.chips(entry.groups) if chips else Markup()
                whole = self._whole_cards[(*key, chips)] = parts[0] + tags + parts[1]
            return whole
        return parts[0] + self.chips(entry.groups, without=without) + parts[1]

    def chips(self, groups, filters: bool = False, without=None) -> Markup:
        """The linked chips of (taxonomy, terms) groups, leaving out the term `without`; `filters`
        marks those of taxonomies with a search filter as Pagefind filters (article pages)."""
        items = [
            self.chip(spec, term, filters and spec.search)
            for spec, terms in groups
            for term in terms
            if without is None or term.slug != without.slug or term.spec.name != without.spec.name
        ]
        return Markup(f'<ul class="chips" aria-label="Tags">{"".join(items)}</ul>') if items else Markup()

    def chip(self, spec, term, filter: bool) -> Markup:
        """One term's chip, rendered once per build and form."""
        key = (spec.name, term.slug, filter)
        html = self._chips.get(key)
        if html is None:
            macro = self.env.get_template("partials/chips.html").module.chip  # type: ignore[attr-defined]
            html = self._chips[key] = Markup(macro(spec, term, filter))
        return html

    def article_data(self, article, topics, companies) -> dict:
        """schema.org NewsArticle for an article page; terms by their canonical names (TermLinks)."""
        url = self.urls.absolute(urls.article(article.slug))
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "url": url,
            "keywords": [term.name for term in topics],
            "about": [{"@type": "Organization", "name": term.name} for term in companies],
            "publisher": {"@type": "Organization", "name": self.site.title},
        }
        if article.date:
            data["datePublished"] = article.date.isoformat()
        return data

    def collection_data(self, title: str | None, path: str) -> dict:
        """schema.org CollectionPage for listing pages."""
        return {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": title or self.site.title,
            "url": self.urls.absolute(path),
        }

    def render(self, page: Page) -> bytes:
        """The bytes of one page; template problems become ContentErrors naming the template."""
        kind = page.template
        if kind == "feed:":
            return render_feed(page, self.site, self.urls, self.bodies.html)
        if kind == "sitemap:":
            return render_sitemap(page.context["pages"], self.urls)
        if kind == "robots:":
            return render_robots(self.urls)
        try:
            if not self._macros_loaded:
                self._register_macros()
            template = self.env.get_template(kind)
            html = template.render(page=page, path=page.path, section=page.path.split("/", 1)[0], **page.context)
        except jinja2.TemplateSyntaxError as err:
            raise ContentError(
                f"template error: {err.message}",
                file=err.filename or kind,
                line=err.lineno,
                hint="fix the template; the previous site is left as it was",
            ) from None
        except jinja2.TemplateError as err:
            file, line = _template_frame(err, self.templates_dir, kind)
            message, hint = _untracked(err) or (str(err), "fix the template; the previous site is left as it was")
            raise ContentError(
                f"template error while rendering /{page.path}: {message}", file=file, line=line, hint=hint
            ) from None
        return html.encode("utf-8")


# Where a card's chips go: only the template can write it, as text would come out escaped.
_SLOT = Markup("<chips/>")


class _PartialMacro:
    """A partial's macro as a global: its template loads at the first call, not before."""

    def __init__(self, env: jinja2.Environment, template: str, name: str):
        self.env, self.template, self.name = env, template, name
        self.macro = None

    def __call__(self, *args, **kwargs):
        if self.macro is None:
            self.macro = getattr(self.env.get_template(self.template).module, self.name)
        return self.macro(*args, **kwargs)


def plural(count: int, singular: str, plural_form: str | None = None, number: bool = True) -> str:
    """`{{ count | plural("article") }}`: "1 article", "2 articles"; `number=False` gives the word alone."""
    word = singular if count == 1 else plural_form or singular + "s"
    return f"{count} {word}" if number else word


class _Environment(jinja2.Environment):
    """Templates see the globals as one plain dict, copied when the template is loaded.

    Jinja's default, a ChainMap over the environment's globals, is merged key by key into
    every new render context; cards and chips create thousands of those.
    """

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def _template_frame(err: Exception, templates_dir: Path, name: str) -> tuple[str, int | None]:
    """(template file, line) the exception was raised in: the innermost template (a partial,
    a card), read from its traceback; the page's own template if none is found."""
    folder = os.path.normpath(templates_dir)  # the loader names template files under it
    found: tuple[str, int | None] = (name, None)
    for frame, line in traceback.walk_tb(err.__traceback__):
        filename = os.path.normpath(frame.f_code.co_filename)
        if filename.startswith(folder + os.sep):
            found = (Path(os.path.relpath(filename, folder)).as_posix(), line)
    return f"templates/{found[0]}", found[1]


# What templates cannot read, because no page's key covers it, and what to use instead.
_UNTRACKED = {
    ("TermLink", "count"): "use the count the page gives: `count` on term pages, the (term, count) "
    "rows of overviews and side lists (`term_counts`)",
    ("TermLink", "articles"): "use the articles the page gives (`items`, `related`)",
}
_NO_ATTRIBUTE = re.compile(r"'[\w.]*?(\w+) object' has no attribute '(\w+)'")


def _untracked(err: Exception) -> tuple[str, str] | None:
    """(message, hint) when a template read a value pages deliberately do not give it."""
    match = _NO_ATTRIBUTE.search(str(err)) if isinstance(err, jinja2.UndefinedError) else None
    if match is None:
        return None
    hint = _UNTRACKED.get((match[1], match[2]))
    if not hint:
        return None
    kind = "a term" if match[1] == "TermLink" else match[1]
    return (f"{kind} has no '{match[2]}' in templates: an incremental build could not keep it up to date", hint)
