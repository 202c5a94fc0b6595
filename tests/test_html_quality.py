"""The built pages as the Nu HTML Checker and a careful reader of the markup see them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

VNU = ROOT / ".cache" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CSS_LIMIT = 20_000
ARTICLE_LIMIT = 30_000


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def page_types(site: Path) -> dict[str, Path]:
    """One page of every kind the site has."""
    first = lambda pattern: sorted(site.glob(pattern))[0]  # noqa: E731
    kinds = {
        "home": site / "index.html",
        "home page 2": site / "page" / "2" / "index.html",
        "article": first("articles/*/index.html"),
        "topic": first("topics/*/index.html"),
        "company": first("companies/*/index.html"),
        "topics A-Z": site / "topics" / "index.html",
        "companies by count": site / "companies" / "by-count" / "index.html",
        "archive": site / "archive" / "index.html",
        "archive year": first("archive/*/index.html"),
        "archive month": first("archive/*/*/index.html"),
        "search": site / "search" / "index.html",
        "404": site / "404.html",
        "term page 2": first("companies/*/page/2/index.html"),
    }
    return kinds


def vnu_errors(target: Path) -> list[str]:
    if not shutil.which("java") or not VNU.exists():
        pytest.fail("java or vnu.jar missing: run scripts/test-tools (make test does)", pytrace=False)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(target)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{m['url'].split(target.name)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


class Outline(HTMLParser):
    """Counts what a screen reader user navigates by: headings, landmarks, ids, lang."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if "id" in a}


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text("utf-8"))
    return parser


@pytest.mark.vnu
@pytest.mark.parametrize("fixture", ["built_generated", "built_samples", "built_subpath"])
def test_the_nu_html_checker_finds_no_errors_in_any_page(fixture, request):
    site = request.getfixturevalue(fixture) / "site"
    staging = site.parent / f"vnu-{fixture}"  # only the HTML pages, not the search bundle
    shutil.rmtree(staging, ignore_errors=True)
    for page in pages_of(site):
        target = staging / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    assert not vnu_errors(staging)


def test_every_page_type_exists_in_a_generated_archive(built_generated):
    kinds = page_types(built_generated / "site")
    missing = [kind for kind, path in kinds.items() if not path.exists()]
    assert not missing


def test_every_page_has_one_h1_a_language_landmarks_and_a_working_skip_link(built_generated, built_samples):
    for site in (built_generated / "site", built_samples / "site"):
        for page in pages_of(site):
            doc = outline(page)
            if any(a.get("http-equiv") == "refresh" for _, a in doc.tags):
                continue  # a redirect stub for an old slug
            where = page.relative_to(site)
            assert doc.count("h1") == 1, where
            assert any(t == "html" and a.get("lang") == "en" for t, a in doc.tags), where
            for landmark in ("header", "nav", "main", "footer"):
                assert doc.count(landmark) >= 1, (where, landmark)
            skip = [a for t, a in doc.tags if t == "a" and "skip-link" in a.get("class", "")]
            assert skip and skip[0]["href"] == "#main" and "main" in doc.ids(), where


def test_the_stylesheet_is_small_and_uses_no_web_fonts_or_imports():
    css = (ROOT / "static" / "style.css").read_text("utf-8")
    assert len(css.encode()) < CSS_LIMIT
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    assert "prefers-color-scheme: dark" in css and "@media print" in css


def test_article_pages_weigh_under_30_kb_with_their_css(built_generated, built_samples):
    css = len((ROOT / "static" / "style.css").read_bytes())
    for site in (built_generated / "site", built_samples / "site"):
        heaviest = max((p for p in (site / "articles").glob("*/index.html")), key=lambda p: p.stat().st_size)
        assert heaviest.stat().st_size + css < ARTICLE_LIMIT, heaviest


def test_term_pages_draw_the_monthly_chart_with_a_text_alternative(built_generated):
    html = (built_generated / "site" / "companies" / "openai" / "index.html").read_text("utf-8")
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="group"' in svg and 'aria-labelledby="chart-title"' in svg
    assert '<title id="chart-title">Articles about OpenAI per month</title>' in svg
    assert svg.count("<rect") >= 12
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert re.match(
        r"\d+ dated articles from \w+ \d{4} to \w+ \d{4}; the busiest month was \w+ \d{4} with \d+\.", caption
    )
    table_total = sum(int(n) for n in re.findall(r"<tr><td>[^<]+</td><td>(\d+)</td></tr>", html))
    assert str(table_total) == caption.split()[0]
    page_two = (built_generated / "site" / "companies" / "openai" / "page" / "2" / "index.html").read_text("utf-8")
    assert "<svg" not in page_two


def test_article_pages_show_headline_date_source_chips_body_and_neighbours(built_generated, built_samples):
    html = (built_generated / "site" / "articles" / "report-0002" / "index.html").read_text("utf-8")
    assert '<time datetime="2024-02-07">7 February 2024</time>' in html
    assert html.count('class="chip chip-company"') >= 2
    assert 'data-pagefind-filter="company"' in html and 'data-pagefind-filter="topic"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert 3 <= related.count("<li>") <= 5
    assert "data-pagefind-filter" not in related  # related cards must not add filters to this article
    sample = next((built_samples / "site" / "articles").glob("*/index.html")).read_text("utf-8")
    source = (
        '<span class="source">Source: <a href="https://dig.watch/" rel="nofollow">Digital Watch Observatory</a></span>'
    )
    assert source in sample
    assert ".txt" not in sample  # the dump's file name is for editors, never shown


def test_undated_articles_are_listed_in_the_archive(built_generated):
    html = (built_generated / "site" / "archive" / "index.html").read_text("utf-8")
    undated = html.split('id="undated"', 1)[1]
    for slug in ("report-0151", "report-0152", "report-0153"):
        assert f"/REPO/articles/{slug}/" in undated


@pytest.mark.vnu
def test_a_generated_archive_of_1000_articles_has_every_page_type_valid_and_light(tmp_path):
    from conftest import generated_project, run_cli

    root = generated_project(tmp_path / "project", 1000, per_page=20, undated=10)
    run_cli("build", "--no-search", "--base-url", "https://user.github.io/REPO/", cwd=root)
    site = root / "site"
    assert len(list((site / "articles").glob("*/index.html"))) == 1000
    kinds = page_types(site)
    assert all(path.exists() for path in kinds.values())
    staging = tmp_path / "one-of-each"
    for kind, page in kinds.items():
        target = staging / kind.replace(" ", "-") / page.name
        target.parent.mkdir(parents=True)
        shutil.copy2(page, target)
    assert not vnu_errors(staging)
    css = len((ROOT / "static" / "style.css").read_bytes())
    heaviest = max(site.glob("articles/*/index.html"), key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size + css < ARTICLE_LIMIT
    undated = (site / "archive" / "index.html").read_text("utf-8").split('id="undated"', 1)[1]
    assert undated.count('class="card"') == 10


@pytest.mark.vnu
def test_organisation_and_country_pages_and_overviews_are_valid_html(make_site):
    from test_taxonomies import tagged_files

    root, _ = make_site(tagged_files(), "--base-url", "https://user.github.io/REPO/")
    site = root / "site"
    kinds = [
        "organisations/european-commission",
        "organisations",
        "organisations/by-count",
        "countries/belgium",
        "countries/atlantis",
        "countries",
        "countries/by-count",
        "topics",
        "companies/google",
        "companies/youtube",
        "",
    ]
    staging = root / "one-of-each"
    for n, kind in enumerate(kinds):
        target = staging / f"page-{n}" / "index.html"
        target.parent.mkdir(parents=True)
        shutil.copy2(site / kind / "index.html", target)
    assert "<svg" in (site / "organisations/european-commission/index.html").read_text("utf-8")
    assert not vnu_errors(staging)


def test_the_404_page_is_noindex_without_a_canonical_address(built_generated):
    head = (built_generated / "site" / "404.html").read_text("utf-8").split("</head>", 1)[0]
    assert '<meta name="robots" content="noindex">' in head
    assert 'rel="canonical"' not in head and "og:url" not in head and "application/ld+json" not in head


def _description(page: Path) -> str:
    return re.search(r'<meta name="description" content="([^"]*)">', page.read_text("utf-8")).group(1)


def test_later_home_pages_and_archive_pages_describe_themselves(built_generated):
    site = built_generated / "site"
    pages = [site / "page" / "2" / "index.html", site / "page" / "3" / "index.html", site / "archive" / "index.html"]
    pages += sorted(site.glob("archive/*/index.html"))[:2] + sorted(site.glob("archive/*/*/index.html"))[:2]
    descriptions = [_description(p) for p in pages]
    assert len(set(descriptions)) == len(descriptions)  # each its own
    assert _description(site / "index.html") not in descriptions
    assert re.fullmatch(r"Page 2 of 16: 10 articles, \d+ \w+ \d{4} to \d+ \w+ \d{4}\.", descriptions[0])
    assert descriptions[2].endswith("3 undated articles are listed in dump order.")


def test_year_pages_jump_to_clear_month_headings_and_list_headlines_only(built_generated):
    html = (built_generated / "site" / "archive" / "2024" / "index.html").read_text("utf-8")
    jumps = re.findall(r'<a href="#(m\d+)">(\w+)</a>', html)
    headings = re.findall(r'<h2 id="(m\d+)" class="month-heading">(\w+) 2024 <span', html)
    assert jumps == headings and len(jumps) >= 6
    assert 'class="summary"' not in html and 'class="chip' not in html  # headline and date per article


def test_later_pages_of_listings_list_headlines_and_dates_where_the_first_has_summaries_and_chips(built_generated):
    site = built_generated / "site"
    company = sorted(site.glob("companies/*/page/2/index.html"))[0].parents[2]
    for first, later in ((site, site / "page" / "2"), (company, company / "page" / "2")):
        front = (first / "index.html").read_text("utf-8")
        assert 'class="summary"' in front and 'class="chip' in front
        html = (later / "index.html").read_text("utf-8")
        listing = re.search(r'<ol class="article-list compact".*?</ol>', html, re.S).group(0)
        assert 'class="summary"' not in html and 'class="chip' not in html
        dates = listing.count("<time datetime=") + listing.count('<span class="undated">Undated</span>')
        assert dates == listing.count("<li>") >= 5  # each headline with its date, or "Undated"
        assert len(html.encode()) < len(front.encode()) / 2


def test_month_pages_list_headlines_dates_and_summaries_without_chips(built_generated):
    html = sorted((built_generated / "site").glob("archive/*/*/index.html"))[1].read_text("utf-8")
    listing = re.search(r'<ol class="article-list".*?</ol>', html, re.S).group(0)
    cards = listing.count('<li class="card">')
    assert cards >= 2 and listing.count('class="card-title"') == listing.count("<time datetime=") == cards
    assert listing.count('<p class="summary">') == cards and 'class="chip' not in listing


def test_month_pages_link_the_months_before_and_after(built_generated):
    site = built_generated / "site"
    months = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("archive/*/*/index.html"))
    middle = (site / months[1] / "index.html").read_text("utf-8")
    nav = re.search(r'<nav class="month-nav".*?</nav>', middle, re.S).group(0)
    assert f'rel="prev" href="/REPO/{months[0]}/"' in nav and f'rel="next" href="/REPO/{months[2]}/"' in nav
    oldest = (site / months[0] / "index.html").read_text("utf-8")
    assert 'rel="prev"' not in re.search(r'<nav class="month-nav".*?</nav>', oldest, re.S).group(0)


def test_related_articles_and_undated_cards_stay_light_and_honest(built_generated):
    site = built_generated / "site"
    html = (site / "articles" / "report-0002" / "index.html").read_text("utf-8")
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert 'class="summary"' not in related and 'class="chip' not in related
    assert len(related.encode()) < 1500  # five headlines with dates (it was 3–5 KB with summaries and chips)
    undated = (site / "articles" / "report-0152" / "index.html").read_text("utf-8")
    assert "Previous in the dump</span>" in undated and "Next in the dump →</span>" in undated
    home = (site / "page" / "16" / "index.html").read_text("utf-8")
    assert home.count('<span class="undated">Undated</span>') == 3
