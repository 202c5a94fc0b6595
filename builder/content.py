"""Finding and loading the articles of the content folder, with the build cache's rows."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from builder.errors import ContentError
from builder.files import os_problem, read_regular, settle, skipped_message, stat_key, walk
from builder.frontmatter import read_article, split_front_matter
from builder.model import Article


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
    results = [found[path] for path, _ in files]
    articles = [r for r in results if isinstance(r, Article)]
    errors += [r for r in results if isinstance(r, ContentError)]
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
            f"cannot read this file: {os_problem(err)}",
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
    return ContentError(f"cannot read this file: {os_problem(err)}", file=path, hint="check that it is a readable file")


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
    errors.sort(key=lambda e: e.file or "")  # every one names its file
    return found, errors


def top_level_articles(content_dir: Path) -> tuple[set[str], list[str]]:
    """The slugs of the article files directly in `content_dir` (where ingest writes), and a
    warning per special file `load_articles` leaves out anywhere below it."""
    top: set[str] = set()
    skipped: list[str] = []
    _walk(content_dir, skipped, top)
    return top, sorted(skipped)


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
