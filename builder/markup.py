"""Markdown and JSON-LD to safe HTML: the only places text becomes markup."""

from __future__ import annotations

import json
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from builder.content import Article


def markdown_renderer() -> MarkdownIt:
    """CommonMark with raw HTML off; `# ` headings become h2 so each page keeps one h1."""
    md = MarkdownIt("commonmark", {"html": False})

    def heading(tokens, idx, options, env):
        token = tokens[idx]
        if token.tag == "h1":
            token.tag = "h2"
        return md.renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    return md


_MD = markdown_renderer()


@lru_cache(maxsize=None)
def _markdown_html(body: str) -> str:
    return _MD.render(body)


def body_html(article: Article) -> Markup:
    """The article body as HTML; text from dumps is escaped, never trusted."""
    return Markup(_markdown_html(article.body))


def json_ld(data: dict) -> Markup:
    """A JSON-LD block body that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
