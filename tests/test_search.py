"""The sharded search index: what an edit re-indexes, what readers can find, and that a failed
or deferred index never publishes a site whose search misses or misstates a page."""

from __future__ import annotations

import functools
import gzip
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import generated_project

from builder import parallel, search
from builder.build import build
from builder.config import load_config
from builder.errors import ContentError


def index_contents(site: Path) -> dict[str, dict]:
    """url -> {content, meta, filters} of every page in the site's search index (all bundles), as
    the search page sees it: without the shards' entries that the overlay supersedes."""
    pages: dict[str, dict] = {}
    superseded = set(json.loads((site / search.FOLDER / search.MANIFEST).read_text())["superseded"])
    for fragment in sorted((site / search.FOLDER).glob("*/fragment/*.pf_fragment")):
        if fragment.name.removesuffix(".pf_fragment") in superseded:
            continue
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        record = json.loads(data[len(b"pagefind_dcd") :])
        if record["url"].startswith("/" + search.VOCABULARY_PAGE.split("/")[0]):  # no result: every bundle's words
            continue
        assert record["url"] not in pages, f"{record['url']} is in two shards"
        filters = {k: v for k, v in record["filters"].items() if k != "shard"}  # which bundle holds it
        pages[record["url"]] = {"content": record["content"], "meta": record["meta"], "filters": filters}
    return pages


def shard_files(site: Path) -> dict[str, set[int]]:
    """shard -> inodes of its files: a shard that was indexed again has new files."""
    folder = site / search.FOLDER
    return {
        shard.name: {p.stat().st_ino for p in shard.rglob("*") if p.is_file()}
        for shard in folder.iterdir()
        if shard.is_dir()
    }


@pytest.fixture
def archive(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(search, "PER_SHARD", 4)  # 40 articles in 10 shards, as 25,000 would be
    root = generated_project(tmp_path / "project", 40, per_page=10)
    build(load_config(root / "site.toml"))
    return root


def _append(root: Path, slug: str, text: str) -> None:
    path = root / "content" / f"{slug}.md"
    path.write_text(path.read_text("utf-8") + f"\n{text}\n", "utf-8")


def test_every_article_is_in_exactly_one_shard_and_nothing_else_is_indexed(archive):
    pages = index_contents(archive / "site")
    assert sorted(pages) == sorted(f"/articles/report-{i:04d}/" for i in range(1, 41))
    manifest = json.loads((archive / "site" / search.FOLDER / search.MANIFEST).read_text())
    assert manifest["catching_up"] is False
    assert manifest["count"] == 10
    assert manifest["shards"] == sorted(
        {search.shard_of(f"articles/report-{i:04d}/index.html", 10) for i in range(1, 41)}
    )
    assert len(manifest["shards"]) > 6  # 40 pages spread over most of the 10 shards


def test_an_edited_article_goes_to_the_overlay_and_no_shard_is_indexed_again(archive):
    site = archive / "site"
    before = shard_files(site)
    _append(archive, "report-0007", "A paragraph about zeppelins.")
    build(load_config(archive / "site.toml"))
    after = shard_files(site)
    assert [s for s in after if before.get(s) != after[s]] == [search.RECENT]
    assert "zeppelins" in index_contents(site)["/articles/report-0007/"]["content"]  # once: the old entry left out
    manifest = json.loads((site / search.FOLDER / search.MANIFEST).read_text())
    assert len(manifest["superseded"]) == 1
    assert manifest["recent_shards"] == [search.shard_of("articles/report-0007/index.html", 10)]


def test_an_overlay_that_outgrows_its_limit_is_folded_into_the_shards(archive, monkeypatch):
    monkeypatch.setattr(search, "RECENT_LIMIT", 3)
    site = archive / "site"
    _append(archive, "report-0002", "A paragraph about barges.")
    build(load_config(archive / "site.toml"))
    _append(archive, "report-0011", "A paragraph about barges.")
    build(load_config(archive / "site.toml"))
    added = (archive / "content" / "report-0004.md").read_text("utf-8").replace("report-0004", "report-0999")
    (archive / "content" / "report-0999.md").write_text(added + "\nA paragraph about barges.\n", "utf-8")
    build(load_config(archive / "site.toml"))  # an added page counts toward the limit too
    manifest = json.loads((site / search.FOLDER / search.MANIFEST).read_text())
    assert manifest["recent_pages"] == 3 and len(manifest["superseded"]) == 2
    before = shard_files(site)
    _append(archive, "report-0034", "A paragraph about barges.")
    build(load_config(archive / "site.toml"))
    manifest = json.loads((site / search.FOLDER / search.MANIFEST).read_text())
    assert manifest["superseded"] == [] and manifest["recent_pages"] == 0  # the overlay keeps words, no pages
    slugs = ["report-0002", "report-0011", "report-0999", "report-0034"]
    mine = {search.shard_of(f"articles/{slug}/index.html", 10) for slug in slugs}
    assert {s for s in before if before[s] != shard_files(site).get(s)} == mine | {search.RECENT}
    pages = index_contents(site)
    assert len(pages) == 41 and all("barges" in pages[f"/articles/{slug}/"]["content"] for slug in slugs)


def test_a_page_whose_searchable_part_is_unchanged_re_indexes_nothing(archive):
    """Renaming a topic's description changes no article text: related lists aside, no shard is redone."""
    site = archive / "site"
    before = shard_files(site)
    base = archive / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- footer edit -->\n</body>"), "utf-8")
    build(load_config(archive / "site.toml"))
    assert "footer edit" in (site / "articles" / "report-0001" / "index.html").read_text("utf-8")
    assert shard_files(site) == before


def test_added_and_deleted_articles_appear_in_and_leave_the_index(archive):
    site = archive / "site"
    (archive / "content" / "report-0003.md").unlink()
    extra = (archive / "content" / "report-0004.md").read_text("utf-8").replace("report-0004", "report-0999")
    (archive / "content" / "report-0999.md").write_text(extra, "utf-8")
    build(load_config(archive / "site.toml"))
    pages = index_contents(site)
    assert "/articles/report-0003/" not in pages and "/articles/report-0999/" in pages
    assert len(pages) == 40


def test_tag_names_and_registry_aliases_are_searchable_with_weight(archive):
    """Google's articles never say "Alphabet", yet the index holds it for them, above body text."""
    page = (archive / "site" / "articles" / "report-0002" / "index.html").read_text("utf-8")  # tagged Google
    assert '<p hidden data-pagefind-weight="7"' in page
    terms = page.split('data-pagefind-weight="7"')[1].split(">", 1)[1].split("</p>")[0]
    assert "Google" in terms and "Alphabet" in terms
    record = index_contents(archive / "site")["/articles/report-0002/"]
    assert "Alphabet" in record["content"]
    assert record["meta"]["date"] and record["filters"]["month"] == [record["meta"]["date"][:7]]


def test_the_excerpt_text_does_not_start_with_the_headline(archive):
    record = index_contents(archive / "site")["/articles/report-0005/"]
    assert not record["content"].startswith(record["meta"]["title"])
    assert record["content"].startswith("Meta said on the record")  # the first paragraph of its body


def test_a_failed_indexer_publishes_nothing_and_the_next_build_catches_up(archive, monkeypatch, tmp_path):
    site = archive / "site"
    before = index_contents(site)
    page_before = (site / "articles" / "report-0009" / "index.html").read_bytes()
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: disk full' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "_binary", lambda: str(failing))
    _append(archive, "report-0009", "A paragraph about airships.")
    with pytest.raises(ContentError, match="search indexer failed on shard .*disk full"):
        build(load_config(archive / "site.toml"))
    assert (site / "articles" / "report-0009" / "index.html").read_bytes() == page_before
    assert index_contents(site) == before
    monkeypatch.undo()
    build(load_config(archive / "site.toml"))
    assert "airships" in index_contents(site)["/articles/report-0009/"]["content"]


def test_a_deferred_index_says_it_is_catching_up_until_a_build_catches_up(archive, tmp_path):
    """serve publishes the page first; the index and its manifest follow in a second build."""
    site = archive / "site"
    _append(archive, "report-0011", "A paragraph about hovercraft.")
    build(load_config(archive / "site.toml"), defer_search=True)
    assert "hovercraft" in (site / "articles" / "report-0011" / "index.html").read_text("utf-8")
    assert "hovercraft" not in index_contents(site)["/articles/report-0011/"]["content"]
    assert json.loads((site / search.FOLDER / search.MANIFEST).read_text())["catching_up"] is True
    report = build(load_config(archive / "site.toml"))
    assert not report.up_to_date and report.phases.get("search")
    assert "hovercraft" in index_contents(site)["/articles/report-0011/"]["content"]
    assert json.loads((site / search.FOLDER / search.MANIFEST).read_text())["catching_up"] is False
    cold = tmp_path / "cold"
    build(load_config(archive / "site.toml", out=str(cold / "site"), cache=str(cold / "cache")))
    assert index_contents(site) == index_contents(cold / "site")
    assert build(load_config(archive / "site.toml")).up_to_date


def test_builds_without_search_leave_shards_to_catch_up_later(archive):
    site = archive / "site"
    before = shard_files(site)
    _append(archive, "report-0013", "A paragraph about monorails.")
    build(replace(load_config(archive / "site.toml"), search=False))  # newsarchive build --no-search
    assert "monorails" not in index_contents(site)["/articles/report-0013/"]["content"]
    build(load_config(archive / "site.toml"))
    assert "monorails" in index_contents(site)["/articles/report-0013/"]["content"]
    assert [s for s, files in shard_files(site).items() if files != before.get(s)] == [search.RECENT]


def test_an_archive_that_doubles_is_re_sharded_and_one_that_grows_less_keeps_its_shards(archive):
    site = archive / "site"

    def add(first: int, last: int) -> None:
        text = (archive / "content" / "report-0004.md").read_text("utf-8")
        for i in range(first, last + 1):
            (archive / "content" / f"report-{i:04d}.md").write_text(text.replace("report-0004", f"report-{i:04d}"))

    add(41, 60)  # 60 pages: 15 shards would do, 10 stay (no re-index of the whole archive)
    build(load_config(archive / "site.toml"))
    assert json.loads((site / search.FOLDER / search.MANIFEST).read_text())["count"] == 10
    add(61, 80)  # 80 pages: 20 shards of 4
    build(load_config(archive / "site.toml"))
    manifest = json.loads((site / search.FOLDER / search.MANIFEST).read_text())
    assert manifest["count"] == 20 and len(manifest["shards"]) > 10
    assert sorted(p.name for p in (site / search.FOLDER).iterdir() if p.is_dir()) == manifest["shards"]
    assert len(index_contents(site)) == 80  # every page once
    for slug in ("report-0005", "report-0006"):  # the next edits keep the new count and go to the overlay
        _append(archive, slug, "A paragraph about canals.")
        build(load_config(archive / "site.toml"))
    manifest = json.loads((site / search.FOLDER / search.MANIFEST).read_text())
    assert manifest["count"] == 20 and manifest["recent_pages"] == 2
    cold = archive / "cold"
    build(load_config(archive / "site.toml", out=str(cold / "site"), cache=str(cold / "cache")))
    assert index_contents(site) == index_contents(cold / "site")


def test_an_index_in_the_old_single_bundle_layout_is_replaced_whole(archive):
    site = archive / "site"
    (site / search.FOLDER / search.MANIFEST).unlink()  # as a build before sharding left it
    os.link(site / "robots.txt", site / search.FOLDER / "pagefind.js")
    _append(archive, "report-0015", "A paragraph about gondolas.")
    build(load_config(archive / "site.toml"))
    assert not (site / search.FOLDER / "pagefind.js").exists()
    assert len(index_contents(site)) == 40
    assert json.loads((site / search.FOLDER / search.MANIFEST).read_text())["format"] == search.FORMAT


def _words_indexed(site: Path) -> dict[str, tuple[set[str], set[str]]]:
    """shard -> (the words of its article pages, the words its vocabulary document lists)."""
    found = {}
    for shard in json.loads((site / search.FOLDER / search.MANIFEST).read_text())["shards"]:
        records = search.read_records(site / search.FOLDER / shard)
        pages = set().union(*(search.words_of((site / path).read_bytes()) for path in records))
        listed: set[str] = set()
        for fragment in (site / search.FOLDER / shard / "fragment").glob("*.pf_fragment"):
            record = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
            if record["url"].startswith("/" + search.VOCABULARY_PAGE.split("/")[0]):
                listed |= set(record["content"].removesuffix(".").split())  # Pagefind ends a block with "."
        found[shard] = (pages, listed)
    return found


def test_each_shard_lists_only_the_archive_words_its_pages_lack(archive):
    """Every shard knows every word of the archive (so it completes a query word as one index would),
    yet its vocabulary document adds only the words none of its pages holds: a smaller index."""
    found = _words_indexed(archive / "site")
    archive_words = set().union(*(pages for pages, _ in found.values()))
    assert len(found) > 6
    for shard, (pages, listed) in found.items():
        assert listed == archive_words - pages, shard
        assert listed  # 4 articles never hold all words of 40


def test_a_lost_vocabulary_file_gets_every_shard_indexed_again(archive, tmp_path):
    site = archive / "site"
    before = shard_files(site)
    (site / search.FOLDER / search.VOCABULARY).write_bytes(b"not gzip")
    _append(archive, "report-0017", "A paragraph about funiculars.")
    build(load_config(archive / "site.toml"))
    after = shard_files(site)
    assert all(before[shard] != after.get(shard) for shard in before if shard != search.RECENT)
    assert "funiculars" in index_contents(site)["/articles/report-0017/"]["content"]
    cold = tmp_path / "cold"
    build(load_config(archive / "site.toml", out=str(cold / "site"), cache=str(cold / "cache")))
    assert index_contents(site) == index_contents(cold / "site")
    assert _words_indexed(site) == _words_indexed(cold / "site")


def test_search_documents_written_by_forked_workers_index_as_in_one_process(archive, monkeypatch, tmp_path):
    """A large archive's search documents and words are made on every core; the index is the same."""
    monkeypatch.setattr(search, "fork_map", functools.partial(parallel.fork_map, least=2))
    forked = tmp_path / "forked"
    build(load_config(archive / "site.toml", out=str(forked / "site"), cache=str(forked / "cache")), workers=2)
    assert index_contents(forked / "site") == index_contents(archive / "site")
    assert _words_indexed(forked / "site") == _words_indexed(archive / "site")


def test_a_damaged_page_words_file_gets_every_shard_indexed_again(archive, tmp_path):
    """A shard's record of its pages' words read as none would leave words the archive lost in the
    counts the search page uses; a damaged one is no record: the index is built whole."""
    site = archive / "site"
    words = site / search.FOLDER / search.shard_of("articles/report-0017/index.html", 10) / search.PAGE_WORDS
    words.write_bytes(words.read_bytes()[:-6])  # in place: the spare tree's hard link is damaged too
    before = shard_files(site)
    _append(archive, "report-0017", "A paragraph about funiculars.")
    build(load_config(archive / "site.toml"))
    after = shard_files(site)
    assert all(before[shard] != after.get(shard) for shard in before if shard != search.RECENT)
    cold = tmp_path / "cold"
    build(load_config(archive / "site.toml", out=str(cold / "site"), cache=str(cold / "cache")))
    assert index_contents(site) == index_contents(cold / "site")
    assert _words_indexed(site) == _words_indexed(cold / "site")
