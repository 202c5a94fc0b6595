"""sitemap.xml and robots.txt."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from builder import urls as paths

_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def lastmod(page):
    """An article's own date, else the day it entered the archive (`added`); for a listing, the
    newest such date it shows (related links do not count); None if nothing it shows has one."""
    article = page.context.get("article")
    if article is not None:
        return article.date or article.added
    dates = [a.date or a.added for a in page.articles if a.date or a.added]
    return max(dates) if dates else None


def render_sitemap(pages, urls) -> bytes:
    """Every HTML page's absolute URL, with lastmod where the page has a content date."""
    root = ET.Element("urlset", xmlns=_NS)
    for page in sorted(pages, key=lambda p: p.path):
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = urls.absolute(page.path)
        day = lastmod(page)
        if day:
            ET.SubElement(entry, "lastmod").text = day.isoformat()
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def render_robots(urls) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(paths.SITEMAP)}\n".encode()
