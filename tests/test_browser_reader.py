"""Finding one's way and trusting what one reads, in a real browser (Debian's chromium, Playwright),
with each site served under /REPO/ as GitHub Pages serves a project site: numbered pagination, month
navigation, the source line, and an undated archive's feed dates.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import feedparser
import pytest
from conftest import PROJECT_PARTS, copy_project, generated_project, run_cli, watched_tab
from subpath_server import PREFIX, serve
from test_browser import axe_violations

ENTERED = dt.date(2026, 3, 19)  # the day the undated dumps enter the archive (SOURCE_DATE_EPOCH)
MARKER = "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!"


def _served(root: Path):
    server = serve(root / "site")
    return server, f"http://127.0.0.1:{server.server_port}{PREFIX}"


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """Base URL of a generated archive of 63 articles (60 dated over 20 months), 5 per page."""
    root = generated_project(tmp_path_factory.mktemp("reader") / "project", 63, per_page=5)
    server, base = _served(root)
    run_cli("build", "--no-search", "--base-url", base, cwd=root)
    yield base
    server.shutdown()
    server.server_close()


def _dump(*stories: tuple[str, str]) -> str:
    return f"\n{MARKER}\n".join(f"{headline}\n\n{text}\n" for headline, text in stories)


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    """Base URL of an archive ingested from two undated dumps: one with a sidecar naming its source
    and one story's own address, one without a sidecar."""
    root = copy_project(tmp_path_factory.mktemp("reader") / "undated", [p for p in PROJECT_PARTS if p != "seeds"])
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "001_wire.txt").write_text(
        _dump(
            ("Regulator fines Meta over data transfers", "The regulator fined Meta on Tuesday over data transfers."),
            ("Court blocks Google search deal", "A court blocked the search deal that Google had signed."),
        ),
        "utf-8",
    )
    (seeds / "001_wire.yaml").write_text(
        "name: Example Wire\nurl: https://wire.example/\nsource_urls: {1: 'https://wire.example/meta-fine'}\n",
        "utf-8",
    )
    (seeds / "002_plain.txt").write_text(
        _dump(
            ("Nvidia opens a chip plant in Texas", "Nvidia opened a chip plant in Texas to meet demand."),
            ("OpenAI launches a browser", "OpenAI launched a browser with an assistant built in."),
        ),
        "utf-8",
    )
    server, base = _served(root)
    epoch = str(int(dt.datetime(ENTERED.year, ENTERED.month, ENTERED.day, 9, tzinfo=dt.UTC).timestamp()))
    with pytest.MonkeyPatch.context() as env:
        env.setitem(os.environ, "SOURCE_DATE_EPOCH", epoch)
        run_cli("build", "--no-search", "--base-url", base, cwd=root)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser):
    """A fresh tab at 1280 px that fails the test on any failed request or script error."""
    with watched_tab(browser) as page:
        yield page


def _h1(tab) -> str:
    """The page's headline as written (the home page's is styled in capitals)."""
    return tab.locator("h1").text_content().strip()


def _numbers(tab) -> list[str]:
    return tab.locator(".pagination li").all_inner_texts()


def test_numbered_pagination_reaches_the_last_and_first_pages_and_any_page_between(tab, dated):
    tab.goto(dated)
    pager = tab.locator("nav.pagination")
    assert pager.locator(".page-of").inner_text() == "Page 1 of 13"
    assert _numbers(tab) == ["1", "2", "3", "…", "13", "Older →", "Last »"]
    assert pager.locator("a[aria-current=page]").inner_text() == "1"

    pager.get_by_role("link", name="Last »").click()
    tab.wait_for_load_state()
    assert tab.url == dated + "page/13/"
    assert _h1(tab) == "Latest news, page 13"
    assert _numbers(tab) == ["« First", "← Newer", "1", "…", "11", "12", "13"]
    last_titles = tab.locator(".article-list.compact li > a").all_inner_texts()  # headlines and dates

    tab.locator("nav.pagination").get_by_role("link", name="Page 11").click()
    tab.wait_for_load_state()
    assert tab.url == dated + "page/11/"
    assert _numbers(tab) == ["« First", "← Newer", "1", "…", "9", "10", "11", "12", "13", "Older →", "Last »"]
    assert not set(tab.locator(".article-list.compact li > a").all_inner_texts()) & set(last_titles)
    assert tab.locator("meta[name=description]").get_attribute("content").startswith("Page 11 of 13: 5 articles,")

    tab.locator("nav.pagination").get_by_role("link", name="« First").click()
    tab.wait_for_load_state()
    assert tab.url == dated
    assert _h1(tab) == "Latest news"

    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto(dated + "page/7/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375  # the page links wrap, never overflow
    assert not axe_violations(tab)


def test_a_year_jumps_to_its_months_and_a_month_leads_to_the_next_and_previous(tab, dated):
    tab.goto(dated + "archive/")
    tab.locator(".archive-years h2 a").first.click()  # the newest year
    tab.wait_for_load_state()
    year = _h1(tab)
    jumps = tab.locator("nav .month-jump a")
    headings = tab.locator("h2.month-heading")
    assert jumps.count() == headings.count() >= 2
    second = jumps.nth(1)
    month = second.inner_text()
    second.click()
    target = tab.locator(second.get_attribute("href"))
    assert target.inner_text().startswith(f"{month} {year}")
    assert tab.url.endswith(second.get_attribute("href"))
    box = target.bounding_box()
    assert -1 <= box["y"] < 200  # the month's heading is at the top of the window
    assert not axe_violations(tab)

    target.locator("xpath=..").get_by_role("link", name=f"{month} {year} with summaries").click()
    tab.wait_for_load_state()
    assert _h1(tab) == f"{month} {year}"
    listed = tab.locator(".article-list .card").count()
    assert tab.locator("p.meta").first.inner_text() == f"{listed} article{'s' if listed != 1 else ''}"
    older = tab.locator("nav.month-nav a[rel=prev]")
    older_name = older.inner_text().removeprefix("← ")
    older.click()
    tab.wait_for_load_state()
    assert _h1(tab) == older_name
    assert tab.locator(".article-list .card").count() >= 1
    newer = tab.locator("nav.month-nav a[rel=next]")
    assert newer.inner_text() == f"{month} {year} →"
    newer.click()
    tab.wait_for_load_state()
    assert _h1(tab) == f"{month} {year}"
    assert not axe_violations(tab)


def _open(tab, base: str, headline: str) -> None:
    tab.goto(base)
    tab.locator(".article-list .card-title a", has_text=headline).click()
    tab.wait_for_load_state()
    assert _h1(tab) == headline


def test_the_byline_names_the_source_and_links_to_the_story_never_a_file_name(tab, undated):
    _open(tab, undated, "Regulator fines Meta over data transfers")
    source = tab.locator(".byline .source")
    assert source.inner_text() == "Source: Example Wire"
    assert source.locator("a").get_attribute("href") == "https://wire.example/meta-fine"
    assert ".txt" not in tab.locator("main").inner_text()

    _open(tab, undated, "Court blocks Google search deal")  # no address of its own: the source's
    assert tab.locator(".byline .source a").get_attribute("href") == "https://wire.example/"

    _open(tab, undated, "Nvidia opens a chip plant in Texas")  # a dump without a sidecar: no source line
    assert tab.locator(".byline .source").count() == 0
    assert ".txt" not in tab.locator("main").inner_text()
    assert not axe_violations(tab)


def test_an_undated_archive_marks_its_cards_and_dates_its_feed_by_the_day_it_entered(tab, undated):
    tab.goto(undated)
    cards = tab.locator(".article-list .card")
    assert cards.count() == 4
    assert cards.locator(".meta").all_inner_texts() == ["Undated"] * 4

    _open(tab, undated, "Court blocks Google search deal")
    labels = tab.locator("nav.prev-next a span").evaluate_all("spans => spans.map(s => s.textContent)")
    assert labels == ["← Previous in the dump", "Next in the dump →"]
    assert tab.locator(".byline").inner_text().startswith("Undated")

    feed = tab.request.get(undated + "feed.xml")
    assert feed.ok
    text = feed.text()
    assert "1970" not in text
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert parsed.feed.updated.startswith(ENTERED.isoformat())
    assert parsed.feed.author == "Tech Policy News Archive"
    assert len(parsed.entries) == 4
    for entry in parsed.entries:
        assert entry.updated.startswith(ENTERED.isoformat())
        assert "published" not in entry  # the day it entered the archive is no publication date
    sitemap = tab.request.get(undated + "sitemap.xml").text()
    assert re.search(rf"<lastmod>{ENTERED.isoformat()}</lastmod>", sitemap)
