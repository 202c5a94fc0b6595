"""The build cache: rendered bodies outlive the build that rendered them; damage costs time only."""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import pickle
import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import file_tree, generated_project, run_cli

from builder import markup
from builder.build import build
from builder.cache import BODIES_FILE, CACHE_FILE, BodyStore, BuildCache, code_version
from builder.check import check_build_state
from builder.config import load_config
from builder.errors import ContentError
from builder.parallel import fork_map


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


# --- a damaged or planted cache is a slower build, never a wrong page, a traceback or code run ---


def _cache_folder(config) -> Path:
    """Where the last build saved its cache (wherever the build keeps its state)."""
    return max(config.root.rglob(CACHE_FILE), key=lambda p: p.stat().st_mtime_ns).parent


def _cold_tree(config) -> dict[str, bytes]:
    """The site a build without any cache makes of the same inputs."""
    cold = replace(config, out=str(config.root / "cold-site"), cache=str(config.root / "cold-cache"))
    build(cold, workers=1)
    return file_tree(cold.path("out"))


def test_the_build_cache_survives_a_json_round_trip_exactly(archive):
    build(archive, workers=1)
    version = code_version()
    saved = BuildCache.load(_cache_folder(archive), version)
    assert saved.articles and saved.outputs and saved.related[0]
    saved.save(archive.root / "tmp-cache")
    again = BuildCache.load(archive.root / "tmp-cache", version)
    assert again == saved  # tuples stay tuples: a list would never equal a fresh relation key
    path, (key, row) = next(iter(again.articles.items()))
    assert type(key) is tuple and type(row) is tuple and type(row[5]) is tuple
    assert all(type(order) is tuple for order in again.related[0].values())


@pytest.mark.parametrize("damage", ["flip", "truncate", "wrong types", "planted pickle"])
def test_a_damaged_build_cache_gives_a_full_correct_build_and_says_why_at_verbose(archive, damage, caplog):
    build(archive, workers=1)
    cache_dir = _cache_folder(archive)
    cache_file = cache_dir / CACHE_FILE
    data = cache_file.read_bytes()
    if damage == "flip":
        data = data.replace(b"report-0001", b"report-0002", 1)
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "wrong types":  # a valid checksum over values of the wrong kind
        header, payload = data.split(b"\n", 1)
        values = json.loads(payload)
        for _, row in values["articles"].values():
            row[2] = "2024-01-01"  # a date as text where the build keeps a day number
        payload = json.dumps(values).encode()
        data = header[:-64] + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    else:  # what a cache restored by CI could hold: unpickling it runs a command
        marker = archive.root / "pwned"
        exploit = pickle.dumps(_Exploit(f"touch {marker}"))
        for name in ("build.pickle", CACHE_FILE):
            (cache_dir / name).write_bytes(exploit)
    if damage != "planted pickle":
        cache_file.write_bytes(data)
    story = archive.path("content") / "report-0001.md"
    story.write_text(story.read_text().replace("declined to comment", "refused to comment"))
    with caplog.at_level(logging.DEBUG, logger="builder"):
        build(archive, workers=1)
    assert not (archive.root / "pwned").exists()
    assert file_tree(archive.path("out")) == _cold_tree(archive)
    assert any("build cache" in r.getMessage() and "building without it" in r.getMessage() for r in caplog.records)


def test_with_a_damaged_cache_a_deleted_article_s_pages_still_go(archive):
    build(archive, workers=1)
    (_cache_folder(archive) / CACHE_FILE).write_bytes(b"damaged")
    (archive.path("content") / "report-0005.md").unlink()
    build(archive, workers=1)
    site = archive.path("out")
    assert not (site / "articles" / "report-0005").exists()
    assert file_tree(site) == _cold_tree(archive)


class _Exploit:
    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_a_damaged_stored_body_is_rendered_again_not_published(archive):
    build(archive, workers=1)
    store = sqlite3.connect(archive.path("cache") / BODIES_FILE)
    with store:  # a few damaged bytes in every stored body
        store.execute("UPDATE html SET html = replace(html, 'declined', 'decl!ned')")
    store.close()
    base = archive.path("templates") / "base.html"  # every page renders again, from stored bodies
    base.write_text(base.read_text().replace("</body>", "<!-- new footer -->\n</body>"))
    build(archive, workers=1)
    page = (archive.path("out") / "articles" / "report-0001" / "index.html").read_text()
    assert "declined to comment" in page and "decl!ned" not in page


def test_check_reports_damaged_stored_bodies(archive):
    build(archive, workers=1)
    assert check_build_state(archive) == []
    with closing(sqlite3.connect(archive.path("cache") / BODIES_FILE)) as store, store:
        store.execute("UPDATE html SET html = replace(html, 'declined', 'decl!ned') WHERE rowid <= 2")
    assert any("2 stored article bodies fail their checksum" in w for w in check_build_state(archive))


def test_a_busy_store_is_skipped_not_emptied_and_says_so_at_verbose(tmp_path, monkeypatch, caplog):
    BodyStore(tmp_path, "v1").put([("d", "<p>kept</p>")])
    monkeypatch.setattr(BodyStore, "TIMEOUT", 0.1, raising=False)
    holder = sqlite3.connect(tmp_path / BODIES_FILE, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # another build holds the store
    with caplog.at_level(logging.DEBUG, logger="builder"):
        busy = BodyStore(tmp_path, "v2")  # would empty it for another code version, if it could
    assert any("locked" in r.getMessage() and "rendered again" in r.getMessage() for r in caplog.records)
    assert busy.get("d") is None
    holder.execute("ROLLBACK")
    holder.close()
    assert BodyStore(tmp_path, "v1").get("d") == "<p>kept</p>"


def test_a_cache_folder_that_is_a_file_is_a_clear_error(make_site):
    root, _ = make_site({"content/story.md": "---\ntitle: Story\n---\nText.\n"})
    shutil.rmtree(root / ".cache")
    (root / ".cache").write_text("not a folder")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ".cache" in result.stderr and "is a file" in result.stderr and "hint" in result.stderr


def test_a_file_name_that_is_not_utf8_survives_the_cache(tmp_path):
    row = ("s", "T", 0, 0, "", (), (), (), (), None, (), (), "d")
    cache = BuildCache("v", articles={"/c/caf\udce9.md": ((1, 2, 3, 4), row)})
    cache.save(tmp_path)
    assert BuildCache.load(tmp_path, "v") == cache


def test_a_cache_file_that_cannot_be_replaced_is_a_clear_error(tmp_path):
    (tmp_path / "build.json").mkdir()  # a folder where the cache file goes
    with pytest.raises(ContentError, match="cannot write the build cache"):
        BuildCache("v").save(tmp_path)
    assert BuildCache.load(tmp_path, "v") == BuildCache("v")


def test_a_planted_template_bytecode_file_never_runs(make_site):
    """Compiled templates are not read from the cache: a file planted where Jinja's bytecode
    cache looked (marshal'd code, valid for the current templates) is never run."""
    from jinja2.bccache import bc_magic

    root, _ = make_site({"content/story.md": "---\ntitle: Story\n---\nText.\n"})
    base = root / "templates" / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- edited -->\n</body>"))  # every page renders
    marker, folder = root / "pwned", (root / "templates").resolve()
    planted = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "planted", "exec"))
    (root / ".cache" / "jinja").mkdir(exist_ok=True)
    for template in folder.rglob("*.html"):
        name = template.relative_to(folder).as_posix()
        key = hashlib.sha1(f"{name}|{folder}/{name}".encode()).hexdigest()
        checksum = hashlib.sha1(template.read_text().encode()).hexdigest()
        bytecode = bc_magic + pickle.dumps(checksum, 2) + planted
        (root / ".cache" / "jinja" / f"__jinja2_{key}.cache").write_bytes(bytecode)
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert not marker.exists()
    assert result.returncode == 0 and "<!-- edited -->" in (root / "site" / "index.html").read_text()
