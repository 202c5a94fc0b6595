"""The Jinja environment pages are rendered in: macros of partials, errors of templates."""

from __future__ import annotations

import re
from pathlib import Path

from builder.pages import Page
from builder.render import Renderer, Site

SITE = Site(title="T", description="D", language="en", base_url="https://example.org/")


def _renderer(tmp_path: Path, files: dict[str, str]) -> Renderer:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    return Renderer(tmp_path, SITE)


def test_a_partial_calls_a_macro_of_a_partial_that_sorts_after_it(tmp_path):
    renderer = _renderer(
        tmp_path,
        {
            "partials/a_outer.html": "{% macro outer(x) %}<b>{{ inner(x) }}</b>{% endmacro %}",
            "partials/z_inner.html": "{% macro inner(x) %}<i>{{ x }}</i>{% endmacro %}",
            "page.html": "{{ outer(word) }}|{{ inner('direct') }}",
        },
    )
    html = renderer.render(Page("p/", "page.html", {"word": "<late>"})).decode()
    assert html == "<b><i>&lt;late&gt;</i></b>|<i>direct</i>"


def test_a_macro_called_with_a_caller_block_gets_it(tmp_path):
    renderer = _renderer(
        tmp_path,
        {
            "partials/box.html": "{% macro box() %}[{{ caller() }}]{% endmacro %}",
            "page.html": "{% call box() %}inside{% endcall %}",
        },
    )
    assert renderer.render(Page("p/", "page.html")).decode() == "[inside]"


def _site_pages(titles: list[str]) -> tuple[Renderer, dict[str, Page]]:
    """The real templates over a few articles tagged AI, OpenAI and Nvidia."""
    import datetime as dt

    from builder.archive import build_archive
    from builder.model import Article
    from builder.pages import plan_pages

    class NoRegistry:
        def topic(self, name):
            return None

        def company(self, name):
            return None

    articles = [
        Article(
            slug=f"s{i}",
            title=title,
            body="Body.",
            path=Path(f"s{i}.md"),
            date=dt.date(2025, 1, 1 + i),
            summary="Summary.",
            topics=("AI",),
            companies=("OpenAI", "Nvidia"),
            digest=f"s{i}",
        )
        for i, title in enumerate(titles)
    ]
    pages = {page.path: page for page in plan_pages(build_archive(articles, NoRegistry()), 20)}
    return Renderer(Path(__file__).parent.parent / "templates", SITE), pages


def test_cards_on_a_terms_page_leave_out_its_own_chip_and_keep_the_others():
    renderer, pages = _site_pages(["One", "Two"])
    term = renderer.render(pages["companies/openai/"]).decode()
    home = renderer.render(pages[""]).decode()
    cards = term.split('<ol class="article-list"', 1)[1].split("</ol>", 1)[0]
    assert cards.count('class="card"') == 2
    assert "/companies/openai/" not in cards
    assert cards.count('href="/companies/nvidia/"') == 2 and cards.count('href="/topics/ai/"') == 2
    assert home.count('class="chip chip-company" href="/companies/openai/"') == 2


def test_a_card_whose_title_looks_like_the_chips_slot_keeps_its_chips_and_title():
    renderer, pages = _site_pages(["<chips/> in a title"])
    html = renderer.render(pages[""]).decode()
    assert "&lt;chips/&gt; in a title" in html and "<chips/>" not in html
    assert html.count('class="chip chip-company"') == 2


def test_the_masthead_marks_the_section_of_each_page_as_current():
    renderer, pages = _site_pages(["One"])
    current = {
        path: re.findall(r'<a href="([^"]*)" aria-current="page">', renderer.render(pages[path]).decode())
        for path in ("", "companies/openai/", "topics/", "archive/", "articles/s0/", "search/")
    }
    assert current == {
        "": ["/"],
        "companies/openai/": ["/companies/"],
        "topics/": ["/topics/"],
        "archive/": ["/archive/"],
        "articles/s0/": [],
        "search/": ["/search/"],
    }
