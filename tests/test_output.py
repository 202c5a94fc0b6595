"""Publishing: staged files land at their paths, or nothing is published."""

from __future__ import annotations

import shutil

import pytest

from builder.errors import ContentError
from builder.output import Staging
from conftest import file_tree

FILES = {"index.html": b"home", "articles/a/index.html": b"a", "topics/x/page/2/index.html": b"x2"}


def _publish(out, files: dict[str, bytes], before_commit=lambda: None) -> Staging:
    staging = Staging(out)
    for name, data in files.items():
        staging.put(name, data)
    before_commit()
    assert staging.changed()
    staging.commit()
    return staging


def test_later_builds_publish_changed_files_at_their_paths_and_leave_no_staging_behind(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    report = _publish(out, {**FILES, "articles/a/index.html": b"a, edited", "articles/b/index.html": b"b"}).report
    assert file_tree(out) == {**FILES, "articles/a/index.html": b"a, edited", "articles/b/index.html": b"b"}
    assert sorted(report.written) == ["articles/a/index.html", "articles/b/index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_output_folder_deleted_during_the_build_is_reported_and_the_next_build_writes_it_whole(tmp_path):
    out = tmp_path / "site"
    _publish(out, FILES)
    with pytest.raises(ContentError, match="the output folder was deleted while the site was being built"):
        _publish(out, {**FILES, "index.html": b"home, new"}, before_commit=lambda: shutil.rmtree(out))
    _publish(out, {**FILES, "index.html": b"home, new"})
    assert file_tree(out) == {**FILES, "index.html": b"home, new"}
