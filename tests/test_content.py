"""Articles on disk: front matter is validated with file, line and hint; nothing is silently dropped."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content import body_of, load_articles
from builder.errors import ContentError
from builder.frontmatter import MAX_TITLE, article_text, read_article, split_front_matter
from builder.model import Article


def _read(front: str, body: str = "Body text.\n", name: str = "story.md") -> object:
    return read_article(Path("content") / name, f"---\n{front}---\n{body}")


def _error(front: str, name: str = "story.md") -> ContentError:
    with pytest.raises(ContentError) as err:
        _read(front, name=name)
    return err.value


def test_a_valid_article():
    article = _read(
        "title: Hello\nslug: hello\ndate: 2026-03-19\ntopics: [AI, Chips]\n"
        "source: {file: d.txt, position: 2, url: 'https://example.org/a'}\n"
    )
    assert (article.slug, article.title, article.date) == ("hello", "Hello", dt.date(2026, 3, 19))
    assert article.topics == ("AI", "Chips") and article.source.url == "https://example.org/a"


@pytest.mark.parametrize(
    "front, line, words",
    [
        ("title: [unclosed\nslug: x\n", 2, "invalid front matter"),
        ("title: Hello\nslug: x\nsummary: 'open quote\n", 4, "invalid front matter"),
        ("title: Hello\n  bad: indent\n", 3, "invalid front matter"),
        ("title: " + "[" * 20 + "]" * 20 + "\n", 2, "expected text, found a list"),
        ("title: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, "nested too deeply"),
        ("title:\n" + "".join(" " * i + "- \n" for i in range(1, 1000)), 2, "nested too deeply"),
        ("title:\n  " + "- " * 60_000 + "x\n", 2, "nested too deeply"),
        ("title: Hi\ntopics: [!!int abc]\n", 3, "'abc' cannot be read"),
        ("title: !!python/object/apply:os.system [echo hi]\n", 2, "invalid front matter"),
        ("title: [A, B]\nslug: x\n", 2, "expected text, found a list"),
        ("title: 2026\n", 2, "found a number"),
        ("title: yes\n", 2, "found yes/no"),
        ("title: 2026-03-19\n", 2, "found a date"),
        ("slug: x\ntitle:\n", 3, "title is required"),
        ("slug: x\ntitle: ''\n", 3, "title is required"),
        ("slug: x\ntitle: '   '\n", 3, "title is blank"),
        (f"slug: x\ntitle: {'Long ' * 2000}\n", 3, f"at most {MAX_TITLE}"),
        ("title: Hi\nsummary: [a, b]\n", 3, "'summary': expected text, found a list"),
        ("title: Hi\ntopics: {a: b}\n", 3, "expected a list of names"),
        ("title: Hi\ntopics: [AI, [nested]]\n", 3, "found a list in it"),
        ("title: Hi\ncompanies: [Apple, '']\n", 3, "found an empty name"),
        ("title: Hi\ncompanies: [Apple, 1984]\n", 3, "found a number in it"),
        ("title: Hi\ndate: tomorrow\n", 3, "'tomorrow' is not a date"),
        ("title: Hi\ndate: 2026-02-30\n", 3, "'2026-02-30' cannot be read: day is out of range"),
        ("title: Hi\ndate: '2026-02-30'\n", 3, "'2026-02-30' is not a date"),
        ("title: Hi\ndate: '2026-03-19 is the day'\n", 3, "is not a date"),
        ("title: Hi\ndate: 12\n", 3, "is not a date"),
        ("title: Hi\nsource: nowhere\n", 3, "expected {file: NAME, position: N}"),
        ("title: Hi\nsource: {file: d.txt, position: '2'}\n", 3, "expected {file: NAME, position: N}"),
        ("title: Hi\nsource: {file: d.txt, position: 2, url: 'javascript:alert(1)'}\n", 3, "not a web address"),
        ("title: Hi\nsource: {file: d.txt, position: 2, url: 'data:text/html,<script>'}\n", 3, "not a web address"),
        ("title: Hi\nsource: {file: d.txt, position: 2, url: '//evil.example/x'}\n", 3, "not a web address"),
        (
            "title: Hi\nsource: {file: d.txt, position: 2, url: 'https://x.org/\" onmouseover=\"a'}\n",
            3,
            "not a web address",
        ),
        ("title: Hi\nsource: {file: d.txt, position: 2, name: [a]}\n", 3, "'name' must be text"),
        ("title: Hi\nsource: {file: d.txt, position: 2, source_url: 'javascript:x'}\n", 3, "not a web address"),
        ("title: Hi\ndate: 2026-03-19\nadded: soon\n", 4, "'added': 'soon' is not a date"),
        ("title: Hi\naliases: [../../etc/passwd]\n", 3, "not an old slug"),
        ("title: Hi\ntitle: Again\n", 3, "'title' appears twice"),
    ],
)
def test_front_matter_errors_name_the_file_the_line_and_what_to_do(front, line, words):
    err = _error(front)
    assert err.file == str(Path("content/story.md")) and err.line == line, str(err)
    assert words in err.message, str(err)
    assert err.hint
    assert str(err).startswith(f"{Path('content/story.md')}:{line}: ")
    assert "\n  hint: " in str(err)


@pytest.mark.parametrize(
    "slug", ["../../etc/passwd", ".git", "a/b", "a\\\\b", "%2e%2e", "..", "Upper Case", "x" * 81, "con", "NUL", "com1"]
)
def test_hostile_slugs_are_refused_with_a_safe_suggestion(slug):
    err = _error(f'title: Hi\nslug: "{slug}"\n')
    assert err.line == 3 and "slug" in err.message and "slug: " in err.hint
    suggestion = err.hint.rsplit("slug: ", 1)[1]
    assert _read(f"title: Hi\nslug: {suggestion}\n").slug == suggestion


def test_windows_device_names_get_their_own_message():
    err = _error("title: Hi\nslug: con\n")
    assert "Windows" in err.message and err.hint.endswith("slug: con-page")


def test_an_unsafe_file_name_without_a_slug_is_named():
    err = _error("title: Hi\n", name="My Story.md")
    assert "file name My Story.md" in err.message and err.line == 1


def test_unknown_keys_are_warnings_with_their_line_and_the_article_is_kept():
    article = _read("title: Hi\ntags: [a]\nauthor: Me\n")
    assert article.title == "Hi"
    assert article.warnings == tuple(
        f"line {n}: unknown front matter key '{k}' ignored (known keys: title, slug, date, added, summary, topics, "
        "companies, organisations, countries, source, aliases)"
        for n, k in ((3, "tags"), (4, "author"))
    )


def test_fix_ups_are_documented_ones_only():
    article = _read(
        "title: '  Spaces\tand\nbreaks  '\ndate: 2026-03-19T10:00:00Z\n"
        "topics: AI\ncompanies: [Apple, apple, ' Apple ']\n"
    )
    assert article.title == "Spaces and breaks"  # whitespace collapsed
    assert article.date == dt.date(2026, 3, 19)  # a time after the date is dropped
    assert article.topics == ("AI",)  # one name may be written without brackets
    assert article.companies == ("Apple",)  # repeated names are listed once


def test_a_yaml_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    )
    start = time.perf_counter()
    err = _error(bomb + "title: *i\n")
    assert "aliases (&name, *name) are not allowed" in err.message and err.line == 2
    assert time.perf_counter() - start < 2


def test_front_matter_must_be_opened_and_closed():
    with pytest.raises(ContentError, match="does not start with a front matter block"):
        read_article(Path("a.md"), "title: Hi\n")
    with pytest.raises(ContentError, match="not closed") as err:
        read_article(Path("a.md"), "---\ntitle: Hi\nbody without a fence\n")
    assert err.value.line == 1
    with pytest.raises(ContentError, match="'key: value' lines"):
        read_article(Path("a.md"), "---\n- a list\n---\nbody\n")


def test_crlf_and_bom_files_are_read():
    article = read_article(Path("x.md"), "\ufeff---\r\ntitle: Hi\r\nslug: x\r\n---\r\nBody.\r\n")
    assert (article.title, article.body) == ("Hi", "Body.\n")


# --- the content folder: every file is either an article or an error ---------------------------


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_file_is_reported_and_no_article_is_dropped(tmp_path):
    content = tmp_path / "content"
    good = [_write(content, f"good-{i}.md", f"---\ntitle: Good {i}\n---\nText.\n") for i in range(3)]
    bad = [
        _write(content, "bad-yaml.md", "---\ntitle: [oops\n---\nText.\n"),
        _write(content, "no-title.md", "---\nslug: no-title\n---\nText.\n"),
        _write(content, "sub/traversal.md", "---\ntitle: T\nslug: ../../etc/passwd\n---\nText.\n"),
        _write(content, "Bad Name.md", "---\ntitle: T\n---\nText.\n"),
    ]
    (content / "latin1.md").write_bytes("---\ntitle: Caf\u00e9\n---\n".encode("latin-1"))
    bad.append(content / "latin1.md")
    articles, errors = load_articles(content)
    assert sorted(a.path for a in articles) == sorted(good)
    assert sorted(Path(e.file) for e in errors) == sorted(bad)
    latin = next(e for e in errors if e.file.endswith("latin1.md"))
    assert latin.line == 2 and "UTF-8" in latin.message


def test_duplicate_slugs_name_both_files(tmp_path):
    content = tmp_path / "content"
    first = _write(content, "a.md", "---\ntitle: A\nslug: same\n---\nA.\n")
    second = _write(content, "b.md", "---\ntitle: B\nslug: same\n---\nB.\n")
    third = _write(content, "c.md", "---\ntitle: C\naliases: [same]\n---\nC.\n")
    _, errors = load_articles(content)
    assert [(e.file, e.message) for e in errors] == [
        (str(second), f"slug 'same' is already used by {first}"),
        (str(third), f"slug 'same' is already used by {first}"),
    ]


def test_links_inside_content_are_refused_unless_they_stay_inside(tmp_path):
    content = tmp_path / "content"
    outside = _write(tmp_path / "secret", "passwd.md", "---\ntitle: Secret\n---\nSecret.\n")
    _write(content, "real.md", "---\ntitle: Real\n---\nText.\n")
    os.symlink(outside, content / "escape.md")
    os.symlink(content / "real.md", content / "alias.md")
    os.symlink(content / "missing.md", content / "broken.md")
    os.symlink("loop.md", content / "loop.md")
    os.symlink(outside.parent, content / "linked-folder")
    articles, errors = load_articles(content)
    messages = {Path(e.file).name: e.message for e in errors}
    assert "outside the content folder" in messages["escape.md"]
    assert "does not exist" in messages["broken.md"]
    assert "leads back to itself" in messages["loop.md"]
    assert "folder is a link" in messages["linked-folder"]
    assert all(a.title != "Secret" for a in articles)
    # A link to an article inside content/ is read as one more article file (slug: its own name).
    assert sorted(a.slug for a in articles) == ["alias", "real"]
    assert len(errors) == 4


def test_hidden_files_and_folders_are_not_articles(tmp_path):
    content = tmp_path / "content"
    _write(content, ".draft.md", "not front matter")
    _write(content, ".git/x.md", "not front matter")
    _write(content, "visible.md", "---\ntitle: V\n---\nV.\n")
    articles, errors = load_articles(content)
    assert [a.slug for a in articles] == ["visible"] and errors == []


# --- property: whatever ingest writes into front matter reads back the same ------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_TEXT.filter(lambda t: t.split()),
    summary=_TEXT,
    names=st.lists(_TEXT.filter(str.strip), max_size=4),
    body=_TEXT,
)
def test_front_matter_round_trips_any_text(title, summary, names, body):
    meta = {
        "title": title[:MAX_TITLE],
        "slug": "x",
        "summary": summary,
        "topics": names,
        "source": {"file": title, "position": 3},
    }
    text = article_text(meta, body)
    read, _, _ = split_front_matter(text, Path("x.md"))
    # YAML may turn exotic line breaks (U+0085, U+2028) into spaces; whitespace is normalised anyway.
    assert _norm(read) == _norm(meta)
    article = read_article(Path("x.md"), text)
    assert article.title == " ".join(title[:MAX_TITLE].split())
    assert article.body.rstrip("\n") == body.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def test_a_cached_article_reads_its_body_again_and_notices_a_change(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: A story\n---\nThe body.\n")
    article = read_article(path, path.read_text())
    cached = Article.from_row(article.row(), path)  # what the build cache gives back
    assert cached.body is None
    assert (cached.title, cached.digest) == (article.title, article.digest)
    assert body_of(cached) == "The body.\n"
    path.write_text("---\ntitle: A story\n---\nAn edit made during the build.\n")
    with pytest.raises(ContentError, match="changed while the site was being built"):
        body_of(cached)


def test_at_most_50_names_per_tag_key():
    names = ", ".join(f"Name {i}" for i in range(50))
    assert len(_read(f"title: T\ncompanies: [{names}]\norganisations: [{names}]\n").companies) == 50
    err = _error(f"title: T\nsummary: S\ntopics: [{names}, One more]\n")
    assert err.line == 4 and err.message == "'topics': 51 names; at most 50 are allowed" and err.hint


def test_a_value_in_a_message_is_cut_before_it_is_formatted():
    from builder.safeyaml import shown

    doubling = []
    for _ in range(22):  # repr() of this is 4 million items long
        doubling = [doubling, doubling]
    start = time.perf_counter()
    assert len(shown(doubling)) <= 60 and len(shown("x" * 10**7)) <= 60
    assert shown("next week") == "'next week'"
    assert time.perf_counter() - start < 0.1


def test_a_value_error_deep_in_front_matter_names_its_line():
    err = _error("title: T\nsource:\n  file: d.txt\n  position: 1\ndate: [2026-01-01, 2026-02-30]\n")
    assert err.line == 6 and "'2026-02-30' cannot be read" in err.message


def test_only_regular_files_are_read(tmp_path):
    from builder.content import top_level_articles
    from builder.files import read_regular

    _write(tmp_path, "good.md", "---\ntitle: Good\n---\nBody.\n")
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(ContentError, match="it is a named pipe"):
        read_regular(tmp_path / "pipe.md")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "deeper.md", "---\ntitle: Deeper\n---\nBody.\n")
    os.mkfifo(tmp_path / "sub" / "pipe.md")
    names, skipped = top_level_articles(tmp_path)
    assert names == {"good"}
    articles, errors = load_articles(tmp_path)
    assert sorted(a.slug for a in articles) == ["deeper", "good"] and not errors
    assert skipped == [
        f"{fifo}: skipped: this is a named pipe (FIFO), not a file that can be read"
        for fifo in (tmp_path / "pipe.md", tmp_path / "sub" / "pipe.md")
    ]


@pytest.mark.parametrize(
    "source, label, link",
    [
        (
            "{file: d.txt, position: 2, name: Wire, url: 'https://w.example/', source_url: 'https://w.example/a'}",
            "Wire",
            "https://w.example/a",
        ),
        ("{file: d.txt, position: 2, name: Wire, url: 'https://w.example/'}", "Wire", "https://w.example/"),
        ("{file: d.txt, position: 2, url: 'https://news.w.example/'}", "news.w.example", "https://news.w.example/"),
        ("{file: d.txt, position: 2}", None, None),
    ],
)
def test_readers_see_a_source_by_name_or_host_never_by_its_file(source, label, link):
    article = _read(f"title: Hi\nsource: {source}\n")
    assert (article.source.label, article.source.link) == (label, link)
    assert article.source.file == "d.txt" and article.source.position == 2  # kept for editors


def test_the_day_an_article_entered_the_archive_is_read_and_cached_apart_from_its_date():
    import datetime as dt

    article = _read("title: Hi\nadded: 2026-11-23\n")
    assert article.date is None and article.added == dt.date(2026, 11, 23)
    assert Article.from_row(article.row(), article.path).added == dt.date(2026, 11, 23)


def test_an_atomic_write_that_fails_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "state"
    target.mkdir()  # renaming a file over a folder fails, as a full disk or a read-only folder would
    (target / "kept").write_text("editor's")
    from builder.files import write_atomic

    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]
    assert (target / "kept").read_text() == "editor's"
