"""Markdown and JSON-LD to safe HTML: the only places text becomes markup."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from builder.cache import BodyStore
from builder.content import body_of
from builder.model import Article


def _demote_h1(state) -> None:
    """`# ` headings in a body become h2: the page's headline is its only h1."""
    for token in state.tokens:
        if token.tag == "h1":
            token.tag = "h2"


def markdown_renderer() -> MarkdownIt:
    """CommonMark with raw HTML off (shown as text), and no h1 in bodies."""
    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("demote_h1", _demote_h1)
    return md


_MD = markdown_renderer()


class Bodies:
    """Article bodies as safe HTML (text from dumps is escaped, never trusted), each rendered
    once: where its file was read, else by an earlier build (`store`), else here."""

    def __init__(self, store: BodyStore | None = None):
        self.store = store

    def rendered(self, results: list) -> list:
        """`results` with each Article's Markdown body replaced by its HTML, which is stored too.

        A file read again unchanged (touched, or changed just as the last build looked at
        it) keeps the HTML stored for its hash.
        """
        done, new = [], []
        for result in results:
            if isinstance(result, Article):
                html = self.store.get(result.digest) if self.store else None
                if html is None:
                    html = _MD.render(body_of(result))
                    new.append((result.digest, html))
                result = replace(result, body=None, html=html)
            done.append(result)
        if self.store:
            self.store.put(new)
        return done

    def html(self, article: Article) -> Markup:
        """The article's body as HTML."""
        html = article.html
        if html is None and self.store:
            html = self.store.get(article.digest)
        if html is None:
            html = _markdown_html(body_of(article))
        return Markup(html)


@cache
def _markdown_html(body: str) -> str:
    return _MD.render(body)


def json_ld(data: dict) -> Markup:
    """A JSON-LD block body that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
