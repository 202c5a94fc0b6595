"""Every slug and URL rule of the site, and the only URL -> file mapping."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from slugify import slugify as _slugify

MAX_SLUG = 80
_SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Folder names Windows cannot create (a checkout of the built site there would break).
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
RESERVED_SUFFIX = "-page"


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """A lowercase ASCII slug of at most `max_length` chars, cut on a word boundary.

    Never empty ("untitled") and never a Windows device name ("con" becomes "con-page").
    """
    slug = _slugify(str(text), max_length=max_length, word_boundary=True, save_order=True)
    slug = slug or "untitled"
    return slug + RESERVED_SUFFIX if slug in WINDOWS_RESERVED else slug


# Slugs a topic or company cannot have: the overview pages live at these paths under topics/ and
# companies/ ("By count" would otherwise overwrite topics/by-count/).
TERM_RESERVED = frozenset({"by-count"})


def term_slug(name: str) -> str:
    """The slug of a topic or company name: like `slugify`, never one of TERM_RESERVED."""
    slug = slugify(name)
    return f"{slug}{RESERVED_SUFFIX}" if slug in TERM_RESERVED else slug


def is_reserved(slug: str) -> bool:
    """True for names Windows reserves for devices (con, nul, com1…), in any case."""
    return slug.lower() in WINDOWS_RESERVED


def is_safe_slug(slug: str) -> bool:
    """True if `slug` is one path segment of [a-z0-9-] that cannot escape a folder.

    Windows device names (con, aux, nul, com1…) are refused too.
    """
    return bool(_SAFE_SLUG.match(slug)) and len(slug) <= MAX_SLUG and slug not in WINDOWS_RESERVED


# Site paths: relative to the site root, no leading slash; a trailing slash means a folder page.
HOME = ""
SEARCH = "search/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
ARCHIVE = "archive/"


def paged(path: str, page: int) -> str:
    """Page `page` of a paginated listing at `path` (page 1 is the listing itself)."""
    return path if page <= 1 else f"{path}page/{page}/"


def article(slug: str) -> str:
    return f"articles/{slug}/"


def terms(plural: str, by_count: bool = False) -> str:
    """Overview of a taxonomy ("topics", "companies"), A–Z or by article count."""
    return f"{plural}/by-count/" if by_count else f"{plural}/"


def term(plural: str, slug: str, page: int = 1) -> str:
    return paged(f"{plural}/{slug}/", page)


def term_feed(plural: str, slug: str) -> str:
    return f"{plural}/{slug}/feed.xml"


def archive(year: int | None = None, month: int | None = None) -> str:
    if year is None:
        return ARCHIVE
    return f"archive/{year:04d}/" if month is None else f"archive/{year:04d}/{month:02d}/"


def static(name: str) -> str:
    return f"static/{name}"


def url_to_file(path: str) -> str:
    """The file (relative to the output folder) that serves site path `path`."""
    return safe_file(f"{path}index.html" if path == "" or path.endswith("/") else path)


def safe_file(relative: str) -> str:
    """`relative` if it names a file inside the output folder; ValueError for anything else."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        raise ValueError(f"refusing a path outside the output folder: {relative!r}")
    return relative


def normalise_base_url(base_url: str) -> str:
    """`base_url` with a scheme and exactly one trailing slash."""
    base = base_url.strip()
    if not base:
        return "/"
    if "://" not in base and not base.startswith("/"):
        base = "https://" + base
    return base.rstrip("/") + "/"


class Urls:
    """Turns site paths into links that work at a domain root or under a sub-path."""

    def __init__(self, base_url: str):
        self.base_url = normalise_base_url(base_url)
        self.prefix = urlsplit(self.base_url).path or "/"

    def href(self, path: str) -> str:
        """Root-relative link, e.g. '/REPO/articles/x/'."""
        return self.prefix + path

    def absolute(self, path: str) -> str:
        """Absolute URL for canonical links, feeds and the sitemap."""
        if "://" not in self.base_url:
            return self.href(path)
        return self.base_url + path


_LINK_SCHEMES = ("http://", "https://")


def is_web_address(url: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces or control characters."""
    return (
        url.lower().startswith(_LINK_SCHEMES)
        and len(url.split("//", 1)[1]) > 0
        and not any(c.isspace() or ord(c) < 32 or c in '<>"`\\' for c in url)
    )
