"""A reader in a real browser: Debian's chromium driven by Playwright, the site served under /REPO/.

The archive is generated (60 dated articles and 3 undated, 5 per page) so that listings paginate;
it is built with the server's own address as base URL, as GitHub Pages would serve a project site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, generated_project, run_cli, watched_tab
from subpath_server import PREFIX, serve

AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, project root) of the generated archive, built for and served at /REPO/."""
    root = generated_project(tmp_path_factory.mktemp("browser") / "project", 63, per_page=5)
    server = serve(root / "site")
    base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
    run_cli("build", "--base-url", base, cwd=root)
    yield base, root
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, site):
    """A fresh tab that records failed requests and script errors; the test fails on any."""
    with watched_tab(browser, console=True) as tab:
        yield tab


def axe_by_page(tab, base: str, paths, ready=lambda tab, path: None) -> dict[str, list[str]]:
    """Serious and critical axe-core violations of each page, in light and dark colour schemes."""
    found = {}
    for path in paths:
        tab.goto(base + path)
        ready(tab, path)
        for scheme in ("light", "dark"):
            tab.emulate_media(color_scheme=scheme)
            violations = axe_violations(tab)
            if violations:
                found[f"{path or 'home'} ({scheme})"] = violations
    return found


def axe_violations(tab) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_reader_browses_pages_follows_related_and_finds_by_search(page, site):
    base, _ = site
    page.goto(base)
    assert page.locator("h1").count() == 1
    assert page.title() == "Tech Policy News Archive"

    # a company chip on the home page leads to that company's page
    chip = page.locator(".article-list .chip-company").first
    company = chip.inner_text()
    chip.click()
    page.wait_for_load_state()
    assert re.search(r"/REPO/companies/[a-z0-9-]+/$", page.url)
    assert page.locator("h1").inner_text() == company
    first_page_titles = page.locator(".article-list .card-title").all_inner_texts()
    assert 0 < len(first_page_titles) <= 5
    assert page.locator(".chart svg rect").count() > 0

    # page 2 of the company's listing, through the real rel=next link
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/page/2/")
    assert "page 2" in page.locator("h1").inner_text()
    # later pages list headlines and dates only, for scanning
    assert page.locator(".article-list .summary, .article-list .chip").count() == 0
    second_page_titles = page.locator(".article-list.compact li > a").all_inner_texts()
    assert second_page_titles and not set(second_page_titles) & set(first_page_titles)
    assert all(company in t for t in second_page_titles)  # the generator names both companies in titles
    company_path = urlsplit(page.url).path.removesuffix("page/2/")
    assert page.locator(".pagination a[rel=prev]").get_attribute("href") == company_path
    assert page.locator("link[rel=prev]").get_attribute("href") == company_path

    # an article, then one of its related articles
    headline = second_page_titles[0]
    page.locator(".article-list li > a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == headline
    assert page.locator(".article .chip-company", has_text=company).count() == 1
    related = page.locator(".related li > a")
    assert 3 <= related.count() <= 5
    related_headline = related.first.inner_text()
    related.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == related_headline
    assert "/REPO/articles/" in page.url

    # search for the company by name and open a result
    page.goto(base + "search/")
    page.fill("#search-input", company)
    page.locator(".search-form button").click()
    results = page.locator("#search-results li")
    results.first.wait_for()
    assert re.match(r"\d+ results?", page.locator("#search-status").inner_text())
    assert page.locator("#search-results mark").first.inner_text().strip(".,: ") == company
    result_link = page.locator("#search-results .card-title a").first
    result_headline = result_link.inner_text()
    assert company in result_headline
    assert result_link.get_attribute("href").startswith("/REPO/articles/")
    result_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == result_headline


def test_search_filters_by_company_and_reads_the_query_from_the_url(page, site):
    base, _ = site
    page.goto(base + "search/?q=report&company=Nvidia")
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-company").input_value() == "Nvidia"
    titles = page.locator("#search-results .card-title").all_inner_texts()
    assert titles and all("Nvidia" in t for t in titles)
    page.select_option("#search-company", "")
    page.select_option("#search-topic", "Space")
    page.wait_for_function("() => !location.search.includes('Nvidia')")
    page.locator("#search-results li").first.wait_for()
    assert "topic=Space" in page.url


def _dates(page) -> list[dt.date]:
    return [
        dt.datetime.strptime(text.strip(), "%d %B %Y").date()
        for text in page.locator("#search-results .meta").all_inner_texts()
    ]


def test_every_search_result_is_reachable_and_results_sort_by_date(page, site):
    base, _ = site
    page.goto(base + "search/?q=report")
    page.locator("#search-results li").first.wait_for()
    total = int(re.match(r"(\d+) results", page.locator("#search-status").inner_text())[1])
    assert total > 40 and "showing the first 20" in page.locator("#search-status").inner_text()
    while page.locator("#search-more").is_visible():
        shown = page.locator("#search-results li").count()
        page.locator("#search-more").click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length > {shown}")
    assert page.locator("#search-results li").count() == total
    assert page.locator("#search-status").inner_text() == f"{total} results"
    links = page.locator("#search-results .card-title a").evaluate_all("links => links.map(a => a.href)")
    assert len(set(links)) == total  # each result once
    for order, check in (("desc", lambda d: d == sorted(d, reverse=True)), ("asc", lambda d: d == sorted(d))):
        page.select_option("#search-sort", order)
        page.wait_for_selector(f"#search-results[data-search='q=report&sort={order}']", state="attached")
        dates = _dates(page)
        assert len(dates) >= 15 and check(dates), (order, dates)
    page.reload()  # the order is in the URL, like the query
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-sort").input_value() == "asc"


def test_an_unknown_filter_in_the_url_is_named_not_a_blank_page(page, site):
    base, _ = site
    page.goto(base + "search/?q=report&company=Nonexistent%20Corp")
    page.locator("#search-results li").first.wait_for()
    status = page.locator("#search-status").inner_text()
    assert 'no company "Nonexistent Corp"' in status and "results" in status


def test_the_header_search_box_leads_to_results(page, site):
    base, _ = site
    page.goto(base + "topics/")
    page.fill("#site-search", "Anthropic")
    page.press("#site-search", "Enter")
    page.locator("#search-results li").first.wait_for()
    assert page.url.startswith(base + "search/?q=Anthropic")


def test_what_a_reader_types_while_search_loads_is_kept_and_searched(page, site):
    """On a slow connection the reader types before Pagefind has loaded; the query must survive."""
    base, _ = site
    held = []
    page.route("**/pagefind/shards.json", lambda route: held.append(route))  # hold the index until the reader types
    page.goto(base + "search/", wait_until="domcontentloaded")
    for _ in range(600):  # up to 30 s for the page to ask for the bundle
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the search page never asked for the search index"
    page.fill("#search-input", "Visa")
    held[0].continue_()
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-input").input_value() == "Visa"
    assert page.url.endswith("search/?q=Visa")


def test_every_page_type_has_no_serious_accessibility_violations(page, site):
    base, root = site
    article = sorted((root / "site" / "articles").iterdir())[0].name
    company = sorted(p.name for p in (root / "site" / "companies").iterdir() if p.is_dir() and p.name != "by-count")[0]
    year = sorted(p.name for p in (root / "site" / "archive").iterdir() if p.is_dir())[0]
    month = sorted(p.name for p in (root / "site" / "archive" / year).iterdir() if p.is_dir())[0]
    paths = [
        "",
        "page/2/",
        f"articles/{article}/",
        f"companies/{company}/",
        f"companies/{company}/page/2/",
        "topics/",
        "companies/by-count/",
        "archive/",
        f"archive/{year}/",
        f"archive/{year}/{month}/",
        "search/?q=Google",
    ]

    def results_shown(tab, path):
        if path.startswith("search/"):
            tab.locator("#search-results li").first.wait_for()

    found = axe_by_page(page, base, paths, results_shown)
    assert not found, json.dumps(found, indent=1)


def test_the_404_page_helps_the_reader_on(browser, site):
    base, _ = site
    tab = browser.new_page()
    response = tab.goto(base + "no/such/page/")
    assert response.status == 404
    assert tab.locator("h1").inner_text() == "Page not found"
    assert tab.locator("main form[role=search] input[name=q]").count() == 1
    hrefs = tab.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"/REPO/topics/", "/REPO/companies/", "/REPO/archive/"} <= set(hrefs)
    assert not axe_violations(tab)
    tab.fill("main #search-input", "Visa")
    tab.locator("main .search-form button").click()
    tab.locator("#search-results li").first.wait_for()
    tab.close()


def test_everything_but_search_works_without_javascript(browser, site):
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base)
    tab.locator(".main-nav a", has_text="Topics").click()
    tab.locator(".term-table a").first.click()
    assert "/REPO/topics/" in tab.url and tab.locator(".article-list li").count() > 0
    tab.locator(".main-nav a", has_text="Archive").click()
    tab.locator(".archive-months a").first.click()
    assert re.search(r"/REPO/archive/\d{4}/\d{2}/$", tab.url)
    tab.goto(base + "search/")
    assert tab.locator("noscript").count() == 1
    scripts = tab.locator("script:not([type='application/ld+json'])").evaluate_all(
        "els => els.map(e => e.getAttribute('src'))"
    )
    assert scripts == ["/REPO/static/search.js"]
    context.close()


def test_only_the_search_page_loads_a_script(site):
    _, root = site
    for html in (root / "site").rglob("*.html"):
        if "pagefind" in html.parts:
            continue
        scripts = re.findall(r'<script src="([^"]+)"', html.read_text("utf-8"))
        assert scripts == (["/REPO/static/search.js"] if html.parent.name == "search" else []), html


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_pages_fit_the_screen_from_320_px_to_wide(browser, site, width):
    base, root = site
    article = sorted((root / "site" / "articles").iterdir())[0].name
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    for path in ("", f"articles/{article}/", "companies/google/", "companies/", "search/"):
        tab.goto(base + path)
        overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px at {width}px"
    if width >= 1000:  # the sidebar sits beside the articles on wide screens
        tab.goto(base)
        main, side = tab.locator(".primary").bounding_box(), tab.locator(".secondary").bounding_box()
        assert side["x"] > main["x"] + main["width"]
    context.close()


def test_skip_link_and_keyboard_focus_are_visible(page, site):
    base, _ = site
    page.goto(base)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10  # moved into view when focused
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('main') !== null")
    assert focused


def test_dark_theme_follows_the_system_setting(browser, site):
    base, _ = site
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        tab = context.new_page()
        tab.goto(base)
        colours[scheme] = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] != colours["dark"]
    darkness = [int(v) for v in re.findall(r"\d+", colours["dark"])[:3]]
    assert sum(darkness) < 150


def test_print_shows_the_article_without_navigation(page, site):
    base, root = site
    article = sorted((root / "site" / "articles").iterdir())[0].name
    page.goto(base + f"articles/{article}/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".related").is_hidden()
    assert page.locator(".article .body").is_visible()
    assert page.locator("h1").is_visible()
