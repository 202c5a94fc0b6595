"""Reading a built site the way a crawler does: pages, their links, and where links land."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def page_url(site: Path, file: Path, prefix: str) -> str:
    """The root-relative URL a file is served at, under `prefix` ('/' or '/REPO/')."""
    relative = file.relative_to(site).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return prefix + relative


def resolve(site: Path, prefix: str, url: str) -> Path | None:
    """The file a root-relative URL lands on, or None if it is outside the site."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    target = site / path[len(prefix):]
    return target / "index.html" if path.endswith("/") else target


def broken_links(site: Path, prefix: str, host: str) -> list[tuple[str, str]]:
    """(page, link) for every internal href/src in an HTML page that resolves to no file."""
    broken = []
    for file in sorted(site.rglob("*.html")):
        if "pagefind" in file.parts:
            continue
        base = page_url(site, file, prefix)
        for link in links_of(file.read_text("utf-8")):
            absolute = urljoin(f"https://{host}{base}", link)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            target = resolve(site, prefix, absolute)
            if target is None or not target.is_file():
                broken.append((base, link))
    return broken
