"""Every slug and URL rule of the site, and the only URL -> file mapping."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from slugify import slugify as _slugify

MAX_SLUG = 80
_SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """A lowercase ASCII slug of at most `max_length` chars, cut on a word boundary."""
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    return slug or "untitled"


def is_safe_slug(slug: str) -> bool:
    """True if `slug` is one path segment of [a-z0-9-] that cannot escape a folder."""
    return bool(_SAFE_SLUG.match(slug)) and len(slug) <= MAX_SLUG
