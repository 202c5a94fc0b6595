"""Feeds, sitemap, robots.txt and page metadata, as feed readers and search engines read them."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import generated_project, run_cli

BASE = "https://user.github.io/REPO/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def feeds_of(site: Path) -> list[Path]:
    return (
        sorted(site.glob("feed.xml"))
        + sorted(site.glob("topics/*/feed.xml"))
        + sorted(site.glob("companies/*/feed.xml"))
    )


def entry_ids(site: Path) -> dict[str, list[str]]:
    return {str(f.relative_to(site)): [e.id for e in feedparser.parse(f.read_bytes()).entries] for f in feeds_of(site)}


def html_pages(site: Path) -> set[str]:
    """Site paths of every HTML page on disk that belongs in a sitemap (not 404, not redirects)."""
    pages = set()
    for file in site.rglob("*.html"):
        relative = file.relative_to(site).as_posix()
        if relative.startswith("pagefind/") or relative == "404.html":
            continue
        if 'http-equiv="refresh"' in file.read_text("utf-8"):
            continue
        pages.add(relative.removesuffix("index.html"))
    return pages


def head_of(html: str) -> str:
    return html.split("</head>", 1)[0]


@pytest.mark.parametrize("fixture", ["built_generated", "built_samples"])
def test_every_feed_parses_cleanly_with_absolute_ids_and_links(fixture, request):
    site = request.getfixturevalue(fixture) / "site"
    feeds = feeds_of(site)
    terms = [
        p
        for p in (*site.glob("topics/*/index.html"), *site.glob("companies/*/index.html"))
        if p.parent.name != "by-count"
    ]
    assert len(feeds) == len(terms) + 1  # the site's feed and one per topic and company
    base = BASE if fixture == "built_generated" else "https://news.example.org/"
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.id == base + feed.relative_to(site).as_posix()
        assert parsed.entries, feed
        for entry in parsed.entries:
            assert entry.id.startswith(base + "articles/") and entry.id.endswith("/")
            assert entry.link == entry.id
            assert entry.title and entry.content[0].value
            assert "ask our Diplo chatbot" not in entry.content[0].value
        self_link = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_link == [parsed.feed.id]


def test_a_company_feed_has_that_companys_articles_newest_first(built_generated):
    site = built_generated / "site"
    parsed = feedparser.parse((site / "companies" / "nvidia" / "feed.xml").read_bytes())
    assert "Nvidia" in parsed.feed.title
    assert all("Nvidia" in e.title for e in parsed.entries)
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    assert parsed.feed.link == BASE + "companies/nvidia/"
    page = (site / "companies" / "nvidia" / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml" title="Nvidia — ' in page and 'href="/REPO/companies/nvidia/feed.xml"' in page


def test_feed_entry_ids_survive_a_rebuild_and_a_new_article(tmp_path):
    root = generated_project(tmp_path / "project", 30, per_page=10)
    run_cli("build", "--no-search", "--base-url", BASE, cwd=root)
    before = entry_ids(root / "site")
    first = (root / "site" / "feed.xml").read_bytes()
    run_cli("build", "--no-search", "--base-url", BASE, cwd=root)
    assert (root / "site" / "feed.xml").read_bytes() == first  # no build time stamped anywhere
    (root / "content" / "late-news.md").write_text(
        "---\ntitle: Late news about Nvidia\ndate: 2030-01-01\ncompanies: [Nvidia]\n---\nA late story.\n",
        encoding="utf-8",
    )
    run_cli("build", "--no-search", "--base-url", BASE, cwd=root)
    after = entry_ids(root / "site")
    assert after["feed.xml"][0] == BASE + "articles/late-news/"
    for feed, ids in before.items():
        kept = [i for i in ids if i in after[feed]]
        assert kept == [i for i in after[feed] if i in ids]  # same ids, same order
        assert len(kept) >= len(ids) - 1  # at most the oldest entry made way for the new one


def test_the_sitemap_lists_exactly_the_html_pages_on_disk(built_generated):
    site = built_generated / "site"
    tree = ET.parse(site / "sitemap.xml")
    locs = [u.findtext("s:loc", namespaces=SITEMAP_NS) for u in tree.getroot()]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE) for loc in locs)
    assert {loc.removeprefix(BASE) for loc in locs} == html_pages(site)


def test_sitemap_lastmod_is_the_newest_content_date_of_the_page(built_generated):
    site = built_generated / "site"
    entries = {
        u.findtext("s:loc", namespaces=SITEMAP_NS).removeprefix(BASE): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for u in ET.parse(site / "sitemap.xml").getroot()
    }
    article = next(p for p in entries if p.startswith("articles/report-0001/"))
    assert entries[article] == "2024-01-01"
    assert entries["archive/2024/01/"].startswith("2024-01-")
    assert entries[""] is not None and dt.date.fromisoformat(entries[""])
    undated = [p for p in entries if p in {"articles/report-0153/", "articles/report-0152/"}]
    assert undated and all(entries[p] is None for p in undated)


def test_the_sitemap_leaves_out_redirects_and_the_404_page(make_site):
    root, _ = make_site(
        {"content/renamed.md": "---\ntitle: Renamed\ndate: 2025-05-01\naliases: [old-name]\n---\nText.\n"},
        "--base-url",
        BASE,
    )
    site = root / "site"
    assert (site / "articles" / "old-name" / "index.html").exists()
    locs = {u.findtext("s:loc", namespaces=SITEMAP_NS) for u in ET.parse(site / "sitemap.xml").getroot()}
    assert BASE + "articles/renamed/" in locs
    assert BASE + "articles/old-name/" not in locs and BASE + "404.html" not in locs


def test_robots_txt_points_to_the_sitemap(built_generated):
    robots = (built_generated / "site" / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots


def test_article_pages_carry_canonical_open_graph_twitter_and_news_article_data(built_generated):
    html = (built_generated / "site" / "articles" / "report-0001" / "index.html").read_text("utf-8")
    head = head_of(html)
    url = BASE + "articles/report-0001/"
    assert f'<link rel="canonical" href="{url}">' in head
    assert f'<meta property="og:url" content="{url}">' in head
    assert '<meta property="og:type" content="article">' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert f'<meta property="og:image" content="{BASE}static/social.png">' in head
    assert '<meta property="article:published_time" content="2024-01-01">' in head
    title = re.search(r'<meta property="og:title" content="([^"]*)">', head).group(1)
    assert title.startswith("OpenAI and Anthropic")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["url"] == url
    assert data["datePublished"] == "2024-01-01"
    assert data["headline"] == title.replace("&#39;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("path", ["", "companies/openai/", "topics/", "archive/2024/"])
def test_listing_pages_are_collection_pages_with_their_canonical_url(built_generated, path):
    head = head_of((built_generated / "site" / path / "index.html").read_text("utf-8"))
    assert f'<link rel="canonical" href="{BASE}{path}">' in head
    assert '<meta property="og:type" content="website">' in head
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == "CollectionPage" and data["url"] == BASE + path


def test_paginated_listings_link_prev_and_next_in_the_head(built_generated):
    site = built_generated / "site"
    second = head_of((site / "page" / "2" / "index.html").read_text("utf-8"))
    assert '<link rel="prev" href="/REPO/">' in second
    assert '<link rel="next" href="/REPO/page/3/">' in second
    first = head_of((site / "index.html").read_text("utf-8"))
    assert 'rel="prev"' not in first and '<link rel="next" href="/REPO/page/2/">' in first


def test_feed_time_grows_linearly_with_an_articles_categories():
    """feedgen rebuilt its category list on every call: 1,000 topics took 26 s over the term feeds."""
    import time

    from builder.feeds import render_feed
    from builder.model import Article
    from builder.pages import Page
    from builder.render import Site
    from builder.urls import Urls

    def seconds(count: int) -> float:
        names = tuple(f"Topic {i}" for i in range(count))
        article = Article("a", "A", "Body.", Path("a.md"), dt.date(2026, 3, 19), topics=names, companies=names)
        context = {
            "title": "",
            "subtitle": None,
            "path": "",
            "feed_path": "feed.xml",
            "categories": (names + names,),
            "fallback": None,
        }
        page = Page("feed.xml", "feed:", context, (article,), (article,))
        start = time.perf_counter()
        feed = render_feed(page, Site("T", "D", "en", BASE), Urls(BASE), lambda a: "<p>Body.</p>")
        assert feed.count(b"<category") == 2 * count
        return time.perf_counter() - start

    seconds(100)  # warm up
    assert seconds(2000) < 1.0  # quadratic, it took about 6 s


def test_feeds_name_terms_canonically_carry_an_author_and_a_subtitle_of_their_own(make_site):
    root, _ = make_site(
        {
            "content/a.md": "---\ntitle: Search deal\ndate: 2026-03-19\ntopics: [Competition and antitrust]\n"
            "companies: [Alphabet]\n---\nAlphabet signed a deal.\n",
            "content/b.md": "---\ntitle: Chips\ndate: 2026-03-18\ntopics: [Semiconductors]\n"
            "companies: [Alphabet, Nvidia]\n---\nChips.\n",
        },
        "--base-url",
        BASE,
    )
    site = root / "site"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.feed.author_detail == {"name": "Tech Policy News Archive", "href": BASE}
    terms = {e.title: [t.term for t in e.tags] for e in feed.entries}
    assert terms["Search deal"] == ["Competition and antitrust", "Google"]  # front matter says Alphabet
    assert terms["Chips"] == ["Semiconductors", "Google", "Nvidia"]
    subtitles = {f.relative_to(site).as_posix(): feedparser.parse(f.read_bytes()).feed.subtitle for f in feeds_of(site)}
    assert len(set(subtitles.values())) == len(subtitles)  # each feed says what it carries
    assert subtitles["companies/google/feed.xml"] == "The latest articles about Google."
    assert subtitles["topics/semiconductors/feed.xml"].startswith(  # and the topic's own description
        "The latest articles about Semiconductors. Chip"
    )
    html = (site / "articles" / "a" / "index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["about"] == [{"@type": "Organization", "name": "Google"}]
    assert data["keywords"] == ["Competition and antitrust"]


def test_undated_articles_are_dated_by_the_day_they_entered_never_1970(make_site):
    root, _ = make_site(
        {
            "content/dated.md": "---\ntitle: Dated\ndate: 2026-03-19\n---\nDated.\n",
            "content/entered.md": "---\ntitle: Entered\nadded: 2026-11-23\n---\nUndated, ingested.\n",
            "content/bare.md": "---\ntitle: Bare\n---\nNeither a date nor the day it entered.\n",
        },
        "--base-url",
        BASE,
    )
    site = root / "site"
    raw = (site / "feed.xml").read_text("utf-8")
    assert "1970" not in raw
    feed = feedparser.parse(raw)
    updated = {e.title: e.updated[:10] for e in feed.entries}
    # bare has neither: it takes the archive's newest known day rather than an invented one
    assert updated == {"Dated": "2026-03-19", "Entered": "2026-11-23", "Bare": "2026-11-23"}
    assert feed.feed.updated[:10] == "2026-11-23"
    assert {e.title for e in feed.entries if "published" in e} == {"Dated"}
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    lastmod = {
        u.find("s:loc", SITEMAP_NS).text: getattr(u.find("s:lastmod", SITEMAP_NS), "text", None)
        for u in sitemap.findall("s:url", SITEMAP_NS)
    }
    assert lastmod[BASE + "articles/entered/"] == "2026-11-23"
    assert lastmod[BASE + "articles/bare/"] is None
    page = (site / "articles" / "entered" / "index.html").read_text("utf-8")
    assert "2026-11-23" not in page and "23 November 2026" not in page  # never shown as its date
