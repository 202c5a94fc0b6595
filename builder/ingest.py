"""Raw dumps -> Markdown articles in content/, never overwriting an editor's work.

The manifest (content/.ingest.json) remembers, per article text, the slug it was given and
the hash of the file ingest wrote. A file whose bytes differ from that hash was edited by
someone and is kept as it is; a file deleted by an editor stays deleted.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR

from builder.content import (MAX_TAGS, article_files, article_text, is_web_address, load_yaml, read_regular, shown,
                             skipped_message, special_kind, split_front_matter, write_atomic)
from builder.dumps import RawArticle, decode_dump, is_subheading, split_dump
from builder.errors import ContentError
from builder.headlines import derive_headline, summarize
from builder.tagging import Tagger, Tags
from builder.urls import is_safe_slug, slugify

MANIFEST = ".ingest.json"
# Headline and summary read only an article's first sentences; a 2 MB one-line paragraph from a
# broken scrape must not cost minutes there.
LEAD_PARAGRAPHS, LEAD_CHARS = 4, 4000
MAX_SIDECAR = 64 * 1024  # a sidecar holds three short lines


def _lead(paragraphs) -> list[str]:
    """The start of an article: enough for derive_headline and summarize."""
    return [p[:LEAD_CHARS] for p in list(paragraphs)[:LEAD_PARAGRAPHS]]


@dataclass
class IngestReport:
    """What one ingest run did, for the build summary."""

    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    tags: dict[str, Tags] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len(self.written) + len(self.updated) + len(self.unchanged) + len(self.kept_edited)


@dataclass(frozen=True)
class DumpMeta:
    """Editor-supplied facts about a dump, from an optional sidecar `<dump>.yaml`."""

    date: dt.date | None = None
    name: str | None = None
    url: str | None = None


def article_key(raw: RawArticle) -> str:
    """Identity of an article: a hash of its body text (the same text is the same article)."""
    return hashlib.sha256("\n\n".join(raw.paragraphs).encode("utf-8")).hexdigest()[:20]


def to_markdown(raw: RawArticle, title: str, slug: str, tags: Tags, meta: DumpMeta) -> str:
    """The Markdown file for one raw article; pure."""
    front: dict = {"title": title, "slug": slug}
    if meta.date:
        front["date"] = meta.date
    front["summary"] = summarize(_lead(raw.paragraphs))
    # The loader refuses more than MAX_TAGS of each (a scraped list of names); so never write more.
    front["topics"] = list(tags.topics)[:MAX_TAGS]
    front["companies"] = list(tags.companies)[:MAX_TAGS]
    if tags.organisations:
        front["organisations"] = list(tags.organisations)[:MAX_TAGS]
    source = {"file": raw.file, "position": raw.position}
    source.update({k: v for k, v in (("name", meta.name), ("url", meta.url)) if v})
    front["source"] = source
    body = "\n\n".join(
        f"## {p}" if i and is_subheading(p) and i < len(raw.paragraphs) - 1 else p
        for i, p in enumerate(raw.paragraphs))
    return article_text(front, body)


def read_dumps(seeds_dir: Path, report: IngestReport) -> list[tuple[RawArticle, DumpMeta]]:
    """Every article of every `*.txt` dump; refused files become errors, the rest go on."""
    found = []
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(seeds_dir.resolve()):
                raise ContentError("this dump is a link to a file outside the seeds folder; it was not read",
                                   hint="copy the dump into the seeds folder instead of linking it")
            data = _read_seed(path, report, "dump")
            if data is None:
                continue
            decoded = decode_dump(data, path.name)
            meta = read_dump_meta(path, report)
        except ContentError as err:
            if err.file in (None, path.name):  # keep the sidecar's name when the sidecar is wrong
                err.file = str(path)
            report.errors.append(err)
            continue
        report.warnings.extend(f"{path}: {w}" for w in decoded.warnings)
        found.extend((raw, meta) for raw in split_dump(decoded.text, path.name))
    return found


def _read_seed(path: Path, report: IngestReport, what: str) -> bytes | None:
    """A file's bytes; None, with a warning, for a FIFO, socket or device (reading one can block)."""
    try:
        mode = path.stat().st_mode
        if S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        if special_kind(mode):
            report.warnings.append(skipped_message(path, mode))
            return None
        return read_regular(path)
    except OSError as err:
        raise ContentError(f"cannot read this {what} ({err.strerror or err})", file=path,
                           hint="check that it is a readable text file") from None


def read_dump_meta(dump: Path, report: IngestReport) -> DumpMeta:
    """The sidecar `<dump>.yaml` (date, name, url), if there is one."""
    sidecar = dump.with_suffix(".yaml")
    if not sidecar.exists():
        return DumpMeta()
    hint = "write lines like 'date: 2026-03-19', 'name: Diplo', 'url: https://…'"
    data = _read_seed(sidecar, report, "metadata file")
    if data is None:
        return DumpMeta()
    if len(data) > MAX_SIDECAR:
        raise ContentError(f"bad dump metadata: the file has {len(data):,} bytes; at most {MAX_SIDECAR:,} "
                           "are allowed", file=sidecar, hint=hint)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ContentError(f"bad dump metadata: not valid UTF-8 at byte {err.start}", file=sidecar,
                           hint="save the file as UTF-8") from None
    data = load_yaml(text, sidecar, first_line=1, what="bad dump metadata", hint=hint) or {}
    if not isinstance(data, dict):
        raise ContentError("bad dump metadata: expected 'key: value' lines", file=sidecar, line=1, hint=hint)
    date, name, url = data.get("date"), data.get("name"), data.get("url")
    try:
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        if date is not None and not isinstance(date, dt.date):
            raise ValueError
    except ValueError:
        raise ContentError(f"bad dump metadata: date {shown(date)} is not YYYY-MM-DD", file=sidecar,
                           hint=hint) from None
    if name is not None and not isinstance(name, str):
        raise ContentError(f"bad dump metadata: name {shown(name)} is not text", file=sidecar, hint=hint)
    if url is not None and not (isinstance(url, str) and is_web_address(url.strip())):
        # Every article page links to it: only a web address may go there, never javascript:.
        raise ContentError(f"bad dump metadata: url {shown(url)} is not a web address starting with "
                           "https:// or http://", file=sidecar, hint=hint)
    return DumpMeta(date, name, url.strip() if url else None)


def ingest(seeds_dir: Path, content_dir: Path, tagger: Tagger) -> IngestReport:
    """Turn every dump in `seeds_dir` into articles in `content_dir`; see the module docstring."""
    report = IngestReport()
    manifest_path = content_dir / MANIFEST
    manifest = _read_manifest(manifest_path)
    files, skipped = article_files(content_dir)
    report.warnings += skipped
    taken = {name[:-3] for name in _top_level(files, content_dir)} | {e["slug"] for e in manifest.values()}
    seen: dict[str, str] = {}
    for raw, meta in read_dumps(seeds_dir, report):
        where = f"{raw.file}:{raw.position}"
        key = article_key(raw)
        if key in seen:
            report.duplicates.append(f"{where} repeats {seen[key]}; ingested once")
            continue
        seen[key] = where
        title = raw.headline or derive_headline(_lead(raw.paragraphs))
        tags = tagger.tag(title, list(raw.paragraphs))
        entry = manifest.get(key) or _adopt(content_dir, slugify(title), raw)
        if entry is None:
            slug = _unique_slug(slugify(title), taken)
            taken.add(slug)
            entry = {"slug": slug, "sha256": None}
        manifest[key] = entry
        report.tags[entry["slug"]] = tags
        path = content_dir / f"{entry['slug']}.md"
        data = to_markdown(raw, title, entry["slug"], tags, meta).encode("utf-8")
        _place(path, data, entry, report)
    content_dir.mkdir(parents=True, exist_ok=True)
    manifest_bytes = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest_bytes:
        write_atomic(manifest_path, manifest_bytes)
    return report


def _place(path: Path, data: bytes, entry: dict, report: IngestReport) -> None:
    """Write, update, or keep one article file, and record which."""
    digest = hashlib.sha256(data).hexdigest()
    if path.exists():
        current = path.read_bytes()
        if current == data:
            report.unchanged.append(str(path))
        elif entry["sha256"] and hashlib.sha256(current).hexdigest() != entry["sha256"]:
            report.kept_edited.append(str(path))
            return
        else:
            write_atomic(path, data)
            report.updated.append(str(path))
    elif entry["sha256"]:
        report.kept_deleted.append(str(path))
        return
    else:
        write_atomic(path, data)
        report.written.append(str(path))
    entry["sha256"] = digest


def _adopt(content_dir: Path, slug: str, raw: RawArticle) -> dict | None:
    """A manifest entry for an existing file of this article when the manifest lost it."""
    path = content_dir / f"{slug}.md"
    try:
        meta, _, _ = split_front_matter(path.read_text("utf-8"), path)
    except (OSError, UnicodeDecodeError, ContentError):
        return None
    if meta.get("source") != {"file": raw.file, "position": raw.position}:
        return None
    # Unknown history: treat the file as edited, so it is never overwritten.
    return {"slug": slug, "sha256": "unknown"}


def _top_level(files: list[str], content_dir: Path) -> list[str]:
    """The names of the files directly in `content_dir`, where ingest writes."""
    prefix = len(str(content_dir)) + 1
    return [name for name in (path[prefix:] for path in files) if os.sep not in name]


def _unique_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… if another article already has it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = slug[: 80 - len(suffix)].rstrip("-") + suffix
    return candidate


def _read_manifest(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    hint = ("restore it from git, or delete it: ingest then keeps every existing "
            "article file as if edited by hand")
    try:
        manifest = json.loads(read_regular(path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ContentError("the ingest manifest is damaged", file=path, hint=hint) from None
    if not isinstance(manifest, dict):
        raise ContentError("the ingest manifest is damaged", file=path, hint=hint)
    for key, entry in manifest.items():
        # The slug becomes a file name: a hand-edited "../x" must never write outside content/.
        if not isinstance(entry, dict) or not isinstance(entry.get("slug"), str) \
                or not is_safe_slug(entry["slug"]) or not isinstance(entry.get("sha256"), (str, type(None))):
            raise ContentError(f"the ingest manifest is damaged: entry {key!r} has no valid slug",
                               file=path, hint=hint)
    return manifest
