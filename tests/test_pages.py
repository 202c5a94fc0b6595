"""The page plan: which pages the site has, how listings paginate, and the per-month chart data."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import run_cli

from builder import urls
from builder.archive import Term, TermLink, build_archive
from builder.charts import month_chart
from builder.model import Article
from builder.pages import Listed, paginate, plan_pages


class NoRegistry:
    """A registry that knows no names: terms take the names and slugs the articles give."""

    def topic(self, name):
        return None

    def company(self, name):
        return None


def article(n: int, date: dt.date | None, topics=(), companies=(), aliases=()) -> Article:
    slug = f"story-{n:03d}"
    return Article(
        slug=slug,
        title=f"Story {n}",
        body=f"Body of story {n}.",
        path=Path(f"{slug}.md"),
        date=date,
        summary=f"Summary {n}.",
        topics=tuple(topics),
        companies=tuple(companies),
        aliases=tuple(aliases),
        digest=slug,
    )


def plan(articles, per_page=20):
    archive = build_archive(articles, NoRegistry())
    return archive, {page.path: page for page in plan_pages(archive, per_page)}


def test_paginate_gives_pretty_page_urls_and_real_prev_next():
    pages = list(paginate(list(range(45)), 20, "companies/openai/"))
    assert [p.path_of(p.number) for p, _ in pages] == [
        "companies/openai/",
        "companies/openai/page/2/",
        "companies/openai/page/3/",
    ]
    assert [len(items) for _, items in pages] == [20, 20, 5]
    first, second, last = (p for p, _ in pages)
    assert (first.prev, first.next) == (None, "companies/openai/page/2/")
    assert (second.prev, second.next) == ("companies/openai/", "companies/openai/page/3/")
    assert (last.prev, last.next) == ("companies/openai/page/2/", None)


def test_an_empty_listing_still_has_its_first_page():
    [(page, items)] = list(paginate([], 20, ""))
    assert (page.number, page.total, items) == (1, 1, [])


def test_every_kind_of_page_is_planned():
    stories = [article(i, dt.date(2025, 1 + i % 12, 1 + i), ["AI"], ["OpenAI"]) for i in range(25)]
    stories.append(article(99, None, ["Space"], ["Nasa Corp"], aliases=["old-story"]))
    _, pages = plan(stories, per_page=10)
    expected = {
        "",
        "page/2/",
        "page/3/",  # home, 26 articles at 10 a page
        "articles/story-000/",
        "articles/story-099/",
        "articles/old-story/",
        "topics/",
        "topics/by-count/",
        "topics/ai/",
        "topics/ai/page/3/",
        "topics/ai/feed.xml",
        "companies/",
        "companies/by-count/",
        "companies/openai/",
        "companies/nasa-corp/feed.xml",
        "archive/",
        "archive/2025/",
        "archive/2025/01/",
        "search/",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    }
    assert expected <= set(pages)
    assert pages["articles/old-story/"].template == "redirect.html"
    assert pages["articles/old-story/"].context["target"] == "articles/story-099/"


def test_term_pages_paginate_newest_first_with_the_configured_size():
    stories = [article(i, dt.date(2025, 3, 1) + dt.timedelta(days=i), ["AI"], ["OpenAI"]) for i in range(5)]
    _, pages = plan(stories, per_page=2)
    first, second, third = (
        pages["companies/openai/"],
        pages["companies/openai/page/2/"],
        pages["companies/openai/page/3/"],
    )
    assert [e.article.slug for e in first.context["items"]] == ["story-004", "story-003"]
    assert [e.article.slug for e in third.context["items"]] == ["story-000"]
    assert second.context["pagination"].prev == "companies/openai/"
    assert second.context["pagination"].next == "companies/openai/page/3/"
    assert second.context["title"] == "OpenAI, page 2"
    assert "companies/openai/page/4/" not in pages


def test_listings_carry_each_articles_terms_of_every_declared_taxonomy_for_linked_chips():
    story = dataclasses.replace(
        article(1, dt.date(2025, 5, 1), ["AI", "Chips"], ["Nvidia", "TSMC"]),
        organisations=("European Commission",),
        countries=("Belgium",),
    )
    _, pages = plan([story])
    [entry] = pages[""].context["items"]
    assert isinstance(entry, Listed)
    assert [(spec.name, [t.name for t in terms]) for spec, terms in entry.groups] == [
        ("topics", ["AI", "Chips"]),
        ("companies", ["Nvidia", "TSMC"]),
        ("organisations", ["European Commission"]),
        ("countries", ["Belgium"]),
    ]


def test_topic_pages_name_the_companies_most_often_tagged_with_it():
    stories = [
        article(1, None, ["AI"], ["OpenAI", "Microsoft"]),
        article(2, None, ["AI"], ["OpenAI"]),
        article(3, None, ["AI"], ["Google"]),
        article(4, None, ["Space"], ["Google"]),
    ]
    _, pages = plan(stories)

    def side(path, taxonomy):
        return [
            (t.name, n) for spec, rows in pages[path].context["companions"] if spec.name == taxonomy for t, n in rows
        ]

    assert side("topics/ai/", "companies") == [("OpenAI", 2), ("Google", 1), ("Microsoft", 1)]
    assert side("companies/google/", "topics") == [("AI", 1), ("Space", 1)]
    assert [(t.name, n) for t, n in pages["companies/openai/"].context["peers"]] == [("Microsoft", 1)]
    # taxonomies no article of the term has give no side list
    assert [spec.name for spec, _ in pages["topics/ai/"].context["companions"]] == ["companies"]


def test_home_shows_the_most_active_terms_first():
    stories = [
        article(i, None, ["AI"] + (["Space"] if i < 2 else []), ["Apple"] if i == 0 else ["Zeta"]) for i in range(4)
    ]
    _, pages = plan(stories)
    top = {spec.name: rows for spec, rows in pages[""].context["top"]}
    assert [(t.name, count) for t, count in top["topics"]] == [("AI", 4), ("Space", 2)]
    assert [t.name for t, _ in top["companies"]] == ["Zeta", "Apple"]


def test_overviews_group_a_to_z_and_sort_by_count():
    stories = [article(1, None, [], ["apple", "Zeta", "3M"]), article(2, None, [], ["Zeta"])]
    _, pages = plan(stories)
    letters = pages["companies/"].context["letters"]
    assert [letter for letter, _ in letters] == ["#", "A", "Z"]
    assert [(t.name, n) for t, n in pages["companies/by-count/"].context["terms"]][:1] == [("Zeta", 2)]
    assert [(t.name, n) for t, n in dict(letters)["A"]] == [("apple", 1)]


def test_the_archive_lists_undated_articles_in_their_own_section():
    stories = [article(1, dt.date(2024, 12, 30)), article(2, dt.date(2025, 2, 3)), article(3, None)]
    _, pages = plan(stories)
    assert [e.article.slug for e in pages["archive/"].context["undated"]] == ["story-003"]
    assert [y for y, _, _ in pages["archive/"].context["years"]] == [2025, 2024]
    assert [e.article.slug for e in pages["archive/2025/02/"].context["items"]] == ["story-002"]
    assert "archive/2025/01/" not in pages  # no empty month pages


def test_per_month_chart_covers_every_month_between_first_and_last_including_empty_ones():
    stories = [
        article(1, dt.date(2024, 11, 5), companies=["Acme"]),
        article(2, dt.date(2025, 2, 1), companies=["Acme"]),
        article(3, dt.date(2025, 2, 20), companies=["Acme"]),
        article(4, None, companies=["Acme"]),
    ]
    _, pages = plan(stories)
    chart = pages["companies/acme/"].context["chart"]
    assert [(b.label, b.count) for b in chart.bars] == [
        ("November 2024", 1),
        ("December 2024", 0),
        ("January 2025", 0),
        ("February 2025", 2),
    ]
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.label == "February 2025" and tallest.y + tallest.height == chart.baseline
    assert chart.bars[0].height == pytest.approx(tallest.height / 2, abs=0.1)
    assert chart.bars[1].height == 0
    assert (chart.total, chart.first, chart.last, chart.peak) == (
        3,
        "November 2024",
        "February 2025",
        ("February 2025", 2),
    )
    # bars link to their month's archive page; empty months have nothing to link to
    assert [b.path for b in chart.bars] == ["archive/2024/11/", None, None, "archive/2025/02/"]
    assert all(b.path in pages for b in chart.bars if b.path)
    # the value axis: 0 at the baseline, the tallest count at the top of the tallest bar
    assert chart.values[0] == (chart.baseline, 0) and chart.values[-1] == (tallest.y, 2)
    assert chart.counts == (("November 2024", 1), ("February 2025", 2))
    assert [text for _, _, text in chart.ticks] == ["Nov", "Dec", "Jan", "Feb"]


def test_chart_bars_fit_the_chart_and_long_histories_get_year_labels():
    months = [(dt.date(2020 + m // 12, m % 12 + 1, 1), m % 7) for m in range(60)]
    chart = month_chart(months)
    assert all(0 <= b.x and b.x + b.width <= chart.width for b in chart.bars)
    assert all(0 <= b.y <= chart.baseline for b in chart.bars)
    assert [text for _, _, text in chart.ticks] == ["2020", "2021", "2022", "2023", "2024"]
    assert all(x >= 0 for x, _, _ in chart.ticks)
    ends_in_january = month_chart(months[:49])  # the last bar is January 2024
    x, anchor, text = ends_in_january.ticks[-1]
    assert (x, anchor, text) == (ends_in_january.width, "end", "2024")


def test_no_chart_without_dates_for_one_or_two_articles_and_only_on_the_first_page():
    stories = [article(i, None, companies=["Acme"]) for i in range(3)]
    _, pages = plan(stories, per_page=2)
    assert pages["companies/acme/"].context["chart"] is None
    dated = [article(i, dt.date(2025, 1, 1 + i), companies=["Acme"] if i < 2 else ["Acme", "Beta"]) for i in range(3)]
    _, pages = plan(dated, per_page=2)
    assert pages["companies/acme/"].context["chart"].total == 3
    assert pages["companies/acme/page/2/"].context["chart"] is None
    _, pages = plan(dated[:2] + [article(9, dt.date(2025, 1, 9), companies=["Beta"])])
    assert pages["companies/acme/"].context["chart"] is None  # two articles: no chart
    assert pages["companies/beta/"].context["chart"] is None  # one article


def test_article_pages_relate_by_shared_terms_and_link_newer_and_older():
    stories = [
        article(1, dt.date(2025, 1, 1), ["AI"], ["OpenAI"]),
        article(2, dt.date(2025, 1, 2), ["Space"], ["Nasa Corp"]),
        article(3, dt.date(2025, 1, 3), ["AI"], ["OpenAI"]),
        article(4, dt.date(2025, 1, 4), ["AI"], ["Google"]),
    ]
    _, pages = plan(stories)
    page = pages["articles/story-003/"].context
    assert [e.article.slug for e in page["related"]][:2] == ["story-001", "story-004"]
    assert "story-002" not in [e.article.slug for e in page["related"]]
    assert (page["newer"].slug, page["older"].slug) == ("story-004", "story-002")


def test_search_page_offers_every_term_of_every_taxonomy_with_a_filter():
    stories = [article(i, None, [f"Topic {i}"], [f"Company {i}"]) for i in range(40)]
    _, pages = plan(stories)
    search = pages[urls.SEARCH].context
    filters = {spec.singular: terms for spec, terms in search["filters"]}
    assert list(filters) == ["topic", "company", "organisation", "country"]
    assert len(filters["topic"]) == 40 and len(filters["company"]) == 40
    assert search["bundle"] == "pagefind/"


def test_the_sitemap_lists_html_pages_but_not_the_404_or_redirects():
    _, pages = plan([article(1, dt.date(2025, 1, 1), ["AI"], ["OpenAI"], aliases=["old"])])
    listed = {p.path for p in pages["sitemap.xml"].context["pages"]}
    assert {"", "articles/story-001/", "topics/ai/", "archive/2025/01/", "search/"} <= listed
    assert not listed & {"404.html", "articles/old/", "feed.xml", "robots.txt"}


# --- what templates can read is what a page's key covers ---


def _reachable(value, seen=None):
    """Every object a template can reach from `value` through fields, items and attributes."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, (str, int, float, type(None), dt.date, Path)):
        return
    seen.add(id(value))
    yield value
    children = (
        value.values()
        if isinstance(value, dict)
        else value
        if isinstance(value, (list, tuple))
        else [getattr(value, f.name) for f in dataclasses.fields(value)]
        if dataclasses.is_dataclass(value)
        else []
    )
    for child in children:
        yield from _reachable(child, seen)


def test_templates_get_terms_without_their_articles_or_counts():
    """A term's count changes with every added article; a page that showed `term.count` in a
    listing would keep an old count on an incremental build. Pages give counts as values."""
    stories = [article(i, dt.date(2025, 1 + i % 12, 1), ["AI", "Space"][: 1 + i % 2], ["OpenAI"]) for i in range(8)]
    _, pages = plan(stories, per_page=3)
    for page in pages.values():
        if page.template.endswith(".html"):
            reachable = list(_reachable(page.context))
            assert not any(isinstance(v, Term) for v in reachable), page.path
            assert not any(
                hasattr(v, "count") or hasattr(v, "articles") for v in reachable if isinstance(v, TermLink)
            ), page.path


def test_a_template_reading_a_terms_count_is_a_clear_error(make_site):
    files = {f"content/story-{i}.md": f"---\ntitle: Story {i}\ntopics: [Space]\n---\nText {i}.\n" for i in range(3)}
    root, _ = make_site(files)
    chips = root / "templates" / "partials" / "chips.html"
    chips.write_text(chips.read_text().replace("{{ term.name }}</a>", "{{ term.name }} ({{ term.count }})</a>", 1))
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/partials/chips.html:3:" in result.stderr
    assert "no 'count'" in result.stderr and "use the count the page gives" in result.stderr


def test_re_dating_an_article_updates_its_sitemap_date(make_site):
    """The sitemap shows each article's own date; a newer related article must not hide a change."""
    files = {
        "content/older.md": "---\ntitle: Older\ndate: 2025-01-01\ntopics: [Space]\n---\nOld.\n",
        "content/newer.md": "---\ntitle: Newer\ndate: 2025-01-20\ntopics: [Space]\n---\nNew.\n",
    }
    root, _ = make_site(files)
    older = root / "content" / "older.md"
    older.write_text(older.read_text().replace("2025-01-01", "2025-01-09"))
    run_cli("build", "--no-search", cwd=root)
    sitemap = (root / "site" / "sitemap.xml").read_text()
    entry = sitemap.split("/articles/older/</loc>")[1].split("</url>")[0]
    assert "<lastmod>2025-01-09</lastmod>" in entry


def test_term_feeds_carry_their_newest_ten_articles_and_the_site_feed_a_pages_worth():
    stories = [article(i, dt.date(2025, 1, 1) + dt.timedelta(days=i), ["AI"]) for i in range(25)]
    _, pages = plan(stories, per_page=20)
    term_feed = pages[urls.term_feed("topics", "ai")]
    assert [a.slug for a in term_feed.bodies] == [f"story-{n:03d}" for n in range(24, 14, -1)]
    assert len(pages[urls.FEED].bodies) == 20
    _, small = plan(stories, per_page=5)
    assert len(small[urls.term_feed("topics", "ai")].bodies) == 5


def test_side_lists_are_on_the_first_page_of_a_term_and_of_the_home_listing_only():
    stories = [article(i, dt.date(2025, 1, 1) + dt.timedelta(days=i), ["AI"], ["OpenAI", "Nvidia"]) for i in range(5)]
    _, pages = plan(stories, per_page=2)
    first, second = pages[urls.term("companies", "openai")], pages["companies/openai/page/2/"]
    assert [term.name for term, _ in first.context["peers"]] == ["Nvidia"]
    assert second.context["peers"] == [] and second.context["companions"] == []
    assert pages[urls.HOME].context["top"] and pages["page/2/"].context["top"] == []
