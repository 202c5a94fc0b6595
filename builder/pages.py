"""Plan the site: the list of pages it consists of, each with only what its template needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from builder import search, urls
from builder.archive import Archive, Listed, Term, TermLink
from builder.charts import month_chart, per_month
from builder.config import TaxonomySpec
from builder.feeds import fallback_date
from builder.model import Article


@dataclass
class Page:
    """One output file: its site path, how to render it, and the values it shows."""

    path: str
    template: str  # a Jinja template name, or "feed:" / "sitemap:" / "robots:" for generated files
    context: dict = field(default_factory=dict)
    articles: tuple[Article, ...] = ()  # articles this page shows, for dependency tracking
    bodies: tuple[Article, ...] = ()  # those whose full text it shows (article pages, feeds)


@dataclass(frozen=True)
class Pagination:
    """Where a listing page stands among its siblings; links are site paths."""

    number: int
    total: int
    base: str

    @property
    def prev(self) -> str | None:
        return urls.paged(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return urls.paged(self.base, self.number + 1) if self.number < self.total else None

    def path_of(self, number: int) -> str:
        return urls.paged(self.base, number)

    @property
    def last(self) -> str:
        return self.path_of(self.total)

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` either side of this one; None
        stands for the pages left out between them (shown as an ellipsis)."""
        shown = {1, self.total, *range(max(1, self.number - around), min(self.total, self.number + around) + 1)}
        numbers: list[int | None] = []
        for n in sorted(shown):
            if numbers and n - numbers[-1] == 2:
                numbers.append(n - 1)  # one missing page is linked, not hidden behind an ellipsis
            elif numbers and n - numbers[-1] > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers


@dataclass(frozen=True)
class Details:
    """What a term page shows beyond its name: registry facts and linked relatives."""

    website: str = ""  # an http(s) address
    parent: TermLink | str | None = None  # the term it is part of: a link when it has a page
    children: tuple[TermLink | str, ...] = ()  # terms part of it: links when they have pages
    code: str = ""  # ISO 3166-1 code of a country


def paginate(items: list, per_page: int, base: str):
    """Yield (Pagination, items of that page); an empty listing still has page 1."""
    total = max(1, -(-len(items) // per_page))
    for number in range(1, total + 1):
        yield Pagination(number, total, base), items[(number - 1) * per_page : number * per_page]


def plan_pages(archive: Archive, per_page: int) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    pages += _home_pages(archive, per_page)
    pages += [_article_page(archive, a) for a in archive.articles]
    pages += _alias_pages(archive)
    for spec in archive.specs:
        pages += _overview_pages(archive, spec)
        for term in archive.terms[spec.name]:
            pages += _term_pages(archive, term, per_page)
    pages += _feed_pages(archive, per_page)
    pages += _archive_pages(archive, per_page)
    pages.append(
        Page(
            urls.SEARCH,
            "search.html",
            {
                "title": "Search",
                "filters": [(spec, links(archive.terms[spec.name])) for spec in archive.specs if spec.search],
                "bundle": f"{search.FOLDER}/",
            },
        )
    )
    pages.append(Page(urls.NOT_FOUND, "404.html", {"title": "Page not found", "noindex": True}))
    pages.append(Page(urls.SITEMAP, "sitemap:", {"pages": [p for p in pages if _in_sitemap(p)]}))
    pages.append(Page(urls.ROBOTS, "robots:"))
    return pages


def links(terms) -> list[TermLink]:
    """Terms as templates get them: without their articles or counts (see `TermLink`)."""
    return [term.link for term in terms]


def listed(archive: Archive, articles) -> list[Listed]:
    """Articles ready for a listing: each with the terms its chips link to."""
    return [archive.listed(a) for a in articles]


def plan_body_pages(archive: Archive, slugs: set[str], per_page: int) -> list[Page]:
    """Only the pages showing the full text of the articles in `slugs`: their own and the feeds."""
    pages = [_article_page(archive, a) for a in archive.articles if a.slug in slugs]
    return pages + [p for p in _feed_pages(archive, per_page) if any(a.slug in slugs for a in p.bodies)]


TERM_FEED_ENTRIES = 10  # a term's feed carries its newest articles in full: 10, like most blogs' feeds


def _feed_pages(archive: Archive, per_page: int) -> list[Page]:
    """The site's Atom feed with the newest `per_page` articles, and one per term of taxonomies with
    feeds with its newest TERM_FEED_ENTRIES (fewer if `per_page` is smaller)."""
    fallback = None

    def feed(path: str, feed_path: str, title: str | None, subtitle: str | None, articles, count: int) -> Page:
        nonlocal fallback
        entries = tuple(articles[:count])
        undated = not entries or any(not (a.date or a.added) for a in entries)
        if undated and fallback is None:
            fallback = fallback_date(archive.articles)
        context = {
            "title": title,
            "subtitle": subtitle,
            "path": path,
            "feed_path": feed_path,
            # Canonical names (Google, where the front matter says Alphabet), as the chips show them.
            "categories": tuple(tuple(t.name for t in archive.all_terms_of(a)) for a in entries),
            "fallback": fallback if undated else None,
        }
        return Page(feed_path, "feed:", context, entries, entries)

    pages = [feed(urls.HOME, urls.FEED, None, None, archive.articles, per_page)]
    for spec in archive.specs:
        if not spec.feeds:
            continue
        for term in archive.terms[spec.name]:
            path = urls.term(spec.folder, term.slug)
            feed_path = urls.term_feed(spec.folder, term.slug)
            entries = min(per_page, TERM_FEED_ENTRIES)
            pages.append(feed(path, feed_path, term.name, _feed_subtitle(term), term.articles, entries))
    return pages


def _feed_subtitle(term: Term) -> str:
    """A term feed's own subtitle: what it carries, and the term's one-line description if any."""
    return " ".join(filter(None, (f"The latest articles about {term.name}.", term.description)))


def _in_sitemap(page: Page) -> bool:
    return page.template.endswith(".html") and page.path != urls.NOT_FOUND and page.template != "redirect.html"


def _home_pages(archive: Archive, per_page: int) -> list[Page]:
    top = [(spec, [(term.link, term.count) for term in archive.by_count(spec)[:12]]) for spec in archive.specs]
    return [
        Page(
            p.path_of(p.number),
            "home.html",
            {
                "title": None if p.number == 1 else f"Latest news, page {p.number}",
                # Page 1 keeps the site's description; later pages say what they hold.
                **({"description": _span_description(f"Page {p.number} of {p.total}", items)} if p.number > 1 else {}),
                "items": listed(archive, items),
                "pagination": p,
                "top": top if p.number == 1 else [],  # the side list is on the first page only
            },
            tuple(items),
        )
        for p, items in paginate(archive.articles, per_page, urls.HOME)
    ]


def _span_description(what: str, articles: list[Article]) -> str:
    """`what`, then how many articles and the dates they span: a listing's own meta description."""
    dates = [a.date for a in articles if a.date]
    count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    if not dates:
        return f"{what}: {count}, undated."
    newest, oldest = max(dates), min(dates)
    span = _long(oldest) if newest == oldest else f"{_long(oldest)} to {_long(newest)}"
    undated = len(articles) - len(dates)
    return f"{what}: {count}, {span}" + (f", and {undated} undated." if undated else ".")


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _article_page(archive: Archive, article: Article) -> Page:
    newer, older = archive.neighbours(article)
    related = archive.related(article)
    terms = archive.groups(article)
    by_field = {spec.field: links for spec, links in terms}
    return Page(
        urls.article(article.slug),
        "article.html",
        {
            "title": article.title,
            "article": article,
            # The kicker and JSON-LD read topics and companies by the front matter lists they come from.
            "topics": by_field.get("topics", ()),
            "companies": by_field.get("companies", ()),
            "terms": terms,
            "search_terms": ", ".join(
                search.term_names(
                    term for spec in archive.specs if spec.search for term in archive.terms_of(article, spec)
                )
            ),
            "related": listed(archive, related),
            "newer": newer,
            "older": older,
        },
        (article, *related, *(a for a in (newer, older) if a)),
        (article,),
    )


def _alias_pages(archive: Archive) -> list[Page]:
    """A redirect page at every old slug an article lists in `aliases`."""
    return [
        Page(
            urls.article(alias),
            "redirect.html",
            {"title": article.title, "target": urls.article(article.slug)},
            (article,),
        )
        for article in archive.articles
        for alias in article.aliases
    ]


def _overview_pages(archive: Archive, spec: TaxonomySpec) -> list[Page]:
    alphabetical = archive.terms[spec.name]
    letters: dict[str, list[tuple[TermLink, int]]] = {}
    for term in alphabetical:
        first = term.name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append((term.link, term.count))
    common = {"spec": spec, "total": len(alphabetical)}
    return [
        Page(
            urls.terms(spec.folder),
            "terms.html",
            {**common, "title": spec.title, "letters": sorted(letters.items()), "by_count": False},
        ),
        Page(
            urls.terms(spec.folder, by_count=True),
            "terms.html",
            {
                **common,
                "title": f"{spec.title} by number of articles",
                "terms": [(term.link, term.count) for term in archive.by_count(spec)],
                "by_count": True,
            },
        ),
    ]


MIN_CHARTED = 3  # a term with fewer articles shows no chart: one or two bars say nothing


def _term_pages(archive: Archive, term: Term, per_page: int) -> list[Page]:
    spec = term.spec
    together = _companions(archive, term)
    companions = [(other, rows) for other in archive.specs if other is not spec and (rows := together[other.name])]
    peers = together[spec.name]
    details = _details(archive, term)
    charted = spec.charts and term.count >= MIN_CHARTED
    feed = urls.term_feed(spec.folder, term.slug) if spec.feeds else None
    return [
        Page(
            p.path_of(p.number),
            "term.html",
            {
                "title": term.name if p.number == 1 else f"{term.name}, page {p.number}",
                "term": term.link,
                "count": term.count,
                "items": listed(archive, items),
                "pagination": p,
                # Side lists on the first page only; the facts head every page.
                "companions": companions if p.number == 1 else [],
                "peers": peers if p.number == 1 else [],
                "details": details,
                "chart": month_chart(per_month(term.articles)) if charted and p.number == 1 else None,
                "feed": feed,
            },
            tuple(items),
        )
        for p, items in paginate(term.articles, per_page, urls.term(spec.folder, term.slug))
    ]


def _details(archive: Archive, term: Term) -> Details | None:
    """The registry facts a term page shows (relatives link to their pages when they have one)."""
    known = term.known
    if known is None:
        return None

    def relative(name: str) -> TermLink | str:
        found = archive.term(term.spec, name)
        return found.link if found else name

    details = Details(
        known.website if known.website.startswith(("https://", "http://")) else "",
        relative(known.parent) if known.parent else None,
        tuple(map(relative, known.children)),
        known.code,
    )
    return details if details != Details() else None


def _companions(archive: Archive, term: Term, limit: int = 10) -> dict[str, list[tuple[TermLink, int]]]:
    """Per taxonomy, the terms most often tagged together with `term`, with counts (one pass over its articles)."""
    counts: dict[int, list] = {}  # id(other term) -> [other, count]
    for article in term.articles:
        for other in archive.all_terms_of(article):
            known = counts.get(id(other))
            if known is None:
                counts[id(other)] = [other, 1]
            else:
                known[1] += 1
    counts.pop(id(term), None)
    by_spec: dict[str, list[tuple[TermLink, int]]] = {spec.name: [] for spec in archive.specs}
    for other, count in sorted(counts.values(), key=lambda tc: (-tc[1], tc[0].slug)):
        rows = by_spec[other.spec.name]
        if len(rows) < limit:
            rows.append((other.link, count))
    return by_spec


def _archive_pages(archive: Archive, per_page: int) -> list[Page]:
    months = archive.months()  # newest first
    years: dict[int, list[tuple[int, list[Article]]]] = {}
    for year, month, items in months:
        years.setdefault(year, []).append((month, items))
    dated = [a for _, _, items in months for a in items]
    pages = [
        Page(
            urls.ARCHIVE,
            "archive.html",
            {
                "title": "Archive",
                "description": _span_description("Every article by year and month", dated)
                + (f" {len(archive.undated)} undated articles are listed in dump order." if archive.undated else ""),
                "years": [(y, sum(len(i) for _, i in ms), ms) for y, ms in years.items()],
                "undated": listed(archive, archive.undated),
            },
            tuple(archive.undated),
        )
    ]
    for year, year_months in years.items():
        year_articles = [a for _, items in year_months for a in items]
        pages.append(
            Page(
                urls.archive(year),
                "archive_year.html",
                {
                    "title": f"Archive {year}",
                    "description": _span_description(f"The archive of {year}, month by month", year_articles),
                    "year": year,
                    "months": [(dt.date(year, month, 1), listed(archive, items)) for month, items in year_months],
                },
                tuple(year_articles),
            )
        )
    for i, (year, month, items) in enumerate(months):
        first = dt.date(year, month, 1)
        newer = dt.date(months[i - 1][0], months[i - 1][1], 1) if i > 0 else None
        older = dt.date(months[i + 1][0], months[i + 1][1], 1) if i + 1 < len(months) else None
        pages.append(
            Page(
                urls.archive(year, month),
                "archive_month.html",
                {
                    "title": f"{first:%B %Y}",
                    "description": _span_description(f"The archive of {first:%B %Y}", items),
                    "year": year,
                    "month": month,
                    "items": listed(archive, items),
                    "newer_month": newer,
                    "older_month": older,
                },
                tuple(items),
            )
        )
    return pages
