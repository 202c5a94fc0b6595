"""`newsarchive serve`: changes seen by the system's file events, rebuilt off the server's loop."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest
from conftest import generated_project, start_serve

from builder.serve import Watcher


def _get(url: str) -> tuple[str, float]:
    """The page's text and how long the server took to answer."""
    asked = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode(), time.perf_counter() - asked


def _wait_for(url: str, text: str, seconds: float) -> list[float]:
    """Ask for `url` until it shows `text`; the answer times meanwhile."""
    answers, start = [], time.perf_counter()
    while True:
        try:
            page, took = _get(url)
        except OSError:
            page, took = "", 0.0
        answers.append(took)
        if text in page:
            return answers
        assert time.perf_counter() - start < seconds, f"{text!r} did not show within {seconds} s"
        time.sleep(0.02)


@pytest.fixture
def serving(tmp_path):
    root = generated_project(tmp_path / "project", 1500, per_page=10)
    server, port = start_serve(root)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base, "</html>", 300)
        yield root, base
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_server_keeps_answering_while_a_change_to_every_page_rebuilds(serving):
    root, base = serving
    template = root / "templates" / "base.html"
    template.write_text(template.read_text().replace("</footer>", "<p>Footer edited.</p></footer>", 1))
    started = time.perf_counter()
    answers = _wait_for(base + "articles/report-0003/", "Footer edited.", 120)
    rebuilt = time.perf_counter() - started
    assert rebuilt > 0.5  # every page rendered again meanwhile, so the answers below overlapped the rebuild
    assert max(answers) < 0.5, f"slowest answer {max(answers):.2f} s while the site rebuilt in {rebuilt:.2f} s"


def test_a_save_by_rename_a_new_file_and_a_file_in_a_new_folder_are_each_rebuilt(serving):
    root, base = serving
    story = root / "content" / "report-0005.md"
    swap = root / "content" / ".report-0005.md.tmp"  # as editors save: a hidden file, renamed over the old one
    swap.write_text(story.read_text() + "\nSaved by rename.\n")
    swap.replace(story)
    _wait_for(base + "articles/report-0005/", "Saved by rename.", 30)
    added = root / "content" / "a-new-story.md"
    added.write_text("---\ntitle: A new story\ndate: 2024-05-01\n---\nJust written.\n")
    _wait_for(base + "articles/a-new-story/", "Just written.", 30)
    folder = root / "static" / "extra"  # a folder made after serve started: its files are watched too
    folder.mkdir()
    time.sleep(0.5)
    (folder / "note.txt").write_text("Noted.")
    _wait_for(base + "static/extra/note.txt", "Noted.", 30)


def test_a_rebuild_that_fails_unexpectedly_does_not_stop_the_watching(tmp_path):
    # the first rebuild meets a bug; the next save is still seen and rebuilt
    calls = []

    def on_change():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("a bug in one rebuild")

    class Loop:
        def add_callback(self, callback):
            callback()

    watcher = Watcher(on_change)
    watcher.watch(str(tmp_path))
    threading.Thread(target=watcher._run, args=([str(tmp_path)], True, Loop(), lambda: None), daemon=True).start()
    time.sleep(0.5)
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(name)
        deadline = time.perf_counter() + 10
        while len(calls) < (1 if name == "one.md" else 2):
            assert time.perf_counter() < deadline, f"the save of {name} was not rebuilt"
            time.sleep(0.05)
        time.sleep(0.3)
    assert calls == [0, 1]
