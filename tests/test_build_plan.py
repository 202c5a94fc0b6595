"""build.plan_build: which pages a build renders, decided from the articles and the last build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import generated_project

from builder.build import plan_build
from builder.cache import BuildCache
from builder.config import load_config
from builder.content import load_articles
from builder.registry import load_registry


@pytest.fixture
def project(tmp_path) -> Path:
    return generated_project(tmp_path / "project", 30)


def _plan(root: Path, cache: BuildCache):
    config = load_config(root / "site.toml", search=False)
    articles, errors = load_articles(root / "content")
    assert not errors
    registry = load_registry(root / "data")
    return plan_build(config, articles, registry, cache, cache.digests(), workers=1), articles


def _as_last_build(plan, articles) -> BuildCache:
    """The cache a build of `plan` leaves for the next one."""
    cache = BuildCache(listing=plan.listing, related=(plan.relation_keys, plan.archive.related_memo))
    cache.articles = {str(a.path): ((0, 0, 0, 0), a.row()) for a in articles}
    return cache


def test_a_first_build_plans_every_page(project):
    plan, articles = _plan(project, BuildCache())
    paths = {page.path for page in plan.pages}
    assert not plan.bodies_only
    assert {"", "archive/", "topics/", "companies/", "search/"} <= paths
    assert all(f"articles/{a.slug}/" in paths for a in articles)


def test_an_edited_body_plans_only_the_pages_that_show_it(project):
    first, articles = _plan(project, BuildCache())
    story = project / "content" / "report-0007.md"
    story.write_text(story.read_text("utf-8") + "\nA new closing paragraph.\n", "utf-8")
    plan, _ = _plan(project, _as_last_build(first, articles))
    assert plan.bodies_only
    assert "articles/report-0007/" in {page.path for page in plan.pages}
    assert all(page.path.endswith(".xml") or "report-0007" in page.path for page in plan.pages)


def test_an_edited_tag_plans_the_whole_site_again(project):
    first, articles = _plan(project, BuildCache())
    story = project / "content" / "report-0007.md"
    text = story.read_text("utf-8")
    story.write_text(text.replace("companies: [", "companies: [Quillpay, ", 1), "utf-8")
    plan, _ = _plan(project, _as_last_build(first, articles))
    assert not plan.bodies_only
    assert len(plan.pages) == len(first.pages) + 2  # Quillpay's page and feed are new
