"""The build cache's body store: rendered bodies outlive the build that rendered them."""

from __future__ import annotations

import shutil

import pytest

from builder import markup
from builder.build import build
from builder.cache import BODIES_FILE, BodyStore
from builder.config import load_config
from builder.parallel import fork_map
from conftest import file_tree, generated_project


def test_bodies_stored_by_workers_are_read_by_the_main_process_and_by_workers(tmp_path):
    store = BodyStore(tmp_path, "v1")
    pairs = [(f"digest-{i}", f"<p>body {i}</p>") for i in range(40)]
    fork_map(lambda chunk: store.put(chunk) or [None] * len(chunk), pairs, workers=2, least=1)
    assert [store.get(digest) for digest, _ in pairs] == [html for _, html in pairs]
    store.close()
    read = fork_map(lambda chunk: [store.get(digest) for digest, _ in chunk], pairs, workers=2, least=1)
    assert read == [html for _, html in pairs]
    assert store.get("never-stored") is None


def test_a_new_code_version_starts_from_an_empty_store(tmp_path):
    BodyStore(tmp_path, "v1").put([("d", "<p>old</p>")])
    assert BodyStore(tmp_path, "v1").get("d") == "<p>old</p>"
    assert BodyStore(tmp_path, "v2").get("d") is None


def test_a_damaged_store_is_replaced(tmp_path):
    (tmp_path / BODIES_FILE).write_bytes(b"not a database" * 100)
    store = BodyStore(tmp_path, "v1")
    assert store.get("d") is None
    store.put([("d", "<p>new</p>")])
    assert store.get("d") == "<p>new</p>"


def test_bodies_of_files_that_are_gone_are_forgotten(tmp_path):
    store = BodyStore(tmp_path, "v1")
    store.put([("kept", "<p>1</p>"), ("gone", "<p>2</p>")])
    store.keep_only({"kept"})
    assert (store.get("kept"), store.get("gone")) == ("<p>1</p>", None)


@pytest.fixture
def archive(tmp_path):
    root = generated_project(tmp_path / "project", 30)
    return load_config(root / "site.toml", search=False)


def test_a_template_change_reuses_every_rendered_body(archive, monkeypatch):
    build(archive, workers=1)
    base = archive.path("templates") / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- new footer -->\n</body>"))

    def no_markdown(*args):
        raise AssertionError("Markdown was rendered again")

    monkeypatch.setattr(markup._MD, "render", no_markdown)
    report = build(archive, workers=1)
    assert report.rendered == report.pages
    cached = file_tree(archive.path("out"))
    assert all("<!-- new footer -->" in html.decode() for name, html in cached.items() if name.endswith(".html"))
    monkeypatch.undo()
    shutil.rmtree(archive.path("out"))
    shutil.rmtree(archive.path("cache"))
    build(archive, workers=1)
    assert file_tree(archive.path("out")) == cached
