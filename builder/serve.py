"""`newsarchive serve`: build, serve the site on localhost, rebuild and reload on every change.

The preview is built into a folder of its own (`.cache/serve/site`) with its own build state
and cache, with the preview's address as base URL: the deployable `site/` is never touched.
Rebuilds are incremental; a failed rebuild prints its errors and the last good site stays served.
"""

from __future__ import annotations

import time
from dataclasses import replace

from livereload import Server
from livereload.handlers import StaticFileHandler
from tornado.web import HTTPError

from builder.build import BuildFailed, build
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


def rebuild(make_config, console) -> bool:
    """One build with freshly read settings; errors are printed, never raised."""
    start = time.perf_counter()
    try:
        report = build(make_config())
    except BuildFailed as failed:
        for error in failed.errors:
            console.error(error)
    except ContentError as error:
        console.error(error)
    else:
        written = len(report.write.written) if report.write else 0
        console.info(f"rebuilt in {time.perf_counter() - start:.2f}s: {written} file(s) changed")
        return True
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
    rebuild(preview_config, console)
    config.path("out").mkdir(parents=True, exist_ok=True)
    server = Server()
    server.SFH = _SiteFiles
    for name in WATCHED:
        folder = config.path(name)
        if folder.exists():
            server.watch(str(folder), lambda: rebuild(preview_config, console), ignore=_ignored)
    settings = config.root / "site.toml"
    if settings.exists():
        server.watch(str(settings), lambda: rebuild(preview_config, console))
    console.info(f"serving {config.path('out')} at http://{host}:{port}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, root=str(config.path("out")))
    return 0
