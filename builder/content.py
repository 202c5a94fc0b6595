"""The Article model and its Markdown file: YAML front matter, then the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from urllib.parse import urlsplit

import yaml

from builder.errors import ContentError
from builder.files import settle, stat_key, walk
from builder.urls import is_reserved, is_safe_slug, slugify

FENCE = "---"
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
QUOTING_HINT = "check quoting: a value with ': ' or starting with [ { * & ! | > ' \" % @ needs to be in double quotes"


class _Loader(_BASE_LOADER):
    """The one safe YAML loader of front matter and dump sidecars.

    Aliases never reach it (see `load_yaml`); a value that cannot be read ("2026-02-30",
    "!!int abc") is reported on its own line. Values are constructed by libyaml's fast path;
    only after a failure is each scalar tried on its own to find the line.
    """

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return self.construct_document(node)
        except (ValueError, OverflowError) as err:
            raise self._located(node, err) from None

    def _located(self, root, err: Exception) -> yaml.YAMLError:
        self.constructed_objects, self.recursive_objects = {}, {}
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    self.construct_object(node)
                except (ValueError, OverflowError) as problem:
                    err, root = problem, node
                    break
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
            else:
                stack.extend(reversed(node.value))
        what = shown(root.value) if isinstance(root, yaml.ScalarNode) else "a value"
        return yaml.constructor.ConstructorError(
            None, None, f"{what} cannot be read: {_cut(str(err))}", root.start_mark
        )


def load_yaml(raw: str, path: Path | str, first_line: int, what: str, hint: str = QUOTING_HINT):
    """Parse YAML that an editor wrote, bounded: no aliases, limited nesting, errors name the line.

    `first_line` is the file line `raw` starts on; `what` opens every message ("invalid front
    matter"). A 400-byte alias bomb expands to gigabytes wherever the value is used, so
    anchors and aliases are refused before anything is built.
    """
    if _nesting(raw) > MAX_NESTING:
        raise ContentError(
            f"{what}: values are nested too deeply",
            file=path,
            line=first_line,
            hint="use plain 'key: value' lines and [lists] of names",
        )
    try:
        if "&" in raw or "*" in raw:  # the only characters that start an anchor or an alias
            for event in yaml.parse(raw, Loader=_BASE_LOADER):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise ContentError(
                        f"{what}: YAML anchors and aliases (&name, *name) are not allowed",
                        file=path,
                        line=event.start_mark.line + first_line,
                        hint="write each value out in full; put a value that starts with & or * in double quotes",
                    )
        return yaml.load(raw, Loader=_Loader)
    except RecursionError:
        raise ContentError(
            f"{what}: values are nested too deeply",
            file=path,
            line=first_line,
            hint="use plain 'key: value' lines and [lists] of names",
        ) from None
    except yaml.YAMLError as err:
        # An unclosed bracket or quote is reported where it was opened, not where YAML gave up.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ContentError(f"{what}: {_cut(problem)}", file=path, line=line, hint=hint) from None


MAX_NESTING = 50  # libyaml crashes the interpreter on YAML nested tens of thousands deep
_BRACKET = re.compile(r"[\[\]{}]")
_BLOCK_DEPTH = re.compile(r"^[ \t]*(?:[-?][ \t]+)*", re.MULTILINE)


def _nesting(raw: str) -> int:
    """An upper bound of how deeply YAML values in `raw` nest (brackets, indentation, '- - -')."""
    depth = deepest = 0
    for match in _BRACKET.finditer(raw):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return max(deepest, max((len(m.group()) for m in _BLOCK_DEPTH.finditer(raw)), default=0) // 2)


MAX_TITLE = 300
# Every tag is a page, a feed entry and a related-articles key: a scraped list of 1,000 names
# would cost minutes. Ingest writes at most this many too.
MAX_TAGS = 50
TAG_KEYS = ("topics", "companies", "organisations", "countries")
# reprlib looks at a few items and levels only: a huge or self-repeating value costs nothing to show.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60
KNOWN_KEYS = ("title", "slug", "date", "added", "summary", *TAG_KEYS, "source", "aliases")
# A date, optionally with a time after it ("2026-03-19", "2026-03-19T10:00:00Z", "2026-03-19 10:00").
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")
_LINK_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Source:
    """Where an ingested article came from: the dump and its 1-based position there (for editors),
    and what readers see: the source's name, its web address and the article's own address there."""

    file: str
    position: int
    name: str | None = None
    url: str | None = None
    source_url: str | None = None

    @property
    def label(self) -> str | None:
        """The source as readers see it: its name, else its web address's host; never a file name."""
        if self.name:
            return self.name
        link = self.url or self.source_url
        return urlsplit(link).hostname if link else None

    @property
    def link(self) -> str | None:
        """The article's own address at the source when known, else the source's address."""
        return self.source_url or self.url


@dataclass(frozen=True)
class Article:
    """One article of the archive, as its Markdown file says."""

    slug: str
    title: str
    body: str | None  # None when the article came from the build cache: see `body_of`
    path: Path
    date: dt.date | None = None
    added: dt.date | None = None  # when the article entered the archive (ingest); never shown as its date
    summary: str = ""
    topics: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    source: Source | None = None
    aliases: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    digest: str = field(default="", compare=False, repr=False)  # hash of the file's text
    html: str | None = field(default=None, compare=False, repr=False)  # the body as HTML, if rendered

    def row(self) -> tuple:
        """Everything but the body and path, as plain values: the build cache stores these by path."""
        source = self.source
        return (
            self.slug,
            self.title,
            self.date.toordinal() if self.date else 0,
            self.added.toordinal() if self.added else 0,
            self.summary,
            self.topics,
            self.companies,
            self.organisations,
            self.countries,
            (source.file, source.position, source.name, source.url, source.source_url) if source else None,
            self.aliases,
            self.warnings,
            self.digest,
        )

    @classmethod
    def from_row(cls, row: tuple, path: Path, body: str | None = None, html: str | None = None) -> Article:
        """The article `row()` stood for, its file at `path`; without its body unless given."""
        (
            slug,
            title,
            day,
            added,
            summary,
            topics,
            companies,
            organisations,
            countries,
            source,
            aliases,
            warnings,
            digest,
        ) = row
        return cls(
            slug,
            title,
            body,
            path,
            dt.date.fromordinal(day) if day else None,
            dt.date.fromordinal(added) if added else None,
            summary,
            topics,
            companies,
            organisations,
            countries,
            Source(*source) if source else None,
            aliases,
            warnings,
            digest,
            html,
        )

    def __reduce__(self):
        """Pickled as plain values (workers send articles back): several times faster to load."""
        return (_unpickle_article, (self.row(), str(self.path), self.body, self.html))


def _unpickle_article(row: tuple, path: str, body: str | None, html: str | None) -> Article:
    return Article.from_row(row, Path(path), body, html)


def body_of(article: Article) -> str:
    """The article's Markdown body, read again from its file if the article came from the cache."""
    if article.body is not None:
        return article.body
    try:
        text = article.path.read_bytes().decode("utf-8")
        unchanged = hashlib.sha1(text.encode("utf-8")).hexdigest() == article.digest
    except (OSError, UnicodeDecodeError):
        unchanged = False
    if not unchanged:
        raise ContentError("the file changed while the site was being built", file=article.path, hint="build again")
    return split_front_matter(text, article.path)[1]


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
        summary=_text(meta, "summary", fail),
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


def shown(value, limit: int = 60) -> str:
    """`value` for a message: quoted, and cut if long; never formats more than it shows."""
    text = repr(value[:limit]) if isinstance(value, str) else _REPR.repr(value)
    return _cut(text, limit)


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    lines = {}
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


def _text(meta: dict, key: str, fail) -> str:
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


def is_web_address(url: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces or control characters."""
    return (
        url.lower().startswith(_LINK_SCHEMES)
        and len(url.split("//", 1)[1]) > 0
        and not any(c.isspace() or ord(c) < 32 or c in '<>"`\\' for c in url)
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def load_articles(
    content_dir: Path, known: dict | None = None, mapper=lambda read, paths: read(paths), stats: dict | None = None
) -> tuple[list[Article], list[ContentError]]:
    """Every article under `content_dir`, and every problem found (all files are read).

    `known` (path -> (`cache.stat_key`, `Article.row()`)) supplies articles whose file is
    unchanged, and is updated with the ones read. `mapper(read_files, paths)` may read in
    parallel. `stats` (path -> stat, from `cache.scan`) spares stat calls already made.
    """
    known = {} if known is None else known
    stats = stats or {}
    files, errors = _markdown_files(content_dir)
    found: dict[Path, Article | ContentError] = {}
    todo: list[tuple[Path, os.stat_result]] = []
    for path, is_link in files:
        try:
            if is_link:
                _check_link(path, content_dir)
            stat = stats.get(str(path)) or path.stat()
        except ContentError as err:
            found[path] = err
            continue
        except OSError as err:
            found[path] = _unreadable(path, err)
            continue
        cached = known.get(str(path))
        if cached and cached[0] == stat_key(stat):
            found[path] = Article.from_row(cached[1], path)
        else:
            todo.append((path, stat))
    settle(stat for _, stat in todo)  # so that a change after reading shows in the key kept
    for (path, stat), result in zip(todo, mapper(read_files, [path for path, _ in todo])):
        found[path] = result
        if isinstance(result, Article):
            known[str(path)] = (stat_key(stat), result.row())
    for gone in known.keys() - {str(path) for path, _ in files}:
        del known[gone]
    articles = [found[path] for path, _ in files if isinstance(found[path], Article)]
    errors += [found[path] for path, _ in files if isinstance(found[path], ContentError)]
    errors.extend(_slug_clashes(articles))
    return articles, errors


def read_files(paths: list[Path]) -> list[Article | ContentError]:
    """Each file's article, or the error that stops it; one bad file does not stop the rest."""
    results: list[Article | ContentError] = []
    for path in paths:
        try:
            results.append(read_article(path, read_regular(path).decode("utf-8")))
        except UnicodeDecodeError as err:
            results.append(
                ContentError(
                    f"not valid UTF-8 at byte {err.start}",
                    file=path,
                    line=err.object[: err.start].count(b"\n") + 1,
                    hint="save the file as UTF-8",
                )
            )
        except ContentError as err:
            results.append(err)
        except OSError as err:
            results.append(_unreadable(path, err))
    return results


def _check_link(path: Path, content_dir: Path) -> None:
    """Refuse a symlink that is broken, loops, or leads outside the content folder."""
    try:
        inside = path.resolve(strict=True).is_relative_to(content_dir.resolve())
    except (OSError, RuntimeError) as err:  # broken link, link loop
        raise ContentError(
            f"cannot read this file: {_os_problem(err)}",
            file=path,
            hint="remove the link, or put the article file itself here",
        ) from None
    if not inside:
        raise ContentError(
            "this file is a link to a file outside the content folder; it was not read",
            file=path,
            hint="copy the article into content/ instead",
        )


def _unreadable(path: Path, err: OSError) -> ContentError:
    return ContentError(
        f"cannot read this file: {_os_problem(err)}", file=path, hint="check that it is a readable file"
    )


def _markdown_files(
    content_dir: Path, skipped: list[str] | None = None
) -> tuple[list[tuple[Path, bool]], list[ContentError]]:
    """(path, is a symlink) of every visible `*.md` file, sorted, and an error per linked folder.

    Hidden files and folders (.git, editor backups, the ingest manifest) are not articles.
    A FIFO, device or socket is never opened (reading a FIFO waits forever): it is left out,
    and named in `skipped` if given.
    """
    found, errors = _walk(content_dir, skipped)
    return [(Path(path), link) for path, link in sorted(found)], errors


def _walk(
    content_dir: Path, skipped: list[str] | None = None, top: set[str] | None = None
) -> tuple[list[tuple[str, bool]], list[ContentError]]:
    """`_markdown_files` unsorted, paths as text; the slugs of the files directly in
    `content_dir` are added to `top` if given."""
    found: list[tuple[str, bool]] = []
    errors: list[ContentError] = []
    if not content_dir.is_dir():
        return found, errors
    for entry, direct in walk(str(content_dir), hidden=False):
        name = entry.name
        if entry.is_file(follow_symlinks=False):  # most entries: one test, no system call
            if name.endswith(".md"):
                found.append((entry.path, False))
                if direct and top is not None:
                    top.add(name[:-3])
        elif entry.is_symlink() and os.path.isdir(entry.path):  # isdir: False for loops
            errors.append(
                ContentError(
                    "this folder is a link; its articles were not read",
                    file=entry.path,
                    hint="articles must be real files inside content/: copy them instead of linking",
                )
            )
        elif not name.endswith(".md"):
            continue
        elif entry.is_symlink():
            found.append((entry.path, True))
            if direct and top is not None:
                top.add(name[:-3])
        elif skipped is not None:
            try:
                skipped.append(skipped_message(entry.path, entry.stat(follow_symlinks=False).st_mode))
            except OSError:  # gone since it was listed
                pass
    errors.sort(key=lambda e: e.file)
    return found, errors


def top_level_articles(content_dir: Path) -> tuple[set[str], list[str]]:
    """The slugs of the article files directly in `content_dir` (where ingest writes), and a
    warning per special file `load_articles` leaves out anywhere below it."""
    top: set[str] = set()
    skipped: list[str] = []
    _walk(content_dir, skipped, top)
    return top, sorted(skipped)


_KINDS = (
    (S_ISFIFO, "a named pipe (FIFO)"),
    (S_ISSOCK, "a socket"),
    (S_ISCHR, "a device"),
    (S_ISBLK, "a device"),
    (S_ISDIR, "a folder"),
)


def special_kind(mode: int) -> str | None:
    """What a file of this mode is, if not a regular file: 'a named pipe (FIFO)', 'a device'…"""
    if S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def skipped_message(path: str | Path, mode: int) -> str:
    """The warning for a special file that was left out."""
    return f"{path}: skipped: this is {special_kind(mode)}, not a file that can be read"


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; anything else is a ContentError, and nothing can block.

    O_NONBLOCK makes opening a FIFO return at once; fstat then says what was opened, so a
    file swapped for a FIFO after it was listed is refused instead of read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise ContentError(
                f"cannot read this file: it is {kind}", file=path, hint="remove it, or put a regular file in its place"
            )
        return handle.read()


def _os_problem(err: BaseException) -> str:
    if isinstance(err, RuntimeError) or getattr(err, "errno", None) == 40:
        return "it is a link that leads back to itself"
    if isinstance(err, FileNotFoundError):
        return "it is a link to a file that does not exist"
    if isinstance(err, IsADirectoryError):
        return "it is a folder"
    return getattr(err, "strerror", None) or str(err)


def _slug_clashes(articles: list[Article]) -> list[ContentError]:
    """One error per article whose slug or alias is already another article's URL."""
    owners: dict[str, Article] = {}
    errors = []
    for article in articles:
        for slug in (article.slug, *article.aliases):
            other = owners.setdefault(slug, article)
            if other is not article:
                errors.append(
                    ContentError(
                        f"slug '{slug}' is already used by {other.path}",
                        file=article.path,
                        hint="give one of the two articles another slug (old URLs go in 'aliases')",
                    )
                )
    return errors
