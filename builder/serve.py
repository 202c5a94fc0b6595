"""`newsarchive serve`: build, serve the site on localhost, rebuild and reload on every change.

The preview is built into a folder of its own (`.cache/serve/site`) with its own build state
and cache, with the preview's address as base URL: the deployable `site/` is never touched.
Rebuilds are incremental; a failed rebuild prints its errors and the last good site stays served.
A rebuild publishes the changed pages without waiting for search: a background thread then
indexes the shards they belong to, while the server keeps answering, and the search page says
that search is catching up until it has. The sources are watched with watchfiles (the system's
file events), and a rebuild runs in the watcher's thread, off the server's loop: at 50,000
articles livereload's own watcher stats every file every 0.8 s and rebuilds inside the loop, so
the server stops answering.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace

import watchfiles
from livereload import Server
from livereload.handlers import StaticFileHandler
from tornado.ioloop import IOLoop
from tornado.web import HTTPError

from builder import search
from builder.build import BuildFailed, build, catch_up_search
from builder.config import Config
from builder.errors import ContentError

WATCHED = ("seeds", "content", "data", "templates", "static")


class _SiteFiles(StaticFileHandler):
    """livereload's file handler, answering 400 (not 500) to a NUL byte in the path."""

    def validate_absolute_path(self, root: str, absolute_path: str):
        if "\0" in absolute_path:
            raise HTTPError(400)
        return super().validate_absolute_path(root, absolute_path)


def _ignored(path: str) -> bool:
    """Files the build itself writes, editor swap files and hidden files."""
    name = path.rsplit("/", 1)[-1]
    return name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))


class Watcher:
    """livereload's watcher, by watchfiles (the system's file events, on every platform): a change
    under a watched folder, or to a watched file, runs `on_change` in a watcher thread, off the
    server's loop, then livereload reloads the browsers. Changes that come within QUIET_MS of each
    other are one rebuild (an editor's save, a `git checkout`)."""

    QUIET_MS = 50

    def __init__(self, on_change):
        self.on_change = on_change
        self.folders: list[str] = []
        self.files: set[str] = set()  # watched by their folder, so a save by rename counts
        self.one_at_a_time = threading.Lock()
        self._tasks: dict[str, None] = {}  # livereload's: what is watched
        self._changes: list[tuple[str, float | None]] = []  # livereload's: (path, delay) to reload browsers for
        self.filepath: str | None = None

    def watch(self, path: str, func=None, delay=None, ignore=None) -> None:
        """Watch a folder with its subfolders, or one file."""
        self._tasks[path] = None
        path = os.path.abspath(path)
        (self.folders.append if os.path.isdir(path) else self.files.add)(path)

    def start(self, callback) -> bool:
        """Called by livereload in the server's loop: watch in threads; True, livereload need not poll."""
        loop = IOLoop.current()
        parents = sorted({os.path.dirname(file) for file in self.files})
        for paths, recursive in ((self.folders, True), (parents, False)):
            if paths:
                args = (paths, recursive, loop, callback)
                threading.Thread(target=self._run, args=args, name="watcher", daemon=True).start()
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """livereload asks what changed since it last asked (a path, and a delay before reloading)."""
        changes, self._changes = self._changes, []
        if changes:
            self.filepath = changes[-1][0]
            return changes[-1]
        return None, None

    def _wanted(self, _change, path: str) -> bool:
        """A source file: a watched file, or one under a watched folder that is not hidden or a swap file."""
        if path in self.files:
            return True
        folder = next((f for f in self.folders if path.startswith(f + os.sep)), None)
        return folder is not None and not any(_ignored(part) for part in path[len(folder) + 1 :].split(os.sep))

    def _run(self, paths: list[str], recursive: bool, loop: IOLoop, callback) -> None:
        for changes in watchfiles.watch(
            *paths, watch_filter=self._wanted, step=self.QUIET_MS, recursive=recursive, raise_interrupt=False
        ):
            with self.one_at_a_time:
                try:
                    self.on_change()
                except Exception:  # a bug in one rebuild is logged, as livereload's loop logs it; watching goes on
                    logging.getLogger("livereload").exception("the rebuild failed")
            self._changes.append((min(path for _, path in changes), None))
            loop.add_callback(callback)


class SearchCatchUp:
    """A thread that brings the search index level with the pages after each rebuild."""

    def __init__(self, make_config, console):
        self.make_config, self.console = make_config, console
        self.wanted = threading.Event()  # a rebuild left shards lagging
        self.cancel = threading.Event()  # a rebuild needs the output folder: stop indexing now
        threading.Thread(target=self._run, name="search-catch-up", daemon=True).start()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            start = time.perf_counter()
            try:
                if catch_up_search(self.make_config(), self.cancel):
                    self.console.info(f"search index caught up in {time.perf_counter() - start:.2f}s")
            except search.Cancelled:
                pass  # the rebuild that cancelled asks again when it is done
            except (ContentError, OSError) as error:
                self.console.error(error)
                self.console.error("search may miss the latest edits; save again to retry")


def rebuild(make_config, console, catch_up: SearchCatchUp | None = None) -> bool:
    """One build with freshly read settings; errors are printed, never raised.

    With `catch_up`, pages are published first and the search index follows in its thread.
    """
    start = time.perf_counter()
    if catch_up:
        catch_up.cancel.set()  # a running index would hold the output folder: it starts again after
    try:
        report = build(make_config(), defer_search=catch_up is not None)
    except BuildFailed as failed:
        for error in failed.errors:
            console.error(error)
    except ContentError as error:
        console.error(error)
    else:
        written = len(report.write.written) if report.write else 0
        console.info(f"rebuilt in {time.perf_counter() - start:.2f}s: {written} file(s) changed")
        return True
    finally:
        if catch_up:
            catch_up.cancel.clear()
            catch_up.wanted.set()
    console.error("the last good site is still being served; save a fix to rebuild")
    return False


def serve(make_config, host: str, port: int, console) -> int:
    """Serve the output folder with live reload until interrupted; `make_config` re-reads settings."""

    def preview_config() -> Config:
        # Links in the preview must work at the preview's own root, whatever base_url says.
        config = make_config()
        preview = config.path("cache") / "serve"
        return replace(config, base_url=f"http://{host}:{port}/", out=str(preview / "site"), cache=str(preview))

    config = preview_config()
    rebuild(preview_config, console)  # the first build indexes every shard before serving
    catch_up = SearchCatchUp(preview_config, console)
    config.path("out").mkdir(parents=True, exist_ok=True)

    def changed() -> None:
        rebuild(preview_config, console, catch_up)

    server = Server(watcher=Watcher(changed))
    server.SFH = _SiteFiles
    for name in WATCHED:
        folder = config.path(name)
        if folder.exists():
            server.watch(str(folder), changed, ignore=_ignored)
    settings = config.root / "site.toml"
    if settings.exists():
        server.watch(str(settings), changed)
    console.info(f"serving {config.path('out')} at http://{host}:{port}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, root=str(config.path("out")))
    return 0
