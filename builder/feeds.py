"""Atom feeds through feedgen: absolute, stable ids and links; dates from content only."""

from __future__ import annotations

import datetime as dt
import re

from feedgen.feed import FeedGenerator

from builder import urls as paths

# Atom requires a date on every entry. An article gets its own, else the day it entered the archive;
# one with neither (hand-written without a date, or written before ingest recorded `added`) gets the
# archive's newest date, and this only when no article of the archive has any date at all.
NO_DATE_AT_ALL = dt.date(1970, 1, 1)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _stamp(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def entry_date(article, fallback: dt.date) -> dt.date:
    """The date a feed gives an article: its publication date, else the date it entered the archive
    (`added`), else `fallback` (see `NO_DATE_AT_ALL`)."""
    return article.date or article.added or fallback


def fallback_date(articles) -> dt.date:
    """The newest publication or `added` date among `articles`, for articles that have neither."""
    return max((d for a in articles for d in (a.date, a.added) if d), default=NO_DATE_AT_ALL)


def render_feed(page, site, urls, body_html) -> bytes:
    """The Atom feed for a planned feed page (site-wide or one term's); `body_html(article)` gives bodies.

    An undated article's <updated> is the day it entered the archive; it has no <published>."""
    ctx = page.context
    title = f"{ctx['title']} — {site.title}" if ctx["title"] else site.title
    fg = FeedGenerator()
    fg.id(urls.absolute(ctx["feed_path"]))
    fg.title(_clean(title))
    fg.subtitle(_clean(ctx["subtitle"] or site.description or title))
    fg.author({"name": _clean(site.title), "uri": urls.absolute(paths.HOME)})
    fg.link(href=urls.absolute(ctx["path"]), rel="alternate")
    fg.link(href=urls.absolute(ctx["feed_path"]), rel="self")
    fg.language(site.language)
    fg.generator("newsarchive")
    articles = page.articles
    dates = [entry_date(a, ctx["fallback"]) for a in articles]
    fg.updated(_stamp(max(dates, default=ctx["fallback"])))
    for article, date, categories in zip(articles, dates, ctx["categories"], strict=True):
        entry = fg.add_entry(order="append")
        link = urls.absolute(paths.article(article.slug))
        entry.id(link)
        entry.title(_clean(article.title))
        entry.link(href=link, rel="alternate")
        entry.updated(_stamp(date))
        if article.date:
            entry.published(_stamp(article.date))
        if article.summary:
            entry.summary(_clean(article.summary))
        entry.content(_clean(str(body_html(article))), type="html")
        # One call with every category: feedgen rebuilds its whole category list on each call.
        entry.category([{"term": _clean(name)} for name in categories])
    return fg.atom_str(pretty=True)
