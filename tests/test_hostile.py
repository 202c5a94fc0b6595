"""Hostile and broken input through the whole pipeline.

Every dump is read or refused with its file named, the other dumps still build; front matter
mistakes are errors with file and line; no markup from the input runs in any output file; nothing
is written outside the output folder; the dev server serves files under site/ only.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT_PARTS, ROOT, copy_project, run_cli, start_serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content import load_articles
from builder.errors import ContentError
from builder.frontmatter import article_text, read_article
from builder.ingest import ingest
from builder.registry import load_registry
from builder.tagging import Tagger

MARKER = "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!"

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    '"><svg onload=alert(3)>',
    "javascript:alert('x4')",
    "<a href=\"javascript:alert('x5')\">five</a>",
    "' onmouseover='alert(6)",
    "</script><script>alert(7)</script>",
    "<iframe src=javascript:alert(8)>",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
]
MARKDOWN_PAYLOADS = [
    "[click me](javascript:alert('m1'))",
    "![pic](javascript:alert('m2'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert('m3')>",
    "[vb](vbscript:msgbox('m4'))",
    "[spaced](  JaVaScRiPt:alert('m5'))",
    "[entity](jav&#x09;ascript:alert('m6'))",
]


def _project(tmp_path: Path, name: str = "project") -> Path:
    root = copy_project(tmp_path / name, [p for p in PROJECT_PARTS if p != "seeds"])
    (root / "seeds").mkdir(exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    return root


def _files_outside(root: Path, *skip: str) -> dict[str, str]:
    """Hash of every file under `root` except the named top-level folders."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip or not path.is_file():
            continue
        found[str(relative)] = hashlib.sha1(path.read_bytes()).hexdigest()
    return found


# --- dumps through the CLI -------------------------------------------------------------------


def _headlined(tag: str, n: int = 2) -> str:
    return "".join(
        f"Headline {tag} {i}\n\nBody of {tag} story {i}, with words.\n\nMore of {tag} {i}.\n\n{MARKER}\n\n"
        for i in range(n)
    )


HOSTILE_DUMPS: dict[str, bytes] = {
    "good.txt": _headlined("good").encode(),
    "empty.txt": b"",
    "only-markers.txt": (MARKER + "\n").encode() * 5,
    "marker-mid-line.txt": f"Midline one ends here. {MARKER} Midline two starts here.\n".encode(),
    "five-markers.txt": f"Fivefold before.\n{MARKER * 5}\nFivefold after.\n".encode(),
    "no-marker.txt": b"Nomarker paragraph one.\nNomarker paragraph two.\n",
    "long-line.txt": ("Longline " + "word " * 400_000).encode() + b"\n",
    "nul-bytes.txt": b"Nulbytes text that goes on for a while\x00 and on.\n" * 20,
    "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "latin1.txt": "Latinone caf\u00e9 na\u00efve r\u00e9sum\u00e9.\n".encode("latin-1"),
    "cp1252.txt": "Windows \u201cquoted\u201d caf\u00e9 \u2013 \u20ac5.\n".encode("cp1252"),
    "utf16.txt": "Utfsixteen caf\u00e9 \u201cquoted\u201d.\r\nSecond utf16 line.\r\n".encode("utf-16"),
    "mixed-eol.txt": b"Mixedeol one.\r\nMixedeol two.\rMixedeol three.\nMixedeol four.\n",
    "tabs-nbsp.txt": "Tabs\there and\u00a0nbsp there.\n\u00a0\t\nTabs second.\n".encode(),
    "zero-width.txt": "Zero\u200bwidth\u200c text\u200d here.\n\u200b\nZerowidth second.\n".encode(),
    "rtl.txt": "\u0645\u0631\u062d\u0628\u0627 rtltext \u05e9\u05dc\u05d5\u05dd \u202eesrever\u202c.\n".encode(),
    "emoji.txt": "Emoji launch \U0001f680\U0001f469\u200d\U0001f4bb \U0001f1fa\U0001f1e6.\n".encode(),
    "big.txt": b"".join(
        (
            f"Bigdump item {i}\n\n"
            + "".join(f"Regulators examined proposal {i}.{j} in detail. " * 8 + "\n\n" for j in range(150))
            + MARKER
            + "\n\n"
        ).encode()
        for i in range(40)
    ),
}
EXPECTED_TEXT = {  # dump -> text that must appear on some article page
    "good.txt": "Body of good story 1, with words.",
    "marker-mid-line.txt": "Midline two starts here.",
    "five-markers.txt": "Fivefold after.",
    "no-marker.txt": "Nomarker paragraph two.",
    "long-line.txt": "Longline word word",
    "nul-bytes.txt": "Nulbytes text that goes on for a while and on.",
    "latin1.txt": "Latinone caf\u00e9 na\u00efve r\u00e9sum\u00e9.",
    "cp1252.txt": "Windows \u201cquoted\u201d caf\u00e9 \u2013 \u20ac5.",
    "utf16.txt": "Second utf16 line.",
    "mixed-eol.txt": "Mixedeol four.",
    "tabs-nbsp.txt": "Tabs second.",
    "zero-width.txt": "Zerowidth second.",
    "rtl.txt": "\u05e9\u05dc\u05d5\u05dd",
    "emoji.txt": "\U0001f680\U0001f469\u200d\U0001f4bb",
    "big.txt": "Regulators examined proposal 39.149 in detail.",
}


@pytest.fixture(scope="module")
def hostile_dumps_site(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("dumps"))
    for name, data in HOSTILE_DUMPS.items():
        (root / "seeds" / name).write_bytes(data)
    (root / "seeds" / "folder.txt").mkdir()  # a folder named like a dump
    before = _files_outside(root, "site", ".site.build", "content", ".cache")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    return root, result, before


def test_hostile_dumps_are_read_or_refused_and_the_rest_builds(hostile_dumps_site):
    root, result, before = hostile_dumps_site
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1  # the refused dumps are errors…
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, result.stderr
    assert any("binary.txt: this is a binary file (a PNG image)" in e for e in errors)
    assert any("folder.txt: cannot read this dump" in e for e in errors)
    assert "hint: " in result.stderr
    # …but every other dump was ingested and published.
    pages = {p: p.read_text("utf-8") for p in (root / "site" / "articles").rglob("index.html")}
    for dump, text in EXPECTED_TEXT.items():
        assert any(text in html for html in pages.values()), f"{dump}: {text!r} is on no page"
    warnings = result.stdout
    assert "latin1.txt: line 1: not valid UTF-8" in warnings and "cp1252.txt: line 1:" in warnings
    assert "nul-bytes.txt: removed 20 invisible control character(s)" in warnings
    # Nothing outside site/ and content/ changed.
    assert _files_outside(root, "site", ".site.build", "content", ".cache") == before


def test_no_page_shows_a_marker_or_a_control_character(hostile_dumps_site):
    root, _, _ = hostile_dumps_site
    for path in (root / "site").rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text("utf-8")
            assert "Diplo chatbot" not in text, path
            assert "\x00" not in text and "\ufffd" not in text, path


# --- front matter and files through the CLI ----------------------------------------------------

BAD_ARTICLES = {
    "invalid-yaml.md": ("---\ntitle: [unclosed\n---\nBody.\n", 2, "invalid front matter"),
    "list-title.md": ("---\ntitle: [A, B]\n---\nBody.\n", 2, "expected text, found a list"),
    "bad-date.md": ("---\ntitle: Dated\ndate: next week\n---\nBody.\n", 3, "is not a date"),
    "long-title.md": (f"---\ntitle: {'Long ' * 2000}\n---\nBody.\n", 2, "at most 300 are allowed"),
    "empty-title.md": ("---\ntitle:\n---\nBody.\n", 2, "a non-empty title is required"),
    "traversal.md": ("---\ntitle: T\nslug: ../../etc/passwd\n---\nBody.\n", 3, "is not a valid slug"),
    "device.md": ("---\ntitle: T\nslug: con\n---\nBody.\n", 3, "Windows reserves"),
    "dot-git.md": ("---\ntitle: T\nslug: .git\n---\nBody.\n", 3, "is not a valid slug"),
    "slash.md": ("---\ntitle: T\nslug: a/b\n---\nBody.\n", 3, "is not a valid slug"),
    "backslash.md": ("---\ntitle: T\nslug: 'a\\b'\n---\nBody.\n", 3, "is not a valid slug"),
    "encoded.md": ("---\ntitle: T\nslug: '%2e%2e'\n---\nBody.\n", 3, "is not a valid slug"),
    "alias.md": ("---\ntitle: T\naliases: ['../../../index']\n---\nBody.\n", 3, "not an old slug"),
    "js-url.md": (
        "---\ntitle: T\nsource: {file: x.txt, position: 1, url: 'javascript:alert(1)'}\n---\nB.\n",
        3,
        "is not a web address",
    ),
    "dup-a.md": ("---\ntitle: Dup A\nslug: same\n---\nBody.\n", None, None),
    "dup-b.md": ("---\ntitle: Dup B\nslug: same\n---\nBody.\n", 1, "slug 'same' is already used by"),
}


def test_front_matter_mistakes_fail_the_build_with_file_line_and_hint_and_publish_nothing(tmp_path):
    root = _project(tmp_path)
    for name, (text, _, _) in BAD_ARTICLES.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    (root / "content" / "unknown-key.md").write_text("---\ntitle: Fine\nmood: happy\n---\nFine.\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret outside\n---\nSecret.\n")
    os.symlink(outside / "secret.md", root / "content" / "escape.md")
    before = _files_outside(tmp_path, "project")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for name, (_, line, words) in BAD_ARTICLES.items():
        if words is None:
            continue
        location = f"{root / 'content' / name}:{line}: " if line > 1 else f"{root / 'content' / name}: "
        assert any(location in said and words in said for said in result.stderr.splitlines()), (name, result.stderr)
    assert f"{root / 'content' / 'escape.md'}: this file is a link to a file outside" in result.stderr
    assert result.stderr.count("hint: ") >= len(BAD_ARTICLES)
    assert not (root / "site").exists()  # nothing published while content has errors
    assert _files_outside(tmp_path, "project") == before  # nothing written outside the project
    assert not list(tmp_path.rglob("passwd*")) and not (root / "index").exists()


@pytest.mark.parametrize("version", [1, 2])
def test_a_damaged_manifest_cannot_make_ingest_write_outside_content(tmp_path, version):
    root = _project(tmp_path)
    (root / "seeds" / "d.txt").write_text(_headlined("manifest", 1))
    run_cli("ingest", cwd=root)
    manifest = root / "content" / ".ingest.json"
    data = json.loads(manifest.read_text())
    if version == 1:  # the first format: {text key: {slug, sha256}}
        data = {"0123abcd": {"slug": "../../escaped", "sha256": None}}
    else:
        entry = next(iter(data["articles"].values()))
        data["articles"] = {"../../escaped": {**entry, "sha256": None}}
    manifest.write_text(json.dumps(data))
    for path in (root / "content").glob("*.md"):
        path.unlink()
    result = run_cli("ingest", cwd=root, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the ingest manifest is damaged" in result.stderr and ".ingest.json" in result.stderr
    assert not list(tmp_path.rglob("escaped*"))


def test_a_dump_linked_from_outside_the_seeds_folder_is_not_read(tmp_path):
    root = _project(tmp_path)
    secret = tmp_path / "private.txt"
    secret.write_text("Private notes that must not be published.\n")
    os.symlink(secret, root / "seeds" / "linked.txt")
    (root / "seeds" / "good.txt").write_text(_headlined("linked", 1))
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert "linked.txt: this dump is a link to a file outside the seeds folder" in result.stderr
    assert not any("Private notes" in p.read_text() for p in (root / "content").glob("*.md"))
    assert (root / "site" / "index.html").exists()


def test_a_javascript_url_in_dump_metadata_is_refused(tmp_path):
    root = _project(tmp_path)
    (root / "seeds" / "d.txt").write_text(_headlined("sidecar", 1))
    (root / "seeds" / "d.yaml").write_text("name: Evil\nurl: 'javascript:alert(1)'\n")
    result = run_cli("ingest", cwd=root, check=False)
    assert result.returncode == 1 and "d.yaml: bad dump metadata" in result.stderr
    assert "not a web address" in result.stderr


# --- markup injection: parse every output file ------------------------------------------------


class _Scan(HTMLParser):
    """Collects what could run in a page: elements, event handlers, script-capable URLs, text."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "content"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.ld_json: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRS and value and _script_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        kind = dict(attrs).get("type")
        if tag == "script":
            src = dict(attrs).get("src")
            if kind == "application/ld+json":
                self._in = "ld"
            elif not (src and ("/static/" in src or "/pagefind/" in src)):
                self._in = "script"
                self.problems.append(f"<script {attrs}>")
        elif tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            self.problems.append(f"<{tag}>")
        elif tag == "meta" and dict(attrs).get("http-equiv"):
            # Only the redirect pages of old slugs may refresh, and only to a site URL.
            target = (dict(attrs).get("content") or "").partition("url=")[2]
            if dict(attrs)["http-equiv"].lower() != "refresh" or _script_url(target):
                self.problems.append(f"<meta {attrs}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.ld_json.append(data)
        elif self._in is None:
            self.text.append(data)


def _script_url(value: str) -> bool:
    squashed = "".join(c for c in value if not c.isspace() and ord(c) > 32).lower()
    return squashed.startswith(("javascript:", "vbscript:", "data:text/html", "data:image/svg"))


def _scan_html(html: str, where: str) -> _Scan:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    assert not scan.problems, f"{where}: {scan.problems}"
    for block in scan.ld_json:
        assert "<" not in block and ">" not in block, where
        json.loads(block)
    return scan


def _scan_xml(data: bytes, where: str) -> list[str]:
    """Parse an XML file; HTML inside Atom <content type="html"> is scanned as a page."""
    root = ET.fromstring(data)  # raises on anything that is not well-formed XML
    texts = []
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not _script_url(value), f"{where}: {element.tag} {name}={value!r}"
        if element.text:
            texts.append(element.text)
            if element.get("type") == "html":
                texts += _scan_html(element.text, where).text
    return texts


def _hand_written(payload_index: int) -> str:
    payload = PAYLOADS[payload_index % len(PAYLOADS)]
    meta = {
        "title": f"Title {payload_index} {payload}",
        "slug": f"hand-{payload_index}",
        "date": f"2026-03-{payload_index + 1:02d}",
        "summary": f"Summary {payload}",
        "topics": [f"Topic {payload}", "Artificial intelligence"],
        "companies": [f"Company {payload}", "OpenAI"],
        "organisations": [f"Org {payload}"],
        "source": {
            "file": f"{payload}.txt",
            "position": 1,
            "name": f"Source {payload}",
            "url": "https://example.org/a?b=1&c=2#'x'",
        },
        "aliases": [f"old-hand-{payload_index}"],
    }
    body = "\n\n".join([f"Body {payload}", *MARKDOWN_PAYLOADS, f'<div onclick="x()">{payload}</div>'])
    return article_text(meta, body)


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("inject"))
    headlined = "".join(
        f"Headline {p}\n\nBody paragraph {p} with text.\n\n{m}\n\n{MARKER}\n\n"
        for p, m in zip(PAYLOADS, MARKDOWN_PAYLOADS * 2)
    )
    lines = "".join(
        f"Line dump paragraph {p} goes here.\nIts second line {m}.\n{MARKER}\n"
        for p, m in zip(PAYLOADS, MARKDOWN_PAYLOADS * 2)
    )
    (root / "seeds" / "headlined.txt").write_text(headlined, encoding="utf-8")
    (root / "seeds" / "lines <script>.txt").write_text(lines, encoding="utf-8")
    for i in range(len(PAYLOADS)):
        (root / "content" / f"hand-{i}.md").write_text(_hand_written(i), encoding="utf-8")
    run_cli("build", "--no-search", "--base-url", "https://news.example.org/sub/", cwd=root)
    return root


def test_no_output_file_carries_executable_markup_from_the_input(injected_site):
    site = injected_site / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50
    texts = []
    for path in files:
        where = str(path.relative_to(site))
        data = path.read_bytes()
        if path.suffix == ".html":
            texts += _scan_html(data.decode("utf-8"), where).text
        elif path.suffix == ".xml":
            texts += _scan_xml(data, where)
        elif path.suffix == ".json":
            json.loads(data)
    shown = "\n".join(texts)
    # The text is escaped, not deleted: every payload can still be read on some page.
    for payload in PAYLOADS + MARKDOWN_PAYLOADS[:2]:
        assert payload in shown, payload


def test_article_pages_show_payloads_as_text_in_every_field(injected_site):
    html = (injected_site / "site" / "articles" / "hand-0" / "index.html").read_text("utf-8")
    scan = _scan_html(html, "hand-0")
    text = "".join(scan.text)
    for shown in (
        "Title 0 <script>alert('x1')</script>",
        "Body <script>alert('x1')</script>",
        "Source <script>alert('x1')</script>",
        "[click me](javascript:alert('m1'))",
        '<div onclick="x()">',
    ):
        assert shown in text, shown
    assert "<script>alert" not in html and 'onclick="x()"' not in html
    data = json.loads(scan.ld_json[0])
    assert data["headline"] == "Title 0 <script>alert('x1')</script>"


def test_term_pages_of_hostile_tag_names_have_safe_urls(injected_site):
    site = injected_site / "site"
    folders = [p.name for p in (site / "topics").iterdir() if p.is_dir()]
    assert all(set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for name in folders), folders
    assert "topic-script-alert-x1-script" in folders


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip),
        min_size=6,
        max_size=6,
    )
)
def test_any_front_matter_values_never_emit_an_unescaped_lt(values, tmp_path_factory):
    from builder.archive import build_archive
    from builder.pages import plan_pages
    from builder.render import Renderer, Site

    marked = [f"<b>{v}" for v in values]  # each value carries a '<' that must come out escaped
    meta = {
        "title": marked[0],
        "slug": "x",
        "summary": marked[1],
        "topics": [marked[2]],
        "companies": [marked[3]],
        "source": {"file": marked[4], "position": 1, "name": marked[5]},
    }
    article = read_article(Path("x.md"), article_text(meta, "Body."))
    archive = build_archive([article], load_registry(ROOT / "data"))
    renderer = Renderer(ROOT / "templates", Site("T", "D", "en", "https://example.org/"))
    for page in plan_pages(archive, 10):
        output = renderer.render(page).decode("utf-8")
        assert "<b>" not in output, page.path


def test_a_tag_named_like_an_overview_page_does_not_break_the_build(tmp_path):
    root = _project(tmp_path)
    (root / "content" / "clash.md").write_text("---\ntitle: Clash\ntopics: [By count]\n---\nText.\n")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0


# --- properties of ingest ----------------------------------------------------------------------

# Control characters and the non-characters U+FFFE/U+FFFF are removed on reading (docs/errors.md).
_WORD = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=10,
)


@st.composite
def _dumps(draw):
    """(dump text, its articles as lists of paragraphs); every paragraph unique."""
    blocks = draw(st.booleans())
    articles = draw(
        st.lists(st.lists(st.lists(_WORD, min_size=1, max_size=10), min_size=1, max_size=5), min_size=0, max_size=5)
    )
    counter = iter(range(10_000))
    articles = [[f"{' '.join(words)} p{next(counter)}" for words in article] for article in articles]
    separator = "\n\n" if blocks else "\n"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "".join(separator.join(a) + f"{separator}{MARKER}{separator}" for a in articles)
    return text.replace("\n", newline), articles


@pytest.fixture(scope="module")
def tagger():
    return Tagger(load_registry(ROOT / "data"))


def _content_snapshot(content: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(content.iterdir()) if p.is_file()}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(dump=_dumps())
def test_ingest_keeps_every_paragraph_exactly_once_and_is_idempotent(dump, tagger, tmp_path_factory):
    text, articles = dump
    folder = tmp_path_factory.mktemp("prop")
    seeds, content = folder / "seeds", folder / "content"
    seeds.mkdir()
    (seeds / "d.txt").write_bytes(text.encode("utf-8"))
    report = ingest(seeds, content, tagger)
    assert not report.errors
    loaded, errors = load_articles(content)
    assert not errors and len(loaded) == len(articles)
    found = []
    for article in loaded:
        body = [p.removeprefix("## ") for p in article.body.rstrip("\n").split("\n\n")]
        found += body
        expected = next(a for a in articles if a[-1] == body[-1])
        if len(body) < len(expected):  # the first paragraph became the headline
            assert article.title == " ".join(expected[0].split())
            found.append(expected[0])
    assert sorted(found) == sorted(p for a in articles for p in a)
    before = _content_snapshot(content)
    again = ingest(seeds, content, tagger)
    assert not again.written and not again.updated
    assert _content_snapshot(content) == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=500).map(lambda t: t.encode("utf-16")),
    )
)
def test_ingest_never_raises_on_any_bytes(data, tagger, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / "seeds").mkdir()
    (folder / "seeds" / "d.txt").write_bytes(data)
    report = ingest(folder / "seeds", folder / "content", tagger)
    for error in report.errors:
        assert isinstance(error, ContentError) and error.file.endswith("d.txt") and error.hint
    _, errors = load_articles(folder / "content")
    assert not errors, [str(e) for e in errors]


# --- the dev server ----------------------------------------------------------------------------


def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send `GET target` exactly as written (no client-side normalisation); (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
    return status, response


SECRET = "TOP-SECRET-OUTSIDE-SITE-7f3a"


def test_the_dev_server_serves_files_under_site_only(tmp_path):
    root = _project(tmp_path)
    (root / "seeds" / "d.txt").write_text(_headlined("served", 1))
    (root / "site.toml").write_text((root / "site.toml").read_text() + f"\n# {SECRET}\n")
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "content" / "note.txt").write_text(SECRET)
    server, port = start_serve(root)
    try:
        deadline = time.time() + 60
        while True:
            try:
                status, body = _raw_get(port, "/")
                if status == 200 and b"Headline served 0" in body:
                    break
            except OSError:
                pass
            assert time.time() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)
        attacks = [
            "/../site.toml",
            "/../../secret.txt",
            "/../content/note.txt",
            "/static/../../site.toml",
            "/%2e%2e/site.toml",
            "/%2e%2e/%2e%2e/secret.txt",
            "/..%2fsite.toml",
            "/%2e%2e%2fsite.toml",
            "/static/%2e%2e/%2e%2e/site.toml",
            "/..%5csite.toml",
            "/%2e%2e%5c%2e%2e%5csecret.txt",
            "/%252e%252e/site.toml",
            "/.%2e/site.toml",
            "//etc/passwd",
            f"/{tmp_path}/secret.txt",
            f"//{tmp_path}/secret.txt",
            "/%2f" + str(tmp_path).lstrip("/").replace("/", "%2f") + "%2fsecret.txt",
            "/../../../../../../etc/passwd",
            "/..;/site.toml",
            "/%c0%ae%c0%ae/site.toml",
            "/site.toml%00.html",
            "http://127.0.0.1/../site.toml",
            "/" + "a" * 100_000,
            "/articles/" + "%2e%2e/" * 2000 + "site.toml",
        ]
        for target in attacks:
            status, body = _raw_get(port, target)
            assert SECRET.encode() not in body, target
            assert b"root:x:0:0" not in body, target
            refused = (0, 400, 403, 404, 414, 431)
            assert status in refused or (status == 200 and b"<!DOCTYPE html>" in body), (target, status)
        status, body = _raw_get(port, "/articles/")
        assert status in (200, 403, 404)
        assert _raw_get(port, "/static/style.css")[0] == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


# --- bounded input: every hostile file costs little time and memory -------------------

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def _run_bounded(root: Path, *args: str, seconds: int = 60, memory: int = 1 << 30):
    """The CLI in a subprocess with a time limit and at most `memory` bytes of address space."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=seconds,
        preexec_fn=limit,
    )


@pytest.mark.parametrize("key", ["date", "slug", "topics", "source"])
def test_an_alias_bomb_in_front_matter_is_refused_with_its_line(tmp_path, key):
    root = _project(tmp_path)
    (root / "content" / "bomb.md").write_text(f"---\ntitle: Bomb\n{ALIAS_BOMB}{key}: *i\n---\nBody.\n")
    result = _run_bounded(root, "build", "--no-search")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{root / 'content' / 'bomb.md'}:3: invalid front matter: YAML anchors and aliases" in result.stderr
    assert "hint: write each value out in full" in result.stderr


@pytest.mark.parametrize(
    "sidecar, line, words",
    [
        (ALIAS_BOMB + "date: *i\n", 1, "bad dump metadata: YAML anchors and aliases"),
        ("date: " + "[" * 60_000 + "\n", 1, "bad dump metadata: values are nested too deeply"),
        ("name: " + "x" * 100_000 + "\n", None, "bad dump metadata: the file has 100,007 bytes"),
        ("date: [" + "2026-01-01, " * 5000 + "]\n", None, "bad dump metadata: date [datetime.date(2026, 1, 1), "),
    ],
)
def test_a_hostile_sidecar_is_refused_quickly_and_the_other_dumps_build(tmp_path, sidecar, line, words):
    root = _project(tmp_path)
    (root / "seeds" / "bomb.txt").write_text(_headlined("bomb", 1))
    (root / "seeds" / "bomb.yaml").write_text(sidecar)
    (root / "seeds" / "good.txt").write_text(_headlined("good", 1))
    result = _run_bounded(root, "build", "--no-search")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    where = f"{root / 'seeds' / 'bomb.yaml'}" + (f":{line}" if line else "")
    error = next(e for e in result.stderr.splitlines() if "bomb.yaml" in e)
    assert f"{where}: {words}" in error and len(error) < 400, error
    assert (root / "site" / "articles" / "headline-good-0" / "index.html").exists()


def test_fifos_in_content_and_seeds_are_skipped_with_a_warning(tmp_path):
    root = _project(tmp_path)
    (root / "seeds" / "good.txt").write_text(_headlined("fifo", 1))
    (root / "content" / "note.md").write_text("---\ntitle: A note\n---\nBody.\n")
    for fifo in ("seeds/pipe.txt", "seeds/good.yaml", "content/pipe.md"):
        os.mkfifo(root / fifo)
    (root / "content" / "sub").mkdir()
    os.mkfifo(root / "content" / "sub" / "deep.md")
    result = _run_bounded(root, "build", "--no-search", seconds=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    for fifo in ("seeds/pipe.txt", "seeds/good.yaml", "content/pipe.md", "content/sub/deep.md"):
        assert f"warning: {root / fifo}: skipped: this is a named pipe (FIFO)" in result.stdout, fifo
    assert (root / "site" / "articles" / "headline-fifo-0" / "index.html").exists()
    assert (root / "site" / "articles" / "note" / "index.html").exists()


def test_a_fifo_in_place_of_the_ingest_manifest_is_an_error_not_a_hang(tmp_path):
    root = _project(tmp_path)
    (root / "seeds" / "good.txt").write_text(_headlined("fifo", 1))
    os.mkfifo(root / "content" / ".ingest.json")
    result = _run_bounded(root, "ingest", seconds=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{root / 'content' / '.ingest.json'}: cannot read this file: it is a named pipe (FIFO)" in result.stderr


def test_an_article_with_a_thousand_topics_is_refused_quickly(tmp_path):
    root = _project(tmp_path)
    topics = ", ".join(f"Topic {i}" for i in range(1000))
    (root / "content" / "many.md").write_text(f"---\ntitle: Many\ntopics: [{topics}]\n---\nBody.\n")
    result = _run_bounded(root, "build", "--no-search", seconds=20)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{root / 'content' / 'many.md'}:3: 'topics': 1000 names; at most 50 are allowed" in result.stderr
