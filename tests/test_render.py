"""The Jinja environment pages are rendered in: macros of partials, errors of templates."""

from __future__ import annotations

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
