"""The build owns only what it wrote, publishes all or nothing, one build at a time, through the CLI."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project, file_tree, generated_project, run_cli

from builder import search

SOURCES = ("content", "seeds", "templates", "static", "data", "site.toml")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in file_tree(root).items() if k.split("/")[0] in SOURCES + (".git",)}


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """The project as a fresh clone: sources, content ingested, a .git folder, no site and no cache."""
    root = copy_project(tmp_path / "clone")
    run_cli("ingest", cwd=root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.mark.parametrize("out", [".", "content", "seeds", "templates", "..", "content/site", "static/site"])
def test_an_output_folder_that_is_or_holds_or_sits_in_the_sources_is_refused_and_nothing_is_deleted(fresh_clone, out):
    before = _snapshot(fresh_clone)
    result = run_cli("build", "--no-search", "--out", out, cwd=fresh_clone, check=False)
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(fresh_clone) == before


def test_a_folder_with_files_of_its_own_is_refused_and_force_keeps_those_files(fresh_clone):
    docs = fresh_clone / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("the team's notes")
    result = run_cli("build", "--no-search", "--out", "docs", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "holds files newsarchive did not write" in result.stderr
    assert "--force" in result.stderr
    assert file_tree(docs) == {"guide.md": b"the team's notes"}
    run_cli("build", "--no-search", "--out", "docs", "--force", cwd=fresh_clone)
    assert (docs / "guide.md").read_text() == "the team's notes" and (docs / "index.html").is_file()
    run_cli("clean", "--out", "docs", cwd=fresh_clone)
    assert file_tree(docs) == {"guide.md": b"the team's notes"}  # clean removes only what the build wrote
    assert not (fresh_clone / ".docs.build").exists()


def test_a_folder_inside_another_builds_output_folder_is_refused(fresh_clone):
    run_cli("build", "--no-search", cwd=fresh_clone)
    before = file_tree(fresh_clone / "site")
    result = run_cli("build", "--no-search", "--out", "site/articles/mirror", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "the output folder of another build" in result.stderr
    assert file_tree(fresh_clone / "site") == before


def test_a_site_link_to_a_shared_folder_with_files_is_never_wiped(fresh_clone, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    (fresh_clone / "site").symlink_to(shared)
    result = run_cli("build", "--no-search", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "did not write" in result.stderr
    assert file_tree(shared) == {"photo.jpg": b"\xff\xd8 a photo"}


def test_a_site_or_cache_that_is_a_file_is_a_clear_error(fresh_clone):
    (fresh_clone / "site").write_text("not a folder")
    result = run_cli("build", "--no-search", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr
    (fresh_clone / "site").unlink()
    shutil.rmtree(fresh_clone / ".cache", ignore_errors=True)  # where that build's ingest kept its memo
    (fresh_clone / ".cache").write_text("not a folder")
    result = run_cli("build", "--no-search", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_empty_folder_gets_the_whole_site_and_building_back_publishes_the_edits_made_meanwhile(
    fresh_clone, tmp_path
):
    run_cli("build", "--no-search", cwd=fresh_clone)
    site = file_tree(fresh_clone / "site")
    other = tmp_path / "other"
    other.mkdir()
    run_cli("build", "--no-search", "--out", str(other), cwd=fresh_clone)
    assert file_tree(other) == site
    story = sorted((fresh_clone / "content").glob("*.md"))[0]
    story.write_text(story.read_text().replace("\n---\n", "\n---\nA correction from the editor.\n\n", 1))
    run_cli("build", "--no-search", "--out", str(other), cwd=fresh_clone)
    run_cli("build", "--no-search", cwd=fresh_clone)
    assert file_tree(fresh_clone / "site") == file_tree(other)
    assert any(b"A correction from the editor." in data for data in file_tree(fresh_clone / "site").values())


def test_a_file_added_to_the_site_by_hand_is_never_dropped_silently(fresh_clone):
    run_cli("build", "--no-search", cwd=fresh_clone)
    assert "not the site the last build published" not in run_cli("check", cwd=fresh_clone).stderr
    (fresh_clone / "site" / "googleabc.html").write_text("verification")
    assert "not the site the last build published" in run_cli("check", cwd=fresh_clone, check=False).stderr
    result = run_cli("build", "--no-search", cwd=fresh_clone, check=False)
    assert result.returncode == 1 and "changed by hand" in result.stderr and "static/" in result.stderr
    assert (fresh_clone / "site" / "googleabc.html").read_text() == "verification"


# --- faults: kills at random moments, builds at the same time ----------------------------------


def _start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--quiet", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _pages(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The site without Pagefind's own files (not reproducible upstream)."""
    return {k: v for k, v in tree.items() if not k.startswith("pagefind/")}


def _indexed_pages(site: Path) -> int:
    """The article pages the search page can find: every bundle's pages but its vocabulary documents
    and the shards' entries the overlay supersedes."""
    count = 0
    for bundle in (site / "pagefind").glob("*/"):
        fragments = {f.name.removesuffix(".pf_fragment") for f in (bundle / "fragment").glob("*.pf_fragment")}
        records = search.read_records(bundle)
        count += len(fragments & {page_id for page_id, _ in records.values()})
    manifest = json.loads((site / "pagefind" / search.MANIFEST).read_text())
    return count - len(manifest["superseded"])


EXTRA = "---\ntitle: One more story\ndate: 2024-07-02\ntopics: [Cybersecurity]\ncompanies: [Nvidia]\n---\nIt adds up.\n"


def _extra(root: Path, present: bool) -> None:
    """Add or remove the 301st article."""
    path = root / "content" / "extra.md"
    path.write_text(EXTRA) if present else path.unlink()


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """The sites of a 300- and a 301-article archive, each built cold with search."""
    trees = {}
    for count in (300, 301):
        root = generated_project(tmp_path_factory.mktemp("reference") / "project", 300)
        if count == 301:
            _extra(root, True)
        run_cli("build", cwd=root)
        trees[count] = _pages(file_tree(root / "site"))
    return trees


@pytest.mark.slow
@pytest.mark.parametrize("search", [True, False])
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_and_the_next_build_finishes(
    references, tmp_path, search
):
    flags = () if search else ("--no-search",)
    root = generated_project(tmp_path / "project", 300)
    run_cli("build", *flags, cwd=root)
    took = []
    for present in (True, False):  # how long one such build takes here, to spread the kills over it
        _extra(root, present)
        start = time.perf_counter()
        run_cli("build", *flags, cwd=root)
        took.append(time.perf_counter() - start)
    rng = random.Random(7)
    count = 300
    for attempt in range(8):  # add the 301st article, remove it again, …: each build killed once
        old, count = count, 601 - count
        _extra(root, count == 301)
        process = _start(root, *flags)
        time.sleep(rng.uniform(0.05, max(took)))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        site = _pages(file_tree(root / "site"))
        assert site in (references[old], references[count]), f"attempt {attempt}: a mix of two sites"
        if search:  # the index describes the pages beside it
            assert _indexed_pages(root / "site") == (301 if site == references[301] else 300)
        run_cli("build", *flags, cwd=root)
        finished = _pages(file_tree(root / "site"))
        assert finished == references[count], (
            f"attempt {attempt}: {sorted(k for k in finished if references[count].get(k) != finished[k])[:5]}"
        )
        if search:
            assert _indexed_pages(root / "site") == count
        assert "nothing changed" in run_cli("build", *flags, cwd=root).stdout


@pytest.mark.slow
def test_two_builds_at_once_both_finish_and_leave_a_complete_site(tmp_path):
    root = generated_project(tmp_path / "project", 200)
    reference = generated_project(tmp_path / "reference", 200)
    run_cli("build", "--no-search", cwd=reference)
    first, second = _start(root, "--no-search"), _start(root, "--no-search")
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert file_tree(root / "site") == file_tree(reference / "site")
    assert "nothing changed" in run_cli("build", "--no-search", cwd=root).stdout


def test_a_terminated_build_says_truthfully_whether_the_site_changed(tmp_path):
    root = generated_project(tmp_path / "project", 300)
    run_cli("build", "--no-search", cwd=root)
    old = file_tree(root / "site")
    _extra(root, True)
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--no-search"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:  # the phases, one per line when not on a terminal
        if "render" in line:
            break
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:  # it finished before the signal came
        return
    assert process.returncode == 130 and "Traceback" not in err
    if "the site was not changed" in err:
        assert file_tree(root / "site") == old
    else:
        assert "published, complete" in err and file_tree(root / "site") != old
