"""A site folder served at /REPO/ as GitHub Pages serves a project site, and Debian's chromium.

Shared by the browser tests and scripts/screenshots.py.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "/REPO/"
CHROMIUM = "/usr/bin/chromium"
# Headless flags that keep Chromium off the (closed) network and quiet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """The site folder at PREFIX and nothing elsewhere; missing pages get the site's 404.html."""

    def translate_path(self, path):
        route = urlsplit(path).path
        if not route.startswith(PREFIX):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + route[len(PREFIX) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """A threaded server for `site` on a free port, running in the background."""
    handler = functools.partial(SubPathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
