"""Forked workers change how fast a build is, never what it writes.

Above `fork_map`'s threshold (400 items) loading, related lists and rendering run in forked
workers on Linux; elsewhere the same work runs in the build's own process. Both must publish
the same bytes, cold and after edits.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import file_tree, generated_project

from builder import parallel
from builder.build import build
from builder.config import load_config

pytestmark = pytest.mark.slow
COUNT = 900  # articles: well above fork_map's threshold, so every phase forks


def _build(root: Path, name: str) -> dict[str, bytes]:
    config = load_config(root / "site.toml", out=str(root / name), cache=str(root / f".cache-{name}"), search=False)
    build(config, workers=2)
    return file_tree(root / name)


def _edit_many(root: Path) -> None:
    """A template edit (every page renders again) and new text in half the articles."""
    base = root / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<p>Edited footer.</p></footer>"), "utf-8")
    for path in sorted((root / "content").glob("*.md"))[::2]:
        path.write_text(path.read_text("utf-8") + "\nA paragraph added by the editor.\n", "utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    return generated_project(tmp_path / "project", COUNT)


def test_a_build_without_fork_writes_the_same_site_as_a_forked_one(project, monkeypatch):
    assert parallel.can_fork()
    forked = _build(project, "forked")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not parallel.can_fork()
    assert _build(project, "serial") == forked


def test_an_incremental_forked_build_after_many_edits_equals_a_cold_one(project, monkeypatch):
    _build(project, "site")
    _edit_many(project)
    incremental = _build(project, "site")
    assert b"Edited footer." in incremental["index.html"]
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _build(project, "cold") == incremental
