"""Staging and publishing: a publish is the old tree or the new one, and only the build's files change."""

from __future__ import annotations

import shutil

import pytest
from conftest import file_tree

from builder.errors import ContentError
from builder.output import Staging
from builder.publish import OutputFolder, exchange

FILES = {"index.html": b"home", "articles/a/index.html": b"a", "topics/x/page/2/index.html": b"x2"}


def _publish(out, files: dict[str, bytes], before_publish=lambda folder: None, force=False) -> Staging:
    """One build's publishing step, as build.py does it (no search)."""
    folder = OutputFolder(out, force=force)
    with folder.locked():
        previous = _published(folder)
        staging = Staging(out, folder.home / ("stage" if previous is not None else "new"), previous)
        for name, data in files.items():
            staging.put(name, data)
        record = folder.new_record()
        (record / "files").write_text("\n".join(files))
        before_publish(folder)
        if staging.changed():
            folder.publish(staging.written(), staging.report.removed, record, None)
        else:
            folder.keep_record(record)
        staging.discard()
    return staging


def _published(folder: OutputFolder) -> set[str] | None:
    return set((folder.record_dir / "files").read_text().split("\n")) if folder.trusted else None


def test_later_builds_publish_changed_files_and_keep_a_spare_tree_of_the_previous_site(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    new = {**FILES, "articles/a/index.html": b"a, edited", "articles/b/index.html": b"b"}
    del new["topics/x/page/2/index.html"]
    report = _publish(out, new).report
    assert file_tree(out) == new
    assert sorted(report.written) == ["articles/a/index.html", "articles/b/index.html"]
    assert report.removed == ["topics/x/page/2/index.html"]
    assert file_tree(tmp_path / ".site.build" / "spare") == FILES  # the previous site, for the next swap
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.build", "site"]
    # a third build starts from the spare tree and brings it level first
    third = {**new, "index.html": b"home 3"}
    _publish(out, third)
    assert file_tree(out) == third
    assert file_tree(tmp_path / ".site.build" / "spare") == new


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    before = (out / "articles/a/index.html").stat()
    _publish(out, {**FILES, "index.html": b"home, edited"})
    after = (out / "articles/a/index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_output_folder_deleted_during_the_build_is_reported_and_the_next_build_writes_it_whole(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    with pytest.raises(ContentError, match="the output folder was deleted while the site was being built"):
        _publish(out, {**FILES, "index.html": b"home, new"}, before_publish=lambda folder: shutil.rmtree(out))
    _publish(out, {**FILES, "index.html": b"home, new"})
    assert file_tree(out) == {**FILES, "index.html": b"home, new"}


def test_a_folder_of_someone_else_is_refused_and_with_force_its_files_are_kept(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "README.md").write_text("mine")
    (out / "index.html").write_text("old home")
    with pytest.raises(ContentError, match="holds files newsarchive did not write"):
        _publish(out, FILES)
    assert file_tree(out) == {"README.md": b"mine", "index.html": b"old home"}
    _publish(out, FILES, force=True)
    assert file_tree(out) == {**FILES, "README.md": b"mine"}
    _publish(out, {**FILES, "index.html": b"home 2"})  # adopted: later builds need no --force
    assert file_tree(out) == {**FILES, "index.html": b"home 2", "README.md": b"mine"}


def test_a_file_added_by_hand_at_the_top_of_the_site_stops_the_build_instead_of_vanishing(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    (out / "google123.html").write_text("verification")
    with pytest.raises(ContentError, match="changed by hand"):
        _publish(out, {**FILES, "index.html": b"home 2"})
    assert (out / "google123.html").read_text() == "verification"


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "f").write_text("a")
    (tmp_path / "b" / "f").write_text("b")
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b" and (tmp_path / "b" / "f").read_text() == "a"
