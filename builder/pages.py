"""Plan the site: the list of pages it consists of, each with only what its template needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from builder import urls
from builder.archive import COMPANIES, TAXONOMIES, TOPICS, Archive, Term, TaxonomySpec
from builder.content import Article


@dataclass
class Page:
    """One output file: its site path, how to render it, and the values it shows."""

    path: str
    template: str  # a Jinja template name, or "feed:" / "sitemap:" / "robots:" for generated files
    context: dict = field(default_factory=dict)
    articles: tuple[Article, ...] = ()  # articles this page shows, for dependency tracking


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


def paginate(items: list, per_page: int, base: str):
    """Yield (Pagination, items of that page); an empty listing still has page 1."""
    total = max(1, -(-len(items) // per_page))
    for number in range(1, total + 1):
        yield Pagination(number, total, base), items[(number - 1) * per_page: number * per_page]


def plan_pages(archive: Archive, per_page: int) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    pages += _home_pages(archive, per_page)
    pages += [_article_page(archive, a) for a in archive.articles]
    pages += _alias_pages(archive)
    for spec in TAXONOMIES:
        pages += _overview_pages(archive, spec)
        for term in archive.terms[spec.field]:
            pages += _term_pages(archive, term, per_page)
            pages.append(Page(urls.term_feed(spec.field, term.slug), "feed:",
                              {"title": term.name, "path": urls.term(spec.field, term.slug),
                               "feed_path": urls.term_feed(spec.field, term.slug)},
                              tuple(term.articles[:per_page])))
    pages += _archive_pages(archive, per_page)
    pages.append(Page(urls.SEARCH, "search.html", {"title": "Search",
                                                    "topics": archive.terms[TOPICS.field],
                                                    "companies": archive.by_count(COMPANIES)[:30]}))
    pages.append(Page(urls.NOT_FOUND, "404.html", {"title": "Page not found"}))
    pages.append(Page(urls.FEED, "feed:", {"title": None, "path": urls.HOME, "feed_path": urls.FEED},
                      tuple(archive.articles[:per_page])))
    pages.append(Page(urls.SITEMAP, "sitemap:", {"pages": [p for p in pages if _in_sitemap(p)]}))
    pages.append(Page(urls.ROBOTS, "robots:"))
    return pages


def _in_sitemap(page: Page) -> bool:
    return page.template.endswith(".html") and page.path != urls.NOT_FOUND \
        and page.template != "redirect.html"


def _home_pages(archive: Archive, per_page: int) -> list[Page]:
    top = {spec.field: archive.by_count(spec)[:12] for spec in TAXONOMIES}
    return [Page(p.path_of(p.number), "home.html",
                 {"title": None if p.number == 1 else f"Latest news, page {p.number}",
                  "items": items, "pagination": p, "top": top},
                 tuple(items))
            for p, items in paginate(archive.articles, per_page, urls.HOME)]


def _article_page(archive: Archive, article: Article) -> Page:
    newer, older = archive.neighbours(article)
    related = archive.related(article)
    return Page(urls.article(article.slug), "article.html", {
        "title": article.title,
        "article": article,
        "topics": archive.terms_of(article, TOPICS),
        "companies": archive.terms_of(article, COMPANIES),
        "related": related,
        "newer": newer,
        "older": older,
    }, (article, *related, *(a for a in (newer, older) if a)))


def _alias_pages(archive: Archive) -> list[Page]:
    """A redirect page at every old slug an article lists in `aliases`."""
    return [Page(urls.article(alias), "redirect.html",
                 {"title": article.title, "target": urls.article(article.slug)}, (article,))
            for article in archive.articles for alias in article.aliases]


def _overview_pages(archive: Archive, spec: TaxonomySpec) -> list[Page]:
    alphabetical = archive.terms[spec.field]
    letters: dict[str, list[Term]] = {}
    for term in alphabetical:
        first = term.name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(term)
    common = {"spec": spec, "total": len(alphabetical)}
    return [
        Page(urls.terms(spec.field), "terms.html",
             {**common, "title": spec.title, "letters": sorted(letters.items()), "by_count": False}),
        Page(urls.terms(spec.field, by_count=True), "terms.html",
             {**common, "title": f"{spec.title} by number of articles", "terms": archive.by_count(spec),
              "by_count": True}),
    ]


def _term_pages(archive: Archive, term: Term, per_page: int) -> list[Page]:
    other = COMPANIES if term.spec is TOPICS else TOPICS
    companions = _companions(archive, term, other)
    peers = _companions(archive, term, term.spec) if term.spec is COMPANIES else []
    return [Page(p.path_of(p.number), "term.html",
                 {"title": term.name if p.number == 1 else f"{term.name}, page {p.number}",
                  "term": term, "items": items, "pagination": p,
                  "companions": companions, "companion_spec": other, "peers": peers,
                  "months": _per_month(term.articles) if p.number == 1 else [],
                  "feed": urls.term_feed(term.spec.field, term.slug)},
                 tuple(items))
            for p, items in paginate(term.articles, per_page, urls.term(term.spec.field, term.slug))]


def _companions(archive: Archive, term: Term, spec: TaxonomySpec, limit: int = 10) -> list[tuple[Term, int]]:
    """Terms of `spec` most often tagged together with `term`, with counts."""
    counts: dict[int, tuple[Term, int]] = {}
    for article in term.articles:
        for other in archive.terms_of(article, spec):
            if other is not term:
                known = counts.get(id(other), (other, 0))
                counts[id(other)] = (other, known[1] + 1)
    return sorted(counts.values(), key=lambda tc: (-tc[1], tc[0].slug))[:limit]


def _per_month(articles: list[Article]) -> list[tuple[dt.date, int]]:
    """(first day of month, count) for every month from the first dated article to the last."""
    dates = sorted(a.date for a in articles if a.date)
    if not dates:
        return []
    counts: dict[tuple[int, int], int] = {}
    for d in dates:
        counts[(d.year, d.month)] = counts.get((d.year, d.month), 0) + 1
    year, month = dates[0].year, dates[0].month
    months = []
    while (year, month) <= (dates[-1].year, dates[-1].month):
        months.append((dt.date(year, month, 1), counts.get((year, month), 0)))
        year, month = (year + month // 12, month % 12 + 1)
    return months


def _archive_pages(archive: Archive, per_page: int) -> list[Page]:
    months = archive.months()
    years: dict[int, list[tuple[int, list[Article]]]] = {}
    for year, month, items in months:
        years.setdefault(year, []).append((month, items))
    pages = [Page(urls.ARCHIVE, "archive.html",
                  {"title": "Archive", "years": [(y, sum(len(i) for _, i in ms), ms) for y, ms in years.items()],
                   "undated": archive.undated}, tuple(archive.undated))]
    for year, year_months in years.items():
        pages.append(Page(urls.archive(year), "archive_year.html",
                          {"title": f"Archive {year}", "year": year, "months": year_months}))
        for month, items in year_months:
            pages.append(Page(urls.archive(year, month), "archive_month.html",
                              {"title": f"{dt.date(year, month, 1):%B %Y}", "year": year, "month": month,
                               "items": items}, tuple(items)))
    return pages
