"""Organisation and country pages, overviews and charts as a reader sees them in Debian's chromium.

A generated archive (60 dated articles, 3 undated, 5 per page) where every second article names an
organisation and a country, and companies start with every letter, built for and served under /REPO/
as a GitHub Pages project site.
"""

from __future__ import annotations

import json

import pytest
from conftest import generated_project, run_cli, watched_tab
from subpath_server import PREFIX, serve
from test_browser import axe_by_page
from test_taxonomies import tag_generated


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, project root) of the tagged archive, built for and served at /REPO/."""
    root = generated_project(tmp_path_factory.mktemp("browser-terms") / "project", 63, per_page=5)
    tag_generated(root, every=2)
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":  # a full A–Z bar, as a real archive has
        text = f"---\ntitle: {letter}xample news\ncompanies: [{letter}xample Corp]\n---\nText.\n"
        (root / "content" / f"{letter.lower()}xample.md").write_text(text, "utf-8")
    server = serve(root / "site")
    base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
    run_cli("build", "--base-url", base, cwd=root)
    yield base, root
    server.shutdown()
    server.server_close()


@pytest.fixture(params=[1280, 375], ids=["desktop", "mobile"])
def page(request, browser, site):
    """A fresh tab at the parametrised width; the test fails on any failed request or script error."""
    with watched_tab(browser, request.param, 812 if request.param < 500 else 900) as tab:
        yield tab


def test_a_reader_goes_from_an_organisation_to_its_articles_and_a_month_of_its_chart(page, site):
    base, _ = site
    page.goto(base)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisations").click()
    assert page.url == base + "organisations/"
    assert page.locator("h1").inner_text() == "Organisations"
    page.get_by_role("link", name="European Commission").first.click()
    assert page.url == base + "organisations/european-commission/"
    assert page.locator("h1").inner_text() == "European Commission"
    assert page.locator(".term-header .meta").inner_text().startswith("11 articles")
    bars = page.locator(".chart svg a")
    assert bars.count() >= 3
    label = bars.first.get_attribute("aria-label")  # "March 2024: 1 article"
    month = label.split(":")[0]
    bars.first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + "archive/") and page.locator("h1").inner_text() == month
    page.go_back()
    page.locator(".article-list .card-title a").first.click()
    chip = page.locator('.article-header a.chip-organisation[data-pagefind-filter="organisation"]')
    assert chip.inner_text() == "European Commission"
    assert page.locator('.article-header a.chip-country[data-pagefind-filter="country"]').count() == 1


def test_a_reader_finds_a_country_with_its_iso_code_and_follows_a_peer(page, site):
    base, _ = site
    page.goto(base + "countries/")
    assert page.locator(".meta").first.inner_text().startswith("3 countries")
    page.get_by_role("link", name="Belgium").click()
    assert page.locator("h1").inner_text() == "Belgium"
    assert page.locator(".term-facts .code").inner_text() == "BE"
    assert "Follow by Atom feed" in page.locator(".term-header").inner_text()
    topics = page.get_by_role("complementary").get_by_role("heading", name="Topics of Belgium")
    assert topics.is_visible()
    page.get_by_role("complementary").locator("a").first.click()
    assert page.url.startswith(base + "topics/")


def test_charts_are_readable_and_nothing_overflows(page, site):
    base, _ = site
    width = page.viewport_size["width"]
    for path in ("organisations/european-commission/", "countries/belgium/", "companies/", "organisations/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    page.goto(base + "countries/belgium/")
    sizes = page.eval_on_selector_all(".chart svg text", "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 11  # pixels on screen, the chart scaled to the column
    values = page.eval_on_selector_all(".chart text.value", "els => els.map(e => e.textContent)")
    assert values[0] == "0" and int(values[-1]) >= 1


def test_the_a_to_z_bar_never_covers_the_letter_it_jumps_to(page, site):
    base, _ = site
    page.goto(base + "companies/")
    for link in page.locator(".jump a").all()[1:-4:5]:  # letters a reader can scroll to the top
        link.click()
        target = page.locator(link.get_attribute("href"))
        bar = page.locator(".jump").bounding_box()
        heading = target.bounding_box()
        assert heading["y"] >= bar["y"] + bar["height"] - 1, (link.inner_text(), bar, heading)


def test_organisation_and_country_pages_have_no_accessibility_violations(browser, site):
    base, _ = site
    paths = (
        "organisations/",
        "organisations/by-count/",
        "organisations/european-commission/",
        "organisations/european-commission/page/2/",
        "countries/",
        "countries/belgium/",
        "topics/",
        "companies/google/",
    )
    with watched_tab(browser) as tab:
        found = axe_by_page(tab, base, paths)
    assert not found, json.dumps(found, indent=1)


def test_search_indexes_organisations_and_countries_as_filters(browser, site):
    base, _ = site
    with watched_tab(browser) as tab:
        tab.goto(base + "search/")
        filters = tab.evaluate(  # every shard of the index, merged as the search page does
            f"""async () => {{
                const {{ shards }} = await (await fetch("{base}pagefind/shards.json")).json();
                const pagefind = await import(`{base}pagefind/${{shards[0]}}/pagefind.js`);
                await pagefind.options({{ baseUrl: "{base}" }});
                for (const shard of shards.slice(1)) await pagefind.mergeIndex(`{base}pagefind/${{shard}}/`);
                return await pagefind.filters();
            }}"""
        )
    assert set(filters) >= {"topic", "company", "organisation", "country"}
    assert filters["country"]["Belgium"] > 0 and filters["organisation"]["European Commission"] > 0


def test_a_reader_filters_search_by_organisation_and_country_from_the_url_and_the_form(browser, site):
    base, _ = site
    with watched_tab(browser) as tab:
        tab.goto(base + "search/?organisation=European+Commission")
        tab.locator("#search-results li").first.wait_for()
        assert tab.locator("#search-organisation").input_value() == "European Commission"
        assert tab.locator("#search-status").inner_text().startswith("11 results")
        tab.locator("#search-country").select_option("Belgium")  # the same articles name Belgium
        tab.wait_for_function("document.querySelector('#search-results').dataset.search.includes('country')")
        assert tab.locator("#search-status").inner_text().startswith("11 results")
        assert "country=Belgium" in tab.url and "organisation=European+Commission" in tab.url
        tab.locator("#search-country").select_option("France")  # no article names both
        tab.wait_for_function("document.querySelector('#search-status').textContent.startsWith('No results')")
