"""Raw dumps -> Markdown articles in content/, never overwriting an editor's work.

The manifest (content/.ingest.json) remembers, per article file (slug), the dump and position
its text came from, a hash and a sketch of that text, and the hash of the bytes ingest wrote.
An article is recognised again by its exact text, else by similar text in the same dump
(preferring the same position): a corrected dump updates its article in place. A file whose
bytes differ from what ingest wrote was edited by someone and is kept as it is; a file deleted
by an editor stays deleted. Without a manifest entry, a file is recognised by its `source` and
text, and is unedited when its bytes are what ingest writes for it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from stat import S_ISDIR

from builder.cache import read_checked, tree_signature, write_checked
from builder.content import top_level_articles
from builder.dumps import RawArticle, decode_dump, is_subheading, split_dump
from builder.errors import ContentError
from builder.files import read_regular, scan, skipped_message, special_kind, write_atomic
from builder.frontmatter import MAX_TAGS, article_text, split_front_matter
from builder.headlines import derive_headline, summarize
from builder.safeyaml import load_yaml, shown
from builder.tagging import Tagger, Tags
from builder.urls import MAX_SLUG, is_safe_slug, is_web_address, slugify

MANIFEST = ".ingest.json"
UNKNOWN = "unknown"  # the sha256 of an adopted file that differs from what ingest writes: edited
# Headline and summary read only an article's first sentences; a 2 MB one-line paragraph from a
# broken scrape must not cost minutes there.
LEAD_PARAGRAPHS, LEAD_CHARS = 4, 4000
MAX_SIDECAR = 64 * 1024  # a sidecar holds a few short lines and an address per article


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
    """Editor-supplied facts about a dump, from an optional sidecar `<dump>.yaml`: when its news
    was published (`date`), when it entered the archive (`added`), its source's name and address,
    and the address of each article at the source, by position (`source_urls`)."""

    date: dt.date | None = None
    name: str | None = None
    url: str | None = None
    added: dt.date | None = None
    source_urls: dict[int, str | None] = field(default_factory=dict)  # None: an empty entry


def first_seen_today() -> dt.date:
    """The date an article first seen now enters the archive: `SOURCE_DATE_EPOCH` when set (the
    reproducible-builds convention), else today's date in UTC. Ingest asks once per new article."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def article_key(raw: RawArticle) -> str:
    """Identity of an article: a hash of its body text (the same text is the same article)."""
    return hashlib.sha256("\n\n".join(raw.paragraphs).encode("utf-8")).hexdigest()[:20]


def to_markdown(raw: RawArticle, title: str, slug: str, tags: Tags, meta: DumpMeta, added: dt.date) -> str:
    """The Markdown file for one raw article, which entered the archive on `added`; pure."""
    front: dict = {"title": title, "slug": slug}
    if meta.date:
        front["date"] = meta.date
    front["added"] = added
    front["summary"] = summarize(_lead(raw.paragraphs))
    # The loader refuses more than MAX_TAGS of each (a scraped list of names); so never write more.
    front["topics"] = list(tags.topics)[:MAX_TAGS]
    front["companies"] = list(tags.companies)[:MAX_TAGS]
    if tags.organisations:
        front["organisations"] = list(tags.organisations)[:MAX_TAGS]
    if tags.countries:  # canonical names ("Belgium", "European Union")
        front["countries"] = list(tags.countries)[:MAX_TAGS]
    source = {"file": raw.file, "position": raw.position}
    links = (("name", meta.name), ("url", meta.url), ("source_url", meta.source_urls.get(raw.position)))
    source.update({k: v for k, v in links if v})
    front["source"] = source
    body = "\n\n".join(
        f"## {p}" if i and is_subheading(p) and i < len(raw.paragraphs) - 1 else p for i, p in enumerate(raw.paragraphs)
    )
    return article_text(front, body)


def read_dumps(seeds_dir: Path, report: IngestReport) -> list[tuple[RawArticle, DumpMeta]]:
    """Every article of every `*.txt` dump; refused files become errors, the rest go on."""
    found: list[tuple[RawArticle, DumpMeta]] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(seeds_dir.resolve()):
                raise ContentError(
                    "this dump is a link to a file outside the seeds folder; it was not read",
                    hint="copy the dump into the seeds folder instead of linking it",
                )
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
        raise ContentError(
            f"cannot read this {what} ({err.strerror or err})", file=path, hint="check that it is a readable text file"
        ) from None


def read_dump_meta(dump: Path, report: IngestReport) -> DumpMeta:
    """The sidecar `<dump>.yaml` (date, added, name, url, source_urls), if there is one."""
    sidecar = dump.with_suffix(".yaml")
    if not sidecar.exists():
        return DumpMeta()
    hint = "write lines like 'date: 2026-03-19', 'name: Diplo', 'url: https://…'"
    raw = _read_seed(sidecar, report, "metadata file")
    if raw is None:
        return DumpMeta()
    if len(raw) > MAX_SIDECAR:
        raise ContentError(
            f"bad dump metadata: the file has {len(raw):,} bytes; at most {MAX_SIDECAR:,} are allowed",
            file=sidecar,
            hint=hint,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ContentError(
            f"bad dump metadata: not valid UTF-8 at byte {err.start}", file=sidecar, hint="save the file as UTF-8"
        ) from None
    data = load_yaml(text, sidecar, first_line=1, what="bad dump metadata", hint=hint) or {}
    if not isinstance(data, dict):
        raise ContentError("bad dump metadata: expected 'key: value' lines", file=sidecar, line=1, hint=hint)
    name, url = data.get("name"), data.get("url")
    date, added = (_sidecar_date(data.get(key), key, sidecar, hint) for key in ("date", "added"))
    if name is not None and not isinstance(name, str):
        raise ContentError(f"bad dump metadata: name {shown(name)} is not text", file=sidecar, hint=hint)
    url = _sidecar_link(url, "url", sidecar, hint)
    source_urls = data.get("source_urls") or {}
    if not isinstance(source_urls, dict):
        raise ContentError(
            "bad dump metadata: source_urls must map article positions to addresses",
            file=sidecar,
            hint="write it as 'source_urls: {1: https://…, 3: https://…}'",
        )
    links = {}
    for position, link in source_urls.items():
        if type(position) is not int or position < 1:
            raise ContentError(
                f"bad dump metadata: source_urls key {shown(position)} is not an article position (1, 2, …)",
                file=sidecar,
                hint="key each address by the article's position in the dump, as its source line says",
            )
        links[position] = _sidecar_link(link, f"source_urls {position}", sidecar, hint)
    return DumpMeta(date, name, url, added, links)


def _sidecar_date(value, key: str, sidecar: Path, hint: str) -> dt.date | None:
    try:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if value is not None and not isinstance(value, dt.date):
            raise ValueError
    except ValueError:
        raise ContentError(
            f"bad dump metadata: {key} {shown(value)} is not YYYY-MM-DD", file=sidecar, hint=hint
        ) from None
    return value


def _sidecar_link(value, key: str, sidecar: Path, hint: str) -> str | None:
    """A web address from the sidecar; every article page links to it, so never javascript: or data:."""
    if value is None:
        return None
    if not (isinstance(value, str) and is_web_address(value.strip())):
        raise ContentError(
            f"bad dump metadata: {key} {shown(value)} is not a web address starting with https:// or http://",
            file=sidecar,
            hint=hint,
        )
    return value.strip()


def ingest(
    seeds_dir: Path,
    content_dir: Path,
    tagger: Tagger | Callable[[], Tagger],
    today: dt.date | None = None,
    memo: Memo | None = None,
) -> IngestReport:
    """Turn every dump in `seeds_dir` into articles in `content_dir`; see the module docstring.

    An article seen for the first time enters the archive on `today` (default: `first_seen_today`)
    unless its sidecar says `added`; the manifest and its file keep that date from then on.
    `tagger` may be a function that makes one: it is called only if an article needs tagging.
    With a `memo`, ingest reuses what the last run made (see `Memo`); the result is the same."""
    if memo is None:
        return _ingest(seeds_dir, content_dir, tagger, today, {}, Renders())[0]
    inputs = memo.inputs(seeds_dir, content_dir)
    state = memo.load()
    memo.reused = state.inputs == inputs
    if memo.reused:
        return state.report()
    renders = Renders(state.rendered)
    report, wrote, placed = _ingest(seeds_dir, content_dir, tagger, today, state.made, renders)
    memo.save(inputs if not (wrote or report.errors) else "", report, placed, renders.now)
    return report


def _ingest(
    seeds_dir: Path, content_dir: Path, tagger, today: dt.date | None, made: dict[str, Made], renders: Renders
) -> tuple[IngestReport, bool, dict[str, Item]]:
    """`ingest` itself: (its report, whether it wrote any file, slug -> the dumps' article it holds)."""
    today = today or first_seen_today()
    report = IngestReport()
    manifest_path = content_dir / MANIFEST
    records = _read_manifest(manifest_path, content_dir)
    on_disk, skipped = top_level_articles(content_dir)
    report.warnings += skipped
    taken = on_disk | records.keys()
    items = _items(read_dumps(seeds_dir, report), tagger, report, made)
    matched = match(items, list(records.values()))
    unmatched = [item for item in items if id(item) not in matched]
    placed: dict[str, Item] = {}
    if unmatched:  # the manifest was lost or is older than these files: adopt them by their source
        orphans = _orphans(content_dir, on_disk - records.keys(), {item.raw.file for item in unmatched})
        matched.update(match(unmatched, orphans))
    for item in items:
        record = matched.get(id(item))
        if record is None:
            slug = _unique_slug(slugify(item.title), taken)
            taken.add(slug)
            record = Record(slug)
        record.added = item.meta.added or record.added or today
        records[record.slug] = record
        report.tags[record.slug] = item.tags
        placed[record.slug] = item
        _place(content_dir, item, record, report, renders)
    content_dir.mkdir(parents=True, exist_ok=True)
    manifest_bytes = _manifest_bytes(records)
    wrote = bool(report.written or report.updated)
    if not manifest_path.exists() or read_regular(manifest_path) != manifest_bytes:
        write_atomic(manifest_path, manifest_bytes)
        wrote = True
    return report, wrote, placed


@dataclass
class Item:
    """One article of the current dumps, ready to be written: its text, title, tags and sketch."""

    raw: RawArticle
    meta: DumpMeta
    key: str
    title: str
    tags: Tags
    sketch: tuple[int, ...]
    made_key: str  # see `made_key`

    def render_key(self, slug: str, added: dt.date) -> str:
        """A hash of all `markdown(slug, added)` is made from but the code and data files."""
        meta, raw = self.meta, self.raw
        parts: list[object] = [self.made_key, slug, added.isoformat(), str(meta.date), meta.name, meta.url]
        parts += [meta.source_urls.get(raw.position), raw.file, raw.position]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]

    def markdown(self, slug: str, added: dt.date, position: int | None = None) -> bytes:
        """The file ingest writes for this article; at another `position` if given."""
        raw = self.raw if position is None else replace(self.raw, position=position)
        return to_markdown(raw, self.title, slug, self.tags, self.meta, added).encode("utf-8")


@dataclass
class Record:
    """What the manifest remembers of one article file: where its text was, what it said, which
    bytes ingest wrote (None: not written yet; "unknown": adopted as edited by hand)."""

    slug: str
    sha256: str | None = None
    text: str | None = None  # `article_key` of the dump text the file was last made from
    file: str | None = None
    position: int | None = None
    sketch: tuple[int, ...] = ()
    added: dt.date | None = None  # when the article entered the archive

    def to_json(self) -> dict:
        return {
            "added": self.added.isoformat() if self.added else None,
            "sha256": self.sha256,
            "text": self.text,
            "file": self.file,
            "position": self.position,
            "sketch": _sketch_hex(self.sketch),
        }


def _items(found: list[tuple[RawArticle, DumpMeta]], tagger, report: IngestReport, made: dict[str, Made]) -> list[Item]:
    """One Item per distinct article text; a repeated text is reported and ingested once. What
    `made` holds for an article's headline and text is reused; the tagger is made only if needed."""
    items: list[Item] = []
    seen: dict[str, str] = {}
    for raw, meta in found:
        where = f"{raw.file}:{raw.position}"
        key = article_key(raw)
        if key in seen:
            report.duplicates.append(f"{where} repeats {seen[key]}; ingested once")
            continue
        seen[key] = where
        made_as = made_key(raw)
        known = made.get(made_as)
        if known is None:
            if not isinstance(tagger, Tagger):
                tagger = tagger()
            title = raw.headline or derive_headline(_lead(raw.paragraphs))
            known = Made(title, tagger.tag(title, list(raw.paragraphs)), sketch(raw.paragraphs))
        items.append(Item(raw, meta, key, known.title, known.tags, known.sketch, made_as))
    return items


# --- recognising an article again ----------------------------------------------------------------

# The sketch: the smallest hashes of an article's words and word pairs (a bottom-k sketch).
# Two sketches estimate the share of words and pairs two texts have in common; a corrected
# word or figure, a paragraph split in two or joined, a headline line added or removed keep
# it high, while two different news items share little beyond common words.
SKETCH_SIZE = 32
SKETCH_WORDS = 5000  # the start of a huge article is enough to recognise it
# At least this share in common: the same article, corrected. In the sample dumps a one-word
# correction keeps 0.9 or more, while two different items share at most 0.28 (two stories on
# Alibaba's AI plans). Between two such records, the one at the article's position wins a near tie.
SIMILAR, SAME_PLACE_BONUS = 0.5, 0.05
_WORDS = re.compile(r"\w+")


def sketch(paragraphs) -> tuple[int, ...]:
    """The bottom-k sketch of a text's words and word pairs (case and punctuation ignored)."""
    words = []
    for paragraph in paragraphs:
        words += _WORDS.findall(paragraph[: 20 * SKETCH_WORDS].casefold())  # a 2 MB line costs no more
        if len(words) >= SKETCH_WORDS:
            break
    words = words[:SKETCH_WORDS]
    features = {*words, *map(" ".join, zip(words, words[1:]))}
    return tuple(sorted({zlib.crc32(f.encode("utf-8")) for f in features})[:SKETCH_SIZE])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated share of the words and word pairs two sketched texts have in common (0 to 1)."""
    union = sorted({*a, *b})[:SKETCH_SIZE]
    if not union:
        return 0.0
    both = set(a) & set(b)
    return sum(h in both for h in union) / len(union)


def match(items: list[Item], records: list[Record]) -> dict[int, Record]:
    """id(item) -> the record of the same article: by exact text first, then by similar text in
    the same dump (the most similar first). Each record goes to one item at most."""
    matched: dict[int, Record] = {}
    claimed: set[int] = set()
    by_text: dict[str, list[Record]] = {}
    for record in records:
        if record.text:
            by_text.setdefault(record.text, []).append(record)
    for item in items:
        free = [r for r in by_text.get(item.key, ()) if id(r) not in claimed]
        if free:
            record = min(free, key=lambda r: (r.file != item.raw.file, r.position != item.raw.position))
            matched[id(item)] = record
            claimed.add(id(record))
    # Similar text: only pairs sharing a sketch value can be similar; best pairs first.
    index: dict[tuple[str | None, int], list[Record]] = {}
    for record in records:
        if id(record) not in claimed:
            for value in record.sketch:
                index.setdefault((record.file, value), []).append(record)
    pairs = []
    for number, item in enumerate(items):
        if id(item) in matched:
            continue
        candidates = {id(r): r for value in item.sketch for r in index.get((item.raw.file, value), ())}
        for record in candidates.values():
            score = similarity(item.sketch, record.sketch)
            if score >= SIMILAR:
                bonus = SAME_PLACE_BONUS * (record.position == item.raw.position)
                pairs.append((-score - bonus, number, record.slug, item, record))
    for _, _, _, item, record in sorted(pairs, key=lambda p: p[:3]):
        if id(item) not in matched and id(record) not in claimed:
            matched[id(item)] = record
            claimed.add(id(record))
    return matched


def _orphans(content_dir: Path, names: set[str], dumps: set[str]) -> list[Record]:
    """Records for article files the manifest does not know whose `source` is one of `dumps`.

    Their history is unknown (sha256 None until `_place` compares their bytes).
    """
    orphans = []
    for slug in sorted(names):
        record = _record_from_file(content_dir / f"{slug}.md", Record(slug))
        if record is not None and record.file in dumps:
            orphans.append(record)
    return orphans


def _record_from_file(path: Path, record: Record) -> Record | None:
    """`record` with the dump, position and sketch its file states; None if it names no source."""
    try:
        data = read_regular(path)
        if b"\nsource:" not in data:  # hand-written: spares parsing it
            return None
        meta, body, _ = split_front_matter(data.decode("utf-8"), path)
    except (OSError, UnicodeDecodeError, ContentError):
        return None
    source = meta.get("source")
    if not (isinstance(source, dict) and isinstance(source.get("file"), str) and type(source.get("position")) is int):
        return None
    added = meta.get("added")
    added = added if type(added) is dt.date else None  # an editor's odd value is not adopted
    return replace(record, file=source["file"], position=source["position"], sketch=sketch([body]), added=added)


# --- writing ----------------------------------------------------------------------------------------


def _place(content_dir: Path, item: Item, record: Record, report: IngestReport, renders: Renders) -> None:
    """Write, update, or keep one article file, record which, and remember where its text was."""
    path = content_dir / f"{record.slug}.md"
    added = record.added
    assert added is not None, "ingest dates every record before placing it"
    try:
        current = read_regular(path) if path.exists() else None
    except ContentError as err:
        report.errors.append(err)
        return
    data = renders.markdown(item, record.slug, added, current)
    if current is not None and current != data and record.sha256 in (None, UNKNOWN):
        # No record of the bytes ingest wrote (adopted, or an old manifest): the file is unedited
        # if it is what ingest writes for this article at the position the file names.
        unedited = current == item.markdown(record.slug, added, record.position)
        record.sha256 = hashlib.sha256(current).hexdigest() if unedited else UNKNOWN
        record.text = record.text or item.key
    record.file, record.position = item.raw.file, item.raw.position
    if current is None and record.sha256:
        report.kept_deleted.append(str(path))
    elif current is not None and current != data and hashlib.sha256(current).hexdigest() != record.sha256:
        report.kept_edited.append(str(path))
        if record.text != item.key:
            report.warnings.append(
                f"{path}: kept as edited by hand, but its article in {item.raw.file} (article "
                f"{item.raw.position}) changed since; to take the dump's version, delete the file and set "
                f'"sha256" to null in its "{record.slug}" entry in {content_dir / MANIFEST}; to keep '
                "yours and silence this, delete that entry"
            )
        return  # the text remembered stays the one the editor's file was made from
    else:
        if current is None:
            report.written.append(str(path))
        elif current == data:
            report.unchanged.append(str(path))
        else:
            report.updated.append(str(path))
        if current != data:
            write_atomic(path, data)
        record.sha256 = hashlib.sha256(data).hexdigest()
    record.text, record.sketch = item.key, item.sketch


def _unique_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… if another article already has it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = slug[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
    return candidate


# --- the manifest -------------------------------------------------------------------------------


def _manifest_bytes(records: dict[str, Record]) -> bytes:
    articles = {slug: record.to_json() for slug, record in records.items()}
    return (json.dumps({"version": 2, "articles": articles}, indent=1, sort_keys=True) + "\n").encode()


def _read_manifest(path: Path, content_dir: Path) -> dict[str, Record]:
    """slug -> Record. A manifest of the first format ({text key: {slug, sha256}}) is read too;
    what it lacks (dump, position, sketch) is taken from each article file."""
    if not path.exists():
        return {}
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path) from None
    if not isinstance(data, dict):
        raise _damaged(path)
    if "version" not in data:
        records = {}
        for key, entry in data.items():
            record = _valid(
                entry.get("slug") if isinstance(entry, dict) else None,
                {**entry, "text": key} if isinstance(entry, dict) else None,
                path,
                key,
            )
            records[record.slug] = _record_from_file(content_dir / f"{record.slug}.md", record) or record
        return records
    if data["version"] != 2 or not isinstance(data.get("articles"), dict):
        raise _damaged(path, f"version {shown(data['version'])} is not one this newsarchive reads")
    return {slug: _valid(slug, entry, path, slug) for slug, entry in data["articles"].items()}


_HEX = re.compile(r"(?:[0-9a-f]{8})*")


def _sketch_hex(sketch: tuple[int, ...]) -> str:
    """A sketch as stored (manifest and memo): eight hex digits per value."""
    return "".join(f"{h:08x}" for h in sketch)


def _sketch_values(sketch_hex: str) -> tuple[int, ...]:
    """The sketch `_sketch_hex` stored (checked against `_HEX` by the caller)."""
    return tuple(int(sketch_hex[i : i + 8], 16) for i in range(0, len(sketch_hex), 8))


def _valid(slug, entry, path: Path, key) -> Record:
    """The Record an entry stands for; a damaged entry is a ContentError (its slug becomes a file
    name: a hand-edited "../x" must never write outside content/)."""

    def text_or_none(name):
        return entry.get(name) is None or isinstance(entry.get(name), str)

    if not (isinstance(slug, str) and is_safe_slug(slug) and isinstance(entry, dict)):
        raise _damaged(path, f"entry {shown(key)} has no valid slug")
    sketch_hex = entry.get("sketch") or ""
    position = entry.get("position")
    if not (
        all(map(text_or_none, ("sha256", "text", "file")))
        and isinstance(sketch_hex, str)
        and _HEX.fullmatch(sketch_hex)
        and (position is None or type(position) is int)
    ):
        raise _damaged(path, f"entry {shown(key)} is not what ingest writes")
    values = _sketch_values(sketch_hex)
    try:
        added = dt.date.fromisoformat(entry["added"]) if entry.get("added") else None
    except (TypeError, ValueError):
        raise _damaged(path, f"entry {shown(key)} has an 'added' date that is not YYYY-MM-DD") from None
    return Record(slug, entry.get("sha256"), entry.get("text"), entry.get("file"), position, values, added)


def _damaged(path: Path, detail: str = "") -> ContentError:
    return ContentError(
        "the ingest manifest is damaged" + (f": {detail}" if detail else ""),
        file=path,
        hint="restore it from git, or delete it: ingest then recognises each article file by "
        "its source and text, and keeps the ones edited by hand",
    )


# --- what one run leaves for the next --------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """What ingest makes of one article's headline and text: its title, tags and sketch."""

    title: str
    tags: Tags
    sketch: tuple[int, ...]


def made_key(raw: RawArticle) -> str:
    """What `Made` depends on in an article: its headline line, if any, and its paragraphs."""
    return hashlib.sha256(json.dumps([raw.headline, raw.paragraphs]).encode("utf-8")).hexdigest()[:32]


class Renders:
    """The files ingest wrote, by `Item.render_key`: the hash of their bytes. A file whose bytes
    have the hash remembered for what it would be made from now is what ingest would write
    (front matter is most of the cost of a run that tags nothing)."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known = known or {}
        self.now: dict[str, str] = {}

    def markdown(self, item: Item, slug: str, added: dt.date, current: bytes | None) -> bytes:
        """`item.markdown(slug, added)`: `current` if it is that file, else made anew."""
        key = item.render_key(slug, added)
        if current is not None and self.known.get(key) == (digest := hashlib.sha256(current).hexdigest()):
            data = current
        else:
            data = item.markdown(slug, added)
            digest = hashlib.sha256(data).hexdigest()
        self.now[key] = digest
        return data


_REPORT_LISTS = ("written", "updated", "unchanged", "kept_edited", "kept_deleted", "duplicates", "warnings")


@dataclass
class Memo:
    """What ingest keeps for its next run, in the file `path` (in the build cache), valid while
    `version` (`cache.ingest_version`: the code and data files tags and headlines come from) holds.

    It holds each article's `Made`, by headline and text: an unchanged article is not tagged again,
    and when no article needs tagging the registry is not even loaded; and the hash of each file
    ingest wrote, by what it was made from (`Renders`): a file still so is not made again. And,
    after a run that wrote nothing and found no error, the signature of all it read (dumps and
    sidecars by their bytes, the content folder by stat keys, `version`) with its report: a run
    finding the same signature would do the same again, so it returns that report without reading
    anything else. The file is written last, in one rename; a run killed before leaves the last
    one, still true of its inputs.
    """

    path: Path
    version: str
    # The content folder's `scan` as the run found it, and whether the run returned the last
    # report (then it wrote nothing, and the build need not scan the folder again).
    scanned: dict = field(default_factory=dict, repr=False)
    reused: bool = False

    def inputs(self, seeds_dir: Path, content_dir: Path) -> str:
        """The signature of everything an ingest of these folders reads, as they are now."""
        extra = f"{self.version}\0{seeds_dir}\0{content_dir}"
        self.scanned = scan(content_dir)
        return tree_signature(seeds_dir, content_dir, extra=extra, scans={content_dir: self.scanned})

    def load(self) -> _Kept:
        """What the last run kept; nothing if it is missing, damaged or for another `version`."""
        try:
            value = read_checked(self.path)
            if type(value) is dict and value.get("version") == self.version:
                return _Kept.decode(value)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # a damaged memo costs a slower run, never another result
        return _Kept()

    def save(self, inputs: str, report: IngestReport, placed: dict[str, Item], rendered: dict[str, str]) -> None:
        """Keep what this run made; `inputs` ("" unless it wrote nothing) with its report."""
        made = {item.made_key: _made_json(item) for item in placed.values()}
        saved = None
        if inputs:
            saved = {name: getattr(report, name) for name in _REPORT_LISTS}
            saved["tags"] = {slug: item.made_key for slug, item in placed.items()}
        value = {"version": self.version, "inputs": inputs, "report": saved, "made": made, "rendered": rendered}
        write_checked(self.path, value)


def _made_json(item: Item) -> list:
    tags = item.tags
    return [item.title, *(list(getattr(tags, f.name)) for f in fields(Tags)), _sketch_hex(item.sketch)]


@dataclass
class _Kept:
    """A memo as read: the signature and report of a run that wrote nothing, and articles made."""

    inputs: str = ""
    saved: dict | None = None
    made: dict[str, Made] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)

    @classmethod
    def decode(cls, value: dict) -> _Kept:
        """Every value type-checked (ValueError otherwise): a stale or damaged entry is never trusted."""
        made = {}
        for key, (title, *lists, sketch_hex) in value["made"].items():
            _need(type(title) is str and type(sketch_hex) is str and _HEX.fullmatch(sketch_hex) is not None)
            if len(lists) != len(fields(Tags)):
                raise ValueError("a memo entry of another shape")
            parents = tuple((name, parent) for name, parent in lists[-1])
            _need(all(type(name) is str and type(parent) is str for name, parent in parents))
            topics, companies, discovered, suggested, organisations, actors, countries = (
                tuple(_texts(names)) for names in lists[:-1]
            )
            tags = Tags(topics, companies, discovered, suggested, organisations, actors, countries, parents)
            made[key] = Made(title, tags, _sketch_values(sketch_hex))
        saved = value["report"]
        inputs = value["inputs"] if type(value["inputs"]) is str else ""
        if saved is not None:
            _need(type(saved) is dict and all(_texts(saved[name]) is not None for name in _REPORT_LISTS))
            _need(type(saved["tags"]) is dict and all(key in made for key in saved["tags"].values()))
        rendered = value["rendered"]
        _need(type(rendered) is dict and all(type(v) is str and _SHA256.fullmatch(v) for v in rendered.values()))
        return cls(inputs if saved is not None else "", saved, made, rendered)

    def report(self) -> IngestReport:
        """The report the run that wrote nothing gave (it had no errors)."""
        assert self.saved is not None
        lists = {name: list(self.saved[name]) for name in _REPORT_LISTS}
        return IngestReport(**lists, tags={slug: self.made[key].tags for slug, key in self.saved["tags"].items()})


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _need(ok: bool) -> None:
    if not ok:
        raise ValueError("unexpected value in the ingest memo")


def _texts(value) -> list:
    _need(type(value) is list and all(type(item) is str for item in value))
    return value
