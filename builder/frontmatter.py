"""An article's Markdown file: YAML front matter (read safely, validated, written), then the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from builder.errors import ContentError
from builder.model import Article, Source
from builder.safeyaml import load_yaml, shown
from builder.urls import is_reserved, is_safe_slug, is_web_address, slugify

FENCE = "---"


MAX_TITLE = 300


# Every tag is a page, a feed entry and a related-articles key: a scraped list of 1,000 names
# would cost minutes. Ingest writes at most this many too.
MAX_TAGS = 50


TAG_KEYS = ("topics", "companies", "organisations", "countries")


KNOWN_KEYS = ("title", "slug", "date", "added", "summary", *TAG_KEYS, "source", "aliases")


# A date, optionally with a time after it ("2026-03-19", "2026-03-19T10:00:00Z", "2026-03-19 10:00").
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")


def dump_front_matter(meta: dict) -> str:
    """Front matter text for `meta`, keys in the order given, lists inline."""
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100_000)
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
        raise ContentError(
            "the file does not start with a front matter block",
            file=path,
            line=1,
            hint="start the file with a line '---', the fields (title: ...), and '---'",
        )
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end < 0 and text.endswith(f"\n{FENCE}"):
        end = len(text) - len(FENCE) - 1
    if end < 0:
        raise ContentError(
            "the front matter block is not closed", file=path, line=1, hint="add a line '---' after the last field"
        )
    raw = text[len(FENCE) + 1 : end + 1]
    meta = load_yaml(raw, path, first_line=2, what="invalid front matter") or {}
    if not isinstance(meta, dict):
        raise ContentError("the front matter must be 'key: value' lines", file=path, line=2)
    body_line = raw.count("\n") + 3
    return meta, text[end + len(FENCE) + 2 :], body_line


def read_article(path: Path, text: str) -> Article:
    """Parse and validate one Markdown article."""
    meta, body, _ = split_front_matter(text, path)
    lines = _key_lines(text)
    _no_repeated_keys(text, path)
    warnings = [
        f"line {lines.get(key, 1)}: unknown front matter key '{key}' ignored (known keys: {', '.join(KNOWN_KEYS)})"
        for key in meta
        if key not in KNOWN_KEYS
    ]

    def fail(key: str, message: str, hint: str | None = None):
        return ContentError(f"'{key}': {message}", file=path, line=lines.get(key, 1), hint=hint)

    title = meta.get("title")
    if title is None or title == "":
        raise fail("title", "a non-empty title is required", "add a line like: title: What happened")
    if not isinstance(title, str):
        raise fail(
            "title",
            f"expected text, found {_kind(title)}",
            'write the title in double quotes, for example: title: "2026: the year in AI"',
        )
    title = " ".join(title.split())
    if not title:
        raise fail("title", "the title is blank", "add a line like: title: What happened")
    if len(title) > MAX_TITLE:
        raise fail(
            "title",
            f"the title has {len(title)} characters; at most {MAX_TITLE} are allowed",
            "shorten it; put the detail in the summary or body",
        )
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not is_safe_slug(slug):
        where = "" if "slug" in meta else f" (taken from the file name {path.name})"
        if isinstance(slug, str) and is_reserved(slug):
            problem = f"{slug!r} is a device name Windows reserves and cannot be a folder name{where}"
        else:
            problem = f"{shown(slug)} is not a valid slug{where}"
        raise fail(
            "slug",
            problem,
            "use lowercase letters, digits and hyphens only (at most 80), for example: "
            f"slug: {slugify(slug if isinstance(slug, str) else title)}",
        )
    return Article(
        slug=slug,
        title=title,
        body=body,
        path=path,
        date=_date(meta.get("date"), fail),
        added=_date(meta.get("added"), fail, "added"),
        summary=_field_text(meta, "summary", fail),
        topics=_names(meta, "topics", fail),
        companies=_names(meta, "companies", fail),
        organisations=_names(meta, "organisations", fail),
        countries=_names(meta, "countries", fail),
        source=_source(meta.get("source"), fail),
        aliases=_aliases(meta, fail),
        warnings=tuple(warnings),
        digest=hashlib.sha1(text.encode("utf-8")).hexdigest(),
    )


def _kind(value) -> str:
    """What YAML made of a value, in an editor's words."""
    if isinstance(value, bool):
        return "yes/no (true/false)"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of 'key: value' fields"
    return type(value).__name__


def _no_repeated_keys(text: str, path: Path) -> None:
    """YAML keeps only the last of two equal keys; an editor means one of them, so say so."""
    seen: dict[str, int] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n")[1:], start=2):
        if line.rstrip() == FENCE:
            return
        key, sep, _ = line.partition(":")
        if sep and key and not key[0].isspace() and not key.startswith("#"):
            key = key.strip()
            if key in seen:
                raise ContentError(
                    f"'{key}' appears twice in the front matter (lines {seen[key]} and {number})",
                    file=path,
                    line=number,
                    hint="keep one of the two lines",
                )
            seen[key] = number


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level front matter key, for error messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line == FENCE:
            break
        key, sep, _ = line.partition(":")
        if sep and key and not key[0].isspace():
            lines.setdefault(key.strip(), number)
    return lines


def _date(value, fail, key: str = "date") -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE.fullmatch(value.strip())
        if match:
            try:
                return dt.date.fromisoformat(match.group(1))
            except ValueError:
                pass
    raise fail(key, f"{shown(value)} is not a date", f"write it as YYYY-MM-DD, for example: {key}: 2026-03-19")


def _field_text(meta: dict, key: str, fail) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(
            key, f"expected text, found {_kind(value)}", f'write it in double quotes, for example: {key}: "some text"'
        )
    return " ".join(value.split())


def _names(meta: dict, key: str, fail) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise fail(
            key, f"expected a list of names, found {_kind(value)}", f"write it as {key}: [First name, Second name]"
        )
    if key in TAG_KEYS and len(value) > MAX_TAGS:
        raise fail(
            key,
            f"{len(value)} names; at most {MAX_TAGS} are allowed",
            f"keep the {key} the article is really about (each one gets a page and a feed)",
        )
    for item in value:
        if not isinstance(item, str) or not item.strip():
            found = "an empty name" if isinstance(item, str) or item is None else _kind(item)
            raise fail(
                key,
                f"expected a list of names, found {found} in it",
                f"write it as {key}: [First name, Second name]; put a name like 1984, or "
                "one with a comma or colon, in double quotes",
            )
    names: dict[str, str] = {}
    for name in value:
        names.setdefault(name.strip().casefold(), " ".join(name.split()))
    return tuple(names.values())


def _aliases(meta: dict, fail) -> tuple[str, ...]:
    aliases = _names(meta, "aliases", fail)
    for alias in aliases:
        if not is_safe_slug(alias.strip("/").removeprefix("articles/")):
            raise fail(
                "aliases",
                f"{shown(alias)} is not an old slug of this article",
                "list the article's previous slugs, for example: aliases: [old-slug]",
            )
    return tuple(alias.strip("/").removeprefix("articles/") for alias in aliases)


def _source(value, fail) -> Source | None:
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("file"), str)
        or isinstance(value.get("position"), bool)
        or not isinstance(value.get("position"), int)
    ):
        raise fail(
            "source",
            "expected {file: NAME, position: N}",
            "leave 'source' as ingest wrote it, or delete the line for a hand-written article",
        )
    for key in ("name", "url", "source_url"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise fail(
                "source", f"'{key}' must be text, found {_kind(value[key])}", f'write it in double quotes: {key}: "..."'
            )
    links = {}
    for key in ("url", "source_url"):
        link = (value.get(key) or "").strip()
        if link and not is_web_address(link):
            # The page links to it: anything but a web address (javascript:, data:…) could run code.
            raise fail(
                "source",
                f"the {key} {shown(link)} is not a web address",
                f"use a full address starting with https:// or http://, or remove '{key}'",
            )
        links[key] = link or None
    name = " ".join((value.get("name") or "").split()) or None
    return Source(value["file"], value["position"], name=name, **links)
