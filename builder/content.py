"""The Article model and its Markdown file: YAML front matter, then the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.errors import ContentError
from builder.urls import is_safe_slug, slugify

FENCE = "---"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
MAX_TITLE = 300
KNOWN_KEYS = ("title", "slug", "date", "summary", "topics", "companies", "organisations",
              "source", "aliases")


@dataclass(frozen=True)
class Source:
    """Where an ingested article came from: the dump and its 1-based position there."""

    file: str
    position: int
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One article of the archive, as its Markdown file says."""

    slug: str
    title: str
    body: str
    path: Path
    date: dt.date | None = None
    summary: str = ""
    topics: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    source: Source | None = None
    aliases: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    digest: str = field(default="", compare=False, repr=False)  # hash of the file's text


def dump_front_matter(meta: dict) -> str:
    """Front matter text for `meta`, keys in the order given, lists inline."""
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100_000)
    return f"{FENCE}\n{body}{FENCE}\n"


def article_text(meta: dict, body: str) -> str:
    """The whole Markdown file: front matter, then the body ending in one newline."""
    return dump_front_matter(meta) + body.rstrip("\n") + "\n"


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter, body, line where the body starts); errors name the file and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith(FENCE + "\n"):
        raise ContentError("the file does not start with a front matter block", file=path, line=1,
                           hint="start the file with a line '---', the fields (title: ...), and '---'")
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end < 0 and text.endswith(f"\n{FENCE}"):
        end = len(text) - len(FENCE) - 1
    if end < 0:
        raise ContentError("the front matter block is not closed", file=path, line=1,
                           hint="add a line '---' after the last field")
    raw = text[len(FENCE) + 1: end + 1]
    try:
        meta = yaml.load(raw, Loader=_LOADER) or {}
    except yaml.YAMLError as err:
        # An unclosed bracket or quote is reported where it was opened, not where YAML gave up.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ContentError(f"invalid front matter: {problem}", file=path, line=line,
                           hint="check quoting: a value with ': ' or starting with [ { * & ! | > ' \" % @ "
                                "needs to be in double quotes") from None
    if not isinstance(meta, dict):
        raise ContentError("the front matter must be 'key: value' lines", file=path, line=2)
    body_line = raw.count("\n") + 3
    return meta, text[end + len(FENCE) + 2:], body_line


def read_article(path: Path, text: str) -> Article:
    """Parse and validate one Markdown article."""
    meta, body, _ = split_front_matter(text, path)
    lines = _key_lines(text)
    warnings = [f"unknown front matter key '{key}' ignored" for key in meta if key not in KNOWN_KEYS]

    def fail(key: str, message: str, hint: str | None = None):
        return ContentError(f"'{key}': {message}", file=path, line=lines.get(key, 1), hint=hint)

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "a non-empty title is required", "add a line like: title: What happened")
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise fail("title", f"the title has {len(title)} characters; at most {MAX_TITLE} are allowed",
                   "shorten it; put the detail in the summary or body")
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not is_safe_slug(slug):
        raise fail("slug", f"{slug!r} is not a valid slug",
                   f"use lowercase letters, digits and hyphens only, for example: slug: {slugify(str(slug))}")
    return Article(
        slug=slug, title=title, body=body, path=path,
        date=_date(meta.get("date"), fail),
        summary=_text(meta, "summary", fail),
        topics=_names(meta, "topics", fail),
        companies=_names(meta, "companies", fail),
        organisations=_names(meta, "organisations", fail),
        source=_source(meta.get("source"), fail),
        aliases=_aliases(meta, fail),
        warnings=tuple(warnings),
        digest=hashlib.sha1(text.encode("utf-8")).hexdigest(),
    )


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level front matter key, for error messages."""
    lines = {}
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line == FENCE:
            break
        key, sep, _ = line.partition(":")
        if sep and key and not key[0].isspace():
            lines.setdefault(key.strip(), number)
    return lines


def _date(value, fail) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise fail("date", f"{value!r} is not a date", "write it as YYYY-MM-DD, for example: date: 2026-03-19")


def _text(meta: dict, key: str, fail) -> str:
    value = meta.get(key) or ""
    if not isinstance(value, str):
        raise fail(key, f"expected text, found {type(value).__name__}", f"write it as {key}: some text")
    return " ".join(value.split())


def _names(meta: dict, key: str, fail) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(key, "expected a list of names", f"write it as {key}: [First name, Second name]")
    names: dict[str, str] = {}
    for name in value:
        names.setdefault(name.strip().casefold(), " ".join(name.split()))
    return tuple(names.values())


def _aliases(meta: dict, fail) -> tuple[str, ...]:
    aliases = _names(meta, "aliases", fail)
    for alias in aliases:
        if not is_safe_slug(alias.strip("/").removeprefix("articles/")):
            raise fail("aliases", f"{alias!r} is not an old slug of this article",
                       "list the article's previous slugs, for example: aliases: [old-slug]")
    return tuple(alias.strip("/").removeprefix("articles/") for alias in aliases)


def _source(value, fail) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("file"), str) \
            or not isinstance(value.get("position"), int):
        raise fail("source", "expected {file: NAME, position: N}",
                   "leave 'source' as ingest wrote it, or delete the line for a hand-written article")
    extra = {k: value[k] for k in ("name", "url") if isinstance(value.get(k), str)}
    return Source(value["file"], value["position"], **extra)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def load_articles(content_dir: Path, known: dict | None = None) -> tuple[list[Article], list[ContentError]]:
    """Every article under `content_dir`, and every problem found (all files are read).

    `known` (path -> (mtime_ns, size, Article)) supplies articles whose file is unchanged,
    and is updated with the ones read.
    """
    known = {} if known is None else known
    articles: list[Article] = []
    errors: list[ContentError] = []
    root = content_dir.resolve()
    for path in sorted(content_dir.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        try:
            if not path.resolve().is_relative_to(root):
                raise ContentError("this file is a link to a file outside the content folder; it was "
                                   "not read", file=path, hint="copy the article into content/ instead")
            stat = path.stat()
            cached = known.get(str(path))
            if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
                articles.append(cached[2])
                continue
            article = read_article(path, path.read_bytes().decode("utf-8"))
            known[str(path)] = (stat.st_mtime_ns, stat.st_size, article)
            articles.append(article)
        except UnicodeDecodeError as err:
            errors.append(ContentError(f"not valid UTF-8 at byte {err.start}", file=path,
                                       hint="save the file as UTF-8"))
        except ContentError as err:
            errors.append(err)
    errors.extend(_slug_clashes(articles))
    return articles, errors


def _slug_clashes(articles: list[Article]) -> list[ContentError]:
    """One error per article whose slug or alias is already another article's URL."""
    owners: dict[str, Article] = {}
    errors = []
    for article in articles:
        for slug in (article.slug, *article.aliases):
            other = owners.setdefault(slug, article)
            if other is not article:
                errors.append(ContentError(
                    f"slug '{slug}' is already used by {other.path}", file=article.path,
                    hint="give one of the two articles another slug (old URLs go in 'aliases')"))
    return errors
