"""Taxonomies as data: their declaration in site.toml, and the pages, feeds and filters it gives."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
import yaml

from builder.check import crawl
from builder.config import DEFAULT_TAXONOMIES, load_config
from builder.dumps import RawArticle
from builder.errors import ContentError
from builder.frontmatter import split_front_matter
from builder.ingest import DumpMeta, to_markdown

# Articles with organisations and countries as editors (or the tagger) write them: aliases and
# official names are spellings of one term; a name the registry or ISO 3166 lacks keeps its own.
TAGGED = [
    ("2025-01-10", ["Cybersecurity"], ["Google"], ["European Commission"], ["Belgium"]),
    ("2025-02-03", ["Cybersecurity"], ["YouTube"], ["EU Commission"], ["Kingdom of Belgium", "France"]),
    ("2025-03-05", ["Artificial intelligence"], ["Google"], ["European Commission", "FBI"], ["Belgium"]),
    ("2025-03-20", ["Artificial intelligence"], [], ["Europol"], ["European Union"]),
    (None, [], [], ["<b>Ministry</b> of Things"], ["Atlantis"]),
]


def tagged_files(rows=TAGGED) -> dict[str, str]:
    """{content path: Markdown} of one article per row (date, topics, companies, organisations, countries)."""
    files = {}
    for n, (date, topics, companies, organisations, countries) in enumerate(rows, 1):
        meta = {"title": f"Story {n}", "slug": f"story-{n}", "topics": topics, "companies": companies}
        meta.update({"organisations": organisations, "countries": countries})
        if date:
            meta["date"] = date
        files[f"content/story-{n}.md"] = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\nText of story {n}.\n"
    return files


def tag_generated(root: Path, every: int = 3) -> None:
    """Give every `every`-th article of a generated archive an organisation and a country."""
    places = [("European Commission", "Belgium"), ("Federal Trade Commission", "United States"), ("Europol", "France")]
    for i, path in enumerate(sorted((root / "content").glob("*.md"))):
        if i % every == 0:
            organisation, country = places[i // every % len(places)]
            text = path.read_text("utf-8").replace(
                "\n---\n", f"\norganisations: [{organisation}]\ncountries: [{country}]\n---\n", 1
            )
            path.write_text(text, "utf-8")


def settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, "utf-8")
    return path


# --- the declaration ---


def test_by_default_the_site_has_topics_companies_organisations_and_countries(tmp_path):
    config = load_config(settings(tmp_path, 'title = "T"\n'))
    assert [s.name for s in config.taxonomies] == ["topics", "companies", "organisations", "countries"]
    assert [s.folder for s in config.taxonomies] == ["topics", "companies", "organisations", "countries"]
    assert all(s.feeds and s.charts and s.search for s in config.taxonomies)


def test_a_declaration_replaces_the_defaults_and_known_names_need_only_their_name(tmp_path):
    config = load_config(
        settings(
            tmp_path,
            '[[taxonomies]]\nname = "topics"\n\n'
            '[[taxonomies]]\nname = "regions"\nsingular = "region"\nfield = "countries"\n'
            'registry = "iso-3166"\nfeeds = false\ncharts = false\nsearch = false\n',
        )
    )
    topics, regions = config.taxonomies
    assert topics == DEFAULT_TAXONOMIES[0]
    assert (regions.name, regions.singular, regions.title, regions.folder, regions.field) == (
        "regions",
        "region",
        "Regions",
        "regions",
        "countries",
    )
    assert (regions.registry, regions.feeds, regions.charts, regions.search) == ("iso-3166", False, False, False)


@pytest.mark.parametrize(
    "declaration, message",
    [
        ('taxonomies = "topics"', "'taxonomies' must be a list of tables"),
        ('[[taxonomies]]\nsingular = "x"', "taxonomy 1 has no 'name'"),
        ('[[taxonomies]]\nname = "topics"\ncolour = "red"', "taxonomy 'topics': unknown key 'colour'"),
        ('[[taxonomies]]\nname = "topics"\nfeeds = "yes"', "taxonomy 'topics': 'feeds' must be a bool"),
        ('[[taxonomies]]\nname = "regions"', "taxonomy 'regions' needs 'singular'"),
        (
            '[[taxonomies]]\nname = "regions"\nsingular = "region"',
            "taxonomy 'regions': field 'regions' is not a front matter list",
        ),
        ('[[taxonomies]]\nname = "topics"\nregistry = "tags.yaml"', "taxonomy 'topics': unknown registry 'tags.yaml'"),
        ('[[taxonomies]]\nname = "topics"\nfolder = "Topics/x"', "taxonomy 'topics': folder 'Topics/x' cannot hold"),
        ('[[taxonomies]]\nname = "topics"\nfolder = "articles"', "taxonomy 'topics': folder 'articles' cannot hold"),
        (
            '[[taxonomies]]\nname = "topics"\n[[taxonomies]]\nname = "companies"\nfolder = "topics"',
            "taxonomies 'topics' and 'companies' have the same folder 'topics'",
        ),
        (
            '[[taxonomies]]\nname = "countries"\n[[taxonomies]]\nname = "regions"\nsingular = "region"\n'
            'field = "countries"',
            "taxonomies 'countries' and 'regions' have the same field 'countries'",
        ),
        ('[[taxonomies]]\nname = "topics"\ntitle = " "', "'title' may not be empty"),
        ('[[taxonomies]]\nname = "topics"\nsingular = "A topic"', "'singular' must be a lowercase word"),
    ],
)
def test_a_bad_declaration_is_an_error_naming_site_toml(tmp_path, declaration, message):
    path = settings(tmp_path, declaration + "\n")
    with pytest.raises(ContentError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_the_cli_reports_a_bad_declaration_without_a_traceback(make_site):
    root, result = make_site({"site.toml": '[[taxonomies]]\nname = "topics"\nregistry = "nope"\n'}, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "site.toml" in result.stderr and "unknown registry 'nope'" in result.stderr
    assert "registry must be one of" in result.stderr


# --- what a build makes of it ---


@pytest.fixture
def tagged_site(make_site):
    root, _ = make_site(tagged_files(), "--base-url", "https://news.example.org/")
    return root / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_organisation_pages_merge_aliases_and_list_their_articles(tagged_site):
    html = _page(tagged_site, "organisations/european-commission")
    assert "<h1>European Commission</h1>" in html and "3 articles" in html
    assert all(f"/articles/story-{n}/" in _main(html) for n in (1, 2, 3))
    assert not (tagged_site / "organisations" / "eu-commission").exists()
    overview = _page(tagged_site, "organisations")
    assert re.search(r'href="/organisations/european-commission/">European Commission</a>.*?3<span', overview, re.S)
    assert "4 organisations" in overview  # EC (and its alias), FBI, Europol, the unknown ministry
    by_count = _page(tagged_site, "organisations/by-count")
    assert by_count.index("European Commission") < by_count.index("Europol")


def test_country_pages_take_iso_3166_names_and_codes(tagged_site):
    belgium = _page(tagged_site, "countries/belgium")
    assert "<h1>Belgium</h1>" in belgium and "3 articles" in belgium  # "Kingdom of Belgium" is Belgium
    assert 'ISO 3166 code <abbr class="code">BE</abbr>' in belgium
    assert 'ISO 3166 code <abbr class="code">EU</abbr>' in _page(tagged_site, "countries/european-union")
    atlantis = _page(tagged_site, "countries/atlantis")  # unknown to ISO 3166: its own page, no code
    assert "<h1>Atlantis</h1>" in atlantis and "ISO 3166" not in atlantis and "1 article ·" in atlantis
    assert "Countries often named with Belgium" in belgium and "/countries/france/" in belgium


def test_every_taxonomy_has_feeds_sitemap_entries_nav_links_and_search_filters(tagged_site):
    feed = feedparser.parse((tagged_site / "organisations" / "european-commission" / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 3 and "European Commission" in feed.feed.title
    country_feed = feedparser.parse((tagged_site / "countries" / "belgium" / "feed.xml").read_bytes())
    assert len(country_feed.entries) == 3
    sitemap = (tagged_site / "sitemap.xml").read_text("utf-8")
    for path in ("organisations/", "organisations/europol/", "countries/", "countries/belgium/"):
        assert f"<loc>https://news.example.org/{path}</loc>" in sitemap
    home = (tagged_site / "index.html").read_text("utf-8")
    nav = re.search(r'<nav class="wrap main-nav".*?</nav>', home, re.S).group(0)
    assert re.findall(r">(\w+)</a>", nav) == [
        "Latest",
        "Topics",
        "Companies",
        "Organisations",
        "Countries",
        "Archive",
        "Search",
    ]
    article = _page(tagged_site, "articles/story-2")
    filters = re.findall(r'data-pagefind-filter="(\w+)">([^<]+)<', article)
    assert filters == [
        ("topic", "Cybersecurity"),
        ("company", "YouTube"),
        ("organisation", "European Commission"),
        ("country", "Belgium"),
        ("country", "France"),
    ]
    assert crawl(tagged_site, "https://news.example.org/") == ([], [])


def test_untrusted_names_are_escaped_on_every_page(tagged_site):
    slug = "b-ministry-b-of-things"
    for html in (_page(tagged_site, f"organisations/{slug}"), _page(tagged_site, "organisations")):
        assert "<b>Ministry</b>" not in html and "&lt;b&gt;Ministry&lt;/b&gt; of Things" in html


def test_company_pages_show_website_parent_and_subsidiaries(tagged_site):
    google = _page(tagged_site, "companies/google")
    assert re.search(r'Website: <a class="website" href="https://about.google" rel="nofollow">', google)
    subsidiaries = re.search(r'<h2 id="children">Subsidiaries of Google</h2>.*?</ul>', google, re.S).group(0)
    assert '<a href="/companies/youtube/">YouTube</a>' in subsidiaries  # has a page: linked
    assert "<li>Waymo</li>" in subsidiaries  # in the registry, no articles: named only
    youtube = _page(tagged_site, "companies/youtube")
    assert 'Part of <a href="/companies/google/">Google</a>' in youtube


def test_the_topics_overview_gives_each_topics_one_line_description(tagged_site):
    overview = _page(tagged_site, "topics")
    described = re.findall(r'>Cybersecurity</a><span class="term-description">([^<]+)</span>', overview)
    assert len(described) == 1 and len(described[0]) > 20


def test_term_pages_chart_three_or_more_articles_with_bars_linking_to_months(tagged_site):
    chart = re.search(r"<svg.*?</svg>", _page(tagged_site, "organisations/european-commission"), re.S).group(0)
    months = re.findall(r'<a href="(/archive/\d{4}/\d{2}/)" aria-label="([^"]+)"', chart)
    assert months == [
        ("/archive/2025/01/", "January 2025: 1 article"),
        ("/archive/2025/02/", "February 2025: 1 article"),
        ("/archive/2025/03/", "March 2025: 1 article"),
    ]
    assert re.findall(r'<text class="value"[^>]*>(\d+)</text>', chart) == ["0", "1"]
    assert "<svg" not in _page(tagged_site, "countries/france")  # one article: no chart
    assert "<svg" not in _page(tagged_site, "topics/cybersecurity")  # two articles: no chart


def test_a_custom_declaration_drives_pages_feeds_nav_and_filters(make_site):
    toml = (
        'base_url = "https://news.example.org/"\n'
        '[[taxonomies]]\nname = "topics"\n\n'
        '[[taxonomies]]\nname = "regions"\nsingular = "region"\nfield = "countries"\nregistry = "iso-3166"\n'
        "feeds = false\ncharts = false\nsearch = false\n"
    )
    root, _ = make_site({**tagged_files(), "site.toml": toml})
    site = root / "site"
    assert not (site / "companies").exists() and not (site / "organisations").exists()
    belgium = _page(site, "regions/belgium")
    assert "<h1>Belgium</h1>" in belgium and "<svg" not in belgium and "feed" not in _main(belgium)
    assert not (site / "regions" / "belgium" / "feed.xml").exists()
    article = _page(site, "articles/story-1")
    assert 'data-pagefind-filter="topic"' in article and 'data-pagefind-filter="region"' not in article
    assert 'class="chip chip-region" href="/regions/belgium/"' in article
    nav = re.search(r'<nav class="wrap main-nav".*?</nav>', article, re.S).group(0)
    assert re.findall(r">(\w+)</a>", nav) == ["Latest", "Topics", "Regions", "Archive", "Search"]
    assert crawl(site, "https://news.example.org/") == ([], [])


def test_ingest_writes_the_countries_the_tagger_returns():
    raw = RawArticle("d.txt", 1, 1, None, ("Belgian regulators fined a carmaker.",))
    tags = SimpleNamespace(topics=[], companies=[], organisations=[], countries=["Belgium", "European Union"])
    day = dt.date(2026, 1, 1)
    meta, _, _ = split_front_matter(to_markdown(raw, "T", "t", tags, DumpMeta(), day), Path("t.md"))
    assert meta["countries"] == ["Belgium", "European Union"]
    untagged = SimpleNamespace(topics=[], companies=[], organisations=[], countries=[])
    meta, _, _ = split_front_matter(to_markdown(raw, "T", "t", untagged, DumpMeta(), day), Path("t.md"))
    assert "countries" not in meta


def test_counts_read_right_in_the_singular_and_the_plural(tagged_site):
    """One filter (`plural`) words every count: term pages, overviews, charts and the archive."""
    assert "1 article ·" in _page(tagged_site, "organisations/europol")
    assert "3 articles ·" in _page(tagged_site, "organisations/european-commission")
    assert re.search(
        r"<p class=\"meta\">1 country ·|<p class=\"meta\">\d+ countries ·", _page(tagged_site, "countries")
    )
    assert '<span class="visually-hidden"> article</span>' in _page(tagged_site, "organisations")
    assert "1 article</p>" in _page(tagged_site, "archive/2025/01")
    assert "2 articles</p>" in _page(tagged_site, "archive/2025/03")
    assert re.search(r">2025</a> <span class=\"count\">4 articles</span>", _page(tagged_site, "archive"))
