"""Plan the site: the list of pages it consists of, each with only what its template needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from builder import search, urls
from builder.archive import COMPANIES, TAXONOMIES, TOPICS, Archive, Listed, TaxonomySpec, Term, TermLink
from builder.content import Article


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


@dataclass(frozen=True)
class Bar:
    """One month's bar of a chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label: str  # "March 2026"
    count: int


@dataclass(frozen=True)
class Chart:
    """An articles-per-month bar chart, laid out at build time so the template only draws it."""

    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str, str], ...]  # (x, SVG text-anchor, text) of the labels under the bars
    summary: str  # the text alternative
    counts: tuple[tuple[str, int], ...]  # (month, count) of months with articles, for the table


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
    for spec in TAXONOMIES:
        pages += _overview_pages(archive, spec)
        for term in archive.terms[spec.field]:
            pages += _term_pages(archive, term, per_page)
    pages += _feed_pages(archive, per_page)
    pages += _archive_pages(archive, per_page)
    pages.append(
        Page(
            urls.SEARCH,
            "search.html",
            {
                "title": "Search",
                "topics": links(archive.terms[TOPICS.field]),
                "companies": links(archive.terms[COMPANIES.field]),
                "bundle": f"{search.FOLDER}/",
            },
        )
    )
    pages.append(Page(urls.NOT_FOUND, "404.html", {"title": "Page not found"}))
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


def _feed_pages(archive: Archive, per_page: int) -> list[Page]:
    """The site's Atom feed and one per topic and company: the newest `per_page` articles each."""
    entries = tuple(archive.articles[:per_page])
    pages = [Page(urls.FEED, "feed:", {"title": None, "path": urls.HOME, "feed_path": urls.FEED}, entries, entries)]
    for spec in TAXONOMIES:
        for term in archive.terms[spec.field]:
            entries = tuple(term.articles[:per_page])
            pages.append(
                Page(
                    urls.term_feed(spec.field, term.slug),
                    "feed:",
                    {
                        "title": term.name,
                        "path": urls.term(spec.field, term.slug),
                        "feed_path": urls.term_feed(spec.field, term.slug),
                    },
                    entries,
                    entries,
                )
            )
    return pages


def _in_sitemap(page: Page) -> bool:
    return page.template.endswith(".html") and page.path != urls.NOT_FOUND and page.template != "redirect.html"


def _home_pages(archive: Archive, per_page: int) -> list[Page]:
    top = {spec.field: [(term.link, term.count) for term in archive.by_count(spec)[:12]] for spec in TAXONOMIES}
    return [
        Page(
            p.path_of(p.number),
            "home.html",
            {
                "title": None if p.number == 1 else f"Latest news, page {p.number}",
                "items": listed(archive, items),
                "pagination": p,
                "top": top,
            },
            tuple(items),
        )
        for p, items in paginate(archive.articles, per_page, urls.HOME)
    ]


def _article_page(archive: Archive, article: Article) -> Page:
    newer, older = archive.neighbours(article)
    related = archive.related(article)
    topics, companies = archive.terms_of(article, TOPICS), archive.terms_of(article, COMPANIES)
    return Page(
        urls.article(article.slug),
        "article.html",
        {
            "title": article.title,
            "article": article,
            "topics": links(topics),
            "companies": links(companies),
            "search_terms": search.term_names(topics, companies, archive.registry),
            "search_shard": search.shard_of(urls.url_to_file(urls.article(article.slug))),
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
    alphabetical = archive.terms[spec.field]
    letters: dict[str, list[tuple[TermLink, int]]] = {}
    for term in alphabetical:
        first = term.name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append((term.link, term.count))
    common = {"spec": spec, "total": len(alphabetical)}
    return [
        Page(
            urls.terms(spec.field),
            "terms.html",
            {**common, "title": spec.title, "letters": sorted(letters.items()), "by_count": False},
        ),
        Page(
            urls.terms(spec.field, by_count=True),
            "terms.html",
            {
                **common,
                "title": f"{spec.title} by number of articles",
                "terms": [(term.link, term.count) for term in archive.by_count(spec)],
                "by_count": True,
            },
        ),
    ]


def _term_pages(archive: Archive, term: Term, per_page: int) -> list[Page]:
    other = COMPANIES if term.spec is TOPICS else TOPICS
    companions = _companions(archive, term, other)
    peers = _companions(archive, term, term.spec) if term.spec is COMPANIES else []
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
                "companions": companions,
                "companion_spec": other,
                "peers": peers,
                "chart": month_chart(_per_month(term.articles)) if p.number == 1 else None,
                "feed": urls.term_feed(term.spec.field, term.slug),
            },
            tuple(items),
        )
        for p, items in paginate(term.articles, per_page, urls.term(term.spec.field, term.slug))
    ]


def _companions(archive: Archive, term: Term, spec: TaxonomySpec, limit: int = 10) -> list[tuple[TermLink, int]]:
    """Terms of `spec` most often tagged together with `term`, with counts."""
    counts: dict[int, tuple[Term, int]] = {}
    for article in term.articles:
        for other in archive.terms_of(article, spec):
            if other is not term:
                known = counts.get(id(other), (other, 0))
                counts[id(other)] = (other, known[1] + 1)
    best = sorted(counts.values(), key=lambda tc: (-tc[1], tc[0].slug))[:limit]
    return [(other.link, count) for other, count in best]


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


CHART_WIDTH, CHART_HEIGHT, CHART_AXIS = 480, 120, 20
MAX_STEP = 40  # widest a month's slot gets, so a short history does not draw huge bars
MONTH_LABELS_FROM = 36  # narrower slots get a label per year instead of per month


def month_chart(months: list[tuple[dt.date, int]]) -> Chart | None:
    """Bars of articles per month, tallest = chart height; None when nothing is dated."""
    if not months:
        return None
    step = min(MAX_STEP, CHART_WIDTH / len(months))
    width = round(step * len(months))
    top = max(count for _, count in months)
    plot = CHART_HEIGHT - CHART_AXIS - 4
    bars, ticks = [], []
    for i, (month, count) in enumerate(months):
        height = round(plot * count / top, 1)
        bars.append(
            Bar(
                round(i * step + step * 0.1, 1),
                round(plot + 4 - height, 1),
                round(step * 0.8, 1),
                height,
                f"{month:%B %Y}",
                count,
            )
        )
        if step >= MONTH_LABELS_FROM:
            ticks.append((round(i * step + step / 2, 1), "middle", f"{month:%b}"))
        elif month.month == 1 or i == 0:  # a year starts at its first bar's left edge
            ticks.append((round(i * step + step * 0.1, 1), "start", str(month.year)))
    if step < MONTH_LABELS_FROM and len(ticks) > 1 and ticks[1][0] - ticks[0][0] < 40:
        ticks.pop(0)  # the first year's label would run into the next one
    if ticks and ticks[-1][1] == "start" and ticks[-1][0] + 32 > width:
        ticks[-1] = (width, "end", ticks[-1][2])  # a year starting at the last bar stays inside the chart
    total = sum(count for _, count in months)
    peak = max(months, key=lambda mc: (mc[1], mc[0]))
    first, last = months[0][0], months[-1][0]
    span = f"in {first:%B %Y}" if first == last else f"from {first:%B %Y} to {last:%B %Y}"
    summary = (
        f"{total} dated article{'s' if total != 1 else ''} {span}; "
        f"the busiest month was {peak[0]:%B %Y} with {peak[1]}."
    )
    counts = tuple((f"{m:%B %Y}", c) for m, c in months if c)
    return Chart(width, CHART_HEIGHT, plot + 4, tuple(bars), tuple(ticks), summary, counts)


def _archive_pages(archive: Archive, per_page: int) -> list[Page]:
    months = archive.months()
    years: dict[int, list[tuple[int, list[Article]]]] = {}
    for year, month, items in months:
        years.setdefault(year, []).append((month, items))
    pages = [
        Page(
            urls.ARCHIVE,
            "archive.html",
            {
                "title": "Archive",
                "years": [(y, sum(len(i) for _, i in ms), ms) for y, ms in years.items()],
                "undated": listed(archive, archive.undated),
            },
            tuple(archive.undated),
        )
    ]
    for year, year_months in years.items():
        pages.append(
            Page(
                urls.archive(year),
                "archive_year.html",
                {
                    "title": f"Archive {year}",
                    "year": year,
                    "months": [(dt.date(year, month, 1), listed(archive, items)) for month, items in year_months],
                },
                tuple(a for _, items in year_months for a in items),
            )
        )
        for month, items in year_months:
            pages.append(
                Page(
                    urls.archive(year, month),
                    "archive_month.html",
                    {
                        "title": f"{dt.date(year, month, 1):%B %Y}",
                        "year": year,
                        "month": month,
                        "items": listed(archive, items),
                    },
                    tuple(items),
                )
            )
    return pages
