"""Atom feeds through feedgen: absolute, stable ids and links; dates from content only."""

from __future__ import annotations

import datetime as dt
import re

from feedgen.feed import FeedGenerator

from builder import urls as paths

# Atom requires an <updated> date; undated articles get this fixed one, never the build time.
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _stamp(date: dt.date | None) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC) if date else UNDATED


def render_feed(page, site, urls, body_html) -> bytes:
    """The Atom feed for a planned feed page (site-wide or one term's); `body_html(article)` gives bodies."""
    ctx = page.context
    title = f"{ctx['title']} — {site.title}" if ctx["title"] else site.title
    fg = FeedGenerator()
    fg.id(urls.absolute(ctx["feed_path"]))
    fg.title(_clean(title))
    fg.subtitle(_clean(site.description) or _clean(title))
    fg.link(href=urls.absolute(ctx["path"]), rel="alternate")
    fg.link(href=urls.absolute(ctx["feed_path"]), rel="self")
    fg.language(site.language)
    fg.generator("newsarchive")
    articles = page.articles
    fg.updated(max((_stamp(a.date) for a in articles), default=UNDATED))
    for article in articles:
        entry = fg.add_entry(order="append")
        link = urls.absolute(paths.article(article.slug))
        entry.id(link)
        entry.title(_clean(article.title))
        entry.link(href=link, rel="alternate")
        entry.updated(_stamp(article.date))
        if article.date:
            entry.published(_stamp(article.date))
        if article.summary:
            entry.summary(_clean(article.summary))
        entry.content(_clean(str(body_html(article))), type="html")
        # One call with every category: feedgen rebuilds its whole category list on each call.
        entry.category([{"term": _clean(name)} for name in (*article.topics, *article.companies)])
    return fg.atom_str(pretty=True)
