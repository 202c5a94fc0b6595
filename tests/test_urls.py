"""Slug and URL rules: every title gives a safe, stable slug; no site path escapes the output folder."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import urls
from builder.urls import MAX_SLUG, WINDOWS_RESERVED, Urls, is_safe_slug, slugify, term_slug, url_to_file

URL_SAFE = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_title_gives_a_non_empty_ascii_url_safe_short_stable_slug(title):
    slug = slugify(title)
    assert slug and slug.isascii() and set(slug) <= URL_SAFE
    assert len(slug) <= MAX_SLUG
    assert is_safe_slug(slug)
    assert slugify(title) == slug  # stable
    assert slugify(slug) == slug  # a slug is its own slug, so re-slugging changes nothing


@pytest.mark.parametrize(
    "title, slug",
    [
        (
            "OpenAI acquires Astral to expand Codex developer tools",
            "openai-acquires-astral-to-expand-codex-developer-tools",
        ),
        ("../../etc/passwd", "etc-passwd"),
        (".git", "git"),
        ("%2e%2e/%2f", "2e-2e-2f"),
        ("a/b\\c", "a-b-c"),
        ("", "untitled"),
        ("\U0001f389\u200b", "untitled"),
        ("CON", "con-page"),
        ("nul", "nul-page"),
        ("Com1", "com1-page"),
        ("Console wars", "console-wars"),
    ],
)
def test_hostile_titles(title, slug):
    assert slugify(title) == slug


def test_long_titles_are_cut_on_a_word_boundary():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-") and slug.endswith("word")
    assert len(slugify("x" * 10_000)) == MAX_SLUG


@pytest.mark.parametrize(
    "slug",
    [
        "../../etc/passwd",
        "..",
        ".",
        ".git",
        "a/b",
        "a\\b",
        "%2e%2e",
        "con",
        "aux",
        "lpt1",
        "Upper",
        "",
        "a--b",
        "-a",
        "a-",
        "a b",
        "a\x00b",
        "x" * 81,
        "caf\u00e9",
    ],
)
def test_unsafe_slugs_are_refused(slug):
    assert not is_safe_slug(slug)


def test_every_windows_device_name_is_refused_and_reslugged():
    for name in WINDOWS_RESERVED:
        assert not is_safe_slug(name) and is_safe_slug(slugify(name))


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "./x", "a/./b"])
def test_url_to_file_refuses_paths_that_leave_the_site(path):
    with pytest.raises(ValueError):
        url_to_file(path)


def test_url_to_file_maps_folders_to_index_pages():
    assert url_to_file(urls.article("x")) == "articles/x/index.html"
    assert url_to_file(urls.HOME) == "index.html"
    assert url_to_file(urls.FEED) == "feed.xml"


@pytest.mark.parametrize(
    "base, href",
    [
        ("https://news.example.org", "/articles/x/"),
        ("https://user.github.io/REPO/", "/REPO/articles/x/"),
        ("user.github.io/REPO", "/REPO/articles/x/"),
        ("", "/articles/x/"),
    ],
)
def test_links_work_at_the_root_and_under_a_sub_path(base, href):
    assert Urls(base).href(urls.article("x")) == href


def test_term_slugs_never_take_the_path_of_an_overview_page():
    assert (
        term_slug("By count") == "by-count-page" and term_slug("Artificial intelligence") == "artificial-intelligence"
    )
    assert urls.term("topics", term_slug("By count")) != urls.terms("topics", by_count=True)
