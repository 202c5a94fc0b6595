"""`newsarchive serve`: build, serve the site on localhost, rebuild and reload on every change."""

from __future__ import annotations

import time
from dataclasses import replace

from livereload import Server

from builder.build import BuildFailed, build
from builder.config import Config
from builder.errors import ContentError

WATCHED = ("seeds", "content", "data", "templates", "static")


def rebuild(config: Config, console) -> bool:
    """One build; errors are printed and the last good site keeps being served."""
    start = time.perf_counter()
    try:
        report = build(config)
    except BuildFailed as failed:
        for error in failed.errors:
            console.error(error)
        console.error("the last good site is still being served; save a fix to rebuild")
        return False
    except ContentError as error:
        console.error(error)
        console.error("the last good site is still being served; save a fix to rebuild")
        return False
    written = len(report.write.written) if report.write else 0
    console.info(f"rebuilt in {time.perf_counter() - start:.2f}s: {written} file(s) changed")
    return True


def serve(config: Config, host: str, port: int, console) -> int:
    """Serve `config.out` with live reload until interrupted."""
    # Links in the preview must work at the preview's own root, whatever base_url says.
    config = replace(config, base_url=f"http://{host}:{port}/")
    rebuild(config, console)
    server = Server()
    for name in WATCHED:
        folder = config.path(name)
        if folder.exists():
            server.watch(str(folder), lambda: rebuild(config, console), delay=0.2,
                         ignore=lambda path: ".ingest.json" in path or "/." in path)
    config_file = config.root / "site.toml"
    if config_file.exists():
        server.watch(str(config_file), lambda: rebuild(config, console))
    console.info(f"serving {config.path('out')} at http://{host}:{port}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, root=str(config.path("out")), open_url=False)
    return 0
