"""Article bodies become safe HTML; JSON-LD cannot break out of its script element."""

from pathlib import Path

from builder.markup import Bodies, json_ld
from builder.model import Article


def _html(body: str) -> str:
    return str(Bodies().html(Article(slug="a", title="A", body=body, path=Path("a.md"))))


def test_headings_never_compete_with_the_page_headline():
    html = _html("# Big\n\nText\n\n## Sub\n")
    assert "<h1>" not in html
    assert "<h2>Big</h2>" in html and "<h2>Sub</h2>" in html


def test_raw_html_is_shown_as_text():
    html = _html('Hello <script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_are_not_links():
    html = _html("[click](javascript:alert(1)) and [ok](https://example.org/)")
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/">ok</a>' in html


def test_json_ld_cannot_close_its_script_element():
    text = str(json_ld({"headline": "</script><script>alert(1)</script> & more"}))
    assert "</script>" not in text and "<" not in text and "&" not in text
