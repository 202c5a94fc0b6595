"""Search as a reader meets it in Debian's chromium: tag and alias search, the date filter, dates and
sources on results, one search box on a phone, and the notice while the index catches up with an edit."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import generated_project, watched_tab, write_generated_archive
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from subpath_server import PREFIX, serve

from builder import search
from builder.build import build, catch_up_search
from builder.config import load_config

COUNT = 40
EXTRA = {
    # Tagged Google, yet its text names neither Google nor Alphabet: only its tags can find it.
    "quiet-google": "---\ntitle: A quiet note on search engines\nslug: quiet-google\ndate: 2024-02-10\n"
    "companies: [Google]\ntopics: [Competition]\n"
    "source: {file: 002_abc.txt, position: 3, name: Digital Watch}\n---\n"
    "Regulators looked at how results pages are ranked.\n",
    # Names Google in passing, tagged with nothing: must come after every Google-tagged article.
    "passing-mention": "---\ntitle: Weather satellites\nslug: passing-mention\ndate: 2024-02-11\n---\n"
    "A satellite launch was delayed; a Google search for the schedule found nothing.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, root, config) of 42 articles indexed in 2 shards (21 pages each), served at /REPO/."""
    root = generated_project(tmp_path_factory.mktemp("search-browser") / "project", COUNT, per_page=10)
    for slug, text in EXTRA.items():
        (root / "content" / f"{slug}.md").write_text(text, "utf-8")
    server = serve(root / "site")
    base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
    config = load_config(root / "site.toml", base_url=base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PER_SHARD", 21)  # several shards, merged as at 10,000 articles
        build(config)
        yield base, root, config
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, site):
    with watched_tab(browser) as tab:
        yield tab


def _all_results(page) -> list[str]:
    """Show every result (Show more until it is gone); their links."""
    page.locator("#search-results li").first.wait_for()
    while page.locator("#search-more").is_visible():
        shown = page.locator("#search-results li").count()
        page.locator("#search-more").click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length > {shown}")
    return page.locator("#search-results .card-title a").evaluate_all("links => links.map(a => a.href)")


def _metadata(root: Path) -> list[dict]:
    """The generated articles' metadata, as the fixture wrote them (deterministic)."""
    return write_generated_archive(root / "metadata-copy", COUNT)


def test_an_alias_finds_the_tagged_articles_and_a_tag_outranks_a_passing_mention(page, site):
    base, root, _ = site
    google = {m["slug"] for m in _metadata(root) if "Google" in m["companies"]} | {"quiet-google"}
    page.goto(base + "search/?q=Alphabet")
    found = {link.rstrip("/").rsplit("/", 1)[-1] for link in _all_results(page)}
    assert found == google  # no article says "Alphabet": each was found by its Google tag's alias

    page.goto(base + "search/?q=Google")
    order = [link.rstrip("/").rsplit("/", 1)[-1] for link in _all_results(page)]
    assert "passing-mention" in order and "quiet-google" in order
    assert set(order[: len(google)]) == google, order  # every tagged article before the passing mention


def test_results_show_date_and_source_and_excerpts_skip_the_headline(page, site):
    base, _, _ = site
    page.goto(base + "search/?q=ranked")
    page.locator("#search-results li").first.wait_for()
    card = page.locator("#search-results li").first
    assert card.locator(".card-title").inner_text() == "A quiet note on search engines"
    assert card.locator(".meta").inner_text() == "10 February 2024 · Source: Digital Watch"
    excerpt = card.locator(".summary").inner_text()
    assert excerpt.startswith("Regulators looked at how results pages are") and "quiet note" not in excerpt


def test_a_date_range_in_the_url_keeps_only_articles_of_those_months(page, site):
    base, root, _ = site
    inside = {
        m["slug"]
        for m in _metadata(root)
        if m["date"] and dt.date(2024, 3, 1) <= m["date"] <= dt.date(2024, 6, 30) and "report" in m["title"]
    }
    assert 3 <= len(inside) < COUNT // 2
    page.goto(base + "search/?q=report&from=2024-03&to=2024-06&sort=asc")
    links = _all_results(page)
    assert {link.rstrip("/").rsplit("/", 1)[-1] for link in links} == inside
    assert page.locator("#search-from").input_value() == "2024-03"

    page.goto(base + "search/?q=report&year=2025")
    in_2025 = {m["slug"] for m in _metadata(root) if m["date"] and m["date"].year == 2025}
    assert {link.rstrip("/").rsplit("/", 1)[-1] for link in _all_results(page)} == in_2025
    assert page.url.endswith("search/?q=report&from=2025-01&to=2025-12")

    page.goto(base + "search/?q=report&from=2024-09&to=2024-02")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('after')")
    assert page.locator("#search-results li").count() == 0


def test_every_result_of_every_shard_comes_once_in_date_order(page, site):
    base, root, _ = site
    assert len(json.loads((root / "site" / search.FOLDER / search.MANIFEST).read_text())["shards"]) == 2
    page.goto(base + "search/?q=report")
    best = _all_results(page)
    for order in ("desc", "asc"):
        page.goto(base + f"search/?q=report&sort={order}")
        links = _all_results(page)
        assert sorted(links) == sorted(best) and len(set(links)) == len(links)
        dates = [text.split(" · ")[0] for text in page.locator("#search-results .meta").all_inner_texts()]
        days = [dt.datetime.strptime(d, "%d %B %Y").date() for d in dates if d != "Undated"]
        assert days == sorted(days, reverse=order == "desc"), (order, dates)
        assert "Undated" not in dates[: len(days)]  # undated articles last, in either order


def test_a_phone_sees_one_search_box_and_the_first_result_on_screen(browser, site):
    base, _, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(base + "search/?q=report")
        tab.locator("#search-results li").first.wait_for()
        assert tab.locator("input[type=search]:visible").count() == 1
        box = tab.locator("#search-results li").first.bounding_box()
        assert box["y"] < 844, box
    finally:
        context.close()


def test_a_first_search_downloads_each_file_once_and_asks_for_every_bundle_at_once(browser, site):
    """Cold cache: the page asks for the merged bundles' metadata itself (preloads), where Pagefind asks
    for each only once the first bundle's WebAssembly has loaded, and downloads no file twice (but for a
    merged bundle's entry, read by the page and then by Pagefind: the second comes from the browser's
    cache where the server lets it be cached, as GitHub Pages does, not from this test's fresh files)."""
    base, root, _ = site
    context = browser.new_context()
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    downloads = []  # every response the server sent in full (not a cache's, not a 304)
    cdp.on(
        "Network.responseReceived",
        lambda e: (
            e["response"]["status"] == 200
            and not e["response"].get("fromDiskCache")
            and downloads.append(e["response"]["url"])
        ),
    )
    try:
        tab.goto(base + "search/?q=report")
        tab.locator("#search-results[data-search]").wait_for(state="attached")
        twice = {url for url in downloads if downloads.count(url) > 1}
        assert not [url for url in twice if "/pagefind-entry.json" not in url], twice
        asked = tab.evaluate(
            "() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('.pf_meta'))"
            ".map(e => [e.name, e.initiatorType])"
        )
        first, *merged = json.loads((root / "site" / "pagefind" / "shards.json").read_text("utf-8"))["shards"]
        assert merged
        for shard in merged:
            assert [kind for url, kind in asked if f"/pagefind/{shard}/" in url] == ["link"], asked
        assert [kind for url, kind in asked if f"/pagefind/{first}/" in url] == ["fetch"], asked
    finally:
        context.close()


def test_the_search_page_says_when_search_is_catching_up_and_updates_when_it_has(page, site):
    """What serve does: the edited page is published first, its shard is indexed afterwards."""
    base, root, config = site
    story = root / "content" / "report-0012.md"
    story.write_text(story.read_text("utf-8") + "\nA paragraph about hovercraft.\n", "utf-8")
    build(config, defer_search=True)
    page.goto(base + "search/?q=hovercraft")
    page.locator("#search-catching-up").wait_for()
    assert "catching up" in page.locator("#search-catching-up").inner_text()
    page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('No results')")
    assert catch_up_search(config)
    page.locator("#search-catching-up").wait_for(state="hidden", timeout=10_000)
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-results .card-title a").first.get_attribute("href").endswith("/report-0012/")
    assert re.match(r"1 result$", page.locator("#search-status").inner_text())


def test_edited_and_deleted_articles_are_found_as_they_are_now_and_once(page, site):
    """An edit goes to the overlay bundle; the shard's old entry for it is left out of the results."""
    base, root, config = site

    def results(query: str) -> list[str]:
        page.goto(base + f"search/?q={query}")
        page.wait_for_selector(f"#search-results[data-search='q={query}']", state="attached")
        return _all_results(page) if page.locator("#search-results li").count() else []

    before = results("report")
    story = root / "content" / "report-0020.md"
    story.write_text(story.read_text("utf-8") + "\nA paragraph about zeppelins.\n", "utf-8")
    (root / "content" / "report-0021.md").unlink()
    build(config)
    assert [link for link in results("zeppelins") if link.endswith("/report-0020/")] == results("zeppelins")
    assert len(results("zeppelins")) == 1
    after = results("report")
    assert sorted(after) == sorted(link for link in before if not link.endswith("/report-0021/"))


# The property test's words: the generated archive's own, completions and near words of them (the
# prefix fallback and completion cases), and words no article has until an edit brings them.
EDIT_WORDS = ["satellites", "satcom", "courtroom", "netherworld", "alpha", "alphabet", "zeppelin", "zeppelins", "fine"]
PROPERTY_QUERIES = [
    "alpha",
    "alphabet",
    "alphabetical",
    "zeppelin",
    "zep",
    "courtroom",
    "sat",
    "satellites network",
    "zeppelin report",
    "alphabetical court",
    "netherworld fine",
    "quux report",
]
_OPERATION = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 99), st.lists(st.sampled_from(EDIT_WORDS), min_size=1, max_size=3)),
    st.tuples(st.just("add"), st.integers(0, 99), st.lists(st.sampled_from(EDIT_WORDS), min_size=1, max_size=3)),
    st.tuples(st.just("delete"), st.integers(0, 99), st.just([])),
)


def _apply(root: Path, operation: tuple[str, int, list[str]], added: int) -> None:
    """Edit (append the words), add (a new article of them) or delete an article of root/content."""
    kind, pick, words = operation
    files = sorted((root / "content").glob("*.md"))
    if kind == "add" or not files:
        text = f"---\ntitle: Added story {added}\ndate: 2024-05-0{1 + added % 9}\n---\nA report on {' '.join(words)}.\n"
        (root / "content" / f"added-{added}.md").write_text(text, "utf-8")
    elif kind == "edit":
        path = files[pick % len(files)]
        path.write_text(path.read_text("utf-8") + f"\nAn update: {' '.join(words)}.\n", "utf-8")
    else:
        files[pick % len(files)].unlink()


def _found(tab, base: str, query: str) -> set[str]:
    """The result URLs (site paths) the search page lists for `query`, every one of them."""
    tab.goto(base + "search/?q=" + query.replace(" ", "+"))
    tab.wait_for_selector("#search-results[data-search]", state="attached")
    links = _all_results(tab) if tab.locator("#search-results li").count() else []
    return {link.removeprefix(base) for link in links}


@pytest.mark.slow
# Four sequences of builds take a minute; shrinking a failure would take many more (the failing
# sequence is printed as found).
@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=st.lists(_OPERATION, min_size=1, max_size=4))
def test_edits_searched_through_shards_and_overlay_find_what_one_index_of_the_same_pages_finds(
    browser, tmp_path_factory, operations
):
    """Edits, additions and deletions built one by one (three shards and the overlay) against the
    same articles built cold into one index: every query lists the same pages."""
    work = tmp_path_factory.mktemp("property")
    root = generated_project(work / "sharded", 12, per_page=10)
    single = work / "single"
    servers = [serve(folder / "site") for folder in (root, single)]
    bases = [f"http://127.0.0.1:{server.server_port}{PREFIX}" for server in servers]
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(search, "PER_SHARD", 4)
            build(load_config(root / "site.toml", base_url=bases[0]))
            for added, operation in enumerate(operations):
                _apply(root, operation, added)
                build(load_config(root / "site.toml", base_url=bases[0]))
        shutil.copytree(root, single, ignore=shutil.ignore_patterns("site", ".site.build", ".cache"))
        build(load_config(single / "site.toml", base_url=bases[1]))
        assert json.loads((single / "site" / search.FOLDER / search.MANIFEST).read_text())["shards"] == ["00"]
        with watched_tab(browser) as tab:
            for query in PROPERTY_QUERIES:
                sharded, one = (_found(tab, base, query) for base in bases)
                assert sharded == one, (query, operations, sorted(sharded ^ one))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
