"""Edits that keep a file's size and mtime (`cp -p`, `rsync -t`, `touch -r`, restored backups)
are picked up like any other: the build keys files by size, mtime, ctime and inode, as git does."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import run_cli

from builder import cache

STORY = """---
title: Alpha story
slug: story
topics: [Space]
companies: [YouTube]
---
The alpha body of the story.
"""


def same_size_same_mtime(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (as long) in `path`, then set its times back as `touch -r` would."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.mark.parametrize(
    "file, old, new, page, shown",
    [
        ("content/story.md", "alpha body", "omega body", "articles/story/index.html", "omega body"),
        ("content/story.md", "[Space]", "[Spade]", "articles/story/index.html", 'href="/topics/spade/"'),
        ("templates/base.html", "Skip to content", "Skip to CONTENT", "index.html", "Skip to CONTENT"),
        ("static/style.css", "}", " ", "static/style.css", None),
        (
            "data/companies.yaml",
            "{name: YouTube, parent: Google,",
            "{name: YouTube, parent: Amazon,",
            "companies/youtube/index.html",
            "Part of Amazon",
        ),
    ],
    ids=["article body", "article tags", "template", "static file", "registry"],
)
def test_an_edit_keeping_size_and_mtime_is_built(make_site, file, old, new, page, shown):
    root, _ = make_site({"content/story.md": STORY})
    same_size_same_mtime(root / file, old, new)
    result = run_cli("build", "--no-search", cwd=root)
    assert "nothing changed" not in result.stdout
    published = (root / "site" / page).read_text("utf-8")
    if shown is None:  # a static file is published as it is
        assert published == (root / file).read_text("utf-8")
    else:
        assert shown in published


def test_a_file_changed_as_the_scan_looks_cannot_hide_a_second_change(tmp_path):
    """A "racy" file: the scan waits out its timestamp tick, so a change made after the build
    read it gets another ctime even if size and mtime are set back."""
    story = tmp_path / "story.md"
    story.write_text("first text")
    found = cache.scan(tmp_path)  # right after the write: the same tick
    same_size_same_mtime(story, "first", "later")
    assert cache.stat_key(story.stat()) != cache.stat_key(found[str(story)])


def test_a_scan_of_files_changed_long_ago_does_not_wait(tmp_path):
    for i in range(20):
        (tmp_path / f"{i}.md").write_text("text")
    time.sleep(0.2)
    start = time.perf_counter()
    cache.scan(tmp_path)
    assert time.perf_counter() - start < 0.05


def test_a_renamed_article_file_moves_its_links_everywhere(make_site):
    """Without `slug:` the file name is the slug: the same text under another name is another
    page, and every listing must link to it (the file's hash alone does not say so)."""
    untitled = "---\ntitle: Untitled slug\ndate: 2026-01-02\ntopics: [Space]\n---\nSome text.\n"
    root, _ = make_site({"content/old-name.md": untitled, "content/story.md": STORY})
    (root / "content" / "old-name.md").rename(root / "content" / "new-name.md")
    run_cli("build", "--no-search", cwd=root)
    home = (root / "site" / "index.html").read_text("utf-8")
    assert "/articles/new-name/" in home and "/articles/old-name/" not in home
    assert not (root / "site" / "articles" / "old-name").exists()
